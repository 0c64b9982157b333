"""The verdict line says what the course checker will do where it disagrees with ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.formats import RenderOptions, renderer
from checker.formats.text import verdict
from tests.conftest import make_report, run_check
from tests.test_action import make_repo, step

# `###` inside the answer: the course checker cuts it there and counts 1 word (needs 5), we count them all.
CUT = "Short ### answer here and then a long tail of words that the course checker never sees."


def cut_report() -> str:
    return make_report({3: CUT + " ![Pipeline](figures/pipe.png)"})


def test_ready_verdict_names_the_questions_the_course_checker_will_fail() -> None:
    result = run_check(cut_report())
    assert result.ready
    assert result.official_fails == (3,)
    assert verdict(result) == ("READY 4/4 questions pass, 1 warning; the course checker will fail Q3 "
                               "(see official-divergence)")


def test_verdict_lists_several_questions_compactly_and_points_only_at_findings_that_exist() -> None:
    result = run_check(cut_report())
    q4 = result.questions[3]
    assert q4.official is not None
    failed_q4 = q4._replace(official=q4.official._replace(passed=False))
    both = result._replace(questions=(*result.questions[:3], failed_q4))
    assert both.official_fails == (3, 4)
    # Q4 has no official-divergence finding in this made-up result, so the verdict points at none.
    assert verdict(both).endswith("; the course checker will fail Q3-4")


def test_not_ready_verdict_also_says_it() -> None:
    result = run_check(make_report({1: "forty-two", 3: CUT + " ![Pipeline](figures/pipe.png)"}))
    assert verdict(result) == ("NOT PASSED 3/4 questions pass, 1 error, 1 warning; the course checker will fail Q3 "
                               "(see official-divergence)")


def test_verdict_unchanged_when_both_checkers_agree() -> None:
    assert verdict(run_check(make_report())) == "READY 4/4 questions pass"
    # An unanswered question fails both ways: nothing more to say.
    assert verdict(run_check(make_report({3: None}))) == "NOT PASSED 3/4 questions pass, 1 error, 0 warnings"


def test_verdict_says_when_the_course_checker_will_crash() -> None:
    result = run_check(make_report().replace("> Answer:\n\n42", "\n42"))
    assert result.official_crash is not None
    assert verdict(result).endswith("; the course checker will stop with an error on this report (see official-crash)")


def test_exit_stays_ready_unless_strict() -> None:
    assert run_check(cut_report()).ready
    assert not run_check(cut_report(), strict=True).ready


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_every_verdict_line_says_it(fmt: str) -> None:
    out = renderer(fmt)(run_check(cut_report()), RenderOptions())
    assert "READY 4/4 questions pass, 1 warning; the course checker will fail Q3 (see official-divergence)" in out


def test_job_summary_and_log_say_it(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", cut_report())
    status, log, outputs, summary = step(repo, tmp_path)
    assert status == 0
    assert outputs["ready"] == "true"
    expected = "READY 4/4 questions pass, 1 warning; the course checker will fail Q3 (see official-divergence)"
    assert f"### ✅ {expected}" in summary.splitlines()
    assert log.splitlines()[-1] == f"reportcheck: {expected}"
