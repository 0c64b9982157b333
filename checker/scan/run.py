"""Run a scan: worker threads read repositories, the main thread writes each row the moment it is known."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from checker.errors import CheckerError
from checker.scan.clock import Clock
from checker.scan.groups import Target
from checker.scan.judge import base_row, judge
from checker.scan.row import ScanRow
from checker.scan.settings import SECONDARY_WAIT, Checking, Running
from checker.scan.snapshot import FetchFailure, Plan, RateLimited, Source, utc_text
from checker.scan.store import ResultsFile, write_questions, write_summary


class Progress(Protocol):
    """What the scan tells the person running it; the CLI decides how it looks."""

    def start(self, total: int, skipped: int) -> None:
        """Announce how many repositories will be read."""

    def advance(self, repo: str, said: str) -> None:
        """Report one finished repository and, in a few words, how it came out."""

    def message(self, text: str) -> None:
        """Say something that must be seen (a wait, a stop)."""

    def finish(self) -> None:
        """Close the progress display."""


class Stopped(Exception):
    """The scan stops: the rate limit cannot be waited for, or the user pressed Ctrl-C."""


def duration(seconds: float) -> str:
    """Format seconds as `1h02m`, `3m05s` or `12s`."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class Gate:
    """Make every worker wait together for a rate limit, visibly, or stop them all.

    Its waits go through `clock`, which ends them early when the scan stops (and which tests replace to see
    the waits asked for).
    """

    def __init__(
        self,
        *,
        max_wait: float,
        no_wait: bool,
        say: Callable[[str], None],
        clock: Clock | None = None,
        fallback: float = SECONDARY_WAIT,
    ) -> None:
        self.max_wait = max_wait
        self.no_wait = no_wait
        self.say = say
        self.clock = clock or Clock()
        self.fallback = fallback
        self.stopped: str | None = None
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def stop(self, reason: str) -> None:
        """Stop every worker before its next repository, ending any wait at once."""
        with self._lock:
            if self.stopped is None:
                self.stopped = reason
        self.clock.stop()

    def pass_through(self) -> None:
        """Return when a worker may send requests; raise Stopped when the scan is over."""
        while True:
            with self._lock:
                if self.stopped:
                    raise Stopped(self.stopped)
                left = self._paused_until - self.clock.time()
            if left <= 0:
                return
            self.clock.sleep(left)

    def limited(self, limit: RateLimited) -> None:
        """Decide, once for all workers, to wait until the limit allows requests again (saying so) or to stop."""
        with self._lock:
            if self.stopped:
                raise Stopped(self.stopped)
            now = self.clock.time()
            if limit.until is None:
                until = now + self.fallback
            else:  # a reset is given to the second: wait one more, as it is not clear when in that second it falls
                until = limit.until + 1 if limit.kind == "primary" else limit.until
            until = max(until, now + 1)  # a reset already past (clocks apart) still waits: never a burst of retries
            # A second worker meeting the same limit extends the wait only when the server asks for longer.
            if until <= self._paused_until:
                return
            left = max(until - now, 0.0)
            when = utc_text(datetime.fromtimestamp(until, UTC))
            what = "GitHub API rate limit used up" if limit.kind == "primary" else "GitHub's secondary rate limit"
            if self.no_wait or left > self.max_wait:
                why = "--no-wait" if self.no_wait else f"more than --max-wait {duration(self.max_wait)}"
                self.stopped = (
                    f"{what} until {when} (in {duration(left)}, {why}): stopping; "
                    "run again with --resume after the reset"
                )
                self.say(self.stopped)
                raise Stopped(self.stopped)
            self._paused_until = until
            self.say(f"{what}: waiting {duration(left)}, until {when}")


@dataclass
class Outcome:
    """What a scan produced: every row (kept from before and new), and why it stopped early, if it did."""

    rows: list[ScanRow]
    new: int
    kept: int
    stopped: str | None = None
    not_scanned: list[Target] = field(default_factory=list)


def rows_to_keep(previous: dict[str, ScanRow], targets: Iterable[Target], plan: Plan) -> dict[str, ScanRow]:
    """Return the earlier rows --resume keeps: finished, for the same deadline and recorded head."""
    kept: dict[str, ScanRow] = {}
    deadline = utc_text(plan.deadline) if plan.deadline is not None else None
    for target in targets:
        row = previous.get(target.key)
        if row is None or not row.done or row.deadline != deadline:
            continue
        recorded = plan.heads.get(target.key)
        if recorded is not None and row.commit != recorded.sha:
            continue
        kept[target.key] = row
    return kept


def scan(
    targets: list[Target],
    source: Source,
    *,
    plan: Plan,
    out: Path,
    progress: Progress,
    running: Running | None = None,
    checking: Checking | None = None,
    redact: Callable[[str], str] = lambda text: text,
) -> Outcome:
    """Scan every target, appending each row to out/results.jsonl as it is known; write summary.csv."""
    running = running or Running()
    checking = checking or Checking()
    results = ResultsFile(out / "results.jsonl")
    kept = rows_to_keep(results.load(), targets, plan) if running.resume else {}
    todo = [t for t in targets if t.key not in kept]
    source.prepare(todo)  # a batched source groups exactly the repositories it will be asked for
    gate = Gate(max_wait=running.max_wait, no_wait=running.no_wait, say=progress.message, clock=running.clock)
    results.start(keep=running.resume)
    rows: dict[str, ScanRow] = dict(kept)
    progress.start(len(todo), len(kept))

    def work(target: Target) -> ScanRow | None:
        while True:
            try:
                gate.pass_through()
            except Stopped:
                return None
            try:
                snapshot = source.fetch(target)
            except RateLimited as limit:
                try:
                    gate.limited(limit)
                except Stopped as stop:
                    return base_row(target, plan, "rate-limited", str(stop))
                continue
            except FetchFailure as failure:
                return base_row(target, plan, failure.status, redact(failure.reason))
            except CheckerError:
                raise
            except Exception as exc:  # a bug or a surprise of one repository must not end the scan
                return base_row(target, plan, "error", redact(f"{type(exc).__name__}: {exc}")[:300])
            return judge(target, plan, snapshot, question_set=checking.question_set, strict=checking.strict)

    executor = ThreadPoolExecutor(max_workers=max(1, running.jobs), thread_name_prefix="scan")
    futures: dict[Future[ScanRow | None], Target] = {executor.submit(work, t): t for t in todo}
    pending = set(futures)
    new = 0
    try:
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                row = future.result()
                if row is None:
                    continue
                results.append(row)
                rows[futures[future].key] = row
                new += 1
                progress.advance(row.repo, row.said)
    except BaseException as exc:
        reason = "interrupted" if isinstance(exc, KeyboardInterrupt) else str(exc)
        gate.stop(reason)
        executor.shutdown(wait=False, cancel_futures=True)
        results.close()
        progress.finish()
        write_summary(rows.values(), out / "summary.csv")
        write_questions(rows.values(), out / "questions.csv")
        raise
    executor.shutdown(wait=True)
    results.close()
    progress.finish()
    not_scanned = [t for t in todo if t.key not in rows]
    ordered = [rows[t.key] for t in targets if t.key in rows]
    missing_rows = [base_row(t, plan, "not-scanned", gate.stopped or "") for t in not_scanned]
    write_summary([*ordered, *missing_rows], out / "summary.csv")
    write_questions([*ordered, *missing_rows], out / "questions.csv")
    return Outcome([*ordered, *missing_rows], new, len(kept), gate.stopped, not_scanned)
