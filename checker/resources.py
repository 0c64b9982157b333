"""Find the shipped data folders (`questions/`, `schemas/`) in an installed wheel or in a checkout."""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any


def data_dir(name: str) -> Traversable:
    """Return the folder `name` inside the package, or at the top of the checkout when run from source."""
    packaged = resources.files("checker") / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def load_schema(name: str) -> dict[str, Any]:
    """Load one of the shipped JSON Schemas by file name."""
    data: dict[str, Any] = json.loads((data_dir("schemas") / name).read_text(encoding="utf-8"))
    return data
