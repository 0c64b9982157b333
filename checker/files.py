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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal, NamedTuple, Protocol, runtime_checkable
from urllib.parse import unquote

REPORT_PATH = "reports/README.md"
REPORT_HEADING = "### Question"


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
        likely = likely_meant(path, walk_files(self.root))
        return Absence("absent", likely=likely if likely is not None and self.exists(likely) else None)


def walk_files(root: Path, limit: int = 20_000) -> Iterator[str]:
    """Yield the repository-relative paths of the regular files below root, skipping tools' folders."""
    seen = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        base = Path(folder).relative_to(root).as_posix()
        for name in sorted(names):
            seen += 1
            if seen > limit:
                return
            yield name if base == "." else f"{base}/{name}"


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
    if direct.is_file():
        return direct
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
        with path.open("rb") as handle:
            head = handle.read(4 * 1024 * 1024)
    except OSError:
        return False
    return head.count(REPORT_HEADING.encode()) >= 3


def repository_root(report: Path) -> Path:
    """Return the folder that holds the repository the report belongs to (the nearest `.git`), else a guess."""
    folder = report.resolve().parent
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


def inside_git(folder: Path) -> bool:
    """Tell whether the folder is inside a git working tree (a `.git` folder or file at or above it)."""
    folder = folder.resolve()
    return any((candidate / ".git").exists() for candidate in (folder, *folder.parents))


class GitFiles:
    """A repository as GitHub will see it after a push: the files git tracks or has staged.

    The index is read once, lazily, with one `git ls-files` (paths relative to `root`, so `root` may be a
    subfolder of the working tree). When git cannot answer (not installed, not a repository, the report itself
    not tracked) the files on disk count, and `note` says why once.
    """

    def __init__(self, root: str | Path, report_path: str) -> None:
        self.root = Path(root)
        self.report_path = report_path
        self.disk = LocalFiles(self.root)
        self.note: str | None = None
        self._index: frozenset[str] | None = None
        self._loaded = False
        self._ignored: dict[str, str] = {}

    def _listing(self) -> frozenset[str] | None:
        """Return the index's regular files below root, or None (with `note` set) when files on disk count."""
        if not self._loaded:
            self._loaded = True
            listed = git_index(self.root)
            if isinstance(listed, str):
                self.note = f"{listed}: {ON_DISK}"
            elif self.report_path not in listed:
                self.note = f"git does not track {self.report_path}: {ON_DISK}"
            else:
                self._index = listed
        return self._index

    def exists(self, path: str) -> bool:
        """Tell whether git tracks `path` or has it staged (outside git: whether it is a regular file on disk)."""
        listing = self._listing()
        return self.disk.exists(path) if listing is None else path in listing

    def absence(self, path: str) -> Absence:
        """Say whether a missing path is on disk but untracked or ignored, else which file it likely meant."""
        listing = self._listing()
        if listing is None:
            return self.disk.absence(path)
        if self.disk.exists(path):
            if path not in self._ignored:
                self._ignored[path] = git_ignore_rule(self.root, path)
            rule = self._ignored[path]
            return Absence("ignored" if rule else "untracked", ignored_by=rule)
        return Absence("absent", likely=likely_meant(path, listing))


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


def git_index(root: Path) -> frozenset[str] | str:
    """Return the regular files of the git index below root (relative to it), or why git cannot say."""
    if not inside_git(root):
        return "not a git repository"
    ran = _run_git(root, "ls-files", "-z", "--stage")
    if isinstance(ran, str):
        return ran
    code, out, err = ran
    if code != 0:
        first = next((line.strip() for line in err.splitlines() if line.strip()), f"exit code {code}")
        return f"git could not list the files ({first.removeprefix('fatal: ')})"
    paths = set()
    for entry in out.split("\0"):
        # `<mode> <object> <stage>\t<path>`
        meta, tab, path = entry.partition("\t")
        if tab and meta.startswith(_REGULAR_MODES):
            paths.add(path)
    return frozenset(paths)


def git_ignore_rule(root: Path, path: str) -> str:
    """Return the ignore rule that makes git skip `path` (`.gitignore:3:*.png`), or "" when none does."""
    ran = _run_git(root, "check-ignore", "--verbose", "--", path)
    if isinstance(ran, str) or ran[0] != 0:
        return ""
    # `<source>:<line>:<pattern>\t<path>`
    return ran[1].split("\t", 1)[0].strip()
