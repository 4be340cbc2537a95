"""Assessing periods against a contract: attainment, misses, credits, penalties, and the invoice.

Every amount is a :class:`Line` that carries its derivation: the rule (a key the statement words
in French or English), its inputs and its arithmetic as tokens.  Amounts are exact decimals; each
line charged is rounded once, to the currency's minor unit, half up (stated on the statement).

The readings, where the model does not type one (each is stated on the statement as a note):

- steps, when the regime's `step_credits` does not say: the credit of the highest step reached
  applies (the added-up sum is shown beside it; `bpo check` BPO415 flags the regime);
- a level's own `credit` is due once for each period it is missed (`per_occurrence`: per miss);
- exclusions remove the excluded units from the total, and from the count of an `at_most` level;
- `earn_back: N months` (untyped terms): a period's credits under a regime are repaid in full when
  every level credited is met in each of the N following periods (the rendered contract's wording);
- `monthly_fees`: the base given in the measurements, else the contract's fixed monthly fees, else
  the period's charges before credits;
- the minimum commitment is compared with the period's volume-based charges;
- late-payment interest counts the days late over 365 (actual/365), a rate per month as twelve a year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Literal

from bpolang.assess.measurements import Loaded, Measured, Measurements, duration_hours, in_hours, terms_due
from bpolang.model import contract as C
from bpolang.model.bases import base_amount
from bpolang.model.bounds import quantized
from bpolang.model.values import (
    Arith,
    Call,
    DateExpr,
    Duration,
    DurationUnit,
    Money,
    Number,
    Percentage,
    Rate,
    Ref,
    RelativeAmount,
)

HUNDRED = Decimal(100)
TokenKind = Literal["money", "percent", "number", "text", "op", "date", "datetime", "days", "id", "step", "misses"]


@dataclass(frozen=True)
class Token:
    """One term of an arithmetic: a value with its kind, or an operator."""

    kind: TokenKind
    value: Any
    unit: str | None = None  # the currency of money, the unit of a number

    def plain(self) -> str:
        if self.kind == "money":
            return f"{self.value} {self.unit}"
        if self.kind == "percent":
            return f"{self.value}%"
        if self.kind == "misses":
            return f"{self.value} misses ({self.unit} allowed)"
        if self.kind == "step":
            return f"{self.unit} {self.value}%"
        if self.kind == "days":
            return f"{self.value} {self.unit or 'days'}"
        if self.kind == "datetime":
            return self.value.isoformat()
        return f"{self.value}" + (f" {self.unit}" if self.unit and self.kind == "number" else "")


def money(v: Decimal, cur: str) -> Token:
    return Token("money", v, cur)


def pct(v: Decimal) -> Token:
    return Token("percent", v)


def num(v: Decimal, unit: str | None = None) -> Token:
    return Token("number", v, unit)


def op(s: str) -> Token:
    return Token("op", s)


@dataclass
class Line:
    """An amount with its derivation."""

    section: Literal["charge", "credit", "earn_back", "penalty", "minimum", "late_payment"]
    source: str  # the id of the contract element it comes from
    title: str | None
    amount: Decimal | None  # None: not computable (see notes)
    rule: str  # the statement's key for the rule applied
    arithmetic: list[Token] = field(default_factory=list)
    params: dict[str, Token] = field(default_factory=dict)


@dataclass
class Note:
    """A reading the model does not type, or a figure that could not be computed, stated on the statement."""

    key: str
    params: dict[str, Token] = field(default_factory=dict)


@dataclass
class SlaResult:
    sla: str
    title: str | None
    severity: str | None
    time: str | None
    target: Token | None
    comparator: str
    attainment: Token | None
    met: bool | None
    arithmetic: list[Token] = field(default_factory=list)
    breach: bool = False
    chronic: list[str] = field(default_factory=list)  # ids of the regimes / termination rights whose trigger fired
    misses: int | None = None  # the misses counted from tickets (for per-occurrence credits and penalties)
    tickets: list[Any] = field(default_factory=list)  # the TicketResult of each ticket, with its arithmetic


@dataclass
class Period:
    period: str
    currency: str | None
    slas: list[SlaResult] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    rights: list[Note] = field(default_factory=list)
    indexation: list[Any] = field(default_factory=list)  # the ReviewStep of each review in force
    index_factor: Any = None  # the Fraction the prices are indexed by, when they are

    def total(self, section: str) -> Decimal | None:
        amounts = [ln.amount for ln in self.lines if ln.section == section]
        return None if any(a is None for a in amounts) else sum((a for a in amounts if a is not None), Decimal(0))

    @property
    def invoice(self) -> Decimal | None:
        parts = [self.total(s) for s in ("charge", "minimum", "earn_back", "late_payment")]
        less = [self.total(s) for s in ("credit", "penalty")]
        if any(p is None for p in [*parts, *less]):
            return None
        return sum((p for p in parts if p is not None), Decimal(0)) - sum(
            (p for p in less if p is not None), Decimal(0)
        )


def minor_unit(currency: str | None) -> Decimal:
    """The currency's minor unit (0.01 for EUR, 1 for JPY), from ISO 4217 as babel knows it."""
    from babel.numbers import get_currency_precision

    return Decimal(1).scaleb(-get_currency_precision(currency or "EUR"))


def rounded(v: Decimal, currency: str | None) -> Decimal:
    return quantized(v, minor_unit(currency), ROUND_HALF_UP)


def months_between(a: str, b: str) -> int:
    """How many months period b is after period a (`2027-03`, `2027-05` → 2)."""
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[5:]) - int(a[5:])


# ------------------------------------------------------------------ service levels
def attainment(sla: C.ServiceLevel, row: Measured) -> tuple[Token | None, list[Token]]:
    """The measured value after exclusions, with its arithmetic."""
    if row.severity is not None and row.value is not None:
        return num(row.value, row.unit), []
    if row.value is not None:
        if isinstance(sla.target, Duration):
            return num(row.value, row.unit), []
        return pct(row.value), []
    assert row.count is not None and row.of is not None
    excluded = sum((ex.units for ex in row.excluded), Decimal(0))
    at_most = sla.comparator in ("at_most", "less_than")
    count = row.count - excluded if at_most else row.count
    total = row.of - excluded
    if total <= 0:
        return None, []
    value = count / total * HUNDRED
    arith: list[Token] = []
    if excluded:
        c = [op("("), num(row.count), op("−"), num(excluded), op(")")] if at_most else [num(row.count)]
        arith = [*c, op("÷"), op("("), num(row.of), op("−"), num(excluded), op(")"), op("×"), num(HUNDRED)]
    else:
        arith = [num(row.count), op("÷"), num(row.of), op("×"), num(HUNDRED)]
    return pct(value), [*arith, op("="), pct(value)]


