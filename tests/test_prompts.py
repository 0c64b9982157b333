"""checker.prompts: the threshold SAME_QUESTION, and the changed words quoted from the report with their line.

The threshold is pinned on both sides with the shipped question sets alone (their word hashes), so these tests
run everywhere: different questions of one template revision stay below it, one changed word keeps every
question above it.
"""

from __future__ import annotations

import pytest

from checker.fingerprint import similarity, word_hash, word_hashes
from checker.parse import ParsedQuestion, parse
from checker.prompts import SAME_QUESTION, changes, describe, own_words, same_question
from checker.questions import shipped

# Measured on the shipped sets: the closest two different questions of one revision (19 and 20 of 2025/2026,
# two "upload images of ..." questions) share 0.75 of their words; the lowest a one-word change can give is a
# six-word question, 5/6 = 0.833.
CLOSEST_OTHER_QUESTION = 0.75
LOWEST_ONE_WORD_CHANGE = 0.833


def wordings_of_each_revision() -> list[tuple[str, str, list[tuple[int, tuple[str, ...]]]]]:
    found = []
    for question_set in shipped():
        for revision in question_set.revisions:
            asked = [(q.number, next(p for p in q.prompts if revision.id in p.revisions).word_hashes)
                     for q in question_set.questions]
            found.append((question_set.id, revision.id, asked))
    return found


def test_different_questions_of_one_revision_stay_below_the_threshold() -> None:
    closest = 0.0
    for set_id, revision, asked in wordings_of_each_revision():
        for i, (number, mine) in enumerate(asked):
            for other, theirs in asked[i + 1 :]:
                value = similarity(mine, theirs)
                closest = max(closest, value)
                assert not same_question(mine, theirs), (set_id, revision, number, other, value)
    assert closest == pytest.approx(CLOSEST_OTHER_QUESTION, abs=0.001)
    assert closest < SAME_QUESTION


def test_one_changed_added_or_dropped_word_keeps_every_question() -> None:
    lowest = 1.0
    for question_set in shipped():
        for question in question_set.questions:
            for prompt in question.prompts:
                hashes = list(prompt.word_hashes)
                for at in (0, len(hashes) // 2, len(hashes) - 1):
                    for edited in (
                        [*hashes[:at], word_hash("typo"), *hashes[at + 1 :]],
                        [*hashes[:at], word_hash("extra"), *hashes[at:]],
                        [*hashes[:at], *hashes[at + 1 :]],
                    ):
                        lowest = min(lowest, similarity(edited, hashes))
                        assert same_question(edited, hashes), (question_set.id, question.number)
    assert lowest == pytest.approx(LOWEST_ONE_WORD_CHANGE, abs=0.001)
    assert CLOSEST_OTHER_QUESTION < SAME_QUESTION < LOWEST_ONE_WORD_CHANGE


def test_a_question_the_course_rewrote_is_another_question() -> None:
    """2026 asks question 3 anew (any open-source package, not the one required): not an edit of 2025's."""
    sets = {s.id: s for s in shipped()}
    old = sets["dtu-mlops-2025"].questions[2].prompts[0].word_hashes
    new = sets["dtu-mlops-2026"].questions[2].prompts[-1].word_hashes
    assert not same_question(old, new)


def question(prompt_lines: list[str], number: int = 5) -> ParsedQuestion:
    lines = ["# Report", "", f"### Question {number}", "", *(f"> {line}" for line in prompt_lines), ">",
             "> Answer:", "", "Our answer."]
    return parse("\n".join(lines)).questions[0]


TEMPLATE = "**Did your workflow use branches and pull requests? If not, explain how they could help.**"


def test_own_words_carry_their_lines() -> None:
    parsed = question(["**Did your workflow use branches**", "**and pull requests?**", "", "Example: *We used ...*"])
    assert [(w.text, w.line) for w in own_words(parsed)] == [
        ("Did", 5), ("your", 5), ("workflow", 5), ("use", 5), ("branches", 5), ("and", 6), ("pull", 6),
        ("requests", 6),
    ]
    assert [w.hash for w in own_words(parsed)] == list(word_hashes("did your workflow use branches and pull requests"))


def test_changes_quote_the_reports_words_at_their_line() -> None:
    parsed = question(["**Did your workflow use branches and**", "**merge requests? If not, explain how they "
                       "might help.**"])
    found = changes(own_words(parsed), word_hashes(TEMPLATE))
    assert [(c.kind, c.line, c.quote, c.template_words) for c in found] == [
        ("replaced", 6, "merge", 1), ("replaced", 6, "might", 1),
    ]
    assert describe(found) == ("`merge` where the template has another word; `might` where the template has "
                               "another word")


def test_changes_name_added_and_left_out_words() -> None:
    parsed = question(["**Did your team workflow use branches and pull requests? If not, explain how.**"])
    found = changes(own_words(parsed), word_hashes(TEMPLATE))
    assert [(c.kind, c.quote, c.template_words) for c in found] == [
        ("added", "team", 0), ("left-out", "after `how`", 3),
    ]
    assert describe(found) == "`team` added; 3 words of the template left out after `how`"
