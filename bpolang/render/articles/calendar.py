"""The obligations calendar annex."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bpolang.model import contract as C
from bpolang.render.ir import Figure, Section, Table

MAX_OCCURRENCES_SHOWN = 3

if TYPE_CHECKING:
    from bpolang.render.build import Builder


def annex_calendar(b: Builder) -> Section | None:
    """Every dated obligation (bpolang.obligations.compute, as `bpo calendar`); a series shows its first dates."""
    from bpolang.obligations.compute import Labeller, obligations, series
    from bpolang.obligations.timeline import timeline

    f, t = b.f, b.t
    label = Labeller(f)
    with b.unnoted():  # one computation over the whole contract; each row states its own block
        items = obligations(b.c, b.res)
    rows: list[list[str]] = []
    for first, group in series(items):
        rule = "\u2014"
        if first.series:
            rule = label.rule(first) or "\u2014"
            shown = [o.date for o in group[:MAX_OCCURRENCES_SHOWN] if o.date is not None]
            if len(shown) > 1:
                rule += f.msg["cal_next"] + f.join([f.date(x) for x in shown[1:]])
            more = len(group) - MAX_OCCURRENCES_SHOWN
            if more > 0 and first.date is not None:
                rule += t("cal_more", n=more) if more > 1 else t("cal_more_one")
        b.note_dating()
        if first.kind == "end":  # the end of the initial term: the term from the effective date, or the end date
            b.note_block("term")
            b.note_block("end")
        else:
            b.note_block(first.source_id)
        if first.kind in ("invoice", "payment"):
            _note_milestone_invoices(b)
        b.note(first.rule)
        when = f.date(first.date) if first.date is not None else f.msg["date_unknown"]
        rows.append(b.row([when, label.title(first), label.parties(first.owed_by), rule]))
    if len(rows) <= 1:
        return None
    s = Section("annex_calendar", f.msg["h_annex_calendar"])
    s.blocks.append(b.p(t("calendar_intro")))
    with b.unnoted():
        picture = timeline(b.c, b.res, items, label, b.lang)
    if picture is not None:
        s.blocks.append(Figure(picture.svg, picture.alt, f.msg["timeline_caption"], picture.data_uri()))
    s.blocks.append(
        Table([f.msg["th_date"], f.msg["th_obligation"], f.msg["th_responsible"], f.msg["th_frequency"]], rows)
    )
    return s


def _note_milestone_invoices(b: Builder) -> None:
    """Invoices on milestones (or deliveries) fall on the dates of the one-off fees' `at`: the row
    states those fees and the dates of their milestones."""
    p = b.c.pricing
    if p is None or not isinstance(p.billing, C.Billing) or p.billing.frequency not in ("on_milestone", "on_delivery"):
        return
    for fee in p.fees:
        if isinstance(fee.value, C.FeeValue) and fee.value.at is not None:
            b.note_block(fee.value.at.id)
