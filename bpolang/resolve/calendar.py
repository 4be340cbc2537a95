"""Pure date arithmetic used to resolve contract dates.

Everything here works on ``datetime.date`` values: no clock, no I/O, no floats.
Amounts are ``int`` or ``Decimal`` and are handled exactly (via ``Fraction``).
Every loop is bounded by its amount, by ``limit`` or by the range of ``date``.

Duration rules (``add_duration``) -- these are the product's stated rules:

* ``days`` and ``weeks`` are calendar days (a week is 7 days).
* ``months``, ``quarters`` (3 months) and ``years`` (12 months) use calendar-month
  arithmetic: the day of the month is kept, clamped to the last day of the target
  month.  2027-01-31 + 1 month = 2027-02-28; 2028-01-31 + 1 month = 2028-02-29;
  2028-02-29 + 1 year = 2029-02-28.  There is no "sticky month end":
  2027-02-28 + 1 month = 2027-03-28, so chained additions may drift
  (2027-01-31 + 1 month + 1 month = 2027-03-28, but + 2 months = 2027-03-31).
* ``business_days``: Monday to Friday, minus the public holidays of ``calendar``
  (an ISO 3166 country code such as "FR", "GB", "DE"; "UK" is accepted as an alias
  of "GB"; ``None`` means weekends only).  N business days from ``start`` is the
  Nth business day strictly after ``start`` (strictly before it when the effective
  amount is negative).  0 business days is ``start`` itself if it is a business
  day, otherwise the next business day (in both directions).
* ``working_days``: French *jours ouvrables*, Monday to Saturday minus public
  holidays, counted exactly like business days.
* ``hours`` and ``minutes``: a date-level result rounds up to whole days:
  ceil(hours / 24), resp. ceil(minutes / 1440), calendar days; 0 stays on the
  same day.
* Fractional amounts are allowed only for minutes, hours and days (a fractional
  number of days is rounded up); any other unit raises ``ValueError``.
* Direction: the effective amount is ``sign * amount``; a negative effective
  amount moves backwards.  Rounding up applies to the magnitude, so 25 hours
  back is 2 days back.

Payment terms (``payment_due``), for French "45 jours fin de mois" clauses, have
two readings in practice:

* ``eom_first=False`` (default; the reading accepted by the DGCCRF): add the days
  to the invoice date, then go to the end of that month.
  Invoice 2027-01-15, 45 days -> 2027-03-01 -> 2027-03-31.
* ``eom_first=True``: go to the end of the invoice month, then add the days.
  Invoice 2027-01-15 -> 2027-01-31, + 45 days -> 2027-03-17.

With ``end_of_month=False`` the due date is simply invoice + days.

Recurrences: see ``expand_recurrence``.
"""

from __future__ import annotations

import functools
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta
from decimal import Decimal
from fractions import Fraction
from math import ceil
from typing import Union

__all__ = [
    "BusinessCalendar",
    "CalendarSpec",
    "FREQUENCIES",
    "UNITS",
    "add_duration",
    "end_of_month_plus",
    "expand_recurrence",
    "is_business_day",
    "month_end",
    "next_business_day",
    "payment_due",
    "public_holidays",
]

UNITS = (
    "seconds",
    "minutes",
    "hours",
    "days",
    "business_days",
    "working_days",
    "weeks",
    "months",
    "quarters",
    "years",
)
FREQUENCIES = ("day", "week", "month", "quarter", "year")

_FRACTIONAL_UNITS = frozenset({"seconds", "minutes", "hours", "days"})
# How many units make one calendar day, for the units resolved in calendar days.
_UNITS_PER_DAY: dict[str, Fraction] = {
    "seconds": Fraction(86400),
    "minutes": Fraction(1440),
    "hours": Fraction(24),
    "days": Fraction(1),
    "weeks": Fraction(1, 7),
}
_MONTHS_PER_UNIT = {"months": 1, "quarters": 3, "years": 12}
_PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_CALENDAR_ALIASES = {"UK": "GB"}
# The most business days any month can have is 23; a larger N is surely a mistake.
_MAX_BUSINESS_DAY = 23


