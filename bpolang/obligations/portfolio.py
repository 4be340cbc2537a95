"""The portfolio view: the key figures of many contracts, per provider and per master agreement.

Pure computation on contracts already loaded and checked (:mod:`bpolang.cli.commands.summary`
reads the files; :mod:`bpolang.render.portfolio` words the result).  Each contract's figures are
those of :func:`bpolang.obligations.figures.summarise`, never recomputed here:

* a statement of work is counted once, as the contract it makes with its master (the composed
  model); the master itself is not counted when a statement of work under it is in the set —
  its terms are counted through each of them — and its statements of work are grouped under it;
* the value is the total over the term; a contract with a price that cannot be computed gives
  its computed part and says how many prices it leaves out;
* the exposure is the worst year of service credits (every credit regime) and the worst case of
  the capped penalties; a regime or penalty whose worst case cannot be computed (uncapped, a
  base that is not known) is named, never counted as zero;
* the deadlines are the next notice deadline on or after the reference date (tacit renewal,
  renewal option, termination for convenience) and the end of the initial term;
* amounts are added up per provider only within one currency.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bpolang.model import contract as C

NOTICE_KINDS = ("renewal_notice", "renewal_option_notice", "termination_notice")
ZERO = Decimal(0)


@dataclass
class Entry:
    """One contract counted in the portfolio."""

    path: str
    id: str | None
    title: str | None
    provider: str | None  # the provider party's name (its title, else its id)
    master: str | None  # the path of the master agreement it is under
    master_title: str | None
    language: str | None
    currency: str | None
    value: Decimal | None  # the computed part of the value over the term
    left_out: int  # prices not computed (value is then a lower bound)
    credits: Decimal | None  # worst year of service credits, every regime computed
    penalties: Decimal | None  # worst case of the capped penalties
    not_bounded: list[str] = field(default_factory=list)  # regimes and penalties with no computed worst case
    effective: dt.date | None = None
    end: dt.date | None = None
    next_notice: Any = None  # obligations.compute.Obligation
    errors: int = 0  # error findings (counted anyway with --force)
    obligations: list[Any] = field(default_factory=list, repr=False)


@dataclass
class Skipped:
    """A file not counted: unreadable, with errors, or a schedule (not a contract of its own)."""

    path: str
    reason: str  # "unreadable", "errors", "schedule"
    errors: int = 0
    first: str | None = None  # the first error, one line (`path:line:col: CODE message`)


@dataclass
class Group:
    """The contracts under one master agreement, or the contracts under none (``master`` None)."""

    master: str | None
    master_title: str | None
    entries: list[Entry] = field(default_factory=list)
    master_entry: Entry | None = None  # the master's own figures, when its file is in the set (not counted)


@dataclass
class Total:
    currency: str
    value: Decimal = ZERO
    complete: bool = True  # every price of every contract computed
    credits: Decimal | None = None  # None: no contract has a computed one
    penalties: Decimal | None = None
    bounded: bool = True  # every regime and penalty has a computed worst case
    contracts: int = 0


@dataclass
class Provider:
    name: str | None
    groups: list[Group] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)  # one per currency, in order of first use

    @property
    def entries(self) -> list[Entry]:
        return [e for g in self.groups for e in g.entries]


@dataclass
class Portfolio:
    as_of: dt.date
    providers: list[Provider] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        return [e for p in self.providers for e in p.entries]

    def deadlines(self) -> list[tuple[dt.date, str, Entry]]:
        """The next notice deadline and the end of every contract and master agreement, on or after
        the reference date, by date."""
        out: list[tuple[dt.date, str, Entry]] = []
        masters = [g.master_entry for p in self.providers for g in p.groups if g.master_entry is not None]
        for e in self.entries + masters:
            if e.next_notice is not None:
                out.append((e.next_notice.date, "notice", e))
            if e.end is not None and e.end >= self.as_of:
                out.append((e.end, "end", e))
        return sorted(out, key=lambda x: (x[0], x[2].path, x[1]))


def master_path(path: str, contract: C.Contract) -> str | None:
    """The file of the master a contract names with `under`, as the composition reads it."""
    if not isinstance(contract.under, str):
        return None
    return os.path.normpath(os.path.join(os.path.dirname(path), contract.under))


def provider_name(contract: C.Contract) -> str | None:
    for p in contract.parties:
        if p.role == "provider":
            return p.title or p.id
    return None


def entry(path: str, result: Any, as_of: dt.date, errors: int = 0) -> Entry:
    """The portfolio's figures of one loaded contract (a statement of work: its composed model)."""
    from bpolang.obligations.figures import summarise

    c = result.contract
    s = summarise(c, result.resolution)
    not_bounded: list[str] = []
    credits = penalties = None
    for x in s.exposures:
        if x.kind == "credit_regime":
            if x.yearly is None:
                not_bounded.append(x.id)
            else:
                credits = (credits or ZERO) + x.yearly
        elif x.kind == "penalty":
            if x.worst is None:
                not_bounded.append(x.id)
            else:
                penalties = (penalties or ZERO) + x.worst
    notices = [o for o in s.obligations if o.kind in NOTICE_KINDS and o.date is not None and o.date >= as_of]
    master = master_path(path, c)
    # the master's title, from the file read for the composition
    master_title = next(
        (
            part.contract.title
            for part_path, part in result.parts.items()
            if part_path == master and part.contract is not None
        ),
        None,
    )
    return Entry(
        path=path,
        id=c.id,
        title=c.title,
        provider=provider_name(c),
        master=master,
        master_title=master_title,
        language=c.language if isinstance(c.language, str) else None,
        currency=s.currency,
        value=s.total,
        left_out=sum(1 for i in s.items if not i.computed),
        credits=credits,
        penalties=penalties,
        not_bounded=not_bounded,
        effective=s.effective,
        end=s.end,
        next_notice=min(notices, key=lambda o: o.date) if notices else None,
        errors=errors,
        obligations=s.obligations,
    )


