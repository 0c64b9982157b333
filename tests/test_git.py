"""Figures as GitHub will see them, and `check` from anywhere in the repository, in real git repositories."""

from __future__ import annotations

import os
import posixpath
import subprocess
from pathlib import Path

import pytest

from checker import check_path
from checker.cli import run
from checker.files import GitFiles, git_index
from checker.model import ReportResult
from tests.conftest import MINI, ROOT, make_report


def git(repo: Path, *args: str) -> str:
    """Run git in the repository with no user or system configuration, and return its output."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=repo,
                          env=env, check=True, capture_output=True, text=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Return a git repository whose report (committed) links `figures/pipe.png`, which is not on disk yet."""
    folder = tmp_path / "group"
    (folder / "reports" / "figures").mkdir(parents=True)
    (folder / "src").mkdir()
    (folder / "src" / "train.py").write_text("EPOCHS = 3\n")
    (folder / "reports" / "README.md").write_text(make_report(), encoding="utf-8")
    (folder / "course.toml").write_text((ROOT / "tests" / "data" / "mini-course.toml").read_text())
    (folder / "pyproject.toml").write_text('[tool.reportcheck]\nset = "course.toml"\n')
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "report")
    return folder


def figure(repo: Path, relative: str = "reports/figures/pipe.png") -> Path:
    path = repo / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    return path


def missing(result: ReportResult) -> list[tuple[str, str]]:
    return [(f.message, f.hint) for f in result.findings if f.rule == "image-missing"]


def test_committed_figure_is_present(repo: Path) -> None:
    figure(repo)
    git(repo, "add", "reports/figures/pipe.png")
    git(repo, "commit", "-q", "-m", "figure")
    result = check_path(repo, question_set=MINI)
    assert missing(result) == []
    assert result.files_note is None
    assert result.ready


def test_staged_figure_is_present_as_a_pre_commit_hook_sees_it(repo: Path) -> None:
    figure(repo)
    git(repo, "add", "reports/figures/pipe.png")
    assert missing(check_path(repo, question_set=MINI)) == []
    # Staged, then deleted from disk without staging the deletion: the commit still carries it.
    (repo / "reports" / "figures" / "pipe.png").unlink()
    assert missing(check_path(repo, question_set=MINI)) == []


def test_untracked_figure_is_missing_with_a_git_add_hint(repo: Path) -> None:
    figure(repo)
    result = check_path(repo, question_set=MINI)
    assert missing(result) == [("`figures/pipe.png` is on disk but git does not track it, so GitHub will not show it",
                                "Run `git add reports/figures/pipe.png` and commit it.")]
    assert not result.ready


def test_git_add_hint_quotes_a_path_with_spaces(repo: Path) -> None:
    (repo / "reports" / "README.md").write_text(make_report({3: GOOD_3_SPACED}), encoding="utf-8")
    git(repo, "add", "reports/README.md")
    figure(repo, "reports/figures/my pipe.png")
    ((_, hint),) = missing(check_path(repo, question_set=MINI))
    assert hint == "Run `git add 'reports/figures/my pipe.png'` and commit it."


GOOD_3_SPACED = "Every night we retrain the model and publish it.\n\n![Pipeline](<figures/my pipe.png>)"


def test_ignored_figure_is_missing_and_names_the_ignore_rule(repo: Path) -> None:
    (repo / ".gitignore").write_text("# build output\n*.png\n")
    figure(repo)
    ((message, hint),) = missing(check_path(repo, question_set=MINI))
    assert message == ("`figures/pipe.png` is on disk but ignored by git (`.gitignore:2:*.png`), "
                       "so GitHub will not show it")
    assert hint == "Run `git add -f reports/figures/pipe.png` and commit it, or stop ignoring it."
    # Once added by force, git tracks it, ignored or not.
    git(repo, "add", "-f", "reports/figures/pipe.png")
    assert missing(check_path(repo, question_set=MINI)) == []


def test_absent_figure_names_the_committed_file_it_likely_meant(repo: Path) -> None:
    figure(repo, "reports/figures/Pipe.png")
    figure(repo, "docs/pipe.png")
    git(repo, "add", "-A")
    ((message, hint),) = missing(check_path(repo, question_set=MINI))
    assert message == "`figures/pipe.png` is not in the repository (looked for `reports/figures/pipe.png`)"
    assert hint == "`reports/figures/Pipe.png` exists: link it as `figures/Pipe.png` (links are case-sensitive)."


def test_symlinked_figure_in_git_is_not_a_figure(repo: Path) -> None:
    figure(repo, "assets/pipe.png")
    (repo / "reports" / "figures" / "pipe.png").symlink_to(repo / "assets" / "pipe.png")
    git(repo, "add", "-A")
    assert "reports/figures/pipe.png" not in git_index(repo)  # type: ignore[operator]
    assert len(missing(check_path(repo, question_set=MINI))) == 1


