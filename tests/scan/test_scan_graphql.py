"""The batched scan over GraphQL, against the fake GitHub's GraphQL endpoint (graphql-core executes the queries)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from fakegithub import GRAPHQL, FakeGitHub, Fault
from scanhelpers import DEADLINE, FIGURE, TOKEN, add_group_repo, report
from test_scan_github import QUESTIONS, group_file, invoke, rows

from checker.scan.graphql import decidable, graphql_url

# Row fields that say how the row was read, not what was found.
HOW = {"requests", "cached", "scanned_at"}
STUDENTS = ("s200001", "s200002")


def scan(fake: FakeGitHub, out: Path, *args: str, api: str = "graphql") -> Result:
    """Run the scan command with one API against the fake server (waiting on its clock)."""
    options = ["--api-url", fake.url, "--api", api, "--out", str(out), "--set", QUESTIONS, "--rate", "0"]
    # A batch of 50 repositories takes the fake a second or more on a busy 2-core machine: no test here hangs.
    options += ["--timeout", "10", "--retries", "1"]
    return invoke(fake, [*options, *args])  # options given later win


def what(found: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Drop the fields that differ between two ways of reading the same repositories."""
    return {repo: {k: v for k, v in row.items() if k not in HOW} for repo, row in found.items()}


def varied(fake: FakeGitHub) -> list[str]:
    """Add repositories that take every path of the batched read; return their names."""
    for number in range(1, 5):
        add_group_repo(fake, f"dtu/team-{number}", number, after=number % 3)
    add_group_repo(fake, "dtu/busy", 5, after=35)
    big = fake.add("dtu/big")
    padding = "\n<!-- " + "x" * 600_000 + " -->\n"
    big.commit(DEADLINE - timedelta(days=1), {"reports/README.md": report(6) + padding, FIGURE: b"png"})
    outside = fake.add("dtu/outside")
    outside.commit(
        DEADLINE - timedelta(days=1),
        {"reports/README.md": report(7, figure="../docs/flow.png"), "docs/flow.png": b"png"},
    )
    deep = fake.add("dtu/deep")
    deep.commit(
        DEADLINE - timedelta(days=1),
        {"reports/README.md": report(8, figure="figures/a/b/flow.png"), "reports/figures/a/b/flow.png": b"png"},
    )
    absent = fake.add("dtu/absent-figure")
    absent.commit(DEADLINE - timedelta(days=1), {"reports/README.md": report(9, figure="figures/nope.png")})
    big_outside = fake.add("dtu/big-outside")
    big_outside.commit(
        DEADLINE - timedelta(days=1),
        {"reports/README.md": report(11, figure="/docs/flow.png") + padding, "docs/flow.png": b"png"},
    )
    moved = fake.add("dtu/moved")
    moved.commit(DEADLINE - timedelta(days=1), {"report/README.md": report(10), "report/" + FIGURE[8:]: b"png"})
    bare = fake.add("dtu/bare")
    bare.commit(DEADLINE - timedelta(days=1), {"README.md": "# nothing here\n"})
    latin = fake.add("dtu/latin")
    latin.commit(DEADLINE - timedelta(days=1), {"reports/README.md": report(12).encode() + b"\n\xe9t\xe9\n"})
    fake.add("dtu/empty")
    early = fake.add("dtu/too-late")
    early.commit(DEADLINE + timedelta(days=1), {"reports/README.md": report(14)})
    return [
        *(f"dtu/team-{n}" for n in range(1, 5)),
        "dtu/busy",
        "dtu/big",
        "dtu/outside",
        "dtu/deep",
        "dtu/absent-figure",
        "dtu/big-outside",
        "dtu/moved",
        "dtu/bare",
        "dtu/latin",
        "dtu/empty",
        "dtu/too-late",
        "dtu/missing",
    ]


