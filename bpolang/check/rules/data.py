"""Data protection (BPO7xx): GDPR Art. 28 contents, breach notification, retention, transfers."""

from __future__ import annotations

from decimal import Decimal

from bpolang.check.rules import law
from bpolang.check.rules.context import EEA, Context, days, given, hours, listing, missing, none_of, number
from bpolang.check.rules.gates import HELD_DATA, PROCESSOR
from bpolang.check.rules.registry import rule
from bpolang.model import contract as C
from bpolang.model.values import Duration

AREA = "data"


def _first(ctx: Context) -> C.DataAsset:
    return law.protected_data(ctx)[0]


@rule(
    "BPO701",
    "art28-description",
    "error",
    area=AREA,
    refs="DAT-01",
    applies=PROCESSOR,
    source="GDPR Art. 28(3) chapeau",
)
def art28_description(ctx: Context):
    """The processing is described: purpose, categories of data and of data subjects.

    ## What it checks
    Each personal `data` block gives its `purpose`, its `categories` of personal data and the
    categories of data `subjects`. The duration is the contract's `term`; the nature of the
    processing is the services described (and `nature`, when given).

    ## Why it matters
    Art. 28(3) requires the processing contract to set out the subject-matter, duration, nature
    and purpose of the processing, the type of personal data and the categories of data
    subjects. Supervisory authorities check exactly this list.

    ## Example
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      categories: [identity, salary]
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      categories: [identity, salary]
      subjects: [employees]
      purpose: "Monthly payroll on the client's behalf"
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
    }
    ```
    """
    for d in law.protected_data(ctx):
        absent = missing(d, ("purpose", "categories", "subjects"))
        if absent:
            yield ctx.diag(
                f"personal data `{d.id}` has no {none_of(absent)}",
                ctx.where(d),
                help="GDPR Art. 28(3) requires the purpose, the types of data and the categories of data subjects",
            )


def _contract_level(ctx: Context, key: str, what: str, article: str, example: str):
    assets = law.protected_data(ctx)
    if not any(given(getattr(d, key)) for d in assets):
        yield ctx.diag(
            f"the contract does not {what}",
            ctx.where(assets[0]),
            help=f'add `{key}: "{example}"` to the personal data ({article})',
        )


@rule(
    "BPO702",
    "art28-instructions",
    "error",
    area=AREA,
    refs="DAT-02",
    applies=PROCESSOR,
    source="GDPR Art. 28(3)(a) and last subparagraph",
)
def art28_instructions(ctx: Context):
    """The processor acts only on documented instructions, and alerts on infringing ones.

    ## What it checks
    At least one personal `data` block states the `instructions` regime.

    ## Why it matters
    Art. 28(3)(a): the processor processes personal data only on documented instructions from
    the controller, including for transfers, and must immediately inform the controller if an
    instruction infringes the law.

    ## Example
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      instructions: "Only on the client's documented instructions; infringing instructions are reported at once"
    }
    ```
    """
    yield from _contract_level(
        ctx,
        "instructions",
        "say that the processor acts only on documented instructions",
        "GDPR Art. 28(3)(a)",
        "Only on the controller's documented instructions",
    )


@rule(
    "BPO703",
    "art28-confidentiality",
    "error",
    area=AREA,
    refs="DAT-03",
    applies=PROCESSOR,
    fixable=True,
    source="GDPR Art. 28(3)(b)",
)
def art28_confidentiality(ctx: Context):
    """The people processing personal data are bound by confidentiality.

    ## What it checks
    A `confidentiality` block with `personnel_bound: yes`.

    ## Why it matters
    Art. 28(3)(b): the processor ensures that persons authorised to process the personal data
    have committed themselves to confidentiality or are under a statutory obligation.

    ## Example
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
    }
    confidentiality {
      duration: 5 years after end
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
    }
    confidentiality {
      duration: 5 years after end
      personnel_bound: yes
    }
    ```
    """
    conf = ctx.contract.confidentiality
    if conf is None:
        yield ctx.diag(
            "personal data is processed, but no `confidentiality` block binds the personnel",
            ctx.where(_first(ctx)),
            help="add `confidentiality { personnel_bound: yes }`",
        )
    elif conf.personnel_bound is not True and not isinstance(conf.personnel_bound, C.Unknown):
        yield ctx.diag(
            "the personnel processing personal data is not bound by confidentiality",
            ctx.header(conf),
            help="add `personnel_bound: yes`",
            fix=ctx.insert_key(conf, "personnel_bound: yes", "add `personnel_bound: yes`")
            if conf.personnel_bound is None
            else None,
        )


