"""A shields.io endpoint badge: the JSON that https://img.shields.io/endpoint?url=... turns into a README badge.

shields.io's endpoint schema (https://shields.io/badges/endpoint-badge): `schemaVersion` always 1, `label` (the
left text), `message` (the right text, never empty), `color` and more that we leave to shields' defaults. The
message is the questions that pass, `29/31`; the colour says the verdict: brightgreen ready, yellow ready with
warnings, red not ready. Several reports give a JSON array, one badge each.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from checker.formats import RenderOptions
from checker.model import ReportResult

LABEL = "exam report"


def badge(result: ReportResult) -> dict[str, Any]:
    """Return the endpoint JSON of one result."""
    color = ("yellow" if result.warnings else "brightgreen") if result.ready else "red"
    return {"schemaVersion": 1, "label": LABEL, "message": f"{result.passed}/{len(result.questions)}", "color": color}


def unchecked() -> dict[str, Any]:
    """Return the badge of a report that could not be checked at all (missing, not UTF-8)."""
    return {"schemaVersion": 1, "label": LABEL, "message": "not checked", "color": "lightgrey", "isError": True}


def render(result: ReportResult, options: RenderOptions) -> str:
    """Render one result's badge."""
    return json.dumps(badge(result)) + "\n"


def render_many(results: Sequence[ReportResult], options: RenderOptions) -> str:
    """Render one badge as an object, several as an array of badges."""
    if len(results) == 1:
        return render(results[0], options)
    return json.dumps([badge(r) for r in results]) + "\n"
