"""Write each group's feedback: its findings in plain words with the fix for each, ready to post or mail."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from checker.scan.store import write_atomic

Row = dict[str, Any]

WHY_NOT_READ = {
    "no-report": "We found no report in your repository.",
    "unreadable": "We could not read your report.",
    "not-found": "We could not open your repository: it does not exist, or it is private to us.",
    "empty": "Your repository has no commits yet.",
    "no-commit": "Your repository has no commit from before the deadline.",
}


def file_name(row: Row) -> str:
    """Return `group-N.md`, or a name made from the repository when the group is not known."""
    if row.get("group") is not None:
        return f"group-{row['group']}.md"
    return str(row.get("repo", "repository")).replace("/", "__") + ".md"


def render(row: Row) -> str:
    """Return the feedback text of one row."""
    group = row.get("group")
    title = f"group {group}" if group is not None else str(row.get("repo"))
    lines = [f"# Exam report check: {title}", ""]
    commit = str(row.get("commit") or "")
    what = f"Repository `{row.get('repo')}`"
    if commit:
        what += f", commit `{commit[:12]}`"
        if row.get("commit_date"):
            what += f" of {row['commit_date']}"
    if row.get("deadline"):
        how = {
            "heads": "the head of your default branch when it was read at the deadline",
            "push-time": "the head of your default branch as pushed before the deadline",
            "commit-date": "the last commit on your default branch dated at or before the deadline",
        }.get(str(row.get("deadline_source")), "")
        what += f" ({how}, {row['deadline']})" if how else f" (deadline {row['deadline']})"
    lines += [what + ".", ""]
    status = row.get("status")
    if status != "ok":
        lines.append(WHY_NOT_READ.get(str(status), "We could not check your report this time."))
        if row.get("reason"):
            lines.append(f"Details: {row['reason']}.")
        lines.append("")
        return "\n".join(lines)

    errors, warnings = int(row.get("errors", 0)), int(row.get("warnings", 0))
    verdict = "ready to hand in" if row.get("ready") else "not ready to hand in yet"
    lines.append(
        f"Your report is **{verdict}**: {row.get('passed', 0)} of {row.get('total', 0)} questions pass, "
        f"{_count(errors, 'error')} and {_count(warnings, 'warning')}."
    )
    lines.append("")
    findings = list((row.get("result") or {}).get("findings") or [])
    for severity, heading in (("error", "Must fix"), ("warning", "Worth fixing")):
        chosen = [f for f in findings if f.get("severity") == severity]
        if not chosen:
            continue
        lines += [f"## {heading}", ""]
        lines += [f"- {_finding(f)}" for f in chosen]
        lines.append("")
    late = row.get("late_commits")
    if late:
        lines += [
            f"Note: {_count(int(late), 'later commit')} changed `reports/` after this one; "
            f"this check does not include {'it' if int(late) == 1 else 'them'}.",
            "",
        ]
    notes = [str(n) for n in row.get("notes") or []]
    if notes:
        lines += ["Notes from the scan:", "", *(f"- {n}" for n in notes), ""]
    return "\n".join(lines)


def _finding(finding: dict[str, Any]) -> str:
    """Return one finding as a sentence with its place and its fix."""
    where = []
    if finding.get("question") is not None:
        where.append(f"question {finding['question']}")
    if finding.get("line"):
        where.append(f"line {finding['line']}")
    text = str(finding.get("message", "")).rstrip(".")
    text = text[:1].upper() + text[1:]
    if where:
        text = f"{', '.join(where).capitalize()}: {text}"
    hint = str(finding.get("hint") or "").rstrip(".")
    return f"{text}. Fix: {hint}." if hint else f"{text}."


def _count(number: int, word: str) -> str:
    """Return `1 error`, `2 errors`."""
    return f"{number} {word}{'' if number == 1 else 's'}"


def write_all(rows: Iterable[Row], folder: Path) -> int:
    """Write one feedback file per row; return how many were written."""
    written = 0
    for row in rows:
        if row.get("status") == "not-scanned":
            continue
        write_atomic(folder / file_name(row), render(row))
        written += 1
    return written
