"""Price, invoicing and payment (BPO3xx): completeness, currencies, payment terms under FR and EU law."""

from __future__ import annotations

from decimal import Decimal

from bpolang.check.rules.context import Context, days, given, listing, missing, none_of, number
from bpolang.check.rules.gates import EU_LAW, FR, PUBLIC
from bpolang.check.rules.registry import rule
from bpolang.model import contract as C
from bpolang.model.values import Duration, Money, Percentage, Rate

AREA = "pricing"
PERIODS = {"day", "week", "month", "quarter", "year"}


@rule(
    "BPO301",
    "pricing-complete",
    "error",
    area=AREA,
    refs="PAY-01",
    source="Founding checklist (tarifs); seen in real outsourcing contracts",
)
def pricing_complete(ctx: Context):
    """The price is stated: a currency, a pricing model, contiguous tiers and a minimum per period.

    ## What it checks
    A `pricing` block exists, with a `currency` and a `model` (fixed, unit, fte, tiered,
    revenue_share, cost_plus, mixed). The bands of each `tier` follow each other without gap or
    overlap (`0 to 2000`, then `2001 to 5000` or `above 2000`). A `minimum` is per period
    (`60000 EUR per month`). Each amount itself is checked by the language.

    ## Why it matters
    The price is the heart of the contract: an unstated currency, a gap between bands (which
    price applies to the 2001st invoice?) or a minimum without a period cannot be invoiced.

    ## Example
    ```bpo fragment
    pricing {
      currency: EUR
      model: tiered
      tier invoices "Invoice processing" {
        band: 0 to 2000 at 1.20 EUR per invoice
        band: 2500 to 5000 at 1.00 EUR per invoice
      }
    }
    ```

    ## Fix
    ```bpo fragment
    pricing {
      currency: EUR
      model: tiered
      tier invoices "Invoice processing" {
        band: 0 to 2000 at 1.20 EUR per invoice
        band: 2001 to 5000 at 1.00 EUR per invoice
      }
    }
    ```
    """
    c = ctx.contract
    p = c.pricing
    if p is None:
        yield ctx.diag(
            "the contract has no `pricing` block",
            ctx.header(c),
            help='add `pricing { currency: EUR; model: fixed; fee run "Monthly fee": 8500 EUR every month }`',
        )
        return
    absent = missing(p, ("currency", "model"))
    if absent:
        yield ctx.diag(
            f"`pricing` has no {none_of(absent)}",
            ctx.header(p),
            help="e.g. `currency: EUR` and `model: fixed`",
        )
    if not (p.fees or p.units or p.rates or p.tiers):
        yield ctx.diag(
            "`pricing` states no price: no fee, unit price, rate or tier",
            ctx.header(p),
            help='add e.g. `fee run "Monthly fee": 8500 EUR every month`',
        )
    for t in p.tiers:
        prev = None
        for b in t.bands:
            if prev is not None:
                problem = None
                if prev.high is None:
                    problem = "follows an open-ended band (`above ...`)"
                elif b.low <= prev.high and not (b.high is None and b.low == prev.high):
                    problem = f"overlaps the previous band (up to {prev.high})"
                elif b.high is None and b.low > prev.high or b.high is not None and b.low > prev.high + 1:
                    problem = f"leaves a gap after the previous band (up to {prev.high})"
                if problem:
                    yield ctx.diag(
                        f"a band of tier `{t.id}` {problem}",
                        b.span,
                        labels=[(prev.span, "the previous band")],
                        help=f"start this band at {prev.high + 1} (`{prev.high + 1} to ...`) or write `above {prev.high}`"
                        if prev.high is not None
                        else "put the open-ended band last",
                    )
            prev = b
    m = p.minimum
    if isinstance(m, Money):
        yield ctx.diag(
            "the minimum has no period",
            ctx.value(p, "minimum"),
            help=f"say per which period, e.g. `minimum: {ctx.written(m)} per month`",
        )
    elif isinstance(m, Rate) and m.per not in PERIODS:
        yield ctx.diag(
            f"the minimum is per `{m.per}`, not per period",
            ctx.value(p, "minimum"),
            help="a minimum is per month, quarter or year",
        )


