"""The teacher's dashboard: one row per group, a heat map of questions that says why, counts, filters, reports,
and the checklist held against each repository (a column of claims without evidence, a module x group map).

`write_dashboard()` is what `reportcheck scan --html` and `reportcheck dashboard` call. The groups table is
`COLUMNS` (one `Column` each: heading, sort type, what its heading explains, and a function from a row to its
`Cell`) followed by one heat-map column per question; a new column is one more entry there. Sorting, the
filters and the failure counts of the shown groups run in the page's one script, allowed by its hash; nothing
is fetched when the page is opened. With the folder's history (`checker.scan.history`) a Trend column draws
each group's questions passed per scan and a section the groups ready over time; `redact` masks every study
number of every page written (`checker.html.redact`).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Literal

from checker.errors import CheckerError
from checker.html.charts import Point, ready_chart, sparkline
from checker.html.figures import FigureSource
from checker.html.page import EVIDENCE_WORDS, STATUS_LETTER, asset, document, status_badge
from checker.html.redact import DEFAULT_PATTERN, Redactor
from checker.html.report import render_report
from checker.html.similar import anchor
from checker.model import ChecklistItemResult, QuestionResult, ReportResult
from checker.questions import shipped
from checker.scan.groups import GITHUB_NAME
from checker.scan.history import Entry, History, cell_text, column_title
from checker.scan.row import REPO_NAME, ScanRow, ordered
from checker.scan.snapshot import parse_time
from checker.scan.store import write_atomic
from checker.similar.model import Pair
from checker.source import decode_report
from checker.wording import plural

DASHBOARD = "dashboard.html"
SIMILAR_PAGE = "similar.html"
REPORTS = "reports"
NOT_PASSING = ("fail", "unanswered", "missing")


@dataclass(frozen=True)
class Progress:
    """One group's entries in each scan of the folder, oldest first, and the most questions any scan had."""

    entries: tuple[tuple[str, Entry | None], ...]
    top: int


@dataclass(frozen=True)
class Similar:
    """A group's highest-scoring pair of answers (`reportcheck scan --similar`): score, question, the other side,
    and the link to the pair on similar.html."""

    score: float
    question: int
    other: str
    link: str


def best_pairs(pairs: Sequence[Pair], page: str = SIMILAR_PAGE) -> dict[str, Similar]:
    """Return each repository's highest-scoring pair (pairs come highest first), linked to its place on `page`."""
    best: dict[str, Similar] = {}
    for index, pair in enumerate(pairs, start=1):
        for side, other in ((pair.a, pair.b), (pair.b, pair.a)):
            if not side.prior and side.repo not in best:
                best[side.repo] = Similar(pair.score, side.question, other.name(), f"{page}#{anchor(index)}")
    return best


@dataclass(frozen=True)
class Line:
    """One group of the table: its scan row and the link to its rendered report (relative to the page)."""

    row: ScanRow
    link: str | None = None
    progress: Progress | None = None  # None: the folder keeps no history
    github: bool = True  # False where the page hides the repository's name (a study number in it)
    similar: Similar | None = None  # the group's closest pair of answers, where the scan compared them

    @property
    def report(self) -> ReportResult | None:
        """Return the check's result, when the report was checked."""
        return self.row.report if self.row.checked else None


@dataclass(frozen=True)
class Cell:
    """One table cell: its content (HTML, escaped already), the value it sorts by, its tooltip and class."""

    html: str
    sort: str = ""
    title: str = ""
    css: str = ""

    def render(self) -> str:
        """Return the `<td>`."""
        css = f' class="{self.css}"' if self.css else ""
        title = f' title="{escape(self.title)}"' if self.title else ""
        return f'<td{css} data-v="{escape(self.sort)}"{title}>{self.html}</td>'


