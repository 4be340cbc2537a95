"""Resolution: one symbol table for every id, references checked, dates computed.

The validator, the language server, the renderer and the calendar export all
read the same :class:`Resolution`, so a relative date or a recurrence is
computed in exactly one place.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from bpolang.base.diagnostics import Diagnostic, Edit, Fix, Label, Span, replacement
from bpolang.base.errors import closest
from bpolang.model import bounds
from bpolang.model import contract as C
from bpolang.model.build import make_diag
from bpolang.model.laws import calendar_of_law
from bpolang.model.values import WEEKDAYS, DateExpr, Money, Recurrence, Ref, RelativeAmount, Unknown
from bpolang.resolve import calendar as cal

# Kinds of declared things, by the list field of the contract (or pricing, governance) holding them.
KIND_OF_CLASS: dict[type, str] = {
    C.Party: "party",
    C.PartyGroup: "party_group",
    C.Service: "service",
    C.Deliverable: "deliverable",
    C.Milestone: "milestone",
    C.ServiceLevel: "sla",
    C.CreditRegime: "credit_regime",
    C.Penalty: "penalty",
    C.DataAsset: "data",
    C.Fee: "fee",
    C.UnitPrice: "unit",
    C.RateCard: "rate",
    C.Tier: "tier",
    C.Committee: "committee",
    C.Report: "report",
    C.EscalationLevel: "level",
    C.Liability: "liability",
    C.Insurance: "insurance",
    C.Indemnity: "indemnity",
    C.Warranty: "warranty",
    C.Disclaimer: "disclaimer",
    C.Clause: "clause",
    C.Severity: "severity",
    C.RenewalOption: "renewal_option",
    C.ConditionPrecedent: "condition_precedent",
    C.BusinessCalendar: "calendar",
    C.Event: "event",
    C.Signature: "signature",
    C.Document: "document",
    C.Exclusivity: "exclusivity",
    C.NonSolicitation: "non_solicitation",
    C.Ownership: "ownership",
    C.Licence: "licence",
    C.Survival: "survives",
    C.Assignment: "assignment",
    C.Audit: "audit",
    C.NoticeAddress: "address",
    C.KeyPerson: "key_person",
    C.SubcontractingException: "exception",
    C.CopyRight: "copies",
    C.Measure: "measure",
    C.BillingRule: "billing_rule",
    C.Ground: "ground",
    C.PartialTermination: "partial",
    C.ConvenienceRight: "right",
}

# Built-in names a relative amount or a price expression may use.
BUILTIN_BASES = {
    "monthly_fees": "the recurring charges of the month concerned",
    "annual_fees": "the charges of the contract year concerned",
    "total_fees": "all charges over the term",
    "contract_value": "the total value of the contract",
    "volume": "the volume actually processed in the period",
    "trailing_12_months_fees": "the charges of the twelve months before the event",
    "prior_year_average_monthly_fees": "the average monthly charges of the previous contract year",
    "remaining_months": "the number of calendar months from the termination date to the end of the term",
    "shortfall": "the part of the minimum commitment not reached in the period",
}
DATE_ANCHORS = {"effective": "the effective date", "end": "the end of the term"}

DATED = ("milestone", "deliverable")
# events are not on the calendar: a date counted from one is known only when the event happens
UNDATED = ("event",)

# A reference that names a party may name a group of parties acting together (`party_group`).
PARTY = ("party", "party_group")

# (class, field) -> kinds of id the reference may name
REF_KINDS: dict[tuple[type, str], tuple[str, ...]] = {
    (C.Penalty, "applies_to"): ("milestone", "deliverable", "sla", "service", "report"),
    (C.Penalty, "payer"): PARTY,
    (C.Argument, "value"): PARTY,  # a `party` argument (a date's anchor is a DateExpr once composed)
    (C.Penalty, "beneficiary"): PARTY,
    (C.ServiceLevel, "applies_to"): ("service",),
    (C.ServiceLevel, "report"): ("report", "deliverable"),
    (C.CreditRegime, "applies_to"): ("sla",),
    (C.CreditRegime, "payer"): PARTY,
    (C.CreditRegime, "beneficiary"): PARTY,
    (C.Deliverable, "owner"): PARTY,
    (C.Deliverable, "recipient"): PARTY,
    (C.Deliverable, "after"): DATED,
    (C.Milestone, "after"): DATED,
    (C.Milestone, "owner"): PARTY,
    (C.Service, "performed_by"): PARTY,
    (C.Fee, "payer"): PARTY,
    (C.Fee, "set_by"): PARTY,
    (C.Pricing, "payer"): PARTY,
    (C.FeeValue, "at"): DATED + UNDATED,  # an instalment may fall due on an event not on the calendar
    (C.FeeValue, "not_before"): DATED,
    (C.Committee, "chair"): PARTY,
    (C.Committee, "minutes_by"): PARTY,
    (C.Report, "author"): PARTY,
    (C.Report, "recipients"): PARTY,
    (C.Liability, "party"): PARTY,
    (C.Insurance, "holder"): PARTY,
    (C.CapScope, "of"): ("liability",),
    (C.FeesCap, "service"): ("service", "document"),  # a service, or the statements of work
    (C.Indemnity, "by"): PARTY,
    (C.Indemnity, "beneficiary"): PARTY,
    (C.Warranty, "by"): PARTY,
    (C.Warranty, "beneficiary"): PARTY,
    (C.Disclaimer, "by"): PARTY,
    (C.ChangeControl, "approval"): ("committee", *PARTY),
    (C.Allocation, "sla"): ("sla",),
    (C.ChronicTermination, "by"): PARTY,
    (C.Event, "by"): PARTY,
    (C.RenewalOption, "by"): PARTY,
    (C.RenewalOption, "requires"): ("renewal_option",),
    (C.ConditionPrecedent, "owner"): PARTY,
    (C.ConditionPrecedent, "waivable_by"): PARTY,
    (C.Signature, "party"): PARTY,
    (C.Party, "affiliate_of"): ("party",),
    (C.PartyGroup, "members"): ("party",),
    (C.Service, "recipients"): PARTY,
    (C.DataAsset, "held_by"): PARTY,
    (C.DataAsset, "return_cost"): PARTY,
    (C.CopyRight, "holder"): PARTY,
    (C.CopyRight, "cost"): PARTY,
    (C.KeyPerson, "party"): PARTY,
    (C.SubcontractingException, "applies_to"): ("service",),
    (C.SubcontractingException, "to"): PARTY,
    (C.Document, "amendable_by"): PARTY,
    (C.Document, "prevails_over"): ("document",),
    (C.Contract, "precedence"): ("document",),
    (C.Exclusivity, "bound"): PARTY,
    (C.Exclusivity, "beneficiary"): PARTY,
    (C.NonSolicitation, "bound"): PARTY,
    (C.Ownership, "owner"): PARTY,
    (C.Licence, "licensor"): PARTY,
    (C.Licence, "licensee"): PARTY,
    (C.Assignment, "party"): PARTY,
    (C.Assignment, "consent_by"): PARTY,
    (C.NoticeAddress, "party"): PARTY,
    (C.Audit, "auditor"): PARTY,
    (C.Audit, "audited"): PARTY,
    (C.Audit, "cost"): PARTY,
    (C.Pricing, "tax_payer"): PARTY,
    (C.Pricing, "set_off_by"): PARTY,
    (C.Pricing, "collection_costs_by"): PARTY,
    (C.Pricing, "direct_debit"): ("fee", "unit", "rate", "tier"),
    (C.BillingRule, "fees"): ("fee", "unit", "rate", "tier", "measure"),
    (C.BillingRule, "payer"): PARTY,
    (C.BillingRule, "conflicts_with"): ("billing_rule",),
    (C.Indexation, "applies_to"): ("fee", "unit", "rate", "tier"),
    (C.Ground, "defaulting"): PARTY,
    (C.Ground, "by"): PARTY,
    (C.Ground, "fee_payer"): PARTY,
    (C.ForConvenience, "payer"): PARTY,
    (C.ConvenienceRight, "by"): PARTY,
    (C.ConvenienceRight, "fee_payer"): PARTY,
    (C.PartialTermination, "by"): PARTY,
    (C.PartialTermination, "services"): ("service",),
    (C.PartialTermination, "except_services"): ("service",),
    (C.Exit, "assistance_payer"): PARTY,
}


@dataclass
class Symbol:
    id: str
    kind: str
    node: Any
    span: Span | None


@functools.lru_cache(maxsize=256)
def _occurrences(
    frequency: str,
    interval: int,
    start: dt.date,
    until: dt.date,
    day: int | None,
    last_day: bool,
    weekday: int | None,
    month: int | None,
    business_day: int | None,
    business_only: bool,
    calendar: cal.CalendarSpec,
) -> tuple[dt.date, ...]:
    """The occurrences of a recurrence's rule between two dates, computed once for the same
    rule and dates: a contract's recurrences are expanded again at every check of an edit."""
    return tuple(
        cal.expand_recurrence(
            frequency=frequency,
            interval=interval,
            start=start,
            until=until,
            day=day,
            last_day=last_day,
            weekday=weekday,
            month=month,
            business_day=business_day,
            business_only=business_only,
            calendar=calendar,
        )
    )


