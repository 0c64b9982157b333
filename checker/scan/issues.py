"""Read and write each group's issue over GitHub's REST API, one repository after another: `reportcheck notify`.

The requests go through the scan's own machinery: `GitHubSource` (PyGithub with the scan's retries, pacing and
token redaction; `writes=True` spaces writes by a second, as GitHub asks, and never sends a POST twice),
`GitHubSource.guard` (network and server errors as `FetchFailure`, a used-up rate limit as `RateLimited`) and
`run.Gate` (one visible wait for the reset, or a clean stop). A repository that will not take the issue (issues
disabled: 410; the token may not write: 403; it cannot see the repository: 404) is `Refused`: one line of the
summary, and the run goes on. `notify.decide` chooses each step; this module only reads and carries it out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, TypeVar

from checker.scan.github import GitHubSource
from checker.scan.notify import Issue, Step, decide, marked
from checker.scan.row import ScanRow
from checker.scan.run import Gate, Stopped
from checker.scan.settings import Connection
from checker.scan.snapshot import FetchFailure, Plan, RateLimited
from checker.wording import plural

from github.GithubException import (  # isort: skip
    BadCredentialsException,
    GithubException,
    RateLimitExceededException,
)

T = TypeVar("T")
PER_PAGE = 100
WHY_REFUSED = {
    410: "issues are disabled in this repository",
    403: "the token may not write issues here",
    404: "the token cannot see this repository",
    422: "GitHub refused the issue",
}


class Refused(Exception):
    """The repository does not take the issue: GitHub answered 403, 404, 410 or 422."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message

    @property
    def said(self) -> str:
        """Say why in a few words, with GitHub's status and message."""
        why = WHY_REFUSED.get(self.status, "GitHub refused")
        return f"{why} ({self.status}{': ' + self.message if self.message else ''})"


class IssueClient:
    """One repository's marked issue: find it, open it, change it, comment on it."""

    def __init__(self, connection: Connection, gate: Gate) -> None:
        self.source = GitHubSource(connection, Plan(), jobs=1, writes=True, clock=gate.clock)
        self.gate = gate
        self.redact = connection.redact

    def close(self) -> None:
        """Let go of the connection."""
        self.source.close()

    def call(self, action: Callable[[], T]) -> T:
        """Send one request: wait at the gate, turn refusals and failures into values, wait out a used-up limit."""
        while True:
            self.gate.pass_through()
            try:
                return self.source.guard(lambda: self._refusing(action))
            except RateLimited as limit:
                self.gate.limited(limit)

    def _refusing(self, action: Callable[[], T]) -> T:
        try:
            return action()
        except (RateLimitExceededException, BadCredentialsException):
            raise  # the guard's: wait for the reset, or stop the run
        except GithubException as exc:
            if exc.status in WHY_REFUSED:
                message = exc.data.get("message", "") if isinstance(exc.data, dict) else ""
                raise Refused(exc.status, self.redact(" ".join(str(message).split()))[:200]) from None
            raise

    def _request(self, method: str, repo: str, path: str, **kwargs: Any) -> tuple[dict[str, Any], Any]:
        """Send one request to the repository's issues API, under the client's own base URL."""
        repository = self.source.repo(repo)
        headers, data = repository.requester.requestJsonAndCheck(method, f"{repository.url}/issues{path}", **kwargs)
        return headers, data

    def find(self, repo: str) -> Issue | None:
        """Return the repository's marked issue, oldest first (a page of 100 issues a request), or None."""
        page = 0
        while True:
            page += 1
            headers, data = self.call(partial(self._page, repo, page))
            found = marked(item for item in (data if isinstance(data, list) else []) if isinstance(item, dict))
            if found is not None or 'rel="next"' not in str(headers.get("link", "")):
                return found

    def _page(self, repo: str, page: int) -> tuple[dict[str, Any], Any]:
        """Read one page of the repository's issues and pull requests, every state, oldest first."""
        parameters = {"state": "all", "sort": "created", "direction": "asc", "per_page": PER_PAGE, "page": page}
        return self._request("GET", repo, "", parameters=parameters)

    def carry_out(self, step: Step) -> Step:
        """Do the step: open, update or reopen the issue, or comment on it and close it; return it done."""
        if step.kind == "open":
            issue: dict[str, Any] = {"title": step.title, "body": step.body}
            if step.labels:
                issue["labels"] = list(step.labels)
            _, made = self.call(lambda: self._request("POST", step.repo, "", input=issue))
            return replace(step, issue=Issue.from_json(made)) if isinstance(made, dict) and "number" in made else step
        assert step.issue is not None, step
        number = f"/{step.issue.number}"
        if step.kind in ("update", "reopen"):
            change: dict[str, Any] = {"title": step.title, "body": step.body}
            if step.kind == "reopen":
                change.update(state="open", state_reason="reopened")
            if step.labels is not None:
                change["labels"] = list(step.labels)
            self.call(lambda: self._request("PATCH", step.repo, number, input=change))
        elif step.kind == "close":
            self.call(lambda: self._request("POST", step.repo, f"{number}/comments", input={"body": step.comment}))
            self.call(lambda: self._request("PATCH", step.repo, number,
                                            input={"state": "closed", "state_reason": "completed"}))
        return step


