"""A GitHub-flavoured markdown summary for a job summary or a pull-request comment.

The verdict comes first, then one table row per question that needs work and, collapsed, the passing ones.
Text that comes from the report (headings, file names) can hold markdown, HTML or a `|`: every character that
could start any of those is written as a numeric character reference, so it shows as itself and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from checker.formats import RenderOptions
from checker.model import ChecklistItemResult, Finding, QuestionResult, Range, ReportResult
from checker.wording import plural

_SPECIAL = re.compile(r"[\\`*_\[\]<>#!|~&$@]")
_SPACE = re.compile(r"\s+")
_ICON = {"pass": "✅", "fail": "❌", "unanswered": "📝", "missing": "❓"}


def escape(text: str) -> str:
    """Make text inert in a table cell: no markdown, no HTML, no `|`, no line break."""
    return _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", _SPACE.sub(" ", text))


def inline(text: str) -> str:
    """Escape a message, showing its `code spans` as <code> (a literal backtick pair cannot hold a `|` safely)."""
    pieces = text.strip().split("`")
    if len(pieces) % 2 == 0:  # an unpaired backtick: show everything as text
        return escape(text.strip())
    return "".join(f"<code>{escape(piece)}</code>" if index % 2 else escape(piece)
                   for index, piece in enumerate(pieces))


def _count(value: int | None, bounds: Range | None) -> str:
    if value is None:
        return "-"
    return f"{value} ({bounds[0]}-{bounds[1]})" if bounds else str(value)


def _first_problem(question: QuestionResult) -> Finding | None:
    ordered = sorted(question.findings, key=lambda f: (f.severity != "error", f.line, f.rule))
    return ordered[0] if ordered else None


def _problem_cell(finding: Finding | None) -> str:
    if finding is None:
        return ""
    return f"{'⚠️ ' if finding.severity == 'warning' else ''}<code>{escape(finding.rule)}</code> " \
           f"{inline(finding.message)} (line {finding.line})"


def _passing_row(question: QuestionResult) -> str:
    cells = [f"{question.number}. {escape(question.title)}", _count(question.words, question.words_range),
             _count(question.images, question.images_range)]
    return "| " + " | ".join(cells) + " |"


def _row(question: QuestionResult) -> str:
    cells = [
        f"{question.number}. {escape(question.title)}",
        f"{_ICON[question.status]} {question.status}",
        _count(question.words, question.words_range),
        _count(question.images, question.images_range),
        _problem_cell(_first_problem(question)),
    ]
    return "| " + " | ".join(cells) + " |"


def heading(result: ReportResult) -> str:
    """Return the verdict heading: READY or NOT PASSED with the counts."""
    from checker.formats.text import verdict

    return f"### {'✅' if result.ready else '❌'} {verdict(result)}"


def render(result: ReportResult, options: RenderOptions) -> str:
    """Render one result as a job-summary section."""
    lines = [
        heading(result),
        "",
        f"Report {inline('`' + result.label + '`')} checked against {inline('`' + result.set_id + '`')} "
        f"({result.prompts_matched}/{result.prompts_total} prompts as in the template)"
        f"{', strict' if result.strict else ''}.",
        "",
    ]
    header = ["| Question | Status | Words (range) | Images (range) | First problem |", "|---|---|---|---|---|"]
    failing = [q for q in result.questions if q.status != "pass" or q.findings]
    passing = [q for q in result.questions if q not in failing]
    if failing:
        lines += [*header, *(_row(q) for q in failing), ""]
    general = [f for f in result.findings if f.question is None]
    if general:
        lines.append("**Whole report**")
        lines.append("")
        lines += [f"- {'❌' if f.severity == 'error' else '⚠️'} <code>{escape(f.rule)}</code> {inline(f.message)} "
                  f"(line {f.line}): {inline(f.hint)}" for f in general]
        lines.append("")
    if passing:
        verb = "passes" if len(passing) == 1 else "pass"
        lines += [f"<details><summary>{plural(len(passing), 'question')} {verb}</summary>", "",
                  "| Question | Words (range) | Images (range) |", "|---|---|---|",
                  *(_passing_row(q) for q in passing), "", "</details>", ""]
    if result.checklist:
        weeks = ", ".join(f"{escape(s.name)} {s.checked}/{s.total}" for s in result.checklist)
        lines += [f"Checklist: {weeks}", ""]
    lines += evidence_section(result)
    return "\n".join(lines) + "\n"


def _item_name(item: ChecklistItemResult) -> str:
    name = escape(item.title) if item.title else "(no evidence rule)"
    return f"{name} ({escape(item.module)})" if item.module else name


def _paths(item: ChecklistItemResult) -> str:
    return ", ".join(f"<code>{escape(path)}</code>" for path in item.paths)


def evidence_section(result: ReportResult) -> list[str]:
    """Return the lines that hold the checklist against the repository: counts, then the items to look at."""
    assessed = [item for item in result.checklist_items if item.evidence is not None]
    if not assessed:
        return []
    ticked = [item for item in assessed if item.checked]
    count = {status: sum(1 for item in ticked if item.evidence == status)
             for status in ("found", "none", "not-checkable")}
    done = result.looks_done
    line = (f"**Checklist against the repository:** {len(ticked)} ticked items: {count['found']} shown by files, "
            f"{count['none']} without any trace, {count['not-checkable']} not checkable from files")
    if done:
        line += f"; {len(done)} {'item looks' if len(done) == 1 else 'items look'} done but " \
                f"{'is' if len(done) == 1 else 'are'} not ticked."
    else:
        line += "."
    unbacked = [item for item in ticked if item.evidence == "none"]
    if not unbacked and not done:
        return [line, ""]
    rows = [f"| {item.line} | {_item_name(item)} | ✅ | ⚠️ no trace; looked for {inline(item.looked_for)} |"
            for item in unbacked]
    rows += [f"| {item.line} | {_item_name(item)} | ⬜ | shown by {_paths(item)} |" for item in done]
    return [line, "", "<details><summary>Items to look at</summary>", "",
            "| Line | Item | Ticked | Evidence |", "|---|---|---|---|", *rows, "", "</details>", ""]


def render_many(results: Sequence[ReportResult], options: RenderOptions) -> str:
    """Render several results one after another under a common title."""
    return "## reportcheck\n\n" + "\n".join(render(result, options) for result in results)
