"""The commands that work from a saved scan (SCAN_DIR, the scan's `--out` folder): notify, history, grades.

Loaded lazily by `checker.cli`; only `notify` imports PyGithub, and only when it runs.

Exit codes: 0 done; 1 `notify` stopped early (a rate limit with --no-wait or beyond --max-wait), or `grades`
wrote its file but left groups or students out (listed on stderr); 2 could not run (one line on stderr);
130 interrupted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast, get_args

import click

from checker.errors import CheckerError
from checker.scan.grades import COLUMN_SUFFIX, LMS, GradeOptions, GradeType, UserKey, gradebook
from checker.scan.row import ScanRow, ordered
from checker.scan.settings import DEFAULT_API_URL, DEFAULT_RATE, Connection

EXIT_DONE, EXIT_PARTIAL, EXIT_INTERRUPTED = 0, 1, 130
SCAN_DIR = click.Path(exists=True, path_type=Path)


def scan_folder(path: Path) -> Path:
    """Return the scan's folder; a file given instead (its results.jsonl) stands for the folder it is in."""
    return path.parent if path.is_file() else path


def scan_rows(path: Path) -> list[ScanRow]:
    """Return the last row of each repository in the scan's results.jsonl, by group."""
    from checker.scan.store import ResultsFile

    rows = ResultsFile(scan_folder(path) / "results.jsonl").load(missing_ok=False)
    if not rows:
        raise CheckerError(f"{scan_folder(path) / 'results.jsonl'}: no rows; was the scan run into this folder?")
    return ordered(rows.values())


@click.command()
@click.argument("scan_dir", type=SCAN_DIR)
@click.option("--send", is_flag=True, help="Open, update and close the issues (default: a dry run that only says so).")
@click.option("--close-ready", is_flag=True, help="Close a group's issue, with a comment, once its report is ready.")
@click.option("--label", metavar="NAME", help="Put this label on the issues (GitHub makes it if it does not exist).")
@click.option("--token-env", metavar="VAR", help="Environment variable with the token [GITHUB_TOKEN, then GH_TOKEN].")
@click.option("--api-url", default=DEFAULT_API_URL, show_default=True, help="GitHub (Enterprise) API URL.")
@click.option("--timeout", type=click.IntRange(min=1), default=30, show_default=True,
              help="Seconds to wait for one answer.")
@click.option("--retries", type=click.IntRange(0, 20), default=4, show_default=True,
              help="Retries of a failed read or update (5xx, timeouts, secondary rate limits); an issue is never "
                   "created twice.")
@click.option("--max-wait", default="15m", show_default=True,
              help="Longest wait for an exhausted rate limit to reset; beyond it the run stops.")
@click.option("--no-wait", is_flag=True, help="Stop at once when the rate limit is exhausted.")
@click.option("--rate", type=click.FloatRange(min=0), default=DEFAULT_RATE, hidden=True,
              help="Requests per second (0: no spacing, and no second between writes).")
@click.option("--backoff", type=click.FloatRange(min=0), default=2.0, hidden=True,
              help="Seconds of the first backoff between retries (doubles each time).")
def notify(scan_dir: Path, send: bool, close_ready: bool, label: str | None, **options: Any) -> None:
    """Say per repository which issue it would open, update or close for the scan in SCAN_DIR; --send does it.

    One issue per group that is not ready: its failing questions and the fix for each finding (as in the
    feedback files), the commit checked and the deadline. Found again by a hidden marker and kept up to date on
    later runs; with --close-ready closed, with a comment, once the group is ready.
    """
    from checker.scan.cli import find_token, parse_duration

    rows = scan_rows(scan_dir)
    max_wait = parse_duration(options["max_wait"])
    token = find_token(options["token_env"])
    if send and not token:
        raise CheckerError("--send needs a token that may write issues: GITHUB_TOKEN, GH_TOKEN or --token-env")
    if label is not None and (not label.strip() or "," in label):
        raise CheckerError(f"--label: '{label}' is not a label name (not empty, no commas)")
    connection = Connection(token=token, api_url=options["api_url"], api="rest", rate=options["rate"],
                            timeout=options["timeout"], retries=options["retries"], backoff=options["backoff"])

    def say(repo: str, what: str) -> None:
        click.echo(connection.redact(f"{repo}: {what}"))

    code = _notify(rows, connection, send=send, close_ready=close_ready, label=label, say=say,
                   max_wait=max_wait, no_wait=options["no_wait"])
    raise SystemExit(code)


