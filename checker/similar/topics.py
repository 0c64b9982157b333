"""Which questions of different question sets ask the same: a prior year's answer is compared under its prompt.

Numbers shift between years, so a question is known by its wordings (`Question.wordings`: fingerprints and word
hashes). Sets are taken newest first; each question joins the first topic one of whose wordings it shares, or
whose wording is close enough (`checker.prompts.same_question`), and that no other question of its own set took.
"""

from __future__ import annotations

from checker.prompts import same_question
from checker.questions import Question, QuestionSet, shipped

COMPARED_KINDS = ("text", "contributions")
"""Kinds of question whose answers are compared: a group number or a list of ids says nothing copied."""


def _alike(question: Question, wordings: list[tuple[str, tuple[str, ...]]]) -> bool:
    """Tell whether one of the question's wordings is one of these, or close enough."""
    for prompt in question.wordings:
        for fingerprint, hashes in wordings:
            if prompt.fingerprint == fingerprint:
                return True
            if prompt.hashes and hashes and same_question(prompt.word_hashes, hashes):
                return True
    return False


def topic_map(sets: tuple[QuestionSet, ...]) -> dict[tuple[str, int], int]:
    """Return the topic of each compared question, by (set id, number); equal topics ask the same."""
    topics: list[list[tuple[str, tuple[str, ...]]]] = []
    found: dict[tuple[str, int], int] = {}
    for question_set in sorted(sets, key=lambda s: (s.released, s.id), reverse=True):
        taken: set[int] = set()
        for question in question_set.questions:
            if question.kind not in COMPARED_KINDS:
                continue
            topic = next((t for t, wordings in enumerate(topics) if t not in taken and _alike(question, wordings)),
                         None)
            if topic is None:
                topic = len(topics)
                topics.append([])
            topics[topic].extend((p.fingerprint, p.word_hashes) for p in question.wordings)
            taken.add(topic)
            found[(question_set.id, question.number)] = topic
    return found


_KNOWN: dict[tuple[str, ...], dict[tuple[str, int], int]] = {}


def topics_of(sets: tuple[QuestionSet, ...] | None = None) -> dict[tuple[str, int], int]:
    """Return the topics of these sets (default the shipped ones), worked out once per run for each choice of sets."""
    sets = shipped() if sets is None else sets
    key = tuple(s.id for s in sets)
    if key not in _KNOWN:
        _KNOWN[key] = topic_map(sets)
    return _KNOWN[key]
