"""Rule `answer-todo`: the answer holds a note to finish it later instead of (part of) the answer.

Fires on a marker in the answer's prose: `TODO`, `TBD`, `TBA` or `FIXME` written in capitals, a run of
capital `X`s standing for a number or name (`XX%`, `XXXXXXX files`), "lorem ipsum", "fill in later", "to be
written", "answer goes here", "write your answer here"; and on an answer that is nothing but a stand-in
(`NaN`, `N/A`, `...`, `?`, `-`). A marker must stand alone (`TODO`, not `TODOs` or `x-TODO`). Mixed case is
not a marker (a Kanban column called `ToDo`), nor is `NaN` inside a sentence (`NaN losses`), nor "the answer
here is", nor anything in code, inline or fenced (a `# TODO` in the group's code), an image, a link target or
HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.rules import Problem
from checker.rules.context import QuestionContext
from checker.rules.prose import prose

# Each marker with substrings one of which every usual spelling of it holds (one space, either case of the first
# letter), so its regex runs, and is compiled (re caches it), only for the few answers with one.
MARKERS = (
    (("TODO", "TB", "FIXME", "XX"), r"TODO|TBD|TBA|FIXME|XX+"),
    (("orem",), r"[Ll]orem\s+ipsum"),
    (("in later", "out later"), r"[Ff]ill(?:ed)?\s+(?:this\s+|it\s+)?(?:in|out)\s+later"),
    (("o be filled", "o be written", "o be completed"), r"[Tt]o\s+be\s+(?:filled\s+in|filled\s+out|written|completed)"),
    (("nswer goes here",), r"[Aa]nswer\s+goes\s+here"),
    # "write your answer here", but not "the answer here is".
    (("answer here",), r"(?:[Ww]rite|[Ii]nsert|[Pp]ut|[Aa]dd|[Yy]our)\s+(?:your\s+|an\s+)?answer\s+here"),
)
# A whole answer that only stands in for one, compared case-insensitively after trimming `.`, `*` and space.
STAND_INS = frozenset({"nan", "n/a", "na", "tbd", "todo", "...", "\u2026", "?", "??", "???", "-", "--", "x"})


def check(ctx: QuestionContext) -> Iterator[Problem]:
    """Yield the first unfinished-answer marker of one question, or the stand-in the answer is."""
    answer = ctx.parsed.answer
    if answer.empty:
        return
    text = answer.text
    stand_in = text.strip().strip("*_").strip()
    if stand_in.lower() not in STAND_INS:
        stand_in = stand_in.rstrip(".")
    if stand_in.lower() in STAND_INS:
        yield Problem("answer-todo", answer.text_line, f"the answer is only `{stand_in}`",
                      "Write the answer, or say in a sentence why there is nothing to report.")
        return
    found = first_marker(text)
    if found is not None:
        start, marker = found
        yield Problem("answer-todo", answer.text_line + text.count("\n", 0, start),
                      f"`{marker}` marks the answer as unfinished", "Finish the answer and delete the note.")


def first_marker(text: str) -> tuple[int, str] | None:
    """Return the offset and text of the first marker in the prose of `text`, or None."""
    first: tuple[int, str] | None = None
    blanked: str | None = None
    for screens, pattern in MARKERS:
        if not any(screen in text for screen in screens):
            continue
        for match in re.finditer(pattern, text):
            if first is not None and match.start() >= first[0]:
                break
            if not _alone(text, match.start(), match.end()):
                continue
            # Only now is the prose worth computing: is the marker in code, a link target or HTML?
            blanked = prose(text) if blanked is None else blanked
            if blanked[match.start() : match.end()] == match.group():
                first = (match.start(), match.group())
                break
    return first


def _alone(text: str, start: int, end: int) -> bool:
    """Tell whether text[start:end] is not part of a longer word (`TODOs`, `x-TODO`, `refill in later`)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "-_")
