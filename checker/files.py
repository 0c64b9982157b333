"""Views of "the files of this repository", so figure links are checked the same way locally and remotely.

A link counts as present only when it names a regular file inside the repository, matched case-sensitively
(GitHub serves `wandb.JPG`, not `wandb.jpg`). Symlinks, folders, devices and anything outside never count.
Inside a git working tree the repository is what git will push: the files of its index (committed or staged),
as a pre-commit hook sees them; a figure that is only on disk is not there.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable
from urllib.parse import unquote

from checker.errors import CheckerError
from checker.records import NamedTuple
from checker.source import read_head

REPORT_PATH = "reports/README.md"
REPORT_HEADING = "### Question"

# Folders that never hold the report: tools' environments, caches and outputs.
SKIP_DIRS = frozenset(
    {".git", "node_modules", ".venv", "venv", "env", "__pycache__", ".tox", "site-packages", "outputs"}
)


class RepoFiles(Protocol):
    """Answers whether a repository-relative POSIX path is a file of the repository."""

    def exists(self, path: str) -> bool:
        """Tell whether `path` (normalised, relative to the repository root) is a regular file."""
        ...


class Absence(NamedTuple):
    """Why a linked path is not a file of the repository, and which file the link most likely meant.

    `state` is `untracked` or `ignored` when the file is on disk but git will not push it, else `absent`;
    `ignored_by` names the ignore rule (`.gitignore:3:*.png`) when git gave it.
    """

    state: Literal["absent", "untracked", "ignored"]
    ignored_by: str = ""
    likely: str | None = None


@runtime_checkable
class ExplainsAbsence(Protocol):
    """A view of the files that can also say why a path is missing (optional beside RepoFiles)."""

    def absence(self, path: str) -> Absence:
        """Say why `path` is not a file of the repository."""
        ...


class TreeFiles:
    """A repository as a set of file paths, e.g. from a git tree listing."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths = frozenset(paths)

    def exists(self, path: str) -> bool:
        """Tell whether the path is one of the tree's files."""
        return path in self.paths

    def absence(self, path: str) -> Absence:
        """Name the tree's file that the missing path most likely meant."""
        return Absence("absent", likely=likely_meant(path, self.paths))


