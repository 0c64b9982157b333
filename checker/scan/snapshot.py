"""What a scan reads from one repository, and how reading it can fail (as values, not crashes)."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Literal, Protocol

from checker.files import REPORT_PATH
from checker.records import NamedTuple
from checker.source import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from checker.evidence import EvidenceRules, Places
    from checker.scan.choose import Choice
    from checker.scan.groups import Target

DeadlineSource = Literal["head", "commit-date", "heads", "push-time"]

# The checklist's evidence: the scan reads at most this many small files of a repository (`evidence.wanted_files`
# chooses them from the file list), each only when the tree says it is no larger than SMALL_FILE_BYTES: a
# dependency list or a workflow is a few KB, and a lock file over the limit is left unread ("not read").
SMALL_FILES = 2
SMALL_FILE_BYTES = 128 * 1024

# Statuses of a repository row. "ok" means the report was checked; the others say why it was not.
# Final ones are kept by --resume; every other status (rate-limited, timeout, server-error, ...) is read again.
# `blocked` (451, unavailable for legal reasons) and `sso-required` (a 403 for SAML single sign-on) are final:
# reading again changes nothing until someone acts (docs/scanning.md says who).
FINAL_STATUSES = frozenset(
    {"ok", "no-report", "unreadable", "not-found", "empty", "no-commit", "blocked", "sso-required"}
)


@dataclass(frozen=True)
class RecordedHead:
    """A default-branch head read at the deadline by `--record-heads`."""

    sha: str
    read_at: str


@dataclass(frozen=True)
class Plan:
    """Which commit of each repository to check: the head, the last before a deadline, or a recorded head."""

    deadline: datetime | None = None
    heads: Mapping[str, RecordedHead] = field(default_factory=dict)
    push_times: bool = False
    branch: str | None = None
    report_path: str = REPORT_PATH
    max_bytes: int = DEFAULT_MAX_BYTES  # a report larger than this is not downloaded, nor checked
    # The checklist's evidence rules the small files are chosen for (the forced question set's, else the newest
    # shipped set's: the shipped sets share them); None: read no small file.
    evidence: EvidenceRules | None = field(default=None, compare=False, repr=False)

    @property
    def folder(self) -> str:
        """Return the report's folder, whose commits the late counts count ("" for a report at the top)."""
        return posixpath.dirname(self.report_path)

    def source(self, key: str) -> DeadlineSource:
        """Return how the commit of this repository is chosen before any push time is known."""
        if key in self.heads:
            return "heads"
        return "commit-date" if self.deadline is not None else "head"

    def small_files(self, paths: Sequence[str]) -> tuple[str, ...]:
        """Return the small files to read for the checklist's evidence, the most informative first (no request)."""
        if self.evidence is None:
            return ()
        from checker.evidence import wanted_files

        return wanted_files(self.evidence, paths, SMALL_FILES)

    def places(self) -> Places:
        """Return where the small files most often chosen are before any tree is read, so a source can read
        them with the tree (none without evidence rules)."""
        from checker.evidence import Places, fixed_places

        return Places() if self.evidence is None else fixed_places(self.evidence)


class BlobRef(NamedTuple):
    """Where a source reads a file it listed: its blob sha and size, as the tree gives them."""

    sha: str
    size: int


