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
