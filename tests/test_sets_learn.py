"""`reportcheck sets learn`: the shipped sets are what it makes of the revisions; it keeps a set's own data."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from checker.cli import run
from checker.questions import Revision, from_data, load_file
from checker.sets.learn import fresh, learn, revision_from_path
from checker.sets.validate import validate
from tests.conftest import PROMPTS, ROOT, SHARED, make_report

REVISIONS = SHARED / "templates" / "revisions"
# Which revisions each shipped set learns: by structure, then by date (a January course uses the revisions
# dated up to that January; later 27-question revisions belong to the last 27-question set).
SHIPPED = {
    "dtu-mlops-2023": ["2022-12-29-58831729", "2022-12-31-9c5086ee", "2023-01-02-148bb62d", "2023-01-06-1477d9cd"],
    "dtu-mlops-2024": ["2023-09-27-64ea22b7", "2024-02-01-0902b07d", "2024-04-25-65b968af", "2024-06-04-e473a454",
                       "2024-06-18-31e3972e", "2024-10-12-6e2cf9f5", "2024-11-09-92b03d41"],
    "dtu-mlops-2025": ["2024-12-22-4eb18892", "2025-01-08-d1b907d5", "2025-01-24-9c3875c2"],
    "dtu-mlops-2026": ["2026-01-04-1fa25710", "2026-01-09-e3622b47", "2026-01-09-eb7305c5"],
}
LEARNED = ("prompts", "guidance", "example_shingles")


def own_data(data: dict[str, Any]) -> dict[str, Any]:
    """Return a set's data without what `learn` writes (the own fingerprint included)."""
    kept = {key: value for key, value in data.items() if key != "revisions"}
    kept["questions"] = [{k: v for k, v in q.items() if k not in (*LEARNED, "fingerprint")} for q in data["questions"]]
    return kept


