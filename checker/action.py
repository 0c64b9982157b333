"""The GitHub Action's check step (`python -m checker.action`): check, annotate, summarise, set outputs, exit.

action.yml hands its inputs over as INPUT_* environment variables. The step fails exactly as `fail-on` says:
`error` when the report is not ready, `warning` when it has any finding, `never` not at all. A report that
cannot be checked (missing, not UTF-8) counts as one error; a wrong input or `[tool.reportcheck]` always fails.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

from checker.config import ConfigError, settings
from checker.errors import CheckerError
from checker.files import REPORT_PATH
from checker.formats import RenderOptions
from checker.formats.github import command, more_notice
from checker.model import ReportResult

FailOn = Literal["error", "warning", "never"]
EXIT_FAILED, EXIT_CONFIG = 1, 2
# GitHub drops a step's whole job summary when it is over 1 MiB, counted in bytes.
SUMMARY_LIMIT = 1024 * 1024
MATCHER_OWNER = "reportcheck"


@dataclass(frozen=True)
class Inputs:
    """The action's inputs, parsed; None means "not given, let [tool.reportcheck] decide"."""

    path: str | None
    question_set: str | None
    strict: bool | None
    fail_on: FailOn
    summary: bool
    annotations: bool
    sarif_file: str | None
    comment: bool
    classroom_points: bool
    token: str
    badge_file: str | None = None


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(f"INPUT_{name.upper().replace('-', '_')}", "").strip().lower()
    if not raw:
        return default
    if raw in ("true", "false"):
        return raw == "true"
    raise ConfigError(f"input {name} must be true or false, not {raw!r}")


def read_inputs(env: Mapping[str, str]) -> Inputs:
    """Parse INPUT_* variables; a value the action does not know is a ConfigError."""
    fail_on = env.get("INPUT_FAIL_ON", "").strip().lower() or "error"
    if fail_on not in ("error", "warning", "never"):
        raise ConfigError(f"input fail-on must be error, warning or never, not {fail_on!r}")
    path = env.get("INPUT_PATH", "").strip()
    question_set = env.get("INPUT_SET", "").strip()
    if question_set in ("", "auto"):
        question_set = env.get("INPUT_TEMPLATE", "").strip()  # the old name of `set`
    return Inputs(
        path=None if path in ("", REPORT_PATH) else path,
        question_set=None if question_set in ("", "auto") else question_set,
        strict=True if _flag(env, "strict", False) else None,
        fail_on=fail_on,  # type: ignore[arg-type]
        summary=_flag(env, "summary", True),
        annotations=_flag(env, "annotations", True),
        sarif_file=env.get("INPUT_SARIF_FILE", "").strip() or None,
        comment=_flag(env, "comment", False),
        classroom_points=_flag(env, "classroom-points", False),
        token=env.get("INPUT_TOKEN", ""),
        badge_file=env.get("INPUT_BADGE_FILE", "").strip() or None,
    )


def fails(result: ReportResult | None, fail_on: FailOn) -> bool:
    """Tell whether the step fails; None stands for a report that could not be checked."""
    if fail_on == "never":
        return False
    if result is None:
        return True
    if fail_on == "warning":
        return bool(result.errors or result.warnings)
    return not result.ready


def write_outputs(path: str, values: Mapping[str, str]) -> None:
    """Append step outputs to GITHUB_OUTPUT, using a random delimiter for any value with a line break."""
    with Path(path).open("a", encoding="utf-8") as handle:
        for name, value in values.items():
            if "\n" in value or "\r" in value:
                delimiter = f"ghadelimiter_{uuid.uuid4()}"
                handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
            else:
                handle.write(f"{name}={value}\n")


def _append(path: str, text: str) -> None:
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(text)


def _cut_note(lines: int, size: int) -> str:
    return (f"\n**The summary was cut here: {lines} more lines ({size:,} bytes) would pass GitHub's 1 MiB limit. "
            "`reportcheck check` and the result file list everything.**\n")


