"""Write checker/rules/english.py: the character trigram model of English that `answer-gibberish` scores with.

The text is this project's own: README.md, docs/*.md, the docstrings and comments of its Python files and the
sentences of the example answers (never a course template, never a student's report). It is cut into prose
words exactly as the rule cuts answers (`checker.rules.gibberish.prose_words`), each word padded as `  word `
so a trigram never spans two words.
Probabilities interpolate trigram, bigram and unigram estimates with weights found by deleted interpolation
(Brants 2000, "TnT"), and are stored as minus the natural log in steps of STEP, one character per trigram.

    python tools/make_english.py          # rewrite the table from the current text
    python tools/make_english.py --check  # exit 1 when the table is not what the current text gives
"""

from __future__ import annotations

import argparse
import ast
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "checker" / "rules" / "english.py"
ALPHABET = " abcdefghijklmnopqrstuvwxyz"
STEP = 0.125
# Documents that quote students' answers (the corpus findings): the model learns from our own words only.
QUOTES_REPORTS = frozenset({"checks.md"})
LEVELS = 94  # printable ASCII from `!` (33) to `~` (126)


def sources(root: Path) -> Iterator[tuple[str, str]]:
    """Yield (name, text) of the project's own English: its documentation, docstrings, comments and the
    example answers' sentences."""
    for path in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        if path.name in QUOTES_REPORTS:
            continue
        yield path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")
    for folder in ("checker", "tests", "bench", "tools", "examples"):
        for path in sorted((root / folder).rglob("*.py")):
            if path == TARGET:
                continue
            yield path.relative_to(root).as_posix(), "\n".join(_docstrings_and_comments(path))


def _docstrings_and_comments(path: Path) -> Iterator[str]:
    """Yield a Python file's docstrings, comments and, for the examples, the sentences of their answers."""
    source = path.read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            yield ast.get_docstring(node) or ""
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "SENTENCES" for t in node.targets):
            yield from (item.value for item in ast.walk(node.value)
                        if isinstance(item, ast.Constant) and isinstance(item.value, str))
    yield from re.findall(r"#\s(.*)", source)


def table(words: Iterable[str]) -> str:
    """Return the model as one character per trigram of ALPHABET (index `(a * 27 + b) * 27 + c`)."""
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    tri: Counter[str] = Counter()
    for word in words:
        padded = "  " + word + " "
        for i in range(2, len(padded)):
            uni[padded[i]] += 1
            bi[padded[i - 1 : i + 1]] += 1
            tri[padded[i - 2 : i + 1]] += 1
    total = sum(uni.values())
    bi_context: Counter[str] = Counter()
    tri_context: Counter[str] = Counter()
    for gram, count in bi.items():
        bi_context[gram[0]] += count
    for gram, count in tri.items():
        tri_context[gram[:2]] += count
    weights = _deleted_interpolation(uni, bi, tri, bi_context, tri_context, total)
    cells = []
    for a in ALPHABET:
        for b in ALPHABET:
            for c in ALPHABET:
                p1 = (uni[c] + 1) / (total + len(ALPHABET))
                p2 = bi[b + c] / bi_context[b] if bi_context[b] else p1
                p3 = tri[a + b + c] / tri_context[a + b] if tri_context[a + b] else p2
                cost = -math.log(weights[0] * p3 + weights[1] * p2 + weights[2] * p1)
                cells.append(chr(33 + min(LEVELS - 1, round(cost / STEP))))
    return "".join(cells)


def _deleted_interpolation(uni: Counter[str], bi: Counter[str], tri: Counter[str], bi_context: Counter[str],
                           tri_context: Counter[str], total: int) -> tuple[float, float, float]:
    """Return the trigram, bigram and unigram weights by deleted interpolation (each trigram counted once out)."""
    votes = [0, 0, 0]
    for gram, count in tri.items():
        shares = (
            (count - 1) / (tri_context[gram[:2]] - 1) if tri_context[gram[:2]] > 1 else 0.0,
            (bi[gram[1:]] - 1) / (bi_context[gram[1]] - 1) if bi_context[gram[1]] > 1 else 0.0,
            (uni[gram[2]] - 1) / (total - 1),
        )
        votes[shares.index(max(shares))] += count
    # One vote each on top keeps every weight above zero, so no trigram gets probability 0 on a small text.
    total_votes = sum(votes) + 3
    return (votes[0] + 1) / total_votes, (votes[1] + 1) / total_votes, (votes[2] + 1) / total_votes


def module(cells: str, names: list[str], letters: int) -> str:
    """Return the source of checker/rules/english.py."""
    chunks = "\n".join(f"    {cells[i : i + 100]!r}" for i in range(0, len(cells), 100))
    listed = "".join(f"\n- {name}" for name in names)
    return f'''"""English as character trigrams, for `answer-gibberish`; written by tools/make_english.py, do not edit.

Counted from {letters:,} letters of this project's own text, cut into words as the rule cuts answers:
{listed}

TRIGRAMS holds one character per trigram of ALPHABET, index `(a * 27 + b) * 27 + c`: minus the
natural log of P(c | a b), interpolated with the bigram and unigram estimates, is `(ord(char) - 33) * STEP`.
"""

ALPHABET = {ALPHABET!r}
STEP = {STEP!r}
TRIGRAMS = (
{chunks}
)
'''


def build(root: Path = ROOT) -> str:
    """Return the table module as the project's current text gives it."""
    sys.path.insert(0, str(root))
    from checker.rules.gibberish import prose_words

    names: list[str] = []
    words: list[str] = []
    for name, text in sources(root):
        if name.endswith(".md"):
            names.append(name)
        words.extend(word.decode() for word in prose_words(text))
    names.append("the docstrings and comments of checker/, tests/, bench/, tools/ and examples/")
    names.append("the sentences of the example answers (examples/make_examples.py)")
    return module(table(words), names, sum(len(word) for word in words))


def main() -> int:
    """Write the table, or with --check say whether it is current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the table on disk")
    args = parser.parse_args()
    text = build()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") == text
        print("checker/rules/english.py is " + ("current" if current else "not what the current text gives"))
        return 0 if current else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