@dataclass(frozen=True)
class Column:
    """One column of the groups table: heading, sort type, what the heading explains, its cells, when it shows."""

    label: str
    kind: Literal["num", "text"]
    cell: Callable[[Line], Cell]
    title: str = ""
    shown: Callable[[Sequence[Line]], bool] | None = None  # None: always; else whether these lines need it
    css: str = ""  # the heading's class

    def heading(self) -> str:
        """Return the `<th>`, a button that sorts by this column."""
        tip = f' title="{escape(self.title)}"' if self.title else ""
        css = f' class="{self.css}"' if self.css else ""
        return (f'<th{css} data-type="{self.kind}" aria-sort="none"{tip}>'
                f'<button type="button">{escape(self.label)}</button></th>')


def _number(value: int | None) -> Cell:
    text = "" if value is None else str(value)
    return Cell(text, text, css="num")


def _group(line: Line) -> Cell:
    group = "" if line.row.group is None else str(line.row.group)
    return Cell(group, group)


def _repository(line: Line) -> Cell:
    row = line.row
    name = escape(row.repo)
    # The name ellipsises on its own, so a long one never hides the GitHub link after it.
    html = (f'<a class="name" href="{escape(line.link)}">{name}</a>' if line.link
            else f'<span class="name">{name}</span>')
    if line.github and GITHUB_NAME.match(row.repo):  # a clone's `group_3/project` is no GitHub repository
        html += (f' <a class="ext" href="https://github.com/{name}" rel="noopener noreferrer" '
                 f'title="open on GitHub">\u2197</a>')
    return Cell(html, row.repo.lower(), title=row.repo, css="repo")


def _kind(row: ScanRow) -> str:
    """Return the verdict's class and filter value: `ready`, `not-ready`, or `other` (not checked)."""
    return {"ready": "ready", "not ready": "not-ready"}.get(row.verdict, "other")


def _verdict(line: Line) -> Cell:
    row, report = line.row, line.report
    verdict = row.verdict
    html = f'<span class="verdict {_kind(row)}">{escape(verdict)}</span>'
    if report is not None and report.official_crash:
        tip = f"the course's checker crashes on this report: {report.official_crash}"
        html += f' <span class="flag crash" title="{escape(tip)}">crash</span>'
    if row.notes:
        html += f' <span class="flag note" title="{escape(chr(10).join(row.notes))}">note</span>'
    return Cell(html, verdict, title=row.reason)


def _passed(line: Line) -> Cell:
    report = line.report
    if report is None:
        return Cell("\u2013", css="num")
    return Cell(f"{report.passed}/{len(report.questions)}", str(report.passed), css="num")


def _late(line: Line) -> Cell:
    row = line.row
    cell = _number(row.late_commits)
    if row.late_commits is None:
        return cell
    tip = f"{plural(row.late_commits, 'commit')} after the checked one changed the report's folder"
    if row.late_commits_total is not None:
        tip += f"; {plural(row.late_commits_total, 'commit')} after it in all"
    return Cell(cell.html, cell.sort, tip, cell.css)


def _entry_point(as_of: str, entry: Entry | None) -> Point:
    """Return one scan of a group's sparkline: questions passed (0 when the report was not checked)."""
    tip = f"{column_title(as_of)}: {cell_text(entry)}"
    if entry is None:
        return Point(None, tip=tip)
    if entry.status != "ok" or entry.ready is None:
        return Point(0, "other", tip)
    return Point(entry.passed or 0, "ready" if entry.ready else "not-ready", tip)


def _progress(line: Line) -> Cell:
    progress = line.progress
    if progress is None:
        return Cell("")
    points = [_entry_point(as_of, entry) for as_of, entry in progress.entries]
    tip = "\n".join(p.tip for p in points)
    passed = [p.value for p in points if p.value is not None]
    gain = str(int(passed[-1] - passed[0])) if passed else ""
    html = sparkline(points, progress.top, f"questions passed in each scan: {tip}".replace("\n", "; "))
    return Cell(html, gain, tip, "spark")


PROGRESS = ("Questions passed in each scan into this folder, oldest first (history.jsonl); a grey dot is a scan "
            "that could not check the report, a gap one that did not read the repository; sorts by the gain "
            "from the first scan to the last")


LATE = ("Commits after the checked commit (the deadline's) that changed the report's folder; the tooltip of "
        "each number gives all commits after it")
UNBACKED = ("Claims without evidence: ticked checklist items whose repository shows no trace of them "
            "(checklist-unbacked); the tooltip names them")


