"""The command line: exit codes, formats, one clear line for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from checker.cli import run
from checker.resources import load_schema
from tests.conftest import ROOT, make_report

EXAMPLES = ROOT / "examples"


def test_ready_example_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", str(EXAMPLES / "ready")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("READY 31/31 questions pass")


def test_not_ready_example_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", str(EXAMPLES / "not-ready"), "--no-color"]) == 1
    out = capsys.readouterr().out
    assert "Q5   word-count" in out
    assert out.splitlines()[-1] == "NOT PASSED 26/31 questions pass, 5 errors, 2 warnings"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not UTF-8"),
        (b"# Notes\n\nabc\x00def\n", "binary"),
        ("Caf\xe9 au lait ### Question 1".encode("latin-1"), "the first bad byte is at line 1, column 4"),
        (b"# Notes\r\n\r\nok\r\ncaf\xc3\xa9 \xe2\x80\x93 \xff\n", "the first bad byte is at line 4, column 8"),
        (b"\xff\xfe" + "ab\nc\xe9d".encode("utf-16-le") + b"\x00\xd8x\x00", "not valid UTF-16 at line 2, column 4"),
        (b"# Just a readme\n\nNothing to see.\n", "not an exam report"),
    ],
)
def test_unusable_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    target = tmp_path / "README.md"
    if content is not None:
        target.write_bytes(content)
    assert run(["check", str(target)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    target.write_bytes(make_report().encode("utf-16"))
    assert run(["check", str(target), "--set", str(ROOT / "tests/data/mini-course.toml")]) in (0, 1)


def test_json_output_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", str(EXAMPLES / "not-ready"), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, load_schema("result.schema.json"))
    assert data["ready"] is False
    assert data["template"]["id"] == "dtu-mlops-2026"
    assert len(data["questions"]) == 31
    assert {f["rule"] for f in data["findings"]} >= {"word-count", "unanswered", "image-missing"}


def test_set_option_takes_a_file_or_an_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "reports" / "README.md"
    report.parent.mkdir()
    report.write_text(make_report(), encoding="utf-8")
    (tmp_path / "reports" / "figures").mkdir()
    (tmp_path / "reports" / "figures" / "pipe.png").write_bytes(b"png")
    mini = str(ROOT / "tests/data/mini-course.toml")
    assert run(["check", str(tmp_path), "--set", mini]) == 0
    assert run(["check", str(tmp_path), "--set", "no-such-set"]) == 2
    assert "unknown question set 'no-such-set'" in capsys.readouterr().err
    # The old names still work, hidden from the help; naming the set twice is a usage error.
    assert run(["check", str(tmp_path), "--questions", mini]) == 0
    assert run(["check", str(tmp_path), "--template", "no-such-set"]) == 2
    assert run(["check", str(tmp_path), "--set", mini, "--template", "dtu-mlops-2026"]) == 2
    assert "name one question set" in capsys.readouterr().err
    assert run(["check", "--help"]) == 0
    help_text = capsys.readouterr().out
    assert "--set ID|FILE" in help_text
    assert "--template" not in help_text and "--questions" not in help_text


def test_strict_makes_warnings_fail() -> None:
    assert run(["check", str(EXAMPLES / "ready"), "--strict"]) == 1


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    assert run(["check", str(EXAMPLES / "ready"), "--format", "json", "--output", str(out)]) == 0
    assert json.loads(out.read_text())["ready"] is True


def test_run_inside_reports_folder_checks_readme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES / "ready" / "reports")
    assert run(["check"]) == 0


def test_no_color_env(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    run(["check", str(EXAMPLES / "not-ready")])
    assert "\x1b[" not in capsys.readouterr().out


def check_output(env: dict[str, str], *args: str, terminal: bool = False) -> str:
    """Run `check` on the not-ready example in a fresh process, through a pipe or a pseudo-terminal; return stdout."""
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    command = [sys.executable, "-m", "checker", "check", str(EXAMPLES / "not-ready"), *args]
    if not terminal:
        done = subprocess.run(command, capture_output=True, text=True, env={**environment, **env}, check=False,
                              timeout=60)
        assert done.returncode == 1, done.stderr
        return done.stdout
    import pty

    leader, follower = pty.openpty()
    with subprocess.Popen(command, stdout=follower, stderr=subprocess.DEVNULL, env={**environment, **env}) as proc:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # Linux says EIO once the other side is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
    assert proc.returncode == 1
    return b"".join(chunks).decode()


@pytest.mark.parametrize(
    ("env", "args", "colored"),
    [
        ({}, (), False),  # a pipe: click strips colour
        ({"FORCE_COLOR": "1"}, (), True),
        ({"FORCE_COLOR": "1", "NO_COLOR": ""}, (), True),  # NO_COLOR set but empty does not count
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, (), False),
        ({"FORCE_COLOR": ""}, (), False),  # FORCE_COLOR set but empty does not count either
        ({"FORCE_COLOR": "1"}, ("--no-color",), False),
    ],
)
def test_colour_through_a_pipe(env: dict[str, str], args: tuple[str, ...], colored: bool) -> None:
    out = check_output(env, *args)
    assert ("\x1b[31;1mNOT PASSED" in out) is colored, out
    assert ("\x1b[" in out) is colored
    assert "NOT PASSED 26/31 questions pass, 5 errors, 2 warnings" in out


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize(("env", "colored"), [({}, True), ({"NO_COLOR": ""}, True), ({"NO_COLOR": "1"}, False)])
def test_colour_on_a_terminal(env: dict[str, str], colored: bool) -> None:
    out = check_output(env, terminal=True)
    assert "NOT PASSED 26/31" in out
    assert ("\x1b[" in out) is colored, out


def test_sets_list_shows_shipped_sets(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sets", "list"]) == 0
    out = capsys.readouterr().out
    for year in (2023, 2024, 2025, 2026):
        assert f"dtu-mlops-{year}" in out
    # `templates` and `spec` are the old names, hidden from the help.
    assert run(["templates"]) == 0
    assert capsys.readouterr().out == out
    assert run(["spec", "diff", "dtu-mlops-2025", "dtu-mlops-2025"]) == 0
    capsys.readouterr()
    assert run(["--help"]) == 0
    commands = capsys.readouterr().out.split("Commands:")[1].split()
    assert "sets" in commands and "spec" not in commands and "templates" not in commands


def test_console_script_in_a_fresh_process_keeps_heavy_imports_out() -> None:
    code = (
        "import sys; from checker.cli import run; rc = run(['check', sys.argv[1]]);"
        "heavy = [m for m in ('github', 'jsonschema', 'yaml', 'markdown', 'nh3', 'requests', 'multiprocessing')"
        " if m in sys.modules];"
        "print('HEAVY', heavy); sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(EXAMPLES / "ready")], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, check=False)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout


def test_max_bytes_rejects_before_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "README.md"
    target.write_bytes(make_report().encode().ljust(2000))
    assert run(["check", str(target), "--max-bytes", "1000"]) == 2
    assert capsys.readouterr().err == f"reportcheck: {target}: 2.0 KB is over the limit of 1000 bytes (--max-bytes)\n"


def test_size_limit_is_said_in_megabytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "README.md"
    with target.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(52_458_512)
    assert run(["check", str(target)]) == 2
    assert capsys.readouterr().err == f"reportcheck: {target}: 50.0 MB is over the limit of 25 MB (--max-bytes)\n"
    with target.open("wb") as handle:
        handle.truncate(25 * 1024 * 1024 + 1)
    assert run(["check", str(target)]) == 2
    assert "25.0 MB (26214401 bytes) is over the limit of 25 MB" in capsys.readouterr().err


def special_files(folder: Path) -> dict[str, Path]:
    """Make a repository per kind of file that is not a report: a FIFO, a link to itself, a device."""
    made = {}
    for kind in ("fifo", "loop", "device"):
        report = folder / kind / "reports" / "README.md"
        report.parent.mkdir(parents=True)
        if kind == "fifo":
            os.mkfifo(report)
        elif kind == "loop":
            report.symlink_to("README.md")
        else:
            report.symlink_to(os.devnull)
        # A pipe among the other markdown files is never opened while the report is looked for.
        os.mkfifo(folder / kind / "notes.md")
        made[kind] = report
    return made


SPECIAL = {
    "fifo": "is a named pipe (FIFO), not a report file",
    "loop": "is a symbolic link that leads back to itself (a loop), not a report file",
    "device": "is a device, not a report file",
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("how", ["folder", "file", "recursive"])
def test_a_fifo_or_a_link_loop_is_one_line_and_exit_2_never_a_hang(tmp_path: Path, how: str) -> None:
    # A fresh process with a timeout: a hang fails this test instead of stopping the suite.
    for kind, report in special_files(tmp_path).items():
        target = {"folder": report.parents[1], "file": report, "recursive": tmp_path / kind}[how]
        args = ["-r", str(target)] if how == "recursive" else [str(target)]
        done = subprocess.run([sys.executable, "-m", "checker", "check", *args], capture_output=True, text=True,
                              timeout=60, check=False, env={**os.environ, "NO_COLOR": "1"})
        assert (done.returncode, done.stdout) == (2, ""), (kind, done.stderr)
        assert done.stderr == f"reportcheck: {report}: {SPECIAL[kind]}\n"


def test_warn_only_prints_the_findings_and_exits_0_unless_a_report_cannot_be_read(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", str(EXAMPLES / "not-ready"), "--warn-only", "--no-color"]) == 0
    out = capsys.readouterr().out
    assert "Q5   word-count" in out
    assert out.splitlines()[-1] == "NOT PASSED 26/31 questions pass, 5 errors, 2 warnings"
    assert run(["check", str(EXAMPLES / "not-ready"), "/no/such/report.md", "--warn-only"]) == 2


def test_several_paths_worst_exit_code_wins(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", str(EXAMPLES / "ready"), str(EXAMPLES / "not-ready")]) == 1
    assert run(["check", str(EXAMPLES / "ready"), "/no/such/report.md"]) == 2
    out = capsys.readouterr().out
    assert "READY 31/31" in out


def test_recursive_and_jobs_give_the_same_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for index in range(5):
        report = tmp_path / f"group_{index}" / "reports" / "README.md"
        report.parent.mkdir(parents=True)
        report.write_text(make_report({1: str(index)}), encoding="utf-8")
    (tmp_path / "group_2" / "reports" / "README.md").write_bytes(b"\xff\xfe\xfa broken")
    mini = str(ROOT / "tests/data/mini-course.toml")
    outputs = []
    for jobs in ("1", "2"):
        code = run(["check", "-r", str(tmp_path), "--jobs", jobs, "--set", mini, "--format", "json"])
        assert code == 2  # one report cannot be read; the other four are still reported
        captured = capsys.readouterr()
        assert "group_2" in captured.err
        outputs.append(json.loads(captured.out))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 4
    assert [r["questions"][0]["words"] for r in outputs[0]] == [1, 1, 1, 1]


def test_broken_questions_file_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "set.toml"
    bad.write_text('schema_version = 1\nid = "x"\ntitle = "x"\n[[questions]]\nnumber = 1\ntitle = "a"\n'
                   "words = [200, 100]\n", encoding="utf-8")
    assert run(["check", str(EXAMPLES / "ready"), "--set", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "minimum 200 is above the maximum 100" in err
    assert len(err.strip().splitlines()) == 1
