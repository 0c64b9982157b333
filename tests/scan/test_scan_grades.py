"""`reportcheck grades`: one line per student of the group file, in Brightspace's grade import or a plain CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakegithub import FakeGitHub
from scanhelpers import DEADLINE, FIGURE, report
from test_scan_github import HEADER, run_scan

from checker.cli import main
from checker.scan.groups import read_targets

# The course's group file as teachers get it: e-mail addresses and bare study numbers, empty cells, URLs.
GROUPS = HEADER + (
    "1,s200001@student.dtu.dk,s200002,,,,https://github.com/dtu/team-1\n"
    "2,s200003,s200004@student.dtu.dk,s200005,,,https://github.com/dtu/team-2.git\n"
    "3,s200006,,,,,dtu/gone\n"
    "4,,,,,,https://github.com/dtu/team-4\n"
)


@pytest.fixture
def scanned(fake: FakeGitHub, tmp_path: Path) -> Path:
    """Scan a course of four groups: 1 ready, 2 not ready, 3 gone, 4 with nobody registered."""
    texts = {1: report(1, ("s200001", "s200002")), 2: report(2, ("s200003", "s200004", "s200005"), serving=""),
             4: report(4, ("s200010",))}
    for group, text in texts.items():
        fake.add(f"dtu/team-{group}").commit(DEADLINE - timedelta(days=1),
                                             {FIGURE: b"\x89PNG fake", "reports/README.md": text})
    groups = tmp_path / "groups.csv"
    groups.write_text(GROUPS, encoding="utf-8")
    out = tmp_path / "out"
    done = run_scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z")
    assert done.exit_code == 0, done.output
    return out


def test_brightspace_grade_import_from_the_group_file(scanned: Path, tmp_path: Path) -> None:
    target = tmp_path / "grades.csv"
    done = CliRunner().invoke(main, ["grades", str(scanned), "--lms", "brightspace", "-o", str(target)])
    assert done.exit_code == 1, done.output  # written, with groups left out
    assert target.read_bytes() == (
        b"Username,Exam report Points Grade,End-of-Line Indicator\r\n"
        b"#s200001,1,#\r\n"
        b"#s200002,1,#\r\n"
        b"#s200003,0,#\r\n"
        b"#s200004,0,#\r\n"
        b"#s200005,0,#\r\n"
    )
    assert done.stderr.splitlines() == [
        "reportcheck: group 3 (dtu/gone): not graded: not-found: repository not found, or private and the token "
        "cannot read it",
        "reportcheck: group 4 (dtu/team-4): not graded: no students registered for it in the group file",
        f"reportcheck: 5 students graded in {target}; 2 not graded (listed above)",
    ]
    # Every student of the group file is graded or listed with their group: nobody is missed or graded by accident.
    targets, _ = read_targets(tmp_path / "groups.csv")
    graded = {line.split(",")[0].lstrip("#") for line in target.read_text().splitlines()[1:]}
    listed = {s for t in targets if t.repo == "dtu/gone" for s in t.students}
    assert graded | listed == {s for t in targets for s in t.students} and not graded & listed


def test_grade_item_type_values_and_user_key_are_options(scanned: Path) -> None:
    done = CliRunner().invoke(main, ["grades", str(scanned), "--item", "Report check", "--grade-type", "text",
                                     "--pass", "approved", "--fail", "not approved", "--id", "OrgDefinedId"])
    lines = done.stdout.splitlines()
    assert lines[:3] == ["OrgDefinedId,Report check Text Grade,End-of-Line Indicator", "#s200001,approved,#",
                         "#s200002,approved,#"]
    assert lines[3] == "#s200003,not approved,#"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pass", "yes"], "--pass: 'yes' is not a number, and a Points Grade takes points"),
        (["--item", "Report, final"], "--item: 'Report, final' must be a grade item's name"),
        (["--lms", "moodle"], "'moodle' is not one of"),
    ],
)
def test_bad_options_are_one_line_errors(scanned: Path, args: list[str], message: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from checker.cli import run

    assert run(["grades", str(scanned), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_plain_csv_lists_every_student_with_each_question(scanned: Path) -> None:
    done = CliRunner().invoke(main, ["grades", str(scanned), "--lms", "csv"])
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["student"], r["group"], r["status"], r["grade"]) for r in table] == [
        ("s200001", "1", "ok", "1"), ("s200002", "1", "ok", "1"), ("s200003", "2", "ok", "0"),
        ("s200004", "2", "ok", "0"), ("s200005", "2", "ok", "0"), ("s200006", "3", "not-found", "")]
    assert [table[2][f"Q{n}"] for n in range(1, 5)] == ["pass", "pass", "unanswered", "pass"]
    assert (table[2]["passed"], table[2]["total"], table[2]["errors"]) == ("3", "4", "1")
    assert table[5]["Q1"] == "" and table[5]["passed"] == ""


def test_a_student_in_two_groups_is_listed_not_graded(fake: FakeGitHub, tmp_path: Path) -> None:
    for group in (1, 2):
        fake.add(f"dtu/team-{group}").commit(DEADLINE - timedelta(days=1), {
            FIGURE: b"png", "reports/README.md": report(group, ("s200001", f"s20000{group + 1}"))})
    groups = tmp_path / "groups.csv"
    groups.write_text(HEADER + "1,s200001,s200002,,,,dtu/team-1\n2,s200001,s200003,,,,dtu/team-2\n")
    out = tmp_path / "out"
    assert run_scan(fake, out, str(groups)).exit_code == 0
    done = CliRunner().invoke(main, ["grades", str(out)])
    assert done.stdout.splitlines()[1:] == ["#s200002,1,#", "#s200003,1,#"]
    assert ("reportcheck: s200001: not graded: in group 1 (dtu/team-1) and group 2 (dtu/team-2) of the group file"
            in done.stderr.splitlines())


def test_a_scan_without_a_group_file_cannot_be_graded(fake: FakeGitHub, tmp_path: Path) -> None:
    fake.add("dtu/team-1").commit(DEADLINE, {FIGURE: b"png", "reports/README.md": report(1)})
    repos = tmp_path / "repos.txt"
    repos.write_text("dtu/team-1\n")
    out = tmp_path / "out"
    assert run_scan(fake, out, str(repos)).exit_code == 0
    from checker.cli import run

    assert run(["grades", str(out)]) == 2
