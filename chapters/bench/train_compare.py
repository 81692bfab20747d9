"""Times one epoch of §4.3's CBOW and skip-gram (ours, the book's NumPy code, gensim, word2vec.c
and fastText) and scores 10 epochs of each on Google's analogies and on word similarity, over
several seeds.

    python3 chapters/bench/train_compare.py [BOOK_DIR | --no-book] [--ours PATH] [--seeds N]
        [--slow-quality] [--no-timing | --no-quality] [--quality-epochs N] [--repeats N]

BOOK_DIR is a checkout of the book's repository (oreilly-japan/deep-learning-from-scratch-2);
nothing of it is part of this project. Without it (or with `--no-book`) the book's rows are left
out, with a line saying so. `--ours` names a prebuilt `ch4_3_2` binary; without it ours runs as
`cargo run --release -q --example ch4_3_2 --` from the repository root. The corpus is the
shipped src/dataset/sotu.train.txt.gz, which ours reads itself; the others read it decompressed
to a temporary file. Window 5, hidden 100, 5 negatives throughout. A run takes about 35 minutes
on a 2-core machine (timing 10, quality 25: word2vec.c's and fastText's 10-epoch skip-gram take
2 to 3 minutes a seed), more with `--slow-quality`.

The peers beside ours, each at its own defaults but for the settings above and these: no
subsampling, every word kept (min count 1), one thread or worker. None of their code is part of
this project; the script finds or builds them outside the repository, and leaves out (with a line
saying why) a peer it cannot find or build:

- gensim: Word2Vec from the installed package (below).
- word2vec.c: Mikolov's C tool as the PyPI sdist word2vec==0.11.1 ships it (Apache-2.0),
  fetched by `pip download --no-binary :all: --no-deps` and built by gcc (`-O3 -march=native
  -funroll-loops`) into ~/.cache/zerotsuku2-bench/ (or $XDG_CACHE_HOME's), once a CPU. Its
  defaults: alpha 0.05 for CBOW and 0.025 for skip-gram, falling linearly to 0.0001 of it;
  in-vectors uniform(±0.5/100), out-vectors zero; each line a sentence, read in order. It has
  no seed: it starts its generators at fixed values, so on one thread it always learns the same
  vectors. The build adds a `-seed S` option that starts them at other values (the only change:
  seed 0 is the unchanged program's run, bit for bit), so that it runs over the same seeds as the
  others. Run as `word2vec -cbow 1|0 -size 100 -window 5 -negative 5 -hs 0 -sample 0 -min-count 1
  -threads 1 -iter E -seed S`.
- fastText: the `fasttext` command on PATH (Debian's package `fasttext`), as `fasttext
  cbow|skipgram -dim 100 -ws 5 -neg 5 -minCount 1 -minn 0 -maxn 0 -t 1 -thread 1 -epoch E -seed
  S` (`-minn 0 -maxn 0`: whole words, no subwords, i.e. word2vec's model; `-t 1`: no
  subsampling). Its defaults: lr 0.05 for both models, falling linearly to 0; negatives from the
  unigram counts to the power 0.5 (word2vec's 0.75); each line's `</s>` a word of its window;
  in-vectors uniform(±1/100), out-vectors zero (0.9.2 on one thread draws only the first tenth
  of the in-vectors, the most frequent words', and leaves the others zero).

Timing (one epoch each, skipped with `--no-timing`); each row of ours (but `--dense`), gensim,
word2vec.c and fastText runs `--repeats` times (default 3), in rounds of all the rows, and keeps
the median:

- ours: `--epochs 1`; the time is its `» ⏱` line (Trainer.fit: the shuffle and every iteration).
  CBOW: the default (the book's Adam, stepping the batch's rows and replaying the others'
  zero-gradient steps, on one thread), `--dense` (the book's classes as written, src/ch04/ and
  src/common/, on one thread) and `--fast` (word2vec's SGD, windows shrunk at random and stopped
  at <eos>) on 1 and 2 threads (the second draws the next batch). Skip-gram (`--model
  skip_gram`): the default, and `--fast` on 1 and 2.
- the book: ch04/cbow.py's CBOW and ch04/skip_gram.py's SkipGram, each with
  common/optimizer.py's Adam, on the corpus loaded as dataset/ptb.py loads a file, batch 100,
  each iteration as common/trainer.py's Trainer.fit runs it (forward, backward, remove_duplicate,
  Adam's update). A whole epoch takes minutes (skip-gram's several times CBOW's), so it times
  200 CBOW iterations after 20 of warm-up, and 20 skip-gram iterations after 3, and extrapolates
  to the epoch's len(contexts) // 100, plus one shuffle. Left out without BOOK_DIR.
- gensim: Word2Vec (negative=5, hs=0, sample=0, min_count=1, default alpha) on the same lines,
  one sentence a line (no <eos>), with its default windows (shrink_windows=True, as `--fast`):
  CBOW (sg=0, cbow_mean=1) and skip-gram (sg=1) with 1 and 2 workers; and CBOW with
  shrink_windows=False on 1 worker, labelled "fixed windows": every word has the book's 5
  context words a side, as in ours' default. The time is model.train's, build_vocab excluded.
- word2vec.c and fastText: CBOW and skip-gram on 1 thread (the commands above, `-iter 1`,
  `-epoch 1`). The time is each tool's own report of its training, loading excluded: word2vec.c's
  last progress line, words/thread/sec of its clock() (processor time, so a busy machine costs
  it less than the others, whose times are wall-clock), fastText's last one, words/sec/thread of
  its steady clock; the epoch's 929,554 tokens (each line's </s> counted, as both count them)
  divided by that rate.

First the issue's short table (each tool on one thread: word2vec.c, fastText, gensim, ours
`--fast` and ours' default, CBOW and skip-gram), then every row. Under them, the ratios the
issues ask for: `--fast` CBOW on 1 thread over gensim's CBOW on 1 worker (target at most 0.4),
the same for skip-gram (at most 0.4), and ours' default skip-gram over gensim's skip-gram on 1
worker (at most 5); then the Google analogy score of each model trained for that one epoch.

Quality (skipped with `--no-quality`): Google's analogies and word similarity after
`--quality-epochs` (default 10) epochs, for `--seeds` seeds (default 3: seeds 0, 1, 2, as ours'
`--seed`, gensim's `seed`, word2vec.c's and fastText's `-seed`): ours `--fast` CBOW and
skip-gram, gensim CBOW and skip-gram (vector_size 100, window 5, negative 5, hs 0, sample 0,
min_count 1, workers 1, default alpha and shrink_windows, one sentence a line), word2vec.c's and
fastText's CBOW and skip-gram (the commands above), and ours' default CBOW (the book's Adam).
Ours' default skip-gram takes about 3 minutes a seed, so it joins only with `--slow-quality`.
Ours runs on 1 thread here (the threads do not change its vectors, only its time). Prints each
model's mean score, min–max, standard deviation, the score of each seed, the semantic (the
first five sections) and syntactic (gram*) means, the word similarity (Spearman's ρ on
WordSim353 and on SimLex-999, the mean and min–max over the seeds) and the mean training
seconds; then the targets, for CBOW and for skip-gram: `--fast`'s mean analogy score at least
gensim's, and `--fast`'s mean at least the best peer's (gensim, word2vec.c, fastText) on each of
the three measures, with their verdicts.

Analogy scores are gensim's KeyedVectors.evaluate_word_analogies on gensim's
questions-words.txt, restrict_vocab=10000, case_insensitive=True; word similarity is
KeyedVectors.evaluate_word_pairs on gensim's wordsim353.tsv and simlex999.txt (case-insensitive;
the pairs with a word outside the 10,000 are left out, about 45% of each set on this corpus).
Both run on ours' `--word2vec` file, gensim's vectors saved in the same format, word2vec.c's text
output or fastText's .vec file, in a child process on one OpenBLAS thread (with two on a busy
2-core machine, one evaluation took 30 times as long).

The book and gensim run in child processes with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset:
some machines set them to dodge bugs of older OpenBLAS builds, and they slow a current numpy.

Prints a line naming the CPU and the versions, the OpenBLAS kernel numpy runs, a line on each of
word2vec.c and fastText (where it was built or found, or why it is left out), then Markdown
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
import tarfile
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
TIMING_OURS = [("cbow", None, 1), ("cbow", "dense", 1), ("cbow", "fast", 1), ("cbow", "fast", 2),
               ("skip_gram", None, 1), ("skip_gram", "fast", 1), ("skip_gram", "fast", 2)]
TIMING_GENSIM = [("cbow", 1, True), ("cbow", 2, True), ("cbow", 1, False),
                 ("skip_gram", 1, True), ("skip_gram", 2, True)]
# the ratios the issues ask for: (numerator, denominator, target), as (model, name) keys
RATIOS = [(("cbow", "ours --fast, 1 thread"), ("cbow", "gensim, 1 worker"), 0.4),
          (("skip_gram", "ours --fast, 1 thread"), ("skip_gram", "gensim, 1 worker"), 0.4),
          (("skip_gram", "ours, 1 thread"), ("skip_gram", "gensim, 1 worker"), 5)]
# quality: (name, model, kind), kind "fast" and "default" ours, "gensim" gensim's
QUALITY = [("ours --fast", "cbow", "fast"), ("gensim", "cbow", "gensim"),
           ("ours --fast", "skip_gram", "fast"), ("gensim", "skip_gram", "gensim"),
           ("ours (the book's Adam)", "cbow", "default")]
SLOW_QUALITY = [("ours (the book's Adam)", "skip_gram", "default")]
# the peers besides gensim: (name, model, kind) of the quality runs, and their timing rows
PEER_QUALITY = [("word2vec.c", "cbow", "word2vec.c"), ("fastText", "cbow", "fasttext"),
                ("word2vec.c", "skip_gram", "word2vec.c"), ("fastText", "skip_gram", "fasttext")]
PEER_NAMES = {"gensim": "gensim", "word2vec.c": "word2vec.c", "fasttext": "fastText"}
# word2vec.c: the PyPI sdist that ships it, the file inside it, and where it is built
WORD2VEC_SDIST = "word2vec==0.11.1"
WORD2VEC_SOURCE = "word2vec/includes/word2vec.c"
CACHE = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache")
WORD2VEC_BUILDS = CACHE / "zerotsuku2-bench" / "word2vec-0.11.1"  # a folder for each CPU
# `-seed S` for word2vec.c: its two generators' start values, each moved by S (0: unchanged)
WORD2VEC_SEED_PATCH = [
    ("int hs = 0, negative = 5;", "int hs = 0, negative = 5;\nlong long seed = 0;"),
    ("unsigned long long next_random = 1;",
     "unsigned long long next_random = 1 + seed * 7919ULL;"),
    ("unsigned long long next_random = (long long)id;",
     "unsigned long long next_random = (long long)id + seed * 1000003ULL;"),
    ('  if ((i = ArgPos((char *)"-classes", argc, argv)) > 0) classes = atoi(argv[i + 1]);',
     '  if ((i = ArgPos((char *)"-classes", argc, argv)) > 0) classes = atoi(argv[i + 1]);\n'
     '  if ((i = ArgPos((char *)"-seed", argc, argv)) > 0) seed = atoll(argv[i + 1]);'),
]
WORD_PAIRS = {"ws353": "wordsim353.tsv", "simlex": "simlex999.txt"}


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


def evaluate_child(*paths):
    """Google's analogies and word similarity on each vectors file; prints one JSON object, by
    path: the analogy score, the questions answered right and asked, the same two for the
    semantic sections (the first five) and the syntactic ones (gram*), and for each of
    WORD_PAIRS its Spearman and Pearson correlations and the percentage of its pairs left out
    (a word outside the vocabulary)."""
    from gensim.models import KeyedVectors
    from gensim.test.utils import datapath

    results = {}
    for path in paths:
        vectors = KeyedVectors.load_word2vec_format(path)
        score, sections = vectors.evaluate_word_analogies(
            datapath("questions-words.txt"), restrict_vocab=10000, case_insensitive=True)
        result = {"score": score}
        for part, chosen in (("total", sections[-1:]),
                             ("semantic", [s for s in sections[:-1]
                                           if not s["section"].startswith("gram")]),
                             ("syntactic", [s for s in sections[:-1]
                                            if s["section"].startswith("gram")])):
            correct = sum(len(s["correct"]) for s in chosen)
            result[part] = (correct, correct + sum(len(s["incorrect"]) for s in chosen))
        for name, file in WORD_PAIRS.items():
            pearson, spearman, oov = vectors.evaluate_word_pairs(datapath(file),
                                                                 case_insensitive=True)
            result[name] = {"spearman": spearman[0], "pearson": pearson[0], "oov": oov}
        results[path] = result
    print(json.dumps(results))


def run_child(*args, env=None):
    """This script in a child process, with the OpenBLAS variables unset (and `env` set); its
    JSON line."""
    env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_VARIABLES} | (env or {})
    out = subprocess.run([sys.executable, __file__, "--child", *map(str, args)], env=env,
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.splitlines()[-1])


def evaluate(paths):
    """evaluate_child's results for these files, on one OpenBLAS thread."""
    print(f"analogies and word similarity of {len(paths)} models ...", file=sys.stderr)
    results = run_child("evaluate", *paths, env={"OPENBLAS_NUM_THREADS": "1"})
    return {pathlib.Path(p): r for p, r in results.items()}


