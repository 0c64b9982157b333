"""JUnit XML is valid under Jenkins' junit-10.xsd, and says what the docs say: a failure per failing question."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from checker import check_path
from checker.formats import RenderOptions, renderer
from checker.formats import junit as junit_format
from checker.model import Finding, QuestionResult, ReportResult
from tests.conftest import ROOT, make_report, run_check

EXAMPLES = ROOT / "examples"


@pytest.fixture
def schema(shared: Path) -> etree.XMLSchema:
    """Return Jenkins' junit-10.xsd, the schema pytest's own JUnit XML follows."""
    return etree.XMLSchema(etree.parse(str(shared / "schemas" / "junit-10.xsd")))


def nasty() -> ReportResult:
    """A result with report-wide findings and text no XML can hold as it is."""
    findings = (Finding(1, None, "template-mismatch", "error", "wrong set \x00\x1b[31m <b>&amp;</b> \ud800"),
                Finding(9, 3, "word-count", "error", "3 words, needs 5-20", "Write more."),
                Finding(12, 3, "image-missing", "error", "`a\x0c.png` is not in the repository"),
                Finding(14, 3, "image-format", "warning", "`x.gif` is not png"))
    question = QuestionResult(3, "Pipe <line> & \x07 co", "fail", 3, (5, 20), 0, (1, 2), 8, None, findings[1:])
    return ReportResult("reports/odd & <name>.md", "0" * 64, "mini-course", 4, 4, False, (question,), findings, ())


@pytest.mark.parametrize("case", ["golden", "not-ready", "ready", "nasty", "several"])
def test_junit_is_valid_under_junit_10_xsd(schema: etree.XMLSchema, case: str) -> None:
    results = {
        "golden": [run_check(make_report({1: "forty-two", 3: None}))],
        "not-ready": [check_path(EXAMPLES / "not-ready")],
        "ready": [check_path(EXAMPLES / "ready")],
        "nasty": [nasty()],
        "several": [check_path(EXAMPLES / "ready"), check_path(EXAMPLES / "not-ready"), nasty()],
    }[case]
    document = etree.fromstring(junit_format.render_many(results, RenderOptions()).encode("utf-8"))
    schema.assertValid(document)


def test_the_old_testcase_attributes_were_invalid(schema: etree.XMLSchema) -> None:
    text = renderer("junit")(check_path(EXAMPLES / "not-ready"), RenderOptions())
    document = etree.fromstring(text.replace('<testcase ', '<testcase file="reports/README.md" ', 1).encode())
    assert not schema.validate(document)


def test_one_failure_per_failing_question_listing_every_error() -> None:
    result = check_path(EXAMPLES / "not-ready")
    root = etree.fromstring(renderer("junit")(result, RenderOptions()).encode("utf-8"))
    (suite,) = root.findall("testsuite")
    assert suite.get("file") == result.label  # the report as the user named it
    failed = [case for case in suite.findall("testcase") if case.find("failure") is not None]
    failing_questions = [q for q in result.questions if any(f.severity == "error" for f in q.findings)]
    assert len(failed) == len(failing_questions) == int(suite.get("failures") or -1) == int(root.get("failures") or -1)
    for case, question in zip(failed, failing_questions, strict=True):
        assert len(case.findall("failure")) == 1
        errors = [f for f in question.findings if f.severity == "error"]
        text = case.findtext("failure") or ""
        assert all(f"line {f.line}: [{f.rule}]" in text for f in errors)
        assert case.find("failure").get("type") == errors[0].rule  # type: ignore[union-attr]
    assert int(suite.get("tests") or -1) == len(suite.findall("testcase"))


def test_the_readme_says_what_the_output_does() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "a failure per error" not in readme
    assert "`junit` (one test case per question; a question with errors fails, its failure lists every error)" in readme
