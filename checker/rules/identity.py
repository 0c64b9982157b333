"""Rules on who hands in: `group-number` (one number), `student-id` (ids of the set's form),
`contribution-ids` (the contribution statement names members by id), and, where the course's group list is known
(the scan), `group-number-mismatch`, `student-ids-mismatch` and `student-ids-unregistered`.

The id pattern is data of the question set, since other courses reuse the template with their own ids. Group
numbers and ids are read the same way for the group list as for the rules, by `group_numbers` and `student_ids`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.rules import Problem
from checker.rules.context import QuestionContext

NUMBER = re.compile(r"\d+")
ID_CANDIDATE = re.compile(r"^[a-z]{0,3}\d{3,}[a-z]?$")
SEPARATORS = re.compile(r"[\s,;|/]+")
STRIP = "*_`()[]{}<>.:'\"-"


def student_ids(text: str, pattern: re.Pattern[str]) -> tuple[list[str], list[str]]:
    """Split an answer into well-formed ids and tokens that look like ids but are malformed."""
    good: list[str] = []
    bad: list[str] = []
    for raw in SEPARATORS.split(text.lower()):
        token = raw.strip(STRIP).split("@", 1)[0]
        if not token or not any(ch.isdigit() for ch in token):
            continue
        if pattern.fullmatch(token):
            good.append(token)
        elif ID_CANDIDATE.match(token):
            bad.append(raw.strip(STRIP))
    return good, bad


def group_numbers(text: str) -> list[int]:
    """Return the distinct numbers of a group-number answer, in the order they are written."""
    return list(dict.fromkeys(int(number) for number in NUMBER.findall(text)))


def check(ctx: QuestionContext) -> Iterator[Problem]:
    """Yield the identity problems of a group-number, student-ids or contributions question."""
    answer = ctx.parsed.answer
    kind = ctx.question.kind
    if answer.empty or kind == "text":
        return
    if kind == "group-number":
        numbers = group_numbers(answer.text)
        if len(numbers) != 1:
            found = "no number" if not numbers else "several numbers (" + ", ".join(map(str, numbers)) + ")"
            yield Problem("group-number", answer.start_line, f"the group number is unclear: {found}",
                          "Write only your group number, e.g. `42`.")
        registered = ctx.registered.group if ctx.registered else None
        if numbers and registered is not None and numbers[0] != registered:
            yield Problem("group-number-mismatch", answer.start_line,
                          f"question {ctx.question.number} gives group {numbers[0]}, but the course's group list "
                          f"has this repository as group {registered}",
                          f"Answer question {ctx.question.number} with {registered}, the number in the course's "
                          "group list.")
    elif kind == "student-ids":
        good, bad = student_ids(answer.text, ctx.question_set.student_id)
        if bad:
            yield Problem("student-id", answer.start_line, "malformed student id: " + ", ".join(bad),
                          f"Student ids must match `{ctx.question_set.student_id_pattern}`, e.g. `s123456`.")
        elif not good:
            yield Problem("student-id", answer.start_line, "no student id found",
                          "List every member's student id, e.g. `s123456, s234567`.")
        if ctx.registered and ctx.registered.students:
            yield from _registered_ids(ctx, set(good))
    elif kind == "contributions" and ctx.student_ids:
        text = answer.text.lower()
        if not any(student in text for student in ctx.student_ids):
            yield Problem("contribution-ids", answer.start_line,
                          "the contribution statement names no student id from the student-id answer",
                          "Name each member by student id, e.g. `s123456 built the API`.")


def _registered_ids(ctx: QuestionContext, written: set[str]) -> Iterator[Problem]:
    """Compare the ids a group wrote with the members the course's group list registers for it."""
    assert ctx.registered is not None
    registered = set(ctx.registered.students)
    line = ctx.parsed.answer.start_line
    number = ctx.question.number
    where = f"group {ctx.registered.group}" if ctx.registered.group is not None else "this group"
    missing = sorted(registered - written)
    extra = sorted(written - registered)
    if missing:
        yield Problem("student-ids-mismatch", line,
                      f"question {number} leaves out {', '.join(missing)}, registered in {where}",
                      f"List every member's student id in question {number}, e.g. {missing[0]}.")
    if extra:
        yield Problem("student-ids-unregistered", line,
                      f"question {number} lists {', '.join(extra)}, not registered in {where}",
                      "Check the id for a typo, or ask the teachers to update the group list.")
