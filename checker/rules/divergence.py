"""Rule `official-divergence`: the course's own checker will judge this answer differently from us.

Compares our word and image verdicts with the course checker's predicted view (`checker.official`) and names
the likely cause, so a group knows what the teacher's tool will show.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.rules import Problem
from checker.rules.context import QuestionContext, within


def check(ctx: QuestionContext) -> Iterator[Problem]:
    """Yield a divergence when the course checker's pass/fail differs from ours on words, images or blanks."""
    official = ctx.official
    if official is None:
        return
    answer = ctx.parsed.answer
    question = ctx.question
    counted_images = sum(1 for image in answer.images if image.renders)
    differs = []
    if question.words is not None and within(answer.words, question.words) != within(official.words, question.words):
        differs.append(f"{_plural(official.words, 'word')} (we count {answer.words})")
    if question.images is not None and within(counted_images, question.images) != within(
        official.images, question.images
    ):
        differs.append(f"{_plural(official.images, 'image')} (we count {counted_images})")
    if answer.empty:
        # Counts of a blank answer mean nothing; what matters is whether the course checker lets it pass.
        if not official.passed:
            return
    elif not differs:
        return
    verdict = "pass" if official.passed else "fail"
    if answer.empty:
        message = "the course checker will pass this unanswered question"
    else:
        message = f"the course checker will count {' and '.join(differs)} and {verdict} this question"
    yield Problem("official-divergence", answer.start_line, message, _cause(ctx, official.words))


def _cause(ctx: QuestionContext, official_words: int) -> str:
    """Name the most likely reason the course checker sees this answer differently."""
    answer = ctx.parsed.answer
    kinds = {image.kind for image in answer.images}
    if answer.empty:
        return "It does not look for placeholders; answer the question anyway."
    if official_words < answer.words:
        return ("It cuts an answer at the first `##` or `###` (also inside code) and at any `Answer:`; "
                "avoid those in the answer.")
    if "html" in kinds:
        return "It counts only `![..](..)` images, not `<img>` tags."
    if kinds & {"code", "comment", "broken"}:
        return "It counts image markdown even inside code, comments or broken syntax, which does not render."
    if official_words > answer.words:
        return ("It counts every `>`, `---`, placeholder and commented-out word as a word; "
                "remove the template leftovers.")
    return "It counts raw text between `Answer:` markers."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
