"""Plain text for terminals: one line per problem, the checklist per week, and the verdict last."""

from __future__ import annotations

from collections.abc import Sequence

from checker.formats import RenderOptions
from checker.model import ReportResult
from checker.wording import plural

_COLORS = {"error": "31", "warning": "33", "ready": "32;1", "notready": "31;1"}


def _paint(text: str, what: str, options: RenderOptions) -> str:
    return f"\x1b[{_COLORS[what]}m{text}\x1b[0m" if options.color else text


def verdict(result: ReportResult) -> str:
    """Return the last line: `READY 31/31 questions pass` or `NOT PASSED 28/31 ...`, and what the course
    checker will do where it disagrees."""
    count = f"{result.passed}/{len(result.questions)} questions pass"
    if result.ready:
        extra = f", {plural(result.warnings, 'warning')}" if result.warnings else ""
        return f"READY {count}{extra}{course_checker(result)}"
    return (f"NOT PASSED {count}, {plural(result.errors, 'error')}, {plural(result.warnings, 'warning')}"
            f"{course_checker(result)}")


def course_checker(result: ReportResult) -> str:
    """Say, after the verdict, when the course checker will crash or fail questions that pass here."""
    if result.official_crash is not None:
        return "; the course checker will stop with an error on this report (see official-crash)"
    fails = result.official_fails
    if not fails:
        return ""
    from checker.engine import number_ranges

    listed = ", ".join(f"Q{run}" for run in number_ranges(list(fails)).split(", "))
    explained = all(any(f.rule == "official-divergence" for f in q.findings)
                    for q in result.questions if q.number in fails)
    return f"; the course checker will fail {listed}" + (" (see official-divergence)" if explained else "")


def looks_done(result: ReportResult) -> str:
    """Say which items the repository shows although they are not ticked: `2 items look done but ...`."""
    items = result.looks_done
    lines = ", ".join(str(item.line) for item in items)
    if len(items) == 1:
        return f"1 item looks done but is not ticked (line {lines})"
    return f"{len(items)} items look done but are not ticked (lines {lines})"


def render(result: ReportResult, options: RenderOptions) -> str:
    """Render one result for a terminal."""
    lines = [f"{result.label}  ({result.set_id}, {result.prompts_matched}/{result.prompts_total} prompts match)"]
    if result.files_note:
        lines.append(f"note: {result.files_note}")
    width = max((len(f.rule) for f in result.findings), default=0)
    for finding in result.findings:
        where = f"Q{finding.question}" if finding.question is not None else "--"
        rule = _paint(finding.rule.ljust(width), finding.severity, options)
        lines.append(f"{where:<4} {rule}  {finding.message}  (line {finding.line})")
        if finding.hint:
            lines.append(f"{'':<4} {'':<{width}}  -> {finding.hint}")
    if result.checklist:
        weeks = ", ".join(f"{s.name} {s.checked}/{s.total}" for s in result.checklist)
        lines.append(f"checklist: {weeks}")
    if result.looks_done:
        lines.append(f"checklist: {looks_done(result)}")
    last = verdict(result)
    lines.append(_paint(last, "ready" if result.ready else "notready", options))
    return "\n".join(lines) + "\n"


def render_many(results: Sequence[ReportResult], options: RenderOptions) -> str:
    """Render several results one after another, with a count of ready reports at the end."""
    if len(results) == 1:
        return render(results[0], options)
    body = "\n".join(render(result, options) for result in results)
    ready = sum(1 for result in results if result.ready)
    return body + f"\n{plural(len(results), 'report')}: {ready} ready, {len(results) - ready} not passed\n"
