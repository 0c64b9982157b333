"""Validate a question-set file: the schema, then what a schema cannot say, then optionally a self-test.

Every problem is one line: where it is (a path such as `questions[3].words`, or a template line) and what is
wrong, with the offending value. Semantic checks run only on a set that passes the schema, so they can trust
the types.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from checker.errors import CheckerError
from checker.questions import QuestionSet, from_data
from checker.resources import load_schema

SCHEMA = "question-set.schema.json"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a question set: a location (`FILE: path` or `TEMPLATE:line`) and a message."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def load_data(path: Path) -> dict[str, Any]:
    """Read a question-set file as data; a file that cannot be read or parsed is a CheckerError."""
    from checker.source import read_file

    try:
        text = read_file(path, what="question-set").decode("utf-8")
    except UnicodeDecodeError:
        raise CheckerError(f"{path}: not UTF-8 text") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CheckerError(f"{path}: not valid TOML ({exc})") from None


def json_path(parts: Iterable[str | int]) -> str:
    """Return `questions[3].words` for the path parts ('questions', 3, 'words')."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _which_question(data: dict[str, Any], parts: Sequence[str | int]) -> str:
    """Return ` (question N)` for a path inside a question entry that has a usable number."""
    if len(parts) >= 2 and parts[0] == "questions" and isinstance(parts[1], int):
        entries = data.get("questions")
        if isinstance(entries, list) and parts[1] < len(entries) and isinstance(entries[parts[1]], dict):
            number = entries[parts[1]].get("number")
            if isinstance(number, int) and not isinstance(number, bool):
                return f" (question {number})"
    return ""


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(SCHEMA), format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_problems(data: dict[str, Any], origin: str) -> list[Problem]:
    """Return one problem per offending place in the data: jsonschema's best match for that place."""
    from jsonschema.exceptions import best_match

    by_place: dict[tuple[str | int, ...], list[Any]] = {}
    for error in _validator().iter_errors(data):
        by_place.setdefault(tuple(error.absolute_path), []).append(error)
    problems = []
    # Paths in document order: numbers compare as numbers, so questions[10] follows questions[9].
    places = sorted(by_place, key=lambda place: [(isinstance(p, str), p) for p in place])
    for place in places:
        errors = by_place[place]
        error = best_match(errors)
        assert error is not None
        message = error.message
        if not isinstance(error.instance, dict | list):
            shown = repr(error.instance) if isinstance(error.instance, str) else json.dumps(error.instance)
            if shown not in message:
                message += f" (found {shown})"
        problems.append(Problem(f"{origin}: {json_path(place)}{_which_question(data, place)}", message))
    return problems


