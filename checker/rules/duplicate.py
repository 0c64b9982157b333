"""Rule `answer-duplicate`: the same answer is pasted under two questions.

Answers are compared sentence by sentence: each answer becomes the set of its sentences (lowercase, line breaks
as spaces, punctuation and spaces at the ends left out), and two answers are the same when the sentences they
share hold at least SAME of the longer answer's text. A pasted answer with a sentence added, or a word
changed in one of its sentences, is still found; two answers that share a sentence or two are not (on 41 real
reports no two answers share more than 0.02 of their text). Answers under MIN_WORDS words ("No.", "Yes, we
did.") and the group-number and student-id answers are not compared; only the first MAX_CHARS characters of
an answer are. The later question gets the finding and names the earlier one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.rules import Problem
from checker.rules.context import ReportContext

SAME = 0.6
MIN_WORDS = 8
MAX_CHARS = 20_000  # of each answer: ten times the longest answer a question allows
SKIPPED_KINDS = ("group-number", "student-ids")

_IMAGES = r"!\[[^\]\n]*\]\([^)\n]*\)"  # compiled on first use
_EDGES = " *_>-#`\"'()[]:;,.!?"


def sentences(text: str) -> dict[str, int]:
    """Return the answer's distinct sentences, lowercase, line breaks as spaces, each with its length."""
    if "![" in text:
        text = re.sub(_IMAGES, " ", text)
    flat = text[:MAX_CHARS].lower().replace("\n", " ").replace("! ", ". ").replace("? ", ". ")
    return {sentence: len(sentence) for piece in flat.split(". ") if (sentence := piece.strip(_EDGES))}


def check(ctx: ReportContext) -> Iterator[Problem]:
    """Yield one problem for each answer that repeats an earlier question's answer."""
    seen: list[tuple[int, dict[str, int], int]] = []
    for question in ctx.question_set.questions:
        copies = ctx.by_number.get(question.number)
        if not copies or question.kind in SKIPPED_KINDS or copies[0].answer.words < MIN_WORDS:
            continue
        answer = copies[0].answer
        own = sentences(answer.text)
        size = sum(own.values())
        for number, other, other_size in seen:
            larger = max(size, other_size)
            # Answers too different in length cannot share SAME of the longer; most pairs end here.
            if min(size, other_size) < SAME * larger:
                continue
            shared = sum(own[sentence] for sentence in own.keys() & other.keys())
            if shared >= SAME * larger:
                yield Problem("answer-duplicate", answer.text_line, f"the same answer as question {number}",
                              f"Answer this question itself; where the answer really is the same, say so in a "
                              f"sentence that refers to question {number}.", question=question.number)
                break
        seen.append((question.number, own, size))
