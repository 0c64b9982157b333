"""Every scan into one folder, over time: `history.jsonl`, appended at the end of each scan, never rewritten.

results.jsonl is the state of the last scan; history.jsonl keeps one line per repository of every scan
(schemas/history-entry.schema.json), so scans as of different dates are all kept. A scan is a column, keyed by
the time it is *as of*: its deadline, or (without one) the moment it started, when it read each branch head. A
second scan as of the same deadline (a re-run, a `--resume`) replaces that column's cells rather than adding one.

For the dashboard's charts: `load(path)` gives a `History`; `History.columns` are the as-of times, oldest first;
`History.progress(key)` one repository's entries over them (None where that scan has no row);
`History.ready_over_time()` the course's count of ready groups per column.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from checker.errors import CheckerError
from checker.scan.row import ScanRow, ordered

SCHEMA_VERSION = 1
FILE_NAME = "history.jsonl"


@dataclass(frozen=True)
class Entry:
    """One repository in one scan: when, as of when, and how far its report had come."""

    scan: str  # when the scan started (UTC, ISO 8601 with Z): one value for all its lines
    as_of: str  # the deadline the scan used, else `scan`: the column this line belongs to
    deadline: str | None
    deadline_source: str
    checked_at: str  # when this repository was read (a row kept by --resume keeps its own time)
    repo: str
    group: int | None
    status: str
    ready: bool | None
    passed: int | None
    total: int | None
    errors: int | None
    warnings: int | None
    checklist_checked: int | None
    checklist_total: int | None
    commit: str | None

    @property
    def key(self) -> str:
        """Return the repository's key, as results and the cache use it (case-insensitive on GitHub)."""
        return self.repo.lower()

    @classmethod
    def from_row(cls, row: ScanRow, scan: str) -> Entry:
        """Return a row of a scan that started at `scan` as its history line."""
        report = row.report if row.checked else None
        return cls(
            scan=scan,
            as_of=row.deadline or scan,
            deadline=row.deadline,
            deadline_source=row.deadline_source,
            checked_at=row.scanned_at or scan,
            repo=row.repo,
            group=row.group,
            status=row.status,
            ready=row.ready,
            passed=row.passed,
            total=row.total,
            errors=row.errors,
            warnings=row.warnings,
            checklist_checked=sum(s.checked for s in report.checklist) if report is not None else None,
            checklist_total=sum(s.total for s in report.checklist) if report is not None else None,
            commit=row.commit,
        )

    def to_json(self) -> dict[str, Any]:
        """Return the line's JSON object."""
        return {"schema_version": SCHEMA_VERSION, **asdict(self)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Entry | None:
        """Read one line, or None when it is not a history line."""
        scan, repo = data.get("scan"), data.get("repo")
        if not isinstance(scan, str) or not scan or not isinstance(repo, str) or not repo:
            return None

        def number(name: str) -> int | None:
            value = data.get(name)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        def text(name: str) -> str | None:
            value = data.get(name)
            return value if isinstance(value, str) and value else None

        ready = data.get("ready")
        return cls(
            scan=scan,
            as_of=text("as_of") or scan,
            deadline=text("deadline"),
            deadline_source=text("deadline_source") or "head",
            checked_at=text("checked_at") or scan,
            repo=repo,
            group=number("group"),
            status=text("status") or "",
            ready=ready if isinstance(ready, bool) else None,
            passed=number("passed"),
            total=number("total"),
            errors=number("errors"),
            warnings=number("warnings"),
            checklist_checked=number("checklist_checked"),
            checklist_total=number("checklist_total"),
            commit=text("commit"),
        )


def append(path: Path, rows: Iterable[ScanRow], scan: str) -> int:
    """Append one line per scanned row (not those the scan never reached) to history.jsonl; return how many."""
    lines = [json.dumps(Entry.from_row(row, scan).to_json(), ensure_ascii=False, sort_keys=True)
             for row in ordered(rows) if row.status != "not-scanned"]
    if not lines:
        return 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            if handle.tell() and not _ends_with_newline(path):
                handle.write("\n")  # a last line cut short by a crash stays a line of its own
            handle.write("\n".join(lines) + "\n")
    except OSError as exc:
        raise CheckerError(f"{path}: cannot add to the history ({exc.strerror})") from None
    return len(lines)


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, 2)
        return handle.read(1) == b"\n"


