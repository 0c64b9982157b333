"""What a scan is asked to do, typed: the CLI parses its options into a `ScanJob`, and `run_scan` works from it.

Each part says one thing: which repositories (`Selection`), which commit of each (`snapshot.Plan`), how to reach
GitHub (`Connection`), how the run goes (`Running`), what to write (`Outputs`) and how reports are checked
(`Checking`). Nothing here imports PyGithub.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from checker.scan.clock import Clock
from checker.scan.snapshot import Plan

if TYPE_CHECKING:
    from checker.questions import QuestionSet

Api = Literal["graphql", "rest"]
DEFAULT_API_URL = "https://api.github.com"
# GitHub's secondary limit allows about 900 points a minute on REST (a GET is one point), 15 a second; stay
# well below it by default so that a scan of 130 repositories never meets it.
DEFAULT_RATE = 10.0
# GitHub: after a secondary rate limit that names no `retry-after` (and after a 429), "wait for at least one
# minute before retrying" (docs: REST and GraphQL rate limits, "Exceeding the rate limit").
SECONDARY_WAIT = 60.0


@dataclass(frozen=True)
class Selection:
    """Which repositories to scan: those of a group file, an organisation's that match, or local clones."""

    groups_file: Path | None = None
    org: str | None = None
    match: str = "."
    local: Path | None = None  # a folder of clones, DIR/group_N/REPO (with a group file: their groups' data)


@dataclass(frozen=True)
class Connection:
    """How to reach GitHub: the token, which API at which URL, and how requests are paced, timed and retried."""

    token: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    api: Api = "rest"
    rate: float = DEFAULT_RATE  # requests a second over all workers; 0: no spacing
    timeout: int = 30  # seconds for one answer
    retries: int = 4
    backoff: float = 2.0  # seconds of the first backoff between retries, doubling

    def redact(self, text: str) -> str:
        """Blank out the token in a text meant for output."""
        return text.replace(self.token, "***") if self.token else text


@dataclass(frozen=True)
class Running:
    """How the scan runs: worker threads, whether to keep earlier rows, and how long to wait for a rate limit."""

    jobs: int = 8
    resume: bool = False
    max_wait: float = 900.0  # seconds; an exhausted rate limit that resets later stops the scan
    no_wait: bool = False
    clock: Clock = field(default_factory=Clock, compare=False, repr=False)  # every wait of the scan goes through it


@dataclass(frozen=True)
class Outputs:
    """Where and what the scan writes: results.jsonl and summary.csv always; the cache, feedback, pages."""

    out: Path = Path("scan-results")
    cache: bool = True
    feedback: bool = False
    html: bool = False
    redact_ids: bool = False  # the pages show no study number
    similar: bool = False  # similar.json and similar.html: answers shared between groups or with earlier years
    prior: tuple[Path, ...] = ()  # earlier years' reports for `similar`

    @property
    def results(self) -> Path:
        """Return the path of results.jsonl."""
        return self.out / "results.jsonl"


@dataclass(frozen=True)
class Checking:
    """How each report is checked: against one question set (None: the one it follows best), strictly or not."""

    question_set: QuestionSet | None = None
    strict: bool = False


@dataclass(frozen=True)
class ScanJob:
    """Everything one `reportcheck scan` is asked to do."""

    selection: Selection
    plan: Plan = field(default_factory=Plan)
    connection: Connection = field(default_factory=Connection)
    running: Running = field(default_factory=Running)
    outputs: Outputs = field(default_factory=Outputs)
    checking: Checking = field(default_factory=Checking)
    record_heads: Path | None = None  # only record every branch head into this file, and check nothing
