"""Each fault GitHub documents, served by the fake GitHub: every repository ends as the row it should.

Nothing is lost (every repository has its row, right to the late counts) and nothing is waited for needlessly:
the scan waits on the fake server's clock, so each test asserts the waits the scan asked for (`clock.sleeps`),
never the wall time.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakegithub import GRAPHQL, FakeGitHub, Fault
from scanhelpers import DEADLINE, FIGURE, add_group_repo, report
from test_scan_github import group_file, rows, run_scan
from test_scan_graphql import scan, what

from checker.wording import size_over

STUDENTS = ("s200001", "s200002")
DEADLINE_ARGS = ("--deadline", "2031-01-24T12:00Z")


def course(fake: FakeGitHub, tmp_path: Path, count: int = 3, *, missing: bool = False) -> Path:
    """Add `count` group repositories (each with a late commit), and a missing one; return the group file."""
    for number in range(1, count + 1):
        add_group_repo(fake, f"dtu/team-{number}", number, after=1)
    names = [f"dtu/team-{n}" for n in range(1, count + 1)] + (["dtu/gone"] if missing else [])
    return group_file(tmp_path, [(n, name, STUDENTS) for n, name in enumerate(names, start=1)])


def statuses(out: Path) -> dict[str, str]:
    return {repo: row["status"] for repo, row in rows(out).items()}


def rest_truth(fake: FakeGitHub, tmp_path: Path, groups: Path, *args: str) -> dict[str, dict[str, Any]]:
    """Scan over REST with no fault, for the rows every other read must equal; reset the fake's counts."""
    out = tmp_path / "truth"
    assert scan(fake, out, str(groups), *args, api="rest").exit_code == 0
    fake.reset_counts()
    fake.clock.sleeps.clear()
    return what(rows(out))


# --- GraphQL unavailable -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["404", "404-html"])
def test_graphql_404_reads_every_repository_of_the_batch_over_rest(
    fake: FakeGitHub, tmp_path: Path, kind: str
) -> None:
    groups = course(fake, tmp_path, missing=True)
    truth = rest_truth(fake, tmp_path, groups, *DEADLINE_ARGS)
    fake.graphql_faults.append(Fault(kind, times=99))
    out = tmp_path / "out"
    result = scan(fake, out, str(groups), *DEADLINE_ARGS)
    assert result.exit_code == 0, result.output
    assert what(rows(out)) == truth  # nothing became an error row because of the batch
    assert statuses(out) == {"dtu/team-1": "ok", "dtu/team-2": "ok", "dtu/team-3": "ok", "dtu/gone": "not-found"}
    assert fake.counts[GRAPHQL] == 1  # a 404 is not retried
    assert fake.clock.sleeps == []


def test_after_a_graphql_404_no_batch_asks_graphql_again(fake: FakeGitHub, tmp_path: Path) -> None:
    from scanhelpers import TOKEN

    from checker.scan.github import GitHubSource
    from checker.scan.graphql import BatchedSource
    from checker.scan.groups import Target
    from checker.scan.settings import Connection
    from checker.scan.snapshot import Plan

    for number in range(1, 5):
        add_group_repo(fake, f"dtu/team-{number}", number)
    fake.graphql_faults.append(Fault("404", times=99))
    rest = GitHubSource(Connection(token=TOKEN, api_url=fake.url, rate=0, retries=1), Plan(), clock=fake.clock)
    source = BatchedSource(rest, heads_batch=2)
    targets = [Target(f"dtu/team-{n}", n) for n in range(1, 5)]
    source.prepare(targets)
    try:
        commits = [source.fetch(t).choice.commit for t in targets]
    finally:
        source.close()
    assert commits == [fake.repos[f"dtu/team-{n}"].commits[-1].sha for n in range(1, 5)]
    assert fake.counts[GRAPHQL] == 1, "the second batch went straight to REST"
    assert source.unavailable is not None and "404" in source.unavailable


def test_graphql_5xx_for_a_whole_batch_is_retried_then_read_over_rest(fake: FakeGitHub, tmp_path: Path) -> None:
    groups = course(fake, tmp_path, missing=True)
    truth = rest_truth(fake, tmp_path, groups, *DEADLINE_ARGS)
    fake.graphql_faults.append(Fault("502", times=99))
    out = tmp_path / "out"
    result = scan(fake, out, str(groups), *DEADLINE_ARGS, "--retries", "2")
    assert result.exit_code == 0, result.output
    assert what(rows(out)) == truth
    assert fake.counts[GRAPHQL] == 3  # one try and two retries
    assert fake.clock.sleeps == [4.0]  # urllib3 retries at once, then after backoff * 2
    assert all(fake.counts[f"dtu/team-{n}"] <= 4 for n in range(1, 4))


