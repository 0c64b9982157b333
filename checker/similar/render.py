"""Write pairs as text (one line each) or JSON (schemas/similar.schema.json); the HTML page is
`checker.html.similar`. `FORMATS` drives both dispatch and the command's `--format` choices."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from importlib import import_module
from types import MappingProxyType

from checker.similar.model import Pair
from checker.wording import plural

LEADS = "These are leads for a person to read, not findings: similar answers may have an innocent cause."


def text(pairs: Sequence[Pair]) -> str:
    """Return one line per pair: score, question, both sides with their lines, and the words they share."""
    if not pairs:
        return "no similar answers found\n"
    lines = [f"{pair.score:.2f}  Q{pair.question}  {pair.a.name()} ({pair.a.report}:{pair.a.line})  ~  "
             f"{pair.b.name()}{'' if pair.b.question == pair.question else f' Q{pair.b.question}'} "
             f"({pair.b.report}:{pair.b.line})  {plural(len(pair.shared), 'passage')}, "
             f"{plural(pair.words, 'word')} shared"
             for pair in pairs]
    return "\n".join([*lines, f"{plural(len(pairs), 'pair')}. {LEADS}"]) + "\n"


def to_json(pairs: Sequence[Pair]) -> str:
    """Return the pairs as one JSON document."""
    return json.dumps({"pairs": [pair.to_json() for pair in pairs]}, indent=2, ensure_ascii=False) + "\n"


def _html(pairs: Sequence[Pair]) -> str:
    page: Callable[[Sequence[Pair]], str] = import_module("checker.html.similar").render_pairs
    return page(pairs)


FORMATS: MappingProxyType[str, Callable[[Sequence[Pair]], str]] = MappingProxyType(
    {"text": text, "json": to_json, "html": _html})
