"""sha256 for fingerprints and report hashes, without loading OpenSSL on every start.

`hashlib` imports `_hashlib`, which initialises OpenSSL: about 2.5 ms of a 0.1 s `check`. CPython's own
sha256 (`_sha2` from 3.12, `_sha256` before) gives the same digests; where neither exists, hashlib does.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def _builtin_sha256() -> Callable[[bytes], Any]:
    for name in ("_sha2", "_sha256"):
        try:
            constructor: Callable[[bytes], Any] = import_module(name).sha256
        except (ImportError, AttributeError):
            continue
        return constructor
    from hashlib import sha256

    return sha256


_SHA256 = _builtin_sha256()


def sha256_hex(data: bytes) -> str:
    """Return the hex sha256 of data."""
    digest: str = _SHA256(data).hexdigest()
    return digest