@rule(
    "BPO302", "currency-mismatch", "error", area=AREA, refs="PAY-01", fixable=True, source="Founding checklist (tarifs)"
)
def currency_mismatch(ctx: Context):
    """An amount is not in the contract's currency.

    ## What it checks
    Every amount of money written in the contract (fees, rates, caps, penalties, insurance...)
    is in `pricing.currency`.

    ## Why it matters
    A contract priced in euros with a penalty in dollars raises the question of the exchange
    rate, its date and who bears the risk: a question the contract does not answer.

    ## Example
    ```bpo fragment
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 USD every month
    }
    ```

    ## Fix
    ```bpo fragment
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
    }
    ```
    """
    from bpolang.base.diagnostics import Span
    from bpolang.resolve.references import walked

    p = ctx.contract.pricing
    if p is None or not isinstance(p.currency, str):
        return
    cur = p.currency
    for _owner, _name, v in walked(ctx.contract).of(Money):
        if v.currency != cur and v.span is not None:
            s = v.span
            code = Span(
                start=s.end - 3,
                end=s.end,
                line=s.end_line,
                col=s.end_col - 3,
                end_line=s.end_line,
                end_col=s.end_col,
                path=s.path,
            )
            yield ctx.diag(
                f"`{ctx.written(v)}` is not in the contract's currency, {cur}",
                code,
                labels=[(ctx.value(p, "currency"), f"the contract's currency is {cur}")],
                help=f"write the amount in {cur}, or state the exchange rate in a clause",
                fix=ctx.replace(code, cur, f"change the currency to {cur} (the amount is not converted)", safe=False),
            )


@rule(
    "BPO303",
    "payment-term-defined",
    "error",
    area=AREA,
    refs="PAY-02",
    source="Founding checklist (modalités de paiement); Directive 2011/7/EU Art. 3(3)",
)
def payment_term_defined(ctx: Context):
    """Invoicing and payment are defined: when invoices are issued and when they are paid.

    ## What it checks
    `pricing` gives `payment_terms` (a delay and its starting point: `30 days from invoice`,
    `45 days end of month`), and `billing` (frequency, and `in advance` or `in arrears` for
    periodic billing) where a billing rhythm is needed:

    - under French law, always: an invoice is issued when the service is performed, or
      periodically for at most a month of services (art. L441-9 Code de commerce), and the
      contract's rhythm says which;
    - under any law, when a recurring fee (`every month`, `every quarter`...) has no other date
      to fall due: no `due` calendar in the pricing (`due: every month on day 1`), no
      `billing_rule` that bills it. Fees due on their own dates (`once at kickoff`) need no rhythm.

    ## Why it matters
    Without a payment term, the default of the law applies (30 days from receipt in most EU
    countries), which may not be what either party expects; without a billing rhythm, a recurring
    fee has no day on which it falls due, and the provider may invoice whenever it likes.

    ## Example
    ```bpo fragment
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      billing: monthly
    }
    ```

    ## Fix
    ```bpo fragment
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      billing: monthly in arrears
      payment_terms: 30 days from invoice
    }
    ```
    """
    p = ctx.contract.pricing
    if p is None:
        return
    if not given(p.payment_terms):
        yield ctx.diag(
            "`pricing` has no `payment_terms`", ctx.header(p), help="e.g. `payment_terms: 30 days from invoice`"
        )
    if not given(p.billing):
        if FR(ctx):
            yield ctx.diag(
                "`pricing` has no `billing` rhythm",
                ctx.header(p),
                help="e.g. `billing: monthly in arrears`",
                notes=["French law: art. L441-9 Code de commerce (when invoices are issued)"],
            )
        elif undated := _recurring_without_due(p):
            yield ctx.diag(
                f"`pricing` has no `billing` rhythm, and no date on which {listing(undated)} "
                + ("falls" if len(undated) == 1 else "fall")
                + " due",
                ctx.header(p),
                help="e.g. `billing: monthly in arrears`, or `due: every month on day 1`",
            )
    elif (
        isinstance(p.billing, C.Billing)
        and p.billing.timing is None
        and p.billing.frequency not in ("on_delivery", "on_milestone")
    ):
        yield ctx.diag(
            "billing does not say `in advance` or `in arrears`",
            ctx.value(p, "billing"),
            help=f"e.g. `billing: {p.billing.frequency} in arrears`",
        )


