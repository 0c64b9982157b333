"""The one place the scan calls the checker core: check a report against a repository's tree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from checker.errors import CheckerError
from checker.source import DEFAULT_MAX_BYTES

# The same limit as `check --max-bytes`: a report larger than this is a row of its own, never parsed.
MAX_REPORT_BYTES = DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from checker.model import Registration, ReportResult
    from checker.questions import QuestionSet


def check_report(
    data: bytes,
    *,
    path: str,
    tree_paths: Iterable[str],
    question_set: QuestionSet | None,
    strict: bool,
    registered: Registration | None = None,
) -> ReportResult:
    """Check report bytes with the repository's files; raises CheckerError when they cannot be read."""
    import checker
    from checker.files import TreeFiles

    if len(data) > MAX_REPORT_BYTES:
        raise CheckerError(f"{path}: {len(data)} bytes is over the {MAX_REPORT_BYTES}-byte limit")
    return checker.check_text(
        data,
        path=path,
        files=TreeFiles(tree_paths),
        question_set=question_set,
        strict=strict,
        registered=registered,
    )


def json_result(result: ReportResult) -> dict[str, Any]:
    """Return the core's JSON form of a result."""
    from checker.formats.json import result_dict

    return result_dict(result)
