"""`reportcheck similar`: planted copies rank on top; template fillings and text many groups share do not."""

from __future__ import annotations

import json
import random
from pathlib import Path

import jsonschema
import pytest

from checker.cli import run
from checker.resources import load_schema
from checker.similar.compare import Settings, compare
from checker.similar.gather import gather
from checker.similar.model import Pair
from checker.similar.topics import topics_of
from tests.conftest import EXAMPLES, MINI, make_report
from tests.similarhelpers import answer, report, sentence, write_repo

QUESTIONS = 31
PRIOR_QUESTIONS = 27
COPIED = 7  # the question the verbatim copy is planted under


def _edit(rng: random.Random, text: str) -> str:
    """Reorder the sentences and change one word in four sentences of five: a light rewrite."""
    parts = [s.strip() for s in text.split(".") if s.strip()]
    rng.shuffle(parts)
    edited = []
    for index, part in enumerate(parts):
        words = part.split()
        if index % 5:
            words[rng.randrange(len(words))] = "tweaked"
        edited.append(" ".join(words))
    return ". ".join(edited) + "."


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path]:
    """Write 24 groups of this year and 10 of an earlier year, with four copies planted among them."""
    rng = random.Random(15)
    this_year = {f"group{g:02d}": {n: answer(rng) for n in range(3, QUESTIONS + 1)} for g in range(1, 25)}
    earlier = {f"old{g:02d}": {n: answer(rng) for n in range(3, PRIOR_QUESTIONS + 1)} for g in range(1, 11)}
    this_year["group02"][COPIED] = this_year["group01"][COPIED]  # verbatim
    this_year["group04"][9] = _edit(rng, this_year["group03"][9])  # lightly edited and reordered
    half = this_year["group05"][12].split(". ")
    this_year["group06"][12] = ". ".join(half[:3]) + ". " + answer(rng, 3)  # half copied
    # An earlier year's question 22 is this year's question 24 (the sets know both by their prompts).
    this_year["group07"][24] = earlier["old03"][22]
    common = sentence(rng) + " " + sentence(rng)
    for name in list(this_year)[10:22]:  # text many groups share (as if from a tutorial) makes no pair
        this_year[name][15] = common + " " + answer(rng, 4)
    current, prior = tmp_path / "current", tmp_path / "prior"
    for index, (name, answers) in enumerate(this_year.items(), start=1):
        write_repo(current, name, report(answers, QUESTIONS, index))
    for index, (name, answers) in enumerate(earlier.items(), start=1):
        write_repo(prior, name, report(answers, PRIOR_QUESTIONS, 100 + index))
    return current, prior


def _pairs(current: Path, prior: Path, min_score: float = 0.3) -> list[Pair]:
    entries, problems = gather([current])
    earlier, more = gather([prior], prior=True)
    assert not problems and not more
    return compare(entries + earlier, Settings(min_score))


def test_planted_copies_rank_on_top_and_nothing_else_is_paired(planted: tuple[Path, Path]) -> None:
    pairs = _pairs(*planted)
    found = [(p.question, p.a.repo, p.b.repo, p.b.question, p.b.prior) for p in pairs]
    assert found == [
        (COPIED, "group01", "group02", COPIED, False),
        (24, "group07", "old03", 22, True),
        (9, "group03", "group04", 9, False),
        (12, "group05", "group06", 12, False),
    ], found
    verbatim, earlier, edited, half = pairs
    assert verbatim.score == 1.0 and earlier.score == 1.0
    assert 0.5 <= edited.score < 1.0
    assert 0.3 <= half.score <= 0.7


def test_even_a_low_score_pairs_no_two_groups_that_only_share_common_text(planted: tuple[Path, Path]) -> None:
    pairs = _pairs(*planted, min_score=0.0)
    assert all(p.question != 15 for p in pairs)
    assert len(pairs) == 4


def test_shared_passages_name_their_lines_and_words(planted: tuple[Path, Path]) -> None:
    verbatim = _pairs(*planted)[0]
    answer_text = (planted[0] / "group01" / "reports" / "README.md").read_text().splitlines()
    assert answer_text[verbatim.a.line - 1].startswith(verbatim.a.text[:20])
    assert sum(p.words for p in verbatim.shared) == len(verbatim.a.text.split())
    assert all(p.a_line == p.b_line == verbatim.a.line for p in verbatim.shared)


def test_prior_years_are_never_paired_with_each_other(tmp_path: Path) -> None:
    rng = random.Random(3)
    copied = answer(rng)
    for name in ("one", "two"):
        write_repo(tmp_path / "prior", name, report({5: copied}, PRIOR_QUESTIONS, 1))
    write_repo(tmp_path / "now", "three", report({5: answer(rng)}, QUESTIONS, 2))
    assert _pairs(tmp_path / "now", tmp_path / "prior") == []


