"""Rule `checklist-unbacked`: a checklist item is ticked, but the repository's files show no trace of it.

The template asks groups to tick only what they did, because the teachers compare the ticks with the
repository. Each item is matched to an evidence rule of the question set (`[[evidence]]`, docs/evidence.md);
only an item whose rule looked everywhere it could and found nothing is reported. Items whose rule is weak,
whose files were not read, or that no file can show are never reported: missing a weak claim is better than
accusing a group wrongly. Items that look done but are not ticked are listed in the result, not reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.rules import Problem
from checker.rules.context import ReportContext


def check(ctx: ReportContext) -> Iterator[Problem]:
    """Yield one problem per ticked item without any trace in the repository, at the item's line."""
    for item in ctx.checklist_items:
        if item.checked and item.evidence == "none":
            what = f"{item.title} ({item.module})" if item.module else item.title
            yield Problem("checklist-unbacked", item.line,
                          f"ticked, but the repository shows no trace of it: {what}; looked for {item.looked_for}")
