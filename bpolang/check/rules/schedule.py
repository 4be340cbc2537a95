"""Dates, term and notice (BPO2xx): the term, milestones in order, rhythms, notice periods."""

from __future__ import annotations

from decimal import Decimal

from bpolang.check.rules.context import Context, days, given, missing, none_of
from bpolang.check.rules.gates import FR
from bpolang.check.rules.registry import rule
from bpolang.model import contract as C
from bpolang.model.values import DateExpr, Duration, Recurrence

AREA = "schedule"


@rule(
    "BPO201",
    "start-and-duration",
    "error",
    area=AREA,
    refs="TIM-01",
    source='EBA/GL/2019/02 §75(b); GDPR Art. 28(3) "duration"; Code civil art. 1210 [verify]',
)
def start_and_duration(ctx: Context):
    """The contract says when it starts and how long it lasts.

    ## What it checks
    `effective` and `term` are set. A `term: indefinite` needs a way out: a `for_convenience`
    termination with a `notice`.

    ## Why it matters
    Every date of the contract (milestones, recurring reports, notice periods) counts from the
    start and stops at the end. Under French law a perpetual commitment is prohibited (Code civil
    art. 1210) and an open-ended contract can be ended on reasonable notice.

    ## Example
    ```bpo fragment
    effective: 2027-01-01
    term: indefinite
    ```

    ## Fix
    ```bpo fragment
    effective: 2027-01-01
    term: indefinite
    termination {
      for_convenience {
        by: both
        notice: 6 months
      }
    }
    ```
    """
    c = ctx.contract
    absent = missing(c, ("effective", "term"))
    if "term" in absent and given(c.end):
        absent.remove("term")  # a fixed end date gives the term
    if absent:
        yield ctx.diag(
            f"the contract has no {none_of(absent)}",
            ctx.header(c),
            help="e.g. `effective: 2027-01-01` and `term: 36 months`",
        )
    if c.term == "indefinite":
        fc = c.termination.for_convenience if c.termination else None
        if fc is None or not (given(fc.notice) or given(c.termination.notice)):  # type: ignore[union-attr]
            yield ctx.diag(
                "the term is indefinite, but no party can end the contract for convenience with notice",
                ctx.term_span(),
                help="add `termination { for_convenience { by: both; notice: 6 months } }`, or give a fixed term",
            )


def _dated(ctx: Context) -> dict[str, C.Milestone | C.Deliverable]:
    out: dict[str, C.Milestone | C.Deliverable] = {}
    for m in ctx.contract.milestones:
        if m.id:
            out.setdefault(m.id, m)
    for d in ctx.contract.deliverables:
        if d.id:
            out.setdefault(d.id, d)
    return out


def _date_of(ctx: Context, node) -> object:
    if node.id and node.id in ctx.res.dates:
        return ctx.res.dates[node.id]
    if isinstance(node, C.Deliverable) and node.id in ctx.res.occurrences and ctx.res.occurrences[node.id]:
        return ctx.res.occurrences[node.id][0]
    return None


def _date_field(node) -> str:
    return "date" if isinstance(node, C.Milestone) else "due"


def _order(ctx: Context, kinds: tuple[type, ...], what: str):
    dated = _dated(ctx)
    for node in dated.values():
        if not isinstance(node, kinds):
            continue
        mine = _date_of(ctx, node)
        if mine is None:
            continue
        for ref in node.after:
            dep = dated.get(ref.id)
            if dep is None or dep is node:
                continue
            theirs = _date_of(ctx, dep)
            if theirs is not None and mine < theirs:  # type: ignore[operator]
                yield ctx.diag(
                    f"{what} `{node.id}` falls on {mine}, before `{ref.id}` ({theirs}) which it comes after",
                    ctx.value(node, _date_field(node)) or ctx.where(node),
                    labels=[
                        (ref.span, f"`{node.id}` comes after `{ref.id}`"),
                        (ctx.where(dep), f"`{ref.id}` falls on {theirs}"),
                    ],
                    help=f"move `{node.id}` after {theirs}, e.g. `{_date_field(node)}: {ref.id} + 2 weeks`",
                )