def test_two_fillings_of_one_template_example_are_not_a_pair(tmp_path: Path) -> None:
    fills = [("Alice", "Jenkins", "Argo", "Kubernetes"), ("Bob", "Drone", "Flux", "Nomad"),
             ("Alice", "Jenkins", "Argo", "Kubernetes")]
    for index, names in enumerate(fills):
        filled = EXAMPLES[3]
        for name in names:
            filled = filled.replace("...", name, 1)
        path = tmp_path / f"group{index}" / "reports" / "README.md"
        path.parent.mkdir(parents=True)
        path.write_text(make_report({3: filled}), encoding="utf-8")
    entries, problems = gather([tmp_path], sets=(MINI,))
    assert not problems and len(entries) == 3
    assert compare(entries, Settings(0.0), sets=(MINI,)) == []
    # The same answers with words of their own added to the example are a pair: the test can fail.
    own = " " + sentence(random.Random(1)) + " " + sentence(random.Random(2))
    for index in (0, 1):
        path = tmp_path / f"group{index}" / "reports" / "README.md"
        path.write_text(make_report({3: EXAMPLES[3] + own}), encoding="utf-8")
    entries, _ = gather([tmp_path], sets=(MINI,))
    assert [(p.a.repo, p.b.repo) for p in compare(entries, Settings(0.0), sets=(MINI,))] == [("group0", "group1")]


def test_questions_of_different_years_are_matched_by_prompt() -> None:
    topics = topics_of()
    assert topics[("dtu-mlops-2024", 22)] == topics[("dtu-mlops-2026", 24)]
    assert topics[("dtu-mlops-2024", 4)] == topics[("dtu-mlops-2026", 4)]
    assert topics[("dtu-mlops-2024", 3)] != topics[("dtu-mlops-2026", 3)]  # another question in 2026
    assert len({topics[("dtu-mlops-2026", n)] for n in range(3, 32)}) == 29
    assert ("dtu-mlops-2026", 1) not in topics  # a group number is not compared


def test_the_command_writes_json_the_schema_accepts(planted: tuple[Path, Path], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pairs.json"
    code = run(["similar", str(planted[0]), "--prior", str(planted[1]), "--format", "json", "-o", str(out)])
    assert code == 0
    data = json.loads(out.read_text())
    jsonschema.validate(data, load_schema("similar.schema.json"))
    assert [p["score"] for p in data["pairs"]] == sorted((p["score"] for p in data["pairs"]), reverse=True)
    assert data["pairs"][0]["a"]["repo"] == "group01" and data["pairs"][0]["b"]["prior"] is False
    assert "4 pairs written" in capsys.readouterr().err


def test_the_text_output_is_one_line_per_pair(planted: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["similar", str(planted[0]), "--prior", str(planted[1])]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and "leads" in lines[-1]
    assert lines[0].startswith(f"1.00  Q{COPIED}  group 1 group01 (")
    assert "group 103 old03 (prior year) Q22 (" in lines[1]


def test_no_reports_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["similar", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no reports found" in err
    assert run(["similar", str(tmp_path / "absent")]) == 2


def test_an_unreadable_report_is_one_line_and_skipped(planted: tuple[Path, Path],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    broken = planted[0] / "group24" / "reports" / "README.md"
    broken.write_bytes(b"### Question 1\n\xff\xfe\xfa not text \x80\x81\n" * 3)
    assert run(["similar", str(planted[0]), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "group24" in captured.err and "skipped" in captured.err
    assert json.loads(captured.out)["pairs"]


def test_the_page_hides_study_numbers_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(7)
    groups = {f"team{g:02d}": {n: answer(rng) for n in range(3, QUESTIONS + 1)} for g in range(1, 9)}
    groups["team02"][COPIED] = groups["team01"][COPIED] = answer(rng) + " Student s123456 trained the model."
    for index, (name, answers) in enumerate(groups.items(), start=1):
        write_repo(tmp_path / "repos", name, report(answers, QUESTIONS, index))
    shown, hidden = tmp_path / "shown.html", tmp_path / "hidden.html"
    assert run(["similar", str(tmp_path / "repos"), "--format", "html", "-o", str(shown)]) == 0
    assert run(["similar", str(tmp_path / "repos"), "--format", "html", "-o", str(hidden), "--redact-ids"]) == 0
    assert "s123456" in shown.read_text(encoding="utf-8")
    page = hidden.read_text(encoding="utf-8")
    assert "s123456" not in page and "s\u2022\u2022\u2022\u2022\u2022" in page and 'id="pair-1"' in page
    capsys.readouterr()
    assert run(["similar", str(tmp_path / "repos"), "--format", "json", "--redact-ids"]) == 0
    assert "--redact-ids is not used without --format html" in capsys.readouterr().err