@dataclass(frozen=True)
class BusinessCalendar:
    """A calendar declared in a contract: its open weekdays (0 = Monday), its own closed days, and
    optionally a country whose public holidays are closed too (a central bank's processing days)."""

    country: str | None = None
    open_days: frozenset[int] = frozenset(range(5))
    holidays: frozenset[date] = frozenset()


# A calendar of business days: a country code, a declared calendar, or None (weekends only).
CalendarSpec = Union[str, BusinessCalendar, None]


# --------------------------------------------------------------------------- helpers


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _clamped(year: int, month: int, day: int) -> date:
    """The given day of the month, or the month's last day if the month is shorter."""
    return date(year, month, min(day, _days_in_month(year, month)))


def _check_int(name: str, value: object) -> int:
    # bool is an int subclass; `True` as an amount or a day is always a caller bug.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


def _exact(amount: int | Decimal) -> Fraction:
    """The amount as an exact Fraction; floats are refused (no float arithmetic)."""
    if isinstance(amount, bool) or not isinstance(amount, (int, Decimal)):
        raise TypeError(f"amount must be an int or a Decimal, not {type(amount).__name__}")
    if isinstance(amount, Decimal) and not amount.is_finite():
        raise ValueError(f"amount must be a finite number, not {amount}")
    return Fraction(amount)


# ------------------------------------------------------------------------- holidays


def _normalize_calendar(country: str) -> str:
    code = country.strip().upper()
    return _CALENDAR_ALIASES.get(code, code)


# Importing `holidays` loads every country (~130 ms), so what it computes is kept in a
# per-user cache keyed by its version: see bpolang.base.cache.
@functools.lru_cache(maxsize=1)
def _supported_calendars() -> frozenset[str]:
    from bpolang.base import cache

    key = ("holidays", cache.package_version("holidays"), "countries")
    stored = cache.read_json(key)
    if isinstance(stored, list):
        return frozenset(stored)
    import holidays  # lazy: a heavy import, only needed once a calendar is used

    codes = frozenset(holidays.list_supported_countries())
    cache.write_json(key, sorted(codes))
    return codes


@functools.lru_cache(maxsize=1024)
def _holidays_for_year(code: str, year: int) -> frozenset[date]:
    """Holidays of a validated country code falling in ``year``."""
    from bpolang.base import cache

    key = ("holidays", cache.package_version("holidays"), f"{code}-{year}")
    stored = cache.read_json(key)
    if isinstance(stored, list):
        return frozenset(date.fromisoformat(d) for d in stored)
    days = _compute_holidays(code, year)
    cache.write_json(key, sorted(d.isoformat() for d in days))
    return days


def _compute_holidays(code: str, year: int) -> frozenset[date]:
    import holidays

    # Load the neighbouring years too: an "observed" holiday can be generated under
    # an adjacent year (e.g. New Year's Day on a Saturday observed on Friday 31 Dec).
    years = range(max(year - 1, date.min.year), min(year + 1, date.max.year) + 1)
    country, _, subdiv = code.partition("-")
    try:
        table = holidays.country_holidays(country, subdiv=subdiv or None, years=years)
    except NotImplementedError:
        raise ValueError(f"unknown holiday calendar {code!r}") from None
    return frozenset(d for d in table if d.year == year)


@functools.lru_cache(maxsize=4096)
def public_holidays(country: str, year: int) -> frozenset[date]:
    """Public holidays of ``country`` in ``year``: an ISO code ("UK" = "GB"), or country-subdivision ("GB-ENG")."""
    _check_int("year", year)
    if not date.min.year <= year <= date.max.year:
        raise ValueError(f"year {year} is out of range")
    code = _normalize_calendar(country) if isinstance(country, str) else ""
    if not code or code.partition("-")[0] not in _supported_calendars():
        raise ValueError(f"unknown holiday calendar {country!r}")
    return _holidays_for_year(code, year)


