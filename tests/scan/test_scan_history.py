"""history.jsonl: every scan into one folder is kept, a column per as-of time, and `reportcheck history` shows it."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from fakegithub import FakeGitHub, FakeRepo
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from scanhelpers import DEADLINE, FIGURE, report
from test_scan_github import group_file, run_scan

from checker.cli import main
from checker.resources import load_schema
from checker.scan import history
from checker.scan.row import ScanRow

WEEK_BEFORE = "2031-01-17T12:00Z"
AT_DEADLINE = "2031-01-24T12:00Z"
CHECKLIST = "### Week 1\n\n* [x] Made a repository (M5)\n* [ ] Wrote tests (M16)\n* [x] Drew a diagram\n\n"


def commit(repo: FakeRepo, group: int, days_before: float, *, checklist: str = CHECKLIST, **answers: Any) -> None:
    """Commit the group's report, with a checklist, `days_before` the deadline."""
    text = report(group, **answers).replace("# Our exam report\n\n", f"# Our exam report\n\n{checklist}", 1)
    repo.commit(DEADLINE - timedelta(days=days_before), {FIGURE: b"\x89PNG fake", "reports/README.md": text})


def validator() -> Draft202012Validator:
    """Return a validator of history lines, which refer to the scan row's schema."""
    schemas = [load_schema(name) for name in ("history-entry.schema.json", "scan-row.schema.json",
                                                "result.schema.json")]
    Draft202012Validator.check_schema(schemas[0])
    registry: Registry[Any] = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in schemas])
    return Draft202012Validator(schemas[0], registry=registry)


def test_two_scans_as_of_two_dates_are_both_kept(fake: FakeGitHub, tmp_path: Path) -> None:
    early, late, quiet = fake.add("dtu/team-1"), fake.add("dtu/team-2"), fake.add("dtu/team-3")
    commit(early, 1, 10)  # ready before both dates
    commit(late, 2, 10, serving="", checklist="### Week 1\n\n* [ ] Made a repository (M5)\n\n")
    commit(late, 2, 3, checklist="### Week 1\n\n* [x] Made a repository (M5)\n* [x] Wrote tests (M16)\n\n")
    commit(quiet, 3, 3)  # its first commit came after the first date
    students = ("s200001", "s200002")
    groups = group_file(tmp_path, [(1, "dtu/team-1", students), (2, "dtu/team-2", students),
                                   (3, "dtu/team-3", students), (4, "dtu/gone", ("s200009",))])
    out = tmp_path / "out"
    for deadline in (WEEK_BEFORE, AT_DEADLINE):
        done = run_scan(fake, out, str(groups), "--deadline", deadline)
        assert done.exit_code == 0, done.output

    lines = (out / "history.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 8
    check = validator()
    entries = [json.loads(line) for line in lines]
    for entry in entries:
        check.validate(entry)
    first, second = entries[:4], entries[4:]
    assert {e["as_of"] for e in first} == {"2031-01-17T12:00:00Z"} == {e["deadline"] for e in first}
    assert {e["as_of"] for e in second} == {"2031-01-24T12:00:00Z"}
    assert len({e["scan"] for e in first}) == 1 and first[0]["scan"] <= second[0]["scan"]  # one time per scan
    team2 = [e for e in entries if e["repo"] == "dtu/team-2"]
    assert [(e["ready"], e["passed"], e["errors"], e["checklist_checked"], e["checklist_total"]) for e in team2] == [
        (False, 3, 1, 0, 1), (True, 4, 0, 2, 2)]
    assert [e["status"] for e in entries if e["repo"] == "dtu/team-3"] == ["no-commit", "ok"]
    # results.jsonl is the last scan's state only.
    results = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["deadline"] for r in results} == {"2031-01-24T12:00:00Z"}

    expected = (
        "group  repository  2031-01-17 12:00Z  2031-01-24 12:00Z\n"
        "    1  dtu/team-1  4/4 ready          4/4 ready\n"
        "    2  dtu/team-2  3/4 1 err          4/4 ready\n"
        "    3  dtu/team-3  no-commit          4/4 ready\n"
        "    4  dtu/gone    not-found          not-found\n"
        "       ready       1/4                3/4\n"
    )
    shown = CliRunner().invoke(main, ["history", str(out)])
    assert shown.exit_code == 0, shown.output
    assert shown.output == expected

    # A re-run as of the same deadline replaces that column's cells; it adds lines, not a column.
    commit(late, 2, 1, serving="")
    again = run_scan(fake, out, str(groups), "--deadline", AT_DEADLINE)
    assert again.exit_code == 0, again.output
    assert len((out / "history.jsonl").read_text(encoding="utf-8").splitlines()) == 12
    loaded = history.load(out)
    assert loaded.columns == ("2031-01-17T12:00:00Z", "2031-01-24T12:00:00Z")
    assert [history.cell_text(e) for _, e in loaded.progress("dtu/team-2")] == ["3/4 1 err", "3/4 1 err"]
    assert loaded.ready_over_time() == [("2031-01-17T12:00:00Z", 1, 4), ("2031-01-24T12:00:00Z", 2, 4)]
    assert CliRunner().invoke(main, ["history", str(out / "results.jsonl")]).output.count("\n") == 6


