"""The `html` and `dashboard` commands (loaded lazily by `checker.cli`, so `check` never imports nh3)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from checker.command import default_target
from checker.errors import CheckerError
from checker.options import question_set_option, strict_option
from checker.wording import plural

if TYPE_CHECKING:
    from checker.html.redact import Redactor
    from checker.scan.row import ScanRow


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the page to this file (default: report.html here, or in a new temporary folder when here "
                   "is inside the checked repository).")
@question_set_option
@strict_option
@click.option("--no-config", is_flag=True, help="Ignore [tool.reportcheck] in pyproject.toml.")
def html(path: Path | None, output: Path | None, question_set: str | None, strict: bool | None,
         no_config: bool) -> None:
    """Render the report at PATH as one self-contained HTML page with a verdict per question.

    The report is checked as `reportcheck check` checks it, [tool.reportcheck] included.
    """
    from checker import locate
    from checker.command import run_settings
    from checker.config import settings
    from checker.html.figures import RepositoryFigures
    from checker.html.report import render_report
    from checker.source import decode_report, read_file

    chosen = settings(path, default_target=default_target(), question_set=question_set, strict=strict,
                      use_config=not no_config)
    result = run_settings(chosen)
    report, root = locate(chosen.target)
    text = decode_report(read_file(report), str(report)).text
    page = render_report(result, text, RepositoryFigures(root), title=f"{root.resolve().name}: {result.path}")
    destination = output or default_page(root)
    try:
        destination.write_text(page.html, encoding="utf-8")
    except OSError as exc:
        raise CheckerError(f"{destination}: cannot write ({exc.strerror})") from None
    missing = f", {plural(page.placeholders, 'figure')} shown as placeholders" if page.placeholders else ""
    click.echo(f"wrote {destination}{missing}")


def default_page(root: Path) -> Path:
    """Return where a page goes without -o: here, unless here is inside the repository (a fresh temporary folder).

    A page written into the group's repository would show up in `git status` and get committed.
    """
    here = Path.cwd().resolve()
    if here == root.resolve() or root.resolve() in here.parents:
        import tempfile

        return Path(tempfile.mkdtemp(prefix="reportcheck-")) / "report.html"
    return here / "report.html"


@click.command()
@click.argument("results", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for dashboard.html and reports/ (default: the folder of RESULTS).")
@click.option("--reports", "markdown_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder with the scan's report copies, <owner>__<name>.md (default: reports/ beside RESULTS).")
@click.option("--clones", "clones_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder of local clones (as for `scan --local`): reports and figures come from each row's commit.")
@click.option("--title", default="Exam reports", show_default=True, help="Title of the dashboard.")
@click.option("--redact-ids", is_flag=True,
              help="Show no study number on any page (s123456 becomes s\u2022\u2022\u2022\u2022\u2022), for pages "
                   "shared beyond the teachers.")
def dashboard(results: Path, out_dir: Path | None, markdown_dir: Path | None, clones_dir: Path | None,
              title: str, redact_ids: bool) -> None:
    """Rebuild dashboard.html (and each group's report page) from a saved scan's results.jsonl.

    With history.jsonl beside results.jsonl (every scan into that folder) it draws progress over time.
    """
    from checker.html.clones import Clones
    from checker.html.dashboard import id_redactor, write_dashboard
    from checker.scan import history
    from checker.scan.store import ResultsFile

    rows = list(ResultsFile(results).load(missing_ok=False).values())
    if not rows:
        raise CheckerError(f"{results}: no result rows")
    folder = out_dir or results.parent
    redact = id_redactor(rows) if redact_ids else None
    clones = Clones(clones_dir) if clones_dir is not None else None
    path = write_dashboard(
        rows,
        folder,
        markdown_dir=markdown_dir or results.parent / "reports",
        report_text=clones.report_text if clones else None,
        figures=clones.commit if clones else None,
        title=title,
        history=history.find(results.parent),
        redact=redact,
    )
    redacted = ", study numbers hidden" if redact_ids else ""
    click.echo(f"wrote {path} ({plural(len(rows), 'group')}{redacted})")
    if redact is not None:
        warn_earlier_pages(folder, rows, redact)


def warn_earlier_pages(folder: Path, rows: list[ScanRow], redact: Redactor) -> None:
    """Say when the folder of redacted pages also holds report pages of an earlier run, which may show ids."""
    from checker.html.dashboard import earlier_pages

    if found := earlier_pages(folder, rows, redact):
        click.echo(f"reportcheck: {folder / 'reports'} also holds {plural(len(found), 'page')} this run did not "
                   f"write (e.g. {found[0].name}), which may show study numbers: remove them before sharing",
                   err=True)