def test_a_subfolder_named_on_the_command_line_is_listed_relative_to_itself(repo: Path) -> None:
    inner = repo / "project"
    (inner / "reports").mkdir(parents=True)
    (inner / "reports" / "README.md").write_text(make_report(), encoding="utf-8")
    figure(inner)
    git(repo, "add", "project")
    result = check_path(inner, question_set=MINI)
    assert result.path == "reports/README.md"
    assert missing(result) == []


def test_report_not_tracked_means_files_on_disk_count(repo: Path) -> None:
    figure(repo)
    git(repo, "rm", "-q", "--cached", "reports/README.md")
    result = check_path(repo, question_set=MINI)
    assert missing(result) == []
    assert result.files_note == "git does not track reports/README.md: figures on disk count, committed or not"


def test_outside_git_files_on_disk_count_and_the_text_says_so_once(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "README.md").write_text(make_report(), encoding="utf-8")
    figure(tmp_path)
    result = check_path(tmp_path, question_set=MINI)
    assert missing(result) == []
    assert result.files_note == "not a git repository: figures on disk count, committed or not"
    assert run(["check", str(tmp_path), "--set", str(ROOT / "tests" / "data" / "mini-course.toml")]) == 0
    out = capsys.readouterr().out
    assert out.count("note: not a git repository: figures on disk count, committed or not\n") == 1


def test_without_git_installed_files_on_disk_count(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    figure(repo)
    (tmp_path / "empty-bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = check_path(repo, question_set=MINI)
    assert missing(result) == []
    assert result.files_note == "git is not installed: figures on disk count, committed or not"


def test_a_broken_git_folder_is_a_note_not_an_error(tmp_path: Path) -> None:
    (tmp_path / ".git").write_text("not a gitdir line\n")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "README.md").write_text(make_report(), encoding="utf-8")
    figure(tmp_path)
    result = check_path(tmp_path, question_set=MINI)
    assert missing(result) == []
    assert result.files_note is not None
    assert result.files_note.startswith("git could not list the files (")
    assert result.files_note.endswith("): figures on disk count, committed or not")


def test_no_git_call_without_local_figures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    monkeypatch.setattr("checker.files.git_index", lambda root: calls.append(root) or frozenset())
    text = make_report({3: "Every night we retrain the model. ![Pipeline](https://example.org/pipe.png)"})
    (tmp_path / "README.md").write_text(text, encoding="utf-8")
    result = check_path(tmp_path / "README.md", question_set=MINI)
    assert calls == []
    assert result.files_note is None


def test_one_git_listing_per_check(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.files

    calls: list[Path] = []
    real = checker.files.git_index

    def counted(root: Path) -> frozenset[str] | str:
        calls.append(root)
        return real(root)

    monkeypatch.setattr("checker.files.git_index", counted)
    text = make_report({3: "Nightly runs. ![A](figures/a.png) ![B](figures/b.png)", 4: GOOD_4_WITH_FIGURE})
    (repo / "reports" / "README.md").write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    check_path(repo, question_set=MINI)
    assert calls == [repo]


GOOD_4_WITH_FIGURE = "s123456 wrote the API and s234567 trained the model. ![C](figures/c.png)"


def test_git_files_view_alone(repo: Path) -> None:
    figure(repo)
    files = GitFiles(repo, "reports/README.md")
    assert files.exists("reports/README.md")
    assert not files.exists("reports/figures/pipe.png")
    assert files.absence("reports/figures/pipe.png").state == "untracked"
    assert files.absence("reports/figures/none.png").state == "absent"
    assert files.note is None


@pytest.mark.parametrize("where", ["src", "reports/figures", "reports", "."])
def test_check_from_a_subfolder_finds_the_repository(repo: Path, where: str, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    figure(repo)
    git(repo, "add", "-A")
    monkeypatch.chdir(repo / where)
    assert run(["check", "--no-color"]) == 0
    out = capsys.readouterr().out
    shown = posixpath.normpath(posixpath.join(posixpath.relpath(".", where), "reports/README.md"))
    assert out.startswith(f"{shown}  (mini-course, 4/4 prompts match)\n")  # named as the user would type it
    assert out.endswith("READY 4/4 questions pass\n")


def test_check_from_a_subfolder_outside_git_finds_the_folder_with_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "reports" / "figures").mkdir(parents=True)
    (tmp_path / "src" / "deep").mkdir(parents=True)
    (tmp_path / "reports" / "readme.md").write_text(make_report(), encoding="utf-8")
    figure(tmp_path)
    monkeypatch.chdir(tmp_path / "src" / "deep")
    assert run(["check", "--no-color", "--set", str(ROOT / "tests" / "data" / "mini-course.toml")]) == 0
    assert capsys.readouterr().out.startswith("../../reports/readme.md  (mini-course, 4/4 prompts match)\n")
