"""Golden data for the chapters under `--numpy-seed N`: what the book's steps print in numpy
after `np.random.seed(N)`.

Our own code, written from the study-notes page's cells (4.2.2, 4.2.4), the steps before them
and the book's text for 4.2.3 to 4.2.7; it imports nothing but numpy and never the book's files. Run from the repository root to regenerate:

    python3 chapters/golden/page_4_2.py > chapters/golden/page_4_2.txt

or print one seed's cells to read beside `cargo run --example ch4_2_4 -- --numpy-seed N`:

    python3 chapters/golden/page_4_2.py 0

The file lists, per seed and chapter, each array exactly as numpy printed it (with its shape
where the chapter prints one), separated by `--` lines. The chapters' tests check that their
output under that seed holds every block, in this order.
"""
import sys

import numpy as np

SEEDS = [0, 1, 42, 2024, 123456789, 2**32 - 1]


def preprocess(text):
    words = text.lower().replace(".", " .").split(" ")
    word_to_id = {}
    for word in words:
        word_to_id.setdefault(word, len(word_to_id))
    corpus = np.array([word_to_id[w] for w in words])
    return corpus, word_to_id


def create_contexts_target(corpus, window_size=1):
    target = corpus[window_size:-window_size]
    contexts = [
        [corpus[i + t] for t in range(-window_size, window_size + 1) if t != 0]
        for i in range(window_size, len(corpus) - window_size)
    ]
    return np.array(contexts), np.array(target)


class Embedding:
    def __init__(self, W):
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.idx = None

    def forward(self, idx):
        (W,) = self.params
        self.idx = idx
        return W[idx]

    def backward(self, dout):
        (dW,) = self.grads
        dW[...] = 0
        np.add.at(dW, self.idx, dout)


class EmbeddingDot:
    def __init__(self, W):
        self.embed = Embedding(W)
        self.params = self.embed.params
        self.grads = self.embed.grads
        self.cache = None

    def forward(self, h, idx):
        target_W = self.embed.forward(idx)
        out = np.sum(target_W * h, axis=1)
        self.cache = (h, target_W)
        return out

    def backward(self, dout):
        h, target_W = self.cache
        dout = dout.reshape(dout.shape[0], 1)
        self.embed.backward(dout * h)
        return dout * target_W


def prologue(blocks):
    """What the sections before 4.2 built, printed as the chapters' prologue prints it."""
    corpus, word_to_id = preprocess("You say goodbye and I say hello.")
    contexts, target = create_contexts_target(corpus, window_size=1)
    vocab_size, hidden_size = len(word_to_id), 3
    W_in = np.random.randn(vocab_size, hidden_size)
    h0 = Embedding(W_in).forward(contexts[:, 0])
    h1 = Embedding(W_in).forward(contexts[:, 1])
    h = (h0 + h1) * 0.5
    blocks.append(f"corpus = {corpus}")
    blocks.append(f"contexts =\n{contexts}")
    blocks.append(f"target = {target}")
    blocks.append(f"W_in =\n{np.round(W_in, 2)}")
    blocks.append(f"h =\n{np.round(h, 2)}\n{h.shape}")
    return corpus, word_to_id, target, vocab_size, hidden_size, h


def seeded_prologue(seed):
    """np.random.seed(seed), the prologue, then W_out drawn as 4.2.4 draws it."""
    np.random.seed(seed)
    blocks = []
    corpus, word_to_id, target, vocab_size, hidden_size, h = prologue(blocks)
    W_out = np.random.randn(vocab_size, hidden_size)
    return blocks, corpus, word_to_id, target, h, W_out


def with_shape(x, decimals=2):
    shown = x if decimals is None else np.round(x, decimals)
    return f"{shown}\n{x.shape}"


def ch4_2_4(seed):
    blocks, corpus, word_to_id, target, h, W_out = seeded_prologue(seed)
    blocks.append(with_shape(W_out))
    embed_layer_out = Embedding(W_out)
    target_W = embed_layer_out.forward(target)
    blocks.append(f"{target}\n{with_shape(target_W)}")
    s = np.sum(target_W * h, axis=1)
    blocks.append(with_shape(s))
    ds = np.random.randn(target.shape[0])
    blocks.append(with_shape(ds, None))
    ds = ds.reshape(ds.shape[0], 1)
    blocks.append(with_shape(ds, None))
    dh = ds * target_W
    blocks.append(with_shape(dh))
    dtarget_W = ds * h
    blocks.append(with_shape(dtarget_W))
    embed_layer_out.backward(dtarget_W)
    (dW_out,) = embed_layer_out.grads
    blocks.append(with_shape(dW_out))

    embed_dot_layer = EmbeddingDot(W_out)
    s = embed_dot_layer.forward(h, target)
    blocks.append(with_shape(s))
    dh = embed_dot_layer.backward(ds)
    (dW_out,) = embed_dot_layer.grads
    blocks.append(with_shape(dh))
    blocks.append(with_shape(dW_out))
    return blocks


def ch4_2_2(seed):
    blocks, corpus, word_to_id, target, h, W_out = seeded_prologue(seed)
    blocks.append(with_shape(W_out))
    blocks.append(with_shape(W_out.T))
    ds = np.random.randn(target.shape[0])
    blocks.append(with_shape(ds, None))
    score_all = np.dot(h, W_out.T)
    blocks.append(with_shape(score_all))
    return blocks


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def cross_entropy_error(y, t):
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


