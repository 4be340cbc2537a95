"""What every phrase form is: how it reads, how it prints as .bpo text, how it is worded.

A phrase form is a :class:`~bpolang.model.contract.Phrasal` value written as words
(`tacit 12 months notice 3 months`).  Its three directions live together in one
:class:`Form`; the printer and the wording pass in what they need (a :class:`PrintKit`,
a :class:`Wording`) so that the model imports neither :mod:`bpolang.format` nor
:mod:`bpolang.i18n`.
"""

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar

from bpolang.model.contract import Phrasal
from bpolang.model.reader import Reader
from bpolang.model.values import Duration, Money, Percentage, Ref, RelativeAmount, Unknown

P = TypeVar("P", bound=Phrasal)


@dataclass(frozen=True)
class PrintKit:
    """The printer's helpers (:mod:`bpolang.format.printer`) that printing a form needs."""

    scalar: Callable[[Any], str]  # any single value, as written in a .bpo file
    amount: Callable[[Any], str]  # an amount, with the parentheses its arithmetic needs
    string: Callable[[str], str]  # a quoted string


class Wording(Protocol):
    """What wording a form needs from :class:`bpolang.i18n.fmt.Fmt` (one language's formatter)."""

    @property
    def lang(self) -> str: ...

    @property
    def msg(self) -> Mapping[str, str]: ...

    @property
    def msg_terms(self) -> Mapping[str, str]: ...

    def t(self, key: str, **kw: Any) -> str: ...

    def maybe(self, v: Any, fn: Callable[[Any], str] | None = None) -> str: ...

    def value(self, v: Any) -> str: ...

    def number(self, d: Decimal | int) -> str: ...

    def duration(self, d: Duration | Unknown) -> str: ...

    def time(self, t: dt.time, closes: bool = False) -> str: ...

    def uq(self, text: str) -> str: ...

    def word(self, code: str) -> str: ...

    def ref(self, ref: Ref | Unknown) -> str: ...

    def de(self, phrase: str) -> str: ...


class Form(ABC, Generic[P]):
    """One phrase form: its class, what a mismatch says is expected, and its three directions."""

    cls: type[P]
    expected: str  # "a renewal such as `tacit 12 months notice 3 months` or `none`"

    @abstractmethod
    def read(self, r: Reader) -> P:
        """The value, read from the phrase's items (raises Mismatch)."""

    @abstractmethod
    def print(self, p: P, kit: PrintKit) -> str:
        """The value as .bpo text that reads back to the same value."""

    @abstractmethod
    def word(self, p: P, f: Wording) -> str:
        """The value in words, in the formatter's language, for the rendered contract."""


# ------------------------------------------------------------------ readers shared by forms
def threshold(r: Reader) -> Percentage | Duration | Unknown:
    """`95%`, `4 hours` or `tbd`: what a trigger or a step compares with."""
    if r.is_kind("PERCENT"):
        return r.percentage()
    if r.is_kind("DURATION"):
        return r.duration()
    unknown = r.unknown()
    if unknown is None:
        r.fail("a percentage such as `95%` or a duration such as `4 hours`")
    return unknown


def credit(r: Reader) -> RelativeAmount | Money | Percentage | Unknown:
    """`5% of monthly_fees`, `1000 EUR`, `2%` or `tbd`: a service credit or a penalty."""
    if r.is_kind("PERCENT") and not r.followed_by("of"):
        return r.percentage()
    return money_or_share(r)


def money_or_share(r: Reader) -> RelativeAmount | Money | Unknown:
    """`1000 EUR`, `5% of monthly_fees` or `tbd`."""
    unknown = r.unknown()
    if unknown:
        return unknown
    if r.is_kind("MONEY"):
        return r.money()
    if r.is_kind("PERCENT"):
        return r.relative_amount()
    r.fail("a credit such as `5% of monthly_fees` or `1000 EUR`")