def _recurring_without_due(p: C.Pricing) -> list[str]:
    """The recurring fees that fall due on no date: not dated by the pricing's `due`, nor billed by a rule."""
    if p.due is not None:
        return []
    billed = {r.id for rule_ in p.billing_rules for r in rule_.fees if isinstance(r, C.Ref)}
    return [
        f"`{fee.id}`"
        for fee in p.fees
        if isinstance(fee.value, C.FeeValue) and fee.value.schedule not in ("once", "per_unit") and fee.id not in billed
    ]


@rule("BPO304", "disputed-invoices", "info", area=AREA, refs="PAY-02", source="seen in real outsourcing contracts")
def disputed_invoices(ctx: Context):
    """No procedure for disputed invoices.

    ## What it checks
    `pricing` has a `disputed_invoices` procedure.

    ## Why it matters
    Good practice is to pay the undisputed part when due and to settle the disputed part within
    a set time: otherwise one disputed line can hold up a whole invoice, or late interest runs
    on an amount that was contested in good faith.

    ## Example
    ```bpo fragment
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
    }
    ```

    ## Fix
    ```bpo fragment
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      disputed_invoices: "The undisputed part is paid when due; disputes are notified within 15 days"
    }
    ```
    """
    p = ctx.contract.pricing
    if p is not None and not given(p.disputed_invoices) and p.disputes is None:
        yield ctx.diag(
            "no procedure for disputed invoices",
            ctx.header(p),
            help='add `disputed_invoices: "The undisputed part is paid when due; ..."`',
        )


def _term_days(pt: C.PaymentTerms) -> Decimal | None:
    return days(pt.days)


@rule(
    "BPO305",
    "fr-payment-term-cap",
    "error",
    area=AREA,
    refs="PAY-03",
    applies=FR,
    source="Code de commerce art. L441-10 I; sanction L441-16",
)
def fr_payment_term_cap(ctx: Context):
    """French law: payment within 60 days of the invoice, or 45 days end of month.

    ## What it checks
    Under French law, `payment_terms` counted from the invoice (or its receipt) are at most 60
    days; counted as "days end of month", at most 45 days. A term that starts from acceptance
    delays the start of the legal period and is reported too.

    ## Why it matters
    L441-10 I caps payment periods between businesses; exceeding them exposes the debtor to an
    administrative fine of up to €2 million (L441-16), whatever the contract says.

    ## Example
    ```bpo fragment
    governing_law: FR
    pricing {
      currency: EUR
      model: fixed
      fee run "Forfait mensuel": 8500 EUR every month
      payment_terms: 90 days from invoice
    }
    ```

    ## Fix
    ```bpo fragment
    governing_law: FR
    pricing {
      currency: EUR
      model: fixed
      fee run "Forfait mensuel": 8500 EUR every month
      payment_terms: 60 days from invoice
    }
    ```
    """
    p = ctx.contract.pricing
    if p is None or not isinstance(p.payment_terms, C.PaymentTerms):
        return
    pt = p.payment_terms
    span = ctx.value(p, "payment_terms") or pt.span
    n = _term_days(pt)
    note = "Délais de paiement : 60 jours à compter de la date d'émission de la facture, ou 45 jours fin de mois (C. com. L441-10 I)."
    if pt.start == "acceptance":
        yield ctx.diag(
            "under French law the payment period runs from the invoice, not from acceptance",
            span,
            notes=[note],
            help="count the period from the invoice: `payment_terms: 60 days from invoice`",
        )
    elif n is None:
        return
    elif pt.start == "end_of_month" and n > 45:
        yield ctx.diag(
            f"{_as_written(ctx, pt, n)} exceeds the French cap of 45 days end of month",
            span,
            notes=[note],
            help="write `payment_terms: 45 days end of month`",
            fix=ctx.replace(span, "45 days end of month", "cap at 45 days end of month"),
        )
    elif pt.start in ("invoice", "receipt") and n > 60:
        yield ctx.diag(
            f"{_as_written(ctx, pt, n)} exceeds the French cap of 60 days from the invoice",
            span,
            notes=[note],
            help="write `payment_terms: 60 days from invoice`",
            fix=ctx.replace(span, "60 days from invoice", "cap at 60 days from invoice"),
        )


