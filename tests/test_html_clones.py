"""Pages from local clones: the report and figures as they stood at the scanned commit, regular blobs only."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest

from checker import check_text
from checker.cli import run
from checker.formats.json import result_dict
from checker.html.clones import Clones, GitCommit
from checker.html.figures import FigureUnavailable
from checker.scan.row import ScanRow
from tests.html_reports import COURSE, png, report, repository


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "-C", str(root), *args],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, str]:
    """Return a clones folder with group_3/project committed once, then changed in the working tree."""
    root = tmp_path / "clones" / "group_3" / "project"
    text = report({3: "Committed answer that the page must show, with its figure.\n\n![f](figures/flow.png)\n\n"
                      "![s](figures/secret.png) ![d](linked/flow.png)"})
    repository(root, text, figures={"figures/flow.png": png()})
    (tmp_path / "secret.txt").write_text("not for the page", encoding="utf-8")
    (root / "reports" / "figures" / "secret.png").symlink_to(tmp_path / "secret.txt")
    (root / "reports" / "linked").symlink_to("figures")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "report")
    (root / "reports" / "README.md").write_text(report({3: "Changed later in the working tree."}), "utf-8")
    return tmp_path / "clones", git(root, "rev-parse", "HEAD")


def test_files_come_from_the_commit_and_only_regular_blobs(clones: tuple[Path, str]) -> None:
    folder, commit = clones
    clone = Clones(folder).commit(ScanRow("group_3/project", commit=commit))
    assert isinstance(clone, GitCommit)
    assert clone.read("reports/figures/flow.png") == png()
    for path in ("reports/figures/secret.png", "reports/linked/flow.png", "reports/figures/FLOW.png",
                 "reports/figures/*.png", "reports"):
        with pytest.raises(FigureUnavailable):
            clone.read(path)
    assert b"Committed answer" in (clone.report("reports/README.md") or b"")


@pytest.mark.parametrize(
    "row",
    [
        {"repo": "../clones/group_3/project"},
        {"repo": "group_3/project", "commit": "HEAD"},
        {"repo": "/etc", "commit": "a" * 40},
        {"repo": "group_9/none", "commit": "a" * 40},
    ],
)
def test_rows_outside_the_clones_folder_are_ignored(clones: tuple[Path, str], row: dict[str, str]) -> None:
    folder, commit = clones
    assert Clones(folder).commit(ScanRow.from_json({"commit": commit, **row})) is None


def test_dashboard_command_renders_from_clones(clones: tuple[Path, str], tmp_path: Path) -> None:
    folder, commit = clones
    text = git(folder / "group_3" / "project", "show", f"{commit}:reports/README.md")
    row = {"repo": "group_3/project", "group": 3, "commit": commit, "status": "ok",
           "report_path": "reports/README.md", "result": result_dict(check_text(text, question_set=COURSE))}
    results = tmp_path / "scan" / "results.jsonl"
    results.parent.mkdir()
    results.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert run(["dashboard", str(results), "--clones", str(folder)]) == 0
    page = (tmp_path / "scan" / "reports" / "group_3__project.html").read_text(encoding="utf-8")
    assert "Committed answer that the page must show" in page and "Changed later" not in page
    assert "data:image/png;base64," + base64.b64encode(png()).decode() in page
    assert page.count("data:image/svg+xml;base64,") == 2
    assert base64.b64encode(b"not for the page").decode()[:12] not in page
