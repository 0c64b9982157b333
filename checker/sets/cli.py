"""`reportcheck sets`: list, draft, learn, validate and compare question sets; this shell reads, prints and exits.

Exit codes: list 0; extract 0 complete / 1 written but with questions to finish by hand; learn 0; validate 0 valid /
1 invalid; diff 0 same / 1 different (as diff(1)); every command 2 when an input cannot be read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import click

from checker.errors import CheckerError
from checker.questions import QuestionSet, by_id, from_data
from checker.sets.diff import SetDiff, as_dict, render_text
from checker.wording import plural

EXIT_OK, EXIT_PROBLEMS = 0, 1
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# File names that say nothing about the course or year: an id made from them would collide.
GENERIC_STEMS = frozenset({"readme", "template", "index", "report", "blank"})


def _read_template(path: Path) -> str:
    from checker.source import decode_report, read_file

    return decode_report(read_file(path, what="template"), str(path)).text


def derive_id(path: Path) -> str:
    """Return a question-set id made from a template's file name, or say to pass --id."""
    from checker.sets.extract import slugify

    stem = slugify(path.stem)
    if not stem or stem in GENERIC_STEMS:
        raise CheckerError(f"{path}: cannot make an id from the file name '{path.name}'; pass --id")
    return stem


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def sets() -> None:
    """List, draft, learn, validate and compare question sets (for a new year's template, or another course)."""


@sets.command("list")
def list_sets() -> None:
    """List the shipped question sets, newest first."""
    from checker.questions import shipped

    for question_set in reversed(shipped()):
        ranged = sum(1 for q in question_set.questions if q.words or q.images)
        click.echo(f"{question_set.id:<16} {len(question_set.questions)} questions, {ranged} with ranges  "
                   f"{question_set.title}")


@sets.command()
@click.argument("template", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "set_id", help="Id of the new set (default: from the file name).")
@click.option("--title", help="Title of the new set (default: its id).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the TOML to this file instead of standard output.")
def extract(template: Path, set_id: str | None, title: str | None, output: Path | None) -> None:
    """Draft a question set from the blank TEMPLATE; questions to finish by hand are listed on stderr.

    The template is also learned as the set's first revision (see `learn`), named after the file.
    """
    from checker.sets.extract import Extraction, to_toml
    from checker.sets.extract import extract as draft
    from checker.sets.learn import learn as learn_one
    from checker.sets.learn import revision_from_path

    set_id = set_id or derive_id(template)
    if not ID_PATTERN.match(set_id):
        raise CheckerError(f"--id {set_id!r}: use lower-case letters, digits, '.', '_' and '-'")
    text = _read_template(template)
    result = draft(text, set_id, title)
    result = Extraction(learn_one(result.data, text, revision_from_path(template), str(template)), result.gaps)
    text = to_toml(result, template.name)
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CheckerError(f"{output}: cannot write ({exc.strerror})") from None
    for gap in result.gaps:
        click.echo(gap.describe(str(template)), err=True)
    if result.gaps:
        click.echo(f"{plural(len(result.gaps), 'point')} to finish by hand", err=True)
    raise SystemExit(EXIT_PROBLEMS if result.gaps else EXIT_OK)


