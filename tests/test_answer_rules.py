"""Answers that only look done: `answer-todo`, `answer-gibberish`, `answer-duplicate`, each firing and silent."""

from __future__ import annotations

import importlib.util
import random

import pytest

from checker.model import Finding
from checker.rules import english
from checker.rules.gibberish import mash
from tests.conftest import GOOD, ROOT, make_report, run_check


def findings(rule: str, answers: dict[int, str | None]) -> list[Finding]:
    return [f for f in run_check(make_report(answers)).findings if f.rule == rule]


# --- answer-todo -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (GOOD[4] + " TODO: add who did the tests.", "`TODO` marks the answer as unfinished"),
        (GOOD[4] + " Monitoring: TBD.", "`TBD` marks the answer as unfinished"),
        (GOOD[4] + " FIXME", "`FIXME` marks the answer as unfinished"),
        ("s123456 reached an accuracy of XX% on the test set.", "`XX` marks the answer as unfinished"),
        ("s123456 split the workflow into XXXXXXX files.", "`XXXXXXX` marks the answer as unfinished"),
        ("s123456: Lorem ipsum dolor sit amet.", "`Lorem ipsum` marks the answer as unfinished"),
        ("s123456 will fill this in later.", "`fill this in later` marks the answer as unfinished"),
        ("s123456 did the API; the rest is to be written.", "`to be written` marks the answer as unfinished"),
        ("Write your answer here", "`Write your answer here` marks the answer as unfinished"),
        ("s123456: answer goes here", "`answer goes here` marks the answer as unfinished"),
        ("NaN", "the answer is only `NaN`"),
        ("N/A.", "the answer is only `N/A`"),
        ("...", "the answer is only `...`"),
        ("**TBD**", "the answer is only `TBD`"),
    ],
)
def test_answer_todo_fires(answer: str, message: str) -> None:
    (finding,) = findings("answer-todo", {4: answer})
    assert (finding.question, finding.severity, finding.message) == (4, "warning", message)


@pytest.mark.parametrize(
    "answer",
    [
        GOOD[4],
        "s123456 moved each issue from the ToDo column to Done on our board.",
        "s234567 added a check that the loss is never NaN or infinite during training.",
        "s123456 wrote the todo list app used as an example, s234567 the rest.",
        "s123456 kept `# TODO` comments out of the code base; s234567 reviewed.",
        "s123456 wrote this:\n\n```python\n# TODO: remove\nx = 1\n```\n\ns234567 reviewed it.",
        "s123456 made features to be added later easy to plug in; s234567 tested.",
        "s123456 and s234567 used an XXL machine type for the sweeps.",
        "None of us, s123456 or s234567, used extra tools.",
        "The short answer here is that s123456 and s234567 did it together.",
    ],
)
def test_answer_todo_silent(answer: str) -> None:
    assert findings("answer-todo", {4: answer}) == []


def test_answer_todo_points_at_the_line_of_the_marker() -> None:
    text = make_report({4: GOOD[4] + "\n\nMore to come.\n\nTODO: the monitoring part."})
    (finding,) = [f for f in run_check(text).findings if f.rule == "answer-todo"]
    assert text.splitlines()[finding.line - 1] == "TODO: the monitoring part."


# --- answer-gibberish --------------------------------------------------------------------------------------

MASH = "sdkfjh lkajsdlk asdjkh qwpoeiru sldkfj"


@pytest.mark.parametrize(
    "answer",
    [
        f"s123456 and s234567. {MASH}",
        "s123456 wrote it. Then we typed jkjkjkjk dfgdfgdfg hjhjhjh fghfgh to reach the count.",
        "s123456 did everything and aksjdhaksjdh lkajsdlkajsd alskdjalskdj",
        "asdf asdf asdf asdf",
    ],
)
def test_answer_gibberish_fires(answer: str) -> None:
    (finding,) = findings("answer-gibberish", {4: answer})
    assert finding.question == 4
    assert finding.message.endswith("` does not read as words")


@pytest.mark.parametrize(
    "answer",
    [
        GOOD[4],
        "s123456 compared XGBoost, LightGBM and CatBoost; s234567 ran them with kubectl, gcloud and gsutil.",
        "s123456 set up `sdkfjh lkajsdlk asdjkh qwpoeiru` as the bucket key; s234567 wrote the API.",
        f"s123456 wrote this:\n\n```\n{MASH} {MASH}\n```\n\nand s234567 wrote the rest.",
        "s123456 uploaded https://example.org/sdkfjh/lkajsdlk/asdjkh.png and data/qwpoeiru_sldkfj.csv.",
        "s123456 (Bjørn Ødegård) and s234567 (Zsófia Nguyễn) did the work together.",
        "s123456 hashed it to a3f9c2e 7d41b0f 9e2c1aa 5b7d3e1 and s234567 checked it.",
        "s123456 did ABC, DEF, GHI, JKL, MNO and PQR; s234567 did the rest.",
        "sdkfjh",  # too short to judge
    ],
)
def test_answer_gibberish_silent(answer: str) -> None:
    assert findings("answer-gibberish", {4: answer}) == []


