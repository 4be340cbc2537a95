"""What the language's schema says about a place in a contract: block kinds, keys, values.

Everything here is read from the model classes (:func:`bpolang.model.build.schema_of`, the
same reading the builder does) and from :data:`bpolang.resolve.references.REF_KINDS`, so the editor
offers exactly what the checker accepts.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from bpolang.model import contract as C
from bpolang.model.build import FieldSpec, block_classes, expected_of, schema_of
from bpolang.model.build import strip_optional as _strip
from bpolang.model.values import DateExpr, Duration, Money, Percentage, Rate, Recurrence, Ref, RelativeAmount, Unknown
from bpolang.syntax.words import UNKNOWN_WORDS

DURATION_UNITS = (
    "days",
    "business days",
    "working days",
    "calendar days",
    "weeks",
    "months",
    "quarters",
    "years",
    "hours",
    "minutes",
    "seconds",
)


def class_at(path: list[str]) -> type[BaseModel] | None:
    """The model class of the innermost block of a path of keywords (`["contract", "sla"]`)."""
    if not path or path[0] not in ("contract", "schedule"):  # a schedule takes a contract's keys
        return None
    cls: type[BaseModel] = C.Contract
    for kw in path[1:]:
        spec = schema_of(cls).children.get(kw)
        if spec is None or spec.child_cls is None:
            return None
        cls = spec.child_cls
    return cls


@dataclass
class Keyword:
    word: str
    kind: Literal["block", "key"]
    spec: FieldSpec


def keywords(cls: type[BaseModel]) -> list[Keyword]:
    """The block kinds and keys a block of this class takes."""
    schema = schema_of(cls)
    out = [Keyword(w, "block", s) for w, s in schema.children.items()]
    out += [Keyword(w, "key", s) for w, s in schema.keys.items()]
    return out


def child_form(cls: type[BaseModel], spec: FieldSpec) -> str:
    """How a child is written, as a short template (`milestone <id> "Title" { ... }`)."""
    child = spec.child
    kw = child.keyword if isinstance(child, C.Child) else spec.name
    if isinstance(child, C.Single) or child is None:
        return f"{kw} {{ ... }}"
    words = [kw]
    if child.qualifier:
        assert spec.child_cls is not None  # a child block always has its class
        options = get_args(_strip(spec.child_cls.model_fields[child.qualifier].annotation))
        words.append("|".join(options))
    if child.id:
        words.append("<id>")
    if child.title != "none":
        words.append('"Title"' if child.title == "required" else '["Title"]')
    head = " ".join(words)
    if child.form == "entry":
        return f"{head}: <value>"
    if child.form == "bare":
        return head
    return head + " { ... }"


def leaves(tp) -> list[Any]:
    """The simple types a value of this annotation may take (unions, lists and Annotated opened)."""
    out: list[Any] = []
    stack = [tp]
    while stack:
        t = stack.pop()
        origin = get_origin(t)
        if origin is typing.Annotated:
            args = get_args(t)
            if C.WORD in args[1:]:
                out.append(C.WORD)
            else:
                stack.append(args[0])
        elif origin in (Union, types.UnionType, list):
            stack.extend(reversed(get_args(t)))
        elif t is not type(None):
            out.append(t)
    return out


def describe_key(cls: type[BaseModel], spec: FieldSpec) -> str:
    """Markdown documentation of a key or block kind, from the schema."""
    field = cls.model_fields.get(spec.name)
    lines: list[str] = []
    if spec.child is not None and spec.child_cls is not None:
        kw = spec.child.keyword
        entry = isinstance(spec.child, C.Child) and spec.child.form != "block"
        lines.append(f"**`{kw}`** — {'statement' if entry else 'block'} in `{block_word(cls)}`")
        lines.append("")
        lines.append(f"Written `{child_form(cls, spec)}`" + (", repeatable." if spec.is_list else ", at most once."))
        if isinstance(spec.child, C.Child) and spec.child.form == "entry":
            child_cls = spec.child_cls
            value = (
                child_cls
                if issubclass(child_cls, C.Phrasal)
                else child_cls.model_fields[spec.child.value_field].annotation
            )
            lines.append(f"The value is {expected_of(value)}.")
        phrase = issubclass(spec.child_cls, C.Phrasal)  # a value written in words, not a block of keys
        doc = (spec.child_cls.__doc__ or "").strip()
        if doc and not phrase and spec.child_cls.__doc__ not in (C.Element.__doc__, C.Node.__doc__):
            lines += ["", doc]
        keys = [] if phrase else schema_of(spec.child_cls).words()
        if keys:
            lines += ["", "Takes: " + ", ".join(f"`{k}`" for k in keys)]
        required = [r for r in getattr(spec.child_cls, "REQUIRED", ()) if r not in ("id",)]
        if required:
            lines.append("Needs: " + ", ".join(f"`{r}`" for r in required))
    else:
        lines.append(f"**`{spec.name}`** — key of `{block_word(cls)}`")
        lines.append("")
        lines.append(f"Expects {expected_of(spec.annotation)}.")
        kinds = ref_kinds(cls, spec.name)
        if kinds:
            lines.append("")
            lines.append("Refers to the id of " + " or ".join(f"a `{k}`" for k in kinds) + ".")
        if Unknown in leaves(spec.annotation):
            lines += ["", "May be " + ", ".join(f"`{w}`" for w in UNKNOWN_WORDS[:-1]) + f" or `{UNKNOWN_WORDS[-1]}`."]
        if spec.name in getattr(cls, "REQUIRED", ()):
            lines += ["", "Required."]
    if field is not None and field.description:
        lines += ["", field.description]
    return "\n".join(lines)


def block_word(cls: type[BaseModel]) -> str:
    """The keyword a class is written with."""
    if cls is C.Contract:
        return "contract"
    for owner in block_classes():
        for kw, spec in schema_of(owner).children.items():
            if spec.child_cls is cls:
                return kw
    return cls.__name__.lower()


def ref_kinds(cls: type[BaseModel], field: str) -> tuple[str, ...] | None:
    """The kinds of id a reference in this key may name (None: not a reference)."""
    from bpolang.resolve.references import REF_KINDS

    kinds = REF_KINDS.get((cls, field))
    if kinds is not None:
        return kinds
    spec = schema_of(cls).keys.get(field)
    if spec is not None and Ref in leaves(spec.annotation):
        return ()  # a reference of any kind
    return None


@dataclass
class ValueOptions:
    """What may be typed in a value: words, reference kinds, units, currencies."""

    words: list[str]
    ref_kinds: tuple[str, ...] | None
    dates: bool
    units: bool
    currencies: bool
    bases: bool


def value_options(cls: type[BaseModel], spec: FieldSpec) -> ValueOptions:
    words: list[str] = []
    dates = units = currencies = bases = False
    for leaf in leaves(spec.annotation):
        if get_origin(leaf) is Literal:
            words += [str(a) for a in get_args(leaf)]
        elif leaf is bool:
            words += ["yes", "no"]
        elif leaf is Unknown:
            words += list(UNKNOWN_WORDS)
        elif leaf is DateExpr or leaf is Recurrence:
            dates = True
            units = True
            if leaf is Recurrence:
                words += ["every"]
        elif leaf is Duration:
            units = True
        elif leaf in (Money, Rate):
            currencies = True
        elif leaf is RelativeAmount or leaf is Percentage:
            bases = bases or leaf is RelativeAmount
        elif leaf is C.WORD and spec.name == "currency":
            currencies = True
        elif isinstance(leaf, type) and issubclass(leaf, C.Phrasal):
            # a phrase's choices are spelt in words (`end of month` for end_of_month): only its
            # units and currencies are offered, not the model's names for them
            for name, f in leaf.model_fields.items():
                if name == "span":
                    continue
                for sub in leaves(f.annotation):
                    if sub is Duration:
                        units = True
                    elif sub in (Money, Rate):
                        currencies = True
                    elif sub is RelativeAmount:
                        bases = True
    if _is_amount(spec.annotation):
        currencies = bases = True
    uniq = list(dict.fromkeys(words))  # the first of each word, in order
    return ValueOptions(uniq, ref_kinds(cls, spec.name), dates, units, currencies, bases)


def _is_amount(tp) -> bool:
    from bpolang.model.values import Amount

    amount_args = set(get_args(get_args(Amount)[0]))
    return bool(amount_args) and amount_args <= set(leaves(tp)) | {Unknown}


def qualifier_options(cls: type[BaseModel], keyword: str) -> list[str]:
    """The words that must follow a block kind (`party client|provider|other`)."""
    spec = schema_of(cls).children.get(keyword)
    if spec is None or not isinstance(spec.child, C.Child) or not spec.child.qualifier:
        return []
    assert spec.child_cls is not None  # a child block always has its class
    return [str(a) for a in get_args(_strip(spec.child_cls.model_fields[spec.child.qualifier].annotation))]
