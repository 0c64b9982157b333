"""What `reportcheck similar` finds: frozen pairs of answers, each side named, and the passages they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Answer:
    """One answer of a report: the topic it answers (`checker.similar.topics`), its number, line and text.

    `shingles` are the hashes of its own shingles (`TemplateWords.own_values`), distinct, as native unsigned 64-bit
    integers: worked out where the report is read (in worker processes), compact to send back and to index.
    """

    topic: int
    number: int
    line: int
    text: str
    shingles: bytes = field(default=b"", repr=False)


@dataclass(frozen=True)
class Entry:
    """One report as read: where it came from, whose it is, whether it is an earlier year's, and its answers."""

    report: str
    repo: str
    group: int | None
    prior: bool
    set_id: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Side:
    """One answer of a pair: its report, repository, group, question number in its own set and first line."""

    report: str
    repo: str
    group: int | None
    question: int
    line: int
    prior: bool
    text: str = field(default="", repr=False, compare=False)  # for the HTML page; not in the JSON

    @classmethod
    def of(cls, entry: Entry, answer: Answer) -> Side:
        """Return the side of this entry's answer."""
        return cls(entry.report, entry.repo, entry.group, answer.number, answer.line, entry.prior, answer.text)

    def name(self) -> str:
        """Return how a person calls this side: its group and repository, marked when it is an earlier year's."""
        group = f"group {self.group} " if self.group is not None else ""
        return f"{group}{self.repo}{' (prior year)' if self.prior else ''}"

    def to_json(self) -> dict[str, Any]:
        """Return the side as schemas/similar.schema.json describes it."""
        return {"report": self.report, "repo": self.repo, "group": self.group, "question": self.question,
                "line": self.line, "prior": self.prior}


@dataclass(frozen=True)
class Shared:
    """One passage both answers hold: its first line in each, its words, and where it is in each answer's text."""

    a_line: int
    b_line: int
    words: int
    a_span: tuple[int, int] = field(default=(0, 0), repr=False)
    b_span: tuple[int, int] = field(default=(0, 0), repr=False)

    def to_json(self) -> dict[str, Any]:
        """Return the passage as the schema describes it."""
        return {"a_line": self.a_line, "b_line": self.b_line, "words": self.words}


@dataclass(frozen=True)
class Pair:
    """Two answers to one question that share passages few other groups wrote; `a` is this year's.

    `question` is the number in `a`'s set; `score` (0..1) is the share of the shorter answer's own words
    (weighted by how rare they are) that the other answer holds too.
    """

    question: int
    score: float
    a: Side
    b: Side
    shared: tuple[Shared, ...]

    @property
    def words(self) -> int:
        """Return the words of all shared passages."""
        return sum(passage.words for passage in self.shared)

    def sort_key(self) -> tuple[float, int, str, str, int]:
        """Order pairs highest score first, then by more shared words, then by name."""
        return (-self.score, -self.words, self.a.repo, self.b.repo, self.question)

    def to_json(self) -> dict[str, Any]:
        """Return the pair as the schema describes it."""
        return {"question": self.question, "score": self.score, "a": self.a.to_json(), "b": self.b.to_json(),
                "shared": [passage.to_json() for passage in self.shared]}
