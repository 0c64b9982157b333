"""The rendered report and the dashboard as HTML text: what is shown, what is left out, what is refused."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from checker import check_path, check_text
from checker.cli import run
from checker.formats.json import result_dict
from checker.html.dashboard import render_dashboard, write_dashboard
from checker.html.figures import RepositoryFigures, embed
from checker.html.render import AnswerRenderer
from checker.html.report import render_report
from checker.html.sanitize import filter_raw
from checker.scan.row import ScanRow, read_rows, result_from_dict
from tests.html_reports import (
    CHECKLIST_SECRET,
    COURSE,
    EVIDENCE_COURSE,
    FRONT_MATTER_SECRET,
    INSTRUCTIONS_SECRET,
    ROOT,
    check,
    files,
    png,
    report,
    repository,
    scan_folder,
)

FORBIDDEN_TAGS = {"script", "iframe", "frame", "style", "form", "input", "button", "textarea", "select", "object",
                  "embed", "link", "meta", "base", "svg", "math", "noscript", "template"}


class _Elements(HTMLParser):
    """Collect the elements and attributes a browser would build from a page (text is harmless, escaped)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def assert_safe(html: str, allow: frozenset[str] = frozenset()) -> None:
    """Fail when the HTML holds an element, attribute or URL that could run script, fetch or submit."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in FORBIDDEN_TAGS - allow, (tag, attrs)
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("style", "srcdoc", "srcset", "formaction"), (tag, name)
            if name == "href":
                assert re.match(r"^(https?://|mailto:|#|[^:]*$)", value or ""), (tag, value)
            if name == "src":
                assert (value or "").startswith("data:image/"), (tag, value)


def _body(page: str) -> str:
    """Return the page without its own head and script, where only our code lives."""
    body = page.split("<body>", 1)[1]
    return re.sub(r"<script>.*?</script>", "", body, flags=re.DOTALL)


def _no_reference(name: str) -> str:
    return f"{name} never reaches a page"


def test_report_page_shows_answers_badges_and_checklist(tmp_path: Path) -> None:
    root = repository(tmp_path, report())
    result = check(root)
    page = render_report(result, report(), RepositoryFigures(root))
    html = page.html
    assert page.placeholders == 0
    assert html.count('class="question st-pass"') == 5
    assert html.count('class="badge st-pass"') == 5 + 1  # five questions and the legend
    assert "\u2713 39 words <small>/ 8\u201360</small>" in html
    assert "\u2713 1 image <small>/ 1\u20132</small>" in html
    assert html.count("<progress") == 2 and 'value="2" max="3"' in html
    assert '<h2 class="section">Team</h2>' in html and '<h2 class="section">System</h2>' in html
    assert "<td class=\"align-right\">PyTorch</td>" in html
    assert '<span class="task task-done">\u2611</span> loss curves' in html
    assert '<code class="language-python">' in html
    assert "data:image/png;base64," + base64.b64encode(png()).decode() in html
    for secret in (FRONT_MATTER_SECRET, INSTRUCTIONS_SECRET, CHECKLIST_SECRET, "Answer:"):
        assert secret not in html, _no_reference(secret)
    assert "@media print" in html


def test_prompt_is_folded_and_template_text_left_out(tmp_path: Path) -> None:
    root = repository(tmp_path, report())
    html = render_report(check(root), report(), RepositoryFigures(root)).html
    assert html.count('<details class="prompt"><summary>Prompt</summary>') == 5


def test_failing_missing_and_unanswered_questions_are_marked(tmp_path: Path) -> None:
    text = report({3: "Too short.", 4: "--- question 4 fill here ---"}, skip=(5,))
    root = repository(tmp_path, text, figures={})
    result = check(root)
    html = render_report(result, text, RepositoryFigures(root)).html
    assert '<article class="question st-fail" id="q3">' in html
    assert "\u2717 2 words <small>/ 8\u201360</small>" in html
    assert '<article class="question st-unanswered" id="q4">' in html
    assert '<div class="answer"><p class="absent">No answer written.</p></div>' in html
    assert '<article class="question st-missing" id="q5">' in html
    assert "This question is not in the report." in html
    assert "<b>error</b> <code>word-count</code>" in html


def test_answer_written_inside_the_prompt_quote(tmp_path: Path) -> None:
    text = report().replace("> Answer:\n\n17\n", "> Answer: 17\n> and one more line\n")
    root = repository(tmp_path, text)
    html = render_report(check(root), text, RepositoryFigures(root)).html
    assert "<p>17\nand one more line</p>" in html


def test_missing_figure_is_a_visible_placeholder(tmp_path: Path) -> None:
    root = repository(tmp_path, report(), figures={})
    page = render_report(check(root), report(), RepositoryFigures(root))
    assert page.placeholders == 1
    svg = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', page.html)
    assert svg is not None
    assert b"figure not found in the repository" in base64.b64decode(svg.group(1))


@pytest.mark.parametrize(
    ("src", "reason"),
    [
        ("../../../../etc/passwd.png", "image outside the repository"),
        ("/../../secret.png", "image outside the repository"),
        ("https://example.org/a.png", "remote image, not loaded"),
        ("http://example.org/a.png", "image link not allowed"),
        ("javascript:alert(1)", "image link not allowed"),
        ("file:///etc/hostname", "image link not allowed"),
        ("figures/notes.txt", "not an image file"),
        ("figures/link.png", "figure not found in the repository"),
        ("linked/flow.png", "figure not found in the repository"),
        ("figures/FLOW.png", "figure not found in the repository"),
    ],
)
def test_figures_never_come_from_outside_the_repository(tmp_path: Path, src: str, reason: str) -> None:
    secret = tmp_path / "outside" / "secret.png"
    secret.parent.mkdir()
    secret.write_bytes(png(colour=(1, 2, 3)))
    root = repository(tmp_path / "repo", report(), figures={"figures/flow.png": png(), "figures/notes.txt": b"x"})
    (root / "reports" / "figures" / "link.png").symlink_to(secret)
    (root / "reports" / "linked").symlink_to(root / "reports" / "figures")
    figure = embed(src, "reports/README.md", RepositoryFigures(root))
    assert figure.missing
    assert figure.reason == reason


def test_embedded_figures_resolve_like_github(tmp_path: Path) -> None:
    root = repository(tmp_path, report(), figures={"figures/flow.png": png(), "../docs/arch.jpg": b"\xff\xd8jpeg"})
    source = RepositoryFigures(root)
    assert embed("figures/flow.png", "reports/README.md", source).uri.startswith("data:image/png;base64,")
    assert embed("/docs/arch.jpg", "reports/README.md", source).uri.startswith("data:image/jpeg;base64,")
    assert embed("../docs/arch.jpg?raw=true", "reports/README.md", source).uri.startswith("data:image/jpeg")
    small = RepositoryFigures(root, max_bytes=10)
    assert embed("figures/flow.png", "reports/README.md", small).reason == "figure over 10 bytes, not embedded"
    one = len(embed("figures/flow.png", "reports/README.md", source).uri)
    answers = AnswerRenderer("reports/README.md", source, budget=one + one // 2)
    html = answers.render("![a](figures/flow.png) ![b](figures/flow.png) ![c](figures/flow.png)")
    assert html.count("data:image/png;base64,") == 1
    reason = f"page over {one + one // 2} bytes, figure not embedded"
    assert [f.reason for f in answers.placeholders] == [reason, reason]


ANSWERS = read_fixture_file(ROOT / "tests" / "data" / "html" / "answers.md")


@pytest.mark.parametrize(("line", "title", "markdown", "expected"), ANSWERS, ids=[case[1] for case in ANSWERS])
def test_answer_rendering_matches_the_fixture(line: int, title: str, markdown: str, expected: str) -> None:
    html = AnswerRenderer("reports/README.md", None).render(markdown)
    assert re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "DATA", html).rstrip("\n") == expected.rstrip("\n")


HOSTILE = [
    "<script>window.pwned = 1</script>",
    "<SCRIPT SRC=//127.0.0.1/x.js></SCRIPT>",
    '<img src="x" onerror="window.pwned = 1">',
    "<img src=x onerror=window.pwned=1//",
    '<img src="figures/flow.png" onload="window.pwned=1">',
    '<details open ontoggle="window.pwned = 1"><summary>s</summary>x</details>',
    '<svg onload="window.pwned = 1"><circle r="5"/></svg>',
    '<iframe src="javascript:window.pwned=1"></iframe>',
    '<iframe srcdoc="<script>parent.pwned=1</script>"></iframe>',
    "<style>body { background: url(http://127.0.0.1/leak.png) }</style>",
    '<link rel="stylesheet" href="http://127.0.0.1/leak.css">',
    '<form action="http://127.0.0.1/"><input name="q"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0; url=javascript:window.pwned=1">',
    '<base href="http://127.0.0.1/">',
    '<object data="javascript:window.pwned=1"></object><embed src="x.swf">',
    '<a href="javascript:window.pwned=1">click me</a>',
    '<a href="jav&#x09;ascript:window.pwned=1">tab</a>',
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%;background:red">cover</p>',
    "<noscript><p title=\"</noscript><img src=x onerror=window.pwned=1>\"></noscript>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.pwned=1>",
    "<scr<script>ipt>window.pwned=1</scr</script>ipt>",
    "<!--><img src=x onerror=window.pwned=1>-->",
    "[click](javascript:window.pwned=1)",
    "[tab](java\tscript:window.pwned=1)",
    "[entity](jav&#x61;script:window.pwned=1)",
    "[angle](<javascript:window.pwned=1>)",
    "<javascript:window.pwned=1>",
    "[ref][evil]\n\n[evil]: javascript:window.pwned=1",
    "[data](data:text/html;base64,PHNjcmlwdD5wYXJlbnQucHduZWQ9MTwvc2NyaXB0Pg==)",
    "[vb](vbscript:msgbox(1))",
    '[title](https://example.org "a\\" onmouseover=\\"window.pwned=1")',
    '![alt" onerror="window.pwned=1](figures/flow.png)',
    "![x](javascript:window.pwned=1)",
    "![x](http://127.0.0.1/leak.png)",
    "| a |\n|---|\n| <img src=x onerror=window.pwned=1> |",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_answer_is_sanitised(tmp_path: Path, payload: str) -> None:
    html = AnswerRenderer("reports/README.md", None).render(f"Before.\n\n{payload}\n\nAfter.")
    assert_safe(html)
    assert "Before." in html


def test_allowed_raw_html_is_kept_and_the_rest_shown_as_text() -> None:
    seen: list[str] = []

    def image(src: str, alt: str) -> str:
        seen.append(src)
        return "marker"

    out = filter_raw('<p align="center"><img src="figures/a.png" width="60%" onclick="x()" alt="A"></p>', image)
    assert out == '<img src="marker" width="60%" alt="A">'
    assert seen == ["figures/a.png"]
    assert filter_raw("H<sub>2</sub>O<br>", image) == "H<sub>2</sub>O<br>"
    assert filter_raw("<script>x()</script>", image) == "&lt;script&gt;x()&lt;/script&gt;"
    assert filter_raw('<td colspan="2" style="color:red">', image) == '<td colspan="2">'


def test_report_page_forbids_scripts_and_fetches() -> None:
    result = check_text(report(), question_set=COURSE)
    html = render_report(result, report()).html
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert csp is not None
    policy = csp.group(1)
    assert "default-src &#x27;none&#x27;" in policy and "script-src &#x27;none&#x27;" in policy
    assert "img-src data:" in policy
    style = re.search(r"<style>(.*?)</style>", html, re.DOTALL)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"style-src &#x27;sha256-{digest}&#x27;" in policy
    assert "<script" not in html and "http://" not in _body(html).replace("http://www.w3.org/2000/svg", "")


def test_result_survives_its_json_form(tmp_path: Path) -> None:
    root = repository(tmp_path, report({3: "Too short."}, skip=(5,)))
    result = check(root)
    back = result_from_dict(json.loads(json.dumps(result_dict(result))))
    assert [(q.number, q.status, q.words, q.words_range, q.images, q.images_range) for q in back.questions] == [
        (q.number, q.status, q.words, q.words_range, q.images, q.images_range) for q in result.questions
    ]
    assert back.findings == result.findings
    assert (back.ready, back.passed, back.errors, back.warnings) == (
        result.ready, result.passed, result.errors, result.warnings)
    assert [(s.name, s.checked, s.total) for s in back.checklist] == [
        (s.name, s.checked, s.total) for s in result.checklist]


@pytest.mark.parametrize(
    "row",
    [
        {"repo": "a/b"},
        {"repo": "a/b", "group": "7", "late_commits": [2, 5], "result": {}},
        {"repo": "a/b", "result": {"questions": [{"number": "x"}, {"number": 2, "status": "odd"}, 3]}},
        {"repo": "a/b", "result": {"questions": None, "findings": [None, {"severity": "fatal"}], "checklist": 1}},
        {"repo": "a/b", "status": "not-found", "reason": "gone", "result": None},
    ],
)
def test_rows_tolerate_missing_and_odd_keys(row: dict[str, object]) -> None:
    parsed = ScanRow.from_json(row)
    assert parsed.repo == "a/b"
    html = render_dashboard([parsed], {})
    assert "a/b" in html


def test_results_file_keeps_the_last_row_per_repository() -> None:
    lines = ['{"repo": "A/b", "group": 1}', "not json", "[1]", '{"repo": "a/B", "group": 2}', ""]
    rows = list(read_rows(lines).values())
    assert [(r.repo, r.group) for r in rows] == [("a/B", 2)]


def test_dashboard_rows_heat_map_histogram_and_links(tmp_path: Path) -> None:
    results = scan_folder(tmp_path, {
        "team-a/project": (1, report()),
        "team-b/project": (2, report({3: "Too short.", 4: "--- question 4 fill here ---"}, skip=(5,))),
        "team-c/gone": (3, None),
    }, [])
    assert run(["dashboard", str(results)]) == 0
    html = (tmp_path / "dashboard.html").read_text(encoding="utf-8")
    assert html.count("<tr data-search=") == 3
    assert '<a class="name" href="reports/team-a__project.html">team-a/project</a>' in html
    assert '<a class="name" href="reports/team-b__project.html">team-b/project</a>' in html
    assert 'data-verdict="other"' in html and ">not-found</span>" in html
    # Each heat-map cell says why: the findings' figures and rules, or what passed.
    assert ('<td class="h st-fail" data-q="3" data-st="fail" data-rules="image-count word-count" title="Q3: 0 '
            'images, needs 1-2: add at least 1 (image-count); 2 words, needs 8-60: add at least 6 (word-count)">F'
            "</td>") in html
    assert ('<td class="h st-unanswered" data-q="4" data-st="unanswered" data-rules="unanswered" title="Q4: the '
            'placeholder is still here, no answer yet (unanswered)">U</td>') in html
    assert 'data-st="missing" data-rules="missing-question" title="Q5: Question 5 (Who built what) is not' in html
    assert 'title="Q2: pass, 3 words">P</td>' in html
    assert html.count('<td class="h st-pass"') == 5 + 2
    # The failure counts per question, over the checked groups.
    counts = re.findall(r'<td class="count" data-q="(\d)" title="([^"]*)">(\d*)</td>', html)
    assert [(q, n) for q, _, n in counts] == [("1", ""), ("2", ""), ("3", "1"), ("4", "1"), ("5", "1")]
    assert counts[3][1] == "Q4: 1 of 2 shown groups do not pass (1 unanswered)"
    assert "<dt>Question set</dt><dd>html-course</dd>" in html
    assert "<title>1 group passed 5</title>" in html and "<title>1 group passed 2</title>" in html
    page = (tmp_path / "reports" / "team-b__project.html").read_text(encoding="utf-8")
    assert '<a href="../dashboard.html">' in page and "Too short." in page
    assert not (tmp_path / "reports" / "team-c__gone.html").exists()


def test_dashboard_script_is_allowed_by_its_hash_only(tmp_path: Path) -> None:
    path = write_dashboard([ScanRow("a/b", group=1)], tmp_path)
    html = path.read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"script-src &#x27;sha256-{digest}&#x27;" in html
    assert "unsafe-inline" not in html and not re.search(r"\son[a-z]+=", _body(html))


def test_dashboard_escapes_what_groups_choose(tmp_path: Path) -> None:
    rows = [{"repo": 'evil/"><script>window.pwned=1</script>', "group": "<img src=x onerror=alert(1)>",
             "reason": '"><script>', "status": "error", "result": {"questions": [{"number": 1, "status": "pass"}],
                                                                    "source": {"path": "<script>"}}}]
    path = write_dashboard([ScanRow.from_json(row) for row in rows], tmp_path)
    html = path.read_text(encoding="utf-8")
    assert_safe(_body(html), allow=frozenset({"input", "select", "button", "svg"}))
    written = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert written == ["evil_____script_window.pwned_1__script_.html"]
    assert_safe(_body((tmp_path / "reports" / written[0]).read_text(encoding="utf-8")))


def test_html_command_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = repository(tmp_path / "repo", report())
    out = tmp_path / "page.html"
    questions = ROOT / "tests" / "data" / "html-course.toml"
    assert run(["html", str(root), "-o", str(out), "--set", str(questions)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8").count('class="question st-pass"') == 5
    assert run(["html", str(tmp_path / "nothing-here")]) == 2


def test_html_without_output_leaves_the_repository_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "group"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    repository(root, report())
    questions = ROOT / "tests" / "data" / "html-course.toml"
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm",
                    "report"], check=True)
    before = sorted(str(p.relative_to(root)) for p in root.rglob("*") if ".git" not in p.parts)
    (tmp_path / "temp").mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "temp"))
    written = []
    for here, target in ((root, []), (root / "reports", []), (root / "reports", [str(root)])):
        monkeypatch.chdir(here)
        assert run(["html", *target, "--set", str(questions)]) == 0
        (line,) = capsys.readouterr().out.splitlines()
        page = Path(line.removeprefix("wrote "))
        assert page.parent.parent == tmp_path / "temp" and page.name == "report.html", line
        assert page.read_text(encoding="utf-8").count('class="question st-pass"') == 5
        written.append(page)
    assert len(set(written)) == 3  # a new folder each time: no page is overwritten
    status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--ignored"], capture_output=True,
                            text=True, check=True)
    assert status.stdout == ""
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*") if ".git" not in p.parts) == before
    # Run from outside the repository, the page is written here.
    monkeypatch.chdir(tmp_path)
    assert run(["html", "group", "--set", str(questions)]) == 0
    assert capsys.readouterr().out == f"wrote {tmp_path / 'report.html'}\n"
    assert (tmp_path / "report.html").is_file()


def test_dashboard_command_needs_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "results.jsonl"
    empty.write_text("\n", encoding="utf-8")
    assert run(["dashboard", str(empty)]) == 2
    assert "no result rows" in capsys.readouterr().err


def test_check_does_not_load_the_html_libraries() -> None:
    code = ("import sys; from checker.cli import run; run(['check', 'examples/ready']); "
            "print(sorted(m for m in sys.modules if m.startswith(('nh3', 'checker.html'))))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_wheel_carries_the_page_assets(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("reportcheck-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assets = {f"checker/html/assets/{name}" for name in ("common.css", "report.css", "dashboard.css", "dashboard.js")}
    assert assets <= names
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(wheel).extractall(unpacked)
    code = ("import checker.html.dashboard as d, checker.scan.row as r, pathlib, sys; "
            "print(d.write_dashboard([r.ScanRow('a/b')], pathlib.Path(sys.argv[1])))")
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out")], capture_output=True, text=True,
                          check=True, env=env, cwd=tmp_path)
    assert done.stdout.strip() == str(tmp_path / "out" / "dashboard.html")
    assert "addEventListener" in (tmp_path / "out" / "dashboard.html").read_text(encoding="utf-8")


def _row(repo: str, text: str, commit: str = "ab" * 20) -> ScanRow:
    result = check_text(text, question_set=COURSE)
    data = {"repo": repo, "group": 4, "commit": commit, "status": "ok", "result": result_dict(result)}
    return ScanRow.from_json(data)


def test_dashboard_takes_report_text_from_the_caller(tmp_path: Path) -> None:
    text = report({3: "Answer handed over by the caller, with a figure.\n\n![f](figures/flow.png)"})
    asked: list[object] = []

    def report_text(row: object) -> bytes:
        asked.append(row)
        return text.encode("utf-8")

    rows = [_row("team/project", text)]
    write_dashboard(rows, tmp_path, report_text=report_text)
    assert asked == rows
    page = (tmp_path / "reports" / "team__project.html").read_text(encoding="utf-8")
    assert "Answer handed over by the caller" in page
    assert b"figure not available here" in b"".join(
        base64.b64decode(m) for m in re.findall(r"data:image/svg\+xml;base64,([^\"]+)", page))


def test_dashboard_reads_the_report_from_the_scan_cache(tmp_path: Path) -> None:
    text = report({3: "This answer only exists in the scan cache, written for this test."})
    commit = "cd" * 20
    entry = tmp_path / "cache" / "team" / "project" / f"{commit}.json"
    entry.parent.mkdir(parents=True)
    entry.write_text(json.dumps({"report_b64": base64.b64encode(text.encode()).decode()}), encoding="utf-8")
    write_dashboard([_row("Team/Project", text, commit), _row("other/one", text, "../../x")], tmp_path)
    page = (tmp_path / "reports" / "Team__Project.html").read_text(encoding="utf-8")
    assert "only exists in the scan cache" in page
    other = (tmp_path / "reports" / "other__one.html").read_text(encoding="utf-8")
    assert "The report text was not stored" in other


def test_dashboard_says_when_what_and_flags_what_needs_a_look(tmp_path: Path) -> None:
    result = result_dict(check_text(report({3: "Too short."}), question_set=COURSE))
    crashing = json.loads(json.dumps(result))
    crashing["official"]["crash"] = "IndexError: list index out of range"
    common = {"status": "ok", "commit": "ab" * 20, "deadline": "2026-01-23T22:59:00Z",
              "deadline_source": "commit-date"}
    rows = [ScanRow.from_json(data) for data in (
        {**common, "repo": "team-a/project", "group": 1, "result": result, "late_commits": 2,
         "late_commits_total": 5, "scanned_at": "2026-01-24T08:00:10Z"},
        {**common, "repo": "team-b/project", "group": 2, "result": crashing, "late_commits": 0,
         "late_commits_total": 0, "scanned_at": "2026-01-24T08:03:00Z"},
        {**common, "repo": "group_3/project", "group": 3, "result": result, "scanned_at": "2026-01-24T08:01:00Z",
         "notes": ["not in the group file: a clone no registered group matches"]},
    )]
    html = render_dashboard(rows, {})
    assert ('<dl class="facts"><div><dt>Deadline</dt><dd>2026-01-23 22:59 UTC; commits chosen by commit dates</dd>'
            "</div><div><dt>Scanned</dt><dd>2026-01-24 08:00\u201308:03 UTC</dd></div><div><dt>Question set</dt>"
            "<dd>html-course</dd></div></dl>") in html
    # GitHub links for GitHub names only: a clone's group_3/project is none.
    assert html.count('href="https://github.com/') == 2 and "github.com/group_3" not in html
    headings = re.findall(r"<button type=\"button\">([^<]*)</button>", html)
    # No Claims column: no group's repository was looked at for its checklist.
    assert headings == ["Group", "Repository", "Verdict", "Passed", "Errors", "Warnings", "Late"]
    assert 'title="Commits after the checked commit (the deadline&#x27;s) that changed the report&#x27;s folder' in html
    assert ('<td class="num" data-v="2" title="2 commits after the checked one changed the report&#x27;s folder; '
            '5 commits after it in all">2</td>') in html
    assert ('<span class="flag crash" title="the course&#x27;s checker crashes on this report: IndexError: list '
            'index out of range">crash</span>') in html
    assert html.count('class="flag crash"') == 1 and 'data-flags="crash"' in html
    assert '<option value="crash">course checker crashes (1)</option>' in html
    assert ('<span class="flag note" title="not in the group file: a clone no registered group matches">note</span>'
            in html)
    assert '<option value="word-count">word-count (3)</option>' in html
    assert '<option value="3">Q3: From notebook to users</option>' in html
    assert '<th class="q" scope="col" data-q="3" title="Q3: From notebook to users">3</th>' in html


def _evidence_scan(folder: Path) -> list[ScanRow]:
    """A saved scan whose groups' checklists were held against their files: backed, unbacked, not looked at."""
    results = scan_folder(folder, {
        "team-a/project": (1, report()),  # ruff.toml and a Dockerfile: M2 backed, M3 looks done
        "team-b/project": (2, report()),  # no linter: M2 ticked without a trace
        "team-c/project": (3, report()),  # checked without its files
    }, [], listings={"team-a/project": files("ruff.toml", "Dockerfile"), "team-b/project": files("src/app.py")})
    from checker.scan.store import ResultsFile

    return list(ResultsFile(results).load().values())


