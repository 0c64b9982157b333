"""Every rule has a case that triggers it and the clean report that does not."""

from __future__ import annotations

import pytest

from checker.model import Registration
from checker.questions import QuestionSet, from_data
from checker.rules import RULES
from tests.conftest import GOOD, make_report, run_check


def rules_of(text: str, **kwargs: object) -> set[str]:
    return {finding.rule for finding in run_check(text, **kwargs).findings}


def test_clean_report_is_ready_with_no_findings() -> None:
    result = run_check(make_report())
    assert result.findings == ()
    assert result.ready
    assert [q.status for q in result.questions] == ["pass"] * 4
    assert result.questions[2].words == 14
    assert result.questions[2].images == 1


PASTED = "s123456 retrains the model every night and s234567 publishes it behind a small API for all."
CASES = {
    "unanswered": make_report({3: None}),
    "word-count": make_report({3: "Too short. ![Pipeline](figures/pipe.png)"}),
    "image-count": make_report({3: GOOD[3].replace("![Pipeline](figures/pipe.png)", "No figure this time.")}),
    "image-missing": make_report({3: GOOD[3].replace("pipe.png", "gone.png")}),
    "image-format": make_report({3: GOOD[3] + "\n\n![Also](figures/anim.gif)"}),
    "image-as-link": make_report({3: GOOD[3] + " See [the old pipeline](figures/other.jpg)."}),
    "image-html": make_report({3: GOOD[3] + '\n\n<img src="figures/pipe.png" width="200">'}),
    "image-syntax": make_report({3: GOOD[3] + "\n\n![Broken](figures/my pipe.png)"}),
    "missing-question": make_report(skip=(3,)),
    "duplicate-question": make_report(tail="\n### Question 4\n\n> Answer:\n\ns123456 did it all again.\n"),
    "unknown-question": make_report(tail="\n### Question 9\n\n> Answer:\n\nAn extra answer.\n"),
    "group-number": make_report({1: "Group twelve"}),
    "student-id": make_report({2: "s12345, s234567"}),
    "contribution-ids": make_report({4: "Everyone did a bit of everything together."}),
    "placeholder-left": make_report({4: GOOD[4] + "\n\n--- question 4 fill here ---"}),
    "leftover-marker": make_report({4: "--- " + GOOD[4] + " ---"}),
    "template-modified": make_report().replace("### Question 2", "### Question 2 (done)"),
    "report-location": None,  # test_report_location
    "template-mismatch": None,  # test_template_mismatch_only_when_forced_set_is_clearly_not_followed
    # Checks against the course's group list (the scan knows it): test_registration_rules.
    "group-number-mismatch": None,
    "student-ids-mismatch": None,
    "student-ids-unregistered": None,
    "official-divergence": make_report({3: "Short ### answer here and then a long tail of words that the course "
                                            "checker never sees. ![Pipeline](figures/pipe.png)"}),
    "official-crash": make_report().replace("> Answer:\n\n42", "\n42"),
    "checklist-unbacked": None,  # needs the repository's files: tests/test_evidence.py
    "answer-todo": make_report({4: GOOD[4] + " TODO: say who wrote the tests."}),
    "answer-gibberish": make_report({4: GOOD[4] + " Also sdkfjh lkajsdlk asdjkh qwpoeiru."}),
    "answer-duplicate": make_report({3: PASTED + "\n\n![Pipeline](figures/pipe.png)", 4: PASTED}),
}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("rule", sorted(r for r, text in CASES.items() if text is not None))
def test_rule_fires(rule: str) -> None:
    text = CASES[rule]
    assert text is not None
    found = rules_of(text)
    assert rule in found
    clean = rules_of(make_report())
    assert rule not in clean


def test_report_location() -> None:
    assert "report-location" in rules_of(make_report(), path="docs/report.md")
    assert "report-location" not in rules_of(make_report(), path="reports/README.md")


@pytest.mark.parametrize(
    ("answers", "registered", "expected"),
    [
        ({}, Registration(42, ("s123456", "s234567")), set()),
        ({1: "Group 99."}, Registration(12), {"group-number-mismatch"}),
        ({1: "We are group 12."}, Registration(12), set()),
        ({}, Registration(42, ("s123456", "s234567", "s345678")), {"student-ids-mismatch"}),
        ({}, Registration(42, ("s123456",)), {"student-ids-unregistered"}),
        ({1: "7"}, Registration(None, ()), set()),
    ],
)
def test_registration_rules(answers: dict[int, str], registered: Registration, expected: set[str]) -> None:
    registration_rules = {"group-number-mismatch", "student-ids-mismatch", "student-ids-unregistered"}
    found = rules_of(make_report(answers), registered=registered) & registration_rules
    assert found == expected
    # Without the group list nothing is compared.
    assert not rules_of(make_report(answers)) & registration_rules


