"""The rendered report: one self-contained page with the group's answers, a badge per question, the checklist.

Only what the group wrote is shown: the front matter, the checklist's text and the template's instructions are
left out (the checklist becomes a progress bar per week, and each ticked item a line of its evidence, named by
its rule), and each question's prompt is folded away.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from checker.html.figures import FigureSource
from checker.html.page import asset, count_badge, document, evidence_badge, status_badge
from checker.html.render import AnswerRenderer
from checker.model import ChecklistItemResult, ChecklistSection, Finding, QuestionResult, ReportResult
from checker.parse import ANSWER_MARKER, PLACEHOLDER, QUOTE_PREFIX, ParsedQuestion, ParsedReport, parse
from checker.wording import plural

INLINE_CODE = re.compile(r"`([^`\n]+)`")


@dataclass(frozen=True)
class ReportPage:
    """A rendered report page and how many of its figures are shown as placeholders."""

    html: str
    placeholders: int


def answer_source(lines: list[str], question: ParsedQuestion) -> str:
    """Return the markdown the group wrote as its answer, without `Answer:` and the prompt's quote markers."""
    answer = question.answer
    region = lines[answer.start_line - 1 : answer.end_line]
    if answer.has_marker and region:
        match = ANSWER_MARKER.match(region[0])
        region[0] = region[0][match.end():] if match else region[0]
        # An answer written inside the prompt's quote continues on the following `>` lines.
        for index in range(1, len(region)):
            if not region[index].lstrip().startswith(">"):
                break
            region[index] = QUOTE_PREFIX.sub("", region[index])
    return PLACEHOLDER.sub("", "\n".join(region))


def section_headings(text: str) -> list[tuple[int, str]]:
    """Return the 1-based line and title of each level-2 heading of the report."""
    from checker.parse import markdown

    found: list[tuple[int, str]] = []
    tokens = markdown().parse(text)
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.markup == "##" and token.map:
            found.append((token.map[0] + 1, tokens[index + 1].content.strip()))
    return found


def render_report(
    result: ReportResult,
    text: str | None,
    figures: FigureSource | None = None,
    *,
    title: str | None = None,
    back: str | None = None,
    redact: Callable[[str], str] | None = None,
) -> ReportPage:
    """Render a checked report (`text` is its markdown, None when only the result is known) as one page.

    `redact` (a `redact.Redactor`) masks the study numbers of the whole page.
    """
    answers = AnswerRenderer(result.path, figures)
    parsed = parse(text) if text is not None else None
    heading = title or result.path
    parts = [_header(result, heading, back), _checklist(result.checklist), _evidence(result.checklist_items),
             _report_findings(result.findings)]
    if parsed is None:
        parts.append('<p class="note">The report text was not stored with this result; only the verdicts are '
                      "shown.</p>")
    parts.append(_questions(result, parsed, text, answers))
    body = "<main>\n" + "\n".join(p for p in parts if p) + "\n</main>"
    html = document(f"{heading} \u2013 reportcheck", body, css=asset("common.css") + asset("report.css"),
                    redact=redact)
    return ReportPage(html, len(answers.placeholders))


def _header(result: ReportResult, heading: str, back: str | None) -> str:
    verdict = "ready" if result.ready else "not ready"
    link = f'<p class="back"><a href="{escape(back)}">\u2190 all groups</a></p>' if back else ""
    return (
        f"<header>{link}<h1>{escape(heading)}</h1>\n"
        f'<p class="summary"><span class="verdict {verdict.replace(" ", "-")}">{verdict}</span> '
        f"<span>{result.passed}/{len(result.questions)} questions pass</span> "
        f"<span>{plural(result.errors, 'error')}</span> "
        f"<span>{plural(result.warnings, 'warning')}</span> "
        f'<span class="template">template {escape(result.set_id)} '
        f"({result.prompts_matched}/{result.prompts_total} prompts kept)</span></p>\n"
        f'<p class="legend">{status_badge("pass")} {status_badge("fail")} {status_badge("unanswered")} '
        f"{status_badge('missing')}</p></header>"
    )


def _checklist(sections: tuple[ChecklistSection, ...]) -> str:
    if not sections:
        return ""
    rows = []
    for section in sections:
        rows.append(
            f'<tr><th scope="row">{escape(section.name)}</th>'
            f'<td><progress value="{section.checked}" max="{max(section.total, 1)}"></progress></td>'
            f'<td class="num">{section.checked}/{section.total}</td></tr>'
        )
    checked = sum(s.checked for s in sections)
    total = sum(s.total for s in sections)
    return (f'<section class="checklist"><h2>Module checklist <small>{checked}/{total} ticked</small></h2>'
            f'<table class="progress">{"".join(rows)}</table></section>')


