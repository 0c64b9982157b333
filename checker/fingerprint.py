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

Hashes are lower-case hex strings of fixed width: stable across processes and Python versions, and the form they
take in question-set files.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

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


def visible(text: str) -> str:
    """Return text without the targets of its markdown links and images, which a reader does not see."""
    return _LINK_TARGET.sub("] ", text) if "](" in text else text


def words(text: str) -> list[str]:
    """Return the normalised words of text: letters and digits, case-folded, markup, link targets and punctuation
    dropped."""
    return _WORD.findall(unicodedata.normalize("NFKC", visible(text)).casefold())


def _hex(data: str, width: int) -> str:
    return hashlib.blake2b(data.encode("utf-8"), digest_size=(width + 1) // 2).hexdigest()[:width]


def fingerprint(text: str) -> str:
    """Return one hash of all the words of text: equal exactly when the words are equal, in order."""
    return hashlib.sha256(" ".join(words(text)).encode("utf-8")).hexdigest()[:FINGERPRINT_WIDTH]


def word_hash(word: str) -> str:
    """Return the hash of one normalised word."""
    return _hex(word, WORD_HASH_WIDTH)


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


def shingle_hash(shingle: Sequence[str]) -> str:
    """Return the hash of one shingle (a run of normalised words)."""
    return _hex(" ".join(shingle), SHINGLE_HASH_WIDTH)


def shingle_hashes(text: str, size: int = SHINGLE_SIZE) -> frozenset[str]:
    """Return the set of hashes of the shingles of text."""
    return frozenset(shingle_hash(shingle) for shingle in shingles(text, size))


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Return how alike two word-hash sequences are: twice the words in common, in order, over all words.

    1.0 means the same words; one word changed in a 20-word sentence gives 0.95; two different sentences on
    the same subject stay well below 0.5.
    """
    if not a and not b:
        return 1.0
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b, autojunk=False).ratio()
