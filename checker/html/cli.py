"""The `html` and `dashboard` commands (loaded lazily by `checker.cli`, so `check` never imports nh3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from checker.errors import CheckerError


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the page to this file (default: report.html beside the report).")
@click.option("--template", "template", metavar="ID", help="Check against this question set.")
@click.option("--questions", "questions_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use a question set from a TOML file instead of the shipped ones.")
@click.option("--strict", is_flag=True, help="Warnings also make the report not ready.")
def html(path: Path | None, output: Path | None, template: str | None, questions_file: Path | None,
         strict: bool) -> None:
    """Render the report at PATH as one self-contained HTML page with a verdict per question."""
    from checker import check_path, locate
    from checker.cli import _default_target
    from checker.html.figures import RepositoryFigures
    from checker.html.report import render_report
    from checker.questions import load_file
    from checker.source import decode_report

    target = path or _default_target()
    sets = None
    question_set: Any = template
    if questions_file is not None:
        sets = (load_file(questions_file),)
        question_set = template or None
    result = check_path(target, question_set=question_set, sets=sets, strict=strict)
    report, root = locate(target)
    text = decode_report(report.read_bytes(), str(report)).text
    page = render_report(result, text, RepositoryFigures(root), title=f"{root.resolve().name}: {result.path}")
    destination = output or report.with_name("report.html")
    try:
        destination.write_text(page.html, encoding="utf-8")
    except OSError as exc:
        raise CheckerError(f"{destination}: cannot write ({exc.strerror})") from None
    missing = f", {page.placeholders} figure(s) shown as placeholders" if page.placeholders else ""
    click.echo(f"wrote {destination}{missing}")


@click.command()
@click.argument("results", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for dashboard.html and reports/ (default: the folder of RESULTS).")
@click.option("--reports", "markdown_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder with the scan's report copies, <owner>__<name>.md (default: reports/ beside RESULTS).")
@click.option("--clones", "clones_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder of local clones (as for `scan --local`): reports and figures come from each row's commit.")
@click.option("--title", default="Exam reports", show_default=True, help="Title of the dashboard.")
def dashboard(results: Path, out_dir: Path | None, markdown_dir: Path | None, clones_dir: Path | None,
              title: str) -> None:
    """Rebuild dashboard.html (and each group's report page) from a saved scan's results.jsonl."""
    from checker.html.clones import Clones
    from checker.html.dashboard import write_dashboard
    from checker.html.results import load_results

    rows = load_results(results)
    if not rows:
        raise CheckerError(f"{results}: no result rows")
    folder = out_dir or results.parent
    clones = Clones(clones_dir) if clones_dir is not None else None
    path = write_dashboard(
        rows,
        folder,
        markdown_dir=markdown_dir or results.parent / "reports",
        report_text=clones.report_text if clones else None,
        figures=clones.commit if clones else None,
        title=title,
    )
    click.echo(f"wrote {path} ({len(rows)} groups)")