def run_ours(command, tmp, model, mode, threads, epochs=1, seed=0):
    """Ours: the default (the book's Adam on the batch's rows, the others replayed), or with
    `--dense` (the book's classes as written) or `--fast` (word2vec's SGD); the seconds of its
    `» ⏱` line and the path of its vectors in word2vec's text format."""
    tag = f"ours_{model}_{mode or 'default'}_{threads}_{epochs}_{seed}"
    vectors = tmp / f"{tag}.txt"
    out = subprocess.run(
        command + ["--model", model, "--epochs", str(epochs), "--seed", str(seed),
                   "--out", str(tmp / f"{tag}.pkl"), "--plot", str(tmp / f"{tag}.svg"),
                   "--word2vec", str(vectors)]
        + ([f"--{mode}"] if mode else [])
        # the default and --dense train on one thread, and refuse --threads
        + (["--threads", str(threads)] if mode == "fast" else []),
        cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    return float(re.search(r"» ⏱ \d+ イテレーションに ([\d.]+) s", out)[1]), vectors


def run_gensim(tmp, corpus, model, workers, shrink_windows=True, epochs=1, seed=1):
    """gensim_child's seconds and the path of its vectors (seed 1 is gensim's default)."""
    vectors = tmp / f"gensim_{model}_{workers}_{shrink_windows}_{epochs}_{seed}.txt"
    seconds = run_child("gensim", corpus, int(model == "skip_gram"), workers, shrink_windows,
                        epochs, seed, vectors)["seconds"]
    return seconds, vectors


def build_word2vec_c():
    """word2vec.c as the PyPI sdist ships it, with `-seed` added (WORD2VEC_SEED_PATCH), built by
    gcc into the cache once for this CPU (-march=native): (its path, None), or (None, why it
    could not be built)."""
    cpu = re.sub(r"[^A-Za-z0-9.-]+", "_", cpu_name())
    binary = WORD2VEC_BUILDS / cpu / "word2vec"
    if binary.exists():
        return binary, None
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        return None, "no gcc or cc on PATH to build it"
    print(f"word2vec.c: pip download {WORD2VEC_SDIST}, then build ...", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        download = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
             "--quiet", "--dest", tmp, WORD2VEC_SDIST], stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        sdists = list(pathlib.Path(tmp).glob("word2vec-*.tar.gz"))
        if download.returncode != 0 or not sdists:
            return None, (f"`pip download {WORD2VEC_SDIST}` failed: "
                          + (download.stdout.strip().splitlines() or ["no sdist"])[-1])
        with tarfile.open(sdists[0]) as sdist:
            member = next((m for m in sdist.getmembers()
                           if m.name.endswith("/" + WORD2VEC_SOURCE)), None)
            if member is None:
                return None, f"{sdists[0].name} has no {WORD2VEC_SOURCE}"
            source = sdist.extractfile(member).read().decode()
        for old, new in WORD2VEC_SEED_PATCH:
            if source.count(old) != 1:
                return None, f"{WORD2VEC_SOURCE} is not the one whose seed this script sets"
            source = source.replace(old, new)
        source_path = pathlib.Path(tmp) / "word2vec.c"
        source_path.write_text(source)
        binary.parent.mkdir(parents=True, exist_ok=True)
        building = binary.with_name(f"word2vec.{os.getpid()}")
        build = subprocess.run(
            [gcc, "-O3", "-march=native", "-funroll-loops", "-pthread", "-Wno-unused-result",
             str(source_path), "-o", str(building), "-lm"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if build.returncode != 0:
            return None, "gcc failed: " + (build.stdout.strip().splitlines() or ["?"])[-1]
        os.replace(building, binary)
    return binary, None


def find_fasttext():
    """The `fasttext` command on PATH and its Debian version where dpkg knows it: (path,
    version), or (None, why not)."""
    path = shutil.which("fasttext")
    if path is None:
        return None, "no `fasttext` on PATH (Debian's package fasttext brings it)"
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "fasttext"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True) if shutil.which("dpkg-query") else None
    return path, (version.stdout.strip() if version and version.returncode == 0 else "?")


def run_word2vec_c(binary, tmp, corpus, model, epochs=1, seed=0):
    """word2vec.c at its defaults (see the docstring) on 1 thread: the seconds of its training
    by its own last progress line (words/thread/sec, of its processor time), and the path of its
    vectors in its text format."""
    vectors = tmp / f"word2vec_c_{model}_{epochs}_{seed}.txt"
    out = subprocess.run(
        [str(binary), "-train", str(corpus), "-output", str(vectors),
         "-cbow", str(int(model == "cbow")), "-size", str(HIDDEN), "-window", str(WINDOW),
         "-negative", str(NEGATIVES), "-hs", "0", "-sample", "0", "-min-count", "1",
         "-threads", "1", "-iter", str(epochs), "-seed", str(seed), "-binary", "0"],
        check=True, stdout=subprocess.PIPE, text=True).stdout
    words = int(re.search(r"Words in train file: (\d+)", out)[1])
    rate = float(re.findall(r"Words/thread/sec: ([\d.]+)k", out)[-1]) * 1000
    return epochs * words / rate, vectors


def run_fasttext(binary, tmp, corpus, tokens, model, epochs=1, seed=0):
    """fastText at its defaults (see the docstring) on 1 thread, whole words only: the seconds
    of its training by its own last progress line (`tokens` an epoch over words/sec/thread, of
    its steady clock), and the path of its .vec file."""
    prefix = tmp / f"fasttext_{model}_{epochs}_{seed}"
    err = subprocess.run(
        [binary, {"cbow": "cbow", "skip_gram": "skipgram"}[model], "-input", str(corpus),
         "-output", str(prefix), "-dim", str(HIDDEN), "-ws", str(WINDOW),
         "-neg", str(NEGATIVES), "-minCount", "1", "-minn", "0", "-maxn", "0", "-t", "1",
         "-thread", "1", "-epoch", str(epochs), "-seed", str(seed), "-verbose", "2"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    rate = int(re.findall(r"words/sec/thread:\s*(\d+)", err)[-1])
    prefix.with_name(prefix.name + ".bin").unlink(missing_ok=True)  # the model, unused
    return epochs * tokens / rate, prefix.with_name(prefix.name + ".vec")


def peer_runner(kind, peers, tmp, corpus, tokens):
    """A function of (model, epochs=1, seed=the tool's default: gensim's 1, the others' 0) that
    trains the peer `kind` ("gensim", "word2vec.c" or "fasttext") on 1 thread or worker:
    (seconds, vectors)."""
    if kind == "gensim":
        return lambda model, epochs=1, seed=1: run_gensim(tmp, corpus, model, 1, True, epochs,
                                                          seed)
    if kind == "word2vec.c":
        return lambda model, epochs=1, seed=0: run_word2vec_c(peers[kind], tmp, corpus, model,
                                                              epochs, seed)
    return lambda model, epochs=1, seed=0: run_fasttext(peers[kind], tmp, corpus, tokens, model,
                                                        epochs, seed)


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


def timing(ours, book_dir, tmp, corpus, tokens, peers, repeats):
    """One epoch of each: {(model, name): seconds}, {(model, name): vectors}, the book's JSON
    (None without `book_dir`). Ours, gensim and the `peers` found ({kind: path}, see
    peer_runner) run `repeats` times, in rounds of every row (so that a slow moment of the
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
    for kind in peers:
        for model in MODELS:
            runs.append(((model, f"{PEER_NAMES[kind]}, 1 thread"), False,
                         lambda model=model, kind=kind:
                         peer_runner(kind, peers, tmp, corpus, tokens)(model)))
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
    book = run_child("book", book_dir, corpus) if book_dir else None
    for model, s in (book["seconds"] if book else {}).items():
        seconds[model, "book NumPy (extrapolated)"] = s
    order = list(MODELS)  # CBOW's rows, then skip-gram's

    def by_model(table):
        return dict(sorted(table.items(), key=lambda item: order.index(item[0][0])))
    return by_model(seconds), by_model(vectors), book


def print_timing(seconds, vectors, book):
    if book:
        print(f"book: numpy's OpenBLAS runs {book['kernel']}, {book['threads']} threads; an "
              f"epoch is {book['iterations']:,} batches of {BATCH}")
        print("book: " + ", ".join(f"{MODELS[m]} {timed} iterations timed after {warm_up}"
                                   for m, (warm_up, timed) in BOOK_ITERATIONS.items())
              + f", x {book['iterations']:,} / timed + one shuffle")
    else:
        print("book: left out (no BOOK_DIR, or --no-book)")
    print("ours: its » ⏱ line; gensim: model.train only, build_vocab excluded; word2vec.c and "
          "fastText: the epoch's tokens over the rate of their last progress line "
          "(word2vec.c's of processor time)")
    print("gensim shrinks its windows at random, as --fast does, but in the fixed windows row")
    print()
    short = [("Mikolov's word2vec.c", "word2vec.c, 1 thread"),
             ("fastText (subwords off)", "fastText, 1 thread"),
             ("gensim, 1 worker", "gensim, 1 worker"), ("ours `--fast`", "ours --fast, 1 thread"),
             ("ours, default (the book's Adam)", "ours, 1 thread")]
    markdown_table([("one epoch, 1 thread", "CBOW", "skip-gram")] +
                   [(label, *(f"{seconds[model, name]:.2f} s" if (model, name) in seconds
                              else "—" for model in MODELS))
                    for label, name in short])
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
    scores = evaluate(list(vectors.values()))
    print("Google analogies after 1 epoch (questions-words.txt, top 10,000, any case):")
    print()
    markdown_table([("model", "", "score", "correct", "answered")] +
                   [(name, MODELS[model], f"{scores[path]['score']:.1%}",
                     f"{scores[path]['total'][0]:,}", f"{scores[path]['total'][1]:,}")
                    for (model, name), path in vectors.items()], left=2)


def quality_plan(peers, slow):
    """The quality runs, (name, model, kind), by model: ours `--fast`, gensim, then each of
    `peers` found; then ours' default CBOW (and skip-gram when `slow`)."""
    plan = []
    for model in MODELS:
        plan += [row for row in QUALITY if row[1] == model and row[2] != "default"]
        plan += [row for row in PEER_QUALITY if row[1] == model and row[2] in peers]
    return plan + [row for row in QUALITY if row[2] == "default"] + (SLOW_QUALITY * slow)


def quality(ours, tmp, corpus, tokens, peers, seeds, epochs, plan):
    """Each of `plan` trained `epochs` epochs for each seed: {(name, model): [(seconds, vectors)
    for each seed]}."""
    runs = {}
    for name, model, kind in plan:
        for seed in range(seeds):
            print(f"quality: {name}, {MODELS[model]}, {plural(epochs, 'epoch')}, seed {seed} ...",
                  file=sys.stderr)
            if kind in PEER_NAMES:
                run = peer_runner(kind, peers, tmp, corpus, tokens)(model, epochs, seed)
            else:
                run = run_ours(ours, tmp, model, None if kind == "default" else kind, 1, epochs,
                               seed)
            runs.setdefault((name, model), []).append(run)
    return runs


def print_quality(runs, seeds, epochs):
    """The quality table, the word pairs each set kept, and the targets with their verdicts."""
    scores = evaluate([path for rs in runs.values() for _, path in rs])
    print(f"Google analogies and word similarity after {plural(epochs, 'epoch')}, over "
          f"{plural(seeds, 'seed')} ({', '.join(map(str, range(seeds)))}; questions-words.txt, "
          "top 10,000, any case).")
    print("Semantic: the first five sections, syntactic: gram*, each the mean over the seeds; "
          "WS353 and SimLex: Spearman's ρ on WordSim353 and SimLex-999, the mean (min–max) over "
          "the seeds; train s: the mean seconds of a run, on 1 thread or 1 worker:")
    print()
    rows = [("model", "", "mean", "min–max", "std", "per seed", "semantic", "syntactic",
             "answered", "WS353 ρ", "SimLex ρ", "train s")]
    # each (name, model)'s measures over the seeds: {"analogies" | "ws353" | "simlex": [...]}
    measured, kept = {}, {}
    for (name, model), rs in runs.items():
        results = [scores[path] for _, path in rs]
        score = [r["score"] for r in results]
        answered = sorted({r["total"][1] for r in results})
        measured[name, model] = {"analogies": score} | {
            pairs: [r[pairs]["spearman"] for r in results] for pairs in WORD_PAIRS}
        for pairs in WORD_PAIRS:
            kept.setdefault(pairs, set()).update(100 - r[pairs]["oov"] for r in results)

        def rho(values):
            return f"{statistics.mean(values):.3f} ({min(values):.3f}–{max(values):.3f})"
        rows.append((
            name, MODELS[model], f"{statistics.mean(score):.2%}",
            f"{min(score):.2%}–{max(score):.2%}",
            f"{statistics.stdev(score):.2%}" if len(score) > 1 else "—",
            ", ".join(f"{s:.2%}" for s in score),
            f"{statistics.mean(percent(r['semantic']) for r in results):.1%}",
            f"{statistics.mean(percent(r['syntactic']) for r in results):.1%}",
            "–".join(f"{a:,}" for a in answered),
            rho(measured[name, model]["ws353"]), rho(measured[name, model]["simlex"]),
            f"{statistics.mean(s for s, _ in rs):.1f}"))
    markdown_table(rows, left=2)
    print()
    tools = [tool for tool in ("ours --fast", "word2vec.c", "fastText", "gensim")
             if any(key[0] == tool for key in measured)]
    print("In short, each the mean ± std over the seeds:")
    print()

    def spread(values, form):
        std = statistics.stdev(values) if len(values) > 1 else 0.0
        return f"{form.format(statistics.mean(values))} ± {form.format(std)}"
    markdown_table([("model", "measure", *tools)] + [
        (MODELS[model], label, *(spread(measured[tool, model][measure], form)
                                 if (tool, model) in measured else "—" for tool in tools))
        for model in MODELS
        for measure, label, form in (("analogies", "analogies", "{:.2%}"),
                                     ("ws353", "WS353 ρ", "{:.3f}"),
                                     ("simlex", "SimLex ρ", "{:.3f}"))], left=2)
    print()
    print("word pairs kept (both words among the vectors'): " + ", ".join(
        f"{WORD_PAIRS[pairs]} {'–'.join(f'{k:.1f}%' for k in sorted(shares))}"
        for pairs, shares in kept.items()))
    print()
    means = {key: {m: statistics.mean(v) for m, v in ms.items()} for key, ms in measured.items()}
    for model in MODELS:
        fast, gensim = ("ours --fast", model), ("gensim", model)
        if fast not in means or gensim not in means:
            continue
        a, b = means[fast]["analogies"], means[gensim]["analogies"]
        low = {key: min(measured[key]["analogies"]) for key in (fast, gensim)}
        high = {key: max(measured[key]["analogies"]) for key in (fast, gensim)}
        overlap = low[fast] <= high[gensim] and low[gensim] <= high[fast]
        spread = f"; the seeds' ranges {'overlap' if overlap else 'do not overlap'}" * (seeds > 1)
        print(f"quality target, {MODELS[model]}: --fast mean ≥ gensim mean: {a:.2%} against "
              f"{b:.2%}, {'met' if a >= b else 'not met'} ({(a - b) * 100:+.2f} points{spread})")
    for model in MODELS:
        fast = ("ours --fast", model)
        peers = [key for key in means if key[1] == model and key[0] in PEER_NAMES.values()]
        if fast not in means or not peers:
            continue
        verdicts = []
        for measure, label, form in (("analogies", "analogies", "{:.2%}"),
                                     ("ws353", "WS353 ρ", "{:.3f}"),
                                     ("simlex", "SimLex ρ", "{:.3f}")):
            best = max(peers, key=lambda key: means[key][measure])
            ours_mean, best_mean = means[fast][measure], means[best][measure]
            verdicts.append(f"{label} {form.format(ours_mean)} against {best[0]}'s "
                            f"{form.format(best_mean)}, "
                            f"{'met' if ours_mean >= best_mean else 'not met'}")
        print(f"quality target, {MODELS[model]}: --fast mean ≥ the best peer's mean: "
              + "; ".join(verdicts))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("book_dir", metavar="BOOK_DIR", nargs="?",
                        help="a checkout of the book's repository, for its timing rows")
    parser.add_argument("--no-book", action="store_true",
                        help="leave out the book's rows (as when BOOK_DIR is not given)")
    parser.add_argument("--ours", metavar="PATH", help="a prebuilt ch4_3_2 binary")
    parser.add_argument("--seeds", type=int, default=3, metavar="N",
                        help="seeds of the quality runs, 0 to N - 1 (default 3)")
    parser.add_argument("--quality-epochs", type=int, default=10, metavar="N",
                        help="epochs of the quality runs (default 10)")
    parser.add_argument("--slow-quality", action="store_true",
                        help="also ours' default skip-gram in the quality runs (3 min a seed)")
    parser.add_argument("--repeats", type=int, default=3, metavar="N",
                        help="runs of each timed row of ours and the peers, the median kept "
                             "(default 3; the book and --dense run once)")
    parser.add_argument("--no-timing", action="store_true", help="only the quality runs")
    parser.add_argument("--no-quality", action="store_true", help="only the timing")
    args = parser.parse_args()
    if args.no_timing and args.no_quality:
        parser.error("--no-timing and --no-quality leave nothing to run")
    if args.seeds < 1 or args.quality_epochs < 1 or args.repeats < 1:
        parser.error("--seeds, --quality-epochs and --repeats must be at least 1")
    if args.book_dir and args.no_book:
        parser.error("BOOK_DIR and --no-book: give one or the other")
    if args.book_dir and not pathlib.Path(args.book_dir, "ch04", "cbow.py").is_file():
        parser.error(f"BOOK_DIR {args.book_dir} has no ch04/cbow.py: not the book's repository")
    if not args.book_dir and not args.no_timing:
        print("the book's rows are left out: no BOOK_DIR"
              + ("" if args.no_book else " (pass one, or --no-book to say so)"), file=sys.stderr)
    ours = [args.ours] if args.ours else ["cargo", "run", "--release", "-q", "--example",
                                          "ch4_3_2", "--"]

    import gensim
    import numpy

    kernel_here, _ = openblas_kernel()
    peers, found = {}, []  # {kind: path}, and a line on each of word2vec.c and fastText
    for kind, (binary, said) in (("word2vec.c", build_word2vec_c()),
                                 ("fasttext", find_fasttext())):
        where = (f"{WORD2VEC_SDIST}'s, built at {binary}" if kind == "word2vec.c"
                 else f"{binary} (Debian's fasttext {said})")
        if binary:
            peers[kind] = binary
        found.append(f"{PEER_NAMES[kind]}: " + (where if binary else f"left out, {said}"))
    for line in found:
        print(line, file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        corpus = tmp / "sotu.train.txt"
        with gzip.open(CORPUS_GZ, "rb") as src, open(corpus, "wb") as dst:
            shutil.copyfileobj(src, dst)
        with open(corpus) as f:  # as the book and ours read it: <eos> at each line's end
            words = f.read().replace("\n", " <eos> ").split()

        if not args.no_timing:
            seconds, vectors, book = timing(ours, args.book_dir, tmp, corpus, len(words), peers,
                                            args.repeats)
        if not args.no_quality:
            runs = quality(ours, tmp, corpus, len(words), peers, args.seeds,
                           args.quality_epochs, quality_plan(peers, args.slow_quality))

        print(f"{cpu_name()}; numpy {numpy.__version__}, gensim {gensim.__version__}")
        set_here = [f"{v}={os.environ[v]}" for v in OPENBLAS_VARIABLES if v in os.environ]
        if set_here:
            print(f"set here: {' '.join(set_here)}; numpy runs {kernel_here} with them; the book "
                  "and gensim run with both unset")
        else:
            print(f"numpy's OpenBLAS runs {kernel_here} here; "
                  "OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE not set")
        for line in found:
            print(line)
        print(f"corpus: {len(words):,} tokens, vocab {len(set(words)):,}")
        if not args.no_timing:
            print(f"ours (but --dense), gensim, word2vec.c and fastText: the median of "
                  f"{plural(args.repeats, 'run')}, in rounds")
            print_timing(seconds, vectors, book)
        if not args.no_quality:
            if not args.no_timing:
                print()
            print_quality(runs, args.seeds, args.quality_epochs)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        {"book": book_child, "gensim": gensim_child,
         "evaluate": evaluate_child}[sys.argv[2]](*sys.argv[3:])
    else:
        main()
