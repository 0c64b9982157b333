"""SARIF 2.1.0 for GitHub code scanning: every rule of the registry, one result per finding.

Results point at each report by the path the user named it by (relative to where the check ran, normally the
repository root), so code scanning places the findings of several reports on their own files. Code scanning
keeps an alert the same alert by `partialFingerprints.primaryLocationLineHash` only: ours hashes the rule, the
question and the flagged line's text (whitespace-normalised), so it holds when lines above move, and counts
identical ones (`:1`, `:2`, ...) as GitHub's own hash does. GitHub takes at most 25,000 results a run: beyond
that the most important ones are kept (errors, then report-wide findings, then in reading order) and a tool
notification says how many were left out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from checker.digest import sha256_hex
from checker.formats import RenderOptions
from checker.formats.github import importance
from checker.model import Finding, ReportResult
from checker.rules import RULES
from checker.wording import plural

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# GitHub code scanning rejects a run with more results than this.
MAX_RESULTS = 25_000


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


def line_hash(result: ReportResult, finding: Finding) -> str:
    """Hash rule, question and the flagged line's text (its message where the text is unknown)."""
    line = dict(result.line_hashes).get(finding.line, finding.message)
    return sha256_hex(f"{finding.rule}\0{finding.question}\0{line}".encode())[:16]


def _result(path: str, finding: Finding, index: dict[str, int], fingerprint: str) -> dict[str, Any]:
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
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
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


def _ordered(results: Sequence[ReportResult]) -> list[tuple[ReportResult, Finding]]:
    """Every finding, most important first: errors, then warnings; within each, as annotations are ordered."""
    pairs = [(r, f) for r in results for f in r.findings]
    return sorted(pairs, key=lambda pair: (pair[1].severity != "error", importance(pair[1])))


def _fingerprints(pairs: list[tuple[ReportResult, Finding]]) -> list[str]:
    """Return each pair's `hash:n`, n counting the same hash in the same file in reading order."""
    bases = [line_hash(result, finding) for result, finding in pairs]
    seen: dict[tuple[str, str], int] = {}
    prints = [""] * len(pairs)
    for position in sorted(range(len(pairs)), key=lambda i: (pairs[i][0].label, pairs[i][1].line, pairs[i][1].key())):
        key = (pairs[position][0].label, bases[position])
        seen[key] = seen.get(key, 0) + 1
        prints[position] = f"{bases[position]}:{seen[key]}"
    return prints


def sarif(results: Sequence[ReportResult]) -> dict[str, Any]:
    """Return the SARIF log for one or more results as plain JSON data."""
    from checker import __version__

    index = {rule_id: position for position, rule_id in enumerate(RULES)}
    ordered = _ordered(results)
    # Fingerprints are counted over all findings, so capping never changes the ones that stay.
    prints = _fingerprints(ordered)
    left_out = len(ordered) - MAX_RESULTS
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "reportcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(rule_id) for rule_id in index],
            },
        },
        "artifacts": _artifacts(results),
        "results": [_result(artifact_uri(r), f, index, fingerprint)
                    for (r, f), fingerprint in zip(ordered[:MAX_RESULTS], prints, strict=False)],
        "columnKind": "unicodeCodePoints",
    }
    if left_out > 0:
        run["invocations"] = [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [{
                "level": "warning",
                "message": {"text": f"{plural(left_out, 'more result')} left out: GitHub code "
                                    f"scanning takes at most {MAX_RESULTS:,} a run, so the most important are "
                                    "kept. `reportcheck check` lists every finding."},
            }],
        }]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render_many(results: Sequence[ReportResult], options: RenderOptions) -> str:
    """Render every result into one SARIF run."""
    return json.dumps(sarif(results), indent=2, ensure_ascii=False) + "\n"


def render(result: ReportResult, options: RenderOptions) -> str:
    """Render one result as a SARIF log."""
    return render_many([result], options)
