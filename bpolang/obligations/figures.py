"""Key figures of a contract: value over the term, yearly run cost, exposure, key dates, data.

Pure computation on the model and its resolution, in Decimal; no formatting here
(:mod:`bpolang.cli.commands.summary` words and formats it).  Every figure carries the
assumptions it rests on as :class:`Note` records (a message key and its values), and a
price that cannot be computed is listed with the reason, never counted as zero.

How the value is computed (the stated rules; each is also a note in the output):

* a fee `every month` counts once per month of the term, `every quarter` once per
  started quarter, `every year` once per started contract year, `once` one time;
* an amount `volume * unit`, a unit price, a rate card line or a tier counts the
  volume forecast in a service's `volume:` in the same unit (`2000 invoices per month`
  for a price `per invoice`); with no such volume, or several services giving one, it
  is not computed.  A unit price or rate used inside a fee is counted through that fee;
* a price `per invoice above volume` (an overage) is charged only above that reference
  volume: at the forecast it adds nothing, and says so;
* tier bands are marginal: each band's price applies to the units within the band;
* indexation: the value is given at the base prices and with every review at the
  indexation `cap` (compounded, from each review date on) — the formula itself is text
  and is not evaluated; the cap is the most it can add;
* the `minimum` per period is shown as the minimum commitment over the term;
* `monthly_fees` is the monthly recurring charges at the base prices, `annual_fees` the
  recurring charges of the first contract year, `total_fees` and `contract_value` the
  value over the term.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from math import ceil
from typing import Any

from bpolang.model import contract as C
from bpolang.model.bases import worst_month_credits
from bpolang.model.values import Arith, Call, Duration, Money, Number, Percentage, Rate, Ref, RelativeAmount, Unknown
from bpolang.resolve import calendar as cal

ZERO = Decimal(0)
_PER_MONTH = {"month": Decimal(1), "year": Decimal(1) / 12, "quarter": Decimal(1) / 3, "week": Decimal(52) / 12}
_SCHEDULE_MONTHS = C.FEE_SCHEDULE_MONTHS


@dataclass(frozen=True)
class Note:
    """An assumption or a reason, as a message key and its values (worded by the command)."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, **values: Any) -> Note:
        return cls(key, tuple(values.items()))


class NotComputable(Exception):
    def __init__(self, note: Note) -> None:
        super().__init__(note.key)
        self.note = note


@dataclass
class Item:
    """One price of the contract and what it adds up to over the term."""

    id: str
    kind: str  # fee, unit, rate, tier
    title: str | None
    schedule: str  # once, every_month, every_quarter, every_year, per_unit
    per_period: Decimal | None = None
    periods: int | None = None
    total: Decimal | None = None
    indexed_total: Decimal | None = None
    volume_based: bool = False
    notes: list[Note] = field(default_factory=list)
    reason: Note | None = None  # why it is not computed

    @property
    def computed(self) -> bool:
        return self.total is not None


@dataclass
class Exposure:
    """What a credit regime, a penalty or a liability cap can cost at worst."""

    id: str
    kind: str  # credit_regime, penalty, liability
    title: str | None
    monthly: Decimal | None = None
    monthly_cap: Decimal | None = None
    yearly: Decimal | None = None
    yearly_cap: Decimal | None = None
    worst: Decimal | None = None
    notes: list[Note] = field(default_factory=list)
    reason: Note | None = None


@dataclass
class Summary:
    currency: str | None
    effective: dt.date | None
    end: dt.date | None
    months: int | None
    items: list[Item] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    fixed_total: Decimal | None = None
    volume_total: Decimal | None = None
    total: Decimal | None = None
    indexed_total: Decimal | None = None
    minimum_total: Decimal | None = None
    run_cost: list[tuple[int, dt.date, dt.date, Decimal, Decimal]] = field(default_factory=list)
    monthly_fees: Decimal | None = None
    annual_fees: Decimal | None = None
    exposures: list[Exposure] = field(default_factory=list)
    obligations: list[Any] = field(default_factory=list, repr=False)  # obligations.Obligation, every one
    key_dates: list[Any] = field(default_factory=list)  # the ones to show among them
    data: list[C.DataAsset] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(i.computed for i in self.items)


# ---------------------------------------------------------------- credits (shared with BPO406)