def _claims(items: list[ChecklistItemResult]) -> str:
    """Say what the files show of the ticked items: how many are shown, without a trace, or cannot be told."""
    ticked = [item for item in items if item.checked]
    counts = [f"{sum(1 for item in ticked if item.evidence == state)} {words}"
              for state, words in (("found", "shown by files"), ("none", "without any trace"),
                                   ("not-checkable", "files cannot tell"))]
    return f"{plural(len(ticked), 'ticked item')}: {', '.join(counts)}"


def _judged(line: Line) -> list[ChecklistItemResult]:
    """Return the group's checklist items that its repository's files were held against."""
    return [item for item in line.report.checklist_items if item.evidence is not None] if line.report else []


def _unbacked(line: Line) -> Cell:
    report = line.report
    if report is None:
        return Cell("", css="num")
    judged = _judged(line)
    if not judged:
        why = "no checklist" if not report.checklist_items else "the repository's files were not looked at"
        return Cell("\u2013", title=why, css="num")
    unbacked = [item for item in judged if item.checked and item.evidence == "none"]
    tip = _claims(judged)
    if unbacked:
        tip += "; without a trace: " + "; ".join(f"{i.title} ({i.module or 'no module'}, line {i.line})"
                                                for i in unbacked)
    return Cell(str(len(unbacked)), str(len(unbacked)), tip, "num unbacked" if unbacked else "num")
SIMILAR = ("Similar answers (scan --similar): the highest score of a pair of this group's answers with another "
           "group's or an earlier year's; a lead to read on similar.html, not a finding")


def _similar(line: Line) -> Cell:
    found = line.similar
    if found is None:
        return Cell("", "0", css="num")
    tip = f"Q{found.question}: {found.score:.2f} with {found.other}"
    return Cell(f'<a href="{escape(found.link)}">{found.score:.2f}</a>', f"{found.score:.3f}", tip, "num")


COLUMNS: tuple[Column, ...] = (
    Column("Group", "num", _group),
    Column("Repository", "text", _repository),
    Column("Verdict", "text", _verdict, "ready, not ready, or why the report was not checked"),
    Column("Passed", "num", _passed, "questions that pass, of all"),
    Column("Trend", "num", _progress, PROGRESS, lambda lines: any(line.progress for line in lines), "spark"),
    Column("Errors", "num", lambda line: _number(line.report.errors if line.report else None)),
    Column("Warnings", "num", lambda line: _number(line.report.warnings if line.report else None)),
    Column("Late", "num", _late, LATE),
    Column("Claims", "num", _unbacked, UNBACKED, lambda lines: any(_judged(line) for line in lines)),
    Column("Sim", "num", _similar, SIMILAR, lambda lines: any(line.similar for line in lines)),
)


def reason(question: QuestionResult) -> str:
    """Say in one line why a question has its status: each finding's figures and rule, or what passed."""
    head = f"Q{question.number}: "
    if question.findings:
        return head + "; ".join(f"{f.message} ({f.rule})" for f in question.findings)
    if question.status == "pass":
        counts = [plural(n, noun) for n, noun in ((question.words, "word"), (question.images, "image")) if n]
        return head + ", ".join(["pass", *counts])
    return head + question.status


def _question(line: Line, number: int) -> str:
    """Return the heat-map cell of one question: its status as colour and letter, its reason as tooltip."""
    report = line.report
    found = next((q for q in report.questions if q.number == number), None) if report is not None else None
    if found is None:
        return f'<td class="h none" data-q="{number}"></td>'
    rules = " ".join(sorted({f.rule for f in found.findings}))
    warned = " warned" if found.status == "pass" and found.findings else ""
    return (f'<td class="h st-{found.status}{warned}" data-q="{number}" data-st="{found.status}" '
            f'data-rules="{escape(rules)}" title="{escape(reason(found))}">{STATUS_LETTER[found.status]}</td>')


def _rules(report: ReportResult | None) -> set[str]:
    if report is None:
        return set()
    return {f.rule for f in report.findings} | {f.rule for q in report.questions for f in q.findings}


