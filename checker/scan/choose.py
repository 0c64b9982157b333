"""Decide which commit of a repository a scan checks: the scan's one deadline logic, pure, over what was read.

The sources (`github.py` over REST, `graphql.py` in batches, `local.py` from git clones) only read. Each hands
what it read of a branch to `choose` as a `History` and gets back one of three answers:

- a `Choice`: the commit, how it was chosen, its late counts and the notes about it;
- a `FetchFailure` value: `no-commit`, when no commit on the branch is at or before the deadline;
- a `Need`: the piece of history the decision still lacks. The source reads it (or finds it in its cache),
  adds it to the history and asks again; `settle` runs that loop for a source that reads one repository at a
  time. REST, for example, lists the branch once, and asks GitHub for the deadline commit (`until=`) only when
  `choose` says the listing ends before it.

How the commit is chosen:

1. a head recorded at the deadline (`--heads`): exactly that commit. When a complete listing of the branch no
   longer holds it, a note says so (force-pushed away?);
2. a deadline: the first listed commit committed at or before it. A complete listing without one means
   `no-commit`; a listing that ends before one (or no listing yet) asks for it (`Need("until")`). With push
   times, the head as last pushed before the deadline replaces it (`_pushed`), with notes on later pushes;
3. otherwise the branch head.

The late counts: the commits listed above the chosen one (`total`) and those of them that touched the report's
folder (`folder`, from the listing of the folder's commits). When the chosen commit lies below a full listing,
only the folder's commits can be counted (by date), `total` is unknown, and a note says that more commits came
after the deadline than one listing holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, get_args

from checker.records import NamedTuple
from checker.scan.snapshot import DeadlineSource, FetchFailure, Plan, utc_text

LISTING = 30  # commits a source lists of a branch (one page): more than any group pushes after a deadline

NeedKind = Literal["until", "pushes", "listing", "late"]


@dataclass(frozen=True)
class Listed:
    """A commit as a listing gives it: its sha and its committer date (aware)."""

    sha: str
    date: datetime


@dataclass(frozen=True)
class Push:
    """One push to a branch, from GitHub's activity log."""

    after: str
    ref: str
    time: datetime
    force: bool = False


@dataclass(frozen=True)
class Pushes:
    """The pushes the activity log holds, or why it could not be read."""

    events: tuple[Push, ...] = ()
    unavailable: str | None = None


class Late(NamedTuple):
    """Commits after the chosen one: those that touched the report's folder, and all of them (None: unknown)."""

    folder: int | None
    total: int | None


@dataclass(frozen=True)
class History:
    """What a source has read of one repository's branch so far; None means "not read yet"."""

    head: Listed
    commits: tuple[Listed, ...] | None = None  # the branch from its head down, newest first
    complete: bool = False  # `commits` reaches the branch's first commit
    touched: tuple[Listed, ...] | None = None  # the branch's commits that touched the report's folder
    until: tuple[Listed, ...] | None = None  # the server's last commit at or before the deadline; () none
    pushes: Pushes | None = None
    counted: tuple[str, Late] | None = None  # late counts of a commit for this head, known from an earlier read
    branch: str | None = None  # the branch's name, where the source knows it


@dataclass(frozen=True)
class Need:
    """What `choose` lacks: the deadline commit, the pushes, or the listing or late counts around `commit`."""

    what: NeedKind
    commit: str = ""


@dataclass(frozen=True)
class Choice:
    """The commit to check in one repository, how it was chosen, and what came after it."""

    commit: str
    date: datetime | None
    head: str
    source: DeadlineSource
    late: Late
    notes: tuple[str, ...] = ()
    branch: str | None = None
    counted: bool = False  # the late counts were worked out from the history: worth keeping in a cache


Decision = Choice | Need | FetchFailure


def choose(plan: Plan, key: str, seen: History) -> Decision:
    """Choose the commit of repository `key` that the plan asks for, or say what is missing or why none."""
    head = seen.head
    recorded = plan.heads.get(key)
    source = plan.source(key)
    branch = plan.branch or seen.branch
    notes: list[str] = []
    if recorded is not None:
        if recorded.sha != head.sha and seen.commits is None:
            return Need("listing", recorded.sha)  # only a listing tells whether it is still on the branch
        listed = _find(seen.commits or (head,), recorded.sha)
        sha, date = recorded.sha, listed.date if listed else None
        if listed is None and seen.complete:
            notes.append(f"the recorded head {sha[:12]} is no longer on the branch (force-pushed?)")
    elif plan.deadline is not None:
        dated = _dated(plan.deadline, seen)
        if not isinstance(dated, Listed):
            return dated
        sha, date = dated.sha, dated.date
        if plan.push_times:
            if seen.pushes is None:
                return Need("pushes")
            pushed, said, pushed_branch = _pushed(plan, plan.deadline, seen.pushes, head.sha, sha)
            notes += said
            branch = branch or pushed_branch
            if pushed is not None:
                source = "push-time"
                if pushed != sha:
                    listed = _find(seen.commits or (head,), pushed)
                    sha, date = pushed, listed.date if listed else None
    else:
        sha, date = head.sha, head.date
    late = _late(plan, seen, sha, date)
    if isinstance(late, Need):
        return late
    off_branch = seen.complete and seen.commits is not None and _find(seen.commits, sha) is None
    if source in ("commit-date", "push-time") and late.total is None and not off_branch:
        notes.insert(0, f"more than {LISTING - 1} commits came after the deadline")
    known = sha == head.sha or (seen.counted is not None and seen.counted[0] == sha)
    return Choice(sha, date, head.sha, source, late, tuple(notes), branch, counted=not known)


