"""A fake GitHub API on 127.0.0.1 serving exactly what the scan asks PyGithub for, from in-memory repos.

Endpoints: `GET /repos/{o}/{r}/commits` (sha, path, since, until, per_page, page), `/git/trees/{sha}`
(a commit, its tree or one of its folders; recursive, cut at `FakeRepo.tree_limit` entries with
`truncated: true` as GitHub does past 100,000), `/git/blobs/{sha}`, `/activity`, `GET /orgs/{org}/repos`, and
`POST /graphql`, executed for real over the same repositories (see fakegraphql.py), and the issues endpoints
`notify` uses (list, create, update, comment; see `FakeIssues`).

It answers as GitHub's documentation says (REST and GraphQL "Rate limits", "Exceeding the rate limit"):
every answer carries the `x-ratelimit-*` headers of its resource (`core` or `graphql`); an error is a JSON
object with `message`, `documentation_url` and `status`; a used-up primary limit is a 403 (or 429) with
`x-ratelimit-remaining: 0` over REST and a 200 with an error of type RATE_LIMITED (or RATE_LIMIT) over GraphQL;
a secondary limit is a 403 or 429 whose message says so, with `retry-after` or without; a repository blocked
for legal reasons answers 451 with its `block`; one behind SAML single sign-on a 403 with `X-GitHub-SSO`.

Time is `FakeGitHub.clock`: the tests give the scan the same `FakeClock`, so a wait the scan asks for moves
the server's time on, and the test reads the waits asked for in `clock.sleeps` instead of waiting them.
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

from checker.scan.clock import Clock

DOCS = "https://docs.github.com/rest"
LIMIT = 5000  # points an hour, REST and GraphQL alike for a personal access token
TREE_LIMIT = 100_000  # entries of a recursive tree listing before GitHub cuts it short
PRIMARY = "API rate limit exceeded for user ID 1."
SECONDARY = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
SAML = (
    "Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this "
    "organization."
)


def sha_of(*parts: str | bytes) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
    return digest.hexdigest()


def blob_sha(data: bytes) -> str:
    """Return git's blob sha of some bytes."""
    return sha_of(f"blob {len(data)}\0".encode(), data)


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
        return sha_of("tree", self.sha)


class FakeClock(Clock):
    """Real time, plus every wait asked of it, which takes no time: recorded in `sleeps` (to 0.1 s), then skipped.

    So a scan that waits on it sees the server's limit over at once, and a client on the real clock (a command
    run as a subprocess, say) still sees the server's time pass as its own.
    """

    def __init__(self) -> None:
        super().__init__()
        self.skipped = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def time(self) -> float:
        with self._lock:
            return time.time() + self.skipped

    def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        with self._lock:
            self.sleeps.append(round(seconds, 1))
            self.skipped += seconds


@dataclass
class Fault:
    """Something going wrong on the next `times` requests of a kind (`any`, commits, tree, blob, activity,
    issues: their listing, issue-write: a POST or PATCH of them).

    Kinds: "500", "502", "hang", "latency" (`seconds` of real time); "primary" (the limit is used up for
    `seconds` of the clock's time; `status` 403 or 429); "secondary" (`status` 403 or 429, `retry_after`
    seconds or no header when None); "ok" (a normal answer, to let faults start later). On GraphQL also
    "404" and "404-html" (a proxy's page), a 200 "primary" whose error has the type `graphql_type` ("" for
    none), and "partial": data with an error that names no path and, as a resource limit may leave it, the
    folder's commit history (`touched`) missing.
    """

    kind: str
    times: int = 1
    on: str = "any"
    seconds: float = 0.0
    status: int = 403
    retry_after: int | None = None
    graphql_type: str = "RATE_LIMITED"


