"""The CI formats (github, markdown, SARIF, JUnit), several outputs from one run, and [tool.reportcheck]."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

import checker
from checker.cli import run
from checker.formats import RenderOptions, renderer
from checker.model import Finding, QuestionResult, ReportResult
from checker.rules import RULES
from tests.conftest import ROOT, make_report, run_check

OPTIONS = RenderOptions()
MINI = str(ROOT / "tests" / "data" / "mini-course.toml")


def result_with(findings: list[Finding], path: str = "reports/README.md", title: str = "Pipeline") -> ReportResult:
    """Build a one-question result carrying these findings."""
    question = QuestionResult(3, title, "fail" if any(f.severity == "error" for f in findings) else "pass",
                              3, (5, 20), 0, (1, 2), 10, None, tuple(f for f in findings if f.question == 3))
    ordered = tuple(sorted(findings, key=Finding.key))
    return ReportResult(path, "0" * 64, "mini-course", 4, 4, False, (question,), ordered, ())


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Split a workflow command line and unescape it the way the runner does."""
    assert line.startswith("::"), line
    end = line.index("::", 2)
    name, _, props = line[2:end].partition(" ")

    def data(value: str) -> str:
        return value.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")

    def prop(value: str) -> str:
        return data(value.replace("%3A", ":").replace("%2C", ","))

    properties = dict(item.split("=", 1) for item in props.split(",")) if props else {}
    return name, {key: prop(value) for key, value in properties.items()}, data(line[end + 2:])


# github


def test_github_line_is_exact_for_a_plain_finding() -> None:
    result = result_with([Finding(12, 3, "word-count", "error", "3 words, needs 5-20", "Write more.")])
    assert renderer("github")(result, OPTIONS).splitlines() == [
        "::error file=reports/README.md,line=12,title=word-count (question 3)::3 words, needs 5-20%0AWrite more.",
        "reportcheck: NOT PASSED 0/1 questions pass, 1 error, 0 warnings",
    ]


def test_github_escapes_data_and_properties_line_by_line() -> None:
    message = "100% sure\r\nsecond line ::warning::x, a: b %0A"
    path = "reports/odd,name:v2%.md"
    result = result_with([Finding(7, 3, "image-missing", "error", message, "hint, with: colon")], path=path,
                         title="Weird, title: yes")
    lines = renderer("github")(result, OPTIONS).splitlines()
    command_line = lines[0]
    assert "\r" not in command_line
    head = command_line[: command_line.index("::", 2)]
    assert head == "::error file=reports/odd%2Cname%3Av2%25.md,line=7,title=image-missing (question 3)"
    assert command_line.endswith("::100%25 sure%0D%0Asecond line ::warning::x, a: b %250A%0Ahint, with: colon")
    name, properties, data = parse_command(command_line)
    assert (name, properties["file"], properties["line"]) == ("error", path, "7")
    assert data == f"{message}\nhint, with: colon"


def test_student_text_cannot_start_a_workflow_command() -> None:
    evil = ("We retrain each night and serve the model behind an API.\n\n"
            "![x](figures/pipe.png)\n![y](figures/a%0A::error%20file=x::pwned%0D::stop-commands::t.png)\n"
            "![z](<figures/b%0A%23%23[set-output name=ready;]true.png>)")
    result = run_check(make_report({3: evil}))
    lines = renderer("github")(result, OPTIONS).splitlines()
    messages = []
    for line in lines:
        assert line.startswith(("::error file=reports/README.md,", "::warning file=reports/README.md,",
                                "reportcheck: ")), line
        if line.startswith("::"):
            _, properties, data = parse_command(line)
            assert set(properties) == {"file", "line", "title"}
            messages.append(data)
    # The raw line breaks reached the messages and were carried escaped, inside our own commands.
    assert any("a\n::error file=x::pwned\r::stop-commands::" in m for m in messages)
    assert any("b\n##[set-output name=ready;]true" in m for m in messages)
    assert not any(line.lstrip().startswith("::error file=x") for line in lines)


def test_github_caps_annotations_most_important_first() -> None:
    findings = [Finding(100 + n, 3, "word-count", "error", f"error {n}") for n in range(14)]
    findings += [Finding(200 + n, 3, "image-format", "warning", f"warning {n}") for n in range(12)]
    findings.append(Finding(300, None, "template-mismatch", "error", "wrong template"))
    lines = renderer("github")(result_with(findings), OPTIONS).splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert (len(errors), len(warnings)) == (10, 10)
    assert errors[0].endswith("::wrong template")
    assert errors[1].endswith("::error 0")
    assert lines[-2] == ("::notice title=reportcheck%3A more findings::5 errors and 2 warnings more than annotations "
                         "can show: the job summary and `reportcheck check` list every finding.")


