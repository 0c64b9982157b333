"""Benchmark the checklist's evidence on `check`: what listing a repository and judging its items costs.

Prints CPU seconds (this process and its children, so `git ls-files` counts) of a cold `check_path` in a fresh
process, with and without the evidence (the fastest run of each), and the evidence's own parts measured inside
the process (medians: a shared machine makes whole runs vary by more than the evidence costs), on repositories
laid out from two corpus trees (files empty, committed to git); then the pure engine on the corpus's largest
tree (75,000 files). Not a test; run by hand: `python bench/evidence_bench.py [--runs 9]`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
TYPICAL = "luyentru__MLOps"  # 79 files, the corpus's median
LARGE = "lelegod__dtu_mlops_group99"  # 1,359 files
LARGEST = "afaal__MLOPS_group3"

COLD = """
import resource, sys, time
start = time.process_time()
import checker
from checker import check_path, evidence, files
from checker import engine
spent = {"listing": 0.0, "gather": 0.0, "assess": 0.0}

def timed(name, function):
    def wrapper(*args, **kwargs):
        began = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - began
    return wrapper

if sys.argv[2] == "off":
    files.GitFiles.listing = lambda self: None  # the same check without evidence
else:
    files.GitFiles.listing = timed("listing", files.GitFiles.listing)
    evidence.gather = timed("gather", evidence.gather)
    engine.assess = timed("assess", engine.assess)
check_path(sys.argv[1])
child = resource.getrusage(resource.RUSAGE_CHILDREN)
total = time.process_time() - start + child.ru_utime + child.ru_stime
print(total, spent["listing"] + child.ru_utime + child.ru_stime, spent["gather"], spent["assess"], len(sys.modules))
"""

ENGINE = """
import sys, time
from pathlib import Path
from checker import evidence
from checker.parse import parse
from checker.questions import detect
from checker.source import decode_report
folder = Path(sys.argv[1])
report = parse(decode_report((folder / "README.md").read_bytes(), "x").text)
rules = detect(report).question_set.evidence
tree = tuple((folder / "tree.txt").read_text(encoding="utf-8").splitlines())
start = time.process_time()
wanted = evidence.wanted_files(rules, tree, 2)
items = evidence.assess(rules, report.checklist, evidence.RepoSample(tree, {}, True))
print(time.process_time() - start, len(tree), wanted)
"""


def lay_out(work: Path, name: str) -> Path:
    """Make a git repository with a corpus tree's files (empty) and its report."""
    root = work / name
    for line in (CORPUS / name / "tree.txt").read_text(encoding="utf-8").splitlines():
        target = root / line
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("x\n", encoding="utf-8")
        except OSError:
            continue
    (root / "reports").mkdir(exist_ok=True)
    (root / "reports" / "README.md").write_bytes((CORPUS / name / "README.md").read_bytes())
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    env_python = [sys.executable, "-c"]
    with tempfile.TemporaryDirectory() as temp:
        for name in (TYPICAL, LARGE):
            root = lay_out(Path(temp), name)
            files = len((CORPUS / name / "tree.txt").read_text(encoding="utf-8").splitlines())
            for mode in ("off", "on"):
                rows = []
                for _ in range(args.runs):
                    out = subprocess.run([*env_python, COLD, str(root), mode], capture_output=True, text=True,
                                         check=True, cwd=ROOT).stdout.split()
                    rows.append([float(value) for value in out])
                total = min(row[0] for row in rows)
                parts = [statistics.median(row[i] for row in rows) for i in (1, 2, 3)]
                line = f"cold check of {name} ({files:,} files, git), evidence {mode}: {total:.3f} s CPU (fastest " \
                       f"of {args.runs}), {int(rows[0][4])} modules"
                if mode == "on":
                    line += (f"; evidence {sum(parts) * 1000:.1f} ms (median): listing with git {parts[0] * 1000:.1f}, "
                             f"small files {parts[1] * 1000:.1f}, items {parts[2] * 1000:.1f}")
                print(line, flush=True)
    out = subprocess.run([*env_python, ENGINE, str(CORPUS / LARGEST)], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.split(maxsplit=2)
    print(f"engine on {LARGEST} ({out[1]} files, cold regexes): {float(out[0]):.3f} s CPU, wants {out[2]}")


if __name__ == "__main__":
    main()
