"""The built-in bases of relative amounts, valued from the fees written, where that is exact.

`10% of monthly_fees` names a base whose value depends on the month concerned; when every
recurring fee is a plain amount in one currency, the base is known from the contract alone
and a share of it can be shown as an amount.  Otherwise (a unit price, a tier, `max(...)`,
a redacted fee...) the base is not a fixed amount and :func:`base_amount` says so with None.
"""

from __future__ import annotations

from decimal import Decimal

from bpolang.model import contract as C
from bpolang.model.bounds import quantized
from bpolang.model.values import Money, RelativeAmount

PER_YEAR = {schedule: 12 // months for schedule, months in C.FEE_SCHEDULE_MONTHS.items()}


def base_amount(contract: C.Contract, base: str) -> Money | None:
    """The value of `monthly_fees` or `annual_fees` from the recurring fees, or None when not fixed."""
    pricing = contract.pricing
    if (
        pricing is None
        or base not in ("monthly_fees", "annual_fees")
        or pricing.units
        or pricing.rates
        or pricing.tiers
    ):
        return None
    if any(not isinstance(f.value, C.FeeValue) for f in pricing.fees):
        return None  # a fee withheld (`redacted`, `tbd`): the total is not known
    recurring = [f.value for f in pricing.fees if isinstance(f.value, C.FeeValue) and f.value.schedule != "once"]
    if not recurring:
        return None
    currencies = set()
    yearly = Decimal(0)
    for value in recurring:
        amount = value.amount
        if not isinstance(amount, Money) or value.schedule not in PER_YEAR:
            return None
        if base == "monthly_fees" and value.schedule != "every_month":
            return None  # a quarterly or yearly fee makes the month concerned matter
        currencies.add(amount.currency)
        yearly += amount.amount * PER_YEAR[value.schedule]
    if len(currencies) != 1:
        return None
    total = yearly / 12 if base == "monthly_fees" else yearly
    return Money(amount=total, currency=currencies.pop())


def share_amount(contract: C.Contract, value: RelativeAmount) -> Money | None:
    """What `N% of base` comes to, when the base is a fixed amount."""
    base = base_amount(contract, value.of.id)
    if base is None:
        return None
    return Money(amount=quantized(base.amount * value.percent.value / 100, Decimal("0.01")), currency=base.currency)


def level_credits(contract: C.Contract, level: C.ServiceLevel) -> list[tuple[C.CreditRegime, C.Step | C.Allocation]]:
    """The credits of the credit regimes a service level earns, in the contract's order: each step
    of a regime that names it (`applies_to`) and each share of a regime's pool allocated to it.

    The service-level annex states these next to the level's own `credit`, and the credits article
    states them regime by regime: one reading of the contract for both (tests/test_crosscheck.py).
    """
    out: list[tuple[C.CreditRegime, C.Step | C.Allocation]] = []
    if not level.id:
        return out
    for regime in contract.credit_regimes:
        if any(ref.id == level.id for ref in regime.applies_to):
            out += [(regime, step) for step in regime.steps]
        out += [(regime, a) for a in regime.allocations if a.sla.id == level.id]
    return out


def worst_month_credits(
    contract: C.Contract, regime: C.CreditRegime
) -> tuple[str, list[tuple[str, str, Decimal]]] | None:
    """The credits a regime can award in its worst month, as shares of its cap's base.

    For a regime whose `monthly_cap` is a share of a base (`10% of monthly_fees`): the base,
    and one (sla id, "step" or "credit", percent) part per service level it covers — its
    largest step in that base (with `step_credits: cumulative`, the steps on one side added up),
    and its own `credit` in that base.  None for another cap.
    """
    cap = regime.monthly_cap
    if not isinstance(cap, RelativeAmount):
        return None
    base = cap.of.id
    slas = {s.id: s for s in contract.service_levels if s.id}
    in_base = [
        (st.comparator, st.credit.percent.value)
        for st in regime.steps
        if isinstance(st.credit, RelativeAmount) and st.credit.of.id == base
    ]
    if regime.step_credits == "cumulative":  # the steps one result reaches add up: all those on one side
        sides = {side: sum((v for c, v in in_base if c == side), Decimal(0)) for side, _ in in_base}
        step = max(sides.values(), default=None)
    else:
        step = max((v for _, v in in_base), default=None)
    parts: list[tuple[str, str, Decimal]] = []
    for ref in regime.applies_to:
        s = slas.get(ref.id)
        if s is None:
            continue
        if step is not None:
            parts.append((ref.id, "step", step))
        if isinstance(s.credit, RelativeAmount) and s.credit.of.id == base:
            parts.append((ref.id, "credit", s.credit.percent.value))
    return base, parts
