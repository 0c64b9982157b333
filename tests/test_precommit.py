"""pre-commit for real: the shipped hook's id, file pattern and entry, run by pre-commit in a temporary git repository.

The hook is taken from .pre-commit-hooks.yaml and declared as a `repo: local` hook with `language: system`
calling this interpreter, so pre-commit needs no network to build its environment.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, make_report


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run pre-commit in the repository with a private cache folder."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--color", "never", *args], cwd=repo,
                          env=env, capture_output=True, text=True, check=False, timeout=300)


def git(repo: Path, *args: str) -> None:
    """Run git quietly in the repository."""
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def make_repo(folder: Path, **options: object) -> Path:
    """Write a git repository with a not-ready report and the hook configured with these options (e.g. args)."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = shlex.split(hook["entry"])
    assert entry[0] == "reportcheck"
    local = {key: hook[key] for key in ("id", "name", "files", "pass_filenames")}
    local.update(language="system", entry=shlex.join([sys.executable, "-m", "checker", *entry[1:]]), **options)
    (folder / "reports" / "figures").mkdir(parents=True)
    (folder / "src").mkdir()
    (folder / "docs").mkdir()
    (folder / "src" / "model.py").write_text("MODEL = 1\n")
    (folder / "docs" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "reports" / "figures" / "pipe.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "reports" / "README.md").write_text(make_report({3: None}), encoding="utf-8")
    (folder / "course.toml").write_text((ROOT / "tests" / "data" / "mini-course.toml").read_text())
    (folder / "pyproject.toml").write_text('[tool.reportcheck]\nset = "course.toml"\n')
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (folder / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Return a git repository with a not-ready report and the hook configured as shipped."""
    return make_repo(tmp_path / "group")


def test_hook_fails_on_a_not_ready_report_and_passes_once_fixed(repo: Path) -> None:
    done = pre_commit(repo, "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    assert "NOT PASSED 3/4 questions pass" in done.stdout
    assert "Q3   unanswered" in done.stdout

    (repo / "reports" / "README.md").write_text(make_report(), encoding="utf-8")
    git(repo, "add", "-A")
    done = pre_commit(repo, "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_hook_runs_for_a_changed_figure_and_not_for_other_files(repo: Path) -> None:
    figure = pre_commit(repo, "--files", "reports/figures/pipe.png")
    assert figure.returncode == 1
    assert "NOT PASSED" in figure.stdout
    for unrelated in ("src/model.py", "docs/logo.png"):  # an image outside the report's folder is not a figure of it
        other = pre_commit(repo, "--files", unrelated)
        assert other.returncode == 0, other.stdout
        assert "Skipped" in other.stdout
        assert "NOT PASSED" not in other.stdout


def test_warn_only_hook_lets_the_commit_through_and_prints_the_findings(tmp_path: Path) -> None:
    folder = make_repo(tmp_path / "group", args=["--warn-only"], verbose=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=folder, env=env, check=True,
                   capture_output=True)
    done = subprocess.run(["git", "-c", "user.name=Group", "-c", "user.email=group@example.org", "commit", "-m",
                           "Draft of the report"], cwd=folder, env=env, capture_output=True, text=True, check=False,
                          timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "reportcheck (exam report)" in output and "Passed" in output
    assert "Q3   unanswered" in output
    assert "NOT PASSED 3/4 questions pass, 1 error, 0 warnings" in output
    log = subprocess.run(["git", "-C", str(folder), "log", "--format=%s"], capture_output=True, text=True,
                         check=True)
    assert log.stdout == "Draft of the report\n"


def test_hook_stops_a_commit_whose_figure_is_only_on_disk(repo: Path) -> None:
    (repo / "reports" / "README.md").write_text(make_report(), encoding="utf-8")
    git(repo, "add", "reports/README.md")
    git(repo, "rm", "-q", "--cached", "reports/figures/pipe.png")
    done = pre_commit(repo, "--files", "reports/README.md")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "`figures/pipe.png` is on disk but git does not track it" in done.stdout
    git(repo, "add", "reports/figures/pipe.png")
    done = pre_commit(repo, "--files", "reports/README.md")
    assert done.returncode == 0, done.stdout + done.stderr