_SPECIFIC = ("encrypt", "pseudonym", "backup", "restore", "test", "iso_27001", "soc2", "access_log", "mfa", "resilien")


@rule(
    "BPO704",
    "art28-security",
    "error",
    area=AREA,
    refs="DAT-04",
    applies=PROCESSOR,
    source="GDPR Art. 28(3)(c), 32(1); SCC 2021/915 Annex III",
)
def art28_security(ctx: Context):
    """Each set of personal data lists its technical and organisational security measures.

    ## What it checks
    At least one personal `data` block has a `security` list (the measures may be stated once
    for all the personal data). Generic lists are [BPO705](#bpo705).

    ## Why it matters
    Art. 28(3)(c) requires the processor to take the measures of Art. 32: the contract must say
    which (the SCC's Annex III is the usual template).

    ## Example
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      security: [encryption_at_rest, encryption_in_transit, mfa, access_logging]
    }
    ```
    """
    assets = law.protected_data(ctx)
    if not any(given(d.security) for d in assets):
        yield ctx.diag(
            "the contract lists no security measures for the personal data",
            ctx.where(assets[0]),
            help="e.g. `security: [encryption_at_rest, encryption_in_transit, mfa, access_logging]`",
        )


@rule(
    "BPO705",
    "art28-security-generic",
    "warning",
    area=AREA,
    refs="DAT-04",
    applies=PROCESSOR,
    source="GDPR Art. 32(1); SCC 2021/915 Annex III",
)
def art28_security_generic(ctx: Context):
    """The security measures are only generic wording.

    ## What it checks
    A personal `data` block's `security` list names at least one specific measure: encryption or
    pseudonymisation, backup and restore, testing, a certification (`iso_27001`), MFA or access
    logging.

    ## Why it matters
    "Appropriate measures" restates the law without committing to anything; Art. 32(1) names
    pseudonymisation and encryption, resilience, restoration and regular testing.

    ## Example
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      security: [appropriate_measures]
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      security: [encryption_at_rest, mfa, daily_backup]
    }
    ```
    """
    for d in law.protected_data(ctx):
        if d.security and not any(k in s.lower() for s in d.security for k in _SPECIFIC):
            yield ctx.diag(
                f"the security measures of `{d.id}` are only generic",
                ctx.value(d, "security"),
                help="name specific measures: encryption, pseudonymisation, backup and restore, testing, MFA, logging",
            )


@rule(
    "BPO706",
    "art28-subprocessors",
    "error",
    area=AREA,
    refs="DAT-05",
    applies=PROCESSOR,
    source="GDPR Art. 28(2), 28(3)(d), 28(4); SCC 2021/915 Annex IV",
)
def art28_subprocessors(ctx: Context):
    """Sub-processing is authorised in a stated way, with notice for general authorisations.

    ## What it checks
    The contract states whether sub-processors may be used: `subprocessing` on a personal
    `data` block (`prohibited`, `specific_consent`, `general notice 30 days`, ...) or the
    `mode` of `subcontracting`; a general authorisation has a notice period (for the
    controller to object).
    When sub-contracting is allowed, the `subcontracting` block says the obligations flow down
    (`flow_down: yes`) and the provider remains liable (`prime_liable: yes`).

    ## Why it matters
    Art. 28(2) and (4): no sub-processor without the controller's prior authorisation; under a
    general authorisation the controller must be told of changes and may object; the same
    obligations bind the sub-processor, and the processor remains fully liable.

    ## Example
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      subprocessing: general
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      subprocessing: general notice 30 days
    }
    ```
    """
    assets = law.protected_data(ctx)
    sc = ctx.contract.subcontracting
    if not any(given(d.subprocessing) for d in assets) and not (sc and given(sc.mode)):
        yield ctx.diag(
            "the contract does not say whether sub-processors may be used",
            ctx.where(assets[0]),
            help="e.g. `subprocessing: specific_consent` or `subprocessing: general notice 30 days`",
        )
    for d in assets:
        sp = d.subprocessing
        if isinstance(sp, C.Subprocessing) and sp.mode == "general" and sp.notice is None:
            yield ctx.diag(
                "a general authorisation of sub-processors needs a notice period for objections",
                ctx.value(d, "subprocessing"),
                help="write `subprocessing: general notice 30 days`",
            )
    if sc is not None and sc.mode != "prohibited":
        unstated = [k for k in ("flow_down", "prime_liable") if getattr(sc, k) is None]
        if unstated:
            yield ctx.diag(
                f"sub-contracting is allowed but the contract does not state {listing(unstated)}",
                ctx.header(sc),
                help="add `flow_down: yes` and `prime_liable: yes` (GDPR Art. 28(4))",
            )


