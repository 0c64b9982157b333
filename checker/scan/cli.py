"""`reportcheck scan`: check every group's report, over the GitHub API or over local clones.

Exit codes: 0 every repository was scanned (whatever its verdict), 1 the scan stopped early (rate limit with
--no-wait or beyond --max-wait; run again with --resume), 2 could not scan, or scanned but could not write
similar.json and similar.html (one line on stderr; the results and the other outputs are written), 130 Ctrl-C.
When the scan stopped early and the similar answers failed too, the exit code is 1: --resume goes on, and that
run meets the failure again.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from checker.command import load_set
from checker.errors import CheckerError
from checker.files import REPORT_PATH
from checker.options import question_set_option, strict_option
from checker.scan import history
from checker.scan.groups import Target, read_targets
from checker.scan.row import ScanRow, summary_line
from checker.scan.settings import (
    DEFAULT_API_URL,
    DEFAULT_RATE,
    Api,
    Checking,
    Connection,
    Outputs,
    Running,
    ScanJob,
    Selection,
)
from checker.scan.snapshot import FetchFailure, Plan, RateLimited, Source, parse_time, utc_text
from checker.scan.store import read_heads
from checker.source import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from checker.evidence import EvidenceRules
    from checker.questions import QuestionSet
    from checker.scan.github import GitHubSource

EXIT_DONE, EXIT_STOPPED, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$")


def parse_duration(text: str) -> float:
    """Parse `90`, `90s`, `15m` or `1h` into seconds."""
    match = DURATION.match(text)
    if not match:
        raise CheckerError(f"--max-wait: '{text}' is not a duration like 90s, 15m or 1h")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def parse_deadline(text: str | None) -> datetime | None:
    """Parse --deadline; a time without zone is refused rather than guessed."""
    if text is None:
        return None
    try:
        moment = parse_time(text, zone=None)
    except ValueError:
        raise CheckerError(f"--deadline: '{text}' is not an ISO 8601 time like 2026-01-23T23:59+01:00") from None
    if moment.tzinfo is None:
        raise CheckerError(f"--deadline: '{text}' has no zone; write it as {text}+01:00 (Copenhagen) or {text}Z")
    return moment  # in the zone it was given in: the feedback files say it so (rows and requests use UTC)


def find_token(token_env: str | None) -> str | None:
    """Read the token from --token-env, else GITHUB_TOKEN, else GH_TOKEN."""
    if token_env:
        token = os.environ.get(token_env)
        if not token:
            raise CheckerError(f"--token-env: the environment variable {token_env} is not set")
        return token
    return os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN") or None


class LineProgress:
    """Plain progress lines on stderr, for logs and CI."""

    def __init__(self) -> None:
        self.done = 0
        self.total = 0

    def start(self, total: int, skipped: int) -> None:
        """Say how many repositories will be read."""
        self.total = total
        kept = f" ({skipped} kept from the earlier run)" if skipped else ""
        click.echo(f"scanning {total} repositories{kept}", err=True)

    def advance(self, repo: str, said: str) -> None:
        """Print one line for a finished repository."""
        self.done += 1
        width = len(str(self.total))
        click.echo(f"[{self.done:>{width}}/{self.total}] {repo}: {said}", err=True)

    def message(self, text: str) -> None:
        """Print a message that must be seen."""
        click.echo(f"reportcheck: {text}", err=True)

    def finish(self) -> None:
        """Nothing to close."""


class BarProgress(LineProgress):
    """A click progress bar on a terminal."""

    def __init__(self) -> None:
        super().__init__()
        self._bar: Any = None
        self._lock = threading.Lock()

    def start(self, total: int, skipped: int) -> None:
        """Open the bar."""
        super().start(total, skipped)
        self._bar = click.progressbar(length=total, label="scanning", file=sys.stderr, show_pos=True)
        self._bar.__enter__()

    def advance(self, repo: str, said: str) -> None:
        """Move the bar by one."""
        self.done += 1
        if self._bar is not None:
            self._bar.update(1)

    def message(self, text: str) -> None:
        """Print above the bar."""
        with self._lock:
            click.echo(f"\nreportcheck: {text}", err=True)

    def finish(self) -> None:
        """Close the bar."""
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


TABLE_LINE = "{group:>5}  {repo:<{width}}  {status:<12} {ready:<5} {passed:>6} {errors:>4} {warnings:>4} {late:>4}"
TABLE_HEADS = {"group": "group", "repo": "repository", "status": "status", "ready": "ready", "passed": "passed",
               "errors": "err", "warnings": "warn", "late": "late"}


def table(rows: list[ScanRow]) -> str:
    """Return the final table, one line per repository, from the rows' summary cells."""
    width = max([len("repository"), *(len(r.repo) for r in rows)])
    lines = [TABLE_LINE.format(width=width, **TABLE_HEADS)]
    for row in rows:
        cells = row.cells()
        lines.append(TABLE_LINE.format(
            width=width, group=cells["group"], repo=cells["repo"], status=cells["status"], ready=cells["ready"],
            passed=cells["passed/total"], errors=cells["errors"], warnings=cells["warnings"],
            late=cells["late commits"],
        ))
    return "\n".join(lines)


@click.command()
@click.argument("groups_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--org", metavar="NAME", help="Scan the repositories of this GitHub organisation (with --match).")
@click.option("--match", "match", metavar="REGEX", default=".", help="With --org: repository names to keep.")
@click.option(
    "--local",
    "local",
    type=click.Path(file_okay=False, path_type=Path),
    help="Scan local clones (DIR/group_N/REPO) with git instead of the GitHub API.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("scan-results"),
    show_default=True,
    help="Folder for results.jsonl, summary.csv, feedback/ and the cache.",
)
@click.option("--deadline", metavar="ISO8601", help="Check the last commit at or before this time (with zone).")
@click.option(
    "--heads",
    "heads_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check exactly the heads recorded by --record-heads.",
)
@click.option(
    "--record-heads",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Only record every default-branch head and the time it was read (run at the deadline).",
)
@click.option(
    "--push-times",
    is_flag=True,
    help="Read server-side push times (one more request per repository) to choose the deadline commit.",
)
@click.option("--branch", metavar="NAME", help="Read this branch instead of the default branch.")
@click.option(
    "--api",
    type=click.Choice(["graphql", "rest"]),
    help="Read over GraphQL (batches of repositories, a few requests in all) or REST (up to 6 per repository)."
    "  [default: graphql with a token, else rest; --push-times uses rest]",
)
@click.option("--token-env", metavar="VAR", help="Environment variable with the token [GITHUB_TOKEN, then GH_TOKEN].")
@click.option("--api-url", default=DEFAULT_API_URL, show_default=True, help="GitHub (Enterprise) API URL.")
@click.option("--jobs", type=click.IntRange(1, 64), default=8, show_default=True, help="Worker threads.")
@click.option(
    "--rate",
    type=click.FloatRange(min=0),
    default=DEFAULT_RATE,
    show_default=True,
    help="Requests per second over all workers (0: no spacing).",
)
@click.option(
    "--timeout", type=click.IntRange(min=1), default=30, show_default=True, help="Seconds to wait for one answer."
)
@click.option(
    "--retries",
    type=click.IntRange(0, 20),
    default=4,
    show_default=True,
    help="Retries of a failed request (5xx, timeouts, secondary rate limits).",
)
@click.option(
    "--max-wait",
    default="15m",
    show_default=True,
    help="Longest wait for an exhausted rate limit to reset; beyond it the scan stops.",
)
@click.option(
    "--backoff",
    type=click.FloatRange(min=0),
    default=2.0,
    hidden=True,
    help="Seconds of the first backoff between retries (doubles each time).",
)
@click.option("--no-wait", is_flag=True, help="Stop at once when the rate limit is exhausted.")
@click.option("--resume", is_flag=True, help="Keep the finished rows of results.jsonl and scan only the rest.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache of trees and reports.")
@click.option("--feedback", is_flag=True, help="Write feedback/group-N.md for every group.")
@click.option("--html", "html", is_flag=True, help="Write dashboard.html and every group's rendered report.")
@click.option("--redact-ids", is_flag=True, help="With --html: show no study number on any page (s123456 becomes "
              "s\u2022\u2022\u2022\u2022\u2022), for pages shared beyond the teachers.")
@click.option("--similar", is_flag=True, help="Write similar.json and similar.html: answers two groups share, or "
              "that a group shares with an earlier year (--prior); leads to read, not findings.")
@click.option("--prior", "prior", multiple=True, type=click.Path(path_type=Path),
              help="With --similar: earlier years' reports (as `reportcheck similar --prior` takes them).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES,
              help="Neither download nor check a report larger than this (default 25 MB).")
@question_set_option
@strict_option
def scan(**options: Any) -> None:
    """Check the report of every group listed in GROUPS_FILE (the course's CSV, or one repository a line)."""
    job = scan_job(options)
    for line in unused(options):
        click.echo(f"reportcheck: {line}", err=True)
    raise SystemExit(run_scan(job))


def unused(options: Mapping[str, Any]) -> list[str]:
    """Say which given options this scan does not use, and why."""
    lines = []
    if options["push_times"] and options["local"] is not None:
        lines.append("--push-times is not used with --local: a clone has no push log; commits are chosen by date")
    if options["redact_ids"] and not options["html"]:
        lines.append("--redact-ids is not used without --html: it hides study numbers on the pages only")
    if options["prior"] and not options["similar"]:
        lines.append("--prior is not used without --similar: it names earlier years' reports to compare with")
    return lines


def scan_job(options: Mapping[str, Any]) -> ScanJob:
    """Parse the scan command's options into a ScanJob; a bad value or combination is a CheckerError."""
    deadline = parse_deadline(options["deadline"])
    max_wait = parse_duration(options["max_wait"])
    if options["push_times"] and deadline is None:
        raise CheckerError("--push-times needs --deadline")
    if options["heads_file"] is not None and options["record_heads"] is not None:
        raise CheckerError("--heads and --record-heads do not go together")
    selection = Selection(options["groups_file"], options["org"], options["match"], options["local"])
    if selection.groups_file is None and selection.org is None and selection.local is None:
        raise CheckerError("give a group file, --org NAME or --local DIR")
    if selection.groups_file is not None and selection.org is not None:
        raise CheckerError("give either a group file or --org, not both")
    if options["html"]:
        _needs_html_extra()  # before any repository is read, not after the whole scan
    if options["similar"]:
        from checker.similar.cli import need_numpy

        need_numpy()
        _check_priors(options["prior"])  # a mistyped --prior stops here, not after the whole scan
    question_set = load_set(options["question_set"])  # an unknown id or a bad file stops here, not in every row
    heads = read_heads(options["heads_file"]) if options["heads_file"] is not None else {}
    plan = Plan(
        deadline=deadline,
        heads=heads,
        push_times=options["push_times"] and selection.local is None,  # a clone has no push log
        branch=options["branch"],
        report_path=question_set.report_path if question_set is not None else REPORT_PATH,
        max_bytes=options["max_bytes"],
        evidence=_evidence_rules(question_set),
    )
    connection = Connection(api_url=options["api_url"])
    if selection.local is None:
        token = find_token(options["token_env"])
        api: Api = options["api"] or ("graphql" if token and not plan.push_times else "rest")
        if api == "graphql" and token is None:
            raise CheckerError("--api graphql needs a token: GitHub answers GraphQL only to signed-in users")
        if api == "graphql" and plan.push_times:
            raise CheckerError("--push-times reads the REST activity endpoint: use --api rest")
        connection = Connection(
            token=token,
            api_url=options["api_url"],
            api=api,
            rate=options["rate"],
            timeout=options["timeout"],
            retries=options["retries"],
            backoff=options["backoff"],
        )
    return ScanJob(
        selection=selection,
        plan=plan,
        connection=connection,
        running=Running(jobs=options["jobs"], resume=options["resume"], max_wait=max_wait, no_wait=options["no_wait"]),
        outputs=Outputs(out=options["out"], cache=not options["no_cache"], feedback=options["feedback"],
                        html=options["html"], redact_ids=options["redact_ids"], similar=options["similar"],
                        prior=tuple(options["prior"])),
        checking=Checking(question_set=question_set, strict=bool(options["strict"])),
        record_heads=options["record_heads"],
    )


def _check_priors(priors: tuple[Path, ...]) -> None:
    """Fail with one line when a --prior path does not exist or holds no reports, before any repository is read."""
    from checker.similar.gather import locate

    for path in priors:
        try:
            locate(path)
        except CheckerError as exc:
            raise CheckerError(f"--prior {exc}") from None


def _evidence_rules(forced: QuestionSet | None) -> EvidenceRules | None:
    """Return the evidence rules the small files are chosen for: the forced set's, else the newest shipped set's
    (the set a report follows is known only once it is read; the shipped sets share their rules)."""
    if forced is not None:
        return forced.evidence
    from checker import questions

    return questions.shipped()[-1].evidence


def _needs_html_extra() -> None:
    """Fail with one line when the `html` extra (nh3) is not installed."""
    try:
        import nh3  # noqa: F401
    except ImportError:
        raise CheckerError("--html needs the html extra: pip install 'reportcheck[html]'") from None


def run_scan(job: ScanJob) -> int:
    """Run a scan job and return its exit code; CheckerError means exit 2."""
    from checker.scan import run as runner

    progress: LineProgress = BarProgress() if sys.stderr.isatty() else LineProgress()
    started = utc_text(datetime.now(UTC))  # the scan's place in history.jsonl
    targets = _group_targets(job)
    source, targets = _open_source(job, targets)
    try:
        if not targets:
            raise CheckerError("no repositories to scan")
        if job.plan.heads and (unknown := [t.repo for t in targets if t.key not in job.plan.heads]):
            click.echo(f"reportcheck: no recorded head for {len(unknown)} repositories; choosing by date", err=True)
        if job.record_heads is not None:
            return _record_heads(targets, source, job.record_heads, job.running.jobs, progress,
                                 job.connection.redact)
        outcome = runner.scan(targets, source, plan=job.plan, out=job.outputs.out, progress=progress,
                              running=job.running, checking=job.checking, redact=job.connection.redact)
    except KeyboardInterrupt:
        click.echo(
            f"reportcheck: interrupted; every finished result is in {job.outputs.results}; "
            "run again with --resume to go on",
            err=True,
        )
        return EXIT_INTERRUPTED
    finally:
        source.close()
    history.append(job.outputs.out / history.FILE_NAME, outcome.rows, started)
    written = _write_outputs(job, outcome.rows)
    click.echo(job.connection.redact(table(outcome.rows)))
    click.echo(summary_line(outcome.rows))
    click.echo(f"results: {job.outputs.results}, {job.outputs.out / 'summary.csv'}", err=True)
    if outcome.stopped:
        click.echo(f"reportcheck: stopped early: {len(outcome.not_scanned)} repositories not scanned", err=True)
        return EXIT_STOPPED
    return EXIT_DONE if written else EXIT_ERROR


def _group_targets(job: ScanJob) -> list[Target]:
    """Read the group file, saying which lines were skipped; no group file gives no targets."""
    if job.selection.groups_file is None:
        return []
    from checker import questions

    # The group file's ids are read with the pattern of the set the reports are checked against.
    forced = job.checking.question_set
    pattern = forced.student_id if forced is not None else questions.shipped()[-1].student_id
    targets, problems = read_targets(job.selection.groups_file, pattern)
    for problem in problems:
        click.echo(f"reportcheck: {problem}", err=True)
    return targets


def _open_source(job: ScanJob, targets: list[Target]) -> tuple[Source, list[Target]]:
    """Open the source the job reads from, and list the repositories it is to read."""
    if job.selection.local is not None:
        from checker.scan.local import LocalSource, discover

        return LocalSource(job.plan, job.selection.local), discover(job.selection.local, targets or None)
    try:
        from checker.scan.github import GitHubSource
    except ImportError:
        raise CheckerError("scanning GitHub needs PyGithub: pip install 'reportcheck[scan]'") from None
    from checker.scan.store import Cache

    if job.connection.token is None:
        click.echo("reportcheck: no token (GITHUB_TOKEN, GH_TOKEN): 60 requests an hour at most", err=True)
    cache = Cache(job.outputs.out / "cache" if job.outputs.cache else None)
    rest = GitHubSource(job.connection, job.plan, jobs=job.running.jobs, cache=cache, clock=job.running.clock)
    if job.selection.org is not None:
        targets = _org_targets(rest, job.selection.org, job.selection.match)
    if job.connection.api == "graphql":
        from checker.scan.graphql import BatchedSource

        return BatchedSource(rest), targets
    return rest, targets


