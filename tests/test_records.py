"""checker.records.NamedTuple behaves as typing.NamedTuple does for the record classes the package defines."""

from __future__ import annotations

import pickle
import typing

import pytest

from checker.model import Finding
from checker.records import NamedTuple


class Span(NamedTuple):
    """A stretch of lines."""

    first: int
    last: int = 0
    label: str = "none"

    @property
    def size(self) -> int:
        """Return how many lines the span holds."""
        return self.last - self.first + 1

    def shifted(self, by: int) -> Span:
        """Return the span moved down by `by` lines."""
        return self._replace(first=self.first + by, last=self.last + by)


class TypingSpan(typing.NamedTuple):
    first: int
    last: int = 0
    label: str = "none"


def test_fields_defaults_and_methods_as_typing_gives_them() -> None:
    span = Span(3, 5)
    assert span == (3, 5, "none") and span.size == 3 and span.shifted(2) == Span(5, 7)
    assert Span._fields == TypingSpan._fields
    assert Span._field_defaults == TypingSpan._field_defaults
    assert repr(Span(1)) == "Span(first=1, last=0, label='none')"
    assert Span.__doc__ == "A stretch of lines."
    assert Span.__module__ == __name__ and Span.__annotations__ == {"first": "int", "last": "int", "label": "str"}
    assert span._asdict() == {"first": 3, "last": 5, "label": "none"}


def test_records_pickle_by_reference() -> None:
    finding = Finding(7, 2, "word-count", "error", "40 words, needs 100-200", "Write more.")
    assert pickle.loads(pickle.dumps(finding)) == finding
    assert type(pickle.loads(pickle.dumps(Span(1, 2)))) is Span


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default follows"):
        class Broken(NamedTuple):
            first: int = 0
            second: int


def test_a_body_cannot_replace_what_namedtuple_defines() -> None:
    with pytest.raises(AttributeError, match="_replace"):
        class Broken(NamedTuple):
            first: int

            def _replace(self) -> None:  # type: ignore[override]
                pass