@rule(
    "BPO707", "art28-assistance", "error", area=AREA, refs="DAT-06", applies=PROCESSOR, source="GDPR Art. 28(3)(e)-(f)"
)
def art28_assistance(ctx: Context):
    """The processor assists with data-subject rights and with Arts 32 to 36.

    ## What it checks
    At least one personal `data` block states the `assistance` the processor gives.

    ## Why it matters
    Art. 28(3)(e)-(f): the processor assists the controller in answering data-subject requests
    and with security, breach notification, impact assessments and prior consultation.

    ## Example
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      assistance: "Data-subject requests forwarded within 2 business days; help with impact assessments"
    }
    ```
    """
    yield from _contract_level(
        ctx,
        "assistance",
        "say how the processor assists with data-subject rights and Arts 32-36",
        "GDPR Art. 28(3)(e)-(f)",
        "Data-subject requests forwarded within 2 business days",
    )


@rule(
    "BPO708", "art28-end-of-service", "error", area=AREA, refs="DAT-07", applies=PROCESSOR, source="GDPR Art. 28(3)(g)"
)
def art28_end_of_service(ctx: Context):
    """At the end, personal data is returned or deleted, with a certificate; copies need a legal basis.

    ## What it checks
    Each personal `data` block says what happens `at_end` (`return then delete within 30 days`,
    `delete within 30 days`, `client_choice`...). Returning without deleting (`return within
    30 days`) keeps copies: it needs a `retention_basis`. A `deletion_certificate` is given,
    in a personal data block or in `exit`.

    ## Why it matters
    Art. 28(3)(g): at the end of the services the processor deletes or returns all personal
    data, at the controller's choice, and deletes existing copies unless the law requires
    storage.

    ## Example
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      at_end: return then delete within 30 days
      deletion_certificate: yes
    }
    ```
    """
    ex = ctx.contract.exit
    for d in law.protected_data(ctx):
        if not given(d.at_end):
            yield ctx.diag(
                f"personal data `{d.id}` does not say what happens to it at the end",
                ctx.where(d),
                help="add e.g. `at_end: return then delete within 30 days`",
            )
            continue
        if isinstance(d.at_end, C.AtEnd) and d.at_end.action == "return" and not given(d.retention_basis):
            yield ctx.diag(
                f"`{d.id}` is returned but not deleted: the provider keeps copies without a legal basis",
                ctx.value(d, "at_end"),
                help="write `at_end: return then delete within 30 days`, or give `retention_basis`",
            )
    assets = law.protected_data(ctx)
    if not any(given(d.deletion_certificate) for d in assets) and not (ex and given(ex.deletion_certificate)):
        d = assets[0]
        yield ctx.diag(
            "no certificate of deletion of the personal data",
            ctx.value(d, "at_end") or ctx.where(d),
            help="add `deletion_certificate: yes`",
            fix=ctx.insert_key(d, "deletion_certificate: yes", "add `deletion_certificate: yes`"),
        )


@rule("BPO709", "art28-audits", "error", area=AREA, refs="DAT-08", applies=PROCESSOR, source="GDPR Art. 28(3)(h)")
def art28_audits(ctx: Context):
    """The controller may audit the processor.

    ## What it checks
    At least one personal `data` block states the `audit` rights of the controller.

    ## Why it matters
    Art. 28(3)(h): the processor makes available all information needed to demonstrate
    compliance and allows for audits, including inspections, by the controller or an auditor it
    mandates.

    ## Example
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      audit: "One audit a year on 30 days' notice, by the client or an independent auditor"
    }
    ```
    """
    yield from _contract_level(
        ctx,
        "audit",
        "give the controller audit rights",
        "GDPR Art. 28(3)(h)",
        "One audit a year on 30 days' notice, by the client or its auditor",
    )


