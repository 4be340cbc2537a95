"""Every dated obligation of a contract over its term, as one typed list.

`bpo calendar` (iCalendar, CSV), the renderer's obligations-calendar annex and the
timeline picture all read :func:`obligations`, so they can never disagree.  The
records are language-neutral (ids and model values); :class:`Labeller` words them
for one language with the renderer's formatter.

The dates come from :class:`bpolang.resolve.references.Resolution` (milestones, deliverables,
recurrences expanded over the term, `effective` and `end`).  What is computed here:

* invoices: one per billing period (months, quarters or years from the effective
  month; weeks from the effective date) up to `end` — on the period's last day when
  billed in arrears (also when the timing is not stated), on its first day in advance
  (the first period's on the effective date); `on_milestone` / `on_delivery` billing invoices each one-off fee on the
  date of its `at` milestone or deliverable;
* payments: each invoice's due date under `payment_terms` (:func:`calendar.payment_due`;
  `from receipt` and `from acceptance` count from the invoice date), as the terms give it:
  the contract states no rule moving a due date off a weekend or public holiday, so none is
  applied;
* service-level measurement periods: the end of each monthly, quarterly, yearly or
  weekly window from `effective`; a rolling window of N months is measured at each
  month end once N months have passed; daily windows are not listed;
* notice deadline: for tacit renewal, the last day notice can be given so that it runs
  its full length before the anniversary of the term (the termination `notice` when
  the renewal gives none); for termination for convenience, the last day to give its
  `notice` so that the contract ends with each contract year before the last (the
  convenience fees go by contract year);
* exit: the exit plan (`effective` + `plan`), its updates, the data return
  (`end` + `data_return`), the end of the transition assistance (`end` + `transition`)
  and each data asset's return or deletion (`end` + its `at_end` delay);
* the acceptance deadline of a deliverable with a single due date (due date +
  `acceptance`), owed by its recipient.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bpolang.model import contract as C
from bpolang.model.values import DateExpr, Duration, Recurrence, Ref
from bpolang.resolve import calendar as cal

#: owed_by / owed_to value meaning "the Parties" (both of them); an id can never be `*`.
PARTIES = "*"

# Kinds, in the order they are listed on one day.
KINDS = (
    "effective",
    "milestone",
    "long_stop",
    "deliverable",
    "acceptance",
    "report",
    "meeting",
    "sla_period",
    "invoice",
    "payment",
    "indexation_review",
    "continuity_test",
    "exit_plan",
    "exit_plan_update",
    "renewal_notice",
    "renewal_option_notice",
    "condition_precedent",
    "termination_notice",
    "end",
    "data_return",
    "data_at_end",
    "transition_end",
)

#: Kinds whose occurrences form a series (one rule, several dates).
SERIES_KINDS = frozenset(
    {
        "report",
        "meeting",
        "sla_period",
        "invoice",
        "payment",
        "indexation_review",
        "continuity_test",
        "exit_plan_update",
        "termination_notice",
        "renewal_option_notice",
    }
)


@dataclass(frozen=True)
class Obligation:
    """One dated thing someone owes someone (``date`` None: it cannot be computed yet)."""

    date: dt.date | None
    kind: str
    source_id: str  # the block it comes from (a milestone id, `pricing`, `exit`, ...)
    title: str | None  # the user's title of that block, as written
    owed_by: tuple[str, ...] = ()  # party ids, or (PARTIES,)
    owed_to: tuple[str, ...] = ()
    rule: Any = None  # the model value the date follows from (Recurrence, Billing, DateExpr, Duration ...)
    series: bool = False  # one occurrence of a recurring obligation
    related: dt.date | None = None  # for a payment: its invoice date

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the obligation across its occurrences."""
        return (self.kind, self.source_id)


def obligations(contract: C.Contract, res: Any) -> list[Obligation]:
    """Every obligation of the contract, in date order (undated ones last, in contract order)."""
    items = _Collector(contract, res).collect()
    return [ob for _, ob in sorted(items, key=_order)]


