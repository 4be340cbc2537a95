"""Service levels and credits (BPO4xx): complete SLAs, consistent thresholds, capped credits."""

from __future__ import annotations

from decimal import Decimal

from bpolang.check.rules import law
from bpolang.check.rules.context import Context, given, missing, none_of, pct
from bpolang.check.rules.gates import RUN
from bpolang.check.rules.registry import rule
from bpolang.model import contract as C
from bpolang.model.values import Duration, Money, Percentage, Ref, RelativeAmount

AREA = "service-levels"


@rule(
    "BPO401",
    "sla-complete",
    "error",
    area=AREA,
    refs="SLA-01",
    source="DORA Art. 30(3)(a); EBA/GL/2019/02 §75(i); seen in real outsourcing contracts",
)
def sla_complete(ctx: Context):
    """Each service level says what is measured, the target, which way is better, and over which window.

    ## What it checks
    Each `sla` has a `metric` (or a title saying what is measured), a `target`, a `comparator`
    (`at_least` or `at_most`) and a measurement `window`. A service level defined only by
    `severity` response and resolution times needs no target. Measurement details are
    [BPO402](#bpo402).

    ## Why it matters
    A service level that cannot be measured cannot be breached: no credit, no chronic failure,
    no termination right can hang on it.

    ## Example
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
    }
    ```

    ## Fix
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
    }
    ```
    """
    for s in ctx.contract.service_levels:
        if s.severities and not given(s.target):
            continue
        absent = missing(s, ("target", "comparator", "window"))
        if not given(s.metric) and not s.title:
            absent.insert(0, "metric")
        if absent:
            fix = None
            if absent == ["comparator"]:
                fix = ctx.insert_key(s, "comparator: at_least", "add `comparator: at_least`")
            yield ctx.diag(
                f"service level `{s.id}` has no {none_of(absent)}",
                ctx.where(s),
                help="e.g. `target: 98%`, `comparator: at_least`, `window: monthly`",
                fix=fix,
            )


@rule(
    "BPO402",
    "sla-measurement",
    "warning",
    area=AREA,
    refs="SLA-01",
    source="DORA Art. 30(3)(a); EBA/GL/2019/02 §75(i); seen in real outsourcing contracts",
)
def sla_measurement(ctx: Context):
    """A service level with a credit or breach says how it is measured and what is excluded.

    ## What it checks
    Each `sla` carrying a `credit`, a `breach` trigger or covered by a `credit_regime` gives its
    data source (`measured_by`) and its `exclusions` (scheduled maintenance, force majeure,
    client-caused failures). Hours and calendar default to the service's.

    ## Why it matters
    Credits are computed from measurements: when the data source and the exclusions are not
    agreed, every monthly credit becomes a dispute.

    ## Example
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
      credit: 2% of monthly_fees
    }
    ```

    ## Fix
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
      credit: 2% of monthly_fees
      measured_by: "Timestamps of receipt and posting in the accounting system"
      exclusions: [force_majeure, client_caused]
    }
    ```
    """
    covered = {r.id for cr in ctx.contract.credit_regimes for r in cr.applies_to}
    for s in ctx.contract.service_levels:
        if not (given(s.credit) or given(s.breach) or s.id in covered):
            continue
        absent = missing(s, ("measured_by", "exclusions"))
        if absent:
            yield ctx.diag(
                f"service level `{s.id}` bears consequences but has no {none_of(absent)}",
                ctx.where(s),
                help="say where the measurements come from and what is excluded",
            )


def _better(target, threshold, higher_is_better: bool) -> bool:
    """True when the threshold is strictly better than the target."""
    t, x = _num(target), _num(threshold)
    if t is None or x is None:
        return False
    return x > t if higher_is_better else x < t


def _num(v) -> Decimal | None:
    if isinstance(v, Percentage):
        return v.value
    if isinstance(v, Duration):
        return v.approx_days()
    return None


def _show(v) -> str:
    if isinstance(v, Percentage):
        return pct(v.value)
    if isinstance(v, Duration):
        from bpolang.check.rules.context import fmt_dur

        return fmt_dur(v)
    return "?"