@sets.command()
@click.argument("templates", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", "into", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The question-set file to teach (rewritten in place).")
@click.option("--fresh", is_flag=True, help="Forget every revision learned before.")
@click.option("--revision", "revision_id", help="Id of the revision (one TEMPLATE only; default: from its name).")
@click.option("--date", "revision_date", help="Date of the revision, YYYY-MM-DD (default: from its name).")
def learn(templates: tuple[Path, ...], into: Path, fresh: bool, revision_id: str | None,
          revision_date: str | None) -> None:
    """Teach the question set in --into the wordings of each TEMPLATE revision (fingerprints only, never text).

    A template named DATE-ID.md (e.g. 2026-01-09-eb7305c5.md) is the revision ID of that date.
    """
    from checker.questions import Revision
    from checker.sets.learn import REVISION_ID, revision_from_path
    from checker.sets.learn import fresh as forget_all
    from checker.sets.learn import learn as learn_one
    from checker.sets.tomlfile import hashes_as_lists, with_learned
    from checker.sets.validate import load_data, validate

    if (revision_id or revision_date) and len(templates) > 1:
        raise CheckerError("--revision and --date name one revision: give one TEMPLATE with them")
    if revision_date and not DATE_PATTERN.match(revision_date):
        raise CheckerError(f"--date {revision_date!r}: write it as YYYY-MM-DD")
    if revision_id and not REVISION_ID.match(revision_id):
        raise CheckerError(f"--revision {revision_id!r}: use letters, digits, '.', '_' and '-'")
    data = load_data(into)
    if fresh:
        data = forget_all(data)
    problems = validate(data, str(into))
    if problems:
        raise CheckerError(f"{problems[0]} (run `reportcheck sets validate {into}`)")
    for template in templates:
        named = Revision(revision_id) if revision_id else revision_from_path(template)
        revision = Revision(named.id, revision_date or named.date)
        data = learn_one(data, _read_template(template), revision, str(template))
        click.echo(f"{template}: learned as revision {revision.id}" + (f" of {revision.date}" if revision.date else ""),
                   err=True)
    text = with_learned(into.read_text(encoding="utf-8"), data)
    if hashes_as_lists(_toml_data(text, into)) != hashes_as_lists(data):  # a writer's bug, said, not written
        raise CheckerError(f"{into}: the learned set does not read back as learned; nothing written")
    problems = validate(data, str(into))
    if problems:
        raise CheckerError(f"the learned set is not valid: {problems[0]}")
    try:
        into.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CheckerError(f"{into}: cannot write ({exc.strerror})") from None
    click.echo(f"{into}: {len(data['revisions'])} revisions", err=True)


def _toml_data(text: str, origin: Path) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # a bug of the writer, said plainly
        raise CheckerError(f"{origin}: the learned set does not read back as TOML ({exc})") from None


@sets.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--template", "template", type=click.Path(dir_okay=False, path_type=Path),
              help="Also check this blank template against the set: all unanswered, all prompts matched.")
def validate(file: Path, template: Path | None) -> None:
    """Validate the question-set FILE: schema, numbering, ranges, ids, and optionally a blank template."""
    from checker.sets.validate import load_data
    from checker.sets.validate import validate as check_set

    data = load_data(file)
    blank = (_read_template(template), str(template)) if template is not None else None
    problems = check_set(data, str(file), blank)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise SystemExit(EXIT_PROBLEMS)
    questions = data["questions"]
    extra = f"; {template} matches it" if template is not None else ""
    click.echo(f"{file}: valid question set '{data['id']}' ({len(questions)} questions){extra}")
    raise SystemExit(EXIT_OK)


def _load_set(name: str) -> QuestionSet:
    """Load a set from a file, or a shipped set by id when no such file exists."""
    path = Path(name)
    if path.exists() or name.endswith(".toml"):
        from checker.sets.validate import load_data, schema_problems

        data = load_data(path)
        problems = schema_problems(data, name)
        if problems:
            raise CheckerError(f"{problems[0]} (run `reportcheck sets validate {name}`)")
        return from_data(data, name)
    return by_id(name)


def _json(result: SetDiff) -> str:
    return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"


DIFF_FORMATS: MappingProxyType[str, Callable[[SetDiff], str]] = MappingProxyType(
    {"text": render_text, "json": _json}
)


@sets.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(sorted(DIFF_FORMATS)), default="text", show_default=True,
              help="Output format.")
def diff(old: str, new: str, fmt: str) -> None:
    """Say what changed from question set OLD to NEW (files, or ids of shipped sets)."""
    from checker.sets.diff import diff as compare

    result = compare(_load_set(old), _load_set(new))
    click.echo(DIFF_FORMATS[fmt](result), nl=False)
    raise SystemExit(EXIT_OK if result.empty else EXIT_PROBLEMS)

