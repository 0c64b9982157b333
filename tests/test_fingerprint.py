"""checker.fingerprint: what counts as the same words, shingles that skip a template's blanks, stable hashes."""

from __future__ import annotations

import pytest

from checker.fingerprint import (
    SHINGLE_HASH_WIDTH,
    WORD_HASH_WIDTH,
    fingerprint,
    shingle_hash,
    shingle_hashes,
    shingles,
    similarity,
    word_hash,
    word_hashes,
    words,
)

PLAIN = "Did you use a tool like DVC on <data.example.org>? Don't skip it."


@pytest.mark.parametrize(
    "written",
    [
        "**Did you use a tool like DVC on <data.example.org>? Don't skip it.**",
        "__Did you use a tool__ like _DVC_ on \\<data.example.org\\>? Don\u2019t skip it.",
        "Did you\nuse a tool   like\tDVC on data.example.org? DON'T SKIP IT!",
        "**Did you use a tool like DVC on**\n**<data.example.org>? Don't skip it.**",
        "Did you use a tool like \uff24\uff36\uff23 on [data.example.org](https://data.example.org)? Don't skip it.",
    ],
    ids=["bold", "underscores-escapes-smart-quote", "rewrapped-case", "bold-per-line", "fullwidth-link"],
)
def test_markup_and_formatting_leave_the_words_alone(written: str) -> None:
    assert words(written) == words(PLAIN)
    assert fingerprint(written) == fingerprint(PLAIN)
    assert word_hashes(written) == word_hashes(PLAIN)


def test_a_changed_word_changes_the_fingerprint() -> None:
    assert fingerprint(PLAIN.replace("tool", "service")) != fingerprint(PLAIN)
    assert fingerprint(PLAIN.replace("Did you", "Did your")) != fingerprint(PLAIN)


def test_link_targets_are_not_words() -> None:
    assert words("See [this figure](figures/bucket.png) and ![x](a/b.png).") == ["see", "this", "figure", "and", "x"]


def test_hashes_are_stable_fixed_width_hex() -> None:
    # The shipped question sets store these: a change of the hash function must show up here first.
    assert word_hash("dvc") == "299ad9"
    assert shingle_hash(("we", "used", "dvc")) == "a063d3ac57fe"
    assert fingerprint("Did you use DVC?") == "0e69f78736e72c76"
    assert all(len(h) == WORD_HASH_WIDTH for h in word_hashes(PLAIN))
    assert all(len(h) == SHINGLE_HASH_WIDTH for h in shingle_hashes(PLAIN))
    assert len(word_hashes(PLAIN)) == len(words(PLAIN))


def test_shingles_never_cross_a_blank() -> None:
    example = "We used ... for managing our dependencies. In total X tests cover sXXXXXX's code\u2026 and more."
    # Blanks (`...`, `X`, `sXXXXXX`, `\u2026`) end a run: "We used" and "tests cover" are too short to make one.
    assert shingles(example) == [
        ("for", "managing", "our"), ("managing", "our", "dependencies"), ("our", "dependencies", "in"),
        ("dependencies", "in", "total"),
    ]
    assert shingles("a b c d", size=2) == [("a", "b"), ("b", "c"), ("c", "d")]


def test_an_example_with_its_blanks_filled_keeps_its_shingles() -> None:
    example = "We used ... for managing our dependencies. In total we have implemented X tests."
    filled = "We used uv and pip for managing our dependencies. In total we have implemented 42 tests."
    assert shingle_hashes(example) <= shingle_hashes(filled)
    assert shingle_hashes(example) & shingle_hashes("Our dependencies live in a lock file.") == frozenset()


def test_similarity_counts_words_in_common_in_order() -> None:
    twenty = [word_hash(str(i)) for i in range(20)]
    one_changed = [*twenty[:5], word_hash("other"), *twenty[6:]]
    assert similarity(twenty, twenty) == 1.0
    assert similarity(twenty, one_changed) == 0.95
    assert similarity(twenty, list(reversed(twenty))) < 0.1
    assert similarity([], []) == 1.0
    assert similarity(twenty, []) == 0.0
