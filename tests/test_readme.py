"""The README's sample output is what the command prints today."""

from __future__ import annotations

import pytest

from checker.cli import run
from tests.conftest import ROOT


def test_readme_sample_matches_the_command(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    prompt = "$ reportcheck check examples/not-ready\n"
    sample = readme.split(prompt, 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    assert run(["check", "examples/not-ready", "--no-color"]) == 1
    assert capsys.readouterr().out == sample


def test_readme_rule_table_is_the_registry() -> None:
    """Every rule id is documented in the README's table, with its severity, and the table names no other."""
    from checker.rules import RULES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| rule | severity | what it means |", 1)[1].split("\n\n", 1)[0]
    documented: dict[str, str] = {}
    for row in table.splitlines()[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        for rule in cells[0].split("/"):
            documented[rule.strip().strip("`")] = cells[1]
    assert documented == {rule.id: rule.severity for rule in RULES.values()}
