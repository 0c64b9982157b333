"""`reportcheck scan` run for real through PyGithub against the fake GitHub server."""

from __future__ import annotations

import csv
import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, Fault
from scanhelpers import COURSE, DATA, DEADLINE, FIGURE, TOKEN, add_group_repo, report

from checker.errors import CheckerError
from checker.scan.cli import run_scan as run_job
from checker.scan.cli import scan as scan_command
from checker.scan.cli import scan_job, unused

ROOT = Path(__file__).resolve().parents[2]
HEADER = "group nb,student 1,student 2,student 3,student 4,student 5,github_repo\n"
QUESTIONS = str(DATA / "scan-course.toml")


def group_file(tmp_path: Path, rows: Iterable[tuple[int, str, tuple[str, ...]]]) -> Path:
    """Write a course group file."""
    lines = [HEADER]
    for group, repo, students in rows:
        cells = [*students, *[""] * (5 - len(students))]
        lines.append(f"{group},{','.join(cells)},https://github.com/{repo}\n")
    path = tmp_path / "groups.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def invoke(fake: FakeGitHub, args: list[str], env: dict[str, str] | None = None,
           meanwhile: Callable[[], object] | None = None) -> Result:
    """Run `reportcheck scan ARGS` as the command line does, waiting on the fake server's clock.

    The options are parsed by the scan command itself into its ScanJob; only the job's clock is the test's,
    so every wait the scan asks for lands in `fake.clock.sleeps` and takes no time. `meanwhile` runs after the
    options are checked and before the scan: a change made while the scan runs.
    """

    @click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
    @click.pass_context
    def command(context: click.Context) -> None:
        options = scan_command.make_context("scan", list(context.args)).params
        try:
            job = scan_job(options)
            for line in unused(options):
                click.echo(f"reportcheck: {line}", err=True)
            if meanwhile is not None:
                meanwhile()
            code = run_job(replace(job, running=replace(job.running, clock=fake.clock)))
        except CheckerError as exc:
            click.echo(f"reportcheck: {exc}", err=True)
            code = 2
        raise SystemExit(code)

    return CliRunner().invoke(command, args, env=env or {"GITHUB_TOKEN": TOKEN})


def run_scan(fake: FakeGitHub, out: Path, *args: str, env: dict[str, str] | None = None,
             meanwhile: Callable[[], object] | None = None) -> Result:
    """Run the scan command against the fake server, as a teacher would."""
    options = ["--api-url", fake.url, "--api", "rest", "--out", str(out), "--set", QUESTIONS, "--rate", "0"]
    options += ["--timeout", "2"]
    return invoke(fake, [*options, *args], env, meanwhile)  # options given later win


def rows(out: Path) -> dict[str, dict[str, Any]]:
    """Read results.jsonl by repository."""
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return {row["repo"]: row for row in map(json.loads, lines)}


def all_output(result: Result, out: Path) -> str:
    """Everything the scan printed or wrote."""
    texts = [result.output, result.stderr]
    texts += [p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file() and "cache" not in p.parts]
    return "\n".join(texts)


def test_cold_scan_reads_each_repository_in_at_most_four_requests(
    fake: FakeGitHub, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("github", "urllib3", "reportcheck"):
        caplog.set_level(logging.DEBUG, logger=name)
    for number in range(1, 7):
        add_group_repo(fake, f"dtu/team-{number}", number, after=number % 3)
    groups = group_file(tmp_path, [(n, f"dtu/team-{n}", ("s200001", "s200002")) for n in range(1, 7)])
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), "--deadline", "2031-01-24T13:00+01:00")
    assert result.exit_code == 0, result.output
    found = rows(out)
    assert len(found) == 6
    assert all(r["status"] == "ok" and r["ready"] for r in found.values())
    assert max(fake.counts.values()) <= 4
    assert result.stdout.splitlines()[-1] == "6 ready, 0 not passed, 0 unreachable"
    # The token was sent, and never shown.
    assert fake.auth_headers == {f"token {TOKEN}"}
    assert TOKEN not in all_output(result, out)
    assert TOKEN not in caplog.text
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        summary = list(csv.DictReader(handle))
    assert [s["group"] for s in summary] == ["1", "2", "3", "4", "5", "6"]
    assert summary[0]["passed/total"] == "4/4"
    assert summary[0]["late commits"] == "1"