@dataclass
class Resolution:
    """What every later stage shares: symbols, references and resolved dates."""

    symbols: dict[str, Symbol] = field(default_factory=dict)
    references: list[tuple[Ref, Symbol | None]] = field(default_factory=list)
    dates: dict[str, dt.date] = field(default_factory=dict)
    occurrences: dict[str, list[dt.date]] = field(default_factory=dict)
    effective: dt.date | None = None
    end: dt.date | None = None
    calendar: cal.CalendarSpec = None
    # date expressions whose computed date falls outside the bounds of dates (BPO020)
    out_of_range: set[int] = field(default_factory=set)

    def date_of(self, expr: DateExpr | None) -> dt.date | None:
        """The calendar date of a date expression, once resolved."""
        if expr is None or isinstance(expr, Unknown):
            return None
        return self._eval(expr)

    def expand(self, rec: Recurrence) -> list[dt.date] | None:
        """The occurrences of a recurrence over the term (from its start, or `effective`, to its end).

        None when they cannot be computed (no start or end date, or an impossible rule).
        """
        start = self.date_of(rec.start) if rec.start else self.effective
        until = self.date_of(rec.until) if rec.until else self.end
        if start is None or until is None:
            return None
        try:
            return list(
                _occurrences(
                    rec.frequency.value,
                    rec.interval,
                    start,
                    until,
                    rec.day,
                    rec.last_day,
                    rec.weekday,
                    rec.month,
                    rec.business_day,
                    rec.business_only,
                    self.calendar,
                )
            )
        except ValueError:
            return None

    def _eval(self, expr: DateExpr) -> dt.date | None:
        base: dt.date | None
        if expr.date is not None:
            base = expr.date
        elif expr.anchor == "effective":
            base = self.effective
        elif expr.anchor == "end":
            base = self.end
        else:
            base = self.dates.get(expr.anchor or "")
        if base is None:
            return None
        for off in expr.offsets:
            shifted = _shift(base, off.duration, self.calendar, off.sign)
            if shifted is None or not bounds.in_range(shifted):
                amount = off.duration.amount
                if shifted is not None or amount == amount.to_integral_value():
                    self.out_of_range.add(id(expr))  # not a fraction: the date left the range
                return None
            base = shifted
        return base


