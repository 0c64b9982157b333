"""Write the two example repositories, `ready/` and `not-ready/`, from the shipped 2026 question set.

The course's prompts are not ours to copy, so each question carries a one-line prompt of our own; that makes
the examples report `template-modified` (a warning) and nothing else. Run: python examples/make_examples.py
"""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path

from checker.questions import by_id

HERE = Path(__file__).resolve().parent

SENTENCES = [
    "Our project classifies photos of recycling into six bins so a sorting station can route them.",
    "We kept the training code in a small package and pinned every dependency in a lock file.",
    "A new member clones the repository, runs one sync command and gets the exact same environment.",
    "Continuous integration runs the unit tests, the linter and a type check on every pull request.",
    "Each experiment is described by a configuration file, so a run can be repeated from its name alone.",
    "We logged losses, accuracies and sample predictions to an experiment tracker during every run.",
    "The data lives in a cloud bucket and is versioned, so every model can be traced back to its data.",
    "Docker images are built automatically when the main branch changes and are pushed to a registry.",
    "The model is served behind a small web API that answers within a fraction of a second.",
    "We load tested the API and found that the slowest part was decoding the uploaded image.",
    "Monitoring collects request counts, latencies and the distribution of predicted classes.",
    "The hardest part was getting permissions right between the build service and the bucket.",
    "We spent most of our time debugging the data pipeline and learned to write tests first.",
    "Profiling showed that resizing images on the fly dominated the time of each training step.",
    "Branches and pull requests kept the main branch working, and every change was reviewed by another member.",
    "A small command line wraps training, evaluation and export, so nobody has to remember long scripts.",
    "Random seeds are fixed in one place, which made two runs on different laptops give the same curves.",
    "The test suite covers the data loader, the model's output shape and the API's error responses.",
    "Our cloud costs stayed low because the training machines shut down as soon as a job finished.",
    "Hyperparameter sweeps ran overnight and wrote their best settings back into a versioned file.",
    "We wrote a short guide for new members that explains how data, code and models fit together.",
    "A pre-commit hook formats the code and rejects notebooks with outputs before they reach the repository.",
    "Predictions are stored with the model version that made them, so a bad answer can be traced later.",
    "The frontend is a single page that uploads a photo and shows the predicted bin with its confidence.",
    "Data drift is checked weekly by comparing the colour statistics of new photos with the training set.",
    "We chose a pretrained backbone and fine-tuned only its last layers, which cut training time by half.",
    "Secrets such as API keys live in the cloud's secret manager and never in the repository.",
    "When a build failed, the logs of the failing step were posted to our chat channel right away.",
    "Quantising the model to eight bits made it four times smaller with almost the same accuracy.",
    "If we started again, we would set up the cloud permissions on the first day instead of the last week.",
]

IDS = ["s100001", "s100002", "s100003", "s100004"]


def words_for(low: int, high: int, number: int = 0, earlier: list[set[str]] | None = None) -> str:
    """Return our sentences until the text has a word count in the middle of [low, high].

    Each question draws them in an order of its own (shuffled with a seed from its number), taking the first
    order whose sentences overlap each earlier answer's by less than half, so no answer repeats another
    (`answer-duplicate`).
    """
    target = (low + high) // 2
    earlier = [] if earlier is None else earlier
    for attempt in range(100):
        order = random.Random(number + 1000 * attempt).sample(SENTENCES, len(SENTENCES))
        out: list[str] = []
        index = 0
        while len(" ".join(out).split()) < target:
            out.append(order[index % len(order)])
            index += 1
        chosen = set(out)
        if all(len(chosen & other) < len(chosen) / 2 for other in earlier):
            break
    earlier.append(chosen)
    words = " ".join(out).split()[:target]
    return " ".join(words).rstrip(".,") + "."


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """Return a small solid-colour PNG image."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def answer(number: int, kind: str, words: tuple[int, int] | None, images: tuple[int, int] | None,
           earlier: list[set[str]] | None = None) -> str:
    """Return a fitting answer for one question."""
    if kind == "group-number":
        return "7"
    if kind == "student-ids":
        return ", ".join(IDS)
    parts = []
    if kind == "contributions":
        parts.append(" ".join(f"{sid} worked on part {i + 1} of the pipeline." for i, sid in enumerate(IDS)))
    if words:
        have = len(" ".join(parts).split())
        low, high = max(words[0] - have, 0), max(words[1] - have, 1)
        parts.append(words_for(low + 4, high - 4, number, earlier) if high > low + 8
                     else words_for(low, high, number, earlier))
    elif not parts:
        parts.append("Shown below.")
    if images:
        parts.extend(f"![Figure {number}.{i + 1}](figures/q{number}-{i + 1}.png)" for i in range(images[0]))
    return "\n\n".join(parts)


def report(broken: bool) -> tuple[str, list[str]]:
    """Return the report text and the figure names it links that should exist."""
    question_set = by_id("dtu-mlops-2026")
    lines = ["# Exam report of group 7", "", "## Module checklist", ""]
    for week, ticks in (("Week 1", [1, 1, 1, 0]), ("Week 2", [1, 0, 1]), ("Extra", [0, 1])):
        lines += [f"### {week}", ""]
        lines += [f"* [{'x' if t else ' '}] Example task {i + 1} (M{i + 5})" for i, t in enumerate(ticks)]
        lines.append("")
    figures: list[str] = []
    earlier: list[set[str]] = []
    section = None
    for q in question_set.questions:
        if q.section != section:
            section = q.section
            lines += [f"## {question_set.sections[section]}", ""]
        text = answer(q.number, q.kind, q.words, q.images, earlier)
        if broken and q.number == 5:
            text = " ".join(text.split()[:40]) + "."
        if broken and q.number == 9:
            text = f"--- question {q.number} fill here ---"
        if broken and q.number == 19:
            text = "Our bucket: [bucket](figures/bucket.png)"
        if broken and q.number == 21:
            text = "![Build history](figures/Build.PNG)"
        if broken and q.number == 2:
            text = "s100001, s10002, s100003"
        figures += [line[line.index("(") + 1 : -1] for line in text.splitlines() if line.startswith("![")]
        lines += [f"### Question {q.number}", "", f"> **Our own short prompt for: {q.title.lower()}.**", ">",
                  "> Answer:", "", text, ""]
    existing = [f for f in figures if f != "figures/Build.PNG"]
    return "\n".join(lines), existing


def main() -> None:
    """Write both example repositories."""
    for name, broken in (("ready", False), ("not-ready", True)):
        root = HERE / name
        (root / "reports" / "figures").mkdir(parents=True, exist_ok=True)
        text, figures = report(broken)
        (root / "reports" / "README.md").write_text(text, encoding="utf-8")
        for index, figure in enumerate(sorted(set(figures))):
            colour = (40 + 25 * index % 200, 120, 200 - 10 * index % 150)
            (root / "reports" / figure).write_bytes(png(64, 40, colour))
        if broken:
            (root / "reports" / "figures" / "build.png").write_bytes(png(64, 40, (10, 10, 10)))


if __name__ == "__main__":
    main()
