"""Print any contract model as .bpo text that parses back to the same model.

The printer is the formatter's other half: a model read from YAML or JSON,
or built in Python, is printed here and then laid out by
:func:`bpolang.format.formatter.format_text`, so the result is canonical.  Every
value type has an inverse of its reader in :mod:`bpolang.model.reader` and
:mod:`bpolang.model.forms`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from bpolang.model import contract as C
from bpolang.model.build import schema_of
from bpolang.model.forms import PrintKit, print_phrasal
from bpolang.model.values import (
    WEEKDAYS,
    Arith,
    Call,
    DateExpr,
    Duration,
    Money,
    Number,
    Percentage,
    Quantity,
    Rate,
    Recurrence,
    Ref,
    RelativeAmount,
    Unknown,
)

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def number(d: Decimal | int) -> str:
    """A decimal in plain notation (never an exponent)."""
    if isinstance(d, int):
        return str(d)
    text = format(d, "f")
    return text


def string(s: str, block: bool = True) -> str:
    """A quoted string, or (unless `block` is false, as in a header) a text block for multi-line text."""
    if block and ("\n" in s or "\r" in s) and '"""' not in s and not s.endswith('"'):
        return f'"""{s}"""'
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{out}"'


def duration(d: Duration) -> str:
    unit = "calendar_days" if d.calendar else d.unit.value
    unit = unit.replace("_", " ")
    if d.amount == 1:
        unit = unit[:-1]
    return f"{number(d.amount)} {unit}"


def date_expr(e: DateExpr) -> str:
    base = e.date.isoformat() if e.date is not None else (e.anchor or "")
    for off in e.offsets:
        base += f" {'+' if off.sign == 1 else '-'} {duration(off.duration)}"
    return base


def recurrence(r: Recurrence) -> str:
    freq = r.frequency.value
    if r.business_only:
        freq = "business " + freq
    parts = ["every", f"{r.interval} {freq}s" if r.interval != 1 else freq]
    if r.month is not None and r.day is not None:
        parts.append(f"on {r.month:02d}-{r.day:02d}")
    elif r.day is not None:
        parts.append(f"on day {r.day}")
    elif r.last_day:
        parts.append("on last day")
    elif r.business_day == -1:
        parts.append("on last business day")
    elif r.business_day is not None:
        parts.append(f"on business day {r.business_day}")
    elif r.weekday is not None:
        parts.append(f"on {WEEKDAYS[r.weekday]}")
    if r.time is not None:
        parts.append(f"at {r.time.strftime('%H:%M')}")
    if r.start is not None:
        parts.append(f"from {date_expr(r.start)}")
    if r.until is not None:
        parts.append(f"until {date_expr(r.until)}")
    return " ".join(parts)


def amount(v: Any, parent_op: str | None = None, right: bool = False) -> str:
    if isinstance(v, Arith):
        text = f"{amount(v.left, v.op)} {v.op} {amount(v.right, v.op, right=True)}"
        if parent_op is not None and (
            _PRECEDENCE[v.op] < _PRECEDENCE[parent_op] or (right and _PRECEDENCE[v.op] == _PRECEDENCE[parent_op])
        ):
            return f"({text})"
        return text
    if isinstance(v, Call):
        return f"{v.func}(" + ", ".join(amount(a) for a in v.args) + ")"
    return scalar(v)


def scalar(v: Any) -> str:
    """A single value of any model type, as written in a .bpo file."""
    if v is None:
        raise Unprintable("a value it needs is missing")
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, Unknown):
        return v.unknown
    if isinstance(v, str):
        raise TypeError("strings are printed by the field printer, which knows if they are words")
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Money):
        return f"{number(v.amount)} {v.currency}"
    if isinstance(v, Duration):
        return duration(v)
    if isinstance(v, Percentage):
        return f"{number(v.value)}%"
    if isinstance(v, Number):
        return number(v.value)
    if isinstance(v, Quantity):
        return f"{number(v.amount)} {v.unit}" + (f" per {v.per}" if v.per else "")
    if isinstance(v, Rate):
        return f"{scalar(v.price)} per {v.per}" + (" above volume" if v.above_volume else "")
    if isinstance(v, Ref):
        return v.id
    if isinstance(v, RelativeAmount):
        return f"{scalar(v.percent)} of {v.of.id}"
    if isinstance(v, DateExpr):
        return date_expr(v)
    if isinstance(v, Recurrence):
        return recurrence(v)
    if isinstance(v, (Arith, Call)):
        return amount(v)
    if isinstance(v, dt.time):
        return v.strftime("%H:%M")
    if isinstance(v, C.Phrasal):
        return phrasal(v)
    raise TypeError(f"cannot print {type(v).__name__}")  # pragma: no cover


# the translations of the texts of the phrase form being printed, by the texts' identity
_FORM_TRANSLATIONS: contextvars.ContextVar[dict[int, str] | None] = contextvars.ContextVar(
    "form_translations", default=None
)


def _form_string(s: str) -> str:
    """A text inside a phrase form, followed by its translations (`after "..." / en: "..."`)."""
    return string(s) + (_FORM_TRANSLATIONS.get() or {}).get(id(s), "")


# what printing a phrase form needs from this module (bpolang.model.forms prints each form)
KIT = PrintKit(scalar=scalar, amount=amount, string=_form_string)


def phrasal(p: C.Phrasal) -> str:
    """A phrase form (`tacit 12 months notice 3 months`), printed by its form."""
    return print_phrasal(p, KIT)


