"""Write a question set's data as TOML, in the layout of the shipped files (read back with tomllib, it is equal)."""

from __future__ import annotations

import json
import re
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
        out += _learned_lines(question)
    return "\n".join(out) + "\n"


_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.'\"\- ]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')\s*=")
LEARNED_TABLES = ("questions.prompts", "questions.guidance")


def _lines_of_values(lines: list[str]) -> list[int]:
    """Return, for each line, the index of the line its value starts on (a multi-line string spans several)."""
    owner: list[int] = []
    start = -1
    for index, line in enumerate(lines):
        if start >= 0:
            owner.append(start)
            if line.count('"""') % 2 or line.count("'''") % 2:
                start = -1
            continue
        owner.append(index)
        if line.count('"""') % 2 or line.count("'''") % 2:
            start = index
    return owner


def _tables(lines: list[str]) -> list[tuple[int, str]]:
    """Return (line, name) of every table header outside multi-line strings."""
    owner = _lines_of_values(lines)
    found = []
    for index, line in enumerate(lines):
        match = _HEADER.match(line)
        if match and owner[index] == index:
            found.append((index, match.group(1).replace(" ", "")))
    return found


def hashes_as_lists(data: Any) -> Any:
    """Return data with every hash string (`word_hashes`, `example_shingles`) split: how they compare."""
    if isinstance(data, Mapping):
        return {key: value.split() if key in ("word_hashes", "example_shingles") and isinstance(value, str)
                else hashes_as_lists(value) for key, value in data.items()}
    if isinstance(data, list):
        return [hashes_as_lists(item) for item in data]
    return data


def with_learned(text: str, data: Mapping[str, Any]) -> str:
    """Return a set file's text with only its learned parts replaced by those of `data`.

    Everything a person wrote (comments, titles, ranges, notes, other tables) stays as it is, byte for byte; the
    top-level `revisions`, each question's `fingerprint`, `example_shingles`, `[[questions.prompts]]` and
    `[[questions.guidance]]` are rewritten. The caller checks that the text reads back as `data`.
    """
    lines = text.split("\n")
    owner = _lines_of_values(lines)
    # Drop the learned tables (header to last value, comments after them stay), and the blank lines before them.
    drop: set[int] = set()
    tables = _tables(lines)
    for position, (start, name) in enumerate(tables):
        if name in LEARNED_TABLES:
            stop = tables[position + 1][0] if position + 1 < len(tables) else len(lines)
            end = max((i for i in range(start, stop) if _is_value(lines, owner, i)), default=start)
            first = start
            while first > 0 and not lines[first - 1].strip():
                first -= 1
            drop.update(range(first, end + 1))
    first_table = tables[0][0] if tables else len(lines)
    question_starts = [start for start, name in tables if name == "questions"]
    for index, line in enumerate(lines):
        match = _KEY.match(line) if owner[index] == index else None
        if not match:
            continue
        key = match.group(1)
        in_question = any(start < index for start in question_starts)
        if (key == "revisions" and index < first_table) or (key == "example_shingles" and in_question):
            end = index
            if "[" in line.split("=", 1)[1] and "]" not in line.split("=", 1)[1]:
                while end + 1 < len(lines) and lines[end].strip() != "]":
                    end += 1
            while end + 1 < len(lines) and owner[end + 1] == index:
                end += 1
            drop.update(range(index, end + 1))
    kept = [(index, line) for index, line in enumerate(lines) if index not in drop]
    return _insert_learned(kept, data)


def _insert_learned(kept: list[tuple[int, str]], data: Mapping[str, Any]) -> str:
    """Write the learned parts into the remaining lines of a set file (see `with_learned`)."""
    lines = [line for _, line in kept]
    tables = _tables(lines)
    owner = _lines_of_values(lines)
    first_table = tables[0][0] if tables else len(lines)
    out: list[str] = []
    revisions = [] if not data.get("revisions") else [
        "revisions = [",
        *(f"  {{ id = {toml_string(r['id'])}" + (f", date = {toml_string(r['date'])}" if r.get("date") else "")
          + " },"
          for r in data["revisions"]),
        "]",
    ]
    top_keys = [i for i in range(first_table) if _KEY.match(lines[i]) and owner[i] == i]
    after_top = (top_keys[-1] if top_keys else -1)
    while after_top + 1 < first_table and owner[after_top + 1] != after_top + 1:
        after_top += 1
    questions = iter(data["questions"])
    table_names = dict(tables)
    position = 0
    while position < len(lines):
        out.append(lines[position])
        if position == after_top:
            out += revisions
        if table_names.get(position) == "questions":
            question = next(questions)
            stop = next((start for start, _ in tables if start > position), len(lines))
            # The question's own lines: to its last value, and the comments right under it (no blank between).
            last = max((i for i in range(position, stop) if _is_value(lines, owner, i)), default=position)
            while last + 1 < stop and lines[last + 1].lstrip().startswith("#"):
                last += 1
            for index in range(position + 1, last + 1):
                line = lines[index]
                match = _KEY.match(line) if owner[index] == index else None
                if match and match.group(1) == "fingerprint" and "fingerprint" in question:
                    line = f"fingerprint = {toml_string(question['fingerprint'])}"
                out.append(line)
            out += _learned_lines(question)
            position = last + 1
            continue
        position += 1
    if after_top == -1 and revisions:
        out = revisions + out
    return "\n".join(out)


def _is_value(lines: list[str], owner: list[int], index: int) -> bool:
    """Tell whether a line holds (part of) a value: not blank, not only a comment."""
    if owner[index] != index:
        return True
    stripped = lines[index].strip()
    return bool(stripped) and not stripped.startswith("#")


def _learned_lines(question: Mapping[str, Any]) -> list[str]:
    """Return the learned keys and tables of one question, as `to_toml` writes them."""
    out: list[str] = []
    if "example_shingles" in question:
        out += hash_list("example_shingles", question["example_shingles"].split())
    for prompt in question.get("prompts", ()):
        out += ["", "[[questions.prompts]]"]
        out += [f"{key} = {toml_value(prompt[key])}" for key in PROMPT_KEYS if key in prompt]
        out += hash_list("word_hashes", prompt.get("word_hashes", "").split())
    for guidance in question.get("guidance", ()):
        out += ["", "[[questions.guidance]]"]
        out += [f"{key} = {toml_value(guidance[key])}" for key in PROMPT_KEYS if key in guidance]
    return out