def shown_columns(lines: Sequence[Line]) -> tuple[Column, ...]:
    """Return the columns these lines need: every column, but those that have nothing to show here."""
    return tuple(column for column in COLUMNS if column.shown is None or column.shown(lines))


def _row(line: Line, numbers: list[int], columns: tuple[Column, ...] = COLUMNS) -> str:
    row = line.row
    crash = line.report is not None and bool(line.report.official_crash)
    attributes = {
        "data-search": f"{'' if row.group is None else row.group} {row.repo}".lower(),
        "data-verdict": _kind(row),
        "data-status": row.status,
        "data-flags": "crash" if crash else "",
        "data-rules": " ".join(sorted(_rules(line.report))),
    }
    cells = [column.cell(line).render() for column in columns]
    cells += [_question(line, number) for number in numbers]
    tags = " ".join(f'{name}="{escape(value)}"' for name, value in attributes.items())
    return f"<tr {tags}>{''.join(cells)}</tr>"


def _counts(lines: list[Line], numbers: list[int], columns: tuple[Column, ...] = COLUMNS) -> str:
    """Return the row of failure counts per question (the script recounts it for the groups shown)."""
    checked = [line.report for line in lines if line.report is not None]
    cells = []
    for number in numbers:
        statuses: Counter[str] = Counter(q.status for report in checked for q in report.questions if q.number == number)
        failing = sum(statuses[s] for s in NOT_PASSING)
        parts = ", ".join(f"{statuses[s]} {s}" for s in NOT_PASSING if statuses[s])
        tip = f"Q{number}: {failing} of {len(checked)} shown groups do not pass" + (f" ({parts})" if parts else "")
        cells.append(f'<td class="count" data-q="{number}" title="{escape(tip)}">{failing or ""}</td>')
    label = '<th scope="row" colspan="{0}" class="count-label">not passing, of the groups shown</th>'
    return f'<tr class="counts">{label.format(len(columns))}{"".join(cells)}</tr>'


def _question_title(number: int, titles: Mapping[int, str]) -> str:
    title = titles.get(number)
    return f"Q{number}: {title}" if title else f"Q{number}"


def _table(lines: list[Line], numbers: list[int], titles: Mapping[int, str]) -> str:
    columns = shown_columns(lines)
    head = "".join(column.heading() for column in columns)
    heat = "".join(
        f'<th class="q" scope="col" data-q="{n}" title="{escape(_question_title(n, titles))}">{n}</th>'
        for n in numbers
    )
    body = "\n".join(_row(line, numbers, columns) for line in lines)
    return (f'<div class="scroll"><table id="groups"><thead><tr>{head}{heat}</tr>\n{_counts(lines, numbers, columns)}'
            f"</thead>\n<tbody>\n{body}\n</tbody></table></div>")


def _when(texts: Iterable[str]) -> str:
    """Return times as `2026-01-24 08:00 UTC`, a range of them, or an empty string."""
    moments = []
    for text in texts:
        try:
            moments.append(parse_time(text))
        except ValueError:
            continue
    if not moments:
        return ""
    first, last = min(moments), max(moments)
    start = first.strftime("%Y-%m-%d %H:%M")
    if last.strftime("%Y-%m-%d %H:%M") == start:
        return f"{start} UTC"
    end = last.strftime("%H:%M") if last.date() == first.date() else last.strftime("%Y-%m-%d %H:%M")
    return f"{start}\u2013{end} UTC"


SOURCES = {"head": "branch heads", "commit-date": "commit dates", "heads": "heads recorded at the deadline",
           "push-time": "push times"}


