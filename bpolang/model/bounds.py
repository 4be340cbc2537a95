"""The range of every value a contract can hold (BPO020 beyond it).

Dates stay within what the calendar, the timeline and the documents can write; amounts,
rates, percentages and counts within the digits the renderer formats exactly; durations
within a century, which keeps every date computation (business days counted one by one,
payment calendars, recurrences) linear in a bounded number of days.  The builder checks
each literal against these bounds and the resolver each computed date, so `bpo check`
reports a value out of range where it is written; the importer checks a JSON or YAML
model with the same functions, so no later stage ever sees such a value.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2999, 12, 31)
DATE_RANGE = f"{DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}"
MAX_INTEGER_DIGITS = 15  # up to 999 999 999 999 999 (a thousand trillion)
MAX_FRACTION_DIGITS = 6
MAX_DURATION_DAYS = 36_525  # a hundred years, however the duration is written

# Days a unit counts on average, for the duration bound (a business day spans about 1.4 days).
_UNIT_DAYS = {
    "seconds": Decimal(1) / 86400,
    "minutes": Decimal(1) / 1440,
    "hours": Decimal(1) / 24,
    "days": Decimal(1),
    "business_days": Decimal("1.4"),
    "working_days": Decimal("1.2"),
    "weeks": Decimal(7),
    "months": Decimal("30.4375"),
    "quarters": Decimal("91.3125"),
    "years": Decimal("365.25"),
}


def number_problem(value: Decimal | int) -> str | None:
    """Why a number is out of range, or None."""
    d = Decimal(value)
    if not d.is_finite():
        return "a number must be finite"
    sign, digits, exponent = d.as_tuple()
    assert isinstance(exponent, int)
    fraction = max(0, -exponent)
    integer = max(0, len(digits) + exponent) if d else 0
    if integer > MAX_INTEGER_DIGITS:
        return f"more than {MAX_INTEGER_DIGITS} digits before the decimal point"
    if fraction > MAX_FRACTION_DIGITS and d != d.quantize(Decimal(1).scaleb(-MAX_FRACTION_DIGITS)):
        return f"more than {MAX_FRACTION_DIGITS} digits after the decimal point"
    return None


def duration_problem(amount: Decimal | int, unit: str) -> str | None:
    """Why a duration is out of range (negative, too many digits, over a century), or None."""
    problem = number_problem(amount)
    if problem:
        return problem
    if amount < 0:
        return "a duration cannot be negative"
    if Decimal(amount) * _UNIT_DAYS.get(unit, Decimal(1)) > MAX_DURATION_DAYS:
        return f"longer than {MAX_DURATION_DAYS // 365} years"
    return None


def date_problem(day: dt.date) -> str | None:
    if not DATE_MIN <= day <= DATE_MAX:
        return f"outside {DATE_RANGE}"
    return None


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def text_problem(value: str, is_name: bool = False) -> str | None:
    """Why a string cannot be written in a .bpo file (an id that is not a name, a CR), or None."""
    if is_name and not _NAME.fullmatch(value):
        return f"`{value[:40]}` is not an id (a letter or `_`, then letters, digits or `_`)"
    m = _UNWRITABLE.search(value)
    if m:
        what = "a carriage return" if m.group() == "\r" else f"control character U+{ord(m.group()):04X}"
        return f"{what} cannot be written in a .bpo file"
    return None


def in_range(day: dt.date) -> bool:
    return DATE_MIN <= day <= DATE_MAX


def model_problems(node: Any, path: tuple = ()) -> list[tuple[tuple, str]]:
    """Every value of a model out of range, with its path (for a model read from JSON or YAML).

    Iterative, so the depth of the data costs no recursion.
    """
    from bpolang.model.values import DateExpr, Duration

    out: list[tuple[tuple, str]] = []
    stack: list[tuple[Any, tuple]] = [(node, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, Duration):
            problem = duration_problem(value.amount, value.unit.value)
            if problem:
                out.append((where + ("amount",), "out of range: " + problem))
            continue
        if isinstance(value, DateExpr) and value.date is not None:
            problem = date_problem(value.date)
            if problem:
                out.append((where + ("date",), "out of range: " + problem))
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                if name != "span":
                    stack.append((getattr(value, name), where + (name,)))
        elif isinstance(value, (list, tuple)):
            stack.extend((item, where + (i,)) for i, item in enumerate(value))
        elif isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            problem = number_problem(value)
            if problem:
                out.append((where, "out of range: " + problem))
        elif isinstance(value, dt.date):
            problem = date_problem(value)
            if problem:
                out.append((where, "out of range: " + problem))
        elif isinstance(value, str):
            problem = text_problem(value, is_name=bool(where) and where[-1] in ("id", "anchor"))
            if problem:
                out.append((where, problem))
    out.sort(key=lambda t: tuple(str(p) for p in t[0]))
    return out


def wide_context(*values: Decimal):
    """A decimal context precise enough to quantize these values to any cents (never InvalidOperation).

    A model within the bounds holds no huge number, but a computed one (a product of
    amounts, a sum over a long term) can have more digits than the default 28.
    """
    from decimal import getcontext, localcontext

    digits = max((v.adjusted() for v in values if v.is_finite()), default=0)
    return localcontext(prec=max(getcontext().prec, digits + 2 * MAX_FRACTION_DIGITS + 4))


def quantized(value: Decimal, quantum: Decimal, rounding: str | None = None) -> Decimal:
    """`value.quantize(quantum)` in a context wide enough for it."""
    if not value.is_finite():
        return value
    with wide_context(value):
        return value.quantize(quantum, rounding=rounding)
