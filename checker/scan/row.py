"""One repository's line of a scan, typed, from the judge to results.jsonl, summary.csv, feedback and the dashboard.

A `ScanRow` is written as one JSON object of `results.jsonl` (schemas/scan-row.schema.json) and read back with
`ScanRow.from_json`, which also reads the rows written before rows carried a `schema_version`, and tolerates
missing or odd keys: a saved scan is data people keep and edit. The row's verdict, its standing in the summary
line, its order and its summary cells are worked out here and nowhere else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any, Literal, cast

from checker.files import REPORT_PATH
from checker.model import (
    ChecklistItemResult,
    ChecklistSection,
    EvidenceStatus,
    Finding,
    QuestionResult,
    Range,
    ReportResult,
    Severity,
    Status,
    TemplateMatch,
)
from checker.scan.snapshot import FINAL_STATUSES
from checker.wording import plural

# 1: the first versioned rows. Rows without `schema_version` (written before it) are read as version 0: the
# same keys, except that a row that was not checked leaves out those it has no value for.
SCHEMA_VERSION = 1
# A scan's statuses whose repository had nothing to hand in: counted as not passed, not as unreachable.
NOTHING_TO_HAND_IN = frozenset({"no-report", "unreadable", "no-commit", "empty"})
SUMMARY_COLUMNS = (
    "group",
    "repo",
    "ready",
    "passed/total",
    "errors",
    "warnings",
    "late commits",
    "commit",
    "status",
    "reason",
)
REPO_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
QUESTION_STATUSES = ("pass", "fail", "unanswered", "missing")

Standing = Literal["ready", "not passed", "unreachable", "not scanned"]


@dataclass(frozen=True)
class ScanRow:
    """One repository of a scan: what was read, which commit, and the check's verdict on its report."""

    repo: str
    group: int | None = None
    students: tuple[str, ...] = ()
    status: str = "ok"  # "ok": the report was checked; else why not (snapshot.FINAL_STATUSES and the rest)
    reason: str = ""
    deadline: str | None = None
    deadline_source: str = "head"
    recorded_head: str | None = None
    recorded_at: str | None = None
    scanned_at: str = ""
    branch: str | None = None
    commit: str | None = None
    commit_date: str | None = None
    head: str | None = None
    late_commits: int | None = None  # after the checked commit, touching the report's folder
    late_commits_total: int | None = None
    report_path: str | None = None
    notes: tuple[str, ...] = ()
    requests: int | None = None
    cached: bool = False
    ready: bool | None = None  # None: not checked
    passed: int | None = None
    total: int | None = None
    errors: int | None = None
    warnings: int | None = None
    result: Mapping[str, Any] | None = None  # the core's JSON result (schemas/result.schema.json)

    @property
    def key(self) -> str:
        """Return the name results and the cache use for this repository (case-insensitive on GitHub)."""
        return self.repo.lower()

    @property
    def checked(self) -> bool:
        """Tell whether the report was checked."""
        return self.status == "ok" and self.ready is not None

    @property
    def verdict(self) -> str:
        """Return `ready`, `not ready`, or the status that says why the report was not checked."""
        if self.ready is not None:
            return "ready" if self.ready else "not ready"
        return self.status if self.status not in ("", "ok") else "no result"

    @property
    def said(self) -> str:
        """Return the verdict in a few words, as the progress lines show it."""
        if self.checked:
            counts = f"{plural(self.errors or 0, 'error')}, {plural(self.warnings or 0, 'warning')}"
            return "ready" if self.ready else f"not ready ({counts})"
        return f"{self.status}: {self.reason}"

    @property
    def standing(self) -> Standing:
        """Return where the summary line counts this row."""
        if self.status == "ok":
            return "ready" if self.ready else "not passed"
        if self.status in NOTHING_TO_HAND_IN:
            return "not passed"
        return "not scanned" if self.status == "not-scanned" else "unreachable"

    @property
    def done(self) -> bool:
        """Tell whether --resume may keep this row instead of scanning the repository again."""
        return self.status in FINAL_STATUSES

    @property
    def sort_key(self) -> tuple[bool, int, str]:
        """Order rows by group number (rows without one last), then repository."""
        return (self.group is None, self.group or 0, self.repo.lower())

    @property
    def slug(self) -> str:
        """Return the file-name stem for this repository: `owner__name`, with only safe characters."""
        owner, _, name = self.repo.partition("/")
        return _safe(owner) + "__" + _safe(name)

    @cached_property
    def report(self) -> ReportResult | None:
        """Return the check's result as the core's type, or None when there is none (or it is damaged)."""
        if not isinstance(self.result, Mapping):
            return None
        try:
            return result_from_dict(self.result)
        except (TypeError, ValueError, AttributeError):
            return None

    def cells(self) -> dict[str, str]:
        """Return the row's summary cells by column (SUMMARY_COLUMNS), as summary.csv and the table show them."""
        checked = self.checked
        return {
            "group": "" if self.group is None else str(self.group),
            "repo": self.repo,
            "ready": ("yes" if self.ready else "no") if checked else "",
            "passed/total": f"{self.passed or 0}/{self.total or 0}" if checked else "",
            "errors": str(self.errors or 0) if checked else "",
            "warnings": str(self.warnings or 0) if checked else "",
            "late commits": "" if self.late_commits is None else str(self.late_commits),
            "commit": (self.commit or "")[:12],
            "status": self.status,
            "reason": self.reason,
        }

    def answers(self) -> dict[int, tuple[str, int | None]]:
        """Return each question's status and word count by number (nothing when the report was not checked)."""
        report = self.report if self.checked else None
        return {q.number: (q.status, q.words) for q in report.questions} if report is not None else {}

    def to_json(self) -> dict[str, Any]:
        """Return the row as one results.jsonl object."""
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        data.update((f.name, getattr(self, f.name)) for f in fields(self))
        data["students"], data["notes"] = list(self.students), list(self.notes)
        data["result"] = dict(self.result) if self.result is not None else None
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScanRow:
        """Read one results.jsonl object, of any version; a missing or odd value becomes its default."""
        result = data.get("result")
        result = result if isinstance(result, Mapping) else None
        late = data.get("late_commits")
        if isinstance(late, list | tuple):
            late = late[0] if late else None
        ready = data.get("ready")
        summary = _map(result.get("summary")) if result is not None else {}
        if not isinstance(ready, bool) and result is not None:
            ready = result.get("ready") if isinstance(result.get("ready"), bool) else None

        def number(name: str, fallback: Any = None) -> int | None:
            value = _int(data.get(name))
            return value if value is not None else _int(fallback)

        return cls(
            repo=str(data.get("repo") or "?"),
            group=_int(data.get("group")),
            students=tuple(str(s) for s in _list(data.get("students"))),
            status=str(data.get("status") or ("ok" if result is not None else "")),
            reason=str(data.get("reason") or ""),
            deadline=_text(data.get("deadline")),
            deadline_source=str(data.get("deadline_source") or "head"),
            recorded_head=_text(data.get("recorded_head")),
            recorded_at=_text(data.get("recorded_at")),
            scanned_at=str(data.get("scanned_at") or ""),
            branch=_text(data.get("branch")),
            commit=_text(data.get("commit")),
            commit_date=_text(data.get("commit_date")),
            head=_text(data.get("head")),
            late_commits=_int(late),
            late_commits_total=_int(data.get("late_commits_total")),
            report_path=_text(data.get("report_path")),
            notes=tuple(str(n) for n in _list(data.get("notes"))),
            requests=_int(data.get("requests")),
            cached=data.get("cached") is True,
            ready=ready,
            passed=number("passed", summary.get("passed")) if ready is not None else None,
            total=number("total", summary.get("questions")) if ready is not None else None,
            errors=number("errors", summary.get("errors")) if ready is not None else None,
            warnings=number("warnings", summary.get("warnings")) if ready is not None else None,
            result=result,
        )


