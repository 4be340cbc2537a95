"""Prices and payment: the article and the price schedule annex."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bpolang.i18n.fmt import humanise
from bpolang.model import contract as C
from bpolang.model.values import Ref
from bpolang.render.ir import Bullets, Run, Section, Table

if TYPE_CHECKING:
    from bpolang.render.build import Builder


def art_prices(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    pr = c.pricing
    if pr is None:
        return None
    s = Section("prices", f.msg["h_prices"])
    if pr.fees or pr.units or pr.rates or pr.tiers:
        s.blocks.append(b.msg_with_ref("prices_intro", "annex_prices"))
    if pr.model is not None:
        s.blocks.append(b.field("l_price_model", b.m(pr.model, lambda v: f.msg["model_" + v])))
    if pr.currency is not None:
        s.blocks.append(b.field("l_currency", b.m(pr.currency)))
    if pr.minimum is not None:
        s.blocks.append(b.p(t("minimum_text", amount=f.value(pr.minimum))))
    s.blocks.append(b.p(t("prices_excl_tax")))
    if pr.pass_through:
        s.blocks.append(b.p(t("pass_through_intro")))
        s.blocks.append(Bullets([[Run(b.u(x))] for x in pr.pass_through]))
    inv = Section("invoicing", f.msg["h_invoicing"])
    if pr.billing is not None:
        inv.blocks.append(b.p(t("billing_text", billing=b.m(pr.billing, f.phrasal))))
    payer = f.party(pr.payer) if isinstance(pr.payer, Ref) else f.msg["term_client"]
    if pr.payment_terms is not None:
        inv.blocks.append(b.p(t("payment_text", terms=b.m(pr.payment_terms, f.phrasal), payer=payer)))
    if pr.late_interest is not None:
        if isinstance(pr.late_interest, C.LateInterest) and pr.late_interest.basis == "excluded":
            inv.blocks.append(b.p(t("late_interest_excluded")))
        else:
            inv.blocks.append(b.p(t("late_interest_text", rate=b.m(pr.late_interest, f.phrasal))))
    if pr.recovery_indemnity is not None:
        inv.blocks.append(b.p(t("recovery_text", amount=f.money(pr.recovery_indemnity))))
    if pr.disputed_invoices is not None:
        inv.blocks.append(b.field("l_disputed", b.m(pr.disputed_invoices)))
    if inv.blocks:
        s.subsections.append(inv)
    ix = pr.indexation
    if ix is not None:
        sub = Section("indexation", f.msg["h_indexation"])
        sub.blocks.append(b.p(t("indexation_intro")))
        if ix.index is not None:
            sub.blocks.append(b.field("l_index", b.m(ix.index)))
        if ix.base is not None:
            sub.blocks.append(b.field("l_index_base", b.when(ix.base)))
        if ix.review is not None:
            sub.blocks.append(b.field("l_review", b.m(ix.review, f.recurrence)))
        if ix.formula is not None:
            sub.blocks.append(b.field("l_formula", b.m(ix.formula)))
        if ix.floor is not None:
            sub.blocks.append(b.field("l_floor", f.percent(ix.floor)))
        if ix.cap is not None:
            sub.blocks.append(b.field("l_cap_index", f.percent(ix.cap)))
        s.subsections.append(sub)
    return s


def annex_prices(b: Builder) -> Section | None:
    pr, f, t = b.c.pricing, b.f, b.t
    if pr is None or not (pr.fees or pr.units or pr.rates or pr.tiers):
        return None
    s = Section("annex_prices", f.msg["h_annex_prices"])
    rows = []
    for fee in pr.fees:
        rows.append([b.u(fee.title or humanise(fee.id or "")), f.msg["kind_fee_bare"], f.fee_value(fee.value)])
    for u in pr.units:
        rows.append([b.u(u.title or humanise(u.id or "")), f.msg["kind_unit_bare"], b.m(u.value, f.rate)])
    for r in pr.rates:
        rows.append([b.u(r.title or humanise(r.id or "")), f.msg["kind_rate_bare"], b.m(r.value, f.rate)])
    if rows:
        s.blocks.append(Table([f.msg["th_item"], f.msg["th_price_kind"], f.msg["th_price"]], rows, numeric=(2,)))
    for tier in pr.tiers:
        sub = Section("tier:" + (tier.id or ""), b.u(tier.title or humanise(tier.id or "")))
        unit = b.m(tier.unit, f.unit) if tier.unit is not None else ""
        brows = []
        for band in tier.bands:
            rng = (
                t("band_above", low=f.number(band.low))
                if band.high is None
                else t("band_range", low=f.number(band.low), high=f.number(band.high))
            )
            brows.append([rng, b.m(band.price, f.value)])
        th = t("th_band_unit", unit=unit) if unit else f.msg["th_band"]
        sub.blocks.append(Table([th, f.msg["th_price"]], brows, numeric=(1,)))
        sub.blocks.append(b.p(t("bands_marginal")))
        s.subsections.append(sub)
    if pr.minimum is not None:
        s.blocks.append(b.p(t("minimum_text", amount=f.value(pr.minimum))))
    return s
