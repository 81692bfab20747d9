"""Golden data for the Rust port of the book's ch04/eval.py (`most_similar`, `analogy` from
common/util.py) and of its pickle loading, on a synthetic vocabulary (none of the book's data).

Run from anywhere with a checkout of the book's code (numpy only):

    python3 chapters/golden/eval_book.py BOOK_DIR

It writes, next to this script:

  eval_params_p4.pkl  params dict, pickle.dump(params, f, protocol=4), keys inserted in the order
                      id_to_word, word_vecs, word_to_id (as in the book's own cbow_params.pkl)
  eval_params_p5.pkl  the same dict, pickle.dump(params, f, -1) (protocol 5: numpy writes the array
                      as numpy._core.numeric._frombuffer + BYTEARRAY8), keys in train.py's order
                      word_vecs, word_to_id, id_to_word
  eval_book.txt       exactly what eval.py prints for eval_params_p4.pkl (its 4 most_similar
                      queries with top=5, the '-'*50 line, its 4 analogies); checked to be
                      byte-identical to running BOOK_DIR/ch04/eval.py itself on that pickle
  eval_book_extra.txt most_similar('zzz') (not found), analogy('king', 'man', 'zzz') (not found),
                      most_similar('man', top=3), analogy('king', 'man', 'queen', answer='woman')

Data: np.random.default_rng(SEED), V=300 words, H=100. Every word starts as
0.3 * standard_normal(H) times a per-word scale in [0.6, 1.6]; planted structure: neighbours are
query + noise (you, year, car, toyota, man, better), and woman ~ man - king + queen, went ~ took -
take + go, children ~ cars - car + child, worse ~ better - good + bad. The word order is shuffled.
The float16 matrix also has subnormals of both signs (some in rows of 'you', 'woman'), +0.0 and
-0.0, and |x| up to ~4.5 of both signs. Words and ids share string objects, so the pickles hold
memo references (BINGET, and LONG_BINGET past memo 255) for the second dict; ids < 256 are
BININT1, the rest BININT2.

Printing (numpy 2): most_similar's similarity is a float64 array holding float16 cosines, printed
with '%s' (= repr(float)); analogy's similarity is float16, printed with '{1}'.format (= repr of
the value as float); the '==>' line uses str(np.float16), the shortest float16 repr (e.g. '5.16').

The seed was chosen so that every printed value differs from every other value of its similarity
array, so a stable sort by (value descending, index ascending) prints the same as numpy's argsort;
the script asserts this.
"""
import contextlib
import io
import os
import pickle
import runpy
import shutil
import sys
import tempfile

import numpy as np

SEED = 1
V, H = 300, 100
OUT = os.path.dirname(os.path.abspath(__file__))

GROUPS = {  # query: neighbours, with relative noise levels
    'you': ['we', 'someone', 'i', 'something', 'anyone'],
    'year': ['month', 'week', 'spring', 'summer', 'decade'],
    'car': ['auto', 'cars', 'luxury', 'vehicle', 'truck'],
    'toyota': ['ford', 'nissan', 'mazda', 'honda', 'gm'],
    'man': ['boy', 'person'],
    'better': ['more', 'less', 'rather'],
}
ANALOGIES = [('king', 'man', 'queen', 'woman'), ('take', 'took', 'go', 'went'),
             ('car', 'cars', 'child', 'children'), ('good', 'better', 'bad', 'worse')]
OTHER = ['comes', 'began', 'points', 'average', '<unk>', "n't", "'s", 'oct.', 'disk-drive', '$',
         'N', 'na\u00efve']


def build(seed):
    rng = np.random.default_rng(seed)
    named = []
    for q, ns in GROUPS.items():
        named += [q] + ns
    for t in ANALOGIES:
        named += list(t)
    named = list(dict.fromkeys(named + OTHER))
    words = named + ['w%03d' % k for k in range(V - len(named))]
    vec = {w: 0.3 * rng.uniform(0.6, 1.6) * rng.standard_normal(H) for w in words}
    noise = lambda s: 0.3 * s * rng.standard_normal(H)
    vec['queen'][7] = 4.4
    for q, ns in GROUPS.items():
        for k, n in enumerate(ns):
            vec[n] = vec[q] + noise(0.7 + 0.15 * k)
    for a, b, c, d in ANALOGIES:
        vec[d] = vec[b] - vec[a] + vec[c] + noise(0.5)
    order = [words[p] for p in rng.permutation(V)]
    W = np.array([vec[w] for w in order]).astype(np.float16)
    ids = {w: i for i, w in enumerate(order)}
    W[ids['you'], 3] = np.float16(-2.0 ** -24)
    W[ids['woman'], 50] = np.float16(3 * 2.0 ** -20)
    W[ids['w000'], :6] = [2.0 ** -24, -5.5e-5, 1e-6, 0.0, -0.0, -4.5]
    W[ids['w001'], 9] = 4.5
    word_to_id = {w: i for i, w in enumerate(order)}
    id_to_word = {i: w for i, w in enumerate(order)}
    return W, word_to_id, id_to_word


