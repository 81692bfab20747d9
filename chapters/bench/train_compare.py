"""Times one epoch of §4.3's CBOW training: ours, the book's NumPy code and gensim, on one corpus.

    python3 chapters/bench/train_compare.py BOOK_DIR [--ours PATH]

BOOK_DIR is a checkout of the book's repository (oreilly-japan/deep-learning-from-scratch-2);
nothing of it is part of this project. `--ours` names a prebuilt `ch4_3_2` binary; without it
ours runs as `cargo run --release -q --example ch4_3_2 --` from the repository root. Takes a few
minutes. The corpus is the shipped src/dataset/sotu.train.txt.gz, which ours reads itself; the
others read it decompressed to a temporary file. Window 5, hidden 100, 5 negatives throughout.

- ours: `--epochs 1` with `--threads 1` and `--threads 2` (the book's Adam, stepping the batch's
  rows and replaying the others' zero-gradient steps), with `--dense` (the book's classes as
  written, src/cbow.rs, optimizer.rs and trainer.rs, on one thread) and with `--fast` (word2vec's SGD) on 1 and 2 threads (the
  second draws the next batch); the time is its `» ⏱` line (Trainer.fit: the shuffle and every
  iteration).
- the book: ch04/cbow.py's CBOW and common/optimizer.py's Adam on the corpus loaded as
  dataset/ptb.py loads a file, batch 100, each iteration as common/trainer.py's Trainer.fit runs
  it (forward, backward, remove_duplicate, Adam's update). A whole epoch takes minutes, so it
  times 200 iterations after 20 of warm-up and extrapolates to the epoch's len(contexts) // 100,
  plus one shuffle.
- gensim: Word2Vec CBOW (sg=0, cbow_mean=1, negative=5, hs=0, sample=0, min_count=1,
  shrink_windows=False so that every word has the book's 5 context words a side) on the same
  lines, one sentence a line (no <eos>), with 1 and 2 workers; the time is model.train's for one
  epoch, build_vocab excluded.

The book and gensim run in child processes with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset:
some machines set them to dodge bugs of older OpenBLAS builds, and they slow a current numpy.

Prints a line naming the CPU and the versions, the OpenBLAS kernel numpy runs, a Markdown table
of seconds per epoch and their ratio to ours on 2 threads, then the Google analogy score of each
model trained for that one epoch (gensim's KeyedVectors.evaluate_word_analogies on gensim's
questions-words.txt, restrict_vocab=10000, case_insensitive=True). Progress goes to stderr.
"""
import argparse
import ctypes
import gzip
import importlib.util
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import types

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS_GZ = ROOT / "src" / "dataset" / "sotu.train.txt.gz"
WINDOW, HIDDEN, BATCH, NEGATIVES = 5, 100, 100, 5
WARM_UP, TIMED = 20, 200
OPENBLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def openblas_kernel():
    """(kernel, threads) of numpy's OpenBLAS: by threadpoolctl where it is installed, else by
    asking the library itself, found among the loaded ones."""
    import numpy  # noqa: F401 (loads OpenBLAS)

    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()})
        for path in paths:
            lib = ctypes.CDLL(path)
            for prefix, suffix in [("scipy_openblas", "64_"), ("scipy_openblas", ""),
                                   ("openblas", "64_"), ("openblas", "")]:
                corename = getattr(lib, f"{prefix}_get_corename{suffix}", None)
                threads = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                if corename and threads:
                    corename.restype = ctypes.c_char_p
                    return corename().decode(), threads()
    else:
        for pool in threadpool_info():
            if pool["internal_api"] == "openblas":
                return pool["architecture"], pool["num_threads"]
    return "unknown", 0


