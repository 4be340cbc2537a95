"""The obligations calendar as CSV (RFC 4180), for spreadsheets.

Made to open as it is in the spreadsheets of both languages: UTF-8 with a byte-order mark (without
one, Excel reads the file in the system's legacy code page and mangles every accent), and the list
separator of the document's language — `,` in English, `;` in French, where a spreadsheet set to
French splits on `;` (the comma is the decimal separator there). Dates are ISO; the headers are in
the document's language; `kind` and `source id` are stable codes for tools.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from bpolang.i18n import catalog

COLUMNS = ("date", "obligation", "kind", "owed_by", "owed_to", "source_id", "rule")
BOM = "\ufeff"
DELIMITER = {"en": ",", "fr": ";"}


def header(lang: str) -> list[str]:
    """The header row in one language."""
    words = catalog(lang)["CALENDAR"]
    return [words[f"csv_{c}"] for c in COLUMNS]


def to_csv(items: list, label: Any, lang: str) -> bytes:
    """One row per dated obligation, ISO dates, with a header row (RFC 4180: CRLF, quoted as needed)."""
    buf = io.StringIO()
    buf.write(BOM)
    w = csv.writer(buf, delimiter=DELIMITER[lang])
    w.writerow(header(lang))
    for o in items:
        w.writerow([o.date.isoformat(), *(_cell(c) for c in _row(o, label))])
    return buf.getvalue().encode("utf-8")


def to_csv_many(rows: list[tuple[str, str, Any, Any]], lang: str) -> bytes:
    """The calendar of several contracts: ``rows`` (file, contract title, obligation, its labeller),
    one a dated obligation, each led by the file and the title of its contract."""
    buf = io.StringIO()
    buf.write(BOM)
    w = csv.writer(buf, delimiter=DELIMITER[lang])
    words = catalog(lang)["CALENDAR"]
    w.writerow([words["csv_file"], words["csv_contract"], *header(lang)])
    for path, title, o, label in rows:
        w.writerow([_cell(path), _cell(title), o.date.isoformat(), *(_cell(c) for c in _row(o, label))])
    return buf.getvalue().encode("utf-8")


def _row(o: Any, label: Any) -> list[str]:
    return [
        label.title(o),
        o.kind,
        label.parties(o.owed_by),
        label.parties(o.owed_to),
        o.source_id,
        label.rule(o, occurrence=True),
    ]


def _cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection: a leading `'`)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
