"""Read a group's report and figures from a local clone, at the exact commit a scan checked.

Files come from git's object store, not the working tree, so the page shows the report as it stood at that
commit whatever was changed or checked out since. Only regular blobs count: a symlink entry (mode 120000), a
submodule or a path through a symlinked folder is not a file of the tree, as on GitHub.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from checker.files import REPORT_PATH
from checker.html.figures import MAX_FIGURE_BYTES, FigureUnavailable, size_text
from checker.scan.local import Clone, find_clone, list_clones
from checker.scan.row import ScanRow

COMMIT = re.compile(r"^[0-9a-fA-F]{7,64}$")
REGULAR = ("100644", "100755")


class GitCommit:
    """The files of one commit of a local clone."""

    def __init__(self, root: Path, commit: str, max_bytes: int = MAX_FIGURE_BYTES) -> None:
        self.root = root
        self.commit = commit
        self.max_bytes = max_bytes

    def _git(self, *args: str) -> bytes | None:
        try:
            done = subprocess.run(["git", "--literal-pathspecs", "-C", str(self.root), *args],
                                  capture_output=True, check=False, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    def _blob(self, path: str) -> tuple[str, int] | None:
        """Return (object id, size) when `path` is a regular file of the commit."""
        listing = self._git("ls-tree", "-z", "-l", self.commit, "--", path)
        for entry in (listing or b"").split(b"\0"):
            meta, _, name = entry.partition(b"\t")
            fields = meta.decode("ascii", "replace").split()
            if name.decode("utf-8", "replace") == path and len(fields) == 4 and fields[0] in REGULAR:
                return fields[2], int(fields[3])
        return None

    def read(self, path: str) -> bytes:
        """Return a figure's bytes, or raise FigureUnavailable saying why not."""
        blob = self._blob(path)
        if blob is None:
            raise FigureUnavailable("figure not found in the repository")
        if blob[1] > self.max_bytes:
            raise FigureUnavailable(f"figure over {size_text(self.max_bytes)}, not embedded")
        data = self._git("cat-file", "blob", blob[0])
        if data is None:
            raise FigureUnavailable("figure not readable from git")
        return data

    def report(self, path: str) -> bytes | None:
        """Return the report file at `path`, or None."""
        blob = self._blob(path)
        return None if blob is None else self._git("cat-file", "blob", blob[0])


class Clones:
    """A folder of clones as `reportcheck scan --local` reads it: `DIR/group_N/REPO`, or `DIR/<repository>`."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder).resolve()
        self._found: list[Clone] | None = None

    def commit(self, row: ScanRow) -> GitCommit | None:
        """Return the clone and commit of a scan's row, or None when they are not here."""
        repo, commit = row.repo, row.commit or ""
        if not COMMIT.match(commit) or not repo or repo.startswith("/") or ".." in repo.split("/"):
            return None
        for candidate in (self.folder / repo, self._registered(row)):
            if candidate is None:
                continue
            root = candidate.resolve()
            if root.is_relative_to(self.folder) and (root / ".git").exists():
                return GitCommit(root, commit)
        return None

    def _registered(self, row: ScanRow) -> Path | None:
        """Return the clone the scan read for a row named by the group file (`owner/name` in `group_N/`)."""
        if self._found is None:
            self._found = list_clones(self.folder) if self.folder.is_dir() else []
        found = find_clone(self._found, row.repo, row.group)
        return found.path if found is not None else None

    def report_text(self, row: ScanRow) -> bytes | None:
        """Return the report of a row as it stood at the row's commit."""
        clone = self.commit(row)
        if clone is None:
            return None
        path = row.report_path or (row.report.path if row.report is not None else REPORT_PATH)
        return clone.report(path)
