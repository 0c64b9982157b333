"""Read repositories over the GitHub REST API with PyGithub; `choose` decides which commit to check.

A first read costs at most six requests per repository:

1. the branch's recent commits (`GET /commits`, no `sha` for the default branch: GitHub then lists it, which
   spares the `GET /repos/{owner}/{repo}` a branch name would cost). `choose` picks the commit from them; only
   when the listing ends before the deadline does it ask for the deadline commit (`until=`, one more request);
2. only when commits came after the chosen one: those of them that touched the report's folder
   (`GET /commits?path=`), for the late counts;
3. the tree of the chosen commit (`GET /git/trees/{sha}?recursive=1`), for figure links and to find a report
   that is not at its usual place;
4. the report itself through the git blob API (`GET /git/blobs/{sha}`): the tree already gives its blob sha,
   and unlike the contents API (which answers `encoding: none` above 1 MB) it returns any size;
5. for the checklist's evidence, at most two small files through the same blob API (`evidence.wanted_files`
   chooses them from the tree, which also gives their shas and sizes; one over `SMALL_FILE_BYTES` is not read),
   only when there is a report to check.

Trees, reports, small files and late counts are cached by repository and commit sha, so reading an unchanged repository
again costs the first request only. `--push-times` adds one request: the repository activity endpoint. A tree
over GitHub's listing limit comes back `truncated`: the report's folder is then listed on its own (one or two
requests more). A report over `--max-bytes`, whose size the tree gives, is never downloaded.
"""

from __future__ import annotations

import base64
import binascii
import logging
import posixpath
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from email.utils import parsedate_to_datetime
from itertools import takewhile
from typing import Any, TypeVar

from checker.errors import CheckerError
from checker.files import find_report_in_tree
from checker.scan.choose import LISTING, Choice, History, Listed, Need, Push, Pushes, settle, with_counts
from checker.scan.clock import Clock
from checker.scan.groups import Target
from checker.scan.settings import SECONDARY_WAIT, Connection
from checker.scan.snapshot import (
    SMALL_FILE_BYTES,
    BlobRef,
    CommitFiles,
    FetchFailure,
    LimitKind,
    Plan,
    RateLimited,
    Snapshot,
    parse_time,
    utc_text,
)
from checker.scan.store import Cache

# Imported here, not at the package's top: only `reportcheck scan` loads PyGithub.
from github import Auth, Github, GithubException, GithubRetry  # isort: skip
from github.GithubException import (  # isort: skip
    BadCredentialsException,
    RateLimitExceededException,
    UnknownObjectException,
)
from github.GitTree import GitTree  # isort: skip
from github.Repository import Repository  # isort: skip

import requests  # isort: skip
from urllib3.exceptions import InvalidHeader, MaxRetryError  # isort: skip

T = TypeVar("T")
log = logging.getLogger("reportcheck.scan")
SSO_REQUIRED = "the organisation enforces SAML single sign-on and the token is not authorised for it"
QUIET_WAIT = 300.0  # seconds a worker may wait for a Retry-After without the scan saying so