@rule("BPO202", "milestone-order", "error", area=AREA, refs="TIM-02", source="Founding checklist (dates clés)")
def milestone_order(ctx: Context):
    """Milestones fall in the order their `after:` lists say, and `after:` has no cycle.

    ## What it checks
    A milestone listing another in `after:` falls on or after it (once both dates are computed),
    and the `after:` lists of milestones and deliverables never loop back (`a` after `b`, `b`
    after `a`). Dates outside the term are [BPO203](#bpo203).

    ## Why it matters
    A go-live scheduled before the end of the knowledge transfer it depends on is a plan nobody
    can follow, and a penalty for missing it cannot fairly apply.

    ## Example
    ```bpo fragment
    milestone kickoff "Kick-off" { date: effective + 2 weeks }
    milestone golive "Go-live" {
      date: effective + 1 week
      after: [kickoff]
    }
    ```

    ## Fix
    ```bpo fragment
    milestone kickoff "Kick-off" { date: effective + 2 weeks }
    milestone golive "Go-live" {
      date: kickoff + 6 weeks
      after: [kickoff]
    }
    ```
    """
    yield from _order(ctx, (C.Milestone,), "milestone")
    # cycles in `after:` (iterative DFS, each cycle reported once)
    dated = _dated(ctx)
    state: dict[str, int] = {}
    for start in dated:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            cur, i = stack.pop()
            if i == 0:
                state[cur] = 1
                path.append(cur)
            deps = [r.id for r in dated[cur].after if r.id in dated]
            if i < len(deps):
                stack.append((cur, i + 1))
                nxt = deps[i]
                if state.get(nxt) == 1:
                    cycle = path[path.index(nxt) :] + [nxt]
                    node = dated[cur]
                    yield ctx.diag(
                        "`after:` lists form a cycle: " + " → ".join(f"`{c}`" for c in cycle),
                        ctx.value(node, "after") or ctx.where(node),
                        labels=[(ctx.where(dated[c]), f"`{c}` is declared here") for c in cycle[:-1] if c != cur],
                        help="remove one of the `after:` links",
                    )
                elif not state.get(nxt):
                    stack.append((nxt, 0))
            else:
                state[cur] = 2
                path.pop()


@rule("BPO203", "date-outside-term", "error", area=AREA, refs="TIM-02", source="Founding checklist (dates clés)")
def date_outside_term(ctx: Context):
    """A milestone, deliverable or long-stop date falls before the start or after the end of the term.

    ## What it checks
    Every computed date of a milestone (`date`, `long_stop`) and of a deliverable (`due`) lies
    between `effective` and the end of the term.

    ## Why it matters
    An obligation that falls outside the term is not an obligation of the contract: it cannot
    be enforced, and a penalty attached to it cannot be claimed.

    ## Example
    ```bpo fragment
    effective: 2027-01-01
    term: 12 months
    milestone audit "Final audit" { date: effective + 14 months }
    ```

    ## Fix
    ```bpo fragment
    effective: 2027-01-01
    term: 12 months
    milestone audit "Final audit" { date: effective + 11 months }
    ```
    """
    res = ctx.res
    if res.effective is None:
        return
    c = ctx.contract
    checks: list[tuple[object, str, object]] = []
    for m in c.milestones:
        checks.append((m, "date", m.date))
        checks.append((m, "long_stop", m.long_stop))
    for d in c.deliverables:
        if isinstance(d.due, DateExpr):
            checks.append((d, "due", d.due))
    for node, key, expr in checks:
        if not isinstance(expr, DateExpr):
            continue
        when = res.date_of(expr)
        if when is None:
            continue
        if when < res.effective:
            yield ctx.diag(
                f"`{key}` of `{node.id}` is {when}, before the contract starts ({res.effective})",  # type: ignore[attr-defined]
                ctx.value(node, key) or expr.span,
                labels=[(ctx.value(c, "effective"), f"the contract starts on {res.effective}")],
                help="move the date into the term",
            )
        elif res.end is not None and when > res.end:
            yield ctx.diag(
                f"`{key}` of `{node.id}` is {when}, after the term ends ({res.end})",  # type: ignore[attr-defined]
                ctx.value(node, key) or expr.span,
                labels=[(ctx.term_span(), f"the term ends on {res.end}")],
                help="move the date into the term, or lengthen the term",
            )


