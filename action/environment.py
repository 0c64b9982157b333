"""Plan the GitHub Action's virtual environment: where it lives, its cache key, and how to install into it.

Run by action.yml with the runner's Python (`python3 -I action/environment.py`), before reportcheck is
installed, so it uses the standard library only. The key is a hash of everything that makes the installed
package (the action's own files) and of the Python the environment is built on: `github.action_ref` is empty
inside composite actions (actions/runner#2473), and a virtual environment only works with the interpreter and
at the place it was made, so both are in the key. It writes step outputs to GITHUB_OUTPUT:

    python        the environment's interpreter        venv        the environment's folder
    base-python   the interpreter it is built on       key         the cache key
    installer     uv (on PATH), pip (pip >= 22.3 of the base Python, run with --python) or ensurepip
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ACTION = Path(__file__).resolve().parent.parent
# What the wheel is built from; a change to any of them is a new environment.
SOURCES = ("pyproject.toml", "hatch_build.py", "checker", "questions", "schemas")


def source_files(root: Path) -> Iterator[Path]:
    """Yield the files the package is built from, in a fixed order."""
    for name in SOURCES:
        top = root / name
        if top.is_file():
            yield top
        elif top.is_dir():
            yield from sorted(p for p in top.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def digest(root: Path, base_python: str, venv: Path) -> str:
    """Hash the package's sources, the interpreter and the environment's place."""
    sha = hashlib.sha256()
    sha.update(f"{sys.version}\0{base_python}\0{venv}\0".encode())
    for path in source_files(root):
        sha.update(path.relative_to(root).as_posix().encode() + b"\0")
        sha.update(hashlib.sha256(path.read_bytes()).digest())
    return sha.hexdigest()[:24]


def installer() -> str:
    """Pick the fastest installer at hand: uv, else the base Python's own pip, else a pip in the environment."""
    if shutil.which("uv"):
        return "uv"
    try:
        import pip
    except ImportError:
        return "ensurepip"
    major, minor = (int(part) for part in pip.__version__.split(".")[:2])
    return "pip" if (major, minor) >= (22, 3) else "ensurepip"


def plan(env: dict[str, str]) -> dict[str, str]:
    """Return the step outputs for this runner."""
    base_python = str(Path(sys.executable).resolve())
    venv = Path(env.get("RUNNER_TEMP") or tempfile.gettempdir()) / "reportcheck-venv"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    system = f"{platform.system()}-{platform.machine()}".lower()
    version = f"py{sys.version_info.major}.{sys.version_info.minor}"
    return {
        "python": str(python),
        "venv": str(venv),
        "base-python": base_python,
        "key": f"reportcheck-venv-{system}-{version}-{digest(ACTION, base_python, venv)}",
        "installer": installer(),
    }


def main() -> int:
    """Write the plan to GITHUB_OUTPUT (or print it)."""
    outputs = plan(dict(os.environ))
    text = "".join(f"{name}={value}\n" for name, value in outputs.items())
    target = os.environ.get("GITHUB_OUTPUT")
    if target:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
