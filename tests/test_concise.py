"""`--format concise`: one gcc-style line per finding, and the Action's problem matcher that reads it."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from checker.cli import run
from checker.formats import FORMATS, RenderOptions, renderer
from checker.model import Finding, QuestionResult, ReportResult
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
MATCHER = ROOT / "action" / "problem-matcher.json"


def pattern() -> dict[str, Any]:
    """Return the one pattern of the Action's problem matcher."""
    (matcher,) = json.loads(MATCHER.read_text(encoding="utf-8"))["problemMatcher"]
    assert matcher["owner"] == "reportcheck"
    (single,) = matcher["pattern"]
    return dict(single)


def annotate(line: str) -> dict[str, str] | None:
    """Read a log line as the runner does with the matcher: the fields of the annotation, or None."""
    spec = pattern()
    hit = re.match(spec["regexp"], line)
    if hit is None:
        return None
    return {key: hit.group(group) for key, group in spec.items() if key != "regexp"}


def result_with(findings: list[Finding], path: str = "reports/README.md") -> ReportResult:
    """Build a one-question result carrying these findings."""
    question = QuestionResult(3, "Pipeline", "fail", 3, (5, 20), 0, (1, 2), 10, None,
                              tuple(f for f in findings if f.question == 3))
    ordered = tuple(sorted(findings, key=Finding.key))
    return ReportResult(path, "0" * 64, "mini-course", 4, 4, False, (question,), ordered, ())


def test_concise_is_a_registered_format() -> None:
    assert FORMATS["concise"] == "checker.formats.concise"


def test_the_shipped_example_in_concise_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", str(EXAMPLES / "not-ready"), "--format", "concise"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "reports/README.md:63:1: error word-count 40 words, needs 100-200: add at least 60" in lines
    assert lines[0].startswith("reports/README.md:27:1: warning template-modified ")
    assert len(lines) == 7


def test_the_matcher_reads_every_concise_line() -> None:
    from checker import check_path

    result = check_path(EXAMPLES / "not-ready")
    lines = renderer("concise")(result, RenderOptions()).splitlines()
    annotations = [annotate(line) for line in lines]
    assert all(annotations), lines
    expected = sorted((f.line, f.severity, f.rule, f.message) for f in result.findings)
    got = sorted((int(a["line"]), a["severity"], a["code"], a["message"]) for a in annotations if a)
    assert got == expected
    assert {(a["file"], a["column"]) for a in annotations if a} == {("reports/README.md", "1")}


def test_the_matcher_ignores_the_text_format() -> None:
    from checker import check_path

    text = renderer("text")(check_path(EXAMPLES / "not-ready"), RenderOptions())
    assert [line for line in text.splitlines() if annotate(line)] == []


def test_most_important_first_and_one_line_per_finding() -> None:
    findings = [
        Finding(40, 3, "image-missing", "error", "`a\nb.png\u2028c` is not in the repository"),
        Finding(12, 3, "word-count", "error", "3 words, needs 5-20"),
        Finding(30, None, "template-mismatch", "error", "wrong template"),
    ]
    lines = renderer("concise")(result_with(findings), RenderOptions()).splitlines()
    assert lines == [
        "reports/README.md:30:1: error template-mismatch wrong template",
        "reports/README.md:12:1: error word-count 3 words, needs 5-20",
        "reports/README.md:40:1: error image-missing `a\ufffdb.png\ufffdc` is not in the repository",
    ]
    assert [annotate(line)["line"] for line in lines] == ["30", "12", "40"]  # type: ignore[index]


def test_a_ready_report_prints_nothing() -> None:
    assert renderer("concise")(result_with([]), RenderOptions()) == ""
