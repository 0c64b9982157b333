"""Reading the course's group file and plain lists of repositories."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.errors import CheckerError
from checker.scan.groups import parse_repo, parse_targets, read_targets

HEADER = "group nb,student 1,student 2,student 3,student 4,student 5,github_repo\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://github.com/dtu-team/mlops_project", "dtu-team/mlops_project"),
        ("https://github.com/dtu-team/mlops_project.git", "dtu-team/mlops_project"),
        ("https://github.com/dtu-team/mlops.project/", "dtu-team/mlops.project"),
        ("git@github.com:dtu-team/proj.git", "dtu-team/proj"),
        ("dtu-team/proj", "dtu-team/proj"),
        ("  owner/name  ", "owner/name"),
        ("https://github.com/only-owner", None),
        ("not a repo", None),
        ("", None),
    ],
)
def test_repository_forms(text: str, expected: str | None) -> None:
    assert parse_repo(text) == expected


def test_group_file_rows_and_students() -> None:
    text = (
        HEADER
        + "1,s200001@student.dtu.dk,S200002,,,,https://github.com/a/one\n"
        + "2,s200003,,,,,https://github.com/b/two.git\n"
    )
    targets, problems = parse_targets(text, "groups.csv")
    assert problems == []
    assert [(t.group, t.repo, t.students, t.line) for t in targets] == [
        (1, "a/one", ("s200001", "s200002"), 2),
        (2, "b/two", ("s200003",), 3),
    ]


def test_student_ids_are_read_with_the_question_sets_pattern() -> None:
    """Another course's ids (here `ab1234`) are read with its set's pattern, as the student-id rule reads them."""
    text = HEADER + "1,ab1234@uni.example,s200001,,,,https://github.com/a/one\n"
    targets, problems = parse_targets(text, "groups.csv", re.compile(r"^[a-z]{2}\d{4}$"))
    assert targets[0].students == ("ab1234",)
    assert [str(p) for p in problems] == ["groups.csv:2: group 1: 's200001' is not a student id; ignored"]
    assert parse_targets(text, "groups.csv")[0][0].students == ("s200001",)


def test_malformed_rows_are_reported_with_their_line_and_skipped() -> None:
    text = (
        HEADER
        + "1,s200001,,,,,https://github.com/a/one\n"
        + "x,s200002,,,,,https://github.com/a/two\n"
        + "3,s200003,,,,,not a url\n"
        + "\n"
        + "4,s20000,,,,,https://github.com/a/four\n"
        + "5,s200005,,,,,https://github.com/a/one\n"
        + "1,s200006,,,,,https://github.com/a/six\n"
    )
    targets, problems = parse_targets(text, "groups.csv")
    assert [t.group for t in targets] == [1, 4]
    assert targets[1].students == ()
    assert [str(p) for p in problems] == [
        "groups.csv:3: group number 'x' is not a number; skipped",
        "groups.csv:4: group 3: no repository ('not a url'); skipped",
        "groups.csv:6: group 4: 's20000' is not a student id; ignored",
        "groups.csv:7: a/one is already listed on line 2; skipped",
        "groups.csv:8: group 1 is already on line 2; skipped",
    ]


def test_plain_list_with_comments_and_duplicates() -> None:
    text = "# spring groups\nhttps://github.com/a/one\n\nb/two  # late\nA/ONE\nnonsense here\n"
    targets, problems = parse_targets(text, "repos.txt")
    assert [(t.repo, t.group, t.line) for t in targets] == [("a/one", None, 2), ("b/two", None, 4)]
    assert [str(p) for p in problems] == [
        "repos.txt:5: A/ONE is already listed on line 2; skipped",
        "repos.txt:6: not a repository ('nonsense here'); skipped",
    ]


def test_header_without_repository_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text("group nb,student 1,repo\n1,s200001,a/b\n", encoding="utf-8")
    with pytest.raises(CheckerError, match=r"groups.csv:1: the header has no column github_repo"):
        read_targets(path)


def test_unreadable_file_is_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(CheckerError, match="cannot read the list of repositories"):
        read_targets(tmp_path / "absent.csv")
    binary = tmp_path / "groups.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CheckerError, match="not UTF-8"):
        read_targets(binary)
