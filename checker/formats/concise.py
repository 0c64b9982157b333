"""One line per finding, as compilers print them: `reports/README.md:63:1: error word-count 40 words, ...`.

Editors jump to `path:line:column`, and a problem matcher (action/problem-matcher.json, registered by the
GitHub Action) turns the lines into annotations. Findings come most important first (report-wide ones, then in
reading order), so when GitHub keeps only the first 10 errors and 10 warnings of a step, it keeps those. A
message is kept on its line: line breaks and control characters from the report become a visible `\ufffd`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from checker.formats import RenderOptions
from checker.formats.github import importance
from checker.model import ReportResult

# Whatever a terminal or log reader could take for a line break or a control sequence.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(text: str) -> str:
    return _BREAKS.sub("\ufffd", text)


def lines(results: Sequence[ReportResult]) -> Iterator[str]:
    """Yield one line per finding of every result, most important first within each report."""
    for result in results:
        path = _one_line(result.path)
        for finding in sorted(result.findings, key=importance):
            yield f"{path}:{max(1, finding.line)}:1: {finding.severity} {finding.rule} {_one_line(finding.message)}"


def render_many(results: Sequence[ReportResult], options: RenderOptions) -> str:
    """Render every finding of every result, one per line (nothing at all when there is none)."""
    return "".join(f"{line}\n" for line in lines(results))


def render(result: ReportResult, options: RenderOptions) -> str:
    """Render one result's findings, one per line."""
    return render_many([result], options)