def semantic_problems(data: dict[str, Any], origin: str) -> list[Problem]:
    """Return what the schema cannot express: numbering, ordered ranges, unique ids, known sections."""
    problems: list[Problem] = []

    def add(place: str, message: str) -> None:
        index = re.match(r"questions\[(\d+)\]", place)
        which = _which_question(data, ["questions", int(index.group(1))]) if index else ""
        problems.append(Problem(f"{origin}: {place}{which}", message))

    pattern = data.get("student_id_pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            add("student_id_pattern", f"'{pattern}' is not a regular expression ({exc})")

    section_ids: dict[str, int] = {}
    for index, section in enumerate(data.get("sections", [])):
        if section["id"] in section_ids:
            add(f"sections[{index}].id",
                f"{section['id']!r} is used twice (also sections[{section_ids[section['id']]}])")
        else:
            section_ids[section["id"]] = index

    questions = data["questions"]
    numbers: dict[int, int] = {}
    fingerprints: dict[str, int] = {}
    previous = 0
    for index, question in enumerate(questions):
        number = question["number"]
        at = f"questions[{index}]"
        if number in numbers:
            add(f"{at}.number", f"{number} is used twice (also questions[{numbers[number]}])")
        else:
            numbers[number] = index
            if number < previous:
                add(f"{at}.number", f"{number} comes after {previous}: list the questions in order")
            previous = max(previous, number)
        section = question.get("section", "")
        if section and section not in section_ids:
            known = ", ".join(section_ids) or "none"
            add(f"{at}.section", f"{section!r} is not a section id (known: {known})")
        for key in ("words", "images"):
            if key in question and question[key][0] > question[key][1]:
                low, high = question[key]
                add(f"{at}.{key}", f"[{low}, {high}]: the minimum {low} is above the maximum {high}")
        fingerprint = question.get("fingerprint")
        if fingerprint is not None:
            if fingerprint in fingerprints:
                other = questions[fingerprints[fingerprint]]["number"]
                add(f"{at}.fingerprint", f"{fingerprint!r} is also question {other}'s: "
                                         "two questions cannot have the same prompt")
            else:
                fingerprints[fingerprint] = index
    missing = sorted(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
    if missing:
        add("questions", f"numbers must run from 1 without gaps; missing {', '.join(map(str, missing))}")
    problems += _revision_problems(data, origin)
    return problems


def _revision_problems(data: dict[str, Any], origin: str) -> list[Problem]:
    """Check learned wordings: each names known revisions, and each revision has one wording of every question."""
    problems: list[Problem] = []
    known: dict[str, int] = {}
    for index, revision in enumerate(data.get("revisions", [])):
        if revision["id"] in known:
            problems.append(Problem(f"{origin}: revisions[{index}].id",
                                    f"{revision['id']!r} is listed twice (also revisions[{known[revision['id']]}])"))
        known.setdefault(revision["id"], index)
    for index, question in enumerate(data["questions"]):
        at = f"{origin}: questions[{index}]{_which_question(data, ['questions', index])}"
        for key, what in (("prompts", "wording"), ("guidance", "guidance")):
            entries = question.get(key)
            if entries is None:
                continue
            seen: list[str] = []
            for number, entry in enumerate(entries):
                unknown = [r for r in entry["revisions"] if r not in known]
                if unknown:
                    problems.append(Problem(f"{at}.{key}[{number}].revisions",
                                            f"{unknown[0]!r} is not one of the set's revisions"))
                seen += entry["revisions"]
            twice = sorted({r for r in seen if seen.count(r) > 1})
            if twice:
                problems.append(Problem(f"{at}.{key}", f"revision {twice[0]!r} has two {what}s of this question"))
            without = [r for r in known if r not in seen]
            if without:
                problems.append(Problem(f"{at}.{key}", f"revision {without[0]!r} has no {what} of this question"))
        prompts = question.get("prompts")
        if prompts and question.get("fingerprint") and question["fingerprint"] not in {
            p["fingerprint"] for p in prompts
        }:
            problems.append(Problem(f"{at}.fingerprint",
                                    f"{question['fingerprint']!r} is none of the wordings in `prompts`"))
    return problems


def template_problems(question_set: QuestionSet, template: str, origin: str) -> list[Problem]:
    """Check a blank template against the set: every question unanswered, every prompt matched."""
    from checker import check_text
    from checker.parse import parse

    problems: list[Problem] = []
    parsed = {q.number: q for q in parse(template).questions}
    result = check_text(template, path=origin, question_set=question_set, sets=(question_set,))
    for answer in result.questions:
        if answer.status != "unanswered":
            where = f"{origin}:{answer.line}" if answer.line else origin
            problems.append(Problem(where, f"question {answer.number} is '{answer.status}' on the blank "
                                           "template, expected 'unanswered'"))
    for question in question_set.questions:
        found = parsed.get(question.number)
        if found is None:
            problems.append(Problem(origin, f"question {question.number} of the set is not in the template"))
        elif found.fingerprint not in {p.fingerprint for p in question.wordings}:
            expected = ", ".join(sorted({p.fingerprint for p in question.wordings})) or "none"
            problems.append(Problem(f"{origin}:{found.line}", f"question {question.number}: the prompt's "
                                    f"fingerprint is {found.fingerprint}, the set has {expected}"))
    numbers = {q.number for q in question_set.questions}
    problems += [
        Problem(f"{origin}:{q.line}", f"question {q.number} is in the template but not in the set")
        for q in parsed.values()
        if q.number not in numbers
    ]
    return problems


def validate(data: dict[str, Any], origin: str, template: tuple[str, str] | None = None) -> list[Problem]:
    """Return every problem of a question set's data; `template` is (text, name) of a blank template."""
    problems = schema_problems(data, origin)
    if problems:
        return problems
    problems = semantic_problems(data, origin)
    if problems or template is None:
        return problems
    text, name = template
    return template_problems(from_data(data, origin), text, name)


def load_valid_set(path: Path) -> QuestionSet:
    """Load a question-set file for use (`--questions`); a broken one is a one-line CheckerError."""
    data = load_data(path)
    problems = validate(data, str(path), None)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise CheckerError(f"{problems[0]}{more}; see `reportcheck sets validate {path}`")
    return from_data(data, str(path))
