"""Read snapshots from local clones (`DIR/group_N/REPO`, as the course's clone tool makes them) with git."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from checker.errors import CheckerError
from checker.scan.groups import Target
from checker.scan.snapshot import FetchFailure, Plan, Snapshot, parse_time, utc_text

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


def snapshot(target: Target, plan: Plan) -> Snapshot:
    """Read the commit this plan chooses in a local clone, its tree and its report."""
    assert target.local_path is not None
    path = Path(target.local_path)
    if not (path / ".git").exists():
        raise FetchFailure("not-found", f"{path} is not a git clone")
    ref = plan.branch and f"refs/remotes/origin/{plan.branch}"
    if not ref:
        try:
            ref = _text(path, "symbolic-ref", "-q", "refs/remotes/origin/HEAD")
        except FetchFailure:
            ref = "HEAD"
    try:
        head = _text(path, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}")
    except FetchFailure:
        raise FetchFailure("empty", "the repository has no commits") from None
    key = target.key
    recorded = plan.heads.get(key)
    source = plan.source(key)
    notes: list[str] = []
    if recorded is not None:
        chosen = recorded.sha
        try:
            _text(path, "cat-file", "-e", f"{chosen}^{{commit}}")
        except FetchFailure:
            raise FetchFailure("not-found", f"commit {chosen[:12]} is not in the clone (fetch it)") from None
    elif plan.deadline is not None:
        chosen = _text(path, "rev-list", "-1", f"--before={utc_text(plan.deadline)}", ref)
        if not chosen:
            raise FetchFailure("no-commit", f"no commit at or before {utc_text(plan.deadline)}")
    else:
        chosen = head
    late_total = int(_text(path, "rev-list", "--count", f"{chosen}..{head}"))
    late = int(_text(path, "rev-list", "--count", f"{chosen}..{head}", "--", "reports"))
    date = _text(path, "show", "-s", "--format=%cI", chosen)
    listing = _git(path, "ls-tree", "-r", "-z", "--name-only", chosen, data=True)
    assert isinstance(listing, bytes)
    paths = tuple(sorted(p.decode("utf-8", "surrogateescape") for p in listing.split(b"\0") if p))
    report_path: str | None = plan.report_path
    if report_path not in paths:
        from checker.scan.core import find_report_in_tree

        report_path = find_report_in_tree(paths)
    report = None
    if report_path is not None:
        blob = _git(path, "cat-file", "blob", f"{chosen}:{report_path}", data=True)
        assert isinstance(blob, bytes)
        report = blob
    branch = ref.removeprefix("refs/remotes/origin/").removeprefix("refs/heads/")
    return Snapshot(
        commit=chosen,
        commit_date=utc_text(parse_time(date)) if date else None,
        head=head,
        deadline_source=source,
        tree_paths=paths,
        report_path=report_path,
        report=report,
        late_commits=late,
        late_total=late_total,
        branch=None if branch == "HEAD" else branch,
        notes=tuple(notes),
    )
