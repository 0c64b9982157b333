"""One sticky pull-request comment per report: found again by a hidden marker and edited, never duplicated.

Uses the REST API with urllib so the action needs no client library. The token is only ever sent to the API
base URL of the run (`GITHUB_API_URL`), never to a URL taken from a response. A fork's pull request runs
with a read-only token, so the comment is skipped there with a notice instead of failing the check.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

MAX_BODY = 65536
TIMEOUT = 15


@dataclass(frozen=True)
class PullRequest:
    """The pull request a run belongs to, and whether its token can write to the base repository."""

    repository: str
    number: int
    read_only: bool


def marker(key: str) -> str:
    """Return the hidden marker that identifies this report's comment."""
    return f"<!-- reportcheck:sticky {quote(key, safe='/._-')} -->"


def pull_request(env: Mapping[str, str]) -> PullRequest | None:
    """Find the pull request of this run in the event payload, or None when the run has none."""
    event_path = env.get("GITHUB_EVENT_PATH")
    if not event_path or env.get("GITHUB_EVENT_NAME") not in ("pull_request", "pull_request_target"):
        return None
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
        pr = event["pull_request"]
        number = int(pr["number"])
        base = pr["base"]["repo"]["full_name"]
        head_repo = (pr.get("head") or {}).get("repo") or {}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    from_fork = head_repo.get("full_name") != base
    # pull_request_target runs in the base repository with a writable token, even for forks.
    read_only = from_fork and env.get("GITHUB_EVENT_NAME") == "pull_request"
    return PullRequest(str(env.get("GITHUB_REPOSITORY") or base), number, read_only)


class APIError(Exception):
    """An HTTP error from the API, with its status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class GitHubAPI:
    """The few REST calls the comment needs, against one base URL."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    def call(self, method: str, url: str, body: dict[str, Any] | None = None) -> tuple[Any, str]:
        """Send one request to a URL under the base URL; return (JSON data, Link header)."""
        if not url.startswith(self.base_url + "/"):
            raise APIError(0, f"refusing to send the token to {urlsplit(url).netloc}")
        request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode())
        request.add_header("Accept", "application/vnd.github+json")
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("X-GitHub-Api-Version", "2022-11-28")
        request.add_header("User-Agent", "reportcheck")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                raw = response.read()
                link = response.headers.get("Link", "")
        except urllib.error.HTTPError as exc:
            raise APIError(exc.code, f"HTTP {exc.code} from {method} {urlsplit(url).path}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise APIError(0, f"cannot reach the API ({exc})") from None
        return (json.loads(raw) if raw else None), link

    def url(self, path: str) -> str:
        """Return the full URL of an API path."""
        return f"{self.base_url}{path}"


def _next_link(link: str) -> str | None:
    for part in link.split(","):
        target, _, params = part.partition(";")
        if 'rel="next"' in params:
            return target.strip().strip("<>")
    return None


def upsert(api: GitHubAPI, pr: PullRequest, key: str, body: str) -> str:
    """Create or edit the report's comment on the pull request; return what was done."""
    tag = marker(key)
    text = f"{tag}\n{body}"
    if len(text) > MAX_BODY:
        text = text[: MAX_BODY - 200] + "\n\n… cut here: the job summary has the full table.\n"
    url: str | None = api.url(f"/repos/{pr.repository}/issues/{pr.number}/comments?per_page=100")
    while url:
        comments, link = api.call("GET", url)
        for existing in comments or []:
            if tag in str(existing.get("body") or ""):
                if existing.get("body") == text:
                    return "comment unchanged"
                api.call("PATCH", api.url(f"/repos/{pr.repository}/issues/comments/{int(existing['id'])}"),
                         {"body": text})
                return "comment updated"
        url = _next_link(link)
    api.call("POST", api.url(f"/repos/{pr.repository}/issues/{pr.number}/comments"), {"body": text})
    return "comment created"


def sticky_comment(env: Mapping[str, str], token: str, body: str, *, key: str) -> str:
    """Post or update the comment when the run can; return a one-line notice of what happened."""
    pr = pull_request(env)
    if pr is None:
        return "no comment: this run is not for a pull request"
    if pr.read_only:
        return "no comment: pull requests from forks get a read-only token; see the job summary"
    if not token:
        return "no comment: no token (set the action's `token` input)"
    api = GitHubAPI(env.get("GITHUB_API_URL") or "https://api.github.com", token)
    try:
        return upsert(api, pr, key, body)
    except APIError as exc:
        if exc.status in (401, 403, 404):
            return (f"no comment: the token may not write comments ({exc}); give the job "
                    "`permissions: pull-requests: write`")
        return f"no comment: {exc}"