def eval_calls(ms, an, w2i, i2w, W):  # exactly ch04/eval.py's calls
    for query in ['you', 'year', 'car', 'toyota']:
        ms(query, w2i, i2w, W, top=5)
    print('-' * 50)
    an('king', 'man', 'queen', w2i, i2w, W)
    an('take', 'took', 'go', w2i, i2w, W)
    an('car', 'cars', 'child', w2i, i2w, W)
    an('good', 'better', 'bad', w2i, i2w, W)


def extra_calls(ms, an, w2i, i2w, W):
    ms('zzz', w2i, i2w, W, top=5)
    an('king', 'man', 'zzz', w2i, i2w, W)
    ms('man', w2i, i2w, W, top=3)
    an('king', 'man', 'queen', w2i, i2w, W, answer='woman')


def check_no_ties(util, w2i, i2w, W):
    def check(sim, skip, top):
        shown = [i for i in (-1 * sim).argsort() if i2w[i] not in skip][:top]
        stable = sorted((i for i in range(V) if i2w[i] not in skip), key=lambda i: (-sim[i], i))
        assert shown == stable[:top], (skip, shown, stable[:top])
        for i in shown:
            assert (sim == sim[i]).sum() == 1, ('tie', skip, i2w[i], sim[i])
    for q, top in [('you', 5), ('year', 5), ('car', 5), ('toyota', 5), ('man', 3)]:
        sim = np.zeros(V)
        for i in range(V):
            sim[i] = util.cos_similarity(W[i], W[w2i[q]])
        check(sim, (q,), top)
    for a, b, c, _ in ANALOGIES:
        qv = util.normalize(W[w2i[b]] - W[w2i[a]] + W[w2i[c]])
        check(np.dot(W, qv), (a, b, c), 5)


def capture(fn, *args):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn(*args)
    return buf.getvalue()


def main(book_dir):
    sys.path.insert(0, os.path.abspath(book_dir))
    from common import util
    W, w2i, i2w = build(SEED)
    tiny = (W != 0) & (np.abs(W) < 2.0 ** -14)
    assert (tiny & (W > 0)).any() and (tiny & (W < 0)).any() and np.abs(W).max() >= 4.4
    p4, p5 = os.path.join(OUT, 'eval_params_p4.pkl'), os.path.join(OUT, 'eval_params_p5.pkl')
    with open(p4, 'wb') as f:
        pickle.dump({'id_to_word': i2w, 'word_vecs': W, 'word_to_id': w2i}, f, protocol=4)
    with open(p5, 'wb') as f:
        pickle.dump({'word_vecs': W, 'word_to_id': w2i, 'id_to_word': i2w}, f, -1)
    with open(p4, 'rb') as f:
        params = pickle.load(f)
    with open(p5, 'rb') as f:
        params5 = pickle.load(f)
    args = (params['word_to_id'], params['id_to_word'], params['word_vecs'])
    for p in (params, params5):
        assert p['word_vecs'].dtype == np.float16 and p['word_vecs'].tobytes() == W.tobytes()
        assert list(p['word_to_id'].items()) == list(w2i.items())
        assert list(p['id_to_word'].items()) == list(i2w.items())
    assert list(params) == ['id_to_word', 'word_vecs', 'word_to_id']
    assert list(params5) == ['word_vecs', 'word_to_id', 'id_to_word']
    check_no_ties(util, *args)

    text = capture(eval_calls, util.most_similar, util.analogy, *args)
    cwd, tmp = os.getcwd(), tempfile.mkdtemp()
    try:  # the book's eval.py itself, on a copy of the p4 pickle
        shutil.copy(p4, os.path.join(tmp, 'cbow_params.pkl'))
        os.chdir(tmp)
        real = capture(runpy.run_path, os.path.join(book_dir, 'ch04', 'eval.py'))
    finally:
        os.chdir(cwd)
        shutil.rmtree(tmp)
    assert real == text, 'explicit calls differ from running eval.py'
    extra = capture(extra_calls, util.most_similar, util.analogy, *args)
    for name, t in [('eval_book.txt', text), ('eval_book_extra.txt', extra)]:
        with open(os.path.join(OUT, name), 'w', encoding='utf-8', newline='\n') as f:
            f.write(t)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(os.path.abspath(sys.argv[1]))
