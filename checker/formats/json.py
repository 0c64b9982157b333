"""The JSON result (schemas/result.schema.json): the stable, machine-readable form of a check."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from checker.formats import RenderOptions
from checker.model import ReportResult

SCHEMA_VERSION = 1


def result_dict(result: ReportResult) -> dict[str, Any]:
    """Return the result as plain JSON data."""
    from checker import __version__

    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "reportcheck", "version": __version__},
        "source": {"path": result.path, **({"name": result.name} if result.name else {}), "sha256": result.sha256},
        "template": {"id": result.set_id, "matched": result.prompts_matched, "total": result.prompts_total},
        "ready": result.ready,
        "strict": result.strict,
        "summary": {
            "questions": len(result.questions),
            "passed": result.passed,
            "errors": result.errors,
            "warnings": result.warnings,
        },
        "official": {"crash": result.official_crash},
        "files": {"note": result.files_note},
        "questions": [
            {
                "number": q.number,
                "title": q.title,
                "status": q.status,
                "words": q.words,
                "words_range": list(q.words_range) if q.words_range else None,
                "images": q.images,
                "images_range": list(q.images_range) if q.images_range else None,
                "line": q.line,
                "official": None if q.official is None else {
                    "words": q.official.words, "images": q.official.images, "pass": q.official.passed,
                },
                "findings": [f.as_dict() for f in q.findings],
            }
            for q in result.questions
        ],
        "findings": [f.as_dict() for f in result.findings],
        "checklist": {
            "checked": sum(s.checked for s in result.checklist),
            "total": sum(s.total for s in result.checklist),
            "sections": [
                {"name": s.name, "checked": s.checked, "total": s.total, "modules": list(s.modules_checked)}
                for s in result.checklist
            ],
            "looks_done": len(result.looks_done),
            "items": [
                {
                    "line": item.line,
                    "module": item.module,
                    "checked": item.checked,
                    "claim": item.claim,
                    "title": item.title,
                    "evidence": item.evidence,
                    "paths": list(item.paths),
                    "looked_for": item.looked_for,
                    "reason": item.reason,
                }
                for item in result.checklist_items
            ],
        },
    }


def render(result: ReportResult, options: RenderOptions) -> str:
    """Render one result as indented JSON."""
    return json.dumps(result_dict(result), indent=2, ensure_ascii=False) + "\n"


def render_many(results: Sequence[ReportResult], options: RenderOptions) -> str:
    """Render one result as an object, several as a JSON array with one compact result per line.

    Compact lines use the C encoder (indented output is pure Python), which matters for a thousand reports.
    """
    if len(results) == 1:
        return render(results[0], options)
    lines = ",\n".join(json.dumps(result_dict(r), ensure_ascii=False) for r in results)
    return f"[\n{lines}\n]\n"
