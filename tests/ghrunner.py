"""Run action.yml's composite steps the way the GitHub runner does, for tests.

Steps are read from action.yml itself. Each `run` step gets its `${{ }}` expressions evaluated, its own
GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and runs as `bash --noprofile --norc -eo pipefail FILE` in the
workspace (or its `working-directory`); the first failing step ends the action. A step's `if:` may compare a
step output with a string (`steps.cache.outputs.cache-hit != 'true'`).

The cache steps are GitHub's and cannot run here; they are simulated on a folder standing for GitHub's cache
store: `actions/cache/restore` copies a saved folder back to its path (exact key only) and says `cache-hit`,
`actions/cache/save` copies the path into the store, `actions/cache` does both (saving after a successful
job, as its post step does). Restoring is therefore a local copy: GitHub's download and unpacking of the
archive are not part of any time measured with this runner. Other `uses` steps are recorded as skipped. Only the
expression forms action.yml needs are understood; any other is an error, so a change to action.yml that this
runner would get wrong fails loudly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
CONDITION = re.compile(r"^\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*$")


def load_action(path: Path | None = None) -> dict[str, Any]:
    """Parse the repository's action.yml (or another action file)."""
    data: dict[str, Any] = yaml.safe_load((path or ROOT / "action.yml").read_text(encoding="utf-8"))
    return data


def parse_file_commands(text: str) -> dict[str, str]:
    """Read a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIMITER` blocks."""
    values: dict[str, str] = {}
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            while lines[index] != delimiter:
                body.append(lines[index])
                index += 1
            index += 1
            values[name] = "\n".join(body)
        else:
            name, value = line.split("=", 1)
            values[name] = value
    return values