def test_checklist_items_survive_the_json_form() -> None:
    result = check_text(report(), question_set=EVIDENCE_COURSE, listing=files("ruff.toml"))
    assert result_from_dict(result_dict(result)).checklist_items == result.checklist_items
    assert [item.evidence for item in result.checklist_items] == ["found", "found", "none", "not-checkable", "none"]


def test_dashboard_counts_claims_without_evidence(tmp_path: Path) -> None:
    html = render_dashboard(_evidence_scan(tmp_path), {})
    heading = re.search(r'<th data-type="num" aria-sort="none" title="([^"]*)"><button type="button">Claims', html)
    assert heading is not None and heading.group(1).startswith("Claims without evidence: ticked checklist items")
    # The column stands right before the heat map's cells.
    claims = re.findall(r'<td class="(num[^"]*)" data-v="([^"]*)"(?: title="([^"]*)")?>([^<]*)</td><td class="h', html)
    assert claims[0] == ("num", "0", "3 ticked items: 2 shown by files, 0 without any trace, 1 files cannot tell", "0")
    assert claims[1] == ("num unbacked", "1", "3 ticked items: 1 shown by files, 1 without any trace, 1 files cannot "
                         "tell; without a trace: A linter (M2, line 14)", "1")
    assert claims[2] == ("num", "", "the repository&#x27;s files were not looked at", "\u2013")
    assert CHECKLIST_SECRET not in html  # items are named by their rule, never by their text


