"""Draft a question set from a blank template: sections, prompt fingerprints, ranges, kinds and titles.

Prompts are read by `checker.parse.parse`, so a fingerprint written here is exactly the one `check` computes.
Ranges come from the prompt's own wording (`Answer length: 100-200 words`, `Insert 1-2 images`, `Upload one
image`, ...); the text after `Example:` is ignored, since an example answer may mention counts of its own.
Titles are drafted by `checker.sets.titles` from what each prompt asks; a question it cannot title gets a
`TODO: title of question N` marker. Whatever cannot be read fully is returned as a `Gap` with its line, for a
person to finish by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from checker.files import REPORT_PATH
from checker.parse import block_markdown, parse, split_front_matter
from checker.sets.titles import draft_title
from checker.sets.tomlfile import to_toml as render_toml

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}
_NUM = r"(\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten)"
_DASH = r"\s*(?:-|\u2013|\u2014|to)\s*"
_PICTURES = r"(?:images?|screenshots?|figures?|pictures?|diagrams?|plots?)"
WORDS_RANGE = re.compile(rf"\b{_NUM}{_DASH}{_NUM}\s+words?\b", re.IGNORECASE)
WORDS_AT_MOST = re.compile(rf"\b(?:up\s+to|at\s+most|no\s+more\s+than|max(?:imum)?)\s+{_NUM}\s+words?\b",
                           re.IGNORECASE)
IMAGES_RANGE = re.compile(rf"\b{_NUM}{_DASH}{_NUM}\s+(?:\w+\s+)?{_PICTURES}\b", re.IGNORECASE)
IMAGES_EXACT = re.compile(
    rf"\b(?:insert|upload|include|add|attach|show)\s+{_NUM}\s+(?:\w+\s+)?{_PICTURES}\b", re.IGNORECASE
)
# Wording that promises a range the patterns above did not read: the question needs a person.
LENGTH_HINT = re.compile(r"\banswer\s+length\b|\bwords?\b", re.IGNORECASE)
PICTURE_HINT = re.compile(
    rf"\b(?:insert|upload|include|add|attach)\s+(?:\S+\s+){{0,2}}{_PICTURES}\b", re.IGNORECASE
)
EXAMPLE = re.compile(r"\bexample\s*:", re.IGNORECASE)
BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
AUTOLINK = re.compile(r"<[^>\s]+>")
GROUP_NUMBER = re.compile(r"\b(?:group|team)\s+(?:number|no\b|id\b)", re.IGNORECASE)
STUDENT_IDS = re.compile(r"\b(?:study|student)\s+(?:numbers?|ids?|identifiers?)\b", re.IGNORECASE)
CONTRIBUTIONS = re.compile(r"\bcontributions?\b", re.IGNORECASE)
ID_EXAMPLE = re.compile(r"\b([a-wyz]{0,4})(X{3,})\b")
SLUG_DROP = re.compile(r"[^a-z0-9]+")

DEFAULT_STUDENT_ID = r"^s\d{6}$"
KIND_TITLES = {"group-number": "Group number", "student-ids": "Student ids", "contributions": "Contributions"}


@dataclass(frozen=True)
class Gap:
    """A question the extractor could not read fully: where, and what a person has to finish."""

    line: int
    number: int | None
    reason: str

    def describe(self, origin: str) -> str:
        """Return the one-line form used on stderr and in TOML comments."""
        who = f"question {self.number}: " if self.number is not None else ""
        return f"{origin}:{self.line}: {who}{self.reason}"


@dataclass(frozen=True)
class Extraction:
    """A drafted question set (as the data a TOML file holds) and the gaps left in it."""

    data: dict[str, Any]
    gaps: tuple[Gap, ...] = field(default=())


def untitled(number: int) -> str:
    """Return the title a question gets when none could be drafted: a marker no person would write."""
    return f"TODO: title of question {number}"


def slugify(text: str) -> str:
    """Return a kebab-case id for a heading: lower case, ASCII letters and digits joined by '-'."""
    return SLUG_DROP.sub("-", text.lower()).strip("-")


def _number(word: str) -> int:
    word = word.lower()
    return NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word)


def _plain(text: str) -> str:
    """Return text without links, autolinks, inline code marks and emphasis, on one line."""
    text = LINK.sub(r"\1", text)
    text = AUTOLINK.sub(" ", text)
    text = text.replace("`", "").replace("*", "").replace("_", " ")
    return " ".join(text.split())


def _question_text(prompt: str) -> str:
    """Return what the prompt asks: its bold spans, or else the text before the example."""
    head = EXAMPLE.split(prompt, maxsplit=1)[0]
    bold = " ".join(next(g for g in m.groups() if g is not None) for m in BOLD.finditer(head))
    return _plain(bold or head)


def _ranges(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Return every word range and every image range the text states, in order."""
    words = [(_number(m.group(1)), _number(m.group(2))) for m in WORDS_RANGE.finditer(text)]
    words += [(0, _number(m.group(1))) for m in WORDS_AT_MOST.finditer(text)]
    images = [(_number(m.group(1)), _number(m.group(2))) for m in IMAGES_RANGE.finditer(text)]
    images += [(_number(m.group(1)), _number(m.group(1))) for m in IMAGES_EXACT.finditer(text)]
    return words, images


def _kind(text: str) -> str:
    if CONTRIBUTIONS.search(text):
        return "contributions"
    if STUDENT_IDS.search(text):
        return "student-ids"
    if GROUP_NUMBER.search(text):
        return "group-number"
    return "text"


