"""Question sets: load the shipped ones (or a file), and pick the one a report follows by prompt fingerprints."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any, Literal

from checker.errors import CheckerError
from checker.evidence import EvidenceRules, rules_from_data
from checker.files import REPORT_PATH
from checker.fingerprint import fingerprint, word_hashes
from checker.model import Range, TemplateMatch
from checker.parse import ParsedQuestion, ParsedReport
from checker.prompts import same_question
from checker.records import NamedTuple
from checker.resources import data_dir

Kind = Literal["text", "group-number", "student-ids", "contributions"]


class Prompt(NamedTuple):
    """One wording of a question, as one or more template revisions ask it: hashes of its words, never the words.

    `fingerprint` is `checker.fingerprint.fingerprint` of the question's own sentence (the bold prompt) and `hashes`
    its `word_hashes`, separated by white space as stored (split on use: most checks never need them);
    `revisions` are the ids of the template revisions that ask it this way.
    """

    fingerprint: str
    hashes: str = ""
    revisions: tuple[str, ...] = ()

    @property
    def word_hashes(self) -> tuple[str, ...]:
        """Return the hash of each word of the wording, in order."""
        return _hash_tuple(self.hashes)


class Guidance(NamedTuple):
    """The guidance under a question (answer length, example) in some revisions: its fingerprint only."""

    fingerprint: str
    revisions: tuple[str, ...] = ()


class Revision(NamedTuple):
    """A revision of the course's template that a set learned (`reportcheck sets learn`): an id and its date."""

    id: str
    date: str = ""


@cache
def _hash_set(hashes: str) -> frozenset[str]:
    return frozenset(hashes.split())


@cache
def _hash_tuple(hashes: str) -> tuple[str, ...]:
    return tuple(hashes.split())


class Question(NamedTuple):
    """One question of a set: where it belongs, what it is about, its ranges, and the wordings it is known by.

    `fingerprint` is the question's own sentence in the set's own template; `prompts` are its wordings and
    `guidance` the guidance under it in every revision the set learned. `examples` holds (separated by white space)
    and `example_shingles` gives the `checker.fingerprint.shingle_hashes` of the template's example answers, every
    revision's, so a tool can leave the template's words out of a comparison without storing them.
    """

    number: int
    section: str
    title: str
    fingerprint: str
    kind: Kind = "text"
    words: Range | None = None
    images: Range | None = None
    note: str = ""
    prompts: tuple[Prompt, ...] = ()
    guidance: tuple[Guidance, ...] = ()
    examples: str = ""

    @property
    def example_shingles(self) -> frozenset[str]:
        """Return the shingle hashes of the template's example answers to this question (empty when it has none)."""
        return _hash_set(self.examples)

    @property
    def wordings(self) -> tuple[Prompt, ...]:
        """Return every known wording: the learned ones, else the set's own fingerprint alone."""
        if self.prompts:
            return self.prompts
        return (Prompt(self.fingerprint),) if self.fingerprint else ()


class OfficialChecker(NamedTuple):
    """How the course's own checker version for this set reads a report (see `checker.official`)."""

    version: str
    cut_prefix: int
    drop: Literal["first-answer", "first-piece"]


class QuestionSet(NamedTuple):
    """A year's template as data: its questions in order, and how its students are identified."""

    id: str
    title: str
    questions: tuple[Question, ...]
    sections: dict[str, str]
    student_id_pattern: str
    official: OfficialChecker | None
    report_path: str = REPORT_PATH
    released: str = ""
    evidence: EvidenceRules | None = None
    revisions: tuple[Revision, ...] = ()

    @property
    def student_id(self) -> re.Pattern[str]:
        """Return the compiled student id pattern."""
        return re.compile(self.student_id_pattern)


