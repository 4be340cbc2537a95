"""Which law reaches a contract: the facts the rules' gates are computed from, in legal terms.

Every gate that depends on territory (the GDPR, the UK GDPR, DORA and the EBA guidelines) is
decided here and nowhere else, so that the test is written once, with its articles, and the
rules only name it.  Fields that the model may not have yet are read with ``getattr(..., None)``:
a party's ``regimes`` of data protection, a data asset's ``held_by`` / ``handed_over``, the
contract's ``arbitration`` block.  Once they exist, the tests below read them with no other
change (see :func:`declared_regimes`, :func:`provider_holds`, :func:`arbitration_agreed`).
"""

from __future__ import annotations

from typing import Any

from bpolang.check.rules.context import EEA, EU, Context
from bpolang.model import contract as C
from bpolang.model.values import Ref

__all__ = [
    "GDPR_TEST",
    "UK_GDPR_TEST",
    "EU_FINANCIAL_TEST",
    "arbitration_agreed",
    "country_of_law",
    "eu_financial_entity",
    "gdpr_applies",
    "protected_data",
    "provider_holds",
    "uk_gdpr_applies",
]

# The names of the United Kingdom's legal systems written as a governing law.
UK_LAW_NAMES = frozenset({"UK", "GB", "ENGLAND", "ENGLAND_WALES", "WALES", "SCOTLAND", "NORTHERN_IRELAND"})

GDPR_TEST = (
    "The GDPR applies (Art. 3 GDPR, read with the EEA Agreement, Annex XI, as amended by "
    "Decision 154/2018) when the contract shows one of: a party established in the EU or the EEA "
    "(`country:` of a party; Art. 3(1), processing in the context of an establishment of the "
    "controller or of the processor in the Union); personal data processed in the EU or the EEA "
    "(`location:` of a data block; Art. 3(1), the processor's establishment where it processes, "
    "EDPB Guidelines 3/2018); data declared subject to the GDPR (`regimes: [gdpr]`, e.g. data "
    "subjects in the Union targeted or monitored, Art. 3(2)). The governing law is not itself a "
    "criterion of Art. 3: the law of an EU/EEA state counts only as a presumption of establishment "
    "when no party states its country. A contract that states none of these facts is presumed "
    "within the GDPR (the check cannot exclude it)."
)
UK_GDPR_TEST = (
    "The UK GDPR applies (Art. 3 UK GDPR, Data Protection Act 2018 s. 207) on the same test with "
    "the United Kingdom in place of the Union: a party established in the UK (`country: GB`), data "
    "processed in the UK (`location: [GB]`), data declared `regimes: [uk_gdpr]`, or, when no party "
    "states its country, a UK governing law (`GB`, `GB-SCT`, `ENGLAND`...) as a presumption."
)
EU_FINANCIAL_TEST = (
    "DORA (Regulation (EU) 2022/2554, Art. 2(1)) and the EBA outsourcing guidelines "
    "(EBA/GL/2019/02, §§ 1-3) bind financial entities of the Union: the client says "
    "`financial_entity: yes` and is established in an EU member state (its `country:`, or, when it "
    "states none, the governing law of a member state; with no law either, the flag alone). A "
    "financial entity established outside the Union is not in this frame, and its flag raises no "
    "other rule's severity."
)


def country_of_law(code: str | None) -> str | None:
    """The ISO 3166-1 country of a governing law or location code (`US-NY` -> `US`, `ENGLAND` -> `GB`)."""
    if not code:
        return None
    code = code.upper()
    if code in UK_LAW_NAMES:
        return "GB"
    country = code.split("-", 1)[0]
    return "GR" if country == "EL" else country


def _word(value: Any) -> str | None:
    return value.upper() if isinstance(value, str) else None


def party_countries(ctx: Context) -> set[str]:
    """The countries the parties state they are established in."""
    found = {country_of_law(_word(getattr(p, "country", None))) for p in ctx.contract.parties}
    return {c for c in found if c}


def _locations(assets: list[C.DataAsset]) -> set[str]:
    found = {country_of_law(_word(w)) for d in assets for w in d.location}
    return {c for c in found if c}


def declared_regimes(ctx: Context, asset: C.DataAsset | None = None) -> set[str] | None:
    """The data-protection regimes the contract declares for an asset (None when it declares none).

    Plugs in the `regimes` field (on a data asset, else on the contract) once the model has it.
    """
    for owner in (asset, ctx.contract):
        regimes = getattr(owner, "regimes", None) if owner is not None else None
        if regimes:
            return {str(r).lower() for r in regimes}
    return None


def _territorial(ctx: Context, home: frozenset[str]) -> bool:
    """Art. 3-style test: establishment of a party, location of processing, else the law as a presumption."""
    countries = party_countries(ctx)
    if countries & home:
        return True
    locations = _locations(ctx.personal_data())
    if locations & home:
        return True
    if countries:
        return False
    law = country_of_law(ctx.law)
    if law is not None:
        return law in home
    return not locations  # nothing stated at all: presumed within


def _under(ctx: Context, asset: C.DataAsset, regime: str, home: frozenset[str]) -> bool:
    declared = declared_regimes(ctx, asset)
    if declared is not None:
        return regime in declared
    return ctx.memo(f"law.territorial.{regime}", lambda: _territorial(ctx, home))


def gdpr_applies(ctx: Context) -> bool:
    """Personal data of the contract falls within the GDPR's territorial scope (see GDPR_TEST)."""
    return ctx.memo("law.gdpr_applies", lambda: any(_under(ctx, d, "gdpr", EEA) for d in ctx.personal_data()))