@rule(
    "BPO403",
    "trigger-better-than-target",
    "error",
    area=AREA,
    refs="SLA-02",
    source="seen in real outsourcing contracts",
)
def trigger_better_than_target(ctx: Context):
    """A breach trigger or credit step is better than the target, of another unit, or steps are not monotonic.

    ## What it checks
    For a service level where higher is better (`at_least`), a `breach` or credit `step` is
    `below` a threshold no higher than the target; where lower is better (`at_most`), `above`
    a threshold no lower than the target. Thresholds have the target's unit (a percentage or a
    duration). The steps of a credit regime give a larger credit for a worse result.

    ## Why it matters
    A credit that starts at 99 % for a 98 % target is paid while the service level is met: the
    target is not the real one, and one of the two numbers is a typo.

    ## Example
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
      breach: below 99%
    }
    ```

    ## Fix
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
      breach: below 95%
    }
    ```
    """
    slas = {s.id: s for s in ctx.contract.service_levels if s.id}
    for s in slas.values():
        if s.comparator not in ("at_least", "at_most") or not isinstance(s.target, (Percentage, Duration)):
            continue
        hib = s.comparator == "at_least"
        b = s.breach
        if isinstance(b, C.Trigger) and b.threshold is not None and not isinstance(b.threshold, type(None)):
            yield from _check_threshold(
                ctx, s, hib, b.threshold, b.comparator, ctx.value(s, "breach") or b.span, "the breach trigger"
            )
    for cr in ctx.contract.credit_regimes:
        for ref in cr.applies_to:
            sla = slas.get(ref.id)
            if (
                sla is None
                or sla.comparator not in ("at_least", "at_most")
                or not isinstance(sla.target, (Percentage, Duration))
            ):
                continue
            hib = sla.comparator == "at_least"
            for st in cr.steps:
                yield from _check_threshold(ctx, sla, hib, st.threshold, st.comparator, st.span, f"a step of `{cr.id}`")
        # monotonic: worse threshold -> larger credit
        steps = [
            (st, n)
            for st in cr.steps
            if (n := _num(st.threshold)) is not None and isinstance(st.credit, (RelativeAmount, Money, Percentage))
        ]
        for (a, na), (b2, nb) in zip(steps, steps[1:]):
            worse = nb < na if b2.comparator == "below" else nb > na
            ca, cb = _credit_value(a.credit), _credit_value(b2.credit)
            if ca is None or cb is None:
                continue
            if (worse and cb < ca) or (not worse and cb > ca):
                yield ctx.diag(
                    f"the steps of `{cr.id}` are not monotonic: a worse result earns a smaller credit",
                    b2.span,
                    labels=[(a.span, "previous step")],
                    help="order the steps from the smallest shortfall to the largest, with growing credits",
                )


def _credit_value(c) -> Decimal | None:
    if isinstance(c, RelativeAmount):
        return c.percent.value
    if isinstance(c, Money):
        return c.amount
    if isinstance(c, Percentage):
        return c.value
    return None


def _check_threshold(ctx: Context, s, hib: bool, threshold, comparator: str, span, what: str):
    if threshold is None or not isinstance(threshold, (Percentage, Duration)):
        return
    target_span = ctx.value(s, "target")
    if type(threshold) is not type(s.target):
        yield ctx.diag(
            f"{what} is a {threshold.kind}, but the target of `{s.id}` is a {s.target.kind}",
            span,
            labels=[(target_span, "the target")],
            help="use the target's unit",
        )
        return
    expected = "below" if hib else "above"
    if comparator in ("below", "above") and comparator != expected:
        yield ctx.diag(
            f"{what} fires `{comparator}` a threshold, but for `{s.id}` {'higher' if hib else 'lower'} is better",
            span,
            labels=[(target_span, f"target ({s.comparator})")],
            help=f"write `{expected} ...`",
        )
    elif _better(s.target, threshold, hib):
        yield ctx.diag(
            f"{what} ({comparator} {_show(threshold)}) is better than the target of `{s.id}` ({_show(s.target)})",
            span,
            labels=[(target_span, "the target")],
            help="a breach must be worse than the target: check both numbers",
        )


def _regimes_for(ctx: Context, sla_id: str) -> list[C.CreditRegime]:
    by_sla = ctx.memo("regimes_by_sla", lambda: _index_regimes(ctx.contract))
    return by_sla.get(sla_id, [])


def _index_regimes(contract: C.Contract) -> dict[str, list[C.CreditRegime]]:
    """The credit regimes covering each service level, in declaration order (one pass, not one per level)."""
    out: dict[str, list[C.CreditRegime]] = {}
    for cr in contract.credit_regimes:
        for sla_id in dict.fromkeys(r.id for r in cr.applies_to):
            out.setdefault(sla_id, []).append(cr)
    return out