@rule(
    "BPO306",
    "fr-late-interest",
    "error",
    area=AREA,
    refs="PAY-04",
    applies=FR,
    fixable=True,
    source="Code de commerce art. L441-10 II; L441-16",
)
def fr_late_interest(ctx: Context):
    """French law: the payment conditions state late-payment interest of at least 3 times the legal rate.

    ## What it checks
    Under French law, `pricing` states `late_interest`, and a multiple of the legal rate is at
    least 3 (`3 times legal_rate`). The legal default is the ECB rate plus 10 points
    (`ecb_rate plus 10%`). An exclusion is [BPO310](#bpo310). A fixed rate or another
    ECB margin cannot be compared with 3 times the legal rate without the rates of the day: it
    is not reported.

    ## Why it matters
    L441-10 II makes the late-payment rate a mandatory mention of the payment conditions; a rate
    below three times the legal rate is not allowed. Missing mentions are fined (L441-16).

    ## Example
    ```bpo fragment
    governing_law: FR
    pricing {
      currency: EUR
      model: fixed
      fee run "Forfait mensuel": 8500 EUR every month
      late_interest: 2 times legal_rate
    }
    ```

    ## Fix
    ```bpo fragment
    governing_law: FR
    pricing {
      currency: EUR
      model: fixed
      fee run "Forfait mensuel": 8500 EUR every month
      late_interest: 3 times legal_rate
    }
    ```
    """
    p = ctx.contract.pricing
    if p is None:
        return
    li = p.late_interest
    note = "Pénalités de retard : taux au moins égal à trois fois le taux d'intérêt légal ; à défaut, taux BCE majoré de 10 points (C. com. L441-10 II)."
    if li is None:
        yield ctx.diag(
            "the payment conditions state no late-payment interest",
            ctx.header(p),
            notes=[note],
            help="add `late_interest: ecb_rate plus 10%` (the legal default)",
            fix=ctx.insert_key(p, "late_interest: ecb_rate plus 10%", "add the legal default rate"),
        )
    elif isinstance(li, C.LateInterest) and li.basis == "legal_rate_multiple" and (li.multiple or 0) < 3:
        span = ctx.value(p, "late_interest")
        yield ctx.diag(
            f"late-payment interest of {li.multiple} times the legal rate is below the French minimum of 3 times",
            span,
            notes=[note],
            help="write `late_interest: 3 times legal_rate`",
            fix=ctx.replace(span, "3 times legal_rate", "raise to 3 times the legal rate"),
        )


@rule(
    "BPO307",
    "fr-recovery-indemnity",
    "error",
    area=AREA,
    refs="PAY-05",
    applies=FR,
    fixable=True,
    source="Code de commerce art. L441-10 II, D441-5, L441-9",
)
def fr_recovery_indemnity(ctx: Context):
    """French law: the payment conditions state the €40 fixed recovery indemnity.

    ## What it checks
    Under French law, `pricing` states `recovery_indemnity: 40 EUR`. The invoice mentions of
    L441-9 (due date, discount, penalty rate, €40) are not modelled: check the invoice template.

    ## Why it matters
    The €40 indemnity for recovery costs is due by law for every late payment and must appear
    in the payment conditions and on the invoices; omitting it is fined (L441-16).

    ## Example
    ```bpo fragment
    governing_law: FR
    pricing {
      currency: EUR
      model: fixed
      fee run "Forfait mensuel": 8500 EUR every month
    }
    ```

    ## Fix
    ```bpo fragment
    governing_law: FR
    pricing {
      currency: EUR
      model: fixed
      fee run "Forfait mensuel": 8500 EUR every month
      recovery_indemnity: 40 EUR
    }
    ```
    """
    p = ctx.contract.pricing
    if p is None:
        return
    ri = p.recovery_indemnity
    note = "Indemnité forfaitaire pour frais de recouvrement : 40 euros (C. com. L441-10 II et D441-5)."
    if ri is None:
        yield ctx.diag(
            "the payment conditions do not state the €40 recovery indemnity",
            ctx.header(p),
            notes=[note],
            help="add `recovery_indemnity: 40 EUR`",
            fix=ctx.insert_key(p, "recovery_indemnity: 40 EUR", "add `recovery_indemnity: 40 EUR`", safe=True),
        )
    elif isinstance(ri, Money) and (ri.amount != 40 or ri.currency != "EUR"):
        span = ctx.value(p, "recovery_indemnity")
        yield ctx.diag(
            f"the recovery indemnity is {ctx.written(ri)}; French law fixes it at 40 EUR",
            span,
            notes=[note],
            help="write `recovery_indemnity: 40 EUR` (higher costs can be claimed on proof)",
            fix=ctx.replace(span, "40 EUR", "set the indemnity to 40 EUR"),
        )