def _evidence(items: tuple[ChecklistItemResult, ...]) -> str:
    """List each ticked checklist item with what the repository's files show of it: the paths that show it, what
    was looked for in vain, or why files cannot tell. Items are named by their rule and line, never by their
    text (the checklist's text stays off the page)."""
    ticked = [item for item in items if item.checked]
    if not ticked:
        return ""
    if all(item.evidence is None for item in items):
        return ('<section class="evidence"><h2>Checklist against the repository</h2><p class="note">The '
                "repository's files were not looked at for this report's checklist.</p></section>")
    rows = []
    for item in ticked:
        name = escape(item.title) if item.claim else "\u2013"  # no rule names it; the last column says so
        rows.append(f'<tr class="ev-{escape(item.evidence or "unknown")}"><td class="num">{item.line}</td>'
                    f'<td>{escape(item.module or "")}</td><td>{name}</td><td>{evidence_badge(item.evidence)}</td>'
                    f"<td>{_evidence_detail(item)}</td></tr>")
    counts = [plural(sum(1 for i in ticked if i.evidence == state), "item") + " " + words
              for state, words in (("found", "shown by files"), ("none", "without any trace"),
                                   ("not-checkable", "files cannot tell"))]
    looks = [item for item in items if item.looks_done]
    note = ""
    if looks:
        named = ", ".join(f"{escape(i.title)} (line {i.line})" for i in looks)
        note = (f'<p class="looks-done">{plural(len(looks), "item")} look{"s" * (len(looks) == 1)} done but '
                f"{'is' if len(looks) == 1 else 'are'} not ticked: {named}</p>")
    head = "<tr><th>Line</th><th>Module</th><th>Item</th><th>Evidence</th><th>What shows it, or why not</th></tr>"
    return (f'<section class="evidence"><h2>Checklist against the repository <small>{len(ticked)} ticked: '
            f'{", ".join(counts)}</small></h2><table class="evidence-items"><thead>{head}</thead><tbody>'
            f'{"".join(rows)}</tbody></table>{note}</section>')


def _evidence_detail(item: ChecklistItemResult) -> str:
    """Say what shows a checklist item (its paths), what was looked for in vain, or why files cannot tell."""
    paths = ", ".join(f"<code>{escape(path)}</code>" for path in item.paths)
    if item.evidence == "found":
        return paths or _inline_code(item.looked_for)
    if item.evidence == "none":
        return f"looked for {_inline_code(item.looked_for)}" if item.looked_for else "no file shows it"
    if item.evidence == "not-checkable":
        return _inline_code(item.reason) + (f"; related: {paths}" if paths else "")
    return "the repository's files were not looked at"


def _inline_code(text: str) -> str:
    """Escape a finding's message or hint and show its `backticked` parts as code."""
    return INLINE_CODE.sub(r"<code>\1</code>", escape(text))


def _findings(findings: tuple[Finding, ...] | list[Finding]) -> str:
    if not findings:
        return ""
    items = "".join(
        f'<li class="sev-{escape(f.severity)}"><b>{escape(f.severity)}</b> <code>{escape(f.rule)}</code> '
        f"line {f.line}: {_inline_code(f.message)}"
        + (f'<br><span class="hint">{_inline_code(f.hint)}</span>' if f.hint else "")
        + "</li>"
        for f in findings
    )
    return f'<ul class="findings">{items}</ul>'


def _report_findings(findings: tuple[Finding, ...]) -> str:
    general = [f for f in findings if f.question is None]
    if not general:
        return ""
    return f'<section class="general"><h2>About the whole report</h2>{_findings(general)}</section>'


def _questions(result: ReportResult, parsed: ParsedReport | None, text: str | None, answers: AnswerRenderer) -> str:
    lines = text.split("\n") if text is not None else []
    by_number: dict[int, ParsedQuestion] = {}
    for found in parsed.questions if parsed else ():
        by_number.setdefault(found.number, found)
    headings = section_headings(text) if text is not None else []
    present = sorted(q.line for q in by_number.values())
    # The checklist and instructions come before the first question: only the last `##` before it is kept.
    first = present[0] if present else 0
    before_first = [h for h in headings if h[0] < first]
    pending = [*before_first[-1:], *(h for h in headings if h[0] > first)]

    out: list[str] = []
    for question in result.questions:
        parsed_question = by_number.get(question.number)
        if parsed_question is not None:
            while pending and pending[0][0] < parsed_question.line:
                out.append(f'<h2 class="section">{escape(pending.pop(0)[1])}</h2>')
        out.append(_question(question, parsed_question, lines, answers))
    return "<section class=\"questions\">\n" + "\n".join(out) + "\n</section>"


def _question(
    result: QuestionResult, parsed: ParsedQuestion | None, lines: list[str], answers: AnswerRenderer
) -> str:
    badges = (status_badge(result.status) + count_badge(result.words, result.words_range, "word")
              + count_badge(result.images, result.images_range, "image"))
    head = (f'<div class="qhead"><h3>Question {result.number} <small>{escape(result.title)}</small></h3>'
            f'<div class="badges">{badges}</div></div>')
    if parsed is None:
        body = '<p class="absent">This question is not in the report.</p>' if lines else ""
    else:
        prompt = answers.render(parsed.prompt) if parsed.prompt.strip() else ""
        folded = f'<details class="prompt"><summary>Prompt</summary>{prompt}</details>' if prompt else ""
        source = answer_source(lines, parsed)
        answer = answers.render(source) if source.strip() else '<p class="absent">No answer written.</p>'
        body = f'{folded}<div class="answer">{answer}</div>'
    return (f'<article class="question st-{result.status}" id="q{result.number}">{head}'
            f"{_findings(result.findings)}{body}</article>")