@rule(
    "BPO404",
    "credit-cap",
    "warning",
    area=AREA,
    refs="SLA-03",
    source="Alsbridge; Texas DIR; seen in real outsourcing contracts",
)
def credit_cap(ctx: Context):
    """Service credits are capped per month.

    ## What it checks
    Each `credit_regime` with steps has a `monthly_cap`, and each service level with its own
    `credit` is covered by a credit regime with a `monthly_cap`.

    ## Why it matters
    Uncapped credits turn a bad month into a price the provider cannot bear; providers price
    that risk in, and the client pays for it.

    ## Example
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
      credit: 2% of monthly_fees
    }
    ```

    ## Fix
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
      credit: 2% of monthly_fees
    }
    credit_regime credits "Service credits" {
      applies_to: [processing]
      monthly_cap: 10% of monthly_fees
    }
    ```
    """
    for cr in ctx.contract.credit_regimes:
        if not given(cr.monthly_cap):
            yield ctx.diag(
                f"credit regime `{cr.id}` has no `monthly_cap`",
                ctx.where(cr),
                help="cap the credits, e.g. `monthly_cap: 10% of monthly_fees`",
                fix=ctx.insert_key(cr, "monthly_cap: 10% of monthly_fees", "cap at 10% of the monthly fees"),
            )
    if any(given(cr.monthly_cap) and ctx.unresolved(cr.applies_to) for cr in ctx.contract.credit_regimes):
        return  # a capped regime names an unknown service level (BPO014): what it covers is unknown
    for s in ctx.contract.service_levels:
        if given(s.credit) and not any(given(cr.monthly_cap) for cr in _regimes_for(ctx, s.id or "")):
            yield ctx.diag(
                f"the credit of `{s.id}` is not capped",
                ctx.value(s, "credit"),
                help=f"cover it by a credit regime with a monthly cap: `credit_regime credits {{ applies_to: [{s.id}]; monthly_cap: 10% of monthly_fees }}`",
            )


@rule(
    "BPO405",
    "credit-at-risk-market",
    "info",
    area=AREA,
    refs="SLA-03",
    source="Alsbridge (at-risk amount 10-12 % of monthly charges); Texas DIR example (10 %)",
)
def credit_at_risk_market(ctx: Context):
    """The monthly amount at risk is outside the usual 5-20 % of monthly charges.

    ## What it checks
    A `monthly_cap` written as a share of `monthly_fees` lies between 5 % and 20 %.

    ## Why it matters
    Market practice puts the at-risk amount around 10-12 % of monthly charges (Alsbridge). Much
    less does not motivate; much more gets priced into the charges. Information only.

    ## Example
    ```bpo fragment
    credit_regime credits "Service credits" {
      monthly_cap: 40% of monthly_fees
    }
    ```

    ## Fix
    ```bpo fragment
    credit_regime credits "Service credits" {
      monthly_cap: 12% of monthly_fees
    }
    ```
    """
    for cr in ctx.contract.credit_regimes:
        m = cr.monthly_cap
        if isinstance(m, RelativeAmount) and m.of.id == "monthly_fees" and not (5 <= m.percent.value <= 20):
            yield ctx.diag(
                f"{pct(m.percent.value)} of monthly fees at risk is outside the usual 5-20 %",
                ctx.value(cr, "monthly_cap"),
                help="market practice is around 10-12 % of monthly charges",
            )


@rule(
    "BPO406",
    "credit-worst-case-exceeds-cap",
    "error",
    area=AREA,
    refs="SLA-04",
    source="Texas DIR service-level clauses (pool allocation)",
)
def credit_worst_case_exceeds_cap(ctx: Context):
    """The credits a regime can award in one month add up to more than its own monthly cap.

    ## What it checks
    For a `credit_regime` whose `monthly_cap` is a share of a base (`10% of monthly_fees`), the
    worst month — the largest step for every service level it covers (every step on one side
    added up, with `step_credits: cumulative`), plus their own `credit` —
    in the same base stays within the cap (with `cap_scope: service_level`, each level's credits
    on their own). The arithmetic is shown in a note.

    ## Why it matters
    When the allocations exceed the pool, the cap silently reduces each credit, and the table of
    credits the parties negotiated is not what will be paid.

    ## Example
    ```bpo fragment
    sla processing "Processing" {
      target: 98%
      comparator: at_least
      window: monthly
    }
    sla accuracy "Accuracy" {
      target: 99%
      comparator: at_least
      window: monthly
    }
    credit_regime credits "Service credits" {
      applies_to: [processing, accuracy]
      step: below 98% credit 3% of monthly_fees
      step: below 95% credit 6% of monthly_fees
      monthly_cap: 10% of monthly_fees
    }
    ```

    ## Fix
    ```bpo fragment
    sla processing "Processing" {
      target: 98%
      comparator: at_least
      window: monthly
    }
    sla accuracy "Accuracy" {
      target: 99%
      comparator: at_least
      window: monthly
    }
    credit_regime credits "Service credits" {
      applies_to: [processing, accuracy]
      step: below 98% credit 3% of monthly_fees
      step: below 95% credit 5% of monthly_fees
      monthly_cap: 10% of monthly_fees
    }
    ```
    """
    from bpolang.model.bases import worst_month_credits

    for cr in ctx.contract.credit_regimes:
        cap = cr.monthly_cap
        worst = worst_month_credits(ctx.contract, cr)
        if worst is None or not isinstance(cap, RelativeAmount):
            continue
        base = worst[0]
        groups = [worst[1]]
        if cr.cap_scope == "service_level":  # each level's credits against the cap on their own
            groups = [[x for x in worst[1] if x[0] == sla] for sla in dict.fromkeys(x[0] for x in worst[1])]
        group = max(groups, key=lambda g: sum((v for _, _, v in g), Decimal(0)))
        parts = [(f"`{sla}` worst step" if what == "step" else f"`{sla}` credit", v) for sla, what, v in group]
        total = sum((v for _, v in parts), Decimal(0))
        if parts and total > cap.percent.value:
            arithmetic = (
                " + ".join(f"{pct(v)} ({w})" for w, v in parts)
                + f" = {pct(total)} of {base} > {pct(cap.percent.value)}"
            )
            yield ctx.diag(
                f"the credits of `{cr.id}` can reach {pct(total)} of {base} in a month, above its cap of {pct(cap.percent.value)}",
                ctx.value(cr, "monthly_cap"),
                labels=[(ctx.value(cr, "applies_to"), "the service levels it covers")],
                notes=[f"worst month: {arithmetic}"],
                help="lower the steps, or raise the cap to the sum of the allocations",
            )