def from_data(data: dict[str, Any], origin: str, *, check_patterns: bool = True) -> QuestionSet:
    """Build a QuestionSet from parsed TOML/JSON data (already schema-valid for shipped sets).

    `check_patterns` compiles the evidence rules' patterns at once (the shipped sets' tests do that instead).
    """
    try:
        official = data.get("official_checker")
        questions = tuple(
            Question(
                number=int(q["number"]),
                section=str(q.get("section", "")),
                title=str(q["title"]),
                fingerprint=str(q.get("fingerprint", "")),
                kind=q.get("kind", "text"),
                words=tuple(q["words"]) if "words" in q else None,
                images=tuple(q["images"]) if "images" in q else None,
                note=str(q.get("note", "")),
                prompts=tuple(
                    Prompt(str(p["fingerprint"]), str(p.get("word_hashes", "")), tuple(p.get("revisions", ())))
                    for p in q.get("prompts", ())
                ),
                guidance=tuple(Guidance(str(g["fingerprint"]), tuple(g.get("revisions", ())))
                               for g in q.get("guidance", ())),
                examples=str(q.get("example_shingles", "")),
            )
            for q in data["questions"]
        )
        return QuestionSet(
            id=str(data["id"]),
            title=str(data.get("title", data["id"])),
            questions=questions,
            sections={str(s["id"]): str(s["title"]) for s in data.get("sections", [])},
            student_id_pattern=str(data.get("student_id_pattern", r"^s\d{6}$")),
            official=OfficialChecker(str(official["version"]), int(official["cut_prefix"]), official["drop"])
            if official
            else None,
            report_path=str(data.get("report_path", REPORT_PATH)),
            released=str(data.get("released", "")),
            evidence=rules_from_data(data, origin, check_patterns=check_patterns),
            revisions=tuple(Revision(str(r["id"]), str(r.get("date", ""))) for r in data.get("revisions", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckerError(f"{origin}: not a valid question set ({type(exc).__name__}: {exc})") from None


def load_file(path: str | Path) -> QuestionSet:
    """Load a question set from a TOML file; errors become one-line CheckerErrors."""
    import tomllib

    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CheckerError(f"{path}: cannot read the question set ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CheckerError(f"{path}: not valid TOML ({exc})") from None
    return from_data(data, str(path))


# Written into the wheel by hatch_build.py from `source_of`.
COMPILED = "checker._compiled_sets"


@cache
def shipped() -> tuple[QuestionSet, ...]:
    """Return the question sets shipped with the package, oldest first.

    A wheel carries them built, as `checker._compiled_sets` (see `source_of`); a checkout reads the TOML files.
    """
    from importlib import import_module

    try:
        sets: list[QuestionSet] = list(import_module(COMPILED).SETS)
    except ModuleNotFoundError as exc:
        if exc.name != COMPILED:
            raise
        import tomllib

        folder = data_dir("questions")
        sets = [
            from_data(tomllib.loads(entry.read_text(encoding="utf-8")), entry.name, check_patterns=False)
            for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".toml")
        ]
    return tuple(sorted(sets, key=lambda s: (s.released, s.id)))


def source_of(sets: list[QuestionSet]) -> str:
    """Return a Python module whose `SETS` are these sets: their records' reprs, and the imports they name.

    The wheel build (hatch_build.py) writes it, so a start builds the sets from bytecode constants.
    """
    classes: set[type] = set()

    def collect(value: object) -> None:
        if isinstance(value, tuple) and hasattr(value, "_fields"):
            classes.add(type(value))
        if isinstance(value, (tuple, list)):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)

    collect(sets)
    imports = sorted(f"from {kind.__module__} import {kind.__qualname__}\n" for kind in classes)
    return ('"""The shipped question sets, built when the wheel was (hatch_build.py); do not edit."""\n\n'
            + "".join(imports) + f"\nSETS = {tuple(sets)!r}\n")


def by_id(set_id: str, sets: tuple[QuestionSet, ...] | None = None) -> QuestionSet:
    """Return the set with this id, or say which ids exist."""
    sets = shipped() if sets is None else sets
    for candidate in sets:
        if candidate.id == set_id:
            return candidate
    known = ", ".join(s.id for s in sets)
    raise CheckerError(f"unknown question set '{set_id}'; known: {known}")


class Detection(NamedTuple):
    """Which set a report follows, which revision of its template, and how many of its questions it kept word for word.

    `revision` is the earliest of the set's revisions that fits the report best and `alike` the other revisions
    (of this or another set of its size) that fit as well: they ask the same as far as the report shows. Both are
    empty for a set that learned no revisions, or when fewer than half the questions are asked as in any of them.
    """

    question_set: QuestionSet
    matched: int
    revision: Revision | None = None
    alike: tuple[Revision, ...] = ()


def question_count(report: ParsedReport) -> int:
    """Return how many questions the report's template has: its highest question number."""
    return max((q.number for q in report.questions), default=0)


def matches(report: ParsedReport, question_set: QuestionSet) -> int:
    """Count the set's questions whose own words the report kept (in any wording the set knows) under their number."""
    seen: dict[int, set[str]] = {}
    for parsed in report.questions:
        seen.setdefault(parsed.number, set()).add(parsed.fingerprint)
    return sum(
        1 for q in question_set.questions if any(p.fingerprint in seen.get(q.number, ()) for p in q.wordings)
    )


class _Fits:
    """Whether a report's questions fit given wordings, remembered, since sets share wordings."""

    def __init__(self, report: ParsedReport) -> None:
        self.first: dict[int, ParsedQuestion] = {}
        for parsed in report.questions:
            self.first.setdefault(parsed.number, parsed)
        self.hashes: dict[int, list[str]] = {}
        self.known: dict[tuple[int, str], bool] = {}
        self.guidance: dict[int, str] = {}

    def wording(self, number: int, prompt: Prompt) -> int:
        """Tell how question `number` is asked: 2 in this wording, 1 close enough to be the same question, else 0."""
        parsed = self.first.get(number)
        if parsed is None:
            return 0
        if parsed.fingerprint == prompt.fingerprint:
            return 2
        if not prompt.hashes:
            return 0
        key = (number, prompt.fingerprint)
        if key not in self.known:
            if number not in self.hashes:
                self.hashes[number] = list(word_hashes(parsed.sentence))
            self.known[key] = same_question(self.hashes[number], prompt.word_hashes)
        return int(self.known[key])

    def same_guidance(self, number: int, guidance: Guidance) -> bool:
        """Tell whether question `number` kept this guidance word for word."""
        parsed = self.first.get(number)
        if parsed is None:
            return False
        if number not in self.guidance:
            self.guidance[number] = fingerprint(parsed.guidance)
        return self.guidance[number] == guidance.fingerprint


# How well a report fits a revision: questions asked as there or close enough, asked word for word, and with the
# guidance under them kept. Compared as a tuple, in that order.
Score = tuple[int, int, int]


def _revision_scores(question_set: QuestionSet, fits: _Fits) -> dict[str, Score]:
    """Score each revision of the set (one unnamed revision when it learned none)."""
    if not question_set.revisions:
        best = [max((fits.wording(q.number, p) for p in q.wordings), default=0) for q in question_set.questions]
        guided = sum(1 for q in question_set.questions if any(fits.same_guidance(q.number, g) for g in q.guidance))
        return {"": (sum(1 for b in best if b), sum(1 for b in best if b == 2), guided)}
    close: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for question in question_set.questions:
        for prompt in question.prompts:
            asked = fits.wording(question.number, prompt)
            if asked:
                close.update(prompt.revisions)
                if asked == 2:
                    exact.update(prompt.revisions)
        for guidance in question.guidance:
            if fits.same_guidance(question.number, guidance):
                kept.update(guidance.revisions)
    return {r.id: (close[r.id], exact[r.id], kept[r.id]) for r in question_set.revisions}


def detect(report: ParsedReport, sets: tuple[QuestionSet, ...] | None = None) -> Detection:
    """Pick the set (and revision) the report follows: of the report's question count, then by its wordings.

    Among the sets whose question count is nearest to the report's, the one with the revision that fits best
    (questions asked as there or close enough: `checker.prompts.SAME_QUESTION`; then word for word; then with the
    guidance kept), then the one most of whose own wordings the report keeps, then the newest. A report that fits
    no revision goes to the newest set of its size. Revisions that ask every question alike cannot be told apart:
    the set whose own revision is among them is chosen, and the others are named `alike`.
    """
    sets = shipped() if sets is None else sets
    size = question_count(report)
    gap = min(abs(len(s.questions) - size) for s in sets)
    fits = _Fits(report)
    candidates = [(s, _revision_scores(s, fits)) for s in sets if abs(len(s.questions) - size) == gap]

    def key(candidate: tuple[QuestionSet, dict[str, Score]]) -> tuple[Score, int, str]:
        question_set, scores = candidate
        own = sum(1 for q in question_set.questions if fits.wording(q.number, Prompt(q.fingerprint)) == 2)
        return (max(scores.values()), own, question_set.released)

    chosen, scores = max(candidates, key=key)
    top = max(scores.values())
    others = [r for s, theirs in candidates if s is not chosen for r in s.revisions if theirs[r.id] == top]
    return _follow(report, chosen, scores, others)


def follow(report: ParsedReport, question_set: QuestionSet) -> Detection:
    """Say which revision of this set's template the report follows, and how many questions it kept."""
    return _follow(report, question_set, _revision_scores(question_set, _Fits(report)), [])


def _follow(report: ParsedReport, question_set: QuestionSet, scores: dict[str, Score],
            others: list[Revision]) -> Detection:
    """Name the best-fitting revision of the set, and the others (of this set or `others`) that fit as well."""
    top = max(scores.values())
    # A report follows a revision when most of its questions are asked as there; else it names none.
    if 2 * top[0] < len(question_set.questions):
        return Detection(question_set, matches(report, question_set))
    fitting = sorted((r for r in question_set.revisions if scores[r.id] == top), key=lambda r: r.date)
    if not fitting:
        return Detection(question_set, matches(report, question_set))
    alike = sorted([*fitting[1:], *others], key=lambda r: r.date)
    return Detection(question_set, matches(report, question_set), fitting[0], tuple(alike))


def template_match(report: ParsedReport, detection: Detection) -> TemplateMatch:
    """Describe the revision a report follows, and the questions whose guidance it deleted or changed."""
    first: dict[int, ParsedQuestion] = {}
    for parsed in report.questions:
        first.setdefault(parsed.number, parsed)
    revision = detection.revision
    deleted: list[int] = []
    changed: list[int] = []
    for question in detection.question_set.questions:
        found = first.get(question.number)
        if found is None or not question.guidance:
            continue
        if fingerprint(found.guidance) in {g.fingerprint for g in question.guidance}:
            continue
        (changed if found.guidance else deleted).append(question.number)
    if revision is None:
        return TemplateMatch(guidance_deleted=tuple(deleted), guidance_changed=tuple(changed))
    return TemplateMatch(revision.id, revision.date, tuple(r.id for r in detection.alike), tuple(deleted),
                         tuple(changed))