def test_scans_without_a_deadline_are_columns_of_their_own_and_damage_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    checked = ScanRow("dtu/team-1", 1, status="ok", ready=False, passed=2, total=4, errors=2, warnings=0,
                      scanned_at="2031-01-10T08:00:00Z")
    assert history.append(path, [checked], "2031-01-10T08:00:00Z") == 1
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"scan": "2031-01-1')  # a line cut short by a crash
    later = ScanRow("dtu/team-1", 1, status="ok", ready=True, passed=4, total=4, errors=0, warnings=0)
    skipped = ScanRow("dtu/team-2", 2, status="not-scanned")
    assert history.append(path, [later, skipped], "2031-01-11T08:00:00Z") == 1
    loaded = history.load(tmp_path)
    assert loaded.columns == ("2031-01-10T08:00:00Z", "2031-01-11T08:00:00Z")
    assert [history.cell_text(e) for _, e in loaded.progress("dtu/team-1")] == ["2/4 2 err", "4/4 ready"]
    assert history.table(loaded).splitlines()[0] == "group  repository  2031-01-10 08:00Z  2031-01-11 08:00Z"
    assert [json.loads(line)["checked_at"] for line in path.read_text().splitlines() if line.endswith("}")] == [
        "2031-01-10T08:00:00Z", "2031-01-11T08:00:00Z"]


def test_no_history_is_one_line_and_exit_2(tmp_path: Path) -> None:
    from checker.cli import run

    assert run(["history", str(tmp_path)]) == 2


def test_scan_html_draws_the_history_of_its_folder(fake: FakeGitHub, tmp_path: Path) -> None:
    early, late = fake.add("dtu/team-1"), fake.add("dtu/team-2")
    commit(early, 1, 10)
    commit(late, 2, 10, serving="")
    commit(late, 2, 3)
    groups = group_file(tmp_path, [(1, "dtu/team-1", ("s200001",)), (2, "dtu/team-2", ("s200002",))])
    out = tmp_path / "out"
    assert run_scan(fake, out, str(groups), "--deadline", WEEK_BEFORE).exit_code == 0
    assert not (out / "dashboard.html").exists()
    done = run_scan(fake, out, str(groups), "--deadline", AT_DEADLINE, "--html")
    assert done.exit_code == 0, done.output

    page = (out / "dashboard.html").read_text(encoding="utf-8")
    assert ">Trend</button>" in page
    team2 = re.search(r'<td class="spark" data-v="(\d+)" title="([^"]*)">(.*?)</td>', page.split("dtu/team-2", 1)[1])
    assert team2 is not None
    assert team2.group(1) == "1" and team2.group(2) == "2031-01-17 12:00Z: 3/4 1 err\n2031-01-24 12:00Z: 4/4 ready"
    assert re.findall(r'<circle class="([a-z-]+)"', team2.group(3)) == ["not-ready", "ready"]
    assert "<title>2031-01-17 12:00Z: 1 of 2 groups ready</title>" in page
    assert "<title>2031-01-24 12:00Z: 2 of 2 groups ready</title>" in page