@rule(
    "BPO407", "earn-back-defined", "warning", area=AREA, refs="SLA-05", source="Slaw (2013), service-credit earn-back"
)
def earn_back_defined(ctx: Context):
    """An earn-back has both a window and a condition.

    ## What it checks
    A `credit_regime` with `earn_back` (the window) also gives `earn_back_condition`, and the
    reverse.

    ## Why it matters
    An earn-back lets the provider recover credits by performing well afterwards: without the
    condition (which level, for how long), nobody can tell when credits are earned back.

    ## Example
    ```bpo fragment
    credit_regime credits "Service credits" {
      monthly_cap: 10% of monthly_fees
      earn_back: 3 months
    }
    ```

    ## Fix
    ```bpo fragment
    credit_regime credits "Service credits" {
      monthly_cap: 10% of monthly_fees
      earn_back: 3 months
      earn_back_condition: "The credit is cancelled if the target is met in each of the 3 following months"
    }
    ```
    """
    for cr in ctx.contract.credit_regimes:
        if given(cr.earn_back) and not given(cr.earn_back_condition):
            yield ctx.diag(
                f"the earn-back of `{cr.id}` has no condition",
                ctx.key(cr, "earn_back"),
                help='add `earn_back_condition: "..."`: which level, held for how long',
            )
        elif given(cr.earn_back_condition) and not given(cr.earn_back):
            yield ctx.diag(
                f"the earn-back of `{cr.id}` has no window",
                ctx.key(cr, "earn_back_condition"),
                help="add `earn_back: 3 months`",
            )


@rule(
    "BPO408", "cap-above-what-it-caps", "warning", area=AREA, refs="SLA-04", source="seen in real outsourcing contracts"
)
def cap_above_what_it_caps(ctx: Context):
    """A cap that can never bite: above 100 % of its base, or an annual cap above twelve monthly caps.

    ## What it checks
    A `monthly_cap`, `annual_cap` or penalty `cap` written as a share of a base is at most 100 %
    of it; an `annual_cap` is below twelve times the `monthly_cap` (a `monthly_cap` of 10 % of
    `monthly_fees` allows at most 10 % of `annual_fees` a year).

    ## Why it matters
    A cap that cannot be reached protects nobody; usually one of the two numbers is a mistake.

    ## Example
    ```bpo fragment
    credit_regime credits "Service credits" {
      monthly_cap: 10% of monthly_fees
      annual_cap: 15% of annual_fees
    }
    ```

    ## Fix
    ```bpo fragment
    credit_regime credits "Service credits" {
      monthly_cap: 10% of monthly_fees
      annual_cap: 6% of annual_fees
    }
    ```
    """
    items: list[tuple[object, str, object]] = []
    for cr in ctx.contract.credit_regimes:
        items += [(cr, "monthly_cap", cr.monthly_cap), (cr, "annual_cap", cr.annual_cap)]
    for pe in ctx.contract.penalties:
        items.append((pe, "cap", pe.cap))
    for node, key, cap in items:
        if isinstance(cap, RelativeAmount) and cap.percent.value > 100:
            yield ctx.diag(
                f"`{key}` of `{node.id}` is {pct(cap.percent.value)} of {cap.of.id}: above what it caps",  # type: ignore[attr-defined]
                ctx.value(node, key),
                help="a cap is at most 100% of its base",
            )
    for cr in ctx.contract.credit_regimes:
        m, a = cr.monthly_cap, cr.annual_cap
        monthly_as_annual = None
        if isinstance(m, RelativeAmount) and isinstance(a, RelativeAmount):
            if m.of.id == "monthly_fees" and a.of.id == "annual_fees":
                monthly_as_annual = m.percent.value
            elif m.of.id == a.of.id:
                monthly_as_annual = m.percent.value * 12
            if monthly_as_annual is not None and a.percent.value >= monthly_as_annual:
                yield ctx.diag(
                    f"the annual cap of `{cr.id}` ({pct(a.percent.value)} of {a.of.id}) can never be reached: twelve monthly caps make {pct(monthly_as_annual)}",
                    ctx.value(cr, "annual_cap"),
                    labels=[(ctx.value(cr, "monthly_cap"), "the monthly cap")],
                    help="lower the annual cap below twelve monthly caps, or remove it",
                )
        elif isinstance(m, Money) and isinstance(a, Money) and m.currency == a.currency and a.amount >= 12 * m.amount:
            yield ctx.diag(
                f"the annual cap of `{cr.id}` can never be reached: twelve monthly caps make {12 * m.amount} {m.currency}",
                ctx.value(cr, "annual_cap"),
                labels=[(ctx.value(cr, "monthly_cap"), "the monthly cap")],
                help="lower the annual cap below twelve monthly caps, or remove it",
            )


