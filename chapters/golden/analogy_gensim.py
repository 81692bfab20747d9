"""Golden data for 4.4.2's analogy evaluation (gensim's KeyedVectors.evaluate_word_analogies on
src/dataset/questions-words.txt), on vectors trained on the shipped corpus (none of the book's
code or data).

Run from the repository root (pip install numpy gensim; made with numpy 2.4.6, gensim 4.4.0):

    python3 chapters/golden/analogy_gensim.py

It writes, next to this script:

  analogy_params.pkl  the book's params dict (as ch04/train.py writes cbow_params.pkl, but
                      protocol 4): word_vecs (2000, 50) float16, word_to_id {str: int},
                      id_to_word {int: str}, ids 0..1999 in gensim's frequency order
  analogy_gensim.txt  for restrict_vocab 2000 and 500: a line 'restrict_vocab R', one line
                      'SECTION correct total' per section in the file's order (total = questions
                      answered, the in-vocabulary ones), and 'total correct total'; then
                      'questions 2000 30' and the first 30 questions answered under R = 2000, in
                      file order, as 'q a b c expected predicted' (words lowercased, as in the
                      vocabulary)

The vectors: gensim's CBOW (sg=0, vector_size=50, window=5, negative=5, sample=0, min_count=1,
workers=1, seed=1, 3 epochs) on src/dataset/sotu.train.txt.gz, one sentence a line; only to get
realistic vectors. Run twice here it wrote the same bytes, but another gensim, numpy or machine
may train other vectors: the answers are gensim's for the pickle as loaded back (float16 ->
float32), so with MAKE_VECTORS=0 in the environment the script keeps the committed pickle and
only evaluates it again.

How gensim 4.4.0 answers (models/keyedvectors.py, evaluate_word_analogies and most_similar):

- ok_vocab = the first restrict_vocab keys; with case_insensitive=True it maps k.upper() to the
  index, built from the R-th key back to the first, so the most frequent case variant wins. A
  question is skipped (dummy4unknown=False) unless all four words, uppercased, are in ok_vocab.
- The answer is most_similar(positive=[b, c], negative=[a], topn=5, restrict_vocab=R), with
  key_to_index swapped for ok_vocab for the call. norms = np.linalg.norm(vectors, axis=1) in
  float32 (squares in float32, numpy's pairwise sum, here 8 running sums, then sqrt); each unit
  vector is vectors[i] / norms[i] in float32; mean = b^ + c^ - a^, added in that order into a
  float32 array of zeros (each weight is np.float64 +-1.0, so each product is float64 and `+=`
  rounds back to float32); then mean / 3.0 (np.float64, so the mean becomes float64), then
  matutils.unitvec: BLAS dnrm2 and dscal by 1 / norm in float64, then .astype(float32). Scores
  are dot(vectors[:R], mean) / norms[:R], float32 (BLAS sgemv). The top topn + 3 by
  argpartition + argsort of -scores (not a stable sort: exact ties fall in no promised order),
  minus the rows of a, b and c, give 5 words; the first whose uppercase is in ok_vocab and not
  one of A, B, C is the prediction. So it is the argmax of the scores over rows 0..R-1 other than
  a, b and c. It is correct if it equals the expected word uppercased.
- This vocabulary is lowercase apart from 'N' (no question has 'n'), and no two of its words have
  the same uppercase; the questions are ASCII letters only. So lowercasing the question words and
  looking them up as they are picks the same questions and the same rows as gensim's uppercasing.
  The script checks that: it answers every question that way itself (gensim's most_similar on
  lowercased words, as above) and asserts the same correct and incorrect lists, section by
  section, as evaluate_word_analogies.
- It also answers every question in float64 (unit vectors, mean, cosines) and asserts the same
  predictions, so an implementation need not round as BLAS does to get these counts; and it
  asserts that the best score is ahead of the second by at least MIN_GAP (cosines) everywhere.
"""
import gzip
import os
import pickle
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(ROOT, 'src', 'dataset', 'sotu.train.txt.gz')
QUESTIONS = os.path.join(ROOT, 'src', 'dataset', 'questions-words.txt')
PARAMS = os.path.join(HERE, 'analogy_params.pkl')
TEXT = os.path.join(HERE, 'analogy_gensim.txt')
V, H = 2000, 50
RESTRICT = (2000, 500)
SHOWN = 30
MIN_GAP = 1e-5