def book_child(book_dir, corpus_path):
    """The book's CBOW, Adam and Trainer.fit's steps; prints one JSON object."""
    sys.path.insert(0, book_dir)
    if importlib.util.find_spec("matplotlib") is None:  # common/trainer.py imports it, to plot
        matplotlib = types.ModuleType("matplotlib")
        matplotlib.pyplot = types.ModuleType("matplotlib.pyplot")
        sys.modules.update({"matplotlib": matplotlib, "matplotlib.pyplot": matplotlib.pyplot})
    import numpy
    from ch04.cbow import CBOW
    from common.optimizer import Adam
    from common.trainer import remove_duplicate
    from common.util import create_contexts_target

    # as dataset/ptb.py loads ptb.train.txt: ids in order of first appearance
    with open(corpus_path) as f:
        words = f.read().replace("\n", "<eos>").strip().split()
    word_to_id = {}
    for word in words:
        word_to_id.setdefault(word, len(word_to_id))
    corpus = numpy.array([word_to_id[w] for w in words])
    print("book: making contexts ...", file=sys.stderr)
    contexts, target = create_contexts_target(corpus, WINDOW)

    numpy.random.seed(0)
    model = CBOW(len(word_to_id), HIDDEN, WINDOW, corpus)
    optimizer = Adam()
    max_iters = len(contexts) // BATCH

    start = time.perf_counter()  # Trainer.fit's shuffle, once an epoch
    idx = numpy.random.permutation(numpy.arange(len(contexts)))
    x, t = contexts[idx], target[idx]
    shuffle = time.perf_counter() - start

    def iteration(iters):  # Trainer.fit's loop body, without the progress line
        batch_x = x[iters * BATCH:(iters + 1) * BATCH]
        batch_t = t[iters * BATCH:(iters + 1) * BATCH]
        loss = model.forward(batch_x, batch_t)
        model.backward()
        params, grads = remove_duplicate(model.params, model.grads)
        optimizer.update(params, grads)
        return loss

    print(f"book: {WARM_UP} + {TIMED} iterations ...", file=sys.stderr)
    for iters in range(WARM_UP):
        iteration(iters)
    start = time.perf_counter()
    for iters in range(WARM_UP, WARM_UP + TIMED):
        iteration(iters)
    per_iteration = (time.perf_counter() - start) / TIMED
    kernel, threads = openblas_kernel()
    print(json.dumps({"seconds": shuffle + per_iteration * max_iters, "iterations": max_iters,
                      "tokens": len(words), "vocab": len(word_to_id),
                      "kernel": kernel, "threads": threads}))


def gensim_child(corpus_path, workers, vectors_path):
    """One epoch of gensim's CBOW; saves the vectors and prints one JSON object."""
    from gensim.models import Word2Vec

    with open(corpus_path) as f:
        sentences = [line.split() for line in f]
    model = Word2Vec(sg=0, cbow_mean=1, vector_size=HIDDEN, window=WINDOW, shrink_windows=False,
                     negative=NEGATIVES, hs=0, sample=0, min_count=1, workers=int(workers),
                     epochs=1)
    model.build_vocab(sentences)
    start = time.perf_counter()
    model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
    seconds = time.perf_counter() - start
    model.wv.save_word2vec_format(vectors_path)
    print(json.dumps({"seconds": seconds}))


def run_child(*args):
    """This script in a child process, with the OpenBLAS variables unset; its JSON line."""
    env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_VARIABLES}
    out = subprocess.run([sys.executable, __file__, "--child", *map(str, args)], env=env,
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.splitlines()[-1])


