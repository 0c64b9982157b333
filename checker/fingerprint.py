"""Fingerprints of text: its words, word shingles and their hashes, so text is compared but never stored.

Every comparison of a report with a template goes through these functions, so a fingerprint written into a
question set is exactly the one `check` computes. Words are what survives markdown formatting and retyping:
runs of letters and digits, case-folded (Unicode NFKC first), so emphasis (`**`, `__`, `_`), backslash escapes,
autolink brackets, smart quotes, punctuation and line breaks never make two texts differ; link and image targets
(`](figures/a.png)`) are not read at all.

- `words(text)`: the normalised words, the unit everything else hashes.
- `fingerprint(text)`: one short hash of all the words, for exact matching.
- `word_hashes(text)`: one short hash per word, in order, to align two wordings without storing either.
- `shingles(text)` / `shingle_hashes(text)`: the runs of `SHINGLE_SIZE` consecutive words and their hashes, to
  measure how much of one text is made of another. A blank of a fill-in template (`...`, `…`, `X`, `sXXXXXX`)
  ends a run, so an example sentence and the same sentence with its blanks filled in share their shingles.
- `similarity(a, b)`: how alike two word-hash sequences are (0..1).
- `tokens(text)` / `shingle_values(tokens)`: the words with where they stand in the text, and the shingle hashes
  as numbers, position by position: what `reportcheck similar` needs to quote and mark the passages two answers
  share (`shingle_values` gives the numbers whose hex form `shingle_hashes` returns).

Hashes are lower-case hex strings of fixed width: stable across processes and Python versions, and the form they
take in question-set files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from checker.digest import blake2b_int, sha256_hex
from checker.records import NamedTuple

# A word: letters and digits. `_` is excluded because markdown uses it for emphasis.
_WORD = re.compile(r"[^\W_]+")
# The target of a markdown link or image, `](figures/a.png)`: a reader never sees it.
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
# Blanks of a fill-in example: an ellipsis, or a placeholder written as capital X's (`X`, `X%`, `sXXXXXX`).
_BLANK = re.compile(r"\.{2,}|\u2026|(?<![^\W_])s?X+(?![^\W_])")

SHINGLE_SIZE = 3
"""Words per shingle: three keeps common pairs ("in our") from matching while a filled blank breaks few runs."""
FINGERPRINT_WIDTH = 16
WORD_HASH_WIDTH = 6
SHINGLE_HASH_WIDTH = 12
# A shingle's hash is a polynomial in its words' 64-bit hashes: multiplying by this odd constant (the 64-bit FNV
# prime) before each word makes the order matter and spreads every word over the kept high bits.
_MIX = 0x100000001B3
_MASK = (1 << 64) - 1
_SHINGLE_SHIFT = 64 - 4 * SHINGLE_HASH_WIDTH
_SHINGLE_FORMAT = f"%0{SHINGLE_HASH_WIDTH}x"
_WORD_FORMAT = f"%0{WORD_HASH_WIDTH}x"
_MAY_HAVE_BLANKS = re.compile(r"\.\.|\u2026|X")


class Token(NamedTuple):
    """One normalised word of a text, where it stands (`start`, `end`), and the blank-free run it belongs to."""

    word: str
    start: int
    end: int
    run: int


def visible(text: str) -> str:
    """Return text without the targets of its markdown links and images, which a reader does not see."""
    return _LINK_TARGET.sub("] ", text) if "](" in text else text


def words(text: str) -> list[str]:
    """Return the normalised words of text: letters and digits, case-folded, markup, link targets and punctuation
    dropped."""
    text = visible(text)
    return _WORD.findall((text if text.isascii() else unicodedata.normalize("NFKC", text)).casefold())


@lru_cache(maxsize=1 << 16)
def _word_value(word: str) -> int:
    """Return a 64-bit hash of one word; reports repeat their words, so each is hashed once."""
    return blake2b_int(word.encode("utf-8"))


@lru_cache(maxsize=1024)
def fingerprint(text: str) -> str:
    """Return one hash of all the words of text: equal exactly when the words are equal, in order."""
    return sha256_hex(" ".join(words(text)).encode("utf-8"))[:FINGERPRINT_WIDTH]


@lru_cache(maxsize=1 << 16)
def word_hash(word: str) -> str:
    """Return the hash of one normalised word."""
    return _WORD_FORMAT % (_word_value(word) >> (64 - 4 * WORD_HASH_WIDTH))


def word_hashes(text: str) -> tuple[str, ...]:
    """Return the hash of each word of text, in order."""
    return tuple(word_hash(word) for word in words(text))


def shingles(text: str, size: int = SHINGLE_SIZE) -> list[tuple[str, ...]]:
    """Return every run of `size` consecutive words of text; runs never cross a blank (`...`, `X`)."""
    runs: list[tuple[str, ...]] = []
    for segment in _BLANK.split(text):
        found = words(segment)
        runs.extend(tuple(found[i : i + size]) for i in range(len(found) - size + 1))
    return runs


def _combine(values: Sequence[int]) -> int:
    """Return the 64-bit hash of a run of word hashes: a polynomial in them, so their order matters."""
    combined = 0
    for value in values:
        combined = (combined * _MIX + value) & _MASK
    return combined


def shingle_hash(shingle: Sequence[str]) -> str:
    """Return the hash of one shingle (a run of normalised words)."""
    return _SHINGLE_FORMAT % (_combine([_word_value(word) for word in shingle]) >> _SHINGLE_SHIFT)


def segments(text: str) -> list[str]:
    """Return the pieces of text between its blanks (`...`, `X`): shingles never cross a blank."""
    return _BLANK.split(text) if _MAY_HAVE_BLANKS.search(text) else [text]


def shingle_numbers(found: Sequence[str]) -> list[int]:
    """Return the hash (as a number) of each `SHINGLE_SIZE` shingle of a run of normalised words, in order."""
    values = [_word_value(word) for word in found]
    square = _MIX * _MIX & _MASK
    return [((a * square + b * _MIX + c) & _MASK) >> _SHINGLE_SHIFT
            for a, b, c in zip(values, values[1:], values[2:], strict=False)]


def shingle_hashes(text: str, size: int = SHINGLE_SIZE) -> frozenset[str]:
    """Return the set of hashes of the shingles of text (as `shingle_hash` of each of `shingles(text)`)."""
    found: set[int] = set()
    square = _MIX * _MIX & _MASK
    for segment in _BLANK.split(text) if _MAY_HAVE_BLANKS.search(text) else (text,):
        values = [_word_value(word) for word in words(segment)]
        if size == 3:  # the size every caller uses, in one pass: v0 * MIX^2 + v1 * MIX + v2
            found.update(((a * square + b * _MIX + c) & _MASK) >> _SHINGLE_SHIFT
                         for a, b, c in zip(values, values[1:], values[2:], strict=False))
        else:
            found.update(_combine(values[i : i + size]) >> _SHINGLE_SHIFT for i in range(len(values) - size + 1))
    return frozenset(map(_SHINGLE_FORMAT.__mod__, found))


def tokens(text: str) -> list[Token]:
    """Return the words of text as `shingles` reads them, each with its place; a blank (`...`, `X`) starts a new run.

    Link and image targets are skipped; a piece that NFKC turns into several words gives each the piece's place.
    """
    found: list[Token] = []
    hidden = [match.span() for match in _LINK_TARGET.finditer(text)] if "](" in text else []
    blanks = [match.span() for match in _BLANK.finditer(text)] if _MAY_HAVE_BLANKS.search(text) else []
    run = 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        if hidden and any(low <= start < high for low, high in hidden):
            continue
        while run < len(blanks) and blanks[run][0] <= start:
            run += 1
        if run and blanks[run - 1][1] > start:
            continue  # the blank itself (`X`)
        piece = match.group()
        for word in [piece.casefold()] if piece.isascii() else words(piece):
            found.append(Token(word, start, end, run))
    return found


def shingle_values(found: Sequence[Token], size: int = SHINGLE_SIZE) -> list[int | None]:
    """Return, for each token that starts a shingle, the shingle's hash as a number (None where a run ends first).

    The list is as long as `found`; `int(h, 16)` of each of `shingle_hashes(text)` is one of its numbers.
    """
    values = [_word_value(token.word) for token in found]
    out: list[int | None] = []
    for i, token in enumerate(found):
        last = i + size - 1
        if last >= len(found) or found[last].run != token.run:
            out.append(None)
        else:
            out.append(_combine(values[i : i + size]) >> _SHINGLE_SHIFT)
    return out


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Return how alike two word-hash sequences are: twice the words in common, in order, over all words.

    1.0 means the same words; one word changed in a 20-word sentence gives 0.95; two different sentences on
    the same subject stay well below 0.5.
    """
    if not a and not b:
        return 1.0
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b, autojunk=False).ratio()
