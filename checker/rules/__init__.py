"""The rule registry: every rule id, its severity, and what it tells a student. Ids are stable; never reuse one.

Rules yield `Problem`s; the engine, not the rule, attaches severity and the question number.
"""

from __future__ import annotations

from types import MappingProxyType

from checker.model import Severity
from checker.records import NamedTuple


class Rule(NamedTuple):
    """A rule's fixed facts: id, severity, and one sentence each on what it checks and how to fix it."""

    id: str
    severity: Severity
    summary: str
    fix: str


class Problem(NamedTuple):
    """A rule's raw observation, before the engine makes it a Finding.

    A report-level rule names the question it concerns in `question`; a per-question rule leaves it to the engine.
    """

    rule: str
    line: int
    message: str
    hint: str = ""
    question: int | None = None


def _rules(*rules: Rule) -> MappingProxyType[str, Rule]:
    return MappingProxyType({rule.id: rule for rule in rules})


RULES = _rules(
    Rule("unanswered", "error", "The question still has its placeholder, or nothing is written.",
         "Replace the placeholder line with your answer."),
    Rule("word-count", "error", "The answer's word count is outside the question's range.",
         "Lengthen or shorten the answer to fit the range."),
    Rule("image-count", "error", "The answer has fewer or more images than the question asks for.",
         "Add or remove `![caption](figures/file.png)` images to fit the range."),
    Rule("image-missing", "error", "A linked figure is not a file of the repository.",
         "Commit the file, or fix the link: it is relative to the report and case-sensitive."),
    Rule("image-format", "warning", "A figure is not .png, .jpg or .jpeg, the formats the course asks for.",
         "Convert the figure to PNG or JPEG."),
    Rule("image-as-link", "warning", "An image file is linked as `[text](file)`, which shows a link, not an image.",
         "Put a `!` in front: `![text](file)`."),
    Rule("image-html", "warning", "An `<img>` tag renders, but the course checker does not count it.",
         "Use markdown image syntax `![caption](figures/file.png)`."),
    Rule("image-syntax", "warning", "Image markdown that does not render (a space in the path, or unclosed).",
         "Write the path as `<figures/my file.png>` or with `%20`, and close the brackets."),
    Rule("missing-question", "error", "A question of the template is not in the report.",
         "Restore the `### Question N` heading, its prompt and your answer."),
    Rule("duplicate-question", "error", "The same question number appears more than once.",
         "Keep one copy of the question and merge the answers."),
    Rule("unknown-question", "warning", "A question number the template does not have.",
         "Remove the extra question or renumber it."),
    Rule("group-number", "error", "The group-number answer is not a single number.",
         "Write just your group number, e.g. `42`."),
    Rule("student-id", "error", "A student id does not have the expected form, or none is given.",
         "List every member's id, e.g. `s123456, s234567`."),
    Rule("group-number-mismatch", "error", "The group number differs from the course's group list (scan only).",
         "Answer with the group number the course registered for this repository."),
    Rule("student-ids-mismatch", "error", "A registered member's student id is missing (scan only).",
         "List every registered member's student id."),
    Rule("student-ids-unregistered", "warning", "A listed student id is not registered for this group (scan only).",
         "Check the id for a typo, or ask the teachers to update the group list."),
    Rule("contribution-ids", "warning", "The contribution statement names no student id from the student-id answer.",
         "Say what each member did, naming them by student id."),
    Rule("placeholder-left", "warning", "The placeholder is still there next to the answer.",
         "Delete the `--- question N fill here ---` line."),
    Rule("leftover-marker", "warning", "The answer is still wrapped in the template's `---` markers.",
         "Delete the `---` around your answer."),
    Rule("template-modified", "warning", "The question's own sentence or its heading differs from the template.",
         "Restore the template's heading and question; change only the answers."),
    Rule("template-mismatch", "error", "The report follows another question set than the one asked for.",
         "Copy your answers into this year's template."),
    Rule("report-location", "warning", "The report is not at `reports/README.md`, the only path the teachers read.",
         "Move the report to `reports/README.md`."),
    Rule("official-divergence", "warning", "The course's own checker will judge this answer differently.",
         "Adjust the answer so both agree; the hint names the cause."),
    Rule("official-crash", "warning", "The course's own checker will stop with an error on this report.",
         "Restore the template's structure: one `Answer:` per question, no deleted headings."),
    Rule("checklist-unbacked", "warning", "A checklist item is ticked, but the repository shows no trace of it.",
         "Commit what shows it, or untick the item: the teachers compare the ticks with the repository."),
    Rule("answer-todo", "warning", "The answer holds a note to finish it later (TODO, TBD, lorem ipsum, NaN).",
         "Finish the answer and delete the note."),
    Rule("answer-gibberish", "warning", "Part of the answer reads like keyboard mash, not like words.",
         "Replace the keyboard mash with the answer."),
    Rule("answer-duplicate", "warning", "The same answer is pasted under two questions.",
         "Answer each question itself."),
    Rule("answer-example", "warning", "The answer is the template's example answer with its blanks filled in.",
         "Answer in your own words: say what your group did and why."),
)
