"""Turn a report file into text, or say in one line why that is not possible.

Only a regular file is ever read, and its size is known before the first byte is: a named pipe, a device or a
socket at the report's path is refused at once (opening without blocking, so a pipe with no writer cannot hang
a pre-commit hook or a CI job), and so is a symbolic link that leads back to itself.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from checker.errors import CheckerError
from checker.records import NamedTuple
from checker.wording import size_over

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
# O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


class ReportText(NamedTuple):
    """A decoded report: `text` for parsing (no BOM, LF newlines) and `official_text` as the course reads it."""

    text: str
    official_text: str


def _open_error(path: Path, exc: OSError, what: str) -> CheckerError:
    if exc.errno == errno.ELOOP:
        return CheckerError(f"{path}: is a symbolic link that leads back to itself (a loop), not a {what} file")
    if exc.errno == errno.ENOENT:
        return CheckerError(f"{path}: no such file")
    if exc.errno == errno.EISDIR:
        return CheckerError(f"{path}: is a folder, not a {what} file")
    return CheckerError(f"{path}: cannot read ({exc.strerror})")


def _open_regular(path: Path, what: str) -> tuple[BinaryIO, int]:
    """Open the regular file at `path` without blocking; return it with its size, or raise one clear error."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _open_error(path, exc, what) from None
    handle = os.fdopen(descriptor, "rb")
    try:
        info = os.fstat(descriptor)
    except OSError as exc:
        handle.close()
        raise _open_error(path, exc, what) from None
    if not stat.S_ISREG(info.st_mode):
        handle.close()
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "a special file")
        raise CheckerError(f"{path}: is {kind}, not a {what} file")
    return handle, info.st_size


def read_file(path: Path, limit: int = DEFAULT_MAX_BYTES, option: str = "", what: str = "report") -> bytes:
    """Return the bytes of the regular file at `path`, refusing anything else and anything over `limit` bytes.

    `option` names the setting that raises the limit (e.g. `--max-bytes`) and `what` the kind of file expected,
    for the messages.
    """
    hint = f" ({option})" if option else ""
    handle, size = _open_regular(path, what)
    with handle:
        if size > limit:
            raise CheckerError(f"{path}: {size_over(size, limit)}{hint}")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise _open_error(path, exc, what) from None
    if len(data) > limit:  # it grew after its size was read
        raise CheckerError(f"{path}: {size_over(len(data), limit)}{hint}")
    return data


def read_head(path: Path, count: int, what: str = "report") -> bytes:
    """Return at most the first `count` bytes of the regular file at `path` (anything else is a CheckerError)."""
    handle, _ = _open_regular(path, what)
    with handle:
        try:
            return handle.read(count)
        except OSError as exc:
            raise _open_error(path, exc, what) from None


def _position(before: str) -> str:
    """Say where the text that follows `before` starts: `line 3, column 7` (both 1-based, columns in characters)."""
    before = before.replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return f"line {line}, column {column}"


def decode_report(data: bytes, name: str = "report") -> ReportText:
    """Decode UTF-8 (with or without BOM) or UTF-16 with BOM; reject empty, binary and other encodings."""
    if not data.strip():
        raise CheckerError(f"{name}: the file is empty")
    bom = ""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            start = exc.start - exc.start % 2  # the code unit that holds the bad byte
            before = data[:start].decode("utf-16", errors="replace").lstrip("\ufeff")
            raise CheckerError(
                f"{name}: not valid UTF-16 at {_position(before)}; re-save the file as UTF-8"
            ) from None
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
            bom = "\ufeff"
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            # Everything before the first bad byte is valid UTF-8, so it decodes to the characters an editor shows.
            before = data[: exc.start].decode("utf-8")
            raise CheckerError(
                f"{name}: not UTF-8 (the first bad byte is at {_position(before)}); re-save the file as UTF-8"
            ) from None
    if "\x00" in text:
        raise CheckerError(f"{name}: looks like a binary file (it contains NUL bytes), not a markdown report")
    # Universal newlines, as Python's open() gives the course checker.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ReportText(text=text, official_text=bom + text)
