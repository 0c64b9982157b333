"""The shipped question sets: valid, equal to the course checker's ranges, found in the wheel, detected right."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import jsonschema
import pytest

from checker import check_text
from checker.parse import parse
from checker.questions import detect, shipped
from checker.resources import load_schema
from tests.conftest import ROOT

SET_FILES = sorted((ROOT / "questions").glob("*.toml"))


@pytest.mark.parametrize("path", SET_FILES, ids=lambda p: p.stem)
def test_shipped_set_is_schema_valid(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, load_schema("question-set.schema.json"))
    numbers = [q["number"] for q in data["questions"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert data["id"] == path.stem


def test_schema_rejects_a_broken_set() -> None:
    broken = {"schema_version": 1, "id": "x", "title": "x", "questions": [{"number": 0, "title": ""}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, load_schema("question-set.schema.json"))


def test_four_years_are_shipped() -> None:
    assert [s.id for s in shipped()] == [f"dtu-mlops-{y}" for y in (2023, 2024, 2025, 2026)]
    assert [len(s.questions) for s in shipped()] == [27, 27, 31, 31]


def test_ranges_equal_the_course_checker(shared: Path) -> None:
    official = json.loads((shared / "templates" / "official-constraints.json").read_text())
    for question_set in shipped():
        expected = official[question_set.id]
        for question in question_set.questions:
            ranges = expected[str(question.number)]
            assert question.words == (tuple(ranges["words"]) if "words" in ranges else None), question
            assert question.images == (tuple(ranges["images"]) if "images" in ranges else None), question
        assert len(expected) == len(question_set.questions)


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_blank_template_is_detected_and_all_unanswered(shared: Path, year: int) -> None:
    text = (shared / "templates" / f"dtu-mlops-{year}.md").read_text(encoding="utf-8")
    detection = detect(parse(text))
    assert detection.question_set.id == f"dtu-mlops-{year}"
    assert detection.matched == len(detection.question_set.questions)
    result = check_text(text)
    assert {q.status for q in result.questions} == {"unanswered"}
    assert not result.ready
    assert result.checklist and all(s.checked == 0 for s in result.checklist)


def test_wheel_carries_the_data_and_loads_it(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("reportcheck-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {f"checker/questions/{p.name}" for p in SET_FILES} <= set(names)
    assert "checker/schemas/result.schema.json" in names
    assert "checker/schemas/history-entry.schema.json" in names
    assert "checker/_compiled_sets.py" in names
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(wheel).extractall(unpacked)
    code = (
        "import sys, checker, checker.questions as q; print(checker.__file__); "
        "print(repr(q.shipped())); print('tomllib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin"}, cwd=tmp_path)
    where, sets, used_toml = done.stdout.splitlines()
    assert where.startswith(str(unpacked))
    # The wheel's precompiled sets are exactly the TOML files' sets, and reading them needs no TOML parser.
    assert sets == repr(shipped())
    assert used_toml == "False"