def test_graphql_5xx_for_a_details_query_reads_its_repositories_over_rest(fake: FakeGitHub, tmp_path: Path) -> None:
    groups = course(fake, tmp_path)
    truth = rest_truth(fake, tmp_path, groups, *DEADLINE_ARGS)
    fake.graphql_faults += [Fault("ok", times=1), Fault("500", times=99)]
    out = tmp_path / "out"
    result = scan(fake, out, str(groups), *DEADLINE_ARGS)
    assert result.exit_code == 0, result.output
    assert what(rows(out)) == truth
    # Heads, then details tried twice with the whole trees and twice with the report's folder only.
    assert fake.counts[GRAPHQL] == 5
    assert {r["requests"] for r in rows(out).values()} == {3 + fake.counts["dtu/team-1"]}


def test_graphql_partial_answer_is_never_trusted_nor_cached(fake: FakeGitHub, tmp_path: Path) -> None:
    groups = course(fake, tmp_path)
    truth = rest_truth(fake, tmp_path, groups, *DEADLINE_ARGS)
    fake.graphql_faults += [Fault("ok", times=1), Fault("partial", times=1)]
    out = tmp_path / "out"
    result = scan(fake, out, str(groups), *DEADLINE_ARGS)
    assert result.exit_code == 0, result.output
    # Late counts from the query sent again (with the report's folder only), not the cut answer's (none).
    assert what(rows(out)) == truth
    assert fake.counts[GRAPHQL] == 3 and not {repo for repo in fake.counts if repo != GRAPHQL}
    assert {rows(out)[f"dtu/team-{n}"]["late_commits"] for n in range(1, 4)} == {1}
    for cached in (out / "cache").rglob("*.json"):
        counts = json.loads(cached.read_text(encoding="utf-8")).get("late", {})
        assert all(value == [1, 1] for value in counts.values()), counts
    fake.reset_counts()
    warm = scan(fake, out, str(groups), *DEADLINE_ARGS)
    assert warm.exit_code == 0
    assert what(rows(out)) == truth


# --- rate limits ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("graphql_type", ["RATE_LIMITED", "RATE_LIMIT", ""])
def test_graphql_primary_limit_is_waited_for_until_the_reset(
    fake: FakeGitHub, tmp_path: Path, graphql_type: str
) -> None:
    groups = course(fake, tmp_path)
    truth = rest_truth(fake, tmp_path, groups, *DEADLINE_ARGS)
    fake.graphql_faults.append(Fault("primary", seconds=600, graphql_type=graphql_type))
    out = tmp_path / "out"
    result = scan(fake, out, str(groups), *DEADLINE_ARGS, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert what(rows(out)) == truth
    (waited,) = fake.clock.sleeps  # one wait: until the reset (to the second) and one second more
    assert 600 < waited <= 602
    assert "GitHub API rate limit used up: waiting 10m0" in result.stderr
    assert fake.counts[GRAPHQL] == 3  # the limited query, then heads and details
    assert {repo for repo in fake.counts if repo != GRAPHQL} == set()


@pytest.mark.parametrize("status", [403, 429])
def test_rest_primary_limit_is_waited_for_until_the_reset(fake: FakeGitHub, tmp_path: Path, status: int) -> None:
    groups = course(fake, tmp_path)
    fake.repos["dtu/team-2"].faults.append(Fault("primary", on="tree", seconds=300, status=status))
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), *DEADLINE_ARGS, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert set(statuses(out).values()) == {"ok"}
    (waited,) = fake.clock.sleeps
    assert 300 < waited <= 302
    assert "rate limit used up: waiting 5m0" in result.stderr


def test_primary_limit_beyond_max_wait_stops_without_waiting(fake: FakeGitHub, tmp_path: Path) -> None:
    groups = course(fake, tmp_path)
    fake.repos["dtu/team-2"].faults.append(Fault("primary", on="tree", seconds=3600))
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), *DEADLINE_ARGS, "--jobs", "1", "--max-wait", "15m")
    assert result.exit_code == 1, result.output
    assert fake.clock.sleeps == []
    assert statuses(out) == {"dtu/team-1": "ok", "dtu/team-2": "rate-limited"}
    assert "more than --max-wait 15m00s" in result.stderr


