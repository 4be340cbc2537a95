"""A timeline picture of the obligations over the term, as an SVG string.

One row per family of obligations (single-date milestones and deliverables as
diamonds, each recurring obligation as a row of ticks, invoices, payments, service-
level periods, exit and data deadlines), a time axis with months and years, and
vertical lines for the start and end of the term and the notice deadline.

Built as text with the standard library's XML escaping (no drawing library: the
picture is a few hundred shapes, and a dependency would add nothing but weight);
every user string goes through :func:`xml.sax.saxutils.escape` / ``quoteattr``, and
coordinates are printed with one decimal, so the same contract gives the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from bpolang.i18n import catalog, no_break
from bpolang.obligations.compute import Labeller, Obligation

WIDTH = 960
LABEL_W = 270
RIGHT_PAD = 20
TOP = 58
ROW_H = 22
AXIS_H = 34
MAX_LABEL = 42


_MILESTONE_KINDS = ("milestone", "long_stop", "deliverable", "acceptance")
_EXIT_KINDS = ("exit_plan", "data_return", "data_at_end", "transition_end")


@dataclass
class Row:
    label: str
    marks: list[Obligation] = field(default_factory=list)
    ticks: bool = False


@dataclass
class Timeline:
    svg: str
    alt: str

    def data_uri(self) -> str:
        """The picture as a `data:` URI, for a Markdown image."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode("utf-8")).decode("ascii")


def rows(items: list[Obligation], label: Labeller, lang: str) -> list[Row]:
    """The rows of the picture, in the order of their first date."""
    words = catalog(lang)["TIMELINE"]
    singles = Row(words["milestones"])
    sla = Row(words["sla"], ticks=True)
    exit_row = Row(words["exit"])
    series: dict[tuple[str, str], Row] = {}
    order: list[Row] = []
    for o in items:
        if o.date is None or o.kind in ("effective", "end", "renewal_notice"):
            continue
        if o.kind == "sla_period":
            row = sla
        elif o.kind in _EXIT_KINDS:
            row = exit_row
        elif o.kind in _MILESTONE_KINDS and not o.series:
            row = singles
        else:
            if o.key not in series:
                series[o.key] = Row(label.title(o), ticks=True)
            row = series[o.key]
        if row not in order:
            order.append(row)
        row.marks.append(o)
    return order


