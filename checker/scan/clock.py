"""The scan's clock: the time it reads and every wait it asks for, in one object that a test can replace.

The rate-limit gate (`run.Gate`) and PyGithub's retry (`github.ScanRetry`) wait only through `Clock.sleep`, so
a test hands the scan a clock that records the waits asked for and moves its own time on, instead of waiting.
"""

from __future__ import annotations

import threading
import time


class Clock:
    """Wall time, and waits that end early when the scan stops (so Ctrl-C never waits out a rate limit)."""

    def __init__(self) -> None:
        self._stopped = threading.Event()

    def time(self) -> float:
        """Return the POSIX time now."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """Wait `seconds`, or less when the scan stops meanwhile."""
        if seconds > 0:
            self._stopped.wait(seconds)

    def stop(self) -> None:
        """End every wait now and later: the scan is over."""
        self._stopped.set()
