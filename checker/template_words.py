"""The template's own words under a question (its prompt and its example answers), known by their hashes alone.

Two tools leave them out of what a group wrote: rule `answer-example` measures how much of an answer is the
example, and `reportcheck similar` compares only the words a group wrote itself. A question set keeps the
example answers' shingle hashes (`Question.example_shingles`) and each wording's word hashes (`Prompt.hashes`);
here both become sets a run of three words is looked up in, so no template text is ever needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from checker.fingerprint import SHINGLE_SIZE, Token, segments, shingle_hashes, shingle_numbers, word_hash, words
from checker.questions import Question
from checker.records import NamedTuple


class Overlap(NamedTuple):
    """How much of an answer is a question's example: the answer's shingles, and how many are the example's."""

    answer: int
    common: int


def example_overlap(question: Question, text: str) -> Overlap:
    """Count the answer's shingles and those of them that are the template's example answer's."""
    mine = shingle_hashes(text)
    return Overlap(len(mine), len(mine & question.example_shingles))


class TemplateWords(NamedTuple):
    """A question's template words: its examples' shingle hashes (as numbers) and its prompts' runs of word hashes."""

    examples: frozenset[int]
    prompts: frozenset[tuple[str, ...]]
    prompt_words: frozenset[str] = frozenset()  # the first word hash of each run in `prompts`

    def _template(self, values: Sequence[int | None], hashes: Sequence[str]) -> list[bool]:
        """Tell for each shingle whether it is the template's: an example's, or a run of a prompt's words."""
        size = SHINGLE_SIZE
        return [value is not None and (value in self.examples or (
                    bool(hashes) and hashes[i] in self.prompt_words and tuple(hashes[i : i + size]) in self.prompts))
                for i, value in enumerate(values)]

    @staticmethod
    def _mine(template: list[bool], values: Sequence[int | None], count: int) -> list[bool]:
        """Tell which shingles are the group's own: not the template's, nor two-thirds made of its words."""
        size = SHINGLE_SIZE
        if not any(template):
            return [value is not None for value in values]
        covered = [False] * count
        for i, flag in enumerate(template):
            if flag:
                covered[i : i + size] = [True] * size
        return [value is not None and not template[i] and sum(covered[i : i + size]) < 2
                for i, value in enumerate(values)]

    def own_values(self, text: str) -> list[int]:
        """Return the hashes (as numbers) of the shingles of text that are the group's own words, as `own` decides.

        The fast way for every answer; `own` gives the same shingles with their places, for the few pairs shown.
        """
        found: list[int] = []
        for segment in segments(text):
            run = words(segment)
            if len(run) < SHINGLE_SIZE:
                continue
            values = shingle_numbers(run)
            hashes = [word_hash(word) for word in run] if self.prompts else []
            mine = self._mine(self._template(values, hashes), values, len(run))
            found.extend(value for value, keep in zip(values, mine, strict=True) if keep)
        return found

    def own(self, found: Sequence[Token], values: Sequence[int | None]) -> list[bool]:
        """Tell for each shingle (`checker.fingerprint.shingle_values`) whether it is the group's own words.

        A shingle of the template is not; nor is one of whose three words two belong to the template's shingles,
        so filling a blank ("used <tool> for") makes no words of one's own beyond the filled-in ones.
        """
        hashes = [word_hash(token.word) for token in found] if self.prompts else []
        return self._mine(self._template(values, hashes), values, len(found))


@cache
def template_words(question: Question) -> TemplateWords:
    """Return a question's template words (remembered: every answer to the question asks again)."""
    triples: set[tuple[str, ...]] = set()
    for prompt in question.wordings:
        hashes = prompt.word_hashes
        triples.update(tuple(hashes[i : i + SHINGLE_SIZE]) for i in range(len(hashes) - SHINGLE_SIZE + 1))
    return TemplateWords(frozenset(int(h, 16) for h in question.example_shingles), frozenset(triples),
                         frozenset(triple[0] for triple in triples))
