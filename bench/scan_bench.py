"""Benchmark `reportcheck scan` against the fake GitHub: 300 repositories, 50 ms per request (not a test).

Run: python bench/scan_bench.py [--repos 300] [--latency 0.05] [--jobs 1 8] [--rate 0]
Prints wall time, requests and reports per second for each --jobs, cold (empty cache) and warm (cache filled).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "scan")]

from fakegithub import FakeGitHub  # noqa: E402
from scanhelpers import DATA, TOKEN, add_group_repo  # noqa: E402

from checker.scan.cli import run_scan  # noqa: E402


def scan_once(fake: FakeGitHub, groups: Path, out: Path, jobs: int, rate: float) -> tuple[float, int]:
    """Run one scan; return its wall time and the number of requests it sent."""
    fake.reset_counts()
    options: dict[str, object] = {
        "groups_file": groups,
        "org": None,
        "match": ".",
        "local": None,
        "out": out,
        "deadline": "2031-01-24T12:00Z",
        "heads_file": None,
        "record_heads": None,
        "push_times": False,
        "branch": None,
        "token_env": None,
        "api_url": fake.url,
        "jobs": jobs,
        "rate": rate,
        "timeout": 30,
        "retries": 2,
        "max_wait": "1m",
        "no_wait": False,
        "resume": False,
        "no_cache": False,
        "feedback": False,
        "template": None,
        "questions_file": DATA / "scan-course.toml",
        "strict": False,
    }
    sink = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = run_scan(**options)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    if code != 0:
        print(sink.getvalue()[-2000:])
    return elapsed, sum(fake.counts.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repos", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--rate", type=float, default=0.0, help="--rate of the scan (0: no spacing)")
    args = parser.parse_args()

    import os

    os.environ["GITHUB_TOKEN"] = TOKEN
    fake = FakeGitHub(latency=args.latency).start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            lines = ["group nb,student 1,student 2,student 3,student 4,student 5,github_repo"]
            for number in range(1, args.repos + 1):
                add_group_repo(fake, f"bench/team-{number}", number, after=number % 3)
                lines.append(f"{number},s200001,s200002,,,,https://github.com/bench/team-{number}")
            groups = tmp / "groups.csv"
            groups.write_text("\n".join(lines) + "\n", encoding="utf-8")
            print(f"{args.repos} repositories, {args.latency * 1000:.0f} ms per request, --rate {args.rate:g}")
            print(f"{'jobs':>4}  {'run':<5} {'wall s':>7} {'requests':>8} {'req/repo':>8} {'reports/s':>9}")
            for jobs in args.jobs:
                out = tmp / f"out-{jobs}"
                for run in ("cold", "warm"):
                    elapsed, requests = scan_once(fake, groups, out, jobs, args.rate)
                    print(
                        f"{jobs:>4}  {run:<5} {elapsed:>7.1f} {requests:>8} {requests / args.repos:>8.2f} "
                        f"{args.repos / elapsed:>9.1f}"
                    )
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
