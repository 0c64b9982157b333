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