@pytest.mark.parametrize(
    "when",
    [["--deadline", "2031-01-24T13:00+01:00"], [], ["--branch", "main", "--deadline", "2031-01-24T12:00Z"]],
    ids=["deadline", "head", "branch"],
)
def test_batched_rows_equal_rest_rows(fake: FakeGitHub, tmp_path: Path, when: list[str]) -> None:
    names = varied(fake)
    groups = group_file(tmp_path, [(n, name, STUDENTS) for n, name in enumerate(names, start=1)])
    rest = scan(fake, tmp_path / "rest", str(groups), *when, api="rest")
    assert rest.exit_code == 0, rest.output
    fake.reset_counts()
    batched = scan(fake, tmp_path / "graphql", str(groups), *when)
    assert batched.exit_code == 0, batched.output
    assert what(rows(tmp_path / "graphql")) == what(rows(tmp_path / "rest"))
    assert batched.stdout == rest.stdout
    # Two queries, then REST only where the batch answer was not enough, and only for what it lacked.
    assert fake.counts[GRAPHQL] == 2
    rest_reads = {repo: [kind for r, kind, _ in fake.log if r == repo] for repo in fake.counts if repo != GRAPHQL}
    # The details query lists the whole tree: a figure link outside reports/ (dtu/outside, dtu/big-outside),
    # three folders deep (dtu/deep), or no report anywhere (dtu/bare) needs no REST request any more.
    assert rest_reads == {
        "dtu/big": ["blob"],  # text truncated by GitHub
        "dtu/latin": ["blob"],  # not UTF-8: GitHub's text is not the file
        "dtu/big-outside": ["blob"],  # the blob's figure link leaves reports/, into the listed tree
        "dtu/moved": ["tree", "blob"],  # no reports/README.md: REST finds the report elsewhere, as always
        # With --branch an empty repository and a missing branch look alike: REST tells them apart.
        **({"dtu/empty": ["commits"]} if "--branch" in when else {}),
    }
    found = rows(tmp_path / "graphql")
    assert found["dtu/missing"]["status"] == "not-found"
    assert found["dtu/empty"]["status"] == "empty"
    assert found["dtu/team-1"]["late_commits"] == (1 if when else 0)
    assert found["dtu/busy"]["notes"] == (["more than 29 commits came after the deadline"] if when else [])


def test_a_branch_that_does_not_exist_is_left_to_rest(fake: FakeGitHub, tmp_path: Path) -> None:
    add_group_repo(fake, "dtu/team-1", 1)
    groups = group_file(tmp_path, [(1, "dtu/team-1", STUDENTS)])
    assert scan(fake, tmp_path / "rest", str(groups), "--branch", "nope", api="rest").exit_code == 0
    fake.reset_counts()
    assert scan(fake, tmp_path / "graphql", str(groups), "--branch", "nope").exit_code == 0
    assert what(rows(tmp_path / "graphql")) == what(rows(tmp_path / "rest"))
    assert rows(tmp_path / "graphql")["dtu/team-1"]["status"] == "not-found"
    assert (fake.counts[GRAPHQL], fake.counts["dtu/team-1"]) == (1, 1)


def test_cold_300_repositories_in_at_most_20_requests_and_warm_in_1_per_25(fake: FakeGitHub, tmp_path: Path) -> None:
    names = [f"course/team-{n}" for n in range(1, 301)]
    for number, name in enumerate(names, start=1):
        add_group_repo(fake, name, number, after=number % 3, project=True)
    groups = group_file(tmp_path, [(n, name, STUDENTS) for n, name in enumerate(names, start=1)])
    out = tmp_path / "out"
    cold = scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z")
    assert cold.exit_code == 0, cold.output
    assert cold.stdout.splitlines()[-1] == "300 ready, 0 not passed, 0 unreachable"
    assert fake.total() <= 20
    # 3 heads queries of 100 and 6 detail queries of 50, which read the two small files of each with its tree.
    assert fake.total() == fake.counts[GRAPHQL] == 9
    assert all(len(row["result"]["checklist"]["items"]) == 6 for row in rows(out).values())
    first = rows(out)
    fake.reset_counts()
    warm = scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z")
    assert warm.exit_code == 0, warm.output
    assert fake.total() <= 300 / 25
    assert fake.total() == 3
    second = rows(out)
    assert all(row["cached"] for row in second.values())
    assert what(second) == what(first)


def test_warm_rescan_reads_only_what_changed(fake: FakeGitHub, tmp_path: Path) -> None:
    for number in range(1, 4):
        add_group_repo(fake, f"dtu/team-{number}", number)
    groups = group_file(tmp_path, [(n, f"dtu/team-{n}", STUDENTS) for n in range(1, 4)])
    out = tmp_path / "out"
    assert scan(fake, out, str(groups)).exit_code == 0
    fake.repos["dtu/team-2"].commit(DEADLINE, {"reports/README.md": report(2, serving="")})
    fake.reset_counts()
    assert scan(fake, out, str(groups)).exit_code == 0
    assert fake.counts[GRAPHQL] == 2
    assert fake.graphql_repos == {"dtu/team-1": 1, "dtu/team-2": 2, "dtu/team-3": 1}
    found = rows(out)
    assert (found["dtu/team-2"]["cached"], found["dtu/team-2"]["ready"]) == (False, False)
    assert found["dtu/team-1"]["cached"] is True


