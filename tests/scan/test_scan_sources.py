"""REST, GraphQL and local clones read the same repositories into the same rows."""

from __future__ import annotations

import os
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakegithub import FakeGitHub, FakeRepo
from scanhelpers import DEADLINE, FIGURE, TOKEN, add_group_repo, add_project_repo, report
from test_scan_github import QUESTIONS, group_file, rows

from checker.cli import main

STUDENTS = ("s200001", "s200002")
HOW = {"requests", "cached", "scanned_at"}  # how a row was read, not what was found


def git(path: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, check=True,
                          env={**os.environ, **(env or {})})
    return done.stdout.strip()


def clone_of(repo: FakeRepo, path: Path) -> dict[str, str]:
    """Make a git repository at `path` with the fake repository's history; return its shas -> the fake's."""
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    shas: dict[str, str] = {}
    for commit in repo.commits:
        for old in [p for p in path.rglob("*") if p.is_file() and ".git" not in p.parts]:
            old.unlink()
        for name, data in commit.files.items():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            (path / name).write_bytes(data)
        when = commit.date.isoformat()
        person = {"GIT_AUTHOR_NAME": "Student", "GIT_AUTHOR_EMAIL": "s@example.com", "GIT_AUTHOR_DATE": when,
                  "GIT_COMMITTER_NAME": "Student", "GIT_COMMITTER_EMAIL": "s@example.com", "GIT_COMMITTER_DATE": when}
        git(path, "add", "-A")
        git(path, "commit", "-q", "--allow-empty", "-m", commit.message, env=person)
        shas[git(path, "rev-parse", "HEAD")] = commit.sha
    return shas


def repositories(fake: FakeGitHub) -> list[str]:
    """Add repositories that take the paths the three sources share; return their names."""
    for number in range(1, 5):
        add_group_repo(fake, f"dtu/team-{number}", number, after=number % 3)
    moved = fake.add("dtu/moved")
    moved.commit(DEADLINE - timedelta(days=1), {"report/README.md": report(5), "report/" + FIGURE[8:]: b"png"})
    outside = fake.add("dtu/outside")
    outside.commit(
        DEADLINE - timedelta(days=1),
        {"reports/README.md": report(6, figure="../docs/flow.png"), "docs/flow.png": b"png"},
    )
    absent = fake.add("dtu/absent-figure")
    absent.commit(DEADLINE - timedelta(days=1), {"reports/README.md": report(7, figure="figures/nope.png")})
    bare = fake.add("dtu/bare")
    bare.commit(DEADLINE - timedelta(days=1), {"README.md": "# nothing here\n"})
    latin = fake.add("dtu/latin")
    latin.commit(DEADLINE - timedelta(days=1), {"reports/README.md": report(9).encode() + b"\n\xe9t\xe9\n"})
    late = fake.add("dtu/too-late")
    late.commit(DEADLINE + timedelta(days=1), {"reports/README.md": report(10)})
    fake.add("dtu/empty")
    add_project_repo(fake, "dtu/project", 11, after=1)  # a checklist and small files for its evidence
    return [*(f"dtu/team-{n}" for n in range(1, 5)), "dtu/moved", "dtu/outside", "dtu/absent-figure", "dtu/bare",
            "dtu/latin", "dtu/too-late", "dtu/empty", "dtu/project"]


def scan(out: Path, *args: str) -> dict[str, dict[str, Any]]:
    """Run a scan and return its rows without the fields that tell how they were read."""
    result = CliRunner().invoke(
        main, ["scan", *args, "--out", str(out), "--set", QUESTIONS, "--rate", "0", "--timeout", "2"],
        env={"GITHUB_TOKEN": TOKEN},
    )
    assert result.exit_code == 0, result.output
    return {repo: {k: v for k, v in row.items() if k not in HOW} for repo, row in rows(out).items()}


@pytest.mark.parametrize("when", [["--deadline", "2031-01-24T13:00+01:00"], []], ids=["deadline", "head"])
def test_rest_graphql_and_local_clones_give_equal_rows(fake: FakeGitHub, tmp_path: Path, when: list[str]) -> None:
    names = repositories(fake)
    groups = group_file(tmp_path, [(n, name, STUDENTS) for n, name in enumerate(names, start=1)])
    shas: dict[str, str] = {}
    for number, name in enumerate(names, start=1):
        clone = tmp_path / "clones" / f"group_{number}" / name.split("/")[1]
        if fake.repos[name].commits:
            shas |= clone_of(fake.repos[name], clone)
        else:
            clone.mkdir(parents=True)
            git(clone, "init", "-q", "-b", "main")
    api = ["--api-url", fake.url]
    rest = scan(tmp_path / "rest", str(groups), *when, *api, "--api", "rest")
    graphql = scan(tmp_path / "graphql", str(groups), *when, *api, "--api", "graphql")
    local = scan(tmp_path / "local", str(groups), *when, "--local", str(tmp_path / "clones"))
    for row in local.values():  # the clones' commits are the fake's, under git's own shas
        row["commit"], row["head"] = shas.get(row["commit"]), shas.get(row["head"])
    assert graphql == rest
    assert local == rest
    statuses = {repo: row["status"] for repo, row in rest.items()}
    assert statuses["dtu/bare"] == "no-report" and statuses["dtu/empty"] == "empty"
    assert statuses["dtu/too-late"] == ("no-commit" if when else "ok")
    assert rest["dtu/team-1"]["late_commits"] == (1 if when else 0)
    assert rest["dtu/team-2"]["late_commits_total"] == (2 if when else 0)
    items = rest["dtu/project"]["result"]["checklist"]["items"]
    assert [item["evidence"] for item in items] == ["found", "found", "found", "found", "none", "not-checkable"]