def settle(plan: Plan, key: str, seen: History, answer: Callable[[Need, History], History]) -> Choice:
    """Ask `choose` until it decides, reading each missing piece with `answer`; raise its failure."""
    for _ in range(len(get_args(NeedKind)) + 1):  # each kind of need is answered once at most
        decision = choose(plan, key, seen)
        if isinstance(decision, FetchFailure):
            raise decision
        if isinstance(decision, Choice):
            return decision
        seen = answer(decision, seen)
    raise RuntimeError(f"{key}: the source did not answer {decision}")


def with_counts(seen: History, commit: str, late: Late | None) -> History:
    """Add late counts known from an earlier read (None: none known) to a history."""
    return seen if late is None else replace(seen, counted=(commit, late))


def _find(commits: Sequence[Listed], sha: str) -> Listed | None:
    return next((c for c in commits if c.sha == sha), None)


def _no_commit(deadline: datetime) -> FetchFailure:
    return FetchFailure("no-commit", f"no commit on the branch at or before {utc_text(deadline)}")


def _dated(deadline: datetime, seen: History) -> Listed | Need | FetchFailure:
    """Return the last commit at or before the deadline, from the listing or from the server's own answer."""
    if seen.commits is not None:
        found = next((c for c in seen.commits if c.date <= deadline), None)
        if found is not None:
            return found
        if seen.complete:
            return _no_commit(deadline)
    if seen.until is None:
        return Need("until")
    return seen.until[0] if seen.until else _no_commit(deadline)


def _late(plan: Plan, seen: History, sha: str, date: datetime | None) -> Late | Need:
    """Count the commits after the chosen one, all of them and those that touched the report's folder."""
    if sha == seen.head.sha:
        return Late(0, 0)
    if seen.counted is not None and seen.counted[0] == sha:
        return seen.counted[1]
    commits = seen.commits
    position = next((i for i, c in enumerate(commits) if c.sha == sha), None) if commits is not None else None
    if position is None and date is None:
        return Late(None, None)  # a commit below the listing whose date is unknown: nothing to count by
    touched = seen.touched if plan.folder else commits  # a report at the top: every commit touches its folder
    if commits is None or touched is None:
        return Need("late", sha)
    if position is not None:
        after = {c.sha for c in commits[:position]}
        return Late(sum(1 for c in touched if c.sha in after), position)
    assert date is not None
    return Late(sum(1 for c in touched if c.date > date), None)


def _pushed(
    plan: Plan, deadline: datetime, pushes: Pushes, head: str, chosen: str
) -> tuple[str | None, list[str], str | None]:
    """Return the branch head as last pushed before the deadline (None: keep the dated commit), notes, branch."""
    if pushes.unavailable is not None:
        return None, [f"push times unavailable ({pushes.unavailable}); commit chosen by commit date"], None
    ref = f"refs/heads/{plan.branch}" if plan.branch else None
    if ref is None:
        ref = next((p.ref for p in pushes.events if p.after == head), None) or None
    if ref is None:
        return None, ["push times: no push of the current head is recorded; commit chosen by commit date"], None
    ordered = sorted((p for p in pushes.events if p.ref == ref), key=lambda p: p.time, reverse=True)
    late = [p for p in ordered if p.time > deadline]
    notes: list[str] = []
    if late:
        notes.append(f"{len(late)} push(es) to the branch after the deadline")
    notes.extend(f"force-pushed after the deadline at {utc_text(p.time)}" for p in late if p.force)
    branch = ref.removeprefix("refs/heads/")
    before = [p for p in ordered if p.time <= deadline]
    if not before:
        notes.append("push times do not reach back to the deadline; commit chosen by commit date")
        return None, notes, branch
    pushed = before[0].after
    if pushed and pushed != chosen:
        notes.append(
            f"commit {chosen[:12]} (dated before the deadline) was pushed after it; "
            f"checking {pushed[:12]}, the head pushed before the deadline"
        )
    return pushed or None, notes, branch
