"""Turn the bytes of a report file into text, or say in one line why that is not possible."""

from __future__ import annotations

import codecs
from typing import NamedTuple

from checker.errors import CheckerError

DEFAULT_MAX_BYTES = 25 * 1024 * 1024


class ReportText(NamedTuple):
    """A decoded report: `text` for parsing (no BOM, LF newlines) and `official_text` as the course reads it."""

    text: str
    official_text: str


def decode_report(data: bytes, name: str = "report") -> ReportText:
    """Decode UTF-8 (with or without BOM) or UTF-16 with BOM; reject empty, binary and other encodings."""
    if not data.strip():
        raise CheckerError(f"{name}: the file is empty")
    bom = ""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise CheckerError(
                f"{name}: not valid UTF-16 at byte {exc.start}; re-save the file as UTF-8"
            ) from None
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
            bom = "\ufeff"
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CheckerError(
                f"{name}: not UTF-8 (first bad byte at offset {exc.start + len(bom.encode())}); "
                "re-save the file as UTF-8"
            ) from None
    if "\x00" in text:
        raise CheckerError(f"{name}: looks like a binary file (it contains NUL bytes), not a markdown report")
    # Universal newlines, as Python's open() gives the course checker.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ReportText(text=text, official_text=bom + text)