@rule(
    "BPO710",
    "breach-notification",
    "error",
    area=AREA,
    refs="DAT-09",
    applies=PROCESSOR,
    source="GDPR Art. 33(1)-(3); EDPB Guidelines 07/2020",
)
def breach_notification(ctx: Context):
    """The processor notifies personal-data breaches within a stated time, well under 72 hours.

    ## What it checks
    A personal `data` block gives `breach_notification`, and every one given is shorter than 72
    hours. The content
    of the notification (Art. 33(3)) is written in the text (not modelled).

    ## Why it matters
    The controller must notify the supervisory authority within 72 hours of becoming aware of a
    breach (Art. 33(1)); the processor's notice to the controller counts against that time, so
    72 hours or more leaves the controller in breach by construction.

    ## Example
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      breach_notification: 72 hours
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      breach_notification: 24 hours
    }
    ```
    """
    assets = law.protected_data(ctx)
    if not any(given(d.breach_notification) for d in assets):
        d = assets[0]
        yield ctx.diag(
            "the contract sets no deadline to notify personal-data breaches",
            ctx.where(d),
            help="add e.g. `breach_notification: 24 hours`",
            fix=ctx.insert_key(d, "breach_notification: 24 hours", "add `breach_notification: 24 hours`"),
        )
    for d in assets:
        bn = d.breach_notification
        if bn is not None:
            h = hours(bn)
            if h is not None and h >= 72:
                span = ctx.value(d, "breach_notification")
                yield ctx.diag(
                    f"breach notification within {ctx.written(bn)} ({number(h)} hours) leaves the controller no time for its own 72 hours",
                    span,
                    notes=[
                        "GDPR Art. 33(1): the controller notifies the authority within 72 hours of becoming aware of the breach."
                    ],
                    help="notify the controller within 24 or 48 hours",
                    fix=ctx.replace(span, "24 hours", "notify within 24 hours"),
                )


def _after_term(ctx: Context, r: C.Retention) -> bool:
    if r.alternative is not None:  # the earlier of two runs past the term only if both do; the later, if either does
        first = _after_term(ctx, r.model_copy(update={"alternative": None}))
        second = _after_term(ctx, r.alternative)
        return (first and second) if r.whichever == "earlier" else (first or second)
    if r.start in ("end", "termination"):
        return r.period is not None and (days(r.period) or Decimal(0)) > 0
    if r.start in ("collection", "last_contact", "event") and isinstance(r.period, Duration):
        term = ctx.contract.term
        if term == "indefinite":
            return False
        if isinstance(term, Duration):
            return days(r.period) > days(term)  # type: ignore[operator]
        return True
    return False


@rule(
    "BPO711",
    "retention-period",
    "error",
    area=AREA,
    refs="DAT-10",
    applies=HELD_DATA,
    source="Founding checklist; GDPR Art. 5(1)(e), 30(1)(f), 13(2)(a)",
)
def retention_period(ctx: Context):
    """Every data set has a retention period; keeping it after the term needs a legal basis.

    ## What it checks
    On the data the provider holds, in every contract: when a `retention` runs past the end of
    the term (counted from the end, or longer than the term), the `data` block gives its
    `retention_basis`. Where a storage-limitation law reaches the data — personal data under the
    GDPR or the UK GDPR (Art. 5(1)(e)) — the `data` block also gives its `retention`
    (`10 years after end`, `5 years after collection`, `duration of contract`); `redacted` and
    `tbd` count as given. Elsewhere no law limits how long data is kept: the data's life at the
    provider ends with the contract, and [BPO803](other.md#bpo803) asks what happens to it then.

    ## Why it matters
    Personal data kept "as long as needed" is kept forever, against GDPR Art. 5(1)(e), which
    limits storage to what the purpose needs. And a provider keeping the client's data after the
    contract needs a legal obligation to do so (accounting, labour or tax law).

    ## Example
    ```bpo fragment
    data payslips "Payslips" {
      personal: yes
      location: [FR]
    }
    ```

    ## Fix
    ```bpo fragment
    data payslips "Payslips" {
      personal: yes
      location: [FR]
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
    }
    ```
    """
    limited = {id(d) for d in law.protected_data(ctx)}  # the data a storage-limitation law reaches
    for d in ctx.contract.data:
        if not law.provider_holds(ctx, d):
            continue
        r = d.retention
        if r is None:
            if id(d) not in limited:
                continue  # no law limits its storage; BPO803 asks what becomes of it at the end
            yield ctx.diag(
                f"data `{d.id}` has no retention period",
                ctx.where(d),
                labels=[(ctx.where(d), "this data has no `retention`")],
                help="add e.g. `retention: 5 years after end`, with `retention_basis` if it outlives the contract",
            )
        elif isinstance(r, C.Retention) and _after_term(ctx, r) and not given(d.retention_basis):
            span = ctx.value(d, "retention")
            yield ctx.diag(
                f"data `{d.id}` is kept after the term with no legal basis",
                span,
                labels=[(ctx.term_span(), "the term")],
                help='add `retention_basis: "..."` (the law that requires keeping it), or shorten the retention',
            )