def notice_deadlines(contract: C.Contract, res: Any) -> list[Obligation]:
    """The notice deadlines alone (tacit renewal, termination for convenience), as :func:`obligations` gives them."""
    end = res.end if res is not None else None
    if end is None:
        return []
    collector = _Collector(contract, res)
    collector.notice(end)
    collector.convenience(end)
    return collector.items


def _order(item: tuple[int, Obligation]) -> tuple:
    i, ob = item
    return (ob.date is None, ob.date or dt.date.min, i)


def dated(items: Iterable[Obligation]) -> list[Obligation]:
    """Only the obligations with a computed date."""
    return [o for o in items if o.date is not None]


def series(items: Iterable[Obligation]) -> list[tuple[Obligation, list[Obligation]]]:
    """Obligations grouped by :attr:`Obligation.key`: (first, all occurrences), in order of first date."""
    groups: dict[tuple[str, str], list[Obligation]] = {}
    for o in items:
        groups.setdefault(o.key, []).append(o)
    return [(g[0], g) for g in groups.values()]


class _Collector:
    def __init__(self, contract: C.Contract, res: Any) -> None:
        self.c = contract
        self.res = res
        self.items: list[Obligation] = []
        self.client = _first_party(contract, "client")
        self.provider = _first_party(contract, "provider")

    # ------------------------------------------------------------ helpers
    def add(self, date: dt.date | None, kind: str, source_id: str, title: str | None, **kw: Any) -> None:
        self.items.append(Obligation(date, kind, source_id, title, **kw))

    def add_series(self, dates: list[dt.date] | None, kind: str, source_id: str, title: str | None, **kw: Any) -> None:
        if not dates:
            self.add(None, kind, source_id, title, series=True, **kw)
            return
        for d in dates:
            self.add(d, kind, source_id, title, series=True, **kw)

    def date_of(self, expr: Any) -> dt.date | None:
        if not isinstance(expr, DateExpr) or self.res is None:
            return None
        try:
            return self.res.date_of(expr)
        except (ValueError, OverflowError):
            return None

    def shift(self, base: dt.date | None, d: Any, sign: int = 1) -> dt.date | None:
        """`base` moved by a duration, with business days under the contract's calendar."""
        from bpolang.resolve.references import (
            _shift,  # the resolver's own rule: weekends only when the law has no calendar
        )

        if base is None or not isinstance(d, Duration):
            return None
        return _shift(base, d, self.res.calendar if self.res is not None else None, sign)

    def expand(self, rec: Any, element_id: str | None = None) -> list[dt.date] | None:
        if self.res is None or not isinstance(rec, Recurrence):
            return None
        if element_id and element_id in self.res.occurrences:
            return self.res.occurrences[element_id]
        return self.res.expand(rec)

    def party(self, ref: Any) -> tuple[str, ...]:
        return (ref.id,) if isinstance(ref, Ref) else ()

    def other(self, owner: tuple[str, ...]) -> tuple[str, ...]:
        """The counterparty of a client or provider."""
        if self.client and owner == (self.client,) and self.provider:
            return (self.provider,)
        if self.provider and owner == (self.provider,) and self.client:
            return (self.client,)
        return ()

    def provider_to_client(self) -> dict[str, tuple[str, ...]]:
        return {"owed_by": _t(self.provider), "owed_to": _t(self.client)}

    # ------------------------------------------------------------ collection
    def collect(self) -> list[tuple[int, Obligation]]:
        res = self.res
        effective = res.effective if res is not None else None
        end = res.end if res is not None else None
        if effective is not None:
            self.add(effective, "effective", "effective", None, owed_by=(PARTIES,))
        self.milestones()
        self.deliverables()
        self.governance()
        self.service_levels()
        self.pricing()
        self.continuity()
        self.exit_plan()
        self.renewal_options(end)
        self.conditions_precedent()
        if end is not None:
            self.add(end, "end", "end", None, owed_by=(PARTIES,))
            self.notice(end)
            self.convenience(end)
            self.after_end(end)
        return list(enumerate(self.items))

    def milestones(self) -> None:
        for m in self.c.milestones:
            d = self.res.dates.get(m.id) if self.res is not None and m.id else None
            owner = self.party(m.owner)
            kw = {"owed_by": owner, "owed_to": self.other(owner)}
            self.add(d, "milestone", m.id or "", m.title, rule=m.date, **kw)
            if m.long_stop is not None:
                self.add(self.date_of(m.long_stop), "long_stop", m.id or "", m.title, rule=m.long_stop, **kw)

    def deliverables(self) -> None:
        for d in self.c.deliverables:
            owner = self.party(d.owner)
            to = self.party(d.recipient) or self.other(owner)
            if isinstance(d.due, Recurrence):
                self.add_series(
                    self.expand(d.due, d.id), "deliverable", d.id or "", d.title, rule=d.due, owed_by=owner, owed_to=to
                )
            elif d.due is not None:
                when = self.res.dates.get(d.id) if self.res is not None and d.id else None
                self.add(when, "deliverable", d.id or "", d.title, rule=d.due, owed_by=owner, owed_to=to)
                if isinstance(d.acceptance, Duration):
                    self.add(
                        self.shift(when, d.acceptance),
                        "acceptance",
                        d.id or "",
                        d.title,
                        rule=d.acceptance,
                        owed_by=to,
                        owed_to=owner,
                    )

    def governance(self) -> None:
        g = self.c.governance
        if g is None:
            return
        for r in g.reports:
            by = self.party(r.author)
            to = tuple(x.id for x in r.recipients if isinstance(x, Ref)) or self.other(by)
            if isinstance(r.due, Recurrence):
                self.add_series(
                    self.expand(r.due, r.id), "report", r.id or "", r.title, rule=r.due, owed_by=by, owed_to=to
                )
            elif isinstance(r.due, DateExpr):
                self.add(self.date_of(r.due), "report", r.id or "", r.title, rule=r.due, owed_by=by, owed_to=to)
        for cm in g.committees:
            if isinstance(cm.cadence, Recurrence):
                self.add_series(
                    self.expand(cm.cadence, cm.id),
                    "meeting",
                    cm.id or "",
                    cm.title,
                    rule=cm.cadence,
                    owed_by=(PARTIES,),
                )

    def service_levels(self) -> None:
        res = self.res
        if res is None or res.effective is None or res.end is None:
            return
        services = {s.id: s for s in self.c.services if s.id}
        for sl in self.c.service_levels:
            w = sl.window
            if not isinstance(w, C.Window) or w.kind in ("each", "daily"):
                continue
            dates = _period_ends(w, res.effective, res.end)
            if dates is None:
                continue
            performers = {
                performer.id
                for r in sl.applies_to
                if r.id in services and isinstance(performer := services[r.id].performed_by, Ref)
            }
            by = tuple(sorted(performers)) or _t(self.provider)
            to = self.other(by) if len(by) == 1 else _t(self.client)
            self.add_series(
                dates, "sla_period", sl.id or "", sl.title, rule=w, owed_by=by, owed_to=to or _t(self.client)
            )

    def pricing(self) -> None:
        p, res = self.c.pricing, self.res
        if p is None or res is None:
            return
        payer = self.party(p.payer) or _t(self.client)
        billed_by = _t(self.provider)
        invoices: list[dt.date] = []
        if isinstance(p.billing, C.Billing) and res.effective is not None:
            if p.billing.frequency in ("on_milestone", "on_delivery"):
                for fee in p.fees:
                    if isinstance(fee.value, C.FeeValue) and fee.value.schedule == "once" and fee.value.at is not None:
                        d = res.dates.get(fee.value.at.id)
                        if d is not None:
                            invoices.append(d)
                invoices = sorted(set(invoices))
            elif res.end is not None:
                invoices = _billing_dates(p.billing, res.effective, res.end)
            self.add_series(invoices, "invoice", "billing", None, rule=p.billing, owed_by=billed_by, owed_to=payer)
        if isinstance(p.payment_terms, C.PaymentTerms) and isinstance(p.payment_terms.days, Duration) and invoices:
            for inv in invoices:
                due = self._payment_due(inv, p.payment_terms)
                if due is None:
                    continue
                self.add(
                    due,
                    "payment",
                    "payment_terms",
                    None,
                    rule=p.payment_terms,
                    series=True,
                    owed_by=payer,
                    owed_to=billed_by,
                    related=inv,
                )
        ix = p.indexation
        if ix is not None and isinstance(ix.review, Recurrence):
            self.add_series(
                self.expand(ix.review),
                "indexation_review",
                "indexation",
                None,
                rule=ix.review,
                owed_by=billed_by,
                owed_to=payer,
            )

    def _payment_due(self, invoice: dt.date, pt: C.PaymentTerms) -> dt.date | None:
        days = pt.days
        assert isinstance(days, Duration)
        if days.unit.value == "days" and days.amount == int(days.amount):
            return cal.payment_due(invoice, int(days.amount), pt.start == "end_of_month")
        due = self.shift(invoice, days)
        if due is not None and pt.start == "end_of_month":
            due = cal.month_end(due)
        return due

    def continuity(self) -> None:
        co = self.c.continuity
        if co is not None and isinstance(co.test, Recurrence):
            self.add_series(
                self.expand(co.test), "continuity_test", "continuity", None, rule=co.test, **self.provider_to_client()
            )

    def exit_plan(self) -> None:
        ex, res = self.c.exit, self.res
        if ex is None or res is None:
            return
        if isinstance(ex.plan, Duration):
            self.add(
                self.shift(res.effective, ex.plan), "exit_plan", "exit", None, rule=ex.plan, **self.provider_to_client()
            )
        if isinstance(ex.plan_updates, Recurrence):
            self.add_series(
                self.expand(ex.plan_updates),
                "exit_plan_update",
                "exit",
                None,
                rule=ex.plan_updates,
                **self.provider_to_client(),
            )

    def renewal_options(self, end: dt.date | None) -> None:
        """Each renewal option's notice cut-off: its date, each date of its recurrence, or its
        `notice` before the end of the term; owed by the party holding the option."""
        for opt in self.c.renewal_options:
            by = self.party(opt.by)
            kw: dict[str, Any] = {"owed_by": by, "owed_to": self.other(by)}
            rule = opt.notice_by if opt.notice_by is not None else opt.notice
            if isinstance(rule, Recurrence):
                self.add_series(self.expand(rule), "renewal_option_notice", opt.id or "", opt.title, rule=rule, **kw)
                continue
            if isinstance(rule, DateExpr):
                date = self.date_of(rule)
            elif isinstance(rule, Duration):
                date = self.shift(end + dt.timedelta(days=1), rule, -1) if end is not None else None
            else:
                continue
            self.add(date, "renewal_option_notice", opt.id or "", opt.title, rule=rule, **kw)

    def conditions_precedent(self) -> None:
        """Each condition precedent's long-stop date, owed by the party that must satisfy it."""
        for cp in self.c.conditions_precedent:
            if cp.by is None:
                continue
            owner = self.party(cp.owner)
            self.add(
                self.date_of(cp.by),
                "condition_precedent",
                cp.id or "",
                cp.title,
                rule=cp.by,
                owed_by=owner,
                owed_to=self.other(owner),
            )

    def notice(self, end: dt.date) -> None:
        rn, term = self.c.renewal, self.c.termination
        if not isinstance(rn, C.Renewal) or rn.kind != "tacit":
            return
        notice = rn.notice if isinstance(rn.notice, Duration) else (term.notice if term is not None else None)
        if isinstance(notice, Duration):
            # notice runs its full length before the first day of the renewal period
            self.add(
                self.shift(end + dt.timedelta(days=1), notice, -1),
                "renewal_notice",
                "renewal",
                None,
                rule=notice,
                owed_by=(PARTIES,),
            )

    def convenience(self, end: dt.date) -> None:
        term = self.c.termination
        fc = term.for_convenience if term is not None else None
        if fc is None or not isinstance(fc.notice, Duration) or self.res.effective is None:
            return
        if fc.takes_effect != "contract_year_end":
            return  # on notice at any time: there is no last day to give it
        if fc.notice.amount == 0:
            return  # no notice: termination takes effect at once, there is no last day to give notice
        by = {"client": _t(self.client), "provider": _t(self.provider), "both": (PARTIES,)}.get(
            fc.by if isinstance(fc.by, str) else "", ()
        )
        dates = []
        year = 1
        while True:
            anniversary = cal.add_duration(self.res.effective, 12 * year, "months")
            if anniversary > end:
                break
            deadline = self.shift(anniversary, fc.notice, -1)
            if deadline is not None and deadline >= self.res.effective:
                dates.append(deadline)
            year += 1
        self.add_series(
            dates,
            "termination_notice",
            "for_convenience",
            None,
            rule=fc.notice,
            owed_by=by,
            owed_to=self.other(by) if by != (PARTIES,) else (),
        )

    def after_end(self, end: dt.date) -> None:
        ex = self.c.exit
        if ex is not None:
            if isinstance(ex.data_return, Duration):
                self.add(
                    self.shift(end, ex.data_return),
                    "data_return",
                    "exit",
                    None,
                    rule=ex.data_return,
                    **self.provider_to_client(),
                )
            if isinstance(ex.transition, Duration):
                self.add(
                    self.shift(end, ex.transition),
                    "transition_end",
                    "exit",
                    None,
                    rule=ex.transition,
                    **self.provider_to_client(),
                )
        for asset in self.c.data:
            if isinstance(asset.at_end, C.AtEnd) and isinstance(asset.at_end.within, Duration):
                self.add(
                    self.shift(end, asset.at_end.within),
                    "data_at_end",
                    asset.id or "",
                    asset.title,
                    rule=asset.at_end,
                    **self.provider_to_client(),
                )