def _facts(lines: list[Line]) -> str:
    """Return the scan's facts: the deadline and how commits were chosen, when it ran, the question sets."""
    rows = [line.row for line in lines]
    deadlines = sorted({row.deadline for row in rows if row.deadline})
    chosen = Counter(SOURCES.get(row.deadline_source, row.deadline_source) for row in rows if row.commit)
    how = ", ".join(name if len(chosen) == 1 else f"{name} ({count})" for name, count in chosen.most_common())
    deadline = ", ".join(_when([d]) for d in deadlines) if deadlines else "none: the branch heads were checked"
    sets = Counter(line.report.set_id for line in lines if line.report is not None)
    facts = [
        ("Deadline", deadline + (f"; commits chosen by {how}" if how and deadlines else "")),
        ("Scanned", _when(row.scanned_at for row in rows if row.scanned_at) or "unknown"),
        ("Question set", ", ".join(s if len(sets) == 1 else f"{s} ({n})" for s, n in sets.most_common()) or "none"),
    ]
    items = "".join(f"<div><dt>{name}</dt><dd>{escape(value)}</dd></div>" for name, value in facts)
    return f'<dl class="facts">{items}</dl>'


def _tally(rows: list[ScanRow]) -> str:
    verdicts = Counter(row.verdict for row in rows)
    parts = [f"<span>{plural(len(rows), 'group')}</span>"]
    parts += [f"<span>{count} {escape(name)}</span>" for name, count in sorted(verdicts.items())]
    legend = "".join(status_badge(s) for s in STATUS_LETTER)
    return f'<p class="summary">{" ".join(parts)}</p><p class="legend">{legend}</p>'


def _option(value: str, label: str) -> str:
    return f'<option value="{escape(value)}">{escape(label)}</option>'


def _controls(lines: list[Line], numbers: list[int], titles: Mapping[int, str]) -> str:
    """Return the filters: text, verdict or status, question, answer status and rule."""
    statuses = sorted({line.row.status for line in lines} - {"ok"})
    crashes = sum(1 for line in lines if line.report is not None and line.report.official_crash)
    verdicts = [_option("", "all"), _option("ready", "ready"), _option("not-ready", "not ready"),
                _option("other", "not checked")]
    verdicts += [_option(f"status:{s}", f"\u2003{s}") for s in statuses]
    if crashes:
        verdicts.append(_option("crash", f"course checker crashes ({crashes})"))
    questions = [_option("", "any")] + [_option(str(n), _question_title(n, titles)) for n in numbers]
    answers = [_option("", "any"), _option("not-pass", "not passing"), *(_option(s, s) for s in NOT_PASSING),
               _option("pass", "pass")]
    found = Counter(rule for line in lines for rule in _rules(line.report))
    rules = [_option("", "any")] + [_option(r, f"{r} ({n})") for r, n in sorted(found.items())]

    def select(name: str, label: str, options: list[str]) -> str:
        return f'<label>{label} <select id="{name}">{"".join(options)}</select></label>'

    return (
        '<div class="controls" role="search">'
        '<label>Filter <input id="filter" type="search" placeholder="group or repository" autocomplete="off">'
        "</label> "
        + select("verdict", "Verdict", verdicts)
        + select("question", "Question", questions)
        + select("answer", "Status", answers)
        + select("rule", "Rule", rules)
        + ' <span id="shown" aria-live="polite"></span></div>'
    )


def _titles(lines: list[Line]) -> dict[int, str]:
    titles: dict[int, str] = {}
    for line in lines:
        for question in line.report.questions if line.report is not None else ():
            if question.title:
                titles.setdefault(question.number, question.title)
    return titles


def render_dashboard(rows: Iterable[ScanRow], links: Mapping[str, str], title: str = "Exam reports", *,
                     history: History | None = None, redact: Redactor | None = None,
                     similar: Mapping[str, Similar] | None = None) -> str:
    """Return the dashboard page; `links` maps a repository to its rendered report, relative to the page.

    With `history` (the folder's history.jsonl) it draws each group's progress and the groups ready over time;
    `redact` masks every study number on the page.
    """
    top = max((entry.total or 0 for entry in history.cells.values()), default=0) if history else 0
    lines = [Line(row, links.get(row.repo),
                  Progress(tuple(history.progress(row.key)), top) if history and history.columns else None,
                  github=redact is None or not redact.finds(row.repo), similar=(similar or {}).get(row.repo))
             for row in ordered(rows)]
    numbers = sorted({q.number for line in lines if line.report for q in line.report.questions})
    titles = _titles(lines)
    body = "\n".join([
        f"<header><h1>{escape(title)}</h1>{_facts(lines)}{_tally([line.row for line in lines])}</header>",
        _controls(lines, numbers, titles),
        _table(lines, numbers, titles),
        _evidence_map(lines),
        _histogram([line.report for line in lines if line.report is not None]),
        _over_time(history),
    ])
    return document(title, f"<main>\n{body}\n</main>", css=asset("common.css") + asset("dashboard.css"),
                    script=asset("dashboard.js"), redact=redact)