@rule(
    "BPO712",
    "transfers-and-locations",
    "error",
    area=AREA,
    refs="DAT-11",
    applies=PROCESSOR,
    source="GDPR Arts 44-49; Commission Decision 2021/914; DORA Art. 30(2)(b)",
)
def transfers_and_locations(ctx: Context):
    """Personal data locations are declared, and every location outside the EEA has a transfer mechanism.

    ## What it checks
    Each personal `data` block gives its `location`s (country codes). When one is outside the
    EEA (outside the EEA and the UK when the governing law is British), `transfer` names a
    Chapter V mechanism (`adequacy`, `scc module 2`, `bcr`, `idta`,
    `uk_addendum`, `derogation`), not `none`.

    ## Why it matters
    Transferring personal data outside the EEA without an adequacy decision, standard
    contractual clauses or another Chapter V tool is unlawful, whoever does the processing.

    ## Example
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      location: [FR, MA]
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      location: [FR, MA]
      transfer: scc module 2 with tia
    }
    ```
    """
    for d in law.protected_data(ctx):
        if not given(d.location):
            yield ctx.diag(
                f"personal data `{d.id}` has no declared `location`",
                ctx.where(d),
                help="list the countries where it is processed and stored, e.g. `location: [FR]`",
            )
            continue
        # under the UK GDPR alone, the UK's adequacy regulations cover the EEA: both are home
        uk_only = law.uk_gdpr_applies(ctx) and not law.gdpr_applies(ctx)
        home = EEA | {"GB", "UK"} if uk_only else EEA
        outside = [loc for loc in d.location if loc.upper() not in home]
        if not outside:
            continue
        t = d.transfer
        if t is None or (isinstance(t, C.Transfer) and t.mechanism == "none"):
            yield ctx.diag(
                f"personal data `{d.id}` is processed in {listing(outside)}, outside the EEA, with no transfer mechanism",
                ctx.value(d, "location"),
                labels=[(ctx.value(d, "transfer"), "no mechanism here")] if t is not None else [],
                help="name the Chapter V mechanism, e.g. `transfer: scc module 2 with tia` or `transfer: adequacy`",
            )


@rule(
    "BPO713",
    "transfer-without-tia",
    "warning",
    area=AREA,
    refs="DAT-11",
    applies=PROCESSOR,
    source="GDPR Art. 46; CJEU C-311/18 (Schrems II); EDPB Recommendations 01/2020",
)
def transfer_without_tia(ctx: Context):
    """Standard contractual clauses without a transfer impact assessment.

    ## What it checks
    A `transfer: scc ...` says `with tia`.

    ## Why it matters
    Since Schrems II, standard clauses must be backed by an assessment of the destination
    country's law and practice; without it, the clauses alone may not protect the transfer.

    ## Example
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      location: [FR, MA]
      transfer: scc module 2
    }
    ```

    ## Fix
    ```bpo fragment
    party client acme "ACME SAS" { gdpr_role: controller }
    party provider comptaplus "ComptaPlus SARL" { gdpr_role: processor }
    data payroll "Payroll data" {
      personal: yes
      retention: 5 years after end
      retention_basis: "Code du travail L3243-4"
      location: [FR, MA]
      transfer: scc module 2 with tia
    }
    ```
    """
    for d in law.protected_data(ctx):
        t = d.transfer
        if isinstance(t, C.Transfer) and t.mechanism == "scc" and not t.tia:
            span = ctx.value(d, "transfer")
            yield ctx.diag(
                f"`{d.id}` is transferred under standard clauses without a transfer impact assessment",
                span,
                help="carry out a TIA and write `with tia`",
            )