@rule(
    "BPO204",
    "recurring-rhythm",
    "error",
    area=AREA,
    refs="TIM-03",
    source="Founding checklist (rythme des livraisons récurrentes)",
)
def recurring_rhythm(ctx: Context):
    """A recurring deliverable or report says on which day of each period it is due.

    ## What it checks
    A deliverable or report whose `due` is a recurrence (`every month`) names the day in the
    period (`on day 5`, `on business day 4`, `on monday`, `on 03-31`, `on last day`) or gives a
    `deadline` after the period. The first occurrence is the recurrence's `from` (the effective
    date when omitted).

    ## Why it matters
    "Every month" without a day leaves the deadline open: a monthly report delivered on the
    31st is never late, so the rhythm cannot be enforced.

    ## Example
    ```bpo fragment
    deliverable monthly_report "Monthly report" {
      format: XLSX
      due: every month
    }
    ```

    ## Fix
    ```bpo fragment
    deliverable monthly_report "Monthly report" {
      format: XLSX
      due: every month on business day 5
    }
    ```
    """
    items: list[C.Deliverable | C.Report] = list(ctx.contract.deliverables)
    if ctx.contract.governance:
        items += ctx.contract.governance.reports
    for node in items:
        rec = node.due
        if not isinstance(rec, Recurrence) or rec.frequency.value == "day":
            continue
        anchored = any(v is not None for v in (rec.day, rec.business_day, rec.weekday, rec.month)) or rec.last_day
        if not anchored and not given(node.deadline):
            kind = "report" if isinstance(node, C.Report) else "deliverable"
            yield ctx.diag(
                f"{kind} `{node.id}` recurs every {rec.frequency.value} but on no given day",
                ctx.value(node, "due") or rec.span,
                help=f"name the day, e.g. `due: every {rec.frequency.value} on business day 5`, or add `deadline: 10 days`",
            )


@rule("BPO205", "recurrence-never-occurs", "error", area=AREA, refs="TIM-03", source="Founding checklist (rythme)")
def recurrence_never_occurs(ctx: Context):
    """A recurrence has no occurrence within the term.

    ## What it checks
    Each recurrence that can be computed (a deliverable's or report's `due`, a committee's
    `cadence`, an indexation `review`...) falls at least once between its start and the end of
    the term (or its `until`).

    ## Why it matters
    A report due "every year from the end of the first year" in a 12-month contract is never
    due: the obligation is empty.

    ## Example
    ```bpo fragment
    effective: 2027-01-01
    term: 12 months
    deliverable annual_review "Annual review" {
      format: PDF
      due: every year on 03-31 from effective + 12 months
    }
    ```

    ## Fix
    ```bpo fragment
    effective: 2027-01-01
    term: 12 months
    deliverable annual_review "Annual review" {
      format: PDF
      due: every year on 12-15
    }
    ```
    """
    from bpolang.resolve.references import walked

    res = ctx.res
    for owner, name, value in walked(ctx.contract).of(Recurrence):
        if not isinstance(owner, C.Element) or not owner.id:
            continue
        if owner.id in res.occurrences and not res.occurrences[owner.id]:
            yield ctx.diag(
                f"`{name}` of `{owner.id}` never occurs within the term",
                value.span or ctx.where(owner),
                labels=[(ctx.term_span(), f"the term ends on {res.end}" if res.end else "the term")],
                help="start the recurrence earlier, or check the term",
            )


@rule(
    "BPO206",
    "deliverable-before-dependency",
    "error",
    area=AREA,
    refs="TIM-02",
    source="Founding checklist (dates clés, livrables)",
)
def deliverable_before_dependency(ctx: Context):
    """A deliverable is due before a milestone or deliverable it comes `after`.

    ## What it checks
    For a deliverable with `after: [x]`, its due date (the first occurrence of a recurring one)
    is not before the date of `x`.

    ## Why it matters
    A monthly report that must start before the service goes live, or a manual due before the
    workshops it summarises, cannot be delivered on time.

    ## Example
    ```bpo fragment
    milestone golive "Go-live" { date: effective + 2 months }
    deliverable monthly_report "Monthly report" {
      format: XLSX
      due: every month on day 5
      after: [golive]
    }
    ```

    ## Fix
    ```bpo fragment
    milestone golive "Go-live" { date: effective + 2 months }
    deliverable monthly_report "Monthly report" {
      format: XLSX
      due: every month on day 5 from golive
      after: [golive]
    }
    ```
    """
    yield from _order(ctx, (C.Deliverable,), "deliverable")