def _is_word(spec_annotation) -> bool:
    return "<word>" in repr(spec_annotation)


class Unprintable(ValueError):
    """A model that no .bpo text can state (a renewal with no period, say): only an imported
    model can be so; `path` is where, as the field names and list indexes that lead to it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.path: list[str | int] = []


def field_value(value: Any, annotation, translations: dict[str, dict[str, str]] | None = None, place: str = "") -> str:
    """A field's value: strings become words or quoted text according to the field's type; a text
    is followed by its translations (`translations`: the block's, `place`: the field's name)."""
    if isinstance(value, list):
        items = (field_value(v, annotation, translations, f"{place}.{i}") for i, v in enumerate(value))
        return "[" + ", ".join(items) + "]"
    if isinstance(value, str):
        if _is_word(annotation) or _is_literal_choice(value, annotation):
            return value
        return string(value) + translated(translations, place)
    if isinstance(value, C.Phrasal) and translations:
        inner = {id(text): translated(translations, at) for at, text in C.phrasal_texts(value, place)}
        token = _FORM_TRANSLATIONS.set(inner)
        try:
            return scalar(value)
        finally:
            _FORM_TRANSLATIONS.reset(token)
    return scalar(value)


def translated(translations: dict[str, dict[str, str]] | None, place: str, block: bool = True) -> str:
    """The translations of the text at `place`, as written after it: ` / en: "Monthly report"`."""
    given = (translations or {}).get(place, {})
    return "".join(f" / {lang}: {string(text, block)}" for lang, text in given.items())


def _is_literal_choice(value: str, annotation) -> bool:
    return f"'{value}'" in repr(annotation) and "Literal" in repr(annotation)


class Printer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.translations: dict[str, dict[str, str]] = {}  # the translations of the block being printed

    def block(self, node: BaseModel, header: str, depth: int) -> None:
        ind = "  " * depth
        self.lines.append(f"{ind}{header} {{")
        self.body(node, depth + 1)
        self.lines.append(f"{ind}}}")

    def body(self, node: BaseModel, depth: int) -> None:
        schema = schema_of(type(node))
        outer = self.translations
        self.translations = node.translations if isinstance(node, C.Node) else {}
        try:
            self._body(node, schema, depth)
        finally:
            self.translations = outer

    def _body(self, node: BaseModel, schema: Any, depth: int) -> None:
        child_fields = {spec.name: (kw, spec) for kw, spec in schema.children.items()}
        for name in type(node).model_fields:
            if name in ("span", "id", "title", "translations") or name in getattr(type(node), "HEADER_FIELDS", ()):
                continue
            value = getattr(node, name)
            if value is None or value == []:
                continue
            try:
                self.field(name, value, child_fields, schema, depth)
            except Unprintable as exc:
                exc.path.insert(0, name)
                raise

    def field(self, name: str, value: Any, child_fields: dict, schema: Any, depth: int) -> None:
        """One key, or the blocks of one kind, of a block's body."""
        if name in child_fields:
            kw, spec = child_fields[name]
            if not isinstance(value, list):
                self.child(value, kw, spec, depth)
                return
            for i, item in enumerate(value):
                try:
                    self.child(item, kw, spec, depth)
                except Unprintable as exc:
                    exc.path.insert(0, i)
                    raise
            return
        spec = schema.keys[name]
        self.lines.append(f"{'  ' * depth}{name}: {field_value(value, spec.annotation, self.translations, name)}")

    def child(self, item: Any, kw: str, spec, depth: int) -> None:
        ind = "  " * depth
        child = spec.child
        if isinstance(child, C.Single):
            self.block(item, kw, depth)
            return
        head = [kw]
        if child.qualifier:
            head.append(getattr(item, child.qualifier))
        if isinstance(item, C.Element):
            if child.id and item.id:
                head.append(item.id)
            if item.title is not None and child.title != "none":
                head.append(string(item.title, block=False) + translated(item.translations, "title", block=False))
        header = " ".join(head)
        if child.form == "bare":
            self.lines.append(f"{ind}{header}")
            return
        if child.form == "entry":
            if isinstance(item, C.Phrasal):
                self.lines.append(f"{ind}{header}: {scalar(item)}")
                return
            others = [
                n
                for n in type(item).model_fields
                if n not in ("span", "id", "title", "translations", child.value_field)
                and getattr(item, n) not in (None, [])
            ]
            value = getattr(item, child.value_field)
            if not others and value is not None:
                annotation = type(item).model_fields[child.value_field].annotation
                text = field_value(value, annotation, item.translations, child.value_field)
                self.lines.append(f"{ind}{header}: {text}")
                return
        self.block(item, header, depth)


def print_contract(contract: C.Contract, line_length: int = 100) -> str:
    """Canonical .bpo text for a contract model."""
    from bpolang.format.formatter import format_text

    return format_text(print_unformatted(contract), line_length)


def print_unformatted(contract: C.Contract) -> str:
    """.bpo text for a contract model, before the formatter lays it out (it may not parse)."""
    p = Printer()
    head = ["schedule" if contract.is_schedule else "contract"]
    if contract.id:
        head.append(contract.id)
    if contract.title is not None:
        head.append(string(contract.title, block=False) + translated(contract.translations, "title", block=False))
    p.block(contract, " ".join(head), 0)
    return "\n".join(p.lines) + "\n"