@rule(
    "BPO409",
    "credit-nature-and-remedies",
    "warning",
    area=AREA,
    refs="SLA-06",
    source="SCL (2016) service credits; Lighthouse Law; seen in real outsourcing contracts",
)
def credit_nature_and_remedies(ctx: Context):
    """A credit regime states its legal nature and whether it is the exclusive remedy.

    ## What it checks
    Each `credit_regime` gives `nature` (`price_adjustment` or `liquidated_damages`) and
    `exclusive_remedy`. If credits are the exclusive remedy, a chronic-failure right exists
    (`chronic_failure` in the regime or in `termination`). The service levels it covers exclude
    client-caused failures (`exclusions: [client_caused]`). The relation to delay penalties is
    written in the text (not modelled).

    ## Why it matters
    Whether a credit is a price adjustment or damages decides whether courts may reduce it and
    whether other damages can be claimed; an exclusive remedy without a termination right for
    chronic failure leaves the client stuck with a failing provider.

    ## Example
    ```bpo fragment
    credit_regime credits "Service credits" {
      monthly_cap: 10% of monthly_fees
      exclusive_remedy: yes
    }
    ```

    ## Fix
    ```bpo fragment
    credit_regime credits "Service credits" {
      monthly_cap: 10% of monthly_fees
      nature: price_adjustment
      exclusive_remedy: yes
      chronic_failure: "A breach 3 times in any 6 months allows the client to terminate"
    }
    ```
    """
    slas = {s.id: s for s in ctx.contract.service_levels if s.id}
    t = ctx.contract.termination
    for cr in ctx.contract.credit_regimes:
        absent = missing(cr, ("nature", "exclusive_remedy"))
        if absent:
            yield ctx.diag(
                f"credit regime `{cr.id}` has no {none_of(absent)}",
                ctx.where(cr),
                help="e.g. `nature: price_adjustment` and `exclusive_remedy: no`",
            )
        if cr.exclusive_remedy is True and not given(cr.chronic_failure) and not (t and given(t.chronic_failure)):
            yield ctx.diag(
                f"credits of `{cr.id}` are the exclusive remedy, but there is no chronic-failure right",
                ctx.value(cr, "exclusive_remedy"),
                help='add `chronic_failure: "..."` giving the client a termination right',
            )
        for ref in cr.applies_to:
            s = slas.get(ref.id)
            if s is not None and s.exclusions and "client_caused" not in s.exclusions:
                yield ctx.diag(
                    f"service level `{s.id}` does not exclude client-caused failures",
                    ctx.value(s, "exclusions"),
                    labels=[(ref.span, f"covered by `{cr.id}`")],
                    help="add `client_caused` to its exclusions",
                )


@rule("BPO410", "sla-reporting", "warning", area=AREA, refs="SLA-07", source="seen in real outsourcing contracts")
def sla_reporting(ctx: Context):
    """Service levels that bear credits are reported.

    ## What it checks
    Each service level with a `credit`, or covered by a `credit_regime`, names its `report`, or
    the contract has a `report` in `governance`. How long supporting data is kept is a
    `data` block's `retention` ([BPO711](data.md#bpo711)).

    ## Why it matters
    Credits are computed from a report: with no report, no deadline and no recipients, the
    credit mechanism does not run.

    ## Example
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
      credit: 2% of monthly_fees
    }
    ```

    ## Fix
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
      credit: 2% of monthly_fees
      report: sla_report
    }
    governance {
      report sla_report "Service level report" {
        content: ["Results per service level", "Credits computed"]
        due: every month on business day 5
        recipients: [acme]
      }
    }
    ```
    """
    has_report = bool(ctx.contract.governance and ctx.contract.governance.reports)
    covered = {r.id for cr in ctx.contract.credit_regimes for r in cr.applies_to}
    for s in ctx.contract.service_levels:
        if (given(s.credit) or s.id in covered) and not given(s.report) and not has_report:
            yield ctx.diag(
                f"service level `{s.id}` bears credits but is reported nowhere",
                ctx.where(s),
                help="add `report: <report id>` and a `report` in `governance`",
            )