def _max_days(pt: C.PaymentTerms) -> Decimal | None:
    n = _term_days(pt)
    if n is None:
        return None
    return n + 30 if pt.start == "end_of_month" else n


@rule(
    "BPO308",
    "eu-payment-period",
    "warning",
    area=AREA,
    refs="PAY-06",
    applies=EU_LAW,
    source="Directive 2011/7/EU Art. 3(5)",
)
def eu_payment_period(ctx: Context):
    """EU law: a payment period over 60 days must be expressly agreed and not grossly unfair.

    ## What it checks
    Under the law of an EU member state, a `payment_terms` that can exceed 60 days (counting "end
    of month" as up to 30 more days) is marked `expressly_agreed`. French contracts are also
    checked by the stricter [BPO305](#bpo305).

    ## Why it matters
    Directive 2011/7/EU limits business-to-business payment periods to 60 days unless expressly
    agreed and not grossly unfair to the creditor.

    ## Example
    ```bpo fragment
    governing_law: IE
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      payment_terms: 90 days from invoice
    }
    ```

    ## Fix
    ```bpo fragment
    governing_law: IE
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      payment_terms: 60 days from invoice
    }
    ```
    """
    p = ctx.contract.pricing
    if p is None or not isinstance(p.payment_terms, C.PaymentTerms):
        return
    pt = p.payment_terms
    n = _max_days(pt)
    if n is not None and n > 60 and not pt.expressly_agreed:
        yield ctx.diag(
            f"the payment period (`{ctx.written(pt)}`) can reach {number(n)} days, more than 60 days, "
            "and is not marked expressly agreed",
            ctx.value(p, "payment_terms"),
            help="shorten it to 60 days, or add `expressly_agreed` if it was negotiated",
        )


@rule(
    "BPO309",
    "public-authority-payment-period",
    "error",
    area=AREA,
    refs="PAY-06",
    applies=PUBLIC,
    source="Directive 2011/7/EU Art. 4(3), 4(6)",
)
def public_authority_payment_period(ctx: Context):
    """EU law: a public authority pays within 30 days, 60 at most when expressly agreed and justified.

    ## What it checks
    When the client is a public authority (`public_authority: yes`) under the law of an EU
    member state, `payment_terms` are at most 30 days, or at most 60 days when
    `expressly_agreed`.

    ## Why it matters
    Directive 2011/7/EU Art. 4 sets 30 days for public authorities, extendable to 60 only when
    expressly agreed and objectively justified.

    ## Example
    ```bpo fragment
    governing_law: FR
    party client city "Ville de Lyon" { public_authority: yes }
    pricing {
      currency: EUR
      model: fixed
      fee run "Forfait mensuel": 8500 EUR every month
      payment_terms: 45 days from invoice
    }
    ```

    ## Fix
    ```bpo fragment
    governing_law: FR
    party client city "Ville de Lyon" { public_authority: yes }
    pricing {
      currency: EUR
      model: fixed
      fee run "Forfait mensuel": 8500 EUR every month
      payment_terms: 30 days from invoice
    }
    ```
    """
    p = ctx.contract.pricing
    if p is None or not isinstance(p.payment_terms, C.PaymentTerms):
        return
    pt = p.payment_terms
    n = _max_days(pt)
    if n is None:
        return
    if n > 60 or (n > 30 and not pt.expressly_agreed):
        yield ctx.diag(
            "a public authority must pay within 30 days (60 if expressly agreed); "
            f"`{ctx.written(pt)}` can reach {number(n)} days",
            ctx.value(p, "payment_terms"),
            help="write `payment_terms: 30 days from invoice`",
        )