def _explain_unresolved(
    contract: C.Contract, res: Resolution, diags: list[Diagnostic], exprs: dict[str, DateExpr]
) -> None:
    """BPO018 for a relative date whose anchor is known but that still has no calendar date."""
    reported: set[int] = set()
    for _owner, _name, value in walked(contract).of(DateExpr):
        if not isinstance(value, DateExpr) or value.span is None or res.date_of(value) is not None:
            continue
        if id(value) in reported:
            continue
        reason = None
        anchor = value.anchor
        if anchor == "end":
            if res.effective is not None and res.end is None:
                if contract.end is not None:
                    continue  # `end` is given but undated (counted from an event, tbd): stated in words
                term = contract.term
                if id(term) in res.out_of_range:
                    continue  # reported at the term
                if term == "indefinite":
                    reason = "`end` has no date: the term is indefinite"
                elif isinstance(term, Unknown):
                    continue  # the term is tbd or redacted: nothing to say yet
                else:
                    reason = "`end` has no date: the contract has no `term`"
        elif anchor and anchor != "effective":
            sym = res.symbols.get(anchor)
            if sym is None or sym.kind not in DATED:
                continue  # reported as an unknown reference, or counted from an event not on the calendar
            target = exprs.get(anchor)
            if target is None:
                due = getattr(sym.node, "due", None) if sym.kind == "deliverable" else getattr(sym.node, "date", None)
                if isinstance(due, Unknown):
                    continue
                what = "a recurrence" if isinstance(due, Recurrence) else "no date"
                reason = f"`{anchor}` has no single date to count from (it has {what})"
            elif anchor in res.dates:
                reason = "an offset cannot be applied (months, quarters, years and business days must be whole numbers)"
            else:
                continue  # the anchor itself is unresolved: reported there
        else:
            base_known = value.date is not None or res.effective is not None
            if base_known:
                reason = "an offset cannot be applied (months, quarters, years and business days must be whole numbers)"
        if id(value) in res.out_of_range:
            reported.add(id(value))
            diags.append(
                make_diag(
                    "BPO020",
                    f"this date is out of range: it falls outside {bounds.DATE_RANGE}",
                    value.span,
                    help="dates are computed within the bounds of the language reference",
                )
            )
        elif reason:
            reported.add(id(value))
            diags.append(make_diag("BPO018", f"cannot compute this date: {reason}", value.span))


