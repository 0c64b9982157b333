"""Render the markdown of one answer to safe HTML: markdown-it-py, raw HTML filtered, figures embedded, nh3."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from functools import cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from checker.html.figures import MAX_PAGE_BYTES, Figure, FigureSource, embed, placeholder, size_text
from checker.html.sanitize import PAGE_CLASSES, clean, filter_raw

TASK = re.compile(r"^\[([ xX])\]\s+")
# Answer headings sit under the page's own `h3` per question, so they are pushed down to h4-h6.
HEADING_TAG = {"h1": "h4", "h2": "h5", "h3": "h6", "h4": "h6", "h5": "h6", "h6": "h6"}
ALIGN = re.compile(r"text-align:(left|center|right)")


@cache
def markdown() -> MarkdownIt:
    """Return the parser for answers: CommonMark with tables, strikethrough and raw HTML (as GitHub renders)."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.core.ruler.push("task_lists", _task_lists)
    return md


def _task_lists(state: StateCore) -> None:
    """Turn `* [x] item` into a tick glyph: no `<input>` element ever reaches the page."""
    tokens = state.tokens
    for index in range(2, len(tokens)):
        inline = tokens[index]
        if inline.type != "inline" or tokens[index - 2].type != "list_item_open" or not inline.children:
            continue
        first = inline.children[0]
        match = TASK.match(first.content) if first.type == "text" else None
        if not match:
            continue
        done = match.group(1) != " "
        first.content = first.content[match.end():]
        glyph = Token("html_inline", "", 0)
        glyph.content = f'<span class="task{" task-done" if done else ""}">{"☑" if done else "☐"}</span> '
        glyph.meta = {"own": True}
        inline.children.insert(0, glyph)
        tokens[index - 2].attrSet("class", "task-item")


class AnswerRenderer:
    """Renders the answers of one report; images become markers that `render()` swaps for data URIs at the end."""

    def __init__(self, report_path: str, figures: FigureSource | None, budget: int = MAX_PAGE_BYTES) -> None:
        self.report_path = report_path
        self.figures = figures
        self.budget = budget
        self._embedded = 0
        # A random marker, so text a student writes can never be mistaken for one.
        self._marker = f"rcfig-{secrets.token_hex(8)}-"
        self._uris: list[str] = []
        self.placeholders: list[Figure] = []

    def image(self, src: str, alt: str = "") -> str:
        """Register an image of the report and return the marker that stands for its src."""
        figure = embed(src, self.report_path, self.figures)
        if not figure.missing and self._embedded + len(figure.uri) > self.budget:
            figure = placeholder(f"page over {size_text(self.budget)}, figure not embedded", src)
        if figure.missing:
            self.placeholders.append(figure)
        else:
            self._embedded += len(figure.uri)
        self._uris.append(figure.uri)
        return f"{self._marker}{len(self._uris) - 1}"

    def render(self, text: str) -> str:
        """Return the sanitised HTML of one answer's markdown."""
        md = markdown()
        tokens = md.parse(text)
        html = _Renderer(self).render(tokens, md.options, {})
        return self._swap(clean(html))

    def _swap(self, html: str) -> str:
        """Put the data URIs in place of the markers (after nh3, which rightly drops data: URLs it sees)."""
        pattern = re.compile(re.escape(self._marker) + r"(\d+)")

        def uri(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return escape(self._uris[index]) if index < len(self._uris) else ""

        return pattern.sub(uri, html)


class _Renderer(RendererHTML):
    """markdown-it's HTML renderer with raw HTML filtered, images embedded and headings pushed down."""

    def __init__(self, answers: AnswerRenderer) -> None:
        super().__init__()
        self.answers = answers

    def _raw(self, tokens: Sequence[Token], idx: int) -> str:
        token = tokens[idx]
        if token.meta.get("own"):
            return token.content
        return filter_raw(token.content, self.answers.image)

    def html_block(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return self._raw(tokens, idx)

    def html_inline(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return self._raw(tokens, idx)

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        alt = self.renderInlineAsText(token.children or [], options, env)
        src = self.answers.image(str(token.attrs.get("src", "")), alt)
        title = token.attrs.get("title")
        title_attr = f' title="{escape(str(title))}"' if title else ""
        return f'<img src="{src}" alt="{escape(alt)}"{title_attr}>'

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        words = token.info.split()
        language = words[0].lower() if words else ""
        # Only the languages the sanitiser knows keep their class; others would leave an empty `class=""`.
        token.info = language if f"language-{language}" in PAGE_CLASSES["code"] else ""
        return super().fence(tokens, idx, options, env)

    def renderToken(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        if token.type in ("heading_open", "heading_close"):
            token.tag = HEADING_TAG.get(token.tag, token.tag)
        elif token.type in ("th_open", "td_open"):
            style = str(token.attrs.pop("style", ""))
            match = ALIGN.search(style)
            if match:
                token.attrSet("class", f"align-{match.group(1)}")
        return super().renderToken(tokens, idx, options, env)