@dataclass
class ActionRun:
    """What one run of the action left behind."""

    returncode: int
    outputs: dict[str, str]
    summary: str
    log: str
    steps: dict[str, dict[str, str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    seconds: list[tuple[str, float]] = field(default_factory=list)


class Runner:
    """A runner for one job: a workspace, a temp folder, and the environment of the job."""

    def __init__(self, workspace: Path, temp: Path, env: Mapping[str, str] | None = None,
                 cache: Path | None = None, action: Path | None = None) -> None:
        self.workspace = workspace
        self.temp = temp
        self.extra_env = dict(env or {})
        self.action = load_action(action)
        # GitHub's cache store for this repository: key -> saved folder. None: no cache at all.
        self.cache = cache

    def _context(self, inputs: Mapping[str, str], steps: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
        return {
            "inputs": inputs,
            "steps": {step: {"outputs": outputs} for step, outputs in steps.items()},
            "runner": {"temp": str(self.temp), "os": "Linux"},
            "github": {"token": "test-token", "action_path": str(ROOT), "action_ref": "",
                       "workspace": str(self.workspace)},
        }

    @staticmethod
    def evaluate(text: str, context: Mapping[str, Any]) -> str:
        """Replace each `${{ a.b.c }}` (a property path only) by its value; unknown paths raise."""

        def lookup(match: re.Match[str]) -> str:
            value: Any = context
            for part in match.group(1).split("."):
                if not re.fullmatch(r"[A-Za-z_][\w-]*", part) or not isinstance(value, Mapping):
                    raise ValueError(f"expression this runner does not know: {match.group(0)}")
                value = value.get(part, "")
            return str(value)

        return EXPRESSION.sub(lookup, text)

    @classmethod
    def condition(cls, text: str, context: Mapping[str, Any]) -> bool:
        """Evaluate an `if:` of the one form action.yml uses: a property path compared with a string."""
        match = CONDITION.match(EXPRESSION.sub(lambda m: m.group(1), text))
        if not match:
            raise ValueError(f"condition this runner does not know: {text}")
        value = cls.evaluate("${{ " + match.group(1) + " }}", context)
        return (value == match.group(3)) == (match.group(2) == "==")

    def _uses(self, step: Mapping[str, Any], context: Mapping[str, Any],
              posts: list[tuple[Path, str]]) -> dict[str, str]:
        """Simulate one of actions/cache's steps on the store; return its outputs."""
        name = str(step["uses"]).split("@")[0]
        if self.cache is None or name not in ("actions/cache", "actions/cache/restore", "actions/cache/save"):
            return {}
        given = {k: self.evaluate(str(v), context) for k, v in (step.get("with") or {}).items()}
        path, key = Path(given["path"]), given["key"]
        stored = self.cache / key
        if name == "actions/cache/save":
            if not stored.exists():
                shutil.copytree(path, stored, symlinks=True)
            return {}
        if name == "actions/cache":
            posts.append((path, key))
        if stored.exists():
            shutil.copytree(stored, path, symlinks=True, dirs_exist_ok=True)
            return {"cache-hit": "true", "cache-primary-key": key, "cache-matched-key": key}
        return {"cache-primary-key": key}

    def _base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_", "PYTHONPATH", "PIP_"))}
        env.update({
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_REPOSITORY": "course/group-7",
            "GITHUB_EVENT_NAME": "push",
            "RUNNER_TEMP": str(self.temp),
            "RUNNER_OS": "Linux",
        })
        env.update(self.extra_env)
        return env

    def run(self, inputs: Mapping[str, str] | None = None) -> ActionRun:
        """Run every step of the action with these inputs (the rest take their defaults)."""
        declared = self.action["inputs"]
        unknown = set(inputs or {}) - set(declared)
        assert not unknown, f"action.yml has no input {unknown}"
        context_inputs: dict[str, str] = {}
        steps: dict[str, dict[str, str]] = {}
        for name, spec in declared.items():
            default = str(spec.get("default", ""))
            context_inputs[name] = (inputs or {}).get(name, self.evaluate(default, self._context({}, {})))
        summary, log, skipped = [], [], []
        seconds: list[tuple[str, float]] = []
        posts: list[tuple[Path, str]] = []
        returncode = 0
        for number, step in enumerate(self.action["runs"]["steps"]):
            context = self._context(context_inputs, steps)
            label = str(step.get("name") or step.get("id") or number)
            if "if" in step and not self.condition(str(step["if"]), context):
                continue
            started = time.perf_counter()
            if "uses" in step:
                outputs = self._uses(step, context, posts)
                if self.cache is None or not str(step["uses"]).startswith("actions/cache"):
                    skipped.append(step["uses"])
                if "id" in step:
                    steps[step["id"]] = outputs
                seconds.append((label, time.perf_counter() - started))
                continue
            env = self._base_env()
            env.update({k: self.evaluate(str(v), context) for k, v in (step.get("env") or {}).items()})
            folder = self.temp / f"step-{number}"
            folder.mkdir(parents=True, exist_ok=True)
            output_file, summary_file, script = folder / "output", folder / "summary", folder / "script.sh"
            output_file.write_text("")
            summary_file.write_text("")
            script.write_text(self.evaluate(step["run"], context))
            env.update({"GITHUB_OUTPUT": str(output_file), "GITHUB_STEP_SUMMARY": str(summary_file)})
            assert step["shell"] == "bash"
            cwd = Path(self.evaluate(str(step.get("working-directory", "")), context) or self.workspace)
            done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                                  cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300)
            seconds.append((label, time.perf_counter() - started))
            log.append(done.stdout + done.stderr)
            summary.append(summary_file.read_text(encoding="utf-8"))
            if "id" in step:
                steps[step["id"]] = parse_file_commands(output_file.read_text(encoding="utf-8"))
            if done.returncode != 0:
                returncode = done.returncode
                break
        if returncode == 0 and self.cache is not None:
            for path, key in posts:  # actions/cache's post step: save after a successful job
                if not (self.cache / key).exists() and path.exists():
                    shutil.copytree(path, self.cache / key, symlinks=True)
        context = self._context(context_inputs, steps)
        outputs = {name: self.evaluate(spec["value"], context) for name, spec in self.action["outputs"].items()}
        return ActionRun(returncode, outputs, "".join(summary), "".join(log), steps, skipped, seconds)
