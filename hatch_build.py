"""Wheel build hook: add the shipped question sets, built once, to the wheel as a Python module.

`reportcheck check` then imports `checker/_compiled_sets.py` (from its bytecode, which installers write)
instead of reading and building every set on each start: parsing TOML or JSON and building the sets' records
took about a twentieth of a cold check (5.9 ms), the module a fifth of that (1.2 ms). The TOML files stay the
source and are shipped too; a checkout (or an editable install) has no such module and reads them directly.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

COMPILED = "checker/_compiled_sets.py"


class CompiledQuestionSets(BuildHookInterface):  # type: ignore[type-arg]
    """Write questions/*.toml as one module of records (their reprs) into the wheel's package."""

    PLUGIN_NAME = "custom"

    def dependencies(self) -> list[str]:
        # Building the sets imports the package, which parses with markdown-it-py.
        return ["markdown-it-py>=3.0"]

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._folder = tempfile.mkdtemp(prefix="reportcheck-build-")
        target = Path(self._folder) / "_compiled_sets.py"
        target.write_text(compiled_source(Path(self.root)), encoding="utf-8")
        build_data["force_include"][str(target)] = COMPILED

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def compiled_source(root: Path) -> str:
    """Return the module that rebuilds the question sets of root/questions, newest last, from literals."""
    sys.path.insert(0, str(root))
    try:
        from checker.questions import load_file, source_of
    finally:
        sys.path.remove(str(root))
    return source_of([load_file(path) for path in sorted((root / "questions").glob("*.toml"))])
