"""eval_params_p2.pkl: eval_params_p4.pkl (made by eval_book.py) dumped again with pickle protocol
2, as `pickle.dump(params, f, 2)` writes it with numpy (numpy 2.4.6 here): Python 2's protocol,
which has no bytes opcodes, so numpy's array data and the `b'b'` of `_reconstruct` are pickled
as `_codecs.encode(text, 'latin1')`.

    python3 chapters/golden/pickle_p2.py
"""
import pathlib
import pickle

here = pathlib.Path(__file__).resolve().parent
with open(here / "eval_params_p4.pkl", "rb") as f:
    params = pickle.load(f)
with open(here / "eval_params_p2.pkl", "wb") as f:
    pickle.dump(params, f, 2)
