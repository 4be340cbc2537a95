"""The statement of assessed periods: a terminal table, Markdown, HTML (French or English), and JSON.

Every amount is shown with its rule and its arithmetic.  A measured share that is not a finite
decimal (2/3) is shown with ``≈`` and four decimals, and its exact fraction beside it; every other
figure is shown with all its digits.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from bpolang.assess.engine import Line, Note, Period, SlaResult, Token, minor_unit
from bpolang.i18n import words
from bpolang.i18n.fmt import Fmt
from bpolang.model import contract as C
from bpolang.model.values import Money

SECTIONS = ("charge", "minimum", "credit", "earn_back", "penalty")


@dataclass
class Writer:
    contract: C.Contract
    lang: str

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
        if tok.kind == "number":
            unit = f" {self.fmt.unit(tok.unit)}" if tok.unit and tok.unit != "percent" else ""
            return self.decimal(tok.value) + unit
        if tok.kind == "days":
            from bpolang.model.values import Duration, DurationUnit

            unit = (
                "business_days" if tok.unit == "business_day" else ("days" if tok.unit in (None, "day") else tok.unit)
            )
            try:
                return self.fmt.duration(Duration(amount=tok.value, unit=DurationUnit(unit)))
            except ValueError:
                return f"{self.decimal(tok.value)} {tok.unit}"
        if tok.kind == "date":
            return self.fmt.date(tok.value) if isinstance(tok.value, dt.date) else str(tok.value)
        if tok.kind == "id":
            title = self.titles.get(tok.value)
            return f"{title} ({tok.value})" if title else str(tok.value)
        return str(tok.value)

    def arithmetic(self, tokens: list[Token]) -> str:
        out = []
        for tok in tokens:
            if tok.kind == "id":
                out.append(f"[{tok.value}]")
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

    def line_rows(self, p: Period) -> list[tuple[str, list[list[str]]]]:
        out = []
        for section in SECTIONS:
            lines = [ln for ln in p.lines if ln.section == section]
            if lines:
                out.append((self.w[f"s_{section}"], [self.line_row(ln, p.currency) for ln in lines]))
        return out

    def line_row(self, ln: Line, currency: str | None) -> list[str]:
        item = f"{ln.title} ({ln.source})" if ln.title else ln.source
        return [item, self.t(ln.rule, ln.params), self.arithmetic(ln.arithmetic), self.amount(ln.amount, currency)]

    def totals(self, p: Period) -> list[list[str]]:
        rows = [[self.w["total_charges"], self.amount(p.total("charge"), p.currency)]]
        for key, section in (
            ("total_minimum", "minimum"),
            ("total_credits", "credit"),
            ("total_earn_back", "earn_back"),
            ("total_penalties", "penalty"),
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
        cur = p.currency or "EUR"
        return self.w["rounding"].format(currency=cur, unit=self.decimal(minor_unit(cur)))

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
def markdown(contract: C.Contract, periods: list[Period], lang: str) -> str:
    w = Writer(contract, lang)
    out = [f"# {w.w['title']}", "", w.w["contract"].format(title=contract.title or contract.id), ""]
    for p in periods:
        out += [f"## {w.w['period'].format(period=p.period)}", ""]
        if p.slas:
            out += [f"### {w.w['h_slas']}", "", *_md_table(w.head(), w.sla_rows(p)), ""]
        out += [f"### {w.w['h_lines']}", ""]
        for title, rows in w.line_rows(p):
            out += [f"**{title}**", "", *_md_table(w.line_head(), rows), ""]
        out += [f"### {w.w['h_invoice']}", "", *_md_table(["", ""], w.totals(p)), "", w.rounding(p), ""]
        if p.rights:
            out += [f"### {w.w['h_rights']}", "", *[f"- {x}" for x in w.notes(p.rights)], ""]
        if p.notes:
            out += [f"### {w.w['h_notes']}", "", *[f"- {x}" for x in w.notes(p.notes)], ""]
    return "\n".join(out).rstrip() + "\n"


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md_cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return lines


def html_page(contract: C.Contract, periods: list[Period], lang: str) -> str:
    w = Writer(contract, lang)
    e = html.escape
    body = [f"<h1>{e(w.w['title'])}</h1>", f"<p>{e(w.w['contract'].format(title=contract.title or contract.id))}</p>"]

    def table(head: list[str], rows: list[list[str]]) -> str:
        th = "".join(f"<th>{e(h)}</th>" for h in head)
        trs = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
        return f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"

    for p in periods:
        body.append(f"<h2>{e(w.w['period'].format(period=p.period))}</h2>")
        if p.slas:
            body += [f"<h3>{e(w.w['h_slas'])}</h3>", table(w.head(), w.sla_rows(p))]
        body.append(f"<h3>{e(w.w['h_lines'])}</h3>")
        for title, rows in w.line_rows(p):
            body += [f"<h4>{e(title)}</h4>", table(w.line_head(), rows)]
        body += [f"<h3>{e(w.w['h_invoice'])}</h3>", table(["", ""], w.totals(p)), f"<p>{e(w.rounding(p))}</p>"]
        for key, notes in (("h_rights", p.rights), ("h_notes", p.notes)):
            if notes:
                body += [
                    f"<h3>{e(w.w[key])}</h3>",
                    "<ul>" + "".join(f"<li>{e(x)}</li>" for x in w.notes(notes)) + "</ul>",
                ]
    style = "body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em;text-align:left}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{e(w.w["title"])}</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def table(contract: C.Contract, periods: list[Period], lang: str) -> str:
    """The terminal table: plain columns, one block per period."""
    w = Writer(contract, lang)
    out: list[str] = []
    for p in periods:
        out += [w.w["period"].format(period=p.period), ""]
        if p.slas:
            out += _text_table(w.head(), w.sla_rows(p)) + [""]
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
        value = str(t.value) if isinstance(t.value, Decimal | dt.date) else t.value
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
            "arithmetic": " ".join(t.plain() if t.kind != "op" else t.value for t in r.arithmetic),
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
                "rights": [{"rule": n.key, "params": {k: tok(v) for k, v in n.params.items()}} for n in p.rights],
                "notes": [{"rule": n.key, "params": {k: tok(v) for k, v in n.params.items()}} for n in p.notes],
            }
            for p in periods
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
