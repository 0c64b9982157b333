"""`reportcheck notify` through PyGithub against the fake GitHub's issues endpoints, after a real scan."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner, Result
from fakegithub import FakeGitHub, FakeRepo, Fault
from scanhelpers import DEADLINE, FIGURE, TOKEN, report
from test_scan_github import group_file, run_scan

from checker.cli import main
from checker.scan.feedback import render
from checker.scan.notify import MARKER, Issue, decide
from checker.scan.row import ScanRow
from checker.scan.store import ResultsFile

STUDENTS = {1: ("s200001", "s200002"), 2: ("s200003", "s200004"), 4: ("s200007",), 5: ("s200008",),
            6: ("s200009",)}
AT = "2031-01-24T12:00Z"


def commit(repo: FakeRepo, group: int, hours_before: int, *, says: int | None = None, **answers: Any) -> None:
    """Commit the group's report (with the figure) `hours_before` the deadline; it `says` another group number."""
    text = report(group if says is None else says, STUDENTS[group], **answers)
    repo.commit(DEADLINE - timedelta(hours=hours_before), {FIGURE: b"\x89PNG fake", "reports/README.md": text})


def course(fake: FakeGitHub, tmp_path: Path, groups: tuple[int, ...] = (1, 2)) -> Path:
    """Group 1 ready, every other group with question 3 unanswered, and group 3 a repository that is gone."""
    for group in groups:
        commit(fake.add(f"dtu/team-{group}"), group, 48, **({} if group == 1 else {"serving": ""}))
    rows = [(g, f"dtu/team-{g}", STUDENTS[g]) for g in groups] + [(3, "dtu/gone", ("s200005",))]
    return group_file(tmp_path, sorted(rows))


def scan(fake: FakeGitHub, tmp_path: Path, groups: Path) -> Path:
    """Scan the course as of the deadline into tmp_path/out."""
    out = tmp_path / "out"
    done = run_scan(fake, out, str(groups), "--deadline", AT)
    assert done.exit_code == 0, done.output
    return out


def notify(fake: FakeGitHub, out: Path, *args: str, token: str | None = TOKEN) -> Result:
    """Run `reportcheck notify` against the fake server."""
    options = ["--api-url", fake.url, "--rate", "0", "--timeout", "2", "--backoff", "0.01"]
    env = {"GITHUB_TOKEN": token, "GH_TOKEN": None}
    return CliRunner().invoke(main, ["notify", str(out), *options, *args], env=env)


def marked(repo: FakeRepo) -> list[dict[str, Any]]:
    """Return the repository's issues that carry the marker."""
    return [i for i in repo.issues.items if "pull_request" not in i and MARKER in (i["body"] or "")]


def row_of(out: Path, repo: str) -> ScanRow:
    """Return one repository's row of the saved scan."""
    return ResultsFile(out / "results.jsonl").load()[repo]


def test_dry_run_without_a_token_says_what_it_would_do_and_sends_nothing(fake: FakeGitHub, tmp_path: Path) -> None:
    out = scan(fake, tmp_path, course(fake, tmp_path))
    fake.reset_counts()
    done = notify(fake, out, token=None)
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines() == [
        "dtu/team-1: nothing to do: ready",
        "dtu/team-2: would open an issue, or update it",
        "dtu/gone: skipped: the scan could not read it (not-found)",
        "dry run: 1 to open, 1 with nothing to do, 1 skipped; --send does it",
    ]
    assert "no token" in done.stderr
    assert fake.total() == 0


def test_dry_run_with_a_token_reads_the_issues_and_writes_nothing(fake: FakeGitHub, tmp_path: Path) -> None:
    out = scan(fake, tmp_path, course(fake, tmp_path, (1, 2, 4)))
    fake.repos["dtu/team-4"].issues.add("An older notice", f"{MARKER}\nold text", user="course-bot")
    fake.reset_counts()
    done = notify(fake, out, "--close-ready")
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines() == [
        "dtu/team-1: nothing to do: ready, and no open issue",
        "dtu/team-2: would open an issue",
        "dtu/gone: skipped: the scan could not read it (not-found)",
        "dtu/team-4: would update issue #1",
        "dry run: 1 to open, 1 to update, 1 with nothing to do, 1 skipped; --send does it",
    ]
    assert {kind for _, kind, _ in fake.log} == {"issues"}  # listings only
    assert all(not repo.issues.writes for repo in fake.repos.values())


