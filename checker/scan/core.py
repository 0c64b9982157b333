"""The one place the scan calls the checker core: check a report against a repository's tree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from checker.errors import CheckerError
from checker.source import DEFAULT_MAX_BYTES
from checker.wording import size_over

if TYPE_CHECKING:
    from checker.files import RepoListing
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
    max_bytes: int = DEFAULT_MAX_BYTES,
    listing: RepoListing | None = None,
) -> ReportResult:
    """Check report bytes with the repository's files; raises CheckerError when they cannot be read.

    `listing` holds the commit's files and the small files read, for the checklist's evidence.
    """
    import checker
    from checker.files import TreeFiles

    if len(data) > max_bytes:
        raise CheckerError(too_large(path, len(data), max_bytes))
    return checker.check_text(
        data,
        path=path,
        files=TreeFiles(tree_paths),
        question_set=question_set,
        strict=strict,
        registered=registered,
        listing=listing,
    )


def too_large(path: str, size: int, limit: int) -> str:
    """Say that a report is over the scan's --max-bytes, the same way whether it was read or only listed."""
    return f"{path}: {size_over(size, limit)} (--max-bytes)"


def json_result(result: ReportResult) -> dict[str, Any]:
    """Return the core's JSON form of a result."""
    from checker.formats.json import result_dict

    return result_dict(result)
