"""`[tool.reportcheck]` in a repository's pyproject.toml: settings a group or teacher commits once.

    [tool.reportcheck]
    path = "reports/README.md"     # the report, relative to the pyproject.toml
    set = "dtu-mlops-2026"         # a question set: a shipped id, or a TOML file relative to the pyproject.toml
    strict = true                  # warnings also make the report not ready

Command-line options override these. An unknown key or a wrong type is a one-line error, never ignored.
`template` (an id) and `questions` (a file), the old names of `set`, are still read.
"""

from __future__ import annotations

import os
from pathlib import Path

from checker.errors import CheckerError
from checker.records import NamedTuple

# key -> (type, what it holds): drives both validation and the error message for unknown keys.
KEYS: dict[str, tuple[type, str]] = {
    "path": (str, "the report's path relative to pyproject.toml"),
    "set": (str, "a question-set id, or a question-set TOML file relative to pyproject.toml"),
    "strict": (bool, "true or false"),
    # Old names of `set`, read for a release.
    "template": (str, "a question-set id"),
    "questions": (str, "a question-set TOML file relative to pyproject.toml"),
}
SET_KEYS = ("set", "template", "questions")
OLD_KEYS = frozenset({"template", "questions"})


class ConfigError(CheckerError):
    """The committed configuration is wrong; unlike a report problem this always stops the check."""


class Config(NamedTuple):
    """Settings read from `[tool.reportcheck]`; paths are already resolved against the pyproject's folder."""

    source: Path | None = None
    path: Path | None = None
    question_set: str | None = None  # a shipped set's id, or the path of a set file
    strict: bool | None = None
    set_entry: str | None = None  # the entry that named the question set, as written: `set = 'my-set'`


def is_set_file(value: str, base: Path | None = None) -> bool:
    """Tell whether a question-set name is a file (relative to `base`) rather than a shipped set's id."""
    return value.endswith(".toml") or "/" in value or "\\" in value or ((base or Path()) / value).is_file()


def find_pyproject(start: Path) -> Path | None:
    """Return the nearest pyproject.toml at or above `start`, not looking past the repository root."""
    folder = Path(os.path.realpath(start))  # a link loop at `start` is for the check to report, not a crash here
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        if (candidate / "pyproject.toml").is_file():
            return candidate / "pyproject.toml"
        if (candidate / ".git").exists():
            return None
    return None


def load(pyproject: Path) -> Config:
    """Read and validate `[tool.reportcheck]` of one pyproject.toml (an absent table is an empty config)."""
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{pyproject}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{pyproject}: not valid TOML ({exc})") from None
    if "reportcheck" not in text:
        # Most projects' pyproject.toml says nothing to us; skip the TOML parser on every start then.
        return Config()
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{pyproject}: not valid TOML ({exc})") from None
    table = data.get("tool", {}).get("reportcheck")
    if table is None:
        return Config()
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.reportcheck] must be a table")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        known = ", ".join(key for key in KEYS if key not in OLD_KEYS)
        raise ConfigError(f"{pyproject}: unknown {'key' if len(unknown) == 1 else 'keys'} {', '.join(unknown)} in "
                          f"[tool.reportcheck] (known: {known})")
    for key, value in table.items():
        kind, what = KEYS[key]
        if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
            raise ConfigError(f"{pyproject}: [tool.reportcheck] {key} must be {what}, not {value!r}")
    named = [key for key in SET_KEYS if key in table]
    if len(named) > 1:
        raise ConfigError(f"{pyproject}: [tool.reportcheck] names the question set twice ({', '.join(named)}); "
                          "keep only `set`")
    base = pyproject.parent
    question_set = table[named[0]] if named else None
    if question_set is not None and (named[0] == "questions" or is_set_file(question_set, base)):
        question_set = str(base / question_set)
    return Config(
        source=pyproject,
        path=base / table["path"] if "path" in table else None,
        question_set=question_set,
        strict=table.get("strict"),
        set_entry=f"{named[0]} = {table[named[0]]!r}" if named else None,
    )


def discover(start: Path) -> Config:
    """Return the configuration that applies to `start` (a report, a folder, or the current directory)."""
    pyproject = find_pyproject(start)
    return Config() if pyproject is None else load(pyproject)


class Settings(NamedTuple):
    """What one check uses after command-line options are laid over the committed configuration."""

    target: Path
    question_set: str | None
    strict: bool
    set_origin: str | None = None  # `FILE: [tool.reportcheck] KEY = VALUE` when the configuration named the set

    def set_error(self, exc: CheckerError) -> CheckerError:
        """Say that a question set that cannot be used was named in pyproject.toml, and where."""
        return exc if self.set_origin is None else ConfigError(f"{self.set_origin}: {exc}")


def settings(
    target: Path | None,
    *,
    default_target: Path,
    question_set: str | None = None,
    strict: bool | None = None,
    use_config: bool = True,
) -> Settings:
    """Combine options and `[tool.reportcheck]`; an option given on the command line always wins."""
    config = discover(target if target is not None else default_target) if use_config else Config()
    if target is None:
        target = config.path if config.path is not None else default_target
    origin = None
    if question_set is None and config.set_entry is not None:
        origin = f"{config.source}: [tool.reportcheck] {config.set_entry}"
    return Settings(
        target=target,
        question_set=question_set if question_set is not None else config.question_set,
        strict=strict if strict is not None else bool(config.strict),
        set_origin=origin,
    )