# A date moved by a duration, computed once for the same date, duration and calendar: the
# resolution and several rules move the same dates again at every check of an edit.
_added = functools.lru_cache(maxsize=4096)(cal.add_duration)


def _shift(base: dt.date, duration, calendar: cal.CalendarSpec, sign: int) -> dt.date | None:
    try:
        return _added(base, duration.amount, duration.unit.value, calendar, sign)
    except ValueError:
        if isinstance(calendar, cal.BusinessCalendar) and calendar.country is not None:
            # a declared calendar on a country with no public-holiday calendar: its own closed days only
            return _shift(base, duration, dataclasses.replace(calendar, country=None), sign)
        if calendar is not None:
            # no public-holiday calendar for this law: weekends only
            return _shift(base, duration, None, sign)
        return None
    except OverflowError:
        return None


class _Piece:
    """The walk of one model: its (owner, field, value) triples and, once asked, an index of
    them by value type and the answers to `of` (kept while the model is reused unchanged)."""

    __slots__ = ("model", "triples", "_by_type", "_found")

    def __init__(self, model: BaseModel | None, triples: list[tuple[BaseModel, str, Any]]) -> None:
        self.model = model
        self.triples = triples
        self._by_type: dict[type, list[tuple[BaseModel, str, Any]]] | None = None
        self._found: dict[tuple[type, ...], list[tuple[BaseModel, str, Any]]] = {}

    def of(self, types: tuple[type, ...]) -> list[tuple[BaseModel, str, Any]]:
        found = self._found.get(types)
        if found is not None:
            return found
        by_type = self._by_type
        if by_type is None:
            by_type = self._by_type = {}
            for t in self.triples:
                tp = type(t[2])
                got = by_type.get(tp)
                if got is None:
                    by_type[tp] = [t]
                else:
                    got.append(t)
        matching = [tp for tp in by_type if _subclass(tp, types)]
        if not matching:
            found = _NONE
        elif len(matching) == 1:
            found = by_type[matching[0]]
        else:  # several types: back in walk order
            wanted = set(matching)
            found = [t for t in self.triples if type(t[2]) in wanted]
        self._found[types] = found
        return found


_NONE: list = []
_SUBCLASS: dict[tuple[type, tuple[type, ...]], bool] = {}


def _subclass(tp: type, types: tuple[type, ...]) -> bool:
    key = (tp, types)
    hit = _SUBCLASS.get(key)
    if hit is None:
        hit = _SUBCLASS[key] = issubclass(tp, types)
    return hit


