"""The sticky pull-request comment against a fake GitHub API on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from checker.comment import marker, pull_request, sticky_comment
from tests.fakegithub import FakeGitHub, serve


def event(tmp_path: Path, *, fork: bool = False, name: str = "pull_request") -> dict[str, str]:
    """Write a pull-request event payload and return the run's environment for it."""
    base = "course/group-7"
    payload = {"pull_request": {"number": 5, "base": {"repo": {"full_name": base}},
                                "head": {"repo": {"full_name": "someone/fork" if fork else base}}}}
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return {"GITHUB_EVENT_PATH": str(path), "GITHUB_EVENT_NAME": name, "GITHUB_REPOSITORY": base}


def test_first_run_creates_then_later_runs_edit_the_same_comment(tmp_path: Path) -> None:
    with serve() as fake:
        env = {**event(tmp_path), "GITHUB_API_URL": fake.url}
        fake.add("Nice work!")
        assert sticky_comment(env, "t0k", "table one", key="reports/README.md") == "comment created"
        assert sticky_comment(env, "t0k", "table two", key="reports/README.md") == "comment updated"
        assert sticky_comment(env, "t0k", "table two", key="reports/README.md") == "comment unchanged"
    ours = [c for c in fake.comments if marker("reports/README.md") in c["body"]]
    assert len(ours) == 1
    assert ours[0]["body"].endswith("table two")
    assert fake.comments[0]["body"] == "Nice work!"
    assert {auth for _, _, auth in fake.requests} == {"Bearer t0k"}


def test_marker_is_found_on_a_later_page(tmp_path: Path) -> None:
    with serve(FakeGitHub(page_size=2)) as fake:
        for number in range(5):
            fake.add(f"comment {number}")
        fake.add(f"{marker('reports/README.md')}\nold table")
        env = {**event(tmp_path), "GITHUB_API_URL": fake.url}
        assert sticky_comment(env, "t0k", "new table", key="reports/README.md") == "comment updated"
    assert len(fake.comments) == 6
    assert fake.comments[-1]["body"].endswith("new table")
    assert [method for method, _, _ in fake.requests] == ["GET", "GET", "GET", "PATCH"]


def test_another_report_gets_its_own_comment(tmp_path: Path) -> None:
    with serve() as fake:
        env = {**event(tmp_path), "GITHUB_API_URL": fake.url}
        sticky_comment(env, "t0k", "a", key="reports/README.md")
        sticky_comment(env, "t0k", "b", key="other/README.md")
    assert len(fake.comments) == 2


def test_fork_pull_request_is_skipped_without_a_request(tmp_path: Path) -> None:
    with serve() as fake:
        env = {**event(tmp_path, fork=True), "GITHUB_API_URL": fake.url}
        note = sticky_comment(env, "t0k", "table", key="reports/README.md")
    assert note.startswith("no comment: pull requests from forks")
    assert fake.requests == []


def test_pull_request_target_from_a_fork_may_comment(tmp_path: Path) -> None:
    pr = pull_request(event(tmp_path, fork=True, name="pull_request_target"))
    assert pr is not None
    assert not pr.read_only


def test_read_only_token_gives_a_notice_not_an_error(tmp_path: Path) -> None:
    with serve(FakeGitHub(forbid_writes=True)) as fake:
        env = {**event(tmp_path), "GITHUB_API_URL": fake.url}
        note = sticky_comment(env, "t0k", "table", key="reports/README.md")
    assert note.startswith("no comment: the token may not write comments (HTTP 403")
    assert "pull-requests: write" in note


def test_not_a_pull_request(tmp_path: Path) -> None:
    env = {**event(tmp_path), "GITHUB_EVENT_NAME": "push"}
    assert sticky_comment(env, "t0k", "table", key="r") == "no comment: this run is not for a pull request"


def test_token_never_follows_a_link_to_another_host(tmp_path: Path) -> None:
    with serve(FakeGitHub(page_size=1, next_link="http://localhost:9/steal")) as fake:
        fake.add("first")
        fake.add("second")
        env = {**event(tmp_path), "GITHUB_API_URL": fake.url}
        note = sticky_comment(env, "t0k", "table", key="reports/README.md")
    assert "refusing to send the token" in note
    assert len(fake.requests) == 1


def test_unreachable_api_is_a_notice(tmp_path: Path) -> None:
    env = {**event(tmp_path), "GITHUB_API_URL": "http://127.0.0.1:9"}
    assert sticky_comment(env, "t0k", "table", key="r").startswith("no comment: cannot reach the API")
