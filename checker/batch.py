"""Check many reports at once, in worker processes when asked; a failure is a value, never lost work."""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import repeat
from pathlib import Path

from checker.errors import CheckerError
from checker.files import SKIP_DIRS, has_questions
from checker.model import ReportResult
from checker.questions import QuestionSet
from checker.records import NamedTuple


class CheckOptions(NamedTuple):
    """The settings shared by every report of one run (picklable, sent to workers once per chunk)."""

    question_set: QuestionSet | None = None  # None: the set each report follows best
    strict: bool = False
    max_bytes: int | None = None


Outcome = ReportResult | CheckerError


def check_one(target: Path, options: CheckOptions) -> Outcome:
    """Check one target; a CheckerError is returned, not raised, so one bad report never stops the rest."""
    from checker import check_path

    try:
        return check_path(target, question_set=options.question_set, strict=options.strict,
                          max_bytes=options.max_bytes)
    except CheckerError as exc:
        return exc


def expand(targets: list[Path], recursive: bool) -> Iterator[Path]:
    """Yield the targets, replacing each folder by every report below it when `recursive`."""
    for target in targets:
        if recursive and target.is_dir():
            found = sorted(_reports_below(target))
            if not found:
                yield target  # checking it says clearly that no report is there
            yield from found
        else:
            yield target


def _reports_below(root: Path) -> Iterator[Path]:
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        in_reports = Path(folder).name.lower() in ("reports", "report")
        for name in names:
            if not name.lower().endswith(".md"):
                continue
            # A README in a reports folder is a report by its place, even one too broken to recognise.
            if (in_reports and name.lower() == "readme.md") or has_questions(Path(folder) / name):
                yield Path(folder) / name


def check_many(targets: list[Path], options: CheckOptions, jobs: int = 1) -> Iterator[Outcome]:
    """Yield one outcome per target, in order; with jobs > 1 the work is spread over worker processes."""
    if jobs <= 1 or len(targets) < 2:
        for target in targets:
            yield check_one(target, options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork starts workers with the parser already imported; elsewhere the default method is used.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(64, len(targets) // (jobs * 4)))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(check_one, targets, repeat(options), chunksize=chunk)