class Walked:
    """Every (owner, field, value) of a model, in walk order, and an index of them by value type.

    The walk is kept in pieces, one per model among the contract's own values, so that an
    incremental re-check, which reuses unchanged blocks, reuses their walks and indexes too.
    """

    __slots__ = ("node", "_pieces", "_triples", "_found")

    def __init__(self, node: BaseModel, pieces: list[_Piece]) -> None:
        self.node = node
        self._pieces = pieces
        self._triples: list[tuple[BaseModel, str, Any]] | None = None
        self._found: dict[tuple[type, ...], list[tuple[BaseModel, str, Any]]] = {}

    @property
    def triples(self) -> list[tuple[BaseModel, str, Any]]:
        if self._triples is None:
            if len(self._pieces) == 1:
                self._triples = self._pieces[0].triples
            else:
                out: list[tuple[BaseModel, str, Any]] = []
                for piece in self._pieces:
                    out.extend(piece.triples)
                self._triples = out
        return self._triples

    def of(self, *types: type) -> list[tuple[BaseModel, str, Any]]:
        """The triples whose value is an instance of one of `types`, in walk order (a new list)."""
        found = self._found.get(types)
        if found is None:
            found = []
            for piece in self._pieces:
                got = piece.of(types)
                if got:
                    found.extend(got)
            self._found[types] = found
        return list(found)


# The last contract walked: resolution and several rules walk the same model, which is never
# changed once built, so the walk is made once per contract.
_last_walk: Walked | None = None
# Whether a field value's type is a model to descend into (isinstance on pydantic's metaclass
# costs several times a dictionary look-up, and a contract has tens of thousands of values).
_IS_MODEL: dict[type, bool] = {}


def walked(node: BaseModel) -> Walked:
    """The walk of a model (cached for the last contract walked)."""
    global _last_walk, _pieces
    last = _last_walk
    if last is not None and last.node is node:
        return last
    if not isinstance(node, C.Contract):
        return Walked(node, [_Piece(node, _walk_from(node))])
    # The contract's own values, then the walk of each model among them, last first (the
    # order of one depth-first walk).  A block reused unchanged by an incremental re-check
    # (bpolang.check.incremental) is the same object as before: its walk is reused too.
    own: list[tuple[BaseModel, str, Any]] = []
    models: list[BaseModel] = []
    for name in type(node).__pydantic_fields__:
        value = getattr(node, name)
        if value is None:
            continue
        for v in value if type(value) is list else (value,):
            own.append((node, name, v))
            if _is_model(type(v)):
                models.append(v)
    pieces: list[_Piece] = [_Piece(None, own)]
    reused: dict[int, _Piece] = {}
    for v in reversed(models):
        hit = _pieces.get(id(v))
        piece = hit if hit is not None and hit.model is v else _Piece(v, _walk_from(v))
        reused[id(v)] = piece
        pieces.append(piece)
    _pieces = reused
    result = _last_walk = Walked(node, pieces)
    return result


# id of each model value of the last contract walked -> the walk of that value
_pieces: dict[int, _Piece] = {}


def _is_model(tp: type) -> bool:
    m = _IS_MODEL.get(tp)
    if m is None:
        m = _IS_MODEL[tp] = issubclass(tp, BaseModel)
    return m


def _walk_from(node: BaseModel) -> list[tuple[BaseModel, str, Any]]:
    """(owner, field, value) of a model and everything in it, depth first, without recursion."""
    out: list[tuple[BaseModel, str, Any]] = []
    append = out.append
    stack: list[BaseModel] = [node]
    pop, push = stack.pop, stack.append
    is_model = _IS_MODEL
    while stack:
        cur = pop()
        for name in type(cur).__pydantic_fields__:
            value = getattr(cur, name)
            if value is None:
                continue
            items = value if type(value) is list else (value,)
            for v in items:
                append((cur, name, v))
                tp = type(v)
                m = is_model.get(tp)
                if m is None:
                    m = is_model[tp] = issubclass(tp, BaseModel)
                if m:
                    push(v)
    return out


def walk(node: BaseModel) -> list[tuple[BaseModel, str, Any]]:
    """(owner, field, value) for every field value in the model, without recursion."""
    return walked(node).triples


