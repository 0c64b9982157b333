"""Rules on who hands in: `group-number` (one number), `student-id` (ids of the set's form),
`contribution-ids` (the contribution statement names members by id).

The id pattern is data of the question set, since other courses reuse the template with their own ids.
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


def check(ctx: QuestionContext) -> Iterator[Problem]:
    """Yield the identity problems of a group-number, student-ids or contributions question."""
    answer = ctx.parsed.answer
    kind = ctx.question.kind
    if answer.empty or kind == "text":
        return
    if kind == "group-number":
        numbers = sorted(set(NUMBER.findall(answer.text)), key=int)
        if len(numbers) != 1:
            found = "no number" if not numbers else "several numbers (" + ", ".join(numbers) + ")"
            yield Problem("group-number", answer.start_line, f"the group number is unclear: {found}",
                          "Write only your group number, e.g. `42`.")
    elif kind == "student-ids":
        good, bad = student_ids(answer.text, ctx.question_set.student_id)
        if bad:
            yield Problem("student-id", answer.start_line, "malformed student id: " + ", ".join(bad),
                          f"Student ids must match `{ctx.question_set.student_id_pattern}`, e.g. `s123456`.")
        elif not good:
            yield Problem("student-id", answer.start_line, "no student id found",
                          "List every member's student id, e.g. `s123456, s234567`.")
    elif kind == "contributions" and ctx.student_ids:
        text = answer.text.lower()
        if not any(student in text for student in ctx.student_ids):
            yield Problem("contribution-ids", answer.start_line,
                          "the contribution statement names no student id from the student-id answer",
                          "Name each member by student id, e.g. `s123456 built the API`.")
