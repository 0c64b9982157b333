"""Helpers of the scan tests: a question set of our own, a report builder, repositories for the fake server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakegithub import FakeGitHub, FakeRepo

from checker.questions import QuestionSet, load_file

DATA = Path(__file__).parent / "data"
COURSE: QuestionSet = load_file(DATA / "scan-course.toml")
TOKEN = "ghp_TestTokenThatMustNeverBePrinted0123456789"
DEADLINE = datetime(2031, 1, 24, 12, 0, tzinfo=UTC)

PROMPTS = {
    1: "Which number does your team have on the course list?",
    2: "Write down the study number of each team member.",
    3: "How do you train and serve the model? Include one diagram.",
    4: "Split the work: who built which part?",
}
FIGURE = "reports/figures/flow.png"
# The checklist the evidence tests tick (their rules are in data/scan-course.toml), by rule id.
CHECKLIST = {
    "containers": "We built container images for training and serving (M10)",
    "tracking": "We tracked our experiments online (M14)",
    "lint": "Our workflow lints the code on every push (M17)",
    "serving": "We served the model behind a small web API (M22)",
    "data-tests": "We wrote tests for the data (M16)",
    "access": "Everyone on the team can push to the repository (M5)",
}
# A project with evidence for every checkable item but the data tests: the two small files the scan reads are
# requirements.txt (tracking, serving) and the workflow (lint); pyproject.toml is a third candidate, not read.
PROJECT = {
    "requirements.txt": "torch==2.3.0\nwandb>=0.16  # tracking\nfastapi\n",
    ".github/workflows/tests.yml": "name: tests\non: push\njobs:\n  lint:\n    steps:\n      - run: ruff check .\n",
    "pyproject.toml": '[project]\nname = "ourproject"\ndependencies = ["typer"]\n',
    "dockerfiles/api.dockerfile": "FROM python:3.12-slim\n",
    "src/ourproject/model.py": "class Model: ...\n",
}
# The PROJECT with its dependencies in a folder of their own, at no fixed place of the test course's sources
# (evidence.fixed_places): the batched scan reads app/requirements.txt in a files query after the details.
NESTED = {**{path: text for path, text in PROJECT.items() if "/" in path},
          "app/requirements.txt": PROJECT["requirements.txt"]}


def report(
    group: int = 7,
    students: tuple[str, ...] = ("s200001", "s200002"),
    *,
    serving: str | None = None,
    figure: str = "figures/flow.png",
    ticked: tuple[str, ...] | None = None,
) -> str:
    """Return a report for the scan course; `serving=""` leaves question 3 unanswered.

    `ticked` adds the checklist (CHECKLIST) with these items ticked, by rule id.
    """
    answers = {
        1: str(group),
        2: ", ".join(students),
        3: serving
        if serving is not None
        else f"A nightly job retrains the network and a small web service answers requests.\n\n![Flow]({figure})",
        4: f"{students[0]} built the service and {students[-1]} wrote the training loop.",
    }
    lines = ["# Our exam report", ""]
    if ticked is not None:
        lines += ["### Week 1", ""]
        lines += [f"* [{'x' if rule in ticked else ' '}] {text}" for rule, text in CHECKLIST.items()]
        lines.append("")
    for number, prompt in PROMPTS.items():
        body = answers[number] or f"--- question {number} fill here ---"
        lines += [f"### Question {number}", "", f"> **{prompt}**", ">", "> Answer:", "", body, ""]
    return "\n".join(lines)


def add_group_repo(
    fake: FakeGitHub,
    name: str,
    group: int = 7,
    *,
    students: tuple[str, ...] = ("s200001", "s200002"),
    before: int = 2,
    after: int = 0,
    late_report: bool = True,
    project: bool = False,
) -> FakeRepo:
    """Add a repository with `before` commits before DEADLINE and `after` commits after it.

    `project`: with the PROJECT files, and a report whose checklist ticks every item.
    """
    repo = fake.add(name)
    start = DEADLINE - timedelta(days=before + 1)
    repo.commit(start, {"README.md": "# project\n", FIGURE: b"\x89PNG fake", **(PROJECT if project else {})})
    ticked = tuple(CHECKLIST) if project else None
    for i in range(before):
        repo.commit(start + timedelta(days=i + 1), {"reports/README.md": report(group, students, ticked=ticked)})
        repo.push(start + timedelta(days=i + 1, minutes=5))
    for i in range(after):
        changes = (
            {"reports/README.md": report(group, students, serving="")}
            if late_report and i == 0
            else {"src/app.py": f"# change {i}\n"}
        )
        repo.commit(DEADLINE + timedelta(hours=i + 1), changes)
        repo.push(DEADLINE + timedelta(hours=i + 1, minutes=5))
    return repo


def add_project_repo(
    fake: FakeGitHub,
    name: str,
    group: int = 7,
    *,
    ticked: tuple[str, ...] = tuple(CHECKLIST),
    files: dict[str, str] | None = None,
    after: int = 0,
) -> FakeRepo:
    """Add a repository whose report ticks `ticked` of the checklist, with the PROJECT files (or `files`)."""
    repo = fake.add(name)
    start = DEADLINE - timedelta(days=2)
    students = ("s200001", "s200002")
    repo.commit(start, {"README.md": "# project\n", FIGURE: b"\x89PNG fake", **(PROJECT if files is None else files)})
    repo.commit(start + timedelta(days=1), {"reports/README.md": report(group, students, ticked=ticked)})
    for i in range(after):
        repo.commit(DEADLINE + timedelta(hours=i + 1), {"src/late.py": f"# change {i}\n"})
    return repo
