"""The fake GitHub's GraphQL endpoint: a small schema executed by graphql-core over the fake's repositories.

Only what the batched scan asks for: `repository(owner, name)`, its `defaultBranchRef` / `ref(qualifiedName)`,
`object(expression)` for `<sha>`, `<sha>:<folder>` and `<sha>:<file>`, commit `history(first, until, since,
path)`, tree entries and blob text. A missing repository answers null with a NOT_FOUND error at its alias, as
GitHub does; `FakeRepo.graphql_error` makes one repository fail that way with any error type. A repository
behind SAML single sign-on answers FORBIDDEN with `extensions.saml_failure`, a blocked one FORBIDDEN. A query
that lists more tree entries of a repository than its `FakeRepo.tree_timeout` fails as a whole, as GitHub's
answer to a query it gave up on: no data, one error without a `path`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError, GraphQLResolveInfo, build_schema, graphql_sync

if TYPE_CHECKING:
    from fakegithub import FakeCommit, FakeGitHub, FakeRepo

SCHEMA = build_schema(
    """
    scalar GitTimestamp
    type Query { repository(owner: String!, name: String!): Repository }
    type Repository {
      nameWithOwner: String!
      defaultBranchRef: Ref
      ref(qualifiedName: String!): Ref
      object(expression: String, oid: String): GitObject
    }
    type Ref { name: String! target: GitObject }
    interface GitObject { oid: String! }
    type Commit implements GitObject {
      oid: String!
      committedDate: String!
      history(first: Int, until: GitTimestamp, since: GitTimestamp, path: String): CommitHistoryConnection!
    }
    type CommitHistoryConnection { totalCount: Int! nodes: [Commit!]! }
    type Tree implements GitObject { oid: String! entries: [TreeEntry!]! }
    type TreeEntry { name: String! path: String type: String! size: Int! object: GitObject }
    type Blob implements GitObject {
      oid: String!
      byteSize: Int!
      isBinary: Boolean
      isTruncated: Boolean!
      text: String
    }
    """
)
TEXT_LIMIT = 512 * 1024  # GitHub cuts blob text; past this the batched scan reads the blob over REST
TIMEOUT = ("Something went wrong while executing your query. This may be the result of a timeout, or it could be a "
           "GitHub bug. Please include `0000:0000:0000000:0000000:00000000` when reporting this issue.")


class GitHubError(GraphQLError):
    """An error GitHub reports with a `type` (NOT_FOUND, FORBIDDEN, ...)."""

    def __init__(self, kind: str, message: str, extensions: dict[str, Any] | None = None) -> None:
        super().__init__(message, extensions=extensions)
        self.kind = kind


def _date(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Commit:
    """A commit as GraphQL sees it."""

    def __init__(self, repo: FakeRepo, commit: FakeCommit) -> None:
        from fakegithub import iso

        self.repo, self.commit = repo, commit
        self.oid = commit.sha
        self.committedDate = iso(commit.date)

    def history(
        self,
        info: GraphQLResolveInfo,
        first: int | None = None,
        until: str | None = None,
        since: str | None = None,
        path: str | None = None,
    ) -> dict[str, Any]:
        index = self.repo.commits.index(self.commit)
        found = list(reversed(self.repo.commits[: index + 1]))
        if until is not None:
            found = [c for c in found if c.date <= _date(until)]
        if since is not None:
            found = [c for c in found if c.date >= _date(since)]
        if path:
            prefix = path.strip("/")
            found = [c for c in found if any(p == prefix or p.startswith(prefix + "/") for p in c.touched)]
        nodes = found[:first] if first is not None else found
        return {"totalCount": len(found), "nodes": [Commit(self.repo, c) for c in nodes]}


class Tree:
    """A folder of a commit."""

    def __init__(self, repo: FakeRepo, commit: FakeCommit, folder: str) -> None:
        from fakegithub import sha_of

        self.repo, self.commit, self.folder = repo, commit, folder
        self.oid = sha_of("dir", commit.sha, folder)

    def entries(self, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
        prefix = f"{self.folder}/" if self.folder else ""
        children: dict[str, str] = {}
        for path in self.commit.files:
            if path.startswith(prefix):
                name, _, rest = path[len(prefix) :].partition("/")
                children[name] = "tree" if rest else "blob"
        listed = info.context.setdefault("entries", {})
        listed[self.repo.full_name] = listed.get(self.repo.full_name, 0) + len(children)
        return [
            {"name": n, "path": prefix + n, "type": kind, "object": _object(self.repo, self.commit, prefix + n),
             "size": len(self.commit.files[prefix + n]) if kind == "blob" else 0}
            for n, kind in sorted(children.items())
        ]


class Blob:
    """A file of a commit."""

    def __init__(self, data: bytes) -> None:
        from fakegithub import blob_sha

        self.oid = blob_sha(data)
        self.byteSize = len(data)
        self.isBinary = b"\0" in data[:8000]
        self.isTruncated = len(data) > TEXT_LIMIT
        self.text = None if self.isBinary else data[:TEXT_LIMIT].decode("utf-8", errors="replace")


def _object(repo: FakeRepo, commit: FakeCommit, path: str) -> Tree | Blob | None:
    if path in commit.files:
        return Blob(commit.files[path])
    if any(p.startswith(path + "/") for p in commit.files) or not path:
        return Tree(repo, commit, path)
    return None


class Repository:
    """One fake repository."""

    def __init__(self, repo: FakeRepo) -> None:
        self.repo = repo
        self.nameWithOwner = repo.full_name

    def _ref(self) -> dict[str, Any] | None:
        if not self.repo.commits:
            return None
        return {"name": "main", "target": Commit(self.repo, self.repo.commits[-1])}

    def defaultBranchRef(self, info: GraphQLResolveInfo) -> dict[str, Any] | None:
        return self._ref()

    def ref(self, info: GraphQLResolveInfo, qualifiedName: str) -> dict[str, Any] | None:
        return self._ref() if qualifiedName in ("main", "refs/heads/main") else None

    def object(
        self, info: GraphQLResolveInfo, expression: str | None = None, oid: str | None = None
    ) -> Commit | Tree | Blob | None:
        revision, _, path = (expression or oid or "").partition(":")
        commits = {c.sha: c for c in self.repo.commits}
        if revision in ("HEAD", "main") and self.repo.commits:
            revision = self.repo.commits[-1].sha
        commit = commits.get(revision)
        if commit is None:
            return None
        if ":" not in (expression or ""):
            return Commit(self.repo, commit)
        return _object(self.repo, commit, path.strip("/"))


def execute(fake: FakeGitHub, body: dict[str, Any]) -> dict[str, Any]:
    """Run one GraphQL request against the fake's repositories and answer as GitHub does."""

    def repository(info: GraphQLResolveInfo, owner: str, name: str) -> Repository:
        key = f"{owner}/{name}".lower()
        fake.graphql_repos[key] += 1
        repo = fake.repos.get(key)
        if repo is None:
            raise GitHubError("NOT_FOUND", f"Could not resolve to a Repository with the name '{owner}/{name}'.")
        if repo.graphql_error is not None:
            raise GitHubError(repo.graphql_error, f"{repo.graphql_error} for '{owner}/{name}'.")
        if repo.saml:
            from fakegithub import SAML

            raise GitHubError("FORBIDDEN", SAML, {"saml_failure": True})
        if repo.blocked:
            raise GitHubError("FORBIDDEN", "Repository access blocked")
        return Repository(repo)

    def type_of(value: Any, info: GraphQLResolveInfo, abstract: Any) -> str:
        return type(value).__name__

    context: dict[str, Any] = {}
    result = graphql_sync(
        SCHEMA,
        str(body.get("query", "")),
        root_value={"repository": repository},
        context_value=context,
        variable_values=body.get("variables") or {},
        type_resolver=type_of,
    )
    for name, count in context.get("entries", {}).items():
        limit = fake.repos[name.lower()].tree_timeout
        if limit is not None and count > limit:  # GitHub gives up on the whole query, naming nothing
            return {"data": None, "errors": [{"message": TIMEOUT}]}
    answer: dict[str, Any] = {}
    if result.errors:
        errors = []
        for error in result.errors:
            formatted = dict(error.formatted)
            original = error.original_error
            if isinstance(original, GitHubError):
                formatted["type"] = original.kind
            elif isinstance(error, GitHubError):
                formatted["type"] = error.kind
            errors.append(formatted)
        answer["errors"] = errors
    if result.data is not None or not result.errors:
        answer = {"data": result.data, **answer}
    return answer