def read_rows(lines: Iterable[str]) -> dict[str, ScanRow]:
    """Read results.jsonl lines by repository: the last line of each wins; a line that is not a row is skipped."""
    rows: dict[str, ScanRow] = {}
    for line in lines:
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a crash, or not JSON at all
        if isinstance(data, dict) and isinstance(data.get("repo"), str) and data["repo"]:
            row = ScanRow.from_json(data)
            rows[row.key] = row
    return rows


def ordered(rows: Iterable[ScanRow]) -> list[ScanRow]:
    """Return rows by group number (rows without one last), then repository: the one order of saved rows."""
    return sorted(rows, key=lambda row: row.sort_key)


def tally(rows: Iterable[ScanRow]) -> dict[Standing, int]:
    """Count rows as the terminal summary does: ready, not passed, unreachable, not scanned."""
    counts: dict[Standing, int] = {"ready": 0, "not passed": 0, "unreachable": 0, "not scanned": 0}
    for row in rows:
        counts[row.standing] += 1
    return counts


def summary_line(rows: Iterable[ScanRow]) -> str:
    """Return the one-line verdict, e.g. `118 ready, 9 not passed, 3 unreachable`."""
    counts = tally(rows)
    line = f"{counts['ready']} ready, {counts['not passed']} not passed, {counts['unreachable']} unreachable"
    if counts["not scanned"]:
        line += f", {counts['not scanned']} not scanned"
    return line