def test_warm_rerun_costs_one_request_per_unchanged_repository(fake: FakeGitHub, tmp_path: Path) -> None:
    for number in range(1, 5):
        add_group_repo(fake, f"dtu/team-{number}", number, after=number % 2)
    groups = group_file(tmp_path, [(n, f"dtu/team-{n}", ("s200001", "s200002")) for n in range(1, 5)])
    out = tmp_path / "out"
    first = run_scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z")
    assert first.exit_code == 0, first.output
    before = rows(out)
    fake.reset_counts()
    second = run_scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z")
    assert second.exit_code == 0, second.output
    assert set(fake.counts.values()) == {1}
    after = rows(out)
    for repo, row in after.items():
        assert row["cached"] is True
        for key in ("commit", "late_commits", "late_commits_total", "ready", "result"):
            assert row[key] == before[repo][key]


def test_deadline_picks_the_last_commit_before_it(fake: FakeGitHub, tmp_path: Path) -> None:
    repo = add_group_repo(fake, "dtu/late", 3, before=3, after=3)
    deadline_commit = repo.commits[3]
    assert deadline_commit.date <= DEADLINE < repo.commits[4].date
    groups = group_file(tmp_path, [(3, "dtu/late", ("s200001", "s200002"))])
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00:00Z")
    assert result.exit_code == 0, result.output
    row = rows(out)["dtu/late"]
    assert row["commit"] == deadline_commit.sha
    assert row["head"] == repo.commits[-1].sha
    assert row["commit_date"] == "2031-01-23T12:00:00Z"
    assert row["deadline_source"] == "commit-date"
    assert (row["late_commits"], row["late_commits_total"]) == (1, 3)
    assert row["ready"] is True  # the report after the deadline has question 3 emptied; not this one
    # until/since go out in UTC, whatever zone the deadline was given in.
    fake.reset_counts()
    run_scan(fake, tmp_path / "again", str(groups), "--deadline", "2031-01-24T13:00:00+01:00", "--no-cache")
    assert rows(tmp_path / "again")["dtu/late"]["commit"] == deadline_commit.sha


def test_without_deadline_the_head_is_checked(fake: FakeGitHub, tmp_path: Path) -> None:
    repo = add_group_repo(fake, "dtu/head", 3, after=1)
    groups = group_file(tmp_path, [(3, "dtu/head", ("s200001", "s200002"))])
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups))
    assert result.exit_code == 0, result.output
    row = rows(out)["dtu/head"]
    assert (row["commit"], row["deadline_source"], row["late_commits"]) == (repo.commits[-1].sha, "head", 0)
    assert row["ready"] is False  # the head has question 3 emptied
    assert fake.counts["dtu/head"] == 3


def test_more_commits_after_the_deadline_than_one_page(fake: FakeGitHub, tmp_path: Path) -> None:
    repo = add_group_repo(fake, "dtu/busy", 5, after=35)
    out = tmp_path / "out"
    groups = group_file(tmp_path, [(5, "dtu/busy", ("s200001", "s200002"))])
    result = run_scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z")
    assert result.exit_code == 0, result.output
    row = rows(out)["dtu/busy"]
    assert row["commit"] == repo.commits[2].sha
    assert row["late_commits"] == 1
    assert any("more than 29 commits" in note for note in row["notes"])


def test_faults_become_rows_and_the_scan_goes_on(fake: FakeGitHub, tmp_path: Path) -> None:
    flaky = add_group_repo(fake, "dtu/flaky", 1)
    flaky.faults.append(Fault("500", times=1, on="tree"))
    down = add_group_repo(fake, "dtu/down", 2)
    down.faults.append(Fault("502", times=99))
    limited = add_group_repo(fake, "dtu/limited", 3)
    limited.faults.append(Fault("secondary", times=1, on="blob"))
    fake.add("dtu/empty")
    hanging = add_group_repo(fake, "dtu/hanging", 5)
    hanging.faults.append(Fault("hang", times=99, seconds=5))
    moved = fake.add("dtu/moved")
    moved.commit(DEADLINE - timedelta(days=1), {"report/README.md": report(7), "report/" + FIGURE[8:]: b"png"})
    bare = fake.add("dtu/bare")
    bare.commit(DEADLINE - timedelta(days=1), {"README.md": "# nothing here\n"})
    names = ["flaky", "down", "limited", "missing", "empty", "hanging", "moved", "bare"]
    groups = group_file(tmp_path, [(i + 1, f"dtu/{n}", ()) for i, n in enumerate(names)])
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z", "--retries", "1")
    assert result.exit_code == 0, result.output
    found = {repo.split("/")[1]: (row["status"], row["reason"]) for repo, row in rows(out).items()}
    assert found["flaky"][0] == "ok"
    assert found["down"] == ("server-error", "GitHub answered 502 after retries")
    assert found["limited"][0] == "ok"
    assert found["missing"] == ("not-found", "repository not found, or private and the token cannot read it")
    assert found["empty"] == ("empty", "the repository is empty (no commits yet)")
    assert found["hanging"][0] == "timeout"
    assert found["moved"][0] == "ok"
    assert found["bare"][0] == "no-report"
    moved_row = rows(out)["dtu/moved"]
    assert moved_row["report_path"] == "report/README.md"
    assert "report-location" in {f["rule"] for f in moved_row["result"]["findings"]}
    assert result.stdout.splitlines()[-1] == "3 ready, 2 not passed, 3 unreachable"
    assert TOKEN not in all_output(result, out)