def calendar_for(contract: C.Contract) -> cal.CalendarSpec:
    """The calendar for business days: the contract's `calendar` (a declared one or a law code),
    else the public holidays of the governing law's country or subdivision."""
    if isinstance(contract.calendar, str):
        declared = next((c for c in contract.calendars if c.id == contract.calendar), None)
        if declared is not None:
            return declared_calendar(declared)
        return calendar_of_law(contract.calendar)
    if not isinstance(contract.governing_law, str):
        return None  # none, or redacted / tbd
    return calendar_of_law(contract.governing_law)


def declared_calendar(decl: C.BusinessCalendar) -> cal.BusinessCalendar:
    """A calendar declared in the contract, as the date arithmetic reads it."""
    open_days = frozenset(WEEKDAYS.index(d) for d in decl.open_days) or frozenset(range(5))
    holidays = frozenset(h.date for h in decl.holidays if isinstance(h, DateExpr) and h.date and not h.offsets)
    country = calendar_of_law(decl.based_on) if isinstance(decl.based_on, str) else None
    return cal.BusinessCalendar(country=country, open_days=open_days, holidays=holidays)


def resolve(
    contract: C.Contract, index_span=None, damaged: bool = False, text: str | None = None
) -> tuple[Resolution, list[Diagnostic]]:
    """Build the symbol table, check references and compute dates."""
    res = Resolution()
    diags: list[Diagnostic] = []
    res.calendar = calendar_for(contract)

    w = walked(contract)
    # 1. symbols, in the order of the text: the first declaration is the one kept
    elements = w.of(*KIND_OF_CLASS)
    elements.sort(key=lambda t: t[2].span.start if t[2].span is not None else 1 << 62)
    for _owner, _name, value in elements:
        kind = KIND_OF_CLASS.get(type(value))
        if kind is None or not isinstance(value, C.Element) or not value.id:
            continue
        if value.id in res.symbols:
            first = res.symbols[value.id]
            diags.append(
                make_diag(
                    "BPO013",
                    f"`{value.id}` is declared twice",
                    _id_span(value),
                    labels=[
                        Label(span=_id_span(first.node) or first.span, message=f"first declared here as a {first.kind}")
                    ]
                    if first.span
                    else [],
                    help="give each block its own id",
                )
            )
            continue
        if value.id in DATE_ANCHORS or value.id in BUILTIN_BASES:
            diags.append(
                make_diag(
                    "BPO013",
                    f"`{value.id}` is a built-in name and cannot be used as an id",
                    _id_span(value),
                    help=f"`{value.id}` means {DATE_ANCHORS.get(value.id) or BUILTIN_BASES[value.id]}; choose another id",
                )
            )
            continue
        res.symbols[value.id] = Symbol(value.id, kind, value, value.span)

    # 2. references
    for owner, name, value in w.of(Ref, DateExpr):
        if isinstance(value, Ref):
            allowed = REF_KINDS.get((type(owner), name))
            _check_ref(res, diags, value, allowed, owner, name)
        elif isinstance(value, DateExpr) and value.anchor and value.anchor not in DATE_ANCHORS:
            sym = res.symbols.get(value.anchor)
            allowed = DATED + UNDATED if sym is not None and sym.kind in UNDATED else DATED
            _check_ref(res, diags, Ref(id=value.anchor, span=_anchor_span(value)), allowed, owner, name, date=True)

    # 3. currencies
    _check_currencies(contract, diags, index_span, text)

    # 4. dates
    _resolve_dates(contract, res, diags, explain=not damaged)
    return res, diags


@functools.cache
def iso_currencies() -> frozenset[str]:
    """ISO 4217 codes known to babel (current and historical), cached per babel version."""
    from bpolang.base import cache

    key = ("babel", cache.package_version("babel"), "currencies")
    stored = cache.read_json(key)
    if isinstance(stored, list):
        return frozenset(stored)
    from babel.core import get_global

    codes = frozenset(get_global("all_currencies"))
    cache.write_json(key, sorted(codes))
    return codes


def _word_span(owner: Any, key: str, word: str, index_span, text: str | None) -> Span | None:
    """Where `key: word` is written inside a block, found in the text; the block's span otherwise."""
    span = owner.span
    if span is None or index_span is None or text is None or span.path is not None:
        return span  # not found in the text, or written in another file (a master, a schedule)
    m = re.compile(rf"(?m)^[ \t]*{key}[ \t]*:[ \t]*({re.escape(word)})\b").search(text, span.start, span.end)
    return index_span(m.start(1), m.end(1)) if m else span


