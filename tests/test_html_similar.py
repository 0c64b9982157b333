"""The page of similar answers: escaped student text, marked passages, the page's safety rules, the leads note."""

from __future__ import annotations

import html
import re

from checker.html.redact import Redactor
from checker.html.similar import render_pairs
from checker.similar.model import Pair, Shared, Side

HOSTILE = 'We built <script>alert(1)</script> and <img src="https://evil.example/x.png"> s123456 wrote it all.'


def _pair() -> Pair:
    start = HOSTILE.index("<script>")
    end = HOSTILE.index("and <img")
    other = "Intro words first. " + HOSTILE[start:end]
    a = Side("a/reports/README.md", "owner/one", 3, 7, 20, False, HOSTILE)
    b = Side("b/reports/README.md", "owner/two", 4, 5, 18, True, other)
    return Pair(7, 0.81, a, b, (Shared(20, 18, 4, (start, end), (len("Intro words first. "), len(other))),))


def test_student_text_is_escaped_and_the_page_loads_nothing() -> None:
    page = render_pairs([_pair()])
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page
    policy = html.unescape(re.search(r'Content-Security-Policy" content="([^"]*)"', page).group(1))  # type: ignore[union-attr]
    assert "default-src 'none'" in policy and "script-src 'none'" in policy
    assert not re.search(r'(?:src|href)="https?:', page)


def test_shared_passages_are_marked_on_both_sides() -> None:
    page = render_pairs([_pair()])
    marks = re.findall(r"<mark>(.*?)</mark>", page)
    assert marks == ["&lt;script&gt;alert(1)&lt;/script&gt; "] * 2
    assert 'id="pair-1"' in page and "group 4 owner/two (prior year)" in page


def test_the_page_says_these_are_leads_not_findings() -> None:
    assert "leads for a person to read, not findings" in render_pairs([])
    assert "No similar answers." in render_pairs([])


def test_study_numbers_are_masked_when_asked() -> None:
    page = render_pairs([_pair()], redact=Redactor.of())
    assert "s123456" not in page and "s\u2022\u2022\u2022\u2022\u2022" in page
    assert "s123456" in render_pairs([_pair()])