def test_exhausted_rate_limit_is_waited_for_visibly(fake: FakeGitHub, tmp_path: Path) -> None:
    for number in range(1, 4):
        add_group_repo(fake, f"dtu/team-{number}", number)
    fake.repos["dtu/team-2"].faults.append(Fault("primary", times=1, on="tree", seconds=1))
    groups = group_file(tmp_path, [(n, f"dtu/team-{n}", ()) for n in range(1, 4)])
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), "--jobs", "2", "--max-wait", "10s")
    assert result.exit_code == 0, result.output
    assert "rate limit used up: waiting" in result.stderr
    assert {row["status"] for row in rows(out).values()} == {"ok"}


def test_no_wait_stops_cleanly_and_resume_finishes(fake: FakeGitHub, tmp_path: Path) -> None:
    for number in range(1, 7):
        add_group_repo(fake, f"dtu/team-{number}", number)
    fake.repos["dtu/team-3"].faults.append(Fault("primary", times=1, on="tree", seconds=1))
    groups = group_file(tmp_path, [(n, f"dtu/team-{n}", ()) for n in range(1, 7)])
    out = tmp_path / "out"
    stopped = run_scan(fake, out, str(groups), "--jobs", "1", "--no-wait")
    assert stopped.exit_code == 1, stopped.output
    assert "--no-wait" in stopped.stderr and "--resume" in stopped.stderr
    assert "Traceback" not in stopped.output
    first = rows(out)
    assert first["dtu/team-3"]["status"] == "rate-limited"
    assert [first[f"dtu/team-{n}"]["status"] for n in (1, 2)] == ["ok", "ok"]
    assert stopped.stdout.splitlines()[-1] == "2 ready, 0 not passed, 1 unreachable, 3 not scanned"
    fake.exhausted_until = 0
    fake.reset_counts()
    resumed = run_scan(fake, out, str(groups), "--jobs", "1", "--resume")
    assert resumed.exit_code == 0, resumed.output
    assert set(fake.counts) == {"dtu/team-3", "dtu/team-4", "dtu/team-5", "dtu/team-6"}
    assert {row["status"] for row in rows(out).values()} == {"ok"}
    assert resumed.stdout.splitlines()[-1] == "6 ready, 0 not passed, 0 unreachable"


def test_group_cross_checks_and_feedback(fake: FakeGitHub, tmp_path: Path) -> None:
    add_group_repo(fake, "dtu/wrong-number", 13, students=("s200001", "s200002"))
    add_group_repo(fake, "dtu/wrong-ids", 14, students=("s200001", "s299999"))
    groups = group_file(
        tmp_path, [(12, "dtu/wrong-number", ("s200001", "s200002")), (14, "dtu/wrong-ids", ("s200001", "s200002"))]
    )
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), "--feedback")
    assert result.exit_code == 0, result.output
    found = rows(out)
    number = found["dtu/wrong-number"]
    assert number["ready"] is False
    assert [(f["rule"], f["question"], f["severity"]) for f in number["result"]["findings"]] == [
        ("group-number-mismatch", 1, "error")
    ]
    ids = [(f["rule"], f["severity"], f["message"]) for f in found["dtu/wrong-ids"]["result"]["findings"]]
    assert ids == [
        ("student-ids-mismatch", "error", "question 2 leaves out s200002, registered in group 14"),
        ("student-ids-unregistered", "warning", "question 2 lists s299999, not registered in group 14"),
    ]
    text = (out / "feedback" / "group-12.md").read_text(encoding="utf-8")
    assert text.startswith("# Exam report check: group 12\n")
    assert "not ready to hand in yet" in text
    assert (
        "- Question 1, line 7: Question 1 gives group 13, but the course's group list has this repository as "
        "group 12. Fix: Answer question 1 with 12, the number in the course's group list." in text
    )
    assert (out / "feedback" / "group-14.md").is_file()