def _ticks(columns: Sequence[str]) -> list[str]:
    """Label each scan by its date (`01-16`), with the time where two scans share a date."""
    days = [as_of[5:10] if len(as_of) >= 10 else as_of for as_of in columns]
    return [f"{day} {as_of[11:16]}" if days.count(day) > 1 else day for day, as_of in zip(days, columns, strict=True)]


def _over_time(history: History | None) -> str:
    """Return the course's chart of groups ready per scan, or nothing without a history."""
    if history is None or not history.columns:
        return ""
    counts = history.ready_over_time()
    chart = ready_chart([(column_title(as_of), ready, seen) for as_of, ready, seen in counts],
                        _ticks(history.columns))
    return (f'<section class="trend"><h2>Groups ready over time <small>one point per scan into this folder, as '
            f"of its deadline (or its start); the dashed line counts the groups it read</small></h2>{chart}"
            "</section>")


# A module's cell in the evidence map: its class, its mark, and what the legend says of it.
MODULE_STATES = {
    "backed": ("\u2713", "ticked, and files show it"),
    "unbacked": ("\u2717", "ticked, and no file shows it"),
    "open": ("?", "ticked, and files cannot tell"),
    "looks-done": ("+", "not ticked, but files show it"),
    "quiet": ("\u00b7", "not ticked, no file shows it"),
}


def _module_key(module: str | None) -> tuple[int, str]:
    """Order modules by number (M2 before M10), those without one last."""
    number = module[1:] if module else ""
    return (int(number), "") if number.isdigit() else (1 << 30, module or "")


def _module_state(items: list[ChecklistItemResult]) -> str:
    """Return what a group's items of one module add up to: one of MODULE_STATES."""
    if any(item.checked and item.evidence == "none" for item in items):
        return "unbacked"
    if any(item.checked and item.evidence == "found" for item in items):
        return "backed"
    if any(item.evidence == "found" for item in items):
        return "looks-done"
    return "open" if any(item.checked for item in items) else "quiet"


def _item_line(item: ChecklistItemResult) -> str:
    """Describe one item for a tooltip: its rule, whether it is ticked, its evidence and paths."""
    said = f"{item.title or 'no evidence rule'} (line {item.line}): {'ticked' if item.checked else 'not ticked'}, "
    said += EVIDENCE_WORDS.get(item.evidence, EVIDENCE_WORDS[None])
    if item.paths:
        said += " in " + ", ".join(item.paths)
    elif item.evidence == "not-checkable" and item.reason:
        said += f" ({item.reason})"
    return said


