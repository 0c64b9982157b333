"""Drafted titles read as a person would title the question, or are left to a person with a marker.

The prompts here are our own; the official templates are only read, at test time, where ../shared has them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.parse import parse
from checker.sets.extract import extract, untitled
from checker.sets.titles import DETERMINERS, MAX_CHARS, PICTURES, draft_title, gerund


@pytest.mark.parametrize(
    ("prompt", "title"),
    [
        # a picture request: what it shows, then the picture
        ("Upload two screenshots of your model registry.", "Model registry screenshots"),
        ("Include a diagram that shows the data flow between your services.", "Data flow diagram"),
        ("Show the deployment graph of your pipeline and say what runs where.", "Pipeline deployment graph"),
        ("Insert 1-2 images of your label studio project, so that we can see the labels.",
         "Label studio project images"),
        # how many
        ("How many services did you deploy?", "Number of services"),
        # a question to the group: a light verb gives way to its object, another becomes a gerund
        ("Did you use Docker for serving?", "Docker for serving"),
        ("Did you end up using any feature store not taught in the lectures?", "Feature store"),
        ("Did you manage to deploy your API?", "Deploying the API"),
        ("Did you debug your training loop?", "Debugging the training loop"),
        ("Did you run your experiments on a cluster?", "Running the experiments on a cluster"),
        ("Did your team write integration tests for the API?", "Writing integration tests for the API"),
        ("When a build broke at night, how did you find the cause? Did you add alerts?", "Finding the cause"),
        # an instruction
        ("Explain how you versioned your data.", "Versioning the data"),
        ("Please describe how you tuned the learning rate.", "Tuning the learning rate"),
        ("Discuss the overall risks of the project.", "Overall risks"),
        ("Describe your continuous deployment setup in a few sentences.", "Continuous deployment setup"),
        ("List every cloud service you paid for.", "Cloud service"),
        ("If not, explain how canary releases would help you.", "Canary releases"),
        # what is / which ... does
        ("What is the latency of your service?", "Latency of the service"),
        ("Which monitoring tools does your team rely on, and why?", "Monitoring tools"),
        ("Why this design?", "Design"),
        # the subject of a statement, when nothing is asked in a shape we know
        ("Data drift is a real risk. How would you notice it?", "Data drift"),
        # spelling kept: acronyms and product names
        ("Did you track your runs in W&B (or a similar tool)?", "Tracking the runs in W&B"),
    ],
)
def test_titles_are_the_phrase_the_prompt_asks_about(prompt: str, title: str) -> None:
    assert draft_title(prompt) == title


@pytest.mark.parametrize(
    "prompt",
    ["Why?", "If you started over, what would you do differently?", "Tell us about it.",
     "Did you do it?", "Explain how this helped."],
)
def test_no_title_is_drafted_where_the_prompt_names_nothing(prompt: str) -> None:
    assert draft_title(prompt) is None


def test_an_untitled_question_gets_a_marker_and_a_gap() -> None:
    text = "# A course\n\n## Part one\n\n### Question 1\n> **If you started over, what would you change?**\n>\n" \
           "> Answer length: 10-20 words.\n>\n> Answer:\n\n--- question 1 fill here ---\n"
    result = extract(text, "x")
    assert result.data["questions"][0]["title"] == untitled(1) == "TODO: title of question 1"
    assert [gap.describe("t.md") for gap in result.gaps] == [
        "t.md:5: question 1: no title could be drafted from the prompt: replace 'TODO: title of question 1' with one"
    ]


@pytest.mark.parametrize(
    ("verb", "form"),
    [("manage", "managing"), ("managed", "managing"), ("run", "running"), ("stopped", "stopping"),
     ("debug", "debugging"), ("deploy", "deploying"), ("applied", "applying"), ("see", "seeing"),
     ("train", "training"), ("write", "writing"), ("tie", "tying"), ("testing", "testing")],
)
def test_gerund(verb: str, form: str) -> None:
    assert gerund(verb) == form


def _normal(text: str) -> list[str]:
    """Lower-case words without determiners, so `the API` in a title matches `your API` in the prompt."""
    return [w for w in re.findall(r"[a-z0-9][\w&/.+'-]*[\w+]|[a-z0-9]", text.lower()) if w not in DETERMINERS
            and w != "the"]


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_official_templates_get_titles_that_are_phrases_of_their_prompts(shared: Path, year: int) -> None:
    """Each drafted title is a phrase the prompt says, in its order (a gerund, `Number of` or a picture word
    aside), not a bag of its words; and every question of the official templates gets one."""
    text = (shared / "templates" / f"dtu-mlops-{year}.md").read_text(encoding="utf-8")
    drafted = extract(text, "x")
    assert not [gap for gap in drafted.gaps if "title" in gap.reason]
    for question, parsed in zip(drafted.data["questions"], parse(text).questions, strict=True):
        if question.get("kind"):
            continue
        title = question["title"]
        assert len(title) <= MAX_CHARS and title[0].isupper(), title
        words = _normal(title)
        if words[0].endswith("ing") and words[0] not in _normal(parsed.prompt):
            words = words[1:]  # a gerund made from the verb of the question
        if words[:2] == ["number", "of"]:
            words = words[2:]
        prompt = f' {" ".join(_normal(parsed.prompt))} '
        # A picture request puts what it shows first; the prompt says it after the picture word.
        candidates = [[words]]
        if words[-1] in PICTURES:
            candidates += [[words[:k], words[k:]] for k in range(1, len(words))]
        assert any(all(f" {' '.join(part)} " in prompt for part in parts) for parts in candidates), (
            question["number"], title)


def test_a_title_too_long_is_left_to_a_person() -> None:
    long_name = "Supercalifragilisticexpialidocious " * 3
    assert draft_title(f"Did you deploy {long_name}?") is None  # over 60 characters: left to a person
    assert draft_title("Did you deploy Supercalifragilisticexpialidocious?") == (
        "Deploying Supercalifragilisticexpialidocious")