# ---------------------------------------------------------------- helpers
def _norm(unit: str) -> str:
    u = unit.lower()
    if u.endswith("ies") and len(u) > 4:
        return u[:-3] + "y"
    return u[:-1] if u.endswith("s") and len(u) > 3 else u


def service_volumes(contract: C.Contract) -> dict[str, list[tuple[str, Decimal, str]]]:
    """The services' reference volumes a month, by unit (`invoice`): (service id, volume, unit as written)."""
    volumes: dict[str, list[tuple[str, Decimal, str]]] = {}
    for s in contract.services:
        v = s.volume
        if s.id and isinstance(v, C.Quantity) and v.per in _PER_MONTH:
            volumes.setdefault(_norm(v.unit), []).append((s.id, v.amount * _PER_MONTH[v.per], v.unit))
    return volumes


def reference_volume(contract: C.Contract, unit: str) -> Decimal | None:
    """The one service volume a month counted in `unit`, which an `above volume` price starts from."""
    found = service_volumes(contract).get(_norm(unit), [])
    return found[0][1] if len(found) == 1 else None


def term_months(contract: C.Contract) -> int | None:
    """The term in whole months (months, quarters, years), else None."""
    t = contract.term
    if not isinstance(t, Duration) or t.amount != int(t.amount):
        return None
    per = {"months": 1, "quarters": 3, "years": 12}.get(t.unit.value)
    return int(t.amount) * per if per else None


