"""Counts and sizes in words, said alike everywhere: `1 error`, `2 warnings`, `50.0 MB`.

Public on purpose: check's formats, the HTML pages and the scan's progress lines all say counts this way.
"""

from __future__ import annotations

KB = 1024
MB = 1024 * KB


def plural(count: int, word: str, many: str | None = None) -> str:
    """Return the count with its noun in the right number: `1 error`, `0 errors`, `2 analyses`."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {many or word + 's'}"


def size(count: int) -> str:
    """Return a byte count as a person reads it: `100 bytes`, `4.5 KB`, `25 MB`, `50.0 MB` (1 MB = 1024 KB)."""
    for unit, name in ((MB, "MB"), (KB, "KB")):
        if count >= unit:
            whole, rest = divmod(count, unit)
            return f"{whole} {name}" if not rest else f"{count / unit:.1f} {name}"
    return plural(count, "byte")


def size_over(count: int, limit: int) -> str:
    """Say that `count` bytes exceed `limit`, exact in bytes where the rounded sizes would look equal."""
    shown = size(count)
    if shown in (size(limit), f"{limit / MB:.1f} MB", f"{limit / KB:.1f} KB"):
        shown = f"{shown} ({count} bytes)"
    return f"{shown} is over the limit of {size(limit)}"
