"""Rule `answer-example`: the answer is the template's example answer with its blanks filled in.

The template shows an example under most questions ("We used ... for managing our dependencies ..."). An answer
made of that example, with its blanks (`...`, `X`) filled in, looks done but says little of the group's own work.
The question set keeps the hashes of the example's word shingles (runs of three words that never cross a blank,
`checker.fingerprint`), never its text; the rule hashes the answer's shingles the same way and fires when most of
the example is there (`EXAMPLE_SHARE`) and the example makes up a large part of the answer (`ANSWER_SHARE`).
Following the example's pattern with the group's own content shares few runs of three words, so it stays silent;
an answer (in words) more than three times as long as the example has runs cannot be mostly the example and is
not hashed.
On the 41 reports of ../shared/corpus it names three answers (tests/test_corpus.py lists them).
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.rules import Problem
from checker.rules.context import QuestionContext
from checker.template_words import example_overlap

ANSWER_SHARE = 0.4
"""Share of the answer's shingles that must be the example's: copies in the corpus have 0.46 to 0.56, the next
answer (the example's two sentences filled in, and as much of the group's own) 0.27."""
EXAMPLE_SHARE = 0.6
"""Share of the example's shingles the answer must contain: a phrase or two in common is not a copy."""
MIN_SHINGLES = 5
LENGTH_MARGIN = 1.25
QUOTE_WORDS = 8


def check(ctx: QuestionContext) -> Iterator[Problem]:
    """Yield a problem when the answer is mostly the template's example."""
    example = ctx.question.example_shingles
    answer = ctx.parsed.answer
    # The answer's shingles would outnumber the example's by more than 1 / ANSWER_SHARE: it cannot be mostly
    # the example (unless it repeats itself), and is not hashed at all. The margin covers words vs tokens.
    if not example or answer.empty or answer.words > LENGTH_MARGIN * len(example) / ANSWER_SHARE:
        return
    mine, common = example_overlap(ctx.question, answer.text)
    if common < MIN_SHINGLES or common < ANSWER_SHARE * mine or common < EXAMPLE_SHARE * len(example):
        return
    share = round(100 * common / mine)
    first = " ".join([token for token in answer.text.split() if any(c.isalnum() for c in token)][:QUOTE_WORDS])
    yield Problem("answer-example", answer.start_line,
                  f"{share}% of the answer is the template's example with its blanks filled in (`{first}`…)",
                  "Answer in your own words: say what your group did and why, not the example's sentences.")

