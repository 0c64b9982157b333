"""Rules on the answer text: `unanswered`, `placeholder-left`, `leftover-marker`, `word-count`.

Words are the whitespace-separated tokens of the answer region, as the course checker counts them when it
finds the right region; quote markers, the placeholder, `---` markers and HTML comments are not words.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.rules import Problem
from checker.rules.context import QuestionContext, shortfall, within


def check(ctx: QuestionContext) -> Iterator[Problem]:
    """Yield the answer-text problems of one question."""
    answer = ctx.parsed.answer
    number = ctx.question.number
    if answer.empty:
        if answer.placeholder_line:
            yield Problem("unanswered", answer.placeholder_line, "the placeholder is still here, no answer yet",
                          f"Replace `--- question {number} fill here ---` with your answer.")
        else:
            yield Problem("unanswered", answer.start_line, "nothing is written after `Answer:`",
                          "Write your answer below the question's prompt.")
        return
    if answer.placeholder_line:
        yield Problem("placeholder-left", answer.placeholder_line, "the placeholder is still next to your answer",
                      f"Delete the line `--- question {number} fill here ---`.")
    if answer.wrapped_in_markers:
        yield Problem("leftover-marker", answer.start_line, "the answer is still wrapped in `---` markers",
                      "Delete the `---` before and after your answer; each counts as a word to the course checker.")
    bounds = ctx.question.words
    if bounds is not None and not within(answer.words, bounds):
        verb = "Write more" if answer.words < bounds[0] else "Shorten the answer"
        yield Problem("word-count", answer.start_line, shortfall(answer.words, bounds, "words"),
                      f"{verb}; code and tables count as words too.")
