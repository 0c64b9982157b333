"""The issues of one fake repository, answered as GitHub's REST API documents them (API version 2022-11-28).

What `reportcheck notify` uses, and what GitHub says of it:

- `GET /repos/{o}/{r}/issues` ("List repository issues"): `state` open (default), closed or all; `labels`
  (comma-separated, all must match), `creator`, `sort` created (default), updated or comments, `direction`
  desc (default) or asc, `per_page` (default 30, at most 100), `page`; a `Link` header with `next`, `last`,
  `first`, `prev`. Pull requests are listed too, told apart by their `pull_request` key.
- `POST /repos/{o}/{r}/issues` ("Create an issue"): `title` required (a string or a number), `body`,
  `labels` (names; a label that does not exist is made); 201 with a `Location` header.
- `PATCH /repos/{o}/{r}/issues/{n}` ("Update an issue"): `title`, `body`, `state` open or closed, `state_reason`
  completed, not_planned, reopened or null (ignored unless the state changes), `labels` (replaces them all).
- `POST /repos/{o}/{r}/issues/{n}/comments` ("Create an issue comment"): `body` required; 201.

Errors have GitHub's shape, `{"message", "documentation_url", "status"}` (422 adds `errors`): 400 for a body
that is not JSON, 401 for a write without a token, 404 for a repository the token cannot see (`access="none"`)
or an issue that does not exist, 403 for a token without the issues permission (`access="read"`), 410 Gone on
every issues endpoint of a repository whose issues are disabled, 422 for a missing or invalid field. The rate-limit
headers and faults are added by `FakeGitHub`, as for its other endpoints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlencode

Answer = tuple[int, dict[str, str], Any]
DOCS = "https://docs.github.com/rest/issues"
STATE_REASONS = ("completed", "not_planned", "reopened")


def error(status: int, message: str, docs: str = DOCS, errors: list[dict[str, str]] | None = None) -> Answer:
    """Return an error answer in GitHub's shape."""
    body: dict[str, Any] = {"message": message, "documentation_url": docs, "status": str(status)}
    if errors is not None:
        body["errors"] = errors
    return status, {}, body


def invalid(resource: str, field_name: str, code: str = "invalid") -> Answer:
    """Return GitHub's 422 for one field."""
    return error(422, "Validation Failed", errors=[{"resource": resource, "code": code, "field": field_name}])


