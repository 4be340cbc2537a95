"""The contract model: every block of a .bpo file as a typed pydantic class.

The schema of the language is read from these classes: a field is a key
(`target: 98%`), a ``list[...]`` of an :class:`Element` is a repeatable child
block, and ``BPO`` class attributes say how a child is written when it is not a
plain block (its keyword, a qualifier word, a one-line form).  The builder
(:mod:`bpolang.model.build`) and the printer walk the same metadata, so what
one reads the other writes.
"""

import datetime as dt
import types
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from bpolang.base.diagnostics import Span
from bpolang.base.trusted import Trusted
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


class Node(BaseModel, Trusted):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    span: Span | None = Field(default=None, description="Where the block is written.")
    translations: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="The translations of the block's texts, written beside them "
        '(`"Rapport mensuel" / en: "Monthly report"`): the text\'s place (a field, `title`, or a list\'s item, '
        "`recitals.0`) -> language code -> the text in that language. The text itself is in the contract's "
        "`language`.",
    )

    BPO: ClassVar[dict[str, Child | Single]] = {}
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    # fields written in the block's header (`party client ...`), not as keys
    HEADER_FIELDS: ClassVar[tuple[str, ...]] = ()
    # keys written in the block whose value the language refused (already reported, BPO012):
    # the rules treat them as written, so one mistake gives one finding (not part of the model's data)
    _refused: frozenset[str] = PrivateAttr(default=frozenset())
    # texts that are names, written the same in every language (a party's legal name, an address):
    # a document in another language quotes them as they are, and needs no translation of them
    NAMES: ClassVar[tuple[str, ...]] = ()
    # where each translation's language code is written: place -> language -> span (diagnostics only)
    _translation_spans: dict[str, dict[str, Span]] | None = PrivateAttr(default=None)

    def translation(self, place: str, lang: str) -> str | None:
        """The text at `place` (`title`, `recitals.0`) in `lang`, when the contract gives it."""
        return self.__dict__["translations"].get(place, {}).get(lang)


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
PaymentStart = Literal["invoice", "end_of_month", "receipt", "acceptance", "postmark", "month_end"]
BillingFrequency = Literal["monthly", "quarterly", "yearly", "weekly", "on_delivery", "on_milestone"]
BillingTiming = Literal["in_advance", "in_arrears"]
RetentionStart = Literal["end", "collection", "last_contact", "termination", "effective", "event"]
Whichever = Literal["earlier", "later"]
AtEndAction = Literal["return_then_delete", "delete", "return", "client_choice"]
TriggerComparator = Literal["below", "above", "late", "missed", "breach"]
# inclusive (`at_least`, `at_most`) or strict (`more_than`, `less_than`): "no less than 99 %" is not "more than 99 %"
SlaComparator = Literal["at_least", "at_most", "more_than", "less_than"]
CreditBasis = Literal["per_occurrence", "per_period", "on_chronic"]
# how the credits of several steps reached in one period combine
StepCredits = Literal["highest", "cumulative"]
# what a credit regime's caps bound, and what its earn-back restores
CreditCapScope = Literal["regime", "service_level"]
EarnBackScope = Literal["period", "credit"]
StepComparator = Literal["below", "above"]
PenaltyPer = Literal["day", "business_day", "week", "month", "occurrence"]
FeeSchedule = Literal["once", "every_month", "every_quarter", "every_year", "per_unit"]
FeePaid = Literal["every_month", "every_quarter"]
WindowKind = Literal["each", "daily", "weekly", "monthly", "quarterly", "yearly", "rolling"]
SubprocessingMode = Literal["prohibited", "specific_consent", "general", "free"]
TransferMechanism = Literal["scc", "adequacy", "bcr", "idta", "uk_addendum", "derogation", "none"]
# data-protection regimes a contract or a data asset is subject to (not only the GDPR)
DataRegime = Literal[
    "gdpr",
    "uk_gdpr",
    "eu_dpd",
    "uk_dpa_1984",
    "uk_dpa_1998",
    "uk_dpa_2018",
    "lopd",
    "lopdgdd",
    "glba",
    "hipaa",
    "ccpa",
    "cpra",
    "ferpa",
    "coppa",
    "pipeda",
    "popia",
    "lgpd",
    "pdpa",
    "appi",
    "fadp",
    "other",
]
# a notice given without a fixed delay: a word, never a made-up duration
Promptly = Literal["immediately", "promptly", "as_soon_as_possible", "without_undue_delay"]
ReceiptStart = Literal["delivery", "dispatch", "confirmation"]
DocumentKind = Literal["main", "schedule", "exhibit", "annex", "appendix", "sow", "order", "policy", "other"]
ConsentStandard = Literal["not_unreasonably_withheld", "sole_discretion"]
NoticeMeans = Literal[
    "hand", "mail", "certified_mail", "registered_mail", "courier", "fax", "email", "telecommunication"
]
PriceBasis = Literal["included", "contract_rates", "current_rates", "quote", "at_cost"]


