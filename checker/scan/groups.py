"""Read the list of repositories to scan: the course's group file (CSV) or a plain list of repositories."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from checker.errors import CheckerError

REPO = re.compile(
    r"""^(?:(?:https?|ssh|git)://(?:[^@/]+@)?[^/]+/|git@[^:]+:)?   # optional URL or scp-like prefix
        (?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/
        (?P<name>[A-Za-z0-9._-]+?)(?:\.git)?/?$""",
    re.VERBOSE,
)
# A repository's full name as GitHub allows it: an account of letters, digits and single inner hyphens (at most
# 39), then a name of letters, digits, `.`, `_` and `-` (not `.` or `..`). A clone's `group_3/project` is not one.
GITHUB_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$")
# The student-id pattern of the shipped question sets; a scan passes the pattern of the set it checks against.
DEFAULT_STUDENT_ID = re.compile(r"^s\d{6}$")


@dataclass(frozen=True)
class Target:
    """One repository to scan, with the group it belongs to and the students registered for it."""

    repo: str
    group: int | None = None
    students: tuple[str, ...] = ()
    line: int | None = None
    local_path: str | None = field(default=None, compare=False)
    registered: bool = True  # False: a local clone that the group file given does not list

    @property
    def key(self) -> str:
        """Return the name results and the cache use for this repository (case-insensitive on GitHub)."""
        return self.repo.lower()


@dataclass(frozen=True)
class InputProblem:
    """A line of the input that was skipped or partly ignored, and why."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


def parse_repo(text: str) -> str | None:
    """Return `owner/name` for a repository URL or name, or None when it is not one."""
    match = REPO.match(text.strip())
    if not match:
        return None
    return f"{match.group('owner')}/{match.group('name')}"


def parse_student(text: str, pattern: re.Pattern[str] = DEFAULT_STUDENT_ID) -> str | None:
    """Return the bare student id (`s123456`) for `s123456` or `s123456@student.dtu.dk`, else None.

    The id is read as the student-id rule reads it (lower case, an e-mail's domain left out), then held against
    the question set's pattern.
    """
    candidate = text.strip().lower().split("@", 1)[0]
    return candidate if candidate and pattern.fullmatch(candidate) else None


def read_targets(
    path: str | Path, student_id: re.Pattern[str] = DEFAULT_STUDENT_ID
) -> tuple[list[Target], list[InputProblem]]:
    """Read a group file or a plain list of repositories; bad lines come back as problems, not exceptions."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CheckerError(f"{path}: cannot read the list of repositories ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CheckerError(f"{path}: not UTF-8 (first bad byte at offset {exc.start})") from None
    return parse_targets(text, str(path), student_id)


def parse_targets(
    text: str, source: str = "<input>", student_id: re.Pattern[str] = DEFAULT_STUDENT_ID
) -> tuple[list[Target], list[InputProblem]]:
    """Parse the text of a group file (detected by its header) or of a plain list of repositories."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    header = [cell.strip().lower() for cell in first.split(",")]
    if "github_repo" in header or "group nb" in header:
        return _parse_csv(text, source, student_id)
    return _parse_list(text.splitlines(), source)


def _parse_list(lines: Iterable[str], source: str) -> tuple[list[Target], list[InputProblem]]:
    """Parse one repository per line; `#` starts a comment."""
    targets: list[Target] = []
    problems: list[InputProblem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):

        def note(message: str, number: int = number) -> None:
            problems.append(InputProblem(source, number, message))

        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        repo = parse_repo(line)
        if repo is None:
            note(f"not a repository ('{_short(line)}'); skipped")
            continue
        if repo.lower() in seen:
            note(f"{repo} is already listed on line {seen[repo.lower()]}; skipped")
            continue
        seen[repo.lower()] = number
        targets.append(Target(repo, line=number))
    return targets, problems


def _parse_csv(text: str, source: str, student_id: re.Pattern[str]) -> tuple[list[Target], list[InputProblem]]:
    """Parse the course's group file: `group nb,student 1,...,student 5,github_repo`."""
    reader = csv.reader(io.StringIO(text))
    targets: list[Target] = []
    problems: list[InputProblem] = []
    header: list[str] | None = None
    seen_repo: dict[str, int] = {}
    seen_group: dict[int, int] = {}
    for row in reader:
        number = reader.line_num

        def note(message: str, number: int = number) -> None:
            problems.append(InputProblem(source, number, message))

        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            missing = [name for name in ("group nb", "github_repo") if name not in header]
            if missing:
                raise CheckerError(f"{source}:{number}: the header has no column {', '.join(missing)}")
            continue
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        if len(row) > len(header):
            note(f"{len(row)} cells but the header has {len(header)}")
        group_text = cells.get("group nb", "")
        if not group_text.isdigit():
            note(f"group number '{_short(group_text)}' is not a number; skipped")
            continue
        group = int(group_text)
        repo = parse_repo(cells.get("github_repo", ""))
        if repo is None:
            shown = _short(cells.get("github_repo", ""))
            note(f"group {group}: no repository ('{shown}'); skipped")
            continue
        if group in seen_group:
            note(f"group {group} is already on line {seen_group[group]}; skipped")
            continue
        if repo.lower() in seen_repo:
            note(f"{repo} is already listed on line {seen_repo[repo.lower()]}; skipped")
            continue
        students: list[str] = []
        for name in header:
            value = cells.get(name, "")
            if not name.startswith("student") or not value:
                continue
            student = parse_student(value, student_id)
            if student is None:
                note(f"group {group}: '{_short(value)}' is not a student id; ignored")
            elif student not in students:
                students.append(student)
        seen_group[group] = number
        seen_repo[repo.lower()] = number
        targets.append(Target(repo, group, tuple(students), number))
    return targets, problems


def _short(text: str, limit: int = 60) -> str:
    """Shorten a cell for a one-line message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
