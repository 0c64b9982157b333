"""Read saved scans: `results.jsonl` rows and the JSON result inside each, tolerating missing or odd keys."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from checker.errors import CheckerError
from checker.files import REPORT_PATH
from checker.model import (
    ChecklistSection,
    Finding,
    QuestionResult,
    Range,
    ReportResult,
    Severity,
    Status,
    TemplateMatch,
)

STATUSES = ("pass", "fail", "unanswered", "missing")
REPO_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class Row:
    """One repository of a scan, as the dashboard shows it."""

    repo: str
    group: str
    group_number: int | None
    status: str
    reason: str
    commit: str
    late_commits: int | None
    result: ReportResult | None

    @property
    def verdict(self) -> str:
        """Return `ready`, `not ready`, or the scan status when the report was not checked."""
        if self.result is None:
            return self.status if self.status and self.status != "ok" else "no result"
        return "ready" if self.result.ready else "not ready"

    @property
    def slug(self) -> str:
        """Return the file-name stem for this repository: `owner__name`, with only safe characters."""
        owner, _, name = self.repo.partition("/")
        return _safe(owner) + "__" + _safe(name)


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
            status=cast(Status, status if status in STATUSES else "missing"),
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
    )


def _template_match(template: Mapping[str, Any]) -> TemplateMatch:
    """Read back which template revision a result names, and its guidance notes."""
    revision = _map(template.get("revision"))
    numbers = [tuple(n for n in (_int(v) for v in _list(template.get(key))) if n is not None)
               for key in ("guidance_deleted", "guidance_changed")]
    return TemplateMatch(str(revision.get("id") or ""), str(revision.get("date") or ""),
                         tuple(str(r) for r in _list(revision.get("alike"))), numbers[0], numbers[1])


def row_from_dict(data: Mapping[str, Any]) -> Row:
    """Turn one results.jsonl object into a Row; a damaged result becomes no result, not an exception."""
    raw_result = data.get("result")
    result = None
    if isinstance(raw_result, Mapping):
        try:
            result = result_from_dict(raw_result)
        except (TypeError, ValueError, AttributeError):
            result = None
    group = data.get("group")
    late = data.get("late_commits")
    if isinstance(late, list | tuple):
        late = late[0] if late else None
    return Row(
        repo=str(data.get("repo") or "?"),
        group="" if group is None else str(group),
        group_number=_int(group),
        status=str(data.get("status") or ("ok" if result else "")),
        reason=str(data.get("reason") or ""),
        commit=str(data.get("commit") or ""),
        late_commits=_int(late),
        result=result,
    )


def read_results(lines: Iterable[str]) -> list[dict[str, Any]]:
    """Read results.jsonl lines; the last line of a repository wins and unreadable lines are skipped."""
    rows: dict[str, dict[str, Any]] = {}
    for line in lines:
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and data.get("repo"):
            rows[str(data["repo"]).lower()] = data
    return list(rows.values())


def read_rows(lines: Iterable[str]) -> list[Row]:
    """Read results.jsonl lines into Rows (see `read_results`)."""
    return [row_from_dict(data) for data in read_results(lines)]


def load_results(path: Path) -> list[dict[str, Any]]:
    """Read a results.jsonl file (see `read_results`)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise CheckerError(f"{path}: cannot read ({exc.strerror})") from None
    return read_results(text.splitlines())
