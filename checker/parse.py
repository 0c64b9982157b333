"""Parse a report with markdown-it-py into questions, answer regions, images and the checklist.

Template headings (a level-2 ATX heading, or a level-3 ATX heading that starts with "Question N") are found
among the top-level block tokens, so a `#` inside a code block, a `####` sub-heading, an `# H1` or a setext
underline inside an answer never ends it. The answer region itself is then cut from the source lines, because
an answer may begin on the `> Answer:` line or continue inside the prompt's quote.

Lines are 0-based inside this module (as markdown-it's `map`) and 1-based in everything it returns.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

from checker.digest import sha256_hex
from checker.fingerprint import fingerprint as words_fingerprint
from checker.records import NamedTuple

ImageKind = Literal["markdown", "html", "link", "broken", "code", "comment"]

QUESTION_HEADING = re.compile(r"^\s*question\s*(\d+)\b", re.IGNORECASE)
ANSWER_MARKER = re.compile(r"^[\s>]*[*_]*Answer\s*:[*_]*", re.IGNORECASE)
PLACEHOLDER = re.compile(r"-{2,}\s*question\s+\d+\s+fill\s+here\s*-{2,}", re.IGNORECASE)
QUOTE_PREFIX = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+")
HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
MARKER_TOKEN = re.compile(r"(?<!\S)[-*_=]{3,}(?!\S)")
IMAGE_SYNTAX = re.compile(r"!\[[^\]\n]*\]\(([^)\n]*)\)?")
HTML_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)
CHECKBOX = re.compile(r"^\[([ xX])\]\s+(.*)$", re.DOTALL)
MODULE_TAG = re.compile(r"\((M\d+(?:\s*[+,/&]\s*M\d+)*)\)\s*$")
_FINGERPRINT_DROP = str.maketrans("", "", ">*_")
# The question's own sentence is set in bold (`**`, or `__` after some formatters); an escaped `\*` is not markup.
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.DOTALL)
BOLD_UNDERSCORES = re.compile(r"(?<![^\W_])__(?=\S)(.+?)(?<=\S)__(?![^\W_])", re.DOTALL)
_ESCAPED_MARK = re.compile(r"\\[*_]")
# Where the guidance under an unbolded question starts: its answer length or its example.
GUIDANCE = re.compile(r"\b(?:recommended\s+)?answer\s+length\s*:|\bexample\s*:", re.IGNORECASE)
# `Answer:` that a formatter joined onto the prompt's last line is the marker, not guidance.
TRAILING_ANSWER = re.compile(r"\banswer\s*:[*_\s]*$", re.IGNORECASE)
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".tif", ".tiff")


class ImageRef(NamedTuple):
    """Something in an answer that is, or looks like, an image: how it is written decides whether it renders."""

    line: int
    src: str
    kind: ImageKind

    @property
    def renders(self) -> bool:
        """Tell whether a markdown renderer shows this as a markdown image."""
        return self.kind == "markdown"


class Answer(NamedTuple):
    """The answer region of one question: where it is, its words and its images."""

    start_line: int
    end_line: int
    text: str
    words: int
    images: tuple[ImageRef, ...]
    placeholder_line: int | None
    wrapped_in_markers: bool
    has_marker: bool
    text_line: int = 0  # the 1-based line where `text` begins (after leading blank lines)

    @property
    def empty(self) -> bool:
        """Tell whether nothing but template leftovers is written here."""
        return self.words == 0 and not self.images


class ParsedQuestion(NamedTuple):
    """A `### Question N` section: its heading, its prompt and the fingerprint of the question's own words, its answer.

    `prompt` keeps its line breaks (quote markers removed) and starts at line `prompt_line`; `sentence` is the
    question's own sentence in it (its bold spans), `guidance` the rest (answer length, example), empty when deleted.
    """

    number: int
    line: int
    heading: str
    prompt: str
    fingerprint: str
    answer: Answer
    prompt_line: int = 0
    guidance: str = ""
    sentence: str = ""


class ChecklistItem(NamedTuple):
    """One `* [ ]` / `* [x]` line of the module checklist."""

    line: int
    checked: bool
    text: str
    modules: tuple[str, ...]


class ChecklistGroup(NamedTuple):
    """A level-3 heading of the checklist (a week, or the extras) and its items."""

    name: str
    line: int
    items: tuple[ChecklistItem, ...]


class ParsedReport(NamedTuple):
    """The structure of one report, independent of any question set."""

    front_matter: dict[str, str]
    questions: tuple[ParsedQuestion, ...]
    checklist: tuple[ChecklistGroup, ...]


def own_spans(prompt: str) -> list[tuple[int, int]]:
    """Return where the question's own words are in a prompt: its bold spans, or else all before the guidance."""
    marked = _ESCAPED_MARK.sub("  ", prompt) if "\\" in prompt else prompt
    spans = [match.span(1) for match in BOLD.finditer(marked)]
    if "__" in marked:
        spans = sorted([*spans, *(match.span(1) for match in BOLD_UNDERSCORES.finditer(marked))])
    if spans:
        return spans
    guidance = GUIDANCE.search(prompt)
    return [(0, guidance.start() if guidance else len(prompt))]