@rule("BPO411", "sla-review-procedure", "info", area=AREA, refs="SLA-07", source="seen in real outsourcing contracts")
def sla_review_procedure(ctx: Context):
    """No procedure to review the service levels.

    ## What it checks
    A contract with service levels has a committee meeting on a `cadence`, or a
    `change_control` block, through which the service levels can be reviewed.

    ## Why it matters
    Volumes, tools and priorities change over a multi-year contract: service levels that cannot
    be reviewed become irrelevant or unreachable.

    ## Example
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
    }
    ```

    ## Fix
    ```bpo fragment
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
    }
    change_control {
      request: "Written request to the service manager"
      approval: "Steering committee"
    }
    ```
    """
    c = ctx.contract
    if not c.service_levels:
        return
    committee = bool(c.governance and any(given(cm.cadence) for cm in c.governance.committees))
    if not committee and c.change_control is None:
        yield ctx.diag(
            "the service levels cannot be reviewed: no committee with a cadence and no `change_control`",
            ctx.where(c.service_levels[0]),
            help="add a steering committee with a cadence, or a change-control procedure",
        )


@rule(
    "BPO412",
    "sla-no-measurable-target",
    "error",
    area=AREA,
    refs="SLA-01",
    source="DORA Art. 30(3)(a); EBA/GL/2019/02 §75(i); seen in real outsourcing contracts",
)
def sla_no_measurable_target(ctx: Context):
    """A service level set per severity gives no response or resolution time for a severity.

    ## What it checks
    A service level without an overall `target` is measured per `severity`: each severity then
    gives a `response` or a `resolution` time. A severity with neither has no measurable target;
    when no severity has one, the service level as a whole measures nothing.

    ## Why it matters
    "Priority 3 incidents are handled with appropriate diligence" cannot be missed: no credit,
    no chronic failure and no termination right can hang on it, and the report has nothing to
    compare against.

    ## Example
    ```bpo fragment
    sla incidents "Incident handling" {
      severity p1 "Critical" { response: 1 hour; resolution: 4 hours }
      severity p3 "Minor" { description: "Handled with appropriate diligence" }
    }
    ```

    ## Fix
    ```bpo fragment
    sla incidents "Incident handling" {
      severity p1 "Critical" { response: 1 hour; resolution: 4 hours }
      severity p3 "Minor" { response: 2 business days; resolution: 10 business days }
    }
    ```
    """
    for s in ctx.contract.service_levels:
        if given(s.target) or not s.severities:
            continue  # a target, or none at all (BPO401)
        blank = [v for v in s.severities if not given(v.response) and not given(v.resolution)]
        if len(blank) == len(s.severities):
            yield ctx.diag(
                f"service level `{s.id}` has no measurable target: no `target`, and no severity gives a time",
                ctx.where(s),
                help="give each severity a `response` or `resolution` time, or the service level a `target`",
            )
            continue
        for v in blank:
            yield ctx.diag(
                f"severity `{v.id}` of `{s.id}` has no `response` and no `resolution` time",
                ctx.where(v),
                labels=[(ctx.where(s), "the service level")],
                help="give it a `response` or `resolution` time, e.g. `resolution: 10 business days`",
            )


@rule(
    "BPO413",
    "service-without-sla",
    "warning",
    area=AREA,
    refs="SLA-01",
    source="Founding checklist (niveaux de service); EBA/GL/2019/02 §75(i); seen in real outsourcing contracts",
    applies=RUN,
)
def service_without_sla(ctx: Context):
    """The contract describes services but no service level at all.

    ## What it checks
    A contract with a `service` performed by the provider has at least one `sla`. Services
    that the client performs itself (`performed_by:` the client) do not count.

    ## Why it matters
    Without any service level, the services can be performed late or badly without breach:
    the client has nothing to measure, no credit and no chronic-failure right, and the
    regulated client cannot show the "precise quantitative and qualitative performance
    targets" DORA Art. 30(3)(a) and EBA §75(i) ask for.

    ## Example
    ```bpo fragment
    service invoices "Supplier invoice processing" { includes: ["Entry", "Matching"] }
    ```

    ## Fix
    ```bpo fragment
    service invoices "Supplier invoice processing" { includes: ["Entry", "Matching"] }
    sla processing "Invoices processed within 48 hours" {
      target: 98%
      comparator: at_least
      window: monthly
      applies_to: [invoices]
    }
    ```
    """
    c = ctx.contract
    if c.service_levels:
        return
    services = law.provider_services(ctx)
    if services:
        names = ", ".join(f"`{s.id}`" for s in services)
        yield ctx.diag(
            f"no service level measures the services ({names}): the contract has no `sla`",
            ctx.where(services[0]),
            help="add an `sla` with a target for each service (`applies_to: [...]`)",
        )


