"""Prices and payment: the article and the price schedule annex."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bpolang.i18n.fmt import humanise
from bpolang.model import contract as C
from bpolang.model.values import Arith, Call, Money, Percentage, Rate, Ref, RelativeAmount, Unknown
from bpolang.render.articles.regime import statutory
from bpolang.render.ir import Section, Table

if TYPE_CHECKING:
    from bpolang.render.build import Builder

# Every construct of the price and payment family is rendered: nothing is left unstated.
UNRENDERED: frozenset[str] = frozenset()


def art_prices(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    pr = c.pricing
    if pr is None:
        return None
    s = Section("prices", f.msg["h_prices"])
    if pr.fees or pr.units or pr.rates or pr.tiers or pr.measures:
        s.blocks.append(b.msg_with_ref("prices_intro", "annex_prices"))
    if pr.model is not None:
        s.blocks.append(b.field("l_price_model", b.m(pr.model, lambda v: f.msg["model_" + v])))
    if pr.currency is not None:
        s.blocks.append(b.field("l_currency", b.m(pr.currency, str)))  # a code: not words of the contract
    if pr.minimum is not None:
        s.blocks.append(b.p(t("minimum_text", amount=f.value(pr.minimum))))
    if pr.shortfall_fee is not None:
        s.blocks.append(b.p(t("shortfall_text", amount=f.value(pr.shortfall_fee))))
    # Tax is stated only as the pricing gives it: with no `tax`, nothing is said about tax.
    if pr.tax == "inclusive":
        s.blocks.append(b.p(t("prices_incl_tax")))
    elif pr.tax == "exclusive":
        s.blocks.append(b.p(t("prices_excl_taxes")))
    elif pr.tax is not None:
        s.blocks.append(b.field("l_tax", b.m(pr.tax)))
    if pr.tax_payer is not None:
        s.blocks.append(b.p(t("tax_payer_text", payer=_cap(f.party(pr.tax_payer)))))
    if pr.rate_change_notice is not None:
        payer = f.party(pr.payer, "a") if isinstance(pr.payer, Ref) else f.msg["term_client_a"]
        s.blocks.append(b.p(t("rate_change_notice_text", duration=f.duration(pr.rate_change_notice), payer=payer)))
    if pr.pass_through:
        s.blocks += b.intro_list("pass_through_intro", pr.pass_through, b.u)
    inv = Section("invoicing", f.msg["h_invoicing"])
    if pr.billing is not None:
        inv.blocks.append(b.p(t("billing_text", billing=b.m(pr.billing, f.phrasal))))
    payer = f.party(pr.payer) if isinstance(pr.payer, Ref) else f.msg["term_client"]
    if pr.payment_terms is not None:
        if pr.payment_method is None:  # the means of payment is stated only from `payment_method`
            inv.blocks.append(b.p(t("payment_text", terms=b.m(pr.payment_terms, f.phrasal), payer=payer)))
        else:
            method = b.m(pr.payment_method, lambda v: f.msg["method_" + v])
            inv.blocks.append(
                b.p(t("payment_text_by", terms=b.m(pr.payment_terms, f.phrasal), payer=payer, method=method))
            )
    elif pr.payment_method is not None:
        inv.blocks.append(b.field("l_payment_method", b.m(pr.payment_method, lambda v: f.msg["method_" + v])))
    if pr.due is not None:
        inv.blocks.append(b.p(t("recurring_due_text", when=b.when(pr.due))))
    if pr.direct_debit:
        inv.blocks.append(b.p(t("direct_debit_text", fees=f.join([f.ref(x) for x in pr.direct_debit]))))
    flag = b.yes_no(pr.prorated, "prorated")
    if flag:
        inv.blocks.append(b.p(flag))
    if pr.set_off is not None:
        who = _cap(f.party(pr.set_off_by)) if pr.set_off_by is not None else f.msg["each_party_cap"]
        inv.blocks.append(b.p(b.m(pr.set_off, lambda v: t("set_off_" + v, who=who))))
    if pr.set_off_scope is not None:
        inv.blocks.append(b.field("l_set_off_scope", b.m(pr.set_off_scope)))
    if pr.default_pricing is not None:
        basis = b.m(pr.default_pricing, lambda v: f.msg["exit_price_" + v])
        inv.blocks.append(b.p(t("default_pricing_text", basis=basis)))
    flag = b.yes_no(pr.default_in_advance, "default_in_advance")
    if flag:
        inv.blocks.append(b.p(flag))
    if pr.collection_costs_by is not None:
        inv.blocks.append(b.p(t("collection_costs_text", payer=_cap(f.party(pr.collection_costs_by)))))
    if pr.late_interest is not None:
        if isinstance(pr.late_interest, C.LateInterest) and pr.late_interest.basis == "excluded":
            inv.blocks.append(b.p(t("late_interest_excluded")))
        else:
            inv.blocks.append(b.p(t(statutory(b, "late_interest_text"), rate=b.m(pr.late_interest, f.phrasal))))
    if pr.recovery_indemnity is not None:
        inv.blocks.append(b.p(t(statutory(b, "recovery_text"), amount=f.money(pr.recovery_indemnity))))
    if pr.disputed_invoices is not None:
        inv.blocks.append(b.field("l_disputed", b.m(pr.disputed_invoices)))
    dp = pr.disputes
    if dp is not None:
        flag = b.yes_no(dp.withhold, "withhold")
        if flag:
            inv.blocks.append(b.p(flag))
        if dp.statement_by is not None:
            when = f.msg["statement_due_date"] if dp.statement_by == "due_date" else f.maybe(dp.statement_by)
            inv.blocks.append(b.p(t("dispute_statement", when=when)))
        inv.blocks += b.intro_list("dispute_conditions", dp.conditions, b.u)
        if dp.escrow_after is not None:
            inv.blocks.append(b.p(t("dispute_escrow", duration=f.duration(dp.escrow_after))))
    if inv.blocks:
        s.subsections.append(inv)
    ix = pr.indexation
    if ix is not None:
        sub = Section("indexation", f.msg["h_indexation"])
        sub.blocks.append(b.p(t("indexation_intro")))
        if ix.index is not None:
            sub.blocks.append(b.field("l_index", b.m(ix.index)))
        if isinstance(ix.method, str):
            sub.blocks.append(b.p(t(f"index_method_{ix.method}")))
        elif ix.method is not None:
            sub.blocks.append(b.field("l_index_method", f.unknown(ix.method)))
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
        if ix.applies_to:
            sub.blocks.append(b.field("l_index_applies", f.join([f.ref(x) for x in ix.applies_to])))
        s.subsections.append(sub)
    return s


def annex_prices(b: Builder) -> Section | None:
    pr, f, t = b.c.pricing, b.f, b.t
    if pr is None or not (pr.fees or pr.units or pr.rates or pr.tiers or pr.measures):
        return None
    s = Section("annex_prices", f.msg["h_annex_prices"])
    rows = []
    for fee in pr.fees:
        kind = _fee_kind(b, fee.value)
        if fee.payer == "third_parties":  # paid by someone who is not a party (the description says who)
            kind = b.t("fee_payable_by_third_parties", kind=kind) if kind else f.msg["payable_by_third_parties"]
        elif fee.payer is not None:  # a fee paid by another party than the pricing's payer says who pays it
            who = {"payer": f.party(fee.payer), "payer_de": f.party(fee.payer, "de")}
            kind = b.t("fee_payable_by", kind=kind, **who) if kind else b.t("payable_by", **who)
        value = f.fee_value(fee.value)
        if fee.set_by is not None:  # one party fixes the amount, within the bounds of the value
            setter = b.m(fee.set_by, f.party)
            kind = b.t("fee_set_by", kind=kind, who=setter) if kind else b.t("set_by", who=setter)
            value = value.replace(f.msg["unknown_tbd"], "[" + b.t("set_by", who=setter) + "]")
        name = b.u(fee.title or humanise(fee.id or ""))
        if fee.description is not None:
            name += " — " + b.m(fee.description)
        rows.append(b.row([name, kind, value]))
    for u in pr.units:
        rows.append(b.row([b.u(u.title or humanise(u.id or "")), f.msg["kind_unit_bare"], b.m(u.value, f.rate)]))
    for r in pr.rates:
        rows.append(b.row([b.u(r.title or humanise(r.id or "")), f.msg["kind_rate_bare"], b.m(r.value, f.rate)]))
    if rows:
        s.blocks.append(Table([f.msg["th_item"], f.msg["th_price_kind"], _th_price(b)], rows, numeric=(2,)))
    if pr.billing_rules:
        s.subsections.append(_billing_rules(b, pr.billing_rules))
    for tier in pr.tiers:
        sub = Section("tier:" + (tier.id or ""), b.u(tier.title or humanise(tier.id or "")))
        unit = b.m(tier.unit, f.unit) if tier.unit is not None else ""
        th = t("th_band_unit", unit=unit) if unit else f.msg["th_band"]
        b.reads()  # the unit is stated by the column's heading, not by the first band
        brows = []
        for band in tier.bands:
            rng = (
                t("band_above", low=f.number(band.low))
                if band.high is None
                else t("band_range", low=f.number(band.low), high=f.number(band.high))
            )
            brows.append(b.row([rng, b.m(band.price, f.value)]))
        sub.blocks.append(Table([th, _th_price(b)], brows, numeric=(1,)))
        if isinstance(tier.mode, Unknown):
            sub.blocks.append(b.field("l_tier_mode", f.unknown(tier.mode)))
        elif tier.mode is not None:  # not given: the contract does not say, so neither does the rendering
            sub.blocks.append(b.p(t("bands_whole_volume" if tier.mode == "whole_volume" else "bands_marginal")))
        if isinstance(tier.reset, Unknown):
            sub.blocks.append(b.field("l_tier_reset", f.unknown(tier.reset)))
        elif tier.reset is not None:
            sub.blocks.append(b.p(t("bands_reset_" + tier.reset)))
        s.subsections.append(sub)
    if pr.measures:
        sub = Section("measures", f.msg["h_measures"])
        mrows = []
        for ms in pr.measures:
            parts = [f.value(ms.formula)] if ms.formula is not None else []
            if ms.description is not None:
                parts.append(b.m(ms.description))
            mrows.append(b.row([b.u(ms.title or humanise(ms.id or "")), " — ".join(parts)]))
        sub.blocks.append(Table([f.msg["th_measure"], f.msg["th_definition"]], mrows))
        s.subsections.append(sub)
    if pr.minimum is not None:
        s.blocks.append(b.p(t("minimum_text", amount=f.value(pr.minimum))))
    return s


def _th_price(b: Builder) -> str:
    """The price column's header: excluding or including tax only as the pricing's `tax` says."""
    tax = b.c.pricing.tax if b.c.pricing is not None else None
    if tax == "exclusive":
        return b.f.msg["th_price_excl_tax"]
    if tax == "inclusive":
        return b.f.msg["th_price_incl_tax"]
    return b.f.msg["th_price"]


def _fee_kind(b: Builder, value: C.FeeValue | Unknown) -> str:
    """What a fee's value is: a fixed amount, a unit price, a share of a named amount, a formula; nothing for a
    value the contract does not give (`redacted`, `tbd`...) or one whose kind the source does not say."""
    if isinstance(value, Unknown):
        return ""
    amount = value.amount
    if isinstance(amount, Money):
        return b.f.msg["kind_fee_bare"]
    if isinstance(amount, Rate):
        return b.f.msg["kind_unit_bare"]
    if isinstance(amount, RelativeAmount):
        return b.f.msg["kind_share"]
    if isinstance(amount, Percentage):
        return b.f.msg["kind_percentage"]
    if isinstance(amount, (Call, Arith)):
        return b.f.msg["kind_formula"]
    return ""  # a bare number, a name or an unknown amount: no kind is invented


def _billing_rules(b: Builder, rules: list[C.BillingRule]) -> Section:
    """Each rule's fees, billing, dates, payment terms, method and payer; a conflict said as such."""
    f, t = b.f, b.t
    sub = Section("billing_rules", f.msg["h_billing_rules"])
    for rule in rules:
        parts = [t("billing_rule_fees", fees=f.join([f.ref(x) for x in rule.fees]))] if rule.fees else []
        if rule.billing is not None:
            parts.append(t("billing_text", billing=b.m(rule.billing, f.phrasal)))
        if rule.billed_on:
            parts.append(t("billing_rule_dates", dates=f.join([b.when(d) for d in rule.billed_on])))
        if rule.payment_terms is not None:
            parts.append(t("billing_rule_terms", terms=b.m(rule.payment_terms, f.phrasal)))
        if rule.payment_method is not None:
            parts.append(t("billing_rule_method", method=b.m(rule.payment_method, lambda v: f.msg["method_" + v])))
        if rule.payer is not None:
            parts.append(t("billing_rule_payer", payer=_cap(f.party(rule.payer))))
        if rule.conflicts_with is not None:
            parts.append(t("billing_rule_conflict", other=b.m(rule.conflicts_with, f.ref)))
        if rule.description is not None:
            parts.append(_cap(b.m(rule.description)).rstrip(".") + ".")
        name = b.u(rule.title or humanise(rule.id or ""))
        sub.blocks.append(b.p(t("field", label=name, value=" ".join(parts))))
    return sub


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
