"""`NamedTuple` with typing's class syntax, defined at the cost of a plain `collections.namedtuple`.

typing.NamedTuple checks every field's annotation when the class is made; under `from __future__ import
annotations` each is a string, which it compiles into a ForwardRef. For the 46 record classes a `check` defines,
that is about 6 ms of a 90 ms cold start, for a check nothing reads at run time. Type checkers see typing's own.
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    # What typing.NamedTupleMeta refuses to let a class body replace, and what namedtuple sets itself.
    _PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
                             "_make", "_replace", "_asdict", "_source"})
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})

    class _NamedTupleMeta(type):
        """Build the class as typing.NamedTupleMeta does, without evaluating the annotations."""

        def __new__(cls, typename: str, bases: tuple[type, ...], ns: dict[str, Any]) -> type:
            annotations = ns.get("__annotations__", {})
            fields = list(annotations)
            defaults = [ns[name] for name in fields if name in ns]
            if any(name not in ns for name in fields[len(fields) - len(defaults):]):
                raise TypeError(f"{typename}: a field without a default follows one with a default")
            record = collections.namedtuple(typename, fields, defaults=defaults, module=ns["__module__"])
            record.__annotations__ = record.__new__.__annotations__ = dict(annotations)
            for key, value in ns.items():
                if key in _PROHIBITED:
                    raise AttributeError(f"cannot overwrite NamedTuple attribute {key}")
                if key not in _SPECIAL and key not in record._fields:
                    setattr(record, key, value)
            return record

    NamedTuple = type.__new__(_NamedTupleMeta, "NamedTuple", (), {})
