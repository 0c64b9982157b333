"""Shared fixtures: a tiny question set with prompts of our own, a report builder, and ../shared when present."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from checker import check_text
from checker.files import TreeFiles
from checker.model import ReportResult
from checker.questions import QuestionSet, load_file

# In CI the property tests draw the same examples every run (a failure there can be re-run as it was) and keep
# no example database in the fresh clone; locally they explore anew each run.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MINI = load_file(ROOT / "tests" / "data" / "mini-course.toml")

PROMPTS = {
    1: "**Which group number were you given?**",
    2: "**List the student id of every member.**",
    3: "**Describe your pipeline in a few sentences and show one figure of it.**",
    4: "**Say who did what in the project.**",
}
# The mini course's example answers (its set keeps only their shingle hashes, as a shipped set does).
EXAMPLES = {
    3: "Our pipeline starts when ... pushes to the main branch; then ... builds the image and ... deploys it to ... .",
}
GOOD = {
    1: "42",
    2: "s123456, s234567",
    3: "Every night we retrain the model and publish it behind a small API.\n\n![Pipeline](figures/pipe.png)",
    4: "s123456 wrote the API and s234567 trained the model.",
}
FILES = TreeFiles({"reports/figures/pipe.png", "reports/figures/other.jpg", "figures/root.png"})


def make_report(answers: dict[int, str] | None = None, *, skip: tuple[int, ...] = (), tail: str = "") -> str:
    """Return a mini-course report; answers default to GOOD, None means 'leave the placeholder'."""
    chosen = dict(GOOD)
    chosen.update(answers or {})
    lines = ["# Report of a made-up group", "", "## Checklist", "", "### Week 1", "",
             "* [x] Made a repository (M5)", "* [ ] Wrote tests (M16+M17)", "", "### Extra", "",
             "* [x] Drew a diagram", "", "## Group", ""]
    for number, prompt in PROMPTS.items():
        if number in skip:
            continue
        if number == 3:
            lines += ["## Work", ""]
        text = chosen.get(number)
        lines += [f"### Question {number}", "", f"> {prompt}", ">", "> Answer:", "",
                  text if text is not None else f"--- question {number} fill here ---", ""]
    return "\n".join(lines) + tail


def run_check(text: str | bytes, question_set: QuestionSet = MINI, **kwargs: object) -> ReportResult:
    """Check a mini-course report against the mini set with the standard files."""
    options: dict[str, object] = {
        "path": "reports/README.md", "files": FILES, "sets": (question_set,), "question_set": question_set,
    }
    options.update(kwargs)
    return check_text(text, **options)  # type: ignore[arg-type]


@pytest.fixture
def shared() -> Path:
    """Return ../shared, skipping the test only where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture
def check() -> Callable[..., ReportResult]:
    """Return the mini-course checker function."""
    return run_check