class _Calc:
    def __init__(self, contract: C.Contract, res: Any) -> None:
        self.c = contract
        self.res = res
        p = contract.pricing
        self.p = p
        self.currency = p.currency if p is not None and isinstance(p.currency, str) else None
        self.months = term_months(contract)
        self.effective = res.effective if res is not None else None
        self.end = res.end if res is not None else None
        self.prices: dict[str, Rate] = {}
        if p is not None:
            priced: list[C.UnitPrice | C.RateCard] = [*p.units, *p.rates]
            for u in priced:
                if u.id and isinstance(u.value, Rate):
                    self.prices[u.id] = u.value
        self.volumes = service_volumes(contract)
        self.reviews: list[dt.date] = []
        self.cap: Decimal | None = None
        self.bases: dict[str, Decimal] = {}

    # ------------------------------------------------------------ volumes and amounts
    def volume(self, unit: str, notes: list[Note]) -> Decimal:
        found = self.volumes.get(_norm(unit), [])
        if not found:
            raise NotComputable(Note.of("no_volume", unit=unit))
        if len(found) > 1:
            raise NotComputable(Note.of("several_volumes", unit=unit, services=tuple(f[0] for f in found)))
        sid, monthly, written = found[0]
        notes.append(Note.of("volume_forecast", service=sid, amount=monthly, unit=written))
        return monthly

    def money(self, m: Money) -> Decimal:
        if self.currency is not None and m.currency != self.currency:
            raise NotComputable(Note.of("other_currency", currency=m.currency))
        self.currency = self.currency or m.currency
        return m.amount

    def monthly_amount(self, a: Any, notes: list[Note]) -> Decimal:
        """A fee's amount for one period (a `volume` counts one month of forecast volume)."""
        if isinstance(a, Money):
            return self.money(a)
        if isinstance(a, Unknown):
            raise NotComputable(Note.of("unknown_" + a.unknown))
        if isinstance(a, Call):
            values = [self.monthly_amount(x, notes) for x in a.args]
            if a.func == "max":
                notes.append(Note.of("max_of", values=tuple(values)))
                return max(values)
            notes.append(Note.of("min_of", values=tuple(values)))
            return min(values)
        if isinstance(a, Arith):
            return self.arith(a, notes)
        if isinstance(a, RelativeAmount):
            base = self.bases.get(a.of.id)
            if base is None:
                raise NotComputable(Note.of("relative", base=a.of.id))
            return base * a.percent.value / 100
        if isinstance(a, Rate):
            return self.money(a.price) * self.volume(a.per, notes)
        raise NotComputable(Note.of("not_an_amount"))

    def arith(self, a: Arith, notes: list[Note]) -> Decimal:
        if a.op == "*":
            pair = (a.left, a.right)
            for x, y in (pair, pair[::-1]):
                if isinstance(x, Ref) and x.id == "volume":
                    if isinstance(y, Ref) and y.id in self.prices:
                        rate = self.prices[y.id]
                        return self.money(rate.price) * self.volume(rate.per, notes)
                    raise NotComputable(Note.of("volume_unit_unknown"))
        left, right = self.operand(a.left, notes), self.operand(a.right, notes)
        if a.op == "+":
            return left + right
        if a.op == "-":
            return left - right
        if a.op == "*":
            return left * right
        if right == 0:
            raise NotComputable(Note.of("not_an_amount"))
        return left / right

    def operand(self, x: Any, notes: list[Note]) -> Decimal:
        if isinstance(x, Number):
            return x.value
        if isinstance(x, Percentage):
            return x.value / 100
        if isinstance(x, Ref):
            if x.id in self.bases:
                return self.bases[x.id]
            raise NotComputable(Note.of("relative", base=x.id))
        return self.monthly_amount(x, notes)

    # ------------------------------------------------------------ indexation
    def factor(self, when: dt.date) -> Decimal:
        if self.cap is None:
            return Decimal(1)
        n = sum(1 for r in self.reviews if r <= when)
        return (1 + self.cap / 100) ** n

    def period_starts(self, months_each: int) -> list[dt.date]:
        if self.effective is None or self.months is None:
            return []
        memo = self.__dict__.setdefault("_starts", {})
        if months_each not in memo:
            count = ceil(self.months / months_each)
            memo[months_each] = [cal.add_duration(self.effective, i * months_each, "months") for i in range(count)]
        return memo[months_each]

    # ------------------------------------------------------------ items
    def items(self) -> list[Item]:
        p = self.p
        if p is None:
            return []
        used_in_fees = {r.id for f in p.fees if isinstance(f.value, C.FeeValue) for r in _refs(f.value.amount)}
        out: list[Item] = []
        for f in p.fees:
            out.append(self.fee(f))
        for u in p.units:
            if u.id not in used_in_fees:
                out.append(self.unit(u, "unit"))
        for r in p.rates:
            if r.id not in used_in_fees:
                out.append(self.unit(r, "rate"))
        for t in p.tiers:
            out.append(self.tier(t))
        return out

    def _spread(self, item: Item, per_period: Decimal, months_each: int | None) -> Item:
        item.per_period = per_period
        if months_each is None:
            item.periods = 1
            item.total = per_period
            item.indexed_total = per_period  # a one-off price is not revised
            return item
        starts = self.period_starts(months_each)
        if not starts:
            item.reason = Note.of("no_term")
            return item
        item.periods = len(starts)
        item.total = per_period * len(starts)
        item.indexed_total = sum((per_period * self.factor(d) for d in starts), ZERO)
        return item

    def fee(self, f: C.Fee) -> Item:
        v = f.value
        if isinstance(v, Unknown):  # the whole fee withheld (`fee f "F": redacted`)
            item = Item(f.id or "", "fee", f.title, "once")
            item.reason = Note.of("unknown_" + v.unknown)
            return item
        item = Item(f.id or "", "fee", f.title, v.schedule)
        try:
            per = self.monthly_amount(v.amount, item.notes)
        except NotComputable as exc:
            item.reason = exc.note
            return item
        item.volume_based = any(n.key == "volume_forecast" for n in item.notes)
        if v.schedule == "once":
            at = self.res.dates.get(v.at.id) if v.at is not None and self.res is not None else None
            if at is not None and self.end is not None and at > self.end:
                item.reason = Note.of("after_term", at=at)
                return item
            return self._spread(item, per, None)
        if v.schedule == "per_unit":
            item.reason = Note.of("per_unit")
            return item
        months_each = _SCHEDULE_MONTHS[v.schedule]
        if item.volume_based and months_each != 1:
            per = per * months_each  # a month of volume, times the months of the period
        return self._spread(item, per, months_each)

    def unit(self, u: C.UnitPrice | C.RateCard, kind: str) -> Item:
        item = Item(u.id or "", kind, u.title, "every_month", volume_based=True)
        try:
            if not isinstance(u.value, Rate):
                raise NotComputable(Note.of("unknown_" + u.value.unknown))
            per = self.money(u.value.price) * self.volume(u.value.per, item.notes)
        except NotComputable as exc:
            item.reason = exc.note
            item.schedule = "per_unit"  # monthly only once a forecast volume makes it so
            return item
        if u.value.above_volume:
            # an overage price: the reference volume is what the fixed fees cover, so at the
            # forecast (that volume) nothing is charged; only units above it would be
            item.notes = [Note.of("overage_only", **dict(n.values)) for n in item.notes]
            per = ZERO
        return self._spread(item, per, 1)

    def tier(self, t: C.Tier) -> Item:
        item = Item(t.id or "", "tier", t.title, "every_month", volume_based=True)
        try:
            if not isinstance(t.unit, str):
                raise NotComputable(Note.of("no_volume", unit="?"))
            vol = self.volume(t.unit, item.notes)
            total = ZERO
            for b in t.bands:
                if not isinstance(b.price, Rate):
                    raise NotComputable(Note.of("share_band"))
                start = Decimal(b.low) if b.high is None else Decimal(max(b.low - 1, 0))
                top = vol if b.high is None else min(vol, Decimal(b.high))
                total += max(ZERO, top - start) * self.money(b.price.price)
            item.notes.append(Note.of("bands_marginal"))
        except NotComputable as exc:
            item.reason = exc.note
            item.schedule = "per_unit"
            return item
        return self._spread(item, total, 1)


