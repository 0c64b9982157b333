"""A set that learned its template: revision named, changed words quoted, guidance free, size decides first."""

from __future__ import annotations

import json
import tomllib
from typing import Any

import jsonschema

from checker import check_text
from checker.fingerprint import word_hashes
from checker.formats import render_many
from checker.parse import parse
from checker.questions import QuestionSet, Revision, detect, from_data
from checker.resources import load_schema
from checker.sets.learn import learn
from tests.conftest import FILES, GOOD, PROMPTS, ROOT, make_report

GUIDANCE = ["> Recommended answer length: 5-20 words.", ">", "> Example:",
            "> *Our pipeline starts when ... pushes to the main branch.*"]


def with_guidance(report: str) -> str:
    """Put an answer length and an example under question 3's prompt, as a course template does."""
    return report.replace(f"> {PROMPTS[3]}\n>\n", f"> {PROMPTS[3]}\n>\n" + "\n".join(GUIDANCE) + "\n>\n")


def learned() -> QuestionSet:
    """Return the mini course's set after learning its blank template (with guidance) as revision r1."""
    data = tomllib.loads((ROOT / "tests" / "data" / "mini-course.toml").read_text(encoding="utf-8"))
    template = with_guidance(make_report(dict.fromkeys(PROMPTS)))
    return from_data(learn(data, template, Revision("r1", "2030-01-01"), "blank.md"), "mini-learned")


MINI = learned()


def check(text: str, question_set: QuestionSet = MINI) -> Any:
    return check_text(text, path="reports/README.md", files=FILES, sets=(question_set,))


def modified(result: Any) -> list[tuple[int | None, int, str]]:
    return [(f.question, f.line, f.message) for f in result.findings if f.rule == "template-modified"]


def line_of(text: str, needle: str) -> int:
    return text.split("\n").index(needle) + 1


def test_the_learned_template_is_named_and_kept() -> None:
    text = with_guidance(make_report())
    result = check(text)
    assert result.findings == ()
    assert result.template.revision == "r1"
    assert result.template.date == "2030-01-01"
    assert result.prompts_matched == 4


def test_a_changed_word_is_quoted_at_its_line() -> None:
    text = with_guidance(make_report()).replace("in a few sentences", "in three sentences")
    result = check(text)
    line = line_of(text, "> **Describe your pipeline in three sentences and show one figure of it.**")
    assert modified(result) == [
        (3, line, "the question's words differ from the template: `three` where the template has 2 other words"),
    ]
    assert result.prompts_matched == 3
    assert result.template.revision == "r1"  # a close wording still counts for the revision


def test_another_question_in_its_place_is_quoted_from_its_start() -> None:
    text = make_report().replace(PROMPTS[4], "**Which cloud did you pick?**")
    result = check(text)
    assert modified(result) == [
        (4, line_of(text, "> **Which cloud did you pick?**"),
         "the question is not the template's: it reads `Which cloud did you pick`"),
    ]


def test_deleted_or_edited_guidance_is_a_note_not_a_finding() -> None:
    deleted = check(make_report())
    assert deleted.findings == ()
    assert deleted.template.guidance_deleted == (3,)
    edited = check(with_guidance(make_report()).replace("5-20 words", "about 15 words"))
    assert edited.findings == ()
    assert edited.template.guidance_changed == (3,)
    data = json.loads(render_many("json", [deleted, edited], _options()).split("\n")[1].rstrip(","))
    assert data["template"] == {"id": "mini-course", "matched": 4, "total": 4,
                                "revision": {"id": "r1", "date": "2030-01-01", "alike": []},
                                "guidance_deleted": [3], "guidance_changed": []}
    jsonschema.validate(data, load_schema("result.schema.json"))


def _options() -> Any:
    from checker.formats import RenderOptions

    return RenderOptions(color=False)


def test_a_deleted_sentence_is_a_finding() -> None:
    text = make_report().replace(f"> {PROMPTS[2]}\n>\n", "")
    result = check(text)
    assert [(q, m) for q, _, m in modified(result)] == [(2, "the question's sentence is deleted")]