@dataclass(frozen=True)
class History:
    """The scans of one folder as columns (oldest first) and each repository's entry in each."""

    columns: tuple[str, ...]
    repos: tuple[tuple[str, str, int | None], ...]  # (key, name as last written, group), by group then name
    cells: Mapping[tuple[str, str], Entry]  # (repository key, as_of) -> its entry

    def cell(self, key: str, as_of: str) -> Entry | None:
        """Return one repository's entry in one column, or None when that scan has no row for it."""
        return self.cells.get((key, as_of))

    def progress(self, key: str) -> list[tuple[str, Entry | None]]:
        """Return one repository's entries over the columns, oldest first: one small line of the chart."""
        return [(as_of, self.cell(key, as_of)) for as_of in self.columns]

    def ready_over_time(self) -> list[tuple[str, int, int]]:
        """Return, per column, how many repositories were ready and how many that scan had a row for."""
        counts = []
        for as_of in self.columns:
            entries = [e for (_, column), e in self.cells.items() if column == as_of]
            counts.append((as_of, sum(1 for e in entries if e.ready), len(entries)))
        return counts


def read(lines: Iterable[str]) -> History:
    """Build the history from history.jsonl lines; within a column the latest scan of a repository wins."""
    cells: dict[tuple[str, str], Entry] = {}
    names: dict[str, tuple[str, int | None]] = {}
    for line in lines:
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a crash
        entry = Entry.from_json(data) if isinstance(data, dict) else None
        if entry is None:
            continue
        held = cells.get((entry.key, entry.as_of))
        if held is None or entry.scan >= held.scan:
            cells[(entry.key, entry.as_of)] = entry
        names[entry.key] = (entry.repo, entry.group if entry.group is not None else names.get(entry.key, ("", None))[1])
    columns = tuple(sorted({as_of for _, as_of in cells}))
    repos = tuple(sorted(((key, name, group) for key, (name, group) in names.items()),
                         key=lambda r: (r[2] is None, r[2] or 0, r[0])))
    return History(columns, repos, cells)


def load(path: Path) -> History:
    """Read history.jsonl (give the scan's folder or the file itself); a missing file is a CheckerError."""
    if path.is_dir():
        path = path / FILE_NAME
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise CheckerError(f"{path}: no history yet; each `reportcheck scan --out` here adds to it") from None
    except OSError as exc:
        raise CheckerError(f"{path}: cannot read the history ({exc.strerror})") from None
    return read(text.splitlines())


def find(folder: Path) -> History | None:
    """Return the history kept in a scan's folder, or None when none is (a scan from before history.jsonl)."""
    path = folder / FILE_NAME
    return load(path) if path.is_file() else None


def cell_text(entry: Entry | None) -> str:
    """Say one repository's state in one scan in a few characters: `4/4 ready`, `3/4 1 err`, `no-report`, `-`."""
    if entry is None:
        return "-"
    if entry.status != "ok" or entry.ready is None:
        return entry.status or "?"
    counts = f"{entry.passed or 0}/{entry.total or 0}"
    return f"{counts} ready" if entry.ready else f"{counts} {entry.errors or 0} err"


def column_title(as_of: str) -> str:
    """Shorten an as-of time for a column head: `2026-01-23 22:59Z`."""
    return as_of.replace("T", " ").removesuffix(":00Z").removesuffix("Z") + "Z" if "T" in as_of else as_of


def table(history: History) -> str:
    """Return the history as text: one line per repository, one column per scan, and the ready count last."""
    heads = ["group", "repository", *map(column_title, history.columns)]
    body = [[("" if group is None else str(group)), name,
             *(cell_text(history.cell(key, as_of)) for as_of in history.columns)]
            for key, name, group in history.repos]
    ready = ["", "ready", *(f"{count}/{seen}" for _, count, seen in history.ready_over_time())]
    rows = [heads, *body, ready]
    widths = [max(len(r[i]) for r in rows) for i in range(len(heads))]

    def line(cells: list[str]) -> str:
        first = cells[0].rjust(widths[0])
        rest = [c.ljust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    return "\n".join(line(r) for r in rows) + "\n"
