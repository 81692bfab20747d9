"""Times one epoch of §4.3's CBOW and skip-gram (ours, the book's NumPy code, gensim) and
scores 10 epochs of each on Google's analogies, over several seeds.

    python3 chapters/bench/train_compare.py BOOK_DIR [--ours PATH] [--seeds N] [--slow-quality]
        [--no-timing | --no-quality] [--quality-epochs N] [--repeats N]

BOOK_DIR is a checkout of the book's repository (oreilly-japan/deep-learning-from-scratch-2);
nothing of it is part of this project. `--ours` names a prebuilt `ch4_3_2` binary; without it
ours runs as `cargo run --release -q --example ch4_3_2 --` from the repository root. The corpus
is the shipped src/dataset/sotu.train.txt.gz, which ours reads itself; the others read it
decompressed to a temporary file. Window 5, hidden 100, 5 negatives throughout. A run takes
about 13 minutes on a 2-core machine (timing 6, quality 7), 21 with `--slow-quality`.

Timing (one epoch each, skipped with `--no-timing`); each row of ours (but `--dense`) and of
gensim runs `--repeats` times (default 3), in rounds of all the rows, and keeps the median:

- ours: `--epochs 1`; the time is its `» ⏱` line (Trainer.fit: the shuffle and every iteration).
  CBOW with `--threads 1` and `--threads 2` (the default: the book's Adam, stepping the batch's
  rows and replaying the others' zero-gradient steps), with `--dense` (the book's classes as
  written, src/cbow.rs, optimizer.rs and trainer.rs, on one thread) and with `--fast` (word2vec's
  SGD, windows shrunk at random and stopped at <eos>) on 1 and 2 threads (the second draws the
  next batch). Skip-gram (`--model skip_gram`): the default on 1 thread, `--fast` on 1 and 2.
- the book: ch04/cbow.py's CBOW and ch04/skip_gram.py's SkipGram, each with
  common/optimizer.py's Adam, on the corpus loaded as dataset/ptb.py loads a file, batch 100,
  each iteration as common/trainer.py's Trainer.fit runs it (forward, backward, remove_duplicate,
  Adam's update). A whole epoch takes minutes (skip-gram's several times CBOW's), so it times
  200 CBOW iterations after 20 of warm-up, and 20 skip-gram iterations after 3, and extrapolates
  to the epoch's len(contexts) // 100, plus one shuffle.
- gensim: Word2Vec (negative=5, hs=0, sample=0, min_count=1, default alpha) on the same lines,
  one sentence a line (no <eos>), with its default windows (shrink_windows=True, as `--fast`):
  CBOW (sg=0, cbow_mean=1) and skip-gram (sg=1) with 1 and 2 workers; and CBOW with
  shrink_windows=False on 1 worker, labelled "fixed windows": every word has the book's 5
  context words a side, as in ours' default. The time is model.train's, build_vocab excluded.

Under the table, the ratios the issues ask for: `--fast` CBOW on 1 thread over gensim's CBOW on 1
worker (target at most 0.5), the same for skip-gram (at most 0.5), and ours' default skip-gram
over gensim's skip-gram on 1 worker (at most 5); then the Google analogy score of each model
trained for that one epoch.

Quality (skipped with `--no-quality`): Google's analogies after `--quality-epochs` (default 10)
epochs, for `--seeds` seeds (default 3: seeds 0, 1, 2, as ours' `--seed` and gensim's `seed`):
ours `--fast` CBOW and skip-gram, gensim CBOW and skip-gram (vector_size 100, window 5,
negative 5, hs 0, sample 0, min_count 1, workers 1, default alpha and shrink_windows, one
sentence a line), and ours' default CBOW (the book's Adam). Ours' default skip-gram takes about
3 minutes a seed, so it joins only with `--slow-quality`. Ours runs on 1 thread here (the threads
do not change its vectors, only its time). Prints each model's mean score, min–max, standard
deviation, the score of each seed, the semantic (the first five sections) and syntactic
(gram*) means, and the mean training seconds; then the target, `--fast`'s mean at least
gensim's, for CBOW and for skip-gram, with its verdict.

Analogy scores are gensim's KeyedVectors.evaluate_word_analogies on gensim's
questions-words.txt, restrict_vocab=10000, case_insensitive=True, on ours' `--word2vec` file or
gensim's vectors saved in the same format, in a child process on one OpenBLAS thread (with two
on a busy 2-core machine, one evaluation took 30 times as long).

The book and gensim run in child processes with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset:
some machines set them to dodge bugs of older OpenBLAS builds, and they slow a current numpy.

Prints a line naming the CPU and the versions, the OpenBLAS kernel numpy runs, then Markdown
tables. Progress goes to stderr.
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
import statistics
import subprocess
import sys
import tempfile
import time
import types

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS_GZ = ROOT / "src" / "dataset" / "sotu.train.txt.gz"
WINDOW, HIDDEN, BATCH, NEGATIVES = 5, 100, 100, 5
BOOK_ITERATIONS = {"cbow": (20, 200), "skip_gram": (3, 20)}  # (warm-up, timed)
OPENBLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
MODELS = {"cbow": "CBOW", "skip_gram": "skip-gram"}
# one epoch: ours as (model, mode, threads), gensim as (model, workers, shrink_windows)
TIMING_OURS = [("cbow", None, 1), ("cbow", None, 2), ("cbow", "dense", 1), ("cbow", "fast", 1),
               ("cbow", "fast", 2), ("skip_gram", None, 1), ("skip_gram", "fast", 1),
               ("skip_gram", "fast", 2)]
TIMING_GENSIM = [("cbow", 1, True), ("cbow", 2, True), ("cbow", 1, False),
                 ("skip_gram", 1, True), ("skip_gram", 2, True)]
# the ratios the issues ask for: (numerator, denominator, target), as (model, name) keys
RATIOS = [(("cbow", "ours --fast, 1 thread"), ("cbow", "gensim, 1 worker"), 0.5),
          (("skip_gram", "ours --fast, 1 thread"), ("skip_gram", "gensim, 1 worker"), 0.5),
          (("skip_gram", "ours, 1 thread"), ("skip_gram", "gensim, 1 worker"), 5)]
# quality: (name, model, kind), kind "fast" and "default" ours, "gensim" gensim's
QUALITY = [("ours --fast", "cbow", "fast"), ("gensim", "cbow", "gensim"),
           ("ours --fast", "skip_gram", "fast"), ("gensim", "skip_gram", "gensim"),
           ("ours (the book's Adam)", "cbow", "default")]
SLOW_QUALITY = [("ours (the book's Adam)", "skip_gram", "default")]


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
    """The book's CBOW and SkipGram, Adam and Trainer.fit's steps; prints one JSON object."""
    sys.path.insert(0, book_dir)
    if importlib.util.find_spec("matplotlib") is None:  # common/trainer.py imports it, to plot
        matplotlib = types.ModuleType("matplotlib")
        matplotlib.pyplot = types.ModuleType("matplotlib.pyplot")
        sys.modules.update({"matplotlib": matplotlib, "matplotlib.pyplot": matplotlib.pyplot})
    import numpy
    from ch04.cbow import CBOW
    from ch04.skip_gram import SkipGram
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
    max_iters = len(contexts) // BATCH

    seconds = {}
    for name, model_class in (("cbow", CBOW), ("skip_gram", SkipGram)):
        warm_up, timed = BOOK_ITERATIONS[name]
        numpy.random.seed(0)
        model = model_class(len(word_to_id), HIDDEN, WINDOW, corpus)
        optimizer = Adam()

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

        print(f"book {MODELS[name]}: {warm_up} + {timed} iterations ...", file=sys.stderr)
        for iters in range(warm_up):
            iteration(iters)
        start = time.perf_counter()
        for iters in range(warm_up, warm_up + timed):
            iteration(iters)
        per_iteration = (time.perf_counter() - start) / timed
        seconds[name] = shuffle + per_iteration * max_iters
    kernel, threads = openblas_kernel()
    print(json.dumps({"seconds": seconds, "iterations": max_iters,
                      "kernel": kernel, "threads": threads}))


def gensim_child(corpus_path, sg, workers, shrink_windows, epochs, seed, vectors_path):
    """gensim's CBOW (sg 0) or skip-gram (sg 1); saves the vectors in word2vec's text format and
    prints one JSON object: model.train's seconds."""
    from gensim.models import Word2Vec

    with open(corpus_path) as f:
        sentences = [line.split() for line in f]
    model = Word2Vec(sg=int(sg), cbow_mean=1, vector_size=HIDDEN, window=WINDOW,
                     shrink_windows=shrink_windows == "True", negative=NEGATIVES, hs=0, sample=0,
                     min_count=1, workers=int(workers), epochs=int(epochs), seed=int(seed))
    model.build_vocab(sentences)
    start = time.perf_counter()
    model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
    seconds = time.perf_counter() - start
    model.wv.save_word2vec_format(vectors_path)
    print(json.dumps({"seconds": seconds}))


