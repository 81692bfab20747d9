"""Runs our benchmarks and the book's NumPy layers in one go and prints one table of ratios.

    python3 chapters/bench/compare.py BOOK_DIR [--skip-cargo]

BOOK_DIR is a checkout of the book's repository; see book_numpy.py. The Rust side is
`cargo bench -p zerotsuku2-bench --bench section_4_2` (criterion's medians, read from target/criterion); the
NumPy side runs right after it in a child process, with OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE unset (some machines set them to work around old OpenBLAS bugs; they slow
a current numpy). `--skip-cargo` reuses the last `cargo bench` results.
"""
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
VOCAB_SIZES = [10_000, 100_000, 1_000_000]


def criterion_seconds(group, function, vocab_size):
    path = ROOT / "target" / "criterion" / group / function / str(vocab_size) / "new" / "estimates.json"
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"] / 1e9


def show(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def main():
    args = [a for a in sys.argv[1:] if a != "--skip-cargo"]
    if len(args) != 1:
        sys.exit("usage: python3 chapters/bench/compare.py BOOK_DIR [--skip-cargo]")
    book_dir = args[0]
    if "--skip-cargo" not in sys.argv:
        subprocess.run(["cargo", "bench", "-p", "zerotsuku2-bench", "--bench", "section_4_2"], cwd=ROOT, check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    book = json.loads(subprocess.run(
        [sys.executable, str(ROOT / "chapters" / "bench" / "book_numpy.py"), book_dir],
        env=env, check=True, capture_output=True, text=True).stdout)

    rows = [("per forward + backward", "V", "book NumPy f32", "ours faithful f64", "ours fast f32",
             "book / fast")]
    for layer in ["embedding_dot", "negative_sampling"]:
        for v in VOCAB_SIZES:
            b = book[f"{layer}/{v}"]
            faithful = criterion_seconds(layer, "faithful_f64", v)
            fast = criterion_seconds(layer, "fast_f32", v)
            rows.append((layer, f"{v:,}", show(b), show(faithful), show(fast), f"{b / fast:,.0f}×"))
    for v in VOCAB_SIZES:
        b = book[f"sampler/{v}"]
        fast = criterion_seconds("sampler", "alias_100x5", v)
        rows.append(("sampler (100 × 5)", f"{v:,}", show(b), "—", show(fast), f"{b / fast:,.0f}×"))
    for v in VOCAB_SIZES:
        b = book[f"full_output_layer/{v}"]
        ours = criterion_seconds("full_output_layer", "softmax_f32", v)
        matmuls = criterion_seconds("full_output_layer", "matmuls_only_f32", v)
        rows.append(("full output layer", f"{v:,}", show(b), "—",
                     f"{show(ours)} (matmuls {show(matmuls)}: {ours / matmuls:.2f}×)", f"{b / ours:.2f}×"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for k, r in enumerate(rows):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


if __name__ == "__main__":
    main()
