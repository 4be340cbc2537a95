"""The portfolio view as a document: a table for the terminal, Markdown, or JSON.

The figures come from :mod:`bpolang.obligations.portfolio`; this module words them (the
``PORTFOLIO`` area of :mod:`bpolang.i18n`) and formats money and dates with
:class:`bpolang.i18n.fmt.Fmt`.  The JSON keys are stable; amounts are strings rounded half-even
to the cent, as in `bpo summary FILE`; its schema is documented in docs/calendar.md.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from bpolang.model.bounds import quantized
from bpolang.render.figures import _iso, _plain, cents

DASH = "\u2014"


def render_portfolio(portfolio: Any, output_format: str, lang: str) -> str:
    """The portfolio as `table`, `md` or `json` text."""
    w = _Words(portfolio, lang)
    if output_format == "json":
        return json.dumps(w.data(), indent=2, ensure_ascii=False) + "\n"
    doc = w.sections()
    title = w.m["title"]
    if output_format == "md":
        from bpolang.render.markdown import blocks, escape

        out = ["# " + escape(title), ""]
        for heading, bs in doc:
            out += ["## " + escape(heading), ""] + blocks(bs)
        while out and out[-1] == "":
            out.pop()
        return "\n".join(out) + "\n"
    return _plain(title, doc)


class _Words:
    def __init__(self, portfolio: Any, lang: str) -> None:
        from bpolang.i18n import words
        from bpolang.i18n.fmt import Fmt
        from bpolang.obligations.compute import Labeller

        self.p = portfolio
        self.lang = lang
        self.f = Fmt(lang)
        self.label = Labeller(self.f)
        self.m = words(lang, "PORTFOLIO")

    def msg(self, key: str, **kw: Any) -> str:
        return self.m[key].format(**kw)

    def money(self, d: Decimal | None, currency: str | None) -> str:
        from bpolang.model.values import Money

        if d is None:
            return DASH
        q = quantized(d, Decimal("0.01"), ROUND_HALF_EVEN)
        return self.f.money(Money(amount=q, currency=currency)) if currency else self.f.number(q)

    def date(self, d: Any) -> str:
        return DASH if d is None else self.f.date(d)

    def provider(self, name: str | None) -> str:
        return self.f.user(name) if name else self.m["no_provider"]

    def contract(self, e: Any) -> str:
        from bpolang.i18n.fmt import humanise

        return self.f.user(e.title) if e.title else humanise(e.id or e.path)

    def notes(self, e: Any) -> str:
        parts = []
        if e.currency is None:
            parts.append(self.m["no_currency"])
        if e.left_out:
            parts.append(self.msg("left_out", n=e.left_out))
        if e.not_bounded:
            parts.append(self.msg("not_bounded", ids=self.f.join(list(e.not_bounded))))
        if e.errors:
            parts.append(self.msg("with_errors", n=e.errors))
        return "; ".join(parts)

    def notice(self, e: Any) -> str:
        o = e.next_notice
        return DASH if o is None else f"{self.f.date(o.date)} ({self.label.title(o)})"

    def master_dates(self, e: Any) -> str:
        """The master's own end and next notice deadline (a master is not counted, its dates matter)."""
        return self.msg("master_dates", end=self.date(e.end), notice=self.notice(e))

    def skipped(self, s: Any) -> str:
        if s.reason == "schedule":
            return self.m["skipped_schedule"]
        if s.reason == "unreadable":
            return self.msg("skipped_unreadable", first=s.first)
        return self.msg("skipped_errors", n=s.errors, first=s.first)

    # ------------------------------------------------------------ the document
    def sections(self) -> list[tuple[str, list]]:
        from bpolang.render.ir import Para, Run, Table

        m, p = self.m, self.p
        out: list[tuple[str, list]] = []
        head = [m["th_contract"], m["th_file"], m["th_value"], m["th_credits"], m["th_penalties"]]
        head += [m["th_notice"], m["th_end"], m["th_notes"]]
        for prov in p.providers:
            blocks: list = []
            for g in prov.groups:
                if g.master is None:
                    blocks.append(Para([Run(m["under_none"])]))
                else:
                    title = self.f.user(g.master_title or g.master)
                    blocks.append(Para([Run(self.msg("under_master", title=title, path=g.master))]))
                    if g.master_entry is not None:
                        blocks.append(Para([Run(self.master_dates(g.master_entry))]))
                rows = [
                    [
                        self.contract(e),
                        e.path,
                        self.money(e.value, e.currency),
                        self.money(e.credits, e.currency),
                        self.money(e.penalties, e.currency),
                        self.notice(e),
                        self.date(e.end),
                        self.notes(e),
                    ]
                    for e in g.entries
                ]
                blocks.append(Table(head, rows, numeric=(2, 3, 4)))
            if prov.totals:
                rows = []
                for t in prov.totals:
                    notes = ([] if t.complete else [m["lower_bound"]]) + ([] if t.bounded else [m["some_unbounded"]])
                    rows.append(
                        [
                            self.msg("total", currency=t.currency),
                            str(t.contracts),
                            self.money(t.value, t.currency),
                            self.money(t.credits, t.currency),
                            self.money(t.penalties, t.currency),
                            "; ".join(notes),
                        ]
                    )
                blocks.append(
                    Table(
                        [m["th_total"], m["th_contracts"], m["th_value"], m["th_credits"], m["th_penalties"]]
                        + [m["th_notes"]],
                        rows,
                        numeric=(1, 2, 3, 4),
                    )
                )
            out.append((self.msg("h_provider", name=self.provider(prov.name)), blocks))
        deadlines = [
            [
                self.f.date(d),
                self.provider(e.provider),
                self.contract(e),
                self.label.title(e.next_notice) if kind == "notice" else m["end"],
            ]
            for d, kind, e in p.deadlines()
        ]
        out.append(
            (
                m["h_deadlines"],
                [Table([m["th_date"], m["th_provider"], m["th_contract"], m["th_what"]], deadlines)]
                if deadlines
                else [Para([Run(self.msg("no_deadlines", date=self.f.date(p.as_of)))])],
            )
        )
        if p.skipped:
            rows = [[s.path, self.skipped(s)] for s in p.skipped]
            out.append((m["h_skipped"], [Table([m["th_file"], m["th_reason"]], rows)]))
        intro = self.msg("intro", n=len(p.entries), date=self.f.date(p.as_of))
        rules = [Para([Run(m[k])]) for k in ("rule_sow", "rule_value", "rule_exposure", "rule_totals")]
        out.append((m["h_rules"], [Para([Run(intro)]), *rules]))
        return out

    # ------------------------------------------------------------ JSON
    def data(self) -> dict[str, Any]:
        p = self.p

        def notice(e: Any) -> dict[str, Any] | None:
            o = e.next_notice
            return (
                None
                if o is None
                else {"date": o.date.isoformat(), "kind": o.kind, "id": o.source_id, "title": self.label.title(o)}
            )

        def contract(e: Any) -> dict[str, Any]:
            return {
                "path": e.path,
                "id": e.id,
                "title": e.title,
                "currency": e.currency,
                "value": cents(e.value),
                "value_complete": e.value is not None and e.left_out == 0,
                "prices_not_computed": e.left_out,
                "credits_worst_year": cents(e.credits),
                "penalties_worst_case": cents(e.penalties),
                "not_bounded": list(e.not_bounded),
                "effective": _iso(e.effective),
                "end": _iso(e.end),
                "next_notice": notice(e),
                "errors": e.errors,
            }

        return {
            "as_of": p.as_of.isoformat(),
            "contracts": len(p.entries),
            "providers": [
                {
                    "name": prov.name,
                    "totals": [
                        {
                            "currency": t.currency,
                            "contracts": t.contracts,
                            "value": cents(t.value),
                            "value_complete": t.complete,
                            "credits_worst_year": cents(t.credits),
                            "penalties_worst_case": cents(t.penalties),
                            "exposure_complete": t.bounded,
                        }
                        for t in prov.totals
                    ],
                    "groups": [
                        {
                            "master": None
                            if g.master is None
                            else {
                                "path": g.master,
                                "title": g.master_title,
                                "end": _iso(g.master_entry.end) if g.master_entry else None,
                                "next_notice": notice(g.master_entry) if g.master_entry else None,
                            },
                            "contracts": [contract(e) for e in g.entries],
                        }
                        for g in prov.groups
                    ],
                }
                for prov in p.providers
            ],
            "deadlines": [
                {
                    "date": d.isoformat(),
                    "kind": e.next_notice.kind if kind == "notice" else "end",
                    "path": e.path,
                    "provider": e.provider,
                    "title": self.label.title(e.next_notice) if kind == "notice" else self.m["end"],
                }
                for d, kind, e in p.deadlines()
            ],
            "not_counted": [
                {"path": s.path, "reason": s.reason, "errors": s.errors, "first": s.first} for s in p.skipped
            ],
        }