class ScanRetry(GithubRetry):
    """PyGithub's retry, with GitHub's rules for rate limits and every wait asked of the scan's clock.

    - A used-up primary limit (403 or 429, `x-ratelimit-remaining: 0`, no `retry-after`) is handed to the scan
      at once: GithubRetry would sleep silently until the reset, up to an hour; the scan instead says that it
      waits and for how long (or stops, with --no-wait), and makes every worker wait together.
    - A secondary limit (403 or 429 otherwise) is retried after `retry-after` seconds when GitHub names them,
      else after at least a minute, doubling while it lasts, as GitHub's documentation asks. A `retry-after`
      longer than QUIET_WAIT goes to the scan's gate too, so that the wait is said and --max-wait holds.
    - Server errors and timeouts are retried with exponential backoff.
    """

    def __init__(self, clock: Clock | None = None, **kwargs: Any) -> None:
        self.clock = clock or Clock()
        super().__init__(**kwargs)

    def new(self, **kw: Any) -> ScanRetry:
        """Return the next retry state, with the same clock."""
        kw["clock"] = self.clock
        retry: ScanRetry = super().new(**kw)
        return retry

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
        limited = response is not None and response.status in (403, 429)
        after = self.retry_after(response) if limited else None
        if limited and (
            (after is None and response.headers.get("X-RateLimit-Remaining") == "0")
            or (after is not None and after > QUIET_WAIT)
        ):
            # A used-up primary limit, or a Retry-After too long to wait unseen: every worker waits, saying so.
            raise RateLimitExceededException(
                response.status, {"message": "API rate limit exceeded"}, dict(response.headers)
            )
        try:
            return super().increment(method, url, response, error, _pool, _stacktrace)
        except MaxRetryError:
            if response is None or response.status not in (403, 429):
                raise
            # A 403 reaches this point only as a rate limit (GithubRetry raises any other at once), and then
            # GithubRetry has read its body: say here that the limit outlasted the retries, with its headers.
            raise RateLimitExceededException(
                response.status, {"message": "secondary rate limit"}, dict(response.headers)
            ) from None

    def retry_after(self, response: Any) -> float | None:
        """Return the seconds an answer's Retry-After names, or None when it names none (or none readable)."""
        value = response.headers.get("Retry-After") if response is not None else None
        if value is None:
            return None
        try:
            return self.parse_retry_after(str(value))
        except InvalidHeader:
            return None

    def wait(self, response: Any = None) -> float:
        """Return the seconds to wait before the next try, by GitHub's rules for the answer just received."""
        backoff = self.get_backoff_time()
        if response is None or response.status not in (403, 429):
            return backoff
        retry_after = self.retry_after(response)
        if retry_after is not None:
            return retry_after  # the server's word wins over any reset time
        limited = sum(1 for _ in takewhile(lambda h: h.status in (403, 429), reversed(self.history)))
        return max(SECONDARY_WAIT * 2 ** max(limited - 1, 0), backoff)

    def sleep(self, response: Any = None) -> None:
        """Wait before the next try, through the scan's clock."""
        self.clock.sleep(self.wait(response))


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


