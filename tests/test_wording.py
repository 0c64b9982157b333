"""Counts and sizes in words: one error, two errors, 50.0 MB; the same in every output of `check` and the pages."""

from __future__ import annotations

import re

import pytest

from checker.formats import RenderOptions, render_many
from checker.model import Finding, QuestionResult, ReportResult
from checker.wording import plural, size, size_over


@pytest.mark.parametrize(
    ("count", "word", "many", "said"),
    [(0, "error", None, "0 errors"), (1, "error", None, "1 error"), (2, "warning", None, "2 warnings"),
     (1, "analysis", "analyses", "1 analysis"), (3, "analysis", "analyses", "3 analyses")],
)
def test_plural(count: int, word: str, many: str | None, said: str) -> None:
    assert plural(count, word, many) == said


@pytest.mark.parametrize(
    ("count", "said"),
    [(0, "0 bytes"), (1, "1 byte"), (1023, "1023 bytes"), (1024, "1 KB"), (1536, "1.5 KB"),
     (25 * 1024 * 1024, "25 MB"), (52_458_512, "50.0 MB"), (3 * 1024**3, "3072 MB")],
)
def test_size(count: int, said: str) -> None:
    assert size(count) == said


def test_size_over_is_exact_where_rounding_would_hide_the_difference() -> None:
    assert size_over(52_458_512, 25 * 1024 * 1024) == "50.0 MB is over the limit of 25 MB"
    assert size_over(25 * 1024 * 1024 + 1, 25 * 1024 * 1024) == (
        "25.0 MB (26214401 bytes) is over the limit of 25 MB")
    assert size_over(101, 100) == "101 bytes is over the limit of 100 bytes"


def result_with(errors: int, warnings: int) -> ReportResult:
    """A one-question result with this many errors and warnings."""
    findings = tuple([Finding(10 + n, 3, "word-count", "error", f"short {n}") for n in range(errors)]
                     + [Finding(20 + n, 3, "image-format", "warning", f"gif {n}") for n in range(warnings)])
    question = QuestionResult(3, "Pipeline", "fail" if errors else "pass", 3, (5, 20), 1, (1, 2), 10, None, findings)
    return ReportResult("reports/README.md", "0" * 64, "mini-course", 4, 4, False, (question,), findings, ())


@pytest.mark.parametrize(("errors", "warnings"), [(1, 1), (2, 2), (1, 0), (0, 1), (2, 1)])
@pytest.mark.parametrize("fmt", ["text", "markdown", "github", "html"])
def test_every_output_says_one_error_and_two_errors(fmt: str, errors: int, warnings: int) -> None:
    result = result_with(errors, warnings)
    if fmt == "html":
        from checker.html.report import render_report

        text = render_report(result, "# r\n", None).html
    else:
        text = render_many(fmt, [result], RenderOptions())
    said = re.findall(r"\b(\d+) (errors?|warnings?)\b", text)
    assert said, text
    for count, word in said:
        assert word.endswith("s") == (count != "1"), (count, word)
    if errors:
        assert plural(errors, "error") in text
    if warnings:
        assert plural(warnings, "warning") in text
