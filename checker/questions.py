"""Question sets: load the shipped ones (or a file), and pick the one a report follows by prompt fingerprints."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

from checker.errors import CheckerError
from checker.evidence import EvidenceRules, rules_from_data
from checker.files import REPORT_PATH
from checker.model import Range
from checker.parse import ParsedReport
from checker.resources import data_dir

Kind = Literal["text", "group-number", "student-ids", "contributions"]


class Question(NamedTuple):
    """One question of a set: where it belongs, what it is about, and its ranges."""

    number: int
    section: str
    title: str
    fingerprint: str
    kind: Kind = "text"
    words: Range | None = None
    images: Range | None = None
    note: str = ""


class OfficialChecker(NamedTuple):
    """How the course's own checker version for this set reads a report (see `checker.official`)."""

    version: str
    cut_prefix: int
    drop: Literal["first-answer", "first-piece"]


class QuestionSet(NamedTuple):
    """A year's template as data: its questions in order, and how its students are identified."""

    id: str
    title: str
    questions: tuple[Question, ...]
    sections: dict[str, str]
    student_id_pattern: str
    official: OfficialChecker | None
    report_path: str = REPORT_PATH
    released: str = ""
    evidence: EvidenceRules | None = None

    @property
    def student_id(self) -> re.Pattern[str]:
        """Return the compiled student id pattern."""
        return re.compile(self.student_id_pattern)


class Detection(NamedTuple):
    """Which set a report follows, and how many of its prompts the report kept word for word."""

    question_set: QuestionSet
    matched: int


def from_data(data: dict[str, Any], origin: str, *, check_patterns: bool = True) -> QuestionSet:
    """Build a QuestionSet from parsed TOML/JSON data (already schema-valid for shipped sets).

    `check_patterns` compiles the evidence rules' patterns at once (the shipped sets' tests do that instead).
    """
    try:
        official = data.get("official_checker")
        questions = tuple(
            Question(
                number=int(q["number"]),
                section=str(q.get("section", "")),
                title=str(q["title"]),
                fingerprint=str(q.get("fingerprint", "")),
                kind=q.get("kind", "text"),
                words=tuple(q["words"]) if "words" in q else None,
                images=tuple(q["images"]) if "images" in q else None,
                note=str(q.get("note", "")),
            )
            for q in data["questions"]
        )
        return QuestionSet(
            id=str(data["id"]),
            title=str(data.get("title", data["id"])),
            questions=questions,
            sections={str(s["id"]): str(s["title"]) for s in data.get("sections", [])},
            student_id_pattern=str(data.get("student_id_pattern", r"^s\d{6}$")),
            official=OfficialChecker(str(official["version"]), int(official["cut_prefix"]), official["drop"])
            if official
            else None,
            report_path=str(data.get("report_path", REPORT_PATH)),
            released=str(data.get("released", "")),
            evidence=rules_from_data(data, origin, check_patterns=check_patterns),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckerError(f"{origin}: not a valid question set ({type(exc).__name__}: {exc})") from None


def load_file(path: str | Path) -> QuestionSet:
    """Load a question set from a TOML file; errors become one-line CheckerErrors."""
    import tomllib

    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CheckerError(f"{path}: cannot read the question set ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CheckerError(f"{path}: not valid TOML ({exc})") from None
    return from_data(data, str(path))


# Written into the wheel by hatch_build.py: the TOML files, parsed at build time.
COMPILED = "_compiled.json"


@cache
def shipped() -> tuple[QuestionSet, ...]:
    """Return the question sets shipped with the package, oldest first."""
    folder = data_dir("questions")
    compiled = folder / COMPILED
    if compiled.is_file():
        import json

        entries = [(item["file"], item["data"]) for item in json.loads(compiled.read_text(encoding="utf-8"))]
    else:
        import tomllib

        entries = [
            (entry.name, tomllib.loads(entry.read_text(encoding="utf-8")))
            for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".toml")
        ]
    sets = [from_data(data, name, check_patterns=False) for name, data in entries]
    return tuple(sorted(sets, key=lambda s: (s.released, s.id)))


def by_id(set_id: str, sets: tuple[QuestionSet, ...] | None = None) -> QuestionSet:
    """Return the set with this id, or say which ids exist."""
    sets = shipped() if sets is None else sets
    for candidate in sets:
        if candidate.id == set_id:
            return candidate
    known = ", ".join(s.id for s in sets)
    raise CheckerError(f"unknown question set '{set_id}'; known: {known}")


def matches(report: ParsedReport, question_set: QuestionSet) -> int:
    """Count the set's questions whose prompt the report kept unchanged under the same number."""
    seen = {(q.number, q.fingerprint) for q in report.questions}
    return sum(1 for q in question_set.questions if (q.number, q.fingerprint) in seen)


def detect(report: ParsedReport, sets: tuple[QuestionSet, ...] | None = None) -> Detection:
    """Pick the set whose prompts the report matches best; ties and prompt-less reports go by question count."""
    sets = shipped() if sets is None else sets
    highest = max((q.number for q in report.questions), default=0)
    numbers = {q.number for q in report.questions}

    def score(candidate: QuestionSet) -> tuple[int, int, int, str]:
        fits = len(numbers & {q.number for q in candidate.questions})
        size_gap = -abs(len(candidate.questions) - highest)
        return (matches(report, candidate), fits, size_gap, candidate.released)

    best = max(sets, key=score)
    return Detection(best, matches(report, best))
