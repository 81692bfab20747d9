"""Checks that the files our Rust writer produced for the fixture vectors of eval_params_p4.pkl
load where they must (none of the book's code or data is in this file).

Needs a checkout of the book's code, numpy and gensim (pip install gensim). Run from anywhere:

    python3 chapters/golden/check_ours.py BOOK_DIR

It writes check_ours.txt next to this script:

  1. ours_params.pkl is read with pickle.load while every warning is an error (so no
     DeprecationWarning, e.g. numpy's for old pickled dtypes), then BOOK_DIR/common/util.py's own
     most_similar and analogy are called exactly as ch04/eval.py calls them. This part must be
     byte-identical to eval_book.txt:  head -c $(wc -c < eval_book.txt) check_ours.txt | cmp - eval_book.txt
  2. a line '-- gensim', then ours_vectors.txt read by gensim's
     KeyedVectors.load_word2vec_format (text format): its size, and whether every vector equals
     the pickle's float16 row as float32 exactly, in the pickle's id_to_word order.
  3. a line '-- files', then the size and CRC-32 of the two files it read, which the Rust test
     compares with what the writer makes now.
"""
import contextlib
import io
import os
import pickle
import sys
import warnings
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def main(book_dir):
    sys.path.insert(0, book_dir)
    sys.path.insert(0, HERE)
    from common.util import most_similar, analogy
    from eval_book import eval_calls  # exactly ch04/eval.py's calls
    from gensim.models import KeyedVectors

    with warnings.catch_warnings():
        warnings.simplefilter('error')
        with open(os.path.join(HERE, 'ours_params.pkl'), 'rb') as f:
            params = pickle.load(f)
    w2i, i2w, W = params['word_to_id'], params['id_to_word'], params['word_vecs']
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        eval_calls(most_similar, analogy, w2i, i2w, W)

    kv = KeyedVectors.load_word2vec_format(os.path.join(HERE, 'ours_vectors.txt'))
    order = [i2w[i] for i in range(len(i2w))]
    equal = (W.dtype == np.float16 and kv.index_to_key == order
             and all(np.array_equal(kv[w], W[w2i[w]].astype(np.float32)) for w in order))
    text = buf.getvalue() + '-- gensim\n' + (
        f'KeyedVectors.load_word2vec_format: {len(kv)} words, vector_size {kv.vector_size}\n'
        f"vectors equal the pickle's float16 word_vecs: {equal}\n")
    # which bytes were checked, so that a test can tell when the writer changed since
    text += '-- files\n'
    for name in ('ours_params.pkl', 'ours_vectors.txt'):
        with open(os.path.join(HERE, name), 'rb') as f:
            data = f.read()
        text += f'{name}: {len(data)} bytes, crc32 {zlib.crc32(data):08x}\n'
    with open(os.path.join(HERE, 'check_ours.txt'), 'w', encoding='utf-8', newline='\n') as f:
        f.write(text)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(os.path.abspath(sys.argv[1]))