class SigmoidWithLoss:
    def __init__(self):
        self.loss, self.y, self.t = None, None, None

    def forward(self, x, t):
        self.t = t
        self.y = sigmoid(x)
        self.loss = cross_entropy_error(np.c_[1 - self.y, self.y], self.t)
        return self.loss

    def backward(self, dout=1):
        return (self.y - self.t) * dout / self.t.shape[0]


def ch4_2_3(seed):
    blocks, corpus, word_to_id, target, h, W_out = seeded_prologue(seed)
    blocks.append(f"W_out =\n{np.round(W_out, 2)}")
    s = EmbeddingDot(W_out).forward(h, target)
    blocks.append(f"s =\n{np.round(s, 2)}")
    y = sigmoid(s)
    blocks.append(with_shape(y))
    t = np.ones(target.shape[0], dtype=np.int32)
    blocks.append(str(t))
    layer = SigmoidWithLoss()
    layer.forward(s, t)
    dx = layer.backward(1)
    blocks.append(with_shape(dx, None))
    blocks.append(f"» y - t =\n{y - t}")
    return blocks


def ch4_2_5(seed):
    blocks, corpus, word_to_id, target, h, W_out = seeded_prologue(seed)
    blocks.append(f"W_out =\n{np.round(W_out, 2)}")
    h0 = h[0:1]
    blocks.append(with_shape(h0))
    embed_dot = EmbeddingDot(W_out)
    for word in ["say", "hello", "i"]:
        score = embed_dot.forward(h0, np.array([word_to_id[word]]))
        blocks.append(str(np.round(score, 2)))
    return blocks


def ch4_2_6(seed):
    np.random.seed(seed)
    blocks = []
    blocks.append(f"{np.random.choice(10)}\n{np.random.choice(10)}")
    words = ["you", "say", "goodbye", "I", "hello", "."]
    blocks.append(str(np.random.choice(words)))
    blocks.append(str(np.random.choice(words, size=5)))
    blocks.append(str(np.random.choice(words, size=5, replace=False)))
    p = [0.5, 0.1, 0.05, 0.2, 0.05, 0.1]
    blocks.append(str(np.random.choice(words, p=p)))
    p = [0.7, 0.29, 0.01]
    new_p = np.power(p, 0.75)
    new_p /= np.sum(new_p)
    blocks.append(str(new_p))
    sampler = UnigramSampler(np.array([0, 1, 2, 3, 4, 1, 2, 3]), 0.75, 2)
    blocks.append(str(sampler.get_negative_sample(np.array([1, 3, 0]))))
    blocks.append(str(sampler.word_p))
    return blocks


class UnigramSampler:
    def __init__(self, corpus, power, sample_size):
        self.sample_size = sample_size
        ids, counts = np.unique(corpus, return_counts=True)
        self.vocab_size = len(ids)
        self.word_p = np.power(counts.astype(np.float64), power)
        self.word_p /= np.sum(self.word_p)

    def get_negative_sample(self, target):
        negative_sample = np.zeros((target.shape[0], self.sample_size), dtype=np.int32)
        for i in range(target.shape[0]):
            p = self.word_p.copy()
            p[target[i]] = 0
            p /= p.sum()
            negative_sample[i, :] = np.random.choice(
                self.vocab_size, size=self.sample_size, replace=False, p=p)
        return negative_sample


def ch4_2_7(seed):
    blocks, corpus, word_to_id, target, h, W_out = seeded_prologue(seed)
    blocks.append(with_shape(W_out))
    sampler = UnigramSampler(corpus, 0.75, 5)
    blocks.append(str(sampler.word_p))
    negative_sample = sampler.get_negative_sample(target)
    blocks.append(str(negative_sample))
    # the positive example with label 1, then each negative column with label 0
    columns = [target] + [negative_sample[:, i] for i in range(5)]
    labels = [np.ones(6, dtype=np.int32)] + [np.zeros(6, dtype=np.int32)] * 5
    embed_dots = [EmbeddingDot(W_out) for _ in columns]
    loss_layers = [SigmoidWithLoss() for _ in columns]
    losses = [l.forward(e.forward(h, c), t)
              for e, l, c, t in zip(embed_dots, loss_layers, columns, labels)]
    blocks.append(str(np.array(losses)))
    dh = sum(e.backward(l.backward(1)) for e, l in zip(embed_dots, loss_layers))
    dW_out = sum(e.grads[0] for e in embed_dots)
    blocks.append(with_shape(dh))
    blocks.append(with_shape(dW_out))
    return blocks


CHAPTERS = {
    "ch4_2_2": ch4_2_2,
    "ch4_2_3": ch4_2_3,
    "ch4_2_4": ch4_2_4,
    "ch4_2_5": ch4_2_5,
    "ch4_2_6": ch4_2_6,
    "ch4_2_7": ch4_2_7,
}

if __name__ == "__main__":
    if len(sys.argv) > 1:
        seed = int(sys.argv[1])
        for name, chapter in CHAPTERS.items():
            print(f"== {name}, np.random.seed({seed})")
            print("\n".join(chapter(seed)))
        sys.exit(0)
    print(f"# generated by chapters/golden/page_4_2.py with numpy {np.__version__}; do not edit")
    for seed in SEEDS:
        for name, chapter in CHAPTERS.items():
            print(f"seed {seed} {name}")
            print("\n--\n".join(chapter(seed)))
            print("end")