def split_prompt(prompt: str) -> tuple[str, str]:
    """Return (the question's own words, the guidance under them) of a prompt."""
    spans = own_spans(prompt)
    own = "\n".join(prompt[start:end] for start, end in spans)
    rest: list[str] = []
    previous = 0
    for start, end in spans:
        rest.append(prompt[previous:start])
        previous = end
    rest.append(prompt[previous:])
    guidance = " ".join(rest).replace("**", " ").replace("__", " ")
    tail = guidance[-40:]
    if ":" in tail:
        guidance = guidance[: len(guidance) - len(tail)] + TRAILING_ANSWER.sub("", tail)
    return own, guidance if _LETTER_OR_DIGIT.search(guidance) else ""


def prompt_fingerprint(prompt: str) -> str:
    """Return the fingerprint of a prompt's own words, so prompts are matched but never stored."""
    return words_fingerprint(split_prompt(prompt)[0])


def fingerprint(text: str) -> str:
    """Return the short sha256 of a normalised checklist item: `checker.evidence` matches items, never stores them.

    Quote markers, emphasis characters, case and line breaks are left out. (Prompts are matched by the words of
    their own sentence instead: `prompt_fingerprint`, `checker.fingerprint`.)
    """
    normal = " ".join(text.translate(_FINGERPRINT_DROP).lower().split())
    return sha256_hex(normal.encode("utf-8"))[:16]


@cache
def markdown() -> MarkdownIt:
    """Return the CommonMark parser with tables and raw HTML, as GitHub renders reports."""
    return MarkdownIt("commonmark", {"html": True}).enable("table")


@cache
def block_markdown() -> MarkdownIt:
    """Return the same parser without inline parsing: structure needs blocks only, and inline parsing is
    most of markdown-it's time. Paragraphs that may hold images are inline-parsed one by one later."""
    # Setext headings never end an answer (only ATX ones do), so their rule is skipped too: 8% less work.
    return MarkdownIt("commonmark", {"html": True}).enable("table").disable(["inline", "lheading"])


# Inline content without any of these cannot hold an image, a link or HTML, so it is never inline-parsed.
_INLINE_CANDIDATES = re.compile(r"!\[|\]\(|\]\[|<")


def _children(token: Token, env: dict[str, Any]) -> list[Token]:
    """Inline-parse one block's content on demand."""
    if not token.children:
        md = block_markdown()  # its inline parser is intact; only the core step that runs it is off
        children: list[Token] = []
        md.inline.parse(token.content, md, env, children)
        token.children = children
    return token.children


def count_words(text: str, chunk: int = 1 << 20) -> int:
    """Count `str.split()` tokens without building the list, so a 20 MB answer costs no extra memory."""
    if len(text) <= chunk:
        return len(text.split())
    total = 0
    start = 0
    while start < len(text):
        end = min(start + chunk, len(text))
        while end < len(text) and not text[end].isspace():
            end += 1
        total += len(text[start:end].split())
        start = end
    return total


