"""A plain `reportcheck check [PATH]...` runs without click and says exactly what the click command says."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.cli import run
from checker.command import is_plain_check, plain_check
from tests.conftest import ROOT, make_report

EXAMPLES = ROOT / "examples"
MINI = ROOT / "tests" / "data" / "mini-course.toml"


def group(folder: Path, config: str, report: str | None = None) -> Path:
    """Lay out a repository with the mini question set and this [tool.reportcheck] table."""
    (folder / "reports" / "figures").mkdir(parents=True)
    (folder / "reports" / "figures" / "pipe.png").write_bytes(b"png")
    (folder / "reports" / "README.md").write_text(report or make_report(), encoding="utf-8")
    shutil.copy(MINI, folder / "course.toml")
    (folder / "pyproject.toml").write_text(f"[tool.reportcheck]\n{config}", encoding="utf-8")
    (folder / ".git").mkdir()
    return folder


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--no-color"],
        ["check", "examples/ready", "--strict"],
        ["check", "-r", "examples"],
        ["check", "--", "examples/ready"],
        ["check-all"],
        ["templates"],
        [],
    ],
)
def test_anything_with_an_option_goes_to_click(argv: list[str]) -> None:
    assert not is_plain_check(argv)


def test_check_with_paths_only_is_plain() -> None:
    assert is_plain_check(["check"]) == (os.name != "nt")
    assert is_plain_check(["check", "examples/ready", "reports/README.md"]) == (os.name != "nt")


def outputs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cwd: Path,
            paths: list[str]) -> list[tuple[int, str, str]]:
    """Run the same paths through the plain path and through click; return (exit code, stdout, stderr) of each."""
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    plain = plain_check(paths)
    plain_out, plain_err = capsys.readouterr()
    clicked = run(["check", *paths])
    click_out, click_err = capsys.readouterr()
    return [(plain, plain_out, plain_err), (clicked, click_out, click_err)]


@pytest.mark.parametrize(
    ("where", "paths", "status"),
    [
        ("", ["examples/ready"], 0),
        ("", ["examples/not-ready"], 1),
        ("", ["examples/ready", "examples/not-ready"], 1),
        ("", ["examples/ready", "no/such/report.md"], 2),
        ("", ["no/such/report.md"], 2),
        ("examples/ready", [], 0),
        ("examples/not-ready/reports", [], 1),
    ],
)
def test_plain_check_says_what_click_says(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                          where: str, paths: list[str], status: int) -> None:
    plain, clicked = outputs(monkeypatch, capsys, ROOT / where, paths)
    assert plain == clicked
    assert plain[0] == status
    assert plain[1] or plain[2]


@pytest.mark.parametrize(
    ("config", "status", "message"),
    [
        ('set = "course.toml"\n', 0, "READY 4/4"),
        ('set = "course.toml"\nstrict = true\n', 1, "NOT PASSED 4/4"),
        ("stict = true\n", 2, "unknown key stict"),
    ],
)
def test_plain_check_applies_the_configuration_as_click_does(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, config: str,
        status: int, message: str) -> None:
    repo = group(tmp_path, config, make_report({4: "Both of us built the model and the API together."}))
    plain, clicked = outputs(monkeypatch, capsys, repo, [])
    assert plain == clicked
    assert plain[0] == status
    assert message in plain[1] + plain[2]


def _fresh_check(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter, with the not-ready example as its argument."""
    return subprocess.run([sys.executable, "-c", code, str(EXAMPLES / "not-ready")], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, check=False)


def test_plain_check_in_a_fresh_process_loads_no_click_openssl_or_zipfile() -> None:
    # Only modules the check loads count: the interpreter's own start-up hooks may have loaded some already.
    code = ("import sys; before = set(sys.modules); from checker.command import entry\n"
            "sys.argv = ['reportcheck', 'check', sys.argv[1]]\n"
            "try:\n    entry()\nexcept SystemExit as exc:\n"
            "    loaded = set(sys.modules) - before\n"
            "    print('LOADED', sorted({'click', '_hashlib', 'zipfile', 'jsonschema'} & loaded))\n"
            "    sys.exit(exc.code)")
    done = _fresh_check(code)
    assert done.returncode == 1, done.stderr
    assert "NOT PASSED 26/31" in done.stdout
    assert ("LOADED []" if os.name != "nt" else "LOADED ['click']") in done.stdout


def test_the_console_script_loads_only_errors_and_checks_with_the_collector_off() -> None:
    # The console script imports checker.command first; entry() turns the collector off before anything heavy.
    code = ("import gc, sys; from checker.command import entry\n"
            "print(sorted(m for m in sys.modules if m.startswith(('checker', 'markdown_it'))))\n"
            "import markdown_it.main\n"
            "seen = []\n"
            "real = markdown_it.main.MarkdownIt.__init__\n"
            "def spy(self, *a, **k):\n    seen.append(gc.isenabled()); real(self, *a, **k)\n"
            "markdown_it.main.MarkdownIt.__init__ = spy\n"
            "sys.argv = ['reportcheck', 'check', sys.argv[1]]\n"
            "try:\n    entry()\nexcept SystemExit:\n    print('COLLECTOR ON WHEN PARSING', seen)\n")
    done = _fresh_check(code)
    lines = done.stdout.splitlines()
    assert lines[0] == "['checker', 'checker.command', 'checker.errors']", done.stderr
    assert lines[-1] == "COLLECTOR ON WHEN PARSING [False]"