def _t(party: str | None) -> tuple[str, ...]:
    return (party,) if party else ()


def _first_party(contract: C.Contract, role: str) -> str | None:
    """The id of the first party of the role, or of the group it acts in (the Publishers)."""
    first = next((p.id for p in contract.parties if p.role == role and p.id), None)
    group = C.group_of(contract, first) if first else None
    if group is not None and group.id and C.group_roles(contract).get(group.id) == role:
        return group.id
    return first


_PERIOD = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}


def _billing_dates(billing: C.Billing, start: dt.date, end: dt.date) -> list[dt.date]:
    """Invoice dates: each period's last day in arrears (the default), its first day in advance."""
    if billing.frequency == "weekly":
        firsts = cal.expand_recurrence(frequency="week", start=start, until=end)
        if billing.timing == "in_advance":
            return firsts
        return [min(d + dt.timedelta(days=6), end) for d in firsts]
    freq = _PERIOD[billing.frequency]
    if billing.timing == "in_advance":
        # the same periods as in arrears (months, quarters, years from the effective month), invoiced
        # on their first day; the first one on the effective date
        firsts = cal.expand_recurrence(frequency=freq, day=1, start=start, until=end)
        return firsts if firsts[:1] == [start] else [start, *firsts]
    return _ends(freq, start, end)


