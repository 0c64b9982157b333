"""Rules on figures: `image-count`, `image-missing`, `image-format`, `image-as-link`, `image-html`, `image-syntax`.

Only markdown images (`![..](..)`) count towards a question's image range, because only those are counted by
the course checker. Every local link is checked against the repository's files (inside git: the files git will
push); remote ones are not verified. A missing figure's hint says what to do: `git add` a figure that is only on
disk, or link the file of that name that exists elsewhere. A plain link to a figure the answer already shows as
an image is left alone.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from checker.files import Absence, ExplainsAbsence, is_remote, resolve_link
from checker.parse import ImageRef
from checker.rules import Problem
from checker.rules.context import QuestionContext, shortfall, within

ALLOWED_FORMATS = (".png", ".jpg", ".jpeg")

_NOT_COUNTED = {
    "link": "a link to an image (no `!`)",
    "html": "an `<img>` tag",
    "broken": "image markdown that does not render",
    "code": "image markdown inside code",
    "comment": "image markdown inside an HTML comment",
}


def check(ctx: QuestionContext) -> Iterator[Problem]:
    """Yield the figure problems of one question."""
    answer = ctx.parsed.answer
    if answer.empty:
        return
    shown = {_target(ctx, image.src) for image in answer.images if image.kind in ("markdown", "html")}
    # A link beside the image of the same figure (a caption, "full size") is not a figure left unshown.
    images = [image for image in answer.images if image.kind != "link" or _target(ctx, image.src) not in shown]
    for image in images:
        yield from _image(ctx, image)
    bounds = ctx.question.images
    counted = sum(1 for image in answer.images if image.renders)
    if bounds is not None and not within(counted, bounds):
        others = [image for image in images if not image.renders]
        if others and counted < bounds[0]:
            first = others[0]
            hint = f"Line {first.line} has {_NOT_COUNTED[first.kind]}, which does not count; write `![caption](path)`."
        elif counted < bounds[0]:
            hint = "Add the figure to the repository and show it with `![caption](figures/file.png)`."
        else:
            hint = "Keep only the images the question asks for."
        yield Problem("image-count", answer.start_line, shortfall(counted, bounds, "images"), hint)


def _target(ctx: QuestionContext, src: str) -> str:
    """Return what a link points at, for comparing links: the repository path, or the URL itself."""
    src = src.strip()
    if is_remote(src):
        return src
    return resolve_link(src.strip("<>"), ctx.report_path) or src


def _image(ctx: QuestionContext, image: ImageRef) -> Iterator[Problem]:
    """Yield the problems of one image reference."""
    src = image.src.strip()
    if image.kind == "link":
        yield Problem("image-as-link", image.line, f"`{src}` is linked, not shown as an image",
                      "Put a `!` before the link: `![caption](" + src + ")`.")
    elif image.kind == "html":
        yield Problem("image-html", image.line, f"`<img src=\"{src}\">` shows, but the course checker counts 0 images",
                      f"Write `![caption]({src})` instead.")
    elif image.kind == "broken":
        hint = ("Wrap a path with spaces in angle brackets, `![caption](<figures/my file.png>)`, or write `%20`."
                if " " in src.strip() else "Close the image markdown: `![caption](path)`.")
        yield Problem("image-syntax", image.line, f"`![..]({src}` does not render as an image", hint)
    if image.kind not in ("markdown", "html") or not src or is_remote(src):
        return
    target = resolve_link(src.strip("<>"), ctx.report_path)
    if target is None:
        yield Problem("image-missing", image.line, f"`{src}` points outside the repository",
                      "Keep figures inside the repository and link them relative to the report.")
        return
    if ctx.files is not None and not ctx.files.exists(target):
        absence = ctx.files.absence(target) if isinstance(ctx.files, ExplainsAbsence) else Absence("absent")
        yield _missing(ctx, image, src, target, absence)
    extension = posixpath.splitext(target)[1].lower()
    if extension not in ALLOWED_FORMATS:
        yield Problem("image-format", image.line, f"`{src}` is {extension or 'without extension'}, not PNG or JPEG",
                      "Save the figure as .png or .jpg.")


def _missing(ctx: QuestionContext, image: ImageRef, src: str, target: str, absence: Absence) -> Problem:
    """Say why a figure is missing and what to do: add it to git, or link the file it most likely meant."""
    if absence.state in ("untracked", "ignored"):
        from shlex import quote

        if absence.state == "untracked":
            return Problem("image-missing", image.line,
                           f"`{src}` is on disk but git does not track it, so GitHub will not show it",
                           f"Run `git add {quote(target)}` and commit it.")
        return Problem("image-missing", image.line,
                       f"`{src}` is on disk but ignored by git (`{absence.ignored_by}`), so GitHub will not show it",
                       f"Run `git add -f {quote(target)}` and commit it, or stop ignoring it.")
    message = f"`{src}` is not in the repository (looked for `{target}`)"
    if absence.likely is None:
        return Problem("image-missing", image.line, message,
                       "Commit the figure, or fix the path: links are relative to the report and case-sensitive.")
    link = posixpath.relpath(absence.likely, posixpath.dirname(ctx.report_path) or ".")
    if absence.likely.lower() == target.lower():
        why = "links are case-sensitive"
    elif posixpath.basename(absence.likely) == posixpath.basename(target):
        why = "links are relative to the report"
    else:
        why = "links are relative to the report and case-sensitive"
    return Problem("image-missing", image.line, message,
                   f"`{absence.likely}` exists: link it as `{link}` ({why}).")
