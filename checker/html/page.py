"""The frame every page shares: the Content-Security-Policy, the stylesheet, and small escaped building blocks."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from functools import cache
from html import escape
from importlib import resources

from checker.model import Range, Status

STATUS_LETTER: dict[str, str] = {"pass": "P", "fail": "F", "unanswered": "U", "missing": "M"}
# What the repository's files show of a checklist item, in words (None: the files were not looked at).
EVIDENCE_WORDS: dict[str | None, str] = {"found": "found", "none": "no trace", "not-checkable": "not checkable",
                                         None: "not looked at"}


@cache
def asset(name: str) -> str:
    """Return the text of a file in `checker/html/assets`."""
    return (resources.files("checker.html") / "assets" / name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    """Return the CSP source expression that allows exactly this inline script or style."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def document(title: str, body: str, *, css: str, script: str | None = None,
             redact: Callable[[str], str] | None = None) -> str:
    """Return a complete page whose only style and script are ours, allowed by hash, and that fetches nothing.

    `default-src 'none'` forbids every fetch (fonts, frames, connections); images may only be data URIs,
    which is how figures are embedded; inline scripts other than `script` and all event-handler attributes
    are refused by the browser even if the sanitiser ever let one through. `redact` (a `redact.Redactor`)
    masks the study numbers of everything the page is made of, here, once, before the script is hashed.
    """
    if redact is not None:
        title, body = redact(title), redact(body)
        script = redact(script) if script is not None else None
    policy = "; ".join([
        "default-src 'none'",
        "img-src data:",
        f"style-src {csp_hash(css)}",
        f"script-src {csp_hash(script) if script else chr(39) + 'none' + chr(39)}",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    script_tag = f"<script>{script}</script>" if script else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{css}</style>\n</head>\n"
        f"<body>\n{body}\n{script_tag}</body>\n</html>\n"
    )


def status_badge(status: Status | str) -> str:
    """Return the coloured badge of a question status; the letter keeps it readable without colour."""
    word = status if status in STATUS_LETTER else "unknown"
    letter = STATUS_LETTER.get(status, "?")
    return f'<span class="badge st-{word}" title="{word}"><b>{letter}</b> {word}</span>'


def range_text(low_high: Range | None) -> str:
    """Return a range as `100-200`, or an empty string when there is none."""
    if low_high is None:
        return ""
    low, high = low_high
    return f"{low}\u2013{high}"


def count_badge(count: int | None, allowed: Range | None, noun: str) -> str:
    """Return a badge `142 words / 100-200` (`noun` singular), marked bad when the count is outside the range."""
    if count is None:
        return ""
    noun = noun if count == 1 else noun + "s"
    if allowed is None:
        return f'<span class="badge count" title="no range">{count} {noun}</span>'
    ok = allowed[0] <= count <= allowed[1]
    mark = "ok" if ok else "bad"
    sign = "\u2713" if ok else "\u2717"
    return (f'<span class="badge count {mark}" title="{noun}: {count}, allowed {range_text(allowed)}">'
            f"{sign} {count} {noun} <small>/ {range_text(allowed)}</small></span>")


def evidence_badge(state: str | None) -> str:
    """Return the badge of a checklist item's evidence: found, no trace, not checkable, or not looked at."""
    css = state if state in ("found", "none", "not-checkable") else "unknown"
    return f'<span class="badge ev ev-{css}">{escape(EVIDENCE_WORDS.get(state, EVIDENCE_WORDS[None]))}</span>'