def test_one_failing_repository_does_not_cost_the_batch(fake: FakeGitHub, tmp_path: Path) -> None:
    for number in range(1, 5):
        add_group_repo(fake, f"dtu/team-{number}", number)
    fake.repos["dtu/team-2"].graphql_error = "FORBIDDEN"
    names = ["dtu/team-1", "dtu/team-2", "dtu/gone", "dtu/team-3", "dtu/team-4"]
    groups = group_file(tmp_path, [(n, name, STUDENTS) for n, name in enumerate(names, start=1)])
    out = tmp_path / "out"
    result = scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z")
    assert result.exit_code == 0, result.output
    found = {repo: (row["status"], row["reason"]) for repo, row in rows(out).items()}
    assert found["dtu/gone"] == ("not-found", "repository not found, or private and the token cannot read it")
    assert {found[n][0] for n in names if n != "dtu/gone"} == {"ok"}
    # The failing repository alone was read again over REST; the missing one is not asked about twice.
    assert {repo for repo in fake.counts if repo != GRAPHQL} == {"dtu/team-2"}
    assert fake.counts["dtu/team-2"] <= 4
    assert fake.counts[GRAPHQL] == 2
    # A row's `requests`: the batched queries it took part in, and its own REST requests.
    assert rows(out)["dtu/team-1"]["requests"] == 2
    assert rows(out)["dtu/team-2"]["requests"] == 1 + fake.counts["dtu/team-2"]