def _check_currencies(contract: C.Contract, diags: list[Diagnostic], index_span=None, text: str | None = None) -> None:
    """Each unknown currency code reported once, where first written, its other uses as labels."""
    uses: dict[str, list[tuple[Span | None, bool]]] = {}
    w = walked(contract)
    for owner, name, value in w.of(Money) + [(p, "currency", p.currency) for _o, _n, p in w.of(C.Pricing)]:
        if isinstance(value, Money):
            code, span = value.currency, value.span
            if span is not None:
                # point at the code, the last characters of the amount
                n = len(code)
                span = Span(
                    start=span.end - n,
                    end=span.end,
                    line=span.end_line,
                    col=span.end_col - n,
                    end_line=span.end_line,
                    end_col=span.end_col,
                    path=span.path,
                )
        elif isinstance(owner, C.Pricing) and name == "currency" and isinstance(value, str):
            code, span = value, _word_span(owner, "currency", value, index_span, text)
        else:
            continue
        uses.setdefault(code, []).append((span, span is not None and span != owner.span))
    if not uses:
        return
    codes = iso_currencies()
    for code, spans in uses.items():
        if code in codes:
            continue
        spans.sort(key=lambda u: u[0].start if u[0] is not None else -1)
        first = spans[0][0]
        close = closest(code, sorted(codes))
        fix = None
        if close:
            edits = [Edit(start=s.start, end=s.end, text=close) for s, ok in spans if ok and s is not None]
            if edits:
                message = (
                    f"replace with `{close}`" if len(edits) == 1 else f"replace `{code}` with `{close}` everywhere"
                )
                fix = Fix(message=message, edits=edits, safe=False)
        more = len(spans) - 1
        diags.append(
            make_diag(
                "BPO017",
                f"`{code}` is not an ISO 4217 currency code" + (f" (used {more + 1} times)" if more else ""),
                first,
                labels=[Label(span=s, message=f"`{code}` again") for s, _ in spans[1:] if s is not None],
                help=f"did you mean `{close}`?" if close else "use a code such as EUR, GBP or USD",
                fix=fix,
            )
        )


def _id_span(node: Any) -> Span | None:
    return node.id_span if isinstance(node, C.Element) else node.span


def _anchor_span(expr: DateExpr) -> Span | None:
    if expr.span is None:
        return None
    s = expr.span
    length = len(expr.anchor or "")
    return Span(
        start=s.start,
        end=s.start + length,
        line=s.line,
        col=s.col,
        end_line=s.line,
        end_col=s.col + length,
        path=s.path,
    )


def _check_ref(res, diags, ref: Ref, allowed, owner, field_name, date: bool = False) -> None:
    sym = res.symbols.get(ref.id)
    if sym is None:
        if ref.id in BUILTIN_BASES and (isinstance(owner, RelativeAmount) or allowed is None):
            res.references.append((ref, None))
            return
        pool = [s.id for s in res.symbols.values() if allowed is None or s.kind in allowed]
        if allowed is None or isinstance(owner, RelativeAmount):
            pool += list(BUILTIN_BASES)
        if date:
            pool += list(DATE_ANCHORS)
        close = difflib.get_close_matches(ref.id, pool, n=1, cutoff=0.6)
        kinds = ", ".join(allowed[:-1]) + (" or " if len(allowed) > 1 else "") + allowed[-1] if allowed else ""
        message = f"unknown id `{ref.id}`" + (f": no {kinds} has this id" if allowed else "")
        diags.append(
            make_diag(
                "BPO014",
                message,
                ref.span,
                help=f"did you mean `{close[0]}`?" if close else _known_help(pool, allowed),
                fix=replacement(ref.span, close[0]) if close else None,
            )
        )
        return
    res.references.append((ref, sym))
    if allowed is not None and sym.kind not in allowed:
        diags.append(
            make_diag(
                "BPO019",
                f"`{ref.id}` is {_a(sym.kind)}, but `{field_name}` expects " + " or ".join(_a(k) for k in allowed),
                ref.span,
                labels=[Label(span=decl, message=f"`{ref.id}` is declared here")]
                if sym.span and (decl := _id_span(sym.node))
                else [],
            )
        )


