"""Turn the images of a report into data URIs, or into a visible placeholder that says why not.

Figures are read only from inside the repository root, through real folders (no symlink anywhere on the way,
checked by `checker.files.LocalFiles`, and the file itself opened with O_NOFOLLOW), so a report cannot make the
page embed `~/.ssh/id_rsa` or `/etc/passwd`.
"""

from __future__ import annotations

import base64
import os
import posixpath
import re
import stat
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from checker.files import LocalFiles, resolve_link

MAX_FIGURE_BYTES = 8 * 1024 * 1024
# A page stays openable (and printable) however many screenshots a group commits.
MAX_PAGE_BYTES = 48 * 1024 * 1024
MIME = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".bmp": "image/bmp",
    ".svg": "image/svg+xml",
}
# A student may paste a small raster image inline; SVG is left out since it is a document, not a picture.
INLINE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$")


class FigureUnavailable(Exception):
    """A figure that cannot be embedded; the message is the placeholder's reason."""


class FigureSource(Protocol):
    """Reads a repository file for embedding."""

    def read(self, path: str) -> bytes:
        """Return the bytes of the repository-relative `path`, or raise FigureUnavailable saying why not."""
        ...


class RepositoryFigures:
    """Figures of a repository checked out in a local folder."""

    def __init__(self, root: str | Path, max_bytes: int = MAX_FIGURE_BYTES) -> None:
        self.root = Path(root)
        self.files = LocalFiles(self.root)
        self.max_bytes = max_bytes

    def read(self, path: str) -> bytes:
        """Return the file's bytes when it is a small regular file reached without symlinks."""
        if not self.files.exists(path):
            raise FigureUnavailable("figure not found in the repository")
        try:
            fd = os.open(self.root / path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            raise FigureUnavailable("figure not found in the repository") from None
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise FigureUnavailable("figure not found in the repository")
            data = handle.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise FigureUnavailable(f"figure over {size_text(self.max_bytes)}, not embedded")
        return data


def size_text(count: int) -> str:
    """Return a byte count as `8 MB`, `12 kB` or `10 bytes`."""
    if count >= 1024 * 1024:
        return f"{count // (1024 * 1024)} MB"
    return f"{count // 1024} kB" if count >= 1024 else f"{count} bytes"


@dataclass(frozen=True)
class Figure:
    """What an image of the report became: a data URI to show, and whether it is a placeholder."""

    uri: str
    missing: bool
    reason: str = ""


def placeholder(reason: str, src: str) -> Figure:
    """Return a grey SVG box that names the image and says why it is not shown."""
    shown = src if len(src) <= 70 else src[:67] + "..."
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="90" viewBox="0 0 480 90">'
        '<rect x="1" y="1" width="478" height="88" fill="#f3f3f3" stroke="#b00020" stroke-width="2" '
        'stroke-dasharray="6 4"/>'
        f'<text x="240" y="38" font-family="sans-serif" font-size="16" text-anchor="middle" fill="#b00020">'
        f"{escape(reason)}</text>"
        f'<text x="240" y="64" font-family="monospace" font-size="12" text-anchor="middle" fill="#333">'
        f"{escape(shown)}</text></svg>"
    )
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Figure(uri, True, reason)


def embed(src: str, report_path: str, source: FigureSource | None) -> Figure:
    """Return the data URI for an image link of the report at `report_path`, or a placeholder."""
    src = src.strip()
    if not src:
        return placeholder("image without a source", "")
    if INLINE_DATA.match(src):
        return Figure(re.sub(r"\s+", "", src), False)
    parts = urlsplit(src)
    if parts.scheme or src.startswith("//"):
        if parts.scheme.lower() == "https":
            # Allowed by the sanitiser, but the page never fetches anything when it is opened.
            return placeholder("remote image, not loaded", src)
        return placeholder("image link not allowed", src)
    path = resolve_link(src, report_path)
    if path is None:
        return placeholder("image outside the repository", src)
    mime = MIME.get(posixpath.splitext(path)[1].lower())
    if mime is None:
        return placeholder("not an image file", src)
    if source is None:
        return placeholder("figure not available here", src)
    try:
        data = source.read(path)
    except FigureUnavailable as exc:
        return placeholder(str(exc), src)
    return Figure(f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", False)
