"""Everything a scan keeps on disk: results.jsonl, the cache by repository and commit, summary.csv, heads."""

from __future__ import annotations

import base64
import contextlib
import csv
import json
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from checker.errors import CheckerError
from checker.scan.choose import Late
from checker.scan.snapshot import FINAL_STATUSES, CommitFiles, RecordedHead

Row = dict[str, Any]
SUMMARY_COLUMNS = (
    "group",
    "repo",
    "ready",
    "passed/total",
    "errors",
    "warnings",
    "late commits",
    "commit",
    "status",
    "reason",
)


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a crash leaves either the old or the new content, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


class ResultsFile:
    """`results.jsonl`: one JSON object per repository, appended and flushed as soon as it is known."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def load(self) -> dict[str, Row]:
        """Return the last row of each repository; a line cut short by a crash is ignored."""
        rows: dict[str, Row] = {}
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return rows
        except OSError as exc:
            raise CheckerError(f"{self.path}: cannot read earlier results ({exc.strerror})") from None
        for line in text.splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict) and isinstance(row.get("repo"), str):
                rows[row["repo"].lower()] = row
        return rows

    def start(self, *, keep: bool) -> None:
        """Open for appending (keeping earlier rows with `keep`, else starting afresh)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if keep and self.path.exists():
            self._repair_tail()
        try:
            self._handle = self.path.open("a" if keep else "w", encoding="utf-8")
        except OSError as exc:
            raise CheckerError(f"{self.path}: cannot write results ({exc.strerror})") from None

    def _repair_tail(self) -> None:
        """End a last line cut short by a killed run, so the next row starts on a line of its own."""
        with self.path.open("rb+") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() == 0:
                return
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                handle.write(b"\n")

    def append(self, row: Row) -> None:
        """Append one row and push it to disk, so a crash or Ctrl-C right after loses nothing."""
        assert self._handle is not None, "start() first"
        self._handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        """Close the file."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class Cache:
    """Files by repository and commit sha, so a re-run reads each unchanged repository with one request."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _file(self, repo: str, commit: str) -> Path | None:
        if self.folder is None:
            return None
        owner, _, name = repo.lower().partition("/")
        return self.folder / owner / name / f"{commit}.json"

    def _read(self, repo: str, commit: str) -> dict[str, Any] | None:
        path = self._file(repo, commit)
        if path is None:
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def get(self, repo: str, commit: str) -> CommitFiles | None:
        """Return the cached commit, or None when it was never read (or its file is damaged)."""
        data = self._read(repo, commit)
        if data is None or "tree_paths" not in data:
            return None
        report = data.get("report_b64")
        return CommitFiles(
            commit_date=data.get("commit_date"),
            tree_paths=tuple(data["tree_paths"]),
            report_path=data.get("report_path"),
            report=base64.b64decode(report) if isinstance(report, str) else None,
            notes=tuple(data.get("notes", ())),
            report_sha=data.get("report_sha"),
            tree_scope=data.get("tree_scope"),
        )

    def put(self, repo: str, commit: str, entry: CommitFiles) -> None:
        """Store a commit's tree and report."""
        path = self._file(repo, commit)
        if path is None:
            return
        data = self._read(repo, commit) or {}
        report = base64.b64encode(entry.report).decode("ascii") if entry.report is not None else None
        data.update(
            {
                "repo": repo,
                "commit": commit,
                "commit_date": entry.commit_date,
                "tree_paths": list(entry.tree_paths),
                "report_path": entry.report_path,
                "report_b64": report,
                "notes": list(entry.notes),
                "report_sha": entry.report_sha,
                "tree_scope": entry.tree_scope,
            }
        )
        with contextlib.suppress(OSError):
            write_atomic(path, json.dumps(data))

    def late(self, repo: str, commit: str, head: str) -> Late | None:
        """Return the late-commit counts known for this commit while the branch head was `head`."""
        data = self._read(repo, commit)
        value = (data or {}).get("late", {}).get(head)
        if not isinstance(value, list) or len(value) != 2:
            return None
        return Late(value[0], value[1])

    def put_late(self, repo: str, commit: str, head: str, counts: Late) -> None:
        """Remember the late-commit counts for this commit and head."""
        path = self._file(repo, commit)
        if path is None:
            return
        data = self._read(repo, commit) or {"repo": repo, "commit": commit}
        data.setdefault("late", {})[head] = list(counts)
        with contextlib.suppress(OSError):
            write_atomic(path, json.dumps(data))


def is_done(row: Row) -> bool:
    """Tell whether --resume may keep this row instead of scanning the repository again."""
    return row.get("status") in FINAL_STATUSES


def summary_cells(row: Row) -> list[str]:
    """Return the summary.csv cells of one row."""
    checked = row.get("status") == "ok"
    late = row.get("late_commits")
    return [
        "" if row.get("group") is None else str(row["group"]),
        str(row.get("repo", "")),
        ("yes" if row.get("ready") else "no") if checked else "",
        f"{row.get('passed', 0)}/{row.get('total', 0)}" if checked else "",
        str(row.get("errors", 0)) if checked else "",
        str(row.get("warnings", 0)) if checked else "",
        "" if late is None else str(late),
        str(row.get("commit") or "")[:12],
        str(row.get("status", "")),
        str(row.get("reason", "")),
    ]


def _order(row: Row) -> tuple[bool, int, str]:
    """Sort rows by group number (rows without one last), then repository."""
    return (row.get("group") is None, row.get("group") or 0, str(row.get("repo")).lower())


def write_summary(rows: Iterable[Row], path: Path) -> None:
    """Write summary.csv, one line per repository, ordered by group then repository."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted(rows, key=_order)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SUMMARY_COLUMNS)
        for row in ordered:
            writer.writerow(summary_cells(row))
    tmp.replace(path)


def tally(rows: Iterable[Row]) -> dict[str, int]:
    """Count rows as the terminal summary does: ready, not passed, unreachable, not scanned."""
    counts = {"ready": 0, "not passed": 0, "unreachable": 0, "not scanned": 0}
    for row in rows:
        status = row.get("status")
        if status == "ok":
            counts["ready" if row.get("ready") else "not passed"] += 1
        elif status in ("no-report", "unreadable", "no-commit", "empty"):
            counts["not passed"] += 1
        elif status == "not-scanned":
            counts["not scanned"] += 1
        else:
            counts["unreachable"] += 1
    return counts


def summary_line(rows: Iterable[Row]) -> str:
    """Return the one-line verdict, e.g. `118 ready, 9 not passed, 3 unreachable`."""
    counts = tally(rows)
    line = f"{counts['ready']} ready, {counts['not passed']} not passed, {counts['unreachable']} unreachable"
    if counts["not scanned"]:
        line += f", {counts['not scanned']} not scanned"
    return line


def read_heads(path: Path) -> dict[str, RecordedHead]:
    """Read a --record-heads file: JSON Lines of {repo, sha, read_at}; the last line of a repository wins."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CheckerError(f"{path}: cannot read the recorded heads ({exc.strerror})") from None
    heads: dict[str, RecordedHead] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            raise CheckerError(f"{path}:{number}: not JSON; was it written by --record-heads?") from None
        if not isinstance(row, dict) or not isinstance(row.get("repo"), str):
            raise CheckerError(f"{path}:{number}: no 'repo'; was it written by --record-heads?")
        if isinstance(row.get("sha"), str) and row["sha"]:
            heads[row["repo"].lower()] = RecordedHead(row["sha"], str(row.get("read_at", "")))
    return heads