def comparator_of(sla: C.ServiceLevel, notes: list[Note]) -> str:
    comp = sla.comparator
    if isinstance(comp, str):
        return comp
    guess = "at_most" if isinstance(sla.target, Duration) else "at_least"
    notes.append(Note("note_comparator", {"sla": Token("id", sla.id), "comparator": Token("text", guess)}))
    return guess


def meets(value: Decimal, target: Decimal, comparator: str) -> bool:
    return {
        "at_least": value >= target,
        "more_than": value > target,
        "at_most": value <= target,
        "less_than": value < target,
    }[comparator]


def trips(value: Decimal, comparator: str, threshold: Decimal) -> bool:
    """Whether a measured value trips a trigger or a step (`below 95%`, `above 8%`)."""
    return value < threshold if comparator == "below" else value > threshold


def _target_hours(target: Duration, value_unit: str | None) -> tuple[Decimal, Decimal] | None:
    return None if duration_hours(target) is None else (duration_hours(target), in_hours(Decimal(1), value_unit or ""))  # type: ignore[return-value]


def judge(sla: C.ServiceLevel, row: Measured, notes: list[Note]) -> SlaResult:
    """One service level (or one of its severities' times) against its target."""
    if row.severity is not None:
        sev = next(s for s in sla.severities if s.id == row.severity)
        target = getattr(sev, row.time or "")
        sev_comparator: str = sev.comparator if isinstance(sev.comparator, str) else "at_most"
        value, arith = attainment(sla, row)
        return SlaResult(
            sla.id or "",
            sla.title,
            row.severity,
            row.time,
            _duration_token(target),
            sev_comparator,
            value,
            _meets_time(row, target, sev_comparator),
            arith,
        )
    if row.value is None and row.count is None and row.misses is not None:
        allowed = sla.allowed_misses if isinstance(sla.allowed_misses, int) else 0
        misses = Token("misses", Decimal(row.misses), str(allowed))
        arith = [num(Decimal(row.misses)), op("≤"), num(Decimal(allowed))]
        target_of = _duration_token(sla.target) if isinstance(sla.target, Duration) else None
        return SlaResult(
            sla.id or "", sla.title, None, None, target_of, "at_most", misses, row.misses <= allowed, arith
        )
    comparator = comparator_of(sla, notes)
    value, arith = attainment(sla, row)
    target = sla.target
    met: bool | None = None
    if value is not None and isinstance(target, Percentage):
        met = meets(value.value, target.value, comparator)
        target_token: Token | None = pct(target.value)
    elif value is not None and isinstance(target, Duration):
        met = _meets_time(row, target, comparator)
        target_token = _duration_token(target)
    else:
        target_token = None
        notes.append(Note("note_no_target", {"sla": Token("id", sla.id)}))
    return SlaResult(sla.id or "", sla.title, None, None, target_token, comparator, value, met, arith)


def judge_tickets(
    contract: C.Contract, sla: C.ServiceLevel, row: Measured, p: Period, history: History
) -> tuple[SlaResult, list[SlaResult]]:
    """A level measured by its tickets, or (beside a value) the results of its severities' times."""
    from bpolang.assess.measurements import measured_beside
    from bpolang.assess.tickets import share, tally

    t = tally(contract, sla, row, contract_calendar(contract))
    calendar_time = [x for r in t.tickets for x in r.times if not x.in_hours and x.limit.hours() is not None]
    if any(x.in_hours for r in t.tickets for x in r.times):
        p.notes.append(Note("note_ticket_desk_hours", {"sla": Token("id", sla.id)}))
    if sla.hours and calendar_time:
        p.notes.append(Note("note_ticket_hours", {"sla": Token("id", sla.id)}))
    by_time: list[SlaResult] = []
    for sev in sla.severities:
        for time in ("response", "restore", "resolution"):
            hits = [
                (r, x)
                for r in t.tickets
                if r.severity == sev.id and r.excluded is None
                for x in r.times
                if x.time == time
            ]
            if not hits:
                continue
            missed = sum(1 for _, x in hits if not x.within)
            limit = hits[0][1]
            by_time.append(
                SlaResult(
                    sla.id or "",
                    sla.title,
                    sev.id,
                    time,
                    _duration_token(limit.limit),
                    limit.comparator,
                    Token("misses", Decimal(missed), "0"),
                    missed == 0,
                    [num(Decimal(missed)), op("≤"), num(Decimal(0))],
                    misses=missed,
                )
            )
    if measured_beside(row):
        res = judge(sla, row, p.notes)
        res.tickets = t.tickets
        return res, by_time
    excluded = len(t.tickets) - t.counted
    if isinstance(sla.target, Percentage):
        comparator = comparator_of(sla, p.notes)
        history.tickets[(p.period, sla.id or "")] = (t.within, t.counted)
        within, counted, seen = t.within, t.counted, 1
        window = sla.window
        if isinstance(window, C.Window) and window.kind == "rolling" and isinstance(window.length, Duration):
            if window.length.unit == DurationUnit.MONTHS:
                periods = [*_window(history, p.period, int(window.length.amount)), p.period]
                pairs = [history.tickets[(q, sla.id or "")] for q in periods if (q, sla.id or "") in history.tickets]
                within, counted, seen = sum(a for a, _ in pairs), sum(b for _, b in pairs), len(pairs)
                if seen > 1:
                    excluded = 0  # the arithmetic over the window counts the tickets counted in each period
                p.notes.append(
                    Note(
                        "note_ticket_window",
                        {"sla": Token("id", sla.id), "seen": num(Decimal(seen)), "months": num(window.length.amount)},
                    )
                )
        if counted == 0:
            p.notes.append(Note("note_no_tickets", {"sla": Token("id", sla.id)}))
            res = SlaResult(sla.id or "", sla.title, None, None, pct(sla.target.value), comparator, None, True, [])
        else:
            value, arith = share(within, counted, excluded)
            met = meets(value.value, sla.target.value, comparator)
            res = SlaResult(sla.id or "", sla.title, None, None, pct(sla.target.value), comparator, value, met, arith)
    else:
        allowed = sla.allowed_misses if isinstance(sla.allowed_misses, int) else 0
        target = _duration_token(sla.target) if isinstance(sla.target, Duration) else None
        arith = [num(Decimal(t.missed)), op("≤"), num(Decimal(allowed))]
        misses = Token("misses", Decimal(t.missed), str(allowed))
        res = SlaResult(sla.id or "", sla.title, None, None, target, "at_most", misses, t.missed <= allowed, arith)
    res.misses = t.missed
    res.tickets = t.tickets
    return res, by_time


