"""The typed scan row: results.jsonl as written before rows were versioned still reads, and new rows fit the schema."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakegithub import FakeGitHub
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from scanhelpers import DATA, DEADLINE, add_group_repo
from test_scan_github import group_file, run_scan

from checker.resources import load_schema
from checker.scan.feedback import render
from checker.scan.row import SCHEMA_VERSION, ScanRow, ordered, read_rows, summary_line
from checker.scan.store import ResultsFile, write_summary

BEFORE = DATA / "before-versions"  # written by the scan before rows had a schema_version (commit b141fcb)


def validator() -> Draft202012Validator:
    """Return a validator of scan rows that resolves the result schema they refer to."""
    row, result = load_schema("scan-row.schema.json"), load_schema("result.schema.json")
    registry: Registry[Any] = Registry().with_resources(
        [(schema["$id"], Resource.from_contents(schema)) for schema in (row, result)]
    )
    Draft202012Validator.check_schema(row)
    return Draft202012Validator(row, registry=registry)


def test_rows_written_before_versions_still_read() -> None:
    rows = ResultsFile(BEFORE / "results.jsonl").load()
    assert list(rows) == ["dtu/team-7", "dtu/gone", "dtu/team-9"]
    ready, gone, wrong = rows.values()
    assert (ready.verdict, ready.late_commits, ready.passed, ready.total, ready.commit_date) == (
        "ready", 1, 4, 4, "2031-01-23T12:00:00Z")
    assert ready.report is not None and ready.report.ready
    assert (gone.verdict, gone.status, gone.ready, gone.commit, gone.students) == (
        "not-found", "not-found", None, None, ("s200003",))
    assert wrong.verdict == "not ready"
    assert wrong.report is not None and [f.rule for f in wrong.report.findings] == ["group-number-mismatch"]
    assert summary_line(rows.values()) == "1 ready, 1 not passed, 1 unreachable"


def test_rows_written_before_versions_give_the_same_feedback_and_summary(tmp_path: Path) -> None:
    rows = ResultsFile(BEFORE / "results.jsonl").load()
    for row in rows.values():
        assert render(row) == (BEFORE / f"group-{row.group}.md").read_text(encoding="utf-8")
    write_summary(rows.values(), tmp_path / "summary.csv")
    assert (tmp_path / "summary.csv").read_bytes() == (BEFORE / "summary.csv").read_bytes()


def test_rows_written_before_versions_fit_the_schema_once_read() -> None:
    check = validator()
    for line in (BEFORE / "results.jsonl").read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        assert "schema_version" not in data
        assert list(check.iter_errors(data)), "an unversioned row is not a version-1 row"
        check.validate(ScanRow.from_json(data).to_json())


def test_a_row_reads_back_as_it_was_written() -> None:
    rows = ResultsFile(BEFORE / "results.jsonl").load()
    for row in rows.values():
        written = row.to_json()
        assert written["schema_version"] == SCHEMA_VERSION
        assert ScanRow.from_json(json.loads(json.dumps(written))) == row


def test_rows_of_a_scan_fit_the_schema(fake: FakeGitHub, tmp_path: Path) -> None:
    add_group_repo(fake, "dtu/team-1", 1, after=2)
    bare = fake.add("dtu/bare")
    bare.commit(DEADLINE - timedelta(days=1), {"README.md": "# nothing here\n"})
    late = fake.add("dtu/late")
    late.commit(DEADLINE + timedelta(days=1), {"README.md": "# too late\n"})
    add_group_repo(fake, "dtu/blocked", 5).blocked = True
    add_group_repo(fake, "dtu/sso", 6).saml = True
    names = ["dtu/team-1", "dtu/bare", "dtu/late", "dtu/gone", "dtu/blocked", "dtu/sso"]
    groups = group_file(tmp_path, [(number, name, ()) for number, name in enumerate(names, start=1)])
    out = tmp_path / "out"
    assert run_scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z").exit_code == 0
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    check = validator()
    for line in lines:
        check.validate(json.loads(line))
    statuses = {row.repo: row.status for row in read_rows(lines).values()}
    assert statuses == {"dtu/team-1": "ok", "dtu/bare": "no-report", "dtu/late": "no-commit", "dtu/gone": "not-found",
                        "dtu/blocked": "blocked", "dtu/sso": "sso-required"}


@pytest.mark.parametrize(
    ("data", "verdict", "standing"),
    [
        ({"repo": "a/b", "status": "ok", "ready": True}, "ready", "ready"),
        ({"repo": "a/b", "status": "ok", "ready": False}, "not ready", "not passed"),
        ({"repo": "a/b", "status": "empty"}, "empty", "not passed"),
        ({"repo": "a/b", "status": "timeout"}, "timeout", "unreachable"),
        ({"repo": "a/b", "status": "not-scanned"}, "not-scanned", "not scanned"),
        ({"repo": "a/b", "result": {"ready": False, "summary": {"passed": 2, "questions": 5}}}, "not ready",
         "not passed"),
        ({"repo": "a/b"}, "no result", "unreachable"),
    ],
)
def test_one_verdict_and_one_standing(data: dict[str, Any], verdict: str, standing: str) -> None:
    row = ScanRow.from_json(data)
    assert (row.verdict, row.standing) == (verdict, standing)


def test_one_order_and_one_set_of_cells() -> None:
    rows = [ScanRow.from_json(d) for d in (
        {"repo": "z/late", "group": 10, "status": "ok", "ready": False, "passed": 3, "total": 4, "errors": 1,
         "warnings": 2, "late_commits": 0, "commit": "ab" * 20},
        {"repo": "B/none", "status": "not-found", "reason": "gone"},
        {"repo": "a/none", "status": "timeout"},
        {"repo": "y/early", "group": "2", "status": "ok", "ready": True},
    )]
    assert [row.repo for row in ordered(rows)] == ["y/early", "z/late", "a/none", "B/none"]
    assert rows[0].cells() == {
        "group": "10", "repo": "z/late", "ready": "no", "passed/total": "3/4", "errors": "1", "warnings": "2",
        "late commits": "0", "commit": "abababababab", "status": "ok", "reason": "",
    }
    assert rows[1].cells()["ready"] == rows[1].cells()["passed/total"] == ""
    assert (rows[0].said, rows[1].said) == ("not ready (1 error, 2 warnings)", "not-found: gone")
