"""Teach a question set the wordings of template revisions, as fingerprints only.

For each question of a revision the set learns: the fingerprint and the word hashes of the question's own sentence
(the bold prompt), the fingerprint of the guidance under it (answer length, example), and the shingle hashes of its
example answer (`checker.fingerprint`). Equal wordings are stored once, with every revision that has them.
Titles, sections, ranges, kinds and notes are the set's own and are left as they are. A revision learned again
replaces its wordings; example shingles only accumulate (`fresh` starts over).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from checker.errors import CheckerError
from checker.fingerprint import fingerprint, shingle_hashes, word_hashes
from checker.parse import parse, split_prompt
from checker.questions import Revision
from checker.sets.extract import EXAMPLE, slugify

# `2026-01-09-eb7305c5.md`: a revision's date and id in its file name.
DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
REVISION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def revision_from_path(path: Path) -> Revision:
    """Name a revision after its file: `DATE-ID.md` gives both, any other name gives the id alone."""
    match = DATED_NAME.match(path.stem)
    revision = Revision(match.group(2), match.group(1)) if match else Revision(path.stem)
    if not REVISION_ID.match(revision.id):
        revision = revision._replace(id=slugify(revision.id))
    if not revision.id:
        raise CheckerError(f"{path}: cannot make a revision id from the file name; pass --revision")
    return revision


def example_text(guidance: str) -> str:
    """Return the example answer in a question's guidance: what follows `Example:`."""
    parts = EXAMPLE.split(guidance, maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def forget(data: dict[str, Any], revision_id: str) -> None:
    """Remove a revision and the wordings only it had (in place)."""
    data["revisions"] = [r for r in data.get("revisions", []) if r["id"] != revision_id]
    for question in data["questions"]:
        for key in ("prompts", "guidance"):
            kept = []
            for entry in question.get(key, []):
                entry["revisions"] = [r for r in entry["revisions"] if r != revision_id]
                if entry["revisions"]:
                    kept.append(entry)
            question[key] = kept


def learn(data: dict[str, Any], template: str, revision: Revision, origin: str) -> dict[str, Any]:
    """Return the set's data with this revision of the template learned; a template of another structure is an error."""
    data = copy.deepcopy(data)
    parsed = {q.number: q for q in reversed(parse(template).questions)}
    numbers = {q["number"] for q in data["questions"]}
    if set(parsed) != numbers:
        extra = sorted(set(parsed) - numbers)
        missing = sorted(numbers - set(parsed))
        said = "; ".join(part for part in (
            f"questions {', '.join(map(str, extra))} are not in the set" if extra else "",
            f"questions {', '.join(map(str, missing))} of the set are not in it" if missing else "",
        ) if part)
        raise CheckerError(f"{origin}: has {len(parsed)} questions, the set {len(numbers)} ({said}); "
                           "learn it into a set of its own structure")
    forget(data, revision.id)
    entry = {"id": revision.id, **({"date": revision.date} if revision.date else {})}
    data["revisions"] = sorted([*data["revisions"], entry], key=lambda r: r.get("date", ""))
    order = {r["id"]: index for index, r in enumerate(data["revisions"])}
    for question in data["questions"]:
        own, guidance = split_prompt(parsed[question["number"]].prompt)
        _add(question.setdefault("prompts", []), fingerprint(own), revision.id, order,
             word_hashes=" ".join(word_hashes(own)))
        _add(question.setdefault("guidance", []), fingerprint(guidance), revision.id, order)
        example = shingle_hashes(example_text(guidance))
        if example or "example_shingles" in question:
            known = set(question.get("example_shingles", "").split())
            question["example_shingles"] = " ".join(sorted(known | example))
    _own_fingerprints(data)
    return data


def _add(entries: list[dict[str, Any]], value: str, revision: str, order: dict[str, int], **extra: Any) -> None:
    """Record that `revision` has the wording (or guidance) `value`, in revision order (in place)."""
    same = next((entry for entry in entries if entry["fingerprint"] == value), None)
    if same is None:
        entries.append({"revisions": [revision], "fingerprint": value, **extra})
    else:
        same["revisions"] = sorted([*same["revisions"], revision], key=order.__getitem__)
    entries.sort(key=lambda entry: order[entry["revisions"][0]])


def _own_fingerprints(data: dict[str, Any]) -> None:
    """Set each question's `fingerprint` to its wording in the set's own revision (in place).

    The own revision is the newest one dated on or before the set's `released` date, else the newest learned.
    """
    revisions = data["revisions"]
    released = data.get("released", "")
    dated = [r for r in revisions if released and r.get("date") and r["date"] <= released]
    own = (dated or revisions)[-1]["id"]
    for question in data["questions"]:
        prompt = next(p for p in question["prompts"] if own in p["revisions"])
        question["fingerprint"] = prompt["fingerprint"]


def fresh(data: dict[str, Any]) -> dict[str, Any]:
    """Return the set's data without anything learned, to learn its revisions anew."""
    data = copy.deepcopy(data)
    data.pop("revisions", None)
    for question in data["questions"]:
        for key in ("prompts", "guidance", "example_shingles"):
            question.pop(key, None)
    return data
