"""The contract's indexation applied to a period's prices, from the index values in the measurements.

Each review of the prices in force on the period's first day moves the price in force before it by a factor:
the contract's `formula` with the review's index values (`P1 = P0 × (0,15 + 0,85 × S1 / S0)`), or, without a
formula, `current ÷ base`, or, for `method: published_change`, `1 + change ÷ 100`. The change at each review
(the factor less 1) is held within the `floor` and the `cap`. The factors of the reviews multiply; the product
is exact (a fraction), and each price line indexed is rounded once, to the currency's minor unit, half up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from bpolang.assess.engine import Note, Period, Token, num, op, pct
from bpolang.assess.measurements import IndexReview, Measurements, index_names
from bpolang.model import contract as C
from bpolang.model.values import Percentage


@dataclass
class ReviewStep:
    """One review applied: its index values, the factor the formula gives, and the factor after floor and cap."""

    review: dt.date
    values: dict[str, Decimal]
    raw: Fraction
    factor: Fraction
    bound: str | None  # "floor" or "cap" when the change was held to it
    arithmetic: list[Token] = field(default_factory=list)


def decimal(fr: Fraction) -> Decimal:
    """A fraction as a decimal: exact when it terminates within 28 digits, else to 28 digits (shown with ≈)."""
    return Decimal(fr.numerator) / Decimal(fr.denominator)


def round_half_up(fr: Fraction, unit: Decimal) -> Decimal:
    """An exact amount rounded to a multiple of `unit`, half away from zero."""
    steps = fr / Fraction(unit)
    whole = int((abs(steps) + Fraction(1, 2)).__floor__())
    return (Decimal(whole) * unit) * (1 if steps >= 0 else -1)


def factor_of(
    contract: C.Contract, m: Measurements, reviews: list[dt.date] | None, p: Period
) -> tuple[Fraction | None, list[ReviewStep]]:
    """The factor the prices of the period are indexed by (None: not indexed), with each review's step.

    `reviews` are the review dates over the term (None: not known). Notes on the period say why it is
    not applied (review dates or values missing, a formula not read, a bound not known)."""
    pricing = contract.pricing
    ix = pricing.indexation if pricing is not None else None
    if ix is None:
        return None, []
    if reviews is None:
        p.notes.append(Note("note_index_no_reviews"))
        return None, []
    in_force = [d for d in reviews if d <= m.first_day]
    inside = [d for d in reviews if m.first_day < d <= m.last_day]
    for d in inside:
        p.notes.append(Note("note_index_inside", {"review": Token("date", d)}))
    if not in_force:  # no review yet: the contract's prices
        return None, []
    bounds = {name: getattr(ix, name) for name in ("floor", "cap")}
    for name, value in bounds.items():
        if value is not None and not isinstance(value, Percentage):
            p.notes.append(Note(f"note_index_{name}_unknown"))
            return None, []
    names = index_names(ix)
    if names is None:
        p.notes.append(Note("note_index_formula", {"formula": Token("text", str(ix.formula))}))
        return None, []
    given = {r.review: r for r in m.indexation}
    missing = [d for d in in_force if d not in given]
    if missing:
        p.notes.append(Note("note_index_missing", {"review": Token("date", missing[0])}))
        return None, []
    total = Fraction(1)
    steps: list[ReviewStep] = []
    for d in in_force:
        step = _step(ix, given[d], bounds)
        steps.append(step)
        total *= step.factor
    return total, steps


def _step(ix: C.Indexation, r: IndexReview, bounds: dict[str, Any]) -> ReviewStep:
    arith: list[Token]
    if ix.method == "published_change":
        assert r.change is not None
        raw = 1 + Fraction(r.change) / 100
        arith = [num(Decimal(1)), op("+"), pct(r.change)]
    elif isinstance(ix.formula, str):
        from bpolang.assess.formula import evaluate, read

        formula = read(ix.formula)
        assert formula is not None
        raw = evaluate(formula, {k: Fraction(v) for k, v in r.values.items()})
        arith = []
        for kind, text in formula.tokens:
            if kind == "var":
                arith.append(num(r.values[text]))
            elif kind == "num":
                arith.append(num(Decimal(text)))
            else:
                arith.append(op("−" if text == "-" else text))
    else:
        raw = Fraction(r.values["current"]) / Fraction(r.values["base"])
        arith = [num(r.values["current"]), op("÷"), num(r.values["base"])]
    arith += [op("="), num(decimal(raw))]
    factor, bound = raw, None
    floor, cap = bounds["floor"], bounds["cap"]
    if isinstance(floor, Percentage) and raw - 1 < Fraction(floor.value) / 100:
        factor, bound = 1 + Fraction(floor.value) / 100, "floor"
    if isinstance(cap, Percentage) and raw - 1 > Fraction(cap.value) / 100:
        factor, bound = 1 + Fraction(cap.value) / 100, "cap"
    if bound is not None:
        limit = floor if bound == "floor" else cap
        assert isinstance(limit, Percentage)
        arith += [op("→"), num(Decimal(1)), op("+"), pct(limit.value), op("="), num(decimal(factor))]
    return ReviewStep(r.review, dict(r.values), raw, factor, bound, arith)


def apply(contract: C.Contract, p: Period, factor: Fraction, currency: str | None) -> None:
    """Index the period's charge lines the indexation applies to (all of them when it names none)."""
    from bpolang.assess.engine import minor_unit, money

    pricing = contract.pricing
    ix = pricing.indexation if pricing is not None else None
    assert ix is not None
    ids = {r.id for r in ix.applies_to}
    cur = currency or ""
    for ln in p.lines:
        if ln.section != "charge" or ln.amount is None or (ids and ln.source not in ids):
            continue
        exact = Fraction(ln.amount) * factor
        ln.arithmetic = [
            *ln.arithmetic,
            op("×"),
            num(decimal(factor)),
            Token("id", "indexation"),
            op("="),
            money(decimal(exact), cur),
        ]
        ln.amount = round_half_up(exact, minor_unit(currency))
    if ids:
        p.notes.append(Note("note_index_scope", {"prices": Token("text", ", ".join(sorted(ids)))}))