def _overall_caps(ctx: Context, payer: str | None) -> list[C.Liability]:
    """The caps of every claim of the party that pays the credits: those marked `scope: overall`,
    else those with no heads of claim and no scope (a cap of every claim); any party when the
    regime names no payer."""
    mine = [
        li for li in ctx.contract.liability if payer is None or not isinstance(li.party, Ref) or li.party.id == payer
    ]
    marked = [li for li in mine if isinstance(li.scope, C.CapScope) and li.scope.relation == "overall"]
    return marked or [li for li in mine if li.scope is None and not li.heads]


def _exceeds(credit: object, cap: object) -> bool:
    """A credit cap above a liability cap, when the two are in the same unit (nothing converted)."""
    if isinstance(credit, Money) and isinstance(cap, Money):
        return credit.currency == cap.currency and credit.amount > cap.amount
    if isinstance(credit, RelativeAmount) and isinstance(cap, RelativeAmount):
        return credit.of.id == cap.of.id and credit.percent.value > cap.percent.value
    return False


@rule(
    "BPO414",
    "credit-cap-above-liability-cap",
    "warning",
    area=AREA,
    refs=("SLA-03", "LIA-01"),
    source="bpolang (consistency of the caps; a statement of work against its master)",
)
def credit_cap_above_liability_cap(ctx: Context):
    """A cap of service credits is higher than the overall cap of the liability of the party that pays them.

    ## What it checks
    Each `monthly_cap` and `annual_cap` of a `credit_regime` stays within the overall liability
    cap of its `payer` (a `liability` with `scope: overall`, else one with no heads of claim),
    when both are in the same currency or are shares of the same base. A statement of work is
    checked with its master's caps (`under:`), so its credits are held to the master's cap.

    ## Why it matters
    Service credits are usually counted inside the liability cap: a credit cap above it can
    never be reached, or, if the credits fall outside the cap, the overall cap is not the
    overall exposure the master agreement promised. Either way the two documents disagree.

    ## Example
    ```bpo fragment
    party provider bpo "BPO Ltd" { gdpr_role: processor }
    liability overall "Overall cap" {
      party: bpo
      cap: 500000 EUR
      basis: aggregate
      scope: overall
    }
    sla processing "Processing" {
      target: 98%
      comparator: at_least
      window: monthly
    }
    credit_regime credits "Service credits" {
      applies_to: [processing]
      step: below 98% credit 5% of monthly_fees
      monthly_cap: 10% of monthly_fees
      annual_cap: 750000 EUR
      payer: bpo
    }
    ```

    ## Fix
    ```bpo fragment
    party provider bpo "BPO Ltd" { gdpr_role: processor }
    liability overall "Overall cap" {
      party: bpo
      cap: 500000 EUR
      basis: aggregate
      scope: overall
    }
    sla processing "Processing" {
      target: 98%
      comparator: at_least
      window: monthly
    }
    credit_regime credits "Service credits" {
      applies_to: [processing]
      step: below 98% credit 5% of monthly_fees
      monthly_cap: 10% of monthly_fees
      annual_cap: 250000 EUR
      payer: bpo
    }
    ```
    """
    for cr in ctx.contract.credit_regimes:
        payer = cr.payer.id if isinstance(cr.payer, Ref) else None
        caps = _overall_caps(ctx, payer)
        for key in ("monthly_cap", "annual_cap"):
            credit = getattr(cr, key)
            above = next((li for li in caps if _exceeds(credit, li.cap)), None)
            if above is None:
                continue
            yield ctx.diag(
                f"the `{key}` of `{cr.id}`, {ctx.written(credit)}, is above the overall liability cap "
                f"`{above.id}`, {ctx.written(above.cap)}",
                ctx.value(cr, key),
                labels=[(ctx.value(above, "cap"), "the overall cap")],
                help=f"lower the credit cap to at most {ctx.written(above.cap)}, or say how the two caps relate",
            )


def _reached_together(a: C.Step, b: C.Step) -> bool:
    """Whether one result can reach both steps: thresholds of one unit, on the same side, or overlapping."""
    if type(a.threshold) is not type(b.threshold):
        return False  # a percentage and a duration: never the same measurement
    if a.comparator == b.comparator:
        return True
    below, above = (a, b) if a.comparator == "below" else (b, a)
    x, y = _num(below.threshold), _num(above.threshold)
    return x is not None and y is not None and y < x


