"""Agreement with the course's own checker on real reports in ../shared/corpus.

For every report the course checker did not crash on, our word and image verdicts per question equal its
verdicts, except where we say `official-divergence`; each such exception is listed below with its reason.
Our prediction of its view (`official` in the JSON) equals its verdict on every question, and we predict
its crashes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker import check_text
from checker.files import TreeFiles
from checker.model import ReportResult
from tests.conftest import SHARED

VERSION = {"dtu-mlops-2023": "64ea22b7", "dtu-mlops-2024": "64ea22b7",
           "dtu-mlops-2025": "d1b907d5", "dtu-mlops-2026": "e3622b47"}

# (report folder, question) -> why the course checker judges it differently from us.
DIVERGENCES = {
    ("Samueled29__MLops_project_group71", 1): "blank answer: it passes questions without a range",
    ("Samueled29__MLops_project_group71", 2): "blank answer: it passes questions without a range",
    ("Samueled29__MLops_project_group71", 3): "blank answer: it counts the placeholder's 5 words within 0-200",
    ("Samueled29__MLops_project_group71", 28): "blank answer: it counts the placeholder's 5 words within 0-200",
    ("chen-si-tong__MLOps_Group18", 1): "blank answer: it passes questions without a range",
    ("chen-si-tong__MLOps_Group18", 2): "blank answer: it passes questions without a range",
    ("TheresaDF__MLops_project", 9): "it counts the `---` markers around the answer as words (101 vs 99)",
    ("andrespat01__dtu_mlops_69", 7): "it counts template leftovers as words and goes over 100 (102 vs 100)",
    ("andrespat01__dtu_mlops_69", 24): "a `###` sub-heading inside the answer: it cuts the answer there",
    ("andrespat01__dtu_mlops_69", 28): "a `###` sub-heading inside the answer: it cuts the answer there",
    ("corusm__mlops-project", 25): "template leftovers beside the answer lift it into the range (201 vs 199)",
    ("luyentru__MLOps", 24): "template leftovers lift its count into the range (100 vs 98)",
    ("s224202__MLOps_exam_project", 28): "blank answer: it counts the placeholder's 5 words within 0-200",
}


def corpus() -> list[Path]:
    if not SHARED.is_dir():
        return []
    return sorted(p for p in (SHARED / "corpus").glob("*/") if (p / "official.json").exists())


def check_folder(folder: Path) -> tuple[ReportResult, dict[str, object]]:
    meta = json.loads((folder / "meta.json").read_text())
    tree = (folder / "tree.txt").read_text(encoding="utf-8").splitlines()
    result = check_text((folder / "README.md").read_bytes(), path=meta.get("report_path", "reports/README.md"),
                        files=TreeFiles(tree))
    official = json.loads((folder / "official.json").read_text())["by_version"][VERSION[result.set_id]]
    return result, official


def test_corpus_is_present_or_skipped(shared: Path) -> None:
    assert len(corpus()) >= 40


@pytest.mark.parametrize("folder", corpus(), ids=lambda p: p.name)
def test_agreement_with_the_course_checker(folder: Path) -> None:
    result, official = check_folder(folder)
    assert (result.official_crash is not None) == official["crashed"]
    if official["crashed"]:
        assert "official-crash" in {f.rule for f in result.findings}
        return
    failed = set(official["failed_questions"])  # type: ignore[arg-type]
    predicted = {q.number for q in result.questions if q.official is not None and not q.official.passed}
    assert predicted == failed
    diverging = {f.question for f in result.findings if f.rule == "official-divergence"}
    listed = {number for (name, number) in DIVERGENCES if name == folder.name}
    assert diverging == listed
    for question in result.questions:
        ours_fail = any(f.rule in ("word-count", "image-count", "unanswered") for f in question.findings)
        if question.number not in diverging:
            assert ours_fail == (question.number in failed), question


def test_known_breakages_are_found(shared: Path) -> None:
    corpus_dir = shared / "corpus"
    links, _ = check_folder(corpus_dir / "albertkjoller__plant-disease-mlops")
    assert "image-as-link" in {f.rule for f in links.findings}
    blank, _ = check_folder(corpus_dir / "Samueled29__MLops_project_group71")
    assert {q.status for q in blank.questions} == {"unanswered"}
    deleted, _ = check_folder(corpus_dir / "FionaWennberg__mlops_group54")
    assert "missing-question" in {f.rule for f in deleted.findings}


# Every finding of the answer-quality rules on the corpus, each judged by reading the answer.
ANSWER_HITS = {
    ("egesualp__lmu-mlops-ss25", 1, "answer-todo"): "the group number is `NaN`, a stand-in for the answer",
    ("jensModvig__ml_ops_detect_ai_generated_text", 11, "answer-todo"):
        "'split into XXXXXXX files (Writing current setup)': the number was never filled in",
}


def test_answer_quality_rules_fire_only_where_a_reader_agrees(shared: Path) -> None:
    hits = set()
    for folder in corpus():
        result, _ = check_folder(folder)
        hits |= {(folder.name, f.question, f.rule) for f in result.findings
                 if f.rule in ("answer-todo", "answer-gibberish", "answer-duplicate")}
    assert hits == set(ANSWER_HITS)


def test_figure_hints_on_real_mistakes(shared: Path) -> None:
    corpus_dir = shared / "corpus"
    rooted, _ = check_folder(corpus_dir / "AlecRanjitkar__MLOPS-Project")
    (hint,) = [f.hint for f in rooted.findings if f.rule == "image-missing"]
    assert hint == ("`reports/figures/architecture.png` exists: link it as `figures/architecture.png` "
                    "(links are relative to the report).")
    # Each figure shown as an image with a "link to file" beside it: nothing to fix.
    beside, _ = check_folder(corpus_dir / "hrapek__ml_ops_dog_breeds")
    assert "image-as-link" not in {f.rule for f in beside.findings}
