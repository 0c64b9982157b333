"""Output formats: one module each with `render(result, options) -> str`; this registry drives dispatch and
the CLI's `--format` choices. Formats decide nothing and print nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from types import MappingProxyType

from checker.model import ReportResult
from checker.records import NamedTuple


class RenderOptions(NamedTuple):
    """What a format may need besides the result: colour (each result names its report, `ReportResult.label`)."""

    color: bool = False


Renderer = Callable[[ReportResult, RenderOptions], str]
# Name -> module; modules load only when their format is asked for, keeping `check` light.
FORMATS = MappingProxyType({
    "text": "checker.formats.text",
    "json": "checker.formats.json",
    "github": "checker.formats.github",
    "markdown": "checker.formats.markdown",
    "sarif": "checker.formats.sarif",
    "junit": "checker.formats.junit",
    "concise": "checker.formats.concise",
    "shields": "checker.formats.shields",
})


def renderer(name: str) -> Renderer:
    """Return the render function of a registered format."""
    module = import_module(FORMATS[name])
    render: Renderer = module.render
    return render


def render_many(name: str, results: Sequence[ReportResult], options: RenderOptions) -> str:
    """Render several results with one format (a format module may define `render_many`)."""
    module = import_module(FORMATS[name])
    if hasattr(module, "render_many"):
        text: str = module.render_many(results, options)
        return text
    return "".join(module.render(result, options) for result in results)
