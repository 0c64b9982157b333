"""Finding the report in a repository, and deciding which figure links name real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import check_path, locate
from checker.errors import CheckerError
from checker.files import LocalFiles, TreeFiles, find_report_in_tree, resolve_link
from tests.conftest import make_report


def write(root: Path, relative: str, text: str = "") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "where",
    ["reports/readme.md", "reports/reports.md", "report/README.md", "project/reports/README.md", "README.md"],
)
def test_report_found_where_groups_put_it(tmp_path: Path, where: str) -> None:
    write(tmp_path, "docs/notes.md", "# Notes\n")
    body = make_report()
    if where == "README.md":
        body = "# Our project\n\nSome intro.\n\n" + body
    write(tmp_path, where, body)
    report, root = locate(tmp_path)
    assert report == tmp_path / where
    assert root == tmp_path


def test_reports_readme_wins_and_is_not_flagged(tmp_path: Path) -> None:
    write(tmp_path, "reports/README.md", make_report())
    write(tmp_path, "README.md", make_report())
    result = check_path(tmp_path, question_set="dtu-mlops-2026")
    assert result.path == "reports/README.md"
    assert "report-location" not in {f.rule for f in result.findings}


def test_elsewhere_is_flagged(tmp_path: Path) -> None:
    write(tmp_path, "report/README.md", make_report())
    result = check_path(tmp_path)
    assert result.path == "report/README.md"
    assert "report-location" in {f.rule for f in result.findings}


def test_folder_without_report_is_exit_2_material(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "# Just code\n")
    with pytest.raises(CheckerError, match="no report found"):
        locate(tmp_path)


def test_local_files_are_case_sensitive_and_refuse_links_and_folders(tmp_path: Path) -> None:
    write(tmp_path, "reports/figures/a.png", "x")
    (tmp_path / "reports/figures/dir.png").mkdir()
    outside = write(tmp_path.parent / f"{tmp_path.name}-outside", "secret.png", "x")
    (tmp_path / "reports/figures/link.png").symlink_to(outside)
    (tmp_path / "reports/linked").symlink_to(tmp_path / "reports/figures")
    files = LocalFiles(tmp_path)
    assert files.exists("reports/figures/a.png")
    assert not files.exists("reports/figures/A.png")
    assert not files.exists("reports/figures/dir.png")
    assert not files.exists("reports/figures/link.png")
    assert not files.exists("reports/linked/a.png")
    assert not files.exists("reports/figures/none.png")


def test_device_is_never_a_figure() -> None:
    files = LocalFiles("/")
    assert not files.exists("dev/null")


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("figures/a.png", "reports/figures/a.png"),
        ("./figures/a%20b.png", "reports/figures/a b.png"),
        ("/figures/a.png", "figures/a.png"),
        ("../figures/a.png", "figures/a.png"),
        ("reports/figures/a.png", "reports/reports/figures/a.png"),
        ("../../a.png", None),
        ("/../a.png", None),
        ("figures/a.png#frag", "reports/figures/a.png"),
    ],
)
def test_resolve_link(src: str, expected: str | None) -> None:
    assert resolve_link(src, "reports/README.md") == expected


def test_find_report_in_tree() -> None:
    assert find_report_in_tree(["README.md", "reports/README.md"]) == "reports/README.md"
    assert find_report_in_tree(["README.md", "reports/readme.md"]) == "reports/readme.md"
    assert find_report_in_tree(["README.md", "src/x.py"]) is None


def test_tree_files() -> None:
    files = TreeFiles(["reports/figures/a.png"])
    assert files.exists("reports/figures/a.png")
    assert not files.exists("reports/figures")