def test_dashboard_maps_modules_to_the_groups_whose_files_show_them(tmp_path: Path) -> None:
    html = render_dashboard(_evidence_scan(tmp_path), {"team-a/project": "reports/team-a__project.html"})
    table = html[html.index('<table id="evidence">'):html.index("</table>", html.index('<table id="evidence">'))]
    assert re.findall(r'<th scope="col" class="m">([^<]*)</th>', table) == ["M1", "M2", "M3", "M4", "M5"]
    rows = re.findall(r'<tr><th scope="row" title="([^"]*)">(.*?)</th>(.*?)</tr>', table)
    assert [name for name, _, _ in rows] == ["team-a/project", "team-b/project"]  # team-c: not looked at
    assert rows[0][1] == '1 <a href="reports/team-a__project.html">team-a/project</a>'
    states = [re.findall(r'<td class="m ?([a-z-]*)"', cells) for _, _, cells in rows]
    assert states == [["backed", "backed", "looks-done", "open", "quiet"],
                      ["backed", "unbacked", "quiet", "open", "quiet"]]
    assert ('title="team-b/project, M2: A linter (line 14): ticked, no trace">\u2717</td>') in table
    assert 'title="team-a/project, M3: A Dockerfile (line 15): not ticked, found in Dockerfile">+</td>' in table
    assert ('title="team-a/project, M4: Training in the cloud (line 19): ticked, not checkable (a cloud console '
            'leaves no file)">?</td>') in table
    totals = re.findall(r'<td class="m" title="([^"]*)">(\d*)</td>', table)
    assert [count for _, count in totals] == ["2", "1", "1", "", ""]
    assert totals[1][0] == "M2: 1 group whose files show it, 1 ticked without a trace"
    assert CHECKLIST_SECRET not in html


