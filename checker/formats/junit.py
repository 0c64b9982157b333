"""JUnit XML: one test case per question, so any CI's test view shows the report.

A question with errors is a failed test case: its one `<failure>` names the first error and lists every error
with its line, and the suite's `failures` counts such questions. Findings about the whole report (a wrong
template, the report in the wrong place) form one more test case. Warnings do not fail a test case; they are
listed in its system-out. The output is valid under Jenkins' junit-10.xsd (the schema pytest's own XML
follows): `file` belongs to the suite there, not to a test case, and lines are in the failure text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from checker.formats import RenderOptions
from checker.model import Finding, ReportResult

# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _describe(finding: Finding) -> str:
    hint = f"\n  {finding.hint}" if finding.hint else ""
    return f"line {finding.line}: [{finding.rule}] {finding.message}{hint}"


def _case(suite: ET.Element, classname: str, name: str, findings: Sequence[Finding]) -> tuple[int, int]:
    """Add one test case; return (tests, failures) it adds."""
    case = ET.SubElement(suite, "testcase", classname=_clean(classname), name=_clean(name), time="0")
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    if errors:
        failure = ET.SubElement(case, "failure", type=errors[0].rule, message=_clean(errors[0].message))
        failure.text = _clean("\n".join(_describe(f) for f in errors))
    if warnings:
        out = ET.SubElement(case, "system-out")
        out.text = _clean("\n".join("warning " + _describe(f) for f in warnings))
    return 1, int(bool(errors))


def _suite(parent: ET.Element, result: ReportResult) -> tuple[int, int]:
    suite = ET.SubElement(parent, "testsuite", name=_clean(result.label), file=_clean(result.label))
    classname = _clean(f"reportcheck.{result.set_id}")
    tests = failures = 0
    general = [f for f in result.findings if f.question is None]
    cases: list[tuple[str, str, list[Finding]]] = []
    if general:
        cases.append((classname, "whole report", general))
    cases += [(classname, f"Question {q.number}: {q.title}", list(q.findings)) for q in result.questions]
    for case in cases:
        added, failed = _case(suite, *case)
        tests, failures = tests + added, failures + failed
    suite.attrib.update(tests=str(tests), failures=str(failures), errors="0", skipped="0", time="0")
    return tests, failures


def render_many(results: Sequence[ReportResult], options: RenderOptions) -> str:
    """Render one test suite per report inside a <testsuites> root."""
    root = ET.Element("testsuites", name="reportcheck")
    tests = failures = 0
    for result in results:
        added, failed = _suite(root, result)
        tests, failures = tests + added, failures + failed
    root.attrib.update(tests=str(tests), failures=str(failures), errors="0", time="0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render(result: ReportResult, options: RenderOptions) -> str:
    """Render one result as JUnit XML."""
    return render_many([result], options)
