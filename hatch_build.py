"""Wheel build hook: add the shipped question sets, parsed once, to the wheel as one JSON file.

`reportcheck check` then reads that file instead of parsing every TOML file on each start: tomllib's import
and parse are about a tenth of a cold check. The TOML files stay the source and are shipped too; a checkout
(or an editable install) has no JSON file and reads them directly.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

COMPILED = "checker/questions/_compiled.json"


class CompiledQuestionSets(BuildHookInterface):  # type: ignore[type-arg]
    """Write questions/*.toml as one JSON list next to them in the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        sets = [
            {"file": path.name, "data": tomllib.loads(path.read_text(encoding="utf-8"))}
            for path in sorted((Path(self.root) / "questions").glob("*.toml"))
        ]
        self._folder = tempfile.mkdtemp(prefix="reportcheck-build-")
        target = Path(self._folder) / "_compiled.json"
        target.write_text(json.dumps(sets, ensure_ascii=False), encoding="utf-8")
        build_data["force_include"][str(target)] = COMPILED

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        folder = getattr(self, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
