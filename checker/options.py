"""Command-line options that check, scan and html share: declared once here, with one meaning each.

A question set is named by one option, `--set ID|FILE`: a shipped set's id or a TOML file. Its old names,
`--template ID` and `--questions FILE`, still work for a release but are hidden from the help. What the options
mean once parsed (loading the set, the default target) is `checker.command`'s, which needs no click.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

Command = TypeVar("Command", bound=Callable[..., Any])

SET_HELP = ("Check against this question set: a shipped set's id (`reportcheck sets list`) or a TOML file. "
            "Default: the set the report follows best.")
STRICT_HELP = "Warnings also make a report not ready; --no-strict overrides `strict = true` in the configuration."

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
