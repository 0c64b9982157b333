"""The one exception family for problems that stop a check (as opposed to findings in a report)."""

from __future__ import annotations


class CheckerError(Exception):
    """A problem with the input or configuration that makes checking impossible; its message is one line."""
