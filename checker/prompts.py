"""Compare a report's question with a wording the question set knows, from hashes alone.

A question set keeps, for each wording of a question, the hash of each of its words (`checker.fingerprint`).
The report's own words are hashed the same way and the two sequences aligned, so the words that differ are
quoted from the report, with their line, although the template's own words are never stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Literal

from checker.fingerprint import similarity, visible, word_hash, words
from checker.parse import ParsedQuestion, own_spans
from checker.records import NamedTuple

SAME_QUESTION = 0.8
"""Words in common (`checker.fingerprint.similarity`) from which a reworded prompt is still the same question.

One changed, added or dropped word keeps every shipped question at 0.83 or more (the shortest has six words);
the closest two different questions of one revision share 0.75 (tests/test_prompts.py pins both sides).
"""
QUOTE_CHARS = 60
MAX_CHANGES = 3

_TOKEN = re.compile(r"[^\W_]+")

ChangeKind = Literal["replaced", "added", "left-out"]


class Word(NamedTuple):
    """One word of the report's question as written (NFKC), its 1-based line, and its hash."""

    text: str
    line: int
    hash: str


class Change(NamedTuple):
    """One place where the report's question differs from the template's wording."""

    kind: ChangeKind
    line: int
    quote: str
    template_words: int

    def describe(self) -> str:
        """Say what differs here, quoting the report's words."""
        if self.kind == "replaced":
            other = "another word" if self.template_words == 1 else f"{self.template_words} other words"
            return f"`{self.quote}` where the template has {other}"
        if self.kind == "added":
            return f"`{self.quote}` added"
        count = f"{self.template_words} word{'s' * (self.template_words != 1)}"
        return f"{count} of the template left out {self.quote}"


def own_words(question: ParsedQuestion) -> list[Word]:
    """Return the words of the question's own sentence with their lines, as `checker.fingerprint.words` reads them."""
    found: list[Word] = []
    prompt = question.prompt
    for start, end in own_spans(prompt):
        line = question.prompt_line + prompt.count("\n", 0, start)
        for piece in prompt[start:end].split("\n"):
            for token in _TOKEN.findall(unicodedata.normalize("NFKC", visible(piece))):
                if token.isascii():
                    found.append(Word(token, line, word_hash(token.lower())))
                else:
                    found.extend(Word(token, line, word_hash(word)) for word in words(token))
            line += 1
    return found


def same_question(mine: Sequence[str], template: Sequence[str]) -> bool:
    """Tell whether two word-hash sequences are alike enough (`SAME_QUESTION`) to be the same question."""
    total = len(mine) + len(template)
    if not total or 2 * min(len(mine), len(template)) < SAME_QUESTION * total:
        return total == 0
    # Words in common in any order bound the words in common in order: most other questions stop here, without
    # loading difflib.
    if 2 * sum((Counter(mine) & Counter(template)).values()) < SAME_QUESTION * total:
        return False
    return similarity(mine, template) >= SAME_QUESTION


def quote(selected: Sequence[Word]) -> str:
    """Return words as the report writes them, on one line, shortened to `QUOTE_CHARS`."""
    text = " ".join(word.text for word in selected)
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "\u2026"


def changes(mine: Sequence[Word], template: Sequence[str]) -> list[Change]:
    """Return where a question's own words (`own_words`) differ from a wording given by its word hashes, in order.

    `mine` must hold at least one word.
    """
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, [word.hash for word in mine], list(template), autojunk=False)
    found: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            found.append(Change("replaced", mine[i1].line, quote(mine[i1:i2]), j2 - j1))
        elif tag == "delete":
            found.append(Change("added", mine[i1].line, quote(mine[i1:i2]), 0))
        elif tag == "insert":
            if i1:
                where, line = f"after `{mine[i1 - 1].text}`", mine[i1 - 1].line
            else:
                where, line = "at the start", mine[0].line
            found.append(Change("left-out", line, where, j2 - j1))
    return found


def describe(found: Sequence[Change]) -> str:
    """Summarise changes in one clause: the first few quoted, the rest counted."""
    parts = [change.describe() for change in found[:MAX_CHANGES]]
    if len(found) > MAX_CHANGES:
        parts.append(f"{len(found) - MAX_CHANGES} more")
    return "; ".join(parts)
