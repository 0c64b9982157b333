"""Synthetic reports for `reportcheck similar`: prompts and answers of our own, drawn from a seeded generator."""

from __future__ import annotations

import random
from pathlib import Path

# Words of our own for made-up answers; a sentence is 10 to 18 of them, so two groups share a run of three
# words only by chance.
_WORDS = (
    "model data pipeline training image container cloud bucket metric loss batch epoch dataset split test unit "
    "coverage docker compose build trigger deploy service endpoint request latency logging sweep config hydra "
    "profile memory kernel gradient optimizer schedule scheduler checkpoint artifact registry version branch merge "
    "review commit hook lint format typing runner workflow matrix cache secret token key storage region instance "
    "quota budget credit monitor alert drift feature label noise augment resize crop normalise tokenizer vocabulary "
    "embedding encoder decoder layer head dropout weight bias precision recall accuracy score baseline ablation "
    "seed random shuffle worker thread process queue message frontend backend api route schema validation "
    "we our team then also because so that which after before during while every each small large fast slow "
    "first second third final new old simple careful manual automatic remote local shared private public"
)
VOCABULARY = tuple(_WORDS.split())


def sentence(rng: random.Random) -> str:
    """Return one made-up sentence."""
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(10, 18))]
    return " ".join(words).capitalize() + "."


def answer(rng: random.Random, sentences: int = 6) -> str:
    """Return a made-up answer of a few sentences."""
    return " ".join(sentence(rng) for _ in range(sentences))


def report(answers: dict[int, str], questions: int, group: int) -> str:
    """Return a report of `questions` questions with prompts of our own; unlisted questions get a short answer.

    With no prompt the shipped sets know, a report goes to the newest set of its size (31 or 27 questions).
    """
    lines = ["# Exam report of a made-up group", ""]
    for number in range(1, questions + 1):
        text = str(group) if number == 1 else answers.get(number, f"Nothing to add for item {number}.")
        lines += [f"### Question {number}", "", f"> **Made-up prompt {number} of our own, about topic {number}?**",
                  ">", "> Answer:", "", text, ""]
    return "\n".join(lines)


def write_repo(folder: Path, name: str, text: str) -> Path:
    """Write a repository folder holding `reports/README.md`; return the report's path."""
    path = folder / name / "reports" / "README.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