def _evidence_map(lines: list[Line]) -> str:
    """Return the module x group map of the checklist's evidence: which groups' files show which module.

    Only groups whose repository was looked at have a row; a module a group's checklist lacks is blank.
    """
    judged = [(line, items) for line in lines if (items := _judged(line))]
    if not judged:
        return ""
    modules = sorted({item.module for _, items in judged for item in items}, key=_module_key)
    shown: Counter[str | None] = Counter()
    unbacked: Counter[str | None] = Counter()
    body = []
    for line, items in judged:
        row = line.row
        name = escape(row.repo)
        label = f'<a href="{escape(line.link)}">{name}</a>' if line.link else name
        group = "" if row.group is None else f"{row.group} "
        cells = []
        for module in modules:
            mine = [item for item in items if item.module == module]
            if not mine:
                cells.append('<td class="m"></td>')
                continue
            state = _module_state(mine)
            shown[module] += state in ("backed", "looks-done")
            unbacked[module] += state == "unbacked"
            tip = f"{row.repo}, {module or 'no module'}: " + "; ".join(_item_line(item) for item in mine)
            cells.append(f'<td class="m {state}" data-state="{state}" title="{escape(tip)}">'
                         f"{MODULE_STATES[state][0]}</td>")
        body.append(f'<tr><th scope="row" title="{name}">{escape(group)}{label}</th>{"".join(cells)}</tr>')
    heads = "".join(f'<th scope="col" class="m">{escape(module or "other")}</th>' for module in modules)
    totals = "".join(
        f'<td class="m" title="{escape(module or "no module")}: {plural(shown[module], "group")} whose files '
        f'show it, {unbacked[module]} ticked without a trace">{shown[module] or ""}</td>'
        for module in modules)
    legend = " ".join(f'<span class="m {state}">{mark}</span> {escape(words)}'
                      for state, (mark, words) in MODULE_STATES.items())
    return (
        '<section class="evmap"><h2>Checklist evidence by module <small>what each group\'s files show of its '
        f'checklist</small></h2><p class="legend">{legend}</p><div class="scroll"><table id="evidence">'
        f'<thead><tr><th scope="col">Group</th>{heads}</tr><tr class="totals"><th scope="row" '
        f'class="count-label">groups whose files show it</th>{totals}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table></div></section>'
    )


def _histogram(checked: list[ReportResult]) -> str:
    if not checked:
        return '<section class="histogram"><h2>Questions passed</h2><p>No report was checked.</p></section>'
    top = max(len(r.questions) for r in checked)
    counts = Counter(r.passed for r in checked)
    tallest = max(counts.values())
    bar, gap, height = 18, 4, 160
    width = (top + 1) * (bar + gap) + 40
    bars = []
    for passed in range(top + 1):
        count = counts.get(passed, 0)
        h = round(height * count / tallest)
        x = 30 + passed * (bar + gap)
        bars.append(
            f"<g><title>{plural(count, 'group')} passed {passed}</title>"
            f'<rect x="{x}" y="{20 + height - h}" width="{bar}" height="{h}" class="bar"/>'
            + (f'<text x="{x + bar / 2}" y="{16 + height - h}" class="count">{count}</text>' if count else "")
            + (f'<text x="{x + bar / 2}" y="{height + 36}" class="tick">{passed}</text>'
               if passed % 5 == 0 or passed == top else "")
            + "</g>"
        )
    svg = (f'<svg role="img" aria-label="Histogram of questions passed per group" width="{width}" '
           f'height="{height + 58}" viewBox="0 0 {width} {height + 58}">'
           f'<line x1="28" y1="{height + 20}" x2="{width - 8}" y2="{height + 20}" class="axis"/>'
           f'{"".join(bars)}<text x="{width / 2}" y="{height + 54}" class="tick">questions passed</text></svg>')
    return f'<section class="histogram"><h2>Questions passed <small>groups per count</small></h2>{svg}</section>'


ReportText = Callable[[ScanRow], "str | bytes | None"]
Figures = Callable[[ScanRow], "FigureSource | None"]


def write_dashboard(
    rows: Iterable[ScanRow],
    out_dir: str | Path,
    *,
    markdown_dir: str | Path | None = None,
    report_text: ReportText | None = None,
    figures: Figures | None = None,
    title: str = "Exam reports",
    history: History | None = None,
    redact: Redactor | None = None,
    similar: Mapping[str, Similar] | None = None,
) -> Path:
    """Write `dashboard.html` and one rendered report per checked group (in `reports/`) into `out_dir`.

    A group's report text comes from `report_text(row)` when given, else from `markdown_dir/<owner>__<name>.md`
    (default `out_dir/reports`), else from the scan's cache (`out_dir/cache/<owner>/<name>/<commit>.json`);
    without it the group's page shows the verdicts only.
    `figures(row)` gives the repository's files for embedding figures (see `checker.html.clones`); without
    it figures are placeholders. `history` adds the charts over time; `redact` masks every study number on
    every page, and in the report pages' file names; `similar` (`best_pairs`) adds each group's closest pair of
    answers. Returns the dashboard's path.
    """
    out = Path(out_dir)
    sources = Path(markdown_dir) if markdown_dir is not None else out / REPORTS
    rows = list(rows)
    links: dict[str, str] = {}
    names = page_names(rows, redact)
    try:
        (out / REPORTS).mkdir(parents=True, exist_ok=True)
        for row in rows:
            if row.report is None:
                continue
            found = report_text(row) if report_text is not None else None
            if found is None:
                found = _read(sources / f"{row.slug}.md") or _cached(out / "cache", row)
            text = _decode(found, row.repo)
            title_text = f"Group {row.group} \u2013 {row.repo}" if row.group is not None else row.repo
            source = figures(row) if figures is not None else None
            page = render_report(row.report, text, source, title=title_text, back=f"../{DASHBOARD}", redact=redact)
            write_atomic(out / REPORTS / f"{names[row.repo]}.html", page.html)
            links[row.repo] = f"{REPORTS}/{names[row.repo]}.html"
        path = out / DASHBOARD
        write_atomic(path, render_dashboard(rows, links, title, history=history, redact=redact,
                                                       similar=similar))
    except OSError as exc:
        raise CheckerError(f"{out}: cannot write the dashboard ({exc.strerror})") from None
    return path