def test_answer_gibberish_skips_ids_and_points_at_the_mash() -> None:
    text = make_report({2: "s123456 (Wzrkt Pqlmvb Xcvbnm), s234567", 4: GOOD[4] + f"\n\nIn short:\n{MASH}"})
    (finding,) = [f for f in run_check(text).findings if f.rule == "answer-gibberish"]
    assert finding.question == 4
    assert text.splitlines()[finding.line - 1] == MASH
    assert finding.message == f"`{MASH}` does not read as words"


def keyboard_walk(rng: random.Random) -> str:
    """Return keys hit by fingers walking along one keyboard row, a few words of it."""
    rows = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    words = []
    for _ in range(rng.randint(3, 8)):
        row = rng.choice(rows)
        key = rng.randrange(len(row))
        word = ""
        for _ in range(rng.randint(4, 10)):
            key = max(0, min(len(row) - 1, key + rng.choice((-2, -1, 1, 1, 2))))
            word += row[key]
        words.append(word)
    return " ".join(words)


def two_hands(rng: random.Random) -> str:
    """Return mash typed by alternating hands on the home row, the commonest kind."""
    left, right = "asdfg", "hjklu"
    return " ".join("".join(rng.choice(left if i % 2 == 0 else right) for i in range(rng.randint(5, 12)))
                    for _ in range(rng.randint(3, 6)))


@pytest.mark.parametrize(("make", "least"), [(keyboard_walk, 0.95), (two_hands, 1.0)])
def test_answer_gibberish_finds_most_generated_mash(make: object, least: float) -> None:
    rng = random.Random(11)
    samples = [make(rng) for _ in range(200)]  # type: ignore[operator]
    found = sum(1 for sample in samples if mash(sample) is not None)
    assert found >= least * len(samples)


def test_english_table_is_whole_and_says_where_it_comes_from() -> None:
    assert len(english.TRIGRAMS) == len(english.ALPHABET) ** 3
    assert all(33 <= ord(char) <= 126 for char in english.TRIGRAMS)
    assert "README.md" in (english.__doc__ or "")
    assert "course" not in (english.__doc__ or "").lower()


def test_table_maker_prefers_what_it_has_seen() -> None:
    spec = importlib.util.spec_from_file_location("make_english", ROOT / "tools" / "make_english.py")
    assert spec is not None and spec.loader is not None
    make_english = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_english)
    cells = make_english.table(["there", "the", "then", "other", "these"] * 20)
    size = len(make_english.ALPHABET)

    def cost(trigram: str) -> int:
        a, b, c = (make_english.ALPHABET.index(char) for char in trigram)
        return ord(cells[(a * size + b) * size + c])

    assert cost("the") < cost("ths") < cost("thq")  # seen; unseen after `th` but a common letter; rare letter
    assert cost("  t") < cost("  z")
    assert cost("he ") < cost("hez")
    assert len(cells) == size ** 3


# --- answer-duplicate --------------------------------------------------------------------------------------

PASTED = "s123456 retrains the model every night and s234567 publishes it behind a small API for all."


def test_answer_duplicate_fires_on_the_later_question() -> None:
    (finding,) = findings("answer-duplicate", {3: PASTED + "\n\n![Pipeline](figures/pipe.png)", 4: PASTED})
    assert (finding.question, finding.message) == (4, "the same answer as question 3")


def test_answer_duplicate_survives_a_small_edit() -> None:
    longer = " ".join([
        PASTED,
        "Both of us reviewed every pull request of the other before it was merged.",
        "We kept the data in a bucket and pulled it with one command.",
        "Tests ran on every push, and a failing test blocked the merge.",
        "The model was small enough to train on a laptop in under an hour.",
    ])
    edited = longer.replace("every night", "each night") + " That is all there is to say about it."
    (finding,) = findings("answer-duplicate", {3: longer + " ![Pipeline](figures/pipe.png)", 4: edited})
    assert finding.question == 4


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {3: "No. ![Pipeline](figures/pipe.png)", 4: "No."},
        # one shared sentence in otherwise different answers
        {3: PASTED + " Nothing else ran. ![Pipeline](figures/pipe.png)",
         4: PASTED + " s123456 also wrote every test of the data loader and the model, and s234567 the "
                     "deployment scripts, the monitoring dashboards and the load tests."},
        # the same ids in the group-number and student-id answers are never compared
        {1: "42", 2: "s123456, s234567"},
    ],
)
def test_answer_duplicate_silent(answers: dict[int, str | None]) -> None:
    assert findings("answer-duplicate", answers) == []
