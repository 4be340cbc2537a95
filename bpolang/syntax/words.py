"""The words the highlighters colour apart: one list for Pygments, the language server and the
TextMate grammar's tests (the language has no reserved words: these are recognised by position)."""

from __future__ import annotations

# The child keywords of the model (bpolang.model.contract), plus `contract`.
BLOCK_KEYWORDS = (
    "contract",
    "schedule",
    "use",
    "party",
    "party_group",
    "service",
    "exclude",
    "deliverable",
    "milestone",
    "sla",
    "severity",
    "credit_regime",
    "pricing",
    "fee",
    "unit",
    "rate",
    "tier",
    "band",
    "step",
    "indexation",
    "penalty",
    "governance",
    "committee",
    "report",
    "level",
    "change_control",
    "data",
    "confidentiality",
    "liability",
    "indemnity",
    "warranty",
    "disclaimer",
    "insurance",
    "subcontracting",
    "continuity",
    "termination",
    "for_cause",
    "for_convenience",
    "exit",
    "arbitration",
    "clause",
    "param",
    "with",
    "address",
    "assignment",
    "audit",
    "copies",
    "deemed",
    "document",
    "exception",
    "exclusivity",
    "key_person",
    "licence",
    "non_solicitation",
    "notices",
    "force_majeure",
    "entire_agreement",
    "ownership",
    "survives",
    "allocate",
    "termination_right",
    "renewal_option",
    "condition_precedent",
    "business_calendar",
    "event",
    "signature",
    "disputes",
    "ground",
    "instalment",
    "measure",
    "partial",
    "right",
    "billing_rule",
)
# The words that stand for a value the contract does not give: withheld from this copy
# (`redacted`), still to be agreed (`tbd`), unreadable in the source (`illegible`), set out in a
# document the copy does not include (`not_attached`), or left out by the parties themselves
# (`omitted`: "intentionally omitted"), or set for each order by the agreement that places it
# (`per_order`: a project's price agreed before the project).  bpolang.model.values.Unknown holds one.
UNKNOWN_WORDS = ("redacted", "tbd", "illegible", "not_attached", "omitted", "per_order")
# What each of them says, for hover and the reference.
UNKNOWN_MEANINGS = {
    "redacted": "withheld from this version",
    "tbd": "still to be agreed",
    "illegible": "unreadable in the source copy",
    "not_attached": "set out in a document this copy does not include",
    "omitted": "intentionally omitted by the parties",
    "per_order": "set for each order, project or statement of work, by the agreement that places it",
}
# Words with a fixed meaning wherever a value is written.
CONSTANTS = ("yes", "no", "true", "false", *UNKNOWN_WORDS, "effective", "end")
# Built-in bases for relative amounts and price expressions (bpolang.resolve.references.BUILTIN_BASES).
BUILTINS = (
    "monthly_fees",
    "annual_fees",
    "total_fees",
    "contract_value",
    "volume",
    "trailing_12_months_fees",
    "prior_year_average_monthly_fees",
    "remaining_months",
    "shortfall",
)
# Connecting words of the phrase values (`every month on day 5`, `500 EUR per day late`).
CONNECTIVES = (
    "per",
    "every",
    "on",
    "at",
    "from",
    "until",
    "to",
    "of",
    "once",
    "in",
    "any",
    "after",
    "within",
    "then",
    "below",
    "above",
    "credit",
    "times",
    "plus",
    "with",
    "notice",
)
# The qualifier written after `party`.
PARTY_ROLES = ("client", "provider", "other")
