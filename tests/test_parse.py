"""The parser finds the right answer region however groups edit the template."""

from __future__ import annotations

from checker.parse import parse
from tests.conftest import GOOD, make_report, run_check


def answer_of(text: str, number: int) -> str:
    report = parse(text)
    return next(q.answer.text for q in report.questions if q.number == number)


def test_code_block_with_hashes_stays_in_the_answer() -> None:
    code = "```dockerfile\n# base image\nFROM python:3.11\n### not a heading\n## nor this\n```"
    text = make_report({3: GOOD[3] + "\n\n" + code})
    assert "FROM" in answer_of(text, 3)
    assert [q.number for q in parse(text).questions] == [1, 2, 3, 4]


def test_sub_headings_h1_and_setext_stay_in_the_answer() -> None:
    extra = "#### Details\n\nMore words here.\n\n# Loud title\n\nA line of text\n---\n\nThe end words."
    text = make_report({3: GOOD[3] + "\n\n" + extra})
    answer = answer_of(text, 3)
    assert "Details" in answer and "Loud" in answer and "end words" in answer


def test_level_three_non_question_heading_stays_in_the_answer() -> None:
    text = make_report({3: GOOD[3] + "\n\n### Results\n\nGood results."})
    assert "Good results." in answer_of(text, 3)


def test_level_two_heading_ends_the_answer() -> None:
    text = make_report({3: GOOD[3] + "\n\n## Afterword\n\nNot part of it."})
    assert "Not part" not in answer_of(text, 3)


def test_fence_opened_in_list_item_and_closed_indented() -> None:
    listed = "1. Run this:\n   ```bash\n   make train\n   ### still code\n   ```\n2. Done."
    text = make_report({3: GOOD[3] + "\n\n" + listed})
    assert [q.number for q in parse(text).questions] == [1, 2, 3, 4]
    assert "Done." in answer_of(text, 3)


def test_unclosed_fence_does_not_swallow_later_questions_headings_as_answers() -> None:
    text = make_report({3: GOOD[3] + "\n\n```\nnever closed"})
    numbers = [q.number for q in parse(text).questions]
    assert numbers == [1, 2, 3]  # CommonMark: an unclosed fence runs to the end, as GitHub renders it


def test_answer_on_the_marker_line_and_inside_the_quote() -> None:
    text = make_report().replace("> Answer:\n\n42", "> Answer: 42")
    assert answer_of(text, 1) == "42"
    quoted = make_report().replace(
        "> Answer:\n\ns123456 wrote", "> Answer:\n> s123456 wrote"
    )
    assert answer_of(quoted, 4).startswith("s123456 wrote")
    assert ">" not in answer_of(quoted, 4).split()


def test_lazy_continuation_after_marker() -> None:
    text = make_report().replace("> Answer:\n\n42", "> Answer:\n42")
    assert answer_of(text, 1) == "42"


def test_heading_with_extra_words_is_still_the_question() -> None:
    text = make_report().replace("### Question 3", "### Question 3 CHECK")
    result = run_check(text)
    assert result.questions[2].status == "pass"
    assert "template-modified" in {f.rule for f in result.findings}


def test_intro_code_span_mentioning_placeholder_is_not_a_placeholder() -> None:
    text = "Replace ```--- question 1 fill here ---``` below.\n\n" + make_report()
    assert run_check(text).findings == ()


def test_answer_without_marker_starts_after_the_prompt() -> None:
    text = make_report().replace("> Answer:\n\n42", "\n42")
    report = parse(text)
    q1 = report.questions[0]
    assert not q1.answer.has_marker
    assert q1.answer.text == "42"


def test_checklist_sections_and_modules() -> None:
    groups = parse(make_report()).checklist
    assert [(g.name, len(g.items)) for g in groups] == [("Week 1", 2), ("Extra", 1)]
    assert groups[0].items[1].modules == ("M16", "M17")
    assert [i.checked for i in groups[0].items] == [True, False]


def test_front_matter_is_read_and_lines_keep_their_numbers() -> None:
    plain = make_report()
    fronted = "---\nlayout: default\nnav_exclude: true\n---\n" + plain
    report = parse(fronted)
    assert report.front_matter == {"layout": "default", "nav_exclude": "true"}
    assert report.questions[0].line == parse(plain).questions[0].line + 4


def test_crlf_bom_and_tabs_give_the_same_result() -> None:
    plain = run_check(make_report())
    crlf = run_check(make_report().replace("\n", "\r\n").encode())
    bom = run_check(b"\xef\xbb\xbf" + make_report().encode())
    tabs = run_check(make_report({3: GOOD[3].replace(" ", "\t", 3)}))
    for other in (crlf, bom, tabs):
        assert [q.words for q in other.questions] == [q.words for q in plain.questions]
        assert other.findings == plain.findings
    assert crlf.sha256 != plain.sha256


def test_words_leave_out_template_leftovers() -> None:
    text = make_report({3: "--- " + GOOD[3] + " ---\n\n<!-- a hidden note of many words -->"})
    assert run_check(text).questions[2].words == 14


def test_placeholder_line_is_right_after_a_multi_line_comment() -> None:
    text = make_report({4: "<!--\nnote\nto\nself\n-->\n" + GOOD[4] + "\n\n--- question 4 fill here ---"})
    report = parse(text)
    q4 = report.questions[3]
    line = text.split("\n").index("--- question 4 fill here ---") + 1
    assert q4.answer.placeholder_line == line