@rule("BPO207", "renewal-window", "warning", area=AREA, refs="TIM-04", source="seen in real outsourcing contracts")
def renewal_window(ctx: Context):
    """A tacit renewal's notice is shorter than the renewal period, and is stated.

    ## What it checks
    With `renewal: tacit <period> notice <notice>`, the notice is given and shorter than the
    renewal period. A tacit renewal with no notice of its own is not reported when both parties
    may terminate for convenience at any time on a stated notice (`termination { for_convenience
    { by: both; notice: 3 months } }`): that notice is the way out of every renewal.

    ## Why it matters
    If the notice is as long as the renewal period, notice of non-renewal must be served on the
    very day each renewal starts: in practice the contract renews forever.

    ## Example
    ```bpo fragment
    renewal: tacit 12 months notice 12 months
    ```

    ## Fix
    ```bpo fragment
    renewal: tacit 12 months notice 3 months
    ```
    """
    r = ctx.contract.renewal
    if not isinstance(r, C.Renewal) or r.kind != "tacit":
        return
    span = ctx.value(ctx.contract, "renewal") or r.span
    term = ctx.contract.termination
    conv = term.for_convenience if term is not None else None
    if r.notice is None and conv is not None and conv.by == "both" and given(conv.notice):
        return  # either party may leave at any time on notice: no renewal can trap them
    if r.notice is None:
        yield ctx.diag(
            "tacit renewal with no notice of non-renewal",
            span,
            help="add the notice, e.g. `renewal: tacit 12 months notice 3 months`",
        )
        return
    p, n = days(r.period), days(r.notice)
    if p is not None and n is not None and n >= p:
        yield ctx.diag(
            f"the non-renewal notice ({ctx.written(r.notice)}) is not shorter than the renewal period ({ctx.written(r.period)})",
            r.notice.span or span,
            labels=[(r.period.span, "the renewal period")],  # type: ignore[union-attr]
            help="notice must be served at the very start of each period: shorten it, e.g. to 3 months",
        )


@rule(
    "BPO208",
    "notice-longer-than-term",
    "warning",
    area=AREA,
    refs="TIM-04",
    source="seen in real outsourcing contracts",
)
def notice_longer_than_term(ctx: Context):
    """A termination notice is longer than the term itself.

    ## What it checks
    `termination.notice` and `for_convenience.notice` are shorter than the `term`.

    ## Why it matters
    A notice longer than the contract cannot be served: the contract ends before any notice
    takes effect, so the termination right is empty.

    ## Example
    ```bpo fragment
    term: 6 months
    termination {
      notice: 9 months
    }
    ```

    ## Fix
    ```bpo fragment
    term: 6 months
    termination {
      notice: 1 month
    }
    ```
    """
    c = ctx.contract
    if not isinstance(c.term, Duration) or c.termination is None:
        return
    t = days(c.term)
    pairs: list[tuple[C.Node, C.MaybeDuration]] = [(c.termination, c.termination.notice)]
    if c.termination.for_convenience:
        pairs.append((c.termination.for_convenience, c.termination.for_convenience.notice))
    for node, notice in pairs:
        if isinstance(notice, Duration) and t is not None and notice.approx_days() >= t:
            yield ctx.diag(
                f"the notice ({ctx.written(notice)}) is not shorter than the term ({ctx.written(c.term)})",
                ctx.value(node, "notice"),
                labels=[(ctx.term_span(), "the term")],
                help="shorten the notice so that it can be served within the term",
            )


def _may_leave(ctx: Context, role: str) -> bool:
    """The party of `role` may terminate for convenience: it is not locked in without a right for cause."""
    t = ctx.contract.termination
    conv = t.for_convenience if t is not None else None
    if conv is None:
        return False
    if conv.by in ("both", role):
        return True
    side = C.side(ctx.contract, role)
    return any(isinstance(r.by, C.Ref) and r.by.id in side for r in conv.rights)


@rule(
    "BPO209",
    "termination-notice-and-cure",
    "warning",
    area=AREA,
    refs="TIM-05",
    source="EBA/GL/2019/02 §75(b); DORA Art. 30(2)(h); seen in real outsourcing contracts",
)
def termination_notice_and_cure(ctx: Context):
    """Both parties may terminate for cause after a cure period; convenience termination has notice.

    ## What it checks
    A `termination` block with `for_cause` open to `both` parties with a `cure` period; a
    `for_convenience` termination, if any, has a `notice` (its own or `termination.notice`). A
    right for cause open to one party only is not reported when the other may leave anyway, by
    terminating for convenience (`for_convenience { by: both }`, or a `right` of its own).

    ## Why it matters
    Without a cure period, any breach could end the contract at once; without a right for both
    parties, one of them is locked in. A convenience termination without notice leaves the
    other party no time to organise the exit.

    ## Example
    ```bpo fragment
    termination {
      for_cause { by: client }
    }
    ```

    ## Fix
    ```bpo fragment
    termination {
      for_cause {
        by: both
        cure: 30 days
      }
    }
    ```
    """
    c = ctx.contract
    t = c.termination
    if t is None:
        yield ctx.diag(
            "the contract does not say how it can be terminated",
            ctx.header(c),
            help="add `termination { for_cause { by: both; cure: 30 days } }`",
        )
        return
    fc = t.for_cause
    if fc is None:
        yield ctx.diag("no termination for cause", ctx.header(t), help="add `for_cause { by: both; cure: 30 days }`")
    else:
        if fc.by in ("client", "provider") and not _may_leave(ctx, "provider" if fc.by == "client" else "client"):
            yield ctx.diag(
                f"only the {fc.by} may terminate for cause",
                ctx.value(fc, "by"),
                help="give the right to both parties: `by: both`",
            )
        if not given(fc.cure) and not any(given(g.cure) for g in fc.events):
            yield ctx.diag(
                "termination for cause has no cure period",
                ctx.header(fc),
                help="add e.g. `cure: 30 days`",
                fix=ctx.insert_key(fc, "cure: 30 days", "add `cure: 30 days`"),
            )
    cv = t.for_convenience
    if cv is not None and not given(cv.notice) and not given(t.notice):
        yield ctx.diag("termination for convenience has no notice", ctx.header(cv), help="add e.g. `notice: 6 months`")


