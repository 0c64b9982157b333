"""The teacher's dashboard: one row per group, a heat map of questions, a histogram, links to each report.

`write_dashboard()` is what `reportcheck scan --html` and `reportcheck dashboard` call. Sorting and filtering
run in the page's one script, allowed by its hash; nothing is fetched when the page is opened.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from html import escape
from pathlib import Path

from checker.errors import CheckerError
from checker.html.figures import FigureSource
from checker.html.page import STATUS_LETTER, asset, document, status_badge
from checker.html.report import render_report
from checker.scan.row import REPO_NAME, ScanRow, ordered
from checker.scan.store import write_atomic
from checker.source import decode_report
from checker.wording import plural

DASHBOARD = "dashboard.html"
REPORTS = "reports"


def render_dashboard(rows: Iterable[ScanRow], links: Mapping[str, str], title: str = "Exam reports") -> str:
    """Return the dashboard page; `links` maps a repository to its rendered report, relative to the page."""
    rows = ordered(rows)
    numbers = sorted({q.number for row in rows if row.report for q in row.report.questions})
    body = "\n".join([
        f"<header><h1>{escape(title)}</h1>{_tally(rows)}</header>",
        _controls(),
        _table(rows, numbers, links),
        _histogram(rows),
    ])
    return document(title, f"<main>\n{body}\n</main>", css=asset("common.css") + asset("dashboard.css"),
                    script=asset("dashboard.js"))


def _tally(rows: list[ScanRow]) -> str:
    verdicts = Counter(row.verdict for row in rows)
    parts = [f"<span>{plural(len(rows), 'group')}</span>"]
    parts += [f"<span>{count} {escape(name)}</span>" for name, count in sorted(verdicts.items())]
    legend = "".join(status_badge(s) for s in STATUS_LETTER)
    return f'<p class="summary">{" ".join(parts)}</p><p class="legend">{legend}</p>'


def _controls() -> str:
    return (
        '<div class="controls" role="search">'
        '<label>Filter <input id="filter" type="search" placeholder="group or repository" autocomplete="off">'
        "</label> "
        '<label>Verdict <select id="verdict"><option value="">all</option><option>ready</option>'
        "<option>not ready</option><option value=\"other\">not checked</option></select></label> "
        '<span id="shown" aria-live="polite"></span></div>'
    )


def _th(label: str, kind: str, title: str = "") -> str:
    tip = f' title="{escape(title)}"' if title else ""
    return f'<th data-type="{kind}" aria-sort="none"{tip}><button type="button">{escape(label)}</button></th>'


def _table(rows: list[ScanRow], numbers: list[int], links: Mapping[str, str]) -> str:
    head = "".join([
        _th("Group", "num"), _th("Repository", "text"), _th("Verdict", "text"), _th("Passed", "num"),
        _th("Errors", "num"), _th("Late", "num", "commits after the deadline"),
    ])
    heat_head = "".join(f'<th class="q" scope="col" title="Question {n}">{n}</th>' for n in numbers)
    body = "\n".join(_row(row, numbers, links.get(row.repo)) for row in rows)
    return (f'<div class="scroll"><table id="groups"><thead><tr>{head}{heat_head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody></table></div>")


def _row(row: ScanRow, numbers: list[int], link: str | None) -> str:
    result = row.report
    verdict = row.verdict
    group = "" if row.group is None else str(row.group)
    kind = "ready" if verdict == "ready" else "not-ready" if verdict == "not ready" else "other"
    repo = escape(row.repo)
    repo_cell = f'<a href="{escape(link)}">{repo}</a>' if link else repo
    if REPO_NAME.match(row.repo):
        repo_cell += (f' <a class="ext" href="https://github.com/{repo}" rel="noopener noreferrer" '
                      f'title="open on GitHub">\u2197</a>')
    reason = f' title="{escape(row.reason)}"' if row.reason else ""
    passed = f"{result.passed}/{len(result.questions)}" if result else "\u2013"
    cells = [
        f'<td data-v="{group}">{group}</td>',
        f'<td data-v="{repo.lower()}">{repo_cell}</td>',
        f'<td data-v="{escape(verdict)}"{reason}><span class="verdict {kind}">{escape(verdict)}</span></td>',
        f'<td class="num" data-v="{result.passed if result else ""}">{passed}</td>',
        f'<td class="num" data-v="{result.errors if result else ""}">{result.errors if result else ""}</td>',
        f'<td class="num" data-v="{"" if row.late_commits is None else row.late_commits}">'
        f'{"" if row.late_commits is None else row.late_commits}</td>',
    ]
    statuses = {q.number: q.status for q in result.questions} if result else {}
    for number in numbers:
        status = statuses.get(number)
        if status is None:
            cells.append('<td class="h none"></td>')
        else:
            cells.append(f'<td class="h st-{status}" title="Question {number}: {status}">'
                         f"{STATUS_LETTER[status]}</td>")
    search = escape(f"{group} {row.repo}".lower())
    return f'<tr data-search="{search}" data-verdict="{kind}">{"".join(cells)}</tr>'


def _histogram(rows: list[ScanRow]) -> str:
    checked = [row.report for row in rows if row.report is not None]
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
            f'<g><title>{count} group{"s" if count != 1 else ""} passed {passed}</title>'
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
) -> Path:
    """Write `dashboard.html` and one rendered report per checked group (in `reports/`) into `out_dir`.

    A group's report text comes from `report_text(row)` when given, else from `markdown_dir/<owner>__<name>.md`
    (default `out_dir/reports`), else from the scan's cache (`out_dir/cache/<owner>/<name>/<commit>.json`);
    without it the group's page shows the verdicts only.
    `figures(row)` gives the repository's files for embedding figures (see `checker.html.clones`); without
    it figures are placeholders. Returns the dashboard's path.
    """
    out = Path(out_dir)
    sources = Path(markdown_dir) if markdown_dir is not None else out / REPORTS
    rows = list(rows)
    links: dict[str, str] = {}
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
            page = render_report(row.report, text, source, title=title_text, back=f"../{DASHBOARD}")
            write_atomic(out / REPORTS / f"{row.slug}.html", page.html)
            links[row.repo] = f"{REPORTS}/{row.slug}.html"
        path = out / DASHBOARD
        write_atomic(path, render_dashboard(rows, links, title))
    except OSError as exc:
        raise CheckerError(f"{out}: cannot write the dashboard ({exc.strerror})") from None
    return path


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
