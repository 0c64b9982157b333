"""Command-line options that check, scan and html share: declared once here, with one meaning each.

A question set is named by one option, `--set ID|FILE`: a shipped set's id or a TOML file. Its old names,
`--template ID` and `--questions FILE`, still work for a release but are hidden from the help.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from checker.questions import QuestionSet

Command = TypeVar("Command", bound=Callable[..., Any])

SET_HELP = ("Check against this question set: a shipped set's id (`reportcheck sets list`) or a TOML file. "
            "Default: the set the report follows best.")
STRICT_HELP = "Warnings also make a report not ready; --no-strict overrides `strict = true` in the configuration."

# Where a repository keeps its report; `check` with no path climbs to the folder that holds one.
REPORT_FOLDERS = ("reports", "report")

strict_option = click.option("--strict/--no-strict", default=None, help=STRICT_HELP)


def question_set_option(command: Command) -> Command:
    """Add `--set ID|FILE` to a command, passed on as `question_set`; the old names map onto it."""

    @functools.wraps(command)
    def merged(*args: Any, question_set: str | None = None, old_template: str | None = None,
               old_questions: str | None = None, **kwargs: Any) -> Any:
        given = [value for value in (question_set, old_template, old_questions) if value is not None]
        if len(given) > 1:
            raise click.UsageError("name one question set: --set ID or --set FILE")
        return command(*args, question_set=given[0] if given else None, **kwargs)

    merged = click.option("--questions", "old_questions", metavar="FILE", hidden=True)(merged)
    merged = click.option("--template", "old_template", metavar="ID", hidden=True)(merged)
    merged = click.option("--set", "question_set", metavar="ID|FILE", help=SET_HELP)(merged)
    return merged  # type: ignore[return-value]


def is_set_file(value: str, base: Path | None = None) -> bool:
    """Tell whether a question-set name is a file (relative to `base`) rather than a shipped set's id."""
    return value.endswith(".toml") or "/" in value or "\\" in value or ((base or Path()) / value).is_file()


def load_set(value: str | Path | None) -> QuestionSet | None:
    """Return the question set a `--set` value names (a file is schema-validated), or None for "detect"."""
    if value is None:
        return None
    if isinstance(value, Path) or is_set_file(value):
        from checker.sets.validate import load_valid_set

        return load_valid_set(Path(value))
    from checker.questions import by_id

    return by_id(value)


def default_target() -> Path:
    """Return what to check when no path is given: the repository this folder belongs to, wherever in it we are.

    That is the nearest folder at or above this one that is a git working tree's root or holds the report
    (`reports/README.md` or `report/README.md`); else this folder.
    """
    cwd = Path.cwd()
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists() or any(_holds_readme(folder / place) for place in REPORT_FOLDERS):
            return folder
    return cwd


def _holds_readme(folder: Path) -> bool:
    """Tell whether a folder holds a `README.md` in any case (`reports/readme.md` is common)."""
    try:
        return folder.is_dir() and any(entry.name.lower() == "readme.md" and entry.is_file()
                                       for entry in folder.iterdir())
    except OSError:
        return False
