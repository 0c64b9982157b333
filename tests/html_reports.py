"""Reports of our own for the HTML page tests: a made-up course, tidy and hostile groups, a small PNG."""

from __future__ import annotations

import json
import struct
import tomllib
import zlib
from pathlib import Path

from checker import check_text
from checker.files import LocalFiles, RepoListing
from checker.formats.json import result_dict
from checker.model import ReportResult
from checker.questions import from_data, load_file

ROOT = Path(__file__).resolve().parents[1]
COURSE = load_file(ROOT / "tests" / "data" / "html-course.toml")
# The same course with evidence rules for its checklist (tests/data/html-evidence.toml).
EVIDENCE_COURSE = from_data(
    {**tomllib.loads((ROOT / "tests" / "data" / "html-course.toml").read_text(encoding="utf-8")),
     **tomllib.loads((ROOT / "tests" / "data" / "html-evidence.toml").read_text(encoding="utf-8"))},
    "html-evidence")

PROMPTS = {
    1: "**Which team number did the teachers give you?**",
    2: "**Write the study number of each member.**",
    3: "**How does your model get from a notebook to users? Show it with one or two figures.**",
    4: "**Which numbers from training did you track, and how?**",
    5: "**Tell us who built which part.**",
}
# Text that must never reach a page: it stands in the front matter, the instructions and the checklist.
FRONT_MATTER_SECRET = "frontmattersentinel"
INSTRUCTIONS_SECRET = "instructionsentinel"
CHECKLIST_SECRET = "checklistsentinel"

TIDY = {
    1: "17",
    2: "s204411, s204412, s204413",
    3: ("A nightly job trains the classifier, stores it with its metrics, and a small web service loads the "
        "newest version.\n\n![Training to serving](figures/flow.png)\n\n| stage | tool |\n|:--|--:|\n"
        "| train | PyTorch |\n| serve | FastAPI |"),
    4: ("We tracked loss, accuracy and the confusion matrix for every run.\n\n* [x] loss curves\n"
        "* [ ] calibration\n\n```python\nlogger.log({'loss': loss})\n```"),
    5: "s204411 wrote the service, s204412 the training loop and s204413 the tests.",
}


def png(width: int = 24, height: int = 16, colour: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    """Return a small valid PNG of one colour with a white diagonal, so it is visibly an image."""
    rows = b""
    for y in range(height):
        row = b"\x00"
        for x in range(width):
            row += bytes((255, 255, 255)) if x == y else bytes(colour)
        rows += row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def report(answers: dict[int, str] | None = None, *, skip: tuple[int, ...] = ()) -> str:
    """Return a report of the made-up course; `answers` replace the tidy ones, `skip` leaves questions out."""
    chosen = {**TIDY, **(answers or {})}
    lines = [
        "---", f"title: {FRONT_MATTER_SECRET}", "---", "",
        "# Exam report", "", f"Read this first: {INSTRUCTIONS_SECRET}.", "",
        "## Checklist", "", "### Week 1", "", f"* [x] Opened a repository {CHECKLIST_SECRET} (M1)",
        "* [x] Added a linter (M2)", "* [ ] Wrote a Dockerfile (M3)", "", "### Week 2", "",
        "* [x] Trained in the cloud (M4)", "* [ ] Deployed the model (M5)", "",
        "## Team", "",
    ]
    for number, prompt in PROMPTS.items():
        if number in skip:
            continue
        if number == 3:
            lines += ["## System", ""]
        lines += [f"### Question {number}", "", f"> {prompt}", ">", "> Answer:", "", chosen[number], ""]
    return "\n".join(lines)


def repository(root: Path, text: str, figures: dict[str, bytes] | None = None) -> Path:
    """Write a repository with `reports/README.md` and figures (paths relative to `reports/`); return it."""
    (root / ".git").mkdir(parents=True, exist_ok=True)
    (root / "reports").mkdir(exist_ok=True)
    (root / "reports" / "README.md").write_text(text, encoding="utf-8")
    for relative, data in (figures if figures is not None else {"figures/flow.png": png()}).items():
        path = root / "reports" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def check(root: Path) -> ReportResult:
    """Check the repository's report against the made-up course."""
    text = (root / "reports" / "README.md").read_text(encoding="utf-8")
    return check_text(text, files=LocalFiles(root), question_set=COURSE)


def files(*paths: str) -> RepoListing:
    """Return a git repository of these files (and its report) for the checklist's evidence; none are read."""
    return RepoListing(("reports/README.md", *paths), {}.get, git=True)


def scan_folder(folder: Path, groups: dict[str, tuple[int | None, str | None]], extra: list[dict[str, object]],
                listings: dict[str, RepoListing] | None = None) -> Path:
    """Write a saved scan: results.jsonl plus the report copies in reports/; return the results file.

    `groups` maps owner/name to (group number, report text or None for a repository that was not found);
    `listings` gives some of them a file list, against which their checklist is held (EVIDENCE_COURSE).
    """
    (folder / "reports").mkdir(parents=True, exist_ok=True)
    lines = []
    for repo, (group, text) in groups.items():
        row: dict[str, object] = {"repo": repo, "group": group, "commit": "0" * 40, "late_commits": 0}
        if text is None:
            row.update(status="not-found", reason="no such repository", result=None)
        else:
            listing = (listings or {}).get(repo)
            result = check_text(text, question_set=EVIDENCE_COURSE if listing else COURSE, listing=listing)
            row.update(status="ok", reason=None, result=result_dict(result))
            owner, _, name = repo.partition("/")
            (folder / "reports" / f"{owner}__{name}.md").write_text(text, encoding="utf-8")
        lines.append(json.dumps(row))
    lines += [json.dumps(row) for row in extra]
    path = folder / "results.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