def _sections(text: str) -> list[tuple[int, str]]:
    """Return the (1-based line, text) of each top-level `##` heading, found as `parse` finds them."""
    lines = text.split("\n")
    _, skip = split_front_matter(lines)
    tokens = block_markdown().parse("\n".join([""] * skip + lines[skip:]))
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.markup == "##" and token.map:
            found.append((token.map[0] + 1, _plain(tokens[index + 1].content)))
    return found


def _line_of(lines: list[str], start: int, stop: int, pattern: re.Pattern[str]) -> int:
    """Return the 1-based line in [start, stop) whose text matches, or `start` when none does."""
    for number in range(start, min(stop, len(lines) + 1)):
        if pattern.search(lines[number - 1]):
            return number
    return start


def extract(text: str, set_id: str, title: str | None = None) -> Extraction:
    """Draft a question set from a blank template's text (LF newlines)."""
    report = parse(text)
    lines = text.split("\n")
    headings = _sections(text)
    gaps: list[Gap] = []
    if not report.questions:
        gaps.append(Gap(1, None, "no `### Question N` headings: nothing to extract"))

    used_sections: dict[str, str] = {}
    slug_of_line: dict[int, str] = {}
    for line, heading in headings:
        slug = slugify(heading) or "section"
        base, suffix = slug, 2
        while slug in slug_of_line.values():
            slug, suffix = f"{base}-{suffix}", suffix + 1
        slug_of_line[line] = slug

    questions: list[dict[str, Any]] = []
    student_id_pattern = DEFAULT_STUDENT_ID
    seen: set[int] = set()
    for position, parsed in enumerate(report.questions, start=1):
        number = parsed.number
        stop = parsed.answer.start_line + 1
        entry: dict[str, Any] = {"number": number}
        owner = [line for line, _ in headings if line < parsed.line]
        if owner:
            slug = slug_of_line[owner[-1]]
            used_sections.setdefault(slug, dict(headings)[owner[-1]])
            entry["section"] = slug
        else:
            gaps.append(Gap(parsed.line, number, "not under a `##` heading: give it a section by hand"))
        if number in seen:
            gaps.append(Gap(parsed.line, number, "this number is used twice: renumber the questions"))
        elif number != position:
            gaps.append(Gap(parsed.line, number,
                            f"expected question {position} here: numbers must run 1, 2, 3..."))
        seen.add(number)

        asked = _question_text(parsed.prompt)
        kind = _kind(asked)
        drafted = KIND_TITLES.get(kind) or draft_title(asked)
        entry["title"] = drafted or untitled(number)
        entry["fingerprint"] = parsed.fingerprint
        if kind != "text":
            entry["kind"] = kind
        if not parsed.prompt.strip():
            gaps.append(Gap(parsed.line, number,
                            "no quoted prompt below the heading: the fingerprint is of an empty prompt"))
        elif drafted is None:
            gaps.append(Gap(parsed.line, number, f"no title could be drafted from the prompt: replace "
                                                 f"{untitled(number)!r} with one"))

        body = _plain(EXAMPLE.split(parsed.prompt, maxsplit=1)[0])
        words, images = _ranges(body)
        if words:
            entry["words"] = list(words[0])
        if images:
            entry["images"] = list(images[0])
        if len(set(words)) > 1 or len(set(images)) > 1:
            gaps.append(Gap(_line_of(lines, parsed.line, stop, LENGTH_HINT), number,
                            "the prompt states more than one range; the first is used, check it"))
        if kind == "text" and not words and LENGTH_HINT.search(body):
            gaps.append(Gap(_line_of(lines, parsed.line, stop, LENGTH_HINT), number,
                            "mentions an answer length that is not `N-M words`: set `words` by hand"))
        elif kind == "text" and not images and PICTURE_HINT.search(body):
            gaps.append(Gap(_line_of(lines, parsed.line, stop, PICTURE_HINT), number,
                            "asks for pictures without a count: set `images` by hand"))
        elif kind == "text" and not words and not images:
            gaps.append(Gap(parsed.line, number, "no answer length or image count in the prompt: "
                                                 "add `words`/`images` by hand, or leave it without a range"))
        if kind == "student-ids":
            example = ID_EXAMPLE.search(parsed.prompt)
            if example:
                student_id_pattern = rf"^{re.escape(example.group(1))}\d{{{len(example.group(2))}}}$"
            else:
                gaps.append(Gap(parsed.line, number, "no example id like `sXXXXXX` in the prompt: check "
                                                     f"student_id_pattern (default {DEFAULT_STUDENT_ID})"))
        questions.append(entry)

    data: dict[str, Any] = {
        "schema_version": 1,
        "id": set_id,
        "title": title or set_id,
        "report_path": REPORT_PATH,
        "student_id_pattern": student_id_pattern,
        "sections": [{"id": slug, "title": heading} for slug, heading in used_sections.items()],
        "questions": questions,
    }
    if not data["sections"]:
        del data["sections"]
    return Extraction(data, tuple(sorted(gaps, key=lambda g: (g.line, g.reason))))


def to_toml(extraction: Extraction, origin: str) -> str:
    """Render a drafted set in the layout of the shipped question files, gaps as comments."""
    header = [
        f"Question set drafted by `reportcheck sets extract` from {origin}.",
        "Prompts are identified by fingerprint only. Titles are drafts made from the noun phrase each prompt",
        "asks about, and ranges are the template's wording: check both, and the course checker's ranges.",
    ]
    if extraction.gaps:
        header.append("To finish by hand:")
        header += [f"  {gap.describe(origin)}" for gap in extraction.gaps]
    todo: dict[int, list[str]] = {}
    for gap in extraction.gaps:
        if gap.number is not None:
            todo.setdefault(gap.number, []).append(f"TODO (line {gap.line}): {gap.reason}")
    return render_toml(extraction.data, header, todo)
