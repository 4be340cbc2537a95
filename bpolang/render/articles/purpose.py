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
    defs: list[list[Run]] = []

    def d(term: str, text: str | Run | list) -> None:
        runs = [Run(f.quote(term), bold=True), Run(f.msg["def_sep"])]
        if isinstance(text, list):
            runs += text
        else:
            runs.append(text if isinstance(text, Run) else Run(text))
        defs.append(runs)

    d(f.msg["term_agreement_bare"], b.t("def_agreement"))
    if b.client is not None:
        d(f.msg["term_client_bare"], b.t("def_party", name=f.party_name(b.client)))
    if b.provider is not None:
        d(f.msg["term_provider_bare"], b.t("def_party", name=f.party_name(b.provider)))
    if c.services:
        text = b.t("def_services", ref="\x00").split("\x00")
        d(f.msg["term_services_bare"], [Run(text[0]), Run("", xref="scope"), Run(text[1])])
    if c.effective is not None:
        d(f.msg["term_effective_bare"], b.m(c.effective, f.date_expr) + ".")
    if uses_unit(b, "business_days"):
        d(f.msg["term_business_days_bare"], b.t("def_business_days"))
    if uses_unit(b, "working_days"):
        d(f.msg["term_working_days_bare"], b.t("def_working_days"))
    if c.service_levels:
        text = b.t("def_service_levels", ref="\x00").split("\x00")
        d(f.msg["term_service_levels_bare"], [Run(text[0]), Run("", xref="annex_sla"), Run(text[1])])
    if c.data and b.gdpr:
        d(gdpr_term(b), b.t({"uk_gdpr": "def_uk_gdpr", "both": "def_both_gdpr"}.get(data_law(b), "def_gdpr")))
    s.blocks.append(b.p(b.t("definitions_intro")))
    s.blocks.append(Bullets(defs))
    s.blocks.append(b.p(b.t("annexes_part")))
    return s


def uses_unit(b: Builder, unit: str) -> bool:
    from bpolang.model.values import Duration, Recurrence

    found = False

    def walk(node: Any) -> None:
        nonlocal found
        if found:
            return
        if isinstance(node, Duration):
            found = node.unit.value == unit
            return
        if isinstance(node, Recurrence) and node.business_only:
            found = unit == "business_days"
            return
        if isinstance(node, list):
            for x in node:
                walk(x)
            return
        if hasattr(type(node), "model_fields"):
            for name in type(node).model_fields:
                walk(getattr(node, name))

    walk(b.c)
    return found
