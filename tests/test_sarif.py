"""SARIF for code scanning: fingerprints that survive moved lines, and GitHub's 25,000 results a run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checker import check_path
from checker.formats import RenderOptions, renderer
from checker.formats import sarif as sarif_format
from checker.model import Finding, QuestionResult, ReportResult
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "not-ready"


def run_of(result: ReportResult | list[ReportResult]) -> dict[str, Any]:
    """Render SARIF and return its one run."""
    results = result if isinstance(result, list) else [result]
    data = json.loads(sarif_format.render_many(results, RenderOptions()))
    run: dict[str, Any] = data["runs"][0]
    return run


def prints(run: dict[str, Any]) -> dict[str, tuple[int, str]]:
    """Map rule -> (line, fingerprint) for each result (each rule appears once in the example)."""
    found = {r["ruleId"]: (r["locations"][0]["physicalLocation"]["region"]["startLine"],
                           r["partialFingerprints"]["primaryLocationLineHash"]) for r in run["results"]}
    assert len(found) == len(run["results"])
    return found


def edited_example(tmp_path: Path, edit: str, line: int = 0) -> Path:
    """Copy the not-ready example and put `edit` in place of line `line` (0: insert it after the first line)."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    report = repo / "reports" / "README.md"
    lines = report.read_text(encoding="utf-8").split("\n")
    if line:
        lines[line - 1] = edit
    else:
        lines.insert(1, edit)
    report.write_text("\n".join(lines), encoding="utf-8")
    return repo


def test_fingerprints_hold_when_lines_move(tmp_path: Path) -> None:
    before = prints(run_of(check_path(EXAMPLE)))
    after = prints(run_of(check_path(edited_example(tmp_path, "\nA new paragraph the group wrote.\n\n"))))
    assert before.keys() == after.keys()
    for key, (line, fingerprint) in before.items():
        assert after[key] == (line + 4, fingerprint), key
    assert all(":" in fp and len(fp.split(":")[0]) == 16 for _, fp in before.values())


def test_a_changed_flagged_line_changes_only_its_fingerprint(tmp_path: Path) -> None:
    before = prints(run_of(check_path(EXAMPLE)))
    line = before["student-id"][0]
    flagged = (EXAMPLE / "reports" / "README.md").read_text(encoding="utf-8").splitlines()[line - 1]
    after = prints(run_of(check_path(edited_example(tmp_path, flagged + " s10002", line))))
    assert {rule for rule in before if before[rule] != after[rule]} == {"student-id"}
    assert after["student-id"][0] == line


def test_whitespace_alone_does_not_change_a_fingerprint(tmp_path: Path) -> None:
    before = prints(run_of(check_path(EXAMPLE)))
    text = (EXAMPLE / "reports" / "README.md").read_text(encoding="utf-8").splitlines()
    line = before["student-id"][0]
    flagged = text[line - 1]
    after = prints(run_of(check_path(edited_example(tmp_path, flagged.replace(" ", "   ") + "  ", line))))
    assert after == before


def result_with(findings: list[Finding], path: str = "reports/README.md") -> ReportResult:
    """Build a one-question result carrying these findings (no line texts known)."""
    question = QuestionResult(3, "Pipeline", "fail", 3, (5, 20), 0, (1, 2), 10, None, ())
    return ReportResult(path, "0" * 64, "mini-course", 4, 4, False, (question,), tuple(findings), ())


def test_identical_findings_are_counted_apart() -> None:
    twice = [Finding(10, 3, "image-missing", "error", "`a.png` is not in the repository")] * 2
    run = run_of(result_with(twice))
    (first, second) = [r["partialFingerprints"]["primaryLocationLineHash"] for r in run["results"]]
    assert first.split(":")[0] == second.split(":")[0]
    assert {first.split(":")[1], second.split(":")[1]} == {"1", "2"}


def test_results_are_capped_most_important_first(monkeypatch: pytest.MonkeyPatch) -> None:
    findings = [Finding(100 + n, 3, "image-format", "warning", f"warning {n}") for n in range(4)]
    findings += [Finding(200 + n, 3, "word-count", "error", f"error {n}") for n in range(3)]
    findings.append(Finding(300, None, "template-mismatch", "error", "wrong template"))
    monkeypatch.setattr(sarif_format, "MAX_RESULTS", 5)
    run = run_of(result_with(findings))
    assert [r["message"]["text"] for r in run["results"]] == [
        "wrong template", "Question 3: error 0", "Question 3: error 1", "Question 3: error 2", "Question 3: warning 0"]
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["message"]["text"].startswith("3 more results left out: GitHub code scanning takes at most 5 ")
    # Capping never changes the fingerprints of the results that stay.
    monkeypatch.setattr(sarif_format, "MAX_RESULTS", 25_000)
    full = {r["message"]["text"]: r["partialFingerprints"] for r in run_of(result_with(findings))["results"]}
    assert all(full[r["message"]["text"]] == r["partialFingerprints"] for r in run["results"])


def test_the_real_cap_is_githubs_25000() -> None:
    assert sarif_format.MAX_RESULTS == 25_000
    findings = [Finding(1 + n, 3, "image-format", "warning", f"warning {n}") for n in range(25_001)]
    (run,) = sarif_format.sarif([result_with(findings)])["runs"]
    assert len(run["results"]) == 25_000
    notice = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert notice.startswith("1 more result left out: GitHub code scanning takes at most 25,000 a run")


def test_nothing_is_said_when_nothing_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif_format, "MAX_RESULTS", 3)
    findings = [Finding(1 + n, 3, "image-format", "warning", f"warning {n}") for n in range(3)]
    run = run_of(result_with(findings))
    assert len(run["results"]) == 3
    assert "invocations" not in run


def test_a_capped_log_is_valid_sarif(shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    schema = json.loads((shared / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    monkeypatch.setattr(sarif_format, "MAX_RESULTS", 2)
    data = json.loads(renderer("sarif")(check_path(EXAMPLE), RenderOptions()))
    jsonschema.validators.validator_for(schema)(schema).validate(data)
    assert len(data["runs"][0]["results"]) == 2
