"""The checklist against 41 real repositories (../shared/corpus): their file lists only, as `tree.txt` holds them.

The corpus has no file contents, so every rule that needs a dependency file or a workflow is "not checkable"
there unless the file list alone shows the claim. What is left is held to one standard: a ticked item may be
reported as unbacked only where a person reading the repository's file list would agree.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker import check_text
from checker.files import RepoListing, TreeFiles
from checker.model import ReportResult
from tests.test_corpus import corpus

# (report folder, line) -> why a person would agree the ticked item has no trace. None is raised today: the
# tree-only view reports only path rules, and every group that ticked one has the files (danielch1 ticked data
# version control without DVC, but committed its data to git, which the rule treats as not checkable).
UNBACKED: dict[tuple[str, int], str] = {}


def check_tree(folder: Path) -> ReportResult:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    tree = tuple((folder / "tree.txt").read_text(encoding="utf-8").splitlines())
    return check_text((folder / "README.md").read_bytes(), path=meta.get("report_path", "reports/README.md"),
                      files=TreeFiles(tree), listing=RepoListing(tree, lambda path: None, True))


@pytest.mark.parametrize("folder", corpus(), ids=lambda p: p.name)
def test_unbacked_claims_on_real_repositories(folder: Path) -> None:
    result = check_tree(folder)
    raised = {(folder.name, f.line) for f in result.findings if f.rule == "checklist-unbacked"}
    assert raised == {key for key in UNBACKED if key[0] == folder.name}
    tree = set((folder / "tree.txt").read_text(encoding="utf-8").splitlines())
    for item in result.checklist_items:
        assert item.evidence is not None
        assert set(item.paths) <= tree, item
        if item.evidence == "not-checkable":
            assert item.reason, item
        # A template item with a module tag always finds its rule, even when the group edited it.
        if item.module is not None:
            assert item.claim is not None, item


def test_the_corpus_is_mostly_backed_and_files_tell_a_lot(shared: Path) -> None:
    ticked = found = 0
    for folder in corpus():
        for item in check_tree(folder).checklist_items:
            if item.checked:
                ticked += 1
                found += item.evidence == "found"
    assert ticked > 1000
    assert found > 0.55 * ticked
