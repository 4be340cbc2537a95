"""Penalties (BPO5xx): every penalty hangs on something measurable, is quantified and capped."""

from __future__ import annotations

from bpolang.check.rules.context import Context, given
from bpolang.check.rules.gates import FR
from bpolang.check.rules.registry import rule
from bpolang.model import contract as C
from bpolang.model.values import Duration, Percentage, Unknown

AREA = "penalties"


def _suggest_date(m: C.Milestone) -> str:
    base = m.after[0].id if m.after else "effective"
    return f"date: {base} + 45 days"


@rule(
    "BPO501",
    "penalty-needs-deadline",
    "error",
    area=AREA,
    refs="PEN-01",
    source="Founding checklist (pénalités); see also BPO202-BPO205",
)
def penalty_needs_deadline(ctx: Context):
    """A penalty hangs on no deadline, date, recurrence or measurable target.

    ## What it checks
    Every `penalty` names what it `applies_to`, and that thing can be late or missed: a
    milestone with a `date`, a deliverable or report with a `due` date or recurrence, a service
    level with a `target` (or severities), or a service covered by a service level (or a
    `trigger` with a threshold). A `redacted` or `tbd` date counts as a date.

    ## Why it matters
    This is the commonest defect of outsourcing contracts: a delay penalty on a milestone
    nobody dated can never be triggered, and the client finds out when it wants to apply it.

    ## Example
    ```bpo fragment
    milestone kickoff "Kick-off" { date: effective }
    milestone first_close "First monthly close" { after: [kickoff] }
    penalty late_close "Late first close" {
      applies_to: first_close
      trigger: late
      amount: 500 EUR per day
    }
    ```

    ## Fix
    ```bpo fragment
    milestone kickoff "Kick-off" { date: effective }
    milestone first_close "First monthly close" {
      date: kickoff + 45 days
      after: [kickoff]
    }
    penalty late_close "Late first close" {
      applies_to: first_close
      trigger: late
      amount: 500 EUR per day
    }
    ```
    """
    res = ctx.res
    slas_by_service: dict[str, list[C.ServiceLevel]] = {}
    for s in ctx.contract.service_levels:
        for ref in s.applies_to:
            slas_by_service.setdefault(ref.id, []).append(s)
    for pe in ctx.contract.penalties:
        target = pe.applies_to
        if isinstance(target, Unknown):
            continue
        if target is None:
            trig = pe.trigger
            if isinstance(trig, C.Trigger) and trig.threshold is not None:
                continue
            yield ctx.diag(
                f"penalty `{pe.id}` hangs on no deadline, date, recurrence or target",
                ctx.where(pe),
                help="say what it applies to, e.g. `applies_to: first_close` (a dated milestone) or a service level",
            )
            continue
        sym = res.symbols.get(target.id)
        if sym is None:
            continue  # an unknown id: reported by BPO014
        node, kind = sym.node, sym.kind
        at = ctx.value(pe, "applies_to") or target.span
        what = None
        label = ""
        hint = None
        if kind == "milestone" and node.date is None:
            what, label = "which has no date", "this milestone has no `date`"
            hint = f"give `{node.id}` a date, e.g. `{_suggest_date(node)}`"
        elif kind in ("deliverable", "report") and node.due is None:
            what, label = "which has no due date", f"this {kind} has no `due`"
            hint = f"give `{node.id}` a due date, e.g. `due: effective + 6 weeks` or `due: every month on day 5`"
        elif kind == "sla" and node.target is None and not node.severities:
            what, label = "which has no target", "this service level has no `target`"
            hint = f"give `{node.id}` a target, e.g. `target: 98%`"
        elif kind == "service":
            trig = pe.trigger
            measurable = isinstance(trig, C.Trigger) and isinstance(trig.threshold, (Percentage, Duration, Unknown))
            if not measurable and not any(given(s.target) or s.severities for s in slas_by_service.get(node.id, [])):
                what, label = "which has no service level or deadline", "no service level applies to this service"
                hint = f"apply the penalty to a service level of `{node.id}`, or give the trigger a threshold (`trigger: below 95%`)"
        if what:
            yield ctx.diag(
                f"penalty `{pe.id}` applies to {_kind_word(kind)} `{node.id}`, {what}",
                at,
                labels=[(at, "the penalty can never be triggered"), (ctx.where(node), label)],
                help=hint,
            )


def _kind_word(kind: str) -> str:
    return {"sla": "service level"}.get(kind, kind)


