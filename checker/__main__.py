"""Allow `python -m checker`."""

from checker.command import entry

entry()
