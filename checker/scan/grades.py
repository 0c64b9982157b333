"""Grades from a scan: one line per student of the course's group file, its value set by the group's verdict.

Only a row whose report was checked (`ok`) is graded: ready gives `--pass`, not ready `--fail`. Every other
row (no report, not found, a timeout, ...) and a group without registered students is *listed* as not graded,
never given a grade, and so is a student the group file puts in two groups. `LMS` holds the layouts and feeds
the `--lms` choices:

- `brightspace`: D2L Brightspace's grade import (DTU Learn), as its "Importing grades" page describes it
  (https://community.d2l.com/brightspace/kb/articles/3538-importing-grades): a user key column, `OrgDefinedId`
  or `Username` (values prefixed with `#`, as Brightspace's own export writes them, so a spreadsheet never
  turns an id into a number); one grade-item column named after the item with its type, `<item> Points Grade`
  (numeric and pass/fail items), `<item> Grade Symbol` (selectbox items) or `<item> Text Grade`; and last
  `End-of-Line Indicator`, a `#` on every line (Brightspace's end-of-record marker; University of
  Wisconsin-Madison KB 4330, https://kb.wisc.edu/page.php?id=4330).
- `csv`: every student with group, repository, status, grade, counts and each question's status; students of
  groups not graded are in it too, with an empty grade and the status that says why.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from checker.errors import CheckerError
from checker.scan.row import ScanRow, ordered

GradeType = Literal["points", "symbol", "text"]
UserKey = Literal["OrgDefinedId", "Username"]
COLUMN_SUFFIX: dict[GradeType, str] = {"points": "Points Grade", "symbol": "Grade Symbol", "text": "Text Grade"}
END_OF_LINE = "End-of-Line Indicator"


@dataclass(frozen=True)
class GradeOptions:
    """What the grade file says: the grade item, its type, the values for ready and not ready, the user key."""

    item: str = "Exam report"
    grade_type: GradeType = "points"
    passed: str = "1"
    failed: str = "0"
    key: UserKey = "Username"

    def check(self) -> None:
        """Refuse values the LMS would misread, with one line that says what to give instead."""
        if not self.item.strip() or any(c in self.item for c in ',"\r\n'):
            raise CheckerError(f"--item: '{self.item}' must be a grade item's name, without commas or quotes")
        if self.grade_type == "points":
            for option, value in (("--pass", self.passed), ("--fail", self.failed)):
                try:
                    float(value)
                except ValueError:
                    raise CheckerError(f"{option}: '{value}' is not a number, and a Points Grade takes points; "
                                       "give --grade-type text (or symbol) for words") from None


@dataclass(frozen=True)
class Grade:
    """One student's line: who, from which group's row, and the value (empty when the group is not graded)."""

    student: str
    row: ScanRow
    value: str


@dataclass(frozen=True)
class Gradebook:
    """Every student's grade, and what could not be graded: groups (with why) and students in two groups."""

    grades: tuple[Grade, ...]
    ungraded: tuple[tuple[ScanRow, str], ...]
    twice: tuple[tuple[str, tuple[str, ...]], ...]  # (student, the groups' names) left out

    @property
    def graded(self) -> tuple[Grade, ...]:
        """Return the students who got a value."""
        return tuple(g for g in self.grades if g.value)

    def problems(self) -> list[str]:
        """Return one line per group or student not graded, for the person importing the file."""
        lines = [f"{name(row)}: not graded: {why}" for row, why in self.ungraded]
        lines += [f"{student}: not graded: in {' and '.join(groups)} of the group file"
                  for student, groups in self.twice]
        return lines


def name(row: ScanRow) -> str:
    """Return `group 7 (owner/repo)`, or the repository alone when it has no group."""
    return f"group {row.group} ({row.repo})" if row.group is not None else row.repo


def gradebook(rows: Iterable[ScanRow], options: GradeOptions) -> Gradebook:
    """Give each registered student of a checked row the row's value; list the rest."""
    rows = ordered(rows)
    if rows and not any(row.students for row in rows):
        raise CheckerError("the scan has no students: grades need the course's group file (scan GROUPS_FILE)")
    ungraded: list[tuple[ScanRow, str]] = []
    grades: list[Grade] = []
    seen: dict[str, list[ScanRow]] = {}
    for row in rows:
        if not row.students:
            ungraded.append((row, "no students registered for it in the group file"))
            continue
        if not row.checked:
            ungraded.append((row, f"{row.status}: {row.reason}" if row.reason else row.status))
        value = (options.passed if row.ready else options.failed) if row.checked else ""
        for student in row.students:
            seen.setdefault(student, []).append(row)
            grades.append(Grade(student, row, value))
    twice = {student: tuple(name(r) for r in found) for student, found in seen.items() if len(found) > 1}
    kept = tuple(g for g in grades if g.student not in twice)
    return Gradebook(kept, tuple(ungraded), tuple(sorted(twice.items())))


def brightspace(book: Gradebook, options: GradeOptions) -> str:
    """Return the Brightspace grade import: key, one grade item, end-of-line marker; graded students only."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow([options.key, f"{options.item} {COLUMN_SUFFIX[options.grade_type]}", END_OF_LINE])
    for grade in book.graded:
        writer.writerow([f"#{grade.student}", grade.value, "#"])
    return text.getvalue()


def plain(book: Gradebook, options: GradeOptions) -> str:
    """Return every student with the group's verdict, counts and each question's status."""
    numbers = sorted({q.number for g in book.grades if g.row.report for q in g.row.report.questions})
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(["student", "group", "repository", "status", "ready", "grade", "passed", "total", "errors",
                     "warnings", "commit", *(f"Q{n}" for n in numbers)])
    for grade in book.grades:
        row = grade.row
        report = row.report if row.checked else None
        statuses = {q.number: q.status for q in report.questions} if report is not None else {}
        counts = [row.passed, row.total, row.errors, row.warnings] if row.checked else [None] * 4
        cells = row.cells()
        writer.writerow([grade.student, cells["group"], row.repo, row.status, cells["ready"], grade.value,
                         *("" if c is None else str(c) for c in counts), row.commit or "",
                         *(statuses.get(n, "") for n in numbers)])
    return text.getvalue()


# --lms NAME -> the function that writes that layout.
LMS: MappingProxyType[str, Callable[[Gradebook, GradeOptions], str]] = MappingProxyType({
    "brightspace": brightspace,
    "csv": plain,
})
