"""Inlay hints: what hover tells of a value, written after it.

After a date computed from an event (`kickoff + 45 days`), its calendar date and weekday;
after a calendar date, its weekday; after a share of a fee base (`10% of monthly_fees`), the
amount it comes to at the fees written; after a tacit `renewal`, the last day to give notice.
The values come from the same resolution as `bpo check`, `bpo calendar` and hover.
"""

from __future__ import annotations

import datetime as dt

from lsprotocol import types as lsp

from bpolang.model import contract as C
from bpolang.model.values import DateExpr, Unknown


def inlay_hints(analysis, start: int, end: int) -> list[lsp.InlayHint]:
    """The hints of the values ending between two offsets of the analysed text."""
    from bpolang.lsp.hover import share_of
    from bpolang.resolve.references import walk

    result = analysis.result
    contract, res = result.contract, result.resolution
    if contract is None or res is None:
        return []
    codec = analysis.codec
    out: list[tuple[int, str]] = []
    fmt = None
    for owner, _name, value in walk(contract):
        span = getattr(value, "span", None)
        # a value the document inherits from its master is written, and hinted, in the master
        if span is None or span.path is not None or not (start <= span.end <= end) or not isinstance(owner, C.Node):
            continue
        if isinstance(value, DateExpr):
            label = _date_label(value, res)
            if label:
                out.append((span.end, label))
            continue
        share = share_of(contract, value)
        if share is not None:
            if fmt is None:
                from bpolang.render.build import Builder

                fmt = Builder(contract, res, contract.language or "en").f
            out.append((span.end, f"= {fmt.money(share)}"))
    out += _notice(contract, res, start, end)
    out.sort()
    return [
        lsp.InlayHint(position=codec.position(at), label=label, padding_left=True, kind=lsp.InlayHintKind.Type)
        for at, label in out
    ]


def _date_label(value: DateExpr, res) -> str | None:
    try:
        when = res.date_of(value)
    except (ValueError, OverflowError):  # a date past the calendar: hover says so
        return None
    if when is None:
        return None
    if value.anchor is None and not value.offsets:
        return _weekday(when)  # the date is written: its weekday only
    return f"→ {when.isoformat()} {_weekday(when)}"


def _weekday(when: dt.date) -> str:
    return when.strftime("%a")


def _notice(contract, res, start: int, end: int) -> list[tuple[int, str]]:
    from bpolang.obligations.compute import notice_deadlines

    rn = contract.renewal
    span = getattr(rn, "span", None)
    if not isinstance(rn, C.Renewal) or span is None or span.path is not None or not (start <= span.end <= end):
        return []
    for ob in notice_deadlines(contract, res):
        if ob.kind == "renewal_notice" and ob.date is not None and not isinstance(ob.rule, Unknown):
            return [(span.end, f"notice by {ob.date.isoformat()} {_weekday(ob.date)}")]
    return []
