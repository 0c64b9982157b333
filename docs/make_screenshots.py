"""Render the example report and a made-up scan of twelve groups, and screenshot both pages into docs/.

The groups are the `examples/ready` report with answers shortened, emptied or removed at random (fixed seed),
so every verdict on the dashboard is a real check; five weekly scans before the deadline's, each group further
from done the earlier it is, make the history the dashboard draws. Needs Debian's chromium and the test extra.
Run: python docs/make_screenshots.py
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from checker import check_path, check_text  # noqa: E402
from checker.files import LocalFiles  # noqa: E402
from checker.formats.json import result_dict  # noqa: E402
from checker.html.dashboard import write_dashboard  # noqa: E402
from checker.html.figures import RepositoryFigures  # noqa: E402
from checker.html.report import render_report  # noqa: E402
from checker.parse import parse  # noqa: E402
from checker.scan import history  # noqa: E402
from checker.scan.row import ScanRow  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic"]
WEEKS = ["2025-12-19", "2025-12-26", "2026-01-02", "2026-01-09", "2026-01-16"]  # scans before the deadline's
TEAMS = ["otters", "falcons", "lynx", "badgers", "herons", "wolves", "ibex", "orcas", "moles", "cranes",
         "geckos", "bison"]


def damaged(text: str, rng: random.Random, harm: int) -> str:
    """Return the report with `harm` answers shortened, emptied or removed."""
    lines = text.split("\n")
    questions = list(parse(text).questions)
    for question in sorted(rng.sample(questions, harm), key=lambda q: -q.line):
        answer = question.answer
        kind = rng.choice(["short", "empty", "gone"])
        if kind == "gone":
            del lines[question.line - 1 : answer.end_line]
        else:
            body = "Not written yet." if kind == "short" else f"--- question {question.number} fill here ---"
            lines[answer.start_line : answer.end_line] = ["", body, ""]
    return "\n".join(lines)


def weekly(folder: Path, last: list[ScanRow], harms: dict[str, int], text: str, files: LocalFiles) -> None:
    """Write history.jsonl: a scan a week (each group's report further from done the earlier), then `last`."""
    rng = random.Random(16)
    pace = {repo: rng.choice([0, 1, 2, 3]) for repo in harms}
    for week, day in enumerate(WEEKS):
        as_of = f"{day}T08:00:00Z"
        rows = []
        for row in last:
            if row.repo not in harms:
                rows.append(ScanRow(row.repo, row.group, status=row.status, reason=row.reason, deadline=as_of))
            elif not (row.repo.startswith("geckos") and week < 2):  # a repository made in the third week
                harm = min(harms[row.repo] + pace[row.repo] * (len(WEEKS) - week), 20)
                result = result_dict(check_text(damaged(text, rng, harm), files=files))
                rows.append(ScanRow.from_json({"repo": row.repo, "group": row.group, "status": "ok", "commit": "0" * 40,
                                               "deadline": as_of, "result": json.loads(json.dumps(result))}))
        history.append(folder / history.FILE_NAME, rows, as_of)
    history.append(folder / history.FILE_NAME, last, "2026-01-24T08:00:00Z")


def main() -> None:
    """Write docs/report.png and docs/dashboard.png."""
    from playwright.sync_api import sync_playwright

    example = ROOT / "examples" / "not-ready"
    report_text = (example / "reports" / "README.md").read_text(encoding="utf-8")
    page_html = render_report(check_path(example), report_text, RepositoryFigures(example),
                              title="Group 7: examples/not-ready").html

    ready = ROOT / "examples" / "ready"
    ready_text = (ready / "reports" / "README.md").read_text(encoding="utf-8")
    rng = random.Random(2476)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        (out / "report.html").write_text(page_html, encoding="utf-8")
        (out / "scan" / "reports").mkdir(parents=True)
        rows = []
        harms: dict[str, int] = {}
        for number, team in enumerate(TEAMS, start=1):
            repo = f"{team}-mlops/exam-project"
            late = rng.choice([0, 0, 0, 1, 3])
            row: dict[str, object] = {"repo": repo, "group": number * 3, "commit": "0" * 40, "late_commits": late,
                                      "late_commits_total": late + rng.choice([0, 2]),
                                      "deadline": "2026-01-23T22:59:00Z", "deadline_source": "commit-date",
                                      "scanned_at": f"2026-01-24T08:0{number // 3}:00Z"}
            if number == 9:
                row.update(status="not-found", reason="repository not found", result=None)
            else:
                harms[repo] = rng.choice([0, 0, 1, 2, 4, 7])
                text = damaged(ready_text, rng, harms[repo])
                result = result_dict(check_text(text, files=LocalFiles(ready)))
                if number == 5:  # a report the course's own checker crashes on, flagged on the dashboard
                    result["official"]["crash"] = "IndexError: list index out of range"
                row.update(status="ok", reason=None, result=result)
                (out / "scan" / "reports" / f"{team}-mlops__exam-project.md").write_text(text, encoding="utf-8")
            rows.append(ScanRow.from_json(json.loads(json.dumps(row))))
        weekly(out / "scan", rows, harms, ready_text, LocalFiles(ready))
        dashboard = write_dashboard(rows, out / "scan", title="02476 exam reports, January",
                                    history=history.find(out / "scan"))

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1300})
            page.goto((out / "report.html").as_uri())
            page.locator("article#q5").scroll_into_view_if_needed()
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(HERE / "report.png"))
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(dashboard.as_uri())
            page.get_by_role("button", name="Passed").click()
            page.get_by_role("button", name="Passed").click()
            page.screenshot(path=str(HERE / "dashboard.png"), full_page=True)
            browser.close()
    print(f"wrote {HERE / 'report.png'} and {HERE / 'dashboard.png'}")


if __name__ == "__main__":
    main()