@pytest.mark.parametrize(
    ("status", "retry_after", "waits"),
    [
        (403, 30, [30.0]),  # Retry-After wins over the reset an hour away that every answer carries
        (403, 300, [300.0]),
        (403, None, [60.0]),  # no Retry-After: at least a minute
        (429, None, [60.0]),
        (429, 7, [7.0]),
    ],
)
def test_secondary_limit_waits_what_github_asks(
    fake: FakeGitHub, tmp_path: Path, status: int, retry_after: int | None, waits: list[float]
) -> None:
    groups = course(fake, tmp_path)
    fake.repos["dtu/team-2"].faults.append(Fault("secondary", on="blob", status=status, retry_after=retry_after))
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), *DEADLINE_ARGS, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert set(statuses(out).values()) == {"ok"}
    assert fake.clock.sleeps == waits
    assert [kind for repo, kind, _ in fake.log if repo == "dtu/team-2"].count("blob") == 2


def test_a_long_retry_after_is_waited_for_visibly_within_max_wait(fake: FakeGitHub, tmp_path: Path) -> None:
    groups = course(fake, tmp_path)
    fake.repos["dtu/team-2"].faults.append(Fault("secondary", on="blob", retry_after=600))
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), *DEADLINE_ARGS, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert set(statuses(out).values()) == {"ok"}
    assert fake.clock.sleeps == [600.0]
    assert "GitHub's secondary rate limit: waiting 10m00s" in result.stderr
    fake.repos["dtu/team-2"].faults.append(Fault("secondary", on="blob", retry_after=1200))
    fake.clock.sleeps.clear()
    stopped = run_scan(fake, tmp_path / "again", str(groups), *DEADLINE_ARGS, "--jobs", "1", "--no-cache")
    assert stopped.exit_code == 1  # 20 minutes is more than --max-wait: stop, and --resume later
    assert fake.clock.sleeps == []
    assert statuses(tmp_path / "again")["dtu/team-2"] == "rate-limited"


def test_a_secondary_limit_that_outlasts_the_retries_pauses_every_worker(fake: FakeGitHub, tmp_path: Path) -> None:
    groups = course(fake, tmp_path)
    fake.repos["dtu/team-2"].faults.append(Fault("secondary", on="tree", times=2))
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), *DEADLINE_ARGS, "--jobs", "1", "--retries", "1")
    assert result.exit_code == 0, result.output
    assert set(statuses(out).values()) == {"ok"}
    assert fake.clock.sleeps == [60.0, 60.0]  # PyGithub's retry, then the scan's gate
    assert "GitHub's secondary rate limit: waiting 1m00s" in result.stderr


def test_graphql_secondary_limit_is_retried_after_a_minute(fake: FakeGitHub, tmp_path: Path) -> None:
    groups = course(fake, tmp_path)
    fake.graphql_faults.append(Fault("secondary", status=403))
    out = tmp_path / "out"
    result = scan(fake, out, str(groups), *DEADLINE_ARGS)
    assert result.exit_code == 0, result.output
    assert set(statuses(out).values()) == {"ok"}
    assert fake.clock.sleeps == [60.0]
    assert fake.counts[GRAPHQL] == 3


# --- permanent statuses ------------------------------------------------------------------------------------


@pytest.mark.parametrize("api", ["rest", "graphql"])
def test_blocked_and_saml_repositories_are_final_rows(fake: FakeGitHub, tmp_path: Path, api: str) -> None:
    groups = course(fake, tmp_path, count=4)
    fake.repos["dtu/team-2"].blocked = True
    fake.repos["dtu/team-3"].saml = True
    out = tmp_path / "out"
    result = scan(fake, out, str(groups), *DEADLINE_ARGS, api=api)
    assert result.exit_code == 0, result.output
    found = {repo: (row["status"], row["reason"]) for repo, row in rows(out).items()}
    assert found["dtu/team-2"] == ("blocked", "GitHub blocks access for legal reasons (dmca)")
    assert found["dtu/team-3"] == (
        "sso-required", "the organisation enforces SAML single sign-on and the token is not authorised for it")
    assert found["dtu/team-1"][0] == found["dtu/team-4"][0] == "ok"
    assert fake.clock.sleeps == []
    if api == "graphql":
        assert "dtu/team-3" not in fake.counts  # GraphQL's saml_failure says it: no REST request
    assert result.stdout.splitlines()[-1] == "2 ready, 0 not passed, 2 unreachable"
    fake.reset_counts()
    again = scan(fake, out, str(groups), *DEADLINE_ARGS, "--resume", api=api)
    assert again.exit_code == 0
    assert fake.total() == 0, "--resume keeps blocked and sso-required rows: nothing is read again"
    feedback = scan(fake, tmp_path / "fb", str(groups), *DEADLINE_ARGS, "--feedback", api=api)
    assert feedback.exit_code == 0
    assert "legal reasons" in (tmp_path / "fb" / "feedback" / "group-2.md").read_text(encoding="utf-8")