def split_front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """Return the front matter's `key: value` pairs and how many leading lines it takes."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            pairs: dict[str, str] = {}
            for raw in lines[1:end]:
                key, sep, value = raw.partition(":")
                if sep and key.strip() and not raw.startswith((" ", "\t")):
                    pairs[key.strip()] = value.strip()
            return pairs, end + 1
    return {}, 0


def parse(text: str) -> ParsedReport:
    """Parse report text (LF newlines, no BOM) into its questions and checklist."""
    lines = text.split("\n")
    front_matter, skip = split_front_matter(lines)
    # Blank the front matter instead of cutting it, so markdown-it's line numbers stay the file's.
    body = "\n".join([""] * skip + lines[skip:])
    env: dict[str, Any] = {}  # link reference definitions, for reference-style images
    tokens = block_markdown().parse(body, env)

    headings: list[tuple[int, int, int | None, str]] = []  # (token index, line, question number, text)
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.level != 0 or token.map is None:
            continue
        title = tokens[index + 1].content.strip()
        if token.markup == "##":
            headings.append((index, token.map[0], None, title))
        elif token.markup == "###":
            match = QUESTION_HEADING.match(title)
            headings.append((index, token.map[0], int(match.group(1)) if match else -1, title))

    # Template headings (sections and questions) end answers; other level-3 headings do not.
    boundaries = [(index, line) for index, line, number, _ in headings if number != -1]
    questions: list[ParsedQuestion] = []
    heading_info = {index: (number, title) for index, _, number, title in headings}
    for position, (index, _) in enumerate(boundaries):
        number, title = heading_info[index]
        if number is None:
            continue
        stop_index, end = boundaries[position + 1] if position + 1 < len(boundaries) else (len(tokens), len(lines))
        questions.append(_question(tokens[index:stop_index], lines, number, title, end, env))

    first_question = questions[0].line - 1 if questions else len(lines)
    checklist = _checklist(tokens, headings, first_question)
    return ParsedReport(front_matter, tuple(questions), checklist)


def _question(
    tokens: list[Token], lines: list[str], number: int, title: str, end: int, env: dict[str, Any]
) -> ParsedQuestion:
    """Build one question from its tokens (heading first) and the line where the next template heading starts."""
    heading_map = tokens[0].map
    assert heading_map is not None
    body_start = heading_map[1]

    # The prompt is the run of blockquotes that follows the heading with only blank lines around them
    # (formatters split one quote into several where it holds blank lines).
    quote: tuple[int, int] | None = None
    for token in tokens[3:]:
        if token.level != 0 or token.map is None or token.type.endswith("_close"):
            continue
        if token.type != "blockquote_open" or token.map[0] >= end:
            break
        gap_from = quote[1] if quote else body_start
        if any(lines[i].strip() for i in range(gap_from, token.map[0])):
            break
        quote = (quote[0] if quote else token.map[0], min(token.map[1], end))

    search_from = quote[0] if quote else body_start
    search_to = quote[1] if quote else body_start
    # "Answer:" may also stand just below the quote when a group dropped its `>`.
    while search_to < end and not lines[search_to].strip():
        search_to += 1
    marker_line = None
    marker_col = 0
    for i in range(search_from, min(search_to + 1, end)):
        match = ANSWER_MARKER.match(lines[i])
        if match:
            marker_line, marker_col = i, match.end()
            break

    if marker_line is not None:
        start, col = marker_line, marker_col
        prompt_lines = lines[search_from:marker_line] if quote else []
    elif quote:
        start, col = quote[1], 0
        prompt_lines = lines[quote[0] : quote[1]]
    else:
        start, col = body_start, 0
        prompt_lines = []
    prompt = "\n".join(QUOTE_PREFIX.sub("", raw) for raw in prompt_lines)
    own, guidance = split_prompt(prompt)

    in_quote_until = quote[1] if quote else start
    region: list[str] = []
    for i in range(start, end):
        raw = lines[i][col:] if i == start else lines[i]
        if i < in_quote_until:
            raw = QUOTE_PREFIX.sub("", raw)
        region.append(raw)
    answer = _answer(tokens, lines, region, start, end, marker_line, env)
    prompt_line = (search_from if prompt_lines else body_start) + 1
    return ParsedQuestion(number, heading_map[0] + 1, title, prompt, words_fingerprint(own), answer, prompt_line,
                          guidance, own)


def _answer(
    tokens: list[Token],
    lines: list[str],
    region: list[str],
    start: int,
    end: int,
    marker_line: int | None,
    env: dict[str, Any],
) -> Answer:
    """Count the words and collect the images of an answer region spanning lines [start, end)."""
    raw = "\n".join(region)
    # Comments are not words; each keeps its line breaks so line numbers below stay right.
    visible = HTML_COMMENT.sub(_blank_keeping_lines, raw) if "<!--" in raw else raw
    placeholder_line = None
    match = PLACEHOLDER.search(visible)
    if match:
        placeholder_line = start + visible.count("\n", 0, match.start()) + 1
        visible = PLACEHOLDER.sub(" ", visible)
    stripped = visible.strip()
    leading = visible.count("\n", 0, len(visible) - len(visible.lstrip()))
    wrapped = stripped.startswith("---") or stripped.endswith("---")
    words = count_words(stripped)
    if "---" in stripped or "***" in stripped or "___" in stripped or "===" in stripped:
        words -= sum(1 for _ in MARKER_TOKEN.finditer(stripped))
    images = _images(tokens, start, end, marker_line, env)
    return Answer(
        start_line=start + 1,
        end_line=max(end, start + 1),
        text=stripped,
        words=words,
        images=images,
        placeholder_line=placeholder_line,
        wrapped_in_markers=wrapped and bool(words),
        has_marker=marker_line is not None,
        text_line=start + 1 + leading,
    )


def _blank_keeping_lines(match: re.Match[str]) -> str:
    return "\n" * match.group().count("\n") or " "


def _images(
    tokens: list[Token], start: int, end: int, marker_line: int | None, env: dict[str, Any]
) -> tuple[ImageRef, ...]:
    """Collect every image-like thing in the tokens that lie in lines [start, end)."""
    found: list[ImageRef] = []
    for token in tokens:
        if token.map is None or token.map[1] <= start or token.map[0] >= end:
            continue
        line = token.map[0] + 1
        if token.type in ("fence", "code_block"):
            found.extend(ImageRef(line, m.group(1), "code") for m in IMAGE_SYNTAX.finditer(token.content))
        elif token.type == "html_block":
            _html_images(token.content, line, found)
        elif token.type == "inline" and _INLINE_CANDIDATES.search(token.content):
            skip_prompt = marker_line is not None and token.map[0] <= marker_line < token.map[1]
            _inline_images(_children(token, env), line, skip_prompt, found)
    return tuple(found)


def _html_images(html: str, line: int, found: list[ImageRef]) -> None:
    """Add `<img>` tags and image markdown hidden in comments of a raw HTML chunk."""
    for comment in HTML_COMMENT.finditer(html):
        found.extend(ImageRef(line, m.group(1), "comment") for m in IMAGE_SYNTAX.finditer(comment.group()))
    for tag in HTML_IMG_SRC.finditer(HTML_COMMENT.sub(" ", html)):
        found.append(ImageRef(line, next(g for g in tag.groups() if g is not None), "html"))


def _inline_images(children: list[Token], line: int, skip_prompt: bool, found: list[ImageRef]) -> None:
    """Add the images, image links and broken image syntax of one paragraph's inline tokens."""
    in_link: str | None = None
    link_has_image = False
    for child in children:
        if skip_prompt:
            if child.type == "text" and "answer" in child.content.lower() and ":" in child.content:
                skip_prompt = False
            continue
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "image":
            found.append(ImageRef(line, str(child.attrs.get("src", "")), "markdown"))
            link_has_image = True
        elif child.type == "link_open":
            in_link, link_has_image = str(child.attrs.get("href", "")), False
        elif child.type == "link_close":
            target = (in_link or "").split("#", 1)[0].split("?", 1)[0].lower()
            if not link_has_image and target.endswith(IMAGE_EXTENSIONS):
                found.append(ImageRef(line, in_link or "", "link"))
            in_link = None
        elif child.type == "html_inline":
            if child.content.startswith("<!--"):
                found.extend(
                    ImageRef(line, m.group(1), "comment") for m in IMAGE_SYNTAX.finditer(child.content)
                )
            else:
                _html_images(child.content, line, found)
        elif child.type == "code_inline":
            found.extend(ImageRef(line, m.group(1), "code") for m in IMAGE_SYNTAX.finditer(child.content))
        elif child.type == "text" and "![" in child.content:
            found.extend(ImageRef(line, m.group(1), "broken") for m in IMAGE_SYNTAX.finditer(child.content))


def _checklist(
    tokens: list[Token], headings: list[tuple[int, int, int | None, str]], first_question: int
) -> tuple[ChecklistGroup, ...]:
    """Collect the task-list items under each level-3 heading that stands before the first question."""
    groups: list[ChecklistGroup] = []
    starts = [(index, line, title) for index, line, number, title in headings if number == -1]
    starts = [s for s in starts if s[1] < first_question]
    stops = sorted({line for _, line, _, _ in headings} | {first_question})
    for index, line, title in starts:
        stop = next((s for s in stops if s > line), first_question)
        items: list[ChecklistItem] = []
        for token in tokens[index:]:
            if token.map is None:
                continue
            if token.map[0] >= stop:
                break
            if token.type != "inline" or token.level < 2:
                continue
            match = CHECKBOX.match(token.content)
            if not match:
                continue
            item_text = " ".join(match.group(2).split())
            tag = MODULE_TAG.search(item_text)
            modules = tuple(re.findall(r"M\d+", tag.group(1))) if tag else ()
            items.append(ChecklistItem(token.map[0] + 1, match.group(1) != " ", item_text, modules))
        if items:
            groups.append(ChecklistGroup(title, line + 1, tuple(items)))
    return tuple(groups)