@rule(
    "BPO210",
    "fr-termination-notice",
    "info",
    area=AREA,
    refs="TIM-05",
    applies=FR,
    source="Code de commerce art. L442-1 II (sudden termination of an established relationship)",
)
def fr_termination_notice(ctx: Context):
    """French law: a notice shorter than one month per year of the relationship may be found too short.

    ## What it checks
    Under French law, the notices (termination, convenience termination, non-renewal) are at
    least one month per year of the term, up to 18 months.

    ## Why it matters
    Ending an established commercial relationship with a notice that does not reflect its length
    is a fault under L442-1 II; an 18-month notice is a safe harbour. One month per year is a
    common rule of thumb, not a legal rule: this is information, not a finding.

    ## Example
    ```bpo fragment
    governing_law: FR
    term: 60 months
    termination {
      notice: 1 month
    }
    ```

    ## Fix
    ```bpo fragment
    governing_law: FR
    term: 60 months
    termination {
      notice: 6 months
    }
    ```
    """
    c = ctx.contract
    if not isinstance(c.term, Duration):
        return
    years = c.term.approx_days() / Decimal(365)
    expected = min(years, Decimal(18)) * 30
    notices: list[tuple[C.Node, str, C.MaybeDuration]] = []
    if c.termination:
        notices.append((c.termination, "notice", c.termination.notice))
        if c.termination.for_convenience:
            notices.append((c.termination.for_convenience, "notice", c.termination.for_convenience.notice))
    if isinstance(c.renewal, C.Renewal):
        notices.append((c, "renewal", c.renewal.notice))
    for node, key, notice in notices:
        if isinstance(notice, Duration) and notice.approx_days() + 1 < expected:
            months = int(min(years, Decimal(18)))
            yield ctx.diag(
                f"a notice of {ctx.written(notice)} for a {ctx.written(c.term)} relationship may be too short under L442-1 II",
                notice.span or ctx.value(node, key),
                labels=[(ctx.term_span(), "the term")],
                notes=[
                    "Rupture brutale : le préavis doit tenir compte de la durée de la relation commerciale (C. com. L442-1 II) ; 18 mois suffisent toujours."
                ],
                help=f"consider a notice of at least {months} months",
            )


@rule("BPO211", "long-stop-before-date", "error", area=AREA, refs="TIM-02", source="seen in real outsourcing contracts")
def long_stop_before_date(ctx: Context):
    """A milestone's long-stop date comes before (or on) the milestone's own date.

    ## What it checks
    When a `milestone` has both a `date` and a `long_stop`, and both resolve to calendar dates,
    the long-stop date is later than the milestone's date.

    ## Why it matters
    The long-stop date is the last date the client will wait before it may terminate: placed
    before the milestone is even due, it lets the client terminate for a delay that has not
    happened, or, read the other way, it is a typo that leaves the delay with no outer limit.

    ## Example
    ```bpo fragment
    milestone go_live "Go-live" {
      date: effective + 4 months
      long_stop: effective + 3 months
    }
    ```

    ## Fix
    ```bpo fragment
    milestone go_live "Go-live" {
      date: effective + 4 months
      long_stop: effective + 6 months
    }
    ```
    """
    res = ctx.res
    for m in ctx.contract.milestones:
        if not isinstance(m.date, DateExpr) or not isinstance(m.long_stop, DateExpr):
            continue
        due, stop = res.date_of(m.date), res.date_of(m.long_stop)
        if due is None or stop is None or stop > due:
            continue
        yield ctx.diag(
            f"the long-stop date of `{m.id}` ({stop}) is not after its own date ({due})",
            ctx.value(m, "long_stop"),
            labels=[(ctx.value(m, "date"), f"the milestone is due on {due}")],
            help="set the long-stop date after the milestone's date (e.g. two months later)",
        )
