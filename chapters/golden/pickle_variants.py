"""Other ways a reader's Python may pickle the book's params, made from eval_params_p4.pkl (made
by eval_book.py): each must load as the same params, or be refused with a line that names what
it holds. With numpy 2.4.6 here.

- big_endian.pkl: `word_vecs.astype('>f2')`, float16 in big-endian bytes;
- numpy_ids.pkl: the ids numpy integers (`np.int64(i)`), in both dicts, as ids taken from an
  array are; numpy_ids_p2.pkl the same in pickle protocol 2, which has no bytes opcodes;
- float_ids.pkl: the ids floats (`float(i)`), which are no ids: refused.

    python3 chapters/golden/pickle_variants.py
"""
import pathlib
import pickle

import numpy as np

here = pathlib.Path(__file__).resolve().parent
with open(here / "eval_params_p4.pkl", "rb") as f:
    params = pickle.load(f)


def dump(name, protocol=-1, **changes):
    with open(here / name, "wb") as f:
        pickle.dump({**params, **changes}, f, protocol)


dump("big_endian.pkl", word_vecs=params["word_vecs"].astype(">f2"))
numpy_ids = {
    "word_to_id": {w: np.int64(i) for w, i in params["word_to_id"].items()},
    "id_to_word": {np.int64(i): w for i, w in params["id_to_word"].items()},
}
dump("numpy_ids.pkl", **numpy_ids)
dump("numpy_ids_p2.pkl", 2, **numpy_ids)
dump("float_ids.pkl", word_to_id={w: float(i) for w, i in params["word_to_id"].items()})