def result_from_dict(data: Mapping[str, Any]) -> ReportResult:
    """Rebuild a ReportResult from its JSON form (`checker.formats.json.result_dict`), keys may be missing."""
    questions = []
    for item in _list(data.get("questions")):
        if not isinstance(item, Mapping) or _int(item.get("number")) is None:
            continue
        status = item.get("status")
        findings = tuple(f for f in map(_finding, _list(item.get("findings"))) if f is not None)
        questions.append(QuestionResult(
            number=_int(item.get("number")) or 0,
            title=str(item.get("title", "")),
            status=cast(Status, status if status in QUESTION_STATUSES else "missing"),
            words=_int(item.get("words")),
            words_range=_range(item.get("words_range")),
            images=_int(item.get("images")),
            images_range=_range(item.get("images_range")),
            line=_int(item.get("line")),
            official=None,
            findings=findings,
        ))
    checklist = _map(data.get("checklist"))
    sections = tuple(
        ChecklistSection(str(s.get("name", "")), 0, _int(s.get("checked")) or 0, _int(s.get("total")) or 0,
                         tuple(str(m) for m in _list(s.get("modules"))))
        for s in _list(checklist.get("sections"))
        if isinstance(s, Mapping)
    )
    items = tuple(item for item in map(_checklist_item, _list(checklist.get("items"))) if item is not None)
    source = _map(data.get("source"))
    template = _map(data.get("template"))
    official = _map(data.get("official"))
    crash = official.get("crash")
    return ReportResult(
        path=str(source.get("path") or REPORT_PATH),
        sha256=str(source.get("sha256") or ""),
        set_id=str(template.get("id") or "?"),
        prompts_matched=_int(template.get("matched")) or 0,
        prompts_total=_int(template.get("total")) or len(questions),
        strict=bool(data.get("strict", False)),
        questions=tuple(questions),
        findings=tuple(f for f in map(_finding, _list(data.get("findings"))) if f is not None),
        checklist=sections,
        official_crash=str(crash) if crash else None,
        template=_template_match(template),
        checklist_items=items,
    )


EVIDENCE_STATES = ("found", "none", "not-checkable")


def _checklist_item(data: Any) -> ChecklistItemResult | None:
    """Read back one checklist item and its evidence (`checklist.items[]`); None for one without a line."""
    if not isinstance(data, Mapping) or _int(data.get("line")) is None:
        return None
    state = data.get("evidence")
    return ChecklistItemResult(
        line=_int(data.get("line")) or 0,
        checked=data.get("checked") is True,
        module=_text(data.get("module")),
        claim=_text(data.get("claim")),
        title=str(data.get("title") or ""),
        evidence=cast(EvidenceStatus, state) if state in EVIDENCE_STATES else None,
        paths=tuple(str(p) for p in _list(data.get("paths"))),
        looked_for=str(data.get("looked_for") or ""),
        reason=str(data.get("reason") or ""),
    )


def _template_match(template: Mapping[str, Any]) -> TemplateMatch:
    """Read back which template revision a result names, and its guidance notes."""
    revision = _map(template.get("revision"))
    numbers = [tuple(n for n in (_int(v) for v in _list(template.get(key))) if n is not None)
               for key in ("guidance_deleted", "guidance_changed")]
    return TemplateMatch(str(revision.get("id") or ""), str(revision.get("date") or ""),
                         tuple(str(r) for r in _list(revision.get("alike"))), numbers[0], numbers[1])


def _safe(part: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", part).lstrip(".")
    return cleaned or "_"


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _range(value: Any) -> Range | None:
    if isinstance(value, list | tuple) and len(value) == 2:
        low, high = _int(value[0]), _int(value[1])
        if low is not None and high is not None:
            return (low, high)
    return None


def _finding(data: Any) -> Finding | None:
    if not isinstance(data, Mapping):
        return None
    severity = data.get("severity")
    return Finding(
        line=_int(data.get("line")) or 1,
        question=_int(data.get("question")),
        rule=str(data.get("rule", "")),
        severity=cast(Severity, severity if severity in ("error", "warning") else "warning"),
        message=str(data.get("message", "")),
        hint=str(data.get("hint") or ""),
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
