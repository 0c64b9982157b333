"""SARIF 2.1.0 for GitHub code scanning: every rule of the registry, one result per finding.

Results point at each report by the path the user named it by (relative to where the check ran, normally the
repository root), so code scanning places the findings of several reports on their own files; a partial
fingerprint of rule, question and message keeps an alert the same alert when lines move.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from checker.formats import RenderOptions
from checker.model import Finding, ReportResult
from checker.rules import RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule(rule_id: str) -> dict[str, Any]:
    rule = RULES[rule_id]
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {"text": f"{rule.summary} {rule.fix}", "markdown": f"{rule.summary}\n\n**Fix:** {rule.fix}"},
        "defaultConfiguration": {"level": rule.severity},
        "properties": {"tags": ["exam-report"]},
    }


def _fingerprint(finding: Finding) -> str:
    key = f"{finding.rule}\0{finding.question}\0{finding.message}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _result(path: str, finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    text = finding.message + (f". {finding.hint}" if finding.hint else "")
    if finding.question is not None:
        text = f"Question {finding.question}: {text}"
    return {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": finding.severity,
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": path},
                "region": {"startLine": max(1, finding.line)},
            },
        }],
        "partialFingerprints": {"reportcheckFinding/v1": _fingerprint(finding)},
    }


def artifact_uri(result: ReportResult) -> str:
    """Return the report's location as a URI: a relative reference for a relative name, else a file URI."""
    path = PurePosixPath(result.label)
    return path.as_uri() if path.is_absolute() else quote(result.label)


def _artifacts(results: Sequence[ReportResult]) -> list[dict[str, Any]]:
    """List each report file once (the schema wants them unique; a report named twice is one file)."""
    artifacts: dict[str, dict[str, Any]] = {}
    for result in results:
        uri = artifact_uri(result)
        artifacts.setdefault(uri, {"location": {"uri": uri}, "hashes": {"sha-256": result.sha256}})
    return list(artifacts.values())


def sarif(results: Sequence[ReportResult]) -> dict[str, Any]:
    """Return the SARIF log for one or more results as plain JSON data."""
    from checker import __version__

    index = {rule_id: position for position, rule_id in enumerate(RULES)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "reportcheck",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "rules": [_rule(rule_id) for rule_id in index],
                },
            },
            "artifacts": _artifacts(results),
            "results": [_result(artifact_uri(r), f, index) for r in results for f in r.findings],
            "columnKind": "unicodeCodePoints",
        }],
    }


def render_many(results: Sequence[ReportResult], options: RenderOptions) -> str:
    """Render every result into one SARIF run."""
    return json.dumps(sarif(results), indent=2, ensure_ascii=False) + "\n"


def render(result: ReportResult, options: RenderOptions) -> str:
    """Render one result as a SARIF log."""
    return render_many([result], options)