def analogies_child(*paths):
    """Google's analogies on each vectors file; prints one JSON object, by path: the score, the
    questions answered right and asked, and the same two for the semantic sections (the first
    five) and the syntactic ones (gram*)."""
    from gensim.models import KeyedVectors
    from gensim.test.utils import datapath

    results = {}
    for path in paths:
        score, sections = KeyedVectors.load_word2vec_format(path).evaluate_word_analogies(
            datapath("questions-words.txt"), restrict_vocab=10000, case_insensitive=True)
        result = {"score": score}
        for part, chosen in (("total", sections[-1:]),
                             ("semantic", [s for s in sections[:-1]
                                           if not s["section"].startswith("gram")]),
                             ("syntactic", [s for s in sections[:-1]
                                            if s["section"].startswith("gram")])):
            correct = sum(len(s["correct"]) for s in chosen)
            result[part] = (correct, correct + sum(len(s["incorrect"]) for s in chosen))
        results[path] = result
    print(json.dumps(results))


def run_child(*args, env=None):
    """This script in a child process, with the OpenBLAS variables unset (and `env` set); its
    JSON line."""
    env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_VARIABLES} | (env or {})
    out = subprocess.run([sys.executable, __file__, "--child", *map(str, args)], env=env,
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.splitlines()[-1])


