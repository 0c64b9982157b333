"""Rule `answer-gibberish`: part of an answer reads like keyboard mash (`sdkfjh lkajsd`), not like English.

The signal is a character trigram model of English (`checker.rules.english`, counted from this project's own
text): each word of the answer's prose gets its log-likelihood under the model, with its boundaries, and the
least English run of WINDOW (six) consecutive words is compared, per character, with a fixed FLOOR of -4.0
nats. English answers average about -2.1 under the model and uniformly random letters -3.3 (log 1/27): a run
below -4.0 is less likely English than random typing, which keyboard mash is (a few letters under the
fingers, in orders English never uses: `sdf`, `jkj`, `hgf`).

The prose leaves out code, images, link targets and HTML (`checker.rules.prose`), tokens with digits or path
and identifier characters (numbers, paths, URLs, `my_var`), acronyms (all capitals) and words with letters
outside ASCII. Answers to the group-number and student-id questions (names, ids) are not judged, nor prose
under MIN_LETTERS letters; only the first MAX_CHARS characters of an answer are read.

Speed: this runs on every answer of every report, so the common case is C-speed string operations: a run can
be below FLOOR only if one of its words is, so an answer none of whose words is that unlikely alone is done
once its distinct tokens are checked against the words already known to be English.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import compress
from operator import not_

from checker.rules import Problem
from checker.rules.context import QuestionContext
from checker.rules.english import ALPHABET, STEP, TRIGRAMS
from checker.rules.prose import outside_fences, prose

WINDOW = 6  # words scored together
FLOOR = -4.0  # mean log-likelihood per character below which a stretch is not English
MIN_LETTERS = 12
MAX_CHARS = 20_000  # of each answer: ten times the longest answer a question allows
SKIPPED_KINDS = ("group-number", "student-ids")

# Punctuation is deleted from each token; a token left with anything but letters (a digit, `/`, `_`, `@`, `=`,
# `$`, a non-ASCII letter written as `\\xf8`) is a number, path, identifier, URL or foreign word, and is dropped.
_PUNCTUATION = b".,;:!?()[]{}\"'*<>`-+&"


def prose_tokens(text: str) -> list[bytes]:
    """Return the whitespace-separated tokens of the prose, ASCII, with punctuation deleted (C-speed only)."""
    return prose(text).encode("ascii", "backslashreplace").translate(None, _PUNCTUATION).split()


def prose_words(text: str) -> list[bytes]:
    """Return the lowercase words of the prose of markdown text, in order; acronyms (all capitals) left out."""
    return [token.lower() for token in prose_tokens(text) if token.isalpha() and not token.isupper()]


# Tokens and words already found not mash-like: set operations in C skip them, so each distinct word is
# scored in Python once per process (cleared when it grows past a bound).
_ENGLISH: set[bytes] = set()
_ENGLISH_LIMIT = 100_000


def _mash_like(token: bytes) -> bool:
    """Tell whether a token is a word that, alone, is less likely English than FLOOR per character."""
    if token.isalpha() and not token.isupper() and -word_cost(token.lower()) / (len(token) + 1) < FLOOR:
        return True
    if len(_ENGLISH) > _ENGLISH_LIMIT:
        _ENGLISH.clear()
    _ENGLISH.add(token)
    return False


def _any_mash_like(tokens: Iterable[bytes]) -> bool:
    """Tell whether any token is mash-like, scoring only tokens not already known to be English."""
    return any(map(_mash_like, set(tokens).difference(_ENGLISH)))


@lru_cache(maxsize=8192)
def word_cost(word: bytes) -> float:
    """Return minus the log-likelihood of a word (with its boundaries) under the trigram model, in nats."""
    index = [0, 0, *(byte - 96 for byte in word), 0]  # ALPHABET is " abc...z": `a` (97) is 1
    size = len(ALPHABET)
    return STEP * sum(ord(TRIGRAMS[(index[i] * size + index[i + 1]) * size + index[i + 2]]) - 33
                      for i in range(len(index) - 2))


def worst_stretch(words: list[bytes]) -> tuple[float, int]:
    """Return the mean log-likelihood per character of the least English WINDOW consecutive words (the whole
    list when shorter), and where they start; each word counts its letters and its end."""
    if len(words) <= WINDOW:
        return -sum(map(word_cost, words)) / (sum(map(len, words)) + len(words) or 1), 0
    worst = (0.0, 0)
    for start in range(len(words) - WINDOW + 1):
        run = words[start : start + WINDOW]
        mean = -sum(map(word_cost, run)) / (sum(map(len, run)) + WINDOW)
        if mean < worst[0]:
            worst = (mean, start)
    return worst


def check(ctx: QuestionContext) -> Iterator[Problem]:
    """Yield a problem when a run of the answer's words is less likely English than random letters."""
    answer = ctx.parsed.answer
    if answer.empty or ctx.question.kind in SKIPPED_KINDS:
        return
    found = mash(answer.text[:MAX_CHARS])
    if found is not None:
        line, quoted = found
        yield Problem("answer-gibberish", answer.text_line + line, f"`{_shorten(quoted)}` does not read as words",
                      "Replace the keyboard mash with the answer; if these are real names, ignore this warning.")


def mash(text: str) -> tuple[int, str] | None:
    """Return the 0-based line and the words of the least English run of the text's prose when it is below
    FLOOR (without the English words at its edges), else None."""
    tokens = prose_tokens(text)
    # A run of words is below FLOOR only if one of its words is: most answers have none and end here.
    if not _any_mash_like(tokens):
        return None
    unknown = compress(range(len(tokens)), map(not_, map(_ENGLISH.__contains__, tokens)))
    worst: tuple[float, list[int]] = (FLOOR, [])
    for index in unknown:
        if not _mash_like(tokens[index]):
            continue
        # The words around it that a run holding it can reach; the whole answer when it has fewer.
        around = [*_word_indexes(tokens, range(index - 1, -1, -1))[::-1], index,
                  *_word_indexes(tokens, range(index + 1, len(tokens)))]
        mean, start = worst_stretch([tokens[i].lower() for i in around])
        if mean < worst[0]:
            worst = (mean, around[start : start + WINDOW])
    run = worst[1]
    if not run or sum(map(len, filter(bytes.isalpha, tokens))) < MIN_LETTERS:
        return None
    # Quote the run without the English words at its edges: `in short sdkfjh` -> `sdkfjh`.
    while len(run) > 1 and not _mash_like(tokens[run[0]]):
        run = run[1:]
    while len(run) > 1 and not _mash_like(tokens[run[-1]]):
        run = run[:-1]
    return _line_of_token(text, run[0]), b" ".join(tokens[i] for i in run).decode()


def _word_indexes(tokens: list[bytes], positions: range) -> list[int]:
    """Return the first WINDOW - 1 positions, in the order given, whose tokens are words (not acronyms)."""
    found: list[int] = []
    for position in positions:
        token = tokens[position]
        if token.isalpha() and not token.isupper():
            found.append(position)
            if len(found) == WINDOW - 1:
                break
    return found


def _line_of_token(text: str, index: int) -> int:
    """Return the 0-based line of the prose token at `index` (for a finding only, so line by line)."""
    seen = 0
    for offset, line in enumerate(outside_fences(text.split("\n"))):
        seen += len(prose_tokens(line))
        if seen > index:
            return offset
    return 0


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."
