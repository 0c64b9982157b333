"""Fixtures of the scan tests: the fake GitHub server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakegithub import FakeGitHub


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    """Start a fake GitHub on 127.0.0.1 with an ephemeral port; stop it after the test."""
    server = FakeGitHub().start()
    try:
        yield server
    finally:
        server.stop()
