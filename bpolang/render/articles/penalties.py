"""Penalties and service credits."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from bpolang.i18n.fmt import humanise
from bpolang.model import contract as C
from bpolang.model.values import Unknown
from bpolang.render.articles.regime import french_law
from bpolang.render.ir import Section, Table

if TYPE_CHECKING:
    from bpolang.render.build import Builder


def art_penalties(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.penalties and not c.credit_regimes:
        return None
    s = Section("penalties", f.msg["h_penalties"])
    if c.credit_regimes:
        s.blocks.append(b.msg_with_ref("credits_intro", "service_levels"))
    for cr in c.credit_regimes:
        sub = Section("credit:" + (cr.id or ""), b.u(cr.title or humanise(cr.id or "")))
        if cr.applies_to:
            sub.blocks.append(b.field("l_applies_to", f.join([f.ref(r) for r in cr.applies_to])))
        if cr.credit_basis is not None:
            sub.blocks.append(b.p(b.m(cr.credit_basis, lambda v: f.msg["credit_basis_" + v])))
        if cr.chronic is not None:
            sub.blocks.append(b.field("l_chronic_event", b.m(cr.chronic, f.phrasal)))
        if cr.pool is not None:
            sub.blocks.append(b.field("l_credit_pool", f.value(cr.pool)))
        if cr.allocations:
            sub.blocks.append(b.field("l_allocations", f.join([f.phrasal(a) for a in cr.allocations])))
        if cr.steps:
            sub.blocks.append(
                Table(
                    [f.msg["th_result"], f.msg["th_credit"]],
                    [
                        b.row(
                            [
                                t("step_cond_" + st.comparator, value=f.value(st.threshold)),
                                f.value(st.credit),
                            ]
                        )
                        for st in cr.steps
                    ],
                    numeric=(1,),
                )
            )
        if isinstance(cr.step_credits, Unknown):
            sub.blocks.append(b.field("l_step_credits", b.m(cr.step_credits)))
        elif cr.step_credits is not None:
            sub.blocks.append(b.p(f.msg["step_credits_" + cr.step_credits]))
        if cr.monthly_cap is not None:
            sub.blocks.append(b.field("l_monthly_cap", f.value(cr.monthly_cap)))
        if cr.annual_cap is not None:
            sub.blocks.append(b.field("l_annual_cap", f.value(cr.annual_cap)))
        if isinstance(cr.cap_scope, Unknown):
            sub.blocks.append(b.field("l_cap_scope", b.m(cr.cap_scope)))
        elif cr.cap_scope is not None:
            sub.blocks.append(b.p(f.msg["cap_scope_" + cr.cap_scope]))
        if cr.earn_back is not None:
            sub.blocks.append(b.p(t("earn_back_text", period=f.duration(cr.earn_back))))
        if cr.earn_back_condition is not None:
            sub.blocks.append(b.field("l_earn_back_condition", b.m(cr.earn_back_condition)))
        if cr.earn_back_rule is not None:
            sub.blocks.append(b.field("l_earn_back_rule", b.m(cr.earn_back_rule, f.phrasal)))
        if isinstance(cr.earn_back_scope, Unknown):
            sub.blocks.append(b.field("l_earn_back_scope", b.m(cr.earn_back_scope)))
        elif cr.earn_back_scope is not None:
            sub.blocks.append(b.p(f.msg["earn_back_scope_" + cr.earn_back_scope]))
        if cr.payer is not None or cr.beneficiary is not None:
            sub.blocks.append(
                b.p(
                    t(
                        "credit_payer",
                        payer=f.party(cr.payer) if cr.payer is not None else f.msg["term_provider"],
                        beneficiary=f.party(cr.beneficiary, "a")
                        if cr.beneficiary is not None
                        else f.msg["term_client_a"],
                    )
                )
            )
        if cr.nature is not None:
            sub.blocks.append(b.p(b.m(cr.nature, functools.partial(nature, b))))
        flag = b.yes_no(cr.exclusive_remedy, "exclusive_remedy")
        if flag:
            sub.blocks.append(b.p(flag))
        if cr.chronic_failure is not None:
            sub.blocks.append(b.field("l_chronic", b.m(cr.chronic_failure)))
        if cr.termination_right is not None:
            sub.blocks.append(b.p(chronic_termination(b, cr.termination_right)))
        s.subsections.append(sub)
    for pen in c.penalties:
        sub = Section("penalty:" + (pen.id or ""), b.u(pen.title or humanise(pen.id or "")))
        if pen.applies_to is not None:
            sub.blocks.append(b.field("l_penalty_applies_to", f.ref(pen.applies_to)))
        if pen.trigger is not None:
            sub.blocks.append(b.field("l_trigger", b.m(pen.trigger, f.phrasal)))
        if pen.amount is not None:
            sub.blocks.append(b.field("l_penalty_amount", b.m(pen.amount, f.phrasal)))
        if pen.cap is not None:
            sub.blocks.append(b.field("l_penalty_cap", f.value(pen.cap)))
        if pen.uncapped is True:
            sub.blocks.append(b.p(t("uncapped")))
        if pen.payer is not None or pen.beneficiary is not None:
            sub.blocks.append(
                b.p(
                    t(
                        "penalty_payer",
                        payer=f.party(pen.payer) if pen.payer is not None else f.msg["term_provider"],
                        beneficiary=f.party(pen.beneficiary, "a")
                        if pen.beneficiary is not None
                        else f.msg["term_client_a"],
                    )
                )
            )
        if pen.formal_notice is not None:
            sub.blocks.append(b.p(b.m(pen.formal_notice, lambda v: f.msg["formal_notice_" + v])))
        if pen.remedy is not None:
            sub.blocks.append(b.field("l_penalty_remedy", b.m(pen.remedy, f.duration)))
        if pen.nature is not None:
            sub.blocks.append(b.p(b.m(pen.nature, functools.partial(nature, b))))
        flag = b.yes_no(pen.exclusive_remedy, "exclusive_remedy")
        if flag:
            sub.blocks.append(b.p(flag))
        if pen.judicial_moderation_excluded is True:
            sub.blocks.append(b.p(t("judicial_moderation")))
        s.subsections.append(sub)
    return s


def chronic_termination(b: Builder, tr: C.ChronicTermination) -> str:
    """The right to terminate on a chronic failure: who, on what, with what notice, within when."""
    f, t = b.f, b.t
    text = t(
        "chronic_termination",
        by=f.party(tr.by) if tr.by is not None else f.msg["by_either_party"],
        trigger=b.m(tr.trigger, f.phrasal) if tr.trigger is not None else f.msg["chronic_trigger_not_stated"],
        scope=f.msg["chronic_scope_" + tr.scope] if isinstance(tr.scope, str) else f.msg["chronic_scope_whole"],
    )
    if isinstance(tr.scope, Unknown):
        text += t("chronic_scope_unknown", value=f.unknown(tr.scope))
    if tr.notice is not None:
        text += t("chronic_notice", notice=b.m(tr.notice, f.duration))
    if tr.exercise_within is not None:
        text += t("chronic_within", within=b.m(tr.exercise_within, f.duration))
    return text + "."


def nature(b: Builder, value: str) -> str:
    """The legal nature of credits or penalties, qualified under the governing law: under French law
    a sum fixed in advance for a breach is a clause pénale (art. 1231-5 Code civil), whatever the
    output language; under another law the text names no article of the French codes."""
    if value in ("liquidated_damages", "clause_penale") and french_law(b):
        return b.f.msg["nature_penalty_french_law"]
    return b.f.msg["nature_" + value]