def _refs(a: Any) -> list[Ref]:
    if isinstance(a, Ref):
        return [a]
    if isinstance(a, Call):
        return [r for x in a.args for r in _refs(x)]
    if isinstance(a, Arith):
        return _refs(a.left) + _refs(a.right)
    return []


def summarise(contract: C.Contract, res: Any) -> Summary:
    """The key figures of a checked contract."""
    from bpolang.obligations.compute import obligations

    calc = _Calc(contract, res)
    s = Summary(calc.currency, calc.effective, calc.end, calc.months)
    p = contract.pricing
    if calc.months is None:
        s.notes.append(Note.of("no_term"))
    ix = p.indexation if p is not None else None
    if ix is not None:
        if isinstance(ix.cap, Percentage) and res is not None and isinstance(ix.review, C.Recurrence):
            calc.cap = ix.cap.value
            calc.reviews = res.expand(ix.review) or []
            s.notes.append(Note.of("indexation_cap", cap=ix.cap.value, reviews=len(calc.reviews)))
        else:
            s.notes.append(Note.of("indexation_not_applied"))
    # first pass: recurring charges for the bases that relative amounts use
    s.items = calc.items()
    _bases(calc, s)
    s.items = calc.items()  # again, now that relative amounts have their bases
    _totals(calc, s)
    _exposures(calc, s)
    s.obligations = obligations(contract, res)
    s.key_dates = [
        o for o in s.obligations if o.kind in ("effective", "end", "renewal_notice", "milestone", "long_stop")
    ]
    s.data = list(contract.data)
    s.currency = calc.currency
    return s


def _bases(calc: _Calc, s: Summary) -> None:
    monthly = ZERO
    annual = ZERO
    year1 = None
    if calc.effective is not None:
        year1 = cal.add_duration(calc.effective, 12, "months")
    for i in s.items:
        if not i.computed or i.schedule == "once":
            continue
        months_each = _SCHEDULE_MONTHS.get(i.schedule)
        if months_each == 1:
            monthly += i.per_period or ZERO
        if year1 is not None and months_each:
            starts = [d for d in calc.period_starts(months_each) if d < year1]
            annual += (i.per_period or ZERO) * len(starts)
    recurring = any(i.computed and i.schedule in _SCHEDULE_MONTHS for i in s.items)
    s.monthly_fees = monthly if recurring else None
    s.annual_fees = annual if recurring and year1 is not None else None
    calc.bases = {}
    if s.monthly_fees is not None:
        calc.bases["monthly_fees"] = s.monthly_fees
    if s.annual_fees is not None:
        calc.bases["annual_fees"] = s.annual_fees


