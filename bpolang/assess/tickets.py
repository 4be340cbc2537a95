"""Incident tickets against a service level's times: the elapsed time of each, which missed, the share within.

A ticket's time runs from `opened` to `responded`, `restored` or `resolved`, in the unit of the limit it is
held to (its severity's `response`, `restore` or `resolution`, or a duration target):

- seconds to weeks: elapsed time between the two instants (offsets and summer time counted), or, when the
  severity gives `hours` (support desk hours), only the time inside those hours, in the level's time zone;
- business days: the business days of the contract's calendar after the day it was opened, up to and
  including the day it was closed (0 when closed the day it was opened): `1 business day` is met when the
  ticket is closed by the end of the next business day.

A ticket missed when any of its times is over its limit (`at_most`: more than the limit; `less_than`: the
limit or more).  Excluded tickets (with their reason) are shown and not counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bpolang.assess.engine import HUNDRED, Token, meets, num, op, pct
from bpolang.assess.measurements import TICKET_TIMES, Measured, aware, ticket_limits, zone_of
from bpolang.model import contract as C
from bpolang.model.values import Duration, DurationUnit

UNIT_SECONDS = {
    DurationUnit.SECONDS: Decimal(1),
    DurationUnit.MINUTES: Decimal(60),
    DurationUnit.HOURS: Decimal(3600),
    DurationUnit.DAYS: Decimal(86400),
    DurationUnit.WEEKS: Decimal(604800),
}


@dataclass
class TicketTime:
    """One time of a ticket (response, restore or resolution) against its limit."""

    time: str
    elapsed: Decimal  # in the unit of the limit
    limit: Duration
    comparator: str
    within: bool
    in_hours: bool  # counted inside the severity's service hours
    arithmetic: list[Token] = field(default_factory=list)


@dataclass
class TicketResult:
    """A ticket with its times; `excluded` is the reason it is not counted."""

    id: str
    severity: str | None
    excluded: str | None
    times: list[TicketTime] = field(default_factory=list)

    @property
    def within(self) -> bool:
        return all(t.within for t in self.times)


@dataclass
class Tally:
    """The tickets of a level in a period: all of them with their times, and the counts."""

    tickets: list[TicketResult]
    counted: int  # not excluded
    missed: int  # counted and over one of their limits

    @property
    def within(self) -> int:
        return self.counted - self.missed


def seconds(delta: dt.timedelta) -> Decimal:
    return Decimal(delta.days * 86400 + delta.seconds) + Decimal(delta.microseconds) / 1_000_000


def between(a: dt.datetime, b: dt.datetime) -> Decimal:
    """The seconds from instant a to instant b (through UTC: a wall-clock difference would miss summer time)."""
    return seconds(b.astimezone(dt.UTC) - a.astimezone(dt.UTC))


def open_seconds(start: dt.datetime, end: dt.datetime, hours: list[C.ServiceHours], zone: Any) -> Decimal:
    """The seconds from start to end that fall inside the service hours, read in `zone`."""
    tz = zone if zone is not None else start.tzinfo
    s, e = start.astimezone(tz), end.astimezone(tz)
    total = Decimal(0)
    day = s.date()
    while day <= e.date():
        for h in hours:
            days = (
                range(h.first_day, h.last_day + 1)
                if h.first_day <= h.last_day
                else [*range(h.first_day, 7), *range(0, h.last_day + 1)]
            )
            if day.weekday() not in days:
                continue
            lo = dt.datetime.combine(day, dt.time(0) if h.all_day else h.opens, tzinfo=tz)
            nxt = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
            hi = nxt if h.all_day or h.closes <= h.opens else dt.datetime.combine(day, h.closes, tzinfo=tz)
            a, b = max(lo, s), min(hi, e)
            if b > a:
                total += between(a, b)
        day += dt.timedelta(days=1)
    return total


def stamp(when: dt.datetime) -> Token:
    return Token("datetime", when)


def ticket_time(
    time: str,
    start: dt.datetime,
    end: dt.datetime,
    limit: Duration,
    comparator: str,
    hours: list[C.ServiceHours],
    zone: Any,
    calendar: Any,
) -> TicketTime:
    """One time of a ticket, in its limit's unit, with its arithmetic."""
    head = [stamp(start), op("→"), stamp(end), op("=")]
    if limit.unit == DurationUnit.BUSINESS_DAYS:
        from bpolang.resolve.calendar import is_business_day

        tz = zone if zone is not None else start.tzinfo
        first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
        count = sum(
            1 for k in range(1, (last - first).days + 1) if is_business_day(first + dt.timedelta(days=k), calendar)
        )
        value = Decimal(count)
        arith = [*head, Token("days", value, "business_days")]
        in_hours = False
    else:
        secs = open_seconds(start, end, hours, zone) if hours else between(start, end)
        per = UNIT_SECONDS[limit.unit]
        value = secs / per
        arith = [*head, Token("days", secs, "seconds")]
        if per != 1:
            arith += [op("÷"), num(per), op("="), Token("days", value, limit.unit.value)]
        in_hours = bool(hours)
    within = meets(value, limit.amount, comparator)
    arith += [op("≤" if comparator == "at_most" else "<"), Token("days", limit.amount, limit.unit.value)]
    return TicketTime(time, value, limit, comparator, within, in_hours, arith)


def tally(contract: C.Contract, sla: C.ServiceLevel, row: Measured, calendar: Any) -> Tally:
    """Every ticket of a row against its times (the measurements were checked: each time needed is given)."""
    zone = zone_of(contract, sla)
    out: list[TicketResult] = []
    for t in row.tickets:
        sev = next((s for s in sla.severities if s.id == t.severity), None)
        comparator = (
            sev.comparator
            if sev is not None and isinstance(sev.comparator, str)
            else (sla.comparator if sev is None and sla.comparator in ("at_most", "less_than") else "at_most")
        )
        hours = sev.hours if sev is not None else []
        res = TicketResult(t.id, t.severity, t.excluded)
        opened = aware(t.opened, zone)
        fields = dict(TICKET_TIMES)
        for time, fld, limit in ticket_limits(sla, row, t.severity):
            end = getattr(t, fld)
            assert end is not None and time in fields
            res.times.append(ticket_time(time, opened, aware(end, zone), limit, str(comparator), hours, zone, calendar))
        out.append(res)
    counted = [r for r in out if r.excluded is None]
    return Tally(out, len(counted), sum(1 for r in counted if not r.within))


def share(within: int, counted: int, excluded: int) -> tuple[Token, list[Token]]:
    """The share of tickets within their times, with its arithmetic."""
    value = Decimal(within) * HUNDRED / Decimal(counted)
    total = (
        [op("("), num(Decimal(counted + excluded)), op("−"), num(Decimal(excluded)), op(")")]
        if excluded
        else [num(Decimal(counted))]
    )
    return pct(value), [num(Decimal(within)), op("÷"), *total, op("×"), num(HUNDRED), op("="), pct(value)]