@pytest.mark.parametrize("set_id", sorted(SHIPPED))
def test_shipped_set_is_what_learn_makes_of_its_revisions(shared: Path, tmp_path: Path, set_id: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    shipped = ROOT / "questions" / f"{set_id}.toml"
    target = tmp_path / shipped.name
    shutil.copy(shipped, target)
    templates = [str(REVISIONS / f"{name}.md") for name in SHIPPED[set_id]]
    assert run(["sets", "learn", "--fresh", "--into", str(target), *templates]) == 0
    assert target.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8")
    assert f"{target}: {len(templates)} revisions" in capsys.readouterr().err


def test_every_revision_is_learned_by_one_set_of_its_size(shared: Path) -> None:
    assigned = sorted(name for names in SHIPPED.values() for name in names)
    assert assigned == sorted(p.stem for p in REVISIONS.glob("2*.md"))
    for set_id, names in SHIPPED.items():
        question_set = load_file(ROOT / "questions" / f"{set_id}.toml")
        assert [r.id for r in question_set.revisions] == [name.split("-", 3)[3] for name in names]
        for name in names:
            text = (REVISIONS / f"{name}.md").read_text(encoding="utf-8")
            assert text.count("\n### Question ") == len(question_set.questions), name


def mini_data() -> dict[str, Any]:
    return tomllib.loads((ROOT / "tests" / "data" / "mini-course.toml").read_text(encoding="utf-8"))


def test_learn_keeps_the_sets_own_data_and_is_repeatable() -> None:
    data = mini_data()
    template = make_report(dict.fromkeys(PROMPTS))
    once = learn(data, template, Revision("r1", "2030-01-01"), "t.md")
    twice = learn(once, template, Revision("r1", "2030-01-01"), "t.md")
    assert once == twice
    assert own_data(once) == own_data(data)
    assert validate(once, "mini") == []
    assert once["revisions"] == [{"id": "r1", "date": "2030-01-01"}]
    learned = from_data(once, "mini")
    assert [q.fingerprint for q in learned.questions] == [q["fingerprint"] for q in data["questions"]]
    assert all(len(q.prompts) == 1 and q.prompts[0].word_hashes for q in learned.questions)


def test_a_second_revision_adds_a_wording_and_keeps_equal_ones_once() -> None:
    data = mini_data()
    first = make_report(dict.fromkeys(PROMPTS))
    second = first.replace("a few sentences", "three sentences")
    both = learn(learn(data, first, Revision("r1", "2030-01-01"), "a"), second, Revision("r2", "2031-01-01"), "b")
    by_number = {q["number"]: q for q in both["questions"]}
    assert [p["revisions"] for p in by_number[3]["prompts"]] == [["r1"], ["r2"]]
    assert [p["revisions"] for p in by_number[1]["prompts"]] == [["r1", "r2"]]
    # The set's own wording is that of its newest revision released by its date (2030-01-01: r1), else the newest.
    assert by_number[3]["fingerprint"] == by_number[3]["prompts"][0]["fingerprint"]
    undated = {key: value for key, value in data.items() if key != "released"}
    newest = learn(learn(undated, first, Revision("r1", "2030-01-01"), "a"), second, Revision("r2", "2031-01-01"),
                   "b")
    assert {q["number"]: q for q in newest["questions"]}[3]["fingerprint"] == by_number[3]["prompts"][1]["fingerprint"]
    forgotten = fresh(both)
    assert "revisions" not in forgotten
    assert not any(key in q for q in forgotten["questions"] for key in LEARNED)
    assert own_data(forgotten) == own_data(data)


def test_revision_names_come_from_the_file_name() -> None:
    assert revision_from_path(Path("2026-01-09-eb7305c5.md")) == Revision("eb7305c5", "2026-01-09")
    assert revision_from_path(Path("course-template.md")) == Revision("course-template", "")
    assert revision_from_path(Path("Course 2027.md")) == Revision("course-2027", "")


def test_extract_learns_its_template_as_the_first_revision(tmp_path: Path) -> None:
    out = tmp_path / "drafted.toml"
    template = ROOT / "examples" / "other-course" / "template.md"
    assert run(["sets", "extract", str(template), "--id", "ade-made-up", "-o", str(out)]) == 1
    drafted = load_file(out)
    assert drafted.revisions == (Revision("template", ""),)
    finished = load_file(ROOT / "examples" / "other-course" / "questions.toml")
    assert [q.prompts for q in drafted.questions] == [q.prompts for q in finished.questions]
    assert [q.example_shingles for q in drafted.questions] == [q.example_shingles for q in finished.questions]


def test_a_template_of_another_structure_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mini.toml"
    shutil.copy(ROOT / "tests" / "data" / "mini-course.toml", target)
    template = tmp_path / "2030-01-01-r1.md"
    template.write_text(make_report(dict.fromkeys(PROMPTS), skip=(4,)), encoding="utf-8")
    before = target.read_text(encoding="utf-8")
    assert run(["sets", "learn", "--into", str(target), str(template)]) == 2
    assert capsys.readouterr().err == (
        f"reportcheck: {template}: has 3 questions, the set 4 (questions 4 of the set are not in it); "
        "learn it into a set of its own structure\n"
    )
    assert target.read_text(encoding="utf-8") == before


def test_revision_options_name_one_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mini.toml"
    shutil.copy(ROOT / "tests" / "data" / "mini-course.toml", target)
    template = tmp_path / "blank.md"
    template.write_text(make_report(dict.fromkeys(PROMPTS)), encoding="utf-8")
    assert run(["sets", "learn", "--into", str(target), "--revision", "v1", str(template), str(template)]) == 2
    assert "--revision and --date name one revision" in capsys.readouterr().err
    assert run(["sets", "learn", "--into", str(target), "--date", "Jan 5", str(template)]) == 2
    assert "--date 'Jan 5': write it as YYYY-MM-DD" in capsys.readouterr().err
    assert run(["sets", "learn", "--into", str(target), "--revision", "v 1", str(template)]) == 2
    assert "--revision 'v 1': use letters, digits" in capsys.readouterr().err
    assert run(["sets", "learn", "--into", str(target), "--revision", "v1", "--date", "2030-01-05", str(template)]) == 0
    learned = load_file(target)
    assert learned.revisions == (Revision("v1", "2030-01-05"),)
    assert run(["sets", "validate", str(target)]) == 0


def test_learn_rewrites_only_what_it_learned(tmp_path: Path) -> None:
    """Comments, the order of keys and tables a person wrote (here one after the questions) stay byte for byte."""
    mini = (ROOT / "tests" / "data" / "mini-course.toml").read_text(encoding="utf-8")
    written = mini.replace('kind = "contributions"\n', 'kind = "contributions"  # who did what\n') + (
        "\n# A table after the questions, as a course may add one (the shipped sets' evidence).\n"
        "[[sections]]\nid = 'extra'\ntitle = 'Extra'  # not used by any question\n"
    )
    target = tmp_path / "mini.toml"
    target.write_text(written, encoding="utf-8")
    template = tmp_path / "2030-01-01-r1.md"
    template.write_text(make_report(dict.fromkeys(PROMPTS)), encoding="utf-8")
    assert run(["sets", "learn", "--into", str(target), str(template)]) == 0
    once = target.read_text(encoding="utf-8")
    assert run(["sets", "learn", "--into", str(target), str(template)]) == 0
    assert target.read_text(encoding="utf-8") == once
    learned_lines = {"revisions = [", '  { id = "r1", date = "2030-01-01" },', "]", "[[questions.prompts]]",
                     "[[questions.guidance]]", 'revisions = ["r1"]', 'word_hashes = """', '"""', ""}
    added = [line for line in once.split("\n") if line not in written.split("\n")]
    assert {line for line in added if not re.fullmatch(r"[0-9a-f ]+|fingerprint = \"[0-9a-f]{16}\"", line)} \
        <= learned_lines
    hand_written = [line for line in written.split("\n") if not re.fullmatch(r"[0-9a-f ]+", line)]
    assert [line for line in hand_written if line not in once.split("\n")] == []
    assert once.index("# Shingle hashes of EXAMPLES[3]") < once.index('example_shingles = """')
    assert tomllib.loads(once)["sections"][-1] == {"id": "extra", "title": "Extra"}
    # --fresh forgets the example shingles too (this template has no example): only they go.
    assert run(["sets", "learn", "--fresh", "--into", str(target), str(template)]) == 0
    expected = tomllib.loads(once)
    del expected["questions"][2]["example_shingles"]
    assert tomllib.loads(target.read_text(encoding="utf-8")) == expected