def _totals(calc: _Calc, s: Summary) -> None:
    computed = [i for i in s.items if i.computed]
    if computed:  # with nothing computed there is no total to give, not a total of zero
        s.fixed_total = sum((i.total or ZERO for i in computed if not i.volume_based), ZERO)
        s.volume_total = sum((i.total or ZERO for i in computed if i.volume_based), ZERO)
        s.total = s.fixed_total + s.volume_total
        s.indexed_total = sum((i.indexed_total or ZERO for i in computed), ZERO)
        calc.bases["total_fees"] = calc.bases["contract_value"] = s.total
    if calc.p is None:
        s.notes.append(Note.of("no_pricing"))
    p = calc.p
    if p is not None and isinstance(p.minimum, Rate) and p.minimum.per in _SCHEDULE_MONTHS_BY_PER and calc.months:
        each = _SCHEDULE_MONTHS_BY_PER[p.minimum.per]
        try:
            s.minimum_total = calc.money(p.minimum.price) * ceil(calc.months / each)
        except NotComputable:
            s.minimum_total = None
    # yearly run cost: recurring charges by contract year (none computed: no run cost, rather than zero)
    recurring = any(i.computed and i.schedule in _SCHEDULE_MONTHS for i in s.items)
    if recurring and calc.effective is not None and calc.months is not None and calc.end is not None:
        years = ceil(calc.months / 12)
        for y in range(years):
            start = cal.add_duration(calc.effective, 12 * y, "months")
            stop = min(cal.add_duration(calc.effective, 12 * (y + 1), "months") - dt.timedelta(days=1), calc.end)
            plain = indexed = ZERO
            for i in computed:
                months_each = _SCHEDULE_MONTHS.get(i.schedule)
                if not months_each:
                    continue
                for d in calc.period_starts(months_each):
                    if start <= d <= stop:
                        plain += i.per_period or ZERO
                        indexed += (i.per_period or ZERO) * calc.factor(d)
            s.run_cost.append((y + 1, start, stop, plain, indexed))


_SCHEDULE_MONTHS_BY_PER = {"month": 1, "quarter": 3, "year": 12}


def _amount(calc: _Calc, a: Any) -> Decimal:
    if isinstance(a, RelativeAmount):
        if a.of.id not in calc.bases:
            raise NotComputable(Note.of("relative", base=a.of.id))
        return calc.bases[a.of.id] * a.percent.value / 100
    if isinstance(a, Money):
        return calc.money(a)
    if isinstance(a, Unknown):
        raise NotComputable(Note.of("unknown_" + a.unknown))
    return calc.monthly_amount(a, [])


def _exposures(calc: _Calc, s: Summary) -> None:
    c = calc.c
    for cr in c.credit_regimes:
        e = Exposure(cr.id or "", "credit_regime", cr.title)
        try:
            e.monthly_cap = _amount(calc, cr.monthly_cap) if cr.monthly_cap is not None else None
            e.yearly_cap = _amount(calc, cr.annual_cap) if cr.annual_cap is not None else None
        except NotComputable as exc:
            e.reason = exc.note
            s.exposures.append(e)
            continue
        worst = worst_month_credits(c, cr)
        if worst is not None and worst[1]:
            base, parts = worst
            share = sum((v for _, _, v in parts), ZERO)
            e.notes.append(Note.of("credit_parts", base=base, parts=tuple(parts), share=share))
            if base in calc.bases:
                allocated = calc.bases[base] * share / 100
                e.monthly = min(allocated, e.monthly_cap) if e.monthly_cap is not None else allocated
        elif e.monthly_cap is not None:
            e.monthly = e.monthly_cap
            e.notes.append(Note.of("credit_at_cap"))
        if e.monthly is None and e.monthly_cap is None:
            e.reason = Note.of("uncapped")
        elif e.monthly is not None:
            year = e.monthly * 12
            e.yearly = min(year, e.yearly_cap) if e.yearly_cap is not None else year
        s.exposures.append(e)
    for pe in c.penalties:
        e = Exposure(pe.id or "", "penalty", pe.title)
        if pe.uncapped is True or pe.cap is None:
            e.reason = Note.of("uncapped")
        else:
            try:
                e.worst = _amount(calc, pe.cap)
                if isinstance(pe.amount, C.PenaltyAmount) and isinstance(pe.amount.amount, Money) and pe.amount.per:
                    rate = calc.money(pe.amount.amount)
                    if rate > 0:
                        e.notes.append(Note.of("cap_reached_after", n=ceil(e.worst / rate), per=pe.amount.per))
            except NotComputable as exc:
                e.reason = exc.note
        s.exposures.append(e)
    for li in c.liability:
        e = Exposure(li.id or "", "liability", li.title)
        try:
            if li.cap is None:
                raise NotComputable(Note.of("uncapped"))
            if isinstance(li.cap, C.FeesCap):
                raise NotComputable(Note.of("fees_paid_cap"))
            e.worst = _amount(calc, li.cap)
            if isinstance(li.basis, str):
                e.notes.append(Note.of("liability_basis", basis=li.basis))
        except NotComputable as exc:
            e.reason = exc.note
        s.exposures.append(e)
