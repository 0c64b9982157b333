"""Figure findings say what the group most likely meant, and stay silent where there is nothing to fix."""

from __future__ import annotations

import pytest

from checker.files import TreeFiles
from checker.model import Finding
from tests.conftest import make_report, run_check


def image_findings(answer: str, files: TreeFiles | None = None, path: str = "reports/README.md") -> list[Finding]:
    options: dict[str, object] = {"path": path}
    if files is not None:
        options["files"] = files
    return [f for f in run_check(make_report({3: answer}), **options).findings if f.rule.startswith("image-")]


@pytest.mark.parametrize(
    ("src", "files", "hint"),
    [
        ("/x.png", {"reports/figures/x.png"}, "`reports/figures/x.png` exists: link it as `figures/x.png` "
                                               "(links are relative to the report)."),
        ("figures/wandb.jpg", {"reports/figures/wandb.JPG"}, "`reports/figures/wandb.JPG` exists: link it as "
                                                             "`figures/wandb.JPG` (links are case-sensitive)."),
        ("reports/figures/x.png", {"reports/figures/x.png"}, "`reports/figures/x.png` exists: link it as "
                                                             "`figures/x.png` (links are relative to the report)."),
        ("figures/X.png", {"docs/x.png"}, "`docs/x.png` exists: link it as `../docs/x.png` (links are relative to "
                                          "the report and case-sensitive)."),
        ("figures/x.png", {"reports/figures/y.png"}, "Commit the figure, or fix the path: links are relative to the "
                                                     "report and case-sensitive."),
    ],
)
def test_missing_figure_hints_at_the_file_it_likely_meant(src: str, files: set[str], hint: str) -> None:
    (finding,) = image_findings(f"Every night we retrain the model.\n\n![Pipeline]({src})", TreeFiles(files))
    assert finding.rule == "image-missing"
    assert finding.hint == hint


def test_likely_file_prefers_the_same_case_and_the_nearest_folder() -> None:
    files = TreeFiles({"reports/figures/a/x.png", "x.png", "reports/figures/X.png", "reports/old/x.png"})
    (finding,) = image_findings("Every night we retrain.\n\n![P](figures/b/x.png)", files)
    assert finding.hint.startswith("`reports/figures/a/x.png` exists")
