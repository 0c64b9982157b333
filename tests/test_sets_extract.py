"""`reportcheck sets extract`: the official templates give back the shipped sets; range wordings; gaps."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.cli import run
from checker.parse import prompt_fingerprint
from checker.questions import QuestionSet, from_data, load_file
from checker.sets.extract import extract, to_toml, untitled

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "other-course"
OFFICIAL = ["dtu-mlops-2023", "dtu-mlops-2024", "dtu-mlops-2025", "dtu-mlops-2026"]


def differences(drafted: QuestionSet, finished: QuestionSet) -> list[str]:
    """List where a drafted set differs from a finished one, leaving out titles (hand-written) and names.

    A range that the finished set explains in a note is listed as `noted`, so a stale note shows up too.
    """
    found = [
        f"{key}: {getattr(drafted, key)!r} != {getattr(finished, key)!r}"
        for key in ("id", "report_path", "student_id_pattern")
        if getattr(drafted, key) != getattr(finished, key)
    ]
    if len(drafted.questions) != len(finished.questions):
        found.append(f"{len(drafted.questions)} questions != {len(finished.questions)}")

    # Section ids and titles are names a person may choose; which questions share a section is not.
    def grouping(question_set: QuestionSet) -> list[int]:
        order = list(dict.fromkeys(q.section for q in question_set.questions))
        return [order.index(q.section) for q in question_set.questions]

    if grouping(drafted) != grouping(finished):
        found.append(f"sections: {grouping(drafted)} != {grouping(finished)}")
    for mine, theirs in zip(drafted.questions, finished.questions, strict=False):
        for key in ("number", "fingerprint", "kind", "words", "images"):
            old, new = getattr(mine, key), getattr(theirs, key)
            if old != new:
                noted = " (noted)" if theirs.note and key in ("words", "images") else ""
                found.append(f"question {theirs.number} {key}: {old!r} != {new!r}{noted}")
    return found


def drafted_set(path: Path, set_id: str) -> tuple[QuestionSet, Any]:
    result = extract(path.read_text(encoding="utf-8"), set_id)
    data = tomllib.loads(to_toml(result, path.name))
    assert data == result.data  # the TOML writer loses nothing
    return from_data(data, path.name), result


@pytest.mark.parametrize("set_id", OFFICIAL)
def test_official_template_gives_back_the_shipped_set(set_id: str) -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    shipped = load_file(ROOT / "questions" / f"{set_id}.toml")
    drafted, result = drafted_set(SHARED / "templates" / f"{set_id}.md", set_id)
    assert differences(drafted, shipped) == [
        f"question {q.number} images: None != (1, 1) (noted)" for q in shipped.questions if q.note
    ]
    # Every question the extractor could not read is one whose shipped entry says why.
    assert {gap.number for gap in result.gaps} == {q.number for q in shipped.questions if q.note}


def test_shipped_notes_are_the_figure_without_a_count() -> None:
    notes = {
        (path.stem, q.number): q.note
        for path in sorted((ROOT / "questions").glob("*.toml"))
        for q in load_file(path).questions
        if q.note
    }
    assert sorted(notes) == [("dtu-mlops-2023", 25), ("dtu-mlops-2024", 25), ("dtu-mlops-2025", 29),
                             ("dtu-mlops-2026", 29)]
    assert set(notes.values()) == {
        "The template asks for a figure without a count; the course checker accepts exactly one image."
    }


def test_made_up_course_gives_back_its_finished_set() -> None:
    finished = load_file(EXAMPLE / "questions.toml")
    drafted, result = drafted_set(EXAMPLE / "template.md", "ade-made-up")
    assert differences(drafted, finished) == ["question 6 words: None != (50, 150) (noted)"]
    assert [gap.describe("template.md") for gap in result.gaps] == [
        "template.md:57: question 6: no title could be drafted from the prompt: replace "
        "'TODO: title of question 6' with one",
        "template.md:60: question 6: mentions an answer length that is not `N-M words`: set `words` by hand",
    ]
    assert drafted.student_id_pattern == r"^u\d{7}$"
    assert [q.kind for q in drafted.questions] == [
        "group-number", "student-ids", "text", "text", "text", "text", "contributions"
    ]
    assert [q.title for q in drafted.questions] == [
        "Group number", "Student ids", "Data sources", "Pipeline orchestration graph",
        "Data-quality dashboard image", untitled(6), "Contributions",
    ]


def template(*questions: str, heading: str = "## Part one") -> str:
    """Return a blank template with one section and these prompts (each a list of quote lines joined by |)."""
    lines = ["# A course", "", heading, ""]
    for number, prompt in enumerate(questions, start=1):
        quote = [f"> {part}" for part in prompt.split("|")]
        placeholder = f"--- question {number} fill here ---"
        lines += [f"### Question {number}", *quote, ">", "> Answer:", "", placeholder, ""]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("wording", "words", "images"),
    [
        ("Recommended answer length: 100-200 words.", [100, 200], None),
        ("Answer length: 200-300 words + 1 to 3 screenshots.", [200, 300], [1, 3]),
        ("**Insert 1-2 images of your storage bucket.**", None, [1, 2]),
        ("**Upload one image of your registry.**", None, [1, 1]),
        ("Recommended answer length: 0-200 words.", [0, 200], None),
        ("Answer length: fifty to one hundred words.", None, None),  # number words stop at ten
        ("Answer length: five to ten words, add two to four screenshots.", [5, 10], [2, 4]),
        ("Answer length: 100 \u2013 150 words.", [100, 150], None),
        ("Answer length: up to 80 words.", [0, 80], None),
        ("Answer length: 50-100 words.|Example: *3-4 words and 2 to 5 images*", [50, 100], None),
    ],
)
def test_ranges_are_read_from_the_wording(
    wording: str, words: list[int] | None, images: list[int] | None
) -> None:
    question = extract(template(f"**Tell us about it.**|{wording}"), "x").data["questions"][0]
    assert (question.get("words"), question.get("images")) == (words, images)


@pytest.mark.parametrize(
    ("prompt", "kind"),
    [
        ("**Enter the group number you were given.**", "group-number"),
        ("**What is your team number?**", "group-number"),
        ("**Enter the study number for each member in the group**", "student-ids"),
        ("**List every member's student id.**", "student-ids"),
        ("**State the individual contributions of each team member.**|Answer length: 50-200 words.",
         "contributions"),
        ("**How did your group organise its work?**|Answer length: 50-200 words.", "text"),
    ],
)
def test_kinds_are_recognised_from_the_question(prompt: str, kind: str) -> None:
    question = extract(template(prompt), "x").data["questions"][0]
    assert question.get("kind", "text") == kind


def test_fingerprint_is_the_parsers() -> None:
    """The fingerprint is of the question's own (bold) sentence: the guidance under it does not count."""
    question = extract(template("**Why this design?**|Answer length: 1-2 words."), "x").data["questions"][0]
    assert question["fingerprint"] == prompt_fingerprint("**Why   this design?**\nAnswer length: 3-9 words.")
    assert question["fingerprint"] != prompt_fingerprint("**Why that design?**\nAnswer length: 1-2 words.")


