"""Read each repository's report at the deadline over the GitHub REST API with PyGithub.

A first read costs at most four requests per repository:

1. the default branch's recent commits (`GET /commits`, no `sha`: GitHub then lists the default branch, which
   spares the `GET /repos/{owner}/{repo}` a branch name would cost). The first one is the head; the deadline
   commit is the first one committed at or before the deadline, and the ones listed above it came after it;
2. only when commits came after the chosen one: those of them that touched `reports/` (`GET /commits?path=`);
3. the tree of the chosen commit (`GET /git/trees/{sha}?recursive=1`), for figure links and to find a report
   that is not at `reports/README.md`;
4. the report itself through the git blob API (`GET /git/blobs/{sha}`): the tree already gives its blob sha,
   and unlike the contents API (which answers `encoding: none` above 1 MB) it returns any size.

Trees and reports are cached by repository and commit sha, so reading an unchanged repository again costs the
first request only. `--push-times` adds one request: the repository activity endpoint.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from checker.errors import CheckerError
from checker.scan.snapshot import (
    FetchFailure,
    Plan,
    RateLimited,
    Snapshot,
    utc_text,
)
from checker.scan.store import Cache, CachedCommit

# Imported here, not at the package's top: only `reportcheck scan` loads PyGithub.
from github import Auth, Github, GithubException, GithubRetry  # isort: skip
from github.Commit import Commit  # isort: skip
from github.GithubException import (  # isort: skip
    BadCredentialsException,
    RateLimitExceededException,
    UnknownObjectException,
)
from github.PaginatedList import PaginatedList  # isort: skip
from github.Repository import Repository  # isort: skip

import requests  # isort: skip

DEFAULT_API_URL = "https://api.github.com"
LISTING = 30  # commits read in request 1 when a deadline is set: more than any group pushes after it
# GitHub's secondary limit allows about 900 points a minute on REST (a GET is one point), 15 a second; stay
# well below it by default so that a scan of 130 repositories never meets it.
DEFAULT_RATE = 10.0
T = TypeVar("T")
log = logging.getLogger("reportcheck.scan")


class ScanRetry(GithubRetry):
    """PyGithub's retry, except that an exhausted primary rate limit is handed to the scan at once.

    GithubRetry would sleep silently until the limit resets, up to an hour; the scan instead says that it
    waits and for how long (or stops, with --no-wait), and makes every worker wait together.
    """

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> Any:
        """Raise RateLimitExceededException for a used-up primary limit; retry everything else as PyGithub."""
        if (
            response is not None
            and response.status in (403, 429)
            and "Retry-After" not in response.headers
            and response.headers.get("X-RateLimit-Remaining") == "0"
        ):
            raise RateLimitExceededException(
                response.status, {"message": "API rate limit exceeded"}, dict(response.headers)
            )
        return super().increment(method, url, response, error, _pool, _stacktrace)


class Redactor(logging.Filter):
    """Replace the token in every log record, whichever library wrote it."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the record's message with the token blanked out."""
        if self.secret:
            message = record.getMessage()
            if self.secret in message:
                record.msg, record.args = message.replace(self.secret, "***"), None
        return True


def redact(text: str, secret: str | None) -> str:
    """Blank out the token in a text meant for output."""
    return text.replace(secret, "***") if secret else text