def test_dashboard_without_evidence_has_no_map(tmp_path: Path) -> None:
    results = scan_folder(tmp_path, {"team-a/project": (1, report())}, [])
    assert run(["dashboard", str(results)]) == 0
    html = (tmp_path / "dashboard.html").read_text(encoding="utf-8")
    assert 'id="evidence"' not in html and "Checklist evidence by module" not in html


def test_group_page_lists_each_ticked_item_with_its_evidence(tmp_path: Path) -> None:
    rows = {row.repo: row for row in _evidence_scan(tmp_path)}
    write_dashboard(list(rows.values()), tmp_path)
    page = (tmp_path / "reports" / "team-b__project.html").read_text(encoding="utf-8")
    section = page[page.index('<section class="evidence">'):page.index("</section>", page.index('class="evidence"'))]
    assert ("<h2>Checklist against the repository <small>3 ticked: 1 item shown by files, 1 item without any "
            "trace, 1 item files cannot tell</small></h2>") in section
    items = re.findall(r'<tr class="ev-([a-z-]*)"><td class="num">(\d+)</td><td>(M\d)</td><td>([^<]*)</td><td>'
                       r'<span class="badge ev ev-[a-z-]*">([^<]*)</span></td><td>(.*?)</td></tr>', section)
    assert items == [
        ("found", "13", "M1", "A git repository", "found", "the files being a git repository"),
        ("none", "14", "M2", "A linter", "no trace", "looked for <code>ruff.toml</code>, or ruff in a workflow"),
        ("not-checkable", "19", "M4", "Training in the cloud", "not checkable", "a cloud console leaves no file"),
    ]
    assert "look done" not in section
    backed = (tmp_path / "reports" / "team-a__project.html").read_text(encoding="utf-8")
    assert "<td><code>ruff.toml</code></td>" in backed
    assert '<p class="looks-done">1 item looks done but is not ticked: A Dockerfile (line 15)</p>' in backed
    unseen = (tmp_path / "reports" / "team-c__project.html").read_text(encoding="utf-8")
    assert "The repository's files were not looked at for this report's checklist." in unseen
    assert 'class="evidence-items"' not in unseen
    for html in (page, backed, unseen):
        assert CHECKLIST_SECRET not in html
        assert "script-src &#x27;none&#x27;" in html and not re.search(r"\son[a-z]+=", _body(html))