class GitHubSource:
    """Read repositories over REST for one plan; one PyGithub client per worker thread, sharing one request rate."""

    def __init__(
        self,
        connection: Connection,
        plan: Plan,
        *,
        jobs: int = 8,
        cache: Cache | None = None,
        writes: bool = False,
        clock: Clock | None = None,
    ) -> None:
        self.connection = connection
        self.clock = clock or Clock()
        self.plan = plan
        self.token = connection.token or None
        self.api_url = connection.api_url.rstrip("/")
        self.cache = cache or Cache(None)
        self._local = threading.local()
        self._clients: list[Github] = []
        self._lock = threading.Lock()
        self._timeout = connection.timeout
        rate, retries = connection.rate, connection.retries
        # PyGithub spaces requests per client (0.25 s by default, from the end of one request to the start of
        # the next). A client is not thread-safe (its connection object holds the pending request), so each
        # worker has its own, and each spaces its requests by jobs / rate: together they stay under `rate`
        # requests a second, below GitHub's secondary limit. rate 0 switches the spacing off (tests, benches).
        self._spacing = jobs / rate if rate > 0 else None
        # `writes` (notify): GitHub asks for a second between writes; and a POST whose answer was lost may have made
        # its issue, so it is never sent again blindly (PATCH, which sets the same values twice, is retried).
        self._write_spacing = 1.0 if writes and rate > 0 else None
        methods = ScanRetry.DEFAULT_ALLOWED_METHODS | ({"PATCH"} if writes else {"POST"})
        # Retries: connection errors, read timeouts and 5xx with exponential backoff (backoff * 2^n seconds,
        # at most 30 s), 429 and 403 secondary limits after Retry-After or at least a minute, as GitHub asks;
        # raise_on_status=False hands the last answer to PyGithub, which raises it with its status.
        self._retry = ScanRetry(
            clock=self.clock,
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            backoff_factor=connection.backoff,
            backoff_max=30.0,
            status_forcelist=[429, *range(500, 600)],
            # A GraphQL query is a POST that changes nothing: retry it like a GET.
            allowed_methods=methods,
            raise_on_status=False,
            respect_retry_after_header=True,
            secondary_rate_wait=SECONDARY_WAIT,
            max_rate_limit_wait=None,  # ScanRetry.wait decides; a primary limit goes to the scan's gate
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
                seconds_between_writes=self._write_spacing,
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
            raise RateLimited(*retry_at(exc.headers, self.clock.time())) from None
        except UnknownObjectException:
            raise FetchFailure("not-found", "repository not found, or private and the token cannot read it") from None
        except GithubException as exc:
            if exc.status == 429:  # a rate limit still met after the retries; PyGithub knows only 403 ones
                raise RateLimited(*retry_at(exc.headers, self.clock.time())) from None
            raise _failure(exc, self.connection.redact) from None
        except requests.exceptions.Timeout:
            raise FetchFailure("timeout", f"no answer within {self._timeout:g} s, after retries") from None
        except requests.exceptions.RetryError:
            raise FetchFailure("server-error", "GitHub kept failing (retries used up)") from None
        except requests.exceptions.ConnectionError as exc:
            if "timed out" in str(exc).lower():
                raise FetchFailure("timeout", f"no answer within {self._timeout:g} s, after retries") from None
            raise FetchFailure("connection-error", "cannot connect to the GitHub API, after retries") from None
        except requests.exceptions.RequestException as exc:
            raise FetchFailure("error", self.connection.redact(f"{type(exc).__name__}: {exc}")[:300]) from None

    def repo(self, name: str) -> Repository:
        """Return a lazy repository object (no request)."""
        return self.client().get_repo(name)

    def prepare(self, targets: Sequence[Target]) -> None:
        """Nothing to prepare: REST reads one repository at a time."""

    def fetch(self, target: Target) -> Snapshot:
        """Read the plan's commit of one repository, its tree and its report."""
        return self.snapshot(target.repo)

    def head(self, target: Target) -> str:
        """Return the sha of the branch head (one request)."""
        return self.head_of(target.repo)

    def head_of(self, name: str) -> str:
        """Return the sha of the plan's branch head in repository `name` (one request)."""
        listing = self.guard(lambda: _commits(self.repo(name), 1, self.plan.branch))
        if not listing:
            raise FetchFailure.empty()
        return str(listing[0]["sha"])

    def organisation(self, org: str) -> list[str]:
        """Return the full names of an organisation's repositories."""
        return self.guard(lambda: [repo.full_name for repo in self.client().get_organization(org).get_repos()])

    def snapshot(self, name: str) -> Snapshot:
        """Read what `choose` needs to choose the plan's commit in one repository, then its tree and report."""
        reads = Reads(self)
        repo = self.repo(name)
        trees: dict[str, str] = {}  # commit sha -> tree sha, as the listings give them
        choice = self._choose(repo, name.lower(), reads, trees)
        files, from_cache = self._files(repo, name.lower(), choice, reads, trees.get(choice.commit))
        return Snapshot(choice, files, requests=reads.count, cached=from_cache)

    def _choose(self, repo: Repository, key: str, reads: Reads, trees: dict[str, str]) -> Choice:
        """List the branch and read whatever else `choose` asks for until it has chosen."""
        plan = self.plan

        def listed(page: list[dict[str, Any]]) -> tuple[Listed, ...]:
            trees.update({str(c["sha"]): str(c["commit"]["tree"]["sha"]) for c in page})
            return tuple(map(_listed, page))

        def answer(need: Need, seen: History) -> History:
            if need.what == "until":
                assert plan.deadline is not None
                deadline = plan.deadline
                return replace(seen, until=listed(reads(lambda: _commits(repo, 1, plan.branch, until=deadline))))
            if need.what == "pushes":
                return replace(seen, pushes=self._pushes(repo, reads))
            if need.what == "late":
                known = self.cache.late(key, need.commit, seen.head.sha)
                if known is not None:
                    return with_counts(seen, need.commit, known)
                touched = reads(lambda: _commits(repo, LISTING, seen.head.sha, path=plan.folder))
                return replace(seen, touched=tuple(map(_listed, touched)))
            raise AssertionError(f"REST always lists the branch; asked for {need.what}")

        per_page = 1 if plan.source(key) == "head" and not plan.push_times else LISTING
        commits = listed(reads(lambda: _commits(repo, per_page, plan.branch)))
        if not commits:
            raise FetchFailure.empty()
        seen = History(head=commits[0], commits=commits, complete=len(commits) < per_page, branch=plan.branch)
        choice = settle(plan, key, seen, answer)
        if choice.counted:
            self.cache.put_late(key, choice.commit, choice.head, choice.late)
        return choice

    def _files(
        self, repo: Repository, key: str, choice: Choice, reads: Reads, tree: str | None
    ) -> tuple[CommitFiles, bool]:
        """Return the chosen commit's files, from the cache or read now, and whether the cache had them all."""
        sha = choice.commit
        date = utc_text(choice.date) if choice.date is not None else None
        limit = self.plan.max_bytes
        evidence = self.plan.evidence is not None
        # Tree, report and small files are cached one by one, so a run killed between them never reads the tree
        # again.
        files = self.cache.get(key, sha)
        listed = files is not None and files.tree_scope is None and files.tree_depth is None
        from_cache = files is not None and listed and files.complete(limit, evidence)
        # A batched read may list only part of the tree; and the small files still to read need the blob shas
        # that only a listing gives (the cache keeps what was read, not where).
        unread = evidence and files is not None and files.small_files is None and files.report_sha is not None
        fresh = files is None or not listed or (unread and not files.oversized(limit))
        if files is None or fresh:
            partial = files
            files = self.read_tree(repo, sha, self.plan.report_path, reads, tree=tree, date=date)
            if partial is not None and partial.report_sha == files.report_sha:
                files = replace(files, report=partial.report, small_files=partial.small_files)
            self.cache.put(key, sha, files)
        if not files.complete(limit) and files.report_sha is not None and files.report_path is not None:
            files = replace(files, report=self.read_blob(repo, files.report_sha, files.report_path, reads))
            self.cache.put(key, sha, files)
        if evidence and (fresh or files.small_files is None):
            read = self.read_small_files(repo, files, reads)
            if read is not files:
                files = read
                self.cache.put(key, sha, files)
        return files, from_cache

    def read_small_files(self, repo: Repository, files: CommitFiles, reads: Reads) -> CommitFiles:
        """Read the small files chosen for the checklist's evidence that are not read yet (a blob each).

        Only for a report that will be checked; a file over SMALL_FILE_BYTES, or one the listing gave no sha
        for, stays unread. A file GitHub cannot give (gone, damaged) is left unread too; any other failure is
        the repository's, like the report's.
        """
        if (files.report_sha is None and files.report is None) or files.oversized(self.plan.max_bytes):
            return files
        wanted = self.plan.small_files(files.tree_paths)
        known = dict(files.small_files or {})
        found = {path: known[path] for path in wanted if path in known}
        for path in wanted:
            ref = files.refs.get(path)
            if path in found or ref is None or ref.size > SMALL_FILE_BYTES:
                continue
            try:
                found[path] = self.read_blob(repo, ref.sha, path, reads)
            except FetchFailure as failure:
                if failure.status not in ("not-found", "unreadable"):
                    raise
        if files.small_files is not None and dict(files.small_files) == found:
            return files
        return replace(files, small_files=found)

    def read_tree(
        self,
        repo: Repository,
        sha: str,
        report_path: str,
        reads: Reads,
        *,
        tree: str | None = None,
        date: str | None = None,
    ) -> CommitFiles:
        """Read a commit's tree and find its report in it (one request; a few more for a very large tree)."""
        # A commit sha names its tree too, so a commit whose tree sha was not listed needs no extra request.
        try:
            listing = reads(lambda: repo.get_git_tree(tree or sha, recursive=True))
        except FetchFailure as failure:
            if failure.status == "not-found":
                raise FetchFailure("not-found", f"commit {sha[:12]} is not in the repository") from None
            raise
        blobs = {e.path: e for e in listing.tree if e.type == "blob"}
        notes: list[str] = []
        if listing.raw_data.get("truncated"):
            # Over 100,000 entries GitHub cuts the recursive listing short; the report's folder, read on its own,
            # is complete, so figure links inside it are never taken for missing files.
            folder = posixpath.dirname(report_path)
            entries = {e.path: e for e in listing.tree}
            inside = self._folder(repo, listing.sha, folder, entries, reads)
            if inside is None:
                notes.append("the repository's tree is too large for one listing; some files may be missing")
            else:
                # The folder's own listing replaces what the cut one held of it (the top folder: its own files).
                blobs = {p: e for p, e in blobs.items() if not _under(p, folder)} | inside
                where = f"{folder}/" if folder else "the top folder"
                notes.append(
                    f"the repository's tree is too large for one listing; {where} was listed on its own, "
                    "files elsewhere may be missing from the check"
                )
        paths = tuple(sorted(blobs))
        found = report_path if report_path in blobs else find_report_in_tree(paths)
        element = blobs[found] if found is not None else None
        wanted = self.plan.small_files(paths) if found is not None else ()
        refs = {path: BlobRef(str(blobs[path].sha), int(blobs[path].size or 0)) for path in wanted}
        return CommitFiles(
            date, paths, found, None, tuple(notes), element.sha if element is not None else None,
            report_size=element.size if element is not None else None,
            truncated=bool(listing.raw_data.get("truncated")), refs=refs,
        )

    def _folder(
        self, repo: Repository, root: str, folder: str, entries: Mapping[str, Any], reads: Reads
    ) -> dict[str, Any] | None:
        """Return the blobs under `folder` by path, read tree by tree (None: that too is cut short)."""
        def tree(sha: str, *, recursive: bool = False) -> GitTree:
            return reads(lambda: repo.get_git_tree(sha, recursive=recursive))

        known = entries.get(folder)
        if known is not None and known.type == "tree":
            subtree = str(known.sha)
        else:
            subtree = root
            for part in [p for p in folder.split("/") if p]:
                found = next((e for e in tree(subtree).tree if e.path == part and e.type == "tree"), None)
                if found is None:
                    return {}  # no such folder: nothing in it
                subtree = found.sha
        # The top folder, listed recursively, would be the same cut listing again: its own files only.
        listed = tree(subtree, recursive=bool(folder))
        if listed.raw_data.get("truncated"):
            return None
        prefix = f"{folder}/" if folder else ""
        return {prefix + e.path: e for e in listed.tree if e.type == "blob"}

    def read_blob(self, repo: Repository, sha: str, path: str, reads: Reads) -> bytes:
        """Read a file's bytes through the git blob API, whatever its size (one request)."""
        blob = reads(lambda: repo.get_git_blob(sha))
        return decode_blob(blob.content, blob.encoding, path)

    def _pushes(self, repo: Repository, reads: Reads) -> Pushes:
        """Read the pushes of GitHub's activity log, or why it cannot be read (one request)."""
        try:
            _, data = reads(
                lambda: repo.requester.requestJsonAndCheck("GET", f"{repo.url}/activity", parameters={"per_page": 100})
            )
        except FetchFailure as failure:
            if failure.status in ("not-found", "error", "server-error"):
                return Pushes(unavailable=failure.reason)
            raise
        events = data if isinstance(data, list) else []
        return Pushes(tuple(push for push in map(_push, events) if push is not None))


def _under(path: str, folder: str) -> bool:
    """Tell whether a path lies in `folder` ("" : directly in the top folder)."""
    return path.startswith(f"{folder}/") if folder else "/" not in path


class Reads:
    """Send one repository's requests through the source's guard, counting them for its row."""

    def __init__(self, source: GitHubSource) -> None:
        self.source = source
        self.count = 0

    def __call__(self, action: Callable[[], T]) -> T:
        """Run one request."""
        self.count += 1
        return self.source.guard(action)


def _commits(
    repo: Repository,
    per_page: int,
    sha: str | None,
    *,
    path: str | None = None,
    until: datetime | None = None,
) -> list[dict[str, Any]]:
    """Return the first page of a commit listing as GitHub sends it (one request)."""
    parameters: dict[str, Any] = {"per_page": per_page}
    if sha:
        parameters["sha"] = sha
    if path:
        parameters["path"] = path
    if until is not None:
        parameters["until"] = utc_text(until)  # GitHub reads a time without zone as UTC
    _, data = repo.requester.requestJsonAndCheck("GET", f"{repo.url}/commits", parameters=parameters)
    return [c for c in data if isinstance(c, dict)] if isinstance(data, list) else []


def _listed(commit: dict[str, Any]) -> Listed:
    """Return a listed commit's sha and committer date."""
    return Listed(str(commit["sha"]), parse_time(str(commit["commit"]["committer"]["date"])))


def _push(event: Any) -> Push | None:
    """Return one activity-log entry as a push, or None when it carries no time."""
    if not isinstance(event, dict) or not isinstance(event.get("timestamp"), str):
        return None
    try:
        moment = parse_time(event["timestamp"])
    except ValueError:
        return None
    force = event.get("activity_type") == "force_push"
    return Push(str(event.get("after") or ""), str(event.get("ref") or ""), moment, force)


def decode_blob(content: str | None, encoding: str | None, path: str) -> bytes:
    """Return a git blob's bytes."""
    if encoding == "base64":
        try:
            return base64.b64decode(content or "")
        except (binascii.Error, ValueError):
            raise FetchFailure("unreadable", f"{path}: the API returned a damaged blob") from None
    if encoding in ("utf-8", None):
        return (content or "").encode("utf-8")
    raise FetchFailure("unreadable", f"{path}: the API returned the blob as '{encoding}'")


def retry_at(headers: Mapping[str, Any] | None, now: float) -> tuple[float, LimitKind]:
    """Return when a rate-limited request may be sent again, and which limit it met, by GitHub's rules.

    GitHub's documentation (REST and GraphQL, "Exceeding the rate limit"): a `retry-after` header names the
    seconds to wait; otherwise, with `x-ratelimit-remaining: 0`, the primary limit is used up until
    `x-ratelimit-reset` (UTC epoch seconds); otherwise it is a secondary limit: wait at least a minute.
    """
    lowered = {str(k).lower(): str(v).strip() for k, v in dict(headers or {}).items()}
    after = lowered.get("retry-after", "")
    if after.isdigit():
        return now + float(after), "secondary"
    if after:
        try:
            return max(parsedate_to_datetime(after).timestamp(), now), "secondary"
        except (TypeError, ValueError):
            pass
    reset = lowered.get("x-ratelimit-reset", "")
    if lowered.get("x-ratelimit-remaining") == "0" and reset.isdigit():
        return float(reset), "primary"
    return now + SECONDARY_WAIT, "secondary"


_GITHUB_MESSAGE = re.compile(r'"message":\s*"([^"]*)"')


def _failure(exc: GithubException, redact: Callable[[str], str]) -> FetchFailure:
    """Turn a GitHub error answer into a repository status."""
    message = ""
    block: Any = None
    if isinstance(exc.data, dict):
        message = str(exc.data.get("message", ""))
        block = exc.data.get("block")
    else:
        found = _GITHUB_MESSAGE.search(str(exc.data))
        message = found.group(1) if found else ""
    message = redact(" ".join(message.split()))[:200]
    headers = {str(k).lower(): str(v) for k, v in dict(exc.headers or {}).items()}
    if exc.status == 409:
        return FetchFailure.empty()
    if exc.status == 404:
        return FetchFailure("not-found", message or "not found")
    if exc.status == 451:
        reason = block.get("reason") if isinstance(block, dict) else None
        return FetchFailure("blocked", "GitHub blocks access for legal reasons" + (f" ({reason})" if reason else ""))
    if exc.status == 403 and (headers.get("x-github-sso", "").startswith("required") or "SAML" in message):
        return FetchFailure("sso-required", SSO_REQUIRED)
    if exc.status >= 500:
        return FetchFailure("server-error", f"GitHub answered {exc.status} after retries")
    return FetchFailure("error", f"GitHub answered {exc.status}" + (f": {message}" if message else ""))