def test_an_answer_of_an_unexpected_shape_is_left_to_rest(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fakegraphql

    for number in range(1, 4):
        add_group_repo(fake, f"dtu/team-{number}", number, after=1)
    real = fakegraphql.execute

    def odd(server: FakeGitHub, body: dict[str, Any]) -> dict[str, Any]:
        answer = real(server, body)
        if "Details" in body["query"]:
            del answer["data"]["r1"]["head"]["listing"]["nodes"][0]["oid"]
        return answer

    monkeypatch.setattr(fakegraphql, "execute", odd)
    groups = group_file(tmp_path, [(n, f"dtu/team-{n}", STUDENTS) for n in range(1, 4)])
    out = tmp_path / "out"
    result = scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z")
    assert result.exit_code == 0, result.output
    assert {row["status"] for row in rows(out).values()} == {"ok"}
    assert {repo for repo in fake.counts if repo != GRAPHQL} == {"dtu/team-2"}
    assert fake.counts[GRAPHQL] == 2


def test_a_failed_batch_falls_back_to_rest(fake: FakeGitHub, tmp_path: Path) -> None:
    for number in range(1, 4):
        add_group_repo(fake, f"dtu/team-{number}", number, after=1)
    fake.graphql_faults.append(Fault("502", times=99))
    groups = group_file(tmp_path, [(n, f"dtu/team-{n}", STUDENTS) for n in range(1, 4)])
    out = tmp_path / "out"
    result = scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z")
    assert result.exit_code == 0, result.output
    assert {row["status"] for row in rows(out).values()} == {"ok"}
    assert fake.counts[GRAPHQL] == 2  # one try and one retry, then REST
    assert all(fake.counts[f"dtu/team-{n}"] <= 4 for n in range(1, 4))


def test_an_exhausted_rate_limit_on_graphql_is_waited_for(fake: FakeGitHub, tmp_path: Path) -> None:
    for number in range(1, 4):
        add_group_repo(fake, f"dtu/team-{number}", number)
    fake.graphql_faults.append(Fault("primary", times=1, seconds=1))
    groups = group_file(tmp_path, [(n, f"dtu/team-{n}", STUDENTS) for n in range(1, 4)])
    out = tmp_path / "out"
    result = scan(fake, out, str(groups), "--jobs", "2", "--max-wait", "10s")
    assert result.exit_code == 0, result.output
    assert "rate limit used up: waiting" in result.stderr
    assert {row["status"] for row in rows(out).values()} == {"ok"}


def test_recorded_heads_read_in_batches(fake: FakeGitHub, tmp_path: Path) -> None:
    repo = add_group_repo(fake, "dtu/heads", 4, before=2)
    add_group_repo(fake, "dtu/other", 5, after=2)
    groups = group_file(tmp_path, [(4, "dtu/heads", ()), (5, "dtu/other", ())])
    heads = tmp_path / "heads.jsonl"
    assert scan(fake, tmp_path / "rec", str(groups), "--record-heads", str(heads), api="rest").exit_code == 0
    repo.commit(DEADLINE - timedelta(hours=1), {"reports/README.md": report(4, serving="")})
    args = ("--heads", str(heads), "--deadline", "2031-01-24T12:00Z")
    assert scan(fake, tmp_path / "rest", str(groups), *args, api="rest").exit_code == 0
    fake.reset_counts()
    assert scan(fake, tmp_path / "graphql", str(groups), *args).exit_code == 0
    assert what(rows(tmp_path / "graphql")) == what(rows(tmp_path / "rest"))
    assert fake.total() == 2
    row = rows(tmp_path / "graphql")["dtu/heads"]
    assert (row["deadline_source"], row["late_commits"], row["ready"]) == ("heads", 1, True)


def test_record_heads_reads_100_heads_a_request(fake: FakeGitHub, tmp_path: Path) -> None:
    names = [f"dtu/team-{n}" for n in range(1, 121)]
    for number, name in enumerate(names, start=1):
        add_group_repo(fake, name, number)
    fake.add("dtu/empty")
    fake.repos["dtu/team-7"].graphql_error = "FORBIDDEN"
    names += ["dtu/empty", "dtu/gone"]
    groups = group_file(tmp_path, [(n, name, ()) for n, name in enumerate(names, start=1)])
    heads = tmp_path / "heads.jsonl"
    result = scan(fake, tmp_path / "rec", str(groups), "--record-heads", str(heads))
    assert result.exit_code == 1, result.output  # two repositories have no head to record
    assert fake.counts[GRAPHQL] == 2
    assert {repo for repo in fake.counts if repo != GRAPHQL} == {"dtu/team-7"}
    lines = {row["repo"]: row for row in map(json.loads, heads.read_text(encoding="utf-8").splitlines())}
    assert lines["dtu/team-7"]["sha"] == fake.repos["dtu/team-7"].commits[-1].sha
    assert lines["dtu/team-120"]["sha"] == fake.repos["dtu/team-120"].commits[-1].sha
    assert (lines["dtu/empty"]["status"], lines["dtu/gone"]["status"]) == ("empty", "not-found")
    assert sum(row["status"] == "ok" for row in lines.values()) == 120


def test_check_never_imports_the_scan_or_graphql() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from checker.cli import run; run(['check', '--help']); "
        "print(sorted(m for m in sys.modules if m.startswith(('graphql', 'github', 'checker.scan'))))"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(("layout", "reads"), [
    ("shallow", ["commits"]),  # the batched listing was the whole tree: REST takes it from the cache
    ("deep", ["commits", "tree"]),  # a folder below the listed levels: REST lists the tree itself
    ("heavy", ["commits", "tree"]),  # GitHub gave up on the whole tree: only the report's folder was listed
])
def test_rest_rescan_after_a_batched_one_reads_the_tree_only_when_the_listing_was_partial(
    fake: FakeGitHub, tmp_path: Path, layout: str, reads: list[str]
) -> None:
    repo = add_group_repo(fake, "dtu/team-1", 1, after=1)
    if layout == "deep":
        repo.commit(DEADLINE - timedelta(minutes=5), {"src/a/b/c/d/e/deep.py": "x = 1\n"})
    if layout == "heavy":
        repo.tree_timeout = 4
    groups = group_file(tmp_path, [(1, "dtu/team-1", STUDENTS)])
    out = tmp_path / "out"
    assert scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z").exit_code == 0
    batched = rows(out)
    cache = next((out / "cache").rglob("*.json"))
    entry = json.loads(cache.read_text(encoding="utf-8"))
    assert (entry["tree_scope"], entry["tree_depth"]) == {
        "shallow": (None, None), "deep": (None, 6), "heavy": ("reports", None)}[layout]
    fake.reset_counts()
    assert scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z", api="rest").exit_code == 0
    assert [kind for _, kind, _ in fake.log] == reads  # the report itself came from the cache
    assert what(rows(out)) == what(batched)
    entry = json.loads(cache.read_text(encoding="utf-8"))
    assert (entry["tree_scope"], entry["tree_depth"]) == (None, None)


@pytest.mark.parametrize(
    ("args", "token", "message"),
    [
        (["--api", "graphql"], None, "--api graphql needs a token"),
        (["--api", "graphql", "--deadline", "2031-01-24T12:00Z", "--push-times"], TOKEN, "use --api rest"),
    ],
)
def test_graphql_option_errors(
    fake: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    token: str | None,
    message: str,
) -> None:
    from checker.cli import run

    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    if token:
        monkeypatch.setenv("GITHUB_TOKEN", token)
    groups = group_file(tmp_path, [(1, "dtu/x", ())])
    assert run(["scan", str(groups), "--api-url", fake.url, "--out", str(tmp_path / "out"), *args]) == 2
    assert message in capsys.readouterr().err
    assert fake.total() == 0


def test_decidable_figure_paths() -> None:
    listed = {"reports": {"README.md": "blob", "figures": "tree", "x.png": "blob"}, "reports/figures": {"a": "tree"}}
    assert decidable("reports/x.png", listed)
    assert decidable("reports/missing.png", listed)
    assert decidable("reports/figures/b.png", listed)
    assert decidable("reports/x.png/y.png", listed)  # a path through a file is no file
    assert not decidable("reports/figures/a/c.png", listed)  # reports/figures/a was not listed
    assert not decidable("docs/flow.png", listed)


def test_graphql_url_sits_beside_the_rest_api() -> None:
    assert graphql_url("https://api.github.com") == "https://api.github.com/graphql"
    assert graphql_url("https://ghe.example.com/api/v3/") == "https://ghe.example.com/api/graphql"
    assert graphql_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080/graphql"
