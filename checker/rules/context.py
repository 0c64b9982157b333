"""What a per-question rule may look at."""

from __future__ import annotations

from typing import NamedTuple

from checker.files import RepoFiles
from checker.model import OfficialAnswer, Range
from checker.parse import ParsedQuestion
from checker.questions import Question, QuestionSet


class QuestionContext(NamedTuple):
    """One question of the set, its parsed section, and the report-wide facts rules need."""

    question: Question
    parsed: ParsedQuestion
    question_set: QuestionSet
    files: RepoFiles | None
    report_path: str
    student_ids: frozenset[str]
    official: OfficialAnswer | None


def within(value: int, bounds: Range | None) -> bool:
    """Tell whether value lies in the inclusive range; no range always holds."""
    return bounds is None or bounds[0] <= value <= bounds[1]


def shortfall(value: int, bounds: Range, unit: str) -> str:
    """Say how far value is from the range, e.g. `38 words, needs 50-100: add at least 12`."""
    low, high = bounds
    needs = f"{low}" if low == high else f"{low}-{high}"
    if value < low:
        return f"{value} {unit}, needs {needs}: add at least {low - value}"
    return f"{value} {unit}, needs {needs}: remove at least {value - high}"
