"""Write each group's feedback: its findings in plain words with the fix for each, ready to post or mail."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo
from pathlib import Path

from checker.model import Finding
from checker.scan.row import ScanRow
from checker.scan.snapshot import parse_time
from checker.scan.store import write_atomic
from checker.wording import plural

WHY_NOT_READ = {
    "no-report": "We found no report in your repository.",
    "unreadable": "We could not read your report.",
    "not-found": "We could not open your repository: it does not exist, or it is private to us.",
    "empty": "Your repository has no commits yet.",
    "no-commit": "Your repository has no commit from before the deadline.",
    "blocked": "GitHub blocks access to your repository for legal reasons, so we could not read it.",
    "sso-required": "Your repository's organisation requires single sign-on that our access is not set up for.",
}
HOW_CHOSEN = {
    "heads": "the head of your default branch when it was read at the deadline",
    "push-time": "the head of your default branch as pushed before the deadline",
    "commit-date": "the last commit on your default branch dated at or before the deadline",
}


def file_name(row: ScanRow) -> str:
    """Return `group-N.md`, or a name made from the repository when the group is not known."""
    if row.group is not None:
        return f"group-{row.group}.md"
    return row.repo.replace("/", "__") + ".md"


def when(deadline: str, zone: tzinfo | None = None) -> str:
    """Return a deadline (UTC, as rows keep it) in the zone it was given in, with UTC beside it.

    `2026-01-23 23:59 +01:00 (2026-01-23T22:59:00Z)`; given in UTC, or in a zone not known, as the row has it.
    """
    try:
        moment = parse_time(deadline)
    except ValueError:
        return deadline
    local = moment.astimezone(zone) if zone is not None else None
    if local is None or not local.utcoffset():
        return deadline
    offset = local.strftime("%z")
    return f"{local.strftime('%Y-%m-%d %H:%M')} {offset[:3]}:{offset[3:]} ({deadline})"


def render(row: ScanRow, folder: str = "reports", zone: tzinfo | None = None, *, titled: bool = True) -> str:
    """Return the feedback text of one row; `folder` is the report's folder whose later commits were counted.

    `zone` is the one the deadline was given in (`--deadline 2026-01-23T23:59+01:00`): the text says it so.
    Without `titled` the text starts at the repository line, for a place that has a title of its own (an issue).
    """
    title = f"group {row.group}" if row.group is not None else row.repo
    lines = [f"# Exam report check: {title}", ""] if titled else []
    what = f"Repository `{row.repo}`"
    if row.commit:
        what += f", commit `{row.commit[:12]}`"
        if row.commit_date:
            what += f" of {row.commit_date}"
    if row.deadline:
        how = HOW_CHOSEN.get(row.deadline_source, "")
        deadline = when(row.deadline, zone)
        what += f" ({how}, {deadline})" if how else f" (deadline {deadline})"
    lines += [what + ".", ""]
    if row.status != "ok":
        lines.append(WHY_NOT_READ.get(row.status, "We could not check your report this time."))
        if row.reason:
            lines.append(f"Details: {row.reason}.")
        lines.append("")
        return "\n".join(lines)

    errors, warnings = row.errors or 0, row.warnings or 0
    verdict = "ready to hand in" if row.ready else "not ready to hand in yet"
    lines.append(
        f"Your report is **{verdict}**: {row.passed or 0} of {row.total or 0} questions pass, "
        f"{plural(errors, 'error')} and {plural(warnings, 'warning')}."
    )
    lines.append("")
    findings = row.report.findings if row.report is not None else ()
    for severity, heading in (("error", "Must fix"), ("warning", "Worth fixing")):
        chosen = [f for f in findings if f.severity == severity]
        if not chosen:
            continue
        lines += [f"## {heading}", ""]
        lines += [f"- {_finding(f)}" for f in chosen]
        lines.append("")
    late = row.late_commits
    if late:
        lines += [
            f"Note: {plural(late, 'later commit')} changed `{folder or '.'}/` after this one; "
            f"this check does not include {'it' if late == 1 else 'them'}.",
            "",
        ]
    if row.notes:
        lines += ["Notes from the scan:", "", *(f"- {n}" for n in row.notes), ""]
    return "\n".join(lines)


def _finding(finding: Finding) -> str:
    """Return one finding as a sentence with its place and its fix."""
    where = []
    if finding.question is not None:
        where.append(f"question {finding.question}")
    if finding.line:
        where.append(f"line {finding.line}")
    text = finding.message.rstrip(".")
    text = text[:1].upper() + text[1:]
    if where:
        text = f"{', '.join(where).capitalize()}: {text}"
    hint = finding.hint.rstrip(".")
    return f"{text}. Fix: {hint}." if hint else f"{text}."


def write_all(rows: Iterable[ScanRow], out: Path, folder: str = "reports", zone: tzinfo | None = None) -> int:
    """Write one feedback file per row into `out`; return how many were written."""
    written = 0
    for row in rows:
        if row.status == "not-scanned":
            continue
        write_atomic(out / file_name(row), render(row, folder, zone))
        written += 1
    return written
