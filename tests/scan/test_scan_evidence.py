"""The checklist held against each repository in a scan: REST, batched and local clones read the same small files
and give the same evidence, within the request budget (the tree, plus at most two small files)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakegithub import GRAPHQL, FakeGitHub, Fault
from scanhelpers import CHECKLIST, DEADLINE, NESTED, PROJECT, add_group_repo, add_project_repo
from test_scan_github import group_file, rows
from test_scan_graphql import scan, what
from test_scan_sources import clone_of

from checker.scan.snapshot import SMALL_FILE_BYTES

STUDENTS = ("s200001", "s200002")
DEADLINE_ARGS = ("--deadline", "2031-01-24T12:00Z")
EXPECTED = {  # rule id -> evidence, for the PROJECT files
    "containers": "found", "tracking": "found", "lint": "found", "serving": "found", "data-tests": "none",
    "access": "not-checkable",
}


def evidence(row: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    """Return a row's checklist items by rule: (ticked, evidence, paths, reason)."""
    items = row["result"]["checklist"]["items"]
    return {item["claim"]: (item["checked"], item["evidence"], tuple(item["paths"]), item["reason"]) for item in items}


def unbacked(row: dict[str, Any]) -> list[int]:
    """Return the lines of the row's checklist-unbacked findings."""
    return [f["line"] for f in row["result"]["findings"] if f["rule"] == "checklist-unbacked"]


