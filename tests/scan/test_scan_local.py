"""`reportcheck scan --local` over clones laid out as group_N/REPO, read with git."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from scanhelpers import DEADLINE, FIGURE, report
from test_scan_github import HEADER, QUESTIONS

from checker.cli import main


def git(path: Path, *args: str, when: datetime | None = None) -> str:
    """Run git in a clone, with fixed dates when given."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Student", "GIT_AUTHOR_EMAIL": "s@example.com"}
    env |= {"GIT_COMMITTER_NAME": "Student", "GIT_COMMITTER_EMAIL": "s@example.com"}
    if when is not None:
        env |= {"GIT_AUTHOR_DATE": when.isoformat(), "GIT_COMMITTER_DATE": when.isoformat()}
    done = subprocess.run(["git", "-C", str(path), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(path: Path, when: datetime, files: dict[str, str | bytes]) -> str:
    """Write files and commit them at `when`; return the sha."""
    for name, data in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "work", when=when)
    return git(path, "rev-parse", "HEAD")


def clone(root: Path, group: int, name: str) -> Path:
    """Make an empty repository at root/group_N/name."""
    path = root / f"group_{group}" / name
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    return path


def scan_local(root: Path, out: Path, *args: str) -> tuple[int, str, dict[str, dict[str, object]]]:
    """Run the local scan; return exit code, stdout and the rows."""
    result = CliRunner().invoke(
        main, ["scan", "--local", str(root), "--out", str(out), "--set", QUESTIONS, *args]
    )
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return result.exit_code, result.stdout, {r["repo"]: r for r in map(json.loads, lines)}


def test_local_clones_deadline_commit_and_late_commits(tmp_path: Path) -> None:
    root = tmp_path / "clones"
    one = clone(root, 1, "proj")
    commit(one, DEADLINE - timedelta(days=2), {FIGURE: b"png"})
    on_time = commit(one, DEADLINE - timedelta(hours=1), {"reports/README.md": report(1)})
    commit(one, DEADLINE + timedelta(hours=1), {"reports/README.md": report(1, serving="")})
    commit(one, DEADLINE + timedelta(hours=2), {"src/app.py": "print('late')\n"})
    two = clone(root, 2, "other")
    commit(two, DEADLINE - timedelta(days=1), {"report/README.md": report(2), "report/figures/flow.png": b"png"})
    empty = clone(root, 10, "nothing")
    assert empty.is_dir()
    groups = tmp_path / "groups.csv"
    groups.write_text(HEADER + "1,s200001,s200002,,,,https://github.com/dtu/proj\n", encoding="utf-8")

    code, stdout, found = scan_local(root, tmp_path / "out", str(groups), "--deadline", "2031-01-24T13:00+01:00")
    assert code == 0
    first = found["dtu/proj"]
    assert (first["commit"], first["late_commits"], first["late_commits_total"]) == (on_time, 1, 2)
    assert (first["ready"], first["group"], first["branch"]) == (True, 1, None)
    second = found["group_2/other"]
    assert second["report_path"] == "report/README.md"
    assert "report-location" in {f["rule"] for f in second["result"]["findings"]}
    assert found["group_10/nothing"]["status"] == "empty"
    summary = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in summary[1:]] == ["1", "2", "10"]
    assert stdout.splitlines()[-1] == "2 ready, 1 not passed, 0 unreachable"


def test_local_clone_without_commit_before_the_deadline(tmp_path: Path) -> None:
    root = tmp_path / "clones"
    late = clone(root, 3, "late")
    commit(late, DEADLINE + timedelta(days=1), {"reports/README.md": report(3)})
    code, _, found = scan_local(root, tmp_path / "out", "--deadline", "2031-01-24T12:00Z")
    assert code == 0
    assert found["group_3/late"]["status"] == "no-commit"


def test_local_folder_without_clones_is_a_one_line_error(tmp_path: Path) -> None:
    from checker.cli import run

    assert run(["scan", "--local", str(tmp_path)]) == 2


def test_local_scan_html_renders_reports_from_the_clones(tmp_path: Path) -> None:
    root = tmp_path / "clones"
    one = clone(root, 1, "proj")
    commit(one, DEADLINE - timedelta(hours=1), {"reports/README.md": report(1), FIGURE: b"png"})
    code, _, found = scan_local(root, tmp_path / "out", "--deadline", "2031-01-24T13:00+01:00", "--html")
    assert code == 0
    assert found["group_1/proj"]["status"] == "ok"
    page = (tmp_path / "out" / "dashboard.html").read_text(encoding="utf-8")
    assert "group_1/proj" in page
    rendered = [p.read_text(encoding="utf-8") for p in (tmp_path / "out" / "reports").glob("*.html")]
    assert len(rendered) == 1
    assert "Question 1" in rendered[0]
    assert "data:image/png;base64" in rendered[0]  # the figure came from the clone at the scanned commit


def test_local_clones_have_no_push_log_and_say_so(tmp_path: Path) -> None:
    root = tmp_path / "clones"
    one = clone(root, 1, "proj")
    on_time = commit(one, DEADLINE - timedelta(hours=1), {"reports/README.md": report(1), FIGURE: b"png"})
    code, _, found = scan_local(root, tmp_path / "out", "--deadline", "2031-01-24T12:00Z", "--push-times")
    assert code == 0
    row = found["group_1/proj"]
    assert (row["commit"], row["deadline_source"]) == (on_time, "commit-date")
    assert row["notes"] == ["push times unavailable (a clone has no push log); commit chosen by commit date"]
