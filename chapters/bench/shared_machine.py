"""How ch4_3_2's training degrades when it shares the machine: alone against two runs at once,
and, two runs at once, --fast's --threads 2 against --threads 1, in one run of this script.

    cargo build --release --examples
    python3 chapters/bench/shared_machine.py [--ours target/release/examples/ch4_3_2] [--runs 5]

Each case trains --max-iters ITERS (default 300) on the shipped corpus, the files into a
temporary folder; its time is the `» ⏱` line's (Trainer.fit). Cases alternate, run after run, so
that a drift of the machine's speed falls on all of them alike; the medians are printed with
their ratios. The targets (issue 16): two runs at once each within 2.5 times their time alone,
and two runs of --fast --threads 2 at once (four threads on this 2-core machine) within 1.5 times
two of --threads 1: the second thread, which draws the next batch, must give the processor back
when the machine is full (--threads takes 1 or 2, and is cut to the processors, with a note).
Python's standard library only.
"""
import argparse
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
TIMING = re.compile(r"» ⏱ (\d+) イテレーションに ([0-9.]+) s")


def start(ours, mode, threads, iters, folder, n):
    args = [ours, "--max-iters", str(iters), "--out", f"{folder}/p{n}.pkl", "--plot", f"{folder}/l{n}.svg"]
    args += mode
    if threads:
        args += ["--threads", str(threads)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def seconds(process):
    out, _ = process.communicate()
    match = TIMING.search(out)
    if process.returncode != 0 or not match:
        sys.exit(f"shared_machine.py: a run failed ({process.returncode}):\n{out}")
    return float(match.group(2))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ours", default=str(ROOT / "target/release/examples/ch4_3_2"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--iters", type=int, default=300)
    a = parser.parse_args()
    modes = [("default", [], None), ("--dense", ["--dense"], None), ("--fast", ["--fast"], 2)]
    times = {}
    with tempfile.TemporaryDirectory() as folder:
        for run in range(a.runs):
            print(f"run {run + 1} of {a.runs}", file=sys.stderr)
            for name, mode, threads in modes:
                alone = seconds(start(a.ours, mode, threads, a.iters, folder, 0))
                pair = [start(a.ours, mode, threads, a.iters, folder, n) for n in (1, 2)]
                both = max(seconds(p) for p in pair)
                times.setdefault((name, "alone"), []).append(alone)
                times.setdefault((name, "beside another"), []).append(both)
            for threads in (1, 2):
                key = ("--fast", f"--threads {threads}")
                pair = [start(a.ours, ["--fast"], threads, a.iters, folder, n) for n in (1, 2)]
                times.setdefault(key, []).append(max(seconds(p) for p in pair))
    median = {key: statistics.median(value) for key, value in times.items()}
    print(f"{os.cpu_count()} processors; {a.runs} runs of {a.iters} iterations; medians of Trainer.fit's seconds")
    print()
    print("| mode | alone | two at once (the slower) | ratio | target |")
    print("|---|---|---|---|---|")
    for name, _, _ in modes:
        alone, both = median[(name, "alone")], median[(name, "beside another")]
        print(f"| {name} | {alone:.2f} | {both:.2f} | {both / alone:.2f} | at most 2.5 |")
    one, two = median[("--fast", "--threads 1")], median[("--fast", "--threads 2")]
    print(f"| two at once: --fast --threads 2 against --threads 1 | {one:.2f} | {two:.2f} | {two / one:.2f} | at most 1.5 |")


if __name__ == "__main__":
    main()