def _duration_token(d: Duration) -> Token:
    return Token("days", d.amount, d.unit.value)


def _meets_time(row: Measured, target: Duration, comparator: str) -> bool | None:
    assert row.value is not None
    if row.unit == target.unit.value:
        return meets(row.value, target.amount, comparator)
    got, want = in_hours(row.value, row.unit or ""), duration_hours(target)
    if got is None or want is None:
        return None
    return meets(got, want, comparator)


# ------------------------------------------------------------------ amounts
class Bases:
    """The values of the bases of relative amounts for one period, each with where it came from."""

    def __init__(self, contract: C.Contract, m: Measurements, charges: Decimal | None, currency: str | None):
        self.values: dict[str, tuple[Decimal, str]] = {}
        for name in ("monthly_fees", "annual_fees"):
            if name in m.bases:
                self.values[name] = (m.bases[name], "base_given")
                continue
            fixed = base_amount(contract, name)
            if fixed is not None and fixed.currency == currency:
                self.values[name] = (fixed.amount, "base_fixed")
            elif name == "monthly_fees" and charges is not None:
                self.values[name] = (charges, "base_charges")

    def of(self, rel: RelativeAmount) -> tuple[Decimal, str] | None:
        return self.values.get(rel.of.id)


def amount_of(value: Any, bases: Bases, currency: str | None) -> tuple[Decimal | None, list[Token]]:
    """A credit, cap or penalty amount: money as written, or a share of a base."""
    if isinstance(value, Money):
        if value.currency != currency:
            return None, []
        return value.amount, [money(value.amount, value.currency)]
    if isinstance(value, RelativeAmount):
        base = bases.of(value)
        if base is None:
            return None, []
        result = base[0] * value.percent.value / HUNDRED
        return result, [pct(value.percent.value), op("×"), money(base[0], currency or ""), Token("id", value.of.id)]
    return None, []


# ------------------------------------------------------------------ charges
def evaluate(expr: Any, volume: Decimal | None, prices: dict[str, Rate]) -> Decimal | None:
    """A fee formula's value for the period (`max(volume * indexed_document, 12000 EUR)`), or None."""
    if isinstance(expr, Money):
        return expr.amount
    if isinstance(expr, Number):
        return expr.value
    if isinstance(expr, Ref):
        if expr.id == "volume":
            return volume
        rate = prices.get(expr.id)
        return rate.price.amount if rate is not None else None
    if isinstance(expr, Call):
        args = [evaluate(a, volume, prices) for a in expr.args]
        if not args or any(a is None for a in args):
            return None
        known = [a for a in args if a is not None]
        return max(known) if expr.func == "max" else min(known)
    if isinstance(expr, Arith):
        left, right = evaluate(expr.left, volume, prices), evaluate(expr.right, volume, prices)
        if left is None or right is None or (expr.op == "/" and right == 0):
            return None
        return {"+": left + right, "-": left - right, "*": left * right, "/": left / right if right else left}[expr.op]
    return None


def band_units(volume: Decimal, band: C.Band) -> Decimal:
    """The units of a volume that fall in a band (`0 to 8000`, `8001 to 15000`, `above 15000`)."""
    floor = Decimal(band.low - 1 if band.low > 0 and band.high is not None else band.low)
    top = volume if band.high is None else min(volume, Decimal(band.high))
    return max(Decimal(0), top - floor)


def unit_price(price: Any) -> Decimal | None:
    if isinstance(price, Rate):
        return price.price.amount
    if isinstance(price, Percentage):
        return price.value / HUNDRED
    return None


# ------------------------------------------------------------------ the assessment
@dataclass
class History:
    """What earlier periods left: results by period and service level, credits by regime and period."""

    met: dict[tuple[str, str], bool | None] = field(default_factory=dict)
    values: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    credits: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (regime, period) -> charged
    credited: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (regime, period) -> slas credited
    periods: list[str] = field(default_factory=list)
    earned: set[tuple[str, str]] = field(default_factory=set)  # (regime, period) whose credits were earned back
    level_credits: dict[tuple[str, str, str], Decimal] = field(default_factory=dict)  # (regime, sla, period)
    earned_levels: set[tuple[str, str, str]] = field(default_factory=set)  # (regime, sla, period) earned back
    earned_amounts: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (regime, period) -> repaid
    tickets: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)  # (period, sla) -> (within, counted)
    reached: dict[str, dt.date] = field(default_factory=dict)  # milestones reached in the periods before


def assess(contract: C.Contract, files: list[Loaded], resolution: Any) -> list[Period]:
    """Every period of the files, in order; each sees the periods before it (chronic triggers, caps, earn-back).

    `resolution` is the contract's :class:`bpolang.resolve.references.Resolution` (its dates).
    """
    effective = resolution.effective
    dates = dict(resolution.dates)
    for ms in contract.milestones:
        if isinstance(ms.long_stop, DateExpr) and ms.id:
            stop = resolution.date_of(ms.long_stop)
            if stop is not None:
                dates[f"{ms.id}.long_stop"] = stop
    for key, days in resolution.occurrences.items():
        for day in days:  # a recurring deliverable is due, in a month, on its occurrence in that month
            dates.setdefault(f"{key}@{day:%Y-%m}", day)
    from bpolang.assess.measurements import review_dates

    reviews = review_dates(contract, resolution)
    ordered = sorted(files, key=lambda f: f.data.period)
    history = History()
    out = []
    for f in ordered:
        out.append(assess_period(contract, f.data, history, effective, dates, reviews))
    return out