class Phrasal(BaseModel, Trusted):
    """A value written as a phrase with words (`tacit 12 months notice 3 months`)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    span: Span | None = None


class Renewal(Phrasal):
    """`tacit 12 months notice 3 months`, `express 12 months`, `none`."""

    kind: RenewalKind
    period: Duration | Unknown | None = None
    notice: Duration | Unknown | None = None


class PaymentTerms(Phrasal):
    """`45 days end of month`, `30 days from invoice`, `60 days from receipt`,
    `15 days from receipt not_before day 15` (the later of the two), `60 days from month_end` (counted from
    the end of each calendar month, for sums collected during it)."""

    days: Duration | Unknown
    start: PaymentStart = "invoice"
    expressly_agreed: bool = False
    not_before_day: int | None = None  # due on the later of the period and this day of the month


class Billing(Phrasal):
    """`monthly in arrears`, `quarterly in advance`."""

    frequency: BillingFrequency
    timing: BillingTiming | None = None


class LateInterest(Phrasal):
    """`3 times legal_rate`, `ecb_rate plus 10 points`, `12% per year`, `1.5% per month capped_at lawful_maximum`,
    `prime_rate plus 2%`, `excluded`."""

    basis: Literal["legal_rate_multiple", "ecb_plus", "fixed", "excluded", "reference_plus"]
    value: Percentage | Unknown | None = None
    multiple: int | None = None
    per: Literal["year", "month"] = "year"
    reference: str | None = None  # for `reference_plus`: the reference rate word (`prime_rate`)
    lawful_cap: bool = False  # the lesser of the rate and the highest rate the law allows


class Retention(Phrasal):
    """`10 years after end`, `5 years after collection`, `duration of contract`; two periods with
    `or ... whichever earlier|later`: `5 years after "disclosure" or 2 years after termination whichever earlier`."""

    period: Duration | Unknown | None = None
    start: RetentionStart = "end"
    event: str | None = None
    alternative: "Retention | None" = Field(
        default=None,
        description="A second period (`or 2 years after termination`): the period ends at the earlier or the later of the two.",
    )
    whichever: Whichever | None = Field(
        default=None, description="Whether the earlier or the later of the two periods applies."
    )


class AtEnd(Phrasal):
    """`return then delete within 30 days`, `delete within 30 days`, `return promptly`."""

    action: AtEndAction
    within: Duration | Unknown | Promptly | None = None


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
    """`500 EUR per day late`, `1000 EUR`, `2% of monthly_fees per week late`, `1% of contract_value per 28 days late`."""

    amount: Annotated[Union[Money, RelativeAmount, Percentage, Unknown], Field(discriminator="kind")]
    per: PenaltyPer | None = None
    every: Duration | None = Field(
        default=None,
        description="A period of delay other than one day, week or month: `per 28 days late` is the amount for "
        "each 28 days of delay.",
    )


# How many months each recurring fee schedule covers (`once` and `per_unit` recur on no calendar).
FEE_SCHEDULE_MONTHS = {"every_month": 1, "every_quarter": 3, "every_year": 12}


class FeeValue(Phrasal):
    """`15000 EUR once at first_close`, `8500 EUR every month`, `max(...) every month`."""

    amount: Amount
    schedule: FeeSchedule = "once"
    at: Ref | None = None
    # `12000 USD every year paid every month`: an annual amount paid in monthly instalments
    paid: FeePaid | None = None
    not_before: Ref | None = Field(
        default=None,
        description="A one-off fee due at an event but not before a milestone: due on the later of the two "
        "(`once at specification_acceptance not_before third_date`).",
    )


class ServiceHours(Phrasal):
    """`monday to friday 08:00 to 18:00`, `every day 00:00 to 24:00`."""

    first_day: int
    last_day: int
    opens: dt.time
    closes: dt.time
    all_day: bool = False


class Window(Phrasal):
    """`monthly`, `quarterly`, `rolling 3 months`, or `each`: every occurrence (each e-mail, each request) is
    held to the target on its own, with no period to average over."""

    kind: WindowKind
    length: Duration | None = None


class Allowance(Phrasal):
    """`4 hours per month`: a duration allowed in each period (planned maintenance)."""

    duration: Duration
    per: Literal["day", "week", "month", "quarter", "year"]


class Allocation(Phrasal):
    """`40% to availability`: the share of a credit pool allocated to one service level."""

    share: Percentage | Unknown
    sla: Ref


class EarnBack(Phrasal):
    """`100% if met for 3 months within 6 months`: how much of a credit is earned back, and on what."""

    share: Percentage | Unknown
    met_for: Duration
    within: Duration | None = None


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
    # a legal name, a registration, an address: the same in every language
    NAMES = ("title", "registration", "address", "email")
    role: Literal["client", "provider", "other"] = "client"
    legal_form: MaybeText = None
    registration: MaybeText = None
    address: MaybeText = None
    representative: MaybeText = None
    email: MaybeText = None
    country: Word | Unknown | None = Field(
        default=None,
        description="The country where the party is established: an ISO 3166-1 alpha-2 code (`FR`, `DE`, `US`). "
        "It decides, with the data's locations, whether the GDPR or the UK GDPR applies (Art. 3).",
    )
    gdpr_role: Literal["controller", "processor", "joint_controller", "none"] | Unknown | None = None
    financial_entity: bool | Unknown | None = None
    public_authority: bool | Unknown | None = None
    affiliate_of: Ref | Unknown | None = Field(
        default=None,
        description="The party this one is an affiliate of (controls, is controlled by, or shares control).",
    )
    includes_affiliates: bool | Unknown | None = Field(
        default=None,
        description="Whether the party's defined term includes its affiliates (`Customer` and its Affiliates).",
    )

    REQUIRED = ("title",)
    HEADER_FIELDS = ("role",)


class PartyGroup(Element):
    """Parties that act together under one defined term ("together, Blackwell and Munksgaard
    shall be referred to as 'the Publishers'"). Wherever a reference names a party it may name
    the group; the members share the group's role (co-clients or co-providers)."""

    members: list[Ref] = Field(
        default_factory=list,
        description="The parties that make up the group, at least two, all of the same role.",
    )
    liability: Literal["joint", "several", "joint_and_several"] | Unknown | None = Field(
        default=None,
        description="How the members are bound by the group's obligations: jointly, severally, or jointly "
        "and severally; left out when the contract does not say.",
    )

    REQUIRED = ("id", "title")


def group_roles(contract: "Contract") -> dict[str, str]:
    """The role of each party group whose members are declared parties all of one role."""
    roles = {p.id: p.role for p in contract.parties if p.id}
    out: dict[str, str] = {}
    for g in contract.party_groups:
        found = {roles.get(m.id) for m in g.members if isinstance(m, Ref)}
        if g.id and len(found) == 1 and None not in found:
            out[g.id] = found.pop()  # type: ignore[assignment]
    return out


def group_of(contract: "Contract", party_id: str) -> PartyGroup | None:
    """The first party group the party is a member of."""
    for g in contract.party_groups:
        if any(isinstance(m, Ref) and m.id == party_id for m in g.members):
            return g
    return None


def side(contract: "Contract", role: str) -> set[str]:
    """The ids that stand for one side: the parties of that role and the groups made of them."""
    ids = {p.id for p in contract.parties if p.role == role and p.id}
    return ids | {g for g, r in group_roles(contract).items() if r == role}


class Service(Element):
    NAMES = ("tools", "timezone")  # software and time zones: names

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
    recipients: list[Ref] = Field(
        default_factory=list,
        description="The parties that receive the service (the client's affiliates, for instance).",
    )


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
    restore: MaybeDuration = Field(
        default=None, description="The time to restore the service (a workaround), before the fault is resolved."
    )
    resolution: MaybeDuration = None
    comparator: Literal["at_most", "less_than"] | Unknown | None = Field(
        default=None,
        description="Whether the times are limits reached inclusively (`at_most`, within 1 hour) or strictly "
        "(`less_than`, in under 1 hour). Not given: `at_most`.",
    )
    hours: list[ServiceHours] = Field(
        default_factory=list, description="The hours during which the times run (support desk hours)."
    )
    description: MaybeText = None


class ServiceLevel(Element):
    NAMES = ("timezone",)

    metric: MaybeText = None
    target: Annotated[Union[Percentage, Duration, Unknown], Field(discriminator="kind")] | None = None
    comparator: SlaComparator | Unknown | None = Field(
        default=None,
        description="How the measure compares with the target: inclusively (`at_least`, `at_most`) or "
        "strictly (`more_than`, `less_than`).",
    )
    deadline: dt.time | Unknown | None = Field(
        default=None,
        description="A time of day by which the work is done on each day of the `calendar` "
        "(`07:00`: by 7:00 each processing day); not a daily 100 % target.",
    )
    input_cutoff: dt.time | Unknown | None = Field(
        default=None,
        description="The time of day by which the Client's inputs must arrive for the level to apply that day.",
    )
    allowed_misses: int | Unknown | None = Field(
        default=None, description="How many misses in each window do not count against the level (`2`: all but two)."
    )
    window: Window | Unknown | None = None
    hours: list[ServiceHours] = Field(default_factory=list)
    calendar: Word | Unknown | None = None
    timezone: MaybeText = None
    measured_by: MaybeText = None
    applies_to: list[Ref] = Field(default_factory=list)
    breach: Trigger | Unknown | None = None
    exclusions: list[Word] = Field(default_factory=list)
    maintenance: Allowance | Unknown | None = None
    maintenance_windows: list[ServiceHours] = Field(
        default_factory=list,
        description="Scheduled maintenance windows (days and times) excluded from the measurement: "
        "`every day 02:00 to 06:00`.",
    )
    depends_on: MaybeText = None
    credit: Annotated[Union[RelativeAmount, Money, Percentage, Unknown], Field(discriminator="kind")] | None = None
    report: Ref | Unknown | None = None
    severities: list[Severity] = Field(default_factory=list)

    BPO = {"severities": Child("severity")}


class ChronicTermination(Node):
    """A right to terminate when a service level fails chronically."""

    by: Ref | Unknown | None = Field(default=None, description="The party that may terminate.")
    trigger: Trigger | Unknown | None = Field(
        default=None,
        description="The chronic failure: `missed 3 times in any 6 months`, `below 95% 2 times in any 3 months`.",
    )
    notice: MaybeDuration = Field(default=None, description="The notice the terminating party gives.")
    exercise_within: MaybeDuration = Field(
        default=None, description="How long after the chronic failure the right may be exercised."
    )
    scope: Literal["whole", "affected_services"] | Unknown | None = Field(
        default=None, description="Whether the whole contract or only the affected services may be terminated."
    )


class CreditRegime(Element):
    applies_to: list[Ref] = Field(default_factory=list)
    credit_basis: CreditBasis | Unknown | None = Field(
        default=None,
        description="When a credit is due: for each miss (`per_occurrence`), once for each measurement period "
        "missed (`per_period`), or only on a chronic failure (`on_chronic`, see `chronic`).",
    )
    chronic: Trigger | Unknown | None = Field(
        default=None,
        description="The chronic failure that triggers credits or rights: `missed 3 times in any 6 months`.",
    )
    steps: list[Step] = Field(default_factory=list)
    step_credits: StepCredits | Unknown | None = Field(
        default=None,
        description="When a result reaches more than one step: only the credit of the highest step reached is "
        "due (`highest`), or the credits of all the steps reached add up (`cumulative`).",
    )
    pool: Annotated[Union[RelativeAmount, Money, Unknown], Field(discriminator="kind")] | None = Field(
        default=None, description="The amount at risk shared among the service levels: `12% of monthly_fees`."
    )
    allocations: list[Allocation] = Field(
        default_factory=list, description="The share of the pool allocated to each service level."
    )
    monthly_cap: Annotated[Union[RelativeAmount, Money, Unknown], Field(discriminator="kind")] | None = None
    annual_cap: Annotated[Union[RelativeAmount, Money, Unknown], Field(discriminator="kind")] | None = None
    cap_scope: CreditCapScope | Unknown | None = Field(
        default=None,
        description="What the monthly and annual caps bound: the credits of all the regime's service levels "
        "together (`regime`), or the credits of each service level on its own (`service_level`).",
    )
    earn_back: MaybeDuration = None
    earn_back_condition: MaybeText = None
    earn_back_rule: EarnBack | Unknown | None = Field(
        default=None,
        description="The earn-back as typed terms: the share earned back, and the consecutive period the level "
        "must then be met (within a limit): `100% if met for 3 months within 6 months`.",
    )
    earn_back_scope: EarnBackScope | Unknown | None = Field(
        default=None,
        description="What earn-back restores: all the credits of a period under the regime, once every service "
        "level credited that period meets the terms (`period`), or the credit of each service level, once that "
        "level meets them (`credit`).",
    )
    nature: Literal["price_adjustment", "liquidated_damages"] | Unknown | None = None
    exclusive_remedy: bool | Unknown | None = None
    chronic_failure: MaybeText = None
    payer: Ref | Unknown | None = None
    beneficiary: Ref | Unknown | None = None
    termination_right: ChronicTermination | None = None

    BPO = {
        "steps": Child("step", form="entry", id=False, title="none"),
        "allocations": Child("allocate", form="entry", id=False, title="none"),
        "termination_right": Single("termination_right"),
    }


class Fee(Element):
    value: FeeValue | Unknown
    set_by: Ref | Unknown | None = Field(
        default=None,
        description="The party that fixes the amount itself, within the bounds the `value` writes "
        '("determined by HealthGate, not to exceed..."; a price "to be fixed by the seller", UCC §2-305(2)): '
        "a `tbd` in the value is then not a term left to agree.",
    )
    payer: Literal["third_parties"] | Ref | Unknown | None = Field(
        default=None,
        description="The party that pays this fee, when not the pricing's payer; `third_parties`: someone who is "
        "not a party pays it (the fee's `description` says who).",
    )
    description: MaybeText = Field(
        default=None, description="What the fee is and who pays it, in the contract's words."
    )


class BillingRule(Element):
    """How some fees (or amounts collected for the other party) are billed and paid, when not by the pricing's
    own `billing` and `payment_terms`."""

    fees: list[Ref] = Field(
        default_factory=list, description="The fees, or the measures of amounts collected, the rule applies to."
    )
    billing: Billing | Unknown | None = Field(default=None, description="How often they are billed: `monthly`.")
    billed_on: list[DateExpr] = Field(
        default_factory=list, description="The dates they are billed on, when the contract lists them."
    )
    payment_terms: PaymentTerms | Unknown | None = Field(
        default=None, description="When they are paid: `1 month end of month`, `60 days from month_end`."
    )
    payment_method: Literal["direct_debit", "transfer", "cheque", "card"] | Unknown | None = Field(
        default=None, description="How they are paid: `cheque`..."
    )
    payer: Ref | Unknown | None = Field(default=None, description="The party that pays, when not the pricing's payer.")
    conflicts_with: Ref | Unknown | None = Field(
        default=None,
        description="Another billing rule the contract sets for the same fees, which this one contradicts; "
        "the contract does not say which prevails.",
    )
    description: MaybeText = Field(default=None, description="The rule in the contract's words.")


class UnitPrice(Element):
    value: Rate | Unknown


class RateCard(Element):
    value: Rate | Unknown


TierMode = Literal["marginal", "whole_volume"]
TierReset = Literal["month", "quarter", "year", "term"]


class Tier(Element):
    bands: list[Band] = Field(default_factory=list)
    unit: Word | Unknown | None = None
    mode: TierMode | Unknown | None = Field(
        default=None,
        description="`marginal`: each band's units at that band's price (the default reading); "
        "`whole_volume`: every unit of the period at the price of the band the total volume falls in.",
    )
    reset: TierReset | Unknown | None = Field(
        default=None,
        description="When the volume counted against the bands starts again from zero: each `month`, "
        "`quarter`, `year`, or never within the `term`.",
    )

    BPO = {"bands": Child("band", form="entry", id=False, title="none")}


class Indexation(Node):
    index: MaybeText = None
    method: Literal["ratio", "published_change"] | Unknown | None = Field(
        default=None,
        description="How the index moves the price: `ratio` (the new index value over the value at the `base` "
        "date, the default reading) or `published_change` (the rate of change the index publisher publishes for "
        "the period, applied to the previous price: no base value is needed).",
    )
    base: MaybeDate = None
    review: Recurrence | Unknown | None = None
    formula: MaybeText = None
    floor: Percentage | Unknown | None = None
    cap: Percentage | Unknown | None = Field(
        default=None,
        description="The largest change at each review: with an index, the lesser of this percentage and the "
        "index change.",
    )
    applies_to: list[Ref] = Field(
        default_factory=list,
        description="The prices the indexation (and its cap) applies to, e.g. only the rate card: "
        "`[senior, junior]`. Empty: all prices.",
    )


class Measure(Element):
    """A named amount the prices refer to: a formula over fees and built-in bases, or a base defined in words."""

    formula: MaybeAmount = Field(
        default=None,
        description="How the amount is computed: `remaining_months * max(base_fee, average_fees)`.",
    )
    description: MaybeText = Field(default=None, description="What the amount is, in the contract's words.")


class Disputes(Node):
    """What the payer may do with an invoiced amount it disputes."""

    withhold: bool | Unknown | None = Field(
        default=None, description="Whether the payer may withhold the disputed amount and pay the rest."
    )
    statement_by: Literal["due_date"] | MaybeDuration = Field(
        default=None,
        description="When the written statement of the dispute is due: `due_date` (on or before the "
        "invoice's due date) or a duration after the invoice.",
    )
    escrow_after: MaybeDuration = Field(
        default=None,
        description="If the dispute is not settled this long after the due date, the disputed amount is paid "
        "into an escrow account.",
    )
    conditions: list[TextItem] = Field(default_factory=list, description="The conditions of a dispute in good faith.")


class Pricing(Node):
    currency: Word | Unknown | None = None
    model: (
        Literal["fixed", "unit", "fte", "tiered", "revenue_share", "cost_plus", "time_and_materials", "mixed"]
        | Unknown
        | None
    ) = Field(
        default=None,
        description="The pricing model: `fixed`, `unit`, `fte`, `tiered`, `revenue_share`, `cost_plus`, "
        "`time_and_materials` (time spent at the rates, plus materials and expenses) or `mixed`.",
    )
    fees: list[Fee] = Field(default_factory=list)
    units: list[UnitPrice] = Field(default_factory=list)
    rates: list[RateCard] = Field(default_factory=list)
    tiers: list[Tier] = Field(default_factory=list)
    minimum: Annotated[Union[Money, Rate, Unknown], Field(discriminator="kind")] | None = None
    shortfall_fee: MaybeAmount = Field(
        default=None,
        description="The fee due when the minimum commitment is not reached, e.g. `100% of shortfall` "
        "(`shortfall`: the part of the minimum not reached).",
    )
    pass_through: list[TextItem] = Field(default_factory=list)
    indexation: Indexation | None = None
    billing: Billing | Unknown | None = None
    payment_terms: PaymentTerms | Unknown | None = None
    late_interest: LateInterest | Unknown | None = None
    recovery_indemnity: MaybeMoney = None
    disputed_invoices: MaybeText = None
    payer: Ref | Unknown | None = None
    tax: Literal["exclusive", "inclusive"] | Unknown | None = Field(
        default=None,
        description="Whether the prices include taxes (`inclusive`) or taxes are added (`exclusive`).",
    )
    tax_payer: Ref | Unknown | None = Field(default=None, description="The party that bears the taxes.")
    payment_method: Literal["direct_debit", "transfer", "cheque", "card"] | Unknown | None = Field(
        default=None, description="How payments are made: `direct_debit`, `transfer`, `cheque` or `card`."
    )
    direct_debit: list[Ref] = Field(
        default_factory=list,
        description="The fees the payee collects by direct debit from the payer's account, when only some are.",
    )
    due: Schedule | None = Field(
        default=None,
        description="When recurring fees fall due, when it is a calendar day rather than a period after the "
        "invoice: `every month on day 1`.",
    )
    prorated: bool | Unknown | None = Field(
        default=None, description="Whether a recurring fee is prorated for a partial period."
    )
    set_off: Literal["allowed", "excluded"] | Unknown | None = Field(
        default=None, description="Whether amounts due may be set off against amounts owed the other way."
    )
    set_off_by: Ref | Unknown | None = Field(default=None, description="The party that may set off.")
    set_off_scope: MaybeText = Field(
        default=None, description="What may be set off, or against what, when not every amount."
    )
    collection_costs_by: Ref | Unknown | None = Field(
        default=None, description="The party that bears the costs of collecting unpaid amounts."
    )
    default_pricing: PriceBasis | Unknown | None = Field(
        default=None,
        description="How charges are computed after an event of default by the payer, until it is cured: "
        "`current_rates` (the payee's then-current standard prices), `contract_rates`...",
    )
    default_in_advance: bool | Unknown | None = Field(
        default=None, description="`yes`: after an event of default by the payer, charges are paid in advance."
    )
    measures: list[Measure] = Field(default_factory=list)
    disputes: Disputes | None = None
    rate_change_notice: MaybeDuration = Field(
        default=None,
        description="The prior notice after which the payee may change its rates on its own: `30 days`.",
    )
    billing_rules: list[BillingRule] = Field(
        default_factory=list, description="Billing and payment rules of some fees, beside the pricing's own."
    )

    BPO = {
        "measures": Child("measure"),
        "billing_rules": Child("billing_rule"),
        "disputes": Single("disputes"),
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
    remedy: MaybeDuration = Field(
        default=None,
        description="The time the payer has, after the notice of the failure, to remedy it before the penalty "
        "is due: `28 calendar days`.",
    )
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


class KeyPerson(Element):
    """A key role: `key_person delivery_lead "Delivery lead" { party: ...; replacement: consent }`."""

    NAMES = ("name",)

    party: Ref | Unknown | None = Field(default=None, description="The party that provides the person.")
    name: MaybeText = Field(default=None, description="The person's name, when the contract names one.")
    role: MaybeText = Field(default=None, description="The role the person holds.")
    replacement: Literal["consent", "notice", "free"] | Unknown | None = Field(
        default=None,
        description="What replacing the person needs: the other party's `consent`, a `notice`, or nothing.",
    )
    consent_standard: ConsentStandard | Unknown | None = Field(
        default=None, description="How the consent may be refused (`not_unreasonably_withheld`, `sole_discretion`)."
    )
    notice: MaybeDuration = Field(default=None, description="How long before a replacement the other party is told.")
    replace_within: MaybeDuration = Field(default=None, description="How soon a person who leaves is replaced.")
    replacement_terms: MaybeText = Field(
        default=None, description="Other replacement rules (comparable qualifications, hand-over)."
    )


class Governance(Node):
    committees: list[Committee] = Field(default_factory=list)
    reports: list[Report] = Field(default_factory=list)
    escalation: list[EscalationLevel] = Field(default_factory=list)
    representatives: list[TextItem] = Field(default_factory=list)
    key_personnel: list[TextItem] = Field(default_factory=list)
    dashboard: MaybeText = None
    key_persons: list[KeyPerson] = Field(
        default_factory=list, description="Named key roles and the rules for replacing them."
    )

    BPO = {
        "key_persons": Child("key_person"),
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


class CopyRight(Element):
    """A party's right to keep copies of data it hands back: who, what, how long, at whose cost."""

    holder: Ref | Unknown | None = Field(default=None, description="The party allowed to keep copies.")
    what: MaybeText = Field(default=None, description="What may be copied and kept.")
    period: Duration | Unknown | Literal["indefinite"] | None = Field(
        default=None, description="How long the copies may be kept (`indefinite` when the contract sets no limit)."
    )
    cost: Ref | Unknown | None = Field(default=None, description="The party at whose cost the copies are made.")
    purpose: MaybeText = Field(default=None, description="What the copies may be used for.")


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
    breach_notification: Duration | Unknown | Promptly | None = Field(
        default=None,
        description="How soon a breach is notified: a duration (`24 hours`) or, when the contract sets no "
        "delay, its word (`promptly`, `as_soon_as_possible`, `immediately`, `without_undue_delay`).",
    )
    subprocessing: Subprocessing | Unknown | None = None
    subprocessors: list[TextItem] = Field(default_factory=list)
    audit: MaybeText = None
    instructions: MaybeText = None
    assistance: MaybeText = None
    at_end: AtEnd | Unknown | None = None
    deletion_certificate: bool | Unknown | None = None
    regimes: list[DataRegime] = Field(
        default_factory=list,
        description="The data-protection laws the data is subject to (`[glba]`, `[hipaa, ccpa]`, `[uk_gdpr]`); "
        "when none is given, the rules apply the GDPR's own territorial test (Art. 3).",
    )
    minimum_retention: Retention | Unknown | None = Field(
        default=None,
        description="How long the data must at least be kept (a regulatory or contractual minimum), "
        "as distinct from `retention`, the longest it may be kept.",
    )
    held_by: Ref | Unknown | None = Field(
        default=None,
        description="The party that holds the data; a client that keeps its own data hands nothing over.",
    )
    handed_over: bool | Unknown | None = Field(
        default=None, description="Whether the data is handed over to the provider (`no`: the client keeps it)."
    )
    return_cost: Ref | Unknown | None = Field(
        default=None, description="The party that bears the cost of returning or transferring the data."
    )
    copies: list[CopyRight] = Field(
        default_factory=list,
        description="A party's right to keep copies of the data (who, what, how long, at whose cost).",
    )

    BPO = {"copies": Child("copies")}


class Confidentiality(Node):
    scope: MaybeText = None
    duration: Retention | Unknown | Literal["indefinite"] | None = Field(
        default=None,
        description="How long the duty lasts after the end: `5 years after end`, or `indefinite` (binding "
        "during and after the Agreement without limit of time).",
    )
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
    service: Ref | None = Field(
        default=None, description="Only the fees of this service, or of this document (the statements of work)."
    )
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
    basis: Literal["per_claim", "aggregate", "per_year", "per_document"] | Unknown | None = Field(
        default=None,
        description="How the cap applies: `per_claim`, in `aggregate` over the term, `per_year`, or `per_document`: "
        "separately for each document the cap is measured on (each statement of work, on its own fees).",
    )
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


class SubcontractingException(Element):
    """Subcontracting that follows its own rule: `exception projects "Projects" { mode: free ... }`."""

    scope: MaybeText = Field(default=None, description="What may be subcontracted under this exception.")
    applies_to: list[Ref] = Field(default_factory=list, description="The services the exception covers.")
    mode: Literal["prohibited", "consent", "notice_objection", "notice", "free"] | Unknown | None = Field(
        default=None, description="The rule for this exception (`free`, `notice`: notice only, no consent)."
    )
    notice: Duration | Unknown | Literal["before_start"] | None = Field(
        default=None, description="How long before the subcontractor starts the client is told (`before_start`)."
    )
    to: list[Ref] = Field(default_factory=list, description="Who may be subcontracted to (parties, e.g. affiliates).")


class Subcontracting(Node):
    mode: Literal["prohibited", "consent", "notice_objection", "free"] | Unknown | None = None
    notice: MaybeDuration = None
    approved: list[TextItem] = Field(default_factory=list)
    flow_down: bool | Unknown | None = None
    prime_liable: bool | Unknown | None = None
    excluded: list[TextItem] = Field(default_factory=list)
    exceptions: list[SubcontractingException] = Field(
        default_factory=list, description="Subcontracting that follows another rule than `mode` (no consent needed)."
    )

    BPO = {"exceptions": Child("exception")}


class Continuity(Node):
    plan: MaybeText = None
    rto: MaybeDuration = None
    rpo: MaybeDuration = None
    test: Recurrence | Unknown | None = None
    termination_on_failure: bool | Unknown | None = None


FMEffect = Literal["excused", "suspended"]
FMNotice = Literal["immediately", "promptly", "without_undue_delay"]
FMImpediment = Literal["delay_or_failure", "delayed_or_prevented", "prevented", "impossible"]


class ForceMajeure(Node):
    """Force majeure: who is excused, by which events, with which notice, and what follows."""

    by: Literal["both", "client", "provider"] | Unknown | None = Field(
        default=None,
        description="The party whose performance an event excuses (`both`: either party). "
        "Not given: the article names no party.",
    )
    events: list[Word] = Field(
        default_factory=list,
        description="The events the contract lists, as code words (`strike`, `act_of_god`, `war`, `fire`, "
        "`flood`, `government_action`, `supplier_failure`...). Not given: no event is listed.",
    )
    other_causes: Literal["beyond_control", "beyond_reasonable_control", "none"] | Unknown | None = Field(
        default=None,
        description="Whether any other cause counts: one beyond the party's control (`beyond_control`), beyond "
        "its reasonable control (`beyond_reasonable_control`), or only the listed events (`none`). "
        "Not given: the article says nothing of other causes.",
    )
    unavoidable: bool | Unknown | None = Field(
        default=None,
        description="Whether an event counts only if the party could not prevent it by reasonable diligence. "
        "Not given: not stated.",
    )
    effect: FMEffect | Unknown | None = Field(
        default=None,
        description="What the event does: the party is not liable (`excused`), or "
        "its affected obligations are suspended while the event lasts (`suspended`). "
        "Not given: the article states no effect.",
    )
    impediment: FMImpediment | Unknown | None = Field(
        default=None,
        description="What the event must do to the party's performance for force majeure to apply: cause a delay "
        "or failure to perform (`delay_or_failure`), delay or prevent it (`delayed_or_prevented`), prevent it "
        "(`prevented`, as art. 1218 Code civil: « empêche l'exécution »), or render it impossible (`impossible`). "
        "Not given: the article states no standard.",
    )
    notice: Duration | Unknown | FMNotice | None = Field(
        default=None,
        description="When the affected party notifies the other of the event: a duration, or `immediately`, "
        "`promptly`, `without_undue_delay`. Not given: no notice is stated.",
    )
    terminate_after: MaybeDuration = Field(
        default=None,
        description="How long the event must last before the Agreement may be terminated (`30 days`). "
        "Not given: no right to terminate is stated.",
    )
    terminate_by: Literal["both", "client", "provider"] | Unknown | None = Field(
        default=None,
        description="Who may then terminate (`both`: either party). Not given: the article names no party.",
    )
    not_excused: list[Literal["payment", "confidentiality", "data_protection"]] = Field(
        default_factory=list,
        description="The obligations an event never excuses (`payment`: the payment of sums due). "
        "Not given: none is stated.",
    )
    continuity: bool | Unknown | None = Field(
        default=None,
        description="Whether the business continuity and disaster recovery obligations still apply during the "
        "event. Not given: the article says nothing of them.",
    )


class EntireAgreement(Node):
    """The general provisions on the agreement itself: entire agreement, amendments, severability, waiver."""

    whole: bool | Unknown | None = Field(
        default=None,
        description="Whether the Agreement (with its documents) is the entire agreement of the parties on its "
        "subject matter. Not given: not stated.",
    )
    supersedes: bool | Unknown | None = Field(
        default=None,
        description="Whether it supersedes all prior agreements, proposals and representations, written or "
        "oral. Not given: not stated.",
    )
    no_reliance: bool | Unknown | None = Field(
        default=None,
        description="Whether each party confirms it has not relied on a representation not recorded in the "
        "Agreement. Not given: not stated.",
    )
    amendments: Literal["written", "written_signed"] | Unknown | None = Field(
        default=None,
        description="How the Agreement may be amended: only in writing (`written`), or only in writing signed "
        "by each party (`written_signed`). Not given: no form is stated.",
    )
    severability: bool | Unknown | None = Field(
        default=None,
        description="Whether a provision held invalid leaves the rest of the Agreement in force. "
        "Not given: not stated.",
    )
    no_waiver: bool | Unknown | None = Field(
        default=None,
        description="Whether a failure or delay in exercising a right is not a waiver of it. Not given: not stated.",
    )


class ConvenienceFee(Phrasal):
    """`year 1 30000 EUR`: the fee for ending in a given contract year; `any_year <amount>`: in any year."""

    year: int | None = None  # None: whatever the contract year
    amount: Amount


InstalmentAnchor = Literal["notice", "termination"]


class Instalment(Phrasal):
    """`50% within 30 days after notice`, `50% 30 days before termination`: a share of a fee and when it is due."""

    share: Percentage
    within: Duration | Unknown
    direction: Literal["after", "before"] = "after"
    anchor: InstalmentAnchor = "notice"


GroundEvent = Literal[
    "material_breach",
    "non_payment",
    "service_level_failure",
    "insolvency",
    "change_of_control",
    "disaster",
    "regulatory",
    "other",
]


class Ground(Element):
    """One ground for termination: whose default (or which event), who may terminate, the cure, the fee."""

    event: GroundEvent | Unknown | None = Field(
        default=None,
        description="The event: `material_breach`, `non_payment`, `service_level_failure`, `insolvency`, "
        "`change_of_control`, `disaster`, `regulatory` or `other`.",
    )
    defaulting: Ref | Unknown | None = Field(default=None, description="The party whose default or event it is.")
    by: Ref | Unknown | None = Field(default=None, description="The party that may then terminate.")
    cure: MaybeDuration = Field(
        default=None, description="The time to cure after written notice; absent: no cure period."
    )
    notice: MaybeDuration = Field(default=None, description="The notice of termination on this ground.")
    fee: MaybeAmount = Field(default=None, description="The termination fee due on this ground.")
    fee_payer: Ref | Unknown | None = Field(default=None, description="The party that pays the fee.")
    no_fee: bool | Unknown | None = Field(
        default=None, description="`yes`: no termination fee or charge is due on this ground."
    )
    fee_liquidated: bool | Unknown | None = Field(
        default=None, description="`yes`: the fee is agreed as liquidated damages, not a penalty."
    )
    threshold: Percentage | Unknown | None = Field(
        default=None,
        description="For a change of control: the share of the voting rights whose holding (or more) is Control: "
        "`50%`.",
    )
    description: MaybeText = None


class ForCause(Node):
    by: Literal["client", "provider", "both"] | Unknown | None = None
    cure: MaybeDuration = None
    grounds: list[TextItem] = Field(default_factory=list)
    events: list[Ground] = Field(default_factory=list)

    BPO = {"events": Child("ground")}


class ConvenienceRight(Element):
    """One party's own right to terminate for convenience, when the parties' rights differ."""

    by: Ref | Unknown | None = Field(default=None, description="The party that may terminate.")
    notice: MaybeDuration = Field(default=None, description="Its prior written notice.")
    fee: MaybeAmount = Field(default=None, description="The fee due when it terminates.")
    fee_payer: Ref | Unknown | None = Field(
        default=None, description="The party that pays that fee (not always the one that terminates)."
    )
    description: MaybeText = None


class ForConvenience(Node):
    by: Literal["client", "provider", "both"] | Unknown | None = None
    notice: MaybeDuration = None
    takes_effect: Literal["after_notice", "contract_year_end"] | Unknown | None = Field(
        default=None,
        description="When the termination takes effect: at the end of the notice, whenever it is given "
        "(`after_notice`, the reading when not given), or only at the end of a contract year "
        "(`contract_year_end`: the notice must be given that long before an anniversary).",
    )
    fees: list[ConvenienceFee] = Field(default_factory=list)
    payer: Ref | Unknown | None = Field(default=None, description="The party that pays the termination fee.")
    instalments: list[Instalment] = Field(default_factory=list)
    also_payable: list[TextItem] = Field(
        default_factory=list, description="Costs payable on top of the fee (unamortised costs, disposal costs)."
    )
    fee_uncapped: bool | Unknown | None = Field(
        default=None, description="`yes`: the fee is outside the limitation of liability."
    )
    fee_liquidated: bool | Unknown | None = Field(
        default=None, description="`yes`: the fee is agreed as liquidated damages, not a penalty."
    )
    rights: list[ConvenienceRight] = Field(
        default_factory=list,
        description="One party's own right to terminate for convenience, with its own notice or fee; repeat for each.",
    )

    BPO = {
        "fees": Child("fee", form="entry", id=False, title="none"),
        "instalments": Child("instalment", form="entry", id=False, title="none"),
        "rights": Child("right"),
    }


class PartialTermination(Element):
    """The right of one party to end one or some services while the rest of the Agreement continues."""

    by: Ref | Unknown | None = Field(default=None, description="The party that may end the services.")
    services: list[Ref] = Field(default_factory=list, description="The services it may end; empty: any service.")
    except_services: list[Ref] = Field(default_factory=list, description="The services it may not end.")
    notice: MaybeDuration = Field(default=None, description="The prior written notice.")
    fee: MaybeAmount = Field(default=None, description="The fee for ending them.")
    price_adjustment: MaybeText = Field(default=None, description="How the remaining prices change.")
    description: MaybeText = None


class Termination(Node):
    notice: MaybeDuration = None
    for_cause: ForCause | None = None
    for_convenience: ForConvenience | None = None
    chronic_failure: MaybeText = None
    partial: list[PartialTermination] = Field(default_factory=list)
    accrued_paid_within: MaybeDuration = Field(
        default=None,
        description="The time after termination within which the fees incurred and the expenses accrued up to "
        "termination are paid.",
    )

    BPO = {
        "for_cause": Single("for_cause"),
        "for_convenience": Single("for_convenience"),
        "partial": Child("partial"),
    }


ExitPrice = PriceBasis


class Exit(Node):
    plan: MaybeDuration = None
    plan_updates: Recurrence | Unknown | None = None
    transition: MaybeDuration = None
    service_continuity: bool | Unknown | None = None
    assistance_cost: MaybeText = None
    data_return: MaybeDuration = None
    return_format: list[Word] = Field(default_factory=list)
    deletion_certificate: bool | Unknown | None = None
    deletion_evidence: Literal["certificate", "satisfactory_evidence"] | Unknown | None = Field(
        default=None,
        description="How the provider proves the client's data are erased: a `certificate`, or "
        "`satisfactory_evidence` (it must satisfy the client that all copies are erased, in no set form).",
    )
    liaison_after_end: MaybeDuration = Field(
        default=None,
        description="The provider liaises with the client from the notice of termination until at most this "
        "long after termination: `3 months`.",
    )
    assistance_default_cure: MaybeDuration = Field(
        default=None,
        description="The time the provider has, after the client's written notice, to cure a default in its exit "
        "duties: `10 business days`.",
    )
    assets: list[TextItem] = Field(default_factory=list)
    assistance_before_end: MaybeDuration = Field(
        default=None,
        description="How long before expiry exit assistance starts: `6 months` (it also starts on any termination).",
    )
    assistance_price: ExitPrice | Unknown | None = Field(
        default=None,
        description="How exit assistance is priced: `included`, `contract_rates`, `current_rates`, `quote` or "
        "`at_cost`.",
    )
    assistance_payer: Ref | Unknown | None = Field(default=None, description="The party that pays for exit assistance.")
    assistance_optional: bool | Unknown | None = Field(
        default=None, description="`yes`: the client need not take exit assistance from the provider."
    )
    estimate_first: bool | Unknown | None = Field(
        default=None, description="`yes`: the provider gives an estimate of the charges before assisting."
    )
    extension: MaybeDuration = Field(
        default=None, description="The longest time the services continue after expiry, at the client's request."
    )
    extension_request: MaybeDuration = Field(
        default=None, description="How long before expiry the client must ask for the extension."
    )
    extension_price: ExitPrice | Unknown | None = Field(
        default=None, description="How the services are priced during the extension."
    )
    deconversion_fee: MaybeAmount = Field(
        default=None, description="The fee for converting the client's data out of the provider's systems."
    )
    staff_transfer: bool | Unknown | None = Field(
        default=None, description="Whether the provider's staff transfer to the client or its new provider."
    )
    client_duties: list[TextItem] = Field(default_factory=list, description="What the client itself must do on exit.")
    return_materials: MaybeDuration = Field(
        default=None,
        description="The time within which the client returns or destroys the provider's materials (software, "
        "documentation) and certifies it in writing: `10 days`.",
    )


class BusinessCalendar(Element):
    """A calendar of business days declared in the contract (a central bank's processing days)."""

    based_on: Word | Unknown | None = Field(
        default=None, description="The country whose public holidays are closed days too (ISO code: `US`, `GB-ENG`)."
    )
    open_days: list[Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]] = Field(
        default_factory=list, description="The days of the week that are open. Not given: monday to friday."
    )
    holidays: list[DateExpr] = Field(default_factory=list, description="Further closed days, as calendar dates.")
    description: MaybeText = None


class Event(Element):
    """An event that is not on the calendar (receipt of a notice, a request): deadlines count from it."""

    description: MaybeText = None
    by: Ref | Unknown | None = Field(default=None, description="The party whose act the event is, if any.")


class RenewalOption(Element):
    """A right to renew that one party exercises."""

    by: Ref | Unknown | None = Field(default=None, description="The party that may exercise the option.")
    count: int | Unknown | None = Field(default=None, description="How many times it may be exercised.")
    period: MaybeDuration = Field(default=None, description="How long each renewal lasts.")
    until: MaybeDate = Field(default=None, description="The last day of the renewed term, when the text gives it.")
    notice: MaybeDuration = Field(default=None, description="The notice before the end of the current term.")
    notice_by: Schedule | None = Field(
        default=None,
        description="The cut-off for the notice: a date (`1999-09-30`) or a recurring one before each renewal "
        "(`every year on 09-30`).",
    )
    notice_form: Literal["written", "any"] | Unknown | None = None
    requires: list[Ref] = Field(default_factory=list, description="The options that must have been exercised first.")
    description: MaybeText = None


class ConditionPrecedent(Element):
    """A condition that must be met before the contract (or a part of it) takes effect."""

    owner: Ref | Unknown | None = Field(default=None, description="The party that must satisfy the condition.")
    by: MaybeDate = Field(default=None, description="The long-stop date by which it must be met.")
    waivable_by: Ref | Unknown | None = Field(default=None, description="The party that may waive it.")
    description: MaybeText = None


class Signature(Element):
    """One signature: for which party, by whom, when, where, witnessed by whom."""

    NAMES = ("signatory", "place", "witness")  # persons and places: names

    party: Ref | Unknown | None = None
    signatory: MaybeText = None
    capacity: MaybeText = None
    date: MaybeDate = None
    place: MaybeText = None
    witness: MaybeText = None


# ------------------------------------------------------------------ structure of the agreement
class Document(Element):
    """One document of the contract: the main body, a schedule, an exhibit, a statement of work."""

    kind: DocumentKind | Unknown | None = Field(
        default=None,
        description="`main`, `schedule`, `exhibit`, `annex`, `appendix`, `sow`, `order`, `policy`, `other`.",
    )
    label: MaybeText = Field(default=None, description='How the contract calls it ("Exhibit A", "Annex 2").')
    attached: bool | Unknown | None = Field(
        default=None, description="Whether the document is attached to the signed contract (`no`: referred to only)."
    )
    incorporated: bool | Unknown | None = Field(
        default=None, description="Whether it is incorporated by reference into the contract."
    )
    amendable_by: Ref | Unknown | None = Field(
        default=None, description="The party that may amend the document alone (initial instructions, policies)."
    )
    prevails_over: list[Ref] = Field(
        default_factory=list,
        description="The documents this one prevails over in case of conflict, when the contract ranks it "
        "above them without ordering every document (`precedence` gives a whole order).",
    )
    description: MaybeText = None


class Exclusivity(Element):
    """Who is bound to deal only with whom, for what, and the exceptions (`exclusive: no` states freedom)."""

    bound: Ref | Unknown | None = Field(default=None, description="The party whose freedom is restricted (or kept).")
    beneficiary: Ref | Unknown | None = Field(default=None, description="The party the exclusivity protects.")
    exclusive: bool | Unknown | None = Field(
        default=None, description="`yes`: exclusive; `no`: the contract expressly leaves the party free."
    )
    scope: MaybeText = Field(default=None, description="The activity or market covered.")
    period: Duration | Unknown | Literal["term"] | None = Field(
        default=None, description="How long it lasts (`term`: while the contract runs)."
    )
    conditions: list[TextItem] = Field(
        default_factory=list, description="Conditions attached to the freedom or exclusivity."
    )
    exceptions: list[TextItem] = Field(default_factory=list, description="What is carved out.")


class NonSolicitation(Element):
    """Who may not solicit or hire whose staff, for how long."""

    bound: list[Ref] = Field(default_factory=list, description="The parties bound (both parties for a mutual clause).")
    persons: MaybeText = Field(default=None, description="Whose staff is protected (employees, personnel involved).")
    act: Literal["solicit", "hire", "solicit_or_hire"] | Unknown | None = Field(
        default=None, description="What is forbidden: soliciting, hiring, or either."
    )
    during_term: bool | Unknown | None = Field(default=None, description="Whether it applies during the term.")
    after_end: MaybeDuration = Field(default=None, description="How long it lasts after the contract ends.")
    exceptions: list[TextItem] = Field(default_factory=list, description="What is allowed (general advertisements).")
    consent: bool | Unknown | None = Field(
        default=None, description="Whether the protected party may consent to a hire."
    )


class Ownership(Element):
    """Who owns what intellectual property: `ownership web_pages { owner: client; subject: "..." }`."""

    owner: Ref | Unknown | None = Field(default=None, description="The party that owns it.")
    subject: MaybeText = Field(default=None, description="What is owned.")
    includes: list[TextItem] = Field(default_factory=list, description="What the ownership extends to.")
    exclusive: bool | Unknown | None = Field(default=None, description="Whether the ownership is exclusive.")


class Licence(Element):
    """A licence one party grants another: what, for what, how long, on which terms."""

    licensor: Ref | Unknown | None = Field(default=None, description="The party that grants the licence.")
    licensee: Ref | Unknown | None = Field(default=None, description="The party that receives it.")
    subject: MaybeText = Field(default=None, description="What is licensed.")
    purpose: MaybeText = Field(default=None, description="What the licence may be used for.")
    period: Duration | Unknown | Literal["term", "perpetual"] | None = Field(
        default=None, description="How long it lasts (`term`: while the contract runs; `perpetual`)."
    )
    exclusive: bool | Unknown | None = None
    transferable: bool | Unknown | None = None
    sublicensable: bool | Unknown | None = None
    royalty_free: bool | Unknown | None = None
    territory: MaybeText = None
    approval: Literal["each_use", "none"] | Unknown | None = Field(
        default=None, description="Whether each use needs the licensor's prior approval (`each_use`)."
    )
    consent_standard: ConsentStandard | Unknown | None = Field(
        default=None, description="How the approval may be refused (`not_unreasonably_withheld`)."
    )
    conditions: list[TextItem] = Field(default_factory=list, description="Other conditions of use.")


class Survival(Element):
    """What survives the end of the contract, and for how long."""

    what: list[Word] = Field(
        default_factory=list,
        description="What survives, as code words (`indemnities`, `representations`, `confidentiality`...).",
    )
    sections: list[TextItem] = Field(
        default_factory=list, description="The sections that survive, as the contract numbers them."
    )
    period: Duration | Unknown | Literal["indefinite"] | None = Field(
        default=None, description="How long they survive (`indefinite` when the contract sets no limit)."
    )
    after: list[Word] = Field(
        default_factory=list, description="The events they survive (`termination`, `expiry`, `cancellation`...)."
    )


class Assignment(Element):
    """Whether a party may assign the contract, with whose consent, and the exceptions."""

    party: Ref | Unknown | None = Field(default=None, description="The party concerned; none given: each party.")
    consent: Literal["required", "not_required", "prohibited"] | Unknown | None = Field(
        default=None, description="Whether assigning needs the other party's consent, or is prohibited."
    )
    consent_by: Ref | Unknown | None = Field(default=None, description="The party whose consent is needed.")
    consent_standard: ConsentStandard | Unknown | None = None
    written: bool | Unknown | None = Field(default=None, description="Whether the consent must be in writing.")
    exceptions: list[TextItem] = Field(default_factory=list, description="Assignments allowed without consent.")
    successors_bound: bool | Unknown | None = Field(
        default=None, description="Whether the contract binds and benefits successors and permitted assigns."
    )


class DeemedReceipt(Phrasal):
    """`mail 3 business days after dispatch`, `hand on delivery`: when a notice is deemed received."""

    means: NoticeMeans
    delay: Duration | Unknown | None = None
    start: ReceiptStart = "delivery"


class NoticeAddress(Element):
    """Where a party receives notices."""

    NAMES = ("address", "phone", "fax", "email")

    party: Ref | Unknown | None = Field(default=None, description="The party notified at this address.")
    address: MaybeText = None
    attention: MaybeText = Field(default=None, description="The person or role notices are addressed to.")
    phone: MaybeText = None
    fax: MaybeText = None
    email: MaybeText = None
    copy_to: list[TextItem] = Field(default_factory=list, description="Who receives a copy (counsel).")


class Notices(Node):
    """How notices are given: in writing or not, by which means, where, and when they are deemed received."""

    written: bool | Unknown | None = Field(default=None, description="Whether notices must be in writing.")
    means: list[NoticeMeans] = Field(default_factory=list, description="The means a notice may be sent by.")
    addresses: list[NoticeAddress] = Field(default_factory=list)
    deemed: list[DeemedReceipt] = Field(default_factory=list, description="When a notice is deemed received.")

    BPO = {
        "addresses": Child("address"),
        "deemed": Child("deemed", form="entry", id=False, title="none"),
    }


class Audit(Element):
    """Who audits whom: what, how often, on what notice, at whose cost."""

    auditor: Ref | Unknown | None = Field(default=None, description="The party that audits or inspects.")
    audited: Ref | Unknown | None = Field(default=None, description="The party audited.")
    scope: list[TextItem] = Field(default_factory=list, description="What may be inspected.")
    frequency: Recurrence | Unknown | Literal["any_time", "on_request"] | None = Field(
        default=None, description="How often (`every year`, `any_time`, `on_request`)."
    )
    notice: MaybeDuration = Field(default=None, description="The notice the auditor gives.")
    cost: Ref | Unknown | None = Field(default=None, description="The party that bears the cost.")
    by_agents: bool | Unknown | None = Field(
        default=None, description="Whether the auditor may act through agents and representatives."
    )
    on_site: bool | Unknown | None = Field(default=None, description="Whether premises may be inspected.")
    business_hours: bool | Unknown | None = Field(default=None, description="Whether only in business hours.")


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


# the types a parameter of a library clause takes, each read by the language's value grammar
ParamType = Literal["duration", "money", "percentage", "date", "number", "text", "party"]
# an argument as written, before the library says its parameter's type (checked by the composition)
ArgValue = Union[Duration, Money, Percentage, int, Ref, DateExpr, Text, Unknown]


class Param(Element):
    """`param notice "Notice period": duration`: a parameter of a library clause, `{notice}` in its text."""

    type: ParamType = Field(
        description="What the argument is: `duration`, `money`, `percentage`, `date`, `number`, `text`, "
        "or `party` (the id of a party)."
    )


class Argument(Element):
    """`with notice: 30 days`: the value of a parameter of the library clause a contract includes."""

    value: ArgValue = Field(description="The argument: a value of the parameter's type (`30 days`, `50000 EUR`).")


class Clause(Element):
    text: Text | None = Field(
        default=None,
        description="The clause's words. In a library clause, `{name}` stands for the parameter `name`.",
    )
    library: MaybeText = Field(
        default=None,
        description="The file of the clause library this clause is taken from, relative to this one "
        '(`library: "schedules/clauses.bpo"`): the clause of the same id there, with its title and text.',
    )
    params: list[Param] = Field(default_factory=list, description="The parameters of a library clause.")
    args: list[Argument] = Field(
        default_factory=list, description="The arguments of a clause taken from a library, one per parameter."
    )

    # a clause has a title: its own, or its library's once composed (the builder checks the header)
    REQUIRED = ("title",)
    # where the library declares the clause this one is taken from (set by the composition)
    _taken: Span | None = PrivateAttr(default=None)

    @property
    def taken_from(self) -> Span | None:
        """Where the clause library declares this clause's id, once composed (None for a clause written here)."""
        return self._taken

    BPO = {
        "params": Child("param", form="entry", title="optional", value_field="type"),
        "args": Child("with", form="entry", title="none"),
    }


class Use(Element):
    """`use "schedules/dpa.bpo"`: a shared schedule included by its path, relative to this file."""

    REQUIRED = ("title",)


# the languages a contract is written and rendered in: its own (`language`), and its texts' translations
Language = Literal["fr", "en"]


class Contract(Element):
    NAMES = ("signed_at",)  # a place

    language: Language | None = None
    nature: Literal["outsourcing", "consulting", "licence"] | Unknown | None = Field(
        default=None,
        description="What the agreement is: `outsourcing` (the provider runs services for the client over time: "
        "business processes, IT, hosting, servicing; the default), `consulting` (professional services "
        "performed engagement by engagement, under statements of work) or `licence` (a software licence with "
        "the maintenance and support that go with it). Rules that organise a run service apply to `outsourcing`.",
    )
    under: MaybeText = Field(
        default=None,
        description="The master agreement this statement of work is made under: the path of its file, "
        'relative to this one (`under: "msa.bpo"`). The statement of work inherits every term it does '
        "not write.",
    )
    uses: list[Use] = Field(
        default_factory=list,
        description='Shared schedules included by path, relative to this file (`use "schedules/dpa.bpo"`).',
    )
    overridable: list[Word] = Field(
        default_factory=list,
        description="In a master agreement: the terms a statement of work under it may write anew "
        "(`[term, pricing, service_levels]`); a statement of work may add blocks, but not replace any other term.",
    )
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
    as_of: MaybeDate = Field(
        default=None, description='The date the agreement is made or dated "as of", distinct from `effective`.'
    )
    effective: MaybeDate = None
    term: Duration | Unknown | Literal["indefinite"] | None = None
    end: MaybeDate = Field(
        default=None, description='The fixed last day of the term, included ("up to and including").'
    )
    renewal: Renewal | Unknown | None = None
    calendar: Word | Unknown | None = Field(
        default=None,
        description="The business-day calendar of the contract: a country code or the id of a declared `calendar`.",
    )
    signed_at: MaybeText = None
    signature_date: MaybeDate = None
    recitals: list[TextItem] = Field(
        default_factory=list,
        description="The recitals (“WHEREAS”, « il a été préalablement exposé »): the facts and intentions "
        "the parties state before their agreement, each a text, in order.",
    )
    renewal_options: list[RenewalOption] = Field(default_factory=list)
    conditions_precedent: list[ConditionPrecedent] = Field(default_factory=list)
    calendars: list[BusinessCalendar] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    signatures: list[Signature] = Field(default_factory=list)
    parties: list[Party] = Field(default_factory=list)
    party_groups: list[PartyGroup] = Field(
        default_factory=list,
        description='Parties that act together under one defined term (`party_group publishers "the Publishers"`).',
    )
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
    force_majeure: ForceMajeure | None = None
    termination: Termination | None = None
    exit: Exit | None = None
    regimes: list[DataRegime] = Field(
        default_factory=list,
        description="The data-protection laws the contract is subject to (`[glba]`, `[uk_gdpr, lopd]`).",
    )
    documents: list[Document] = Field(default_factory=list, description="The documents that make up the contract.")
    precedence: list[Ref] = Field(
        default_factory=list,
        description="The order of precedence of the documents, the one that prevails first.",
    )
    exclusivity: list[Exclusivity] = Field(default_factory=list)
    non_solicitation: list[NonSolicitation] = Field(default_factory=list)
    ownership: list[Ownership] = Field(default_factory=list)
    licences: list[Licence] = Field(default_factory=list)
    survival: list[Survival] = Field(default_factory=list)
    assignment: list[Assignment] = Field(default_factory=list)
    notices: Notices | None = None
    entire_agreement: EntireAgreement | None = None
    audits: list[Audit] = Field(default_factory=list)
    arbitration: Arbitration | None = None
    clauses: list[Clause] = Field(default_factory=list)

    REQUIRED = ("id", "title")
    # `schedule dpa "..." { ... }`: a file of terms shared by several contracts, not a contract
    _schedule: bool = PrivateAttr(default=False)
    # the title of each file `under` or `use` names, by the path as written (set by the composition)
    _included: dict[str, str] = PrivateAttr(default_factory=dict)

    def included_title(self, path: str) -> str | None:
        """The title of the master or schedule this contract names by ``path``, once composed."""
        return self._included.get(path)

    @property
    def is_schedule(self) -> bool:
        """Whether this is a shared schedule (a file others `use`), not a whole contract."""
        return self._schedule

    BPO = {
        "uses": Child("use", form="bare", id=False, title="required"),
        "parties": Child("party", qualifier="role", title="required"),
        "party_groups": Child("party_group", title="required"),
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
        "force_majeure": Single("force_majeure"),
        "termination": Single("termination"),
        "exit": Single("exit"),
        "documents": Child("document"),
        "exclusivity": Child("exclusivity"),
        "non_solicitation": Child("non_solicitation"),
        "ownership": Child("ownership"),
        "licences": Child("licence"),
        "survival": Child("survives"),
        "assignment": Child("assignment"),
        "notices": Single("notices"),
        "entire_agreement": Single("entire_agreement"),
        "audits": Child("audit"),
        "arbitration": Single("arbitration"),
        "clauses": Child("clause"),
        "renewal_options": Child("renewal_option"),
        "conditions_precedent": Child("condition_precedent"),
        "calendars": Child("business_calendar"),
        "events": Child("event"),
        "signatures": Child("signature"),
    }


def _is_text_type(tp: object) -> bool:
    """Whether a field's type takes a text of the contract's language (`Text`, not a `Word` or a choice)."""
    if tp is str:
        return True
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        return any(_is_text_type(a) for a in get_args(tp))
    if origin is list:
        return _is_text_type(get_args(tp)[0])
    return False


def all_blocks(node: Node) -> list[Node]:
    """The block and every block inside it, at any depth (the blocks that hold `translations`)."""
    out: list[Node] = []
    stack = [node]
    while stack:
        block = stack.pop()
        out.append(block)
        for name in type(block).model_fields:
            value = block.__dict__.get(name)
            if isinstance(value, Node):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, Node))
    return out