def is_business_day(d: date, calendar: CalendarSpec, saturday: bool = False) -> bool:
    """Whether ``d`` is Mon-Fri (Mon-Sat if ``saturday``) and not a public holiday.

    With a declared :class:`BusinessCalendar`: whether ``d`` is one of its open weekdays (and a
    Saturday for ``saturday``), not one of its closed days and not a public holiday of its country.
    """
    if isinstance(calendar, BusinessCalendar):
        open_days = calendar.open_days | ({5} if saturday else set())
        if d.weekday() not in open_days or d in calendar.holidays:
            return False
        return calendar.country is None or d not in public_holidays(calendar.country, d.year)
    # Look the holidays up even on a weekend so an unknown calendar always fails.
    closed = frozenset() if calendar is None else public_holidays(calendar, d.year)
    return d.weekday() <= (5 if saturday else 4) and d not in closed


def _count_open_days(start: date, count: int, direction: int, calendar: CalendarSpec, saturday: bool) -> date:
    """The ``count``-th open day strictly after (before if direction < 0) ``start``.

    ``count == 0`` gives ``start`` if open, else the next open day.  Linear in
    ``count``; date overflow raises OverflowError, so the loop is always bounded.
    """
    if count == 0:
        d = start
        while not is_business_day(d, calendar, saturday):
            d += timedelta(days=1)
        return d
    step = timedelta(days=direction)
    d = start
    remaining = count
    while remaining:
        d += step
        if is_business_day(d, calendar, saturday):
            remaining -= 1
    return d


def next_business_day(d: date, calendar: CalendarSpec) -> date:
    """``d`` if it is a business day (Mon-Fri, not a holiday), else the next one."""
    try:
        return _count_open_days(d, 0, 1, calendar, saturday=False)
    except OverflowError:
        raise ValueError(f"no business day on or after {d} within the date range") from None


# ------------------------------------------------------------------------- durations


def _add_months(start: date, months: int) -> date:
    """``start`` moved by whole months, the day of month kept and clamped to the target month's
    length (the stated, non-sticky rule: 31 January + 1 month is 28 or 29 February)."""
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    if not MINYEAR <= year <= MAXYEAR:
        raise OverflowError(f"year {year} is out of range")
    return date(year, month0 + 1, min(start.day, monthrange(year, month0 + 1)[1]))


def add_duration(
    start: date,
    amount: int | Decimal,
    unit: str,
    calendar: CalendarSpec = None,
    sign: int = 1,
) -> date:
    """Move ``start`` by ``sign * amount`` ``unit`` following the module's duration rules."""
    if unit not in UNITS:
        raise ValueError(f"unknown duration unit {unit!r}; expected one of {', '.join(UNITS)}")
    if isinstance(sign, bool) or sign not in (1, -1):
        raise ValueError(f"sign must be 1 or -1, not {sign!r}")
    exact = _exact(amount)
    if exact.denominator != 1 and unit not in _FRACTIONAL_UNITS:
        raise ValueError(
            f"a fractional amount ({amount}) is not allowed for {unit}; only minutes, hours and days may be fractional"
        )
    signed = exact * sign
    direction = -1 if signed < 0 else 1
    magnitude = abs(signed)
    try:
        if unit in _UNITS_PER_DAY:
            days = ceil(magnitude / _UNITS_PER_DAY[unit])
            return start + timedelta(days=direction * days)
        if unit in _MONTHS_PER_UNIT:
            return _add_months(start, int(signed) * _MONTHS_PER_UNIT[unit])
        return _count_open_days(start, int(magnitude), direction, calendar, saturday=(unit == "working_days"))
    except OverflowError:
        raise ValueError(
            f"{start} {'+' if direction > 0 else '-'} {magnitude} {unit} is outside the date range"
        ) from None


# ----------------------------------------------------------------------- month ends


def month_end(d: date) -> date:
    """The last day of ``d``'s month."""
    return date(d.year, d.month, _days_in_month(d.year, d.month))


def end_of_month_plus(d: date, days: int) -> date:
    """The end of ``d``'s month, then ``days`` (>= 0) calendar days later."""
    if _check_int("days", days) < 0:
        raise ValueError(f"days must not be negative, not {days}")
    return month_end(d) + timedelta(days=days)


