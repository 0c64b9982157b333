"""Every revision of the course's template, filled in and reformatted, is matched to a set of its size, unchanged.

Each file of ../shared/templates/revisions is filled in with answers of our own, then: left as it is, stripped of
its guidance (answer length, example), rewrapped by hand, given `__` for `**`, typographic quotes and escapes,
and run through the real mdformat (Python) and prettier (Node, installed by .ci/run into .ci/node). Every
version gets a question set with the revision's question count, names the revision (or one asking the same),
keeps every question, and has no `template-modified`. A changed question is caught and quoted.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from checker import check_text
from checker.model import ReportResult
from checker.parse import parse
from tests.conftest import ROOT, SHARED

FOLDER = SHARED / "templates" / "revisions"
REVISIONS = sorted(FOLDER.glob("2*.md")) if FOLDER.is_dir() else []
PRETTIER = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "prettier"
PLACEHOLDER = re.compile(r"^--- question (\d+) fill here ---$", re.MULTILINE)
BOLD_LINE = re.compile(r"^>\s*\*\*")
ANSWER_LINE = re.compile(r"^>\s*Answer:")


def answer(number: int) -> str:
    """Return a filler answer of our own for question `number`."""
    if number == 1:
        return "42"
    if number == 2:
        return "s123456, s234567, s345678"
    return (f"For question {number} our group wrote this answer in its own words. We kept a log of what we "
            "tried, what broke and how we fixed it, and every member read the final text before hand-in.")


@cache
def filled(path: Path) -> str:
    return PLACEHOLDER.sub(lambda m: answer(int(m.group(1))), path.read_text(encoding="utf-8"))


def revision_id(path: Path) -> str:
    return path.stem.split("-", 3)[3]


@cache
def question_count(path: Path) -> int:
    return max(q.number for q in parse(path.read_text(encoding="utf-8")).questions)


@cache
def guided(path: Path) -> tuple[int, ...]:
    """Return the questions that have guidance (answer length, example) under their sentence."""
    return tuple(q.number for q in parse(path.read_text(encoding="utf-8")).questions if q.guidance)


def _quote_blocks(text: str, edit: Callable[[list[str]], list[str]]) -> str:
    """Apply `edit` to the quote lines of every question, from its heading to its `Answer:` line."""
    out: list[str] = []
    block: list[str] | None = None
    for line in text.split("\n"):
        if line.startswith("### Question"):
            out.append(line)
            block = []
            continue
        if block is not None and ANSWER_LINE.match(line):
            out += [*edit(block), line]
            block = None
            continue
        if block is not None:
            block.append(line)
        else:
            out.append(line)
    return "\n".join(out)


def without_guidance(text: str) -> str:
    """Delete the answer length and example under every prompt, as many groups do."""
    return _quote_blocks(text, lambda block: [line for line in block if BOLD_LINE.match(line)
                                              or not line.startswith(">")] + [">"])


def rewrapped(text: str) -> str:
    """Rewrap every prompt by hand at 50 columns, bold spans across line breaks."""
    def edit(block: list[str]) -> list[str]:
        bold = " ".join(line.lstrip("> ").strip() for line in block if BOLD_LINE.match(line))
        rest = [line for line in block if not BOLD_LINE.match(line)]
        return ["> " + line for line in textwrap.wrap(bold, 50)] + rest

    return _quote_blocks(text, edit)


def typography(text: str) -> str:
    """Typographic apostrophes, escaped autolink brackets, and `__` for `**`."""
    text = text.replace("'", "\u2019").replace("<learn.inside.dtu.dk>", "\\<learn.inside.dtu.dk\\>")
    return text.replace("**", "__")


@cache
def mdformat_keep(text: str) -> str:
    import mdformat

    return str(mdformat.text(text))


@cache
def mdformat_wrap(text: str) -> str:
    import mdformat

    return str(mdformat.text(text, options={"wrap": 60}))


VARIANTS: dict[str, Callable[[str], str]] = {
    "filled": lambda text: text,
    "guidance-deleted": without_guidance,
    "rewrapped": rewrapped,
    "typography": typography,
    "guidance-deleted-rewrapped": lambda text: rewrapped(without_guidance(text)),
    "mdformat": mdformat_keep,
    "mdformat-wrap-60": mdformat_wrap,
}


def assert_unchanged(result: ReportResult, path: Path) -> None:
    count = question_count(path)
    assert len(result.questions) == count, result.set_id
    assert [f.message for f in result.findings if f.rule == "template-modified"] == []
    assert result.prompts_matched == count
    assert revision_id(path) in {result.template.revision, *result.template.alike}
    assert not [f for f in result.findings if f.rule == "answer-example"]


def test_revisions_are_present(shared: Path) -> None:
    assert len(REVISIONS) == 17


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("path", REVISIONS, ids=lambda p: p.stem)
def test_revision_keeps_its_questions(path: Path, variant: str) -> None:
    text = VARIANTS[variant](filled(path))
    result = check_text(text)
    assert_unchanged(result, path)
    # Deleted guidance is not a finding, only a note in the result; formatting it is not even a note.
    assert result.template.guidance_deleted == (guided(path) if variant.startswith("guidance") else ())
    assert result.template.guidance_changed == ()


@pytest.fixture(scope="module")
def prettier_output(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    """Run the real prettier once over every filled revision in both modes; return (stem, mode) -> text."""
    if not PRETTIER.is_file():
        pytest.fail(f"{PRETTIER} is missing: run `bash .ci/run` (npm ci in .ci/node)")
    folder = tmp_path_factory.mktemp("prettier")
    for mode in MODES:
        (folder / mode).mkdir()
        for path in REVISIONS:
            (folder / mode / path.name).write_text(filled(path), encoding="utf-8")
    # One Node process for both modes: the second folder's files rewrap prose (`--prose-wrap always`).
    config = folder / "prettierrc.json"
    config.write_text('{"overrides": [{"files": "prose-wrap/*.md", "options": {"proseWrap": "always"}}]}')
    subprocess.run([str(PRETTIER), "--write", "--log-level", "warn", "--config", str(config), *MODES], check=True,
                   capture_output=True, timeout=300, cwd=folder)
    return {(path.stem, mode): (folder / mode / path.name).read_text(encoding="utf-8")
            for mode in MODES for path in REVISIONS}


MODES = ("default", "prose-wrap")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", REVISIONS, ids=lambda p: p.stem)
def test_revision_after_prettier(path: Path, mode: str, prettier_output: dict[tuple[str, str], str]) -> None:
    text = prettier_output[(path.stem, mode)]
    assert text != filled(path), "prettier changed nothing: the test would prove nothing"
    assert_unchanged(check_text(text), path)


def _line_of(text: str, question: int) -> int:
    """Return the 1-based line of the first bold prompt line of a question."""
    lines = text.split("\n")
    start = lines.index(f"### Question {question}")
    return next(i for i in range(start, len(lines)) if BOLD_LINE.match(lines[i])) + 1


def changed(text: str) -> str:
    """Add a word to question 6's sentence and ask question 10 something else entirely."""
    line6 = _line_of(text, 6) - 1
    line10 = _line_of(text, 10) - 1
    lines = text.split("\n")
    lines[line6] = re.sub(r"^> \*\*(\w+) ", r"> **\1 really ", lines[line6])
    end = line10
    while BOLD_LINE.match(lines[end + 1]):
        end += 1
    lines[line10 : end + 1] = ["> **Which dataset did you pick, and why?**"]
    return "\n".join(lines)


@pytest.mark.parametrize("formatter", ["none", "mdformat"])
@pytest.mark.parametrize("path", REVISIONS, ids=lambda p: p.stem)
def test_a_changed_question_is_caught_and_quoted(path: Path, formatter: str) -> None:
    text = changed(mdformat_keep(filled(path)) if formatter == "mdformat" else filled(path))
    result = check_text(text)
    assert len(result.questions) == question_count(path)
    found = {f.question: f for f in result.findings if f.rule == "template-modified"}
    assert sorted(found) == [6, 10]
    assert found[6].message == "the question's words differ from the template: `really` added"
    assert found[6].line == _line_of(text, 6)
    assert found[10].message == "the question is not the template's: it reads `Which dataset did you pick and why`"
    assert found[10].line == _line_of(text, 10)


def test_mdformat_and_prettier_are_installed() -> None:
    """The formatters the revision tests run are part of the test setup (.ci/run), never skipped."""
    import mdformat

    assert mdformat.text("*a*\n")
    assert PRETTIER.is_file() or not REVISIONS, "run `bash .ci/run`: prettier is missing from .ci/node"
    assert shutil.which("node") is not None or not REVISIONS
