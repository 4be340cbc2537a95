"""Typed values: money, durations, percentages, rates, dates relative to events, recurrences.

Every value carries the span of the text it came from (``span``, excluded from
comparisons of meaning) and a ``kind`` tag, so JSON and YAML exports say what
each value is and read back without guessing.
"""

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from bpolang.base.diagnostics import Span
from bpolang.base.trusted import Trusted


def _said(data: dict[str, object], name: str) -> dict[str, object]:
    """A dump without an optional flag that the contract does not say (so older dumps stay as they were)."""
    if data.get(name) is None:
        data.pop(name, None)
    return data


class Value(BaseModel, Trusted):
    model_config = ConfigDict(extra="forbid", frozen=False, defer_build=True)

    span: Span | None = Field(default=None, description="Where the value is written.")


UnknownWord = Literal["redacted", "tbd", "illegible", "not_attached", "omitted", "per_order"]


class Unknown(Value):
    """A value the contract does not give: withheld from this copy (`redacted`), still to be agreed
    (`tbd`), unreadable in the source (`illegible`), in a document not attached to this copy
    (`not_attached`) or left out by the parties (`omitted`).  The words are
    :data:`bpolang.syntax.words.UNKNOWN_WORDS`."""

    kind: Literal["unknown"] = "unknown"
    unknown: UnknownWord


class DurationUnit(str, Enum):
    SECONDS = "seconds"
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    BUSINESS_DAYS = "business_days"
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"
    MONTHS = "months"
    QUARTERS = "quarters"
    YEARS = "years"


class Money(Value):
    """An amount in an ISO 4217 currency; never a float."""

    kind: Literal["money"] = "money"
    amount: Decimal
    currency: str


class Duration(Value):
    """A length of time that keeps its unit: 3 months is not 90 days."""

    kind: Literal["duration"] = "duration"
    amount: Decimal
    unit: DurationUnit
    calendar: Literal[True] | None = Field(
        default=None,
        description="`true` when written `calendar days`: the same days, said as the contract says them.",
    )

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        """Dumps and exports carry `calendar` only when it is said: `28 days` dumps as before."""
        return _said(handler(self), "calendar")

    def hours(self) -> Decimal | None:
        """The duration in hours where that is exact (minutes to weeks), else None."""
        per = {
            DurationUnit.SECONDS: Decimal(1) / 3600,
            DurationUnit.MINUTES: Decimal(1) / 60,
            DurationUnit.HOURS: Decimal(1),
            DurationUnit.DAYS: Decimal(24),
            DurationUnit.WEEKS: Decimal(168),
        }.get(self.unit)
        return None if per is None else self.amount * per

    def approx_days(self) -> Decimal:
        """An approximate length in days, for comparisons (a month counts 30 days)."""
        per = {
            DurationUnit.SECONDS: Decimal(1) / 86400,
            DurationUnit.MINUTES: Decimal(1) / 1440,
            DurationUnit.HOURS: Decimal(1) / 24,
            DurationUnit.DAYS: Decimal(1),
            DurationUnit.BUSINESS_DAYS: Decimal("1.4"),
            DurationUnit.WORKING_DAYS: Decimal("1.2"),
            DurationUnit.WEEKS: Decimal(7),
            DurationUnit.MONTHS: Decimal(30),
            DurationUnit.QUARTERS: Decimal(91),
            DurationUnit.YEARS: Decimal(365),
        }[self.unit]
        return self.amount * per


class Percentage(Value):
    kind: Literal["percentage"] = "percentage"
    value: Decimal


class Number(Value):
    kind: Literal["number"] = "number"
    value: Decimal


class Quantity(Value):
    """A count of something, optionally per period: `2000 invoices per month`."""

    kind: Literal["quantity"] = "quantity"
    amount: Decimal
    unit: str
    per: str | None = None


class Rate(Value):
    """A price per unit: `1.20 EUR per invoice`, `650 EUR per fte_day`."""

    kind: Literal["rate"] = "rate"
    price: Money
    per: str
    above_volume: Literal[True] | None = Field(
        default=None,
        description="`true` when written `... per invoice above volume`: charged only for the units above the "
        "reference volume (`volume:`) of the service counted in that unit, the volume a fixed fee covers.",
    )

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        """Dumps and exports carry `above_volume` only when it is said."""
        return _said(handler(self), "above_volume")


class Ref(Value):
    """A reference to a declared id (resolved against the symbol table)."""

    kind: Literal["ref"] = "ref"
    id: str


class RelativeAmount(Value):
    """A share of a named base: `10% of monthly_fees`."""

    kind: Literal["relative_amount"] = "relative_amount"
    percent: Percentage
    of: Ref


class Offset(Value):
    kind: Literal["offset"] = "offset"
    sign: Literal[1, -1]
    duration: Duration


class DateExpr(Value):
    """A calendar date, or an event (`effective`, `end`, a milestone id) plus offsets."""

    kind: Literal["date_expr"] = "date_expr"
    date: dt.date | None = None
    anchor: str | None = None
    offsets: list[Offset] = Field(default_factory=list)


class Frequency(str, Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Recurrence(Value):
    """`every month on day 5 from first_close until end`."""

    kind: Literal["recurrence"] = "recurrence"
    frequency: Frequency
    interval: int = 1
    day: int | None = None
    last_day: bool = False
    business_day: int | None = None
    # `every business day`, `every 2 business days`: a daily recurrence counting business days only
    business_only: bool = False
    weekday: int | None = None
    month: int | None = None
    time: dt.time | None = None
    start: DateExpr | None = None
    until: DateExpr | None = None


class Call(Value):
    """`max(...)` / `min(...)` over amounts or percentages."""

    kind: Literal["call"] = "call"
    func: Literal["max", "min"]
    args: list["Amount"]


class Arith(Value):
    """`volume * 1.20 EUR`: arithmetic over plain amounts, percentages, numbers and names."""

    kind: Literal["arith"] = "arith"
    op: Literal["+", "-", "*", "/"]
    left: "Operand"
    right: "Operand"


Amount = Annotated[
    Union[Money, Rate, RelativeAmount, Percentage, Number, Ref, Call, Arith, Unknown],
    Field(discriminator="kind"),
]
# An operand of + - * /: a share (`10% of x`) or a rate (`1 EUR per y`) is a phrase, not an
# operand; name it with a fee, or use it as a whole argument of max(...) / min(...).
Operand = Annotated[
    Union[Money, Percentage, Number, Ref, Call, Arith, Unknown],
    Field(discriminator="kind"),
]

Call.model_rebuild()
Arith.model_rebuild()

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
