"""`--redact-ids`: a whole dashboard, with every report page, written from a course full of study numbers shows none.

The study numbers sit everywhere a page can show them: in repository names (an account named by its owner's
study number), in the answers, in a figure's alt text and file name (a placeholder names the file), in the
tooltips (findings that compare the report with the group file), in notes and reasons.
"""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from pathlib import Path

import pytest
from scanhelpers import DEADLINE, FIGURE, report
from test_scan_github import HEADER, QUESTIONS
from test_scan_local import clone, commit

from checker.cli import run

STUDY_NUMBER = re.compile(r"s\d{6}", re.IGNORECASE)
SVG_URI = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")
MASKED = "s\u2022\u2022\u2022\u2022\u2022"


def course(tmp_path: Path) -> tuple[Path, Path]:
    """Make the clones and the group file of a course whose every part holds study numbers."""
    root = tmp_path / "clones"
    one = clone(root, 1, "mlops")
    serving = ("S200002 drew the flow and s200001 wired it up.\n\n"
               "![Flow drawn by s200001](figures/s200001_flow.png)")  # no such file: a placeholder names it
    commit(one, DEADLINE - timedelta(days=5), {"reports/README.md": report(1, ("s200001",), serving=""),
                                               FIGURE: b"png"})
    commit(one, DEADLINE - timedelta(hours=2), {
        "reports/README.md": report(1, ("s200001", "s200002", "s200077"), serving=serving)})
    two = clone(root, 2, "mlops")
    commit(two, DEADLINE - timedelta(hours=3), {"reports/README.md": report(2, ("s200004", "s200005")),
                                               FIGURE: b"png"})
    stray = clone(root, 3, "s200055-project")  # in no group file: a note says so
    commit(stray, DEADLINE - timedelta(hours=4), {"reports/README.md": report(3, ("s200055",)), FIGURE: b"png"})
    groups = tmp_path / "groups.csv"
    groups.write_text(HEADER + "1,s200001,s200002,s200003,,,https://github.com/s200001/mlops\n"
                      "2,s200004,s200005,,,,https://github.com/s200004/mlops\n"
                      "4,s200009,,,,,https://github.com/s200009/gone\n", encoding="utf-8")
    return root, groups


def scan(root: Path, groups: Path, out: Path, *args: str) -> None:
    """Scan the clones into `out` as a teacher would."""
    code = run(["scan", str(groups), "--local", str(root), "--out", str(out), "--set", QUESTIONS, *args])
    assert code == 0


def study_numbers(files: list[Path]) -> dict[str, list[str]]:
    """Return every study number in the files, their SVG data URIs decoded too, by file name."""
    found: dict[str, list[str]] = {}
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace")
        svgs = [base64.b64decode(payload).decode("utf-8", "replace") for payload in SVG_URI.findall(text)]
        hits = STUDY_NUMBER.findall(text + "\n".join(svgs))
        if hits:
            found[path.name] = hits
    return found


def written(folder: Path) -> list[Path]:
    """Return every file under a folder."""
    return sorted(path for path in folder.rglob("*") if path.is_file())


def test_redacted_dashboard_and_reports_show_no_study_number(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    root, groups = course(tmp_path)
    out = tmp_path / "out"
    scan(root, groups, out, "--deadline", (DEADLINE - timedelta(days=2)).isoformat())
    scan(root, groups, out, "--deadline", DEADLINE.isoformat(), "--html", "--redact-ids")

    pages = [out / "dashboard.html", *sorted((out / "reports").glob("*"))]
    assert [p.name for p in pages] == ["dashboard.html", "group_3__sxxxxx-project.html", "sxxxxx__mlops-2.html",
                                       "sxxxxx__mlops.html"]
    assert study_numbers(pages) == {}

    # Nothing was left out to get there: the ids are masked where they stood.
    dashboard = pages[0].read_text(encoding="utf-8")
    assert f">{MASKED}/mlops</a>" in dashboard and f"{MASKED}/gone" in dashboard
    assert "github.com/s" not in dashboard  # no link to a GitHub name the page hides
    assert f"question 2 lists {MASKED}, not registered in group 1" in dashboard  # a heat-map tooltip
    assert f"question 2 leaves out {MASKED}, registered in group 1" in dashboard
    assert dashboard.count('<svg class="spark"') == 4 and 'class="trend"' in dashboard  # the history, drawn
    first = (out / "reports" / "sxxxxx__mlops.html").read_text(encoding="utf-8")
    assert f"<title>Group 1 \u2013 {MASKED}/mlops \u2013 reportcheck</title>" in first
    assert f"{MASKED}, {MASKED}, {MASKED}" in first
    assert f"S\u2022\u2022\u2022\u2022\u2022 drew the flow and {MASKED} wired it up." in first
    assert f'alt="Flow drawn by {MASKED}"' in first
    svgs = [base64.b64decode(p).decode() for p in SVG_URI.findall(first)]
    assert [svg for svg in svgs if f"figures/{MASKED}_flow.png" in svg], "the placeholder names the file, masked"
    second = (out / "reports" / "sxxxxx__mlops-2.html").read_text(encoding="utf-8")
    assert "data:image/png;base64" in second and f"Group 2 \u2013 {MASKED}/mlops" in second

    # The same from the saved scan into a folder of its own, to share; and, without the flag, every id is shown.
    assert run(["dashboard", str(out / "results.jsonl"), "-o", str(tmp_path / "public"), "--clones", str(root),
                "--redact-ids"]) == 0
    assert "remove them before sharing" not in capsys.readouterr().err
    public = written(tmp_path / "public")
    assert len(public) == 4 and study_numbers(public) == {}
    assert (tmp_path / "public" / "reports" / "sxxxxx__mlops.html").read_text(encoding="utf-8").count(MASKED) >= 5
    assert run(["dashboard", str(out / "results.jsonl"), "-o", str(tmp_path / "teachers"), "--clones",
                str(root)]) == 0
    shown = study_numbers(written(tmp_path / "teachers"))
    assert set(shown) == {"dashboard.html", "s200001__mlops.html", "s200004__mlops.html",
                          "group_3__s200055-project.html"}
    assert {"s200001", "S200002", "s200003", "s200077", "s200009"} <= set(shown["dashboard.html"]) | set(
        shown["s200001__mlops.html"])

    # Redacted pages written over unredacted ones: the earlier pages are still there, and the run says so.
    capsys.readouterr()
    assert run(["dashboard", str(out / "results.jsonl"), "-o", str(tmp_path / "teachers"), "--redact-ids"]) == 0
    assert capsys.readouterr().err == (
        f"reportcheck: {tmp_path / 'teachers' / 'reports'} also holds 3 pages this run did not write (e.g. "
        "group_3__s200055-project.html), which may show study numbers: remove them before sharing\n")
    assert study_numbers([tmp_path / "teachers" / "dashboard.html"]) == {}


def test_redact_ids_without_html_says_it_is_not_used(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from checker.cli import main

    root, groups = course(tmp_path)
    result = CliRunner().invoke(main, ["scan", str(groups), "--local", str(root), "--out", str(tmp_path / "out"),
                                       "--set", QUESTIONS, "--redact-ids"])
    assert result.exit_code == 0
    assert "reportcheck: --redact-ids is not used without --html" in result.stderr
    assert not (tmp_path / "out" / "dashboard.html").exists()