class LocalFiles:
    """A repository checked out in a local folder; listings are cached so each folder is read once."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._listings: dict[str, frozenset[str]] = {}
        self._walked: tuple[str, ...] | None = None

    def _listing(self, folder: str) -> frozenset[str]:
        if folder not in self._listings:
            try:
                names = frozenset(entry.name for entry in (self.root / folder).iterdir())
            except OSError:
                names = frozenset()
            self._listings[folder] = names
        return self._listings[folder]

    def exists(self, path: str) -> bool:
        """Tell whether path names a regular file, reached through real folders only, with exact case."""
        parts = path.split("/")
        folder = ""
        for part in parts:
            if part not in self._listing(folder):
                return False
            candidate = posixpath.join(folder, part) if folder else part
            try:
                mode = os.lstat(self.root / candidate).st_mode
            except OSError:
                return False
            if stat.S_ISLNK(mode):
                return False
            folder = candidate
        return stat.S_ISREG(mode)

    def absence(self, path: str) -> Absence:
        """Name the file on disk that the missing path most likely meant (looking at a bounded number of files)."""
        if self._walked is None:  # once per report: a report often misses several figures
            self._walked = walk_files(self.root, 20_000) or ()
        likely = likely_meant(path, self._walked)
        return Absence("absent", likely=likely if likely is not None and self.exists(likely) else None)


# A walk for the whole file list (no git) stops here: past it the list is incomplete, so it says nothing of what
# is absent.
MAX_WALK_FILES = 100_000
# Folders a walk for the checklist's evidence never enters: git's own data and installed packages (`.github/`
# and `.dvc/` are evidence).
EVIDENCE_SKIP = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", "site-packages"})


def walk_files(
    root: Path, limit: int, skip: frozenset[str] = SKIP_DIRS, hidden: bool = False
) -> tuple[str, ...] | None:
    """Return the repository-relative paths of the files below root, or None when there are more than `limit`.

    Folders named in `skip` are not entered, nor hidden ones (`.name`) unless `hidden`; links are not followed.
    """
    found: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in skip and (hidden or not d.startswith(".")))
        base = Path(folder).relative_to(root).as_posix()
        found.extend(name if base == "." else f"{base}/{name}" for name in sorted(names))
        if len(found) > limit:
            return None
    return tuple(found)


def likely_meant(target: str, paths: Iterable[str]) -> str | None:
    """Return the file a link to the missing `target` most likely meant: same path in another case, else the
    nearest file of the same name (exact case first), else None."""
    name = posixpath.basename(target)
    lowered_name, lowered_target = name.lower(), target.lower()
    folder = posixpath.dirname(target)
    best: tuple[int, int, int, str] | None = None
    for path in paths:
        base = path.rsplit("/", 1)[-1]
        if base.lower() != lowered_name or path == target:
            continue
        distance = len(posixpath.relpath(posixpath.dirname(path) or ".", folder or ".").split("/"))
        rank = (path.lower() != lowered_target, base != name, distance, path)
        if best is None or rank < best:
            best = rank
    return None if best is None else best[3]


def resolve_link(src: str, report_path: str) -> str | None:
    """Turn an image link into a repository-relative path, or None when it leaves the repository.

    Relative links resolve against the report's folder; a leading `/` means the repository root, as on GitHub.
    """
    target = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if not target:
        return None
    base = "" if target.startswith("/") else posixpath.dirname(report_path)
    joined = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
    if joined in (".", "", "..") or joined.startswith(("../", "/")):
        return None
    return joined


def is_remote(src: str) -> bool:
    """Tell whether an image link points outside the repository by URL (http, https, data, protocol-relative)."""
    lowered = src.strip().lower()
    return lowered.startswith(("http://", "https://", "data:", "//"))


def find_report_in_tree(paths: Iterable[str]) -> str | None:
    """Return the most likely report path among repository files when `reports/README.md` is absent."""
    candidates = [p for p in paths if p.lower().endswith(".md")]
    if REPORT_PATH in candidates:
        return REPORT_PATH

    def rank(path: str) -> tuple[int, int, str]:
        parts = path.lower().split("/")
        in_reports = 0 if any(p in ("reports", "report") for p in parts[:-1]) else 1
        return (in_reports, len(parts), path)

    ranked = sorted(candidates, key=rank)
    return ranked[0] if ranked and rank(ranked[0])[0] == 0 else None


def find_report(root: Path, max_files: int = 400) -> Path | None:
    """Find the report in a local repository: `reports/README.md`, or else a markdown file with question headings.

    Looks where real groups put it (`reports/readme.md`, `report/`, a project subfolder, the root README) and
    prefers files under a `reports`/`report` folder, then shallower paths.
    """
    direct = root / "reports" / "README.md"
    if direct.is_file() or (os.path.lexists(direct) and not direct.is_dir()):
        return direct  # a pipe or a broken link there is the report too: checking it says what is wrong
    found: list[tuple[int, int, str, Path]] = []
    seen = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            if not name.lower().endswith(".md"):
                continue
            seen += 1
            if seen > max_files:
                break
            path = Path(folder) / name
            if has_questions(path):
                rel = path.relative_to(root)
                in_reports = 0 if any(p.lower() in ("reports", "report") for p in rel.parts[:-1]) else 1
                found.append((in_reports, len(rel.parts), str(rel), path))
    return min(found)[3] if found else None


def has_questions(path: Path) -> bool:
    """Tell whether a markdown file holds at least three template question headings."""
    try:
        head = read_head(path, 4 * 1024 * 1024)
    except CheckerError:  # not a regular file (a pipe would block a plain open), or unreadable
        return False
    return head.count(REPORT_HEADING.encode()) >= 3


def repository_root(report: Path) -> Path:
    """Return the folder that holds the repository the report belongs to (the nearest `.git`), else a guess."""
    folder = Path(os.path.realpath(report)).parent  # realpath, unlike resolve(), never raises on a link loop
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    if folder.name.lower() in ("reports", "report"):
        return folder.parent
    return folder


GIT_TIMEOUT = 30.0
# A git index entry's mode for a regular file (plain or executable); symlinks (120000) and submodules
# (160000) are not figures GitHub shows.
_REGULAR_MODES = ("100644", "100755")
ON_DISK = "figures on disk count, committed or not"
# Files read for evidence: only the start of a small file is needed (a lock file can be large).
SMALL_FILE_BYTES = 1 << 20


class RepoListing(NamedTuple):
    """Every file of a repository (POSIX paths from its root), a reader of small files, and whether the list
    comes from a git repository (for the checklist's evidence).

    `gap` says why the list may lack files ("": it is whole), e.g. a scan's listing cut at a depth: the
    evidence then never says `none`.
    """

    paths: tuple[str, ...]
    read: Callable[[str], bytes | None]
    git: bool
    gap: str = ""


class GitIndex(NamedTuple):
    """What `git ls-files` lists below a folder: every tracked or staged path, and which are regular files."""

    paths: tuple[str, ...]
    regular: frozenset[str]


def inside_git(folder: Path) -> bool:
    """Tell whether the folder is inside a git working tree (a `.git` folder or file at or above it)."""
    folder = Path(os.path.realpath(folder))
    return any((candidate / ".git").exists() for candidate in (folder, *folder.parents))


class GitFiles:
    """A repository as GitHub will see it after a push: the files git tracks or has staged.

    The index is read once, lazily, with one `git ls-files` (paths relative to `root`, so `root` may be a
    subfolder of the working tree); the figures and the checklist's evidence share it. When git cannot answer
    (not installed, not a repository, the report itself not tracked) the files on disk count, and `note` says why
    once.
    """

    def __init__(self, root: str | Path, report_path: str) -> None:
        self.root = Path(root)
        self.report_path = report_path
        self.disk = LocalFiles(self.root)
        self.note: str | None = None
        self._index: GitIndex | None = None
        self._loaded = False
        self._ignored: dict[str, str] = {}

    def index(self) -> GitIndex | None:
        """Return git's listing below root, or None (with `note` set) when files on disk count."""
        if not self._loaded:
            self._loaded = True
            listed = git_index(self.root)
            if isinstance(listed, str):
                self.note = f"{listed}: {ON_DISK}"
            elif self.report_path not in listed.regular:
                self.note = f"git does not track {self.report_path}: {ON_DISK}"
            else:
                self._index = listed
        return self._index

    def exists(self, path: str) -> bool:
        """Tell whether git tracks `path` or has it staged (outside git: whether it is a regular file on disk)."""
        index = self.index()
        return self.disk.exists(path) if index is None else path in index.regular

    def absence(self, path: str) -> Absence:
        """Say whether a missing path is on disk but untracked or ignored, else which file it likely meant."""
        index = self.index()
        if index is None:
            return self.disk.absence(path)
        if self.disk.exists(path):
            if path not in self._ignored:
                self._ignored[path] = git_ignore_rule(self.root, path)
            rule = self._ignored[path]
            return Absence("ignored" if rule else "untracked", ignored_by=rule)
        return Absence("absent", likely=likely_meant(path, index.regular))

    def listing(self) -> RepoListing | None:
        """Return every file of the repository for the checklist's evidence: git's list, else the folder's files
        (None when the folder is too large to list whole, since an incomplete list says nothing of what is absent)."""
        index = self.index()
        if index is not None:
            return RepoListing(index.paths, self.read_small, git=True)
        paths = walk_files(self.root, MAX_WALK_FILES, EVIDENCE_SKIP, hidden=True)
        return None if paths is None else RepoListing(paths, self.read_small, git=False)

    def read_small(self, path: str) -> bytes | None:
        """Read the start of a small file of the repository (see `read_small`)."""
        return read_small(self.root, path)


def local_listing(root: Path, report_path: str = REPORT_PATH) -> RepoListing | None:
    """Return every file of the repository at root as git will push it, else as on disk (see GitFiles.listing)."""
    return GitFiles(root, report_path).listing()


def _spawn_git(root: Path, *args: str) -> tuple[int, bytes] | None:
    """Run git in root and return (exit code, stdout), or None when it cannot start.

    posix_spawn with a pipe instead of subprocess, whose imports cost about as much as listing the files; only
    the rare failure is run again through `_run_git` to read what git said.
    """
    if not hasattr(os, "posix_spawnp"):  # Windows
        ran = _run_git(root, *args)
        return None if isinstance(ran, str) else (ran[0], ran[1].encode("utf-8", "surrogateescape"))
    reader, writer = os.pipe()
    try:
        pid = os.posix_spawnp("git", ["git", "-C", str(root), *args], os.environ, file_actions=[
            (os.POSIX_SPAWN_DUP2, writer, 1), (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    os.close(writer)
    chunks = []
    with os.fdopen(reader, "rb") as output:
        while chunk := output.read(1 << 16):
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(chunks)


def _run_git(root: Path, *args: str) -> tuple[int, str, str] | str:
    """Run one git command in root; return (exit code, stdout, stderr), or why git could not run."""
    import subprocess

    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        return "git is not installed"
    except subprocess.TimeoutExpired:
        return f"git did not answer within {GIT_TIMEOUT:.0f} s"
    except OSError as exc:
        return f"git could not run ({exc.strerror})"
    return done.returncode, done.stdout.decode("utf-8", "surrogateescape"), done.stderr.decode("utf-8", "replace")


def git_index(root: Path) -> GitIndex | str:
    """Return git's listing of the files below root (relative to it), or why git cannot say."""
    if not inside_git(root):
        return "not a git repository"
    args = ("-c", "core.quotepath=off", "ls-files", "-z", "--stage")
    spawned = _spawn_git(root, *args)
    if spawned is None or spawned[0] != 0:
        ran = _run_git(root, *args)  # again, to say why
        if isinstance(ran, str):
            return ran
        code, _, err = ran
        first = next((line.strip() for line in err.splitlines() if line.strip()), f"exit code {code}")
        return f"git could not list the files ({first.removeprefix('fatal: ')})"
    paths: list[str] = []
    regular: set[str] = set()
    for entry in spawned[1].decode("utf-8", "surrogateescape").split("\0"):
        # `<mode> <object> <stage>\t<path>`
        meta, tab, path = entry.partition("\t")
        if not tab:
            continue
        paths.append(path)
        if meta.startswith(_REGULAR_MODES):
            regular.add(path)
    return GitIndex(tuple(dict.fromkeys(paths)), frozenset(regular))


def git_ignore_rule(root: Path, path: str) -> str:
    """Return the ignore rule that makes git skip `path` (`.gitignore:3:*.png`), or "" when none does."""
    ran = _run_git(root, "check-ignore", "--verbose", "--", path)
    if isinstance(ran, str) or ran[0] != 0:
        return ""
    # `<source>:<line>:<pattern>\t<path>`
    return ran[1].split("\t", 1)[0].strip()


def read_small(root: Path, path: str, limit: int = SMALL_FILE_BYTES) -> bytes | None:
    """Read the start of a regular file of the repository; None for anything else or on error.

    Listed paths never pass through a symlinked folder (git stores a symlink as a file, and the walk does not
    follow them), so refusing `..` and a symlink as the last part keeps every read inside the repository.
    """
    parts = path.split("/")
    if not path or path.startswith("/") or ".." in parts:
        return None
    try:
        handle = os.open(root / path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        return os.read(handle, limit)
    except OSError:
        return None
    finally:
        os.close(handle)
