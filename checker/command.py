"""The `check` command's work, apart from click: settings -> options -> results -> outputs -> exit code.

The console script sends a plain `reportcheck check [PATH]...` (no option at all, the pre-commit hook's call)
straight here, so the command people run most starts without importing click: about 12 ms of a 0.1 s start.
Anything with an option goes through click (`checker.cli`), whose `check` ends in the same `check_reports`.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from checker.errors import CheckerError

if TYPE_CHECKING:
    from checker.batch import CheckOptions
    from checker.config import Settings
    from checker.model import ReportResult
    from checker.questions import QuestionSet

EXIT_READY, EXIT_NOT_READY, EXIT_ERROR = 0, 1, 2

# Prints text to standard output (err=False) or standard error (err=True).
Emit = Callable[[str, bool], None]
Destination = tuple[str, Path | None]


# Where a repository keeps its report; `check` with no path climbs to the folder that holds one.
REPORT_FOLDERS = ("reports", "report")


def default_target() -> Path:
    """Return what to check when no path is given: the repository this folder belongs to, wherever in it we are.

    That is the nearest folder at or above this one that is a git working tree's root or holds the report
    (`reports/README.md` or `report/README.md`); else this folder. The path is relative to this folder.
    """
    cwd = Path.cwd()
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists() or any(_holds_readme(folder / place) for place in REPORT_FOLDERS):
            # Relative to here, so the report is named as the user would type it: `../reports/README.md`.
            return Path(os.path.relpath(folder, cwd))
    return Path()


def _holds_readme(folder: Path) -> bool:
    """Tell whether a folder holds a `README.md` in any case (`reports/readme.md` is common)."""
    try:
        return folder.is_dir() and any(entry.name.lower() == "readme.md" and entry.is_file()
                                       for entry in folder.iterdir())
    except OSError:
        return False


def color_choice(no_color: bool, env: Mapping[str, str] = os.environ) -> bool | None:
    """Decide colour: off when asked or NO_COLOR is non-empty, on when FORCE_COLOR is, else None (a terminal).

    As no-color.org and force-color.org say, only a non-empty value counts; with None, colour goes to a terminal
    and never into a pipe or a file (click strips it; the plain path asks the terminal itself).
    """
    if no_color or env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    return None


def load_set(value: str | Path | None) -> QuestionSet | None:
    """Return the question set a `--set` value names (a file is schema-validated), or None for "detect"."""
    if value is None:
        return None
    from checker.config import is_set_file

    if isinstance(value, Path) or is_set_file(value):
        from checker.sets.validate import load_valid_set

        return load_valid_set(Path(value))
    from checker.questions import by_id

    return by_id(value)


def check_options(chosen: Settings, max_bytes: int | None = None) -> CheckOptions:
    """Turn resolved settings into the options of a check run (the question set is loaded here, once)."""
    from checker.batch import CheckOptions

    try:
        question_set = load_set(chosen.question_set)
    except CheckerError as exc:
        raise chosen.set_error(exc) from None
    return CheckOptions(question_set=question_set, strict=chosen.strict, max_bytes=max_bytes)


def run_settings(chosen: Settings, max_bytes: int | None = None) -> ReportResult:
    """Check the one report the settings name; a problem is raised as a CheckerError."""
    from checker import check_path

    options = check_options(chosen, max_bytes)
    return check_path(chosen.target, question_set=options.question_set, strict=options.strict, max_bytes=max_bytes)


def _write(text: str, output: Path | None, emit: Emit) -> None:
    if output is None:
        emit(text, False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        emit(text, False)
        raise CheckerError(f"{output}: cannot write ({exc.strerror}); the result is printed above") from None


def check_reports(targets: list[Path], options: CheckOptions, destinations: Sequence[Destination], *, jobs: int,
                  color: bool, emit: Emit, warn_only: bool = False) -> int:
    """Check every target, write each format to its destination, and return the exit code of `check`.

    `color` asks for colour on standard output; `warn_only` exits 0 for reports that are not ready.
    """
    from checker.batch import check_many
    from checker.formats import RenderOptions, render_many
    from checker.model import ReportResult

    results: list[ReportResult] = []
    failures = 0
    for outcome in check_many(targets, options, jobs):
        if isinstance(outcome, ReportResult):
            results.append(outcome)
        else:
            emit(f"reportcheck: {outcome}\n", True)
            failures += 1
    if results:
        for fmt, output in destinations:
            _write(render_many(fmt, results, RenderOptions(color=color and output is None)), output, emit)
    if failures:
        return EXIT_ERROR
    return EXIT_READY if warn_only or all(r.ready for r in results) else EXIT_NOT_READY


def is_plain_check(argv: Sequence[str]) -> bool:
    """Tell whether argv is `check` followed by paths only, which needs no option parser."""
    # click expands wildcards on Windows; leave that platform to click.
    return os.name != "nt" and bool(argv) and argv[0] == "check" and not any(a.startswith("-") for a in argv[1:])


def _emit(text: str, err: bool) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text)
    stream.flush()


def plain_check(paths: Sequence[str]) -> int:
    """Run `check PATH...` with every option at its default, as `checker.cli` would; return the exit code."""
    from checker.batch import expand
    from checker.config import settings

    try:
        targets = [Path(p) for p in paths]
        chosen = settings(targets[0] if targets else None, default_target=default_target())
        found = list(expand(targets or [chosen.target], recursive=False))
        color = color_choice(False)
        return check_reports(found, check_options(chosen), [("text", None)], jobs=1,
                             color=sys.stdout.isatty() if color is None else color, emit=_emit)
    except (CheckerError, OSError) as exc:
        _emit(f"reportcheck: {exc}\n", True)
        return EXIT_ERROR
    except (KeyboardInterrupt, EOFError):
        _emit("reportcheck: aborted\n", True)
        return EXIT_ERROR


def entry() -> None:
    """Console-script entry point: a plain `check` runs here, every other command line through click."""
    argv = sys.argv[1:]
    if is_plain_check(argv):
        # The cyclic garbage collector finds nothing to free in a check (a 20 MB report, or 200 reports in one
        # run, peak at the same memory without it), but its passes over the objects imports create cost about
        # 5 ms of a 90 ms start.
        gc.disable()
        sys.exit(plain_check(argv[1:]))
    from checker.cli import entry as click_entry

    click_entry()