@dataclass(frozen=True)
class CommitFiles:
    """What never changes for a commit: its date, its tree, and its report once read (`report_sha` names it).

    `small_files` are the small files read for the checklist's evidence (path -> bytes; None: not read yet; a
    file chosen but over SMALL_FILE_BYTES is missing from it). `refs` tell a source where to read the files it
    chose, as its tree listing gave them (not cached).
    """

    commit_date: str | None
    tree_paths: tuple[str, ...]
    report_path: str | None
    report: bytes | None
    notes: tuple[str, ...] = ()
    report_sha: str | None = None
    # None: `tree_paths` lists the whole tree. A folder (the batched scan's "reports"): only the files under
    # it are listed, enough for this commit's report, whose figure links all land in it.
    tree_scope: str | None = None
    report_size: int | None = None  # bytes, as the tree gives it: a report over the limit is never downloaded
    small_files: Mapping[str, bytes] | None = None
    # The batched read lists the tree this many levels deep, and some folder at the last level was not listed
    # (None: no folder was left out). A REST read of the same commit lists the whole tree again.
    tree_depth: int | None = None
    truncated: bool = False  # GitHub listed only part of a very large tree (over 100,000 entries)
    refs: Mapping[str, BlobRef] = field(default_factory=dict, compare=False, repr=False)

    @property
    def gap(self) -> str:
        """Say why `tree_paths` may lack files of the commit ("": they are all there)."""
        if self.truncated:
            return "GitHub lists this repository's tree only in part (over 100,000 entries)"
        if self.tree_depth is not None:
            return f"the batched scan lists folders only {self.tree_depth} levels deep"
        return ""

    def oversized(self, limit: int) -> bool:
        """Tell whether the report is known to be larger than `limit` bytes (so it is not read)."""
        size = len(self.report) if self.report is not None else self.report_size
        return size is not None and size > limit

    def complete(self, limit: int, evidence: bool = False) -> bool:
        """Tell whether nothing is left to read: the report is here (with `evidence`, the small files were read
        too), or there is none, or it is too large."""
        if self.report_sha is None or self.oversized(limit):
            return True  # no report to check: nothing more to read
        return self.report is not None and (not evidence or self.small_files is not None)


@dataclass(frozen=True)
class Snapshot:
    """One repository as a source read it: the commit `choose` chose, that commit's files, and what it cost."""

    choice: Choice
    files: CommitFiles
    requests: int = 0
    cached: bool = False

    @property
    def commit_date(self) -> str | None:
        """Return the chosen commit's date, from the listing or else from its files."""
        return utc_text(self.choice.date) if self.choice.date is not None else self.files.commit_date

    @property
    def notes(self) -> tuple[str, ...]:
        """Return what the scan noticed about the commit, then about its files."""
        return (*self.choice.notes, *self.files.notes)


class Source(Protocol):
    """Where a scan reads repositories (GitHub over REST, in GraphQL batches, or local clones), for one plan.

    A source only reads: it hands what it read of a branch to `choose.choose`, and the commit it chose, with
    that commit's files, back as a Snapshot. Reading fails with FetchFailure (the repository's row says why)
    or RateLimited (every worker waits, or the scan stops).
    """

    def prepare(self, targets: Sequence[Target]) -> None:
        """Get ready to read these repositories (a batched source groups them; no request)."""

    def fetch(self, target: Target) -> Snapshot:
        """Read the plan's commit of one repository with its files."""
        ...

    def head(self, target: Target) -> str:
        """Return the sha of one repository's branch head (for --record-heads)."""
        ...

    def close(self) -> None:
        """Let go of connections."""


class FetchFailure(Exception):
    """Reading a repository failed in a way that becomes its row: a status and a one-line reason."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(f"{status}: {reason}")
        self.status = status
        self.reason = reason

    @classmethod
    def empty(cls) -> FetchFailure:
        """Return the failure of a repository without commits, as every source words it."""
        return cls("empty", "the repository is empty (no commits yet)")


LimitKind = Literal["primary", "secondary"]


class RateLimited(Exception):
    """A rate limit says to send nothing until `until` (a POSIX time; None: unknown, wait a minute).

    `primary`: the hourly limit is used up. `secondary`: GitHub's limit on bursts, still hit after the retries
    of `ScanRetry`; every worker waits for it as well.
    """

    def __init__(self, until: float | None, kind: LimitKind = "primary") -> None:
        super().__init__("API rate limit exhausted" if kind == "primary" else "secondary rate limit")
        self.until = until
        self.kind = kind


def utc_text(moment: datetime) -> str:
    """Format an aware datetime as ISO 8601 in UTC with a Z, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str, zone: tzinfo | None = UTC) -> datetime:
    """Parse an ISO 8601 time (GitHub's `Z` too); one without zone gets `zone`, or stays naive with None.

    The scan's one reader of time stamps: git's, GitHub's REST and GraphQL answers, and --deadline. Raises
    ValueError for a text that is not such a time.
    """
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo or zone is None else moment.replace(tzinfo=zone)