def test_progress_counts_and_the_deadline_in_the_zone_it_was_given_in(fake: FakeGitHub, tmp_path: Path) -> None:
    add_group_repo(fake, "dtu/one-each", 3, students=("s200001", "s299999"))
    groups = group_file(tmp_path, [(2, "dtu/one-each", ("s200001", "s299999"))])
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), "--feedback", "--deadline", "2031-01-24T13:30+01:00")
    assert result.exit_code == 0, result.output
    assert "[1/1] dtu/one-each: not ready (1 error, 0 warnings)" in result.stderr.splitlines()
    text = (out / "feedback" / "group-2.md").read_text(encoding="utf-8")
    assert "at or before the deadline, 2031-01-24 13:30 +01:00 (2031-01-24T12:30:00Z))." in text
    assert "1 error and 0 warnings." in text
    assert rows(out)["dtu/one-each"]["deadline"] == "2031-01-24T12:30:00Z"


def test_questions_csv_gives_each_questions_status_and_words(fake: FakeGitHub, tmp_path: Path) -> None:
    add_group_repo(fake, "dtu/good", 1)
    short = fake.add("dtu/short")
    short.commit(DEADLINE - timedelta(days=1), {"reports/README.md": report(2, serving=""), FIGURE: b"png"})
    groups = group_file(tmp_path, [(1, "dtu/good", ()), (2, "dtu/short", ()), (3, "dtu/gone", ())])
    out = tmp_path / "out"
    assert run_scan(fake, out, str(groups)).exit_code == 0
    with (out / "questions.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == ["group", "repo", "status", "Q1", "Q1 words", "Q2", "Q2 words", "Q3", "Q3 words", "Q4",
                        "Q4 words"]
    good, bad, gone = table[1:]
    assert good[:3] == ["1", "dtu/good", "ok"] and good[3::2] == ["pass"] * 4
    assert bad[:3] == ["2", "dtu/short", "ok"] and bad[7:9] == ["unanswered", "0"]
    assert bad[4] == "1"  # question 1 holds one word, the group number
    assert gone == ["3", "dtu/gone", "not-found", *[""] * 8]


def test_recorded_heads_are_checked_even_after_new_pushes(fake: FakeGitHub, tmp_path: Path) -> None:
    repo = add_group_repo(fake, "dtu/heads", 4, before=2)
    groups = group_file(tmp_path, [(4, "dtu/heads", ())])
    heads = tmp_path / "heads.jsonl"
    recorded = run_scan(fake, tmp_path / "rec", str(groups), "--record-heads", str(heads))
    assert recorded.exit_code == 0, recorded.output
    assert fake.counts["dtu/heads"] == 1
    line = json.loads(heads.read_text(encoding="utf-8"))
    assert (line["repo"], line["sha"], line["status"]) == ("dtu/heads", repo.commits[-1].sha, "ok")
    # A commit dated before the deadline, pushed after it: only the recorded head is trustworthy.
    repo.commit(DEADLINE - timedelta(hours=1), {"reports/README.md": report(4, serving="")})
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), "--heads", str(heads), "--deadline", "2031-01-24T12:00Z")
    assert result.exit_code == 0, result.output
    row = rows(out)["dtu/heads"]
    assert (row["commit"], row["deadline_source"], row["recorded_at"]) == (line["sha"], "heads", line["read_at"])
    assert (row["late_commits"], row["late_commits_total"], row["ready"]) == (1, 1, True)


