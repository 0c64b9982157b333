"""Read many repositories at once through the GitHub GraphQL API: a handful of requests for a whole course.

Two queries, each for a batch of repositories under the aliases r0, r1, ... (and a third now and then):

1. *heads* (up to 100 repositories a query): the branch head and, with a deadline, the last commit at or
   before it (`history(until:, first: 1)`), from which `choose` picks the commit. A repository whose late
   counts, tree, report and small files are all in the cache for that commit is done here, so a warm re-scan
   costs one request per 100 repositories.
2. *details* (up to 50 a query), for the others only: the branch's last 30 commits and the last 30 that
   touched the report's folder (for `choose`, as over REST), the commit's tree from its top, six levels deep
   (TREE_DEPTH: every name, type and size), the report's text, and the files at the fixed places of the
   checklist's sources (`evidence.fixed_places`: `requirements.txt`, `pyproject.toml`, every file of
   `.github/workflows`, ... by `object(expression: "<commit>:<path>")`). Which small files to read
   (`evidence.wanted_files`, at most two) is known only once the tree is, so the query reads where they
   usually are, and the check keeps only the chosen ones, as REST reads them.
3. *files* (up to 100 a query), only for the repositories whose report is checked and whose chosen small files
   lie elsewhere (2 of the course's 41 collected repositories: a project in a subfolder, a build file at the
   top named otherwise): those files, by the same expressions.

A cold scan of 300 repositories costs 3 + 6 = 9 requests, and a files query more for each batch of 100 that
holds a repository whose chosen small file is at no fixed place. One repository's error never costs the batch:
PyGithub's `graphql_query` raises on any error in the answer, so the query goes out through
`requestJsonAndCheck` and each error is mapped back to its repository through `errors[].path[0]`.

A tree with a folder below the sixth level is listed in part (`CommitFiles.tree_depth`): its figure links are
checked only where the listed folders can answer (REST lists the tree otherwise), and its checklist evidence
says "not checkable" where only an unlisted file could show an item. A details query that fails as a whole (a
tree too large for GitHub to list in time, say) is sent once more with the report's folder, three levels deep,
in place of the tree: its repositories are checked as before, their checklist items without evidence.

Where the batch answer is not enough, that repository alone is read over REST (GitHubSource):

- NOT_FOUND at its alias: the row `not-found`, as over REST; FORBIDDEN with `saml_failure`: `sso-required`;
  any other error there, or no branch where `--branch` named one: the whole REST read (at most six requests);
- a query that fails as a whole, twice for a details query (5xx or a timeout after retries, a 404, an answer
  that is not GraphQL's, or errors without a `path`, whose partial data is never trusted nor cached): the whole
  REST read of each of its repositories, none of which becomes an error row; after a 404 no query is sent again.
  A files query that fails leaves its small files unread ("not read"), to be asked for by the next scan (those
  read at the fixed places serve this scan's check all the same);
- no report at its usual place while the tree holds one elsewhere (or may: a tree listed in part): the
  recursive tree, the blob and the small files (up to four requests);
- a report without full text (binary, truncated by GitHub above about 512 KB, or not valid UTF-8): the blob;
- a figure link outside the listed folders (a folder below the listed levels): the tree, and the small files
  it chooses that are not read yet.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from checker.errors import CheckerError
from checker.evidence import Places
from checker.files import find_report_in_tree
from checker.scan.choose import LISTING, Choice, History, Listed, Need, choose, with_counts
from checker.scan.github import SSO_REQUIRED, GitHubSource, Reads, retry_at
from checker.scan.groups import Target
from checker.scan.snapshot import (
    SMALL_FILE_BYTES,
    CommitFiles,
    FetchFailure,
    Plan,
    RateLimited,
    Snapshot,
    parse_time,
    utc_text,
)

HEADS_BATCH = 100
DETAILS_BATCH = 50
FILES_BATCH = 100  # repositories a files query reads at most two small files of (each at most SMALL_FILE_BYTES)
# Levels of the commit's tree the details query lists (a file at a/b/c/d/e/f.py is on the sixth): every tree of
# the course's collected repositories but three fits. A folder on the last level is not listed, and then the
# listing is not whole (`CommitFiles.tree_depth`).
TREE_DEPTH = 6
DEPTH = 3  # levels of the report's folder listed when the whole tree cannot be: reports/, reports/figures/, ...
NOWHERE = Places()  # no fixed place: the details query of the report's folder reads no small file
NOT_FOUND = "repository not found, or private and the token cannot read it"
# GitHub's GraphQL primary limit answers 200 with an error of one of these types (both are documented in use).
RATE_LIMIT_TYPES = frozenset({"RATE_LIMITED", "RATE_LIMIT"})
Folders = Mapping[str, Mapping[str, str]]  # folder -> {name: "blob" | "tree" | "commit"}


@dataclass
class _Read:
    """What is known of one repository between the queries."""

    name: str
    key: str
    seen: History | None = None  # the branch as read so far
    commit: str = ""  # the commit `choose` chose, or the one it needs the listing around
    choice: Choice | None = None
    entry: CommitFiles | None = None  # the files, once known (complete or to complete over REST)
    listed: dict[str, dict[str, str]] = field(default_factory=dict)
    full_tree: bool = False  # the listing is not enough: read the whole tree over REST
    from_cache: bool = False
    shared: int = 0  # batched queries this repository was part of
    fetch: tuple[str, ...] = ()  # the small files the files query is to read
    found: dict[str, bytes] = field(default_factory=dict)  # the small files read with the tree (fixed places)


@dataclass
class _Rest:
    """Read this repository over REST, wholly (after `shared` batched queries that could not answer for it)."""

    shared: int = 0


Outcome = Snapshot | FetchFailure | _Read | _Rest


class _Unanswered(Exception):
    """A query whose answer cannot be used for any of its repositories: each is read over REST instead."""


class BatchedSource:
    """Read repositories batch by batch over GraphQL, falling back to REST (`rest`) repository by repository."""

    def __init__(
        self,
        rest: GitHubSource,
        *,
        heads_batch: int = HEADS_BATCH,
        details_batch: int = DETAILS_BATCH,
    ) -> None:
        self.rest = rest
        self.plan = rest.plan
        self.places = rest.plan.places()
        self.cache = rest.cache
        self.heads_batch = heads_batch
        self.details_batch = details_batch
        self.requests = 0
        self._batches: list[list[Target]] = []
        self._where: dict[str, int] = {}
        self._locks: list[threading.Lock] = []
        self._loaded: set[tuple[str, int]] = set()  # (what, batch) read already
        self._outcomes: dict[str, Outcome] = {}
        self._heads: dict[str, str | FetchFailure | RateLimited | _Rest] = {}
        self._count = threading.Lock()  # guards `requests` and the batch lists
        self.unavailable: str | None = None  # why no query is sent any more (the endpoint answered 404)

    def prepare(self, targets: Sequence[Target]) -> None:
        """Split the repositories about to be read into batches (no request)."""
        with self._count:
            fresh = [t for t in targets if t.key not in self._where]
            for start in range(0, len(fresh), self.heads_batch):
                batch = fresh[start : start + self.heads_batch]
                self._batches.append(batch)
                self._locks.append(threading.Lock())
                for target in batch:
                    self._where[target.key] = len(self._batches) - 1

    def fetch(self, target: Target) -> Snapshot:
        """Return the snapshot of one repository, reading its whole batch first if no one has yet."""
        self._read_batch(target, "snapshots", self._load)
        outcome = self._outcomes[target.key]
        if isinstance(outcome, Snapshot):
            return outcome
        if isinstance(outcome, FetchFailure):
            raise outcome
        if isinstance(outcome, _Rest):
            snapshot = self.rest.snapshot(target.repo)
            return replace(snapshot, requests=snapshot.requests + outcome.shared)
        return self._complete(outcome)

    def head(self, target: Target) -> str:
        """Return the branch head of one repository, reading its whole batch's heads first (100 a request)."""
        self._read_batch(target, "heads", self._load_heads)
        found = self._heads[target.key]
        if isinstance(found, str):
            return found
        if isinstance(found, _Rest):
            return self.rest.head_of(target.repo)
        raise found

    def close(self) -> None:
        """Close the REST source's connections (the queries go through them)."""
        self.rest.close()

    def _read_batch(self, target: Target, what: str, load: Callable[[list[Target]], None]) -> None:
        """Run `load` on the target's batch unless another worker already has."""
        if target.key not in self._where:
            self.prepare([target])  # a caller that did not prepare: a batch of one
        index = self._where[target.key]
        with self._locks[index]:
            if (what, index) not in self._loaded:
                load(self._batches[index])
                self._loaded.add((what, index))

    def _load_heads(self, batch: list[Target]) -> None:
        """Read a batch's branch heads; a repository the answer cannot tell is left to REST."""
        plan = Plan(branch=self.plan.branch)
        try:
            nodes, errors = self._query(heads_query(plan, len(batch)), _variables(plan, batch))
        except RateLimited as limit:
            self._heads.update({t.key: limit for t in batch})
            return
        except _Unanswered:
            nodes, errors = {}, {}
        for alias, target in enumerate(batch):
            node = nodes.get(f"r{alias}")
            unusable = _unusable(node, errors.get(f"r{alias}", []), plan.branch) if nodes else _Rest()
            if unusable is None and node is not None:
                self._heads[target.key] = str(node["ref"]["target"]["oid"])
            else:
                self._heads[target.key] = unusable or _Rest()

    # --- the two queries ------------------------------------------------------------------------------------

    def _load(self, batch: list[Target]) -> None:
        """Read a batch's heads, then the details of those the cache cannot answer."""
        reads = {t.key: _Read(t.repo, t.key) for t in batch}
        sent = self.unavailable is None
        try:
            nodes, errors = self._query(heads_query(self.plan, len(batch)), _variables(self.plan, batch))
        except _Unanswered:
            for target in batch:  # every repository of the batch is read over REST; none fails with it
                self._outcomes[target.key] = _Rest(shared=int(sent))
            return
        pending: list[_Read] = []
        for alias, target in enumerate(batch):
            read = reads[target.key]
            read.shared = 1
            try:
                outcome = self._head(read, nodes.get(f"r{alias}"), errors.get(f"r{alias}", []))
            except (KeyError, TypeError, AttributeError, ValueError):
                outcome = _Rest()  # an answer of an unexpected shape: REST reads this repository
            if outcome is None:
                pending.append(read)
            else:
                self._outcomes[target.key] = outcome
        for start in range(0, len(pending), self.details_batch):
            self._load_details(pending[start : start + self.details_batch])
        wanting = [read for read in pending if self._outcomes.get(read.key) is read and read.fetch]
        for start in range(0, len(wanting), FILES_BATCH):
            self._load_files(wanting[start : start + FILES_BATCH])
        for key, outcome in self._outcomes.items():
            if isinstance(outcome, _Rest) and key in reads and not outcome.shared:
                outcome.shared = reads[key].shared

    def _load_details(self, chunk: list[_Read]) -> None:
        """Read the branch listing, the tree and the report of up to 50 repositories in one query.

        A query that fails as a whole (a tree too large for GitHub to list in time, say) is sent once more
        with the report's folder in place of the whole tree: its repositories are checked as before, their
        checklist items without evidence.
        """
        whole = True
        for read in chunk:
            read.shared += 1
        variables = self._details_variables(chunk, self.places)
        try:
            nodes, errors = self._query(details_query(len(chunk), TREE_DEPTH, self.places), variables)
        except _Unanswered:
            if self.unavailable is not None:
                for read in chunk:
                    self._outcomes[read.key] = _Rest()
                return
            whole = False
            variables = self._details_variables(chunk, NOWHERE, folder=self.plan.folder)
            for read in chunk:
                read.shared += 1
            try:
                nodes, errors = self._query(details_query(len(chunk), DEPTH), variables)
            except _Unanswered:
                for read in chunk:
                    self._outcomes[read.key] = _Rest()
                return
        for alias, read in enumerate(chunk):
            try:
                self._outcomes[read.key] = self._details(
                    read, nodes.get(f"r{alias}"), errors.get(f"r{alias}", []), whole=whole
                )
            except FetchFailure as failure:
                self._outcomes[read.key] = failure
            except (KeyError, TypeError, AttributeError, ValueError):
                self._outcomes[read.key] = _Rest()

    def _details_variables(self, chunk: list[_Read], places: Places, folder: str = "") -> dict[str, Any]:
        """Return the variables of a details query: the tree listed from `folder`, and the fixed places."""
        variables: dict[str, Any] = {"path": self.plan.folder}
        for alias, read in enumerate(chunk):
            assert read.seen is not None
            owner, _, name = read.name.partition("/")
            variables.update({f"o{alias}": owner, f"n{alias}": name, f"h{alias}": read.seen.head.sha,
                              f"f{alias}": f"{read.commit}:{folder}",
                              f"p{alias}": f"{read.commit}:{self.plan.report_path}"})
            variables.update({f"s{alias}_{j}": f"{read.commit}:{path}" for j, path in enumerate(places.paths)})
            variables.update({f"w{alias}_{j}": f"{read.commit}:{path}" for j, path in enumerate(places.folders)})
        return variables

    def _load_files(self, chunk: list[_Read]) -> None:
        """Read the small files chosen for the checklist's evidence, of up to 100 repositories, in one query.

        These are the files chosen outside the fixed places the details query read (`_Read.found`). A
        repository whose files do not come (its error, or a query that fails as a whole) is checked with them
        unread ("not read"), and cached as not read, so the next scan asks again.
        """
        variables: dict[str, Any] = {}
        for alias, read in enumerate(chunk):
            read.shared += 1
            owner, _, name = read.name.partition("/")
            variables.update({f"o{alias}": owner, f"n{alias}": name})
            variables.update({f"e{alias}_{number}": f"{read.commit}:{path}" for number, path in enumerate(read.fetch)})
        try:
            nodes, errors = self._query(files_query([len(read.fetch) for read in chunk]), variables)
        except _Unanswered:
            nodes, errors = {}, {}
        for alias, read in enumerate(chunk):
            node = nodes.get(f"r{alias}")
            assert read.entry is not None
            if isinstance(node, dict) and not errors.get(f"r{alias}"):
                found = {path: data for number, path in enumerate(read.fetch)
                         if (data := _blob_bytes(node.get(f"f{number}"))) is not None}
                read.entry = replace(read.entry, small_files={**read.found, **found})
                self._outcomes[read.key] = self._finish(read)
            else:
                self._outcomes[read.key] = self._finish(read, came=read.found)

    def _query(self, query: str, variables: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        """Send one query; return its data and its errors by alias, keeping every repository that answered.

        Raises RateLimited for a rate limit (GitHub answers the GraphQL primary limit with a 200, an error of
        type RATE_LIMITED or RATE_LIMIT and `x-ratelimit-remaining: 0`), and _Unanswered for an answer that
        is no use for any repository: a failed request (after retries), an answer that is not GraphQL's, or
        errors that name no repository (`path`), whose data may be cut anywhere and is never trusted.
        """
        if self.unavailable is not None:
            raise _Unanswered(self.unavailable)
        requester = self.rest.client().requester
        url = graphql_url(self.rest.api_url)

        def send() -> tuple[Any, Any]:
            return requester.requestJsonAndCheck("POST", url, input={"query": query, "variables": variables})

        with self._count:
            self.requests += 1
        try:
            headers, answer = self.rest.guard(send)
        except FetchFailure as failure:
            if failure.status == "not-found":  # no GraphQL here (a proxy, an old Enterprise server): stop asking
                self.unavailable = f"{url} answered 404"
            raise _Unanswered(failure.reason) from None
        except (RateLimited, CheckerError):
            raise
        except Exception as exc:  # an answer PyGithub cannot read (a proxy's page): the batch goes to REST
            raise _Unanswered(f"{type(exc).__name__}: {exc}") from None
        if not isinstance(answer, dict):
            raise _Unanswered("GitHub's GraphQL answer is not a JSON object")
        listed = answer.get("errors") or []
        by_alias: dict[str, list[Any]] = {}
        general: list[Any] = []
        for error in listed if isinstance(listed, list) else [listed]:
            path = error.get("path") if isinstance(error, dict) else None
            if isinstance(path, list) and path and isinstance(path[0], str):
                by_alias.setdefault(path[0], []).append(error)
            else:
                general.append(error)
        every = [e for e in (*general, *(e for found in by_alias.values() for e in found)) if isinstance(e, dict)]
        remaining = {str(k).lower(): str(v) for k, v in dict(headers or {}).items()}.get("x-ratelimit-remaining")
        if any(e.get("type") in RATE_LIMIT_TYPES for e in every) or (
            general and (remaining == "0" or any("rate limit" in str(e.get("message", "")).lower() for e in every))
        ):
            raise RateLimited(*retry_at(headers, self.rest.clock.time()))
        if general:
            message = next((str(e.get("message")) for e in every if e in general), "an error without a path")
            raise _Unanswered(f"GitHub's GraphQL answer has errors for no repository: {message}"[:300])
        data = answer.get("data")
        if not isinstance(data, dict):
            raise _Unanswered("GitHub's GraphQL answer has no data")
        return data, by_alias

    def _head(self, read: _Read, node: Any, errors: list[Any]) -> Outcome | None:
        """Choose the commit from the heads answer; return the outcome, or None when details are needed."""
        unusable = _unusable(node, errors, self.plan.branch)
        if unusable is not None:
            return unusable
        if not self.plan.folder:
            return _Rest()  # the folder query would list the whole repository
        target = node["ref"]["target"]
        until = None
        if self.plan.deadline is not None:
            until = tuple(_listed(c) for c in (target.get("at") or {}).get("nodes") or [])
        read.seen = History(head=_listed(target), until=until, branch=self.plan.branch)
        decision = self._decide(read)
        if isinstance(decision, FetchFailure | _Rest):
            return decision
        cached = self.cache.get(read.key, read.commit)
        read.from_cache = cached is not None and cached.complete(self.plan.max_bytes, self.plan.evidence is not None)
        if decision is None or cached is None or not read.from_cache:
            return None  # the details query lists the branch, or reads the files, or both
        return Snapshot(decision, cached, requests=read.shared, cached=True)

    def _decide(self, read: _Read) -> Choice | FetchFailure | _Rest | None:
        """Ask `choose`, with late counts from the cache; None: the details query must list the branch."""
        assert read.seen is not None
        decision = choose(self.plan, read.key, read.seen)
        if isinstance(decision, Need) and decision.what == "late":
            known = self.cache.late(read.key, decision.commit, read.seen.head.sha)
            read.seen = with_counts(read.seen, decision.commit, known)
            decision = choose(self.plan, read.key, read.seen)
        if isinstance(decision, Need):
            if decision.what not in ("late", "listing"):
                return _Rest()  # what the queries do not read (push times): REST reads it
            read.commit = decision.commit
            return None
        if isinstance(decision, Choice):
            read.commit, read.choice = decision.commit, decision
        return decision

    def _details(self, read: _Read, node: Any, errors: list[Any], *, whole: bool) -> Outcome:
        """Decide with the branch's listing, and take the files from the details answer.

        `whole`: the answer lists the commit's tree from its top (else only the report's folder, whose files
        never serve as the checklist's evidence).
        """
        if node is None or errors or read.seen is None:
            return _Rest()
        head = node.get("head") or {}
        listing = tuple(_listed(c) for c in (head.get("listing") or {}).get("nodes") or [])
        touched = tuple(_listed(c) for c in (head.get("touched") or {}).get("nodes") or [])
        if not listing:
            return _Rest()
        asked = read.commit
        read.seen = replace(read.seen, commits=listing, complete=len(listing) < LISTING, touched=touched)
        choice = choose(self.plan, read.key, read.seen)
        if isinstance(choice, FetchFailure):
            return choice
        if not isinstance(choice, Choice) or choice.commit != asked:
            return _Rest()  # the two answers disagree (the branch moved in between): REST reads it anew
        read.choice = choice
        if choice.counted:
            self.cache.put_late(read.key, choice.commit, choice.head, choice.late)
        cached = self.cache.get(read.key, choice.commit)
        if read.from_cache and cached is not None:
            return Snapshot(choice, cached, requests=read.shared, cached=True)
        folder, report = node.get("folder"), node.get("report")
        if not isinstance(folder, dict) or not isinstance(folder.get("entries"), list):
            read.full_tree = True  # no report folder (or no tree): the report may be anywhere
            return read
        sizes: dict[str, int] = {}
        listed_all = _walk(folder, "" if whole else self.plan.folder, read.listed, sizes)
        paths = tuple(sorted(sizes))
        date = utc_text(choice.date) if choice.date is not None else None
        if not (isinstance(report, dict) and "oid" in report):
            if not (whole and listed_all) or find_report_in_tree(paths) is not None:
                read.full_tree = True  # the report is elsewhere, or may be: REST finds it as it always does
                return read
            read.entry = CommitFiles(date, paths, None, None)  # the whole tree holds no report
            self.cache.put(read.key, choice.commit, read.entry)
            return Snapshot(choice, read.entry, requests=read.shared, cached=False)
        raw: bytes | None = None
        size = report.get("byteSize") if isinstance(report.get("byteSize"), int) else None
        text = report.get("text")
        if isinstance(text, str) and not report.get("isBinary") and not report.get("isTruncated"):
            raw = text.encode("utf-8")
            if len(raw) != size:
                raw = None  # GitHub replaced bytes that are not UTF-8: read the blob itself
        read.entry = CommitFiles(
            date, paths, self.plan.report_path, raw, (), str(report["oid"]),
            tree_scope=None if whole else self.plan.folder, report_size=size,
            tree_depth=None if listed_all or not whole else TREE_DEPTH,
            small_files=None if whole else {},  # a folder's files are no evidence: nothing to read
        )
        if read.entry.oversized(self.plan.max_bytes):
            read.entry = replace(read.entry, report=None)  # never checked: nothing more to read
            self.cache.put(read.key, choice.commit, read.entry)
            return Snapshot(choice, read.entry, requests=read.shared, cached=False)
        if raw is not None and not covered(raw, self.plan.report_path, read.listed, self.plan.max_bytes):
            read.full_tree = True  # a figure link the listing cannot answer for: REST lists it all
            return read
        if whole and self.plan.evidence is not None:
            wanted = tuple(p for p in self.plan.small_files(paths) if sizes[p] <= SMALL_FILE_BYTES)
            came = _placed(node, self.places)
            read.found = {path: data for path in wanted if (data := came.get(path)) is not None}
            read.fetch = tuple(path for path in wanted if path not in came)
            if read.fetch:
                return read  # the files query reads those outside the fixed places
            read.entry = replace(read.entry, small_files=read.found)
        return self._finish(read)

    def _finish(self, read: _Read, *, came: Mapping[str, bytes] | None = None) -> Outcome:
        """Return the snapshot of a repository whose files are all read (caching them), or leave it to REST.

        Small files that did not come (`small_files` None) are cached as not read, so the next scan asks again;
        `came`: those of them that did come all the same (from the fixed places), which this check uses.
        """
        assert read.entry is not None and read.choice is not None
        if read.entry.report is None:
            return read  # the report's blob, over REST
        self.cache.put(read.key, read.choice.commit, read.entry)
        entry = read.entry if came is None else replace(read.entry, small_files=dict(came))
        return Snapshot(read.choice, entry, requests=read.shared, cached=False)

    def _complete(self, read: _Read) -> Snapshot:
        """Read over REST what the batch answer left out: the whole tree, the report blob, the small files."""
        choice = read.choice
        assert choice is not None
        reads = Reads(self.rest)
        repo = self.rest.repo(read.name)
        date = utc_text(choice.date) if choice.date is not None else None
        entry = read.entry
        listed = False  # the tree was listed over REST: choose the small files from it
        if read.full_tree or entry is None:
            whole = self.rest.read_tree(repo, choice.commit, self.plan.report_path, reads, date=date)
            report = entry.report if entry is not None and entry.report_sha == whole.report_sha else None
            entry, listed = replace(whole, report=report), True
            self.cache.put(read.key, choice.commit, entry)
        if not entry.complete(self.plan.max_bytes) and entry.report_sha is not None and entry.report_path is not None:
            raw = self.rest.read_blob(repo, entry.report_sha, entry.report_path, reads)
            entry = replace(entry, report=raw)
            partial = entry.tree_scope is not None or entry.tree_depth is not None
            if partial and not covered(raw, self.plan.report_path, read.listed, self.plan.max_bytes):
                whole = self.rest.read_tree(repo, choice.commit, self.plan.report_path, reads, date=date)
                entry = replace(entry, tree_paths=whole.tree_paths, notes=whole.notes, tree_scope=None,
                                tree_depth=None, truncated=whole.truncated, refs=whole.refs)
                listed = True
            self.cache.put(read.key, choice.commit, entry)
        if listed and self.plan.evidence is not None:
            entry = self.rest.read_small_files(repo, entry, reads)
            self.cache.put(read.key, choice.commit, entry)
        return Snapshot(choice, entry, requests=read.shared + reads.count, cached=read.from_cache)


def graphql_url(api_url: str) -> str:
    """Return the GraphQL endpoint beside a REST API URL (GitHub Enterprise: /api/v3 -> /api/graphql).

    Worked out here as recent PyGithub does it, because older releases always post to api.github.com.
    """
    base = api_url.rstrip("/")
    return base.removesuffix("/v3") + "/graphql"


def _unusable(node: Any, errors: list[Any], branch: str | None) -> FetchFailure | _Rest | None:
    """Say why a repository's heads answer cannot be used (a failure, or read it over REST), or None."""
    if node is None or errors:
        if node is None and any(isinstance(e, dict) and e.get("type") == "NOT_FOUND" for e in errors):
            return FetchFailure("not-found", NOT_FOUND)
        saml = (isinstance(e, dict) and (e.get("extensions") or {}).get("saml_failure") for e in errors)
        if node is None and any(saml):
            return FetchFailure("sso-required", SSO_REQUIRED)
        return _Rest()
    ref = node.get("ref")
    if ref is None:
        # No default branch: the repository is empty. A branch named by --branch that is missing: let REST say.
        return _Rest() if branch else FetchFailure.empty()
    if not isinstance((ref.get("target") or {}).get("oid"), str):
        return _Rest()
    return None


def _variables(plan: Plan, batch: Sequence[Target]) -> dict[str, Any]:
    """Return the variables of a heads query."""
    variables: dict[str, Any] = {}
    for alias, target in enumerate(batch):
        owner, _, name = target.repo.partition("/")
        variables[f"o{alias}"], variables[f"n{alias}"] = owner, name
    if plan.deadline is not None:
        variables["until"] = utc_text(plan.deadline)
    if plan.branch:
        variables["branch"] = f"refs/heads/{plan.branch}"
    return variables


def _listed(commit: Mapping[str, Any]) -> Listed:
    """Return a commit of an answer (`oid`, `committedDate`) as `choose` reads it."""
    return Listed(str(commit["oid"]), parse_time(str(commit["committedDate"])))


def _walk(tree: Mapping[str, Any], folder: str, listed: dict[str, dict[str, str]], sizes: dict[str, int]) -> bool:
    """Collect the files of a nested tree answer with their sizes, and which folders were listed in full.

    Return whether every folder below was listed (a folder on the answer's last level is not).
    """
    entries = tree.get("entries")
    if not isinstance(entries, list):
        return False
    listed[folder] = {str(e["name"]): str(e["type"]) for e in entries}
    whole = True
    for entry in entries:
        path = f"{folder}/{entry['name']}" if folder else str(entry["name"])
        if entry["type"] == "blob":
            sizes[path] = int(entry.get("size") or 0)
        elif entry["type"] == "tree":
            inner = entry.get("object")
            whole = _walk(inner, path, listed, sizes) and whole if isinstance(inner, dict) else False
    return whole


def decidable(target: str, listed: Folders) -> bool:
    """Tell whether the listed folders alone say whether `target` is a file of the repository.

    The folders are listed from the top of the tree ("" among them) or from the report's folder down.
    """
    parts = target.split("/")
    folder, names = "", parts
    if "" not in listed:
        if parts[0] not in listed:
            return False
        folder, names = parts[0], parts[1:]
    for index, name in enumerate(names):
        entries = listed.get(folder)
        if entries is None:
            return False
        if entries.get(name) != "tree" or index == len(names) - 1:
            return True
        folder = f"{folder}/{name}" if folder else name
    return True  # the folder itself, which is never a file


def covered(raw: bytes, report_path: str, listed: Folders, max_bytes: int) -> bool:
    """Tell whether every local figure link of the report lands where the listed folders can answer for it."""
    from checker.files import is_remote, resolve_link
    from checker.parse import parse
    from checker.source import decode_report

    if len(raw) > max_bytes:
        return True  # too large to be checked at all
    try:
        text = decode_report(raw, report_path).text
    except CheckerError:
        return True  # an unreadable report is never checked against the tree
    for question in parse(text).questions:
        for image in question.answer.images:
            src = image.src.strip()
            if image.kind not in ("markdown", "html") or not src or is_remote(src):
                continue
            target = resolve_link(src.strip("<>"), report_path)
            if target is not None and not decidable(target, listed):
                return False
    return True


def _entries(depth: int) -> str:
    if depth <= 1:
        return "entries { name type size }"
    return f"entries {{ name type size object {{ ... on Tree {{ {_entries(depth - 1)} }} }} }}"


def heads_query(plan: Plan, count: int) -> str:
    """Return the heads query for `count` repositories."""
    ref = "ref: ref(qualifiedName: $branch)" if plan.branch else "ref: defaultBranchRef"
    at = " at: history(first: 1, until: $until) { nodes { oid committedDate } }" if plan.deadline else ""
    parameters = [f"$o{i}: String!, $n{i}: String!" for i in range(count)]
    if plan.deadline is not None:
        parameters.append("$until: GitTimestamp!")
    if plan.branch:
        parameters.append("$branch: String!")
    commit = f"target {{ ... on Commit {{ oid committedDate{at} }} }}"
    body = "\n".join(f"  r{i}: repository(owner: $o{i}, name: $n{i}) {{ {ref} {{ {commit} }} }}" for i in range(count))
    return f"query Heads({', '.join(parameters)}) {{\n{body}\n}}"


BLOB = "... on Blob { byteSize isBinary isTruncated text }"


def details_query(count: int, depth: int, places: Places = NOWHERE) -> str:
    """Return the details query for `count` repositories, listing `depth` levels of the tree asked for.

    With `places`, each repository's files at the fixed places too: `s<j>` the paths, `w<j>` the own files of
    the folders (`<commit>:<path>` in the variables `$s<i>_<j>` and `$w<i>_<j>`).
    """
    parameters = ["$path: String!"]
    commits = "nodes { oid committedDate }"
    history = f"listing: history(first: {LISTING}) {{ {commits} }} "
    history += f"touched: history(first: {LISTING}, path: $path) {{ {commits} }}"
    blob = "... on Blob { oid byteSize isBinary isTruncated text }"
    parts: list[str] = []
    for i in range(count):
        parameters.append(f"$o{i}: String!, $n{i}: String!, $h{i}: String!, $f{i}: String!, $p{i}: String!")
        parameters += [f"$s{i}_{j}: String!" for j in range(len(places.paths))]
        parameters += [f"$w{i}_{j}: String!" for j in range(len(places.folders))]
        fixed = "".join(f"    s{j}: object(expression: $s{i}_{j}) {{ {BLOB} }}\n" for j in range(len(places.paths)))
        fixed += "".join(f"    w{j}: object(expression: $w{i}_{j}) {{ ... on Tree {{ entries {{ name type "
                         f"object {{ {BLOB} }} }} }} }}\n" for j in range(len(places.folders)))
        parts.append(
            f"  r{i}: repository(owner: $o{i}, name: $n{i}) {{\n"
            f"    head: object(expression: $h{i}) {{ ... on Commit {{ {history} }} }}\n"
            f"    folder: object(expression: $f{i}) {{ ... on Tree {{ {_entries(depth)} }} }}\n"
            f"    report: object(expression: $p{i}) {{ {blob} }}\n"
            f"{fixed}"
            "  }"
        )
    return f"query Details({', '.join(parameters)}) {{\n" + "\n".join(parts) + "\n}"


def _placed(node: Mapping[str, Any], places: Places) -> dict[str, bytes | None]:
    """Return the files a details answer holds at the fixed places (None: no full text), by path.

    A path missing from the answer (no file there, a folder where a file was asked, an answer cut short) is
    left out, so the files query reads it if it is chosen.
    """
    came: dict[str, bytes | None] = {}
    for j, path in enumerate(places.paths):
        blob = node.get(f"s{j}")
        if isinstance(blob, dict) and blob:
            came[path] = _blob_bytes(blob)
    for j, folder in enumerate(places.folders):
        tree = node.get(f"w{j}")
        entries = tree.get("entries") if isinstance(tree, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and entry.get("type") == "blob" and isinstance(entry.get("object"), dict):
                came[f"{folder}/{entry['name']}"] = _blob_bytes(entry["object"])
    return came


def files_query(counts: Sequence[int]) -> str:
    """Return the files query: for each repository, `counts[i]` files by expression (`<commit>:<path>`)."""
    parameters: list[str] = []
    parts: list[str] = []
    for i, count in enumerate(counts):
        parameters.append(f"$o{i}: String!, $n{i}: String!")
        parameters += [f"$e{i}_{j}: String!" for j in range(count)]
        fields = " ".join(f"f{j}: object(expression: $e{i}_{j}) {{ {BLOB} }}" for j in range(count))
        parts.append(f"  r{i}: repository(owner: $o{i}, name: $n{i}) {{ {fields} }}")
    return f"query Files({', '.join(parameters)}) {{\n" + "\n".join(parts) + "\n}"


def _blob_bytes(blob: Any) -> bytes | None:
    """Return a small file's bytes from its answer, or None when GitHub gave no full text (binary, cut, gone).

    Bytes that are not UTF-8 come back replaced; the evidence reads text, so the replaced text serves as well.
    """
    if not isinstance(blob, dict) or blob.get("isBinary") or blob.get("isTruncated"):
        return None
    text = blob.get("text")
    return text.encode("utf-8") if isinstance(text, str) else None
