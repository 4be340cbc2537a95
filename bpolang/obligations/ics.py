"""The obligations calendar as iCalendar (RFC 5545), for calendar applications.

One all-day VEVENT per dated obligation (DTSTART;VALUE=DATE and DTEND the next day, so no time
zone or daylight-saving change can move it), a UID made of the contract id, the kind, the source
id and the date (re-importing updates the events instead of duplicating them), and a DTSTAMP taken
from the contract (its `signature_date`, else `effective`), so the same contract always gives the
same bytes.  icalendar is imported only when a calendar is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bpolang.i18n import catalog

PRODID = "-//bpolang//bpo calendar//EN"


def dtstamp(contract: Any) -> dt.datetime:
    """A DTSTAMP fixed by the contract: its signature date, else its effective date (midnight UTC)."""
    from bpolang.model.values import DateExpr

    for expr in (contract.signature_date, contract.effective) if contract is not None else ():
        if isinstance(expr, DateExpr) and expr.date is not None and not expr.offsets:
            return dt.datetime.combine(expr.date, dt.time(0, 0), tzinfo=dt.UTC)
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def uid(contract_id: str, kind: str, source_id: str, date: dt.date) -> str:
    """Stable event id: the same obligation on the same date keeps it from one export to the next."""
    return f"{contract_id}.{kind}.{source_id}.{date:%Y%m%d}@bpolang"


def to_ics(contract: Any, items: list, label: Any, lang: str) -> bytes:
    """All-day VEVENTs (DTEND the next day), sorted by date, UTF-8 with CRLF line ends."""
    cal = _calendar(label.f.user(contract.title or contract.id or "bpo"))
    _events(cal, contract, items, label, lang, set(), dtstamp(contract))
    return cal.to_ical()


def to_ics_many(name: str, parts: list[tuple[Any, list, Any]], lang: str) -> bytes:
    """The calendar of several contracts (a master and its statements of work): each contract's
    events (``parts``: contract, its dated obligations, its labeller), each summary led by the
    contract's title; one DTSTAMP for all, the latest of the contracts'."""
    cal = _calendar(name)
    stamp = max((dtstamp(c) for c, _items, _label in parts), default=dtstamp(None))
    seen: set[str] = set()
    for contract, items, label in parts:
        prefix = label.f.user(contract.title or contract.id or "")
        _events(cal, contract, items, label, lang, seen, stamp, prefix)
    return cal.to_ical()


def _calendar(name: str) -> Any:
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # a property of one line: a title's line breaks become spaces (icalendar refuses them here)
    cal.add("x-wr-calname", " ".join(name.splitlines()) if "\n" in name or "\r" in name else name)
    return cal


def _events(
    cal: Any, contract: Any, items: list, label: Any, lang: str, seen: set[str], stamp: dt.datetime, prefix: str = ""
) -> None:
    from icalendar import Event

    for o in items:
        event = Event()
        key = uid(contract.id or "contract", o.kind, o.source_id or o.kind, o.date)
        n, base = 2, key
        while key in seen:  # never two events with one UID, even for two identical obligations
            key = base.replace("@", f".{n}@")
            n += 1
        seen.add(key)
        event.add("uid", key)
        event.add("dtstamp", stamp)
        event.add("dtstart", o.date)
        event.add("dtend", o.date + dt.timedelta(days=1))
        title = label.title(o)
        if prefix:
            title = catalog(lang)["CALENDAR"]["of_contract"].format(contract=" ".join(prefix.splitlines()), title=title)
        event.add("summary", title)
        event.add("description", label.description(o))
        event.add("categories", [catalog(lang)["CALENDAR"][f"category_{o.kind}"]])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
