"""Times the book's own NumPy layers on the sizes of chapters/bench/section_4_2.rs.

    python3 chapters/bench/book_numpy.py BOOK_DIR

BOOK_DIR is a checkout of the book's repository (oreilly-japan/deep-learning-from-scratch-2);
nothing of it is part of this project. Prints one JSON object: for each benchmark id of
section_4_2.rs that has a counterpart in the book, the best of several runs, in seconds.
Float32 as the book trains; batch 100, hidden 100, 5 negatives; forward + backward per call.
"""
import json
import sys
import time

import numpy as np

BATCH_SIZE, HIDDEN_SIZE, SAMPLE_SIZE = 100, 100, 5
VOCAB_SIZES = [10_000, 100_000, 1_000_000]


def best_time(call, budget=2.0, at_least=3):
    """The fastest of repeated calls: at least `at_least`, more while under `budget` seconds."""
    times, spent = [], 0.0
    while len(times) < at_least or spent < budget:
        start = time.perf_counter()
        call()
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        spent += elapsed
        if len(times) >= 1000:
            break
    return min(times)


def main(book_dir):
    sys.path.insert(0, book_dir)
    from common.layers import MatMul, SoftmaxWithLoss
    from ch04.negative_sampling_layer import EmbeddingDot, NegativeSamplingLoss, UnigramSampler

    rng = np.random.default_rng(0)
    h = rng.standard_normal((BATCH_SIZE, HIDDEN_SIZE)).astype("f")
    ds = rng.standard_normal(BATCH_SIZE).astype("f")
    results = {}
    for vocab_size in VOCAB_SIZES:
        target = np.array([i * 7919 % vocab_size for i in range(BATCH_SIZE)])
        # every id once, every seventh once more, as corpus_of in section_4_2.rs
        corpus = np.concatenate([np.arange(vocab_size), np.arange(0, vocab_size, 7)])
        W = (0.01 * rng.standard_normal((vocab_size, HIDDEN_SIZE))).astype("f")

        layer = EmbeddingDot(W)

        def embedding_dot():
            layer.forward(h, target)
            layer.backward(ds)

        results[f"embedding_dot/{vocab_size}"] = best_time(embedding_dot)

        loss_layer = NegativeSamplingLoss(W, corpus, power=0.75, sample_size=SAMPLE_SIZE)

        def negative_sampling():
            loss_layer.forward(h, target)
            loss_layer.backward()

        results[f"negative_sampling/{vocab_size}"] = best_time(negative_sampling)

        sampler = UnigramSampler(corpus, 0.75, SAMPLE_SIZE)
        results[f"sampler/{vocab_size}"] = best_time(lambda: sampler.get_negative_sample(target))
        del layer, loss_layer

        matmul = MatMul(np.ascontiguousarray(W.T))
        softmax_with_loss = SoftmaxWithLoss()

        def full_output_layer():
            score = matmul.forward(h)
            softmax_with_loss.forward(score, target)
            matmul.backward(softmax_with_loss.backward())

        results[f"full_output_layer/{vocab_size}"] = best_time(full_output_layer)
        del matmul, softmax_with_loss, W
        print(f"book NumPy: V = {vocab_size} done", file=sys.stderr)
    print(json.dumps(results))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 chapters/bench/book_numpy.py BOOK_DIR")
    main(sys.argv[1])