def payment_due(invoice: date, days: int, end_of_month: bool, eom_first: bool = False) -> date:
    """Due date of a payment term of ``days`` (>= 0) from ``invoice`` (see module docstring)."""
    if _check_int("days", days) < 0:
        raise ValueError(f"days must not be negative, not {days}")
    if not end_of_month:
        return invoice + timedelta(days=days)
    if eom_first:
        return end_of_month_plus(invoice, days)
    return month_end(invoice + timedelta(days=days))


# ---------------------------------------------------------------------- recurrences


def _nth_business_day_of_month(year: int, month: int, n: int, calendar: CalendarSpec) -> date | None:
    """The Nth (N < 0: Nth last) business day of the month, clamped to the first/last one."""
    days = [
        date(year, month, dom)
        for dom in range(1, _days_in_month(year, month) + 1)
        if is_business_day(date(year, month, dom), calendar)
    ]
    if not days:
        return None
    if n > 0:
        return days[min(n, len(days)) - 1]
    return days[max(n, -len(days))]


def expand_recurrence(
    *,
    frequency: str,
    interval: int = 1,
    start: date,
    until: date,
    day: int | None = None,
    last_day: bool = False,
    weekday: int | None = None,
    month: int | None = None,
    business_day: int | None = None,
    business_only: bool = False,
    calendar: CalendarSpec = None,
    limit: int = 10000,
) -> list[date]:
    """Occurrences of a recurrence in [start, until], in order, at most ``limit`` of them.

    ``frequency`` is one of "day", "week", "month", "quarter", "year"; ``interval``
    N means every N such units.  Periods are counted from ``start``: the first
    period is the one containing ``start``, an occurrence of it falling before
    ``start`` is dropped, and the following periods are N units apart.

    * day: ``start``, ``start + N days``, ...  (no anchor option allowed).  With
      ``business_only``, business days only (Mon-Fri, minus ``calendar``'s holidays):
      the first business day on or after ``start``, then every Nth business day.
    * week: on ``weekday`` (0 = Monday .. 6 = Sunday; default ``start``'s weekday),
      the first one on or after ``start``, then every N weeks.
    * month / quarter / year pick one date per period with one of
      (``day``, ``last_day``, ``business_day``) or none of them:

      - ``day`` D (1-31): day D of the period's first month; a month without
        day D uses its last day (day 31 in April -> April 30, in February ->
        28 or 29);
      - ``last_day``: the last day of the period (its last month's last day);
      - ``business_day`` N: the Nth business day (Mon-Fri, minus ``calendar``'s
        holidays) of the period's first month; N < 0 counts from the end
        (-1 = last business day); a month with fewer business days uses its
        last (first) one;
      - none: the anniversary of ``start``, i.e. ``start``'s day of month in the
        period's first month, clamped as for ``day`` (never "sticky": a
        2028-02-29 start gives 2029-02-28, then 2032-02-29).

      A quarter is the 3 months starting at ``start``'s month (then every 3N
      months), so quarterly ``day=5`` from 2027-02-10 gives May 5, Aug 5, ...;
      ``last_day`` gives the last day of each such quarter.  A year is the 12
      months starting at ``start``'s month, unless ``month`` (1-12) is given:
      then the period is that month of each calendar year (``start``'s year,
      every N years), e.g. ``month=3, day=31`` is every year on 03-31 and
      ``month=2, last_day=True`` the last day of February.
    """
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown recurrence frequency {frequency!r}; expected one of {', '.join(FREQUENCIES)}")
    if _check_int("interval", interval) < 1:
        raise ValueError(f"interval must be at least 1, not {interval}")
    if _check_int("limit", limit) < 0:
        raise ValueError(f"limit must not be negative, not {limit}")
    anchors = [
        name
        for name, given in (
            ("day", day is not None),
            ("last_day", bool(last_day)),
            ("business_day", business_day is not None),
        )
        if given
    ]
    if len(anchors) > 1:
        raise ValueError(f"{' and '.join(anchors)} cannot be combined")
    if anchors and frequency in ("day", "week"):
        raise ValueError(f"{anchors[0]} does not apply to a {frequency}ly recurrence")
    if business_only and frequency != "day":
        raise ValueError("business_only only applies to a daily recurrence")
    if weekday is not None and frequency != "week":
        raise ValueError("weekday only applies to a weekly recurrence")
    if month is not None and frequency != "year":
        raise ValueError("month only applies to a yearly recurrence")
    if day is not None and not 1 <= _check_int("day", day) <= 31:
        raise ValueError(f"day must be between 1 and 31, not {day}")
    if weekday is not None and not 0 <= _check_int("weekday", weekday) <= 6:
        raise ValueError(f"weekday must be between 0 (Monday) and 6 (Sunday), not {weekday}")
    if month is not None and not 1 <= _check_int("month", month) <= 12:
        raise ValueError(f"month must be between 1 and 12, not {month}")
    if business_day is not None and not (1 <= abs(_check_int("business_day", business_day)) <= _MAX_BUSINESS_DAY):
        raise ValueError(
            f"business_day must be between 1 and {_MAX_BUSINESS_DAY} "
            f"(or -{_MAX_BUSINESS_DAY} and -1 from the month end), not {business_day}"
        )

    if (business_day is not None or business_only) and calendar is not None:
        public_holidays(calendar, start.year)  # fail early on an unknown calendar
    if start > until or limit == 0:
        return []

    # dateutil.rrule is not used: its BYMONTHDAY skips months lacking the day
    # (31 April) instead of clamping, and its weekly/yearly periods are anchored on
    # calendar weeks/years rather than on `start`.  Plain arithmetic states the
    # rules directly and stays linear: one candidate per period, stopping at
    # `until`, at `limit` results or at the end of the date range.
    result: list[date] = []
    candidates = (
        _business_days(start, interval, calendar)
        if business_only
        else _candidates(frequency, interval, start, day, last_day, weekday, month, business_day, calendar)
    )
    for occurrence in candidates:
        if occurrence > until:
            break
        if occurrence >= start:  # only the first period can produce an earlier date
            result.append(occurrence)
            if len(result) >= limit:
                break
    return result


