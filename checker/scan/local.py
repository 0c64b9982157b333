"""Read local clones (`DIR/group_N/REPO`, as the course's clone tool makes them) with git; `choose` decides."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from checker.errors import CheckerError
from checker.files import find_report_in_tree
from checker.scan.choose import History, Listed, Need, Pushes, settle
from checker.scan.groups import Target
from checker.scan.snapshot import SMALL_FILE_BYTES, CommitFiles, FetchFailure, Plan, Snapshot, parse_time, utc_text

GROUP_DIR = re.compile(r"^group_(\d+)$")


@dataclass(frozen=True)
class Clone:
    """A clone found under the clones folder: its path, and the group its `group_N` folder names (or None)."""

    path: Path
    group: int | None

    @property
    def name(self) -> str:
        """Return the repository name as the scan calls an unregistered clone: `group_N/REPO`, or `REPO`."""
        return f"group_{self.group}/{self.path.name}" if self.group is not None else self.path.name


def list_clones(root: Path) -> list[Clone]:
    """Return the clones under `root`: `root/group_N/REPO` (the course's clone tool) or `root/REPO`."""
    clones: list[Clone] = []
    for folder in sorted(root.iterdir(), key=lambda p: _natural(p.name)):
        match = GROUP_DIR.match(folder.name)
        if folder.is_dir() and match:
            group = int(match.group(1))
            clones += [Clone(p, group) for p in sorted(folder.iterdir()) if (p / ".git").exists()]
        elif folder.is_dir() and (folder / ".git").exists():
            clones.append(Clone(folder, None))
    return clones


def find_clone(clones: Iterable[Clone], repo: str, group: int | None) -> Clone | None:
    """Return the clone of a group's repository: in its `group_N` folder (by name, or the only one there),
    else a top-level clone of the same name.
    """
    name = repo.rsplit("/", 1)[-1].lower()
    if group is not None:
        mine = [c for c in clones if c.group == group]
        named = [c for c in mine if c.path.name.lower() == name]
        if named or len(mine) == 1:
            return (named or mine)[0]
    return next((c for c in clones if c.group is None and c.path.name.lower() == name), None)


def discover(root: Path, registered: list[Target] | None = None) -> list[Target]:
    """Return the targets of a clones folder: with a group file, one per registered group (found or not) and
    one per clone the file does not list, marked so; without, one per clone.
    """
    if not root.is_dir():
        raise CheckerError(f"{root}: not a folder of cloned repositories")
    clones = list_clones(root)
    if not clones:
        raise CheckerError(f"{root}: no clones found (expected group_N/REPO folders with a .git inside)")
    if not registered:
        return [Target(repo=c.name, group=c.group, local_path=str(c.path)) for c in clones]
    targets: list[Target] = []
    taken: set[Path] = set()
    for target in registered:
        found = find_clone(clones, target.repo, target.group)
        if found is not None and found.path not in taken:
            taken.add(found.path)
            targets.append(replace(target, local_path=str(found.path)))
        else:  # a registered group without a clone is a row too: the totals must not look complete
            targets.append(target)
    for clone in clones:
        if clone.path not in taken:
            targets.append(Target(repo=clone.name, group=clone.group, local_path=str(clone.path), registered=False))
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


def head(target: Target, plan: Plan, root: Path) -> str:
    """Return the sha of the clone's branch head (origin's default branch, or the plan's branch)."""
    path = _clone(target, root)
    return _head(path, _ref(path, plan))


def snapshot(target: Target, plan: Plan, root: Path) -> Snapshot:
    """Read a clone's branch for `choose`, then the chosen commit's tree and report, with git."""
    path = _clone(target, root)
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
    return Snapshot(choice, _files(path, choice.commit, plan))


def _clone(target: Target, root: Path) -> Path:
    """Return the clone's folder, or fail when there is none or it is not a git clone."""
    if target.local_path is None:
        raise FetchFailure("not-found", f"no clone in {root}")
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


def _files(path: Path, commit: str, plan: Plan) -> CommitFiles:
    """Read a commit's tree, date and report from the clone, and the small files for the checklist's evidence."""
    try:
        _text(path, "cat-file", "-e", f"{commit}^{{commit}}")
    except FetchFailure:
        raise FetchFailure("not-found", f"commit {commit[:12]} is not in the clone (fetch it)") from None
    date = _text(path, "show", "-s", "--format=%cI", commit)
    sizes = _blobs(path, commit)
    paths = tuple(sorted(sizes))
    found = plan.report_path if plan.report_path in sizes else find_report_in_tree(paths)
    report = None
    small: dict[str, bytes] | None = None
    if found is not None:
        report = _blob(path, commit, found)
        if plan.evidence is not None and len(report) <= plan.max_bytes:
            small = {name: _blob(path, commit, name) for name in plan.small_files(paths)
                     if sizes[name] <= SMALL_FILE_BYTES}
    return CommitFiles(utc_text(parse_time(date)) if date else None, paths, found, report, small_files=small)


def _blobs(path: Path, commit: str) -> dict[str, int]:
    """Return the files of a commit (git's blobs: no folders, no submodules) and their sizes, as GitHub lists them."""
    listing = _git(path, "ls-tree", "-r", "-l", "-z", commit, data=True)
    assert isinstance(listing, bytes)
    sizes: dict[str, int] = {}
    for entry in listing.split(b"\0"):
        # `<mode> <type> <object> <size>\t<path>`, the size padded with spaces
        meta, tab, name = entry.partition(b"\t")
        fields = meta.split()
        if tab and len(fields) == 4 and fields[1] == b"blob":
            sizes[name.decode("utf-8", "surrogateescape")] = int(fields[3])
    return sizes


def _blob(path: Path, commit: str, name: str) -> bytes:
    """Return a file of a commit as git stores it."""
    blob = _git(path, "cat-file", "blob", f"{commit}:{name}", data=True)
    assert isinstance(blob, bytes)
    return blob


class LocalSource:
    """Read the clones under `root` with git, for one plan."""

    def __init__(self, plan: Plan, root: Path) -> None:
        self.plan = plan
        self.root = root

    def prepare(self, targets: Sequence[Target]) -> None:
        """Nothing to prepare: each clone is read on its own."""

    def fetch(self, target: Target) -> Snapshot:
        """Read the plan's commit of one clone, its tree and its report."""
        return snapshot(target, self.plan, self.root)

    def head(self, target: Target) -> str:
        """Return the sha of the clone's branch head."""
        return head(target, self.plan, self.root)

    def close(self) -> None:
        """Nothing to close."""