@rule(
    "BPO310",
    "late-interest-excluded",
    "error",
    area=AREA,
    refs="PAY-07",
    applies=EU_LAW,
    source="Directive 2011/7/EU Art. 7(2)",
)
def late_interest_excluded(ctx: Context):
    """EU law: a clause excluding late-payment interest is grossly unfair.

    ## What it checks
    Under the law of an EU member state, `late_interest` is not `excluded`.

    ## Why it matters
    Directive 2011/7/EU Art. 7(2) presumes grossly unfair, hence unenforceable, a contractual
    term excluding interest for late payment.

    ## Example
    ```bpo fragment
    governing_law: DE
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      late_interest: excluded
    }
    ```

    ## Fix
    ```bpo fragment
    governing_law: DE
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      late_interest: ecb_rate plus 9%
    }
    ```
    """
    p = ctx.contract.pricing
    if p is not None and isinstance(p.late_interest, C.LateInterest) and p.late_interest.basis == "excluded":
        yield ctx.diag(
            "late-payment interest cannot be excluded",
            ctx.value(p, "late_interest"),
            help="state the rate, e.g. `late_interest: ecb_rate plus 8%`",
        )


@rule(
    "BPO311",
    "recovery-costs-excluded",
    "warning",
    area=AREA,
    refs="PAY-07",
    applies=EU_LAW,
    source="Directive 2011/7/EU Art. 6, 7(3)",
)
def recovery_costs_excluded(ctx: Context):
    """EU law: the compensation for recovery costs is excluded (set to zero).

    ## What it checks
    Under the law of an EU member state, `recovery_indemnity` is not zero.

    ## Why it matters
    The Directive grants at least €40 for recovery costs on every late payment; a term excluding
    this compensation is presumed grossly unfair (Art. 7(3)).

    ## Example
    ```bpo fragment
    governing_law: IE
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      recovery_indemnity: 0 EUR
    }
    ```

    ## Fix
    ```bpo fragment
    governing_law: IE
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      recovery_indemnity: 40 EUR
    }
    ```
    """
    p = ctx.contract.pricing
    if p is not None and isinstance(p.recovery_indemnity, Money) and p.recovery_indemnity.amount == 0:
        yield ctx.diag(
            "the compensation for recovery costs is excluded",
            ctx.value(p, "recovery_indemnity"),
            help="state at least 40 EUR: `recovery_indemnity: 40 EUR`",
        )


@rule(
    "BPO312",
    "acceptance-period",
    "warning",
    area=AREA,
    refs="PAY-08",
    applies=EU_LAW,
    source="Directive 2011/7/EU Art. 3(4)",
)
def acceptance_period(ctx: Context):
    """EU law: an acceptance procedure longer than 30 days must be expressly agreed.

    ## What it checks
    Under the law of an EU member state, the `acceptance` period of each deliverable is at most
    30 days, unless the payment terms are marked `expressly_agreed`.

    ## Why it matters
    When payment follows acceptance, a long acceptance period postpones payment: the Directive
    caps it at 30 days unless expressly agreed and not grossly unfair.

    ## Example
    ```bpo fragment
    governing_law: DE
    deliverable manual "Procedures manual" {
      format: PDF
      due: effective + 6 weeks
      acceptance: 45 days
    }
    ```

    ## Fix
    ```bpo fragment
    governing_law: DE
    deliverable manual "Procedures manual" {
      format: PDF
      due: effective + 6 weeks
      acceptance: 20 business days
    }
    ```
    """
    p = ctx.contract.pricing
    agreed = p is not None and isinstance(p.payment_terms, C.PaymentTerms) and p.payment_terms.expressly_agreed
    if agreed:
        return
    for d in ctx.contract.deliverables:
        n = days(d.acceptance)
        if n is not None and n > 30:
            yield ctx.diag(
                f"the acceptance period of `{d.id}` exceeds 30 days",
                ctx.value(d, "acceptance"),
                help="shorten it to 30 days at most (e.g. `acceptance: 20 business days`)",
            )


