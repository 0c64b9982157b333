"""Predict what the course's own checker (`report.py check`) will say about a report.

The course checker does not parse markdown. Its steps, as documented here so the prediction can be reviewed:

1. Versions for the 2023/2024 templates drop the first 43 characters of the file (meant for the front matter).
2. The text is split on every literal `Answer:`.
3. Each piece that contains `###` is cut at its first `###`, then at its first `##`, and kept; a piece without
   `###` is dropped. The last piece is then kept once more, uncut, as the last answer.
4. The first answer is discarded: the first *kept* piece in 2023/2024 (`drop = "first-answer"`), the first
   piece of the split, before step 3, from 2025 on (`drop = "first-piece"`).
5. Surrounding newlines are stripped. If the number of answers differs from the number of questions it stops
   with an error (`official-crash`); otherwise answer i is question i.
6. Words are `str.split()` tokens; images are matches of the regular expression below (one line each).

Its ranges are the question set's own (the shipped sets carry exactly the course checker's ranges).
"""

from __future__ import annotations

import re

from checker.model import OfficialAnswer
from checker.parse import count_words
from checker.questions import OfficialChecker, QuestionSet
from checker.records import NamedTuple

IMAGE = re.compile(r"!\[.*?\]\(.*?\)")


class OfficialView(NamedTuple):
    """The course checker's answers, or the reason it stops before judging any."""

    answers: tuple[OfficialAnswer, ...]
    crash: str | None


def answers(text: str, how: OfficialChecker) -> list[str]:
    """Return the answer texts the course checker cuts out of `text` (steps 1 to 5, before the count check)."""
    text = text[how.cut_prefix :]
    pieces = text.split("Answer:")
    if how.drop == "first-piece":
        pieces = pieces[1:]
        if not pieces:
            # The checker reads pieces[-1] next, which fails on an empty list.
            raise IndexError("no 'Answer:' in the report")
    kept = []
    for piece in pieces:
        if "###" in piece:
            cut = piece.split("###", 1)[0]
            kept.append(cut.split("##", 1)[0])
    kept.append(pieces[-1])
    if how.drop == "first-answer":
        kept = kept[1:]
    return [piece.strip("\n") for piece in kept]


def predict(official_text: str, question_set: QuestionSet) -> OfficialView | None:
    """Return the course checker's view of the report, or None when the set names no course checker."""
    how = question_set.official
    if how is None:
        return None
    try:
        pieces = answers(official_text, how)
    except IndexError:
        return OfficialView((), "it finds no 'Answer:' marker at all and stops with an IndexError")
    expected = len(question_set.questions)
    if len(pieces) != expected:
        return OfficialView((), f"it finds {len(pieces)} answers where it expects {expected} and stops")
    result = []
    for piece, question in zip(pieces, question_set.questions, strict=True):
        words = count_words(piece)
        images = len(IMAGE.findall(piece))
        passed = _within(words, question.words) and _within(images, question.images)
        result.append(OfficialAnswer(words, images, passed))
    return OfficialView(tuple(result), None)


def _within(value: int, bounds: tuple[int, int] | None) -> bool:
    """Tell whether value lies in the inclusive range; no range always passes."""
    return bounds is None or bounds[0] <= value <= bounds[1]
