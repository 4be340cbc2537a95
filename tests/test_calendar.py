"""Tests for bpolang.resolve.calendar.

Every expected date below was worked out by hand (weekday of 2027-01-01 = Friday,
Easter Sunday 2027 = 28 March, hence Ascension = Easter + 39 days = 6 May and
Pentecost Monday = Easter + 50 days = 17 May) and is written as a literal.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpolang.resolve.calendar import (
    UNITS,
    add_duration,
    end_of_month_plus,
    expand_recurrence,
    is_business_day,
    month_end,
    next_business_day,
    payment_due,
    public_holidays,
)

D = date.fromisoformat


def dates(*isos: str) -> list[date]:
    return [D(s) for s in isos]


def test_seconds_round_up_to_whole_days() -> None:
    assert add_duration(D("2027-01-01"), 30, "seconds") == D("2027-01-02")
    assert add_duration(D("2027-01-01"), 0, "seconds") == D("2027-01-01")
    assert add_duration(D("2027-01-01"), 86401, "seconds") == D("2027-01-03")


def test_units_constant() -> None:
    assert UNITS == (
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


def test_holidays_is_imported_lazily() -> None:
    root = Path(__file__).resolve().parents[1]
    code = "import sys, bpolang.resolve.calendar; print('holidays' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------- months, quarters, years


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        ("2027-01-31", 1, "months", "2027-02-28"),  # non-leap February: clamp
        ("2028-01-31", 1, "months", "2028-02-29"),  # leap February: clamp
        ("2027-02-28", 1, "months", "2027-03-28"),  # no sticky month end
        ("2027-01-31", 2, "months", "2027-03-31"),
        ("2027-01-31", 3, "months", "2027-04-30"),
        ("2027-12-31", 2, "months", "2028-02-29"),  # across the year end
        ("2027-03-31", -1, "months", "2027-02-28"),
        ("2027-01-15", 12, "months", "2028-01-15"),
        ("2027-01-31", Decimal("2"), "months", "2027-03-31"),  # integral Decimal is fine
        ("2028-02-29", 1, "years", "2029-02-28"),
        ("2028-02-29", 4, "years", "2032-02-29"),
        ("2028-02-29", -1, "years", "2027-02-28"),
        ("2027-11-30", 1, "quarters", "2028-02-29"),
        ("2027-08-31", 1, "quarters", "2027-11-30"),
        ("2027-05-31", 2, "quarters", "2027-11-30"),
        ("2027-05-31", -1, "quarters", "2027-02-28"),
    ],
)
def test_calendar_month_arithmetic(start: str, amount: int, unit: str, expected: str) -> None:
    assert add_duration(D(start), amount, unit) == D(expected)


def test_chained_months_drift_but_direct_addition_does_not() -> None:
    first = add_duration(D("2027-01-31"), 1, "months")
    assert first == D("2027-02-28")
    assert add_duration(first, 1, "months") == D("2027-03-28")
    assert add_duration(D("2027-01-31"), 2, "months") == D("2027-03-31")


def test_sign_semantics() -> None:
    assert add_duration(D("2027-03-31"), 1, "months", sign=-1) == D("2027-02-28")
    assert add_duration(D("2027-03-31"), -1, "months") == D("2027-02-28")
    # a negative amount subtracted moves forward
    assert add_duration(D("2027-03-31"), -1, "months", sign=-1) == D("2027-04-30")
    assert add_duration(D("2027-03-02"), 3, "days", sign=-1) == D("2027-02-27")
    assert add_duration(D("2027-03-02"), -3, "days") == D("2027-02-27")


# ----------------------------------------------------- days, weeks, hours, minutes


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        ("2027-02-27", 3, "days", "2027-03-02"),
        ("2028-02-27", 3, "days", "2028-03-01"),  # via 29 February
        ("2027-12-27", 2, "weeks", "2028-01-10"),
        ("2027-03-01", 0, "days", "2027-03-01"),
        ("2027-03-01", Decimal("1.5"), "days", "2027-03-03"),  # fractional days round up
        ("2027-03-01", Decimal("0.1"), "days", "2027-03-02"),
        ("2027-03-01", 0, "hours", "2027-03-01"),
        ("2027-03-01", 24, "hours", "2027-03-02"),
        ("2027-03-01", 25, "hours", "2027-03-03"),
        ("2027-03-01", 48, "hours", "2027-03-03"),
        ("2027-03-01", Decimal("0.5"), "hours", "2027-03-02"),
        ("2027-03-01", 0, "minutes", "2027-03-01"),
        ("2027-03-01", 1, "minutes", "2027-03-02"),
        ("2027-03-01", 1440, "minutes", "2027-03-02"),
        ("2027-03-01", 1441, "minutes", "2027-03-03"),
        ("2027-03-01", -1, "hours", "2027-02-28"),
    ],
)
def test_calendar_day_units(start: str, amount: int, unit: str, expected: str) -> None:
    assert add_duration(D(start), amount, unit) == D(expected)


def test_hours_backwards_round_the_magnitude_up() -> None:
    assert add_duration(D("2027-03-03"), 25, "hours", sign=-1) == D("2027-03-01")


@pytest.mark.parametrize("unit", ["months", "quarters", "years", "weeks", "business_days", "working_days"])
def test_fractional_amounts_rejected(unit: str) -> None:
    with pytest.raises(ValueError, match="fractional"):
        add_duration(D("2027-01-15"), Decimal("1.5"), unit, calendar="FR")


def test_bad_arguments() -> None:
    with pytest.raises(TypeError):
        add_duration(D("2027-01-15"), 1.0, "days")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        add_duration(D("2027-01-15"), True, "days")
    with pytest.raises(ValueError, match="unknown duration unit 'fortnights'"):
        add_duration(D("2027-01-15"), 1, "fortnights")
    with pytest.raises(ValueError, match="sign"):
        add_duration(D("2027-01-15"), 1, "days", sign=0)
    with pytest.raises(ValueError, match="finite"):
        add_duration(D("2027-01-15"), Decimal("NaN"), "days")
    with pytest.raises(ValueError, match="outside the date range"):
        add_duration(D("9999-12-30"), 5, "days")


# ------------------------------------------------------------------ public holidays


def test_french_public_holidays_2027() -> None:
    assert public_holidays("FR", 2027) == frozenset(
        dates(
            "2027-01-01",  # Jour de l'an
            "2027-03-29",  # Lundi de Pâques
            "2027-05-01",  # Fête du travail (a Saturday)
            "2027-05-06",  # Ascension
            "2027-05-08",  # Victoire 1945 (a Saturday)
            "2027-05-17",  # Lundi de Pentecôte
            "2027-07-14",
            "2027-08-15",
            "2027-11-01",
            "2027-11-11",
            "2027-12-25",
        )
    )


def test_ascension_2027_is_6_may_not_13_may() -> None:
    assert D("2027-05-06") in public_holidays("FR", 2027)
    assert D("2027-05-13") not in public_holidays("FR", 2027)
    assert is_business_day(D("2027-05-13"), "FR")


def test_gb_differs_from_fr() -> None:
    fr, gb = public_holidays("FR", 2027), public_holidays("GB", 2027)
    assert D("2027-07-14") in fr and D("2027-07-14") not in gb
    assert D("2027-05-03") in gb and D("2027-05-03") not in fr  # Early May bank holiday
    assert D("2027-05-31") in gb and D("2027-05-31") not in fr  # Spring bank holiday
    assert D("2027-03-26") in gb and D("2027-03-26") not in fr  # Good Friday
    # Christmas and Boxing Day fall on a weekend: substitute days 27 and 28 December
    assert {D("2027-12-27"), D("2027-12-28")} <= gb
    assert D("2027-12-27") not in fr


def test_calendar_aliases_and_case() -> None:
    assert public_holidays("UK", 2027) == public_holidays("GB", 2027)
    assert public_holidays("fr", 2027) == public_holidays("FR", 2027)
    assert D("2027-10-03") in public_holidays("DE", 2027)  # Tag der Deutschen Einheit


def test_unknown_calendar() -> None:
    message = "unknown holiday calendar 'XX'"
    with pytest.raises(ValueError, match=message):
        public_holidays("XX", 2027)
    with pytest.raises(ValueError, match=message):
        add_duration(D("2027-05-10"), 1, "business_days", calendar="XX")
    with pytest.raises(ValueError, match=message):
        is_business_day(D("2027-05-10"), "XX")
    with pytest.raises(ValueError, match=message):
        is_business_day(D("2027-05-15"), "XX")  # even on a Saturday
    with pytest.raises(ValueError, match=message):
        next_business_day(D("2027-05-10"), "XX")
    with pytest.raises(ValueError, match=message):
        expand_recurrence(
            frequency="month",
            start=D("2027-01-01"),
            until=D("2027-12-31"),
            business_day=1,
            calendar="XX",
        )


# --------------------------------------------------------------------- business days


def test_is_business_day() -> None:
    assert not is_business_day(D("2027-05-06"), "FR")  # Ascension
    assert is_business_day(D("2027-05-06"), None)
    assert is_business_day(D("2027-05-07"), "FR")  # the bridge Friday is still open
    assert not is_business_day(D("2027-05-15"), "FR")  # Saturday
    assert is_business_day(D("2027-05-15"), "FR", saturday=True)
    assert not is_business_day(D("2027-05-08"), "FR", saturday=True)  # Saturday holiday
    assert not is_business_day(D("2027-05-16"), None, saturday=True)  # Sunday
    assert not is_business_day(D("2027-12-27"), "GB")
    assert is_business_day(D("2027-12-27"), "FR")


@pytest.mark.parametrize(
    ("d", "calendar", "expected"),
    [
        ("2027-05-10", "FR", "2027-05-10"),  # already a business day
        ("2027-05-06", "FR", "2027-05-07"),
        ("2027-05-15", "FR", "2027-05-18"),  # Sat -> Sun -> Pentecost Monday -> Tue
        ("2027-05-15", None, "2027-05-17"),
        ("2027-12-25", "FR", "2027-12-27"),
        ("2027-12-25", "GB", "2027-12-29"),
        ("2027-01-01", "FR", "2027-01-04"),
    ],
)
def test_next_business_day(d: str, calendar: str | None, expected: str) -> None:
    assert next_business_day(D(d), calendar) == D(expected)


@pytest.mark.parametrize(
    ("start", "amount", "calendar", "sign", "expected"),
    [
        # Wed 5 May: Thu 6 Ascension skipped -> Fri 7, Mon 10, Tue 11
        ("2027-05-05", 3, "FR", 1, "2027-05-11"),
        ("2027-05-05", 3, None, 1, "2027-05-10"),
        # Fri 14 May: Mon 17 is Pentecost Monday
        ("2027-05-14", 1, "FR", 1, "2027-05-18"),
        ("2027-05-14", 1, None, 1, "2027-05-17"),
        # across both May bridges: 3,4,5,7,10,11,12,13,14,18
        ("2027-04-30", 10, "FR", 1, "2027-05-18"),
        # backwards from Tue 18: Mon 17 holiday, weekend, Fri 14, Thu 13
        ("2027-05-18", 2, "FR", -1, "2027-05-13"),
        ("2027-05-18", -2, "FR", 1, "2027-05-13"),
        ("2027-05-10", 3, "FR", -1, "2027-05-04"),  # Fri 7, (Thu 6), Wed 5, Tue 4
        # Christmas 2027 is a Saturday: 27, 28, 29, 30, 31 December
        ("2027-12-24", 5, "FR", 1, "2027-12-31"),
        # GB: 27 and 28 are substitute days, 1 Jan 2028 (Sat) substituted on Mon 3 Jan
        ("2027-12-24", 5, "GB", 1, "2028-01-05"),
        ("2027-03-26", 1, "FR", 1, "2027-03-30"),  # Easter Monday 29 March
        ("2027-04-30", 1, "FR", 1, "2027-05-03"),
        ("2027-04-30", 1, "GB", 1, "2027-05-04"),  # Early May bank holiday
        ("2027-07-13", 1, "FR", 1, "2027-07-15"),
        ("2027-07-13", 1, "GB", 1, "2027-07-14"),
        ("2027-11-10", 1, "FR", 1, "2027-11-12"),  # Armistice Thu 11
        ("2027-10-29", 1, "FR", 1, "2027-11-02"),  # All Saints Mon 1
        # zero business days: the day itself, or the next business day
        ("2027-05-10", 0, "FR", 1, "2027-05-10"),
        ("2027-05-06", 0, "FR", 1, "2027-05-07"),
        ("2027-05-08", 0, "FR", 1, "2027-05-10"),
        ("2027-05-08", 0, "FR", -1, "2027-05-10"),
    ],
)
def test_business_days(start: str, amount: int, calendar: str | None, sign: int, expected: str) -> None:
    assert add_duration(D(start), amount, "business_days", calendar, sign) == D(expected)


@pytest.mark.parametrize(
    ("start", "amount", "calendar", "sign", "expected"),
    [
        ("2027-05-13", 2, "FR", 1, "2027-05-15"),  # Fri 14, Sat 15
        ("2027-05-13", 3, "FR", 1, "2027-05-18"),  # Sun 16 and Pentecost Monday skipped
        ("2027-05-05", 3, "FR", 1, "2027-05-11"),  # Thu 6 and Sat 8 are holidays
        ("2027-05-05", 3, None, 1, "2027-05-08"),  # Thu 6, Fri 7, Sat 8
        ("2027-05-17", 1, "FR", -1, "2027-05-15"),  # back over Sunday to Saturday
        ("2027-05-16", 0, "FR", 1, "2027-05-18"),
        ("2027-12-24", 5, "FR", 1, "2027-12-31"),  # Sat 25 is Christmas: 27 .. 31
        ("2027-12-24", 6, "FR", 1, "2028-01-03"),  # Sat 1 Jan 2028 is New Year's Day
    ],
)
def test_working_days(start: str, amount: int, calendar: str | None, sign: int, expected: str) -> None:
    assert add_duration(D(start), amount, "working_days", calendar, sign) == D(expected)


# ------------------------------------------------------------------------ recurrences


def test_monthly_on_day_5() -> None:
    got = expand_recurrence(frequency="month", start=D("2027-02-01"), until=D("2027-12-31"), day=5)
    assert got == dates(
        "2027-02-05",
        "2027-03-05",
        "2027-04-05",
        "2027-05-05",
        "2027-06-05",
        "2027-07-05",
        "2027-08-05",
        "2027-09-05",
        "2027-10-05",
        "2027-11-05",
        "2027-12-05",
    )
    assert len(got) == 11


def test_monthly_on_day_31_clamps() -> None:
    assert expand_recurrence(frequency="month", start=D("2027-01-01"), until=D("2027-06-30"), day=31) == dates(
        "2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30"
    )
    assert expand_recurrence(frequency="month", start=D("2028-01-15"), until=D("2028-03-31"), day=31) == dates(
        "2028-01-31", "2028-02-29", "2028-03-31"
    )
    assert expand_recurrence(frequency="month", start=D("2027-01-01"), until=D("2027-03-31"), day=30) == dates(
        "2027-01-30", "2027-02-28", "2027-03-30"
    )


def test_monthly_last_day() -> None:
    assert expand_recurrence(frequency="month", start=D("2028-01-01"), until=D("2028-04-30"), last_day=True) == dates(
        "2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"
    )


def test_monthly_anniversary_is_not_sticky() -> None:
    assert expand_recurrence(frequency="month", start=D("2027-01-31"), until=D("2027-05-31")) == dates(
        "2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"
    )


def test_every_two_months_counts_periods_from_start() -> None:
    # February's 5th is before the start; periods are Feb, Apr, Jun, Aug, Oct, Dec
    assert expand_recurrence(
        frequency="month", interval=2, start=D("2027-02-10"), until=D("2027-12-31"), day=5
    ) == dates("2027-04-05", "2027-06-05", "2027-08-05", "2027-10-05", "2027-12-05")


def test_weekly_on_monday() -> None:
    assert expand_recurrence(frequency="week", start=D("2027-05-01"), until=D("2027-05-31"), weekday=0) == dates(
        "2027-05-03", "2027-05-10", "2027-05-17", "2027-05-24", "2027-05-31"
    )


def test_every_two_weeks() -> None:
    # Wed 6 Jan: first Monday on or after the start, then every 14 days
    assert expand_recurrence(
        frequency="week", interval=2, start=D("2027-01-06"), until=D("2027-02-28"), weekday=0
    ) == dates("2027-01-11", "2027-01-25", "2027-02-08", "2027-02-22")
    # no weekday: the start's own weekday
    assert expand_recurrence(frequency="week", interval=2, start=D("2027-01-06"), until=D("2027-02-10")) == dates(
        "2027-01-06", "2027-01-20", "2027-02-03"
    )
    assert expand_recurrence(frequency="week", start=D("2027-01-06"), until=D("2027-01-20"), weekday=2) == dates(
        "2027-01-06", "2027-01-13", "2027-01-20"
    )


def test_daily_every_three_days() -> None:
    assert expand_recurrence(frequency="day", interval=3, start=D("2027-02-25"), until=D("2027-03-06")) == dates(
        "2027-02-25", "2027-02-28", "2027-03-03", "2027-03-06"
    )


def test_quarterly() -> None:
    assert expand_recurrence(frequency="quarter", start=D("2027-01-15"), until=D("2027-12-31")) == dates(
        "2027-01-15", "2027-04-15", "2027-07-15", "2027-10-15"
    )
    assert expand_recurrence(frequency="quarter", start=D("2027-01-01"), until=D("2027-12-31"), day=31) == dates(
        "2027-01-31", "2027-04-30", "2027-07-31", "2027-10-31"
    )
    assert expand_recurrence(frequency="quarter", start=D("2027-01-01"), until=D("2027-12-31"), last_day=True) == dates(
        "2027-03-31", "2027-06-30", "2027-09-30", "2027-12-31"
    )
    # quarters counted from the start's month: Feb-Apr, May-Jul, Aug-Oct, Nov-Jan
    assert expand_recurrence(frequency="quarter", start=D("2027-02-10"), until=D("2027-12-31"), day=5) == dates(
        "2027-05-05", "2027-08-05", "2027-11-05"
    )
    assert expand_recurrence(frequency="quarter", start=D("2027-02-10"), until=D("2027-12-31"), last_day=True) == dates(
        "2027-04-30", "2027-07-31", "2027-10-31"
    )


def test_yearly_on_03_31() -> None:
    assert expand_recurrence(frequency="year", start=D("2027-01-01"), until=D("2030-12-31"), month=3, day=31) == dates(
        "2027-03-31", "2028-03-31", "2029-03-31", "2030-03-31"
    )
    assert expand_recurrence(frequency="year", start=D("2027-04-01"), until=D("2030-12-31"), month=3, day=31) == dates(
        "2028-03-31", "2029-03-31", "2030-03-31"
    )
    assert expand_recurrence(
        frequency="year",
        interval=2,
        start=D("2027-01-01"),
        until=D("2032-12-31"),
        month=6,
        day=30,
    ) == dates("2027-06-30", "2029-06-30", "2031-06-30")


def test_yearly_from_29_february() -> None:
    assert expand_recurrence(frequency="year", start=D("2028-02-29"), until=D("2032-12-31")) == dates(
        "2028-02-29", "2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"
    )


def test_yearly_last_day() -> None:
    assert expand_recurrence(
        frequency="year", start=D("2027-01-01"), until=D("2029-12-31"), month=2, last_day=True
    ) == dates("2027-02-28", "2028-02-29", "2029-02-28")
    assert expand_recurrence(frequency="year", start=D("2027-01-01"), until=D("2029-12-31"), last_day=True) == dates(
        "2027-12-31", "2028-12-31", "2029-12-31"
    )
    # contract years starting in April end on 31 March
    assert expand_recurrence(frequency="year", start=D("2027-04-01"), until=D("2029-12-31"), last_day=True) == dates(
        "2028-03-31", "2029-03-31"
    )


def test_nth_business_day_of_month_fr() -> None:
    spring = {"frequency": "month", "start": D("2027-04-01"), "until": D("2027-06-30")}
    # 1 May (Sat), 2 May (Sun): first business day of May is Monday 3
    assert expand_recurrence(**spring, business_day=1, calendar="FR") == dates("2027-04-01", "2027-05-03", "2027-06-01")
    # May: 3, 4, 5, (6 Ascension), 7, 10
    assert expand_recurrence(**spring, business_day=5, calendar="FR") == dates("2027-04-07", "2027-05-10", "2027-06-07")
    assert expand_recurrence(**spring, business_day=5) == dates("2027-04-07", "2027-05-07", "2027-06-07")
    assert expand_recurrence(
        frequency="month",
        start=D("2027-01-01"),
        until=D("2027-01-31"),
        business_day=1,
        calendar="FR",
    ) == dates("2027-01-04")
    # last business day: 31 Oct is a Sunday
    assert expand_recurrence(
        frequency="month",
        start=D("2027-10-01"),
        until=D("2027-12-31"),
        business_day=-1,
        calendar="FR",
    ) == dates("2027-10-29", "2027-11-30", "2027-12-31")


def test_limit_and_empty_ranges() -> None:
    got = expand_recurrence(frequency="day", start=D("2027-01-01"), until=D("2027-12-31"), limit=10)
    assert got == dates(
        "2027-01-01",
        "2027-01-02",
        "2027-01-03",
        "2027-01-04",
        "2027-01-05",
        "2027-01-06",
        "2027-01-07",
        "2027-01-08",
        "2027-01-09",
        "2027-01-10",
    )
    assert expand_recurrence(frequency="day", start=D("2027-01-01"), until=D("2027-12-31"), limit=0) == []
    assert len(expand_recurrence(frequency="day", start=date.min, until=date.max)) == 10000
    for frequency in ("day", "week", "month", "quarter", "year"):
        assert expand_recurrence(frequency=frequency, start=D("2027-02-01"), until=D("2027-01-31")) == []
    assert expand_recurrence(frequency="month", start=D("2027-03-05"), until=D("2027-03-05"), day=5) == dates(
        "2027-03-05"
    )
    assert expand_recurrence(frequency="month", start=D("2027-03-06"), until=D("2027-03-31"), day=5) == []


def test_recurrence_stops_at_end_of_date_range() -> None:
    assert expand_recurrence(frequency="day", interval=5, start=D("9999-12-30"), until=date.max) == dates("9999-12-30")
    assert len(expand_recurrence(frequency="month", start=D("9999-01-01"), until=date.max, last_day=True)) == 12


@pytest.mark.parametrize(
    "kwargs",
    [
        {"frequency": "fortnight"},
        {"frequency": "month", "interval": 0},
        {"frequency": "month", "day": 32},
        {"frequency": "month", "day": 0},
        {"frequency": "week", "weekday": 7},
        {"frequency": "month", "day": 5, "last_day": True},
        {"frequency": "month", "day": 5, "business_day": 1},
        {"frequency": "month", "weekday": 0},
        {"frequency": "month", "month": 3},
        {"frequency": "year", "month": 13},
        {"frequency": "month", "business_day": 0},
        {"frequency": "month", "business_day": 24},
        {"frequency": "day", "day": 5},
        {"frequency": "week", "last_day": True},
        {"frequency": "day", "limit": -1},
    ],
)
def test_recurrence_validation(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        expand_recurrence(start=D("2027-01-01"), until=D("2027-12-31"), **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- payment terms


def test_month_end_helpers() -> None:
    assert month_end(D("2028-02-10")) == D("2028-02-29")
    assert month_end(D("2027-02-10")) == D("2027-02-28")
    assert month_end(D("2027-12-31")) == D("2027-12-31")
    assert end_of_month_plus(D("2027-01-15"), 45) == D("2027-03-17")
    assert end_of_month_plus(D("2027-02-15"), 0) == D("2027-02-28")


@pytest.mark.parametrize(
    ("invoice", "days", "end_of_month", "eom_first", "expected"),
    [
        ("2027-01-15", 45, False, False, "2027-03-01"),  # 16 + 28 + 1
        ("2027-01-15", 45, True, False, "2027-03-31"),  # end of month of 1 March
        ("2027-01-15", 45, True, True, "2027-03-17"),  # 31 January + 45 days
        ("2027-12-20", 45, False, False, "2028-02-03"),
        ("2027-12-20", 45, True, False, "2028-02-29"),
        ("2027-12-20", 45, True, True, "2028-02-14"),  # 31 December + 45 days
        ("2027-01-15", 60, False, False, "2027-03-16"),
        ("2027-01-31", 30, True, False, "2027-03-31"),  # 31 Jan + 30 = 2 March
        ("2027-01-31", 30, True, True, "2027-03-02"),
        ("2027-01-15", 0, True, False, "2027-01-31"),
    ],
)
def test_payment_due(invoice: str, days: int, end_of_month: bool, eom_first: bool, expected: str) -> None:
    assert payment_due(D(invoice), days, end_of_month, eom_first) == D(expected)


def test_payment_due_rejects_negative_days() -> None:
    with pytest.raises(ValueError):
        payment_due(D("2027-01-15"), -1, True)
    with pytest.raises(ValueError):
        end_of_month_plus(D("2027-01-15"), -1)


# ------------------------------------------------------------------------- properties

_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@given(d=_dates, n=st.integers(min_value=-240, max_value=240))
def test_months_property(d: date, n: int) -> None:
    r = add_duration(d, n, "months")
    assert (r.year * 12 + r.month) - (d.year * 12 + d.month) == n
    assert r.day <= d.day
    assert r.day == min(d.day, stdlib_calendar.monthrange(r.year, r.month)[1])


@given(d=_dates, n=st.integers(min_value=-3000, max_value=3000))
def test_days_round_trip(d: date, n: int) -> None:
    assert add_duration(add_duration(d, n, "days"), n, "days", sign=-1) == d
    assert add_duration(d, n, "days") == d + timedelta(days=n)


@settings(deadline=None, max_examples=200)
@given(
    d=_dates,
    n=st.integers(min_value=0, max_value=40),
    calendar=st.sampled_from([None, "FR", "GB", "DE"]),
    sign=st.sampled_from([1, -1]),
    unit=st.sampled_from(["business_days", "working_days"]),
)
def test_business_day_results_are_business_days(d: date, n: int, calendar: str | None, sign: int, unit: str) -> None:
    saturday = unit == "working_days"
    r = add_duration(d, n, unit, calendar, sign)
    last_open_weekday = 5 if saturday else 4
    assert r.weekday() <= last_open_weekday
    if calendar is not None:
        assert r not in public_holidays(calendar, r.year)
    if n == 0:
        assert r >= d
        return
    # exactly n open days after start up to the result (before start, down to it)
    if sign == 1:
        assert r > d
        span = [d + timedelta(days=i) for i in range(1, (r - d).days + 1)]
    else:
        assert r < d
        span = [r + timedelta(days=i) for i in range((d - r).days)]
    assert sum(is_business_day(x, calendar, saturday) for x in span) == n


@given(
    start=_dates,
    length=st.integers(min_value=0, max_value=800),
    day=st.integers(min_value=1, max_value=31),
)
def test_monthly_recurrence_property(start: date, length: int, day: int) -> None:
    until = start + timedelta(days=length)
    got = expand_recurrence(frequency="month", start=start, until=until, day=day)
    assert all(start <= x <= until for x in got)
    for x in got:
        assert x.day == min(day, stdlib_calendar.monthrange(x.year, x.month)[1])
    for a, b in zip(got, got[1:]):
        assert (b.year * 12 + b.month) - (a.year * 12 + a.month) == 1


def test_subdivision_calendars() -> None:
    # Easter Monday 2027-03-29 is a bank holiday in England, not in Scotland;
    # 2 January 2027 is a Scottish holiday (a Saturday, so 4 January is the substitute).
    assert D("2027-03-29") in public_holidays("GB-ENG", 2027)
    assert D("2027-03-29") not in public_holidays("GB-SCT", 2027)
    assert D("2027-01-04") in public_holidays("GB-SCT", 2027)
    with pytest.raises(ValueError, match="unknown holiday calendar"):
        public_holidays("GB-XXX", 2027)
