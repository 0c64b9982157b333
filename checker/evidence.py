"""What a repository's files show of each checklist item: evidence found, none, or not checkable from files.

Pure: it is given the repository's file paths and the few small files it asked for (`wanted_files`), and
does no I/O. The rules are data of the question set (`[[evidence]]` in questions/*.toml, docs/evidence.md):
globs over the file list, and patterns over small files (dependency files, workflows, Dockerfiles, ...).

An item is matched to a rule by the fingerprint of its text (the module tag and anything after it left out),
else by a run of its words whose fingerprint is a rule's (a note added before or after the template's text),
else by its module tag or its key words when exactly one rule fits. Globs are case-insensitive; `**/` is
any number of folders, `*` and `?` stay inside one path segment.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache, partial
from itertools import accumulate
from typing import Any

from checker.errors import CheckerError
from checker.files import SMALL_FILE_BYTES
from checker.model import ChecklistItemResult, EvidenceStatus
from checker.parse import ChecklistGroup, ChecklistItem, fingerprint
from checker.records import NamedTuple

# A module tag anywhere in an item: groups write names or notes after it.
MODULE_TAG = re.compile(r"\((M\d+(?:\s*[+,/&]\s*M\d+)*)\)")
MAX_SHOWN = 5  # paths kept per item
MIN_RUN, MAX_RUN = 3, 40  # the fewest and most words of an item's text matched as a template item
MAX_ITEM_WORDS = 80  # longer items are not searched for a template item inside them
MAX_CANDIDATES = 50  # small files considered per source
DEPENDENCIES = "dependencies"  # the source that `packages` search
WEIGHT = {True: 1, False: 2}  # weak rules count half when choosing which small files to read
LOCAL_READS = 10  # small files `check` reads from a local repository (the scan reads 2)
PLACES_PER_SOURCE = 2  # fixed places of each source the batched scan reads with the tree (`fixed_places`)


class Search(NamedTuple):
    """What is searched in the small files of one source (a named list of globs): a regular expression, or
    package names (compared as pip compares them) on lines that are not comments."""

    source: str
    pattern: str = ""
    packages: tuple[str, ...] = ()


class EvidenceRule(NamedTuple):
    """What backs one checklist item: which items it is for, and what in the repository shows it.

    `weak`: files can show it, but their absence shows nothing (not checkable, never unbacked).
    `inconclusive`: files that make the claim plausible without showing it (not checkable when only they exist).
    `exclude` leaves paths out of both `paths` and `inconclusive`.
    `git`: shown by the repository being a git repository. `checkable = false`: no file can show it.
    """

    id: str
    title: str
    look_for: str
    modules: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    inconclusive: tuple[str, ...] = ()
    searches: tuple[Search, ...] = ()
    git: bool = False
    weak: bool = False
    checkable: bool = True
    reason: str = ""


class EvidenceRules(NamedTuple):
    """A question set's evidence rules, the sources (named glob lists) their searches read, and the paths that
    never count (installed packages, editor settings, the report's own figures)."""

    sources: Mapping[str, tuple[str, ...]]
    rules: tuple[EvidenceRule, ...]
    ignore: tuple[str, ...] = ()


class RepoSample(NamedTuple):
    """What is known of a repository: every file path, the small files read (path -> bytes), and whether the
    paths come from git. A path missing from `contents` was not read.

    `gap` says why `paths` may lack some of the repository's files ("": it lists them all, e.g. a listing cut
    short at a depth); with a gap no rule says `none`, since the missing files might show it.
    """

    paths: Sequence[str]
    contents: Mapping[str, bytes]
    git: bool = True
    gap: str = ""


# ---- loading (from the question set's data) ----

_PACKAGE_TOKEN = re.compile(r"[a-z0-9][a-z0-9._-]*")
_SEPARATORS = re.compile(r"[-_.]+")


def package_name(name: str) -> str:
    """Normalise a package name as pip does: case, `-`, `_` and `.` alike."""
    return _SEPARATORS.sub("-", name.lower())


def package_names(text: str) -> frozenset[str]:
    """Return every name-like token outside comments of a dependency file, normalised.

    Tokens end at anything but letters, digits, `-`, `_` and `.`, so `pytorch-lightning` is not `lightning`,
    and `hydra-core>=1.3`, `"wandb==0.16",` and `name = "fastapi"` (uv.lock) all yield their package.
    """
    return frozenset(package_name(token) for line in text.lower().splitlines()
                     for token in _PACKAGE_TOKEN.findall(line.split("#", 1)[0]))


def rules_from_data(data: Mapping[str, Any], origin: str, *, check_patterns: bool = True) -> EvidenceRules | None:
    """Build the evidence rules of a question set's data; None when it has none. Errors name the rule.

    `check_patterns` compiles every pattern now, so a broken one is an error here rather than mid-check; the
    shipped sets skip it (their tests compile them), as compiling is most of the cost of loading them.
    """
    entries = data.get("evidence")
    if not entries:
        return None
    try:
        files = data.get("evidence_files", {})
        sources = {str(name): _strings(globs) for name, globs in files.get("sources", {}).items()}
        ignore = _strings(files.get("ignore", ()))
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            raise TypeError("[[evidence]] must be a list of tables")
    except (AttributeError, TypeError, ValueError) as exc:
        raise CheckerError(f"{origin}: evidence is not valid ({type(exc).__name__}: {exc})") from None
    rules: list[EvidenceRule] = []
    for entry in entries:
        rule_id = str(entry.get("id", "?"))
        where = f"{origin}: evidence rule '{rule_id}'"
        try:
            packages = [str(p) for p in entry.get("packages", ())]
            names = tuple(sorted({package_name(p) for p in packages}))
            searches = [Search(DEPENDENCIES, packages=names)] if packages else []
            searches += [Search(str(s["in"]), str(s["pattern"])) for s in entry.get("contents", ())]
            rule = EvidenceRule(
                id=rule_id,
                title=str(entry["title"]),
                look_for=str(entry.get("look_for", "")),
                modules=_strings(entry.get("modules", ())),
                items=_strings(entry.get("items", ())),
                words=tuple(w.lower() for w in _strings(entry.get("words", ()))),
                paths=_strings(entry.get("paths", ())),
                exclude=_strings(entry.get("exclude", ())),
                inconclusive=_strings(entry.get("inconclusive", ())),
                searches=tuple(searches),
                git=bool(entry.get("git", False)),
                weak=bool(entry.get("weak", False)),
                checkable=bool(entry.get("checkable", True)),
                reason=str(entry.get("reason", "")),
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise CheckerError(f"{where}: not valid ({type(exc).__name__}: {exc})") from None
        for search in rule.searches:
            if search.source not in sources:
                raise CheckerError(f"{where}: searches the source '{search.source}', which "
                                   f"[evidence_files.sources] does not define (known: {', '.join(sources) or 'none'})")
            try:
                if check_patterns and search.pattern:
                    _compiled(search.pattern)
            except re.error as exc:
                raise CheckerError(f"{where}: pattern {search.pattern!r} is not a valid regular expression "
                                   f"({exc})") from None
        rules.append(rule)
    return EvidenceRules(sources, tuple(rules), ignore)


def _strings(values: object) -> tuple[str, ...]:
    """Return a list of strings from the data as a tuple; anything else is a TypeError."""
    if not isinstance(values, (list, tuple)) or not all(isinstance(value, str) for value in values):
        raise TypeError(f"expected a list of strings, not {values!r}")
    return tuple(values)


# ---- globs over the file list ----

_GLOB_TOKEN = re.compile(r"\*\*/|/\*\*$|\*\*|\*|\?|[^*?]")


@cache
def glob_regex(glob: str) -> re.Pattern[str]:
    """Compile a glob for lower-cased paths: `**/` any folders, `dir/**` anything below, `*` and `?` one segment."""
    out: list[str] = []
    for token in _GLOB_TOKEN.findall(glob.lower()):
        if token == "**/":
            out.append(r"(?:[^\n]*/)?")
        elif token == "/**":
            out.append(r"/[^\n]+")
        elif token == "**":
            out.append(r"[^\n]*")
        elif token == "*":
            out.append(r"[^/\n]*")
        elif token == "?":
            out.append(r"[^/\n]")
        else:
            out.append(re.escape(token))
    return re.compile("".join(out))


_WILDCARDS = re.compile(r"\*\*/|/\*\*$|\*|\?")


@cache
def glob_literal(glob: str) -> str:
    """Return the longest run of plain characters every match of the glob contains ("" when none)."""
    return max(_WILDCARDS.split(glob.lower()), key=len)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.MULTILINE)


class GlobParts(NamedTuple):
    """A glob cut into a test of a file's folder (`dir/`, `""` at the root; None: any folder) and of its name,
    with the plain text each must contain (to find candidates by substring search first)."""

    folder: Callable[[str], bool] | None
    folder_literal: str
    name: Callable[[str], bool]
    name_literal: str


def star_match(pattern: str, text: str) -> bool:
    """Match text against a pattern whose only wildcard is `*` (within one name), without a regex."""
    pieces = pattern.split("*")
    if len(pieces) == 1:
        return text == pattern
    first, *middle, last = pieces
    if len(text) < len(first) + len(last) or not text.startswith(first) or not text.endswith(last):
        return False
    position, end = len(first), len(text) - len(last)
    for piece in middle:
        found = text.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True


@cache
def glob_parts(glob: str) -> GlobParts:
    """Split a glob at its last `/`; `dir/**` asks for the folder or one below it, and any name.

    Most globs are `**/name` or a plain folder, so they are tested with string operations; a regex is
    compiled only for a folder part with wildcards or a name with `?` (compiling is most of the cost).
    """
    low = glob.lower()
    if low.endswith("/**"):
        folder, name, deep = low[:-2], "*", True
    else:
        cut = low.rfind("/") + 1
        folder, name, deep = low[:cut], low[cut:], False
    return GlobParts(_folder_test(folder, deep), glob_literal(folder), _name_test(name), glob_literal(name))


def _name_test(name: str) -> Callable[[str], bool]:
    """Return a test of a file name: plain string operations for the usual shapes, a regex only for `?`."""
    if "?" in name:
        regex = glob_regex(name)
        return lambda text: regex.fullmatch(text) is not None
    pieces = name.split("*")
    if len(pieces) == 1:
        return name.__eq__
    if len(pieces) == 3 and not pieces[0] and not pieces[2]:
        return partial(_contains, pieces[1])
    if len(pieces) == 2 and not pieces[0]:
        return partial(_ends, pieces[1])
    return partial(star_match, name)


def _contains(part: str, text: str) -> bool:
    return part in text


def _ends(part: str, text: str) -> bool:
    return text.endswith(part)


def _folder_test(folder: str, deep: bool) -> Callable[[str], bool] | None:
    """Return a test of a folder key (`a/b/`, `""`) against a glob's folder part; None when any folder fits."""
    segments = tuple(folder.split("/")[:-1]) + (("**",) if deep else ())
    if segments in (("**",), ("**", "**")):
        return None
    return partial(segments_match, segments)


def segments_match(pattern: tuple[str, ...], key: str) -> bool:
    """Match a folder key against glob segments, where `**` stands for any number of folders."""
    parts = key.split("/")[:-1]
    reachable = {0}
    for segment in pattern:
        if segment == "**":
            reachable = set(range(min(reachable), len(parts) + 1))
        else:
            reachable = {i + 1 for i in reachable if i < len(parts) and star_match(segment, parts[i])}
        if not reachable:
            return False
    return len(parts) in reachable


class PathIndex:
    """The file list by folder and by name, each also as one text, so a glob costs a substring scan of the
    names (or of the folders) plus a few regex matches, even for a repository of 100,000 files."""

    def __init__(self, paths: Iterable[str], ignore: Sequence[str] = ()) -> None:
        self.ignore = _any_glob(tuple(ignore))
        self.paths = [p for p in paths if "\n" not in p]
        self.lowered = "\n".join(self.paths).lower().split("\n") if self.paths else []
        parts = [low.rpartition("/") for low in self.lowered]
        self.names = [name for _, _, name in parts]
        self.keys = [folder + slash for folder, slash, _ in parts]
        self.folders: dict[str, list[int]] = {}
        for index, key in enumerate(self.keys):
            if key in self.folders:
                self.folders[key].append(index)
            else:
                self.folders[key] = [index]
        self.name_text = "\n".join(self.names)
        self.name_starts = list(accumulate((len(n) + 1 for n in self.names), initial=0))
        self.folder_keys = list(self.folders)
        self.folder_text = "\n".join(self.folder_keys)
        self.folder_starts = list(accumulate((len(f) + 1 for f in self.folder_keys), initial=0))
        self._sources: dict[str, list[tuple[int, str]]] = {}
        self._found: dict[tuple[str, tuple[str, ...], int], list[str]] = {}
        self._ignore_cache: dict[int, bool] = {}

    def source_files(self, rules: EvidenceRules, source: str) -> list[tuple[int, str]]:
        """Return (rank of the first glob matching it, path) for a source's files, best-ranked first, each once.

        A glob written `!glob` keeps files out of the source (a pip freeze inside a `wandb/` run is no
        dependency list).
        """
        if source not in self._sources:
            globs = rules.sources.get(source, ())
            never = tuple(glob[1:] for glob in globs if glob.startswith("!"))
            seen: dict[str, int] = {}
            for rank, glob in enumerate(g for g in globs if not g.startswith("!")):
                for path in self.find(glob, MAX_CANDIDATES, never):
                    if len(seen) < MAX_CANDIDATES:
                        seen.setdefault(path, rank)
            self._sources[source] = [(rank, path) for path, rank in seen.items()]
        return self._sources[source]

    def find(self, glob: str, limit: int, exclude: tuple[str, ...] = ()) -> list[str]:
        """Return up to `limit` paths matching the glob and none of `exclude`, leaving out ignored ones.

        `**/NAME` matches a file named NAME at any depth; `**/NAME/**` every file inside a folder named NAME.
        Candidates come from a substring search of the names (or, for `dir/**`, of the folders).
        """
        key = (glob, exclude, limit)
        if key not in self._found:
            self._found[key] = self._find(glob_parts(glob), limit, _any_glob(exclude))
        return self._found[key]

    def _find(self, parts: GlobParts, limit: int, skip: Callable[[str], bool]) -> list[str]:
        folder_test = parts.folder
        candidates: Iterable[int]
        if parts.name_literal or folder_test is None:
            candidates = _hits(self.name_text, self.name_starts, parts.name_literal, len(self.names))
        else:
            folders = _hits(self.folder_text, self.folder_starts, parts.folder_literal, len(self.folder_keys))
            candidates = (index for position in folders for index in self.folders[self.folder_keys[position]])
        decided: dict[str, bool] = {}
        found: list[str] = []
        for index in candidates:
            if not parts.name(self.names[index]):
                continue
            if folder_test is not None:
                folder = self.keys[index]
                if folder not in decided:
                    decided[folder] = folder_test(folder)
                if not decided[folder]:
                    continue
            if self._ignored(index) or skip(self.lowered[index]):
                continue
            found.append(self.paths[index])
            if len(found) >= limit:
                break
        return found

    def _ignored(self, index: int) -> bool:
        """Tell whether the ignore globs leave the path out, testing each path once."""
        if index not in self._ignore_cache:
            self._ignore_cache[index] = self.ignore(self.lowered[index])
        return self._ignore_cache[index]

    def any_of(self, globs: Sequence[str], limit: int = MAX_SHOWN, exclude: Sequence[str] = ()) -> list[str]:
        """Return up to `limit` paths matching the first of the globs that matches any, and none of `exclude`."""
        for glob in globs:
            found = self.find(glob, limit, tuple(exclude))
            if found:
                return found
        return []


def _hits(text: str, starts: list[int], literal: str, count: int) -> Iterator[int]:
    """Yield, in order, the positions of the lines of `text` that contain `literal` (every line when empty)."""
    if not literal:
        yield from range(count)
        return
    pos = text.find(literal)
    while pos != -1:
        line = bisect_right(starts, pos) - 1
        yield line
        pos = text.find(literal, starts[line + 1]) if line + 1 < len(starts) else -1


@cache
def _any_glob(globs: tuple[str, ...]) -> Callable[[str], bool]:
    """Return a test of a lower-cased path against any of the globs.

    `**/name/**` globs (most ignore lists) become one set of folder names, looked up once per path.
    """
    def folder_name(glob: str) -> str | None:
        inner = glob[3:-3].lower()
        plain = glob.startswith("**/") and glob.endswith("/**") and not set(inner) & set("*?/")
        return inner if plain else None

    names = {name for glob in globs if (name := folder_name(glob)) is not None}
    parts = [glob_parts(glob) for glob in globs if folder_name(glob) is None]

    def test(line: str) -> bool:
        folder, slash, name = line.rpartition("/")
        if names and not names.isdisjoint(folder.split("/")):
            return True
        key = folder + slash
        return any((p.folder is None or p.folder(key)) and p.name(name) for p in parts)

    return test


_last: list[tuple[Sequence[str], tuple[str, ...], PathIndex]] = []


def index_of(paths: Sequence[str], ignore: tuple[str, ...]) -> PathIndex:
    """Return the index of a file list, reusing the last one when given the same list object again."""
    last = _last[0] if _last else None  # read once: scan workers check reports in parallel threads
    if last is not None and last[0] is paths and last[1] == ignore:
        return last[2]
    index = PathIndex(paths, ignore)
    _last[:] = [(paths, ignore, index)]  # holding the list keeps its identity from being reused
    return index


# ---- matching checklist items to rules ----

def item_modules(text: str) -> tuple[str, ...]:
    """Return the module tags written anywhere in an item, e.g. `(M2+M6)` -> ("M2", "M6")."""
    return tuple(m for tag in MODULE_TAG.findall(text) for m in re.findall(r"M\d+", tag))


def item_fingerprint(text: str) -> str:
    """Fingerprint an item's text without its module tag and what follows it."""
    tag = MODULE_TAG.search(text)
    return fingerprint(text[: tag.start()] if tag else text)


def by_fingerprint(rules: EvidenceRules) -> dict[str, EvidenceRule]:
    """Map every item fingerprint of the rules to its rule."""
    return {fp: rule for rule in rules.rules for fp in rule.items}


def match(rules: EvidenceRules, text: str, prints: Mapping[str, EvidenceRule] | None = None) -> EvidenceRule | None:
    """Return the rule for a checklist item's text, or None when no rule fits it for certain."""
    prints = by_fingerprint(rules) if prints is None else prints
    rule = prints.get(item_fingerprint(text))
    if rule is not None:
        return rule
    words = MODULE_TAG.sub(" ", text).split()
    # A note before or after the template's text: try every run of words, longest first (a run no longer
    # than any template item; an item far longer than one is not a template item with a note).
    sizes = range(min(len(words), MAX_RUN), MIN_RUN - 1, -1) if len(words) <= MAX_ITEM_WORDS else range(0)
    for size in sizes:
        for start in range(len(words) - size + 1):
            rule = prints.get(fingerprint(" ".join(words[start : start + size])))
            if rule is not None:
                return rule
    lowered = text.lower()
    modules = set(item_modules(text))
    fits = [r for r in rules.rules if modules & set(r.modules)] if modules else list(rules.rules)
    if modules and len(fits) == 1:
        return fits[0]
    worded = [r for r in fits if any(w in lowered for w in r.words)]
    return worded[0] if len(worded) == 1 else None


# ---- which small files to read ----

def _settled_by_paths(rule: EvidenceRule, index: PathIndex) -> bool:
    """Tell whether no small file can change the rule's answer."""
    if rule.git or not rule.checkable or not rule.searches:
        return True
    return bool(rule.paths and index.any_of(rule.paths, 1, rule.exclude))


def wanted_files(rules: EvidenceRules, paths: Sequence[str], limit: int = 2) -> tuple[str, ...]:
    """Choose up to `limit` small files to read, the most informative first, from the file list alone.

    A file is worth the rules it could settle that the file list leaves open (weak rules count half);
    each next file is chosen for the rules the files before it do not cover, then by the order of the
    sources and their globs in the data, shallower paths first.
    """
    if limit <= 0:
        return ()
    index = index_of(paths, rules.ignore)
    order = {name: position for position, name in enumerate(rules.sources)}
    serves: dict[str, set[str]] = {}
    rank: dict[str, tuple[int, int, int, str]] = {}
    weight: dict[str, int] = {}
    for rule in rules.rules:
        if _settled_by_paths(rule, index):
            continue
        weight[rule.id] = WEIGHT[rule.weak]
        for search in rule.searches:
            for position, path in index.source_files(rules, search.source):
                serves.setdefault(path, set()).add(rule.id)
                key = (order[search.source], position, path.count("/"), path)
                rank[path] = min(rank.get(path, key), key)
    chosen: list[str] = []
    covered: set[str] = set()
    while serves and len(chosen) < limit:
        best = min(serves, key=partial(_value, serves=serves, covered=frozenset(covered), weight=weight, rank=rank))
        chosen.append(best)
        covered |= serves.pop(best)
    return tuple(chosen)


class Places(NamedTuple):
    """Where the files a source names can be known before the file list: exact paths (`requirements.txt`),
    and folders any of whose own files a glob may name (`.github/workflows` for `.github/workflows/*.y*ml`)."""

    paths: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()


def fixed_places(rules: EvidenceRules, per_source: int = PLACES_PER_SOURCE) -> Places:
    """Return the first `per_source` fixed places of each source's globs, in the data's order (its best first).

    A glob with a wildcard in its folder (`**/pyproject.toml`), or in its name at the top (`requirements*.txt`),
    or reaching into subfolders (`dir/**`) has no fixed place. The batched scan reads these places with the
    tree, so the files `wanted_files` chooses there cost no request of their own.
    """
    paths: dict[str, None] = {}
    folders: dict[str, None] = {}
    for globs in rules.sources.values():
        taken = 0
        for glob in globs:
            folder, _, name = glob.rpartition("/")
            if taken >= per_source or glob.startswith("!") or "**" in glob or _WILDCARDS.search(folder):
                continue
            if not _WILDCARDS.search(name):
                taken += glob not in paths
                paths[glob] = None
            elif folder:
                taken += folder not in folders
                folders[folder] = None
    return Places(tuple(paths), tuple(folders))


def _value(path: str, *, serves: Mapping[str, set[str]], covered: frozenset[str], weight: Mapping[str, int],
           rank: Mapping[str, tuple[int, int, int, str]]) -> tuple[int, int, tuple[int, int, int, str]]:
    """Order candidate files: most new rules served, then most rules served, then the data's own order."""
    return (-sum(weight[r] for r in serves[path] - covered), -sum(weight[r] for r in serves[path]), rank[path])


# ---- assessing the items ----

class Decision(NamedTuple):
    """What the repository shows of one rule: its status, the paths that show it (or may), and why files
    cannot tell when they cannot."""

    status: EvidenceStatus
    paths: tuple[str, ...] = ()
    reason: str = ""


def _text(data: bytes) -> str:
    return data[:SMALL_FILE_BYTES].decode("utf-8", errors="replace")


def decide(rules: EvidenceRules, rule: EvidenceRule, sample: RepoSample) -> Decision:
    """Decide one rule for one repository."""
    return _decide(rule, rules, index_of(sample.paths, rules.ignore), sample, {}, {})


def _decide(rule: EvidenceRule, rules: EvidenceRules, index: PathIndex, sample: RepoSample,
            texts: dict[str, str], names: dict[str, frozenset[str]]) -> Decision:
    """Decide one rule; `texts` and `names` keep each small file's text and package names across rules."""
    if not rule.checkable:
        return Decision("not-checkable", reason=rule.reason or "no file can show this")
    if rule.git:
        if sample.git:
            return Decision("found")
        return Decision("not-checkable", reason="the files were not read from a git repository")
    found = index.any_of(rule.paths, MAX_SHOWN, rule.exclude) if rule.paths else []
    if found:
        return Decision("found", tuple(found))
    unread: list[str] = []
    for search in rule.searches:
        for _, path in index.source_files(rules, search.source):
            if path in found:
                continue
            if path not in sample.contents:
                unread.append(path)
                continue
            if path not in texts:
                texts[path] = _text(sample.contents[path])
            if search.packages:
                if path not in names:
                    names[path] = package_names(texts[path])
                hit = not names[path].isdisjoint(search.packages)
            else:
                hit = _compiled(search.pattern).search(texts[path]) is not None
            if hit:
                found.append(path)
                break
    if found:
        return Decision("found", tuple(found[:MAX_SHOWN]))
    if unread:
        distinct = list(dict.fromkeys(unread))
        shown = ", ".join(f"`{p}`" for p in distinct[:2]) + (f" and {len(distinct) - 2} more" * (len(distinct) > 2))
        verb = "was" if len(distinct) == 1 else "were"
        return Decision("not-checkable", reason=f"{shown} may show it but {verb} not read")
    if rule.weak:
        return Decision("not-checkable", reason=rule.reason or "no file shows it, but it can be done without one")
    if rule.inconclusive:
        related = index.any_of(rule.inconclusive, 2, rule.exclude)
        if related:
            return Decision("not-checkable", tuple(related), rule.reason or "file names alone cannot tell")
    if sample.gap:
        return Decision("not-checkable", reason=f"no listed file shows it, but {sample.gap}")
    return Decision("none")


def items_of(checklist: Iterable[ChecklistGroup]) -> Iterator[ChecklistItem]:
    """Yield every checklist item in report order."""
    for group in checklist:
        yield from group.items


def assess(rules: EvidenceRules | None, checklist: Iterable[ChecklistGroup],
           sample: RepoSample | None) -> tuple[ChecklistItemResult, ...]:
    """Say for every checklist item what the repository shows of it; without a sample, only list the items."""
    results: list[ChecklistItemResult] = []
    index = index_of(sample.paths, rules.ignore) if sample is not None and rules is not None else None
    decided: dict[str, Decision] = {}
    texts: dict[str, str] = {}
    names: dict[str, frozenset[str]] = {}
    prints = by_fingerprint(rules) if rules is not None else {}
    for item in items_of(checklist):
        tags = item_modules(item.text)
        rule = match(rules, item.text, prints) if rules is not None else None
        module = tags[0] if tags else (rule.modules[0] if rule and rule.modules else None)
        if sample is None or index is None or rules is None:
            results.append(ChecklistItemResult(item.line, item.checked, module, rule.id if rule else None,
                                               rule.title if rule else "", None))
            continue
        if rule is None:
            results.append(ChecklistItemResult(item.line, item.checked, module, None, "", "not-checkable",
                                               reason="no evidence rule matches this item"))
            continue
        if rule.id not in decided:
            decided[rule.id] = _decide(rule, rules, index, sample, texts, names)
        outcome = decided[rule.id]
        results.append(ChecklistItemResult(item.line, item.checked, module, rule.id, rule.title, outcome.status,
                                           outcome.paths, rule.look_for, outcome.reason))
    return tuple(results)


def gather(rules: EvidenceRules, paths: Sequence[str], read: Callable[[str], bytes | None], *, git: bool,
           limit: int, gap: str = "") -> RepoSample:
    """Read the small files `wanted_files` chooses through `read` (None: could not) and return the sample."""
    contents: dict[str, bytes] = {}
    for path in wanted_files(rules, paths, limit):
        data = read(path)
        if data is not None:
            contents[path] = data
    return RepoSample(paths, contents, git, gap)
