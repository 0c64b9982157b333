"""Benchmark `reportcheck scan` against the fake GitHub: 300 repositories, 50 ms per request (not a test).

Run: python bench/scan_bench.py [--repos 300] [--latency 0.05] [--jobs 1 8] [--api rest graphql] [--rate 0]
     [--no-evidence]
Prints, for each API and --jobs, cold (empty cache) and warm (cache filled) runs: wall time, requests, and the
request target beside each: REST <= 4 + 2 requests per repository cold (the two small files of the checklist's
evidence); batched (GraphQL) <= 20 requests cold for 300 repositories and <= 1 request per 25 unchanged
repositories warm. Each repository has a checklist and a project's files (a requirements file, a workflow,
...), so the scan reads two small files of each (batched: at their fixed places, in the query that lists the
tree, so 9 requests as without them); `--no-evidence` scans repositories without them, as before.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "scan")]

from fakegithub import FakeGitHub  # noqa: E402
from scanhelpers import DATA, TOKEN, add_group_repo  # noqa: E402

from checker.questions import load_file  # noqa: E402
from checker.scan.cli import parse_deadline, run_scan  # noqa: E402
from checker.scan.settings import Api, Checking, Connection, Outputs, Running, ScanJob, Selection  # noqa: E402
from checker.scan.snapshot import Plan  # noqa: E402

COURSE = load_file(DATA / "scan-course.toml")


def scan_once(fake: FakeGitHub, groups: Path, out: Path, jobs: int, rate: float, api: Api) -> tuple[float, int]:
    """Run one scan; return its wall time and the number of requests it sent (REST and GraphQL)."""
    fake.reset_counts()
    job = ScanJob(
        selection=Selection(groups_file=groups),
        plan=Plan(deadline=parse_deadline("2031-01-24T12:00Z"), evidence=COURSE.evidence),
        connection=Connection(token=TOKEN, api_url=fake.url, api=api, rate=rate, timeout=30, retries=2),
        running=Running(jobs=jobs, max_wait=60),
        outputs=Outputs(out=out),
        checking=Checking(question_set=COURSE),
    )
    sink = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = run_scan(job)
    elapsed = time.perf_counter() - start
    if code != 0:
        print(sink.getvalue()[-2000:])
    return elapsed, fake.total()


def target(api: str, run: str, repos: int, requests: int) -> tuple[str, bool]:
    """Return the request target of one run and whether it is met."""
    if api == "rest":
        limit = 4 + 2 if run == "cold" else 1
        return f"<= {'4 + 2' if run == 'cold' else limit} per repository", requests <= limit * repos
    if run == "cold":
        return "<= 20 requests", requests <= 20
    return f"<= 1 per 25 repositories ({repos / 25:g})", requests <= repos / 25


def measure(repos: int, latency: float, jobs: list[int], apis: list[Api], rate: float,
            evidence: bool = True) -> list[dict[str, Any]]:
    """Scan `repos` fake repositories cold then warm with each API and --jobs; return one dict per run.

    `evidence`: the repositories have a checklist and small files to read for it.
    """
    fake = FakeGitHub(latency=latency).start()
    results: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            lines = ["group nb,student 1,student 2,student 3,student 4,student 5,github_repo"]
            for number in range(1, repos + 1):
                add_group_repo(fake, f"bench/team-{number}", number, after=number % 3, project=evidence)
                lines.append(f"{number},s200001,s200002,,,,https://github.com/bench/team-{number}")
            groups = tmp / "groups.csv"
            groups.write_text("\n".join(lines) + "\n", encoding="utf-8")
            for api in apis:
                for count in jobs:
                    out = tmp / f"out-{api}-{count}"
                    for run in ("cold", "warm"):
                        elapsed, requests = scan_once(fake, groups, out, count, rate, api)
                        goal, met = target(api, run, repos, requests)
                        results.append(
                            {"api": api, "jobs": count, "run": run, "repos": repos, "latency_s": latency,
                             "evidence": evidence, "wall_s": elapsed, "requests": requests, "target": goal, "met": met}
                        )
    finally:
        fake.stop()
    return results


def table(results: list[dict[str, Any]]) -> str:
    """Format the runs as a table with each target beside its measurement."""
    header = f"{'api':<8}{'jobs':>4}  {'run':<5} {'wall s':>7} {'requests':>8} {'req/repo':>8} {'reports/s':>9}"
    lines = [header + "  target"]
    for r in results:
        api = "batched" if r["api"] == "graphql" else "REST"
        lines.append(
            f"{api:<8}{r['jobs']:>4}  {r['run']:<5} {r['wall_s']:>7.1f} {r['requests']:>8} "
            f"{r['requests'] / r['repos']:>8.2f} {r['repos'] / r['wall_s']:>9.1f}  {r['target']}: "
            + ("met" if r["met"] else "NOT met")
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repos", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--api", nargs="+", choices=["rest", "graphql"], default=["rest", "graphql"])
    parser.add_argument("--rate", type=float, default=0.0, help="--rate of the scan (0: no spacing)")
    parser.add_argument("--json", type=Path, help="also write the runs to this file")
    parser.add_argument("--no-evidence", action="store_true",
                        help="repositories without a checklist or small files to read for it")
    args = parser.parse_args()
    print(f"{args.repos} repositories, {args.latency * 1000:.0f} ms per request, --rate {args.rate:g}")
    results = measure(args.repos, args.latency, args.jobs, args.api, args.rate, evidence=not args.no_evidence)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