def test_group_number_mismatch_fails_the_question() -> None:
    result = run_check(make_report({1: "Group 99."}), registered=Registration(12))
    finding = next(f for f in result.findings if f.rule == "group-number-mismatch")
    assert (finding.question, finding.severity) == (1, "error")
    assert "gives group 99" in finding.message and "as group 12" in finding.message
    assert result.questions[0].status == "fail"


def _other_set() -> QuestionSet:
    return from_data({
        "id": "other-course", "title": "Other",
        "questions": [{"number": n, "title": f"Q{n}", "fingerprint": f"{n:016x}"} for n in range(1, 5)],
    }, "test")


def test_template_mismatch_only_when_forced_set_is_clearly_not_followed() -> None:
    from tests.conftest import MINI

    other = _other_set()
    forced = run_check(make_report(), question_set=other, sets=(MINI, other))
    assert "template-mismatch" in {f.rule for f in forced.findings}
    assert not forced.ready
    chosen = run_check(make_report(), question_set=MINI, sets=(MINI, other))
    assert "template-mismatch" not in {f.rule for f in chosen.findings}


def test_severity_comes_from_the_registry() -> None:
    result = run_check(CASES["leftover-marker"] or "")
    finding = next(f for f in result.findings if f.rule == "leftover-marker")
    assert finding.severity == RULES["leftover-marker"].severity == "warning"
    assert result.ready
    assert not run_check(CASES["leftover-marker"] or "", strict=True).ready


def test_word_count_message_says_how_far() -> None:
    result = run_check(make_report({3: "Too short. ![Pipeline](figures/pipe.png)"}))
    finding = next(f for f in result.findings if f.rule == "word-count")
    assert finding.message == "3 words, needs 5-20: add at least 2"
    assert finding.question == 3
    assert result.questions[2].status == "fail"


def test_unanswered_status_and_no_other_noise() -> None:
    result = run_check(make_report({3: None}))
    assert result.questions[2].status == "unanswered"
    assert {f.rule for f in result.questions[2].findings} == {"unanswered"}


def test_missing_question_status() -> None:
    result = run_check(make_report(skip=(3,)))
    assert result.questions[2].status == "missing"
    assert result.questions[2].words is None


def test_image_links_resolve_like_github() -> None:
    ok_root = make_report({3: GOOD[3].replace("figures/pipe.png", "/figures/root.png")})
    assert "image-missing" not in rules_of(ok_root)
    escaped = make_report({3: GOOD[3].replace("figures/pipe.png", "../../../etc/passwd.png")})
    assert "image-missing" in rules_of(escaped)
    wrong_case = make_report({3: GOOD[3].replace("pipe.png", "Pipe.png")})
    assert "image-missing" in rules_of(wrong_case)
    encoded = make_report({3: GOOD[3].replace("figures/pipe.png", "figures/%70ipe.png")})
    assert "image-missing" not in rules_of(encoded)
    spaced = make_report({3: GOOD[3].replace("figures/pipe.png", "<figures/pipe.png>")})
    assert rules_of(spaced) == set()
    remote = make_report({3: GOOD[3].replace("figures/pipe.png", "https://example.org/a.png")})
    assert rules_of(remote) == set()


def test_html_image_does_not_count() -> None:
    text = make_report({3: GOOD[3].replace("![Pipeline](figures/pipe.png)", '<img src="figures/pipe.png">')})
    result = run_check(text)
    assert {"image-html", "image-count"} <= {f.rule for f in result.findings}
    assert result.questions[2].images == 0


def test_image_in_code_or_comment_does_not_count_but_course_checker_does() -> None:
    for wrapped in ("```\n![Pipeline](figures/pipe.png)\n```", "<!-- ![Pipeline](figures/pipe.png) -->"):
        text = make_report({3: GOOD[3].replace("![Pipeline](figures/pipe.png)", wrapped)})
        result = run_check(text)
        q3 = result.questions[2]
        assert q3.images == 0
        assert q3.official is not None and q3.official.images == 1
        assert {"image-count", "official-divergence"} <= {f.rule for f in q3.findings}