def assemble(entries: list[Entry], skipped: list[Skipped], as_of: dt.date) -> Portfolio:
    """Group the contracts per provider, then per master; total per provider and currency.

    A master with a statement of work among the entries is not counted on its own: its terms are
    counted through each statement of work.
    """
    under = {os.path.realpath(e.master) for e in entries if e.master is not None}
    counted = [e for e in entries if os.path.realpath(e.path) not in under]
    masters = {os.path.realpath(e.path): e for e in entries if os.path.realpath(e.path) in under}
    portfolio = Portfolio(as_of, skipped=skipped)
    by_provider: dict[str | None, Provider] = {}
    for e in sorted(counted, key=lambda e: (e.provider is None, e.provider or "", e.master or "", e.path)):
        prov = by_provider.get(e.provider)
        if prov is None:
            prov = by_provider[e.provider] = Provider(e.provider)
            portfolio.providers.append(prov)
        key = os.path.realpath(e.master) if e.master is not None else None
        group = next((g for g in prov.groups if (g.master and os.path.realpath(g.master)) == key), None)
        if group is None:
            group = Group(e.master, e.master_title, master_entry=masters.get(key or ""))
            prov.groups.append(group)
        group.entries.append(e)
        _add(prov, e)
    return portfolio


def _add(prov: Provider, e: Entry) -> None:
    if e.currency is None:
        return
    total = next((t for t in prov.totals if t.currency == e.currency), None)
    if total is None:
        total = Total(e.currency)
        prov.totals.append(total)
    total.contracts += 1
    total.value += e.value or ZERO
    total.complete = total.complete and e.value is not None and e.left_out == 0
    if e.credits is not None:
        total.credits = (total.credits or ZERO) + e.credits
    if e.penalties is not None:
        total.penalties = (total.penalties or ZERO) + e.penalties
    total.bounded = total.bounded and not e.not_bounded