def _ends(freq: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """Last day of each period from `start`; a last period cut short by `end` ends on `end`."""
    horizon = end + dt.timedelta(days=366) if end < dt.date.max - dt.timedelta(days=366) else dt.date.max
    ends = cal.expand_recurrence(frequency=freq, last_day=True, start=start, until=horizon)
    out: list[dt.date] = []
    for d in ends:
        if d >= end:
            out.append(end)
            break
        out.append(d)
    return out


def _period_ends(w: C.Window, start: dt.date, end: dt.date) -> list[dt.date] | None:
    if w.kind in _PERIOD:
        return _ends(_PERIOD[w.kind], start, end)
    if w.kind == "weekly":
        return [
            d - dt.timedelta(days=1) for d in cal.expand_recurrence(frequency="week", start=start, until=end)[1:]
        ] + [end]
    if (
        w.kind == "rolling"
        and isinstance(w.length, Duration)
        and w.length.unit.value in ("months", "quarters", "years")
    ):
        months = int(w.length.amount) * {"months": 1, "quarters": 3, "years": 12}[w.length.unit.value]
        if months < 1 or w.length.amount != int(w.length.amount):
            return None
        first_full = cal.add_duration(start, months - 1, "months")
        return [d for d in _ends("month", start, end) if d >= cal.month_end(first_full)]
    return None


# ---------------------------------------------------------------- wording
_TITLE_KEYS = {
    "effective": "cal_effective",
    "end": "cal_end",
    "renewal_notice": "cal_renewal_notice",
    "renewal_option_notice": "cal_renewal_option_notice",
    "condition_precedent": "cal_condition_precedent",
    "termination_notice": "cal_termination_notice",
    "milestone": "cal_milestone",
    "long_stop": "cal_long_stop",
    "deliverable": "cal_deliverable",
    "acceptance": "cal_acceptance",
    "report": "cal_report",
    "meeting": "cal_committee",
    "sla_period": "cal_sla_period",
    "invoice": "cal_invoice",
    "payment": "cal_payment",
    "indexation_review": "cal_indexation_review",
    "continuity_test": "cal_continuity_test",
    "exit_plan": "cal_exit_plan",
    "exit_plan_update": "cal_exit_plan_update",
    "data_return": "cal_data_return",
    "data_at_end": "cal_data_at_end",
    "transition_end": "cal_transition_end",
}
_DURATION_RULES = {
    "acceptance": "cal_rule_after_delivery",
    "exit_plan": "cal_rule_after_effective",
    "data_return": "cal_rule_after_end",
    "transition_end": "cal_rule_after_end",
    "renewal_notice": "cal_rule_before_renewal",
    "renewal_option_notice": "cal_rule_before_end",
    "termination_notice": "cal_rule_before_year_end",
}


class Labeller:
    """Words obligations for one language with the renderer's formatter (:class:`bpolang.i18n.fmt.Fmt`)."""

    def __init__(self, fmt: Any) -> None:
        self.f = fmt

    def title(self, ob: Obligation) -> str:
        from bpolang.i18n.fmt import humanise

        user = self.f.user(ob.title) if ob.title else humanise(ob.source_id)
        return self.f.t(_TITLE_KEYS[ob.kind], title=user)

    def parties(self, ids: tuple[str, ...], case: str = "", cap: bool = True) -> str:
        """`Le Prestataire`, `Les Parties` (`du Prestataire`, `des Parties` with case `de`), or an em dash."""
        if not ids:
            return "\u2014"
        if ids == (PARTIES,):
            text = self.f.msg["parties_de"] if case == "de" or not cap else self.f.msg["both_parties"]
        else:
            text = self.f.join([self.f.party(Ref(id=i), case) for i in ids])
        return text[:1].upper() + text[1:] if cap and not case else text

    def rule(self, ob: Obligation, occurrence: bool = False) -> str:
        """The rule the date follows; with ``occurrence``, what is particular to this date too."""
        f, r = self.f, ob.rule
        text = ""
        if isinstance(r, Recurrence):
            text = f.recurrence(r)
        elif isinstance(r, C.Window):
            text = f.t("cal_rule_window", window=f.phrasal(r))
        elif isinstance(r, C.Billing):
            text = f.t("cal_rule_billing", billing=f.phrasal(r))
        elif isinstance(r, C.PaymentTerms):
            text = f.t("cal_rule_payment", terms=f.phrasal(r))
            if occurrence and ob.related is not None:
                text = f.t("cal_rule_invoice_of", date=f.date(ob.related)) + ", " + text
        elif isinstance(r, C.AtEnd):
            text = f.phrasal(r)
        elif isinstance(r, DateExpr):
            text = f.date_expr(r)
        elif isinstance(r, Duration) and ob.kind in _DURATION_RULES:
            text = f.t(_DURATION_RULES[ob.kind], duration=f.duration(r))
        return text

    def description(self, ob: Obligation) -> str:
        """Who owes what to whom, and the rule: for a calendar event's DESCRIPTION."""
        case = "de" if self.f.lang == "fr" else ""  # « à la charge du Client », "owed by the Client"
        if ob.owed_to:
            owed = self.f.t(
                "cal_owed", by=self.parties(ob.owed_by, case, False), to=self.parties(ob.owed_to, case, False)
            )
        elif ob.owed_by:
            owed = self.f.t("cal_owed_by", by=self.parties(ob.owed_by, case, False))
        else:
            owed = ""
        rule = self.rule(ob, occurrence=True)
        parts = [self.title(ob) + ".", owed, rule[:1].upper() + rule[1:] + "." if rule else ""]
        return "\n".join(p for p in parts if p)
