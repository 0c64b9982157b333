"""Turn a repository snapshot into its row: the core's check, with what the group list says of it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from checker.errors import CheckerError
from checker.files import RepoListing
from checker.model import Registration
from checker.scan.core import check_report, json_result, too_large
from checker.scan.groups import Target
from checker.scan.row import ScanRow
from checker.scan.snapshot import CommitFiles, Plan, Snapshot, utc_text

if TYPE_CHECKING:
    from checker.questions import QuestionSet


UNREGISTERED = "not in the group file: a clone no registered group matches"


def base_row(target: Target, plan: Plan, status: str, reason: str = "") -> ScanRow:
    """Return the row of a repository before anything is read from it: who it is, what the plan asked."""
    recorded = plan.heads.get(target.key)
    return ScanRow(
        repo=target.repo,
        group=target.group,
        students=target.students,
        status=status,
        reason=reason,
        deadline=utc_text(plan.deadline) if plan.deadline is not None else None,
        deadline_source=plan.source(target.key),
        recorded_head=recorded.sha if recorded else None,
        recorded_at=recorded.read_at if recorded else None,
        scanned_at=utc_text(datetime.now(UTC)),
        notes=() if target.registered else (UNREGISTERED,),
    )


def evidence_listing(files: CommitFiles) -> RepoListing | None:
    """Return the commit's files for the checklist's evidence: its file list, the small files read (any other is
    "not read") and why the list may lack files; None when it holds only the report's folder (`tree_scope`)."""
    if files.tree_scope is not None:
        return None
    read = dict(files.small_files or {})
    return RepoListing(files.tree_paths, read.get, git=True, gap=files.gap)


def judge(
    target: Target,
    plan: Plan,
    snapshot: Snapshot,
    *,
    question_set: QuestionSet | None = None,
    strict: bool = False,
) -> ScanRow:
    """Check the snapshot's report and return the repository's row."""
    choice, files = snapshot.choice, snapshot.files
    base = base_row(target, plan, "ok")
    row = replace(
        base,
        branch=choice.branch,
        commit=choice.commit,
        commit_date=snapshot.commit_date,
        head=choice.head,
        deadline_source=choice.source,
        late_commits=choice.late.folder,
        late_commits_total=choice.late.total,
        report_path=files.report_path,
        notes=(*base.notes, *snapshot.notes),
        requests=snapshot.requests,
        cached=snapshot.cached,
    )
    if files.report_path is not None and files.report is None and files.oversized(plan.max_bytes):
        size = files.report_size or 0  # the tree gave its size: it was never downloaded
        return replace(row, status="unreadable", reason=too_large(files.report_path, size, plan.max_bytes))
    if files.report is None or files.report_path is None:
        return replace(row, status="no-report", reason=f"no {plan.report_path} and no other report in the repository")
    try:
        result = check_report(
            files.report,
            path=files.report_path,
            tree_paths=files.tree_paths,
            question_set=question_set,
            strict=strict,
            registered=Registration(target.group, target.students),
            max_bytes=plan.max_bytes,
            listing=evidence_listing(files),
        )
    except CheckerError as exc:
        return replace(row, status="unreadable", reason=str(exc))
    return replace(
        row,
        ready=result.ready,
        passed=result.passed,
        total=len(result.questions),
        errors=result.errors,
        warnings=result.warnings,
        result=json_result(result),
    )
