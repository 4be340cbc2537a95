"""The statement of assessed periods: a terminal table, Markdown, HTML (French or English), and JSON.

Every amount is shown with its rule and its arithmetic.  A measured share that is not a finite
decimal (2/3) is shown with ``≈`` and four decimals, and its exact fraction beside it; every other
figure is shown with all its digits.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from bpolang.assess.engine import Line, Note, Period, SlaResult, Token, minor_unit, pct
from bpolang.assess.indexation import decimal
from bpolang.i18n import words
from bpolang.i18n.fmt import Fmt
from bpolang.model import contract as C
from bpolang.model.values import Money
from bpolang.render.ir import Block, Bullets, Document, Para, Run, Section, Table

SECTIONS = ("charge", "minimum", "credit", "earn_back", "penalty", "late_payment")


@dataclass
class Writer:
    contract: C.Contract
    lang: str
    where: dict[str, str] = field(default_factory=dict)  # element id -> its article in the rendered contract

    def __post_init__(self) -> None:
        self.fmt = Fmt.for_contract(self.contract, self.lang)
        self.w = words(self.lang, "ASSESS")
        self.titles = {e.id: e.title for e in _elements(self.contract) if getattr(e, "id", None)}

    def t(self, key: str, params: dict[str, Token] | None = None) -> str:
        return self.w[key].format(**{k: self.token(v) for k, v in (params or {}).items()})

    # ------------------------------------------------------------ values
    def decimal(self, d: Decimal) -> str:
        places = max(0, -int(d.as_tuple().exponent)) if d.is_finite() else 0
        if places > 6:
            text = format_decimal(d.quantize(Decimal("0.0001")), format="#,##0.0000", locale=self.fmt.locale)
            return "≈" + text.replace("\u00a0", "\u202f")
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(d, format=pattern, locale=self.fmt.locale).replace("\u00a0", "\u202f")

    def token(self, tok: Token) -> str:
        if tok.kind == "money":
            return (
                self.fmt.money(Money(amount=tok.value, currency=tok.unit or ""))
                if abs(tok.value.as_tuple().exponent) <= 6
                else self.decimal(tok.value) + " " + (tok.unit or "")
            )
        if tok.kind == "percent":
            return self.decimal(tok.value) + ("\u202f%" if self.lang == "fr" else "%")
        if tok.kind == "misses":
            return self.w["misses_measured_one" if tok.value == 1 else "misses_measured"].format(
                misses=self.decimal(tok.value), allowed=tok.unit
            )
        if tok.kind == "step":
            return self.fmt.msg[f"step_cond_{tok.unit}"].format(value=self.token(pct(tok.value)))
        if tok.kind == "number":
            unit = f" {self.fmt.unit(tok.unit)}" if tok.unit and tok.unit != "percent" else ""
            return self.decimal(tok.value) + unit
        if tok.kind == "days":
            from bpolang.model.values import Duration, DurationUnit

            unit = (
                "business_days" if tok.unit == "business_day" else ("days" if tok.unit in (None, "day") else tok.unit)
            )
            try:
                text = self.fmt.duration(Duration(amount=tok.value, unit=DurationUnit(unit)))
                if self.decimal(tok.value).startswith("≈"):  # a time in hours that is not a finite decimal
                    return self.decimal(tok.value) + text[len(self.fmt.number(tok.value)) :]
                return text
            except ValueError:
                return f"{self.decimal(tok.value)} {tok.unit}"
        if tok.kind == "datetime":
            when = tok.value
            offset = when.strftime("%z")
            zone = f" UTC{offset[:3]}:{offset[3:]}" if offset else ""
            return f"{self.fmt.date(when.date())} {when:%H:%M}" + (f":{when:%S}" if when.second else "") + zone
        if tok.kind == "date":
            return self.fmt.date(tok.value) if isinstance(tok.value, dt.date) else str(tok.value)
        if tok.kind == "id":
            title = self.titles.get(tok.value)
            if title is None and f"term_base_{tok.value}" in self.fmt.msg:
                return self.fmt.msg[f"term_base_{tok.value}"]  # a fee base: its defined term, as in the contract
            return f"{title} ({tok.value})" if title else str(tok.value)
        return str(tok.value)

    def arithmetic(self, tokens: list[Token]) -> str:
        out = []
        for tok in tokens:
            if tok.kind == "id":  # the base an amount is a share of: its defined term, else its id
                out.append(f"[{self.fmt.msg.get(f'term_base_{tok.value}', tok.value)}]")
            else:
                out.append(tok.value if tok.kind == "op" else self.token(tok))
        return " ".join(out).replace("( ", "(").replace(" )", ")")

    def amount(self, v: Decimal | None, currency: str | None) -> str:
        if v is None:
            return self.w["unknown"]
        return self.fmt.money(Money(amount=v, currency=currency or ""))

    # ------------------------------------------------------------ rows
    def sla_rows(self, p: Period) -> list[list[str]]:
        rows = []
        for r in p.slas:
            name = self.token(Token("id", r.sla))
            if r.severity:
                name = self.w["severity"].format(sla=name, severity=r.severity, time=self.w[f"time_{r.time}"])
            target = self.w[f"comparator_{r.comparator}"].format(value=self.token(r.target)) if r.target else "—"
            measured = self.token(r.attainment) if r.attainment else "—"
            result = self.w["unknown"] if r.met is None else self.w["met" if r.met else "missed"]
            extra = ([self.w["breach"]] if r.breach else []) + (
                [self.w["chronic"].format(regimes=", ".join(r.chronic))] if r.chronic else []
            )
            rows.append([name, target, measured, ", ".join([result, *extra]), self.arithmetic(r.arithmetic)])
        return rows

    def ticket_rows(self, p: Period) -> list[list[str]]:
        rows = []
        for r in p.slas:
            if r.severity is not None:
                continue
            for t in r.tickets:
                level = self.token(Token("id", r.sla)) + (f", {t.severity}" if t.severity else "")
                if t.excluded is not None and not t.times:
                    rows.append([t.id, level, "—", "", self.w["ticket_excluded"].format(reason=t.excluded)])
                for x in t.times:
                    how = self.arithmetic(x.arithmetic) + (f" ({self.w['ticket_in_hours']})" if x.in_hours else "")
                    result = self.w["ticket_within" if x.within else "ticket_over"]
                    if t.excluded is not None:
                        result = self.w["ticket_excluded"].format(reason=t.excluded)
                    rows.append([t.id, level, self.w[f"time_{x.time}"], how, result])
        return rows

    def index_rows(self, p: Period) -> list[list[str]]:
        rows = []
        for step in p.indexation:
            bound = self.w[f"index_{step.bound}" if step.bound else "index_within"]
            factor = self.token(Token("number", decimal(step.factor)))
            rows.append([self.token(Token("date", step.review)), self.arithmetic(step.arithmetic), bound, factor])
        return rows

    def index_head(self) -> list[str]:
        return [self.w["th_review"], self.w["th_derivation"], self.w["th_result"], self.w["th_factor"]]

    def ticket_head(self) -> list[str]:
        return [self.w["th_ticket"], self.w["th_sla"], self.w["th_time"], self.w["th_derivation"], self.w["th_result"]]

    def line_rows(self, p: Period) -> list[tuple[str, list[list[str]]]]:
        out = []
        for section in SECTIONS:
            lines = [ln for ln in p.lines if ln.section == section]
            if lines:
                out.append((self.w[f"s_{section}"], [self.line_row(ln, p.currency) for ln in lines]))
        return out

    def line_row(self, ln: Line, currency: str | None) -> list[str]:
        item = f"{ln.title} ({ln.source})" if ln.title else ln.source
        if ln.source in self.where:
            item += f", {self.where[ln.source]}"
        return [item, self.t(ln.rule, ln.params), self.arithmetic(ln.arithmetic), self.amount(ln.amount, currency)]

    def totals(self, p: Period) -> list[list[str]]:
        rows = [[self.w["total_charges"], self.amount(p.total("charge"), p.currency)]]
        for key, section in (
            ("total_minimum", "minimum"),
            ("total_credits", "credit"),
            ("total_earn_back", "earn_back"),
            ("total_penalties", "penalty"),
            ("total_late_payment", "late_payment"),
        ):
            if any(ln.section == section for ln in p.lines):
                sign = "− " if section in ("credit", "penalty") else "+ "
                rows.append([self.w[key], sign + self.amount(p.total(section), p.currency)])
        rows.append([self.w["total_invoice"], self.amount(p.invoice, p.currency)])
        return rows

    def notes(self, notes: list[Note]) -> list[str]:
        seen: list[str] = []
        for n in notes:
            text = self.t(n.key, n.params)
            if text not in seen:
                seen.append(text)
        return seen

    def rounding(self, p: Period) -> str:
        """How amounts are rounded; nothing when the pricing names no currency (then no amount is computed)."""
        if not p.currency:
            return ""
        return self.w["rounding"].format(currency=p.currency, unit=self.decimal(minor_unit(p.currency)))

    def head(self) -> list[str]:
        return [
            self.w["th_sla"],
            self.w["th_target"],
            self.w["th_measured"],
            self.w["th_result"],
            self.w["th_derivation"],
        ]

    def line_head(self) -> list[str]:
        return [self.w["th_item"], self.w["th_rule"], self.w["th_derivation"], self.w["th_amount"]]


def _elements(contract: C.Contract) -> list[Any]:
    out: list[Any] = [
        *contract.service_levels,
        *contract.credit_regimes,
        *contract.penalties,
        *contract.milestones,
        *contract.deliverables,
    ]
    if contract.pricing is not None:
        out += [*contract.pricing.fees, *contract.pricing.units, *contract.pricing.rates, *contract.pricing.tiers]
    return out


# ------------------------------------------------------------------ formats
FORMATS = ("markdown", "html", "docx")


def articles(contract: C.Contract, resolution: Any, lang: str) -> dict[str, str]:
    """Where each credit regime, penalty and service level is in the rendered contract: `Article 8.1`."""
    from bpolang.render import document

    msg = words(lang, "MESSAGES")
    where: dict[str, str] = {}
    for s in document(contract, resolution, lang).sections():
        kind, _, element = s.key.partition(":")
        if element and kind in ("credit", "penalty", "sla") and s.number:
            where[element] = msg["ref_article"].format(n=s.number)
    return where


def document(result: Any, periods: list[Period], lang: str) -> Document:
    """The statement as a document of the renderer (one article per period), for its Markdown, HTML and DOCX writers."""
    contract = result.contract
    w = Writer(contract, lang, articles(contract, result.resolution, lang))
    sections = []
    for p in periods:
        top = Section(f"period:{p.period}", w.w["period"].format(period=p.period), anchor=f"p{p.period}")
        subs: list[tuple[str, list[Block]]] = []
        if p.slas:
            subs.append((w.w["h_slas"], [Table(w.head(), w.sla_rows(p))]))
        tickets = w.ticket_rows(p)
        if tickets:
            subs.append((w.w["h_tickets"], [Table(w.ticket_head(), tickets)]))
        if p.indexation:
            subs.append((w.w["h_indexation"], [Table(w.index_head(), w.index_rows(p), numeric=(4,))]))
        amounts: list[Block] = []
        for title, rows in w.line_rows(p):
            amounts += [Para([Run(title, bold=True)]), Table(w.line_head(), rows, numeric=(4,))]
        if amounts:
            subs.append((w.w["h_lines"], amounts))
        subs.append(
            (
                w.w["h_invoice"],
                [Table(["", w.w["th_amount"]], w.totals(p), numeric=(1,)), Para([Run(w.rounding(p))], "note")],
            )
        )
        for key, notes in (("h_rights", p.rights), ("h_notes", p.notes)):
            if notes:
                subs.append((w.w[key], [Bullets([[Run(x)] for x in w.notes(notes)])]))
        for k, (title, blocks) in enumerate(subs, start=1):
            top.subsections.append(Section(f"{top.key}:{k}", title, blocks, anchor=f"p{p.period}-{k}"))
        sections.append(top)
    preamble: list[Block] = [Para([Run(w.w["contract"].format(title=w.fmt.user(contract.title or contract.id or "")))])]
    return Document(lang, w.w["title"], preamble, sections, [], [])


def write(result: Any, periods: list[Period], fmt: str, lang: str) -> bytes:
    """The statement in one of FORMATS; Markdown and HTML are UTF-8."""
    doc = document(result, periods, lang)
    if fmt == "markdown":
        from bpolang.render.markdown import blocks, section

        out = [f"# {doc.title}", "", *blocks(doc.preamble)]
        for a in doc.articles:
            out += section(a, 2)
        return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")
    if fmt == "html":
        from bpolang.render.html import write as html

        return html(doc).encode("utf-8")
    if fmt == "docx":
        from bpolang.render.docx import write as docx

        return docx(doc)
    raise ValueError(f"unknown format {fmt!r}")


def table(result: Any, periods: list[Period], lang: str) -> str:
    """The terminal table: plain columns, one block per period."""
    w = Writer(result.contract, lang, articles(result.contract, result.resolution, lang))
    out: list[str] = []
    for p in periods:
        out += [w.w["period"].format(period=p.period), ""]
        if p.slas:
            out += _text_table(w.head(), w.sla_rows(p)) + [""]
        tickets = w.ticket_rows(p)
        if tickets:
            out += [w.w["h_tickets"], *_text_table(w.ticket_head(), tickets), ""]
        if p.indexation:
            out += [w.w["h_indexation"], *_text_table(w.index_head(), w.index_rows(p)), ""]
        for title, rows in w.line_rows(p):
            out += [title, *_text_table(w.line_head(), rows), ""]
        out += _text_table(["", ""], w.totals(p)) + [w.rounding(p), ""]
        for x in w.notes(p.rights):
            out.append(f"! {x}")
        for x in w.notes(p.notes):
            out.append(f"* {x}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _text_table(head: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    fmt = lambda r: "  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip()  # noqa: E731
    lines = [fmt(head), "  ".join("-" * x for x in widths)] if any(head) else []
    return lines + [fmt(r) for r in rows]


def to_json(periods: list[Period]) -> str:
    """The assessment for tools: numbers as strings of exact decimals (documented in docs/assess.md)."""

    def tok(t: Token | None) -> Any:
        if t is None:
            return None
        value = t.value.isoformat() if isinstance(t.value, dt.datetime) else t.value
        value = str(value) if isinstance(value, Decimal | dt.date) else value
        return {"kind": t.kind, "value": value, **({"unit": t.unit} if t.unit else {})}

    def sla(r: SlaResult) -> dict:
        return {
            "sla": r.sla,
            "severity": r.severity,
            "time": r.time,
            "target": tok(r.target),
            "comparator": r.comparator,
            "measured": tok(r.attainment),
            "met": r.met,
            "breach": r.breach,
            "chronic": r.chronic,
            "arithmetic": plain(r.arithmetic),
            **({"misses": r.misses} if r.misses is not None else {}),
            **({"tickets": [ticket(t) for t in r.tickets]} if r.tickets else {}),
        }

    def plain(tokens: list[Token]) -> str:
        return " ".join(t.plain() if t.kind != "op" else t.value for t in tokens)

    def ticket(t: Any) -> dict:
        return {
            "id": t.id,
            "severity": t.severity,
            "excluded": t.excluded,
            "within": None if t.excluded is not None else t.within,
            "times": [
                {
                    "time": x.time,
                    "elapsed": {"value": str(x.elapsed), "unit": x.limit.unit.value},
                    "limit": {"value": str(x.limit.amount), "unit": x.limit.unit.value},
                    "comparator": x.comparator,
                    "within": x.within,
                    "in_hours": x.in_hours,
                    "arithmetic": plain(x.arithmetic),
                }
                for x in t.times
            ],
        }

    def line(ln: Line) -> dict:
        return {
            "section": ln.section,
            "source": ln.source,
            "rule": ln.rule,
            "amount": None if ln.amount is None else str(ln.amount),
            "params": {k: tok(v) for k, v in ln.params.items()},
            "arithmetic": " ".join(
                t.plain() if t.kind not in ("op", "id") else f"[{t.value}]" if t.kind == "id" else t.value
                for t in ln.arithmetic
            ),
        }

    def fraction(f: Any) -> str | None:
        return None if f is None else (str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}")

    def index(x: Any) -> dict:
        return {
            "review": x.review.isoformat(),
            "values": {k: str(v) for k, v in x.values.items()},
            "formula_factor": fraction(x.raw),
            "factor": fraction(x.factor),
            "bound": x.bound,
            "arithmetic": plain(x.arithmetic),
        }

    def total(v: Decimal | None) -> str | None:
        return None if v is None else str(v)

    doc = {
        "version": 1,
        "periods": [
            {
                "period": p.period,
                "currency": p.currency,
                "minor_unit": str(minor_unit(p.currency)) if p.currency else None,
                "service_levels": [sla(r) for r in p.slas],
                "lines": [line(ln) for ln in p.lines],
                "totals": {s: total(p.total(s)) for s in SECTIONS} | {"invoice": total(p.invoice)},
                "indexation": [index(x) for x in p.indexation],
                "index_factor": fraction(p.index_factor),
                "rights": [{"rule": n.key, "params": {k: tok(v) for k, v in n.params.items()}} for n in p.rights],
                "notes": [{"rule": n.key, "params": {k: tok(v) for k, v in n.params.items()}} for n in p.notes],
            }
            for p in periods
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