# --- trees and blobs ---------------------------------------------------------------------------------------


def big_repository(fake: FakeGitHub, name: str, group: int) -> None:
    """Add a repository whose recursive tree listing GitHub cuts short before it reaches reports/."""
    repo = fake.add(name)
    files: dict[str, bytes | str] = {f"data/shard-{i:03}.csv": f"{i}\n" for i in range(120)}
    files |= {"reports/README.md": report(group), FIGURE: b"\x89PNG fake"}
    repo.commit(DEADLINE - timedelta(days=1), files)
    repo.tree_limit = 60


@pytest.mark.parametrize("api", ["rest", "graphql"])
def test_truncated_tree_does_not_make_figures_look_missing(fake: FakeGitHub, tmp_path: Path, api: str) -> None:
    big_repository(fake, "dtu/big", 1)
    add_group_repo(fake, "dtu/small", 2)
    groups = group_file(tmp_path, [(1, "dtu/big", STUDENTS), (2, "dtu/small", STUDENTS)])
    out = tmp_path / "out"
    result = scan(fake, out, str(groups), api=api)
    assert result.exit_code == 0, result.output
    row = rows(out)["dtu/big"]
    assert (row["status"], row["ready"]) == ("ok", True)
    assert "image-missing" not in {f["rule"] for f in row["result"]["findings"]}
    if api == "rest":
        # The cut listing, the top folder (no reports/ entry in the cut listing), then reports/ in full.
        assert [kind for repo, kind, _ in fake.log if repo == "dtu/big"] == ["commits", "tree", "tree", "tree", "blob"]
        assert any("reports/ was listed on its own" in note for note in row["notes"])
    else:
        assert "dtu/big" not in fake.counts  # the batched read lists reports/ itself


def test_truncated_tree_with_the_folder_in_the_listing_reads_it_at_once(fake: FakeGitHub, tmp_path: Path) -> None:
    repo = fake.add("dtu/wide")
    files: dict[str, bytes | str] = {f"zz/{i:03}.txt": "x" for i in range(80)} | {"a0.txt": "a", "a1.txt": "b"}
    files |= {"reports/README.md": report(1), FIGURE: b"png", "reports/figures/other.png": b"png"}
    repo.commit(DEADLINE - timedelta(days=1), files)
    repo.tree_limit = 4  # the listing holds a0, a1, reports/ and its README, not the figure
    out = tmp_path / "out"
    result = run_scan(fake, out, str(group_file(tmp_path, [(1, "dtu/wide", STUDENTS)])))
    assert result.exit_code == 0, result.output
    assert rows(out)["dtu/wide"]["ready"] is True
    assert [kind for _, kind, _ in fake.log] == ["commits", "tree", "tree", "blob"]


@pytest.mark.parametrize("api", ["rest", "graphql"])
def test_report_over_max_bytes_is_not_downloaded(fake: FakeGitHub, tmp_path: Path, api: str) -> None:
    repo = fake.add("dtu/huge")
    repo.commit(DEADLINE - timedelta(days=1), {"reports/README.md": report(9) + "x" * 6_000, FIGURE: b"png"})
    add_group_repo(fake, "dtu/fine", 10)
    out = tmp_path / "out"
    groups = group_file(tmp_path, [(9, "dtu/huge", ()), (10, "dtu/fine", ())])
    result = scan(fake, out, str(groups), "--max-bytes", "5000", api=api)
    assert result.exit_code == 0, result.output
    found = rows(out)
    size = len(fake.repos["dtu/huge"].commits[-1].files["reports/README.md"])
    assert found["dtu/huge"]["status"] == "unreadable"
    assert found["dtu/huge"]["reason"] == f"reports/README.md: {size_over(size, 5000)} (--max-bytes)"
    assert "blob" not in [kind for repo, kind, _ in fake.log if repo == "dtu/huge"]
    assert found["dtu/fine"]["status"] == "ok"
    fake.reset_counts()
    again = scan(fake, out, str(groups), "--max-bytes", "5000", api=api)
    assert again.exit_code == 0
    assert rows(out)["dtu/huge"]["cached"] is True, "an oversized report is complete in the cache"