def assess_period(
    contract: C.Contract,
    m: Measurements,
    history: History,
    effective: dt.date | None,
    dates: dict[str, dt.date],
    reviews: list[dt.date] | None = None,
) -> Period:
    pricing = contract.pricing
    currency = pricing.currency if pricing is not None and isinstance(pricing.currency, str) else None
    p = Period(m.period, currency)
    slas = {s.id: s for s in contract.service_levels if s.id}
    for row in m.service_levels:
        if row.tickets:
            res, by_time = judge_tickets(contract, slas[row.sla], row, p, history)
            p.slas += [res, *by_time]
        else:
            res = judge(slas[row.sla], row, p.notes)
            p.slas.append(res)
        if row.severity is None:
            history.met[(m.period, row.sla)] = res.met
            if res.attainment is not None and res.attainment.kind == "percent":
                history.values[(m.period, row.sla)] = res.attainment.value
    history.periods.append(m.period)
    _breaches(contract, p, history)
    from bpolang.assess.indexation import factor_of

    p.index_factor, p.indexation = factor_of(contract, m, reviews, p)
    _charges(contract, m, p, currency, dates)
    recurring = [ln.amount for ln in p.lines if ln.section == "charge" and ln.rule != "charge_once"]
    charges = None if any(a is None for a in recurring) else sum((a for a in recurring if a is not None), Decimal(0))
    bases = Bases(contract, m, charges, currency)
    ix = pricing.indexation if pricing is not None else None
    if p.index_factor is not None and ix is not None and not ix.applies_to:
        from bpolang.assess.indexation import round_half_up

        for name, (value, origin) in list(bases.values.items()):
            if origin == "base_fixed":  # the contract's fixed fees, at the prices in force
                indexed = round_half_up(Fraction(value) * p.index_factor, minor_unit(currency))
                bases.values[name] = (indexed, "base_fixed_indexed")
    for name, (value, origin) in bases.values.items():
        p.notes.append(Note(origin, {"base": Token("id", name), "amount": money(value, currency or "")}))
    _credits(contract, m, p, history, bases, currency, effective)
    _penalties(contract, m, p, bases, currency, dates, history.reached)
    history.reached.update(m.milestones)
    _minimum(contract, p, currency)
    _late_payments(contract, m, p, currency)
    return p


def _window(history: History, period: str, months: int) -> list[str]:
    return [q for q in history.periods if 0 <= months_between(q, period) < months]


def _tripped(trigger: C.Trigger, sla: str, history: History, period: str) -> tuple[bool, int, int]:
    """Whether a trigger fires in `period`: (fired, times counted, periods seen in the window)."""
    months = 1
    if trigger.within is not None and trigger.within.unit == DurationUnit.MONTHS:
        months = int(trigger.within.amount)
    window = _window(history, period, months)
    count = 0
    for q in window:
        value = history.values.get((q, sla))
        met = history.met.get((q, sla))
        if trigger.comparator in ("below", "above") and isinstance(trigger.threshold, Percentage):
            hit = value is not None and trips(value, trigger.comparator, trigger.threshold.value)
        else:  # `missed`, `breach`
            hit = met is False
        count += hit
    times = trigger.times or 1
    # the trigger fires in the period that completes it: this period's own result counts
    this = history.values.get((period, sla))
    this_hit = (
        (
            this is not None
            and isinstance(trigger.threshold, Percentage)
            and trips(this, trigger.comparator, trigger.threshold.value)
        )
        if trigger.comparator in ("below", "above")
        else history.met.get((period, sla)) is False
    )
    return this_hit and count >= times, count, len(window)


def _breaches(contract: C.Contract, p: Period, history: History) -> None:
    for res in p.slas:
        if res.severity is not None:
            continue
        sla = next(s for s in contract.service_levels if s.id == res.sla)
        if isinstance(sla.breach, C.Trigger):
            fired, count, seen = _tripped(sla.breach, res.sla, history, p.period)
            res.breach = fired
            if sla.breach.times and sla.breach.within is not None:
                _window_note(p, res.sla, sla.breach, count, seen)
    for regime in contract.credit_regimes:
        for trig, key in ((regime.chronic, "right_chronic"), (_termination(regime), "right_terminate")):
            if not isinstance(trig, C.Trigger):
                continue
            for ref in regime.applies_to:
                fired, count, seen = _tripped(trig, ref.id, history, p.period)
                if fired:
                    hit = next((r for r in p.slas if r.sla == ref.id and r.severity is None), None)
                    if hit is not None:
                        hit.chronic.append(regime.id or "")
                    p.rights.append(
                        Note(
                            key,
                            {
                                "regime": Token("id", regime.id),
                                "sla": Token("id", ref.id),
                                "times": num(Decimal(count)),
                            },
                        )
                    )


def _termination(regime: C.CreditRegime) -> Any:
    return regime.termination_right.trigger if regime.termination_right is not None else None


def _window_note(p: Period, sla: str, trig: C.Trigger, count: int, seen: int) -> None:
    assert trig.within is not None
    months = int(trig.within.amount)
    if seen < months:
        p.notes.append(
            Note(
                "note_window_one" if seen == 1 else "note_window",
                {"sla": Token("id", sla), "seen": num(Decimal(seen)), "months": num(Decimal(months))},
            )
        )


