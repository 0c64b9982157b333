"""Study numbers out of pages shared beyond the teachers: `s123456` becomes `s•••••` wherever a page shows it.

`page.document()` calls the `Redactor` once on everything a page is made of (its title, its body, its script,
before the script is hashed for the Content-Security-Policy), so no renderer redacts anything itself. Text
inside an SVG data URI (a figure's placeholder names the figure's path; an SVG figure has text) is decoded,
redacted and encoded again; raster data URIs are pictures, left as they are, since a run of base64 that
happens to read `s123456` is no study number and changing it would break the image. What a picture shows is
beyond this: a screenshot with a study number in it keeps it.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_PATTERN = r"^s\d{6}$"
MASK = "\u2022" * 5
# A question set's pattern matches a whole id (`^s\d{6}$`); in running text it is searched for without anchors.
ANCHORS = re.compile(r"^(?:\^|\\A)+|(?:\$|\\Z|\\z)+$")
# Only a real image source: text that merely looks like a data URI (escaped, in an answer) is redacted as text.
DATA_URI = re.compile(r'(?<=src=")data:image/([a-z0-9.+-]+);base64,([A-Za-z0-9+/=]+)')


def searchable(pattern: str) -> str:
    """Return a student-id pattern without its anchors, so it finds ids inside text."""
    return f"(?:{ANCHORS.sub('', pattern)})"


@dataclass(frozen=True)
class Redactor:
    """Finds study numbers (case-insensitively) by the question sets' patterns and masks all but their letters."""

    search: re.Pattern[str]

    @classmethod
    def of(cls, patterns: Iterable[str] = ()) -> Redactor:
        """Return the redactor for these student-id patterns (the question sets'), else for `s` and six digits."""
        unique = sorted(set(patterns)) or [DEFAULT_PATTERN]
        return cls(re.compile("|".join(searchable(p) for p in unique), re.IGNORECASE))

    def finds(self, text: str) -> bool:
        """Say whether the text holds a study number."""
        return self.search.search(text) is not None

    def text(self, text: str, mask: str = MASK) -> str:
        """Return plain text with every study number masked: its leading letters kept, the rest `mask`."""
        def masked(match: re.Match[str]) -> str:
            found = match.group()
            letters = next((i for i, ch in enumerate(found) if not ch.isalpha()), 0)  # all letters: mask all
            return found[:letters] + mask

        return self.search.sub(masked, text)

    def __call__(self, html: str) -> str:
        """Return a page's text (HTML) with every study number masked, in SVG data URIs too."""
        out: list[str] = []
        last = 0
        for match in DATA_URI.finditer(html):
            out.append(self.text(html[last:match.start()]))
            out.append(self._data_uri(match))
            last = match.end()
        out.append(self.text(html[last:]))
        return "".join(out)

    def _data_uri(self, match: re.Match[str]) -> str:
        kind, payload = match.group(1), match.group(2)
        if kind != "svg+xml":
            return match.group()
        try:
            # surrogateescape keeps bytes that are not UTF-8 as they were, and still finds the ASCII ids among them
            svg = base64.b64decode(payload, validate=True).decode("utf-8", "surrogateescape")
        except binascii.Error:
            return match.group()  # no picture at all: the browser shows it broken, with nothing to read
        if not self.finds(svg):
            return match.group()
        data = self.text(svg).encode("utf-8", "surrogateescape")
        return f"data:image/{kind};base64," + base64.b64encode(data).decode("ascii")
