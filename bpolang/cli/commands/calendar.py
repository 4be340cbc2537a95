"""`bpo calendar`: every dated obligation of a contract as iCalendar or CSV.

The obligations come from :mod:`bpolang.obligations.compute` (the list the rendered contract's
calendar annex shows).  icalendar and babel are imported only when the command runs.

iCalendar: one all-day VEVENT per dated obligation (DTSTART;VALUE=DATE and DTEND the
next day, so no time zone or daylight-saving change can move it), a UID made of the
contract id, the kind, the source id and the date (re-importing updates the events
instead of duplicating them), and a DTSTAMP taken from the contract (its
`signature_date`, else `effective`), so the same contract always gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import click

from bpolang.cli.options import labels_lang, output_file

PRODID = "-//bpolang//bpo calendar//EN"

# Event categories, one per kind of obligation (CATEGORIES in iCalendar).
CATEGORIES = {
    "en": {
        "effective": "Term",
        "end": "Term",
        "renewal_notice": "Notice",
        "termination_notice": "Notice",
        "milestone": "Milestone",
        "long_stop": "Long-stop date",
        "deliverable": "Deliverable",
        "acceptance": "Acceptance",
        "report": "Report",
        "meeting": "Governance",
        "sla_period": "Service level",
        "invoice": "Invoicing",
        "payment": "Payment",
        "indexation_review": "Pricing",
        "continuity_test": "Continuity",
        "exit_plan": "Exit",
        "exit_plan_update": "Exit",
        "data_return": "Exit",
        "data_at_end": "Data protection",
        "transition_end": "Exit",
    },
    "fr": {
        "effective": "Durée",
        "end": "Durée",
        "renewal_notice": "Préavis",
        "termination_notice": "Préavis",
        "milestone": "Jalon",
        "long_stop": "Date butoir",
        "deliverable": "Livrable",
        "acceptance": "Recette",
        "report": "Rapport",
        "meeting": "Gouvernance",
        "sla_period": "Niveau de service",
        "invoice": "Facturation",
        "payment": "Paiement",
        "indexation_review": "Prix",
        "continuity_test": "Continuité",
        "exit_plan": "Réversibilité",
        "exit_plan_update": "Réversibilité",
        "data_return": "Réversibilité",
        "data_at_end": "Protection des données",
        "transition_end": "Réversibilité",
    },
}

CSV_HEADER = {
    "en": ["date", "obligation", "kind", "owed by", "owed to", "source id", "rule"],
    "fr": ["date", "obligation", "type", "débiteur", "créancier", "identifiant", "règle"],
}

NOTE_UNDATED = {
    "en": "bpo: note: {n} obligation(s) without a computable date left out: {what}",
    "fr": "bpo: note: {n} obligation(s) sans date calculable non exportée(s) : {what}",
}


@click.command("calendar")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--to", "fmt", type=click.Choice(["ics", "csv"]), required=True, help="iCalendar or CSV.")
@labels_lang
@output_file
@click.option("--force", is_flag=True, help="Export even if the contract has errors.")
def calendar(file: str, fmt: str, lang: str | None, output: str | None, force: bool) -> None:
    """Export every dated obligation over the term: ics or csv."""
    from bpolang.base.fileio import write_output
    from bpolang.cli.common import load_or_refuse
    from bpolang.render import language_of

    result = load_or_refuse(file, force, "export")
    lang = language_of(result.contract, lang)
    data, undated = export(result, fmt, lang)
    if undated:
        click.echo(NOTE_UNDATED[lang].format(n=len(undated), what="; ".join(undated)), err=True)
    write_output(data, output)


def export(result: Any, fmt: str, lang: str) -> tuple[bytes, list[str]]:
    """The calendar in `ics` or `csv`, and the titles of the obligations left out (no date)."""
    from bpolang.obligations.compute import Labeller, obligations
    from bpolang.render.build import Builder

    builder = Builder(result.contract, result.resolution, lang)
    label = Labeller(builder.f)
    items = obligations(result.contract, result.resolution)
    undated: list[str] = []
    for o in items:
        if o.date is None and label.title(o) not in undated:
            undated.append(label.title(o))
    dated = [o for o in items if o.date is not None]
    if fmt == "ics":
        return to_ics(result.contract, dated, label, lang), undated
    return to_csv(dated, label, lang), undated


def dtstamp(contract: Any) -> dt.datetime:
    """A DTSTAMP fixed by the contract: its signature date, else its effective date (midnight UTC)."""
    from bpolang.model.values import DateExpr

    for expr in (contract.signature_date, contract.effective):
        if isinstance(expr, DateExpr) and expr.date is not None and not expr.offsets:
            return dt.datetime.combine(expr.date, dt.time(0, 0), tzinfo=dt.UTC)
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def uid(contract_id: str, kind: str, source_id: str, date: dt.date) -> str:
    """Stable event id: the same obligation on the same date keeps it from one export to the next."""
    return f"{contract_id}.{kind}.{source_id}.{date:%Y%m%d}@bpolang"


def to_ics(contract: Any, items: list, label: Any, lang: str) -> bytes:
    """All-day VEVENTs (DTEND the next day), sorted by date, UTF-8 with CRLF line ends."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", label.f.user(contract.title or contract.id or "bpo"))
    stamp = dtstamp(contract)
    seen: set[str] = set()
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
        event.add("summary", label.title(o))
        event.add("description", label.description(o))
        event.add("categories", [CATEGORIES[lang][o.kind]])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


def to_csv(items: list, label: Any, lang: str) -> bytes:
    """One row per dated obligation, ISO dates, with a header row (RFC 4180: CRLF, quoted as needed)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_HEADER[lang])
    for o in items:
        row = [
            label.title(o),
            o.kind,
            label.parties(o.owed_by),
            label.parties(o.owed_to),
            o.source_id,
            label.rule(o, occurrence=True),
        ]
        w.writerow([o.date.isoformat(), *(_cell(c) for c in row)])
    return buf.getvalue().encode("utf-8")


def _cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection: a leading `'`)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