def run_ours(command, threads, tmp, mode=None):
    """One epoch of ours: the default (the book's Adam on the batch's rows, the others
    replayed), or with `--dense` (the book's classes as written) or `--fast`
    (word2vec's SGD); the seconds of its `» ⏱` line."""
    tag = f"{mode or 'ours'}_{threads}"
    out = subprocess.run(
        command + ["--epochs", "1", "--threads", str(threads),
                   "--out", str(tmp / f"{tag}.pkl"),
                   "--plot", str(tmp / f"{tag}.svg"),
                   "--word2vec", str(tmp / f"{tag}.txt")] + ([f"--{mode}"] if mode else []),
        cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    return float(re.search(r"» ⏱ \d+ イテレーションに ([\d.]+) s", out)[1])


def cpu_name():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


def markdown_table(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for k, r in enumerate(rows):
        print("| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                for i, (c, w) in enumerate(zip(r, widths))) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book_dir", metavar="BOOK_DIR")
    parser.add_argument("--ours", metavar="PATH", help="a prebuilt ch4_3_2 binary")
    args = parser.parse_args()
    ours = [args.ours] if args.ours else ["cargo", "run", "--release", "-q", "--example",
                                          "ch4_3_2", "--"]

    import gensim
    import numpy

    kernel_here, _ = openblas_kernel()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        corpus = tmp / "sotu.train.txt"
        with gzip.open(CORPUS_GZ, "rb") as src, open(corpus, "wb") as dst:
            shutil.copyfileobj(src, dst)

        seconds, vectors = {}, {}
        for threads in (1, 2):
            name = f"ours, {threads} thread" + "s" * (threads > 1)
            print(f"{name} ...", file=sys.stderr)
            seconds[name] = run_ours(ours, threads, tmp)
            vectors[name] = tmp / f"ours_{threads}.txt"
        for mode, threads in (("dense", 1), ("fast", 1), ("fast", 2)):
            name = f"ours --{mode}, {threads} thread" + "s" * (threads > 1)
            print(f"{name} ...", file=sys.stderr)
            seconds[name] = run_ours(ours, threads, tmp, mode)
            vectors[name] = tmp / f"{mode}_{threads}.txt"
        book = run_child("book", args.book_dir, corpus)
        seconds["book NumPy (extrapolated)"] = book["seconds"]
        for workers in (1, 2):
            name = f"gensim, {workers} worker" + "s" * (workers > 1)
            print(f"{name} ...", file=sys.stderr)
            vectors[name] = tmp / f"gensim_{workers}.txt"
            seconds[name] = run_child("gensim", corpus, workers, vectors[name])["seconds"]

        print("analogies ...", file=sys.stderr)
        from gensim.models import KeyedVectors
        from gensim.test.utils import datapath

        analogies = {}
        for name, path in vectors.items():
            score, sections = KeyedVectors.load_word2vec_format(path).evaluate_word_analogies(
                datapath("questions-words.txt"), restrict_vocab=10000, case_insensitive=True)
            total = sections[-1]
            analogies[name] = (score, len(total["correct"]),
                               len(total["correct"]) + len(total["incorrect"]))

    print(f"{cpu_name()}; numpy {numpy.__version__}, gensim {gensim.__version__}")
    kernel = f"numpy's OpenBLAS runs {book['kernel']}, {book['threads']} threads"
    set_here = [f"{v}={os.environ[v]}" for v in OPENBLAS_VARIABLES if v in os.environ]
    if set_here:
        print(f"set here: {' '.join(set_here)}")
        print(f"numpy runs {kernel_here} with them; the book and gensim run with both unset,")
        print(f"where {kernel}")
    else:
        print(f"{kernel}; OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE not set")
    print(f"corpus: {book['tokens']:,} tokens, vocab {book['vocab']:,}; "
          f"an epoch is {book['iterations']:,} batches of {BATCH}")
    print(f"book: {TIMED} iterations timed after {WARM_UP}, "
          f"x {book['iterations']:,} / {TIMED} + one shuffle")
    print("gensim: model.train only, build_vocab excluded")
    print()
    base = seconds["ours, 2 threads"]
    markdown_table([("one epoch", "seconds", "/ ours, 2 threads")] +
                   [(name, f"{s:.2f}", f"{s / base:.2f}") for name, s in seconds.items()])
    print()
    print("Google analogies after 1 epoch (questions-words.txt, top 10,000, any case):")
    markdown_table([("model", "score", "correct", "answered")] +
                   [(name, f"{score:.1%}", f"{correct:,}", f"{answered:,}")
                    for name, (score, correct, answered) in analogies.items()])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        {"book": book_child, "gensim": gensim_child}[sys.argv[2]](*sys.argv[3:])
    else:
        main()
