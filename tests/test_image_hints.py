"""Figure findings say what the group most likely meant, and stay silent where there is nothing to fix."""

from __future__ import annotations

import pytest

from checker.files import TreeFiles
from checker.model import Finding
from tests.conftest import GOOD, make_report, run_check


def image_findings(answer: str, files: TreeFiles | None = None, path: str = "reports/README.md") -> list[Finding]:
    options: dict[str, object] = {"path": path}
    if files is not None:
        options["files"] = files
    return [f for f in run_check(make_report({3: answer}), **options).findings if f.rule.startswith("image-")]


def test_link_beside_the_same_figure_shown_as_image_is_silent() -> None:
    shown = GOOD[3] + "\n\n[Pipeline, full size](figures/pipe.png)"
    assert image_findings(shown) == []
    also_relative = GOOD[3] + "\n\n[full size](./figures/../figures/pipe.png)"
    assert image_findings(also_relative) == []
    html_shown = 'Every night we retrain.\n\n<img src="figures/pipe.png">\n\n[full size](figures/pipe.png)'
    assert {f.rule for f in image_findings(html_shown)} == {"image-html", "image-count"}


def test_link_to_another_figure_still_fires_and_the_count_hint_ignores_the_shown_one() -> None:
    other = GOOD[3] + "\n\n[the old one](figures/other.jpg)"
    assert [f.rule for f in image_findings(other)] == ["image-as-link"]
    # Only a link to a figure that is not shown is offered as the missing image.
    linked_twice = "Every night we retrain the model.\n\n[Pipeline](figures/pipe.png) and [again](figures/pipe.png)"
    count = next(f for f in image_findings(linked_twice) if f.rule == "image-count")
    assert count.hint.startswith("Line ")


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