def timeline(contract: Any, res: Any, items: list[Obligation], label: Labeller, lang: str) -> Timeline | None:
    """The picture, or None when the term has no dates to draw."""
    start = res.effective if res is not None else None
    end = res.end if res is not None else None
    dated = [o.date for o in items if o.date is not None]
    if start is None or not dated:
        return None
    lo = min([start, *dated])
    hi = max([end or start, *dated])
    lo = dt.date(lo.year, lo.month, 1)
    hi = dt.date(hi.year + (hi.month == 12), hi.month % 12 + 1, 1)  # first day of the next month
    words = catalog(lang)["TIMELINE"]
    nb = no_break(lang)
    f = label.f
    table = rows(items, label, lang)
    height = TOP + ROW_H * len(table) + AXIS_H
    span = (hi - lo).days
    plot_w = WIDTH - LABEL_W - RIGHT_PAD

    def x(d: dt.date) -> str:
        return f"{LABEL_W + plot_w * (d - lo).days / span:.1f}"

    notice = next((o.date for o in items if o.kind == "renewal_notice" and o.date is not None), None)
    singles = sum(len(r.marks) for r in table if not r.ticks)
    recurring = sum(1 for r in table if r.ticks)
    alt = words["alt"].format(start=f.date(start), end=f.date(end or hi), singles=singles, rows=recurring, nb=nb)
    if notice is not None:
        alt += words["alt_notice"].format(date=f.date(notice), nb=nb)
    if table:
        alt += words["alt_rows"].format(rows="; ".join(r.label for r in table), nb=nb)
    title = words["title"]

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="bpo-timeline-title bpo-timeline-desc" font-family="sans-serif" font-size="11">',
        f'<title id="bpo-timeline-title">{escape(title)}</title>',
        f'<desc id="bpo-timeline-desc">{escape(alt)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    axis_y = TOP + ROW_H * len(table) + 4
    # months and years
    d = lo
    while d <= hi:
        if d.month == 1 or d == lo:
            out.append(
                f'<line x1="{x(d)}" y1="{TOP - 6}" x2="{x(d)}" y2="{axis_y + 6}" stroke="#cccccc" stroke-width="1"/>'
            )
            out.append(f'<text x="{x(d)}" y="{axis_y + 20}" text-anchor="middle" fill="#333333">{d.year}</text>')
        else:
            out.append(
                f'<line x1="{x(d)}" y1="{axis_y}" x2="{x(d)}" y2="{axis_y + 4}" stroke="#999999" stroke-width="1"/>'
            )
        d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    out.append(
        f'<line x1="{LABEL_W}" y1="{axis_y}" x2="{WIDTH - RIGHT_PAD}" y2="{axis_y}" stroke="#333333" stroke-width="1"/>'
    )
    # rows
    for i, row in enumerate(table):
        cy = TOP + ROW_H * i + ROW_H / 2
        text = row.label if len(row.label) <= MAX_LABEL else row.label[: MAX_LABEL - 1] + "\u2026"
        out.append(
            f'<text x="{LABEL_W - 8}" y="{cy + 4:.1f}" text-anchor="end" fill="#111111">'
            f"<title>{escape(row.label)}</title>{escape(text)}</text>"
        )
        out.append(
            f'<line x1="{LABEL_W}" y1="{cy:.1f}" x2="{WIDTH - RIGHT_PAD}" y2="{cy:.1f}" stroke="#eeeeee" stroke-width="1"/>'
        )
        for o in row.marks:
            if o.date is None:
                continue
            tip = escape(f"{f.date(o.date)} \u2014 {label.title(o)}")
            if row.ticks:
                out.append(
                    f'<line x1="{x(o.date)}" y1="{cy - 6:.1f}" x2="{x(o.date)}" y2="{cy + 6:.1f}" stroke="#1f5fa8" '
                    f'stroke-width="1.5"><title>{tip}</title></line>'
                )
            else:
                fill = "#ffffff" if o.kind in ("long_stop", "acceptance") else "#c0392b"
                px = float(x(o.date))
                out.append(
                    f'<path d="M{px:.1f} {cy - 6:.1f} L{px + 6:.1f} {cy:.1f} L{px:.1f} {cy + 6:.1f} '
                    f'L{px - 6:.1f} {cy:.1f} Z" fill="{fill}" stroke="#c0392b" stroke-width="1.5"><title>{tip}</title></path>'
                )
    # term start and end, notice deadline
    marks = [(start, words["start"], "#111111", "", TOP - 34)]
    if end is not None:
        marks.append((end, words["end"], "#111111", "", TOP - 34))
    if notice is not None:  # labelled lower, so it never covers the label of the end
        marks.append((notice, words["notice"], "#d35400", ' stroke-dasharray="4 3"', TOP - 20))
    for when, name, colour, dash, label_y in marks:
        out.append(
            f'<line x1="{x(when)}" y1="{label_y + 4}" x2="{x(when)}" y2="{axis_y}" stroke="{colour}" '
            f'stroke-width="1.5"{dash}><title>{escape(name + " " + f.date(when))}</title></line>'
        )
        out.append(
            f'<text x="{x(when)}" y="{label_y}" text-anchor="middle" fill={quoteattr(colour)}>{escape(name)}</text>'
        )
    out.append("</svg>")
    return Timeline("\n".join(out) + "\n", alt)


def timeline_of(contract: Any, res: Any, fmt: Any) -> Timeline | None:
    """The timeline of a contract, worded with a renderer formatter (:class:`bpolang.i18n.fmt.Fmt`)."""
    from bpolang.obligations.compute import obligations

    return timeline(contract, res, obligations(contract, res), Labeller(fmt), fmt.lang)