@rule(
    "BPO502", "penalty-amount-and-cap", "warning", area=AREA, refs="PEN-02", source="seen in real outsourcing contracts"
)
def penalty_amount_and_cap(ctx: Context):
    """A penalty states its amount and its cap (or that it is uncapped).

    ## What it checks
    Each `penalty` has an `amount` and either a `cap` or `uncapped: yes` — or falls under an
    aggregate cap on every claim against its payer (a `liability` with `basis: aggregate`, no
    `heads`, for that party or for both, that does not carve penalties out), which bounds it.

    ## Why it matters
    A penalty without an amount is a principle, not a remedy; a penalty per day without a cap
    grows without limit and invites the court to reduce it.

    ## Example
    ```bpo fragment
    milestone golive "Go-live" { date: effective + 3 months }
    penalty late_golive "Late go-live" {
      applies_to: golive
      trigger: late
      amount: 500 EUR per day
    }
    ```

    ## Fix
    ```bpo fragment
    milestone golive "Go-live" { date: effective + 3 months }
    penalty late_golive "Late go-live" {
      applies_to: golive
      trigger: late
      amount: 500 EUR per day
      cap: 10% of monthly_fees
    }
    ```
    """
    for pe in ctx.contract.penalties:
        if not given(pe.amount):
            yield ctx.diag(f"penalty `{pe.id}` has no `amount`", ctx.where(pe), help="e.g. `amount: 500 EUR per day`")
        if not given(pe.cap) and not given(pe.uncapped) and not _bounded_by_overall_cap(ctx, pe):
            yield ctx.diag(
                f"penalty `{pe.id}` has no `cap`",
                ctx.where(pe),
                help="add e.g. `cap: 10% of monthly_fees`, or `uncapped: yes` if that is the deal",
            )


def _bounded_by_overall_cap(ctx: Context, pe: C.Penalty) -> bool:
    """An aggregate cap on every claim against the penalty's payer bounds the penalty too."""
    for li in ctx.contract.liability:
        if li.cap is None or li.basis != "aggregate" or li.heads:
            continue  # no cap, a cap per claim or per year, or a cap on some heads only
        if any(w in ("liquidated_damages", "penalties", "service_credits") for w in li.carve_outs):
            continue  # the penalties are outside the cap
        if li.party is None or (
            isinstance(li.party, C.Ref) and isinstance(pe.payer, C.Ref) and li.party.id == pe.payer.id
        ):
            return True
    return False


@rule("BPO503", "penalty-long-stop", "info", area=AREA, refs="PEN-02", source="seen in real outsourcing contracts")
def penalty_long_stop(ctx: Context):
    """Delay damages on a milestone with no long-stop date.

    ## What it checks
    A penalty for lateness (`trigger: late`) on a milestone, charged per period, comes with a
    `long_stop` date on that milestone.

    ## Why it matters
    Delay damages compensate a delay, not a failure: past a long-stop date the client should be
    able to terminate rather than collect capped damages forever.

    ## Example
    ```bpo fragment
    milestone golive "Go-live" { date: effective + 3 months }
    penalty late_golive "Late go-live" {
      applies_to: golive
      trigger: late
      amount: 500 EUR per day
      cap: 30000 EUR
    }
    ```

    ## Fix
    ```bpo fragment
    milestone golive "Go-live" {
      date: effective + 3 months
      long_stop: effective + 5 months
    }
    penalty late_golive "Late go-live" {
      applies_to: golive
      trigger: late
      amount: 500 EUR per day
      cap: 30000 EUR
    }
    ```
    """
    for pe in ctx.contract.penalties:
        if (
            not isinstance(pe.applies_to, C.Ref)
            or not isinstance(pe.amount, C.PenaltyAmount)
            or pe.amount.per in (None, "occurrence")
        ):
            continue
        if not (isinstance(pe.trigger, C.Trigger) and pe.trigger.comparator == "late"):
            continue
        sym = ctx.res.symbols.get(pe.applies_to.id)
        if sym is not None and sym.kind == "milestone" and not given(sym.node.long_stop):
            yield ctx.diag(
                f"delay penalty `{pe.id}` on milestone `{sym.node.id}`, which has no long-stop date",
                ctx.value(pe, "applies_to"),
                labels=[(ctx.where(sym.node), "no `long_stop` here")],
                help=f"add `long_stop:` to `{sym.node.id}`, with a termination right past it",
            )