def _charges(contract: C.Contract, m: Measurements, p: Period, currency: str | None, dates: dict[str, dt.date]) -> None:
    """The period's charges before credits, as lines."""
    from bpolang.obligations.figures import reference_volume

    pricing = contract.pricing
    if pricing is None:
        return
    priced: list[C.UnitPrice | C.RateCard] = [*pricing.units, *pricing.rates]
    prices = {u.id: u.value for u in priced if u.id and isinstance(u.value, Rate)}
    cur = currency or ""

    def charge(el: Any, amount: Decimal | None, rule: str, arith: list[Token], **params: Token) -> None:
        p.lines.append(Line("charge", el.id or "", el.title, amount, rule, arith, params))

    for fee in pricing.fees:
        v = fee.value
        if not isinstance(v, C.FeeValue):
            if fee.id in m.volumes:
                charge(fee, None, "charge_unknown", [])
            continue
        instalments = {("every_year", "every_month"): 12, ("every_quarter", "every_month"): 3}.get(
            (v.schedule, v.paid or "")
        )
        if v.schedule == "every_month" and isinstance(v.amount, Money):
            charge(fee, v.amount.amount, "charge_monthly", [money(v.amount.amount, cur)])
        elif instalments and isinstance(v.amount, Money):
            share = v.amount.amount / instalments
            arith = [money(v.amount.amount, cur), op("÷"), num(Decimal(instalments)), op("="), money(share, cur)]
            charge(fee, share, "charge_instalment", arith)
        elif v.schedule == "every_month":
            vol = m.volumes.get(fee.id or "")
            got = evaluate(v.amount, vol, prices)
            arith = [] if got is None else [Token("id", fee.id), op("="), money(got, cur)]
            charge(fee, got, "charge_formula", [num(vol), Token("id", "volume"), *arith] if vol is not None else arith)
        elif v.schedule == "once" and v.at is not None:
            when = m.milestones.get(v.at.id) or m.deliverables.get(v.at.id)
            if when is not None and m.first_day <= when <= m.last_day and isinstance(v.amount, Money):
                at = {"event": Token("id", v.at.id), "date": Token("date", when)}
                charge(fee, v.amount.amount, "charge_once", [money(v.amount.amount, cur)], **at)
            elif when is None and v.at.id in dates and m.first_day <= dates[v.at.id] <= m.last_day:
                p.notes.append(Note("note_once_no_date", {"fee": Token("id", fee.id), "event": Token("id", v.at.id)}))
        elif v.schedule == "per_unit" and fee.id in m.volumes:
            vol = m.volumes[fee.id or ""]
            price = unit_price(v.amount)
            amount = None if price is None else vol * price
            charge(fee, amount, "charge_units", [num(vol), op("×"), money(price or Decimal(0), cur)])
        elif v.schedule in ("every_quarter", "every_year"):
            p.notes.append(Note("note_fee_not_placed", {"fee": Token("id", fee.id)}))
    for item in priced:
        if item.id not in m.volumes:
            continue
        vol = m.volumes[item.id or ""]
        if isinstance(item.value, Rate) and item.value.above_volume:
            # `1.20 EUR per invoice above volume`: the units measured above the service's volume
            ref = reference_volume(contract, item.value.per)
            if ref is None:
                charge(item, None, "charge_unknown", [])
                continue
            price = item.value.price.amount
            amount = max(Decimal(0), vol - ref) * price
            arith = [op("("), num(vol), op("−"), num(ref), op(")"), op("×"), money(price, cur)]
            charge(item, amount, "charge_above_volume", [*arith, op("="), money(amount, cur)])
        elif isinstance(item.value, Rate):
            amount = vol * item.value.price.amount
            unit = money(item.value.price.amount, cur)
            charge(item, amount, "charge_units", [num(vol, item.value.per), op("×"), unit, op("="), money(amount, cur)])
        else:
            charge(item, None, "charge_unknown", [])
    for tier in pricing.tiers:
        if tier.id in m.volumes:
            p.lines.append(_tier(tier, m.volumes[tier.id or ""], p, cur))
    if p.index_factor is not None:
        from bpolang.assess.indexation import apply

        apply(contract, p, p.index_factor, currency)
    for ln in p.lines:
        if ln.amount is not None:
            ln.amount = rounded(ln.amount, currency)


def _tier(tier: C.Tier, vol: Decimal, p: Period, cur: str) -> Line:
    if tier.reset not in (None, "month"):
        p.notes.append(Note("note_tier_reset", {"tier": Token("id", tier.id)}))
        return Line("charge", tier.id or "", tier.title, None, "charge_unknown")
    if tier.reset is None:
        p.notes.append(Note("note_tier_month", {"tier": Token("id", tier.id)}))
    prices = [unit_price(b.price) for b in tier.bands]
    if any(x is None for x in prices):
        return Line("charge", tier.id or "", tier.title, None, "charge_unknown")
    arith: list[Token] = []
    total = Decimal(0)
    if tier.mode == "whole_volume":
        band = next((b for b in tier.bands if b.low <= vol and (b.high is None or vol <= b.high)), tier.bands[-1])
        price = unit_price(band.price) or Decimal(0)
        total = vol * price
        arith = [num(vol), op("×"), _price_token(band.price, price, cur)]
        rule = "charge_tier_whole"
    else:
        for band in tier.bands:
            units = band_units(vol, band)
            if units:
                price = unit_price(band.price) or Decimal(0)
                total += units * price
                arith += [*([op("+")] if arith else []), num(units), op("×"), _price_token(band.price, price, cur)]
        rule = "charge_tier_marginal"
    return Line(
        "charge", tier.id or "", tier.title, total, rule, [*arith, op("="), money(total, cur)], {"volume": num(vol)}
    )


def _price_token(price: Any, value: Decimal, cur: str) -> Token:
    return pct(price.value) if isinstance(price, Percentage) else money(value, cur)


def _credits(
    contract: C.Contract,
    m: Measurements,
    p: Period,
    history: History,
    bases: Bases,
    currency: str | None,
    effective: dt.date | None,
) -> None:
    slas = {s.id: s for s in contract.service_levels if s.id}
    results = {r.sla: r for r in p.slas if r.severity is None}
    rows = {r.sla: r for r in m.service_levels if r.severity is None}
    covered: set[str] = set()
    cur = currency or ""
    for regime in contract.credit_regimes:
        rid = regime.id or ""
        parts: list[Line] = []
        credited: list[str] = []
        for ref in regime.applies_to:
            covered.add(ref.id)
            res = results.get(ref.id)
            if res is None or res.met is not False or ref.id not in slas:
                continue
            if regime.credit_basis == "on_chronic" and rid not in res.chronic:
                continue
            sla = slas[ref.id]
            lines = _regime_credit(regime, sla, res, rows[ref.id], bases, p, cur)
            if lines:
                credited.append(ref.id)
            parts += lines
        if not parts:
            continue
        if any(ln.amount is None for ln in parts):
            p.lines += parts
            continue
        per_level = regime.cap_scope == "service_level"
        groups = [[ln for ln in parts if _sla_of(ln) == s] for s in credited] if per_level else [parts]
        capped: list[Line] = []
        for group in groups:
            level = _sla_of(group[0]) if per_level else None
            charged = sum((ln.amount for ln in group if ln.amount is not None), Decimal(0))
            if regime.monthly_cap is not None:
                cap, arith = amount_of(regime.monthly_cap, bases, currency)
                if cap is None:
                    p.notes.append(
                        Note("note_cap_unknown", {"regime": Token("id", rid), "cap": Token("text", "monthly_cap")})
                    )
                elif charged > cap:
                    capped.append(
                        Line(
                            "credit",
                            rid,
                            regime.title,
                            cap - charged,
                            "cap_monthly_level" if level else "cap_monthly",
                            [*arith, op("="), money(cap, cur)],
                            {"sla": Token("id", level)} if level else {},
                        )
                    )
                    charged = cap
            if regime.annual_cap is not None:
                charged = _annual(regime, charged, history, p, bases, currency, effective, capped, level)
        if capped and not per_level and len(credited) > 1 and regime.cap_scope is None:
            p.notes.append(Note("note_cap_scope", {"regime": Token("id", rid)}))
        for ln in [*parts, *capped]:
            ln.amount = rounded(ln.amount, currency) if ln.amount is not None else None
        p.lines += parts + capped
        history.credits[(rid, p.period)] = sum(
            (ln.amount for ln in parts + capped if ln.amount is not None), Decimal(0)
        )
        history.credited[(rid, p.period)] = credited
        for sla_id in credited:  # each level's credit: after its own caps, or (caps by regime) before them
            mine = [ln for ln in parts + capped if _sla_of(ln) == sla_id and (per_level or ln in parts)]
            history.level_credits[(rid, sla_id, p.period)] = sum(
                (ln.amount for ln in mine if ln.amount is not None), Decimal(0)
            )
    for sla_id, res in results.items():
        own = slas.get(sla_id)
        if own is not None and res.met is False and sla_id not in covered and own.credit is not None:
            amount, arith = amount_of(own.credit, bases, currency)
            p.lines.append(
                Line(
                    "credit",
                    sla_id,
                    own.title,
                    rounded(amount, currency) if amount is not None else None,
                    "credit_own",
                    [*arith, op("="), money(amount, currency or "")] if amount is not None else [],
                    {"sla": Token("id", sla_id)},
                )
            )
    uncovered = [i for i, res in results.items() if res.met is False and i not in covered]
    for regime in contract.credit_regimes:
        if not regime.applies_to and uncovered:  # `applies_to` left out (redacted sections): not guessed
            p.notes.append(Note("note_regime_no_levels", {"regime": Token("id", regime.id)}))
    _earn_back(contract, p, history, currency)