def _notify(rows: list[ScanRow], connection: Connection, *, send: bool, close_ready: bool, label: str | None,
            say: Callable[[str, str], None], max_wait: float, no_wait: bool) -> int:
    """Run notify over the rows with a client when there is a token; print the summary; return the exit code."""
    try:
        from checker.scan.issues import IssueClient, notify
    except ImportError:
        raise CheckerError("notify needs PyGithub: pip install 'reportcheck[scan]'") from None
    from checker.scan.run import Gate

    def warn(text: str) -> None:
        click.echo(f"reportcheck: {connection.redact(text)}", err=True)

    gate = Gate(max_wait=max_wait, no_wait=no_wait, say=warn)
    client = IssueClient(connection, gate) if connection.token else None
    if client is None:
        warn("no token (GITHUB_TOKEN, GH_TOKEN): not looking for existing issues")
    try:
        tally = notify(rows, client, send=send, close_ready=close_ready, label=label, say=say)
    except KeyboardInterrupt:
        warn("interrupted")
        return EXIT_INTERRUPTED
    finally:
        if client is not None:
            client.close()
    for line in tally.summary(sent=send):
        click.echo(connection.redact(line))
    return EXIT_PARTIAL if tally.stopped else EXIT_DONE


@click.command("history")
@click.argument("scan_dir", type=SCAN_DIR)
def history_command(scan_dir: Path) -> None:
    """Print every scan into SCAN_DIR as a table: one line per group, one column per scan (as of its deadline)."""
    from checker.scan import history

    click.echo(history.table(history.load(scan_folder(scan_dir))), nl=False)


@click.command()
@click.argument("scan_dir", type=SCAN_DIR)
@click.option("--lms", type=click.Choice(sorted(LMS)), default="brightspace", show_default=True,
              help="The layout: Brightspace's grade import, or a plain CSV per student and question.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the grades here (default: standard output).")
@click.option("--item", default="Exam report", show_default=True, help="The grade item's name in the LMS.")
@click.option("--grade-type", type=click.Choice(list(COLUMN_SUFFIX)), default="points", show_default=True,
              help="The grade item's type, which names its column: `ITEM Points Grade`, `ITEM Grade Symbol` or "
                   "`ITEM Text Grade`.")
@click.option("--pass", "passed", default="1", show_default=True, help="The grade of a group whose report is ready.")
@click.option("--fail", "failed", default="0", show_default=True, help="The grade of a group whose report is not.")
@click.option("--id", "key", type=click.Choice(get_args(UserKey)), default="Username", show_default=True,
              help="Which Brightspace user key the group file's student ids are.")
def grades(scan_dir: Path, lms: str, output: Path | None, item: str, grade_type: str, passed: str, failed: str,
           key: str) -> None:
    """Write one grade per student of the group file, from the scan in SCAN_DIR, in an LMS's import layout.

    Only groups whose report was checked are graded (ready: --pass, not ready: --fail); every other group, and a
    student in two groups, is listed on standard error and given no grade.
    """
    from checker.scan.store import write_atomic
    from checker.wording import plural

    options = GradeOptions(item=item, grade_type=cast(GradeType, grade_type), passed=passed, failed=failed,
                           key=cast(UserKey, key))
    options.check()
    book = gradebook(scan_rows(scan_dir), options)
    text = LMS[lms](book, options)
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            write_atomic(output, text)
        except OSError as exc:
            raise CheckerError(f"{output}: cannot write ({exc.strerror})") from None
    problems = book.problems()
    for line in problems:
        click.echo(f"reportcheck: {line}", err=True)
    where = f" in {output}" if output is not None else ""
    left_out = f"; {len(problems)} not graded (listed above)" if problems else ""
    click.echo(f"reportcheck: {plural(len(book.graded), 'student')} graded{where}{left_out}", err=True)
    raise SystemExit(EXIT_PARTIAL if problems else EXIT_DONE)