def test_hostile_file_names_in_the_evidence_are_shown_as_text(tmp_path: Path) -> None:
    hostile = '"><img src=x onerror=alert(1)>.dockerfile'
    results = scan_folder(tmp_path, {"team-a/project": (1, report())}, [],
                          listings={"team-a/project": files(hostile, "docs/<script>alert(1)</script>deploy.md")})
    assert run(["dashboard", str(results)]) == 0
    for page in (tmp_path / "dashboard.html", tmp_path / "reports" / "team-a__project.html"):
        body = _body(page.read_text(encoding="utf-8"))
        assert "<img src=x" not in body and "<script>alert" not in body
        # What a browser builds: no element or attribute that could run or fetch (the dashboard's own controls
        # and charts aside).
        assert_safe(body, frozenset({"input", "button", "select", "svg"}))
    dashboard = (tmp_path / "dashboard.html").read_text(encoding="utf-8")
    assert "found in &quot;&gt;&lt;img src=x onerror=alert(1)&gt;.dockerfile" in dashboard


def test_an_item_no_rule_matches_is_said_once_in_its_row() -> None:
    example = ROOT / "examples" / "not-ready"
    text = (example / "reports" / "README.md").read_text(encoding="utf-8")
    page = render_report(check_path(example), text, RepositoryFigures(example)).html
    rows = re.findall(r'<tr class="ev-not-checkable">(.*?)</tr>', page)
    assert rows and all(row.count("no evidence rule matches this item") == 1 for row in rows), rows