@dataclass
class Tally:
    """What a notify run did (or would do), and which repositories it could not write to."""

    done: dict[str, int] = field(default_factory=dict)  # by step kind
    refused: list[tuple[str, str]] = field(default_factory=list)  # (repository, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (repository, status: reason)
    stopped: str | None = None
    not_reached: int = 0

    def summary(self, *, sent: bool) -> list[str]:
        """Return the summary lines: the counts, then one line per repository that would not take its issue."""
        words = ({"open": "opened", "update": "updated", "reopen": "reopened", "close": "closed"} if sent else
                 {"open": "to open", "update": "to update", "reopen": "to reopen", "close": "to close"})
        words.update(unchanged="up to date", nothing="with nothing to do", skip="skipped")
        counts = [f"{self.done[kind]} {word}" for kind, word in words.items() if self.done.get(kind)]
        lines = [("notify: " if sent else "dry run: ") + (", ".join(counts) or "no repositories")
                 + ("" if sent else "; --send does it")]
        if self.refused:
            lines.append(f"not written: {plural(len(self.refused), 'repository', 'repositories')}")
            lines += [f"  {repo}: {why}" for repo, why in self.refused]
        if self.failed:
            lines.append(f"failed: {plural(len(self.failed), 'repository', 'repositories')} (run again to retry)")
            lines += [f"  {repo}: {why}" for repo, why in self.failed]
        if self.stopped:
            lines.append(f"stopped early: {plural(self.not_reached, 'repository', 'repositories')} not reached")
        return lines


def notify(
    rows: Iterable[ScanRow],
    client: IssueClient | None,
    *,
    send: bool,
    close_ready: bool,
    label: str | None,
    say: Callable[[str, str], None],
) -> Tally:
    """Decide and (with `send`) carry out each repository's step; `say(repo, what)` tells each one as it goes.

    Without a client (a dry run without a token) no issue is looked for, and the steps say so.
    """
    tally = Tally()
    todo = list(rows)
    for index, row in enumerate(todo):
        try:
            relevant = row.standing in ("ready", "not passed")  # an unread repository is skipped unasked
            found = client.find(row.repo) if client is not None and relevant else None
            step = decide(row, found, close_ready=close_ready, label=label, known=client is not None)
            if send and client is not None and step.kind in ("open", "update", "reopen", "close"):
                step = client.carry_out(step)
        except Refused as refusal:
            tally.refused.append((row.repo, refusal.said))
            say(row.repo, f"not written: {refusal.said}")
            continue
        except FetchFailure as failure:
            tally.failed.append((row.repo, f"{failure.status}: {failure.reason}"))
            say(row.repo, f"failed: {failure.status}: {failure.reason}")
            continue
        except Stopped as stop:
            tally.stopped, tally.not_reached = str(stop), len(todo) - index
            break
        tally.done[step.kind] = tally.done.get(step.kind, 0) + 1
        say(row.repo, step.said(done=send))
    return tally
