"""Applicability: the facts of a contract that decide whether a rule applies.

The territorial tests (GDPR, UK GDPR, DORA/EBA) live in :mod:`.law`; each gate here names one
with the words `bpo rule CODE` and the rules reference print.
"""

from __future__ import annotations

from bpolang.check.rules import law
from bpolang.check.rules.context import EU, Context
from bpolang.check.rules.registry import ALWAYS, Applicability
from bpolang.model.values import Unknown

__all__ = [
    "ALWAYS",
    "FR",
    "EU_LAW",
    "PERSONAL",
    "PROCESSOR",
    "FINANCIAL",
    "PUBLIC",
    "PERSONAL_OR_FINANCIAL",
    "HELD_DATA",
    "RUN",
    "NOT_LICENCE",
]


def _processor(ctx: Context) -> bool:
    """A processor handles personal data that the GDPR or the UK GDPR reaches."""
    if not law.protected_data(ctx):
        return False
    roles = [p.gdpr_role for p in ctx.contract.parties if isinstance(p.gdpr_role, str)]
    # no role stated: a provider handling personal data for its client is presumed a processor
    return "processor" in roles or not roles


def _financial(ctx: Context) -> bool:
    return law.eu_financial_entity(ctx)


FR = Applicability("governing law FR", lambda ctx: law.country_of_law(ctx.law) == "FR")
EU_LAW = Applicability("governing law of an EU member state", lambda ctx: law.country_of_law(ctx.law) in EU)
PERSONAL = Applicability("personal data processed", lambda ctx: bool(ctx.personal_data()))
PROCESSOR = Applicability(
    "personal data processed by a processor, where the GDPR or the UK GDPR applies (Art. 3)",
    _processor,
    law=law.GDPR_TEST + " " + law.UK_GDPR_TEST,
    note=law.uk_gdpr_note,
)
FINANCIAL = Applicability(
    "client is a financial entity of the EU (DORA Art. 2, EBA/GL/2019/02)",
    _financial,
    law=law.EU_FINANCIAL_TEST,
)
PUBLIC = Applicability(
    "client is a public authority (governing law of an EU member state)",
    lambda ctx: law.country_of_law(ctx.law) in EU and any(p.public_authority is True for p in ctx.parties("client")),
)
PERSONAL_OR_FINANCIAL = Applicability(
    "personal data processed by a processor, or client is a financial entity",
    lambda ctx: _processor(ctx) or _financial(ctx),
)
HELD_DATA = Applicability(
    "every contract, on the data the provider holds (not the data the client keeps)",
    lambda ctx: True,
    law="Independent of the GDPR: retention, return or deletion at the end and access are part of "
    "every outsourcing of data (founding checklist), but only for data handed to the provider; "
    "data that the client keeps on its own systems (`held_by: client`, `handed_over: no`) is out.",
)


def is_financial(ctx: Context) -> bool:
    """The client is a financial entity of the Union: the frame in which severities rise."""
    return _financial(ctx)


def is_processor(ctx: Context) -> bool:
    return _processor(ctx)


def unknown(value) -> bool:
    return isinstance(value, Unknown)


_RUN_LAW = (
    "These terms organise a service the provider runs for the client over time (the founding "
    "checklist of an outsourcing agreement; EBA/GL/2019/02 §26 defines outsourcing as a provider "
    "performing a process, service or activity the client would otherwise perform itself). A consulting "
    "agreement (`nature: consulting`), whose work is set engagement by engagement in statements of work, "
    "and a software licence (`nature: licence`) set them per engagement or not at all."
)
RUN = Applicability(
    "an outsourcing of run services (`nature: outsourcing`, or not stated)",
    lambda ctx: ctx.contract.nature not in ("consulting", "licence"),
    law=_RUN_LAW,
)
NOT_LICENCE = Applicability(
    "an outsourcing or a consulting agreement, not a software licence (`nature: licence`)",
    lambda ctx: ctx.contract.nature != "licence",
    law="A licensor that maintains its own software performs its own duties; the terms that frame "
    "the provider's use of others to perform the client's services do not fit a licence.",
)
