"""GitHub Actions workflow commands: one `::error` or `::warning` annotation per finding.

GitHub shows at most 10 error and 10 warning annotations of a step, so the most important ones come first and a
last `::notice` says how many more the job summary lists. Every line this format prints is a workflow command
of ours: student text only ever appears escaped inside one, so it cannot end the command or start another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from checker.formats import RenderOptions
from checker.model import Finding, ReportResult, Severity
from checker.wording import plural

MAX_PER_LEVEL = 10

# Characters a log reader may treat as a line break (besides \r and \n, which are escaped) and other
# control characters: they become a visible replacement so no line can be split or recoloured.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def escape_data(text: str) -> str:
    """Escape a command's message the way the runner unescapes it."""
    text = _UNSAFE.sub("\ufffd", text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value (`file=`, `title=`): data escaping plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int) -> str:
    """Return one workflow command line, e.g. `::error file=a.md,line=3,title=t::message`."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def importance(finding: Finding) -> tuple[int, int, str]:
    """Order findings most important first: report-wide ones, then in reading order."""
    return (finding.question is not None, finding.line, finding.rule)


def _located(results: Sequence[ReportResult], severity: Severity) -> list[tuple[str, Finding]]:
    found = [(r.label, f) for r in results for f in r.findings if f.severity == severity]
    return sorted(found, key=lambda pair: importance(pair[1]))


def _annotation(path: str, finding: Finding) -> str:
    where = f" (question {finding.question})" if finding.question is not None else ""
    message = finding.message + (f"\n{finding.hint}" if finding.hint else "")
    return command(finding.severity, message, file=path, line=finding.line, title=f"{finding.rule}{where}")


def more_notice(results: Sequence[ReportResult]) -> str | None:
    """Return the `::notice` that counts the findings past GitHub's 10 annotations per level, if any."""
    counts = {level: sum(1 for r in results for f in r.findings if f.severity == level) - MAX_PER_LEVEL
              for level in ("error", "warning")}
    parts = [plural(n, word) for word, n in counts.items() if n > 0]
    if not parts:
        return None
    return command("notice", f"{' and '.join(parts)} more than annotations can show: the job summary and "
                   "`reportcheck check` list every finding.", title="reportcheck: more findings")


def annotation_lines(results: Sequence[ReportResult]) -> Iterable[str]:
    """Yield the annotation lines for one or more results, capped per level."""
    errors, warnings = _located(results, "error"), _located(results, "warning")
    for path, finding in [*errors[:MAX_PER_LEVEL], *warnings[:MAX_PER_LEVEL]]:
        yield _annotation(path, finding)
    notice = more_notice(results)
    if notice:
        yield notice


def render_many(results: Sequence[ReportResult], options: RenderOptions) -> str:
    """Render every result's findings as workflow commands, then one verdict line without student text."""
    from checker.formats.text import verdict

    lines = list(annotation_lines(results))
    lines += [f"reportcheck: {verdict(result)}" for result in results]
    return "\n".join(lines) + "\n"


def render(result: ReportResult, options: RenderOptions) -> str:
    """Render one result as workflow commands."""
    return render_many([result], options)
