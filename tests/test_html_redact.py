"""The redactor: which ids it finds, what it leaves, and that a page stays whole (its CSP, its pictures)."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from checker import check_text
from checker.formats.json import result_dict
from checker.html.dashboard import id_redactor, page_names
from checker.html.figures import placeholder
from checker.html.page import document
from checker.html.redact import DEFAULT_PATTERN, Redactor, searchable
from checker.scan.row import ScanRow
from tests.html_reports import COURSE, png, report

BULLETS = "\u2022" * 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("s123456", f"s{BULLETS}"),
        ("ids: s123456, S654321;s111111", f"ids: s{BULLETS}, S{BULLETS};s{BULLETS}"),
        ("s123456@student.dtu.dk wrote figures/s123456_loss.png", f"s{BULLETS}@student.dtu.dk wrote figures/"
                                                                  f"s{BULLETS}_loss.png"),
        ("github.com/s123456/mlops", f"github.com/s{BULLETS}/mlops"),
        ("s1234567 is not one, but it hides one", f"s{BULLETS}7 is not one, but it hides one"),
        ("s12345, sha256 and 123456 are none", "s12345, sha256 and 123456 are none"),
    ],
)
def test_default_pattern_masks_study_numbers(text: str, expected: str) -> None:
    assert Redactor.of().text(text) == expected


def test_the_question_sets_pattern_is_used_where_known() -> None:
    other = Redactor.of([r"^ab\d{5}$"])
    assert other.text("ab12345 and s123456") == f"ab{BULLETS} and s123456"
    assert Redactor.of([r"\A[a-z]{4}\Z"]).text("abcd 12") == f"{BULLETS} 12"  # all letters: all masked
    assert searchable(r"^s\d{6}$") == r"(?:s\d{6})"
    assert Redactor.of([r"^s\d{6}$", r"^ab\d{5}$"]).text("s123456 ab12345") == f"s{BULLETS} ab{BULLETS}"


def _row(repo: str, set_id: str | None) -> ScanRow:
    if set_id is None:
        return ScanRow.from_json({"repo": repo, "status": "not-found", "result": None})
    result = result_dict(check_text(report(), question_set=COURSE))
    result["template"]["id"] = set_id
    return ScanRow.from_json({"repo": repo, "status": "ok", "commit": "0" * 40, "result": result})


def test_id_redactor_takes_the_patterns_of_the_rows_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    other = COURSE._replace(id="other-course", student_id_pattern=r"^ab\d{5}$")
    monkeypatch.setattr("checker.html.dashboard.shipped", lambda: (COURSE, other))
    assert id_redactor([_row("team/a", "other-course")]).search.pattern == searchable(r"^ab\d{5}$")
    both = id_redactor([_row("team/a", "other-course"), _row("team/b", "not-shipped")])
    assert both.text("ab12345 s123456") == f"ab{BULLETS} s{BULLETS}"  # a set not known: s and six digits
    assert id_redactor([_row("team/a", "other-course")], [r"^cd\d{4}$"]).text("cd1234 ab12345") == (
        f"cd{BULLETS} ab12345")  # the pattern the scan was given wins
    assert id_redactor([_row("team/b", None)]).search.pattern == searchable(DEFAULT_PATTERN)
    assert id_redactor([]).search.pattern == searchable(DEFAULT_PATTERN)


def test_svg_data_uris_are_redacted_and_pictures_left_alone() -> None:
    svg = placeholder("figure not found in the repository", "figures/s123456.png").uri
    # A raster image whose base64 happens to read like an id: it is a picture, not text, and must stay whole.
    picture = "data:image/png;base64," + base64.b64encode(png()).decode() + "s123456AA=="
    page = f'<img src="{svg}"><img src="{picture}"><p>data:image/png;base64,s123456</p>'
    redacted = Redactor.of()(page)
    uris = re.findall(r'src="([^"]+)"', redacted)
    assert uris[1] == picture
    shown = base64.b64decode(uris[0].split(",", 1)[1]).decode()
    assert f"figures/s{BULLETS}.png" in shown and "figure not found in the repository" in shown
    assert redacted.endswith(f"<p>data:image/png;base64,s{BULLETS}</p>")


def test_document_redacts_before_it_hashes_the_script() -> None:
    page = document("Group s123456", "<p title=\"s123456\">s123456</p>", css="p{}",
                    script="var owner = 's123456';", redact=Redactor.of())
    assert not re.search(r"s\d{6}", page)
    script = re.search(r"<script>(.*?)</script>", page, re.DOTALL)
    assert script is not None and script.group(1) == f"var owner = 's{BULLETS}';"
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"sha256-{digest}" in page
    assert f"<title>Group s{BULLETS}</title>" in page


def test_page_names_mask_ids_and_never_collide() -> None:
    rows = [ScanRow("s123456/mlops", 1), ScanRow("s654321/mlops", 2), ScanRow("team/s111111", 3),
            ScanRow("team/plain", 4)]
    assert page_names(rows, Redactor.of()) == {"s123456/mlops": "sxxxxx__mlops", "s654321/mlops": "sxxxxx__mlops-2",
                                               "team/s111111": "team__sxxxxx", "team/plain": "team__plain"}
    assert page_names(rows) == {row.repo: row.slug for row in rows}
