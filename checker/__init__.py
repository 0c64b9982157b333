"""reportcheck: check a DTU 02476 MLOps exam report against its year's question set.

Public API: `check_text()` for text you already have (pure), `check_path()` for a report or repository on disk.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import NamedTuple

from checker.errors import CheckerError
from checker.files import REPORT_PATH, GitFiles, RepoFiles, find_report, repository_root
from checker.model import Registration, ReportResult
from checker.parse import ParsedReport
from checker.questions import QuestionSet

__version__ = "0.1.0"
__all__ = ["Analysis", "CheckerError", "Registration", "ReportResult", "__version__", "analyse", "check_path",
           "check_text", "locate"]


class Analysis(NamedTuple):
    """A checked report with what the check was based on, for callers that look further (the scan)."""

    parsed: ParsedReport
    question_set: QuestionSet
    result: ReportResult


def check_text(
    data: bytes | str,
    *,
    path: str = REPORT_PATH,
    files: RepoFiles | None = None,
    question_set: QuestionSet | str | None = None,
    sets: tuple[QuestionSet, ...] | None = None,
    strict: bool = False,
    registered: Registration | None = None,
    name: str | None = None,
) -> ReportResult:
    """Check one report's content; `path` is its repository-relative path, `files` the repository's files.

    `registered` is what the course's group list says of the repository; `name` is how errors refer to the
    report (default: `path`).
    """
    return analyse(data, path=path, files=files, question_set=question_set, sets=sets, strict=strict,
                   registered=registered, name=name).result


def analyse(
    data: bytes | str,
    *,
    path: str = REPORT_PATH,
    files: RepoFiles | None = None,
    question_set: QuestionSet | str | None = None,
    sets: tuple[QuestionSet, ...] | None = None,
    strict: bool = False,
    registered: Registration | None = None,
    name: str | None = None,
) -> Analysis:
    """Do what `check_text` does and also return the parsed report and the question set it was checked against."""
    from checker import engine, official, questions
    from checker.parse import parse
    from checker.source import decode_report

    # surrogatepass: a str holding lone surrogates becomes bytes that fail decoding with a clear message.
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    name = name or path
    text = decode_report(raw, name)
    report = parse(text.text)
    if not report.questions:
        raise CheckerError(f"{name}: no `### Question N` headings, so this is not an exam report")
    if isinstance(question_set, str):
        question_set = questions.by_id(question_set, sets)
    followed = questions.detect(report, sets)
    chosen = question_set or followed.question_set
    result = engine.check(
        report,
        chosen,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        files=files,
        official=official.predict(text.official_text, chosen),
        matched=questions.matches(report, chosen),
        followed=followed if question_set is not None else None,
        registered=registered,
        strict=strict,
    )
    return Analysis(report, chosen, result)


def locate(target: str | Path) -> tuple[Path, Path]:
    """Return (report file, repository root) for a report path or a repository folder."""
    target = Path(target)
    if target.is_dir():
        if target.name.lower() in ("reports", "report") and (target / "README.md").is_file():
            return target / "README.md", repository_root(target / "README.md")
        report = find_report(target)
        if report is None:
            raise CheckerError(f"{target}: no report found (looked for reports/README.md and markdown files "
                               "with `### Question` headings)")
        # A folder named on the command line is the repository: figure links resolve inside it.
        return report, target
    if not target.exists():
        raise CheckerError(f"{target}: no such file")
    return target, repository_root(target)


def check_path(
    target: str | Path,
    *,
    question_set: QuestionSet | str | None = None,
    sets: tuple[QuestionSet, ...] | None = None,
    strict: bool = False,
    max_bytes: int | None = None,
) -> ReportResult:
    """Check the report at `target` (a file, or a repository folder) against its repository's files.

    Inside git those are the files git will push (tracked or staged); elsewhere the files on disk, and the
    result's `files_note` says so.
    """
    from checker.source import DEFAULT_MAX_BYTES

    report, root = locate(target)
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        size = report.stat().st_size
        if size > limit:
            raise CheckerError(f"{report}: {size} bytes is over the {limit}-byte limit (--max-bytes)")
        data = report.read_bytes()
    except IsADirectoryError:
        raise CheckerError(f"{report}: is a folder, not a report file") from None
    except OSError as exc:
        raise CheckerError(f"{report}: cannot read ({exc.strerror})") from None
    try:
        relative = report.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = report.name
    files = GitFiles(root, relative)
    result = check_text(
        data,
        path=relative,
        files=files,
        question_set=question_set,
        sets=sets,
        strict=strict,
        name=str(report),
    )
    return result._replace(files_note=files.note) if files.note else result
