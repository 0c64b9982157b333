"""Everything a scan keeps on disk: results.jsonl, the cache by repository and commit, summary.csv, heads."""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import json
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from checker.errors import CheckerError
from checker.scan.choose import Late
from checker.scan.row import SUMMARY_COLUMNS, ScanRow, ordered, read_rows
from checker.scan.snapshot import CommitFiles, RecordedHead


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a crash leaves either the old or the new content, never half of it.

    The scan's one way to write a whole file: the cache, summary.csv, feedback and the dashboard's pages.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="")  # as given: summary.csv's CRLF stays CRLF everywhere
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a failed write leaves the old file and nothing else
        raise


class ResultsFile:
    """`results.jsonl`: one JSON object per repository, appended and flushed as soon as it is known."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def load(self, *, missing_ok: bool = True) -> dict[str, ScanRow]:
        """Return the last row of each repository; a line cut short by a crash is ignored."""
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            if missing_ok:
                return {}
            raise CheckerError(f"{self.path}: cannot read the results (no such file)") from None
        except OSError as exc:
            raise CheckerError(f"{self.path}: cannot read the results ({exc.strerror})") from None
        return read_rows(text.splitlines())

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

    def append(self, row: ScanRow) -> None:
        """Append one row and push it to disk, so a crash or Ctrl-C right after loses nothing."""
        assert self._handle is not None, "start() first"
        self._handle.write(json.dumps(row.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        """Close the file."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class Cache:
    """Files by repository and commit sha, so a re-run reads each unchanged repository with one request: the
    tree, the report and the small files read for the checklist's evidence."""

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
        small = data.get("small_files_b64")
        try:
            small_files = ({str(k): base64.b64decode(v, validate=True) for k, v in small.items()}
                           if isinstance(small, dict) else None)
        except (TypeError, ValueError):
            small_files = None  # damaged: read them again
        depth = data.get("tree_depth")
        return CommitFiles(
            commit_date=data.get("commit_date"),
            tree_paths=tuple(data["tree_paths"]),
            report_path=data.get("report_path"),
            report=base64.b64decode(report) if isinstance(report, str) else None,
            notes=tuple(data.get("notes", ())),
            report_sha=data.get("report_sha"),
            tree_scope=data.get("tree_scope"),
            report_size=data.get("report_size") if isinstance(data.get("report_size"), int) else None,
            small_files=small_files,
            tree_depth=depth if isinstance(depth, int) and not isinstance(depth, bool) else None,
            truncated=data.get("truncated") is True,
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
                "report_size": entry.report_size,
                "small_files_b64": None if entry.small_files is None else {
                    path: base64.b64encode(data).decode("ascii") for path, data in entry.small_files.items()},
                "tree_depth": entry.tree_depth,
                "truncated": entry.truncated,
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


def write_summary(rows: Iterable[ScanRow], path: Path) -> None:
    """Write summary.csv, one line per repository, ordered by group then repository."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(SUMMARY_COLUMNS)
    for row in ordered(rows):
        cells = row.cells()
        writer.writerow([cells[column] for column in SUMMARY_COLUMNS])
    write_atomic(path, text.getvalue())


def write_questions(rows: Iterable[ScanRow], path: Path) -> None:
    """Write questions.csv for grading: per repository, each question's status and words (`Q1`, `Q1 words`, ...)."""
    rows = ordered(rows)
    answers = [row.answers() for row in rows]
    numbers = sorted({number for found in answers for number in found})
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(["group", "repo", "status", *(f"Q{n}{part}" for n in numbers for part in ("", " words"))])
    for row, found in zip(rows, answers, strict=True):
        cells = []
        for number in numbers:
            status, words = found.get(number, ("", None))
            cells += [status, "" if words is None else str(words)]
        writer.writerow(["" if row.group is None else str(row.group), row.repo, row.status, *cells])
    write_atomic(path, text.getvalue())


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