def _a(kind: str) -> str:
    word = {"sla": "service level", "credit_regime": "credit regime", "data": "data asset"}.get(kind, kind)
    return ("an " if word[0] in "aeiou" else "a ") + word


def _known_help(pool, allowed) -> str | None:
    if not pool:
        what = " or ".join(allowed) if allowed else "block"
        return f"declare a {what} with this id first"
    shown = ", ".join(f"`{p}`" for p in pool[:8])
    return f"known: {shown}" + (", ..." if len(pool) > 8 else "")


def _resolve_dates(contract: C.Contract, res: Resolution, diags: list[Diagnostic], explain: bool = True) -> None:
    if isinstance(contract.effective, DateExpr):
        if contract.effective.date is not None and not contract.effective.offsets:
            res.effective = contract.effective.date
        else:
            diags.append(
                make_diag("BPO018", "`effective` must be a calendar date such as `2027-01-01`", contract.effective.span)
            )
    if res.effective is not None and isinstance(contract.term, C.Duration):
        res.end = _shift(res.effective, contract.term, None, 1)
        if res.end is not None and not bounds.in_range(res.end - dt.timedelta(days=1)):
            res.end = None
            res.out_of_range.add(id(contract.term))
            diags.append(
                make_diag(
                    "BPO020",
                    f"the term is out of range: it ends outside {bounds.DATE_RANGE}",
                    contract.term.span,
                    help="dates are computed within the bounds of the language reference",
                )
            )
        if res.end is not None:
            # the term runs up to the day before the anniversary: 36 months from 2027-01-01 end 2029-12-31
            res.end = res.end - dt.timedelta(days=1)

    if isinstance(contract.end, DateExpr) and contract.end.date is not None and not contract.end.offsets:
        res.end = contract.end.date  # a fixed last day, included ("up to and including")

    # dated things: milestones (date) and deliverables (due as a date)
    exprs: dict[str, DateExpr] = {}
    for m in contract.milestones:
        if m.id and m.id not in DATE_ANCHORS and isinstance(m.date, DateExpr):
            exprs.setdefault(m.id, m.date)
    for d in contract.deliverables:
        if d.id and d.id not in DATE_ANCHORS and isinstance(d.due, DateExpr):
            exprs.setdefault(d.id, d.due)
    state: dict[str, int] = {}  # 1 = in progress, 2 = done
    for start in exprs:
        if state.get(start):
            continue
        # iterative depth-first evaluation with cycle detection
        stack = [start]
        path: list[str] = []
        while stack:
            cur = stack[-1]
            if state.get(cur) == 2:
                stack.pop()
                continue
            expr = exprs.get(cur)
            dep = expr.anchor if expr is not None else None
            if state.get(cur) != 1:
                state[cur] = 1
                path.append(cur)
                if dep and dep in exprs and state.get(dep) != 2:
                    if state.get(dep) == 1:
                        cycle = path[path.index(dep) :] + [dep]
                        diags.append(
                            make_diag(
                                "BPO018",
                                "dates depend on each other in a cycle: " + " → ".join(f"`{c}`" for c in cycle),
                                exprs[cur].span,
                                help="anchor one of them on a calendar date or on `effective`",
                            )
                        )
                        for c in cycle:
                            state[c] = 2
                        path.pop()
                        stack.pop()
                        continue
                    stack.append(dep)
                    continue
            if expr is not None:
                value = res.date_of(expr)
                if value is not None:
                    res.dates[cur] = value
            state[cur] = 2
            if path and path[-1] == cur:
                path.pop()
            stack.pop()

    if explain:
        # after a syntax error a date may be missing only because its statement was dropped
        _explain_unresolved(contract, res, diags, exprs)

    # recurrences expanded over the term
    for owner, _name, value in walked(contract).of(Recurrence):
        if not isinstance(value, Recurrence) or not isinstance(owner, C.Element) or not owner.id:
            continue
        occurrences = res.expand(value)
        if occurrences is not None:
            res.occurrences[owner.id] = occurrences
