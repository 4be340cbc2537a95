"""Security, exit, change, liability, subcontracting, continuity, audit, labour (BPO8xx)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from bpolang.base.diagnostics import Severity
from bpolang.check.rules import law
from bpolang.check.rules.context import Context, days, given, missing, none_of
from bpolang.check.rules.gates import FR, NOT_LICENCE, RUN, is_financial, is_processor
from bpolang.check.rules.registry import rule
from bpolang.model import contract as C
from bpolang.model.bounds import quantized
from bpolang.model.values import Duration, Money, RelativeAmount

AREA = "other"


@rule(
    "BPO801",
    "access-and-confidentiality",
    "warning",
    area=AREA,
    refs="SEC-01",
    source="Founding checklist (gestion sécurisée des accès); seen in real outsourcing contracts",
)
def access_and_confidentiality(ctx: Context):
    """Confidentiality survives the contract and information is returned; access to data is controlled.

    ## What it checks
    A `confidentiality` block gives its `duration` after the end and `return_on_end`; each
    `data` block says how `access` is controlled. Provisioning, revocation times and MFA are
    written in the `access` text (the model keeps it as text).

    ## Why it matters
    The provider's staff see the client's finances, employees and customers: who gets access,
    how it is revoked, and how long secrecy lasts after the contract are the first questions of
    any security review.

    ## Example
    ```bpo fragment
    confidentiality {
      scope: "All information exchanged under the Contract"
    }
    ```

    ## Fix
    ```bpo fragment
    confidentiality {
      scope: "All information exchanged under the Contract"
      duration: 5 years after end
      return_on_end: yes
    }
    ```
    """
    c = ctx.contract
    conf = c.confidentiality
    if conf is None:
        yield ctx.diag(
            "the contract has no `confidentiality` block",
            ctx.header(c),
            help="add `confidentiality { duration: 5 years after end; return_on_end: yes }`",
        )
    else:
        absent = missing(conf, ("duration", "return_on_end"))
        if absent:
            yield ctx.diag(
                f"confidentiality has no {none_of(absent)}",
                ctx.header(conf),
                help="say how long secrecy lasts after the end, and that information is returned or destroyed",
            )
    for d in c.data:
        if law.provider_holds(ctx, d) and not given(d.access):
            yield ctx.diag(
                f"data `{d.id}` does not say how access to it is controlled",
                ctx.where(d),
                help='add `access: "Named accounts, least privilege, revoked within 24 hours of departure, MFA"`',
            )


def _regulated(ctx: Context) -> Severity | None:
    """An error only in the frame of DORA and the EBA guidelines: a financial entity of the EU."""
    return Severity.ERROR if is_financial(ctx) else None


@rule(
    "BPO802",
    "reversibility-plan",
    "warning",
    area=AREA,
    refs="EXT-01",
    source="Founding checklist (protocole de restitution); DORA Art. 30(3)(f); EBA/GL/2019/02 §99",
    applies=RUN,
)
def reversibility_plan(ctx: Context):
    """An exit plan, a transition period, continuity of service during exit, and its cost basis.

    ## What it checks
    An `exit` block gives `plan` (when the exit plan is delivered), `transition`,
    `service_continuity` and `assistance_cost`. An error when the client is a financial entity of the EU (DORA, EBA).

    ## Why it matters
    Reversibility is what lets the client change provider or take the work back: without a plan
    agreed early and a transition at the same service levels, the client is captive.

    ## Example
    ```bpo fragment
    exit {
      data_return: 30 days
    }
    ```

    ## Fix
    ```bpo fragment
    exit {
      plan: 3 months
      transition: 6 months
      service_continuity: yes
      assistance_cost: "At the rate card"
      data_return: 30 days
    }
    ```
    """
    c = ctx.contract
    ex = c.exit
    if ex is None:
        yield ctx.diag(
            "the contract has no `exit` block: no reversibility",
            ctx.header(c),
            severity=_regulated(ctx),
            help="add `exit { plan: 3 months; transition: 6 months; service_continuity: yes; ... }`",
        )
        return
    absent = missing(ex, ("plan", "transition", "service_continuity", "assistance_cost"))
    if "assistance_cost" in absent and given(ex.assistance_price):
        absent.remove("assistance_cost")  # the cost basis is given as a word
    if absent:
        yield ctx.diag(
            f"the exit has no {none_of(absent)}",
            ctx.header(ex),
            severity=_regulated(ctx),
            help="give the exit plan's delivery, the transition period, continuity of service and the cost basis",
        )


@rule(
    "BPO803",
    "data-return-protocol",
    "warning",
    area=AREA,
    refs="EXT-02",
    source="Réversibilité practice; ANSSI SecNumCloud; DORA Art. 30(2)(d)",
)
def data_return_protocol(ctx: Context):
    """At exit, data is returned on time in usable formats, with a deletion certificate and the assets.

    ## What it checks
    The `exit` block gives `data_return` (deadline), `return_format`, `deletion_certificate` and
    the `assets` handed back. An error when the client is a financial entity of the EU (DORA, EBA).

    ## Why it matters
    Data returned late, in a proprietary format, or without the procedures and scripts that
    process it cannot be taken over by the next provider.

    ## Example
    ```bpo fragment
    exit {
      plan: 3 months
      transition: 6 months
      service_continuity: yes
      assistance_cost: "At the rate card"
    }
    ```

    ## Fix
    ```bpo fragment
    exit {
      plan: 3 months
      transition: 6 months
      service_continuity: yes
      assistance_cost: "At the rate card"
      data_return: 30 days
      return_format: [CSV, PDF]
      deletion_certificate: yes
      assets: ["Procedures manual"]
    }
    ```
    """
    ex = ctx.contract.exit
    if ex is None:
        return  # reported by BPO802
    keys: tuple[str, ...] = ("data_return", "return_format", "deletion_certificate", "assets")
    if ctx.contract.data and not any(law.provider_holds(ctx, d) for d in ctx.contract.data):
        keys = ("assets",)  # the client keeps all its data: nothing of it to hand back
    absent = missing(ex, keys)
    if ex.deletion_evidence is not None:  # a proof of deletion other than a certificate answers for it
        absent = [k for k in absent if k != "deletion_certificate"]
    if absent:
        yield ctx.diag(
            f"the exit has no {none_of(absent)}",
            ctx.header(ex),
            severity=_regulated(ctx),
            help="give the return deadline, open formats, a deletion certificate and the assets handed back",
        )


@rule(
    "BPO804",
    "change-control",
    "warning",
    area=AREA,
    refs="CHG-01",
    source="Founding checklist (anticipation des évolutions); MSC 8.2; seen in real outsourcing contracts",
    applies=RUN,
)
def change_control(ctx: Context):
    """Changes follow a procedure: request, impact analysis, approval, written amendment, priced work.

    ## What it checks
    A `change_control` block gives `request`, `impact_analysis`, `approval` and `amendment`.
    When the scope has exclusions, extra work needs a price basis: `change_control.pricing`
    or a rate card (`rate`) in `pricing`.

    ## Why it matters
    Over years, scope changes: without a procedure, extra work is done without a price and
    billed without an agreement.

    ## Example
    ```bpo fragment
    change_control {
      request: "Written request to the service manager"
    }
    ```

    ## Fix
    ```bpo fragment
    change_control {
      request: "Written request to the service manager"
      impact_analysis: 10 business days
      approval: "Steering committee"
      pricing: quote
      amendment: written
    }
    ```
    """
    c = ctx.contract
    cc = c.change_control
    if cc is None:
        yield ctx.diag(
            "the contract has no `change_control` procedure",
            ctx.header(c),
            help="add `change_control { request: ...; impact_analysis: 10 business days; approval: ...; amendment: written }`",
        )
        return
    absent = missing(cc, ("request", "impact_analysis", "approval", "amendment"))
    if absent:
        yield ctx.diag(
            f"change control has no {none_of(absent)}",
            ctx.header(cc),
            help="give the request form, the impact-analysis time, who approves and how it is recorded",
        )
    if c.exclusions and not given(cc.pricing) and not (c.pricing and c.pricing.rates):
        yield ctx.diag(
            "extra work outside the scope has no price basis",
            ctx.header(cc),
            help="add `pricing: rate_card` (with `rate` entries) or `pricing: quote`",
        )


_CARVE = {
    "wilful misconduct or fraud": ("wilful", "fraud", "dol", "intentional", "gross"),
    "data protection": ("data", "personal", "gdpr"),
    "confidentiality": ("confiden",),
    "intellectual property": ("intellectual", "ip", "infring"),
}


def _lacks(carve_outs: list[str]) -> list[str]:
    words = [w.lower() for w in carve_outs]
    return [name for name, keys in _CARVE.items() if not any(k in w for w in words for k in keys)]


@rule(
    "BPO805",
    "liability-cap-and-carve-outs",
    "warning",
    area=AREA,
    refs="LIA-01",
    source="EBA/GL/2019/02 §75(k); IACCM; seen in real outsourcing contracts",
)
def liability_cap_and_carve_outs(ctx: Context):
    """Liability caps are defined (amount, basis) with the usual carve-outs.

    ## What it checks
    Each `liability` gives a `cap` and its `basis` (`per_claim`, `aggregate`, `per_year`) — except
    a mutual exclusion clause: a block for no party in particular that only excludes heads of
    damage (`exclusions` and no `cap`), on which no cap is expected. A block for one `party` that
    only excludes heads of damage leaves that party's liability uncapped, and is reported unless
    another block caps it. The provider's cap carves out wilful misconduct or fraud, data
    protection, confidentiality and intellectual property.

    ## Why it matters
    A cap without a basis is read differently by each party (per claim? per year?), and a cap
    that covers a data breach or fraud shifts the worst risks to the client.

    ## Example
    ```bpo fragment
    party provider comptaplus "ComptaPlus SARL" {}
    liability provider_cap "Provider liability cap" {
      party: comptaplus
      cap: 100% of annual_fees
    }
    ```

    ## Fix
    ```bpo fragment
    party provider comptaplus "ComptaPlus SARL" {}
    liability provider_cap "Provider liability cap" {
      party: comptaplus
      cap: 100% of annual_fees
      basis: per_year
      carve_outs: [wilful_misconduct, data_protection, confidentiality, intellectual_property]
    }
    ```
    """
    c = ctx.contract
    if not c.liability:
        yield ctx.diag(
            "the contract does not limit or state liability",
            ctx.header(c),
            help='add `liability provider_cap "Provider liability cap" { party: ...; cap: 100% of annual_fees; basis: per_year }`',
        )
        return
    providers = C.side(ctx.contract, "provider")
    for li in c.liability:
        if li.cap is None and li.exclusions and not isinstance(li.party, C.Ref):
            continue  # a mutual exclusion of heads of damage caps nothing and is not meant to
        if li.cap is None and li.exclusions and any(o.cap is not None and o.party == li.party for o in c.liability):
            continue  # the party's cap is in another block
        absent = missing(li, ("cap", "basis"))
        if absent:
            yield ctx.diag(
                f"liability `{li.id}` has no {none_of(absent)}",
                ctx.where(li),
                help="give the cap and whether it is per claim, per year or in aggregate",
            )
        if isinstance(li.party, C.Ref) and li.party.id in providers and given(li.cap):
            lacks = _lacks(li.carve_outs)
            if lacks:
                yield ctx.diag(
                    f"the provider's cap `{li.id}` does not carve out {', '.join(lacks)}",
                    ctx.where(li),
                    help="add them to `carve_outs`, or confirm they are meant to be capped",
                )


def _annual_share(cap) -> Decimal | None:
    if isinstance(cap, RelativeAmount):
        if cap.of.id == "annual_fees":
            return cap.percent.value
        if cap.of.id == "monthly_fees":
            return cap.percent.value / 12
    return None


@rule(
    "BPO806",
    "liability-cap-market",
    "info",
    area=AREA,
    refs="LIA-01",
    source="IACCM (World Commerce & Contracting) via commitmentmatters: caps usually 3-18 months of charges, 12 typical",
)
def liability_cap_market(ctx: Context):
    """A liability cap below 12 months of charges.

    ## What it checks
    A `cap` written as a share of `annual_fees` (or `monthly_fees`) is at least 12 months of
    charges.

    ## Why it matters
    The IACCM norm is about 12 months of charges (range 3 to 18). A much lower cap may not
    cover the client's realistic losses. Information only.

    ## Example
    ```bpo fragment
    liability provider_cap "Provider liability cap" {
      cap: 50% of annual_fees
      basis: per_year
    }
    ```

    ## Fix
    ```bpo fragment
    liability provider_cap "Provider liability cap" {
      cap: 100% of annual_fees
      basis: per_year
    }
    ```
    """
    providers = C.side(ctx.contract, "provider")
    for li in ctx.contract.liability:
        if isinstance(li.party, C.Ref) and li.party.id not in providers:
            continue
        share = _annual_share(li.cap)
        if share is not None and share < 100:
            months = quantized(share * 12 / 100, Decimal("0.1")).normalize()
            yield ctx.diag(
                f"the cap `{li.id}` is {months:f} months of charges, below the usual 12",
                ctx.value(li, "cap"),
                help="market practice is around 12 months of charges (range 3-18)",
            )


@rule(
    "BPO807",
    "insurance",
    "info",
    area=AREA,
    refs="LIA-01",
    source="EBA/GL/2019/02 §75(k); seen in real outsourcing contracts",
)
def insurance(ctx: Context):
    """The provider's insurance is stated: cover, amount, evidence.

    ## What it checks
    The contract has at least one `insurance` block, each with a `cover` or `amount`, and
    `evidence` of it.

    ## Why it matters
    A liability cap is only worth what the provider can pay: insurance with minimum limits and
    certificates makes it real.

    ## Example
    ```bpo fragment
    insurance pi "Professional indemnity" {
      amount: 2000000 EUR
    }
    ```

    ## Fix
    ```bpo fragment
    insurance pi "Professional indemnity" {
      amount: 2000000 EUR
      evidence: "Insurer's certificate at signature, then every year"
    }
    ```
    """
    c = ctx.contract
    if not c.insurance:
        yield ctx.diag(
            "the contract requires no insurance",
            ctx.header(c),
            help='add `insurance pi "Professional indemnity" { holder: ...; amount: ...; evidence: ... }`',
        )
    for ins in c.insurance:
        if not given(ins.evidence):
            yield ctx.diag(
                f"insurance `{ins.id}` requires no evidence",
                ctx.where(ins),
                help='add `evidence: "Insurer\'s certificate at signature, then every year"`',
            )


@rule(
    "BPO808",
    "fr-essential-obligation",
    "warning",
    area=AREA,
    refs="LIA-02",
    applies=FR,
    verify=True,
    source="Code civil art. 1170, 1171, 1231-3 [verify: case law on caps and gross negligence]",
)
def fr_essential_obligation(ctx: Context):
    """French law: a liability cap that would apply to gross negligence or wilful misconduct.

    ## What it checks
    Under French law, each capped `liability` carves out gross negligence or wilful misconduct
    (`gross_negligence`, `wilful_misconduct`, `fraud`). A cap or exclusion that empties the
    core obligation (art. 1170) and one-sided clauses in standard-form contracts (art. 1171)
    are matters of drafting this rule cannot see. This rule rests on a secondary source: a
    warning.

    ## Why it matters
    French courts set aside a limitation of liability in case of faute lourde or dolosive
    (art. 1231-3 and case law), and deem unwritten a clause that deprives the essential
    obligation of its substance (art. 1170, Chronopost, Faurecia).

    ## Example
    ```bpo fragment
    governing_law: FR
    liability provider_cap "Plafond du Prestataire" {
      cap: 100% of annual_fees
      basis: per_year
    }
    ```

    ## Fix
    ```bpo fragment
    governing_law: FR
    liability provider_cap "Plafond du Prestataire" {
      cap: 100% of annual_fees
      basis: per_year
      carve_outs: [gross_negligence, wilful_misconduct]
    }
    ```
    """
    for li in ctx.contract.liability:
        if not given(li.cap):
            continue
        words = [w.lower() for w in li.carve_outs]
        if not any(k in w for w in words for k in ("gross", "wilful", "fraud", "dol", "lourde")):
            yield ctx.diag(
                f"the cap `{li.id}` would apply to gross negligence and wilful misconduct",
                ctx.where(li),
                notes=[
                    "La limitation de responsabilité est écartée en cas de faute lourde ou dolosive (C. civ. art. 1231-3)."
                ],
                help="add `carve_outs: [gross_negligence, wilful_misconduct]`",
            )


@rule(
    "BPO809",
    "subcontracting-regime",
    "warning",
    area=AREA,
    refs="SUB-01",
    source="EBA/GL/2019/02 §78; DORA Art. 30(2)(a); seen in real outsourcing contracts",
    applies=NOT_LICENCE,
)
def subcontracting_regime(ctx: Context):
    """Subcontracting is regulated: a mode, flow-down of obligations, the provider remains liable.

    ## What it checks
    A `subcontracting` block gives its `mode` (`prohibited`, `consent`, `notice_objection`,
    `free`); when subcontracting is allowed, `flow_down` and `prime_liable` (checked as
    [BPO706](data.md#bpo706) when personal data is processed), and a `notice` for
    `notice_objection`.

    ## Why it matters
    The client chose this provider: it should know who else does the work, under which
    obligations, and be able to hold the provider responsible for them.

    ## Example
    ```bpo fragment
    subcontracting {
      mode: notice_objection
    }
    ```

    ## Fix
    ```bpo fragment
    subcontracting {
      mode: notice_objection
      notice: 30 days
      flow_down: yes
      prime_liable: yes
    }
    ```
    """
    c = ctx.contract
    sc = c.subcontracting
    if sc is None:
        yield ctx.diag(
            "the contract does not regulate subcontracting",
            ctx.header(c),
            help="add `subcontracting { mode: consent; flow_down: yes; prime_liable: yes }`",
        )
        return
    if not given(sc.mode):
        yield ctx.diag("subcontracting has no `mode`", ctx.header(sc), help="e.g. `mode: consent`")
        return
    if sc.mode == "prohibited":
        return
    absent = [] if is_processor(ctx) else missing(sc, ("flow_down", "prime_liable"))
    if sc.mode == "notice_objection" and not given(sc.notice):
        absent.append("notice")
    if absent:
        yield ctx.diag(
            f"subcontracting is allowed but has no {none_of(absent)}",
            ctx.header(sc),
            help="obligations flow down, the provider remains liable, and changes are notified in advance",
        )


@rule(
    "BPO810",
    "continuity-plan",
    "warning",
    area=AREA,
    refs="BCP-01",
    source="EBA/GL/2019/02 §75(l); DORA Art. 30(3)(c); seen in real outsourcing contracts",
    applies=RUN,
)
def continuity_plan(ctx: Context):
    """A business continuity plan with recovery objectives, tested regularly.

    ## What it checks
    A `continuity` block gives a `plan`, a recovery objective (`rto` or `rpo`) and a `test`
    rhythm. An error when the client is a financial entity of the EU (DORA, EBA).

    ## Why it matters
    When the provider's site or system fails, the client's process stops: recovery times agreed
    and tested in advance are the only guarantee it restarts.

    ## Example
    ```bpo fragment
    continuity {
      plan: "Fallback site in Lyon"
    }
    ```

    ## Fix
    ```bpo fragment
    continuity {
      plan: "Fallback site in Lyon"
      rto: 2 business days
      rpo: 24 hours
      test: every year
    }
    ```
    """
    c = ctx.contract
    bcp = c.continuity
    if bcp is None:
        yield ctx.diag(
            "the contract has no `continuity` plan",
            ctx.header(c),
            severity=_regulated(ctx),
            help="add `continuity { plan: ...; rto: 2 business days; rpo: 24 hours; test: every year }`",
        )
        return
    absent = missing(bcp, ("plan", "test"))
    if not given(bcp.rto) and not given(bcp.rpo):
        absent.append("rto")
    if absent:
        yield ctx.diag(
            f"the continuity plan has no {none_of(absent)}",
            ctx.header(bcp),
            severity=_regulated(ctx),
            help="give the plan, recovery objectives and how often it is tested",
        )


@rule(
    "BPO811",
    "audit-rights",
    "warning",
    area=AREA,
    refs="AUD-01",
    source="GDPR Art. 28(3)(h); EBA/GL/2019/02 §75(p); DORA Art. 30(3)(e)",
)
def audit_rights(ctx: Context):
    """The client (and, for regulated clients, its supervisor) may audit the provider.

    ## What it checks
    An `audit` block of the contract in which the provider is not the auditor, an `audit`
    statement in a `data` block, or a `clause` whose title mentions audit. An error when the
    client is a financial entity of the EU (DORA, EBA); with personal data, see
    [BPO709](data.md#bpo709).

    ## Why it matters
    Outsourcing a process does not outsource the responsibility for it: the client, its
    auditors and supervisors must be able to check how the work is done.

    ## Example
    ```bpo fragment
    data invoices "Supplier invoices" {
      personal: no
      retention: 10 years after end
      retention_basis: "Code de commerce L123-22"
    }
    ```

    ## Fix
    ```bpo fragment
    data invoices "Supplier invoices" {
      personal: no
      retention: 10 years after end
      retention_basis: "Code de commerce L123-22"
      audit: "One audit a year on 30 days' notice, by the client or an independent auditor"
    }
    ```
    """
    c = ctx.contract
    if is_processor(ctx) and not is_financial(ctx):
        return  # BPO709
    providers = C.side(c, "provider")
    found = (
        any(given(d.audit) for d in c.data)
        or any("audit" in (cl.title or "").lower() for cl in c.clauses)
        or any(getattr(a.auditor, "id", None) not in providers for a in c.audits)
    )
    if not found:
        yield ctx.diag(
            "the contract gives no audit rights",
            ctx.header(c),
            severity=_regulated(ctx),
            help='add an `audit` block (`auditor: <client>`), or `audit: "..."` to a data block',
        )


def _value_estimate(ctx: Context) -> Decimal | None:
    p = ctx.contract.pricing
    if p is None:
        return None
    months = days(ctx.contract.term) / 30 if isinstance(ctx.contract.term, Duration) else Decimal(12)  # type: ignore[operator]
    total = Decimal(0)
    for f in p.fees:
        if isinstance(f.value, C.FeeValue) and isinstance(f.value.amount, Money):
            each = C.FEE_SCHEDULE_MONTHS.get(f.value.schedule)
            per = months / each if each else 1
            total += f.value.amount.amount * Decimal(per)
    return total


@rule(
    "BPO812",
    "fr-vigilance",
    "warning",
    area=AREA,
    refs="LAB-01",
    applies=FR,
    source="Code du travail art. L8222-1, D8222-5",
)
def fr_vigilance(ctx: Context):
    """French law: the provider hands over its vigilance certificate at signature and every 6 months.

    ## What it checks
    Under French law, for a contract of €5,000 or more (estimated from the fees, or whenever a
    fee cannot be valued), a `clause` mentions the vigilance certificate (`vigilance`,
    `L8222-1` or `D8222-5`). The model has no dedicated key yet.

    ## Why it matters
    A client that fails to obtain the provider's URSSAF certificate at signature and every six
    months is jointly liable for the provider's undeclared work (L8222-2).

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
    }
    clause vigilance "Obligation de vigilance" {
      text: "Le Prestataire remet l'attestation de vigilance (art. D8222-5 du Code du travail) à la signature puis tous les six mois."
    }
    ```
    """
    value = _value_estimate(ctx)
    if value is None or (0 < value < 5000):
        return
    c = ctx.contract
    text = " ".join((cl.title or "") + " " + (cl.text or "") for cl in c.clauses).lower()
    if not any(k in text for k in ("vigilance", "l8222", "d8222")):
        yield ctx.diag(
            "no clause on the vigilance certificate (attestation de vigilance)",
            ctx.header(c.pricing) or ctx.header(c),
            notes=[
                "Obligation de vigilance : attestation URSSAF à la conclusion puis tous les six mois (C. trav. L8222-1, D8222-5)."
            ],
            help="add a clause requiring the certificate at signature and every six months",
        )


@rule(
    "BPO813",
    "fr-labour-loan-risk",
    "warning",
    area=AREA,
    refs="LAB-02",
    applies=FR,
    source="Code du travail art. L8241-1 (prêt de main-d'œuvre illicite), L8231-1 (marchandage)",
)
def fr_labour_loan_risk(ctx: Context):
    """French law: time-based pricing with no deliverable or service level looks like a loan of staff.

    ## What it checks
    Under French law, a contract priced per FTE or only through day/hour rates (`model: fte`, or
    rates and no fee, unit price or tier) has deliverables or service levels. Whether the
    provider keeps the management of its staff is written in the text (not modelled).

    ## Why it matters
    Providing staff for a fee, with no result owed, is an unlawful loan of labour (L8241-1) and
    may be marchandage (L8231-1), a criminal offence: the contract must buy a service, not time.

    ## Example
    ```bpo fragment
    governing_law: FR
    pricing {
      currency: EUR
      model: fte
      rate accountant "Comptable": 420 EUR per day
    }
    ```

    ## Fix
    ```bpo fragment
    governing_law: FR
    pricing {
      currency: EUR
      model: fte
      rate accountant "Comptable": 420 EUR per day
    }
    deliverable monthly_close "Clôture mensuelle" {
      format: PDF
      due: every month on business day 8
    }
    ```
    """
    c = ctx.contract
    p = c.pricing
    if p is None:
        return
    time_based = p.model == "fte" or (p.rates and not (p.fees or p.units or p.tiers))
    if time_based and not c.deliverables and not c.service_levels:
        yield ctx.diag(
            "the provider is paid for time, with no deliverable or service level owed",
            ctx.value(p, "model") or ctx.header(p),
            notes=["Risque de prêt de main-d'œuvre illicite (C. trav. L8241-1) et de marchandage (L8231-1)."],
            help="define the deliverables or service levels the provider owes, and state that it manages its own staff",
        )


@rule(
    "BPO814",
    "carve-out-to-missing-cap",
    "error",
    area=AREA,
    refs="LIA-01",
    source="seen in real outsourcing contracts",
)
def carve_out_to_missing_cap(ctx: Context):
    """A liability carve-out sends a claim to a cap that the contract does not define.

    ## What it checks
    A carve-out that names a cap (a word ending in `_cap`, such as `data_protection_cap`)
    names the id of a `liability` block of the contract.

    ## Why it matters
    "Data protection claims are subject to the super-cap" with no super-cap written leaves
    those claims either uncapped or under the general cap, and the parties will each read it
    their way.

    ## Example
    ```bpo fragment
    liability provider_cap "Provider liability cap" {
      cap: 100% of annual_fees
      basis: per_year
      carve_outs: [wilful_misconduct, data_protection_cap]
    }
    ```

    ## Fix
    ```bpo fragment
    liability provider_cap "Provider liability cap" {
      cap: 100% of annual_fees
      basis: per_year
      carve_outs: [wilful_misconduct, data_protection_cap]
    }
    liability data_protection_cap "Data protection super-cap" {
      cap: 300% of annual_fees
      basis: aggregate
    }
    ```
    """
    caps = {li.id for li in ctx.contract.liability}
    for li in ctx.contract.liability:
        for word in li.carve_outs:
            if word.endswith("_cap") and word not in caps:
                others = ", ".join(f"`{c}`" for c in sorted(x for x in caps if x and x != li.id)) or "none"
                yield ctx.diag(
                    f"carve-out `{word}` of `{li.id}` points at a cap the contract does not define",
                    ctx.value(li, "carve_outs") or ctx.where(li),
                    notes=[f"the caps defined: {others}"],
                    help=f'add `liability {word} "..." {{ cap: ...; basis: ... }}`, or correct the name',
                )


_GRANT = re.compile(
    r"\b(?:may|can|shall have the right to|has the right to|is entitled to|shall be entitled to|"
    r"peut|pourra|a le droit d[e']|est en droit d[e'])\s+(?:\w+\s+){0,3}?(?:audit|inspect|auditer|contrôler)",
    re.IGNORECASE,
)
_CLIENT_WORDS = ("client", "customer", "controller", "responsable du traitement")
_PROVIDER_WORDS = ("provider", "supplier", "vendor", "contractor", "processor", "prestataire", "sous-traitant")


def _auditors(ctx: Context) -> tuple[list[tuple[str, Any]], bool]:
    """Who each audit text lets audit ('client' or 'provider'), and whether one names nobody."""
    c = ctx.contract
    texts: list[tuple[str, Any]] = [(d.audit, d) for d in c.data if isinstance(d.audit, str)]
    texts += [(cl.text, cl) for cl in c.clauses if cl.text is not None and "audit" in (cl.title or "").lower()]
    words: list[tuple[str, str]] = [(w, "client") for w in _CLIENT_WORDS] + [(w, "provider") for w in _PROVIDER_WORDS]
    for p in c.parties:
        if p.role in ("client", "provider"):
            short = (p.title or "").split()[:1]  # "HostCo" of "HostCo LLC" (none of a blank title)
            words += [(x.lower(), p.role) for x in (p.id, p.title, *short) if x and len(x.strip()) >= 3]
    found: list[tuple[str, Any]] = []
    anonymous = False
    for text, node in texts:
        grants = list(_GRANT.finditer(text))
        if not grants:
            anonymous = True  # "one audit a year on 30 days' notice": the usual client right
        for m in grants:
            before = text[max(0, m.start() - 80) : m.start()].lower()
            best = max(((before.rfind(w), role) for w, role in words), default=(-1, ""))
            if best[0] < 0:
                anonymous = True
            else:
                found.append((best[1], node))
    return found, anonymous


def _structured_auditors(ctx: Context) -> list[tuple[str, Any]]:
    """The `audit` blocks' auditors, once the model has them (`audits`, `auditor:`)."""
    roles: dict[str | None, str] = {p.id: p.role for p in ctx.contract.parties}
    out: list[tuple[str, Any]] = []
    for a in getattr(ctx.contract, "audits", None) or []:
        who = getattr(a, "auditor", None)
        role = roles.get(getattr(who, "id", None) or "")
        if role in ("client", "provider"):
            out.append((role, a))
    return out


@rule(
    "BPO815",
    "audit-one-way",
    "warning",
    area=AREA,
    refs="AUD-01",
    source="GDPR Art. 28(3)(h); EBA/GL/2019/02 §75(p); DORA Art. 30(3)(e); seen in real outsourcing contracts",
    applies=RUN,
)
def audit_one_way(ctx: Context):
    """The only audit right runs from the provider to the client.

    ## What it checks
    When the contract writes audit rights (an `audit` text of a data block, an audit clause),
    at least one lets the client (or its auditor) audit the provider. A clause by which only the
    provider may audit the client (its use of a licence, its payments) leaves the client with
    none. An audit text that names no auditor counts as the client's.

    ## Why it matters
    The client answers for the outsourced work: to its auditors, to a supervisor (EBA §75(p),
    DORA Art. 30(3)(e)) and, for personal data, as controller (GDPR Art. 28(3)(h)). An audit
    clause written the other way round reads as an audit clause at a glance and gives the
    client nothing.

    ## Example
    ```bpo fragment
    party client acme "ACME Inc." { }
    party provider hostco "HostCo LLC" { }
    clause audit "Audit" {
      text: "HostCo may audit ACME's use of the licensed software once a year."
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME Inc." { }
    party provider hostco "HostCo LLC" { }
    clause audit "Audit" {
      text: "HostCo may audit ACME's use of the licensed software once a year. ACME may audit HostCo's performance of the services on 30 days' notice."
    }
    ```
    """
    found = _structured_auditors(ctx)
    anonymous = False
    if not found:
        found, anonymous = _auditors(ctx)
    if anonymous or not found or any(role == "client" for role, _ in found):
        return
    role, node = found[0]
    yield ctx.diag(
        "the only audit right is the provider's: the client cannot audit the provider",
        ctx.where(node),
        help="give the client (and its auditors and supervisors) a right to audit the provider",
    )