@rule(
    "BPO415",
    "steps-combination-unstated",
    "warning",
    area=AREA,
    refs="SLA-02",
    source="seen in real outsourcing contracts; issue 17 (semantics written down)",
)
def steps_combination_unstated(ctx: Context):
    """A credit regime has steps that one result reaches together, and does not say whether they add up.

    ## What it checks
    A `credit_regime` with two or more `step`s that the same result can reach at once (two
    steps `below` a percentage: 74 % is below 80 % and below 77 %) says `step_credits:` —
    `highest` (only the credit of the highest step reached is due) or `cumulative` (the credits
    of all the steps reached add up).

    ## Why it matters
    "Below 80 %: 2 %; below 77 %: 4 %" pays 4 % for a 74.5 % month if the highest step applies,
    and 6 % if the steps add up. Both readings are common; the contract must choose, or the
    monthly statement (`bpo assess`) has to choose for it.

    ## Example
    ```bpo fragment
    credit_regime credits "Service credits" {
      applies_to: [processing]
      step: below 98% credit 2% of monthly_fees
      step: below 95% credit 5% of monthly_fees
      monthly_cap: 10% of monthly_fees
    }
    ```

    ## Fix
    ```bpo fragment
    credit_regime credits "Service credits" {
      applies_to: [processing]
      step: below 98% credit 2% of monthly_fees
      step: below 95% credit 5% of monthly_fees
      step_credits: highest
      monthly_cap: 10% of monthly_fees
    }
    ```
    """
    for cr in ctx.contract.credit_regimes:
        if cr.step_credits is not None:
            continue
        pair = next(
            ((a, b) for i, b in enumerate(cr.steps) for a in cr.steps[:i] if _reached_together(a, b)),
            None,
        )
        if pair is None:
            continue
        first, second = pair
        yield ctx.diag(
            f"a result can reach more than one step of `{cr.id}`, and the regime does not say whether their "
            "credits add up",
            second.span,
            labels=[(first.span, "reached with this step")],
            help="write `step_credits: highest` (only the highest step reached) or `step_credits: cumulative` "
            "(the steps reached add up)",
        )


@rule(
    "BPO416",
    "credit-scope-unstated",
    "warning",
    area=AREA,
    refs="SLA-02",
    source="seen in real outsourcing contracts; issue 17 (semantics written down)",
)
def credit_scope_unstated(ctx: Context):
    """A credit regime over several service levels does not say what its caps bound, or what its earn-back restores.

    ## What it checks
    A `credit_regime` that `applies_to` two service levels or more says, when it has a
    `monthly_cap` or an `annual_cap`, `cap_scope:` — `regime` (the caps bound the credits of all
    its levels together) or `service_level` (each level's credits on their own); and, when it has
    an `earn_back` or an `earn_back_rule`, `earn_back_scope:` — `period` (a month's credits come
    back once every level credited that month meets the terms) or `credit` (each level's credit
    comes back once that level meets them).

    ## Why it matters
    Two levels credited 4 % each under a 5 % monthly cap cost 5 % if the cap bounds the regime
    and 8 % if it bounds each level. A month with two levels credited, one of which is then met
    and the other not, repays nothing if earn-back restores the month, and one credit if it
    restores each credit. Both readings are common; the contract must choose, or the monthly
    statement (`bpo assess`) has to choose for it.

    ## Example
    ```bpo fragment
    credit_regime credits "Service credits" {
      applies_to: [processing, accuracy]
      step: below 98% credit 2% of monthly_fees
      monthly_cap: 5% of monthly_fees
      earn_back: 3 months
    }
    ```

    ## Fix
    ```bpo fragment
    credit_regime credits "Service credits" {
      applies_to: [processing, accuracy]
      step: below 98% credit 2% of monthly_fees
      monthly_cap: 5% of monthly_fees
      cap_scope: regime
      earn_back: 3 months
      earn_back_scope: credit
    }
    ```
    """
    checks = (
        (
            "cap_scope",
            ("monthly_cap", "annual_cap"),
            "whether its caps bound them together or each on its own",
            "write `cap_scope: regime` (all its levels together) or `cap_scope: service_level` (each level on its own)",
        ),
        (
            "earn_back_scope",
            ("earn_back", "earn_back_rule"),
            "whether earn-back restores a month's credits or each level's credit",
            "write `earn_back_scope: period` (a month's credits, once every level credited meets the terms) "
            "or `earn_back_scope: credit` (each level's credit, once that level meets them)",
        ),
    )
    for cr in ctx.contract.credit_regimes:
        if len({r.id for r in cr.applies_to}) < 2:
            continue
        for key, sources, what, fix in checks:
            source = next((x for x in sources if getattr(cr, x) is not None), None)
            if source is not None and getattr(cr, key) is None:
                yield ctx.diag(
                    f"`{cr.id}` covers {len(cr.applies_to)} service levels and does not say {what}",
                    ctx.value(cr, source),
                    help=fix,
                )