def _regime_credit(
    regime: C.CreditRegime, sla: C.ServiceLevel, res: SlaResult, row: Measured, bases: Bases, p: Period, cur: str
) -> list[Line]:
    out: list[Line] = []

    def credit(amount: Decimal | None, rule: str, arith: list[Token], **params: Token) -> None:
        """A credit line: its arithmetic ends with the amount, when known."""
        shown = [*arith, op("="), money(amount, cur)] if amount is not None and arith else []
        out.append(Line("credit", rid, regime.title, amount, rule, shown, {"sla": Token("id", sla.id), **params}))

    rid = regime.id or ""
    value = res.attainment.value if res.attainment is not None and res.attainment.kind == "percent" else None
    if regime.steps and value is not None:
        reached = [
            st
            for st in regime.steps
            if isinstance(st.threshold, Percentage) and trips(value, st.comparator, st.threshold.value)
        ]
        amounts = [amount_of(st.credit, bases, cur) for st in reached]
        if any(a is None for a, _ in amounts):
            credit(None, "credit_step", [])
        elif len(reached) > 1 and regime.step_credits == "cumulative":
            arith = []
            for i, (_, part) in enumerate(amounts):
                arith += [op("+"), *part] if i else part
            credit(
                sum((a or Decimal(0) for a, _ in amounts), Decimal(0)),
                "credit_steps_cumulative",
                arith,
                value=pct(value),
                steps=num(Decimal(len(reached))),
            )
        elif reached:
            best = max(range(len(reached)), key=lambda i: amounts[i][0] or Decimal(0))
            amount, arith = amounts[best]
            step = reached[best]
            assert isinstance(step.threshold, Percentage)
            credit(
                amount,
                "credit_step",
                arith,
                value=pct(value),
                step=Token("step", step.threshold.value, step.comparator),
            )
            if len(reached) > 1 and regime.step_credits != "highest":
                cumulative = sum((a or Decimal(0) for a, _ in amounts), Decimal(0))
                p.notes.append(
                    Note(
                        "note_steps",
                        {
                            "regime": Token("id", rid),
                            "sla": Token("id", sla.id),
                            "highest": money(amount or Decimal(0), cur),
                            "cumulative": money(rounded(cumulative, cur), cur),
                        },
                    )
                )
    alloc = next((a for a in regime.allocations if a.sla.id == sla.id), None)
    if regime.pool is not None and alloc is not None and isinstance(alloc.share, Percentage):
        pool, arith = amount_of(regime.pool, bases, cur)
        amount = None if pool is None else pool * alloc.share.value / HUNDRED
        credit(amount, "credit_pool", [*arith, op("×"), pct(alloc.share.value)])
    if sla.credit is not None:
        amount, arith = amount_of(sla.credit, bases, cur)
        misses = res.misses if res.misses is not None else row.misses
        times = Decimal(misses if regime.credit_basis == "per_occurrence" and misses else 1)
        if amount is not None and times != 1:
            arith = [*arith, op("×"), num(times)]
            amount *= times
        credit(amount, "credit_own", arith)
    return out


def contract_year(period: str, effective: dt.date | None) -> int | None:
    if effective is None:
        return None
    first = dt.date(int(period[:4]), int(period[5:]), 1)
    months = (
        (first.year - effective.year) * 12 + first.month - effective.month - (1 if first.day < effective.day else 0)
    )
    return months // 12 + 1


def _sla_of(ln: Line) -> str | None:
    tok = ln.params.get("sla")
    return None if tok is None else str(tok.value)


def _annual(regime, charged, history, p, bases, currency, effective, capped, level=None) -> Decimal:
    """The annual cap (of the regime, or of one of its levels with `cap_scope: service_level`)."""
    rid = regime.id or ""
    cap, arith = amount_of(regime.annual_cap, bases, currency)
    if cap is None:
        p.notes.append(Note("note_cap_unknown", {"regime": Token("id", rid), "cap": Token("text", "annual_cap")}))
        return charged
    year = contract_year(p.period, effective)
    if level is None:
        before = sum(
            (v for (r, q), v in history.credits.items() if r == rid and contract_year(q, effective) == year),
            Decimal(0),
        )
    else:
        before = sum(
            (
                v
                for (r, s, q), v in history.level_credits.items()
                if r == rid and s == level and contract_year(q, effective) == year
            ),
            Decimal(0),
        )
    room = max(Decimal(0), cap - before)
    if charged > room:
        cur = currency or ""
        capped.append(
            Line(
                "credit",
                rid,
                regime.title,
                room - charged,
                "cap_annual_level" if level else "cap_annual",
                [*arith, op("="), money(cap, cur), op("−"), money(before, cur), op("="), money(room, cur)],
                {"year": num(Decimal(year or 0)), **({"sla": Token("id", level)} if level else {})},
            )
        )
        return room
    return charged


