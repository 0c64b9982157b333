"""Allow `python -m checker`."""

from checker.cli import entry

entry()
