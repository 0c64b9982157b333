"""The page of `reportcheck similar --format html` and of `scan --similar`: each pair's answers side by side.

Every answer is student text: it is shown as escaped plain text (never rendered as markdown or HTML), the shared
passages wrapped in `<mark>`, and the page goes through `page.document()` like the dashboard (its
Content-Security-Policy forbids every fetch and every script; `redact` masks study numbers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from checker.html.page import asset, document
from checker.similar.model import Pair, Side
from checker.similar.render import LEADS
from checker.wording import plural


def anchor(index: int) -> str:
    """Return the id of a pair's section on the page: `pair-N`, 1-based in the page's order."""
    return f"pair-{index}"


def _marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Return text escaped, with the spans (merged where they overlap) wrapped in `<mark>`."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif end > start:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def _side(side: Side, spans: Sequence[tuple[int, int]]) -> str:
    where = f"{side.report}, question {side.question}, line {side.line}"
    return (f'<div class="side"><h3>{escape(side.name())}</h3><p><small>{escape(where)}</small></p>'
            f'<pre class="answer">{_marked(side.text, spans)}</pre></div>')


def _pair(pair: Pair, index: int) -> str:
    heading = (f'<span class="score">{pair.score:.2f}</span> Q{pair.question}: {escape(pair.a.name())} and '
               f"{escape(pair.b.name())} ({plural(len(pair.shared), 'passage')}, "
               f"{plural(pair.words, 'word')} in common)")
    sides = (_side(pair.a, [p.a_span for p in pair.shared]) + _side(pair.b, [p.b_span for p in pair.shared]))
    return (f'<section class="pair" id="{anchor(index)}"><h2>{heading}</h2>'
            f'<div class="sides">{sides}</div></section>')


def render_pairs(pairs: Sequence[Pair], title: str = "Similar answers", *,
                 redact: Callable[[str], str] | None = None) -> str:
    """Return the page of these pairs, highest score first as given."""
    intro = (f'<p class="leads">{escape(LEADS)} Marked passages are words both answers hold that few other groups '
             "wrote; the template's own words and text many groups share are left out.</p>")
    body = "".join(_pair(pair, index) for index, pair in enumerate(pairs, start=1)) or "<p>No similar answers.</p>"
    return document(title, f'<main><h1>{escape(title)}</h1>{intro}<div class="pairs">{body}</div></main>',
                    css=asset("common.css") + asset("similar.css"), redact=redact)