def _earn_back(contract: C.Contract, p: Period, history: History, currency: str | None) -> None:
    for regime in contract.credit_regimes:
        rule = regime.earn_back_rule
        if (
            isinstance(rule, C.EarnBack)
            and rule.met_for.unit == DurationUnit.MONTHS
            and isinstance(rule.share, Percentage)
        ):
            months, share, typed = int(rule.met_for.amount), rule.share.value, True
        elif isinstance(regime.earn_back, Duration) and regime.earn_back.unit == DurationUnit.MONTHS:
            months, share, typed = int(regime.earn_back.amount), HUNDRED, False
        else:
            continue
        rid = regime.id or ""
        for (r, q), credit in list(history.credits.items()):
            if r != rid or credit <= 0 or months_between(q, p.period) < months:
                continue
            if isinstance(rule, C.EarnBack) and rule.within is not None and rule.within.unit == DurationUnit.MONTHS:
                if months_between(q, p.period) > int(rule.within.amount):
                    continue
            # the `months` periods ending with this one, all after q, all met for every level credited in q
            window = [x for x in history.periods if 0 <= months_between(x, p.period) < months]
            after = [x for x in window if months_between(q, x) > 0]
            if len(after) < months:
                continue
            levels = history.credited[(r, q)]
            claims: list[tuple[list[str], Decimal, str | None]]
            if regime.earn_back_scope == "credit":  # each level's credit, once that level meets the terms
                claims = [([s], history.level_credits.get((r, s, q), Decimal(0)), s) for s in levels]
            else:
                claims = [(levels, credit, None)]
            for needed, amount, level in claims:
                ok = all(history.met.get((x, s)) is True for x in after for s in needed)
                if not typed:
                    ok = ok and months_between(q, p.period) == months
                done = (r, level, q) in history.earned_levels if level else (r, q) in history.earned
                if not ok or done or amount <= 0:
                    continue
                remaining = credit - history.earned_amounts.get((r, q), Decimal(0))
                back = min(rounded(amount * share / HUNDRED, currency), remaining)
                cur = currency or ""
                params = {"period": Token("text", q), "months": num(Decimal(months))}
                p.lines.append(
                    Line(
                        "earn_back",
                        rid,
                        regime.title,
                        back,
                        ("earn_back_typed" if typed else "earn_back_months") + ("_level" if level else ""),
                        [money(amount, cur), op("×"), pct(share), op("="), money(back, cur)],
                        {**params, "sla": Token("id", level)} if level else params,
                    )
                )
                history.earned_amounts[(r, q)] = history.earned_amounts.get((r, q), Decimal(0)) + back
                if level is None and regime.earn_back_scope is None and len(levels) > 1:
                    p.notes.append(Note("note_earn_back_scope", {"regime": Token("id", rid)}))
                if level:
                    history.earned_levels.add((r, level, q))
                else:
                    history.earned.add((r, q))


def _penalties(
    contract: C.Contract,
    m: Measurements,
    p: Period,
    bases: Bases,
    currency: str | None,
    dates: dict[str, dt.date],
    reached: dict[str, dt.date],
) -> None:
    """Penalties for late milestones, deliverables and missed levels; rights opened by a long stop.

    A milestone reached in an earlier period of the run (`reached`) is neither running nor past its long stop.
    """
    from bpolang.resolve import calendar as cal

    cur = currency or ""
    results = {r.sla: r for r in p.slas if r.severity is None}
    rows = {r.sla: r for r in m.service_levels if r.severity is None}
    for pen in contract.penalties:
        target = pen.applies_to.id if isinstance(pen.applies_to, Ref) else None
        amount = pen.amount if isinstance(pen.amount, C.PenaltyAmount) else None
        if target is None or amount is None:
            continue
        actual = m.milestones.get(target) or m.deliverables.get(target) or reached.get(target)
        planned = dates.get(target) or dates.get(f"{target}@{m.period}")
        raw: Decimal | None
        if target in results and results[target].met is False:
            times = Decimal(results[target].misses or rows[target].misses or 1)
            unit, arith = amount_of(amount.amount, bases, currency)
            raw = None if unit is None else unit * times
            arith = [*arith, op("×"), num(times)]
            rule = "penalty_missed"
            params: dict[str, Token] = {"target": Token("id", target)}
        elif actual is not None and planned is not None and m.first_day <= actual <= m.last_day:
            if actual <= planned:
                continue
            days = Decimal((actual - planned).days)
            per = amount.per or "occurrence"
            if per == "business_day":
                spec = contract_calendar(contract)
                days = Decimal(
                    sum(
                        1
                        for i in range(1, (actual - planned).days + 1)
                        if cal.is_business_day(planned + dt.timedelta(days=i), spec)
                    )
                )
            units = {"day": days, "business_day": days, "week": days / 7, "month": None, "occurrence": Decimal(1)}.get(
                per
            )
            if amount.every is not None and amount.every.unit == DurationUnit.DAYS:
                units = days / amount.every.amount
            unit, arith = amount_of(amount.amount, bases, currency)
            raw = None if unit is None or units is None else unit * units
            arith = [*arith, op("×"), num(units if units is not None else Decimal(0))]
            rule = "penalty_late"
            params = {
                "target": Token("id", target),
                "planned": Token("date", planned),
                "actual": Token("date", actual),
                "days": Token("days", days, per),
            }
        else:
            if (
                planned is not None
                and actual is None
                and planned < m.last_day
                and target in {x.id for x in contract.milestones}
            ):
                p.notes.append(Note("note_running", {"target": Token("id", target), "planned": Token("date", planned)}))
            continue
        if raw is not None:
            arith = [*arith, op("="), money(raw, cur)]
        p.lines.append(Line("penalty", pen.id or "", pen.title, raw, rule, arith, params))
        if pen.formal_notice == "required":  # a clause pénale owed after a mise en demeure (C. civ. 1231-5)
            p.notes.append(Note("note_formal_notice", {"penalty": Token("id", pen.id)}))
        if raw is not None and pen.cap is not None:
            cap, carith = amount_of(pen.cap, bases, currency)
            if cap is None:
                p.notes.append(Note("note_cap_unknown", {"regime": Token("id", pen.id), "cap": Token("text", "cap")}))
            elif raw > cap:
                p.lines.append(
                    Line(
                        "penalty",
                        pen.id or "",
                        pen.title,
                        cap - raw,
                        "cap_penalty",
                        [*carith, op("="), money(cap, cur)],
                    )
                )
        for ln in p.lines:
            if ln.section == "penalty" and ln.amount is not None:
                ln.amount = rounded(ln.amount, currency)
    for ms in contract.milestones:
        stop = dates.get(f"{ms.id}.long_stop")
        actual = m.milestones.get(ms.id or "") or reached.get(ms.id or "")
        if stop is not None and ((actual is not None and actual > stop) or (actual is None and stop < m.last_day)):
            p.rights.append(Note("right_long_stop", {"target": Token("id", ms.id), "date": Token("date", stop)}))