def text_places(node: Node) -> list[tuple[str, str]]:
    """The texts of a block in the contract's language, each with its place (`title`, `description`,
    `recitals.0`: where a translation of it is kept in `translations`)."""
    out: list[tuple[str, str]] = []
    fields = type(node).model_fields
    for name, info in fields.items():
        if name == "id" or not _is_text_type(info.annotation):
            continue
        value = node.__dict__.get(name)
        if isinstance(value, str) and not _is_choice(value, info.annotation):
            out.append((name, value))
        elif isinstance(value, list):
            out.extend((f"{name}.{i}", v) for i, v in enumerate(value) if isinstance(v, str))
    for name in fields:
        value = node.__dict__.get(name)
        if isinstance(value, Phrasal):
            out.extend(phrasal_texts(value, name))
    return out


def phrasal_texts(value: Phrasal, place: str) -> list[tuple[str, str]]:
    """The texts inside a phrase form (`10 years after "clôture de l’exercice"`), each with its place
    under the key that holds the form (`retention.event`, `retention.alternative.event`)."""
    out: list[tuple[str, str]] = []
    for name, info in type(value).model_fields.items():
        v = value.__dict__.get(name)
        if isinstance(v, str) and _is_text_type(info.annotation) and not _is_choice(v, info.annotation):
            out.append((f"{place}.{name}", v))
        elif isinstance(v, Phrasal):
            out.extend(phrasal_texts(v, f"{place}.{name}"))
    return out


def _is_choice(value: str, tp: object) -> bool:
    """`none` in a field that takes a text or the word `none`: the word, not a text."""
    return f"'{value}'" in repr(tp) and "Literal" in repr(tp)
