"""sha256 and blake2b for fingerprints and report hashes, without loading OpenSSL on every start.

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


def _builtin_blake2b() -> Callable[..., Any]:
    try:
        constructor: Callable[..., Any] = import_module("_blake2").blake2b
    except (ImportError, AttributeError):
        from hashlib import blake2b

        return blake2b
    return constructor


_BLAKE2B = _builtin_blake2b()


def sha256_hex(data: bytes) -> str:
    """Return the hex sha256 of data."""
    digest: str = _SHA256(data).hexdigest()
    return digest


def blake2b_int(data: bytes, size: int = 8) -> int:
    """Return data's blake2b digest of `size` bytes as an integer (a fast, well-spread hash of short texts)."""
    digest: bytes = _BLAKE2B(data, digest_size=size).digest()
    return int.from_bytes(digest, "big")
