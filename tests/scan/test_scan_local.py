"""`reportcheck scan --local` over clones laid out as group_N/REPO, read with git."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from scanhelpers import DEADLINE, FIGURE, report
from test_scan_github import HEADER, QUESTIONS

from checker.cli import main, run


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


def test_push_times_with_local_clones_says_it_is_not_used(tmp_path: Path) -> None:
    root = tmp_path / "clones"
    one = clone(root, 1, "proj")
    on_time = commit(one, DEADLINE - timedelta(hours=1), {"reports/README.md": report(1), FIGURE: b"png"})
    result = CliRunner().invoke(main, ["scan", "--local", str(root), "--out", str(tmp_path / "out"), "--set",
                                       QUESTIONS, "--deadline", "2031-01-24T12:00Z", "--push-times"])
    assert result.exit_code == 0
    assert "reportcheck: --push-times is not used with --local: a clone has no push log" in result.stderr
    row = json.loads((tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8"))
    assert (row["commit"], row["deadline_source"], row["notes"]) == (on_time, "commit-date", [])


def registered_course(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """Make clones for groups 1 and 3 of a group file that registers groups 1, 2 and 3, and one unregistered
    clone (group_7); return the clones folder, the group file and the commit of each clone."""
    root = tmp_path / "clones"
    shas = {}
    for group, name in ((1, "proj"), (3, "Other-Name"), (7, "stray")):
        path = clone(root, group, name)
        text = report(group).replace("A nightly job", f"Group {group}'s nightly job")
        shas[name] = commit(path, DEADLINE - timedelta(hours=1), {"reports/README.md": text, FIGURE: b"png"})
    groups = tmp_path / "groups.csv"
    groups.write_text(HEADER + "1,s200001,s200002,,,,https://github.com/dtu/proj\n"
                      "2,s200003,,,,,https://github.com/dtu/lost\n"
                      "3,s200001,s200002,,,,https://github.com/dtu/project-three\n", encoding="utf-8")
    return root, groups, shas


def test_every_registered_group_has_a_row_and_a_stray_clone_is_marked(tmp_path: Path) -> None:
    root, groups, shas = registered_course(tmp_path)
    code, stdout, found = scan_local(root, tmp_path / "out", str(groups), "--deadline", "2031-01-24T12:00Z")
    assert code == 0
    assert sorted(found) == ["dtu/lost", "dtu/proj", "dtu/project-three", "group_7/stray"]
    assert (found["dtu/lost"]["status"], found["dtu/lost"]["reason"]) == ("not-found", f"no clone in {root}")
    assert found["dtu/lost"]["group"] == 2
    # Group 3's folder holds one clone, under another name: it is the group's.
    assert (found["dtu/project-three"]["commit"], found["dtu/project-three"]["ready"]) == (shas["Other-Name"], True)
    stray = found["group_7/stray"]
    assert (stray["status"], stray["group"]) == ("ok", 7)
    assert stray["notes"] == ["not in the group file: a clone no registered group matches"]
    assert found["dtu/proj"]["notes"] == []
    assert stdout.splitlines()[-1] == "3 ready, 0 not passed, 1 unreachable"  # the missing clone counts
    summary = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[:2] for line in summary[1:]] == [
        ["1", "dtu/proj"], ["2", "dtu/lost"], ["3", "dtu/project-three"], ["7", "group_7/stray"]]


def test_local_scan_with_a_group_file_writes_pages_with_text(tmp_path: Path) -> None:
    root, groups, _ = registered_course(tmp_path)
    out = tmp_path / "out"
    code, _, found = scan_local(root, out, str(groups), "--deadline", "2031-01-24T12:00Z", "--html")
    assert code == 0
    assert found["dtu/lost"]["status"] == "not-found"
    pages = {p.name: p.read_text(encoding="utf-8") for p in (out / "reports").glob("*.html")}
    assert sorted(pages) == ["dtu__proj.html", "dtu__project-three.html", "group_7__stray.html"]
    for name, group in (("dtu__proj.html", 1), ("dtu__project-three.html", 3), ("group_7__stray.html", 7)):
        assert f"Group {group}'s nightly job" in pages[name]
        assert "The report text was not stored" not in pages[name]
        assert "data:image/png;base64" in pages[name]
    # Rebuilt later from the saved scan and the same clones: the same pages, with text.
    for page in (out / "reports").glob("*.html"):
        page.unlink()
    assert run(["dashboard", str(out / "results.jsonl"), "--clones", str(root)]) == 0
    rebuilt = (out / "reports" / "dtu__project-three.html").read_text(encoding="utf-8")
    assert "Group 3" in rebuilt and "nightly job" in rebuilt and "was not stored" not in rebuilt


def test_html_without_the_extra_fails_before_scanning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "clones"
    commit(clone(root, 1, "proj"), DEADLINE, {"reports/README.md": report(1)})
    monkeypatch.setitem(sys.modules, "nh3", None)  # as if the html extra were not installed
    out = tmp_path / "out"
    assert run(["scan", "--local", str(root), "--out", str(out), "--html"]) == 2
    assert capsys.readouterr().err == "reportcheck: --html needs the html extra: pip install 'reportcheck[html]'\n"
    assert not out.exists(), "nothing was scanned"
