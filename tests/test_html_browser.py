"""The pages in a real headless Chromium: they render, sort, filter, link, and run nothing a report brings.

Chromium is Debian's (`/usr/bin/chromium`, installed by .ci/run from .ci/apt-packages), driven by Playwright's
Python client with `executable_path`, since Playwright cannot download its own browser here. A missing
browser fails these tests (they are never skipped): `bash .ci/run` installs it.
"""

from __future__ import annotations

import functools
import io
import os
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from checker.cli import run
from checker.html.dashboard import write_dashboard
from checker.html.figures import RepositoryFigures
from checker.html.report import render_report
from checker.scan.row import ScanRow
from tests import similarhelpers as made_up
from tests.html_reports import CHECKLIST_SECRET, ROOT, check, files, png, report, repository, scan_folder

CHROMIUM = Path(os.environ.get("REPORTCHECK_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium tries to reach Google at start, which this network refuses.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic"]


def _unavailable(why: str) -> None:
    pytest.fail(f"{why}; the browser tests need Debian's chromium: `bash .ci/run` installs it", pytrace=False)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Start Debian's Chromium once for this module."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield instance
        instance.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output clean."""


@dataclass
class Site:
    """A folder served on 127.0.0.1, and every path the browser asked it for."""

    url: str
    asked: list[str] = field(default_factory=list)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Site]:
    """Serve `tmp_path/site` on a free loopback port for the length of one test."""
    root = tmp_path / "site"
    root.mkdir()
    site = Site("")

    class Handler(_Quiet):
        def do_GET(self) -> None:
            site.asked.append(self.path)
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()
    thread.join()


@dataclass
class Watch:
    """What a page did: its requests, its console messages, its uncaught errors."""

    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def fetched(self, documents: set[str]) -> list[str]:
        """Return requests other than the documents navigated to (data: URIs are not requests)."""
        return [url for url in self.requests if url not in documents and not url.startswith("data:")]


def open_page(browser: Any, url: str, *, javascript: bool = True) -> tuple[Any, Watch]:
    """Open a page in a fresh context that records every request and console line."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    watch = Watch()
    page.on("request", lambda request: watch.requests.append(request.url))
    page.on("console", lambda message: watch.console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, watch


def assert_not_blank(png_bytes: bytes) -> None:
    """Fail unless a screenshot shows a real page: many colours and real contrast, not one flat colour."""
    from PIL import Image, ImageStat

    image = Image.open(io.BytesIO(png_bytes)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 24) or []
    assert len(colours) > 30, f"only {len(colours)} colours in the screenshot"
    spread = ImageStat.Stat(image.convert("L")).stddev[0]
    assert spread > 20, f"luminance spread {spread:.1f}: the page looks blank"
    # Some strong colour (the badges) and some dark text must both be there.
    assert any(max(c) - min(c) > 100 for _, c in colours), "no coloured badge in the screenshot"
    assert any(sum(c) < 150 for _, c in colours), "no dark text in the screenshot"


def test_report_page_in_chromium(browser: Any, serve: Site, tmp_path: Path) -> None:
    text = report({4: "We tracked two numbers.\n\n![gone](figures/missing.png)"})
    root = repository(tmp_path / "repo", text)
    page_html = render_report(check(root), text, RepositoryFigures(root), title="Group 17").html
    site_root = tmp_path / "site"
    (site_root / "report.html").write_text(page_html, encoding="utf-8")

    page, watch = open_page(browser, f"{serve.url}/report.html")
    assert page.title() == "Group 17 \u2013 reportcheck"
    assert page.locator("article.question").count() == 5
    assert page.locator("article.question .badges .badge.st-pass").count() == 4
    assert page.locator("article#q4 .badge.st-fail").inner_text() == "F fail"
    assert page.locator(".checklist progress").count() == 2
    widths = page.eval_on_selector_all("article .answer img", "els => els.map(e => e.naturalWidth)")
    assert widths == [24, 480], "the figure and the placeholder both load from data: URIs"
    assert page.locator("details.prompt").first.is_visible()
    assert not page.locator("details.prompt p").first.is_visible(), "the prompt starts folded"
    assert_not_blank(page.screenshot(full_page=True))
    assert watch.fetched({f"{serve.url}/report.html"}) == []
    assert serve.asked == ["/report.html"]
    assert not [line for line in watch.console if "Content Security Policy" in line], watch.console
    assert watch.errors == []

    page.emulate_media(media="print")
    assert not page.locator("details.prompt").first.is_visible(), "prompts are left out of the printout"
    assert len(page.pdf(format="A4")) > 10_000
    page.context.close()


def _dashboard(folder: Path) -> None:
    groups: dict[str, tuple[int | None, str | None]] = {
        "alpha/ml-ops": (3, report()),
        "bravo/pipeline": (11, report({3: "Too short."})),
        "charlie/project": (7, report({4: "--- question 4 fill here ---"}, skip=(5,))),
        "delta/gone": (5, None),
    }
    results = scan_folder(folder, groups, [{"repo": "echo/late", "group": 1, "late_commits": 4, "status": "ok",
                                            "result": None}])
    from checker.scan.store import ResultsFile

    write_dashboard(list(ResultsFile(results).load().values()), folder)


def _column(page: Any, index: int) -> list[str]:
    script = f"rows => rows.filter(r => !r.hidden).map(r => r.cells[{index}].innerText.trim())"
    values: list[str] = page.eval_on_selector_all("#groups tbody tr", script)
    return values


def test_dashboard_sorts_filters_and_links(browser: Any, serve: Site, tmp_path: Path) -> None:
    _dashboard(tmp_path / "site")
    page, watch = open_page(browser, f"{serve.url}/dashboard.html")
    assert watch.errors == [] and not [c for c in watch.console if "Content Security Policy" in c], watch.console
    assert page.locator("#shown").inner_text() == "5 of 5 shown", "the dashboard's script ran"
    assert _column(page, 0) == ["1", "3", "5", "7", "11"]
    assert page.locator("#groups tbody tr").first.locator("td.h").count() == 5

    page.get_by_role("button", name="Passed").click()
    assert _column(page, 3)[:3] == ["3/5", "4/5", "5/5"] and _column(page, 3)[3:] == ["\u2013", "\u2013"]
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("Passed")
    page.get_by_role("button", name="Passed").click()
    assert _column(page, 3)[:3] == ["5/5", "4/5", "3/5"]
    page.get_by_role("button", name="Group").click()
    assert _column(page, 0) == ["1", "3", "5", "7", "11"]
    page.get_by_role("button", name="Repository").click()
    assert _column(page, 1)[0].startswith("alpha/ml-ops")

    page.fill("#filter", "bravo")
    assert _column(page, 1) == ["bravo/pipeline \u2197"]
    assert page.locator("#shown").inner_text() == "1 of 5 shown"
    page.fill("#filter", "")
    page.select_option("#verdict", "ready")
    assert [c.split()[0] for c in _column(page, 1)] == ["alpha/ml-ops"]
    page.select_option("#verdict", "other")
    assert sorted(c.split()[0] for c in _column(page, 1)) == ["delta/gone", "echo/late"]
    page.select_option("#verdict", "")
    page.fill("#filter", "11")
    assert _column(page, 0) == ["11"]
    assert_not_blank(page.screenshot(full_page=True))

    page.get_by_role("link", name="bravo/pipeline").click()
    page.wait_for_load_state("load")
    assert page.url == f"{serve.url}/reports/bravo__pipeline.html"
    assert page.locator("h1").inner_text() == "Group 11 \u2013 bravo/pipeline"
    assert page.locator("article#q3 .badge.st-fail").count() == 1
    assert "Too short." in page.locator("article#q3 .answer").inner_text()
    assert_not_blank(page.screenshot(full_page=True))
    page.get_by_role("link", name="\u2190 all groups").click()
    page.wait_for_load_state("load")
    assert page.url == f"{serve.url}/dashboard.html"
    documents = {f"{serve.url}/dashboard.html", f"{serve.url}/reports/bravo__pipeline.html"}
    assert watch.fetched(documents) == []
    assert set(serve.asked) == {"/dashboard.html", "/reports/bravo__pipeline.html"}
    page.context.close()


def test_dashboard_claims_column_evidence_map_and_group_page(browser: Any, serve: Site, tmp_path: Path) -> None:
    from checker.scan.store import ResultsFile

    site = tmp_path / "site"
    results = scan_folder(site, {
        "alpha/ml-ops": (3, report()),
        "bravo/pipeline": (11, report()),
        "charlie/project": (7, report()),
    }, [], listings={"alpha/ml-ops": files("ruff.toml", "Dockerfile"), "bravo/pipeline": files("src/app.py")})
    write_dashboard(list(ResultsFile(results).load().values()), site)
    page, watch = open_page(browser, f"{serve.url}/dashboard.html")
    assert watch.errors == [] and not [c for c in watch.console if "Content Security Policy" in c], watch.console
    claims = page.get_by_role("button", name="Claims")
    assert claims.is_visible()
    claims.click()
    assert _column(page, 7) == ["0", "1", "\u2013"]  # a group whose files were not looked at stays last
    claims.click()
    assert _column(page, 7) == ["1", "0", "\u2013"]
    bravo = page.locator("#groups tbody tr", has_text="bravo/pipeline").locator("td").nth(7)
    assert bravo.get_attribute("title").endswith("without a trace: A linter (M2, line 14)")
    assert bravo.evaluate("cell => getComputedStyle(cell).color") == "rgb(207, 34, 46)"  # --fail

    evidence = page.locator("#evidence")
    assert evidence.is_visible() and evidence.bounding_box()["height"] > 40
    assert evidence.locator("thead th.m").all_inner_texts() == ["M1", "M2", "M3", "M4", "M5"]
    assert evidence.locator("tbody tr").count() == 2
    unbacked = evidence.locator("td.unbacked")
    assert unbacked.count() == 1 and unbacked.inner_text() == "\u2717"
    assert unbacked.evaluate("cell => getComputedStyle(cell).backgroundColor") == "rgb(207, 34, 46)"
    assert unbacked.get_attribute("title") == "bravo/pipeline, M2: A linter (line 14): ticked, no trace"
    assert CHECKLIST_SECRET not in page.content()
    assert_not_blank(page.screenshot(full_page=True))

    evidence.get_by_role("link", name="bravo/pipeline").click()
    page.wait_for_load_state("load")
    assert page.url == f"{serve.url}/reports/bravo__pipeline.html"
    rows = page.locator(".evidence-items tbody tr")
    assert rows.count() == 3
    assert rows.nth(1).locator("td").all_inner_texts() == [
        "14", "M2", "A linter", "no trace", "looked for ruff.toml, or ruff in a workflow"]
    badge = rows.nth(1).locator(".badge")
    assert badge.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(207, 34, 46)"
    assert page.locator(".evidence h2").inner_text().startswith("Checklist against the repository")
    assert CHECKLIST_SECRET not in page.content()
    assert watch.errors == [] and not [c for c in watch.console if "Content Security Policy" in c], watch.console
    assert_not_blank(page.screenshot(full_page=True))
    documents = {f"{serve.url}/dashboard.html", f"{serve.url}/reports/bravo__pipeline.html"}
    assert watch.fetched(documents) == []
    page.context.close()


def _failing(rows: list[ScanRow], numbers: list[int]) -> list[str]:
    """Count, per question, the given groups whose answer does not pass, as the counts row shows it."""
    counts = []
    for number in numbers:
        failing = sum(1 for row in rows if row.answers().get(number, ("pass", None))[0] != "pass")
        counts.append(str(failing) if failing else "")
    return counts


def test_dashboard_tooltips_filters_and_counts(browser: Any, serve: Site, tmp_path: Path) -> None:
    from checker.scan.store import ResultsFile

    _dashboard(tmp_path / "site")
    rows = {row.repo: row for row in ResultsFile(tmp_path / "site" / "results.jsonl").load().values()}
    page, watch = open_page(browser, f"{serve.url}/dashboard.html")
    assert watch.errors == []

    def counts() -> list[str]:
        texts: list[str] = page.eval_on_selector_all("tr.counts td", "cells => cells.map(c => c.innerText.trim())")
        return texts

    def shown() -> list[str]:
        return [cell.split()[0] for cell in _column(page, 1)]

    # Each cell names its reason: the rule and the figures.
    bravo = page.locator("#groups tbody tr", has_text="bravo/pipeline")
    assert bravo.locator('td.h[data-q="3"]').get_attribute("title") == (
        "Q3: 0 images, needs 1-2: add at least 1 (image-count); 2 words, needs 8-60: add at least 6 (word-count)")
    charlie = page.locator("#groups tbody tr", has_text="charlie/project")
    assert charlie.locator('td.h[data-q="4"]').get_attribute("title") == (
        "Q4: the placeholder is still here, no answer yet (unanswered)")
    assert charlie.locator('td.h[data-q="5"]').get_attribute("title").startswith("Q5: Question 5 (")
    # The failure counts per question, recounted for the groups shown.
    everyone = list(rows.values())
    assert counts() == _failing(everyone, [1, 2, 3, 4, 5]) == ["", "", "1", "1", "1"]

    page.select_option("#question", "3")
    page.select_option("#answer", "fail")
    assert shown() == ["bravo/pipeline"]
    assert counts() == _failing([rows["bravo/pipeline"]], [1, 2, 3, 4, 5]) == ["", "", "1", "", ""]
    assert page.locator("#shown").inner_text() == "1 of 5 shown"
    assert page.locator('th.q[data-q="3"]').get_attribute("class") == "q picked"
    page.select_option("#answer", "pass")
    assert sorted(shown()) == ["alpha/ml-ops", "charlie/project"]
    assert counts() == _failing([rows["alpha/ml-ops"], rows["charlie/project"]], [1, 2, 3, 4, 5])
    page.select_option("#question", "")
    page.select_option("#answer", "not-pass")
    assert sorted(shown()) == ["bravo/pipeline", "charlie/project"]
    page.select_option("#answer", "unanswered")
    assert shown() == ["charlie/project"]
    page.select_option("#answer", "")
    page.select_option("#rule", "word-count")
    assert shown() == ["bravo/pipeline"]
    page.select_option("#question", "4")
    assert shown() == [] and page.locator("#shown").inner_text() == "0 of 5 shown"
    assert counts() == ["", "", "", "", ""]
    page.select_option("#question", "")
    page.select_option("#rule", "")
    page.select_option("#verdict", "status:not-found")
    assert shown() == ["delta/gone"]
    page.select_option("#verdict", "")
    assert len(shown()) == 5 and counts() == _failing(everyone, [1, 2, 3, 4, 5])
    assert watch.errors == [] and watch.fetched({f"{serve.url}/dashboard.html"}) == []
    page.context.close()


@pytest.mark.parametrize(("scans", "evidence", "similar"),
                         [(0, False, False), (6, False, False), (6, True, False), (0, False, True), (6, True, True)],
                         ids=["no-history", "six-scans", "six-scans-and-evidence", "similar",
                              "six-scans-evidence-and-similar"])
def test_all_31_question_columns_fit_in_1400_pixels(
    browser: Any, tmp_path: Path, scans: int, evidence: bool, similar: bool
) -> None:
    from checker import check_text
    from checker.files import RepoListing, TreeFiles
    from checker.formats.json import result_dict
    from checker.html.dashboard import Similar
    from checker.scan import history

    ready = (ROOT / "examples" / "ready" / "reports" / "README.md").read_text(encoding="utf-8")
    listing = RepoListing(("reports/README.md", "requirements.txt", "Dockerfile"), {}.get, True) if evidence else None
    result = result_dict(check_text(ready, files=TreeFiles([]), listing=listing))  # figures missing: some fail
    assert len(result["questions"]) == 31
    rows = [ScanRow.from_json({"repo": f"a-rather-long-team-name-{n:02}/mlops-exam-project-2026", "group": n,
                               "status": "ok", "commit": "0" * 40, "late_commits": n % 3, "result": result})
            for n in range(1, 13)]
    for week in range(scans):  # with history, the Trend column takes its place too
        as_of = f"2026-01-{week + 1:02}T08:00:00Z"
        history.append(tmp_path / history.FILE_NAME, [replace(row, deadline=as_of) for row in rows], as_of)
    # With --similar, every group's Sim cell holds a score linked to its pair (the widest it gets: 0.00 to 1.00).
    closest = {row.repo: Similar(0.87, 24, "group 90 a-rather-long-team-name-99/mlops-exam-project-2025 (prior "
                                 "year)", f"similar.html#pair-{row.group}") for row in rows} if similar else None
    page_path = write_dashboard(rows, tmp_path, history=history.find(tmp_path), similar=closest)
    assert page_path.read_text(encoding="utf-8").count('<svg class="spark"') == (12 if scans else 0)
    assert ("<button type=\"button\">Claims</button>" in page_path.read_text(encoding="utf-8")) is evidence
    assert (page_path.read_text(encoding="utf-8").count(">0.87</a>") == 12) is similar
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(page_path.as_uri())
    assert page.locator("th.q").count() == 31
    right = page.eval_on_selector_all("th.q", "cells => Math.max(...cells.map(c => c.getBoundingClientRect().right))")
    assert right <= 1400, f"the last question column ends at {right} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    table, room = page.evaluate("(s => [s.scrollWidth, s.clientWidth])(document.querySelector('.scroll'))")
    assert table <= room, f"the groups table needs {table} px of its {room}"
    assert_not_blank(page.screenshot())
    # A long name ellipsises before the GitHub link, which stays whole inside its cell.
    inside = page.eval_on_selector_all("td.repo", """cells => cells.map(cell => {
        const link = cell.querySelector('a.ext').getBoundingClientRect(), box = cell.getBoundingClientRect();
        return link.width > 0 && link.right <= box.right; })""")
    assert inside == [True] * 12
    if scans and evidence and similar:  # the widest table: a sorted column's arrow must not push it over
        buttons = page.locator("#groups th button")
        for index in range(buttons.count()):
            buttons.nth(index).click()
            table, room = page.evaluate("(s => [s.scrollWidth, s.clientWidth])(document.querySelector('.scroll'))")
            name = buttons.nth(index).inner_text()
            assert table <= room, f"sorted by {name!r}, the groups table needs {table} px of its {room}"
    context.close()


def test_dashboard_opens_from_disk(browser: Any, tmp_path: Path) -> None:
    _dashboard(tmp_path)
    page, watch = open_page(browser, (tmp_path / "dashboard.html").as_uri())
    assert page.locator("#shown").inner_text() == "5 of 5 shown"
    page.get_by_role("link", name="alpha/ml-ops").click()
    page.wait_for_load_state("load")
    assert page.locator("article.question").count() == 5
    assert watch.errors == []
    page.context.close()


FIRST_SCAN, LAST_SCAN = "2026-01-09T08:00:00Z", "2026-01-23T22:59:00Z"


def _two_scans(folder: Path) -> None:
    """Write a folder scanned twice, as of two dates: results.jsonl of the second, history.jsonl of both."""
    from checker.scan import history
    from checker.scan.store import ResultsFile

    scans: list[tuple[str, dict[str, tuple[int | None, str | None]]]] = [
        (FIRST_SCAN, {"alpha/ml-ops": (3, report({3: "Too short.", 4: "--- question 4 fill here ---"})),
                      "bravo/pipeline": (11, report({3: "Too short."})),
                      "charlie/project": (7, None)}),
        (LAST_SCAN, {"alpha/ml-ops": (3, report()),
                     "bravo/pipeline": (11, report({3: "Too short."})),
                     "charlie/project": (7, report()),
                     "delta/late-start": (5, report({4: "--- question 4 fill here ---"}))}),
    ]
    for as_of, groups in scans:
        rows = [replace(row, deadline=as_of) for row in ResultsFile(scan_folder(folder, groups, [])).load().values()]
        history.append(folder / history.FILE_NAME, rows, as_of)


def _circles(page: Any, selector: str) -> list[dict[str, Any]]:
    """Return where Chromium drew each circle of an SVG (its centre in the SVG's own pixels), class and tooltip."""
    script = """svg => Array.from(svg.querySelectorAll("circle")).map(c => {
        const box = svg.getBoundingClientRect(), dot = c.getBoundingClientRect();
        return {x: Math.round((dot.left + dot.width / 2 - box.left) * 10) / 10,
                y: Math.round((dot.top + dot.height / 2 - box.top) * 10) / 10,
                kind: c.getAttribute("class"), tip: (c.querySelector("title") || {}).textContent || ""};
    })"""
    found: list[dict[str, Any]] = page.eval_on_selector(selector, script)
    return found


def test_dashboard_draws_history_over_two_scans(browser: Any, serve: Site, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _two_scans(site)
    assert run(["dashboard", str(site / "results.jsonl")]) == 0  # finds history.jsonl beside results.jsonl
    page, watch = open_page(browser, f"{serve.url}/dashboard.html")
    assert watch.errors == [] and not [c for c in watch.console if "Content Security Policy" in c], watch.console
    assert page.locator("#shown").inner_text() == "4 of 4 shown"
    headings = page.eval_on_selector_all("#groups thead tr:first-child th button", "bs => bs.map(b => b.innerText)")
    assert headings[:5] == ["Group", "Repository", "Verdict", "Passed", "Trend"]

    # Each group's line: x from the first scan (3) to the last (37), y from 0 questions (17) to all 5 (3).
    def spark(repo: str) -> list[tuple[float, float, str]]:
        selector = f'#groups tbody tr[data-search$=" {repo}"] svg.spark'
        return [(c["x"], c["y"], c["kind"]) for c in _circles(page, selector)]

    assert spark("alpha/ml-ops") == [(3, 8.6, "not-ready"), (37, 3, "ready")]  # 3 of 5, then 5 of 5
    assert spark("bravo/pipeline") == [(3, 5.8, "not-ready"), (37, 5.8, "not-ready")]
    assert spark("charlie/project") == [(3, 17, "other"), (37, 3, "ready")]  # not found: nothing passed
    assert spark("delta/late-start") == [(37, 5.8, "not-ready")]  # no row in the first scan: a gap
    points = "ls => ls.map(l => Array.from(l.points, p => [p.x, Math.round(p.y * 10) / 10]))"
    lines = page.eval_on_selector_all("svg.spark polyline", points)
    assert lines == [[[3, 8.6], [37, 3]], [[3, 17], [37, 3]], [[3, 5.8], [37, 5.8]]]  # by group: 3, 7, 11
    alpha = page.locator("#groups tbody tr", has_text="alpha/ml-ops").locator("td.spark")
    assert alpha.get_attribute("title") == "2026-01-09 08:00Z: 3/5 3 err\n2026-01-23 22:59Z: 5/5 ready"
    box = page.eval_on_selector("svg.spark", "s => [s.getBBox().width, s.getBoundingClientRect().height]")
    assert box[0] > 30 and box[1] == 20, box

    # The course's chart: groups ready of those scanned, one point per scan, oldest first.
    trend = _circles(page, ".trend svg")
    assert [(c["x"], c["y"], c["tip"]) for c in trend] == [
        (80, 172, "2026-01-09 08:00Z: 0 of 3 groups ready"), (152, 97, "2026-01-23 22:59Z: 2 of 4 groups ready")]
    labels = page.eval_on_selector_all(".trend svg text", "ts => ts.map(t => t.textContent)")
    assert labels == ["0", "4", "0/3", "01-09", "2/4", "01-23"]
    drawn = Image.open(io.BytesIO(page.locator(".trend svg").screenshot())).convert("RGB")
    colours = {colour for _, colour in drawn.getcolors(maxcolors=1 << 20) or []}
    assert (9, 105, 218) in colours and (26, 127, 55) in colours, "the blue line and the green dots are drawn"

    page.get_by_role("button", name="Trend").click()  # by the gain from the first scan to the last
    assert [c.split()[0] for c in _column(page, 1)][-2:] == ["alpha/ml-ops", "charlie/project"]
    assert_not_blank(page.screenshot(full_page=True))
    assert watch.fetched({f"{serve.url}/dashboard.html"}) == [] and serve.asked == ["/dashboard.html"]
    page.context.close()


def test_dashboard_without_history_has_no_charts(tmp_path: Path) -> None:
    _dashboard(tmp_path)
    html = (tmp_path / "dashboard.html").read_text(encoding="utf-8")
    assert "spark" not in html.split("<style>")[0] + html.split("</style>")[1] and 'class="trend"' not in html
    assert ">Trend</button>" not in html


# An answer two groups hand in alike that tries to run script and fetch an image; shown as text, it does neither.
SCRIPTED = ('We wrote this part together. <script>window.pwned = 1</script> '
            '<img src="LEAK/x.png" onerror="window.pwned = 2">')
MARK = "rgb(255, 224, 138)"  # similar.css's mark colour: the page's own stylesheet applied under its CSP


def _similar_scan(folder: Path, leak: str) -> tuple[list[str], list[str]]:
    """Write what `scan --similar --html` writes from three groups and an earlier year's report: similar.json,
    similar.html and the dashboard, through the scan's own functions. Return the half-copied answer's sentences:
    those group 3 took from group 1, and those it wrote itself."""
    from checker import check_text
    from checker.formats.json import result_dict
    from checker.html.dashboard import best_pairs
    from checker.similar.cli import write_scan_pairs

    rng = random.Random(15)
    answers = [{n: made_up.answer(rng) for n in range(3, 32)} for _ in range(3)]
    answers[0][6] = SCRIPTED.replace("LEAK", leak) + " " + answers[0][6]
    answers[1][6] = answers[0][6]  # groups 1 and 2: one answer, script and all (1.00)
    taken = [made_up.sentence(rng) for _ in range(4)]
    own = [made_up.sentence(rng) for _ in range(4)]
    answers[0][9] = " ".join(taken + [made_up.sentence(rng) for _ in range(4)])
    answers[2][9] = " ".join(taken + own)  # group 3 takes half of group 1's answer (about 0.5)
    earlier = {n: made_up.answer(rng) for n in range(3, 28)}
    answers[2][24] = earlier[22]  # and an earlier year's answer, under another number (1.00)
    made_up.write_repo(folder / "prior", "old-group", made_up.report(earlier, 27, 90))
    texts = {f"dtu/team-{g}": made_up.report(mine, 31, g) for g, mine in enumerate(answers, start=1)}
    rows = [ScanRow.from_json({"repo": repo, "group": g, "status": "ok", "commit": f"{g}" * 40, "late_commits": 0,
                               "result": result_dict(check_text(text))})
            for g, (repo, text) in enumerate(texts.items(), start=1)]
    pairs = write_scan_pairs(rows, folder, [folder / "prior"], lambda row: texts[row.repo].encode())
    assert [(p.question, p.a.repo, p.b.repo) for p in pairs] == [
        (6, "dtu/team-1", "dtu/team-2"), (24, "dtu/team-3", "old-group"), (9, "dtu/team-1", "dtu/team-3")]
    write_dashboard(rows, folder, report_text=lambda row: texts[row.repo].encode(), similar=best_pairs(pairs))
    return taken, own


def test_similar_page_in_chromium(browser: Any, serve: Site, tmp_path: Path) -> None:
    leak = f"{serve.url}/leak"
    taken, own = _similar_scan(tmp_path / "site", leak)
    url = f"{serve.url}/similar.html"
    page, watch = open_page(browser, url)
    page.mouse.move(400, 300)
    page.wait_for_timeout(300)
    # It renders under its policy: no console line at all, no error, its stylesheet applied, nothing fetched.
    assert watch.console == [] and watch.errors == [], (watch.console, watch.errors)
    assert page.title() == "Similar answers"
    assert page.locator("mark").first.evaluate("m => getComputedStyle(m).backgroundColor") == MARK
    assert watch.fetched({url}) == [] and serve.asked == ["/similar.html"]
    assert "not findings" in page.locator("p.leads").inner_text()

    # Three pairs, highest first, each with its two answers side by side: one row, two equal columns.
    pairs = page.locator("section.pair")
    assert pairs.count() == 3
    assert [h.split(" ")[:2] for h in pairs.locator("h2").all_inner_texts()] == [
        ["1.00", "Q6:"], ["1.00", "Q24:"], ["0.48", "Q9:"]]
    for index in range(3):
        sides = pairs.nth(index).locator(".side")
        assert sides.count() == 2
        left, right = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
        assert left["y"] == right["y"] and left["x"] + left["width"] < right["x"], (left, right)
        assert abs(left["width"] - right["width"]) < 2 and left["width"] > 400
    assert pairs.nth(1).locator(".side h3").all_inner_texts() == [
        "group 3 dtu/team-3", "group 90 old-group (prior year)"]

    # The script-bearing answer is shown as the text it is, on both sides, and nothing of it ran or loaded.
    scripted = SCRIPTED.replace("LEAK", leak)
    first = pairs.nth(0)
    assert first.locator(".side h3").all_inner_texts() == ["group 1 dtu/team-1", "group 2 dtu/team-2"]
    assert [text.startswith(scripted) for text in first.locator("pre.answer").all_inner_texts()] == [True, True]
    assert page.evaluate("window.pwned") is None
    assert page.evaluate("document.querySelectorAll('script, img, iframe, object, embed, link').length") == 0
    assert not [path for path in serve.asked if path.startswith("/leak")]
    # A verbatim copy is marked from end to end, the script's text inside the mark.
    assert [m.startswith(scripted) for m in first.locator("mark").all_inner_texts()] == [True, True]

    # The half copy: the sentences group 3 took are marked on both sides, the ones it wrote itself are not.
    half = pairs.nth(2)
    for side in range(2):
        marked = " ".join(half.locator(".side").nth(side).locator("mark").all_inner_texts())
        assert all(sentence.rstrip(".") in marked for sentence in taken), (marked, taken)
    marked_three = " ".join(half.locator(".side").nth(1).locator("mark").all_inner_texts())
    assert not [sentence for sentence in own if sentence.rstrip(".") in marked_three]
    assert all(sentence in half.locator("pre.answer").nth(1).inner_text() for sentence in own)
    assert_not_blank(page.screenshot(full_page=True))
    page.context.close()


def test_dashboard_sim_column_opens_the_pair(browser: Any, serve: Site, tmp_path: Path) -> None:
    _similar_scan(tmp_path / "site", f"{serve.url}/leak")
    page, watch = open_page(browser, f"{serve.url}/dashboard.html")
    assert watch.errors == [] and not [c for c in watch.console if "Content Security Policy" in c], watch.console
    headings = page.eval_on_selector_all("#groups thead tr:first-child th button", "bs => bs.map(b => b.innerText)")
    sim = headings.index("Sim")
    assert _column(page, sim) == ["1.00", "1.00", "1.00"]
    team3 = page.locator("#groups tbody tr", has_text="dtu/team-3").locator("td").nth(sim)
    assert team3.get_attribute("title") == "Q24: 1.00 with group 90 old-group (prior year)"
    team3.get_by_role("link").click()
    page.wait_for_load_state("load")
    assert page.url == f"{serve.url}/similar.html#pair-2"
    target = page.locator("section.pair:target")
    assert target.get_attribute("id") == "pair-2" and "Q24:" in target.locator("h2").inner_text()
    assert abs(target.bounding_box()["y"]) < 2, "the page scrolled to the pair"
    assert page.evaluate("window.pwned") is None and watch.errors == []
    assert not [path for path in serve.asked if path.startswith("/leak")]
    page.context.close()


HOSTILE_ANSWER = """Our answer starts normally.

<script>window.pwned = "script"</script>

<img src="x" onerror="window.pwned = 'img'">

<img src="LEAK/img.png">

<details open ontoggle="window.pwned = 'details'"><summary>more</summary>hidden</details>

<svg onload="window.pwned = 'svg'"><circle r="5"/></svg>

<iframe src="LEAK/frame.html"></iframe>

<iframe srcdoc="<script>parent.pwned = 'srcdoc'</script>"></iframe>

<style>body { background: url(LEAK/style.png) } main { display: none }</style>

<link rel="stylesheet" href="LEAK/style.css">

<form action="LEAK/form"><input name="q" autofocus onfocus="window.pwned = 'focus'"><button>go</button></form>

<object data="LEAK/object"></object>

<meta http-equiv="refresh" content="0; url=LEAK/refresh">

<noscript><p title="</noscript><img src=x onerror=window.pwned='noscript'>"></noscript>

<a href="javascript:window.pwned = 'a'" id="raw-link">raw link</a>

[markdown link](javascript:window.pwned='md') and [tab](java\tscript:window.pwned='tab')
and [entity](jav&#x61;script:window.pwned='entity') and <javascript:window.pwned='auto'>
and [ref][evil] and [data](data:text/html;base64,PHNjcmlwdD5wYXJlbnQucHduZWQ9MTwvc2NyaXB0Pg==)
and [title](https://example.org "a\\" onmouseover=\\"window.pwned='title'")

![alt" onerror="window.pwned='alt'](figures/flow.png)

![remote](LEAK/markdown.png)

[evil]: javascript:window.pwned='ref'

The answer ends normally."""


def test_hostile_report_runs_nothing_and_fetches_nothing(browser: Any, serve: Site, tmp_path: Path) -> None:
    leak = f"{serve.url}/leak"
    text = report({3: HOSTILE_ANSWER.replace("LEAK", leak)})
    root = repository(tmp_path / "repo", text)
    site_root = tmp_path / "site"
    (site_root / "report.html").write_text(
        render_report(check(root), text, RepositoryFigures(root)).html, encoding="utf-8")
    # The same report through the dashboard, with a hostile row beside it.
    hostile_row = {"repo": "evil/<img src=x onerror=window.pwned=1>", "group": "<script>window.pwned=1</script>",
                   "status": "error", "reason": "<img src=x onerror=window.pwned=1>", "result": None}
    scan = scan_folder(site_root / "scan", {"evil/report": (1, text)}, [hostile_row])
    from checker.scan.store import ResultsFile

    write_dashboard(list(ResultsFile(scan).load().values()), site_root / "scan")
    stored = sorted((site_root / "scan" / "reports").glob("*.html"))
    assert len(stored) == 1

    urls = [f"{serve.url}/report.html", f"{serve.url}/scan/dashboard.html",
            f"{serve.url}/scan/reports/{stored[0].name}"]
    for url in urls:
        page, watch = open_page(browser, url)
        page.wait_for_timeout(300)
        for link in page.locator("main a").all():
            href = link.get_attribute("href") or ""
            assert not href.lower().lstrip().startswith(("javascript:", "data:", "vbscript:")), href
        page.mouse.move(300, 300)
        assert page.evaluate("window.pwned") is None, url
        assert page.evaluate("document.querySelectorAll('script').length") == (1 if "dashboard" in url else 0)
        assert page.evaluate("document.querySelectorAll('iframe, frame, form, input:not(#filter), object, embed, "
                             "link, base, meta[http-equiv=refresh], svg:not(.histogram svg)').length") == 0
        assert page.evaluate("document.querySelectorAll('style').length") == 1, "only the page's own stylesheet"
        assert page.evaluate("getComputedStyle(document.body).backgroundImage") == "none"
        if "dashboard" not in url:
            assert "The answer ends normally." in page.locator("article#q3").inner_text()
            assert page.locator("main").is_visible()
        assert watch.fetched({url}) == [], url
        page.context.close()
    assert not [path for path in serve.asked if path.startswith("/leak")], serve.asked


def test_the_watch_would_see_a_script_and_a_fetch(browser: Any, serve: Site) -> None:
    """Check the harness: the same checks do catch a page that runs script and loads an image."""
    page, watch = open_page(browser, f"{serve.url}/")
    page.set_content(f'<script>window.pwned = 1</script><img src="{serve.url}/leak.png">')
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") == 1
    assert f"{serve.url}/leak.png" in watch.fetched({f"{serve.url}/"})
    assert "/leak.png" in serve.asked
    page.context.close()


def test_screenshot_check_rejects_a_blank_page(browser: Any) -> None:
    page, _ = open_page(browser, "about:blank")
    with pytest.raises(AssertionError):
        assert_not_blank(page.screenshot())
    page.context.close()
    with pytest.raises(AssertionError):
        assert_not_blank(png(64, 64))
