"""The prose of an answer: its markdown with code, images, link targets and HTML blanked, for the answer rules.

Blanking keeps every line break, and each blanked character becomes a space, so an offset in the prose is the
same offset in the answer. Every step is a C-speed string operation or a regex that starts with a literal
(the regex engine jumps to its candidates), and runs only when its literal is in the text: the answer rules
read every answer of every report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Compiled on first use (re caches them), so a process that never needs one never pays for it.
_NOT_PROSE = (
    ("`", r"```[^\n]*?```|`[^`\n]*`"),  # inline code
    ("![", r"!\[[^\]\n]*\]\([^)\n]*\)"),  # images, with their alt text (often a file name)
    ("](", r"\]\([^)\n]*\)"),  # link targets (the link's text stays)
    ("<", r"<[^>\n]*>"),  # HTML tags
    ("&", r"&#?\w+;"),  # HTML entities
)
_FENCE = r" {0,3}(`{3,}|~{3,})"


def prose(text: str) -> str:
    """Return markdown text with fenced code, inline code, images, link targets and HTML blanked by spaces."""
    if "```" in text or "~~~" in text:
        text = "\n".join(outside_fences(text.split("\n")))
    for literal, pattern in _NOT_PROSE:
        if literal in text:
            text = re.sub(pattern, _spaces, text)
    return text


def outside_fences(lines: list[str]) -> Iterator[str]:
    """Yield each line, blanked (as spaces) inside fenced code blocks, fences included."""
    fence = ""
    for line in lines:
        match = re.match(_FENCE, line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            yield " " * len(line)
        elif match:
            fence = match.group(1)
            yield " " * len(line)
        else:
            yield line


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match.group())
