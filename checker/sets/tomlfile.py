"""Write a question set's data as TOML, in the layout of the shipped files (read back with tomllib, it is equal)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

TOP_KEYS = ("schema_version", "id", "title", "released", "report_path", "student_id_pattern")
QUESTION_KEYS = ("number", "section", "title", "fingerprint", "kind", "words", "images", "note")
PROMPT_KEYS = ("revisions", "fingerprint")
# Hash lists are long: this many characters of them per line.
LINE_CHARS = 100


def toml_string(value: str) -> str:
    """Return a TOML string: literal (as the shipped files write patterns) when that needs no escaping."""
    printable = all(" " <= c != "\x7f" for c in value)
    if "\\" in value and "'" not in value and printable:
        return f"'{value}'"
    # JSON escapes are TOML escapes, except that TOML also forbids a raw DEL.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: Any) -> str:
    """Return a TOML scalar or one-line array."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return toml_string(str(value))


def hash_list(key: str, hashes: Sequence[str]) -> list[str]:
    """Return the hashes as one multi-line TOML string, a few per line: one string loads faster than a list."""
    lines: list[str] = []
    row = ""
    for value in hashes:
        if row and len(row) + len(value) + 1 > LINE_CHARS:
            lines.append(row)
            row = ""
        row = f"{row} {value}" if row else value
    if row:
        lines.append(row)
    return [f'{key} = """', *lines, '"""']


def to_toml(data: Mapping[str, Any], header: Sequence[str], todo: Mapping[int, Sequence[str]] | None = None) -> str:
    """Render a question set; `header` are comment lines for the top, `todo` comments above each question."""
    todo = todo or {}
    out = [f"# {line}" if line else "#" for line in header]
    out += [f"{key} = {toml_value(data[key])}" for key in TOP_KEYS if key in data]
    if data.get("revisions"):
        out.append("revisions = [")
        out += [f"  {{ id = {toml_string(r['id'])}" + (f", date = {toml_string(r['date'])}" if r.get("date") else "")
                + " },"
                for r in data["revisions"]]
        out.append("]")
    official = data.get("official_checker")
    if official:
        out += ["", "[official_checker]", *(f"{k} = {toml_value(v)}" for k, v in official.items())]
    for section in data.get("sections", []):
        out += ["", "[[sections]]", f"id = {toml_value(section['id'])}", f"title = {toml_value(section['title'])}"]
    for question in data["questions"]:
        out.append("")
        out += [f"# {line}" for line in todo.get(question["number"], ())]
        out.append("[[questions]]")
        out += [f"{key} = {toml_value(question[key])}" for key in QUESTION_KEYS if key in question]
        if "example_shingles" in question:
            out += hash_list("example_shingles", question["example_shingles"].split())
        for prompt in question.get("prompts", ()):
            out += ["", "[[questions.prompts]]"]
            out += [f"{key} = {toml_value(prompt[key])}" for key in PROMPT_KEYS if key in prompt]
            out += hash_list("word_hashes", prompt.get("word_hashes", "").split())
        for guidance in question.get("guidance", ()):
            out += ["", "[[questions.guidance]]"]
            out += [f"{key} = {toml_value(guidance[key])}" for key in PROMPT_KEYS if key in guidance]
    return "\n".join(out) + "\n"
