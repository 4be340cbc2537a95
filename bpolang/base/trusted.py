"""Models made from values already checked, without pydantic's validation.

The builder converts every value itself, with the language's own diagnostics, before it makes a
model: validating the result again found nothing, and building the validators of a hundred model
classes was the largest part of the start-up of a check.  The classes now `defer_build`: a
validator is built when first used (`model_validate`, `bpo import`), never by a check.
:func:`assemble` makes the instance as pydantic's validation would have made it from those
values: the fields in their order, each default as pydantic gives it (a factory called, a mutable
default copied), the same fields set, the private attributes at their defaults, lists and dicts
copied.

Only code that made the values exactly as the model types them may use it (the builder, the
value reader, the phrasal forms and the spans of diagnostics); everything else constructs models
the usual way, validated.  ``tests/test_trusted.py`` builds every example and fixture both ways
and requires the same models, types included.  :func:`validating` makes :func:`assemble`
validate, for that comparison.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Any, Self, TypeVar, cast

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_REQUIRED, _SHARED, _FACTORY, _COPY = range(4)
# defaults shared as they are (pydantic copies others, a tuple included: it may hold a mutable value)
_IMMUTABLE = (type(None), bool, int, float, str, bytes, frozenset, Enum)


class _Plan:
    __slots__ = ("fields", "names", "private")

    def __init__(self, cls: type[BaseModel]) -> None:
        fields: list[tuple[str, int, Any]] = []
        for name, info in cls.__pydantic_fields__.items():
            if info.default_factory is not None:
                fields.append((name, _FACTORY, info.default_factory))
            elif info.is_required():
                fields.append((name, _REQUIRED, None))
            else:
                shared = isinstance(info.default, _IMMUTABLE)
                fields.append((name, _SHARED if shared else _COPY, info.default))
        self.fields = tuple(fields)
        self.names = frozenset(n for n, _, _ in fields)
        private: list[tuple[str, Any, Any]] = []
        for name, attr in cls.__private_attributes__.items():
            default = attr.default
            if attr.default_factory is None and not isinstance(default, _IMMUTABLE):  # pragma: no cover
                raise TypeError(f"{cls.__name__}.{name}: a private attribute with a mutable default")
            private.append((name, attr.default_factory, default))
        self.private = tuple(private) if private else None


_plans: dict[type, _Plan] = {}
_local = threading.local()


def assemble(cls: type[M], values: dict[str, Any]) -> M:
    """An instance of `cls` holding `values`, which are already of the model's types."""
    if getattr(_local, "validating", False):
        return cls(**values)
    plan = _plans.get(cls)
    if plan is None:
        plan = _plans[cls] = _Plan(cls)
    if not plan.names.issuperset(values):
        raise TypeError(f"{cls.__name__} has no field {sorted(set(values) - plan.names)[0]!r}")
    data: dict[str, Any] = {}
    for name, how, arg in plan.fields:
        if name in values:
            value = values[name]
            kind = type(value)
            data[name] = value[:] if kind is list else dict(value) if kind is dict else value
        elif how == _SHARED:
            data[name] = arg
        elif how == _FACTORY:
            data[name] = arg()
        elif how == _COPY:
            data[name] = copy.deepcopy(arg)
        else:
            raise TypeError(f"{cls.__name__} needs {name!r}")
    obj = cls.__new__(cls)
    setter = object.__setattr__
    setter(obj, "__dict__", data)
    setter(obj, "__pydantic_fields_set__", set(values))
    setter(obj, "__pydantic_extra__", None)
    private = plan.private
    if private is not None:
        setter(obj, "__pydantic_private__", {n: f() if f is not None else d for n, f, d in private})
    else:
        setter(obj, "__pydantic_private__", None)
    return obj


class Trusted:
    """A model that can be made from values already of its types, without validation."""

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """The instance holding `values`, unvalidated (see :func:`assemble`)."""
        return cast(Self, assemble(cast(type[BaseModel], cls), values))


@contextmanager
def validating() -> Iterator[None]:
    """Make :func:`assemble` construct its models validated (in this thread), to compare the two."""
    before = getattr(_local, "validating", False)
    _local.validating = True
    try:
        yield
    finally:
        _local.validating = before
