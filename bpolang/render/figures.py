"""The key figures of a contract as a document: a table for the terminal, Markdown, or JSON.

The figures come from :mod:`bpolang.obligations.figures`; this module words them (the
``FIGURES`` area of :mod:`bpolang.i18n`), formats money with babel through
:class:`bpolang.i18n.fmt.Fmt`, and writes one of three outputs.  JSON keys are stable and
amounts are strings rounded to the cent, for tools.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from bpolang.model.bounds import quantized
from bpolang.model.values import Ref


def render_summary(result: Any, output_format: str, lang: str) -> str:
    """The summary of a loaded contract as `table`, `md` or `json` text."""
    from bpolang.obligations.figures import summarise

    s = summarise(result.contract, result.resolution)
    w = _Words(result, s, lang)
    if output_format == "json":
        return json.dumps(w.data(), indent=2, ensure_ascii=False) + "\n"
    doc = w.sections()
    if output_format == "md":
        from bpolang.render.markdown import blocks, escape

        out = ["# " + escape(w.msg("title", title=w.f.user(result.contract.title or result.contract.id or ""))), ""]
        for heading, bs in doc:
            out += ["## " + escape(heading), ""] + blocks(bs)
        while out and out[-1] == "":
            out.pop()
        return "\n".join(out) + "\n"
    return _plain(w.msg("title", title=w.f.user(result.contract.title or result.contract.id or "")), doc)


def cents(d: Decimal | None) -> str | None:
    """An amount for JSON: a string rounded half-even to the cent, like the formatted one."""
    return None if d is None else str(quantized(d, Decimal("0.01"), ROUND_HALF_EVEN))


class _Words:
    def __init__(self, result: Any, s: Any, lang: str) -> None:
        from bpolang.i18n import words
        from bpolang.i18n.fmt import Fmt
        from bpolang.obligations.compute import Labeller

        self.result = result
        self.s = s
        self.lang = lang
        self.f = Fmt.for_contract(result.contract, lang)
        self.label = Labeller(self.f)
        self.m = words(lang, "FIGURES")

    def msg(self, key: str, **kw: Any) -> str:
        return self.m[key].format(**kw)

    def money(self, d: Decimal | None) -> str:
        from bpolang.model.values import Money

        if d is None:
            return "\u2014"
        q = quantized(d, Decimal("0.01"), ROUND_HALF_EVEN)
        return self.f.money(Money(amount=q, currency=self.s.currency)) if self.s.currency else self.f.number(q)

    def pct(self, d: Decimal) -> str:
        from bpolang.model.values import Percentage

        return self.f.percent(Percentage(value=d))

    def note(self, n: Any) -> str:
        v = dict(n.values)
        if n.key in ("volume_forecast", "overage_only"):
            v["amount"] = self.f.number(quantized(v["amount"], Decimal("0.01")).normalize())
            v["unit"] = self.f.unit(v["unit"])
            v["service"] = self.f.ref(Ref(id=v["service"]))
        elif n.key in ("max_of", "min_of"):
            v["values"] = self.f.join([self.money(x) for x in v["values"]], "or")
        elif n.key == "no_volume":
            v["unit"] = self.f.unit(v["unit"])
        elif n.key == "several_volumes":
            v["unit"] = self.f.unit(v["unit"])
            v["services"] = self.f.join([self.f.ref(Ref(id=x)) for x in v["services"]])
        elif n.key == "relative":
            v["base"] = self.f.base_of(Ref(id=v["base"]))
        elif n.key == "indexation_cap":
            v["cap"] = self.pct(v["cap"])
        elif n.key == "credit_parts":
            v["parts"] = " + ".join(f"{self.pct(p)} ({self.f.ref(Ref(id=sla))})" for sla, _what, p in v["parts"])
            v["share"] = self.pct(v["share"])
            v["base"] = self.f.base_of(Ref(id=v["base"]))
        elif n.key == "cap_reached_after":
            v["per"] = self.m["per_" + v["per"]]
        elif n.key == "liability_basis":
            v["basis"] = self.m.get("basis_" + v["basis"], v["basis"])
        elif n.key == "after_term":
            v["at"] = self.f.date(v["at"])
        return self.msg(n.key, **v)

    def assumptions(self) -> list[tuple[str, str]]:
        s, out = self.s, []
        out.append(("rule_schedule", self.msg("rule_schedule")))
        if any(i.volume_based and i.computed for i in s.items):
            out.append(("rule_volumes", self.msg("rule_volumes")))
        out += [(n.key, self.note(n)) for n in s.notes]
        if s.monthly_fees is not None:
            out.append(("monthly_fees", self.msg("monthly_fees", amount=self.money(s.monthly_fees))))
        if s.annual_fees is not None:
            out.append(("annual_fees", self.msg("annual_fees", amount=self.money(s.annual_fees))))
        p = self.result.contract.pricing
        from bpolang.model.values import Rate, Unknown

        if p is not None and isinstance(p.minimum, Rate) and p.minimum.per in ("month", "quarter", "year"):
            out.append(
                (
                    "minimum_note",
                    self.msg(
                        "minimum_note", amount=self.f.money(p.minimum.price), per=self.m["per_word_" + p.minimum.per]
                    ),
                )
            )
        if p is not None and isinstance(p.minimum, Unknown):
            out.append(("minimum_unknown", self.msg("minimum_unknown", what=self.f.unknown(p.minimum))))
        missing = sum(1 for i in s.items if not i.computed)
        if missing:
            out.append(("partial", self.msg("partial", n=missing)))
        return out

    def item_notes(self, x: Any) -> str:
        parts = [self.note(n) for n in x.notes]
        if x.reason is not None:
            parts.insert(0, self.msg("not_computed", reason=self.note(x.reason)))
        return "; ".join(parts)

    def title_of(self, x: Any) -> str:
        from bpolang.i18n.fmt import humanise

        return self.f.user(x.title) if x.title else humanise(x.id)

    # ------------------------------------------------------------ the document
    def sections(self) -> list[tuple[str, list]]:
        from bpolang.obligations.timeline import timeline
        from bpolang.render.ir import Figure, Para, Run, Table

        s, f, m = self.s, self.f, self.m
        out: list[tuple[str, list]] = []
        term = (
            self.msg("term", start=f.date(s.effective), end=f.date(s.end), months=s.months)
            if s.effective and s.end and s.months
            else self.msg("term_unknown")
        )
        rows = []
        for i in s.items:
            rows.append(
                [
                    f"{self.title_of(i)} \u2014 {m['kind_' + i.kind]}",
                    m["schedule_" + i.schedule],
                    self.money(i.per_period) if i.computed else "\u2014",
                    str(i.periods) if i.computed else "\u2014",
                    self.money(i.total) if i.computed else "\u2014",
                    self.money(i.indexed_total) if i.computed else "\u2014",
                    self.item_notes(i),
                ]
            )
        totals = [
            [m["fixed_total"], self.money(s.fixed_total)],
            [m["volume_total"], self.money(s.volume_total)],
            [m["total"], self.money(s.total)],
            [m["indexed_total"], self.money(s.indexed_total)],
        ]
        if s.minimum_total is not None:
            totals.append([m["minimum_total"], self.money(s.minimum_total)])
        value: list = [Para([Run(term)])]
        if rows:
            value.append(
                Table(
                    [
                        m["th_price"],
                        m["th_schedule"],
                        m["th_per_period"],
                        m["th_periods"],
                        m["th_total"],
                        m["th_indexed"],
                        m["th_notes"],
                    ],
                    rows,
                    numeric=(2, 3, 4, 5),
                )
            )
        value.append(Table([m["th_item"], m["th_total"]], totals, numeric=(1,)))
        out.append((m["h_value"], value))
        if s.run_cost:
            out.append(
                (
                    m["h_run"],
                    [
                        Table(
                            [m["th_year"], m["th_from"], m["th_to"], m["th_amount"], m["th_indexed"]],
                            [
                                [str(y), f.date(a), f.date(b), self.money(p), self.money(ix)]
                                for y, a, b, p, ix in s.run_cost
                            ],
                            numeric=(3, 4),
                        )
                    ],
                )
            )
        ex_rows = []
        for e in s.exposures:
            ex_rows.append(
                [
                    f"{self.title_of(e)} \u2014 {m['kind_' + e.kind]}",
                    self.money(e.monthly),
                    self.money(e.monthly_cap),
                    self.money(e.yearly),
                    self.money(e.yearly_cap),
                    self.money(e.worst),
                    self.item_notes(e),
                ]
            )
        credits = [e for e in s.exposures if e.kind == "credit_regime" and e.monthly is not None]
        if credits:
            ex_rows.append(
                [
                    m["credits_total"],
                    self.money(sum((e.monthly for e in credits), Decimal(0))),
                    "\u2014",
                    self.money(sum((e.yearly or Decimal(0) for e in credits), Decimal(0))),
                    "\u2014",
                    "\u2014",
                    "",
                ]
            )
        pens = [e for e in s.exposures if e.kind == "penalty" and e.worst is not None]
        if pens:
            ex_rows.append(
                [
                    m["penalties_total"],
                    "\u2014",
                    "\u2014",
                    "\u2014",
                    "\u2014",
                    self.money(sum((e.worst for e in pens), Decimal(0))),
                    "",
                ]
            )
        if ex_rows:
            out.append(
                (
                    m["h_exposure"],
                    [
                        Table(
                            [
                                m["th_item"],
                                m["th_monthly"],
                                m["th_monthly_cap"],
                                m["th_yearly"],
                                m["th_yearly_cap"],
                                m["th_worst"],
                                m["th_notes"],
                            ],
                            ex_rows,
                            numeric=(1, 2, 3, 4, 5),
                        )
                    ],
                )
            )
        dates = [[f.date(o.date) if o.date else f.msg["date_unknown"], self.label.title(o)] for o in s.key_dates]
        if dates:
            out.append((m["h_dates"], [Table([m["th_date"], m["th_what"]], dates)]))
        if s.data:
            out.append(
                (
                    m["h_data"],
                    [
                        Table(
                            [
                                m["th_data"],
                                m["th_personal"],
                                m["th_categories"],
                                m["th_where"],
                                m["th_retention"],
                                m["th_at_end"],
                            ],
                            [self.data_row(d) for d in s.data],
                        )
                    ],
                )
            )
        # from the obligations the summary already listed, not a second walk of the contract
        picture = timeline(self.result.contract, self.result.resolution, s.obligations, self.label, f.lang)
        if picture is not None:
            out.append((m["h_timeline"], [Figure(picture.svg, picture.alt, None, picture.data_uri())]))
        out.append(
            (m["h_assumptions"], [Para([Run(text[:1].upper() + text[1:] + ".")]) for _k, text in self.assumptions()])
        )
        return out

    def data_row(self, d: Any) -> list[str]:
        from bpolang.model import contract as C

        f, m = self.f, self.m
        personal = "\u2014" if not isinstance(d.personal, bool) else m["yes" if d.personal else "no"]
        cats = f.words(list(d.categories) + list(d.special_categories)) or "\u2014"
        where = f.words(list(d.location)) or "\u2014"
        retention = f.retention(d.retention) if d.retention is not None else m["retention_none"]
        at_end = f.phrasal(d.at_end) if isinstance(d.at_end, C.AtEnd) else "\u2014"
        return [self.title_of(d), personal, cats, where, retention, at_end]

    # ------------------------------------------------------------ JSON
    def data(self) -> dict[str, Any]:
        s, c = self.s, self.result.contract

        def notes(x: Any) -> list[dict[str, str]]:
            return [{"key": n.key, "text": self.note(n)} for n in x.notes]

        def reason(x: Any) -> dict[str, str] | None:
            return None if x.reason is None else {"key": x.reason.key, "text": self.note(x.reason)}

        return {
            "contract": {"id": c.id, "title": c.title, "language": self.lang},
            "currency": s.currency,
            "term": {"effective": _iso(s.effective), "end": _iso(s.end), "months": s.months},
            "value": {
                "complete": s.complete,
                "fixed_total": cents(s.fixed_total),
                "volume_total": cents(s.volume_total),
                "total": cents(s.total),
                "indexed_total": cents(s.indexed_total),
                "minimum_total": cents(s.minimum_total),
                "items": [
                    {
                        "id": i.id,
                        "kind": i.kind,
                        "title": i.title,
                        "schedule": i.schedule,
                        "computed": i.computed,
                        "volume_based": i.volume_based,
                        "per_period": cents(i.per_period),
                        "periods": i.periods,
                        "total": cents(i.total),
                        "indexed_total": cents(i.indexed_total),
                        "notes": notes(i),
                        "reason": reason(i),
                    }
                    for i in s.items
                ],
            },
            "bases": {"monthly_fees": cents(s.monthly_fees), "annual_fees": cents(s.annual_fees)},
            "run_cost": [
                {"year": y, "from": a.isoformat(), "to": b.isoformat(), "total": cents(p), "indexed_total": cents(ix)}
                for y, a, b, p, ix in s.run_cost
            ],
            "exposure": [
                {
                    "id": e.id,
                    "kind": e.kind,
                    "title": e.title,
                    "monthly": cents(e.monthly),
                    "monthly_cap": cents(e.monthly_cap),
                    "yearly": cents(e.yearly),
                    "yearly_cap": cents(e.yearly_cap),
                    "worst": cents(e.worst),
                    "notes": notes(e),
                    "reason": reason(e),
                }
                for e in s.exposures
            ],
            "key_dates": [
                {"date": _iso(o.date), "kind": o.kind, "id": o.source_id, "title": self.label.title(o)}
                for o in s.key_dates
            ],
            "data": [
                {
                    "id": d.id,
                    "title": d.title,
                    "personal": d.personal if isinstance(d.personal, bool) else None,
                    "categories": list(d.categories),
                    "special_categories": list(d.special_categories),
                    "subjects": list(d.subjects),
                    "locations": list(d.location),
                    "retention": self.data_row(d)[4],
                    "at_end": self.data_row(d)[5],
                }
                for d in s.data
            ],
            "assumptions": [{"key": k, "text": t} for k, t in self.assumptions()],
        }


def _iso(d: Any) -> str | None:
    return None if d is None else d.isoformat()


def _plain(title: str, doc: list[tuple[str, list]]) -> str:
    """The summary for a terminal: headings, aligned columns, no markup."""
    from bpolang.render.ir import Figure, Para, Table, text_of

    out = [title, "=" * len(title), ""]
    for heading, bs in doc:
        out += [heading, "-" * len(heading)]
        for b in bs:
            if isinstance(b, Para):
                out.append(text_of(b.runs))
            elif isinstance(b, Figure):
                out.append(b.alt)
            elif isinstance(b, Table):
                # the notes column (last, free text) is not padded
                cols = len(b.headers)
                widths = [max(len(r[i]) for r in [b.headers, *b.rows]) for i in range(cols)]
                for r in [b.headers, *b.rows]:
                    cells = [c.rjust(widths[i]) if i in b.numeric else c.ljust(widths[i]) for i, c in enumerate(r)]
                    out.append("  ".join(cells).rstrip())
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
