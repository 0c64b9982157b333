"""A scan killed half-way loses nothing, and `--resume` reads nothing twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from fakegithub import FakeGitHub
from scanhelpers import TOKEN, add_group_repo
from test_scan_github import QUESTIONS, group_file, rows, run_scan

ROOT = Path(__file__).resolve().parents[2]


def test_resume_after_a_killed_run(fake: FakeGitHub, tmp_path: Path) -> None:
    fake.latency = 0.05
    names = [f"dtu/team-{n}" for n in range(1, 13)]
    for number, name in enumerate(names, start=1):
        add_group_repo(fake, name, number, after=1)
    groups = group_file(tmp_path, [(n, name, ()) for n, name in enumerate(names, start=1)])
    out = tmp_path / "out"
    command = [sys.executable, "-m", "checker", "scan", str(groups), "--api-url", fake.url, "--out", str(out)]
    command += ["--set", QUESTIONS, "--rate", "0", "--jobs", "2", "--deadline", "2031-01-24T12:00Z"]
    command += ["--api", "rest"]
    env = {**os.environ, "GITHUB_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results = out / "results.jsonl"
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        if results.exists() and results.read_text(encoding="utf-8").count("\n") >= 4:
            break
        time.sleep(0.01)
    process.kill()  # SIGKILL: no cleanup of any kind
    stdout, stderr = process.communicate(timeout=30)
    assert TOKEN.encode() not in stdout + stderr
    first = rows(out)
    assert 4 <= len(first) < len(names), "the run was to be killed half-way"
    first_log = list(fake.log)

    fake.reset_counts()
    resumed = run_scan(fake, out, str(groups), "--resume", "--jobs", "2", "--deadline", "2031-01-24T12:00Z")
    assert resumed.exit_code == 0, resumed.output
    final = rows(out)
    assert sorted(final) == sorted(names)
    assert {row["status"] for row in final.values()} == {"ok"}
    for repo, row in first.items():  # nothing lost: the killed run's rows are kept as they were
        assert final[repo] == row
    assert not set(first) & set(fake.counts), "--resume read a repository the killed run had finished"
    both = Counter((repo, kind) for repo, kind, _ in first_log + fake.log)
    for repo in names:  # nothing read twice: each tree and report once over both runs
        assert (both[(repo, "tree")], both[(repo, "blob")]) == (1, 1), repo
    assert resumed.stdout.splitlines()[-1] == "12 ready, 0 not passed, 0 unreachable"
