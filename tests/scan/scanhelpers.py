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


def report(
    group: int = 7,
    students: tuple[str, ...] = ("s200001", "s200002"),
    *,
    serving: str | None = None,
    figure: str = "figures/flow.png",
) -> str:
    """Return a report for the scan course; `serving=""` leaves question 3 unanswered."""
    answers = {
        1: str(group),
        2: ", ".join(students),
        3: serving
        if serving is not None
        else f"A nightly job retrains the network and a small web service answers requests.\n\n![Flow]({figure})",
        4: f"{students[0]} built the service and {students[-1]} wrote the training loop.",
    }
    lines = ["# Our exam report", ""]
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
) -> FakeRepo:
    """Add a repository with `before` commits before DEADLINE and `after` commits after it."""
    repo = fake.add(name)
    start = DEADLINE - timedelta(days=before + 1)
    repo.commit(start, {"README.md": "# project\n", FIGURE: b"\x89PNG fake"})
    for i in range(before):
        repo.commit(start + timedelta(days=i + 1), {"reports/README.md": report(group, students)})
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
