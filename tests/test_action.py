"""The GitHub Action: its metadata is valid, and its own steps, run as the runner runs them, do what it promises."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest

from checker.action import read_inputs, run
from checker.config import ConfigError
from tests.conftest import ROOT, make_report
from tests.fakegithub import serve
from tests.ghrunner import Runner, load_action, parse_file_commands

MINI_TOML = ROOT / "tests" / "data" / "mini-course.toml"


def make_repo(folder: Path, report: str, *, config: str = 'set = "course.toml"\n') -> Path:
    """Lay out a group's repository: the report, its figure, the question set and pyproject.toml."""
    figures = folder / "reports" / "figures"
    figures.mkdir(parents=True)
    (figures / "pipe.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "reports" / "README.md").write_text(report, encoding="utf-8")
    shutil.copy(MINI_TOML, folder / "course.toml")
    (folder / "pyproject.toml").write_text(f'[project]\nname = "group-7"\n\n[tool.reportcheck]\n{config}',
                                           encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    return folder


@pytest.fixture
def runner(tmp_path: Path) -> Runner:
    """Return a runner for a fresh workspace (fill it with make_repo) and a temp folder.

    The runner's venv is made here with the test interpreter's packages visible, standing in for a runner
    with network access: the action's install step then only builds and installs this checkout, offline.
    """
    temp = tmp_path / "runner-temp"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(temp / "reportcheck-venv")], check=True)
    return Runner(tmp_path / "workspace", temp, {"PIP_NO_BUILD_ISOLATION": "0", "PIP_NO_INDEX": "1"},
                  cache=tmp_path / "github-cache")


def test_action_yml_validates_against_the_github_actions_schema() -> None:
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "github-actions.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(load_action())


def test_action_declares_the_promised_interface() -> None:
    action = load_action()
    assert set(action["inputs"]) == {"path", "set", "template", "strict", "fail-on", "summary", "annotations",
                                     "sarif-file", "comment", "classroom-points", "token", "badge-file"}
    assert set(action["outputs"]) == {"ready", "passed", "total", "errors", "warnings", "result-file"}
    assert action["runs"]["using"] == "composite"
    assert action["branding"] == {"icon": "check-square", "color": "green"}
    # actions/cache@v4 runs on Node 20, which runners retire; v6 is the current major (Node 24).
    assert [step["uses"] for step in action["runs"]["steps"] if "uses" in step] == [
        "actions/cache/restore@v6", "actions/cache/save@v6"]


def test_every_python_the_action_starts_runs_isolated() -> None:
    scripts = [step["run"] for step in load_action()["runs"]["steps"] if "run" in step]
    # A Python in command position: at a line's start, or after `then`, `;`, `&&` or a `case` pattern's `)`.
    command = re.compile(r'(?:^|then|[;&)])\s*("\$\w*PYTHON"|"\$\(command -v python3 \|\| command -v python\)")'
                         r"\s+(\S+)", re.MULTILINE)
    starts = [match for script in scripts for match in command.finditer(script)]
    assert len(starts) == 6, [m.group(0) for m in starts]
    assert all(match.group(2) == "-I" for match in starts), [m.group(0) for m in starts]


def test_pre_commit_manifest_validates_and_matches_report_and_figures() -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "reportcheck"
    files = re.compile(hook["files"])
    for path in ("reports/README.md", "reports/figures/arch.PNG", "reports/loss.jpeg", "pyproject.toml"):
        assert files.search(path), path
    for path in ("README.md", "src/model.py", "reports/notes.md", "figures/loss.jpeg", "docs/logo.png",
                 "src/pyproject.toml"):
        assert not files.search(path), path


def test_ready_report(runner: Runner) -> None:
    make_repo(runner.workspace, make_report())
    done = runner.run()
    assert done.returncode == 0, done.log
    assert done.skipped == []
    assert done.outputs == {"ready": "true", "passed": "4", "total": "4", "errors": "0", "warnings": "0",
                            "result-file": str(runner.temp / "reportcheck" / "result.json")}
    assert json.loads(Path(done.outputs["result-file"]).read_text())["ready"] is True
    assert "### ✅ READY 4/4 questions pass" in done.summary
    assert "<details><summary>4 questions pass</summary>" in done.summary
    assert "::error" not in done.log
    # The step ran the package the install step built into the runner's venv, not this checkout.
    assert list((runner.temp / "reportcheck-venv").glob("lib/python*/site-packages/checker/action.py"))


