"""What a scan keeps on disk survives crashes and Ctrl-C."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakegithub import FakeGitHub
from scanhelpers import TOKEN, add_group_repo
from test_scan_github import group_file, rows

from checker.scan import cli as scan_cli
from checker.scan.row import ScanRow, summary_line
from checker.scan.store import ResultsFile


def test_a_line_cut_short_by_a_crash_is_skipped_and_the_next_row_starts_clean(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    path.write_text('{"repo": "a/one", "status": "ok"}\n{"repo": "a/tw', encoding="utf-8")
    results = ResultsFile(path)
    assert list(results.load()) == ["a/one"]
    results.start(keep=True)
    results.append(ScanRow("a/three", status="no-report"))
    results.close()
    assert sorted(results.load()) == ["a/one", "a/three"]
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[-1])["repo"] == "a/three"


def test_summary_line_counts() -> None:
    found = [
        ScanRow("a/1", status="ok", ready=True),
        ScanRow("a/2", status="ok", ready=False),
        ScanRow("a/3", status="no-report"),
        ScanRow("a/4", status="timeout"),
        ScanRow("a/5", status="not-found"),
    ]
    assert summary_line(found) == "1 ready, 2 not passed, 2 unreachable"
    assert summary_line([*found, ScanRow("a/6", status="not-scanned")]).endswith(", 1 not scanned")


def test_ctrl_c_keeps_every_finished_row(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in range(1, 7):
        add_group_repo(fake, f"dtu/team-{number}", number)
    groups = group_file(tmp_path, [(n, f"dtu/team-{n}", ()) for n in range(1, 7)])
    original = scan_cli.LineProgress.advance

    def advance(self: scan_cli.LineProgress, repo: str, said: str) -> None:
        original(self, repo, said)
        if self.done == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(scan_cli.LineProgress, "advance", advance)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    from checker.cli import run

    out = tmp_path / "out"
    code = run(["scan", str(groups), "--api-url", fake.url, "--out", str(out), "--rate", "0", "--jobs", "1"])
    assert code == 130
    err = capsys.readouterr().err
    assert "interrupted; every finished result is in" in err and "--resume" in err
    kept = rows(out)
    assert len(kept) >= 2
    assert all(row["status"] == "ok" for row in kept.values())
    assert len((out / "summary.csv").read_text(encoding="utf-8").splitlines()) == len(kept) + 1
    assert all(json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines())
