"""Applicability: the facts of a contract that decide whether a rule applies."""

from __future__ import annotations

from bpolang.check.rules.context import EU, Context
from bpolang.check.rules.registry import ALWAYS, Applicability
from bpolang.model.values import Unknown

__all__ = ["ALWAYS", "FR", "EU_LAW", "PERSONAL", "PROCESSOR", "FINANCIAL", "PUBLIC", "PERSONAL_OR_FINANCIAL"]


def _processor(ctx: Context) -> bool:
    if not ctx.personal_data():
        return False
    roles = [p.gdpr_role for p in ctx.contract.parties if isinstance(p.gdpr_role, str)]
    # no role stated: a provider handling personal data for its client is presumed a processor
    return "processor" in roles or not roles


def _financial(ctx: Context) -> bool:
    return any(p.financial_entity is True for p in ctx.parties("client"))


FR = Applicability("governing law FR", lambda ctx: ctx.law == "FR")
EU_LAW = Applicability("governing law of an EU member state", lambda ctx: ctx.law in EU)
PERSONAL = Applicability("personal data processed", lambda ctx: bool(ctx.personal_data()))
PROCESSOR = Applicability("personal data processed by a processor", _processor)
FINANCIAL = Applicability("client is a financial entity", _financial)
PUBLIC = Applicability(
    "client is a public authority (governing law of an EU member state)",
    lambda ctx: ctx.law in EU and any(p.public_authority is True for p in ctx.parties("client")),
)
PERSONAL_OR_FINANCIAL = Applicability(
    "personal data processed by a processor, or client is a financial entity",
    lambda ctx: _processor(ctx) or _financial(ctx),
)


def is_financial(ctx: Context) -> bool:
    return _financial(ctx)


def is_processor(ctx: Context) -> bool:
    return _processor(ctx)


def unknown(value) -> bool:
    return isinstance(value, Unknown)
