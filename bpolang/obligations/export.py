"""Every dated obligation of a contract as a calendar file: iCalendar or CSV.

The obligations come from :mod:`bpolang.obligations.compute` (the list the rendered contract's
calendar annex shows), worded by its :class:`~bpolang.obligations.compute.Labeller`.
"""

from __future__ import annotations

from typing import Any

from bpolang.i18n import catalog

FORMATS = ("ics", "csv")


def note_undated(lang: str, undated: list[str]) -> str:
    """The note that names the obligations left out because they have no computable date."""
    return catalog(lang)["CALENDAR"]["note_undated"].format(n=len(undated), what="; ".join(undated))


def export(result: Any, fmt: str, lang: str) -> tuple[bytes, list[str]]:
    """The calendar in `ics` or `csv`, and the titles of the obligations left out (no date)."""
    from bpolang.i18n.fmt import Fmt
    from bpolang.obligations.compute import Labeller, obligations
    from bpolang.obligations.ics import to_ics
    from bpolang.obligations.spreadsheet import to_csv

    label = Labeller(Fmt.for_contract(result.contract, lang))
    items = obligations(result.contract, result.resolution)
    undated: list[str] = []
    for o in items:
        if o.date is None and label.title(o) not in undated:
            undated.append(label.title(o))
    dated = [o for o in items if o.date is not None]
    if fmt == "ics":
        return to_ics(result.contract, dated, label, lang), undated
    return to_csv(dated, label, lang), undated


def export_many(contracts: list[tuple[str, Any]], fmt: str, lang: str, name: str) -> tuple[bytes, list[str]]:
    """The calendar of several contracts (``contracts``: path and loaded result, a master before the
    statements of work under it), each obligation labelled with its contract; the obligations left
    out (no date), each led by its contract's title.

    A statement of work's composed model holds its master's terms: an obligation it shares with
    its master (the same kind, source and date) is the master's, listed once, under the master.
    """
    from bpolang.i18n.fmt import Fmt
    from bpolang.obligations.compute import Labeller, obligations
    from bpolang.obligations.ics import to_ics_many
    from bpolang.obligations.spreadsheet import to_csv_many

    seen: set[tuple[str, str | None, Any]] = set()
    parts: list[tuple[Any, list, Any]] = []
    rows: list[tuple[str, str, Any, Any]] = []
    undated: list[str] = []
    for path, result in contracts:
        label = Labeller(Fmt.for_contract(result.contract, lang))
        title = label.f.user(result.contract.title or result.contract.id or path)
        dated = []
        for o in obligations(result.contract, result.resolution):
            key = (o.kind, o.source_id, o.date)
            if key in seen:
                continue
            seen.add(key)
            if o.date is None:
                undated.append(f"{title}: {label.title(o)}")
            else:
                dated.append(o)
                rows.append((path, title, o, label))
        parts.append((result.contract, dated, label))
    if fmt == "ics":
        return to_ics_many(name, parts, lang), undated
    rows.sort(key=lambda r: r[2].date)  # stable: on one date, the master's before its statements of work
    return to_csv_many(rows, lang), undated