@rule("BPO504", "fr-penalty-moderation", "error", area=AREA, refs="PEN-03", applies=FR, source="Code civil art. 1231-5")
def fr_penalty_moderation(ctx: Context):
    """French law: a penalty clause cannot exclude the judge's power to moderate it.

    ## What it checks
    Under French law, no `penalty` has `judicial_moderation_excluded: yes`.

    ## Why it matters
    Art. 1231-5 lets the judge reduce or increase a manifestly excessive or derisory penalty;
    "any stipulation to the contrary is deemed unwritten". The clause is void, and a contract
    relying on it misleads the reader.

    ## Example
    ```bpo fragment
    governing_law: FR
    milestone golive "Go-live" { date: effective + 3 months }
    penalty late_golive "Retard de mise en service" {
      applies_to: golive
      trigger: late
      amount: 500 EUR per day
      judicial_moderation_excluded: yes
    }
    ```

    ## Fix
    ```bpo fragment
    governing_law: FR
    milestone golive "Go-live" { date: effective + 3 months }
    penalty late_golive "Retard de mise en service" {
      applies_to: golive
      trigger: late
      amount: 500 EUR per day
    }
    ```
    """
    for pe in ctx.contract.penalties:
        if pe.judicial_moderation_excluded is True:
            yield ctx.diag(
                f"penalty `{pe.id}` excludes judicial moderation, which French law deems unwritten",
                ctx.key(pe, "judicial_moderation_excluded"),
                notes=[
                    "Toute stipulation contraire au pouvoir de modération du juge est réputée non écrite (C. civ. art. 1231-5)."
                ],
                help="remove `judicial_moderation_excluded`",
            )


@rule(
    "BPO505",
    "fr-penalty-formal-notice",
    "warning",
    area=AREA,
    refs="PEN-03",
    applies=FR,
    fixable=True,
    source="Code civil art. 1231-5 al. 5",
)
def fr_penalty_formal_notice(ctx: Context):
    """French law: a penalty clause says whether a formal notice is required.

    ## What it checks
    Under French law, each `penalty` states `formal_notice` (`required` or `not_required`).

    ## Why it matters
    Unless the failure is definitive, a penalty is due only after a formal notice (mise en
    demeure), unless the contract waives it: saying which avoids losing weeks of penalties.

    ## Example
    ```bpo fragment
    governing_law: FR
    milestone golive "Go-live" { date: effective + 3 months }
    penalty late_golive "Retard de mise en service" {
      applies_to: golive
      trigger: late
      amount: 500 EUR per day
    }
    ```

    ## Fix
    ```bpo fragment
    governing_law: FR
    milestone golive "Go-live" { date: effective + 3 months }
    penalty late_golive "Retard de mise en service" {
      applies_to: golive
      trigger: late
      amount: 500 EUR per day
      formal_notice: required
    }
    ```
    """
    for pe in ctx.contract.penalties:
        if not given(pe.formal_notice):
            yield ctx.diag(
                f"penalty `{pe.id}` does not say whether a formal notice is required",
                ctx.where(pe),
                notes=[
                    "La pénalité n'est encourue que lorsque le débiteur est mis en demeure, sauf inexécution définitive (C. civ. art. 1231-5)."
                ],
                help="add `formal_notice: required` (the legal default) or `formal_notice: not_required`",
                fix=ctx.insert_key(
                    pe, "formal_notice: required", "state the legal default, `formal_notice: required`", safe=True
                ),
            )


@rule(
    "BPO506",
    "trigger-payment-mismatch",
    "warning",
    area=AREA,
    refs=("PEN-02", "SLA-06"),
    source="SCL (2016) service credits; seen in real outsourcing contracts",
)
def trigger_payment_mismatch(ctx: Context):
    """A penalty or service credit is triggered by repeated misses but paid per period, as for each miss.

    ## What it checks
    A `penalty` whose `trigger` counts repeated misses (`below 95% 3 times in any 6 months`) has
    an `amount` for the chronic failure as a whole (`5% of monthly_fees`, or `per occurrence`),
    not one paid per day, week or month.

    ## Why it matters
    The trigger says a single bad month is not a failure; the payment `per month` says each bad
    month is paid for. Which months are paid (the three misses, every month since the first,
    every month until the level recovers) is left to a dispute.

    ## Example
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
    }
    penalty chronic_backlog "Chronic processing backlog" {
      applies_to: processing
      trigger: below 95% 3 times in any 6 months
      amount: 2% of monthly_fees per month
    }
    ```

    ## Fix
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
    }
    penalty chronic_backlog "Chronic processing backlog" {
      applies_to: processing
      trigger: below 95% 3 times in any 6 months
      amount: 5% of monthly_fees
    }
    ```
    """
    for p in ctx.contract.penalties:
        t, a = p.trigger, p.amount
        if not isinstance(t, C.Trigger) or (t.times or 0) < 2:
            continue
        if isinstance(a, C.PenaltyAmount) and a.per in ("day", "business_day", "week", "month"):
            yield ctx.diag(
                f"penalty `{p.id}` is triggered by repeated misses (`{ctx.written(t)}`) "
                f"but paid per {a.per.replace('_', ' ')} (`{ctx.written(a)}`)",
                ctx.value(p, "amount"),
                labels=[(ctx.value(p, "trigger"), "a failure only after repeated misses")],
                help="pay one amount for the chronic failure (drop the `per ...`), or trigger on each miss",
            )
