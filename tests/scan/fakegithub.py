"""A fake GitHub REST API on 127.0.0.1 serving exactly what the scan asks PyGithub for, from in-memory repos.

Endpoints: `GET /repos/{o}/{r}/commits` (sha, path, since, until, per_page, page), `/git/trees/{sha}`
(a tree or commit sha; recursive), `/git/blobs/{sha}`, `/activity`, and `GET /orgs/{org}/repos`.
Requests are counted per repository and logged by kind; faults are injected per repository.
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
    """Something going wrong on the next `times` requests of a kind (`any`, commits, tree, blob, activity)."""

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


class FakeGitHub:
    """The server: start() it, point PyGithub's base_url at `url`, read `counts` and `log` afterwards."""

    def __init__(self, latency: float = 0.0) -> None:
        self.repos: dict[str, FakeRepo] = {}
        self.orgs: dict[str, list[str]] = {}
        self.latency = latency
        self.counts: Counter[str] = Counter()
        self.log: list[tuple[str, str, str]] = []  # (repo, kind, query)
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
            self.log.clear()

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
        return 404, {}, {"message": "Not Found"}

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

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler
