"""`reportcheck scan`: check every group's report, over the GitHub API or over local clones.

Exit codes: 0 every repository was scanned (whatever its verdict), 1 the scan stopped early (rate limit with
--no-wait or beyond --max-wait; run again with --resume), 2 could not scan (one line on stderr), 130 Ctrl-C.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from checker.command import load_set
from checker.errors import CheckerError
from checker.options import question_set_option, strict_option
from checker.scan.groups import Target, read_targets
from checker.scan.judge import Row
from checker.scan.snapshot import FetchFailure, Plan, RateLimited, utc_text
from checker.scan.store import read_heads, summary_line

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
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise CheckerError(f"--deadline: '{text}' is not an ISO 8601 time like 2026-01-23T23:59+01:00") from None
    if moment.tzinfo is None:
        raise CheckerError(f"--deadline: '{text}' has no zone; write it as {text}+01:00 (Copenhagen) or {text}Z")
    return moment.astimezone(UTC)


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

    def advance(self, row: Row) -> None:
        """Print one line for a finished repository."""
        self.done += 1
        width = len(str(self.total))
        click.echo(f"[{self.done:>{width}}/{self.total}] {row['repo']}: {verdict(row)}", err=True)

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

    def advance(self, row: Row) -> None:
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


def verdict(row: Row) -> str:
    """Say in a few words how a repository came out."""
    if row.get("status") == "ok":
        if row.get("ready"):
            return "ready"
        return f"not ready ({row.get('errors', 0)} errors, {row.get('warnings', 0)} warnings)"
    return f"{row.get('status')}: {row.get('reason', '')}"


def table(rows: list[Row]) -> str:
    """Return the final table, one line per repository."""
    width = max([len("repository"), *(len(str(r.get("repo"))) for r in rows)])
    lines = [
        f"{'group':>5}  {'repository':<{width}}  {'status':<12} {'ready':<5} {'passed':>6} {'err':>4} "
        f"{'warn':>4} {'late':>4}"
    ]
    for row in rows:
        ok = row.get("status") == "ok"
        group = "" if row.get("group") is None else str(row["group"])
        passed = f"{row.get('passed', 0)}/{row.get('total', 0)}" if ok else ""
        late = "" if row.get("late_commits") is None else str(row["late_commits"])
        lines.append(
            f"{group:>5}  {row.get('repo')!s:<{width}}  {row.get('status')!s:<12} "
            f"{('yes' if row.get('ready') else 'no') if ok else '':<5} {passed:>6} "
            f"{str(row.get('errors', '')) if ok else '':>4} {str(row.get('warnings', '')) if ok else '':>4} "
            f"{late:>4}"
        )
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
    help="Read over GraphQL (batches of repositories, a few requests in all) or REST (up to 4 per repository)."
    "  [default: graphql with a token, else rest; --push-times uses rest]",
)
@click.option("--token-env", metavar="VAR", help="Environment variable with the token [GITHUB_TOKEN, then GH_TOKEN].")
@click.option("--api-url", default="https://api.github.com", show_default=True, help="GitHub (Enterprise) API URL.")
@click.option("--jobs", type=click.IntRange(1, 64), default=8, show_default=True, help="Worker threads.")
@click.option(
    "--rate",
    type=click.FloatRange(min=0),
    default=10.0,
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
@click.option(
    "--secondary-wait",
    type=click.FloatRange(min=0),
    default=60.0,
    hidden=True,
    help="Seconds to wait after a secondary rate limit that names no Retry-After.",
)
@click.option("--no-wait", is_flag=True, help="Stop at once when the rate limit is exhausted.")
@click.option("--resume", is_flag=True, help="Keep the finished rows of results.jsonl and scan only the rest.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache of trees and reports.")
@click.option("--feedback", is_flag=True, help="Write feedback/group-N.md for every group.")
@click.option("--html", "html", is_flag=True, help="Write dashboard.html and every group's rendered report.")
@question_set_option
@strict_option
def scan(**options: Any) -> None:
    """Check the report of every group listed in GROUPS_FILE (the course's CSV, or one repository a line)."""
    code = run_scan(**options)
    raise SystemExit(code)


def run_scan(
    *,
    groups_file: Path | None,
    org: str | None,
    match: str,
    local: Path | None,
    out: Path,
    deadline: str | None,
    heads_file: Path | None,
    record_heads: Path | None,
    push_times: bool,
    branch: str | None,
    token_env: str | None,
    api_url: str,
    api: str | None = None,
    jobs: int,
    rate: float,
    timeout: int,
    retries: int,
    max_wait: str,
    no_wait: bool,
    resume: bool,
    no_cache: bool,
    feedback: bool,
    question_set: str | None,
    strict: bool | None,
    html: bool = False,
    backoff: float = 2.0,
    secondary_wait: float = 60.0,
) -> int:
    """Run the scan command and return its exit code; CheckerError means exit 2."""
    from checker.scan import run as runner
    from checker.scan.store import Cache

    when = parse_deadline(deadline)
    wait_limit = parse_duration(max_wait)
    if push_times and when is None:
        raise CheckerError("--push-times needs --deadline")
    if heads_file is not None and record_heads is not None:
        raise CheckerError("--heads and --record-heads do not go together")
    if sum(x is not None for x in (groups_file, org, local)) == 0:
        raise CheckerError("give a group file, --org NAME or --local DIR")
    if groups_file is not None and org is not None:
        raise CheckerError("give either a group file or --org, not both")
    forced = load_set(question_set)  # an unknown id or a bad file stops here, not in every row
    from checker import questions

    targets: list[Target] = []
    if groups_file is not None:
        # The group file's ids are read with the pattern of the set the reports are checked against.
        pattern = forced.student_id if forced is not None else questions.shipped()[-1].student_id
        targets, problems = read_targets(groups_file, pattern)
        for problem in problems:
            click.echo(f"reportcheck: {problem}", err=True)
    heads = read_heads(heads_file) if heads_file is not None else {}
    plan = Plan(deadline=when, heads=heads, push_times=push_times, branch=branch)
    progress: LineProgress = BarProgress() if sys.stderr.isatty() else LineProgress()
    token: str | None = None
    prepare: Any = None
    batched: Any = None

    if local is not None:
        from checker.scan import local as local_source

        targets = local_source.discover(local, targets or None)

        def fetch(target: Target) -> Any:
            return local_source.snapshot(target, plan)

        source = None
    else:
        try:
            from checker.scan.github import GitHubSource
        except ImportError:
            raise CheckerError("scanning GitHub needs PyGithub: pip install 'reportcheck[scan]'") from None

        token = find_token(token_env)
        if token is None:
            click.echo("reportcheck: no token (GITHUB_TOKEN, GH_TOKEN): 60 requests an hour at most", err=True)
        source = GitHubSource(
            token=token,
            api_url=api_url,
            jobs=jobs,
            rate=rate,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            secondary_wait=secondary_wait,
            cache=Cache(None if no_cache else out / "cache"),
        )
        api = api or ("graphql" if token and not push_times else "rest")
        if api == "graphql" and token is None:
            raise CheckerError("--api graphql needs a token: GitHub answers GraphQL only to signed-in users")
        if api == "graphql" and push_times:
            raise CheckerError("--push-times reads the REST activity endpoint: use --api rest")
        if org is not None:
            targets = _org_targets(source, org, match)
        github = source
        if api == "graphql":
            from checker.scan.graphql import BatchedSource

            batched = BatchedSource(source, plan)
            prepare = batched.prepare

            def fetch(target: Target) -> Any:
                return batched.fetch(target)
        else:

            def fetch(target: Target) -> Any:
                return github.snapshot(target.repo, plan)

    if not targets:
        raise CheckerError("no repositories to scan")
    if heads and (unknown := [t.repo for t in targets if t.key not in heads]):
        click.echo(f"reportcheck: no recorded head for {len(unknown)} repositories; choosing by date", err=True)

    def scrub(text: str) -> str:
        return text.replace(token, "***") if token else text

    try:
        if record_heads is not None:
            return _record_heads(targets, source, local, plan, record_heads, jobs, progress, scrub, batched)
        gate = runner.Gate(max_wait=wait_limit, no_wait=no_wait, say=progress.message)
        try:
            outcome = runner.scan(
                targets,
                fetch,
                plan=plan,
                out=out,
                progress=progress,
                jobs=jobs,
                resume=resume,
                gate=gate,
                question_set=forced,
                strict=bool(strict),
                redact=scrub,
                prepare=prepare,
            )
        except KeyboardInterrupt:
            click.echo(
                f"reportcheck: interrupted; every finished result is in {out / 'results.jsonl'}; "
                "run again with --resume to go on",
                err=True,
            )
            return EXIT_INTERRUPTED
    finally:
        if source is not None:
            source.close()
    if feedback:
        from checker.scan.feedback import write_all

        written = write_all(outcome.rows, out / "feedback")
        click.echo(f"reportcheck: wrote {written} feedback files in {out / 'feedback'}", err=True)
    if html:
        from checker.html.clones import Clones
        from checker.html.dashboard import write_dashboard

        # Local scans keep no cache: their reports and figures come from the clones at each row's commit.
        clones = Clones(local) if local is not None else None
        page = write_dashboard(outcome.rows, out, report_text=clones.report_text if clones else None,
                               figures=clones.commit if clones else None)
        click.echo(f"reportcheck: wrote {page}", err=True)
    click.echo(scrub(table(outcome.rows)))
    click.echo(summary_line(outcome.rows))
    click.echo(f"results: {out / 'results.jsonl'}, {out / 'summary.csv'}", err=True)
    if outcome.stopped:
        click.echo(f"reportcheck: stopped early: {len(outcome.not_scanned)} repositories not scanned", err=True)
        return EXIT_STOPPED
    return EXIT_DONE


def _org_targets(source: Any, org: str, match: str) -> list[Target]:
    """List the organisation's repositories whose name matches."""
    try:
        pattern = re.compile(match)
    except re.error as exc:
        raise CheckerError(f"--match: not a regular expression ({exc})") from None

    def names() -> list[str]:
        return [repo.full_name for repo in source.client().get_organization(org).get_repos()]

    try:
        found = source.guard(names)
    except (FetchFailure, RateLimited) as exc:
        raise CheckerError(f"--org {org}: cannot list its repositories ({exc})") from None
    return [Target(name) for name in sorted(found, key=str.lower) if pattern.search(name.split("/")[-1])]


def _record_heads(
    targets: list[Target],
    source: Any,
    local: Path | None,
    plan: Plan,
    path: Path,
    jobs: int,
    progress: LineProgress,
    scrub: Any,
    batched: Any = None,
) -> int:
    """Append every repository's default-branch head and the time it was read to `path`, as JSON Lines."""
    from checker.scan import local as local_source

    # Batched: 100 heads a request, read before the workers start; each worker then only writes its row.
    known: dict[str, Any] = batched.heads(targets) if batched is not None else {}

    def read(target: Target) -> dict[str, Any]:
        row: dict[str, Any] = {"repo": target.repo, "group": target.group}
        try:
            if local is not None:
                row["sha"] = local_source.snapshot(target, Plan(branch=plan.branch)).head
            elif target.key in known:
                value = known[target.key]
                if isinstance(value, Exception):
                    raise value
                row["sha"] = value
            else:
                row["sha"] = source.head(target.repo, plan.branch)
            row["status"] = "ok"
        except FetchFailure as failure:
            row.update(status=failure.status, reason=scrub(failure.reason))
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
            shown = {"status": "recorded", "reason": row["sha"][:12]} if row["status"] == "ok" else row
            progress.advance({"repo": row["repo"], "status": shown["status"], "reason": shown.get("reason", "")})
    progress.finish()
    click.echo(f"recorded {len(targets) - failed} heads in {path}" + (f"; {failed} failed" if failed else ""))
    return EXIT_DONE if not failed else EXIT_STOPPED


__all__ = ["run_scan", "scan"]
