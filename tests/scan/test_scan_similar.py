"""`reportcheck scan --similar`: the pairs beside the results, and each group's closest pair on the dashboard."""

from __future__ import annotations

import json
import random
import re
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from fakegithub import FakeGitHub, Fault
from scanhelpers import DEADLINE, add_group_repo
from test_scan_github import group_file, rows, run_scan
from test_scan_local import clone, commit

from checker.cli import main, run
from checker.resources import load_schema
from checker.scan.snapshot import CommitFiles
from checker.scan.store import Cache, ResultsFile
from tests.similarhelpers import answer, report, write_repo


def test_scan_writes_the_pairs_and_the_dashboard_links_each_groups_closest(tmp_path: Path) -> None:
    rng = random.Random(7)
    answers = [{n: answer(rng) for n in range(3, 32)} for _ in range(4)]
    answers[1][5] = answers[0][5]  # groups 1 and 2 hand in one answer
    earlier = {n: answer(rng) for n in range(3, 28)}
    answers[3][24] = earlier[22]  # group 4 takes an earlier year's answer (question 22 then)
    write_repo(tmp_path / "prior", "old", report(earlier, 27, 90))
    root = tmp_path / "clones"
    for group, mine in enumerate(answers, start=1):
        commit(clone(root, group, f"proj{group}"), DEADLINE - timedelta(days=1),
               {"reports/README.md": report(mine, 31, group)})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["scan", "--local", str(root), "--out", str(out), "--similar",
                                       "--prior", str(tmp_path / "prior"), "--html"])
    assert result.exit_code in (0, 1), result.output
    data = json.loads((out / "similar.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, load_schema("similar.schema.json"))
    found = [(p["question"], p["a"]["repo"], p["b"]["repo"], p["b"]["prior"]) for p in data["pairs"]]
    assert sorted(found) == [(5, "group_1/proj1", "group_2/proj2", False), (24, "group_4/proj4", "old", True)]
    assert "not findings" in (out / "similar.html").read_text(encoding="utf-8")
    dashboard = (out / "dashboard.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="(similar\.html#pair-\d)">1\.00</a>', dashboard)
    assert len(links) == 3  # groups 1, 2 and 4; group 3 shares nothing
    assert ">Sim</button>" in dashboard


def test_the_dashboard_has_no_similar_column_without_similar(tmp_path: Path) -> None:
    root = tmp_path / "clones"
    commit(clone(root, 1, "proj"), DEADLINE - timedelta(days=1),
           {"reports/README.md": report({n: answer(random.Random(n)) for n in range(3, 32)}, 31, 1)})
    out = tmp_path / "out"
    CliRunner().invoke(main, ["scan", "--local", str(root), "--out", str(out), "--html"])
    assert ">Sim</button>" not in (out / "dashboard.html").read_text(encoding="utf-8")
    assert not (out / "similar.json").exists()


@pytest.mark.parametrize(("prior", "said"), [("absent", "no such file or folder"), ("empty", "no reports found")])
def test_a_prior_path_without_reports_stops_the_scan_before_any_request(
    fake: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], prior: str, said: str
) -> None:
    add_group_repo(fake, "dtu/team-1", 1)
    groups = group_file(tmp_path, [(1, "dtu/team-1", ())])
    (tmp_path / "empty").mkdir()
    out = tmp_path / "out"
    code = run(["scan", str(groups), "--api-url", fake.url, "--out", str(out), "--similar",
                "--prior", str(tmp_path / prior)])
    assert code == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"reportcheck: --prior {tmp_path / prior}: {said}"), lines
    assert fake.counts == {} and not out.exists()


def _two_teams(fake: FakeGitHub, tmp_path: Path) -> tuple[Path, Path]:
    """Two groups on the fake server and an earlier year's repository to compare with; the group file and it."""
    for number in (1, 2):
        add_group_repo(fake, f"dtu/team-{number}", number)
    rng = random.Random(3)
    write_repo(tmp_path / "prior", "old", report({n: answer(rng) for n in range(3, 28)}, 27, 90))
    return group_file(tmp_path, [(n, f"dtu/team-{n}", ()) for n in (1, 2)]), tmp_path / "prior"


@pytest.mark.parametrize("failure", ["prior-gone", "unwritable"])
def test_similar_answers_that_cannot_be_written_leave_every_other_output(
    fake: FakeGitHub, tmp_path: Path, failure: str
) -> None:
    groups, prior = _two_teams(fake, tmp_path)
    out = tmp_path / "out"

    def meanwhile() -> None:  # while the scan runs, the earlier year's report goes, or similar.json cannot be
        if failure == "prior-gone":
            (prior / "old" / "reports" / "README.md").unlink()
        else:
            (out / "similar.json").mkdir(parents=True)

    result = run_scan(fake, out, str(groups), "--html", "--feedback", "--similar", "--prior", str(prior),
                      meanwhile=meanwhile)
    assert result.exit_code == 2, result.output
    said = [line for line in result.stderr.splitlines() if "--similar" in line]
    expected = f"{prior}: no reports found" if failure == "prior-gone" else f"{out}: cannot write the similar answers"
    assert len(said) == 1 and said[0].startswith(f"reportcheck: --similar: {expected}"), result.stderr
    assert said[0].endswith("; similar.json and similar.html not written")
    assert "Traceback" not in result.output
    # The scan's results, the table, the feedback and the dashboard are all there; the dashboard without Sim.
    assert {row["status"] for row in rows(out).values()} == {"ok"} and len(rows(out)) == 2
    assert (out / "summary.csv").is_file() and len(list((out / "feedback").glob("*.md"))) == 2
    assert result.stdout.splitlines()[-1] == "2 ready, 0 not passed, 0 unreachable"
    dashboard = (out / "dashboard.html").read_text(encoding="utf-8")
    assert "dtu/team-1" in dashboard and ">Sim</button>" not in dashboard
    assert not (out / "similar.html").exists()
    assert not list(out.glob(".*.tmp")), "a failed write leaves no temporary file behind"


def test_a_scan_stopped_early_says_1_even_when_the_similar_answers_failed(fake: FakeGitHub, tmp_path: Path) -> None:
    groups, prior = _two_teams(fake, tmp_path)
    fake.repos["dtu/team-2"].faults.append(Fault("primary", times=1, on="tree", seconds=1))
    out = tmp_path / "out"
    result = run_scan(fake, out, str(groups), "--jobs", "1", "--no-wait", "--html", "--similar", "--prior",
                      str(prior), meanwhile=(prior / "old" / "reports" / "README.md").unlink)
    assert result.exit_code == 1, result.output  # --resume goes on; that run meets the similar failure again
    assert "similar.json and similar.html not written" in result.stderr and "--resume" in result.stderr
    assert (out / "dashboard.html").is_file()


def test_similar_reads_a_saved_scan_from_its_cache(tmp_path: Path) -> None:
    rng = random.Random(9)
    answers = [{n: answer(rng) for n in range(3, 32)} for _ in range(3)]
    answers[2][11] = answers[0][11]
    root = tmp_path / "clones"
    texts = {}
    for group, mine in enumerate(answers, start=1):
        texts[f"group_{group}/proj{group}"] = report(mine, 31, group).encode()
        commit(clone(root, group, f"proj{group}"), DEADLINE - timedelta(days=1),
               {"reports/README.md": texts[f"group_{group}/proj{group}"].decode()})
    out = tmp_path / "out"
    CliRunner().invoke(main, ["scan", "--local", str(root), "--out", str(out)])
    cache = Cache(out / "cache")  # a local scan keeps none; a GitHub scan's cache holds each report like this
    for row in ResultsFile(out / "results.jsonl").load().values():
        assert row.commit is not None
        cache.put(row.repo, row.commit, CommitFiles(None, (), "reports/README.md", texts[row.repo]))
    result = CliRunner().invoke(main, ["similar", str(out)])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("1.00  Q11  group 1 group_1/proj1 (group_1/proj1@") and "group 3 group_3/proj3" in first
