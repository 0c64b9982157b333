"""Decide what `reportcheck notify` does in each repository: open, update, reopen or close its one issue.

Pure: from a scan's row and the issue found again by its hidden marker (or none), the step to take and the
texts to write. The body is the group's feedback (`feedback.render`, the same findings and fixes as
feedback/group-N.md), so an issue and a feedback file never say different things. `checker.scan.issues` reads
and writes the issues; this module only decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from checker.scan.feedback import render
from checker.scan.row import ScanRow
from checker.wording import plural

# Finds the issue again on later runs, whatever its title became; invisible in the rendered issue.
MARKER = "<!-- reportcheck:notify -->"
# GitHub refuses an issue body over 65,536 characters.
MAX_BODY = 65536
NOTHING_TO_HAND_IN = {
    "no-report": "no report found",
    "unreadable": "the report cannot be read",
    "empty": "the repository has no commits",
    "no-commit": "no commit before the deadline",
}

Kind = Literal["open", "update", "reopen", "unchanged", "close", "nothing", "skip"]


@dataclass(frozen=True)
class Issue:
    """An issue as the listing gives it: number, state, title, body and label names."""

    number: int
    state: str  # "open" or "closed"
    title: str
    body: str
    labels: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Issue:
        """Read one issue of GitHub's answer."""
        labels = data.get("labels") if isinstance(data.get("labels"), list) else []
        names = tuple(str(label.get("name")) if isinstance(label, Mapping) else str(label) for label in labels or ())
        return cls(int(data["number"]), str(data.get("state") or "open"), str(data.get("title") or ""),
                   str(data.get("body") or ""), names)


def marked(items: Iterable[Mapping[str, Any]]) -> Issue | None:
    """Return the first issue (not pull request) whose body carries the marker, or None."""
    for item in items:
        if "pull_request" not in item and MARKER in str(item.get("body") or ""):
            return Issue.from_json(item)
    return None


@dataclass(frozen=True)
class Step:
    """What to do in one repository: the kind of step, the issue it is about, and what to write there."""

    kind: Kind
    repo: str
    issue: Issue | None = None  # the issue found by its marker
    title: str = ""
    body: str = ""
    labels: tuple[str, ...] | None = None  # the labels to set; None leaves the issue's labels alone
    comment: str = ""  # said on the issue before it is closed
    why: str = ""  # why there is nothing to do, or why the repository is skipped
    known: bool = True  # False: a dry run without a token, which could not look for the issue

    def said(self, *, done: bool) -> str:
        """Say the step in a few words, as done (`opened issue #3`) or as planned (`would open an issue`)."""
        number = f" #{self.issue.number}" if self.issue is not None else ""
        if self.kind in ("nothing", "skip"):
            return f"{'nothing to do' if self.kind == 'nothing' else 'skipped'}: {self.why}"
        if self.kind == "unchanged":
            return f"issue{number} is up to date"
        if not self.known:
            what = "open an issue, or update it" if self.kind == "open" else "close its issue, if one is open"
            return f"would {what}"
        if done:
            verb = {"open": "opened", "update": "updated", "reopen": "reopened", "close": "closed"}[self.kind]
            return f"{verb} issue{number}"
        return "would open an issue" if self.kind == "open" else f"would {self.kind} issue{number}"


def title(row: ScanRow) -> str:
    """Return the issue's title: what stands between the group and a ready report, in a few words."""
    if row.status == "ok":
        return (f"Exam report not ready yet: {row.passed or 0}/{row.total or 0} questions pass, "
                f"{plural(row.errors or 0, 'error')}")
    return f"Exam report not ready yet: {NOTHING_TO_HAND_IN.get(row.status, row.status)}"


def failing(row: ScanRow) -> list[str]:
    """Return the questions that do not pass, as `3 (Pipeline)`."""
    report = row.report
    if report is None:
        return []
    return [f"{q.number} ({q.title})" if q.title else str(q.number) for q in report.questions if q.status != "pass"]


def body(row: ScanRow, folder: str = "reports") -> str:
    """Return the issue's body: the marker, the failing questions, the group's feedback, and what the issue is."""
    lines = [MARKER]
    questions = failing(row)
    if questions:
        lines += [f"**Questions that do not pass yet:** {', '.join(questions)}.", ""]
    lines.append(render(row, folder, titled=False).rstrip("\n"))
    checked = "the deadline" if row.deadline else "the head of your default branch"
    lines += ["", "---", "",
              f"The course's report check wrote this issue from its scan of your repository at {checked}, and keeps "
              "it up to date at each scan; it is closed once the report is ready. `reportcheck check` in your "
              "repository shows the same findings at any time.", ""]
    text = "\n".join(lines)
    if len(text) > MAX_BODY:
        cut = text.rfind("\n", 0, MAX_BODY - 200)
        text = text[:cut] + "\n\n… cut here: GitHub takes no more. `reportcheck check` lists every finding.\n"
    return text


def closing(row: ScanRow) -> str:
    """Return the comment said on the issue as it is closed."""
    commit = f" at commit `{row.commit[:12]}`" if row.commit else ""
    deadline = f" (deadline {row.deadline})" if row.deadline else ""
    return (f"Your report is ready to hand in{commit}{deadline}: {row.passed or 0} of {row.total or 0} questions "
            "pass. Closing this issue.")


def decide(
    row: ScanRow,
    found: Issue | None,
    *,
    close_ready: bool = False,
    label: str | None = None,
    folder: str = "reports",
    known: bool = True,
) -> Step:
    """Return the step for one repository; `found` is its marked issue, `known` False when nobody looked."""
    standing = row.standing
    if standing in ("unreachable", "not scanned"):
        return Step("skip", row.repo, found, why=f"the scan could not read it ({row.status})")
    if standing == "ready":
        if not known:
            return (Step("close", row.repo, comment=closing(row), known=False) if close_ready
                    else Step("nothing", row.repo, why="ready"))
        if found is None or found.state != "open":
            return Step("nothing", row.repo, found, why="ready, and no open issue")
        if not close_ready:
            return Step("nothing", row.repo, found, why=f"ready; issue #{found.number} stays open (--close-ready)")
        return Step("close", row.repo, found, comment=closing(row))
    wanted_title, wanted_body = title(row), body(row, folder)
    if not known or found is None:
        return Step("open", row.repo, None, wanted_title, wanted_body, (label,) if label else (), known=known)
    labels = None if label is None or label in found.labels else (*found.labels, label)
    if found.state != "open":
        return Step("reopen", row.repo, found, wanted_title, wanted_body, labels)
    if (found.title, found.body.replace("\r\n", "\n")) == (wanted_title, wanted_body) and labels is None:
        return Step("unchanged", row.repo, found)
    return Step("update", row.repo, found, wanted_title, wanted_body, labels)
