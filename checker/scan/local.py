"""Read local clones (`DIR/group_N/REPO`, as the course's clone tool makes them) with git; `choose` decides."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from checker.errors import CheckerError
from checker.files import find_report_in_tree
from checker.scan.choose import History, Listed, Need, Pushes, settle
from checker.scan.groups import Target
from checker.scan.snapshot import CommitFiles, FetchFailure, Plan, Snapshot, parse_time, utc_text

GROUP_DIR = re.compile(r"^group_(\d+)$")


def discover(root: Path, registered: list[Target] | None = None) -> list[Target]:
    """Return one target per clone under `root`, with its group number and, if known, its students."""
    if not root.is_dir():
        raise CheckerError(f"{root}: not a folder of cloned repositories")
    by_group = {t.group: t for t in registered or [] if t.group is not None}
    by_name = {t.repo.split("/")[-1].lower(): t for t in registered or []}
    targets: list[Target] = []
    for group_dir in sorted(root.iterdir(), key=lambda p: _natural(p.name)):
        match = GROUP_DIR.match(group_dir.name)
        if group_dir.is_dir() and match:
            clones = sorted(p for p in group_dir.iterdir() if (p / ".git").exists())
            group = int(match.group(1))
        elif group_dir.is_dir() and (group_dir / ".git").exists():
            clones, group = [group_dir], None
        else:
            continue
        for clone in clones:
            known = by_group.get(group) if group is not None else by_name.get(clone.name.lower())
            repo = known.repo if known is not None else f"{group_dir.name}/{clone.name}"
            targets.append(
                Target(
                    repo=repo,
                    group=group if group is not None else (known.group if known else None),
                    students=known.students if known else (),
                    line=known.line if known else None,
                    local_path=str(clone),
                )
            )
    if not targets:
        raise CheckerError(f"{root}: no clones found (expected group_N/REPO folders with a .git inside)")
    return targets


def _natural(name: str) -> tuple[int, str]:
    """Sort group_2 before group_10."""
    match = GROUP_DIR.match(name)
    return (int(match.group(1)) if match else 1 << 30, name)


def _git(path: Path, *args: str, data: bool = False) -> str | bytes:
    """Run one git command in a clone; a failure becomes a FetchFailure."""
    try:
        done = subprocess.run(["git", "-C", str(path), *args], capture_output=True, check=False, timeout=120)
    except FileNotFoundError:
        raise CheckerError("git is not installed; --local needs it") from None
    except subprocess.TimeoutExpired:
        raise FetchFailure("timeout", f"git {args[0]} took more than 120 s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise FetchFailure("error", f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout if data else done.stdout.decode("utf-8", "replace").strip()


def _text(path: Path, *args: str) -> str:
    """Run a git command and return its output as text."""
    out = _git(path, *args)
    assert isinstance(out, str)
    return out


def head(target: Target, plan: Plan) -> str:
    """Return the sha of the clone's branch head (origin's default branch, or the plan's branch)."""
    path = _clone(target)
    return _head(path, _ref(path, plan))


def snapshot(target: Target, plan: Plan) -> Snapshot:
    """Read a clone's branch for `choose`, then the chosen commit's tree and report, with git."""
    path = _clone(target)
    ref = _ref(path, plan)
    top = _head(path, ref)
    commits = _log(path, ref)
    if not commits or commits[0].sha != top:
        raise FetchFailure("error", f"git log {ref} does not start at its head {top[:12]}")
    branch = ref.removeprefix("refs/remotes/origin/").removeprefix("refs/heads/")
    seen = History(
        head=commits[0],
        commits=commits,
        complete=True,  # git lists the whole branch
        touched=_log(path, ref, "--", plan.folder) if plan.folder else None,
        branch=None if branch == "HEAD" else branch,
    )

    def answer(need: Need, seen: History) -> History:
        if need.what == "pushes":
            return replace(seen, pushes=Pushes(unavailable="a clone has no push log"))
        raise AssertionError(f"a clone lists the whole branch; asked for {need.what}")

    choice = settle(plan, target.key, seen, answer)
    return Snapshot(choice, _files(path, choice.commit, plan.report_path))


def _clone(target: Target) -> Path:
    """Return the clone's folder, or fail when it is not a git clone."""
    assert target.local_path is not None
    path = Path(target.local_path)
    if not (path / ".git").exists():
        raise FetchFailure("not-found", f"{path} is not a git clone")
    return path


def _ref(path: Path, plan: Plan) -> str:
    """Return the ref of the branch to read: the plan's, else origin's default branch, else HEAD."""
    if plan.branch:
        return f"refs/remotes/origin/{plan.branch}"
    try:
        return _text(path, "symbolic-ref", "-q", "refs/remotes/origin/HEAD")
    except FetchFailure:
        return "HEAD"


def _head(path: Path, ref: str) -> str:
    """Return the commit `ref` points at, or fail with `empty`."""
    try:
        return _text(path, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}")
    except FetchFailure:
        raise FetchFailure.empty() from None


def _log(path: Path, ref: str, *limit: str) -> tuple[Listed, ...]:
    """List the branch from `ref` down, newest first, as GitHub lists it (optionally only commits under a path)."""
    lines = _text(path, "log", "--no-show-signature", "--format=%H %cI", ref, *limit).splitlines()
    return tuple(Listed(sha, parse_time(date)) for sha, _, date in (line.partition(" ") for line in lines))


def _files(path: Path, commit: str, report_path: str) -> CommitFiles:
    """Read a commit's tree, date and report from the clone."""
    try:
        _text(path, "cat-file", "-e", f"{commit}^{{commit}}")
    except FetchFailure:
        raise FetchFailure("not-found", f"commit {commit[:12]} is not in the clone (fetch it)") from None
    date = _text(path, "show", "-s", "--format=%cI", commit)
    listing = _git(path, "ls-tree", "-r", "-z", "--name-only", commit, data=True)
    assert isinstance(listing, bytes)
    paths = tuple(sorted(p.decode("utf-8", "surrogateescape") for p in listing.split(b"\0") if p))
    found = report_path if report_path in paths else find_report_in_tree(paths)
    report = None
    if found is not None:
        blob = _git(path, "cat-file", "blob", f"{commit}:{found}", data=True)
        assert isinstance(blob, bytes)
        report = blob
    return CommitFiles(utc_text(parse_time(date)) if date else None, paths, found, report)


class LocalSource:
    """Read local clones with git, for one plan."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def prepare(self, targets: Sequence[Target]) -> None:
        """Nothing to prepare: each clone is read on its own."""

    def fetch(self, target: Target) -> Snapshot:
        """Read the plan's commit of one clone, its tree and its report."""
        return snapshot(target, self.plan)

    def head(self, target: Target) -> str:
        """Return the sha of the clone's branch head."""
        return head(target, self.plan)

    def close(self) -> None:
        """Nothing to close."""