def uk_gdpr_applies(ctx: Context) -> bool:
    """Personal data of the contract falls within the UK GDPR (see UK_GDPR_TEST)."""
    return ctx.memo(
        "law.uk_gdpr_applies", lambda: any(_under(ctx, d, "uk_gdpr", frozenset({"GB"})) for d in ctx.personal_data())
    )


def protected_data(ctx: Context) -> list[C.DataAsset]:
    """The personal data the GDPR or the UK GDPR reaches: what the Art. 28 rules look at."""
    return list(
        ctx.memo(
            "law.protected_data",
            lambda: [
                d
                for d in ctx.personal_data()
                if _under(ctx, d, "gdpr", EEA) or _under(ctx, d, "uk_gdpr", frozenset({"GB"}))
            ],
        )
    )


def regime_names(ctx: Context) -> str:
    """`the GDPR`, `the UK GDPR` or both: the law a data-protection finding rests on."""
    names = [n for n, ok in (("the GDPR", gdpr_applies(ctx)), ("the UK GDPR", uk_gdpr_applies(ctx))) if ok]
    return " and ".join(names) or "the GDPR"


def uk_gdpr_note(ctx: Context) -> str | None:
    """Under the UK GDPR alone, the finding rests on the UK's text: say so (its articles are the same)."""
    if uk_gdpr_applies(ctx) and not gdpr_applies(ctx):
        return (
            "under the UK GDPR (the GDPR as retained in UK law by the European Union (Withdrawal) Act 2018, "
            "same article numbers), not the EU GDPR: the contract has no EU/EEA link (Art. 3)"
        )
    return None


def eu_financial_entity(ctx: Context) -> bool:
    """The client is a financial entity of the Union (see EU_FINANCIAL_TEST)."""
    for p in ctx.parties("client"):
        if p.financial_entity is not True:
            continue
        country = country_of_law(_word(getattr(p, "country", None)))
        if country is None:
            country = country_of_law(ctx.law)
        if country is None or country in EU:
            return True
    return False


def _party(ctx: Context, ref: Any) -> C.Party | None:
    """The party a reference names; for a group of parties of one role, its first member."""
    if not isinstance(ref, Ref):
        return None
    rid = ref.id
    group = next((g for g in ctx.contract.party_groups if g.id == rid), None)
    if group is not None:
        if rid not in C.group_roles(ctx.contract):
            return None  # members of different roles: no one side
        rid = next(m.id for m in group.members if isinstance(m, Ref))
    return next((p for p in ctx.contract.parties if p.id == rid), None)


def assigned_to_client(ctx: Context, ref: Any) -> bool:
    """The contract gives this to the client (`performed_by: acme`): no rule asks the provider for it."""
    party = _party(ctx, ref)
    return party is not None and party.role == "client"


def provider_services(ctx: Context) -> list[C.Service]:
    """The services the provider performs (not those the contract leaves to the client)."""
    return [s for s in ctx.contract.services if not assigned_to_client(ctx, s.performed_by)]


def provider_holds(ctx: Context, asset: C.DataAsset) -> bool:
    """The provider holds the data (the lifecycle rules look only at what it holds).

    Plugs in `held_by` (a party) and `handed_over: no` once the model has them: data that the
    client keeps on its own systems is not the provider's to retain, return or secure.
    """
    if getattr(asset, "handed_over", None) is False:
        return False
    holder = _party(ctx, getattr(asset, "held_by", None))
    return holder is None or holder.role != "client"


def arbitration_agreed(ctx: Context) -> bool:
    """Disputes go to arbitration instead of the courts (an `arbitration` block, or the words say so)."""
    c = ctx.contract
    if getattr(c, "arbitration", None) is not None:
        return True
    texts = [t for t in (c.dispute_resolution, c.jurisdiction) if isinstance(t, str)]
    return any("arbitra" in t.casefold() for t in texts)


# ------------------------------------------------------------------ codes of countries and laws
# Codes outside ISO 3166-1's assigned list that law and EU texts use: the United Kingdom's
# exceptionally reserved `UK`, `EL` for Greece in EU legislation, and the user-assigned `XK`
# the EU and the IMF use for Kosovo.
RESERVED = {"UK": "GB", "EL": "GR", "XK": "XK"}


def code_problem(code: str, subdivisions: bool = True) -> tuple[str, str | None] | None:
    """Why a country (or law) code is not ISO 3166, and a suggestion; None when it is valid.

    ISO 3166-1 alpha-2 for a country; with ``subdivisions``, an ISO 3166-2 code (`US-NY`,
    `GB-SCT`) or a name of one of the United Kingdom's legal systems (`ENGLAND`) as a law.
    The code lists are pycountry's (the ISO 3166 data as published by Debian's iso-codes).
    """
    import pycountry

    up = code.upper()
    if subdivisions and up in UK_LAW_NAMES:
        return None
    if "-" in up and subdivisions:
        country = up.split("-", 1)[0]
        if pycountry.subdivisions.get(code=up) is not None:
            return None
        if pycountry.countries.get(alpha_2=country) is None:
            return (f"`{code}` is not an ISO 3166-2 code: `{country}` is no country", None)
        known = sorted(s.code for s in pycountry.subdivisions.get(country_code=country) or [])
        import difflib

        close = difflib.get_close_matches(up, known, n=1, cutoff=0.6)
        return (f"`{code}` is not an ISO 3166-2 subdivision of `{country}`", close[0] if close else None)
    if len(up) == 2 and (pycountry.countries.get(alpha_2=up) is not None or up in RESERVED):
        return None
    suggestion = None
    try:
        suggestion = pycountry.countries.lookup(code).alpha_2  # a name or an alpha-3 code
    except LookupError:
        pass
    return (f"`{code}` is not an ISO 3166-1 alpha-2 country code", suggestion)
