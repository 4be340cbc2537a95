"""Print any contract model as .bpo text that parses back to the same model.

The printer is the formatter's other half: a model read from YAML or JSON,
or built in Python, is printed here and then laid out by
:func:`bpolang.format.formatter.format_text`, so the result is canonical.  Every
value type has an inverse of its reader in :mod:`bpolang.model.reader` and
:mod:`bpolang.model.phrases`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from bpolang.model import contract as C
from bpolang.model.build import schema_of
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
    unit = d.unit.value.replace("_", " ")
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
        raise ValueError("None has no text")
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
        return f"{scalar(v.price)} per {v.per}"
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


def _opt(v: Any) -> str:
    return scalar(v)


def phrasal(p: C.Phrasal) -> str:
    if isinstance(p, C.Renewal):
        if p.kind == "none":
            return "none"
        text = f"{p.kind} {_opt(p.period)}"
        return text + (f" notice {_opt(p.notice)}" if p.notice is not None else "")
    if isinstance(p, C.PaymentTerms):
        start = {
            "invoice": "",
            "end_of_month": " end of month",
            "receipt": " from receipt",
            "acceptance": " from acceptance",
        }[p.start]
        return f"{_opt(p.days)}{start}" + (" expressly_agreed" if p.expressly_agreed else "")
    if isinstance(p, C.Billing):
        return p.frequency + (f" in {p.timing[3:]}" if p.timing else "")
    if isinstance(p, C.LateInterest):
        if p.basis == "excluded":
            return "excluded"
        if p.basis == "legal_rate_multiple":
            return f"{p.multiple} times legal_rate"
        if p.basis == "ecb_plus":
            return f"ecb_rate plus {_opt(p.value)}"
        return f"{_opt(p.value)} per year"
    if isinstance(p, C.Retention):
        if p.period is None:
            return "duration of contract"
        if p.start == "collection":
            return _opt(p.period)
        if p.start == "event":
            return f"{_opt(p.period)} after {string(p.event or '')}"
        return f"{_opt(p.period)} after {p.start}"
    if isinstance(p, C.AtEnd):
        action = {"return_then_delete": "return then delete"}.get(p.action, p.action)
        return action + (f" within {_opt(p.within)}" if p.within is not None else "")
    if isinstance(p, C.Trigger):
        if p.threshold is None:
            return p.comparator
        text = f"{p.comparator} {_opt(p.threshold)}"
        if p.times is not None:
            text += f" {p.times} times in any {_opt(p.within)}"
        return text
    if isinstance(p, C.Step):
        return f"{p.comparator} {_opt(p.threshold)} credit {_opt(p.credit)}"
    if isinstance(p, C.PenaltyAmount):
        return _opt(p.amount) + (f" per {p.per}" if p.per else "")
    if isinstance(p, C.FeeValue):
        text = amount(p.amount)
        if p.schedule == "once":
            return f"{text} once" + (f" at {p.at.id}" if p.at is not None else "")
        if p.schedule == "per_unit":
            return f"{text} per_unit"
        return f"{text} every {p.schedule[6:]}"
    if isinstance(p, C.ServiceHours):
        days = (
            "every day" if (p.first_day, p.last_day) == (0, 6) else f"{WEEKDAYS[p.first_day]} to {WEEKDAYS[p.last_day]}"
        )
        closes = "24:00" if p.closes == dt.time(23, 59) and p.all_day else p.closes.strftime("%H:%M")
        return f"{days} {p.opens.strftime('%H:%M')} to {closes}"
    if isinstance(p, C.Window):
        return f"rolling {_opt(p.length)}" if p.kind == "rolling" else p.kind
    if isinstance(p, C.Allowance):
        return f"{_opt(p.duration)} per {p.per}"
    if isinstance(p, C.Band):
        low = f"above {p.low}" if p.high is None else f"{p.low} to {p.high}"
        return f"{low} at {_opt(p.price)}"
    if isinstance(p, C.Subprocessing):
        return p.mode + (f" notice {_opt(p.notice)}" if p.notice is not None else "")
    if isinstance(p, C.Transfer):
        text = p.mechanism + (f" module {p.module}" if p.module is not None else "")
        return text + (" with tia" if p.tia else "")
    if isinstance(p, C.ConvenienceFee):
        return f"year {p.year} {_opt(p.amount)}"
    raise TypeError(f"cannot print {type(p).__name__}")  # pragma: no cover


def _is_word(spec_annotation) -> bool:
    return "<word>" in repr(spec_annotation)


def field_value(value: Any, annotation) -> str:
    """A field's value: strings become words or quoted text according to the field's type."""
    if isinstance(value, list):
        return "[" + ", ".join(field_value(v, annotation) for v in value) + "]"
    if isinstance(value, str):
        if _is_word(annotation) or _is_literal_choice(value, annotation):
            return value
        return string(value)
    return scalar(value)


def _is_literal_choice(value: str, annotation) -> bool:
    return f"'{value}'" in repr(annotation) and "Literal" in repr(annotation)


class Printer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def block(self, node: BaseModel, header: str, depth: int) -> None:
        ind = "  " * depth
        self.lines.append(f"{ind}{header} {{")
        self.body(node, depth + 1)
        self.lines.append(f"{ind}}}")

    def body(self, node: BaseModel, depth: int) -> None:
        ind = "  " * depth
        schema = schema_of(type(node))
        child_fields = {spec.name: (kw, spec) for kw, spec in schema.children.items()}
        for name in type(node).model_fields:
            if name in ("span", "id", "title") or name in getattr(type(node), "HEADER_FIELDS", ()):
                continue
            value = getattr(node, name)
            if value is None or value == []:
                continue
            if name in child_fields:
                kw, spec = child_fields[name]
                items = value if isinstance(value, list) else [value]
                for item in items:
                    self.child(item, kw, spec, depth)
                continue
            spec = schema.keys[name]
            self.lines.append(f"{ind}{name}: {field_value(value, spec.annotation)}")

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
                head.append(string(item.title, block=False))
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
                if n not in ("span", "id", "title", child.value_field) and getattr(item, n) not in (None, [])
            ]
            value = getattr(item, child.value_field)
            if not others and value is not None:
                annotation = type(item).model_fields[child.value_field].annotation
                self.lines.append(f"{ind}{header}: {field_value(value, annotation)}")
                return
        self.block(item, header, depth)


def print_contract(contract: C.Contract, line_length: int = 100) -> str:
    """Canonical .bpo text for a contract model."""
    from bpolang.format.formatter import format_text

    return format_text(print_unformatted(contract), line_length)


def print_unformatted(contract: C.Contract) -> str:
    """.bpo text for a contract model, before the formatter lays it out (it may not parse)."""
    p = Printer()
    head = ["contract"]
    if contract.id:
        head.append(contract.id)
    if contract.title is not None:
        head.append(string(contract.title, block=False))
    p.block(contract, " ".join(head), 0)
    return "\n".join(p.lines) + "\n"
