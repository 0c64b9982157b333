"""`reportcheck spec diff`: what changed between two question sets, as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import run
from checker.questions import by_id, load_file
from checker.sets.diff import as_dict, diff, render_text

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "sets_golden"
EXAMPLE = ROOT / "examples" / "other-course"


def test_2024_to_2025_text_is_the_golden_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sets", "diff", "dtu-mlops-2024", "dtu-mlops-2025"]) == 1
    assert capsys.readouterr().out == (GOLDEN / "diff-2024-2025.txt").read_text(encoding="utf-8")


def test_2024_to_2025_json_is_the_golden_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sets", "diff", "dtu-mlops-2024", "dtu-mlops-2025", "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out == json.loads((GOLDEN / "diff-2024-2025.json").read_text(encoding="utf-8"))


def test_2024_to_2025_in_short() -> None:
    result = diff(by_id("dtu-mlops-2024"), by_id("dtu-mlops-2025"))
    assert [q.number for q in result.added] == [23, 24, 25, 28]
    assert result.removed == ()
    # Questions that moved keep their own sentence (paired by fingerprint) or, reworded, their title.
    assert [(a.number, b.number) for a, b in result.renumbered] == [(23, 26), (24, 27), (25, 29), (26, 30),
                                                                     (27, 31)]
    assert [(c.number, c.new_number, c.field, c.old, c.new) for c in result.ranges] == [
        (6, 6, "words", (50, 100), (100, 200)),
        (20, 20, "images", (1, 1), (1, 2)),
        (21, 21, "images", (1, 1), (1, 2)),
        (24, 27, "words", (25, 100), (100, 200)),
        (27, 31, "words", (50, 200), (50, 300)),
    ]


def test_2025_to_2026_changes_question_3() -> None:
    text = render_text(diff(by_id("dtu-mlops-2025"), by_id("dtu-mlops-2026")))
    assert text == (
        "dtu-mlops-2025 -> dtu-mlops-2026: 1 prompt changed, 1 range changed\n"
        "\n"
        "prompt changed:\n"
        "  question 3: Third-party package\n"
        "\n"
        "range changed:\n"
        "  question 3: words 100-200 -> 0-200\n"
    )


def test_same_set_has_no_changes(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(EXAMPLE / "questions.toml")
    assert run(["sets", "diff", path, path]) == 0
    assert capsys.readouterr().out == "ade-made-up -> ade-made-up: no changes\n"


def test_same_prompt_under_another_number_is_renumbered() -> None:
    old = load_file(EXAMPLE / "questions.toml")
    moved = (*old.questions[:2], *(q._replace(number=q.number + 1) for q in old.questions[2:]))
    extra = old.questions[2]._replace(number=3, fingerprint="0123456789abcdef", title="Costs", words=(10, 20))
    new = old._replace(id="next", questions=(*moved[:2], extra, *moved[2:]))
    result = diff(old, new)
    assert as_dict(result) == {
        "old": "ade-made-up",
        "new": "next",
        "added": [{"number": 3, "title": "Costs"}],
        "removed": [],
        "renumbered": [
            {"number": n, "new_number": n + 1, "title": old.questions[n - 1].title, "reworded": False}
            for n in range(3, 8)
        ],
        "prompts": [],
        "ranges": [],
        "titles": [],
        "kinds": [],
    }


def test_removed_question_and_changed_kind_and_title() -> None:
    old = load_file(EXAMPLE / "questions.toml")
    changed = old.questions[6]._replace(number=6, kind="text", title="Who did what")
    new = old._replace(id="next", questions=(*old.questions[:5], changed))
    text = render_text(diff(old, new))
    assert text == (
        "ade-made-up -> next: 1 removed, 1 renumbered, 1 title changed, 1 kind changed\n"
        "\n"
        "removed:\n"
        "  question 6: What we would change\n"
        "\n"
        "renumbered:\n"
        "  question 7 -> 6: Who did what\n"
        "\n"
        "title changed:\n"
        "  question 7 (now 6): 'Contributions' -> 'Who did what'\n"
        "\n"
        "kind changed:\n"
        "  question 7 (now 6): contributions -> text\n"
    )


def test_unknown_set_or_broken_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sets", "diff", "dtu-mlops-1999", "dtu-mlops-2025"]) == 2
    assert capsys.readouterr().err.startswith("reportcheck: unknown question set 'dtu-mlops-1999'; known: ")
    broken = tmp_path / "broken.toml"
    broken.write_text('schema_version = 1\nid = "x"\ntitle = "x"\n[[questions]]\nnumber = 1\n',
                      encoding="utf-8")
    assert run(["sets", "diff", str(broken), "dtu-mlops-2025"]) == 2
    assert capsys.readouterr().err == (
        f"reportcheck: {broken}: questions[0] (question 1): 'title' is a required property "
        f"(run `reportcheck sets validate {broken}`)\n"
    )