def test_gaps_name_the_line_and_what_to_finish() -> None:
    text = template(
        "**What is the answer?**",  # no range at all
        "**Show us a diagram.**|Include a diagram of the system.",  # pictures without a count
        "**Explain the design.**|Answer length: a few hundred words.",  # length not N-M
    ) + "\n### Question 5\n\nNo quote here.\n"
    result = extract(text, "x")
    assert [gap.describe("t.md") for gap in result.gaps] == [
        "t.md:5: question 1: no answer length or image count in the prompt: add `words`/`images` by hand, "
        "or leave it without a range",
        "t.md:14: question 2: asks for pictures without a count: set `images` by hand",
        "t.md:22: question 3: mentions an answer length that is not `N-M words`: set `words` by hand",
        "t.md:28: question 5: expected question 4 here: numbers must run 1, 2, 3...",
        "t.md:28: question 5: no answer length or image count in the prompt: add `words`/`images` by hand, "
        "or leave it without a range",
        "t.md:28: question 5: no quoted prompt below the heading: the fingerprint is of an empty prompt",
    ]
    rendered = to_toml(result, "t.md")
    assert "# To finish by hand:\n#   t.md:5: question 1: no answer length" in rendered
    todo = "# TODO (line 14): asks for pictures without a count: set `images` by hand"
    assert f"{todo}\n[[questions]]\nnumber = 2" in rendered


def test_question_before_any_section_heading_is_a_gap() -> None:
    result = extract(template("**Why this design?**|Answer length: 1-2 words.", heading=""), "x")
    assert "section" not in result.data["questions"][0]
    assert "sections" not in result.data
    assert [gap.reason for gap in result.gaps] == ["not under a `##` heading: give it a section by hand"]


def test_cli_writes_the_file_and_lists_gaps_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE)
    out = tmp_path / "drafted.toml"
    assert run(["sets", "extract", "template.md", "--id", "ade-made-up", "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "template.md:57: question 6: no title could be drafted from the prompt: replace 'TODO: title of question 6' "
        "with one\n"
        "template.md:60: question 6: mentions an answer length that is not `N-M words`: set `words` by hand\n"
        "2 points to finish by hand\n"
    )
    assert load_file(out).id == "ade-made-up"


def test_cli_derives_the_id_from_the_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "Course 2027.md"
    path.write_text(template("**Why this design?**|Answer length: 1-2 words."), encoding="utf-8")
    assert run(["sets", "extract", str(path)]) == 0
    assert tomllib.loads(capsys.readouterr().out)["id"] == "course-2027"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["README.md"],
         "reportcheck: README.md: cannot make an id from the file name 'README.md'; pass --id"),
        (["README.md", "--id", "Bad Id"],
         "reportcheck: --id 'Bad Id': use lower-case letters, digits, '.', '_' and '-'"),
        (["nothing.md", "--id", "x"], "reportcheck: nothing.md: no such file"),
    ],
)
def test_cli_refuses_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text(template("**Why this design?**"), encoding="utf-8")
    assert run(["sets", "extract", *args]) == 2
    assert capsys.readouterr().err.strip() == message


def test_made_up_report_is_ready_with_its_question_set(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["check", "--set", str(EXAMPLE / "questions.toml"), str(EXAMPLE)])
    out = capsys.readouterr().out
    assert (code, out.splitlines()[-1]) == (0, "READY 7/7 questions pass"), out


@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_any_title_survives_the_toml_writer(title: str) -> None:
    result = extract(template("**Why this design?**|Answer length: 1-2 words."), "x", title or None)
    assert tomllib.loads(to_toml(result, "t.md"))["title"] == (title or "x")