def test_text_and_markdown_name_the_revision() -> None:
    result = check(make_report())
    assert render_many("text", [result], _options()).startswith(
        "reports/README.md  (mini-course, revision r1, 4/4 prompts match)\n")
    assert "checked against <code>mini-course</code>, revision <code>r1</code> (4/4 prompts" in render_many(
        "markdown", [result], _options())


def test_the_set_has_the_reports_question_count_before_anything_else() -> None:
    """A report is never checked against a set of another size while one of its own size exists."""
    data = tomllib.loads((ROOT / "tests" / "data" / "mini-course.toml").read_text(encoding="utf-8"))
    bigger = dict(data, id="mini-five", released="2031-01-01",
                  questions=[*data["questions"], {"number": 5, "title": "Extra", "fingerprint": "0" * 16}])
    five = from_data(bigger, "mini-five")
    # Even with every prompt reworded, and the five-question set newer, a four-question report gets four.
    text = make_report()
    for number, prompt in PROMPTS.items():
        text = text.replace(prompt, f"**Question {number} in our own words.**")
    assert detect(parse(text), (MINI, five)).question_set.id == "mini-course"
    assert detect(parse(text + "\n### Question 5\n\n> Answer:\n\nMore.\n"), (MINI, five)).question_set.id == "mini-five"


def test_answer_example_stays_silent_on_the_groups_own_words() -> None:
    own = ("A push to main starts our pipeline: CI builds the image, Cloud Run serves it. "
           "![Pipeline](figures/pipe.png)")
    assert "answer-example" not in {f.rule for f in check(make_report({3: own})).findings}
    copied = ("Our pipeline starts when Ann pushes to the main branch; then CI builds the image and Helm "
              "deploys it to GKE. ![Pipeline](figures/pipe.png)")
    found = [f for f in check(make_report({3: copied})).findings if f.rule == "answer-example"]
    assert [(f.question, f.message) for f in found] == [
        (3, "45% of the answer is the template's example with its blanks filled in "
            "(`Our pipeline starts when Ann pushes to the`\u2026)"),
    ]
    # The example inside a long answer of the group's own is not a copy.
    longer = copied.replace(" ![", " " + GOOD[3].split("\n")[0] * 3 + " ![")
    assert "answer-example" not in {f.rule for f in check(make_report({3: longer})).findings}


def test_a_forced_set_names_the_revision_too() -> None:
    result = check_text(make_report(), path="reports/README.md", files=FILES, sets=(MINI,), question_set=MINI)
    assert (result.set_id, result.template.revision, result.prompts_matched) == ("mini-course", "r1", 4)


def test_a_set_without_word_hashes_still_says_which_question_changed() -> None:
    """A hand-written set may carry fingerprints only: the finding names the question, without quotes."""
    plain = tomllib.loads((ROOT / "tests" / "data" / "mini-course.toml").read_text(encoding="utf-8"))
    bare = from_data(plain, "mini-bare")
    text = make_report().replace("in a few sentences", "in three sentences")
    assert modified(check(text, bare)) == [
        (3, line_of(text, "> **Describe your pipeline in three sentences and show one figure of it.**"),
         "the question's words differ from the template"),
    ]


def test_words_that_differ_only_beyond_their_hashes_are_still_a_change() -> None:
    """Two different words may share a short hash: the sentence differs (its fingerprint says so), unquoted."""
    plain = tomllib.loads((ROOT / "tests" / "data" / "mini-course.toml").read_text(encoding="utf-8"))
    sentence = PROMPTS[3].strip("*")
    plain["questions"][2]["prompts"] = [{"revisions": ["r1"], "fingerprint": "0" * 16,
                                         "word_hashes": " ".join(word_hashes(sentence))}]
    plain["revisions"] = [{"id": "r1"}]
    for question in plain["questions"][:2] + plain["questions"][3:]:
        question["prompts"] = [{"revisions": ["r1"], "fingerprint": question["fingerprint"], "word_hashes": ""}]
    text = make_report()
    assert modified(check(text, from_data(plain, "collision"))) == [
        (3, line_of(text, f"> {PROMPTS[3]}"), "the question's words differ from the template"),
    ]