def _write_outputs(job: ScanJob, rows: list[ScanRow]) -> bool:
    """Write what the job asks for beside results.jsonl and summary.csv: feedback files, the similar answers, the
    dashboard; return False when the similar answers could not be written (said in one line; the dashboard is
    written all the same, without its Sim column)."""
    out = job.outputs.out
    if job.outputs.feedback:
        from checker.scan.feedback import write_all

        zone = job.plan.deadline.tzinfo if job.plan.deadline is not None else None
        written = write_all(rows, out / "feedback", job.plan.folder, zone)
        click.echo(f"reportcheck: wrote {written} feedback files in {out / 'feedback'}", err=True)
    # Local scans keep no cache: their reports and figures come from the clones at each row's commit.
    clones = None
    if job.selection.local is not None and (job.outputs.html or job.outputs.similar):
        from checker.html.clones import Clones

        clones = Clones(job.selection.local)
    forced = job.checking.question_set
    similar = None
    written = True
    if job.outputs.similar:
        from checker.similar.cli import write_scan_pairs

        redact_pairs = None
        if job.outputs.redact_ids:
            from checker.html.dashboard import id_redactor

            redact_pairs = id_redactor(rows, [forced.student_id_pattern] if forced else [])
        try:
            similar = write_scan_pairs(rows, out, job.outputs.prior, clones.report_text if clones else None,
                                       redact_pairs)
        except CheckerError as exc:
            click.echo(f"reportcheck: --similar: {exc}; similar.json and similar.html not written", err=True)
            written = False
    if job.outputs.html:
        from checker.html.dashboard import best_pairs, id_redactor, write_dashboard

        redact = id_redactor(rows, [forced.student_id_pattern] if forced else []) if job.outputs.redact_ids else None
        page = write_dashboard(rows, out, report_text=clones.report_text if clones else None,
                               figures=clones.commit if clones else None, history=history.find(out), redact=redact,
                               similar=best_pairs(similar) if similar is not None else None)
        click.echo(f"reportcheck: wrote {page}{', study numbers hidden' if redact else ''}", err=True)
        if redact is not None:
            from checker.html.cli import warn_earlier_pages

            warn_earlier_pages(out, rows, redact)
    return written


def _org_targets(source: GitHubSource, org: str, match: str) -> list[Target]:
    """List the organisation's repositories whose name matches."""
    try:
        pattern = re.compile(match)
    except re.error as exc:
        raise CheckerError(f"--match: not a regular expression ({exc})") from None
    try:
        found = source.organisation(org)
    except (FetchFailure, RateLimited) as exc:
        raise CheckerError(f"--org {org}: cannot list its repositories ({exc})") from None
    return [Target(name) for name in sorted(found, key=str.lower) if pattern.search(name.split("/")[-1])]


def _record_heads(
    targets: list[Target],
    source: Source,
    path: Path,
    jobs: int,
    progress: LineProgress,
    redact: Callable[[str], str],
) -> int:
    """Append every repository's branch head and the time it was read to `path`, as JSON Lines."""
    source.prepare(targets)  # a batched source reads 100 heads a request

    def read(target: Target) -> dict[str, Any]:
        row: dict[str, Any] = {"repo": target.repo, "group": target.group}
        try:
            row["sha"] = source.head(target)
            row["status"] = "ok"
        except FetchFailure as failure:
            row.update(status=failure.status, reason=redact(failure.reason))
        except RateLimited:
            row.update(status="rate-limited", reason="API rate limit used up")
        row["read_at"] = utc_text(datetime.now(UTC))
        return row

    path.parent.mkdir(parents=True, exist_ok=True)
    failed = 0
    progress.start(len(targets), 0)
    with path.open("a", encoding="utf-8") as handle, ThreadPoolExecutor(max_workers=jobs) as pool:
        for future in as_completed([pool.submit(read, t) for t in targets]):
            row = future.result()
            handle.write(json.dumps(row, sort_keys=True) + "\n")
            handle.flush()
            failed += row["status"] != "ok"
            said = f"recorded: {row['sha'][:12]}" if row["status"] == "ok" else f"{row['status']}: {row['reason']}"
            progress.advance(row["repo"], said)
    progress.finish()
    click.echo(f"recorded {len(targets) - failed} heads in {path}" + (f"; {failed} failed" if failed else ""))
    return EXIT_DONE if not failed else EXIT_STOPPED


__all__ = ["run_scan", "scan", "scan_job"]