def analogies(paths):
    """analogies_child's results for these files, on one OpenBLAS thread."""
    print(f"analogies of {len(paths)} models ...", file=sys.stderr)
    results = run_child("analogies", *paths, env={"OPENBLAS_NUM_THREADS": "1"})
    return {pathlib.Path(p): r for p, r in results.items()}


def run_ours(command, tmp, model, mode, threads, epochs=1, seed=0):
    """Ours: the default (the book's Adam on the batch's rows, the others replayed), or with
    `--dense` (the book's classes as written) or `--fast` (word2vec's SGD); the seconds of its
    `» ⏱` line and the path of its vectors in word2vec's text format."""
    tag = f"ours_{model}_{mode or 'default'}_{threads}_{epochs}_{seed}"
    vectors = tmp / f"{tag}.txt"
    out = subprocess.run(
        command + ["--model", model, "--epochs", str(epochs), "--threads", str(threads),
                   "--seed", str(seed), "--out", str(tmp / f"{tag}.pkl"),
                   "--plot", str(tmp / f"{tag}.svg"), "--word2vec", str(vectors)]
        + ([f"--{mode}"] if mode else []),
        cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    return float(re.search(r"» ⏱ \d+ イテレーションに ([\d.]+) s", out)[1]), vectors


def run_gensim(tmp, corpus, model, workers, shrink_windows=True, epochs=1, seed=1):
    """gensim_child's seconds and the path of its vectors (seed 1 is gensim's default)."""
    vectors = tmp / f"gensim_{model}_{workers}_{shrink_windows}_{epochs}_{seed}.txt"
    seconds = run_child("gensim", corpus, int(model == "skip_gram"), workers, shrink_windows,
                        epochs, seed, vectors)["seconds"]
    return seconds, vectors


def plural(n, word):
    return f"{n} {word}" + "s" * (n != 1)


def cpu_name():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


def markdown_table(rows, left=1):
    """Rows as a Markdown table, the first row its header; the first `left` columns to the left,
    the others to the right."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for k, r in enumerate(rows):
        print("| " + " | ".join(c.ljust(w) if i < left else c.rjust(w)
                                for i, (c, w) in enumerate(zip(r, widths))) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def percent(correct_asked):
    correct, asked = correct_asked
    return correct / asked if asked else 0.0


def timing(ours, book_dir, tmp, corpus, repeats):
    """One epoch of each: {(model, name): seconds}, {(model, name): vectors}, the book's JSON.
    Ours and gensim run `repeats` times, in rounds of every row (so that a slow moment of the
    machine falls on all of them alike), and keep the median; the book and `--dense`, minutes
    an epoch, run once."""
    seconds, vectors = {}, {}
    runs = []
    for model, mode, threads in TIMING_OURS:
        name = "ours" + (f" --{mode}" if mode else "") + ", " + plural(threads, "thread")
        runs.append(((model, name), mode == "dense",
                     lambda model=model, mode=mode, threads=threads:
                     run_ours(ours, tmp, model, mode, threads)))
    for model, workers, shrink_windows in TIMING_GENSIM:
        name = "gensim, " + plural(workers, "worker") + ("" if shrink_windows else
                                                          ", fixed windows")
        runs.append(((model, name), False,
                     lambda model=model, workers=workers, shrink_windows=shrink_windows:
                     run_gensim(tmp, corpus, model, workers, shrink_windows)))
    times = {key: [] for key, _, _ in runs}
    for round_ in range(repeats):
        for key, once, run in runs:
            if once and round_ > 0:
                continue
            print(f"{MODELS[key[0]]}, {key[1]}, run {round_ + 1} of {repeats} ...",
                  file=sys.stderr)
            s, vectors[key] = run()
            times[key].append(s)
    for key, measured in times.items():
        seconds[key] = statistics.median(measured)
    book = run_child("book", book_dir, corpus)
    for model, s in book["seconds"].items():
        seconds[model, "book NumPy (extrapolated)"] = s
    order = list(MODELS)  # CBOW's rows, then skip-gram's

    def by_model(table):
        return dict(sorted(table.items(), key=lambda item: order.index(item[0][0])))
    return by_model(seconds), by_model(vectors), book


def print_timing(seconds, vectors, book):
    print(f"book: numpy's OpenBLAS runs {book['kernel']}, {book['threads']} threads; an epoch is "
          f"{book['iterations']:,} batches of {BATCH}")
    print("book: " + ", ".join(f"{MODELS[m]} {timed} iterations timed after {warm_up}"
                               for m, (warm_up, timed) in BOOK_ITERATIONS.items())
          + f", x {book['iterations']:,} / timed + one shuffle")
    print("ours: its » ⏱ line; gensim: model.train only, build_vocab excluded")
    print("gensim shrinks its windows at random, as --fast does, but in the fixed windows row")
    print()
    base = {model: seconds[model, "gensim, 1 worker"] for model in MODELS}
    markdown_table([("one epoch", "model", "seconds", "/ gensim, 1 worker")] +
                   [(name, MODELS[model], f"{s:.2f}", f"{s / base[model]:.2f}")
                    for (model, name), s in seconds.items()], left=2)
    print()
    print("The ratios the issues ask for:")
    print()
    for numerator, denominator, target in RATIOS:
        ratio = seconds[numerator] / seconds[denominator]
        verdict = "met" if ratio <= target else "not met"
        print(f"- {MODELS[numerator[0]]}: {numerator[1]} / {denominator[1]}: {ratio:.2f} "
              f"(target ≤ {target}: {verdict})")
    print()
    scores = analogies(list(vectors.values()))
    print("Google analogies after 1 epoch (questions-words.txt, top 10,000, any case):")
    print()
    markdown_table([("model", "", "score", "correct", "answered")] +
                   [(name, MODELS[model], f"{scores[path]['score']:.1%}",
                     f"{scores[path]['total'][0]:,}", f"{scores[path]['total'][1]:,}")
                    for (model, name), path in vectors.items()], left=2)


def quality(ours, tmp, corpus, seeds, epochs, plan):
    """Each of `plan` trained `epochs` epochs for each seed: {(name, model): [(seconds, vectors)
    for each seed]}."""
    runs = {}
    for name, model, kind in plan:
        for seed in range(seeds):
            print(f"quality: {name}, {MODELS[model]}, {plural(epochs, 'epoch')}, seed {seed} ...",
                  file=sys.stderr)
            if kind == "gensim":
                run = run_gensim(tmp, corpus, model, 1, True, epochs, seed)
            else:
                run = run_ours(ours, tmp, model, None if kind == "default" else kind, 1, epochs,
                               seed)
            runs.setdefault((name, model), []).append(run)
    return runs


def print_quality(runs, seeds, epochs):
    scores = analogies([path for rs in runs.values() for _, path in rs])
    print(f"Google analogies after {plural(epochs, 'epoch')}, over {plural(seeds, 'seed')} "
          f"({', '.join(map(str, range(seeds)))}; questions-words.txt, top 10,000, any case).")
    print("Semantic: the first five sections, syntactic: gram*, each the mean over the seeds; "
          "train s: the mean seconds of a run, on 1 thread or 1 worker:")
    print()
    rows, means, ranges = [("model", "", "mean", "min–max", "std", "per seed", "semantic",
                            "syntactic", "answered", "train s")], {}, {}
    for (name, model), rs in runs.items():
        results = [scores[path] for _, path in rs]
        score = [r["score"] for r in results]
        answered = sorted({r["total"][1] for r in results})
        means[name, model], ranges[name, model] = statistics.mean(score), (min(score), max(score))
        rows.append((
            name, MODELS[model], f"{statistics.mean(score):.2%}",
            f"{min(score):.2%}–{max(score):.2%}",
            f"{statistics.stdev(score):.2%}" if len(score) > 1 else "—",
            ", ".join(f"{s:.2%}" for s in score),
            f"{statistics.mean(percent(r['semantic']) for r in results):.1%}",
            f"{statistics.mean(percent(r['syntactic']) for r in results):.1%}",
            "–".join(f"{a:,}" for a in answered),
            f"{statistics.mean(s for s, _ in rs):.1f}"))
    markdown_table(rows, left=2)
    print()
    for model in MODELS:
        fast, gensim = ("ours --fast", model), ("gensim", model)
        if fast not in means or gensim not in means:
            continue
        verdict = "met" if means[fast] >= means[gensim] else "not met"
        overlap = (ranges[fast][0] <= ranges[gensim][1] and ranges[gensim][0] <= ranges[fast][1])
        spread = f"; the seeds' ranges {'overlap' if overlap else 'do not overlap'}" * (seeds > 1)
        print(f"quality target, {MODELS[model]}: --fast mean ≥ gensim mean: {means[fast]:.2%} "
              f"against {means[gensim]:.2%}, {verdict} "
              f"({(means[fast] - means[gensim]) * 100:+.2f} points{spread})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("book_dir", metavar="BOOK_DIR")
    parser.add_argument("--ours", metavar="PATH", help="a prebuilt ch4_3_2 binary")
    parser.add_argument("--seeds", type=int, default=3, metavar="N",
                        help="seeds of the quality runs, 0 to N - 1 (default 3)")
    parser.add_argument("--quality-epochs", type=int, default=10, metavar="N",
                        help="epochs of the quality runs (default 10)")
    parser.add_argument("--slow-quality", action="store_true",
                        help="also ours' default skip-gram in the quality runs (3 min a seed)")
    parser.add_argument("--repeats", type=int, default=3, metavar="N",
                        help="runs of each timed row of ours and gensim, the median kept "
                             "(default 3; the book and --dense run once)")
    parser.add_argument("--no-timing", action="store_true", help="only the quality runs")
    parser.add_argument("--no-quality", action="store_true", help="only the timing")
    args = parser.parse_args()
    if args.no_timing and args.no_quality:
        parser.error("--no-timing and --no-quality leave nothing to run")
    if args.seeds < 1 or args.quality_epochs < 1 or args.repeats < 1:
        parser.error("--seeds, --quality-epochs and --repeats must be at least 1")
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
        with open(corpus) as f:  # as the book and ours read it: <eos> at each line's end
            words = f.read().replace("\n", " <eos> ").split()

        if not args.no_timing:
            seconds, vectors, book = timing(ours, args.book_dir, tmp, corpus, args.repeats)
        if not args.no_quality:
            plan = QUALITY + (SLOW_QUALITY if args.slow_quality else [])
            runs = quality(ours, tmp, corpus, args.seeds, args.quality_epochs, plan)

        print(f"{cpu_name()}; numpy {numpy.__version__}, gensim {gensim.__version__}")
        set_here = [f"{v}={os.environ[v]}" for v in OPENBLAS_VARIABLES if v in os.environ]
        if set_here:
            print(f"set here: {' '.join(set_here)}; numpy runs {kernel_here} with them; the book "
                  "and gensim run with both unset")
        else:
            print(f"numpy's OpenBLAS runs {kernel_here} here; "
                  "OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE not set")
        print(f"corpus: {len(words):,} tokens, vocab {len(set(words)):,}")
        if not args.no_timing:
            print(f"ours (but --dense) and gensim: the median of {plural(args.repeats, 'run')}, "
                  "in rounds")
            print_timing(seconds, vectors, book)
        if not args.no_quality:
            if not args.no_timing:
                print()
            print_quality(runs, args.seeds, args.quality_epochs)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        {"book": book_child, "gensim": gensim_child,
         "analogies": analogies_child}[sys.argv[2]](*sys.argv[3:])
    else:
        main()