def course(fake: FakeGitHub, tmp_path: Path) -> Path:
    """Add two projects (one with a commit after the deadline), a group without small files, and one whose
    dependency file is too large to read; return the group file."""
    add_project_repo(fake, "dtu/project-1", 1)
    add_project_repo(fake, "dtu/project-2", 2, ticked=("containers", "tracking"), after=1)
    add_group_repo(fake, "dtu/plain", 3)
    large = {**PROJECT, "requirements.txt": "wandb\nfastapi\n" + "# padding\n" * (SMALL_FILE_BYTES // 10)}
    add_project_repo(fake, "dtu/large", 4, files=large)
    names = ["dtu/project-1", "dtu/project-2", "dtu/plain", "dtu/large"]
    return group_file(tmp_path, [(n, name, STUDENTS) for n, name in enumerate(names, start=1)])


def test_rest_reads_the_tree_and_two_small_files_then_nothing_more(fake: FakeGitHub, tmp_path: Path) -> None:
    groups = course(fake, tmp_path)
    out = tmp_path / "rest"
    assert scan(fake, out, str(groups), *DEADLINE_ARGS, api="rest").exit_code == 0
    found = rows(out)
    kinds = {repo: [kind for r, kind, _ in fake.log if r == repo] for repo in fake.counts}
    # The commit listing, the late commits of the report's folder (project-2 only), the tree, the report's blob,
    # and two small files: six requests at most.
    assert kinds["dtu/project-1"] == ["commits", "tree", "blob", "blob", "blob"]
    assert kinds["dtu/project-2"] == ["commits", "commits", "tree", "blob", "blob", "blob"]
    assert kinds["dtu/plain"] == ["commits", "tree", "blob"]  # no candidate small file: nothing more
    assert kinds["dtu/large"] == ["commits", "tree", "blob", "blob"]  # requirements.txt is over the limit
    assert max(fake.counts.values()) <= 4 + 2
    project = evidence(found["dtu/project-1"])
    assert {rule: state[1] for rule, state in project.items()} == EXPECTED
    assert project["tracking"][2] == ("requirements.txt",) and project["lint"][2] == (".github/workflows/tests.yml",)
    assert unbacked(found["dtu/project-1"]) == [9]  # data-tests, ticked with no test file
    assert found["dtu/project-1"]["ready"] is True  # a warning only
    # project-2 ticks two items; the others look done (found, not ticked) and accuse nobody.
    assert found["dtu/project-2"]["result"]["checklist"]["looks_done"] == 2 and unbacked(found["dtu/project-2"]) == []
    # The large file was never read: what only it could show is not checkable, never "none".
    large = evidence(found["dtu/large"])
    assert large["tracking"] == (
        True, "not-checkable", (), "`requirements.txt`, `pyproject.toml` may show it but were not read")
    assert large["lint"][1] == "found"
    assert found["dtu/plain"]["result"]["checklist"]["items"] == []

    fake.reset_counts()
    assert scan(fake, out, str(groups), *DEADLINE_ARGS, api="rest").exit_code == 0
    assert set(fake.counts.values()) == {1}  # a warm re-run: the commit listing only
    assert what(rows(out)) == what(found)


def test_batched_reads_the_small_files_with_the_tree_in_the_same_query(fake: FakeGitHub, tmp_path: Path) -> None:
    groups = course(fake, tmp_path)
    assert scan(fake, tmp_path / "rest", str(groups), *DEADLINE_ARGS, api="rest").exit_code == 0
    fake.reset_counts()
    out = tmp_path / "graphql"
    assert scan(fake, out, str(groups), *DEADLINE_ARGS).exit_code == 0
    assert what(rows(out)) == what(rows(tmp_path / "rest"))
    # Heads, and details (the whole tree, the report and the files at the fixed places, where the two chosen
    # ones are): two queries, and not one REST request.
    assert fake.total() == fake.counts[GRAPHQL] == 2
    assert [query.split("(", 1)[0] for query in fake.queries] == ["query Heads", "query Details"]
    assert fake.graphql_repos == {"dtu/project-1": 2, "dtu/project-2": 2, "dtu/plain": 2, "dtu/large": 2}
    assert {repo: row["requests"] for repo, row in rows(out).items()} == {
        "dtu/project-1": 2, "dtu/project-2": 2, "dtu/plain": 2, "dtu/large": 2}
    cached = {json.loads(p.read_text(encoding="utf-8"))["repo"]: json.loads(p.read_text(encoding="utf-8"))
              for p in (out / "cache").rglob("*.json")}
    assert sorted(cached["dtu/project-1"]["small_files_b64"]) == [".github/workflows/tests.yml", "requirements.txt"]
    assert sorted(cached["dtu/large"]["small_files_b64"]) == [".github/workflows/tests.yml"]
    fake.reset_counts()
    assert scan(fake, out, str(groups), *DEADLINE_ARGS).exit_code == 0
    assert fake.total() == 1  # warm: the heads query, and everything else from the cache
    assert what(rows(out)) == what(rows(tmp_path / "rest"))


def test_small_files_elsewhere_take_one_files_query_after_the_details(fake: FakeGitHub, tmp_path: Path) -> None:
    add_project_repo(fake, "dtu/project-1", 1)
    add_project_repo(fake, "dtu/nested", 2, files=NESTED)
    groups = group_file(tmp_path, [(1, "dtu/project-1", STUDENTS), (2, "dtu/nested", STUDENTS)])
    assert scan(fake, tmp_path / "rest", str(groups), api="rest").exit_code == 0
    fake.reset_counts()
    out = tmp_path / "graphql"
    assert scan(fake, out, str(groups)).exit_code == 0
    assert what(rows(out)) == what(rows(tmp_path / "rest"))
    assert {rule: state[1] for rule, state in evidence(rows(out)["dtu/nested"]).items()} == EXPECTED
    # The workflow came with the tree; app/requirements.txt, at no fixed place, alone in a files query.
    assert [query.split("(", 1)[0] for query in fake.queries] == ["query Heads", "query Details", "query Files"]
    assert "$e0_0" in fake.queries[2] and "$e0_1" not in fake.queries[2] and "$e1_0" not in fake.queries[2]
    assert fake.graphql_repos == {"dtu/project-1": 2, "dtu/nested": 3}
    cached = {json.loads(p.read_text(encoding="utf-8"))["repo"]: json.loads(p.read_text(encoding="utf-8"))
              for p in (out / "cache").rglob("*.json")}
    assert sorted(cached["dtu/nested"]["small_files_b64"]) == [".github/workflows/tests.yml", "app/requirements.txt"]


def test_local_clones_read_the_same_small_files_from_git(fake: FakeGitHub, tmp_path: Path) -> None:
    from test_scan_sources import scan as scan_rows

    groups = course(fake, tmp_path)
    shas: dict[str, str] = {}
    for number, name in enumerate(["dtu/project-1", "dtu/project-2", "dtu/plain", "dtu/large"], start=1):
        shas |= clone_of(fake.repos[name], tmp_path / "clones" / f"group_{number}" / name.split("/")[1])
    rest = scan_rows(tmp_path / "rest", str(groups), *DEADLINE_ARGS, "--api-url", fake.url, "--api", "rest")
    local = scan_rows(tmp_path / "local", str(groups), *DEADLINE_ARGS, "--local", str(tmp_path / "clones"))
    for row in local.values():
        row["commit"], row["head"] = shas.get(row["commit"]), shas.get(row["head"])
    assert local == rest
    assert {rule: state[1] for rule, state in evidence(local["dtu/project-1"]).items()} == EXPECTED
    assert evidence(local["dtu/large"])["tracking"][1] == "not-checkable"


def test_a_tree_deeper_than_the_batched_listing_never_says_none(fake: FakeGitHub, tmp_path: Path) -> None:
    deep = {**PROJECT, "src/ourproject/a/b/c/d/helpers.py": "x = 1\n"}
    add_project_repo(fake, "dtu/deep", 1, files=deep)
    groups = group_file(tmp_path, [(1, "dtu/deep", STUDENTS)])
    assert scan(fake, tmp_path / "rest", str(groups), api="rest").exit_code == 0
    assert scan(fake, tmp_path / "graphql", str(groups)).exit_code == 0
    rest, batched = rows(tmp_path / "rest")["dtu/deep"], rows(tmp_path / "graphql")["dtu/deep"]
    # The listing stopped at six levels: the missing test file might be below it.
    assert evidence(rest)["data-tests"][1] == "none" and unbacked(rest) == [9]
    assert evidence(batched)["data-tests"] == (
        True, "not-checkable", (), "no listed file shows it, but the batched scan lists folders only 6 levels deep")
    assert unbacked(batched) == []
    # What the listing shows is still found.
    assert {rule: evidence(batched)[rule][1] for rule in ("containers", "tracking", "lint", "serving")} == {
        "containers": "found", "tracking": "found", "lint": "found", "serving": "found"}


def test_a_tree_too_large_for_graphql_is_checked_without_evidence(fake: FakeGitHub, tmp_path: Path) -> None:
    heavy = add_project_repo(fake, "dtu/heavy", 1)
    heavy.tree_timeout = 6  # GitHub gives up on its whole tree, not on its report's folder
    add_project_repo(fake, "dtu/light", 2)
    groups = group_file(tmp_path, [(1, "dtu/heavy", STUDENTS), (2, "dtu/light", STUDENTS)])
    assert scan(fake, tmp_path / "rest", str(groups), api="rest").exit_code == 0
    fake.reset_counts()
    out = tmp_path / "graphql"
    assert scan(fake, out, str(groups)).exit_code == 0
    # Heads, the details query that failed as a whole, the same with the report's folder only: no REST.
    assert fake.total() == fake.counts[GRAPHQL] == 3
    found, truth = rows(out), rows(tmp_path / "rest")
    for repo in ("dtu/heavy", "dtu/light"):
        assert {item["evidence"] for item in found[repo]["result"]["checklist"]["items"]} == {None}
        assert unbacked(found[repo]) == [] and unbacked(truth[repo]) == [9]
        assert found[repo]["passed"] == truth[repo]["passed"] and found[repo]["commit"] == truth[repo]["commit"]
    fake.reset_counts()
    assert scan(fake, out, str(groups)).exit_code == 0
    assert fake.total() == 1, "a warm re-run does not ask for the tree again"


def test_small_files_that_did_not_come_are_asked_for_again(fake: FakeGitHub, tmp_path: Path) -> None:
    add_project_repo(fake, "dtu/nested", 1, files=NESTED)
    groups = group_file(tmp_path, [(1, "dtu/nested", STUDENTS)])
    fake.graphql_faults += [Fault("ok", times=2), Fault("500", times=2)]  # the files query, and its retry
    out = tmp_path / "out"
    assert scan(fake, out, str(groups)).exit_code == 0
    first = evidence(rows(out)["dtu/nested"])
    assert first["tracking"] == (True, "not-checkable", (), "`app/requirements.txt` may show it but was not read")
    assert first["lint"][1] == "found"  # the workflow came with the tree all the same
    assert first["containers"][1] == "found" and first["data-tests"][1] == "none"  # the tree says these
    fake.reset_counts()
    assert scan(fake, out, str(groups)).exit_code == 0
    assert fake.counts[GRAPHQL] == 3  # heads, details, files: the cache kept the small files as not read
    assert {rule: state[1] for rule, state in evidence(rows(out)["dtu/nested"]).items()} == EXPECTED


def test_a_repository_without_a_report_reads_no_small_file(fake: FakeGitHub, tmp_path: Path) -> None:
    repo = fake.add("dtu/no-report")
    repo.commit(DEADLINE - timedelta(days=1), dict(PROJECT))
    groups = group_file(tmp_path, [(1, "dtu/no-report", STUDENTS)])
    assert scan(fake, tmp_path / "rest", str(groups), api="rest").exit_code == 0
    assert [kind for _, kind, _ in fake.log] == ["commits", "tree"]
    fake.reset_counts()
    assert scan(fake, tmp_path / "graphql", str(groups)).exit_code == 0
    assert fake.total() == 2  # heads and details: the whole tree holds no report, nothing more to read
    assert rows(tmp_path / "graphql")["dtu/no-report"]["status"] == "no-report"


@pytest.mark.parametrize("api", ["rest", "graphql"])
def test_a_cache_from_before_the_evidence_reads_the_small_files_once(
    fake: FakeGitHub, tmp_path: Path, api: str
) -> None:
    add_project_repo(fake, "dtu/project-1", 1)
    groups = group_file(tmp_path, [(1, "dtu/project-1", STUDENTS)])
    out = tmp_path / "out"
    assert scan(fake, out, str(groups), api=api).exit_code == 0
    before = rows(out)
    for path in (out / "cache").rglob("*.json"):  # as an older reportcheck wrote it
        data = json.loads(path.read_text(encoding="utf-8"))
        del data["small_files_b64"]
        path.write_text(json.dumps(data), encoding="utf-8")
    fake.reset_counts()
    assert scan(fake, out, str(groups), api=api).exit_code == 0
    assert what(rows(out)) == what(before)
    if api == "rest":  # the tree again, for the blob shas the cache does not keep, and the two files
        assert [kind for _, kind, _ in fake.log] == ["commits", "tree", "blob", "blob"]
    else:  # heads, and details with the files at the fixed places
        assert fake.total() == fake.counts[GRAPHQL] == 2
    fake.reset_counts()
    assert scan(fake, out, str(groups), api=api).exit_code == 0
    assert fake.total() == 1


def test_every_checklist_item_of_the_test_course_has_its_rule() -> None:
    from scanhelpers import COURSE

    from checker.evidence import match

    assert COURSE.evidence is not None
    assert {rule: getattr(match(COURSE.evidence, text), "id", None) for rule, text in CHECKLIST.items()} == {
        rule: rule for rule in CHECKLIST}


def test_a_tree_github_lists_only_in_part_never_says_none(fake: FakeGitHub, tmp_path: Path) -> None:
    repo = add_project_repo(fake, "dtu/huge", 1)
    repo.tree_limit = 8  # GitHub cuts the recursive listing (past 100,000 entries in truth)
    groups = group_file(tmp_path, [(1, "dtu/huge", STUDENTS)])
    assert scan(fake, tmp_path / "rest", str(groups), api="rest").exit_code == 0
    row = rows(tmp_path / "rest")["dtu/huge"]
    assert evidence(row)["data-tests"] == (True, "not-checkable", (), "no listed file shows it, but GitHub lists "
                                           "this repository's tree only in part (over 100,000 entries)")
    assert unbacked(row) == []
    assert evidence(row)["containers"][1] == "found"  # dockerfiles/ is in the part listed
