"""Benchmark `reportcheck similar`: 1,000 reports of this year against 2,000 of earlier years.

Writes synthetic reports (31 questions this year, 27 before; answers of 8 made-up sentences of a 1,000-word
vocabulary, so every question's answers are about 120 words and share runs of three words only by chance), plants
ten copies, runs the command in a fresh process with `--jobs 2` and prints its wall time and peak memory (the
process and its workers) beside the targets: under 30 s on two cores, under 1 GB. Not a test; run by hand:
`python bench/similar_bench.py [--current 1000] [--prior 2000]`.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 30.0
TARGET_MB = 1024


def _vocabulary(rng: random.Random, size: int = 1000) -> list[str]:
    """Return made-up words: pronounceable, so tokens look like text."""
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "de", "po", "ga", "bu", "fi", "ze", "ho"]
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def _answer(rng: random.Random, words: list[str]) -> str:
    # Zipf-like: a few words are frequent, as in text, so chance runs of three are common enough to matter.
    weights = [1 / (rank + 1) for rank in range(len(words))]
    sentences = [" ".join(rng.choices(words, weights, k=rng.randint(12, 18))).capitalize() + "." for _ in range(8)]
    return " ".join(sentences)


def _report(answers: dict[int, str], questions: int, group: int) -> str:
    lines = ["# Synthetic report", ""]
    for number in range(1, questions + 1):
        text = str(group) if number == 1 else answers[number]
        lines += [f"### Question {number}", "", f"> **Synthetic prompt number {number}?**", ">", "> Answer:", "",
                  text, ""]
    return "\n".join(lines)


def write(folder: Path, current: int, prior: int) -> None:
    """Write the synthetic reports, with ten copies planted from earlier years and between groups."""
    rng = random.Random(2026)
    words = _vocabulary(rng)
    old = []
    for index in range(prior):
        answers = {n: _answer(rng, words) for n in range(2, 28)}
        old.append(answers)
        path = folder / "prior" / f"old{index:04d}" / "reports" / "README.md"
        path.parent.mkdir(parents=True)
        path.write_text(_report(answers, 27, 1000 + index), encoding="utf-8")
    for index in range(current):
        answers = {n: _answer(rng, words) for n in range(2, 32)}
        if index < 10:
            answers[24] = old[index][22]  # a prior year's question 22 is this year's 24
        path = folder / "current" / f"group{index:04d}" / "reports" / "README.md"
        path.parent.mkdir(parents=True)
        path.write_text(_report(answers, 31, index + 1), encoding="utf-8")


RUN = """
import resource, sys, time
from checker.cli import run
began = time.perf_counter()
code = run(sys.argv[1:])
spent = time.perf_counter() - began
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(code, spent, own, children, file=sys.stderr)
"""


def main() -> None:
    """Write the reports, run the command once, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--current", type=int, default=1000)
    parser.add_argument("--prior", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        write(folder, args.current, args.prior)
        print(f"wrote {args.current} + {args.prior} reports in {time.perf_counter() - began:.1f} s")
        out = folder / "pairs.json"
        done = subprocess.run([sys.executable, "-c", RUN, "similar", str(folder / "current"), "--prior",
                               str(folder / "prior"), "--format", "json", "-o", str(out), "--jobs", "2"],
                              capture_output=True, text=True, check=False, cwd=ROOT)
        code, spent, own, children = done.stderr.strip().splitlines()[-1].split()
        pairs = json.loads(out.read_text())["pairs"] if out.exists() else []
        planted = sum(1 for p in pairs if p["question"] == 24 and p["b"]["prior"] and p["score"] == 1.0)
        peak = max(int(own), int(children)) / 1024
        print(f"exit {code}; {len(pairs)} pairs, {planted} of 10 planted copies found at score 1.0")
        print(f"time  {float(spent):6.1f} s   (target < {TARGET_SECONDS:.0f} s on two cores)")
        print(f"peak  {peak:6.0f} MB  (largest single process: main {int(own) / 1024:.0f} MB, "
              f"a worker {int(children) / 1024:.0f} MB; target < {TARGET_MB} MB)")


if __name__ == "__main__":
    main()
