"""`reportcheck sets validate`: broken sets give exact one-line messages; shipped and example sets pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import run
from checker.sets.validate import load_data, validate

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CASES = sorted((ROOT / "tests" / "set_cases").glob("*.toml"))
SHIPPED = sorted((ROOT / "questions").glob("*.toml"))
EXAMPLE = ROOT / "examples" / "other-course"


def expected(case: Path) -> list[str]:
    """Return the `# expect:` lines of a case file, prefixed with its name as validate prints them."""
    lines = case.read_text(encoding="utf-8").splitlines()
    marker = "# expect: "
    return [f"{case.name}: {line.removeprefix(marker)}" for line in lines if line.startswith(marker)]


def test_enough_broken_cases() -> None:
    assert len(CASES) >= 10
    assert all(expected(case) for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_broken_set_gives_its_message(case: Path) -> None:
    problems = validate(load_data(case), case.name)
    assert [str(p) for p in problems] == expected(case)


@pytest.mark.parametrize("case", CASES[:3], ids=lambda p: p.stem)
def test_cli_prints_the_problems_and_exits_1(case: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case.parent)
    assert run(["sets", "validate", case.name]) == 1
    assert capsys.readouterr().out.splitlines() == expected(case)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_sets_are_valid(path: Path) -> None:
    assert validate(load_data(path), path.name) == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_sets_pass_the_self_test_with_their_template(path: Path) -> None:
    template = SHARED / "templates" / f"{path.stem}.md"
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    problems = validate(load_data(path), path.name, (template.read_text(encoding="utf-8"), template.name))
    assert problems == []


def test_example_course_is_valid_with_its_template(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE)
    assert run(["sets", "validate", "questions.toml", "--template", "template.md"]) == 0
    assert capsys.readouterr().out == (
        "questions.toml: valid question set 'ade-made-up' (7 questions); template.md matches it\n"
    )


def _self_test(tmp_path: Path, template: str) -> list[str]:
    blank = tmp_path / "blank.md"
    blank.write_text(template, encoding="utf-8")
    data = load_data(EXAMPLE / "questions.toml")
    return [str(p) for p in validate(data, "questions.toml", (template, blank.name))]


def test_self_test_reports_an_answered_question(tmp_path: Path) -> None:
    template = (EXAMPLE / "template.md").read_text(encoding="utf-8")
    template = template.replace("--- question 1 fill here ---", "12")
    assert _self_test(tmp_path, template) == [
        "blank.md:10: question 1 is 'pass' on the blank template, expected 'unanswered'"
    ]


def test_self_test_reports_a_changed_prompt(tmp_path: Path) -> None:
    template = (EXAMPLE / "template.md").read_text(encoding="utf-8")
    template = template.replace("how often does it run?", "how often is it run?")
    assert _self_test(tmp_path, template) == [
        "blank.md:30: question 3: the prompt's fingerprint is 68eced83fdf65e64, the set has f85f05653b053cd0"
    ]


def test_self_test_reports_questions_missing_on_either_side(tmp_path: Path) -> None:
    template = (EXAMPLE / "template.md").read_text(encoding="utf-8")
    template = template.replace("### Question 7", "### Question 8")
    assert _self_test(tmp_path, template) == [
        "blank.md: question 7 is 'missing' on the blank template, expected 'unanswered'",
        "blank.md: question 7 of the set is not in the template",
        "blank.md:66: question 8 is in the template but not in the set",
    ]


def test_schema_problems_stop_before_the_semantic_checks() -> None:
    data = load_data(EXAMPLE / "questions.toml")
    data["questions"][0]["number"] = "one"
    data["questions"][1]["words"] = [9, 1]
    assert [str(p) for p in validate(data, "x.toml")] == [
        "x.toml: questions[0].number: 'one' is not of type 'integer'"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "reportcheck: missing.toml: no such file"),
        # tomllib words its own message differently across Python versions: only our part is pinned.
        (b"id = [", "reportcheck: set.toml: not valid TOML ("),
        (b"\xff\xfe id", "reportcheck: set.toml: not UTF-8 text"),
    ],
    ids=["missing", "not-toml", "not-utf8"],
)
def test_unreadable_file_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    content: bytes | None, message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    name = "missing.toml"
    if content is not None:
        name = "set.toml"
        (tmp_path / name).write_bytes(content)
    assert run(["sets", "validate", name]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(message) if message.endswith("(") else err == message