@rule("BPO313", "indexation-complete", "warning", area=AREA, refs="PAY-09", source="seen in real outsourcing contracts")
def indexation_complete(ctx: Context):
    """Price indexation names its index, base, review date and formula.

    ## What it checks
    An `indexation` block gives `index`, `base`, `review` and `formula`. An indexation by the
    published rate of change (`method: published_change`: "the previous year's price increased by
    the annual CPI published in January") has no base index value to give.

    ## Why it matters
    A revision clause that lacks its index or its base period cannot be applied, and French
    courts void an indexation on an index unrelated to the contract (C. monétaire et financier
    L112-2): the clause must be precise.

    ## Example
    ```bpo fragment
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      indexation {
        index: "Syntec"
      }
    }
    ```

    ## Fix
    ```bpo fragment
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      indexation {
        index: "Syntec"
        base: 2026-08-01
        review: every year on 01-01
        formula: "P1 = P0 x S1 / S0"
      }
    }
    ```
    """
    p = ctx.contract.pricing
    ix = p.indexation if p else None
    if ix is None:
        return
    keys = ("index", "review", "formula") if ix.method == "published_change" else ("index", "base", "review", "formula")
    absent = missing(ix, keys)
    if absent:
        yield ctx.diag(
            f"the indexation has no {none_of(absent)}",
            ctx.header(ix),
            help="give the index, its base period, the review date and the formula",
        )


@rule("BPO314", "indexation-one-sided", "info", area=AREA, refs="PAY-09", source="seen in real outsourcing contracts")
def indexation_one_sided(ctx: Context):
    """The indexation has a cap without a floor, or a floor without a cap.

    ## What it checks
    An `indexation` with a `cap` also has a `floor`, and the reverse.

    ## Why it matters
    A one-sided limit protects one party only; that may be the deal, but it is worth a
    deliberate decision.

    ## Example
    ```bpo fragment
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      indexation {
        index: "Syntec"
        base: 2026-08-01
        review: every year on 01-01
        formula: "P1 = P0 x S1 / S0"
        cap: 3%
      }
    }
    ```

    ## Fix
    ```bpo fragment
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      indexation {
        index: "Syntec"
        base: 2026-08-01
        review: every year on 01-01
        formula: "P1 = P0 x S1 / S0"
        floor: 0%
        cap: 3%
      }
    }
    ```
    """
    p = ctx.contract.pricing
    ix = p.indexation if p else None
    if ix is None:
        return
    if given(ix.cap) != given(ix.floor):
        has, lacks = ("cap", "floor") if given(ix.cap) else ("floor", "cap")
        yield ctx.diag(
            f"the indexation has a {has} but no {lacks}",
            ctx.value(ix, has),
            help=f"add a {lacks}, or confirm the one-sided limit is intended",
        )


@rule(
    "BPO315",
    "indexation-floor-above-cap",
    "error",
    area=AREA,
    refs="PAY-09",
    source="seen in real outsourcing contracts",
)
def indexation_floor_above_cap(ctx: Context):
    """The indexation's floor is above its cap: no change of price can satisfy both.

    ## What it checks
    When an `indexation` gives both a `floor` and a `cap` as percentages, the floor is not above
    the cap.

    ## Why it matters
    A floor of 3 % with a cap of 2 % makes the revision clause contradictory: whichever way the
    index moves, one of the two limits is broken, and the clause is open to dispute on every
    review.

    ## Example
    ```bpo fragment
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      indexation {
        index: "Syntec"
        floor: 3%
        cap: 2%
      }
    }
    ```

    ## Fix
    ```bpo fragment
    pricing {
      currency: EUR
      model: fixed
      fee run "Monthly fee": 8500 EUR every month
      indexation {
        index: "Syntec"
        floor: 0%
        cap: 3%
      }
    }
    ```
    """
    p = ctx.contract.pricing
    ix = p.indexation if p else None
    if ix is None or not isinstance(ix.floor, Percentage) or not isinstance(ix.cap, Percentage):
        return
    if ix.floor.value > ix.cap.value:
        yield ctx.diag(
            f"the indexation's floor ({ctx.written(ix.floor)}) is above its cap ({ctx.written(ix.cap)})",
            ctx.value(ix, "floor"),
            labels=[(ctx.value(ix, "cap"), "the cap")],
            help="swap them, or correct the one that is mistyped: the floor must not exceed the cap",
        )


def _as_written(ctx: Context, pt: C.PaymentTerms, n: Decimal) -> str:
    """The payment term as the contract writes it, with its length in days when written otherwise."""
    text = ctx.written(pt)
    if isinstance(pt.days, Duration) and pt.days.unit.value == "days":
        return text
    return f"{text} (about {number(n)} days)"
