"""The purpose of the contract and its definitions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bpolang.render.articles.regime import data_law, gdpr_term
from bpolang.render.ir import Bullets, Run, Section

if TYPE_CHECKING:
    from bpolang.render.build import Builder


def art_purpose(b: Builder) -> Section:
    c, f = b.c, b.f
    s = Section("purpose", f.msg["h_purpose"])
    if c.services:
        s.blocks.append(b.msg_with_ref("purpose_services", "scope"))
    else:
        s.blocks.append(b.p(b.t("purpose_plain")))
    if isinstance(c.nature, str):
        s.blocks.append(b.p(b.t(f"nature_{c.nature}")))
    elif c.nature is not None:
        s.blocks.append(b.field("l_nature", f.unknown(c.nature)))
    defs: list[list[Run]] = []

    def d(term: str, text: str | Run | list) -> None:
        runs = [Run(f.quote(term), bold=True), Run(f.msg["def_sep"])]
        if isinstance(text, list):
            runs += text
        else:
            runs.append(text if isinstance(text, Run) else Run(text))
        defs.append(runs)

    d(f.msg["term_agreement_bare"], b.t("def_agreement_recitals" if b.c.recitals else "def_agreement"))
    if b.client is not None:
        d(f.msg["term_client_bare"], b.t("def_party", name=f.party_name(b.client)))
    if b.provider is not None:
        d(f.msg["term_provider_bare"], b.t("def_party", name=f.party_name(b.provider)))
    if c.services:
        text = b.t("def_services", ref="\x00").split("\x00")
        d(f.msg["term_services_bare"], [Run(text[0]), Run("", xref="scope"), Run(text[1])])
    if c.effective is not None:
        d(f.msg["term_effective_bare"], b.m(c.effective, f.date_expr) + ".")
    used = used_bases(b)
    if uses_unit(b, "business_days"):
        d(f.msg["term_business_days_bare"], b.t("def_business_days"))
    if uses_unit(b, "working_days"):
        d(f.msg["term_working_days_bare"], b.t("def_working_days"))
    if c.service_levels:
        text = b.t("def_service_levels", ref="\x00").split("\x00")
        d(f.msg["term_service_levels_bare"], [Run(text[0]), Run("", xref="annex_sla"), Run(text[1])])
    for base in DEFINED_BASES:
        if base in used:
            b.note(used[base])  # the share that names the base is the definition's source
            d(f.msg["term_base_" + base], b.t("def_base_" + base))
    if c.data and b.gdpr:
        d(gdpr_term(b), b.t({"uk_gdpr": "def_uk_gdpr", "both": "def_both_gdpr"}.get(data_law(b), "def_gdpr")))
    s.blocks.append(b.p(b.t("definitions_intro")))
    s.blocks.append(Bullets(defs))
    s.blocks.append(b.p(b.t("annexes_part")))
    return s


# The built-in bases of shares the text names as defined terms (their meaning is the language's:
# docs/language/values.md#relative-amounts), defined when the contract uses them.
DEFINED_BASES = ("monthly_fees", "annual_fees", "total_fees", "volume")


def used_bases(b: Builder) -> dict[str, Any]:
    """The built-in bases the contract's amounts are shares of (`2% of monthly_fees`), each with the
    first share that names it (the source of its definition)."""
    from bpolang.model.values import RelativeAmount

    found: dict[str, Any] = {}

    def walk(node: Any) -> None:
        if isinstance(node, RelativeAmount):
            found.setdefault(node.of.id, node)
        if isinstance(node, list):
            for x in node:
                walk(x)
        elif hasattr(type(node), "model_fields"):
            for name in type(node).model_fields:
                walk(getattr(node, name))

    with b.unnoted():  # a walk over the whole contract: only the share found is stated
        walk(b.c)
    return found


def uses_unit(b: Builder, unit: str) -> bool:
    from bpolang.model.values import Duration, Recurrence

    found = False

    def walk(node: Any) -> None:
        nonlocal found
        if found:
            return
        if isinstance(node, Duration):
            found = node.unit.value == unit
        elif isinstance(node, Recurrence) and node.business_only:
            found = unit == "business_days"
        if found:
            b.note(node)  # the first value in that unit is the definition's source
        if isinstance(node, (Duration, Recurrence)):
            return
        if isinstance(node, list):
            for x in node:
                walk(x)
            return
        if hasattr(type(node), "model_fields"):
            for name in type(node).model_fields:
                walk(getattr(node, name))

    with b.unnoted():  # a walk over the whole contract: only the value found is stated
        walk(b.c)
    return found
