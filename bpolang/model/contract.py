"""The contract model: every block of a .bpo file as a typed pydantic class.

The schema of the language is read from these classes: a field is a key
(`target: 98%`), a ``list[...]`` of an :class:`Element` is a repeatable child
block, and ``BPO`` class attributes say how a child is written when it is not a
plain block (its keyword, a qualifier word, a one-line form).  The builder
(:mod:`bpolang.model.build`) and the printer walk the same metadata, so what
one reads the other writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from bpolang.base.diagnostics import Span
from bpolang.model.values import (
    Amount,
    DateExpr,
    Duration,
    Money,
    Percentage,
    Quantity,
    Rate,
    Recurrence,
    Ref,
    RelativeAmount,
    Unknown,
)


@dataclass(frozen=True)
class Child:
    """How a list field of child elements is written."""

    keyword: str
    form: Literal["block", "entry", "bare"] = "block"
    qualifier: str | None = None  # field filled by the word after the keyword
    id: bool = True  # the element takes an id
    title: Literal["required", "optional", "none"] = "optional"
    value_field: str = "value"  # for form="entry": the field the phrase after `:` fills


@dataclass(frozen=True)
class Single:
    """A single optional child block written with a keyword: `pricing { ... }`."""

    keyword: str


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


WORD = _Marker("word")
# A bare code word, not quoted: `format: XLSX`, `currency: EUR`, `categories: [identity]`.
Word = Annotated[str, WORD]


LAW = _Marker("law")
# A governing law: an ISO 3166-1 country code (`FR`), an ISO 3166-2 subdivision code (`US-NY`,
# `GB-SCT`), or one of the names of the United Kingdom's legal systems (`ENGLAND`, `SCOTLAND`...).
# Still a code word (WORD) for everything that reads words; the builder checks the code (LAW).
LawCode = Annotated[str, WORD, LAW]


Text = str  # a quoted string or a """text block"""
# An item of a list of texts: a text, or a word for an item the contract does not give
# (`approved: ["Dext Ltd", redacted]`; `key_personnel: [redacted]` for a list withheld whole).
TextItem = Union[Text, Unknown]


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid")

    span: Span | None = Field(default=None, description="Where the block is written.")

    BPO: ClassVar[dict[str, Child | Single]] = {}
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    # fields written in the block's header (`party client ...`), not as keys
    HEADER_FIELDS: ClassVar[tuple[str, ...]] = ()


class Element(Node):
    """A block or named entry that can have an id and a human title."""

    id: str | None = None
    title: str | None = None
    # where the id is written, for diagnostics that point at it (not part of the model's data)
    _id_span: Span | None = PrivateAttr(default=None)

    @property
    def id_span(self) -> Span | None:
        return self._id_span or self.span


MaybeText = Union[Text, Unknown, None]
MaybeDuration = Union[Duration, Unknown, None]
MaybeMoney = Union[Money, Unknown, None]
MaybeDate = Union[DateExpr, Unknown, None]
MaybeAmount = Union[Amount, None]
Schedule = Annotated[Union[DateExpr, Recurrence, Unknown], Field(discriminator="kind")]


# ------------------------------------------------------------------ phrasal values
# the words of the phrase forms, one alias each, so that their readers are typed by them
RenewalKind = Literal["tacit", "express", "none"]
PaymentStart = Literal["invoice", "end_of_month", "receipt", "acceptance"]
BillingFrequency = Literal["monthly", "quarterly", "yearly", "weekly", "on_delivery", "on_milestone"]
BillingTiming = Literal["in_advance", "in_arrears"]
RetentionStart = Literal["end", "collection", "last_contact", "termination", "effective", "event"]
AtEndAction = Literal["return_then_delete", "delete", "return", "client_choice"]
TriggerComparator = Literal["below", "above", "late", "missed", "breach"]
StepComparator = Literal["below", "above"]
PenaltyPer = Literal["day", "business_day", "week", "month", "occurrence"]
FeeSchedule = Literal["once", "every_month", "every_quarter", "every_year", "per_unit"]
WindowKind = Literal["daily", "weekly", "monthly", "quarterly", "yearly", "rolling"]
SubprocessingMode = Literal["prohibited", "specific_consent", "general", "free"]
TransferMechanism = Literal["scc", "adequacy", "bcr", "idta", "uk_addendum", "derogation", "none"]


class Phrasal(BaseModel):
    """A value written as a phrase with words (`tacit 12 months notice 3 months`)."""

    model_config = ConfigDict(extra="forbid")
    span: Span | None = None


class Renewal(Phrasal):
    """`tacit 12 months notice 3 months`, `express 12 months`, `none`."""

    kind: RenewalKind
    period: Duration | Unknown | None = None
    notice: Duration | Unknown | None = None


class PaymentTerms(Phrasal):
    """`45 days end of month`, `30 days from invoice`, `60 days from receipt`."""

    days: Duration | Unknown
    start: PaymentStart = "invoice"
    expressly_agreed: bool = False


class Billing(Phrasal):
    """`monthly in arrears`, `quarterly in advance`."""

    frequency: BillingFrequency
    timing: BillingTiming | None = None


class LateInterest(Phrasal):
    """`3 times legal_rate`, `ecb_rate plus 10 points`, `12% per year`, `excluded`."""

    basis: Literal["legal_rate_multiple", "ecb_plus", "fixed", "excluded"]
    value: Percentage | Unknown | None = None
    multiple: int | None = None


class Retention(Phrasal):
    """`10 years after end`, `5 years after collection`, `duration of contract`."""

    period: Duration | Unknown | None = None
    start: RetentionStart = "end"
    event: str | None = None


class AtEnd(Phrasal):
    """`return then delete within 30 days`, `delete within 30 days`, `return within 30 days`."""

    action: AtEndAction
    within: Duration | Unknown | None = None


class Trigger(Phrasal):
    """`below 95% 3 times in any 6 months`, `below 98%`, `above 4 hours`, `late`."""

    comparator: TriggerComparator
    threshold: Percentage | Duration | Unknown | None = None
    times: int | None = None
    within: Duration | None = None


class Step(Phrasal):
    """`below 99.5% credit 2% of monthly_fees`."""

    comparator: StepComparator
    threshold: Percentage | Duration
    credit: Annotated[Union[RelativeAmount, Money, Percentage, Unknown], Field(discriminator="kind")]


class PenaltyAmount(Phrasal):
    """`500 EUR per day late`, `1000 EUR`, `2% of monthly_fees per week late`."""

    amount: Annotated[Union[Money, RelativeAmount, Percentage, Unknown], Field(discriminator="kind")]
    per: PenaltyPer | None = None


# How many months each recurring fee schedule covers (`once` and `per_unit` recur on no calendar).
FEE_SCHEDULE_MONTHS = {"every_month": 1, "every_quarter": 3, "every_year": 12}


class FeeValue(Phrasal):
    """`15000 EUR once at first_close`, `8500 EUR every month`, `max(...) every month`."""

    amount: Amount
    schedule: FeeSchedule = "once"
    at: Ref | None = None


class ServiceHours(Phrasal):
    """`monday to friday 08:00 to 18:00`, `every day 00:00 to 24:00`."""

    first_day: int
    last_day: int
    opens: dt.time
    closes: dt.time
    all_day: bool = False


class Window(Phrasal):
    """`monthly`, `quarterly`, `rolling 3 months`."""

    kind: WindowKind
    length: Duration | None = None


class Allowance(Phrasal):
    """`4 hours per month`: a duration allowed in each period (planned maintenance)."""

    duration: Duration
    per: Literal["day", "week", "month", "quarter", "year"]


class Band(Phrasal):
    """`0 to 2000 at 1.20 EUR per invoice`, `above 5000 at 0.90 EUR per invoice`."""

    low: int
    high: int | None = None
    price: Rate | Percentage | Unknown


class Subprocessing(Phrasal):
    """`prohibited`, `consent`, `general notice 30 days`."""

    mode: SubprocessingMode
    notice: Duration | None = None


class Transfer(Phrasal):
    """`scc module 2 with tia`, `adequacy`, `bcr`, `idta`, `uk_addendum`, `derogation`, `none`."""

    mechanism: TransferMechanism
    module: int | None = None
    tia: bool = False


# ------------------------------------------------------------------ blocks
class Party(Element):
    role: Literal["client", "provider", "other"] = "client"
    legal_form: MaybeText = None
    registration: MaybeText = None
    address: MaybeText = None
    representative: MaybeText = None
    email: MaybeText = None
    gdpr_role: Literal["controller", "processor", "joint_controller", "none"] | Unknown | None = None
    financial_entity: bool | Unknown | None = None
    public_authority: bool | Unknown | None = None

    REQUIRED = ("title",)
    HEADER_FIELDS = ("role",)


class Service(Element):
    description: MaybeText = None
    includes: list[TextItem] = Field(default_factory=list)
    volume: Quantity | Unknown | None = None
    hours: list[ServiceHours] = Field(default_factory=list)
    calendar: Word | Unknown | None = None
    timezone: MaybeText = None
    method: MaybeText = None
    channels: list[Word] = Field(default_factory=list)
    acknowledgement: MaybeDuration = None
    prioritisation: MaybeText = None
    tools: list[TextItem] = Field(default_factory=list)
    performed_by: Ref | Unknown | None = None


class Exclusion(Element):
    pass


class Deliverable(Element):
    format: Word | Unknown | None = None
    owner: Ref | Unknown | None = None
    recipient: Ref | Unknown | None = None
    due: Schedule | None = None
    deadline: MaybeDuration = None
    after: list[Ref] = Field(default_factory=list)
    acceptance: MaybeDuration = None
    acceptance_criteria: MaybeText = None
    description: MaybeText = None


class Milestone(Element):
    date: MaybeDate = None
    after: list[Ref] = Field(default_factory=list)
    owner: Ref | Unknown | None = None
    description: MaybeText = None
    long_stop: MaybeDate = None


class Severity(Element):
    response: MaybeDuration = None
    resolution: MaybeDuration = None
    description: MaybeText = None


class ServiceLevel(Element):
    metric: MaybeText = None
    target: Annotated[Union[Percentage, Duration, Unknown], Field(discriminator="kind")] | None = None
    comparator: Literal["at_least", "at_most"] | Unknown | None = None
    window: Window | Unknown | None = None
    hours: list[ServiceHours] = Field(default_factory=list)
    calendar: Word | Unknown | None = None
    timezone: MaybeText = None
    measured_by: MaybeText = None
    applies_to: list[Ref] = Field(default_factory=list)
    breach: Trigger | Unknown | None = None
    exclusions: list[Word] = Field(default_factory=list)
    maintenance: Allowance | Unknown | None = None
    depends_on: MaybeText = None
    credit: Annotated[Union[RelativeAmount, Money, Percentage, Unknown], Field(discriminator="kind")] | None = None
    report: Ref | Unknown | None = None
    severities: list[Severity] = Field(default_factory=list)

    BPO = {"severities": Child("severity")}


class CreditRegime(Element):
    applies_to: list[Ref] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    monthly_cap: Annotated[Union[RelativeAmount, Money, Unknown], Field(discriminator="kind")] | None = None
    annual_cap: Annotated[Union[RelativeAmount, Money, Unknown], Field(discriminator="kind")] | None = None
    earn_back: MaybeDuration = None
    earn_back_condition: MaybeText = None
    nature: Literal["price_adjustment", "liquidated_damages"] | Unknown | None = None
    exclusive_remedy: bool | Unknown | None = None
    chronic_failure: MaybeText = None
    payer: Ref | Unknown | None = None
    beneficiary: Ref | Unknown | None = None

    BPO = {"steps": Child("step", form="entry", id=False, title="none")}


class Fee(Element):
    value: FeeValue
    payer: Ref | Unknown | None = None


class UnitPrice(Element):
    value: Rate | Unknown


class RateCard(Element):
    value: Rate | Unknown


class Tier(Element):
    bands: list[Band] = Field(default_factory=list)
    unit: Word | Unknown | None = None

    BPO = {"bands": Child("band", form="entry", id=False, title="none")}


class Indexation(Node):
    index: MaybeText = None
    base: MaybeDate = None
    review: Recurrence | Unknown | None = None
    formula: MaybeText = None
    floor: Percentage | Unknown | None = None
    cap: Percentage | Unknown | None = None


class Pricing(Node):
    currency: Word | Unknown | None = None
    model: Literal["fixed", "unit", "fte", "tiered", "revenue_share", "cost_plus", "mixed"] | Unknown | None = None
    fees: list[Fee] = Field(default_factory=list)
    units: list[UnitPrice] = Field(default_factory=list)
    rates: list[RateCard] = Field(default_factory=list)
    tiers: list[Tier] = Field(default_factory=list)
    minimum: Annotated[Union[Money, Rate, Unknown], Field(discriminator="kind")] | None = None
    pass_through: list[TextItem] = Field(default_factory=list)
    indexation: Indexation | None = None
    billing: Billing | Unknown | None = None
    payment_terms: PaymentTerms | Unknown | None = None
    late_interest: LateInterest | Unknown | None = None
    recovery_indemnity: MaybeMoney = None
    disputed_invoices: MaybeText = None
    payer: Ref | Unknown | None = None

    BPO = {
        "fees": Child("fee", form="entry", title="optional"),
        "units": Child("unit", form="entry"),
        "rates": Child("rate", form="entry"),
        "tiers": Child("tier"),
        "indexation": Single("indexation"),
    }


class Penalty(Element):
    applies_to: Ref | Unknown | None = None
    trigger: Trigger | Unknown | None = None
    amount: PenaltyAmount | Unknown | None = None
    cap: Annotated[Union[RelativeAmount, Money, Unknown], Field(discriminator="kind")] | None = None
    uncapped: bool | Unknown | None = None
    nature: Literal["clause_penale", "liquidated_damages", "price_adjustment"] | Unknown | None = None
    exclusive_remedy: bool | Unknown | None = None
    formal_notice: Literal["required", "not_required"] | Unknown | None = None
    judicial_moderation_excluded: bool | Unknown | None = None
    payer: Ref | Unknown | None = None
    beneficiary: Ref | Unknown | None = None


class Committee(Element):
    cadence: Recurrence | Unknown | None = None
    members: list[TextItem] = Field(default_factory=list)
    chair: Ref | Unknown | None = None
    minutes_by: Ref | Unknown | None = None
    purpose: MaybeText = None


class Report(Element):
    content: list[TextItem] = Field(default_factory=list)
    due: Schedule | None = None
    deadline: MaybeDuration = None
    author: Ref | Unknown | None = None
    recipients: list[Ref] = Field(default_factory=list)
    format: Word | Unknown | None = None


class EscalationLevel(Element):
    within: MaybeDuration = None
    members: list[TextItem] = Field(default_factory=list)


class Governance(Node):
    committees: list[Committee] = Field(default_factory=list)
    reports: list[Report] = Field(default_factory=list)
    escalation: list[EscalationLevel] = Field(default_factory=list)
    representatives: list[TextItem] = Field(default_factory=list)
    key_personnel: list[TextItem] = Field(default_factory=list)
    dashboard: MaybeText = None

    BPO = {
        "committees": Child("committee"),
        "reports": Child("report"),
        "escalation": Child("level", form="entry", title="required", value_field="within"),
    }


class ChangeControl(Node):
    request: MaybeText = None
    impact_analysis: MaybeDuration = None
    approval: Ref | MaybeText = None
    pricing: Literal["rate_card", "quote", "fixed"] | Unknown | None = None
    amendment: Literal["written", "email"] | Unknown | None = None
    description: MaybeText = None


class DataAsset(Element):
    personal: bool | Unknown | None = None
    categories: list[Word] = Field(default_factory=list)
    special_categories: list[Word] = Field(default_factory=list)
    subjects: list[Word] = Field(default_factory=list)
    purpose: MaybeText = None
    nature: MaybeText = None
    retention: Retention | Unknown | None = None
    retention_basis: MaybeText = None
    location: list[Word] = Field(default_factory=list)
    transfer: Transfer | Unknown | None = None
    access: MaybeText = None
    security: list[Word] = Field(default_factory=list)
    breach_notification: MaybeDuration = None
    subprocessing: Subprocessing | Unknown | None = None
    subprocessors: list[TextItem] = Field(default_factory=list)
    audit: MaybeText = None
    instructions: MaybeText = None
    assistance: MaybeText = None
    at_end: AtEnd | Unknown | None = None
    deletion_certificate: bool | Unknown | None = None


class Confidentiality(Node):
    scope: MaybeText = None
    duration: Retention | Unknown | None = None
    personnel_bound: bool | Unknown | None = None
    return_on_end: bool | Unknown | None = None


FeesKind = Literal["paid", "payable", "paid_or_payable"]
ClaimMoment = Literal["claim", "event"]
CapRelation = Literal["overall", "within", "in_addition_to"]


class FeesCap(Phrasal):
    """`fees paid in 12 months before claim first_year 250000 USD`: a cap measured on the fees.

    `[<share> of] fees paid|payable|paid_or_payable [for <service>] [in <duration> before
    claim|event | in initial_term] [first_year <amount>]`.
    """

    share: Percentage | None = Field(default=None, description="The multiple of the fees: `200% of fees paid ...`.")
    fees: FeesKind = Field(default="paid", description="Whether the fees counted are those paid, payable, or both.")
    service: Ref | None = Field(default=None, description="Only the fees of this service (or statement of work).")
    window: Duration | Unknown | None = Field(
        default=None, description="The trailing period over which the fees are counted (`12 months`)."
    )
    before: ClaimMoment | None = Field(
        default=None, description="What the trailing period ends at: the claim, or the event giving rise to it."
    )
    initial_term: bool = Field(default=False, description="The fees counted are those of the initial term.")
    first_year: Amount | None = Field(
        default=None, description="The cap while fewer fees than the trailing period have fallen due."
    )


class CapScope(Phrasal):
    """`overall`, `within provider_cap`, `in_addition_to provider_cap`: how a cap relates to another."""

    relation: CapRelation
    of: Ref | None = None


class Liability(Element):
    party: Ref | Unknown | None = None
    cap: Union[FeesCap, Amount, None] = Field(
        default=None,
        description="The cap: an amount (`100% of annual_fees`, `500000 EUR`) or the fees paid "
        "(`fees paid in 12 months before claim first_year 250000 USD`).",
    )
    basis: Literal["per_claim", "aggregate", "per_year"] | Unknown | None = None
    heads: list[Word] = Field(
        default_factory=list,
        description="The heads of claim this cap covers (`[data_loss]`); none: every claim.",
    )
    scope: CapScope | Unknown | None = Field(
        default=None,
        description="How the cap stands to the others: `overall` (the cap of every claim), `within <cap>` "
        "(a sub-limit counted inside that cap) or `in_addition_to <cap>` (a separate cap on top of it).",
    )
    carve_outs: list[Word] = Field(default_factory=list)
    exclusions: list[Word] = Field(default_factory=list)


IndemnityNotice = Literal["promptly", "reasonable_time"]


class Indemnity(Element):
    """Who indemnifies whom, for what, and how a third-party claim is handled."""

    by: Ref | Unknown | None = Field(default=None, description="The party that indemnifies (the indemnitor).")
    beneficiary: Ref | Unknown | None = Field(default=None, description="The party indemnified (the indemnitee).")
    mutual: bool | Unknown | None = Field(
        default=None, description="Each party indemnifies the other for the same heads (a cross-indemnity)."
    )
    heads: list[Word] = Field(
        default_factory=list, description="What is indemnified: `[ip_infringement, bodily_injury]`."
    )
    description: MaybeText = Field(default=None, description="The indemnified claims in the contract's words.")
    defend: bool | Unknown | None = Field(default=None, description="Whether the indemnitor also defends the claim.")
    notice: Union[Duration, IndemnityNotice, Unknown, None] = Field(
        default=None,
        description="When the indemnitee notifies the claim: a duration, `promptly` or `reasonable_time`.",
    )
    late_notice: Literal["bars_claim", "only_if_prejudiced"] | Unknown | None = Field(
        default=None,
        description="What late notice costs the indemnitee: the whole claim, or only what it prejudices.",
    )
    defence: Literal["indemnitor", "indemnitor_option", "indemnitee"] | Unknown | None = Field(
        default=None,
        description="Who controls the defence and settlement: the indemnitor (sole control), the indemnitor "
        "if it so elects, or the indemnitee.",
    )
    settlement_consent: Literal["indemnitee", "indemnitor", "both", "none"] | Unknown | None = Field(
        default=None, description="Whose prior consent a settlement needs."
    )
    cooperation: bool | Unknown | None = Field(
        default=None, description="Whether the indemnitee gives the assistance and information the defence needs."
    )
    cooperation_costs: Literal["indemnitor", "indemnitee"] | Unknown | None = Field(
        default=None, description="Who bears the indemnitee's costs of that assistance."
    )
    own_counsel: Literal["own_cost", "indemnitor_cost"] | Unknown | None = Field(
        default=None, description="Whether the indemnitee may join with its own counsel, and at whose cost."
    )
    exclusions: list[Word] = Field(
        default_factory=list, description="Claims the indemnity does not cover: `[combination, modification]`."
    )
    remedies: list[Word] = Field(
        default_factory=list,
        description="What the indemnitor may do instead, in order: `[modify, procure_licence, refund]`.",
    )
    refund_depreciation: MaybeDuration = Field(
        default=None, description="The refund is prorated, straight-line, over this period from the effective date."
    )
    exclusive_remedy: bool | Unknown | None = Field(
        default=None, description="Whether the indemnity is the beneficiary's only remedy for these claims."
    )


WarrantyStart = Literal["effective", "delivery", "acceptance", "order", "performance", "installation"]


class Warranty(Element):
    """A warranty (or representation, or covenant): what, how long, and the remedy for a breach."""

    by: Ref | Unknown | None = Field(default=None, description="The party that gives the warranty.")
    beneficiary: Ref | Unknown | None = Field(default=None, description="The party it is given to.")
    kind: Literal["warranty", "representation", "covenant"] | Unknown | None = Field(
        default=None, description="A warranty, a representation of fact, or a covenant (a promise to act)."
    )
    description: MaybeText = Field(default=None, description="What is warranted, in the contract's words.")
    period: Duration | Unknown | Literal["term"] | None = Field(
        default=None, description="How long the warranty lasts: a duration, or `term` for the whole term."
    )
    starts: Union[WarrantyStart, DateExpr, Unknown, None] = Field(
        default=None,
        description="When the period starts: `effective`, `delivery`, `acceptance`, `order`, `performance`, "
        "`installation`, or a date.",
    )
    knowledge_qualified: bool | Unknown | None = Field(
        default=None, description="Whether the warranty is given only to the warrantor's knowledge."
    )
    remedies: list[Word] = Field(
        default_factory=list,
        description="The remedies for a breach, in order: `[repair, replace, reperform, refund, terminate]`.",
    )
    exclusive_remedy: bool | Unknown | None = Field(
        default=None, description="Whether those remedies are the only ones (and the warrantor's entire liability)."
    )
    conditions: list[TextItem] = Field(default_factory=list, description="What the beneficiary must do to claim.")


class Disclaimer(Element):
    """What a party disclaims: every warranty other than the express ones."""

    by: Ref | Unknown | None = Field(default=None, description="The party that disclaims.")
    excluded: list[Word] = Field(
        default_factory=list,
        description="The warranties disclaimed: `[merchantability, fitness_for_purpose, title, uninterrupted]`.",
    )
    implied: bool | Unknown | None = Field(
        default=None, description="Whether every other warranty, express, statutory or implied, is disclaimed."
    )
    as_is: list[TextItem] = Field(default_factory=list, description='What is supplied "as is".')


class Insurance(Element):
    holder: Ref | Unknown | None = None
    cover: MaybeText = None
    amount: Money | Unknown | Literal["statutory", "replacement_cost"] | None = Field(
        default=None,
        description="The minimum cover per claim or occurrence: money, `statutory` (the amount the law "
        "requires) or `replacement_cost`.",
    )
    amount_basis: Literal["per_claim", "per_occurrence", "not_stated"] | Unknown | None = Field(
        default=None,
        description="What `amount` is counted on: per claim (the reading when not given), per occurrence, "
        "or `not_stated` when the contract gives a cover without saying.",
    )
    aggregate: MaybeMoney = Field(default=None, description="The minimum cover in aggregate per policy year.")
    tail: MaybeDuration = Field(
        default=None, description="How long the cover is kept after the end of the Agreement (tail cover)."
    )
    insurer_rating: MaybeText = Field(default=None, description="The minimum rating of the insurer.")
    change_notice: Union[Duration, Literal["promptly"], Unknown, None] = Field(
        default=None, description="The notice given of a material change or cancellation of the cover."
    )
    evidence: MaybeText = None


class Subcontracting(Node):
    mode: Literal["prohibited", "consent", "notice_objection", "free"] | Unknown | None = None
    notice: MaybeDuration = None
    approved: list[TextItem] = Field(default_factory=list)
    flow_down: bool | Unknown | None = None
    prime_liable: bool | Unknown | None = None
    excluded: list[TextItem] = Field(default_factory=list)


class Continuity(Node):
    plan: MaybeText = None
    rto: MaybeDuration = None
    rpo: MaybeDuration = None
    test: Recurrence | Unknown | None = None
    termination_on_failure: bool | Unknown | None = None


class ConvenienceFee(Phrasal):
    """`year 1 30000 EUR`: the fee for ending in a given contract year."""

    year: int
    amount: Annotated[Union[Money, RelativeAmount, Unknown], Field(discriminator="kind")]


class ForCause(Node):
    by: Literal["client", "provider", "both"] | Unknown | None = None
    cure: MaybeDuration = None
    grounds: list[TextItem] = Field(default_factory=list)


class ForConvenience(Node):
    by: Literal["client", "provider", "both"] | Unknown | None = None
    notice: MaybeDuration = None
    fees: list[ConvenienceFee] = Field(default_factory=list)

    BPO = {"fees": Child("fee", form="entry", id=False, title="none")}


class Termination(Node):
    notice: MaybeDuration = None
    for_cause: ForCause | None = None
    for_convenience: ForConvenience | None = None
    chronic_failure: MaybeText = None

    BPO = {"for_cause": Single("for_cause"), "for_convenience": Single("for_convenience")}


class Exit(Node):
    plan: MaybeDuration = None
    plan_updates: Recurrence | Unknown | None = None
    transition: MaybeDuration = None
    service_continuity: bool | Unknown | None = None
    assistance_cost: MaybeText = None
    data_return: MaybeDuration = None
    return_format: list[Word] = Field(default_factory=list)
    deletion_certificate: bool | Unknown | None = None
    assets: list[TextItem] = Field(default_factory=list)


class Arbitration(Node):
    """Disputes decided by arbitration instead of the courts."""

    institution: MaybeText = Field(default=None, description="The administering institution.")
    rules: MaybeText = Field(default=None, description="The arbitration rules or statute.")
    seat: MaybeText = Field(default=None, description="The seat (legal place) of the arbitration.")
    arbitrators: int | Unknown | None = Field(default=None, description="The number of arbitrators.")
    appointment: MaybeText = Field(default=None, description="How the arbitrators are appointed.")
    language: Word | Unknown | None = Field(default=None, description="The language of the proceedings (`en`, `es`).")
    binding: bool | Unknown | None = Field(default=None, description="Whether the award is final and binding.")
    in_equity: bool | Unknown | None = Field(
        default=None, description="Whether the arbitrators decide in equity (ex aequo et bono) rather than at law."
    )
    award_within: MaybeDuration = Field(default=None, description="The time within which the award is given.")
    scope: MaybeText = Field(default=None, description="The disputes that go to arbitration.")
    carve_outs: list[Word] = Field(
        default_factory=list,
        description="What may still go to a court: `[injunctive_relief, nonpayment]`.",
    )
    enforcement: MaybeText = Field(default=None, description="Where the award may be confirmed or enforced.")


class Clause(Element):
    text: Text

    REQUIRED = ("title",)


class Contract(Element):
    language: Literal["fr", "en"] | None = None
    governing_law: LawCode | Unknown | None = Field(
        default=None,
        description="The governing law: an ISO 3166-1 country code (`FR`), an ISO 3166-2 subdivision "
        "(`US-NY`, `GB-SCT`), or `ENGLAND`, `SCOTLAND`, `NORTHERN_IRELAND`.",
    )
    jurisdiction: Text | Unknown | Literal["none"] | None = Field(
        default=None,
        description="The courts that have jurisdiction, or `none` when the contract chooses no court on purpose.",
    )
    dispute_resolution: MaybeText = Field(
        default=None, description="How disputes are handled before court or arbitration (escalation, mediation)."
    )
    limitation_period: MaybeDuration = Field(
        default=None, description="How long after the cause of action accrues a claim may still be brought."
    )
    limitation_exceptions: list[Word] = Field(
        default_factory=list, description="The claims the limitation period does not apply to: `[nonpayment]`."
    )
    legal_costs: Literal["each_own", "prevailing_party"] | Unknown | None = Field(
        default=None, description="Who bears the lawyers' fees of a suit: each party its own, or the loser."
    )
    effective: MaybeDate = None
    term: Duration | Unknown | Literal["indefinite"] | None = None
    renewal: Renewal | Unknown | None = None
    signed_at: MaybeText = None
    signature_date: MaybeDate = None
    parties: list[Party] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    exclusions: list[Exclusion] = Field(default_factory=list)
    deliverables: list[Deliverable] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    service_levels: list[ServiceLevel] = Field(default_factory=list)
    credit_regimes: list[CreditRegime] = Field(default_factory=list)
    pricing: Pricing | None = None
    penalties: list[Penalty] = Field(default_factory=list)
    governance: Governance | None = None
    change_control: ChangeControl | None = None
    data: list[DataAsset] = Field(default_factory=list)
    confidentiality: Confidentiality | None = None
    liability: list[Liability] = Field(default_factory=list)
    indemnities: list[Indemnity] = Field(default_factory=list)
    warranties: list[Warranty] = Field(default_factory=list)
    disclaimers: list[Disclaimer] = Field(default_factory=list)
    insurance: list[Insurance] = Field(default_factory=list)
    subcontracting: Subcontracting | None = None
    continuity: Continuity | None = None
    termination: Termination | None = None
    exit: Exit | None = None
    arbitration: Arbitration | None = None
    clauses: list[Clause] = Field(default_factory=list)

    REQUIRED = ("id", "title")
    BPO = {
        "parties": Child("party", qualifier="role", title="required"),
        "services": Child("service"),
        "exclusions": Child("exclude", form="bare", id=False, title="required"),
        "deliverables": Child("deliverable"),
        "milestones": Child("milestone"),
        "service_levels": Child("sla"),
        "credit_regimes": Child("credit_regime"),
        "pricing": Single("pricing"),
        "penalties": Child("penalty"),
        "governance": Single("governance"),
        "change_control": Single("change_control"),
        "data": Child("data"),
        "confidentiality": Single("confidentiality"),
        "liability": Child("liability"),
        "indemnities": Child("indemnity"),
        "warranties": Child("warranty"),
        "disclaimers": Child("disclaimer"),
        "insurance": Child("insurance"),
        "subcontracting": Single("subcontracting"),
        "continuity": Single("continuity"),
        "termination": Single("termination"),
        "exit": Single("exit"),
        "arbitration": Single("arbitration"),
        "clauses": Child("clause", title="required"),
    }