def test_send_opens_one_issue_and_updates_it_never_a_second(
    fake: FakeGitHub, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("github", "urllib3", "reportcheck"):
        caplog.set_level(logging.DEBUG, logger=name)
    groups = course(fake, tmp_path)
    team = fake.repos["dtu/team-2"]
    team.issues.add("Where is the dataset?", "A question of a student, with no marker.")
    team.issues.add("Add tests", f"A pull request quoting {MARKER}", pull_request=True)
    out = scan(fake, tmp_path, groups)
    sent = notify(fake, out, "--send", "--label", "exam report")
    assert sent.exit_code == 0, sent.output
    assert sent.stdout.splitlines() == [
        "dtu/team-1: nothing to do: ready, and no open issue",
        "dtu/team-2: opened issue #3",
        "dtu/gone: skipped: the scan could not read it (not-found)",
        "notify: 1 opened, 1 with nothing to do, 1 skipped",
    ]
    (issue,) = marked(team)
    row = row_of(out, "dtu/team-2")
    assert issue["number"] == 3 and issue["state"] == "open"
    assert issue["title"] == "Exam report not ready yet: 3/4 questions pass, 1 error"
    assert [label["name"] for label in issue["labels"]] == ["exam report"]
    assert issue["user"]["login"] == "course-bot"
    body = issue["body"]
    assert body.startswith(f"{MARKER}\n**Questions that do not pass yet:** 3 (")
    assert render(row, titled=False).rstrip("\n") in body  # the feedback file's findings and fixes, word for word
    assert "Fix: Replace `--- question 3 fill here ---` with your answer." in body
    assert f"commit `{row.commit[:12]}`" in body and "2031-01-24T12:00:00Z" in body  # type: ignore[index]
    assert not marked(fake.repos["dtu/team-1"])
    # The token went to GitHub and nowhere else.
    assert fake.auth_headers == {f"token {TOKEN}"}
    assert TOKEN not in sent.output + sent.stderr + caplog.text

    again = notify(fake, out, "--send", "--label", "exam report")
    assert again.stdout.splitlines()[1] == "dtu/team-2: issue #3 is up to date"
    assert len(team.issues.writes) == 1

    # A later scan finds more wrong: the same issue says so.
    commit(team, 2, 24, serving="", says=9)
    out = scan(fake, tmp_path, groups)
    updated = notify(fake, out, "--send", "--label", "exam report")
    assert updated.stdout.splitlines()[1] == "dtu/team-2: updated issue #3"
    (issue,) = marked(team)
    assert issue["title"] == "Exam report not ready yet: 2/4 questions pass, 2 errors"
    assert "gives group 9" in issue["body"]
    assert len([i for i in team.issues.items if "pull_request" not in i]) == 2  # the student's and ours
    method, path, change = team.issues.writes[-1]
    assert (method, path) == ("PATCH", "/repos/dtu/team-2/issues/3")
    assert "labels" not in change  # the label is there: nobody's labels are touched


def test_a_ready_group_gets_its_issue_closed_with_a_comment_and_a_relapse_reopens_it(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    groups = course(fake, tmp_path)
    team = fake.repos["dtu/team-2"]
    assert notify(fake, scan(fake, tmp_path, groups), "--send").exit_code == 0
    commit(team, 2, 24)  # fixed
    out = scan(fake, tmp_path, groups)
    kept = notify(fake, out, "--send")
    assert kept.stdout.splitlines()[1] == "dtu/team-2: nothing to do: ready; issue #1 stays open (--close-ready)"
    closed = notify(fake, out, "--send", "--close-ready")
    assert closed.stdout.splitlines()[1] == "dtu/team-2: closed issue #1"
    (issue,) = marked(team)
    assert (issue["state"], issue["state_reason"]) == ("closed", "completed")
    (comment,) = team.issues.comments[1]
    assert comment["body"].startswith("Your report is ready to hand in at commit `")
    assert "(deadline 2031-01-24T12:00:00Z): 4 of 4 questions pass" in comment["body"]
    assert [(m, p) for m, p, _ in team.issues.writes[-2:]] == [
        ("POST", "/repos/dtu/team-2/issues/1/comments"), ("PATCH", "/repos/dtu/team-2/issues/1")]
    assert notify(fake, out, "--send", "--close-ready").stdout.splitlines()[1] == (
        "dtu/team-2: nothing to do: ready, and no open issue")

    commit(team, 2, 12, serving="")  # broken again before the deadline
    reopened = notify(fake, scan(fake, tmp_path, groups), "--send", "--close-ready")
    assert reopened.stdout.splitlines()[1] == "dtu/team-2: reopened issue #1"
    (issue,) = marked(team)
    assert (issue["number"], issue["state"], issue["state_reason"]) == (1, "open", "reopened")


def test_disabled_issues_and_missing_permission_are_one_line_each_and_the_run_goes_on(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    out = scan(fake, tmp_path, course(fake, tmp_path, (1, 2, 4, 5, 6)))
    fake.repos["dtu/team-2"].issues.enabled = False
    fake.repos["dtu/team-4"].issues.access = "read"
    fake.repos["dtu/team-5"].issues.access = "none"
    done = notify(fake, out, "--send")
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert "dtu/team-6: opened issue #1" in lines
    assert lines[-5:] == [
        "notify: 1 opened, 1 with nothing to do, 1 skipped",
        "not written: 3 repositories",
        "  dtu/team-2: issues are disabled in this repository (410: Issues are disabled for this repo)",
        "  dtu/team-4: the token may not write issues here (403: Resource not accessible by personal access token)",
        "  dtu/team-5: the token cannot see this repository (404: Not Found)",
    ]
    assert marked(fake.repos["dtu/team-6"])


def test_a_used_up_rate_limit_is_waited_for_visibly(fake: FakeGitHub, tmp_path: Path) -> None:
    out = scan(fake, tmp_path, course(fake, tmp_path, (1, 2, 4)))
    fake.repos["dtu/team-2"].faults.append(Fault("primary", on="issues", seconds=1))
    done = notify(fake, out, "--send", "--max-wait", "30s")
    assert done.exit_code == 0, done.output
    assert "GitHub API rate limit used up: waiting" in done.stderr
    assert len(marked(fake.repos["dtu/team-2"])) == len(marked(fake.repos["dtu/team-4"])) == 1


def test_no_wait_stops_cleanly_and_says_how_many_were_not_reached(fake: FakeGitHub, tmp_path: Path) -> None:
    out = scan(fake, tmp_path, course(fake, tmp_path, (1, 2, 4)))
    fake.repos["dtu/team-2"].faults.append(Fault("primary", on="issues", seconds=600))
    done = notify(fake, out, "--send", "--no-wait")
    assert done.exit_code == 1, done.output
    assert "--no-wait" in done.stderr and "Traceback" not in done.output
    assert done.stdout.splitlines()[-2:] == [
        "notify: 1 with nothing to do", "stopped early: 3 repositories not reached"]
    assert TOKEN not in done.output + done.stderr


def test_a_create_is_never_sent_twice_and_a_secondary_limit_on_it_is_waited_out(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    out = scan(fake, tmp_path, course(fake, tmp_path, (1, 2, 4)))
    fake.repos["dtu/team-2"].faults.append(Fault("500", on="issue-write"))
    fake.repos["dtu/team-4"].faults.append(Fault("secondary", on="issue-write", retry_after=0))
    done = notify(fake, out, "--send")
    assert done.exit_code == 0, done.output
    assert "dtu/team-2: failed: server-error: GitHub answered 500 after retries" in done.stdout
    assert [k for r, k, _ in fake.log if r == "dtu/team-2"].count("POST issues") == 1  # not retried
    assert "dtu/team-4: opened issue #1" in done.stdout  # after the wait GitHub asked for
    assert "rate limit" in done.stderr
    assert len(marked(fake.repos["dtu/team-4"])) == 1
    again = notify(fake, out, "--send")  # the next run makes the one that failed
    assert "dtu/team-2: opened issue #1" in again.stdout
    assert len(marked(fake.repos["dtu/team-2"])) == 1


def test_the_marked_issue_is_found_on_a_later_page(fake: FakeGitHub, tmp_path: Path) -> None:
    out = scan(fake, tmp_path, course(fake, tmp_path))
    team = fake.repos["dtu/team-2"]
    for number in range(150):
        team.issues.add(f"Question {number}", "Nothing to do with the report.")
    assert notify(fake, out, "--send").stdout.splitlines()[1] == "dtu/team-2: opened issue #151"
    fake.reset_counts()
    assert notify(fake, out, "--send").stdout.splitlines()[1] == "dtu/team-2: issue #151 is up to date"
    pages = [query for repo, kind, query in fake.log if repo == "dtu/team-2"]
    assert [q.split("&page=")[1].split("&")[0] for q in pages] == ["1", "2"]
    assert "direction=asc" in pages[0] and "per_page=100" in pages[0] and "state=all" in pages[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--send"], "--send needs a token"),
        (["--label", "a,b"], "--label: 'a,b' is not a label name"),
        (["--max-wait", "soon"], "--max-wait: 'soon' is not a duration"),
    ],
)
def test_bad_options_are_one_line_errors(
    tmp_path: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from checker.cli import run

    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.jsonl").write_text('{"repo": "dtu/team-1", "status": "ok", "ready": true}\n')
    assert run(["notify", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_the_fake_answers_as_github_documents(fake: FakeGitHub) -> None:
    fake.add("dtu/team-1")
    base = f"{fake.url}/repos/dtu/team-1/issues"
    auth = {"Authorization": f"token {TOKEN}"}
    anonymous = requests.post(base, json={"title": "x"}, timeout=5)
    assert (anonymous.status_code, anonymous.json()["message"]) == (401, "Requires authentication")
    missing = requests.post(base, json={"body": "no title"}, headers=auth, timeout=5)
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"resource": "Issue", "code": "missing_field", "field": "title"}]
    assert requests.post(base, data="{not json", headers=auth, timeout=5).status_code == 400
    made = requests.post(base, json={"title": "x", "labels": ["a"]}, headers=auth, timeout=5)
    assert made.status_code == 201 and made.headers["Location"].endswith("/issues/1")
    assert made.headers["X-RateLimit-Resource"] == "core" and int(made.headers["X-RateLimit-Remaining"]) < 5000
    wrong = requests.patch(f"{base}/1", json={"state": "shut"}, headers=auth, timeout=5)
    assert (wrong.status_code, wrong.json()["errors"][0]["field"]) == (422, "state")
    assert requests.patch(f"{base}/9", json={"state": "closed"}, headers=auth, timeout=5).status_code == 404
    listing = requests.get(base, params={"state": "all", "per_page": 1}, timeout=5)
    assert listing.status_code == 200 and listing.headers.get("Link") is None
    assert requests.get(base, params={"state": "any"}, timeout=5).status_code == 422


def row(status: str = "ok", ready: bool | None = False) -> ScanRow:
    """Return a checked row (or one with another status) of group 2."""
    checked = status == "ok"
    return ScanRow("dtu/team-2", 2, ("s200003",), status=status, ready=ready if checked else None,
                   passed=3 if checked else None, total=4 if checked else None, errors=1 if checked else None)


@pytest.mark.parametrize(
    ("scanned", "found", "close_ready", "kind"),
    [
        (row(), None, False, "open"),
        (row(), Issue(4, "open", "old", "old"), False, "update"),
        (row(), Issue(4, "closed", "old", "old"), False, "reopen"),
        (row(ready=True), Issue(4, "open", "t", "b"), False, "nothing"),
        (row(ready=True), Issue(4, "open", "t", "b"), True, "close"),
        (row(ready=True), Issue(4, "closed", "t", "b"), True, "nothing"),
        (row(ready=True), None, True, "nothing"),
        (row("no-report"), None, True, "open"),
        (row("timeout"), Issue(4, "open", "t", "b"), True, "skip"),
    ],
)
def test_decide(scanned: ScanRow, found: Issue | None, close_ready: bool, kind: str) -> None:
    assert decide(scanned, found, close_ready=close_ready).kind == kind


def test_decide_leaves_an_unchanged_issue_alone_and_adds_a_missing_label() -> None:
    wanted = decide(row(), None, label="report")
    same = Issue(4, "open", wanted.title, wanted.body.replace("\n", "\r\n"), ("report",))
    assert decide(row(), same, label="report").kind == "unchanged"
    unlabelled = decide(row(), Issue(4, "open", wanted.title, wanted.body, ("help wanted",)), label="report")
    assert (unlabelled.kind, unlabelled.labels) == ("update", ("help wanted", "report"))
    assert decide(row("no-report"), None).title == "Exam report not ready yet: no report found"
