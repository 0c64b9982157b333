"""What a rule may look at: one question with the report-wide facts (QuestionContext), or the whole report."""

from __future__ import annotations

from checker.files import RepoFiles
from checker.model import ChecklistItemResult, OfficialAnswer, Range, Registration
from checker.official import OfficialView
from checker.parse import ParsedQuestion, ParsedReport
from checker.questions import Detection, Question, QuestionSet
from checker.records import NamedTuple


class QuestionContext(NamedTuple):
    """One question of the set, its parsed section, and the report-wide facts rules need."""

    question: Question
    parsed: ParsedQuestion
    question_set: QuestionSet
    files: RepoFiles | None
    report_path: str
    student_ids: frozenset[str]
    official: OfficialAnswer | None
    registered: Registration | None = None


class ReportContext(NamedTuple):
    """The whole report against its set: questions by number, how well it matches, what the course checker sees.

    `followed` is the set the report matches best, given only when the caller forced the set;
    `checklist_items` says what the repository shows of each checklist item.
    """

    report: ParsedReport
    question_set: QuestionSet
    by_number: dict[int, list[ParsedQuestion]]
    path: str
    matched: int
    followed: Detection | None
    official: OfficialView | None
    checklist_items: tuple[ChecklistItemResult, ...] = ()


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