# markdown


def test_markdown_puts_the_verdict_first_and_passing_questions_in_details() -> None:
    text = renderer("markdown")(run_check(make_report({3: None})), OPTIONS)
    lines = text.splitlines()
    assert lines[0] == "### ❌ NOT PASSED 3/4 questions pass, 1 error, 0 warnings"
    assert "| 3. Pipeline | 📝 unanswered | 0 (5-20) | 0 (1-2) | <code>unanswered</code> " in text
    details = text[text.index("<details>"):text.index("</details>")]
    assert "<summary>3 questions pass</summary>" in details
    assert "| 1. Group number | 1 | 0 |" in details


def test_markdown_escapes_pipes_html_and_markdown_from_the_report() -> None:
    nasty = "a|b <script>alert(1)</script> ![i](http://t.example/x.png) [l](http://t.example) *x* @team $x$"
    findings = [Finding(5, 3, "image-missing", "error", f"`{nasty}` and {nasty}")]
    text = renderer("markdown")(result_with(findings, title=f"Title {nasty}"), OPTIONS)
    row = next(line for line in text.splitlines() if line.startswith("| 3."))
    assert row.count("|") == 6  # five cells: no pipe from the report splits the row
    for raw in ("<script", "![", "[l]", "*x*", "@team", "$x$", "a|b"):
        assert raw not in text
    assert "<code>a&#124;b &#60;script&#62;alert(1)&#60;/script&#62;" in row


# SARIF