@dataclass
class FakeRepo:
    """A repository with a linear history on `main` (oldest first) and a push log."""

    full_name: str
    commits: list[FakeCommit] = field(default_factory=list)
    activity: list[dict[str, Any]] | None = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    graphql_error: str | None = None  # answer this repository's alias with null and an error of this type
    blocked: bool = False  # unavailable for legal reasons: every REST request answers 451
    saml: bool = False  # its organisation enforces SAML single sign-on the token is not authorised for
    tree_limit: int = TREE_LIMIT
    tree_timeout: int | None = None  # GraphQL gives up on a query listing more tree entries of it (fakegraphql)
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
        sha = sha_of(self.full_name, parent, iso(when), repr(sorted(touched)), str(len(self.commits)))
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

    def __init__(self, latency: float = 0.0, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.used: Counter[str] = Counter()  # points used this hour, by resource
        self.window = self.clock.time() + 3600  # when the hour's points reset (x-ratelimit-reset)
        self.repos: dict[str, FakeRepo] = {}
        self.orgs: dict[str, list[str]] = {}
        self.latency = latency
        self.counts: Counter[str] = Counter()
        self.graphql_repos: Counter[str] = Counter()
        self.graphql_faults: list[Fault] = []  # "500" / "502" / "primary" answers to the next GraphQL requests
        self.log: list[tuple[str, str, str]] = []  # (repo, kind, query)
        self.queries: list[str] = []  # the text of every GraphQL query received
        self.auth_headers: set[str] = set()
        self.exhausted_until = 0.0
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

    def limit_headers(self, resource: str) -> dict[str, str]:
        """Return the x-ratelimit-* headers every answer carries, counting this request."""
        now = self.clock.time()
        with self._lock:
            if now >= self.window:
                self.window, self.used[resource] = now + 3600, 0
            if self.exhausted_until > now:
                return {"x-ratelimit-limit": str(LIMIT), "x-ratelimit-remaining": "0", "x-ratelimit-used": str(LIMIT),
                        "x-ratelimit-reset": str(int(self.exhausted_until) + 1), "x-ratelimit-resource": resource}
            self.used[resource] += 1
            used = self.used[resource]
            return {"x-ratelimit-limit": str(LIMIT), "x-ratelimit-remaining": str(max(LIMIT - used, 0)),
                    "x-ratelimit-used": str(used), "x-ratelimit-reset": str(int(self.window)),
                    "x-ratelimit-resource": resource}

    def graphql(self, body: Any, auth: str) -> tuple[int, dict[str, str], Any]:
        """Answer one POST /graphql."""
        from fakegraphql import execute

        if self.latency:
            time.sleep(self.latency)
        with self._lock:
            self.counts[GRAPHQL] += 1
            self.log.append((GRAPHQL, "graphql", ""))
            self.queries.append(str(body.get("query", "")) if isinstance(body, dict) else "")
            if auth:
                self.auth_headers.add(auth)
            fault = next((f for f in self.graphql_faults if f.times > 0), None)
            if fault is not None:
                fault.times -= 1
        if fault is not None and fault.kind == "404":
            return 404, {}, _error("Not Found", 404)
        if fault is not None and fault.kind == "404-html":  # a proxy's page, not GitHub's JSON
            return 404, {}, "<html><body><h1>404 Not Found</h1></body></html>"
        now = self.clock.time()
        if fault is not None and fault.kind == "primary":
            self.exhausted_until = now + fault.seconds
        headers = self.limit_headers("graphql")
        if self.exhausted_until > now:
            error: dict[str, Any] = {"message": PRIMARY}
            kind = fault.graphql_type if fault is not None and fault.kind == "primary" else "RATE_LIMITED"
            if kind:
                error["type"] = kind
            return 200, headers, {"errors": [error]}
        if fault is not None and fault.kind == "secondary":
            return fault.status, {**headers, **_retry_after(fault)}, _error(SECONDARY, fault.status)
        if fault is not None and fault.kind in ("500", "502"):
            return int(fault.kind), {}, _error("Server Error", int(fault.kind))
        if not isinstance(body, dict):
            return 400, headers, _error("Problems parsing JSON", 400)
        answer = execute(self, body)
        if fault is not None and fault.kind == "partial":
            for node in (answer.get("data") or {}).values():
                if isinstance(node, dict) and isinstance(node.get("head"), dict):
                    node["head"]["touched"] = None
            answer.setdefault("errors", []).append(
                {"message": "Something went wrong while executing your query. This may be the result of a timeout."}
            )
        return 200, headers, answer

    # --- request handling -------------------------------------------------------------------------------

    def answer(self, path: str, query: dict[str, str], auth: str) -> tuple[int, dict[str, str], Any]:
        status, headers, body = self._answer(path, query, auth)
        if status == 599 or status >= 500:
            return status, headers, body
        return status, {**self.limit_headers("core"), **headers}, body

    def _answer(self, path: str, query: dict[str, str], auth: str) -> tuple[int, dict[str, str], Any]:
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if self.latency:
            time.sleep(self.latency)
        if len(parts) == 3 and parts[0] == "orgs" and parts[2] == "repos":
            names = self.orgs.get(parts[1].lower())
            if names is None:
                return 404, {}, _error("Not Found", 404)
            return 200, {}, [{"full_name": n, "name": n.split("/")[1], "url": f"{self.url}/repos/{n}"} for n in names]
        if len(parts) < 4 or parts[0] != "repos":
            return 404, {}, _error("Not Found", 404)
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
        now = self.clock.time()
        if self.exhausted_until > now:
            return 403, {}, _error(PRIMARY, 403)
        repo = self.repos.get(key)
        if repo is None:
            return 404, {}, _error("Not Found", 404)
        if repo.saml:
            sso = f"required; url=https://github.com/orgs/{parts[1]}/sso?authorization_request=A1B2C3"
            return 403, {"X-GitHub-SSO": sso}, _error(SAML, 403)
        if repo.blocked:
            block = {"reason": "dmca", "created_at": "2031-01-02T10:00:00Z",
                     "html_url": "https://github.com/github/dmca/blob/master/2031/01/2031-01-02-example.md"}
            return 451, {}, {**_error("Repository access blocked", 451), "block": block}
        fault = self._take_fault(repo, kind)
        if fault is not None:
            if fault.kind == "latency":
                time.sleep(fault.seconds)
            elif fault.kind == "500":
                return 500, {}, _error("Server Error", 500)
            elif fault.kind == "502":
                return 502, {}, "<html>bad gateway</html>"
            elif fault.kind == "secondary":
                return fault.status, _retry_after(fault), _error(SECONDARY, fault.status)
            elif fault.kind == "primary":
                self.exhausted_until = now + fault.seconds
                return fault.status, {}, _error(PRIMARY, fault.status)
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
                return 404, {}, _error("Not Found", 404)
            return 200, {}, repo.activity[: int(query.get("per_page", 30))]
        if rest[0] == "issues":
            return repo.issues.answer("GET", self.url, repo.full_name, rest[1:], query, None, auth)
        return 404, {}, _error("Not Found", 404)

    def write(
        self, method: str, path: str, query: dict[str, str], body: Any, auth: str
    ) -> tuple[int, dict[str, str], Any]:
        """Answer a POST or PATCH under /repos/{o}/{r}/issues, counted, limited and faulted like a GET."""
        status, headers, answer = self._write(method, path, query, body, auth)
        if status >= 500:
            return status, headers, answer
        return status, {**self.limit_headers("core"), **headers}, answer

    def _write(
        self, method: str, path: str, query: dict[str, str], body: Any, auth: str
    ) -> tuple[int, dict[str, str], Any]:
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if len(parts) < 4 or parts[0] != "repos" or parts[3] != "issues":
            return 404, {}, _error("Not Found", 404)
        key = f"{parts[1]}/{parts[2]}".lower()
        if self.latency:
            time.sleep(self.latency)
        with self._lock:
            self.counts[key] += 1
            self.log.append((key, f"{method} issues", "/".join(parts[4:])))
            if auth:
                self.auth_headers.add(auth)
        now = self.clock.time()
        if self.exhausted_until > now:
            return 403, {}, _error(PRIMARY, 403)
        repo = self.repos.get(key)
        if repo is None:
            return 404, {}, _error("Not Found", 404)
        fault = self._take_fault(repo, "issue-write")  # GETs of the issues are faulted as `issues`
        if fault is not None:
            if fault.kind == "500":
                return 500, {}, _error("Server Error", 500)
            if fault.kind == "secondary":
                return fault.status, _retry_after(fault), _error(SECONDARY, fault.status)
            if fault.kind == "primary":
                self.exhausted_until = now + fault.seconds
                return fault.status, {}, _error(PRIMARY, fault.status)
        return repo.issues.answer(method, self.url, repo.full_name, parts[4:], query, body, auth)

    def _take_fault(self, repo: FakeRepo, kind: str) -> Fault | None:
        with self._lock:
            for fault in repo.faults:
                if fault.on in ("any", kind) and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def _commits(self, repo: FakeRepo, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        if not repo.commits:
            return 409, {}, _error("Git Repository is empty.", 409)
        start = len(repo.commits) - 1
        sha = query.get("sha")
        if sha and sha != "main":
            found = next((i for i, c in enumerate(repo.commits) if c.sha == sha), None)
            if found is None:
                return 404, {}, _error(f"No commit found for SHA: {sha}", 404)
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
        found = next(
            ((c, folder) for c in reversed(repo.commits) for folder in ("", *_folders(c))
             if sha == _tree_sha(c, folder) or (not folder and sha == c.sha)),
            None,
        )
        if found is None:
            return 404, {}, _error("Not Found", 404)
        commit, folder = found
        recursive = query.get("recursive") not in (None, "", "0", "false")
        base = f"{self.url}/repos/{repo.full_name}"
        prefix = f"{folder}/" if folder else ""
        entries = []
        for path in sorted([*(f for f in _folders(commit) if f.startswith(prefix)), *commit.files]):
            if not path.startswith(prefix):
                continue
            relative = path[len(prefix):]
            if not recursive and "/" in relative:
                continue
            if path in commit.files:
                data = commit.files[path]
                entries.append({"path": relative, "mode": "100644", "type": "blob", "sha": blob_sha(data),
                                "size": len(data), "url": f"{base}/git/blobs/{blob_sha(data)}"})
            else:
                tree = _tree_sha(commit, path)
                entries.append({"path": relative, "mode": "040000", "type": "tree", "sha": tree,
                                "url": f"{base}/git/trees/{tree}"})
        truncated = recursive and len(entries) > repo.tree_limit
        tree = _tree_sha(commit, folder)
        return 200, {}, {"sha": tree, "url": f"{base}/git/trees/{tree}", "tree": entries[: repo.tree_limit] if
                         truncated else entries, "truncated": truncated}

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
        return 404, {}, _error("Not Found", 404)


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _error(message: str, status: int) -> dict[str, str]:
    """Return an error body as GitHub's REST API writes it."""
    return {"message": message, "documentation_url": DOCS, "status": str(status)}


def _retry_after(fault: Fault) -> dict[str, str]:
    return {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}


def _folders(commit: FakeCommit) -> list[str]:
    """Return every folder of a commit (not the top one)."""
    return sorted({"/".join(p.split("/")[:i]) for p in commit.files for i in range(1, p.count("/") + 1)})


def _tree_sha(commit: FakeCommit, folder: str) -> str:
    """Return the sha of a folder's tree in a commit ("" : the commit's own tree)."""
    return commit.tree_sha if not folder else sha_of("dir", commit.sha, folder)


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
            kind = "application/json" if not isinstance(body, str) else "text/html"
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
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
            data = json.dumps(answer).encode() if not isinstance(answer, str) else answer.encode()
            self.send_response(status)
            kind = "application/json" if not isinstance(answer, str) else "text/html"
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
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