def make_vectors():
    from gensim.models import Word2Vec
    with gzip.open(CORPUS, 'rt', encoding='utf-8') as f:
        sentences = [line.split() for line in f]
    model = Word2Vec(sentences, sg=0, vector_size=H, window=5, negative=5, sample=0,
                     min_count=1, workers=1, seed=1, epochs=3)
    words = model.wv.index_to_key[:V]
    vecs = model.wv.vectors[:V]
    # the same str objects in both dicts, so the pickle stores each word once
    word_to_id = {w: i for i, w in enumerate(words)}
    id_to_word = {i: w for i, w in enumerate(words)}
    params = {'word_vecs': vecs.astype(np.float16), 'word_to_id': word_to_id,
              'id_to_word': id_to_word}
    with open(PARAMS, 'wb') as f:
        pickle.dump(params, f, 4)


def questions():
    """(section, [a, b, c, expected]) for every question, in file order, words as written."""
    out, section = [], None
    with open(QUESTIONS, encoding='ascii') as f:
        for line in f:
            if line.startswith(': '):
                section = line[2:].strip()
            else:
                out.append((section, line.split()))
    return out


def answer(kv, a, b, c, r):
    """Gensim's prediction as evaluate_word_analogies makes it, on lowercase words."""
    sims = kv.most_similar(positive=[b, c], negative=[a], topn=5, restrict_vocab=r)
    predicted = None
    for word, _ in sims:
        predicted = word
        if kv.get_index(word) < r and word not in (a, b, c):
            break
    return predicted


def answer64(unit, w2i, a, b, c, r):
    """The same question in float64: the best row by cosine, and its lead over the second."""
    q = unit[w2i[b]] + unit[w2i[c]] - unit[w2i[a]]
    q /= np.linalg.norm(q)
    scores = unit[:r] @ q
    scores[[w2i[a], w2i[b], w2i[c]]] = -np.inf
    top2 = np.argsort(-scores, kind='stable')[:2]
    return top2[0], scores[top2[0]] - scores[top2[1]]


def main():
    from gensim.models import KeyedVectors
    if os.environ.get('MAKE_VECTORS', '1') != '0':
        make_vectors()
    with open(PARAMS, 'rb') as f:
        params = pickle.load(f)
    W16, w2i, i2w = params['word_vecs'], params['word_to_id'], params['id_to_word']
    assert list(params) == ['word_vecs', 'word_to_id', 'id_to_word']
    assert W16.dtype == np.float16 and W16.shape == (V, H)
    words = [i2w[i] for i in range(V)]
    assert all(w2i[w] == i for i, w in enumerate(words))
    assert all(w == w.lower() for w in words if w != 'N')
    assert len({w.upper() for w in words}) == V

    kv = KeyedVectors(H)
    kv.add_vectors(words, W16.astype(np.float32))
    unit = W16.astype(np.float64)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    qs = questions()
    lines = []
    for r in RESTRICT:
        _, sections = kv.evaluate_word_analogies(QUESTIONS, restrict_vocab=r,
                                                 case_insensitive=True, dummy4unknown=False)
        assert sections[-1]['section'] == 'Total accuracy'
        ours = {s['section']: {'correct': [], 'incorrect': []} for s in sections[:-1]}
        shown, min_gap = [], np.inf
        for section, q in qs:
            a, b, c, d = [w.lower() for w in q]
            if any(w2i.get(w, V) >= r for w in (a, b, c, d)):
                continue
            predicted = answer(kv, a, b, c, r)
            best, gap = answer64(unit, w2i, a, b, c, r)
            assert i2w[int(best)] == predicted, (q, predicted, i2w[int(best)])
            min_gap = min(min_gap, gap)
            key = 'correct' if predicted == d else 'incorrect'
            ours[section][key].append(tuple(w.upper() for w in q))
            if r == RESTRICT[0] and len(shown) < SHOWN:
                shown.append(f'q {a} {b} {c} {d} {predicted}')
        assert min_gap >= MIN_GAP, (r, min_gap)
        lines.append(f'restrict_vocab {r}')
        for s in sections[:-1]:
            assert s['correct'] == ours[s['section']]['correct'], s['section']
            assert s['incorrect'] == ours[s['section']]['incorrect'], s['section']
            lines.append(f"{s['section']} {len(s['correct'])} "
                         f"{len(s['correct']) + len(s['incorrect'])}")
        t = sections[-1]
        lines.append(f"total {len(t['correct'])} {len(t['correct']) + len(t['incorrect'])}")
        if r == RESTRICT[0]:
            rest = [f'questions {r} {len(shown)}'] + shown
        print(f'restrict_vocab {r}: smallest lead of the best over the second {min_gap:.3g}',
              file=sys.stderr)
    with open(TEXT, 'w', encoding='ascii', newline='\n') as f:
        f.write('\n'.join(lines + rest) + '\n')


if __name__ == '__main__':
    if len(sys.argv) != 1:
        sys.exit(__doc__)
    main()
