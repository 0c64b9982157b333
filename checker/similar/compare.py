"""Find and score the pairs of answers to one question that share passages few groups wrote; pure, no I/O.

1. Each answer becomes the set of its own shingles (runs of three words, `checker.fingerprint`): the template's
   prompt and example are left out (`checker.template_words`), and so is everything a blank of it runs into.
2. An inverted index, sorted by (topic, shingle) with numpy, gives each shingle's number of answers using it
   (one per report). A shingle of up to `RARE` answers weighs 1, one of more weighs `RARE / answers`, and one
   of over `COMMON` answers weighs nothing and proposes no pair: text many groups share is discounted
   the way code tools discount the base code every student got.
3. Every two answers that share a shingle of at most `COMMON` answers are a candidate; the score of a
   candidate is the weight of the shingles both hold over the weight of the smaller answer's, exactly.
4. Pairs scoring at least `min_score` with at least `MIN_SHARED` shingles in common are kept, and their shared
   passages (runs of shared shingles) found with their lines.
docs/similarity.md says why an exact index rather than MinHash.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.fingerprint import Token, shingle_values, tokens
from checker.questions import Question, QuestionSet, shipped
from checker.similar.model import Answer, Entry, Pair, Shared, Side
from checker.template_words import template_words

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

RARE = 3
"""Answers that may share a shingle before it weighs less: a copy passed on to a third group still counts whole."""
MIN_SHARED = 8
"""Shingles two answers must share to be a pair: ten words in a row, or a few shorter passages."""
MIN_SCORE = 0.3
COMMON = 8
"""A shingle of more answers than this is common text (a tutorial's phrase, a tool's own words): it weighs nothing
and proposes no pair. It also bounds the pairs one shingle proposes (28), and so the work and memory."""
MAX_PASSAGES = 50
_VALUE_BITS = 48


@dataclass(frozen=True)
class Settings:
    """How pairs are chosen: the lowest score shown."""

    min_score: float = MIN_SCORE


@dataclass(frozen=True)
class Item:
    """One answer of one entry, the unit that is indexed."""

    entry: Entry
    answer: Answer


def _questions(sets: tuple[QuestionSet, ...] | None) -> dict[tuple[str, int], Question]:
    return {(s.id, q.number): q for s in (shipped() if sets is None else sets) for q in s.questions}


def own_positions(answer: Answer, question: Question | None) -> tuple[list[Token], list[int | None]]:
    """Return an answer's tokens and, per token, the value of the shingle it starts when that is the group's own."""
    found = tokens(answer.text)
    values = shingle_values(found)
    if question is None:
        return found, values
    own = template_words(question).own(found, values)
    return found, [value if mine else None for value, mine in zip(values, own, strict=True)]


def _weights(counts: npt.NDArray[np.int64], limit: int) -> npt.NDArray[np.float64]:
    """Return the weight of shingles used by `counts` answers each."""
    import numpy as np

    weights = np.where(counts <= RARE, 1.0, RARE / np.maximum(counts, 1))
    return np.where(counts > limit, 0.0, weights)


def compare(entries: Sequence[Entry], settings: Settings = Settings(),
            sets: tuple[QuestionSet, ...] | None = None) -> list[Pair]:
    """Return the pairs of answers worth a person's reading, highest score first.

    A pair has at least one side of this year (not `prior`) and two different repositories. `sets` are those the
    entries were read with (default the shipped ones): they know each question's template words.
    """
    import numpy as np

    questions = _questions(sets)
    items = [Item(entry, answer) for entry in entries for answer in entry.answers]
    if not items:
        return []
    chunks = [np.frombuffer(item.answer.shingles, dtype=np.uint64) | np.uint64(item.answer.topic << _VALUE_BITS)
              for item in items]
    key_array = np.concatenate(chunks)
    owner_array = np.repeat(np.arange(len(items), dtype=np.int64), [len(chunk) for chunk in chunks])
    del chunks
    if not len(key_array):
        return []
    order = np.argsort(key_array, kind="stable")
    key_array, owner_array = key_array[order], owner_array[order]
    starts = np.flatnonzero(np.concatenate(([True], key_array[1:] != key_array[:-1])))
    counts = np.diff(np.append(starts, len(key_array)))
    weights = _weights(counts, COMMON)
    totals = np.bincount(owner_array, weights=np.repeat(weights, counts), minlength=len(items))

    prior = np.array([item.entry.prior for item in items], dtype=bool)
    repo_ids: dict[str, int] = {}
    repos = np.array([repo_ids.setdefault(item.entry.repo.lower(), len(repo_ids)) for item in items], dtype=np.int64)
    # Each shingle of 2..COMMON answers proposes every two of them; a pair is coded `low * items + high`, so
    # one sort adds up what each pair shares. Pairs of two earlier years' answers, or of one repository, go first.
    codes_found: list[npt.NDArray[np.int64]] = []
    shares: list[npt.NDArray[np.float64]] = []
    candidate = (counts >= 2) & (weights > 0)
    for size in np.unique(counts[candidate]):
        chosen = candidate & (counts == size)
        members = owner_array[starts[chosen][:, None] + np.arange(size)]
        for i in range(int(size)):
            for j in range(i + 1, int(size)):
                first, second = members[:, i], members[:, j]
                valid = ~(prior[first] & prior[second]) & (repos[first] != repos[second])
                low, high = np.minimum(first, second)[valid], np.maximum(first, second)[valid]
                codes_found.append(low * len(items) + high)
                shares.append(weights[chosen][valid])
    if not codes_found:
        return []
    codes, inverse = np.unique(np.concatenate(codes_found), return_inverse=True)
    shared_weight = np.bincount(inverse, weights=np.concatenate(shares))
    shared_count = np.bincount(inverse)
    del codes_found, shares, inverse
    low, high = codes // len(items), codes % len(items)
    scores = shared_weight / np.maximum(np.minimum(totals[low], totals[high]), 1e-9)
    keep = (scores >= settings.min_score) & (shared_count >= MIN_SHARED)

    distinct, counted = key_array[starts], weights > 0

    def rare(keys: list[int]) -> list[bool]:
        """Tell which of these keys weigh something (used by at most `COMMON` answers)."""
        wanted = np.array(keys, dtype=np.uint64)
        where = np.minimum(np.searchsorted(distinct, wanted), len(distinct) - 1)
        return [bool(flag) for flag in (distinct[where] == wanted) & counted[where]]

    pairs = [_pair(items[int(a)], items[int(b)], min(1.0, float(score)), rare, questions)
             for a, b, score in zip(low[keep], high[keep], scores[keep], strict=True)]
    return sorted(pairs, key=Pair.sort_key)


def _line(answer: Answer, offset: int) -> int:
    return answer.line + answer.text.count("\n", 0, offset)


def _pair(one: Item, other: Item, score: float, rare: Callable[[list[int]], list[bool]],
          questions: dict[tuple[str, int], Question]) -> Pair:
    """Return the pair of two answers with its shared passages; this year's answer (or the first by name) is `a`."""
    if one.entry.prior or (not other.entry.prior and (other.entry.repo, other.entry.report)
                           < (one.entry.repo, one.entry.report)):
        one, other = other, one
    topic = one.answer.topic << _VALUE_BITS
    a_tokens, a_values = own_positions(one.answer, questions.get((one.entry.set_id, one.answer.number)))
    b_tokens, b_values = own_positions(other.answer, questions.get((other.entry.set_id, other.answer.number)))
    b_first: dict[int, int] = {}
    mine = [(position, value) for position, value in enumerate(b_values) if value is not None]
    for (position, own), counted in zip(mine, rare([topic | own for _, own in mine]), strict=True):
        if counted:
            b_first.setdefault(own, position)
    passages: list[Shared] = []
    i = 0
    while i < len(a_values):
        value = a_values[i]
        if value is None or value not in b_first:
            i += 1
            continue
        j = b_first[value]
        length = 1
        while (i + length < len(a_values) and a_values[i + length] is not None
               and a_values[i + length] in b_first):
            length += 1
        b_length = 1
        while (j + b_length < len(b_values) and i + b_length < len(a_values)
               and b_values[j + b_length] is not None and b_values[j + b_length] == a_values[i + b_length]):
            b_length += 1
        a_end = a_tokens[min(i + length + 1, len(a_tokens) - 1)].end
        b_end = b_tokens[min(j + b_length + 1, len(b_tokens) - 1)].end
        a_start, b_start = a_tokens[i].start, b_tokens[j].start
        passages.append(Shared(_line(one.answer, a_start), _line(other.answer, b_start), length + 2,
                               (a_start, a_end), (b_start, b_end)))
        i += length
    return Pair(one.answer.number, round(score, 3), Side.of(one.entry, one.answer), Side.of(other.entry, other.answer),
                tuple(passages[:MAX_PASSAGES]))
