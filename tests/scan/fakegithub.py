"""A fake GitHub API on 127.0.0.1 serving exactly what the scan asks PyGithub for, from in-memory repos.

Endpoints: `GET /repos/{o}/{r}/commits` (sha, path, since, until, per_page, page), `/git/trees/{sha}`
(a tree or commit sha; recursive), `/git/blobs/{sha}`, `/activity`, `GET /orgs/{org}/repos`, and
`POST /graphql`, executed for real over the same repositories (see fakegraphql.py), and the issues endpoints
`notify` uses (list, create, update, comment; see `FakeIssues` below).
REST requests are counted per repository and logged by kind; every GraphQL request counts once under
`GRAPHQL`, and the repositories each one asked about in `graphql_repos`. Faults are injected per repository.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from fakeissues import FakeIssues


def _sha(*parts: str | bytes) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
    return digest.hexdigest()


def blob_sha(data: bytes) -> str:
    """Return git's blob sha of some bytes."""
    return _sha(f"blob {len(data)}\0".encode(), data)


def iso(moment: datetime) -> str:
    """Format a time as GitHub does."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FakeCommit:
    """A commit: its full file snapshot, its committer date and the paths it changed."""

    sha: str
    date: datetime
    files: dict[str, bytes]
    touched: frozenset[str]
    message: str

    @property
    def tree_sha(self) -> str:
        return _sha("tree", self.sha)


@dataclass
class Fault:
    """Something going wrong on the next `times` requests of a kind (`any`, commits, tree, blob, activity,
    issues: their listing, issue-write: a POST or PATCH of them)."""

    kind: str  # "500", "secondary", "primary", "hang", "latency"
    times: int = 1
    on: str = "any"
    seconds: float = 0.0


@dataclass
class FakeRepo:
    """A repository with a linear history on `main` (oldest first) and a push log."""

    full_name: str
    commits: list[FakeCommit] = field(default_factory=list)
    activity: list[dict[str, Any]] | None = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    graphql_error: str | None = None  # answer this repository's alias with null and an error of this type
    issues: FakeIssues = field(default_factory=FakeIssues)

    def commit(
        self, when: datetime, changes: dict[str, bytes | str] | None = None, *, delete: tuple[str, ...] = ()
    ) -> FakeCommit:
        """Add a commit on top of the branch with these files changed."""
        files = dict(self.commits[-1].files) if self.commits else {}
        touched = set(delete)
        for path, data in (changes or {}).items():
            files[path] = data.encode() if isinstance(data, str) else data
            touched.add(path)
        for path in delete:
            files.pop(path, None)
        parent = self.commits[-1].sha if self.commits else ""
        sha = _sha(self.full_name, parent, iso(when), repr(sorted(touched)), str(len(self.commits)))
        commit = FakeCommit(sha, when, files, frozenset(touched), f"commit {len(self.commits) + 1}")
        self.commits.append(commit)
        return commit

    def push(self, when: datetime, *, force: bool = False) -> None:
        """Record a push of the current head at `when` (newest first, as GitHub lists them)."""
        assert self.activity is not None
        before = self.activity[0]["after"] if self.activity else "0" * 40
        self.activity.insert(
            0,
            {
                "id": len(self.activity) + 1,
                "node_id": f"A_{len(self.activity) + 1}",
                "before": before,
                "after": self.commits[-1].sha,
                "ref": "refs/heads/main",
                "timestamp": iso(when),
                "activity_type": "force_push" if force else "push",
                "actor": {"login": "student"},
            },
        )


GRAPHQL = "<graphql>"


class FakeGitHub:
    """The server: start() it, point PyGithub's base_url at `url`, read `counts` and `log` afterwards."""

    def __init__(self, latency: float = 0.0) -> None:
        self.repos: dict[str, FakeRepo] = {}
        self.orgs: dict[str, list[str]] = {}
        self.latency = latency
        self.counts: Counter[str] = Counter()
        self.graphql_repos: Counter[str] = Counter()
        self.graphql_faults: list[Fault] = []  # "500" / "502" / "primary" answers to the next GraphQL requests
        self.log: list[tuple[str, str, str]] = []  # (repo, kind, query)
        self.auth_headers: set[str] = set()
        self.exhausted_until = 0.0
        self.core_used = 0  # issues requests, counted down from 5000 in their X-RateLimit-Remaining
        self.core_reset = time.time() + 3600
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeGitHub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def add(self, full_name: str) -> FakeRepo:
        repo = FakeRepo(full_name)
        self.repos[full_name.lower()] = repo
        return repo

    def requests(self, kind: str | None = None) -> Counter[str]:
        """Count logged requests per repository, of one kind or all."""
        return Counter(repo for repo, k, _ in self.log if kind is None or k == kind)

    def reset_counts(self) -> None:
        with self._lock:
            self.counts.clear()
            self.graphql_repos.clear()
            self.log.clear()

    def total(self) -> int:
        """Count every request, REST and GraphQL."""
        return sum(self.counts.values())

    def graphql(self, body: Any, auth: str) -> tuple[int, dict[str, str], Any]:
        """Answer one POST /graphql."""
        from fakegraphql import execute

        if self.latency:
            time.sleep(self.latency)
        with self._lock:
            self.counts[GRAPHQL] += 1
            self.log.append((GRAPHQL, "graphql", ""))
            if auth:
                self.auth_headers.add(auth)
            fault = next((f for f in self.graphql_faults if f.times > 0), None)
            if fault is not None:
                fault.times -= 1
        now = time.time()
        if fault is not None and fault.kind == "primary":
            self.exhausted_until = now + fault.seconds
        if self.exhausted_until > now:
            return 403, _limit_headers(self.exhausted_until), {"message": "API rate limit exceeded for user ID 1."}
        if fault is not None and fault.kind in ("500", "502"):
            return int(fault.kind), {}, {"message": "Server Error"}
        if not isinstance(body, dict):
            return 400, {}, {"message": "Problems parsing JSON"}
        return 200, {}, execute(self, body)

    # --- request handling -------------------------------------------------------------------------------

    def answer(self, path: str, query: dict[str, str], auth: str) -> tuple[int, dict[str, str], Any]:
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if self.latency:
            time.sleep(self.latency)
        if len(parts) == 3 and parts[0] == "orgs" and parts[2] == "repos":
            names = self.orgs.get(parts[1].lower())
            if names is None:
                return 404, {}, {"message": "Not Found"}
            return 200, {}, [{"full_name": n, "name": n.split("/")[1], "url": f"{self.url}/repos/{n}"} for n in names]
        if len(parts) < 4 or parts[0] != "repos":
            return 404, {}, {"message": "Not Found"}
        key = f"{parts[1]}/{parts[2]}".lower()
        rest = parts[3:]
        kind = {"commits": "commits", "git": rest[1] if len(rest) > 1 else "git", "activity": "activity"}.get(
            rest[0], rest[0]
        )
        kind = {"trees": "tree", "blobs": "blob"}.get(kind, kind)
        with self._lock:
            self.counts[key] += 1
            self.log.append((key, kind, "&".join(f"{k}={v}" for k, v in sorted(query.items()))))
            if auth:
                self.auth_headers.add(auth)
        now = time.time()
        if self.exhausted_until > now:
            return 403, _limit_headers(self.exhausted_until), {"message": "API rate limit exceeded for user ID 1."}
        repo = self.repos.get(key)
        if repo is None:
            return 404, {}, {"message": "Not Found"}
        fault = self._take_fault(repo, kind)
        if fault is not None:
            if fault.kind == "latency":
                time.sleep(fault.seconds)
            elif fault.kind == "500":
                return 500, {}, {"message": "Server Error"}
            elif fault.kind == "502":
                return 502, {}, "<html>bad gateway</html>"
            elif fault.kind == "secondary":
                return (
                    403,
                    {"Retry-After": "0"},
                    {"message": "You have exceeded a secondary rate limit. Please wait a few minutes."},
                )
            elif fault.kind == "primary":
                self.exhausted_until = now + fault.seconds
                return 403, _limit_headers(self.exhausted_until), {"message": "API rate limit exceeded for user ID 1."}
            elif fault.kind == "hang":
                self._stop.wait(fault.seconds or 30)
                return 599, {}, {"message": "hung"}
        if rest == ["commits"]:
            return self._commits(repo, query)
        if len(rest) == 3 and rest[:2] == ["git", "trees"]:
            return self._tree(repo, rest[2], query)
        if len(rest) == 3 and rest[:2] == ["git", "blobs"]:
            return self._blob(repo, rest[2])
        if rest == ["activity"]:
            if repo.activity is None:
                return 404, {}, {"message": "Not Found"}
            return 200, {}, repo.activity[: int(query.get("per_page", 30))]
        if rest[0] == "issues":
            return self._issues("GET", repo, rest[1:], query, None, auth)
        return 404, {}, {"message": "Not Found"}

    def write(
        self, method: str, path: str, query: dict[str, str], body: Any, auth: str
    ) -> tuple[int, dict[str, str], Any]:
        """Answer a POST or PATCH under /repos/{o}/{r}/issues, counted, limited and faulted like a GET."""
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if len(parts) < 4 or parts[0] != "repos" or parts[3] != "issues":
            return 404, {}, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
        key = f"{parts[1]}/{parts[2]}".lower()
        if self.latency:
            time.sleep(self.latency)
        with self._lock:
            self.counts[key] += 1
            self.log.append((key, f"{method} issues", "/".join(parts[4:])))
            if auth:
                self.auth_headers.add(auth)
        now = time.time()
        if self.exhausted_until > now:
            return 403, _limit_headers(self.exhausted_until), {"message": "API rate limit exceeded for user ID 1."}
        repo = self.repos.get(key)
        if repo is None:
            return 404, {}, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
        fault = self._take_fault(repo, "issue-write")  # GETs of the issues are faulted as `issues`
        if fault is not None:
            if fault.kind == "500":
                return 500, {}, {"message": "Server Error"}
            if fault.kind == "secondary":
                return 403, {"Retry-After": "0"}, {
                    "message": "You have exceeded a secondary rate limit. Please wait a few minutes."}
            if fault.kind == "primary":
                self.exhausted_until = now + fault.seconds
                return 403, _limit_headers(self.exhausted_until), {"message": "API rate limit exceeded for user ID 1."}
        return self._issues(method, repo, parts[4:], query, body, auth)

    def _issues(self, method: str, repo: FakeRepo, rest: list[str], query: dict[str, str], body: Any,
                auth: str) -> tuple[int, dict[str, str], Any]:
        """Answer an issues request with GitHub's rate-limit headers, as every REST answer carries them."""
        status, headers, data = repo.issues.answer(method, self.url, repo.full_name, rest, query, body, auth)
        with self._lock:
            self.core_used += 1
            used = self.core_used
        limits = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": str(max(5000 - used, 0)),
                  "X-RateLimit-Used": str(used), "X-RateLimit-Reset": str(int(self.core_reset)),
                  "X-RateLimit-Resource": "core"}
        return status, {**limits, **headers}, data

    def _take_fault(self, repo: FakeRepo, kind: str) -> Fault | None:
        with self._lock:
            for fault in repo.faults:
                if fault.on in ("any", kind) and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def _commits(self, repo: FakeRepo, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        if not repo.commits:
            return 409, {}, {"message": "Git Repository is empty."}
        start = len(repo.commits) - 1
        sha = query.get("sha")
        if sha and sha != "main":
            found = next((i for i, c in enumerate(repo.commits) if c.sha == sha), None)
            if found is None:
                return 404, {}, {"message": f"No commit found for SHA: {sha}"}
            start = found
        history = list(reversed(repo.commits[: start + 1]))
        if "until" in query:
            until = _parse(query["until"])
            history = [c for c in history if c.date <= until]
        if "since" in query:
            since = _parse(query["since"])
            history = [c for c in history if c.date >= since]
        if "path" in query:
            prefix = query["path"].strip("/")
            history = [c for c in history if any(p == prefix or p.startswith(prefix + "/") for p in c.touched)]
        per_page = int(query.get("per_page", 30))
        page = int(query.get("page", 1))
        chosen = history[(page - 1) * per_page : page * per_page]
        return 200, {}, [self._commit_json(repo, c) for c in chosen]

    def _commit_json(self, repo: FakeRepo, commit: FakeCommit) -> dict[str, Any]:
        base = f"{self.url}/repos/{repo.full_name}"
        person = {"name": "Student", "email": "student@example.com", "date": iso(commit.date)}
        index = repo.commits.index(commit)
        parents = [repo.commits[index - 1].sha] if index else []
        return {
            "sha": commit.sha,
            "node_id": f"C_{commit.sha[:8]}",
            "url": f"{base}/commits/{commit.sha}",
            "html_url": f"https://example.invalid/{repo.full_name}/commit/{commit.sha}",
            "commit": {
                "author": person,
                "committer": person,
                "message": commit.message,
                "tree": {"sha": commit.tree_sha, "url": f"{base}/git/trees/{commit.tree_sha}"},
                "url": f"{base}/git/commits/{commit.sha}",
            },
            "author": None,
            "committer": None,
            "parents": [{"sha": p, "url": f"{base}/commits/{p}"} for p in parents],
        }

    def _tree(self, repo: FakeRepo, sha: str, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        commit = next((c for c in repo.commits if sha in (c.tree_sha, c.sha)), None)
        if commit is None:
            return 404, {}, {"message": "Not Found"}
        base = f"{self.url}/repos/{repo.full_name}"
        entries = []
        folders = sorted({"/".join(p.split("/")[:i]) for p in commit.files for i in range(1, p.count("/") + 1)})
        entries += [{"path": f, "mode": "040000", "type": "tree", "sha": _sha("dir", f)} for f in folders]
        for path, data in sorted(commit.files.items()):
            entries.append(
                {
                    "path": path,
                    "mode": "100644",
                    "type": "blob",
                    "sha": blob_sha(data),
                    "size": len(data),
                    "url": f"{base}/git/blobs/{blob_sha(data)}",
                }
            )
        return (
            200,
            {},
            {"sha": commit.tree_sha, "url": f"{base}/git/trees/{commit.tree_sha}", "tree": entries, "truncated": False},
        )

    def _blob(self, repo: FakeRepo, sha: str) -> tuple[int, dict[str, str], Any]:
        for commit in reversed(repo.commits):
            for data in commit.files.values():
                if blob_sha(data) == sha:
                    return (
                        200,
                        {},
                        {
                            "sha": sha,
                            "node_id": f"B_{sha[:8]}",
                            "size": len(data),
                            "url": f"{self.url}/repos/{repo.full_name}/git/blobs/{sha}",
                            "content": base64.encodebytes(data).decode("ascii"),
                            "encoding": "base64",
                        },
                    )
        return 404, {}, {"message": "Not Found"}


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _limit_headers(reset: float) -> dict[str, str]:
    return {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(reset) + 1)}


def _handler(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as separate writes; without this, Nagle and delayed ACKs add ~40 ms each.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            split = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(split.query).items()}
            status, headers, body = fake.answer(split.path, query, self.headers.get("Authorization", ""))
            if status == 599:  # the hanging connection: close without an answer
                self.close_connection = True
                return
            data = json.dumps(body).encode() if not isinstance(body, str) else body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"null")
            except ValueError:
                body = None
            split = urlsplit(self.path)
            if split.path.rstrip("/") != "/graphql":
                query = {k: v[-1] for k, v in parse_qs(split.query).items()}
                status, headers, answer = fake.write("POST", split.path, query, body,
                                                     self.headers.get("Authorization", ""))
            else:
                status, headers, answer = fake.graphql(body, self.headers.get("Authorization", ""))
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_PATCH(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"null")
            except ValueError:
                body = None
            split = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(split.query).items()}
            auth = self.headers.get("Authorization", "")
            status, headers, answer = fake.write("PATCH", split.path, query, body, auth)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler
