"""Read the paths given to `reportcheck similar` into entries: one per report, its answers by topic.

A path is a report file, a repository (its report where `check` finds it), a folder of repositories (or of
folders each holding a report), or a scan's output folder: `results.jsonl` names each group's repository and
commit, and the scan's cache (`cache/<owner>/<name>/<commit>.json`, `checker.scan.store.Cache`) holds the report
it checked. A report follows the question set `check` would pick (`checker.questions.detect`), or the one the
scan checked it against. An unreadable report is a problem (one line), never the end of the run.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

from checker.errors import CheckerError
from checker.files import SKIP_DIRS, find_report
from checker.questions import QuestionSet, by_id, detect, shipped
from checker.records import NamedTuple
from checker.similar.model import Answer, Entry
from checker.similar.topics import topics_of
from checker.template_words import template_words

if TYPE_CHECKING:
    from checker.scan.row import ScanRow

RESULTS = "results.jsonl"
CACHE = "cache"
_NUMBER = re.compile(r"\d+")


class Found(NamedTuple):
    """A report to read: the name it is shown by, its repository, and where its bytes are."""

    report: str
    repo: str
    file: Path
    commit: str = ""  # set: `file` is the scan's cache folder, and the report is this commit's there
    group: int | None = None
    set_id: str = ""
    data: bytes | None = None  # the report itself, where the caller read it already (a scan of local clones)


def scan_found(folder: Path, rows: Iterable[ScanRow]) -> list[Found]:
    """Return the reports of a scan's rows, each in the scan's cache under `folder` at the row's commit."""
    found = []
    for row in rows:
        if not row.commit or row.report is None:
            continue  # not read, or not checked: no report to compare
        found.append(Found(f"{row.repo}@{row.commit[:12]}", row.repo, folder / CACHE, row.commit, row.group,
                           row.report.set_id))
    return found


def _scan(folder: Path) -> list[Found]:
    """Return the reports a scan's output folder keeps: each checked row's, from the cache."""
    from checker.scan.store import ResultsFile

    return scan_found(folder, ResultsFile(folder / RESULTS).load(missing_ok=False).values())


def _folder(folder: Path) -> list[Found]:
    """Return the report of a repository folder, or else the report of each folder in it."""
    if (folder / "reports" / "README.md").is_file():
        return [Found(str(folder / "reports" / "README.md"), folder.name, folder / "reports" / "README.md")]
    found = []
    for child in sorted(folder.iterdir()):
        if child.is_dir() and child.name not in SKIP_DIRS and not child.name.startswith("."):
            report = find_report(child)
            if report is not None:
                found.append(Found(str(report), child.name, report))
    if not found:
        report = find_report(folder)
        if report is not None:
            found.append(Found(str(report), folder.name, report))
    return found


def locate(path: Path) -> list[Found]:
    """Return the reports under one path given on the command line, or raise saying there are none."""
    if path.is_file():
        return [Found(str(path), path.parent.name if path.parent.name.lower() not in ("reports", "report")
                      else path.parent.parent.name or path.stem, path)]
    if not path.is_dir():
        raise CheckerError(f"{path}: no such file or folder")
    found = _scan(path) if (path / RESULTS).is_file() else _folder(path)
    if not found:
        raise CheckerError(f"{path}: no reports found (a report file, a repository, a folder of them, or a scan's "
                           "output folder)")
    return found


def _bytes(found: Found) -> bytes:
    """Return a report's bytes, from its file or from the scan's cache."""
    if found.data is not None:
        return found.data
    if not found.commit:
        from checker.source import read_file

        return read_file(found.file)
    from checker.scan.store import Cache

    files = Cache(found.file).get(found.repo, found.commit)
    if files is None or files.report is None:
        raise CheckerError(f"{found.report}: the scan's cache holds no report for this commit")
    return files.report


def _group(parsed_answers: dict[int, str], question_set: QuestionSet) -> int | None:
    """Return the group number the report gives, if its answer to the group-number question has one."""
    for question in question_set.questions:
        if question.kind == "group-number":
            match = _NUMBER.search(parsed_answers.get(question.number, ""))
            return int(match.group()) if match else None
    return None


def read(found: Found, prior: bool, sets: tuple[QuestionSet, ...] | None = None) -> Entry | CheckerError:
    """Read one report into an entry (its set one of `sets`, default the shipped ones); a report that cannot be
    read is returned as the error, not raised."""
    from checker.parse import parse
    from checker.source import decode_report

    try:
        text = decode_report(_bytes(found), found.report).text
        report = parse(text)
        sets = shipped() if sets is None else sets
        question_set = by_id(found.set_id, sets) if found.set_id in {s.id for s in sets} else \
            detect(report, sets).question_set
    except CheckerError as exc:
        return exc
    topics = topics_of(sets)
    numbered = {question.number: question for question in question_set.questions}
    texts: dict[int, str] = {}
    answers = []
    for parsed in report.questions:
        if parsed.number in texts:
            continue  # a question written twice: its first copy, as `check` reads it
        texts[parsed.number] = parsed.answer.text
        topic = topics.get((question_set.id, parsed.number))
        if topic is not None and not parsed.answer.empty:
            question = numbered[parsed.number]
            own = array("Q", sorted(set(template_words(question).own_values(parsed.answer.text))))
            answers.append(Answer(topic, parsed.number, parsed.answer.text_line or parsed.answer.start_line,
                                  parsed.answer.text, own.tobytes()))
    group = found.group if found.group is not None else _group(texts, question_set)
    return Entry(found.report, found.repo, group, prior, question_set.id, tuple(answers))


def _read_all(found: list[Found], prior: bool, jobs: int,
              sets: tuple[QuestionSet, ...] | None) -> Iterator[Entry | CheckerError]:
    """Read every report, in worker processes when asked and worth it."""
    if jobs <= 1 or len(found) < 64:
        yield from (read(one, prior, sets) for one in found)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(64, len(found) // (jobs * 4)))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(read, found, repeat(prior), repeat(sets), chunksize=chunk)


def gather(paths: Sequence[Path], *, prior: bool = False, jobs: int = 1,
           sets: tuple[QuestionSet, ...] | None = None) -> tuple[list[Entry], list[str]]:
    """Return the entries of every report under the paths, and one line per report that could not be read.

    Raises CheckerError when a path holds no reports at all.
    """
    return read_found([one for path in paths for one in locate(path)], prior=prior, jobs=jobs, sets=sets)


def read_found(found: list[Found], *, prior: bool = False, jobs: int = 1,
               sets: tuple[QuestionSet, ...] | None = None) -> tuple[list[Entry], list[str]]:
    """Return the entries of these reports, and one line per report that could not be read."""
    entries: list[Entry] = []
    problems: list[str] = []
    for outcome in _read_all(found, prior, jobs, sets):
        if isinstance(outcome, CheckerError):
            problems.append(str(outcome))
        else:
            entries.append(outcome)
    return entries, problems