@dataclass
class FakeIssues:
    """A repository's issues and pull requests, its comments, and who may do what."""

    enabled: bool = True
    access: Literal["write", "read", "none"] = "write"  # what the token may do with this repository's issues
    login: str = "course-bot"  # the token's user, author of what it creates
    items: list[dict[str, Any]] = field(default_factory=list)
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    writes: list[tuple[str, str, Any]] = field(default_factory=list)  # (method, path, body) of accepted writes
    clock: datetime | None = None  # a fixed time for created_at and friends; None: now

    def add(self, title: str, body: str, *, state: str = "open", user: str = "student",
            labels: tuple[str, ...] = (), pull_request: bool = False) -> dict[str, Any]:
        """Add an issue (or a pull request) someone wrote, as the list shows it."""
        item = self._new("", "", title, body, user, labels)
        item["state"] = state
        if state == "closed":
            item["closed_at"], item["state_reason"] = item["updated_at"], "completed"
        if pull_request:
            item["pull_request"] = {"url": "", "html_url": ""}
        return item

    def find(self, number: int) -> dict[str, Any] | None:
        """Return an issue by number."""
        return next((item for item in self.items if item["number"] == number), None)

    def answer(self, method: str, base: str, full_name: str, rest: list[str], query: dict[str, str],
               body: Any, auth: str) -> Answer:
        """Answer one request under /repos/{full_name}/issues; `rest` is the path after `issues`."""
        if self.access == "none":
            return error(404, "Not Found", "https://docs.github.com/rest")
        if method != "GET" and not auth:
            return error(401, "Requires authentication", "https://docs.github.com/rest")
        if not self.enabled:
            return error(410, "Issues are disabled for this repo", "https://docs.github.com/v3/issues/")
        if method != "GET" and self.access != "write":
            return error(403, "Resource not accessible by personal access token")
        if method != "GET" and not isinstance(body, dict):
            return error(400, "Problems parsing JSON")
        if not rest:
            if method == "GET":
                return self._list(base, full_name, query)
            if method == "POST":
                return self._create(base, full_name, body)
        elif rest[0].isdigit():
            issue = self.find(int(rest[0]))
            if issue is None:
                return error(404, "Not Found")
            if len(rest) == 1 and method == "GET":
                return 200, {}, issue
            if len(rest) == 1 and method == "PATCH":
                return self._update(issue, body, f"/repos/{full_name}/issues/{rest[0]}")
            if rest[1:] == ["comments"] and method == "POST":
                return self._comment(base, full_name, issue, body)
        return error(404, "Not Found", "https://docs.github.com/rest")

    def _now(self) -> str:
        return (self.clock or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _new(self, base: str, full_name: str, title: str, body: str | None, user: str,
             labels: tuple[str, ...]) -> dict[str, Any]:
        number = len(self.items) + 1
        url = f"{base}/repos/{full_name}/issues/{number}"
        now = self._now()
        item: dict[str, Any] = {
            "url": url,
            "repository_url": f"{base}/repos/{full_name}",
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": f"https://github.com/{full_name}/issues/{number}",
            "id": 1000 + number,
            "node_id": f"I_{number:08d}",
            "number": number,
            "title": title,
            "user": {"login": user, "id": 1, "type": "User"},
            "labels": [self._label(name) for name in labels],
            "state": "open",
            "locked": False,
            "assignee": None,
            "assignees": [],
            "milestone": None,
            "comments": 0,
            "created_at": now,
            "updated_at": now,
            "closed_at": None,
            "author_association": "OWNER",
            "body": body,
            "state_reason": None,
        }
        self.items.append(item)
        return item

    @staticmethod
    def _label(name: str) -> dict[str, Any]:
        return {"id": abs(hash(name)) % 10**6, "node_id": f"LA_{name}", "url": "", "name": name,
                "color": "ededed", "default": False, "description": None}

    def _list(self, base: str, full_name: str, query: dict[str, str]) -> Answer:
        state = query.get("state", "open")
        sort, direction = query.get("sort", "created"), query.get("direction", "desc")
        if state not in ("open", "closed", "all"):
            return invalid("Issue", "state")
        if sort not in ("created", "updated", "comments") or direction not in ("asc", "desc"):
            return invalid("Issue", "sort" if sort not in ("created", "updated", "comments") else "direction")
        try:
            per_page = min(max(int(query.get("per_page", 30)), 1), 100)
            page = max(int(query.get("page", 1)), 1)
        except ValueError:
            return error(400, "Invalid page or per_page")
        chosen = [item for item in self.items if state in ("all", item["state"])]
        if "labels" in query:
            wanted = {name.strip() for name in query["labels"].split(",") if name.strip()}
            chosen = [i for i in chosen if wanted <= {label["name"] for label in i["labels"]}]
        if "creator" in query:
            chosen = [i for i in chosen if i["user"]["login"].lower() == query["creator"].lower()]
        key = {"created": "number", "updated": "updated_at", "comments": "comments"}[sort]
        chosen.sort(key=lambda i: (i[key], i["number"]), reverse=direction == "desc")
        pages = max(1, -(-len(chosen) // per_page))
        links = []

        def link(number: int, rel: str) -> str:
            return f'<{base}/repos/{full_name}/issues?{urlencode({**query, "page": number})}>; rel="{rel}"'

        if page < pages:
            links += [link(page + 1, "next"), link(pages, "last")]
        if page > 1:
            links += [link(1, "first"), link(page - 1, "prev")]
        headers = {"Link": ", ".join(links)} if links else {}
        return 200, headers, chosen[(page - 1) * per_page : page * per_page]

    def _labels(self, value: Any) -> list[str] | None:
        if not isinstance(value, list):
            return None
        names = [v if isinstance(v, str) else v.get("name") if isinstance(v, dict) else None for v in value]
        return None if any(not isinstance(n, str) or not n for n in names) else names  # type: ignore[misc]

    def _create(self, base: str, full_name: str, body: dict[str, Any]) -> Answer:
        title = body.get("title")
        if title is None or title == "":
            return invalid("Issue", "title", "missing_field")
        if not isinstance(title, str | int) or isinstance(title, bool):
            return invalid("Issue", "title")
        labels = self._labels(body.get("labels", []))
        if labels is None:
            return invalid("Issue", "labels")
        text = body.get("body")
        if text is not None and not isinstance(text, str):
            return invalid("Issue", "body")
        issue = self._new(base, full_name, str(title), text, self.login, tuple(labels))
        self.writes.append(("POST", f"/repos/{full_name}/issues", body))
        return 201, {"Location": issue["url"]}, issue

    def _update(self, issue: dict[str, Any], body: dict[str, Any], path: str) -> Answer:
        state, reason = body.get("state"), body.get("state_reason")
        if state is not None and state not in ("open", "closed"):
            return invalid("Issue", "state")
        if "state_reason" in body and reason is not None and reason not in STATE_REASONS:
            return invalid("Issue", "state_reason")
        for name in ("title", "body"):
            if name in body and body[name] is not None and not isinstance(body[name], str):
                return invalid("Issue", name)
        labels = self._labels(body["labels"]) if "labels" in body else None
        if "labels" in body and labels is None:
            return invalid("Issue", "labels")
        if body.get("title") is not None:
            issue["title"] = body["title"]
        if "body" in body:
            issue["body"] = body["body"]
        if labels is not None:
            issue["labels"] = [self._label(name) for name in labels]
        if state is not None and state != issue["state"]:  # state_reason counts only with a change of state
            issue["state"] = state
            if state == "closed":
                issue["closed_at"], issue["state_reason"] = self._now(), reason or "completed"
            else:
                issue["closed_at"], issue["state_reason"] = None, reason or "reopened"
        issue["updated_at"] = self._now()
        self.writes.append(("PATCH", path, body))
        return 200, {}, issue

    def _comment(self, base: str, full_name: str, issue: dict[str, Any], body: dict[str, Any]) -> Answer:
        text = body.get("body")
        if not isinstance(text, str) or not text:
            return invalid("IssueComment", "body", "missing_field")
        thread = self.comments.setdefault(issue["number"], [])
        number = sum(len(c) for c in self.comments.values()) + 1
        url = f"{base}/repos/{full_name}/issues/comments/{5000 + number}"
        now = self._now()
        comment = {"id": 5000 + number, "node_id": f"IC_{number:08d}", "url": url,
                   "html_url": f"{issue['html_url']}#issuecomment-{5000 + number}", "body": text,
                   "user": {"login": self.login, "id": 2, "type": "User"}, "created_at": now, "updated_at": now,
                   "issue_url": issue["url"], "author_association": "OWNER"}
        thread.append(comment)
        issue["comments"] = len(thread)
        self.writes.append(("POST", f"/repos/{full_name}/issues/{issue['number']}/comments", body))
        return 201, {"Location": url}, comment
