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


def test_readme_layout_names_every_module_and_only_existing_ones() -> None:
    """The Layout section names each module of checker/ and checker/scan/, each package, and nothing gone."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("```", 2)[1]
    entries = {line.split()[0] for line in layout.splitlines() if line.strip()}  # the name each line is about
    named = entries | set(re.findall(r"\b[a-z_]+\.py\b", layout))
    package = ROOT / "checker"
    modules = {p.name for p in [*package.glob("*.py"), *(package / "scan").glob("*.py")]}
    packages = {f"{p.name}/" for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert modules | packages <= named | {"__init__.py"}
    top = {f"{p.name}/" for p in ROOT.iterdir() if p.is_dir()} | {p.name for p in ROOT.iterdir() if p.is_file()}
    exist = {p.name for p in package.rglob("*.py")} | packages | top | {"checker/", "action.yml,"}
    assert named <= exist, named - exist