def test_sarif_validates_against_the_2_1_0_schema(shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    schema = json.loads((shared / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    validator.validate(json.loads(renderer("sarif")(run_check(make_report({3: None, 1: "forty-two"})), OPTIONS)))
    # Several reports in one log: named relative to here (a space in a name), absolute (a file URI), and twice.
    two_groups(tmp_path / "odd name")
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    alpha = tmp_path / "odd name" / "alpha-group"
    assert run(["check", "-r", "../odd name", str(alpha), str(alpha), "--set", MINI, "--format", "sarif"]) == 1
    data = json.loads(capsys.readouterr().out)
    validator.validate(data)
    assert [a["location"]["uri"] for a in data["runs"][0]["artifacts"]] == [
        "../odd%20name/alpha-group/reports/README.md", "../odd%20name/beta-group/reports/README.md",
        (alpha / "reports" / "README.md").as_uri(),
    ]


def two_groups(folder: Path) -> None:
    """Write two group repositories below `folder`: alpha-group's report is ready, beta-group's is not."""
    for group, answers in (("alpha-group", None), ("beta-group", {3: None})):
        report = folder / group / "reports" / "README.md"
        (report.parent / "figures").mkdir(parents=True)
        (report.parent / "figures" / "pipe.png").write_bytes(b"png")
        report.write_text(make_report(answers), encoding="utf-8")


def test_recursive_check_names_each_report_by_the_path_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    two_groups(tmp_path)
    monkeypatch.chdir(tmp_path)
    names = ["alpha-group/reports/README.md", "beta-group/reports/README.md"]
    assert run(["check", "-r", ".", "--set", MINI, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(r["source"]["name"], r["source"]["path"], r["ready"]) for r in data] == [
        (names[0], "reports/README.md", True), (names[1], "reports/README.md", False)]

    assert run(["check", "-r", ".", "--set", MINI, "--no-color"]) == 1
    text = capsys.readouterr().out
    assert [line for line in text.splitlines() if line.endswith("prompts match)")] == [
        f"{name}  (mini-course, 4/4 prompts match)" for name in names]

    assert run(["check", "-r", ".", "--set", MINI, "--format", "sarif"]) == 1
    (sarif_run,) = json.loads(capsys.readouterr().out)["runs"]
    assert [a["location"]["uri"] for a in sarif_run["artifacts"]] == names
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif_run["results"]] == [
        names[1]]

    # Named from elsewhere, the same reports carry the path given there; the repository path stays the same.
    monkeypatch.chdir(tmp_path / "beta-group")
    assert run(["check", "../alpha-group", ".", "--set", MINI, "--format", "junit"]) == 1
    suites = ET.fromstring(capsys.readouterr().out).findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["../alpha-group/reports/README.md", "reports/README.md"]


def test_sarif_has_every_rule_and_one_located_result_per_finding() -> None:
    result = run_check(make_report({3: None, 1: "forty-two"}))
    run_ = json.loads(renderer("sarif")(result, OPTIONS))["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    assert all(r["help"]["text"].endswith(RULES[r["id"]].fix) for r in rules)
    assert len(run_["results"]) == len(result.findings)
    for item, finding in zip(run_["results"], result.findings, strict=True):
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"] == finding.rule
        location = item["locations"][0]["physicalLocation"]
        assert location == {"artifactLocation": {"uri": "reports/README.md"}, "region": {"startLine": finding.line}}


# JUnit


def test_junit_has_a_testcase_per_question_and_failures_for_errors() -> None:
    result = run_check(make_report({3: None, 4: "Both of us built it together \x1b[31m with care."}))
    root = ET.fromstring(renderer("junit")(result, OPTIONS))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["Question 1: Group number", "Question 2: Student ids",
                                              "Question 3: Pipeline", "Question 4: Contributions"]
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == ["Question 3: Pipeline"]
    assert cases[2].find("failure").get("type") == "unanswered"  # type: ignore[union-attr]
    assert "contribution-ids" in (cases[3].findtext("system-out") or "")
    assert (suite.get("tests"), suite.get("failures"), root.get("failures")) == ("4", "1", "1")


# command line


def test_several_formats_from_one_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "reports" / "README.md"
    report.parent.mkdir()
    report.write_text(make_report({3: None}), encoding="utf-8")
    calls = []
    original = checker.check_path

    def counting(*args: object, **kwargs: object) -> ReportResult:
        calls.append(args)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(checker, "check_path", counting)
    monkeypatch.chdir(tmp_path)  # as in CI: run at the repository root, name the report relative to it
    out = tmp_path / "out"
    args = ["check", "reports/README.md", "--set", MINI]
    for fmt in ("sarif", "junit", "markdown", "json"):
        args += ["--format", fmt, "--output", str(out / f"r.{fmt}")]
    out.mkdir()
    assert run([*args, "--format", "github", "--output", "-"]) == 1
    assert len(calls) == 1
    assert sorted(p.name for p in out.iterdir()) == ["r.json", "r.junit", "r.markdown", "r.sarif"]
    assert json.loads((out / "r.sarif").read_text())["version"] == "2.1.0"
    assert capsys.readouterr().out.startswith("::error file=reports/README.md,line=")


def test_github_format_alone_prints_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "README.md"
    report.write_text(make_report(), encoding="utf-8")
    run(["check", str(report), "--set", MINI, "--format", "github"])
    assert capsys.readouterr().out.splitlines()[-1].startswith("reportcheck: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "json", "--format", "sarif"], "2 --format options need one --output each"),
        (["--format", "json", "--output", "a", "--output", "b"], "1 --format option but 2 --output options"),
        (["--format", "json", "--format", "text", "--output", "a"], "2 --format options but 1 --output option:"),
        (["--format", "json", "--output", "-", "--format", "text", "--output", "-"], "only one --format"),
    ],
)
def test_format_output_pairs_must_match(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                        message: str) -> None:
    assert run(["check", str(tmp_path), *args]) == 2
    assert message in capsys.readouterr().err


def group_repo(folder: Path, config: str, report: str | None = None) -> Path:
    """Write a repository with a report, its figure, the mini question set and a pyproject.toml."""
    (folder / "reports" / "figures").mkdir(parents=True)
    (folder / "reports" / "figures" / "pipe.png").write_bytes(b"png")
    (folder / "reports" / "README.md").write_text(report or make_report(), encoding="utf-8")
    (folder / "course.toml").write_text(Path(MINI).read_text())
    (folder / "pyproject.toml").write_text(f"[tool.reportcheck]\n{config}", encoding="utf-8")
    (folder / ".git").mkdir()
    return folder


WARNED = make_report({4: "Both of us built the model and the API together."})


def test_config_is_used_and_the_command_line_overrides_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    repo = group_repo(tmp_path, 'set = "course.toml"\nstrict = true\n', WARNED)
    assert run(["check", str(repo)]) == 1  # strict from the configuration
    assert run(["check", str(repo), "--no-strict"]) == 0
    monkeypatch.chdir(repo / "reports")
    capsys.readouterr()
    assert run(["check", "--format", "json"]) == 1  # found from a subfolder
    data = json.loads(capsys.readouterr().out)
    assert (data["strict"], data["template"]["id"]) == (True, "mini-course")


@pytest.mark.parametrize("config", ['questions = "course.toml"\n', 'set = "course.toml"\n'])
def test_config_old_name_of_set_still_works(tmp_path: Path, config: str, capsys: pytest.CaptureFixture[str]) -> None:
    repo = group_repo(tmp_path, config)
    assert run(["check", str(repo), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["template"]["id"] == "mini-course"


def test_config_names_the_set_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = group_repo(tmp_path, 'set = "course.toml"\ntemplate = "mini-course"\n')
    assert run(["check", str(repo)]) == 2
    assert "names the question set twice (set, template); keep only `set`" in capsys.readouterr().err


def test_config_path_and_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    repo = group_repo(tmp_path, 'set = "course.toml"\npath = "reports/README.md"\n')
    monkeypatch.chdir(repo)
    assert run(["check", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["template"]["id"], data["source"]["path"]) == ("mini-course", "reports/README.md")
    assert run(["check", "--set", "dtu-mlops-2026"]) == 1  # the command line replaces the question settings
    assert run(["check", "--no-config"]) == 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('templat = "x"\n', "unknown key templat in [tool.reportcheck] (known: path, set, strict)"),
        ('strict = "yes"\n', "[tool.reportcheck] strict must be true or false, not 'yes'"),
        ("path = [1]\n", "[tool.reportcheck] path must be the report's path relative to pyproject.toml"),
        ("strict = \n", "not valid TOML"),
    ],
)
def test_bad_config_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str,
                                           message: str) -> None:
    repo = group_repo(tmp_path, config)
    assert run(["check", str(repo)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        ('set = "dtu-mlops-2099"\n', "unknown question set 'dtu-mlops-2099'; known: dtu-mlops-2023"),
        ('template = "dtu-mlops-2099"\n', "unknown question set 'dtu-mlops-2099'; known: dtu-mlops-2023"),
        ('set = "missing.toml"\n', "{repo}/missing.toml: no such file"),
        ('questions = "missing.toml"\n', "{repo}/missing.toml: no such file"),
    ],
)
def test_unknown_set_in_pyproject_names_the_file_and_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             config: str, problem: str) -> None:
    repo = group_repo(tmp_path / "group", config)
    assert run(["check", str(repo)]) == 2
    err = capsys.readouterr().err
    entry = config.strip().replace('"', "'")
    assert err.startswith(f"reportcheck: {repo}/pyproject.toml: [tool.reportcheck] {entry}: "
                          f"{problem.format(repo=repo)}"), err
    assert err.count("\n") == 1
    # The same mistake on the command line is not blamed on the configuration.
    assert run(["check", str(repo), "--set", "dtu-mlops-2099"]) == 2
    assert capsys.readouterr().err.startswith("reportcheck: unknown question set 'dtu-mlops-2099'")
    # Nor is a set the configuration did not name, once the command line overrides it.
    assert run(["check", str(repo), "--set", MINI]) == 0


def test_check_with_ci_formats_keeps_heavy_imports_out(tmp_path: Path) -> None:
    code = (
        "import sys; from checker.cli import run;"
        "rc = run(['check', sys.argv[1], '--format', 'github', '--format', 'markdown', '--format', 'sarif',"
        " '--format', 'junit', '--output', '-', '--output', sys.argv[2] + '/m', '--output', sys.argv[2] + '/s',"
        " '--output', sys.argv[2] + '/j']);"
        "heavy = [m for m in ('github', 'jsonschema', 'yaml', 'urllib.request', 'checker.comment',"
        " 'checker.action') if m in sys.modules];"
        "print('HEAVY', heavy); sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(ROOT / "examples" / "ready"), str(tmp_path)],
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, check=False)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout
    assert re.search(r"^reportcheck: READY", done.stdout, re.MULTILINE)


# golden files: the exact output of each CI format for one report, reviewed as diffs

GOLDEN = ROOT / "tests" / "formats_golden"
GOLDEN_REPORT = make_report({
    1: "forty-two",
    3: "Nightly | retraining <b>only</b>.\n\n![Pipeline](figures/pipe.png)\n![x](figures/a%0A::error%20x::y.png)",
    4: "Both of us built the model and the API together.",
})


@pytest.mark.parametrize(("fmt", "name"), [("github", "mini.github.txt"), ("markdown", "mini.md"),
                                           ("junit", "mini.junit.xml")])
def test_format_matches_its_golden_file(fmt: str, name: str) -> None:
    text = renderer(fmt)(run_check(GOLDEN_REPORT), OPTIONS)
    if os.environ.get("REPORTCHECK_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        (GOLDEN / name).write_text(text, encoding="utf-8")
    assert text == (GOLDEN / name).read_text(encoding="utf-8")