class GitHubSource:
    """Read snapshots of repositories; one PyGithub client per worker thread, all sharing one request rate."""

    def __init__(
        self,
        *,
        token: str | None,
        api_url: str = DEFAULT_API_URL,
        jobs: int = 8,
        rate: float = DEFAULT_RATE,
        timeout: int = 30,
        retries: int = 4,
        backoff: float = 2.0,
        secondary_wait: float = 60.0,
        cache: Cache | None = None,
    ) -> None:
        self.token = token or None
        self.api_url = api_url.rstrip("/")
        self.cache = cache or Cache(None)
        self._local = threading.local()
        self._clients: list[Github] = []
        self._lock = threading.Lock()
        self._timeout = timeout
        # PyGithub spaces requests per client (0.25 s by default, from the end of one request to the start of
        # the next). A client is not thread-safe (its connection object holds the pending request), so each
        # worker has its own, and each spaces its requests by jobs / rate: together they stay under `rate`
        # requests a second, below GitHub's secondary limit. rate 0 switches the spacing off (tests, benches).
        self._spacing = jobs / rate if rate > 0 else None
        # Retries: connection errors, read timeouts and 5xx with exponential backoff (backoff * 2^n seconds,
        # at most 30 s), 429 and 403 secondary limits after Retry-After or `secondary_wait` as GitHub asks;
        # raise_on_status=False hands the last 5xx to PyGithub, which raises it with its status.
        self._retry = ScanRetry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            backoff_factor=backoff,
            backoff_max=30.0,
            status_forcelist=[429, *range(500, 600)],
            raise_on_status=False,
            respect_retry_after_header=True,
            secondary_rate_wait=secondary_wait,
            max_rate_limit_wait=secondary_wait,
        )
        if self.token:
            redactor = Redactor(self.token)
            for name in ("github", "urllib3", "requests", "reportcheck"):
                logging.getLogger(name).addFilter(redactor)

    def client(self) -> Github:
        """Return this thread's PyGithub client."""
        client: Github | None = getattr(self._local, "client", None)
        if client is None:
            client = Github(
                auth=Auth.Token(self.token) if self.token else None,
                base_url=self.api_url,
                timeout=self._timeout,  # PyGithub asserts an int
                retry=self._retry,
                pool_size=2,
                seconds_between_requests=self._spacing,
                seconds_between_writes=None,
                lazy=True,  # a repository object costs no request; its first listing tells 404 and 409
            )
            self._local.client = client
            with self._lock:
                self._clients.append(client)
        return client

    def close(self) -> None:
        """Close every client's connections."""
        with self._lock:
            for client in self._clients:
                client.close()
            self._clients.clear()

    def guard(self, action: Callable[[], T]) -> T:
        """Run one API action, turning GitHub and network errors into FetchFailure / RateLimited."""
        try:
            return action()
        except BadCredentialsException:
            raise CheckerError("GitHub rejected the token (401 Bad credentials); check --token-env") from None
        except RateLimitExceededException as exc:
            raise RateLimited(_reset_time(exc.headers)) from None
        except UnknownObjectException:
            raise FetchFailure("not-found", "repository not found, or private and the token cannot read it") from None
        except GithubException as exc:
            raise _failure(exc, self.token) from None
        except requests.exceptions.Timeout:
            raise FetchFailure("timeout", f"no answer within {self._timeout:g} s, after retries") from None
        except requests.exceptions.RetryError:
            raise FetchFailure("server-error", "GitHub kept failing (retries used up)") from None
        except requests.exceptions.ConnectionError as exc:
            if "timed out" in str(exc).lower():
                raise FetchFailure("timeout", f"no answer within {self._timeout:g} s, after retries") from None
            raise FetchFailure("connection-error", "cannot connect to the GitHub API, after retries") from None
        except requests.exceptions.RequestException as exc:
            raise FetchFailure("error", redact(f"{type(exc).__name__}: {exc}", self.token)[:300]) from None

    def repo(self, name: str) -> Repository:
        """Return a lazy repository object (no request)."""
        return self.client().get_repo(name)

    def head(self, name: str, branch: str | None = None) -> str:
        """Return the sha of the default branch's head (one request)."""
        listing = self.guard(lambda: _commits(self.repo(name), 1, branch))
        if not listing:
            raise FetchFailure("empty", "the repository has no commits")
        return listing[0].sha

    def snapshot(self, name: str, plan: Plan) -> Snapshot:
        """Read the commit this plan chooses in one repository, its tree and its report."""
        counter = [0]

        def call(action: Callable[[], T]) -> T:
            counter[0] += 1
            return self.guard(action)

        repo = self.repo(name)
        key = name.lower()
        recorded = plan.heads.get(key)
        source = plan.source(key)
        per_page = 1 if source == "head" and not plan.push_times else LISTING
        listing = call(lambda: _commits(repo, per_page, plan.branch))
        if not listing:
            raise FetchFailure("empty", "the repository has no commits")
        head = listing[0]
        notes: list[str] = []
        branch = plan.branch
        chosen_sha: str
        position: int | None
        if recorded is not None:
            chosen_sha = recorded.sha
            position = _index(listing, chosen_sha)
            if position is None and len(listing) < per_page:
                notes.append(f"the recorded head {chosen_sha[:12]} is no longer on the branch (force-pushed?)")
        elif plan.deadline is not None:
            deadline = plan.deadline
            position = next((i for i, c in enumerate(listing) if _date(c) <= deadline), None)
            if position is not None:
                chosen_sha = listing[position].sha
            elif len(listing) < per_page:
                raise FetchFailure("no-commit", f"no commit on the branch at or before {utc_text(deadline)}")
            else:
                # More commits after the deadline than one page holds: ask GitHub for the deadline commit.
                earlier = call(lambda: _commits(repo, 1, plan.branch, until=deadline))
                if not earlier:
                    raise FetchFailure("no-commit", f"no commit on the branch at or before {utc_text(deadline)}")
                listing = [*listing, earlier[0]]
                chosen_sha = earlier[0].sha
                notes.append(f"more than {per_page - 1} commits came after the deadline")
                position = None
            if plan.push_times:
                pushed_sha, push_notes, pushed_branch = self._push_times(repo, head.sha, chosen_sha, plan, call)
                notes.extend(push_notes)
                branch = branch or pushed_branch
                if pushed_sha is not None:
                    source = "push-time"
                    if pushed_sha != chosen_sha:
                        chosen_sha = pushed_sha
                        position = _index(listing, chosen_sha)
        else:
            chosen_sha, position = head.sha, 0

        chosen = listing[position] if position is not None else _find(listing, chosen_sha)
        late = self.cache.late(key, chosen_sha, head.sha)
        if late is None:
            late = self._late(repo, listing, position, chosen, head_sha=head.sha, call=call)
            self.cache.put_late(key, chosen_sha, head.sha, late)

        # Tree and report are cached one by one, so a run killed between the two never reads the tree again.
        cached = self.cache.get(key, chosen_sha)
        from_cache = cached is not None and (cached.report is not None or cached.report_sha is None)
        if cached is None:
            cached = self._read_tree(repo, chosen_sha, chosen, plan.report_path, call)
            self.cache.put(key, chosen_sha, cached)
        report_sha = cached.report_sha
        if cached.report is None and report_sha is not None and cached.report_path is not None:
            blob = call(lambda: repo.get_git_blob(report_sha))
            cached = replace(cached, report=_decode_blob(blob.content, blob.encoding, cached.report_path))
            self.cache.put(key, chosen_sha, cached)
        return Snapshot(
            commit=chosen_sha,
            commit_date=cached.commit_date,
            head=head.sha,
            deadline_source=source,
            tree_paths=cached.tree_paths,
            report_path=cached.report_path,
            report=cached.report,
            late_commits=late[0],
            late_total=late[1],
            branch=branch,
            notes=(*notes, *cached.notes),
            requests=counter[0],
            cached=from_cache,
        )

    def _late(
        self,
        repo: Repository,
        listing: Sequence[Commit],
        position: int | None,
        chosen: Commit | None,
        *,
        head_sha: str,
        call: Callable[[Callable[[], list[Commit]]], list[Commit]],
    ) -> tuple[int | None, int | None]:
        """Count the commits after the chosen one, all of them and those that touched `reports/`."""
        if position == 0:
            return 0, 0
        if position is None and chosen is None:
            return None, None
        touched = call(lambda: _commits(repo, LISTING, head_sha, path="reports"))
        if position is not None:
            after = {c.sha for c in listing[:position]}
            return sum(1 for c in touched if c.sha in after), position
        assert chosen is not None
        since = _date(chosen)
        return sum(1 for c in touched if _date(c) > since), None

    def _read_tree(
        self,
        repo: Repository,
        sha: str,
        commit: Commit | None,
        report_path: str,
        call: Callable[[Callable[[], Any]], Any],
    ) -> CachedCommit:
        """Read a commit's tree and find its report in it (one request)."""
        # A commit sha names its tree too, so a commit known only by sha (recorded head, push time) needs no
        # extra request for its tree sha.
        tree_sha = commit.commit.tree.sha if commit is not None else sha
        try:
            tree = call(lambda: repo.get_git_tree(tree_sha, recursive=True))
        except FetchFailure as failure:
            if failure.status == "not-found":
                raise FetchFailure("not-found", f"commit {sha[:12]} is not in the repository") from None
            raise
        notes: list[str] = []
        if tree.raw_data.get("truncated"):
            notes.append("the repository's tree is too large for one listing; some files may be missing")
        blobs = {element.path: element for element in tree.tree if element.type == "blob"}
        paths = tuple(sorted(blobs))
        found = report_path if report_path in blobs else _find_report(paths)
        date = utc_text(_date(commit)) if commit is not None else None
        report_sha = blobs[found].sha if found is not None else None
        return CachedCommit(date, paths, found, None, tuple(notes), report_sha)

    def _push_times(
        self,
        repo: Repository,
        head_sha: str,
        chosen_sha: str,
        plan: Plan,
        call: Callable[[Callable[[], Any]], Any],
    ) -> tuple[str | None, list[str], str | None]:
        """Find the branch head as pushed before the deadline from the activity endpoint, or say why not."""
        assert plan.deadline is not None
        deadline = plan.deadline
        try:
            _, data = call(
                lambda: repo.requester.requestJsonAndCheck("GET", f"{repo.url}/activity", parameters={"per_page": 100})
            )
        except FetchFailure as failure:
            if failure.status in ("not-found", "error", "server-error"):
                return (
                    None,
                    [f"push times unavailable ({failure.reason}); commit chosen by commit date"],
                    None,
                )
            raise
        events = [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []
        ref = f"refs/heads/{plan.branch}" if plan.branch else None
        if ref is None:
            ref = next((e.get("ref") for e in events if e.get("after") == head_sha), None)
        if ref is None:
            return (
                None,
                ["push times: no push of the current head is recorded; commit chosen by commit date"],
                None,
            )
        pushes = sorted(
            (e for e in events if e.get("ref") == ref and isinstance(e.get("timestamp"), str)),
            key=lambda e: e["timestamp"],
            reverse=True,
        )
        late = [e for e in pushes if _parse(e["timestamp"]) > deadline]
        notes: list[str] = []
        if late:
            notes.append(f"{len(late)} push(es) to the branch after the deadline")
        notes.extend(
            f"force-pushed after the deadline at {utc_text(_parse(e['timestamp']))}"
            for e in late
            if e.get("activity_type") == "force_push"
        )
        branch = ref.removeprefix("refs/heads/")
        before = [e for e in pushes if _parse(e["timestamp"]) <= deadline]
        if not before:
            notes.append("push times do not reach back to the deadline; commit chosen by commit date")
            return None, notes, branch
        pushed = str(before[0].get("after", ""))
        if pushed and pushed != chosen_sha:
            notes.append(
                f"commit {chosen_sha[:12]} (dated before the deadline) was pushed after it; "
                f"checking {pushed[:12]}, the head pushed before the deadline"
            )
        return pushed or None, notes, branch


def _commits(
    repo: Repository,
    per_page: int,
    sha: str | None,
    *,
    path: str | None = None,
    until: datetime | None = None,
) -> list[Commit]:
    """Return the first page of a commit listing (one request)."""
    parameters: dict[str, Any] = {"per_page": per_page}
    if sha:
        parameters["sha"] = sha
    if path:
        parameters["path"] = path
    if until is not None:
        # GitHub reads a time without zone as UTC; PyGithub would format the datetime's own wall clock.
        parameters["until"] = utc_text(until)
    return PaginatedList(Commit, repo.requester, f"{repo.url}/commits", parameters).get_page(0)


def _date(commit: Commit) -> datetime:
    """Return a listed commit's committer date (aware, as GitHub gives it)."""
    return commit.commit.committer.date


def _parse(text: str) -> datetime:
    """Parse a GitHub timestamp."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _index(listing: Sequence[Commit], sha: str) -> int | None:
    """Return the position of a commit in a listing."""
    return next((i for i, c in enumerate(listing) if c.sha == sha), None)


def _find(listing: Sequence[Commit], sha: str) -> Commit | None:
    """Return the listed commit with this sha."""
    position = _index(listing, sha)
    return listing[position] if position is not None else None


def _find_report(paths: Sequence[str]) -> str | None:
    """Locate a report that is not at reports/README.md, as `check` does."""
    from checker.scan.core import find_report_in_tree

    return find_report_in_tree(paths)


def _decode_blob(content: str | None, encoding: str | None, path: str) -> bytes:
    """Return a git blob's bytes."""
    if encoding == "base64":
        try:
            return base64.b64decode(content or "")
        except (binascii.Error, ValueError):
            raise FetchFailure("unreadable", f"{path}: the API returned a damaged blob") from None
    if encoding in ("utf-8", None):
        return (content or "").encode("utf-8")
    raise FetchFailure("unreadable", f"{path}: the API returned the blob as '{encoding}'")


def _reset_time(headers: Any) -> float | None:
    """Return the X-RateLimit-Reset of a rate-limit response, as a POSIX time."""
    if not headers:
        return None
    lowered = {str(k).lower(): v for k, v in dict(headers).items()}
    value = str(lowered.get("x-ratelimit-reset", ""))
    if value.isdigit():
        return float(value)
    retry_after = str(lowered.get("retry-after", ""))
    return time.time() + float(retry_after) if retry_after.isdigit() else None


_GITHUB_MESSAGE = re.compile(r'"message":\s*"([^"]*)"')


def _failure(exc: GithubException, token: str | None) -> FetchFailure:
    """Turn a GitHub error answer into a repository status."""
    message = ""
    if isinstance(exc.data, dict):
        message = str(exc.data.get("message", ""))
    else:
        found = _GITHUB_MESSAGE.search(str(exc.data))
        message = found.group(1) if found else ""
    message = redact(" ".join(message.split()), token)[:200]
    if exc.status == 409:
        return FetchFailure("empty", "the repository is empty (no commits yet)")
    if exc.status == 404:
        return FetchFailure("not-found", message or "not found")
    if exc.status >= 500:
        return FetchFailure("server-error", f"GitHub answered {exc.status} after retries")
    return FetchFailure("error", f"GitHub answered {exc.status}" + (f": {message}" if message else ""))