def environment_script() -> ModuleType:
    """Load action/environment.py, the script the action runs before reportcheck is installed."""
    spec = importlib.util.spec_from_file_location("reportcheck_action_environment", ROOT / "action" / "environment.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_warm_cache_restores_the_environment_and_installs_nothing(runner: Runner) -> None:
    make_repo(runner.workspace, make_report({3: None}))
    cold = runner.run()
    assert cold.returncode == 1, cold.log
    # Saved although the job failed (the report is not ready): the next push finds it.
    (key,) = [path.name for path in (runner.temp.parent / "github-cache").iterdir()]
    assert key == cold.steps["env"]["key"]
    assert key.startswith("reportcheck-venv-")
    shutil.rmtree(runner.temp)  # the next job starts on a fresh runner, at the same place
    warm = runner.run()
    assert warm.steps["cache"] == {"cache-hit": "true", "cache-primary-key": key, "cache-matched-key": key}
    assert [name for name, _ in warm.seconds] == ["Plan reportcheck's environment", "Restore reportcheck's environment",
                                                  "Check the report"]
    assert (warm.returncode, warm.outputs) == (cold.returncode, {**cold.outputs})


def test_the_cache_key_follows_the_action_files_and_the_python(tmp_path: Path) -> None:
    digest = environment_script().digest
    venv = tmp_path / "venv"
    copy = tmp_path / "action"
    copy.mkdir()
    for name in ("pyproject.toml", "hatch_build.py", "checker", "questions", "schemas"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    first = digest(copy, "/usr/bin/python3", venv)
    assert digest(copy, "/usr/bin/python3", venv) == first
    (copy / "docs.md").write_text("not part of the package")
    assert digest(copy, "/usr/bin/python3", venv) == first
    assert digest(copy, "/opt/python3.12/bin/python3", venv) != first
    assert digest(copy, "/usr/bin/python3", tmp_path / "elsewhere") != first
    (copy / "questions" / "dtu-mlops-2026.toml").write_text("changed", encoding="utf-8")
    assert digest(copy, "/usr/bin/python3", venv) != first


@pytest.mark.parametrize(("example", "status", "passed"), [("ready", 0, "31"), ("not-ready", 1, "26")])
def test_action_on_the_shipped_examples(runner: Runner, example: str, status: int, passed: str) -> None:
    shutil.copytree(ROOT / "examples" / example, runner.workspace)
    subprocess.run(["git", "init", "-q", str(runner.workspace)], check=True)
    done = runner.run()
    assert done.returncode == status, done.log
    assert (done.outputs["passed"], done.outputs["total"]) == (passed, "31")
    result = json.loads(Path(done.outputs["result-file"]).read_text())
    assert result["template"]["id"] == "dtu-mlops-2026"


def matched(log: str) -> list[dict[str, str]]:
    """Do what the runner does with the log: apply each registered problem matcher to the lines that follow it."""
    found: list[dict[str, str]] = []
    active: dict[str, dict[str, object]] = {}
    for line in log.splitlines():
        if line.startswith("::add-matcher::"):
            for matcher in json.loads(Path(line.removeprefix("::add-matcher::")).read_text())["problemMatcher"]:
                active[matcher["owner"]] = matcher["pattern"][0]
        elif line.startswith("::remove-matcher owner="):
            active.pop(line.removeprefix("::remove-matcher owner=").removesuffix("::"))
        else:
            for pattern in active.values():
                hit = re.match(str(pattern["regexp"]), line)
                if hit:
                    found.append({key: hit.group(int(str(group))) for key, group in pattern.items()
                                  if key != "regexp"})
    return found


def test_not_ready_report_fails_with_annotations_summary_sarif_and_points(runner: Runner) -> None:
    make_repo(runner.workspace, make_report({3: None, 1: "forty-two"}))
    done = runner.run({"sarif-file": "out/reportcheck.sarif", "classroom-points": "true"})
    assert done.returncode == 1
    assert done.outputs["ready"] == "false"
    assert (done.outputs["passed"], done.outputs["total"], done.outputs["errors"]) == ("2", "4", "2")
    lines = done.log.splitlines()
    assert [(a["file"], a["severity"], a["code"]) for a in matched(done.log)] == [
        ("reports/README.md", "error", "group-number"), ("reports/README.md", "error", "unanswered")]
    assert "::notice title=Autograding complete::Points 2/4" in lines
    assert '::notice title=Autograding report::{"totalPoints":2,"maxPoints":4}' in lines
    assert lines[-1] == "reportcheck: NOT PASSED 2/4 questions pass, 2 errors, 0 warnings"
    assert done.summary.splitlines()[2] == "### ❌ NOT PASSED 2/4 questions pass, 2 errors, 0 warnings"
    assert "| 3. Pipeline | 📝 unanswered |" in done.summary
    sarif = json.loads((runner.workspace / "out" / "reportcheck.sarif").read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"unanswered", "group-number"}


def test_fail_on_never_passes_a_not_ready_report(runner: Runner) -> None:
    make_repo(runner.workspace, make_report({3: None}))
    done = runner.run({"fail-on": "never", "annotations": "false", "summary": "false"})
    assert done.returncode == 0, done.log
    assert done.outputs["ready"] == "false"
    assert done.outputs["errors"] == "1"
    assert done.summary == ""
    assert "::error" not in done.log
    assert "reportcheck: NOT PASSED 3/4 questions pass, 1 error, 0 warnings" in done.log


def test_comment_on_a_pull_request_through_the_action(runner: Runner, tmp_path: Path) -> None:
    make_repo(runner.workspace, make_report({3: None}))
    payload = {"pull_request": {"number": 5, "base": {"repo": {"full_name": "course/group-7"}},
                                "head": {"repo": {"full_name": "course/group-7"}}}}
    (tmp_path / "event.json").write_text(json.dumps(payload))
    with serve() as fake:
        runner.extra_env.update({"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(tmp_path / "event.json"),
                                 "GITHUB_API_URL": fake.url})
        done = runner.run({"comment": "true", "fail-on": "never"})
    assert done.returncode == 0, done.log
    assert "::notice title=reportcheck comment::comment created" in done.log
    assert len(fake.comments) == 1
    assert "| 3. Pipeline | 📝 unanswered |" in fake.comments[0]["body"]
    assert {auth for _, _, auth in fake.requests} == {"Bearer test-token"}


# The check step in-process, for the cases that need no install.

def step(workspace: Path, tmp_path: Path, **inputs: str) -> tuple[int, str, dict[str, str], str]:
    """Run checker.action in-process; return (status, log, outputs, summary)."""
    output, summary = tmp_path / "output", tmp_path / "summary"
    output.write_text("")
    summary.write_text("")
    env = {"GITHUB_WORKSPACE": str(workspace), "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(output),
           "GITHUB_STEP_SUMMARY": str(summary), "REPORTCHECK_MATCHER": str(ROOT / "action" / "problem-matcher.json")}
    env.update({f"INPUT_{name.upper()}": value for name, value in inputs.items()})
    log = io.StringIO()
    status = run(env, log)
    return status, log.getvalue(), parse_file_commands(output.read_text()), summary.read_text()


def test_fail_on_warning(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", make_report({4: "Both of us built the model and the API together."}))
    assert step(repo, tmp_path)[0] == 0
    status, log, outputs, _ = step(repo, tmp_path, fail_on="warning")
    assert status == 1
    assert outputs["warnings"] == "1"
    assert [(a["file"], a["severity"], a["code"]) for a in matched(log)] == [
        ("reports/README.md", "warning", "contribution-ids")]


def test_strict_input_and_config(tmp_path: Path) -> None:
    warned = make_report({4: "Both of us built the model and the API together."})
    assert step(make_repo(tmp_path / "a", warned), tmp_path, strict="true")[0] == 1
    strict_repo = make_repo(tmp_path / "b", warned, config='set = "course.toml"\nstrict = true\n')
    assert step(strict_repo, tmp_path)[0] == 1


def test_missing_report_counts_as_one_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", make_report())
    status, log, outputs, summary = step(repo, tmp_path, path="report/README.md")
    assert status == 1
    assert outputs == {"ready": "false", "passed": "0", "total": "0", "errors": "1", "warnings": "0",
                       "result-file": ""}
    assert log.startswith("::error title=reportcheck could not check the report::")
    assert "Could not check the report" in summary
    assert step(repo, tmp_path, path="report/README.md", fail_on="never")[0] == 0


def test_configured_path_is_used(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", make_report({3: None}),
                     config='set = "course.toml"\npath = "docs/report.md"\n')
    (repo / "docs").mkdir()
    moved = make_report({3: "We retrain every night and serve the model behind an API.\n\n"
                            "![Pipeline](../reports/figures/pipe.png)"})
    (repo / "docs" / "report.md").write_text(moved, encoding="utf-8")
    status, log, outputs, _ = step(repo, tmp_path)
    assert status == 0
    assert "::error" not in log
    assert [(a["file"], a["line"], a["code"]) for a in matched(log)] == [("docs/report.md", "1", "report-location")]
    assert outputs["passed"] == "4"
    # An explicit path input wins over the configuration.
    assert step(repo, tmp_path, path="./reports/README.md")[2]["passed"] == "3"


@pytest.mark.parametrize(
    ("inputs", "config", "message"),
    [
        ({"fail_on": "sometimes"}, "", "input fail-on must be error, warning or never, not 'sometimes'"),
        ({"summary": "yes"}, "", "input summary must be true or false, not 'yes'"),
        ({}, 'paht = "x.md"\n', "unknown key paht in [tool.reportcheck] (known: path, set, strict)"),
        ({}, "strict = 1\n", "[tool.reportcheck] strict must be true or false, not 1"),
    ],
)
def test_bad_configuration_always_fails(tmp_path: Path, inputs: dict[str, str], config: str, message: str) -> None:
    repo = make_repo(tmp_path / "repo", make_report(), config=f'set = "course.toml"\n{config}')
    status, log, _, _ = step(repo, tmp_path, **{"fail_on": "never", **inputs})
    assert status == 2
    assert log.count("\n") == 1
    assert log.startswith("::error title=reportcheck configuration::")
    assert message in log


def test_read_inputs_defaults() -> None:
    inputs = read_inputs({"INPUT_PATH": "reports/README.md", "INPUT_SET": "auto", "INPUT_STRICT": "false"})
    assert (inputs.path, inputs.question_set, inputs.strict, inputs.fail_on) == (None, None, None, "error")
    # `template`, the old name of `set`, is read while `set` is left at its default.
    assert read_inputs({"INPUT_SET": "auto", "INPUT_TEMPLATE": "dtu-mlops-2025"}).question_set == "dtu-mlops-2025"
    assert read_inputs({"INPUT_SET": "dtu-mlops-2026", "INPUT_TEMPLATE": "x"}).question_set == "dtu-mlops-2026"
    assert inputs.summary and inputs.annotations and not inputs.comment and not inputs.classroom_points
    with pytest.raises(ConfigError):
        read_inputs({"INPUT_COMMENT": "maybe"})



# Sound where the runner is strict.

EXTRA = "".join(f"\n### Question {n}\n\n> **An extra prompt {n}?**\n>\n> Answer:\n\nSome words here.\n"
                for n in range(5, 5 + 7900))


def test_summary_is_cut_by_bytes_at_a_line_boundary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.action

    repo = make_repo(tmp_path / "repo", make_report(tail=EXTRA))
    monkeypatch.setattr(checker.action, "SUMMARY_LIMIT", 10 ** 9)
    (tmp_path / "uncut").mkdir()
    (tmp_path / "cut").mkdir()
    full = step(repo, tmp_path / "uncut")[3]
    # Under 1 MiB in characters (so a cut by characters keeps it all) but over it in bytes: GitHub drops it.
    assert len(full) < 1024 * 1024 - 1024 < 1024 * 1024 < len(full.encode("utf-8"))
    monkeypatch.undo()
    cut = step(repo, tmp_path / "cut")[3]
    assert len(cut.encode("utf-8")) <= 1024 * 1024
    kept, note = cut.split("\n**The summary was cut here: ")
    assert full.startswith(kept)
    assert kept.endswith("\n")
    left, size = full.count("\n") - kept.count("\n"), len(full.encode()) - len(kept.encode())
    assert note == (f"{left} more lines ({size:,} bytes) would pass GitHub's 1 MiB limit. `reportcheck check` and "
                    "the result file list everything.**\n")


@pytest.mark.parametrize("limit", [400, 401, 411, 1000])
def test_cut_summary_counts_bytes_and_keeps_whole_lines(limit: int) -> None:
    from checker.action import cut_summary

    text = "".join(f"| ✅ {n:03} |\n" for n in range(100))  # 13 bytes a line, 11 characters
    assert cut_summary(text, len(text.encode())) == text
    cut = cut_summary(text, limit)
    assert len(cut.encode()) <= limit < len(cut.encode()) + 13 + 2
    kept, note = cut.split("\n\n**The summary was cut here: ")
    assert text.startswith(kept + "\n")
    lines_left, bytes_left = 100 - kept.count("\n") - 1, len(text.encode()) - len(kept.encode()) - 1
    assert note.startswith(f"{lines_left} more lines ({bytes_left:,} bytes)")


def test_a_checker_package_in_the_workspace_does_not_replace_ours(runner: Runner) -> None:
    make_repo(runner.workspace, make_report({3: None}))
    # A group's own package called `checker`, with an `action` module that passes without checking anything.
    hijack = runner.workspace / "checker"
    hijack.mkdir()
    (hijack / "__init__.py").write_text("")
    (hijack / "action.py").write_text("import pathlib, sys\npathlib.Path(sys.argv[0]).with_name('HIJACKED')"
                                      ".touch()\nprint('all good')\n")
    runner.extra_env["PYTHONPATH"] = str(runner.workspace)
    done = runner.run()
    assert done.returncode == 1, done.log
    assert done.outputs["ready"] == "false"
    assert "reportcheck: NOT PASSED 3/4 questions pass, 1 error, 0 warnings" in done.log
    assert not list(runner.workspace.rglob("HIJACKED"))
    # Without -I the same interpreter in the same place runs the group's module: the test above can fail.
    python = done.steps["env"]["python"]
    plain = subprocess.run([python, "-m", "checker.action"], cwd=runner.workspace, capture_output=True, text=True,
                           check=False)
    assert plain.stdout == "all good\n"
    assert list(runner.workspace.rglob("HIJACKED"))
