"""Run every rule over a parsed report and its question set, and decide each question's status. No I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from checker.evidence import RepoSample, assess
from checker.files import RepoFiles
from checker.model import ChecklistSection, Finding, QuestionResult, Registration, ReportResult, Status
from checker.official import OfficialView
from checker.parse import ParsedQuestion, ParsedReport
from checker.questions import Detection, QuestionSet
from checker.rules import (
    RULES,
    Problem,
    answers,
    checklist,
    divergence,
    duplicate,
    gibberish,
    identity,
    images,
    structure,
    todo,
)
from checker.rules.context import QuestionContext, ReportContext

QuestionRule = Callable[[QuestionContext], Iterable[Problem]]
ReportRule = Callable[[ReportContext], Iterable[Problem]]
QUESTION_RULES: tuple[QuestionRule, ...] = (answers.check, images.check, identity.check, divergence.check,
                                            todo.check, gibberish.check)
REPORT_RULES: tuple[ReportRule, ...] = (structure.check, duplicate.check, checklist.check)

# Warnings that groups tend to repeat on every question: above MANY_REPEATS questions they become one
# report-wide finding naming the questions, so the output stays readable.
COLLAPSIBLE = ("template-modified", "leftover-marker", "placeholder-left")
MANY_REPEATS = 5


def finding(problem: Problem, question: int | None) -> Finding:
    """Turn a rule's problem into a finding with the registry's severity."""
    rule = RULES[problem.rule]
    return Finding(problem.line, question, rule.id, rule.severity, problem.message, problem.hint or rule.fix)


def check(
    report: ParsedReport,
    question_set: QuestionSet,
    *,
    path: str,
    sha256: str,
    files: RepoFiles | None,
    official: OfficialView | None,
    matched: int = 0,
    followed: Detection | None = None,
    registered: Registration | None = None,
    strict: bool = False,
    sample: RepoSample | None = None,
) -> ReportResult:
    """Check a parsed report against a question set and return the full result.

    `matched` is how many of the set's prompts the report kept; `followed` is the set the report matches best,
    given only when the caller forced `question_set`, so a report that clearly follows another set is flagged.
    `registered` is what the course's group list says of this repository, when known (the scan).
    `sample` is the repository's file list and the few small files read from it, for the checklist's evidence.
    """
    by_number: dict[int, list[ParsedQuestion]] = {}
    for parsed in report.questions:
        by_number.setdefault(parsed.number, []).append(parsed)

    items = assess(question_set.evidence, report.checklist, sample)
    whole = ReportContext(report, question_set, by_number, path, matched, followed, official, items)
    report_findings = [finding(p, p.question) for rule in REPORT_RULES for p in rule(whole)]

    student_ids = _student_ids(question_set, by_number)
    results: list[QuestionResult] = []
    for index, question in enumerate(question_set.questions):
        copies = by_number.get(question.number)
        if not copies:
            results.append(QuestionResult(question.number, question.title, "missing", None, question.words, None,
                                          question.images, None, None))
            continue
        parsed = copies[0]
        official_answer = official.answers[index] if official and official.answers else None
        ctx = QuestionContext(question, parsed, question_set, files, path, student_ids, official_answer, registered)
        problems = [p for rule in QUESTION_RULES for p in rule(ctx)]
        own = tuple(sorted((finding(p, question.number) for p in problems), key=Finding.key))
        results.append(QuestionResult(
            number=question.number,
            title=question.title,
            status=_status(parsed, own),
            words=parsed.answer.words,
            words_range=question.words,
            images=sum(1 for image in parsed.answer.images if image.renders),
            images_range=question.images,
            line=parsed.line,
            official=official_answer,
            findings=own,
        ))

    # Report-level findings that belong to a question are shown with it too.
    per_question: dict[int, list[Finding]] = {}
    for item in report_findings:
        if item.question is not None:
            per_question.setdefault(item.question, []).append(item)
    results = [_with_extra(result, per_question.get(result.number, [])) for result in results]
    results, collapsed = _collapse(results)

    report_wide = [f for f in report_findings if f.question is None] + collapsed
    all_findings = sorted([*report_wide, *(f for r in results for f in r.findings)], key=Finding.key)
    return ReportResult(
        path=path,
        sha256=sha256,
        set_id=question_set.id,
        prompts_matched=matched,
        prompts_total=len(question_set.questions),
        strict=strict,
        questions=tuple(results),
        findings=tuple(all_findings),
        checklist=tuple(_checklist(report)),
        official_crash=official.crash if official else None,
        checklist_items=items,
    )


def _collapse(results: list[QuestionResult]) -> tuple[list[QuestionResult], list[Finding]]:
    """Replace a warning repeated on many questions by one report-wide finding."""
    collapsed: list[Finding] = []
    for rule in COLLAPSIBLE:
        hits = [f for r in results for f in r.findings if f.rule == rule]
        if len(hits) <= MANY_REPEATS:
            continue
        numbers = number_ranges([f.question for f in hits if f.question is not None])
        first = min(hits, key=Finding.key)
        collapsed.append(Finding(first.line, None, rule, first.severity,
                                 f"{len(hits)} questions: {first.message} (questions {numbers})", first.hint))
        results = [r._replace(findings=tuple(f for f in r.findings if f.rule != rule)) for r in results]
    return results, collapsed


def _status(parsed: ParsedQuestion, findings: Iterable[Finding]) -> Status:
    if parsed.answer.empty:
        return "unanswered"
    return "fail" if any(f.severity == "error" for f in findings) else "pass"


def _with_extra(result: QuestionResult, extra: list[Finding]) -> QuestionResult:
    """Attach report-level findings about this question and let errors among them fail it."""
    if not extra:
        return result
    findings = tuple(sorted({*result.findings, *extra}, key=Finding.key))
    status = result.status
    if status == "pass" and any(f.severity == "error" for f in extra):
        status = "fail"
    return QuestionResult(result.number, result.title, status, result.words, result.words_range, result.images,
                          result.images_range, result.line, result.official, findings)


def _student_ids(question_set: QuestionSet, by_number: dict[int, list[ParsedQuestion]]) -> frozenset[str]:
    """Collect the well-formed ids written in the set's student-id question."""
    for question in question_set.questions:
        if question.kind == "student-ids" and question.number in by_number:
            good, _ = identity.student_ids(by_number[question.number][0].answer.text, question_set.student_id)
            return frozenset(good)
    return frozenset()


def number_ranges(numbers: list[int]) -> str:
    """Write sorted numbers compactly: [1, 2, 3, 5] -> `1-3, 5`."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def _checklist(report: ParsedReport) -> Iterator[ChecklistSection]:
    for group in report.checklist:
        checked = [item for item in group.items if item.checked]
        modules = tuple(dict.fromkeys(m for item in checked for m in item.modules))
        yield ChecklistSection(group.name, group.line, len(checked), len(group.items), modules)
