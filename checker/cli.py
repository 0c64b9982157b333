"""The command line: the only place that reads files, prints, and chooses exit codes.

Exit codes of `check`: 0 ready, 1 not ready, 2 could not check (one line on stderr, never a traceback).
"""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path

import click

from checker import __version__
from checker.command import EXIT_ERROR, check_options, check_reports, color_choice, default_target
from checker.errors import CheckerError
from checker.formats import FORMATS
from checker.options import question_set_option, strict_option
from checker.wording import plural

# Commands with heavy imports (PyGithub, HTML rendering) load only when called.
LAZY_COMMANDS: dict[str, str] = {
    "sets": "checker.sets.cli:sets",
    "scan": "checker.scan.cli:scan",
    "html": "checker.html.cli:html",
    "dashboard": "checker.html.cli:dashboard",
    "notify": "checker.scan.commands:notify",
    "history": "checker.scan.commands:history_command",
    "grades": "checker.scan.commands:grades",
    "similar": "checker.similar.cli:similar",
}
# Old command names, kept working for a release but left out of the help.
HIDDEN_ALIASES: dict[str, str] = {
    "spec": "checker.sets.cli:sets",
    "templates": "checker.sets.cli:list_sets",
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when that command runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = LAZY_COMMANDS.get(cmd_name) or HIDDEN_ALIASES.get(cmd_name)
        if target is not None:
            module_name, _, attr = target.partition(":")
            command: click.Command = getattr(import_module(module_name), attr)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportcheck")
def main() -> None:
    """Check DTU 02476 MLOps exam reports before they are handed in."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "formats", type=click.Choice(sorted(FORMATS)), multiple=True,
              help="Output format (default text). Repeat it, each with its own --output, for several outputs.")
@click.option("--output", "-o", "outputs", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Write the output of the matching --format to this file; `-` is standard output.")
@question_set_option
@strict_option
@click.option("--no-config", is_flag=True, help="Ignore [tool.reportcheck] in pyproject.toml.")
@click.option("--no-color", is_flag=True,
              help="No colours. A non-empty NO_COLOR does the same; a non-empty FORCE_COLOR colours even a pipe.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help="Refuse reports larger than this (default 25 MB).")
@click.option("--recursive", "-r", is_flag=True, help="Check every report below each folder given.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes for many reports.")
@click.option("--warn-only", is_flag=True,
              help="Print the findings but exit 0 when a report is not ready (2 still means it could not be checked).")
def check(
    paths: tuple[Path, ...],
    formats: tuple[str, ...],
    outputs: tuple[Path, ...],
    question_set: str | None,
    strict: bool | None,
    no_config: bool,
    no_color: bool,
    max_bytes: int | None,
    recursive: bool,
    jobs: int,
    warn_only: bool,
) -> None:
    """Check the report at PATH (a report file or a repository folder; default: here).

    Settings under [tool.reportcheck] in the pyproject.toml nearest to the first PATH (or here) apply: path,
    set, strict. Options given here override them.
    """
    from checker.batch import expand
    from checker.config import settings

    destinations = _destinations(formats, outputs)
    chosen = settings(paths[0] if paths else None, default_target=default_target(), question_set=question_set,
                      strict=strict, use_config=not no_config)
    options = check_options(chosen, max_bytes)
    targets = list(expand(list(paths) or [chosen.target], recursive))
    color = color_choice(no_color)
    raise SystemExit(check_reports(targets, options, destinations, jobs=jobs, color=color is not False,
                                   emit=lambda text, err: click.echo(text, nl=False, err=err, color=color),
                                   warn_only=warn_only))


def _destinations(formats: tuple[str, ...], outputs: tuple[Path, ...]) -> list[tuple[str, Path | None]]:
    """Pair each --format with its --output by position; None stands for standard output."""
    formats = formats or ("text",)
    if not outputs:
        if len(formats) > 1:
            raise click.UsageError(f"{len(formats)} --format options need one --output each "
                                   "(`--output -` is standard output)")
        return [(formats[0], None)]
    if len(outputs) != len(formats):
        given = f"{plural(len(formats), '--format option')} but {plural(len(outputs), '--output option')}"
        raise click.UsageError(f"{given}: give one --output per --format (`-` is standard output)")
    pairs = [(fmt, None if str(output) == "-" else output) for fmt, output in zip(formats, outputs, strict=True)]
    if sum(1 for _, output in pairs if output is None) > 1:
        raise click.UsageError("only one --format can go to standard output (`--output -`)")
    return pairs




def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code instead of exiting."""
    try:
        main.main(args=argv, prog_name="reportcheck", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    except CheckerError as exc:
        click.echo(f"reportcheck: {exc}", err=True)
        return EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("reportcheck: aborted", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except OSError as exc:
        click.echo(f"reportcheck: {exc}", err=True)
        return EXIT_ERROR
    return 0


def entry() -> None:
    """Run the click command line and exit with its code (the console script starts in checker.command)."""
    sys.exit(run())
