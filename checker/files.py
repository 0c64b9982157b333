"""Views of "the files of this repository", so figure links are checked the same way locally and remotely.

A link counts as present only when it names a regular file inside the repository, matched case-sensitively
(GitHub serves `wandb.JPG`, not `wandb.jpg`). Symlinks, folders, devices and anything outside never count.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple, Protocol
from urllib.parse import unquote

from checker.errors import CheckerError
from checker.source import read_head

REPORT_PATH = "reports/README.md"
REPORT_HEADING = "### Question"


class RepoFiles(Protocol):
    """Answers whether a repository-relative POSIX path is a file of the repository."""

    def exists(self, path: str) -> bool:
        """Tell whether `path` (normalised, relative to the repository root) is a regular file."""
        ...


class TreeFiles:
    """A repository as a set of file paths, e.g. from a git tree listing."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths = frozenset(paths)

    def exists(self, path: str) -> bool:
        """Tell whether the path is one of the tree's files."""
        return path in self.paths


class LocalFiles:
    """A repository checked out in a local folder; listings are cached so each folder is read once."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._listings: dict[str, frozenset[str]] = {}

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


# Folders that never hold the report: tools' environments, caches and outputs.
SKIP_DIRS = frozenset(
    {".git", "node_modules", ".venv", "venv", "env", "__pycache__", ".tox", "site-packages", "outputs"}
)


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


# ---- the whole file list, for the checklist's evidence ----

# Files read for evidence: only the start of a small file is needed (a lock file can be large).
SMALL_FILE_BYTES = 1 << 20
# A folder walk (no git) stops here: past it the list is incomplete, so it says nothing of what is absent.
MAX_WALK_FILES = 100_000
# Folders a walk never enters: git's own data and installed packages.
WALK_SKIP = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", "site-packages"})


class RepoListing(NamedTuple):
    """Every file of a repository (POSIX paths from its root), a reader of small files, and whether the list
    comes from a git repository."""

    paths: tuple[str, ...]
    read: Callable[[str], bytes | None]
    git: bool


def local_listing(root: Path) -> RepoListing | None:
    """List a local repository as git will push it (`git ls-files`: tracked and staged files), or by walking
    the folder when git lists nothing; None when the list would be incomplete."""
    root = Path(root)
    is_git = (root / ".git").exists()
    paths = _git_files(root) if is_git else None
    if not paths:  # not git, git failed, or nothing added yet: the folder as it is
        paths = _walk_files(root)
    if paths is None:
        return None
    return RepoListing(paths, lambda path: read_small(root, path), is_git)


GIT_LS_FILES = ("git", "-c", "core.quotepath=off", "ls-files", "-z")


def _git_files(root: Path) -> tuple[str, ...] | None:
    """Return `git ls-files` of the work tree at root, or None when git is missing or fails."""
    if not hasattr(os, "posix_spawnp"):  # Windows
        import subprocess

        try:
            done = subprocess.run(["git", "-C", str(root), *GIT_LS_FILES[1:]], capture_output=True, timeout=60,
                                  check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return _split_paths(done.stdout) if done.returncode == 0 else None
    # posix_spawn with a pipe instead of subprocess, whose imports cost about as much as listing the files.
    reader, writer = os.pipe()
    try:
        pid = os.posix_spawnp("git", ["git", "-C", str(root), *GIT_LS_FILES[1:]], os.environ, file_actions=[
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
    return _split_paths(b"".join(chunks)) if os.waitstatus_to_exitcode(status) == 0 else None


def _split_paths(output: bytes) -> tuple[str, ...]:
    return tuple(p for p in output.decode("utf-8", errors="surrogateescape").split("\0") if p)


def _walk_files(root: Path) -> tuple[str, ...] | None:
    found: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in WALK_SKIP)
        base = Path(folder).relative_to(root).as_posix()
        for name in sorted(names):
            found.append(name if base == "." else f"{base}/{name}")
        if len(found) > MAX_WALK_FILES:
            return None
    return tuple(found)


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
