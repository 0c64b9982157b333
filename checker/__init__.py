"""reportcheck: check a DTU 02476 MLOps exam report against its year's question set.

Public API: `check_text()` for text you already have (pure), `check_path()` for a report or repository on disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from checker.errors import CheckerError

if TYPE_CHECKING:
    from checker.files import RepoFiles, RepoListing
    from checker.model import Registration, ReportResult
    from checker.questions import QuestionSet

__version__ = "0.1.0"
__all__ = ["CheckerError", "Registration", "RepoListing", "ReportResult", "__version__", "check_path", "check_text",
           "locate"]

# Importing the package is every command's first step: the console script imports `checker.command` before
# deciding anything. So the parser, the question sets and the types load when first used, not here.
_LAZY_TYPES = {"Registration": "checker.model", "ReportResult": "checker.model", "RepoListing": "checker.files"}


def __getattr__(name: str) -> object:
    """Load a public type on first use."""
    if name in _LAZY_TYPES:
        from importlib import import_module

        return getattr(import_module(_LAZY_TYPES[name]), name)
    raise AttributeError(f"module 'checker' has no attribute {name!r}")


def check_text(
    data: bytes | str,
    *,
    path: str | None = None,
    files: RepoFiles | None = None,
    question_set: QuestionSet | str | None = None,
    sets: tuple[QuestionSet, ...] | None = None,
    strict: bool = False,
    registered: Registration | None = None,
    name: str | None = None,
    listing: RepoListing | None = None,
) -> ReportResult:
    """Check one report's content; `path` is its repository-relative path (default `reports/README.md`), `files`
    the repository's files.

    `registered` is what the course's group list says of the repository; `name` is how errors and outputs refer
    to the report (default: `path`), e.g. the path the user gave; `listing` lists the repository's files for the
    checklist's evidence.
    """
    from checker import engine, evidence, official, questions
    from checker.digest import sha256_hex
    from checker.files import REPORT_PATH
    from checker.parse import parse
    from checker.source import decode_report

    path = REPORT_PATH if path is None else path

    # surrogatepass: a str holding lone surrogates becomes bytes that fail decoding with a clear message.
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    text = decode_report(raw, name or path)
    report = parse(text.text)
    if not report.questions:
        raise CheckerError(f"{name or path}: no `### Question N` headings, so this is not an exam report")
    if isinstance(question_set, str):
        question_set = questions.by_id(question_set, sets)
    followed = questions.detect(report, sets)
    chosen = question_set or followed.question_set
    sample = None
    if listing is not None and chosen.evidence is not None:
        sample = evidence.gather(chosen.evidence, listing.paths, listing.read, git=listing.git,
                                 limit=evidence.LOCAL_READS, gap=listing.gap)
    detection = followed if question_set is None else questions.follow(report, chosen)
    result = engine.check(
        report,
        chosen,
        path=path,
        sha256=sha256_hex(raw),
        files=files,
        official=official.predict(text.official_text, chosen),
        matched=detection.matched,
        followed=followed if question_set is not None else None,
        registered=registered,
        strict=strict,
        sample=sample,
        template=questions.template_match(report, detection),
    )
    return result._replace(name=name, line_hashes=_line_hashes(text.text, result))


def _line_hashes(text: str, result: ReportResult) -> tuple[tuple[int, str], ...]:
    """Hash the whitespace-normalised text of every line a finding points at (1-based)."""
    from checker.digest import sha256_hex

    lines = text.splitlines()
    wanted = sorted({f.line for f in result.findings if 1 <= f.line <= len(lines)})
    return tuple((n, sha256_hex(" ".join(lines[n - 1].split()).encode("utf-8"))[:16]) for n in wanted)


def locate(target: str | Path) -> tuple[Path, Path]:
    """Return (report file, repository root) for a report path or a repository folder."""
    from checker.files import find_report, repository_root

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
    if not target.exists() and not target.is_symlink():
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
    result's `files_note` says so. The checklist's evidence is read from the same list, or from the folder named
    as the repository; a lone report outside any repository gets none (its folder says nothing of the project).
    """
    from checker.files import GitFiles
    from checker.source import DEFAULT_MAX_BYTES, read_file

    report, root = locate(target)
    data = read_file(report, DEFAULT_MAX_BYTES if max_bytes is None else max_bytes, "--max-bytes")
    try:
        relative = report.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = report.name
    files = GitFiles(root, relative)
    known = Path(target).is_dir() or (root / ".git").exists()
    result = check_text(
        data,
        path=relative,
        files=files,
        question_set=question_set,
        sets=sets,
        strict=strict,
        name=shown_name(report),
        listing=files.listing() if known else None,
    )
    return result._replace(files_note=files.note) if files.note else result


def shown_name(report: Path) -> str:
    """Name a report by the path the user gave; one found from the current folder (no path given) relative to it."""
    if report.is_absolute():
        try:
            return report.relative_to(Path.cwd()).as_posix()
        except ValueError:
            pass
    return report.as_posix()
