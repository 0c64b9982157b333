"""Nothing a student writes breaks the checker: property-based tests over arbitrary and mutated reports.

Every input gives a result or a one-line CheckerError; results are deterministic and schema-valid; an
answer's word count does not depend on other questions.
"""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checker import check_text
from checker.errors import CheckerError
from checker.formats.json import result_dict
from checker.model import ReportResult
from checker.resources import load_schema
from tests.conftest import GOOD, MINI, make_report

SCHEMA = load_schema("result.schema.json")
PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def attempt(data: str | bytes) -> ReportResult | None:
    """Check data with the shipped sets and the mini set; only CheckerError may escape, and it is one line."""
    try:
        return check_text(data, sets=None)
    except CheckerError as exc:
        assert "\n" not in str(exc)
        return None


@PROFILE
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    attempt(text)


@PROFILE
# st.characters() leaves out surrogates (category Cs) unless asked for them.
@given(st.text(st.characters(codec=None) | st.characters(categories=["Cs"])))
def test_every_unicode_category_including_lone_surrogates(text: str) -> None:
    attempt(make_report({3: GOOD[3] + " " + text}))
    attempt(text)


@PROFILE
@given(st.binary())
def test_arbitrary_bytes(data: bytes) -> None:
    attempt(data)


SNIPPETS = [
    "```", "~~~", "    indented code", "> > > nested quote", "<div>\n", "</div>", "<!--", "-->", "---", "===",
    "### Question 2", "### Question 99", "## Section", "# H1", "#### Sub", "Answer:", "> Answer:",
    "--- question 3 fill here ---", "![a](figures/pipe.png)", "![a](figures/a b.png)", "[x](figures/pipe.png)",
    '<img src="x.png" onerror="alert(1)">', "* [x] item (M1)", "| a | b |\n|---|---|\n| 1 | 2 |", "\t\tTabbed",
    "\u200b", "\u00a0", "\U0001f600", "\ufeff", "\r", "\r\n", "x" * 5000, "[" * 200, "*" * 200, ">" * 200,
]


@st.composite
def mutated_reports(draw: st.DrawFn) -> str:
    """A mini report with random structural edits and random snippets inserted at random lines."""
    lines = make_report().split("\n")
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "swap"]))
        at = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if op == "insert":
            lines.insert(at, draw(st.sampled_from(SNIPPETS) | st.text(max_size=30)))
        elif op == "delete" and lines:
            del lines[at : at + draw(st.integers(1, 8))]
        elif op == "duplicate" and lines:
            lines[at:at] = lines[at : at + draw(st.integers(1, 10))]
        elif op == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
    return "\n".join(lines)


@PROFILE
@given(mutated_reports())
def test_mutated_reports_give_deterministic_valid_results(text: str) -> None:
    first = attempt(text)
    second = attempt(text)
    assert first == second
    if first is not None:
        data = result_dict(first)
        jsonschema.validate(data, SCHEMA)
        json.dumps(data)


@PROFILE
@given(st.sampled_from([1, 2, 4]), st.sampled_from(SNIPPETS) | st.text(max_size=200))
def test_word_count_is_local(other: int, replacement: str) -> None:
    """Changing another question's answer never changes question 3's word count."""
    assume("\x00" not in replacement)  # NUL bytes make the file binary: a clean exit 2, tested above
    base = check_text(make_report(), sets=(MINI,))
    edited_text = make_report({other: GOOD[other] + "\n\n" + replacement})
    edited = check_text(edited_text, sets=(MINI,))
    base_q3 = base.questions[2]
    edited_q3 = edited.questions[2]
    # Unless the edit itself opened a structure that swallows later questions (an unclosed fence, a heading).
    if edited_q3.status != "missing" and not _swallows(replacement):
        assert edited_q3.words == base_q3.words


def _swallows(snippet: str) -> bool:
    markers = ("```", "~~~", "<!--", "#", "<", "Question", ">", "Answer:", "\r", "    ", "\t", "---", "===", "*",
               "-", "+", "|", "[", "1.", "1)")
    return any(marker in snippet for marker in markers) or snippet.strip().isdigit()


def test_pathological_markdown_finishes() -> None:
    """Deep nesting, huge tables and 10,000 headings are checked in bounded time (a generous limit)."""
    cases = [
        "> " * 5000 + "x",
        "- " * 5000 + "x",
        "[" * 50000 + "](" * 50000,
        "*a " * 50000,
        "|" + "a|" * 500 + "\n|" + "-|" * 500 + "\n" + ("|" + "b|" * 500 + "\n") * 100,
        "### Question 1\n\n> Answer:\n\n" + "### Question 1\n" * 10000,
        "<div>" * 20000,
        "`" * 30000,
    ]
    code = (
        "import sys, json\nfrom checker import check_text\nfrom checker.errors import CheckerError\n"
        "for case in json.load(sys.stdin):\n"
        "    try:\n        check_text(case)\n    except CheckerError:\n        pass\nprint('done')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(cases), capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "done"


HOSTILE_PARTS = [
    "<script>window.pwned=1</script>", "<img src=x onerror=window.pwned=1>", "[a](javascript:alert(1))",
    "<iframe src=//evil>", "<style>body{display:none}</style>", "<form action=//evil><input></form>",
    '<a href="java\nscript:x">y</a>', "<svg onload=alert(1)>", "<details open ontoggle=alert(1)>",
    "![x](http://127.0.0.1/leak.png)", "<object data=x>", "<embed src=x>", "<base href=//evil>",
    "<meta http-equiv=refresh content='0;url=//evil'>", "<link rel=stylesheet href=//evil>",
    "<math><mi xlink:href=javascript:alert(1)>", "`<script>`", "<!-- <script> -->", "<<script>script>",
]


@PROFILE
@given(st.lists(st.sampled_from(HOSTILE_PARTS) | st.text(max_size=20), max_size=8))
def test_rendered_answers_stay_safe_whatever_they_hold(parts: list[str]) -> None:
    """Any mix of hostile HTML, markdown and text renders to HTML with nothing that runs or fetches."""
    from checker.html.render import AnswerRenderer
    from tests.test_html_pages import assert_safe

    html = AnswerRenderer("reports/README.md", None).render("\n".join(parts))
    assert_safe(html)
