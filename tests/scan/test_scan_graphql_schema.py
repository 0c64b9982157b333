"""Every GraphQL query the batched scan sends is valid against GitHub's own schema, not only the fake's.

The schema is GitHub's public one as octokit publishes it (`@octokit/graphql-schema`, pinned in .ci/node and
installed by .ci/run into .ci/node/node_modules); graphql-core validates each query against it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakegithub import FakeGitHub
from graphql import GraphQLSchema, build_client_schema, parse, validate
from scanhelpers import NESTED, add_group_repo, add_project_repo
from test_scan_github import group_file
from test_scan_graphql import scan

from checker.questions import shipped
from checker.scan import graphql as batched
from checker.scan.snapshot import Plan

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / ".ci" / "node" / "node_modules" / "@octokit" / "graphql-schema" / "schema.json"
STUDENTS = ("s200001", "s200002")


@pytest.fixture(scope="module")
def github() -> GraphQLSchema:
    """Return GitHub's GraphQL schema (its introspection answer, as octokit publishes it)."""
    if not SCHEMA.is_file():
        pytest.fail(f"{SCHEMA} is missing: run `bash .ci/run` (npm ci in .ci/node)")
    data = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return build_client_schema(data.get("data", data))


def errors(schema: GraphQLSchema, query: str) -> list[str]:
    return [error.message for error in validate(schema, parse(query))]


def test_the_schema_is_githubs(github: GraphQLSchema) -> None:
    repository = github.get_type("Repository")
    assert repository is not None and "object" in repository.fields  # type: ignore[attr-defined]
    assert errors(github, 'query { repository(owner: "a", name: "b") { nope } }') == [
        "Cannot query field 'nope' on type 'Repository'. Did you mean 'name'?"]


@pytest.mark.parametrize("plan", [
    Plan(), Plan(deadline=datetime(2031, 1, 24, tzinfo=UTC)), Plan(branch="main"),
    Plan(deadline=datetime(2031, 1, 24, tzinfo=UTC), branch="main"),
], ids=["head", "deadline", "branch", "deadline-branch"])
def test_heads_queries_are_valid(github: GraphQLSchema, plan: Plan) -> None:
    assert errors(github, batched.heads_query(plan, 3)) == []


@pytest.mark.parametrize("depth", [batched.TREE_DEPTH, batched.DEPTH])
def test_details_queries_are_valid(github: GraphQLSchema, depth: int) -> None:
    assert errors(github, batched.details_query(2, depth)) == []


def test_details_queries_with_the_fixed_places_are_valid(github: GraphQLSchema) -> None:
    places = Plan(evidence=shipped()[-1].evidence).places()  # the scan's rules when no --set is forced
    assert places.paths and places.folders
    query = batched.details_query(2, batched.TREE_DEPTH, places)
    assert "s0: object(expression: $s1_0)" in query and "w0: object(expression: $w1_0)" in query
    assert errors(github, query) == []


def test_files_queries_are_valid(github: GraphQLSchema) -> None:
    assert errors(github, batched.files_query([2, 1, 2])) == []


def test_every_query_a_scan_sends_is_valid(github: GraphQLSchema, fake: FakeGitHub, tmp_path: Path) -> None:
    add_group_repo(fake, "dtu/team-1", 1, after=1)
    add_project_repo(fake, "dtu/project", 2)
    heavy = add_project_repo(fake, "dtu/heavy", 3)
    heavy.tree_timeout = 6  # the details query is sent again with the report's folder only
    add_project_repo(fake, "dtu/nested", 4, files=NESTED)  # a small file at no fixed place: the files query
    groups = group_file(tmp_path, [(1, "dtu/team-1", STUDENTS), (2, "dtu/project", STUDENTS),
                                   (4, "dtu/nested", STUDENTS)])
    assert scan(fake, tmp_path / "a", str(groups), "--deadline", "2031-01-24T12:00Z").exit_code == 0
    assert scan(fake, tmp_path / "b", str(groups), "--record-heads", str(tmp_path / "heads.jsonl")).exit_code == 0
    (tmp_path / "heavy").mkdir()
    heavy_group = group_file(tmp_path / "heavy", [(3, "dtu/heavy", STUDENTS)])
    assert scan(fake, tmp_path / "c", str(heavy_group), "--branch", "main").exit_code == 0
    kinds = {query.split("(", 1)[0] for query in fake.queries}
    assert kinds == {"query Heads", "query Details", "query Files"}
    assert len({q for q in fake.queries if q.startswith("query Details")}) >= 2  # whole tree and folder only
    for query in dict.fromkeys(fake.queries):
        assert errors(github, query) == [], query