def _business_days(start: date, interval: int, calendar: CalendarSpec) -> Iterator[date]:
    """The first business day on or after ``start``, then every ``interval``-th business day after it."""
    try:
        current = next_business_day(start, calendar)
        while True:
            yield current
            current = _count_open_days(current, interval, 1, calendar, False)
    except (OverflowError, ValueError):
        return


def _candidates(
    frequency: str,
    interval: int,
    start: date,
    day: int | None,
    last_day: bool,
    weekday: int | None,
    month: int | None,
    business_day: int | None,
    calendar: CalendarSpec,
) -> Iterator[date]:
    """Candidate occurrences in increasing order, until the end of the date range."""
    if frequency in ("day", "week"):
        if frequency == "day":
            current, step = start, timedelta(days=interval)
        else:
            target = start.weekday() if weekday is None else weekday
            current = start + timedelta(days=(target - start.weekday()) % 7)
            step = timedelta(weeks=interval)
        while True:
            yield current
            try:
                current += step
            except OverflowError:
                return

    # Periods are identified by their first month as a month index (year * 12 + month - 1).
    if frequency == "year" and month is not None:
        first_index, length = start.year * 12 + month - 1, 1
        step_months = 12 * interval
    else:
        length = _PERIOD_MONTHS[frequency]
        first_index = start.year * 12 + start.month - 1
        step_months = length * interval
    max_index = date.max.year * 12 + 11
    index = first_index
    while index + length - 1 <= max_index:
        year, month0 = divmod(index, 12)
        if last_day:
            end_year, end_month0 = divmod(index + length - 1, 12)
            yield _clamped(end_year, end_month0 + 1, 31)
        elif business_day is not None:
            found = _nth_business_day_of_month(year, month0 + 1, business_day, calendar)
            if found is not None:
                yield found
        else:
            yield _clamped(year, month0 + 1, start.day if day is None else day)
        index += step_months