def page_names(rows: Iterable[ScanRow], redact: Redactor | None = None) -> dict[str, str]:
    """Return each repository's report page stem: its slug, with study numbers masked (`sxxxxx`) under `redact`.

    Masking can make two names one (`s123456/mlops`, `s654321/mlops`): later ones get `-2`, `-3`, in the rows'
    order, so a page never overwrites another.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for row in ordered(rows):
        stem = row.slug if redact is None else redact.text(row.slug, mask="x" * 5)
        unique, count = stem, 1
        while unique.lower() in taken:
            count += 1
            unique = f"{stem}-{count}"
        taken.add(unique.lower())
        names[row.repo] = unique
    return names


def earlier_pages(out_dir: str | Path, rows: Sequence[ScanRow], redact: Redactor | None = None) -> list[Path]:
    """Return the report pages in `out_dir/reports` that these rows do not write: an earlier run's, maybe unredacted."""
    names = page_names(rows, redact)
    written = {f"{names[row.repo]}.html" for row in rows if row.report is not None}
    folder = Path(out_dir) / REPORTS
    return sorted(p for p in folder.glob("*.html") if p.name not in written) if folder.is_dir() else []


def id_redactor(rows: Iterable[ScanRow], patterns: Iterable[str] = ()) -> Redactor:
    """Return the redactor of study numbers for these rows' pages.

    Its patterns are those given (the scan's `--set`), else those of the question sets the rows were checked
    against, with `s` and six digits for a row whose set is not shipped or that was not checked.
    """
    wanted = set(patterns)
    if not wanted:
        known = {s.id: s.student_id_pattern for s in shipped()}
        used = {row.report.set_id if row.report is not None else "" for row in rows}
        wanted = {known.get(set_id, DEFAULT_PATTERN) for set_id in used}
    return Redactor.of(wanted)


def _read(path: Path) -> bytes | None:
    """Return a stored report copy, or None when the scan did not keep one."""
    if not path.is_file() or path.is_symlink():
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def _cached(cache: Path, row: ScanRow) -> bytes | None:
    """Return the report the scan cached for this row's commit (`report_b64`), or None."""
    owner, _, name = row.repo.lower().partition("/")
    if not row.commit or not REPO_NAME.match(row.repo) or not re.fullmatch(r"[0-9a-fA-F]{7,64}", row.commit):
        return None
    data = _read(cache / owner / name / f"{row.commit}.json")
    try:
        entry = json.loads(data) if data else None
        encoded = entry.get("report_b64") if isinstance(entry, dict) else None
        return base64.b64decode(encoded, validate=True) if isinstance(encoded, str) else None
    except (ValueError, binascii.Error):
        return None


def _decode(data: str | bytes | None, name: str) -> str | None:
    """Return report text as the checker reads it, or None when there is none or it cannot be decoded."""
    if data is None:
        return None
    try:
        return decode_report(data.encode("utf-8") if isinstance(data, str) else data, name).text
    except CheckerError:
        return None
