"""`check --format shields` and the Action's `badge-file`: shields.io endpoint JSON, held to shields' own schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from checker.cli import run
from checker.formats import FORMATS, RenderOptions, render_many, renderer
from tests.conftest import ROOT, make_report, run_check
from tests.test_action import make_repo, step

EXAMPLES = ROOT / "examples"
# shields.io's eight named colours (its static badge documentation); a hex value would do too, but we keep to these.
NAMED_COLORS = {"brightgreen", "green", "yellowgreen", "yellow", "orange", "red", "blue", "lightgrey"}


def endpoint() -> Draft202012Validator:
    """Return a validator of shields' endpoint schema (tests/data/shields-endpoint.schema.json)."""
    schema = json.loads((ROOT / "tests" / "data" / "shields-endpoint.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def valid(badge: Any) -> Any:
    """Validate one badge against the endpoint schema and return it."""
    endpoint().validate(badge)
    assert badge["color"] in NAMED_COLORS
    return badge


@pytest.mark.parametrize(
    "badge",
    [
        {"schemaVersion": 2, "label": "x", "message": "1/2"},
        {"schemaVersion": 1, "label": "x", "message": ""},
        {"schemaVersion": 1, "message": "1/2"},
        {"schemaVersion": 1, "label": "x", "message": "1/2", "colour": "red"},
        {"schemaVersion": 1, "label": "x", "message": "1/2", "logoColor": "red"},
        {"schemaVersion": 1, "label": "x", "message": "1/2", "cacheSeconds": -1},
    ],
)
def test_the_schema_refuses_what_shields_refuses(badge: dict[str, Any]) -> None:
    assert not endpoint().is_valid(badge)


def test_shields_is_a_registered_format() -> None:
    assert FORMATS["shields"] == "checker.formats.shields"


def test_the_badges_of_the_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", str(EXAMPLES / "not-ready"), "--format", "shields"]) == 1
    assert valid(json.loads(capsys.readouterr().out)) == {
        "schemaVersion": 1, "label": "exam report", "message": "26/31", "color": "red"}
    assert run(["check", str(EXAMPLES / "ready"), "--format", "shields"]) == 0
    assert valid(json.loads(capsys.readouterr().out))["message"] == "31/31"


def test_the_colour_says_the_verdict() -> None:
    render = renderer("shields")
    ready = valid(json.loads(render(run_check(make_report()), RenderOptions())))
    warned = valid(json.loads(render(run_check(make_report({4: "Both of us did all of it."})), RenderOptions())))
    failed = valid(json.loads(render(run_check(make_report({3: None})), RenderOptions())))
    assert [(b["message"], b["color"]) for b in (ready, warned, failed)] == [
        ("4/4", "brightgreen"), ("4/4", "yellow"), ("3/4", "red")]


def test_several_reports_give_an_array_of_badges() -> None:
    results = [run_check(make_report()), run_check(make_report({3: None}))]
    badges = json.loads(render_many("shields", results, RenderOptions()))
    assert [valid(b)["message"] for b in badges] == ["4/4", "3/4"]


def test_the_action_writes_the_badge_file(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", make_report({3: None}))
    status, _, outputs, _ = step(repo, tmp_path, badge_file="badges/report.json")
    assert status == 1 and outputs["passed"] == "3"
    assert valid(json.loads((repo / "badges" / "report.json").read_text(encoding="utf-8"))) == {
        "schemaVersion": 1, "label": "exam report", "message": "3/4", "color": "red"}
    missing = make_repo(tmp_path / "missing", make_report())
    step(missing, tmp_path, badge_file="badge.json", path="nowhere/README.md")
    unchecked = valid(json.loads((missing / "badge.json").read_text(encoding="utf-8")))
    assert (unchecked["message"], unchecked["isError"]) == ("not checked", True)
    assert not (tmp_path / "repo" / "badge.json").exists()
