"""`reportcheck similar`: read the paths, compare, and write the pairs; the only part of the package that prints."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from checker.errors import CheckerError
from checker.similar.render import FORMATS

if TYPE_CHECKING:
    from checker.scan.row import ScanRow
    from checker.similar.model import Pair


def need_numpy() -> None:
    """Raise one clear line when numpy (the `similar` extra) is not installed."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        raise CheckerError("comparing answers needs numpy: pip install 'reportcheck[similar]'") from None


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--prior", "priors", multiple=True, type=click.Path(path_type=Path),
              help="Earlier years' reports, given as PATH is: compared with this year's, never with each other.")
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATS)), default="text", show_default=True,
              help="text: a line per pair; json: schemas/similar.schema.json; html: one page, answers side by side.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Leave out pairs scoring lower (default 0.3).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=2, show_default=True,
              help="Worker processes that read the reports.")
@click.option("--redact-ids", is_flag=True,
              help="With --format html: show no study number on the page (s123456 becomes s•••••), to share it.")
def similar(paths: tuple[Path, ...], priors: tuple[Path, ...], output_format: str, output: Path | None,
            min_score: float | None, jobs: int, redact_ids: bool) -> None:
    """Find answers that two groups share, or that a group took from an earlier year: leads to read, not findings.

    PATH is a report, a repository, a folder of repositories, or a scan's output folder (results.jsonl and its
    cache). Answers are compared question by question, without the template's own words and without text many
    groups share.
    """
    from checker.similar.compare import MIN_SCORE, Settings, compare
    from checker.similar.gather import gather

    need_numpy()
    if redact_ids and output_format != "html":
        click.echo("reportcheck: --redact-ids is not used without --format html: it hides study numbers on the "
                   "page only", err=True)
    entries, problems = gather(list(paths), jobs=jobs)
    if priors:
        earlier, more = gather(list(priors), prior=True, jobs=jobs)
        entries += earlier
        problems += more
    for problem in problems:
        click.echo(f"reportcheck: {problem} (skipped)", err=True)
    pairs = compare(entries, Settings(MIN_SCORE if min_score is None else min_score))
    if redact_ids and output_format == "html":
        from checker.html.redact import Redactor
        from checker.html.similar import render_pairs
        from checker.questions import shipped

        # The reports follow the shipped sets (as `check` picks them), so their patterns find every study number.
        rendered = render_pairs(pairs, redact=Redactor.of(s.student_id_pattern for s in shipped()))
    else:
        rendered = FORMATS[output_format](pairs)
    if output is None:
        click.echo(rendered, nl=False)
        return
    try:
        output.write_text(rendered, encoding="utf-8")
    except OSError as exc:
        raise CheckerError(f"{output}: cannot write ({exc.strerror})") from None
    click.echo(f"{len(pairs)} pairs written to {output}", err=True)


def write_scan_pairs(rows: Sequence[ScanRow], out: Path, priors: Sequence[Path],
                     report_text: Callable[[ScanRow], bytes | None] | None = None,
                     redact: Callable[[str], str] | None = None) -> list[Pair]:
    """Compare the reports a scan checked (from its cache, or `report_text` for local clones) and write
    similar.json and similar.html beside its results; return the pairs. A --prior path without reports, or a file
    that cannot be written, is a CheckerError (the caller goes on with its other outputs)."""
    from checker.html.similar import render_pairs
    from checker.scan.store import write_atomic
    from checker.similar.compare import compare
    from checker.similar.gather import gather, read_found, scan_found
    from checker.similar.render import to_json

    found = scan_found(out, rows)
    if report_text is not None:
        texts = {row.repo: report_text(row) for row in rows}
        found = [one._replace(data=texts.get(one.repo)) for one in found]
    entries, problems = read_found(found, jobs=2)
    if priors:
        earlier, more = gather(list(priors), prior=True, jobs=2)
        entries += earlier
        problems += more
    for problem in problems:
        click.echo(f"reportcheck: {problem} (skipped)", err=True)
    pairs = compare(entries)
    try:
        write_atomic(out / "similar.json", to_json(pairs))
        write_atomic(out / "similar.html", render_pairs(pairs, redact=redact))
    except OSError as exc:
        raise CheckerError(f"{out}: cannot write the similar answers ({exc.strerror})") from None
    click.echo(f"reportcheck: wrote {out / 'similar.json'} and similar.html ({len(pairs)} pairs)", err=True)
    return pairs