def contract_calendar(contract: C.Contract) -> Any:
    from bpolang.resolve.references import calendar_for

    return calendar_for(contract)


def _minimum(contract: C.Contract, p: Period, currency: str | None) -> None:
    pricing = contract.pricing
    if pricing is None or pricing.minimum is None:
        return
    minimum = pricing.minimum
    if isinstance(minimum, Rate) and minimum.per == "month":
        floor = minimum.price.amount
    elif isinstance(minimum, Money):
        p.notes.append(Note("note_minimum_period"))
        return
    else:
        p.notes.append(Note("note_minimum_unknown"))
        return
    volume_based = [
        ln
        for ln in p.lines
        if ln.section == "charge"
        and ln.rule
        in ("charge_units", "charge_above_volume", "charge_tier_marginal", "charge_tier_whole", "charge_formula")
    ]
    if any(ln.amount is None for ln in volume_based):
        p.lines.append(Line("minimum", "minimum", None, None, "minimum_shortfall"))
        return
    reached = sum((ln.amount for ln in volume_based if ln.amount is not None), Decimal(0))
    p.notes.append(Note("note_minimum_scope"))
    if reached >= floor:
        return
    shortfall = floor - reached
    cur = currency or ""
    fee = pricing.shortfall_fee
    if isinstance(fee, RelativeAmount) and fee.of.id == "shortfall":
        amount = shortfall * fee.percent.value / HUNDRED
        arith = [pct(fee.percent.value), op("×"), op("("), money(floor, cur), op("−"), money(reached, cur), op(")")]
    else:
        amount = shortfall
        arith = [money(floor, cur), op("−"), money(reached, cur)]
        p.notes.append(Note("note_shortfall_topup"))
    p.lines.append(
        Line(
            "minimum",
            "minimum",
            None,
            rounded(amount, currency),
            "minimum_shortfall",
            [*arith, op("="), money(amount, cur)],
        )
    )


# ------------------------------------------------------------------ late payment
DAY_COUNT = Decimal(365)  # actual/365: the days late over a year of 365 days (stated on the statement)
FR_RECOVERY_INDEMNITY = Decimal(40)  # EUR, C. com. art. L441-10 II and D441-5, for each invoice paid late


def _annual_rate(li: C.LateInterest, m: Measurements, p: Period) -> tuple[Decimal | None, list[Token]]:
    """The late-payment rate in % a year, with its arithmetic; None when a reference rate is not measured."""

    def reference(word: str) -> Decimal | None:
        value = m.reference_rates.get(word)
        note = Note("note_rate_missing", {"rate": Token("text", word)})
        if value is None and note not in p.notes:
            p.notes.append(note)
        return value

    margin = li.value.value if isinstance(li.value, Percentage) else None
    if li.basis == "fixed" and margin is not None:
        if li.per == "month":
            return margin * 12, [pct(margin), op("×"), num(Decimal(12))]
        return margin, [pct(margin)]
    if li.basis == "legal_rate_multiple" and li.multiple is not None:
        legal = reference("legal_rate")
        return (None, []) if legal is None else (legal * li.multiple, [num(Decimal(li.multiple)), op("×"), pct(legal)])
    if li.basis in ("ecb_plus", "reference_plus") and margin is not None:
        word = "ecb_rate" if li.basis == "ecb_plus" else li.reference or ""
        base = reference(word)
        return (None, []) if base is None else (base + margin, [op("("), pct(base), op("+"), pct(margin), op(")")])
    return None, []


def _late_payments(contract: C.Contract, m: Measurements, p: Period, currency: str | None) -> None:
    """Interest and the fixed indemnity on each invoice paid after its due date, in the period it is paid."""
    from bpolang.check.rules.law import country_of_law

    pricing = contract.pricing
    if pricing is None or not m.invoices:
        return
    cur = currency or ""
    li = pricing.late_interest
    law = contract.governing_law
    french = isinstance(law, str) and country_of_law(law) == "FR"
    indemnity = pricing.recovery_indemnity if isinstance(pricing.recovery_indemnity, Money) else None
    late = False
    for inv in m.invoices:
        due = inv.due or terms_due(contract, inv.issued)
        if due is None:
            continue  # reported as a problem before assessing
        if inv.paid is None:
            if due < m.last_day:
                p.notes.append(Note("note_unpaid", {"invoice": Token("text", inv.number), "due": Token("date", due)}))
            continue
        if not (m.first_day <= inv.paid <= m.last_day) or inv.paid <= due:
            continue
        late = True
        days = Decimal((inv.paid - due).days)
        params = {
            "invoice": Token("text", inv.number),
            "due": Token("date", due),
            "paid": Token("date", inv.paid),
            "days": Token("days", days, "day"),
        }
        if isinstance(li, C.LateInterest) and li.basis != "excluded":
            rate, arith = _annual_rate(li, m, p)
            amount = None if rate is None else inv.amount * rate / HUNDRED * days / DAY_COUNT
            shown = (
                [money(inv.amount, cur), op("×"), *arith, op("×"), num(days), op("÷"), num(DAY_COUNT)]
                + [op("="), money(amount, cur)]
                if amount is not None
                else []
            )
            p.lines.append(
                Line(
                    "late_payment",
                    inv.number,
                    None,
                    rounded(amount, currency) if amount is not None else None,
                    "late_interest",
                    shown,
                    params,
                )
            )
        if indemnity is not None or french:
            fixed = indemnity.amount if indemnity is not None else FR_RECOVERY_INDEMNITY
            unit = indemnity.currency if indemnity is not None else "EUR"
            p.lines.append(
                Line(
                    "late_payment",
                    inv.number,
                    None,
                    fixed if unit == cur else None,  # an indemnity in another currency is not added up
                    "recovery_indemnity_fr"
                    if french and fixed == FR_RECOVERY_INDEMNITY and unit == "EUR"
                    else "recovery_indemnity",
                    [money(fixed, unit)],
                    params,
                )
            )
    if late and isinstance(li, C.LateInterest) and li.basis != "excluded":
        p.notes.append(Note("note_day_count"))
        if li.lawful_cap:
            p.notes.append(Note("note_lawful_cap"))
    elif late and li is None:
        p.notes.append(Note("note_no_late_interest"))
