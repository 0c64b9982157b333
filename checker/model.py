"""Immutable result types shared by every stage: findings, per-question results, the report result.

They are NamedTuples rather than frozen dataclasses because `check` defines them on every start, and a
frozen dataclass costs about seven times as much to define.
"""

from __future__ import annotations

from typing import Literal

from checker.records import NamedTuple

Severity = Literal["error", "warning"]
Status = Literal["pass", "fail", "unanswered", "missing"]
# What the repository shows of a checklist item: files that back it, no trace, or nothing files could tell.
EvidenceStatus = Literal["found", "none", "not-checkable"]
Range = tuple[int, int]


class Finding(NamedTuple):
    """One problem in a report, at a 1-based line, with a hint that says how to fix it."""

    line: int
    question: int | None
    rule: str
    severity: Severity
    message: str
    hint: str = ""

    def key(self) -> tuple[int, int, str, str]:
        """Sort by line, then question (report-wide first), then rule."""
        return (self.line, -1 if self.question is None else self.question, self.rule, self.message)

    def as_dict(self) -> dict[str, object]:
        """Return the JSON form used in results."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "question": self.question,
            "line": self.line,
            "message": self.message,
            "hint": self.hint,
        }


class Registration(NamedTuple):
    """What the course's group list says of a repository: its group number and its members' student ids."""

    group: int | None
    students: tuple[str, ...] = ()


class OfficialAnswer(NamedTuple):
    """How the course's own checker sees one answer: its counts and whether it passes it."""

    words: int
    images: int
    passed: bool


class QuestionResult(NamedTuple):
    """The verdict on one question of the question set (present in the report or not)."""

    number: int
    title: str
    status: Status
    words: int | None
    words_range: Range | None
    images: int | None
    images_range: Range | None
    line: int | None
    official: OfficialAnswer | None
    findings: tuple[Finding, ...] = ()


class ChecklistSection(NamedTuple):
    """One week of the module checklist: how many boxes exist and how many are ticked."""

    name: str
    line: int
    checked: int
    total: int
    modules_checked: tuple[str, ...] = ()


class ChecklistItemResult(NamedTuple):
    """One checklist item: its line, whether it is ticked, and what the repository's files show of it.

    `evidence` is None when the repository was not looked at; `claim` is the id of the evidence rule that
    matched the item (None when none did); `looked_for` says what was searched, `reason` why it cannot be told.
    """

    line: int
    checked: bool
    module: str | None
    claim: str | None
    title: str
    evidence: EvidenceStatus | None
    paths: tuple[str, ...] = ()
    looked_for: str = ""
    reason: str = ""

    @property
    def looks_done(self) -> bool:
        """Tell whether the item is not ticked although the repository shows it."""
        return not self.checked and self.evidence == "found"


class TemplateMatch(NamedTuple):
    """Which revision of the course's template a report follows, and where it dropped or changed the guidance.

    `revision` and `date` name the earliest revision that fits best, `alike` later ones that fit as well; all are
    empty when the question set learned no revisions. Guidance (answer length, example) is not part of a question:
    deleting or editing it is noted here, not a finding.
    """

    revision: str = ""
    date: str = ""
    alike: tuple[str, ...] = ()
    guidance_deleted: tuple[int, ...] = ()
    guidance_changed: tuple[int, ...] = ()


class ReportResult(NamedTuple):
    """Everything `check` knows about one report; formats render it, they decide nothing."""

    path: str
    sha256: str
    set_id: str
    prompts_matched: int
    prompts_total: int
    strict: bool
    questions: tuple[QuestionResult, ...]
    findings: tuple[Finding, ...]
    checklist: tuple[ChecklistSection, ...]
    official_crash: str | None = None
    name: str | None = None  # the report as the user named it (`alpha/reports/README.md`), when checked from disk
    # (line, hash of its normalised text) for each line a finding points at: a fingerprint that survives lines
    # moving (SARIF's primaryLocationLineHash) without carrying the report's text around.
    line_hashes: tuple[tuple[int, str], ...] = ()
    checklist_items: tuple[ChecklistItemResult, ...] = ()
    files_note: str | None = None  # why figures were looked for on disk rather than in git
    template: TemplateMatch = TemplateMatch()

    @property
    def label(self) -> str:
        """Name the report as the user did, else by its repository path: outputs of several reports differ."""
        return self.name or self.path

    @property
    def looks_done(self) -> tuple[ChecklistItemResult, ...]:
        """Return the items that are not ticked although the repository shows them."""
        return tuple(item for item in self.checklist_items if item.looks_done)

    @property
    def errors(self) -> int:
        """Count findings of severity error."""
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        """Count findings of severity warning."""
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def passed(self) -> int:
        """Count questions whose status is pass."""
        return sum(1 for q in self.questions if q.status == "pass")

    @property
    def ready(self) -> bool:
        """Tell whether the report can be handed in: no error (and, when strict, no warning)."""
        return self.errors == 0 and (not self.strict or self.warnings == 0)

    @property
    def official_fails(self) -> tuple[int, ...]:
        """Numbers of the questions that pass here but that the course checker will fail."""
        return tuple(q.number for q in self.questions
                     if q.status == "pass" and q.official is not None and not q.official.passed)
