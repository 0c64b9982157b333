"""Tell what changed between two question sets, e.g. to tell groups what is new since last year.

Questions are paired by prompt fingerprint first (same prompt: unchanged, or renumbered when the number
moved), then by title where both sets give a reworded prompt the same title (renumbered and reworded), then by
number (same number, other prompt: a changed prompt). The rest is added or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.model import Range
from checker.questions import Question, QuestionSet


@dataclass(frozen=True)
class Change:
    """One field of a paired question that differs: `number` in A, `new_number` in B."""

    number: int
    new_number: int
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class SetDiff:
    """What changed from set A to set B; every list is in A's (or, for added, B's) order."""

    old_id: str
    new_id: str
    added: tuple[Question, ...] = ()
    removed: tuple[Question, ...] = ()
    renumbered: tuple[tuple[Question, Question], ...] = ()
    prompts: tuple[tuple[Question, Question], ...] = ()
    ranges: tuple[Change, ...] = ()
    titles: tuple[Change, ...] = ()
    kinds: tuple[Change, ...] = field(default=())

    @property
    def empty(self) -> bool:
        """Tell whether the two sets ask the same questions in the same way."""
        return not (self.added or self.removed or self.renumbered or self.prompts or self.ranges
                    or self.titles or self.kinds)


def _unique_titles(questions: list[Question]) -> dict[str, Question]:
    counts: dict[str, int] = {}
    for q in questions:
        counts[q.title.casefold()] = counts.get(q.title.casefold(), 0) + 1
    return {q.title.casefold(): q for q in questions if counts[q.title.casefold()] == 1}


def diff(old: QuestionSet, new: QuestionSet) -> SetDiff:
    """Compare two question sets."""
    by_fingerprint = {q.fingerprint: q for q in new.questions if q.fingerprint}
    pairs: list[tuple[Question, Question]] = []
    paired_new: set[int] = set()
    left: list[Question] = []
    for question in old.questions:
        match = by_fingerprint.get(question.fingerprint) if question.fingerprint else None
        if match is not None and match.number not in paired_new:
            pairs.append((question, match))
            paired_new.add(match.number)
        else:
            left.append(question)

    # A reworded prompt has a new fingerprint; when both sets give it the same (hand-written, unique) title,
    # it is still the same question, possibly moved. Only then does the number decide.
    prompts: list[tuple[Question, Question]] = []
    moved: list[tuple[Question, Question]] = []
    old_titles = _unique_titles(left)
    new_titles = _unique_titles([q for q in new.questions if q.number not in paired_new])
    for key, question in old_titles.items():
        match = new_titles.get(key)
        if match is not None and match.number != question.number:
            moved.append((question, match))
            prompts.append((question, match))
            paired_new.add(match.number)
            left.remove(question)
    renumbered = tuple(sorted([*((a, b) for a, b in pairs if a.number != b.number), *moved],
                              key=lambda pair: pair[0].number))

    unpaired_new = {q.number: q for q in new.questions if q.number not in paired_new}
    removed: list[Question] = []
    for question in left:
        match = unpaired_new.pop(question.number, None)
        if match is None:
            removed.append(question)
        else:
            prompts.append((question, match))
    prompts.sort(key=lambda pair: pair[0].number)
    added = tuple(q for q in new.questions if q.number in unpaired_new)

    ranges: list[Change] = []
    titles: list[Change] = []
    kinds: list[Change] = []
    for a, b in sorted([*pairs, *prompts], key=lambda pair: pair[0].number):  # each pair once
        for key in ("words", "images"):
            old_range: Range | None = getattr(a, key)
            new_range: Range | None = getattr(b, key)
            if old_range != new_range:
                ranges.append(Change(a.number, b.number, key, old_range, new_range))
        if a.title != b.title:
            titles.append(Change(a.number, b.number, "title", a.title, b.title))
        if a.kind != b.kind:
            kinds.append(Change(a.number, b.number, "kind", a.kind, b.kind))
    return SetDiff(old.id, new.id, added, tuple(removed), renumbered, tuple(prompts), tuple(ranges),
                   tuple(titles), tuple(kinds))


def _range(value: Range | None) -> str:
    return "none" if value is None else f"{value[0]}-{value[1]}"


def _reworded(a: Question, b: Question) -> str:
    return "" if a.fingerprint == b.fingerprint else " (reworded)"


def _now(a: Question, b: Question) -> str:
    return "" if a.number == b.number else f" (now {b.number})"


def _numbers(change: Change) -> str:
    if change.number == change.new_number:
        return f"question {change.number}"
    return f"question {change.number} (now {change.new_number})"


def render_text(result: SetDiff) -> str:
    """Render a diff for people: a summary line, then one block per kind of change."""
    counts = [
        (len(result.added), "added", "added"), (len(result.removed), "removed", "removed"),
        (len(result.renumbered), "renumbered", "renumbered"),
        (len(result.prompts), "prompt changed", "prompts changed"),
        (len(result.ranges), "range changed", "ranges changed"),
        (len(result.titles), "title changed", "titles changed"),
        (len(result.kinds), "kind changed", "kinds changed"),
    ]
    summary = ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n) or "no changes"
    out = [f"{result.old_id} -> {result.new_id}: {summary}"]

    def block(heading: str, lines: list[str]) -> None:
        if lines:
            out.extend(["", f"{heading}:", *(f"  {line}" for line in lines)])

    block("added", [f"question {q.number}: {q.title}" for q in result.added])
    block("removed", [f"question {q.number}: {q.title}" for q in result.removed])
    block("renumbered", [f"question {a.number} -> {b.number}: {b.title}{_reworded(a, b)}"
                         for a, b in result.renumbered])
    block("prompt changed", [f"question {a.number}{_now(a, b)}: {b.title}" for a, b in result.prompts])
    block("range changed",
          [f"{_numbers(c)}: {c.field} {_range(c.old)} -> {_range(c.new)}" for c in result.ranges])
    block("title changed", [f"{_numbers(c)}: {c.old!r} -> {c.new!r}" for c in result.titles])
    block("kind changed", [f"{_numbers(c)}: {c.old} -> {c.new}" for c in result.kinds])
    return "\n".join(out) + "\n"


def as_dict(result: SetDiff) -> dict[str, Any]:
    """Return the JSON form of a diff."""

    def question(q: Question) -> dict[str, Any]:
        return {"number": q.number, "title": q.title}

    def change(c: Change) -> dict[str, Any]:
        old = list(c.old) if isinstance(c.old, tuple) else c.old
        new = list(c.new) if isinstance(c.new, tuple) else c.new
        return {"number": c.number, "new_number": c.new_number, "field": c.field, "old": old, "new": new}

    return {
        "old": result.old_id,
        "new": result.new_id,
        "added": [question(q) for q in result.added],
        "removed": [question(q) for q in result.removed],
        "renumbered": [
            {"number": a.number, "new_number": b.number, "title": b.title,
             "reworded": a.fingerprint != b.fingerprint}
            for a, b in result.renumbered
        ],
        "prompts": [
            {"number": a.number, "new_number": b.number, "old_title": a.title, "new_title": b.title}
            for a, b in result.prompts
        ],
        "ranges": [change(c) for c in result.ranges],
        "titles": [change(c) for c in result.titles],
        "kinds": [change(c) for c in result.kinds],
    }
