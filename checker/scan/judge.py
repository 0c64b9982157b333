"""Turn a repository snapshot into its results row: the core's check plus the group cross-checks."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from checker.errors import CheckerError
from checker.model import Finding
from checker.rules import RULES
from checker.rules.identity import student_ids
from checker.scan.core import check_report, json_result
from checker.scan.groups import Target
from checker.scan.snapshot import Plan, Snapshot, utc_text

if TYPE_CHECKING:
    from checker import Analysis
    from checker.model import ReportResult
    from checker.questions import QuestionSet

Row = dict[str, Any]
NUMBER = re.compile(r"(?<![\w.])(\d{1,4})(?![\w.])")


def base_row(target: Target, plan: Plan, status: str, reason: str = "") -> Row:
    """Return the fields every row has, before anything is read from the repository."""
    recorded = plan.heads.get(target.key)
    return {
        "repo": target.repo,
        "group": target.group,
        "students": list(target.students),
        "status": status,
        "reason": reason,
        "deadline": utc_text(plan.deadline) if plan.deadline is not None else None,
        "deadline_source": plan.source(target.key),
        "recorded_head": recorded.sha if recorded else None,
        "recorded_at": recorded.read_at if recorded else None,
        "scanned_at": utc_text(datetime.now(UTC)),
    }


def judge(
    target: Target,
    plan: Plan,
    snapshot: Snapshot,
    *,
    question_set: QuestionSet | None = None,
    strict: bool = False,
) -> Row:
    """Check the snapshot's report and return the repository's row."""
    row = base_row(target, plan, "ok")
    row.update(
        {
            "branch": snapshot.branch,
            "commit": snapshot.commit,
            "commit_date": snapshot.commit_date,
            "head": snapshot.head,
            "deadline_source": snapshot.deadline_source,
            "late_commits": snapshot.late_commits,
            "late_commits_total": snapshot.late_total,
            "report_path": snapshot.report_path,
            "notes": list(snapshot.notes),
            "requests": snapshot.requests,
            "cached": snapshot.cached,
            "result": None,
        }
    )
    if snapshot.report is None or snapshot.report_path is None:
        row["status"] = "no-report"
        row["reason"] = f"no {plan.report_path} and no other report in the repository"
        return row
    try:
        analysis = check_report(
            snapshot.report,
            path=snapshot.report_path,
            tree_paths=snapshot.tree_paths,
            question_set=question_set,
            strict=strict,
        )
    except CheckerError as exc:
        row["status"] = "unreadable"
        row["reason"] = str(exc)
        return row
    result = analysis.result
    extra = cross_check(analysis, target)
    if extra:
        result = with_findings(result, extra)
    row.update(
        {
            "ready": result.ready,
            "passed": result.passed,
            "total": len(result.questions),
            "errors": result.errors,
            "warnings": result.warnings,
            "result": json_result(result),
        }
    )
    return row


def with_findings(result: ReportResult, extra: list[Finding]) -> ReportResult:
    """Add findings to a result, and to their question, which fails when one of them is an error."""
    questions = []
    for question in result.questions:
        own = [f for f in extra if f.question == question.number]
        failed = question.status == "pass" and any(f.severity == "error" for f in own)
        questions.append(
            question._replace(
                findings=tuple(sorted((*question.findings, *own), key=_order)),
                status="fail" if failed else question.status,
            )
            if own
            else question
        )
    findings = tuple(sorted((*result.findings, *extra), key=_order))
    return result._replace(findings=findings, questions=tuple(questions))


def _order(finding: Finding) -> tuple[int, int, str, str]:
    """Sort findings by line, question and rule (a report-level finding has no question)."""
    return (finding.line, finding.question or 0, finding.rule, finding.message)


def cross_check(analysis: Analysis, target: Target) -> list[Finding]:
    """Compare the group number (Q1) and student ids (Q2) of the report with the group file."""
    if target.group is None and not target.students:
        return []
    parsed, chosen = analysis.parsed, analysis.question_set
    group_q = next((q.number for q in chosen.questions if q.kind == "group-number"), 1)
    students_q = next((q.number for q in chosen.questions if q.kind == "student-ids"), 2)
    by_number = {q.number: q for q in parsed.questions}
    findings: list[Finding] = []

    answer = by_number.get(group_q)
    if target.group is not None and answer is not None and not answer.answer.empty:
        numbers = [int(n) for n in NUMBER.findall(answer.answer.text)]
        if numbers and target.group not in numbers[:1]:
            findings.append(
                Finding(
                    line=answer.answer.start_line,
                    question=group_q,
                    rule="group-number-mismatch",
                    severity=RULES["group-number-mismatch"].severity,
                    message=(
                        f"question {group_q} gives group {numbers[0]}, but the course's group list has this "
                        f"repository as group {target.group}"
                    ),
                    hint=(f"answer question {group_q} with {target.group}, the number in the course's group list"),
                )
            )

    answer = by_number.get(students_q)
    if target.students and answer is not None and not answer.answer.empty:
        # The same reading of ids as the student-id rule, with the question set's own id pattern.
        written = set(student_ids(answer.answer.text, chosen.student_id)[0])
        registered = set(target.students)
        missing = sorted(registered - written)
        extra = sorted(written - registered)
        where = f"group {target.group}" if target.group is not None else "this group"
        if missing:
            findings.append(
                Finding(
                    line=answer.answer.start_line,
                    question=students_q,
                    rule="student-ids-mismatch",
                    severity=RULES["student-ids-mismatch"].severity,
                    message=f"question {students_q} leaves out {', '.join(missing)}, registered in {where}",
                    hint=f"list every member's student id in question {students_q}, e.g. {missing[0]}",
                )
            )
        if extra:
            findings.append(
                Finding(
                    line=answer.answer.start_line,
                    question=students_q,
                    rule="student-ids-unregistered",
                    severity=RULES["student-ids-unregistered"].severity,
                    message=f"question {students_q} lists {', '.join(extra)}, not registered in {where}",
                    hint="check the id for a typo, or ask the teachers to update the group list",
                )
            )
    return findings