def cut_summary(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """Keep whole lines of text within `limit` UTF-8 bytes; a last line says how much was left out."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    total = text.count("\n") + (not text.endswith("\n"))
    # The note never says more than everything, so its longest form bounds the room it needs.
    room = len(_cut_note(total, len(data)).encode("utf-8"))
    end = data.rfind(b"\n", 0, limit - room) + 1
    kept = data[:end].decode("utf-8")
    return kept + _cut_note(total - kept.count("\n"), len(data) - end)


def _findings_log(result: ReportResult, env: Mapping[str, str], annotate: bool, out: TextIO) -> None:
    """Print one line per finding; with `annotate`, around them the problem matcher that makes them annotations.

    The matcher is registered for these lines only, so nothing else in the log (the report's own text in the
    text block above) can be taken for a finding.
    """
    from checker.formats.concise import lines

    matcher = env.get("REPORTCHECK_MATCHER", "")
    annotate = annotate and bool(matcher) and Path(matcher).is_file()
    if annotate:
        print(f"::add-matcher::{matcher}", file=out)
    for line in lines([result]):
        print(line, file=out)
    if annotate:
        print(f"::remove-matcher owner={MATCHER_OWNER}::", file=out)
        notice = more_notice([result])
        if notice:
            print(notice, file=out)


def _quoted_log(text: str, out: TextIO, title: str) -> None:
    """Print text that holds student writing with workflow commands switched off around it."""
    token = secrets.token_hex(16)
    print(f"::group::{title}", file=out)
    print(f"::stop-commands::{token}", file=out)
    out.write(text if text.endswith("\n") else text + "\n")
    print(f"::{token}::", file=out)
    print("::endgroup::", file=out)


def _outputs(result: ReportResult | None, result_file: str) -> dict[str, str]:
    if result is None:
        return {"ready": "false", "passed": "0", "total": "0", "errors": "1", "warnings": "0", "result-file": ""}
    return {
        "ready": str(result.ready).lower(),
        "passed": str(result.passed),
        "total": str(len(result.questions)),
        "errors": str(result.errors),
        "warnings": str(result.warnings),
        "result-file": result_file,
    }


def _write_badge(workspace: Path, inputs: Inputs, badge: Mapping[str, object]) -> None:
    """Write the shields.io endpoint JSON where `badge-file` says, for a README badge the group publishes."""
    if inputs.badge_file:
        target = workspace / inputs.badge_file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(badge) + "\n", encoding="utf-8")


def _could_not_check(message: str, inputs: Inputs, env: Mapping[str, str], out: TextIO) -> int:
    from checker.formats.markdown import escape
    from checker.formats.shields import unchecked

    print(command("error", message, title="reportcheck could not check the report"), file=out)
    if inputs.summary and env.get("GITHUB_STEP_SUMMARY"):
        _append(env["GITHUB_STEP_SUMMARY"], f"## reportcheck\n\n### ❌ Could not check the report\n\n"
                                            f"{escape(message)}\n")
    if env.get("GITHUB_OUTPUT"):
        write_outputs(env["GITHUB_OUTPUT"], _outputs(None, ""))
    _write_badge(Path(env.get("GITHUB_WORKSPACE") or Path.cwd()), inputs, unchecked())
    return EXIT_FAILED if fails(None, inputs.fail_on) else 0


def run(env: Mapping[str, str], out: TextIO) -> int:
    """Run the check step with this environment; return the step's exit status."""
    from checker.command import run_settings
    from checker.formats import json as json_format
    from checker.formats import markdown, sarif, shields, text

    workspace = Path(env.get("GITHUB_WORKSPACE") or Path.cwd())
    try:
        inputs = read_inputs(env)
        chosen = settings(workspace / inputs.path if inputs.path else None,
                          default_target=workspace / REPORT_PATH, question_set=inputs.question_set,
                          strict=inputs.strict)
    except ConfigError as exc:
        print(command("error", str(exc), title="reportcheck configuration"), file=out)
        return EXIT_CONFIG
    try:
        # GitHub places annotations and SARIF results by repository path, wherever the step runs.
        result = run_settings(chosen)._replace(name=None)
    except ConfigError as exc:
        print(command("error", str(exc), title="reportcheck configuration"), file=out)
        return EXIT_CONFIG
    except CheckerError as exc:
        return _could_not_check(str(exc), inputs, env, out)

    options = RenderOptions()
    temp = Path(env.get("RUNNER_TEMP") or workspace) / "reportcheck"
    temp.mkdir(parents=True, exist_ok=True)
    result_file = temp / "result.json"
    result_file.write_text(json_format.render(result, options), encoding="utf-8")

    _quoted_log(text.render(result, options), out, f"reportcheck: {result.path}")
    _findings_log(result, env, inputs.annotations, out)
    summary = markdown.render_many([result], options)
    if inputs.summary and env.get("GITHUB_STEP_SUMMARY"):
        _append(env["GITHUB_STEP_SUMMARY"], cut_summary(summary, SUMMARY_LIMIT))
    if inputs.sarif_file:
        target = workspace / inputs.sarif_file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(sarif.render(result, options), encoding="utf-8")
    _write_badge(workspace, inputs, shields.badge(result))
    if env.get("GITHUB_OUTPUT"):
        write_outputs(env["GITHUB_OUTPUT"], _outputs(result, str(result_file)))
    if inputs.classroom_points:
        total = len(result.questions)
        print(command("notice", f"Points {result.passed}/{total}", title="Autograding complete"), file=out)
        print(command("notice", f'{{"totalPoints":{result.passed},"maxPoints":{total}}}',
                      title="Autograding report"), file=out)
    if inputs.comment:
        from checker.comment import sticky_comment

        note = sticky_comment(env, inputs.token, summary, key=result.path)
        print(command("notice", note, title="reportcheck comment"), file=out)
    print(f"reportcheck: {text.verdict(result)}", file=out)
    return EXIT_FAILED if fails(result, inputs.fail_on) else 0


def main() -> int:
    """Entry point of `python -m checker.action`."""
    try:
        return run(os.environ, sys.stdout)
    except OSError as exc:
        print(command("error", f"reportcheck: {exc}", title="reportcheck"), file=sys.stdout)
        return EXIT_CONFIG


if __name__ == "__main__":
    sys.exit(main())
