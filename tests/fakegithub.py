"""A tiny stand-in for GitHub's issue-comment REST API on 127.0.0.1, for the sticky-comment tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeGitHub:
    """In-memory comments of one pull request, the requests seen, and knobs for failure modes."""

    repository: str = "course/group-7"
    number: int = 5
    comments: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str, str]] = field(default_factory=list)
    page_size: int = 2
    forbid_writes: bool = False
    next_link: str | None = None
    url: str = ""

    def add(self, body: str) -> None:
        """Add a comment someone else wrote."""
        self.comments.append({"id": 1000 + len(self.comments), "body": body, "user": {"login": "someone"}})


def _handler(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    base = f"/repos/{fake.repository}"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet."""

        def _send(self, status: int, data: Any, link: str = "") -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            if link:
                self.send_header("Link", link)
            self.end_headers()
            self.wfile.write(raw)

        def _body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length", "0"))
            data: dict[str, Any] = json.loads(self.rfile.read(length) or b"{}")
            return data

        def _record(self) -> tuple[str, dict[str, list[str]]]:
            parts = urlsplit(self.path)
            fake.requests.append((self.command, parts.path, self.headers.get("Authorization", "")))
            return parts.path, parse_qs(parts.query)

        def do_GET(self) -> None:
            path, query = self._record()
            if path != f"{base}/issues/{fake.number}/comments":
                self._send(404, {"message": "Not Found"})
                return
            page = int(query.get("page", ["1"])[0])
            start = (page - 1) * fake.page_size
            chunk = fake.comments[start:start + fake.page_size]
            link = ""
            if start + fake.page_size < len(fake.comments):
                target = fake.next_link or f"{fake.url}{path}?per_page=100&page={page + 1}"
                link = f'<{target}>; rel="next"'
            self._send(200, chunk, link)

        def do_POST(self) -> None:
            path, _ = self._record()
            if fake.forbid_writes:
                self._send(403, {"message": "Resource not accessible by integration"})
                return
            if path != f"{base}/issues/{fake.number}/comments":
                self._send(404, {"message": "Not Found"})
                return
            comment = {"id": 1000 + len(fake.comments), "body": self._body()["body"], "user": {"login": "bot"}}
            fake.comments.append(comment)
            self._send(201, comment)

        def do_PATCH(self) -> None:
            path, _ = self._record()
            if fake.forbid_writes:
                self._send(403, {"message": "Resource not accessible by integration"})
                return
            for comment in fake.comments:
                if path == f"{base}/issues/comments/{comment['id']}":
                    comment["body"] = self._body()["body"]
                    self._send(200, comment)
                    return
            self._send(404, {"message": "Not Found"})

    return Handler


@contextmanager
def serve(fake: FakeGitHub | None = None) -> Iterator[FakeGitHub]:
    """Serve a FakeGitHub on a free port of 127.0.0.1 for the duration of the block."""
    fake = fake or FakeGitHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
