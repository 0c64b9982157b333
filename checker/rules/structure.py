"""Rules on the report as a whole: `missing-question`, `duplicate-question`, `unknown-question`,
`template-modified`, `template-mismatch`, `report-location`, `official-crash`.

A question the set asks for must appear once, under its own heading and with the template's prompt; the report
must follow the set it is checked against, stand where the teachers read it, and keep the structure the course's
own checker needs to read it at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.fingerprint import similarity
from checker.parse import ParsedQuestion
from checker.prompts import changes, describe, own_words, quote, same_question
from checker.questions import Question
from checker.rules import Problem
from checker.rules.context import ReportContext

# A forced set is "clearly" not the one followed when another set matches this many more prompts.
MISMATCH_MARGIN = 3
# A changed question is quoted by its first words.
QUOTE_WORDS = 8


def check(ctx: ReportContext) -> Iterator[Problem]:
    """Yield the report-level problems; each names its question where it concerns one."""
    yield from _questions(ctx)
    yield from _template(ctx)
    if ctx.path != ctx.question_set.report_path:
        where = ctx.question_set.report_path
        yield Problem("report-location", 1, f"the report is not at `{where}`",
                      f"Move it to `{where}`: the teachers' scraper reads only that path.")
    if ctx.official is not None and ctx.official.crash:
        yield Problem("official-crash", 1, f"the course checker will stop on this report: {ctx.official.crash}",
                      _crash_hint(ctx))


def _questions(ctx: ReportContext) -> Iterator[Problem]:
    """Yield missing, repeated and unknown questions."""
    known = {q.number for q in ctx.question_set.questions}
    for question in ctx.question_set.questions:
        copies = ctx.by_number.get(question.number, [])
        if not copies:
            yield Problem("missing-question", _insertion_line(ctx, question.number),
                          f"Question {question.number} ({question.title}) is not in the report",
                          f"Restore `### Question {question.number}` with its prompt and your answer.",
                          question=question.number)
        for extra in copies[1:]:
            yield Problem("duplicate-question", extra.line,
                          f"Question {question.number} appears again (first at line {copies[0].line})",
                          "Keep one copy; only the first is checked.", question=question.number)
    for number, copies in sorted(ctx.by_number.items()):
        if number not in known:
            yield Problem("unknown-question", copies[0].line, f"Question {number} is not part of {ctx.question_set.id}",
                          "Remove it or give it the right number.")


def _template(ctx: ReportContext) -> Iterator[Problem]:
    """Yield renamed headings, changed prompts, and a forced set the report clearly does not follow."""
    for question in ctx.question_set.questions:
        copies = ctx.by_number.get(question.number)
        if not copies:
            continue
        parsed = copies[0]
        if " ".join(parsed.heading.split()).lower() != f"question {question.number}":
            yield Problem("template-modified", parsed.line, f"the heading reads `### {parsed.heading}`",
                          f"Restore the heading `### Question {question.number}`.", question=question.number)
        else:
            yield from _wording(parsed, question)
    followed = ctx.followed
    if followed is not None and followed.question_set.id != ctx.question_set.id:
        margin = max(MISMATCH_MARGIN, len(ctx.question_set.questions) // 10)
        if followed.matched >= ctx.matched + margin:
            yield Problem("template-mismatch", 1,
                          f"the report follows {followed.question_set.id} ({followed.matched} prompts match), "
                          f"not {ctx.question_set.id} ({ctx.matched} match)",
                          f"Copy your answers into the {ctx.question_set.id} template.")


def _wording(parsed: ParsedQuestion, question: Question) -> Iterator[Problem]:
    """Yield a changed question sentence, quoting the report's words that differ from the closest known wording.

    Only the question's own sentence counts: guidance under it (answer length, example) may go or change.
    """
    wordings = question.wordings
    if not wordings or parsed.fingerprint in {w.fingerprint for w in wordings}:
        return
    hint = "Restore the question's sentence as the template has it; change only the answer."
    words = own_words(parsed)
    mine = [word.hash for word in words]
    if not mine:
        yield Problem("template-modified", parsed.prompt_line or parsed.line, "the question's sentence is deleted",
                      "Restore the question's sentence above your answer, as the template has it.",
                      question=question.number)
        return
    learned = [w for w in wordings if w.word_hashes]
    if not learned:  # a set that knows fingerprints only: no words to quote
        yield Problem("template-modified", parsed.prompt_line, "the question's words differ from the template",
                      hint, question=question.number)
        return
    close = [w for w in learned if same_question(mine, w.word_hashes)]
    if not close:
        more = "\u2026" if len(words) > QUOTE_WORDS else ""
        yield Problem("template-modified", words[0].line,
                      f"the question is not the template's: it reads `{quote(words[:QUOTE_WORDS])}{more}`", hint,
                      question=question.number)
        return
    closest = max(close, key=lambda w: similarity(mine, w.word_hashes))
    found = changes(words, closest.word_hashes)
    if not found:  # two words with the same short hash: they differ, but not where the hashes can tell
        yield Problem("template-modified", words[0].line, "the question's words differ from the template", hint,
                      question=question.number)
        return
    yield Problem("template-modified", found[0].line, f"the question's words differ from the template: "
                  f"{describe(found)}", hint, question=question.number)


def _insertion_line(ctx: ReportContext, number: int) -> int:
    """Return the line of the nearest question before `number`, where the missing one belongs."""
    before = [q.line for q in ctx.report.questions if q.number < number]
    return max(before) if before else 1


def _crash_hint(ctx: ReportContext) -> str:
    """Guess what breaks the course checker's count of answers."""
    for parsed in ctx.report.questions:
        if not parsed.answer.has_marker:
            return f"Question {parsed.number} (line {parsed.line}) has no `Answer:` line; restore it."
    duplicates = [n for n, copies in ctx.by_number.items() if len(copies) > 1]
    if duplicates:
        return f"Question {duplicates[0]} appears twice; keep one copy."
    return ("Keep exactly one `Answer:` per question and every `### Question N` heading; "
            "`Answer:` or `###` inside an answer also confuses it.")
