"""Make student-written HTML safe to show to a teacher: a small allow-list for raw HTML, then nh3 on everything.

Two layers, because they answer different questions:

1. `filter_raw()` runs on each raw-HTML token markdown-it finds in an answer. It keeps a few tags that reports
   really use (`img`, `br`, `details`/`summary`, `sub`/`sup`, tables) with a few attributes, silently unwraps
   harmless layout tags (`<p align="center">`, `<div>`, `<b>`), and shows everything else as visible, escaped
   text, so a teacher sees that a report tried `<script>` instead of silently losing it. It works on fragments
   (markdown-it hands over `<sub>` and `</sub>` as separate tokens), which an HTML5 sanitiser cannot.
2. `clean()` runs nh3 over the whole rendered answer. nh3 wraps ammonia (Rust, html5ever): it parses the way a
   browser does, so there is no parser differential between what we checked and what Chromium builds, and it is
   maintained and fuzzed. It enforces the final tag/attribute/URL-scheme allow-list whatever layer 1 missed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from html.parser import HTMLParser
from types import MappingProxyType

from checker.errors import CheckerError

# Raw HTML a student may write in an answer, with the attributes each tag keeps.
RAW_TAGS = MappingProxyType({
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "br": frozenset(),
    "details": frozenset({"open"}),
    "summary": frozenset(),
    "sub": frozenset(),
    "sup": frozenset(),
    "table": frozenset(),
    "caption": frozenset(),
    "thead": frozenset(),
    "tbody": frozenset(),
    "tfoot": frozenset(),
    "tr": frozenset(),
    "th": frozenset({"colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
})
# Layout tags groups wrap figures and text in; dropping the tag and keeping its content loses nothing that matters.
UNWRAP_TAGS = frozenset({
    "p", "div", "span", "center", "font", "b", "i", "u", "em", "strong", "small", "big", "a", "figure",
    "figcaption", "picture", "hr", "kbd", "code", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
})
VOID_TAGS = frozenset({"img", "br", "hr"})
SIZE = re.compile(r"^\d{1,4}%?$")

# What the rendered markdown itself produces, plus the raw allow-list; `clean()` keeps nothing else.
PAGE_TAGS = frozenset({
    "p", "br", "hr", "em", "strong", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "img",
    "h4", "h5", "h6", "span", "details", "summary", "sub", "sup",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
})
PAGE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "details": {"open"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
PAGE_CLASSES = {
    "span": {"task", "task-done", "figure-missing"},
    "th": {"align-left", "align-center", "align-right"},
    "td": {"align-left", "align-center", "align-right"},
    "code": {f"language-{name}" for name in ("python", "bash", "shell", "yaml", "toml", "json", "dockerfile",
                                             "text", "console", "sh", "ini", "makefile", "sql")},
    "li": {"task-item"},
}

ImageRewriter = Callable[[str, str], str]


class _RawFilter(HTMLParser):
    """Re-serialise one raw-HTML fragment: allowed tags kept, layout tags unwrapped, the rest escaped."""

    def __init__(self, rewrite_image: ImageRewriter) -> None:
        super().__init__(convert_charrefs=True)
        self.rewrite_image = rewrite_image
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, self.get_starttag_text() or "")

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], source: str) -> None:
        if tag in UNWRAP_TAGS:
            return
        if tag not in RAW_TAGS:
            self.out.append(escape(source))
            return
        allowed = RAW_TAGS[tag]
        kept: dict[str, str] = {}
        for name, raw in attrs:
            value = raw or ""
            if name not in allowed or name in kept:
                continue
            if name in ("width", "height", "colspan", "rowspan") and not SIZE.match(value.strip()):
                continue
            kept[name] = value
        if tag == "img":
            kept["src"] = self.rewrite_image(kept.get("src", ""), kept.get("alt", ""))
        text = "".join(f' {name}="{escape(value)}"' if name != "open" else " open" for name, value in kept.items())
        self.out.append(f"<{tag}{text}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in UNWRAP_TAGS or tag in VOID_TAGS:
            return
        if tag in RAW_TAGS:
            self.out.append(f"</{tag}>")
        else:
            self.out.append(escape(f"</{tag}>"))

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        """Drop comments: GitHub does not show them either."""

    def handle_decl(self, decl: str) -> None:
        self.out.append(escape(f"<!{decl}>"))

    def handle_pi(self, data: str) -> None:
        self.out.append(escape(f"<?{data}>"))

    def unknown_decl(self, data: str) -> None:
        self.out.append(escape(f"<![{data}]>"))


def filter_raw(fragment: str, rewrite_image: ImageRewriter) -> str:
    """Return a raw-HTML fragment reduced to the allow-list; `rewrite_image(src, alt)` gives each img's src."""
    parser = _RawFilter(rewrite_image)
    parser.feed(fragment)
    parser.close()
    # HTMLParser keeps an unfinished tag (`<img src=x onerror=...` at the end of a token) for more input;
    # closing flushes it as data, which is escaped like any other text.
    return "".join(parser.out)


def clean(html: str) -> str:
    """Return rendered answer HTML restricted to the page allow-list (nh3 / ammonia)."""
    try:
        import nh3
    except ImportError:
        raise CheckerError("the HTML pages need nh3: pip install 'reportcheck[html]'") from None

    return nh3.clean(
        html,
        tags=set(PAGE_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in PAGE_ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in PAGE_CLASSES.items()},
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
    )