def test_push_times_catch_a_backdated_commit_and_force_push(fake: FakeGitHub, tmp_path: Path) -> None:
    repo = add_group_repo(fake, "dtu/pushy", 6, before=2)
    honest = repo.commits[-1].sha
    repo.commit(DEADLINE - timedelta(minutes=30), {"reports/README.md": report(6, serving="")})
    repo.push(DEADLINE + timedelta(hours=2), force=True)
    silent = add_group_repo(fake, "dtu/silent", 7)
    silent.activity = None  # the endpoint answers 404 here
    groups = group_file(tmp_path, [(6, "dtu/pushy", ()), (7, "dtu/silent", ())])
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), "--deadline", "2031-01-24T12:00Z", "--push-times")
    assert result.exit_code == 0, result.output
    row = rows(out)["dtu/pushy"]
    assert (row["commit"], row["deadline_source"], row["ready"]) == (honest, "push-time", True)
    assert row["branch"] == "main"
    assert any(note.startswith("force-pushed after the deadline") for note in row["notes"])
    assert any("was pushed after it" in note for note in row["notes"])
    assert fake.counts["dtu/pushy"] <= 5
    quiet = rows(out)["dtu/silent"]
    assert quiet["deadline_source"] == "commit-date"
    assert any(note.startswith("push times unavailable") for note in quiet["notes"])


def test_large_report_is_read_through_the_blob_api(fake: FakeGitHub, tmp_path: Path) -> None:
    repo = fake.add("dtu/big")
    padding = "\n<!-- " + "x" * (1_200_000) + " -->\n"
    repo.commit(DEADLINE - timedelta(days=1), {"reports/README.md": report(9) + padding, FIGURE: b"png"})
    out = tmp_path / "out"
    result = run_scan(fake, out, str(group_file(tmp_path, [(9, "dtu/big", ())])))
    assert result.exit_code == 0, result.output
    assert rows(out)["dtu/big"]["ready"] is True
    assert [kind for _, kind, _ in fake.log] == ["commits", "tree", "blob"]


def test_org_listing(fake: FakeGitHub, tmp_path: Path) -> None:
    add_group_repo(fake, "course-org/mlops-team-1", 1)
    add_group_repo(fake, "course-org/mlops-team-2", 2)
    fake.orgs["course-org"] = ["course-org/mlops-team-1", "course-org/mlops-team-2", "course-org/handbook"]
    out = tmp_path / "out"
    result = run_scan(fake, out, "--org", "course-org", "--match", r"^mlops-team-\d+$")
    assert result.exit_code == 0, result.output
    assert sorted(rows(out)) == ["course-org/mlops-team-1", "course-org/mlops-team-2"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--deadline", "2031-01-24T12:00"], "has no zone"),
        (["--deadline", "friday"], "is not an ISO 8601 time"),
        (["--max-wait", "soon"], "is not a duration"),
        (["--push-times"], "--push-times needs --deadline"),
        (["--set", "no-such-set"], "unknown question set"),
        (["--heads", "absent.jsonl"], "cannot read the recorded heads"),
    ],
)
def test_bad_options_are_one_line_errors(fake: FakeGitHub, tmp_path: Path, args: list[str], message: str) -> None:
    groups = group_file(tmp_path, [(1, "dtu/x", ())])
    from checker.cli import run

    code = run(["scan", str(groups), "--api-url", fake.url, "--out", str(tmp_path / "out"), *args])
    assert code == 2
    assert fake.counts == {}


def test_bad_options_message(fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from checker.cli import run

    code = run(["scan", str(tmp_path / "absent.csv"), "--api-url", fake.url])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("reportcheck: ") and "cannot read the list of repositories" in err
    assert len(err.strip().splitlines()) == 1


def test_course_set_is_our_own() -> None:
    assert COURSE.id == "scan-course"


def test_check_never_imports_pygithub() -> None:
    code = (
        "import sys; from checker.cli import run; run(['--help']); run(['check', '--help']); "
        "print(sorted(m for m in sys.modules if m == 'github' or m.startswith(('github.', 'requests'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_scan_html_writes_the_dashboard_and_each_report(fake: FakeGitHub, tmp_path: Path) -> None:
    for number in (1, 2):
        add_group_repo(fake, f"dtu/team-{number}", number)
    groups = group_file(tmp_path, [(n, f"dtu/team-{n}", ("s200001", "s200002")) for n in (1, 2)])
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), "--html")
    assert result.exit_code == 0, result.output
    page = (out / "dashboard.html").read_text(encoding="utf-8")
    assert "dtu/team-1" in page and "dtu/team-2" in page
    for number in (1, 2):
        rendered = (out / "reports" / f"dtu__team-{number}.html").read_text(encoding="utf-8")
        assert "Question 1" in rendered
    assert TOKEN not in all_output(result, out)
