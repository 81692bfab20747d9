"""What numpy draws for the book's negatives on a corpus made mostly of one word: for each target,
`np.random.choice(V, 5, replace=False, p=p)` with `p[target] = 0` and `p /= p.sum()`, as the
book's UnigramSampler.get_negative_sample does row by row, 100,000 times, and how often each word
came at each of the 5 places. src/fast/sampler.rs's test holds the alias table's draws to these
frequencies.

    python3 chapters/golden/skewed_choice.py > chapters/golden/skewed_choice.txt
"""
import numpy as np

COUNTS = [1_000_000, 10_000, 100, 10, 3, 2, 1, 1]
ROWS = 100_000

np.random.seed(0)
p = np.power(np.array(COUNTS, dtype=np.float64), 0.75)
p /= p.sum()
print(f"# made by chapters/golden/skewed_choice.py with numpy {np.__version__}; do not edit")
print("counts " + " ".join(str(c) for c in COUNTS))
print(f"rows {ROWS}")
for target in (0, 1, 7):
    q = p.copy()
    q[target] = 0
    q /= q.sum()
    seen = np.zeros((5, len(COUNTS)), dtype=np.int64)
    for _ in range(ROWS):
        row = np.random.choice(len(COUNTS), size=5, replace=False, p=q)
        seen[np.arange(5), row] += 1
    print(f"target {target}")
    for place in seen:
        print(" ".join(str(n) for n in place))
