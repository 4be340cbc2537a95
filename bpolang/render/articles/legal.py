"""Liability, subcontracting, continuity, term and termination, governing law, the contract's own clauses."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from bpolang.i18n.fmt import humanise
from bpolang.model.values import Duration, Unknown
from bpolang.render.ir import Bullets, Run, Section, Table

if TYPE_CHECKING:
    from bpolang.model import contract as C
    from bpolang.render.build import Builder

# Every construct of termination and exit economics is rendered: nothing is left unstated.
UNRENDERED: frozenset[str] = frozenset()


def art_liability(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.liability and not c.insurance:
        return None
    s = Section("liability", f.msg["h_liability"])
    for li in c.liability:
        sub = Section("liability:" + (li.id or ""), b.u(li.title or humanise(li.id or "")))
        who = f.party(li.party, "de") if li.party is not None else f.msg["each_party_de"]
        if li.cap is not None:
            basis = f"{b.m(li.basis, lambda v: f.msg['basis_' + v])}" if li.basis is not None else ""
            sub.blocks.append(
                b.p(t("liability_cap", who=who, cap=f.value(li.cap), basis=(" " + basis) if basis else ""))
            )
        if li.carve_outs:
            sub.blocks.append(b.p(t("carve_outs")))
            sub.blocks.append(Bullets([[Run(f.word(x))] for x in li.carve_outs]))
        if li.exclusions:
            sub.blocks.append(b.p(t("liability_exclusions")))
            sub.blocks.append(Bullets([[Run(f.word(x))] for x in li.exclusions]))
        s.subsections.append(sub)
    if c.insurance:
        sub = Section("insurance", f.msg["h_insurance"])
        items = []
        for ins in c.insurance:
            holder = f.party(ins.holder) if ins.holder is not None else f.msg["term_provider"]
            holder = holder[:1].upper() + holder[1:]
            text = t(
                "insurance_text",
                holder=holder,
                cover=f.uq(ins.title or humanise(ins.id or "")) if ins.cover is None else b.m(ins.cover),
            )
            if ins.amount is not None:
                text += t("insurance_amount", amount=f.money(ins.amount))
            text += "."
            if ins.evidence is not None:
                text += " " + b.t("field", label=f.msg["l_evidence"], value=b.m(ins.evidence)) + "."
            items.append([Run(text)])
        sub.blocks.append(Bullets(items))
        s.subsections.append(sub)
    return s


def art_subcontracting(b: Builder) -> Section | None:
    sc, f, t = b.c.subcontracting, b.f, b.t
    if sc is None:
        return None
    s = Section("subcontracting", f.msg["h_subcontracting"])
    if sc.mode is not None:
        s.blocks.append(
            b.p(
                b.m(
                    sc.mode,
                    lambda v: t(
                        "subcontracting_" + v,
                        notice=f.duration(sc.notice) if sc.notice is not None else f.msg["notice_reasonable"],
                    ),
                )
            )
        )
    if sc.approved:
        s.blocks.append(b.p(t("subcontractors_approved")))
        s.blocks.append(Bullets([[Run(b.u(x))] for x in sc.approved]))
    if sc.excluded:
        s.blocks.append(b.p(t("subcontracting_excluded")))
        s.blocks.append(Bullets([[Run(b.u(x))] for x in sc.excluded]))
    for flag in (b.yes_no(sc.flow_down, "flow_down"), b.yes_no(sc.prime_liable, "prime_liable")):
        if flag:
            s.blocks.append(b.p(flag))
    return s


def art_continuity(b: Builder) -> Section | None:
    co, f, t = b.c.continuity, b.f, b.t
    if co is None:
        return None
    s = Section("continuity", f.msg["h_continuity"])
    s.blocks.append(b.p(t("continuity_intro")))
    if co.plan is not None:
        s.blocks.append(b.field("l_plan", b.m(co.plan)))
    if co.rto is not None:
        s.blocks.append(b.field("l_rto", f.duration(co.rto)))
    if co.rpo is not None:
        s.blocks.append(b.field("l_rpo", f.duration(co.rpo)))
    if co.test is not None:
        s.blocks.append(b.field("l_test", b.m(co.test, f.recurrence)))
    tof = co.termination_on_failure
    if tof is True:
        s.blocks.append(b.msg_with_ref("continuity_termination_yes", "term"))
    elif tof is False:
        s.blocks.append(b.p(t("continuity_termination_no")))
    elif isinstance(tof, Unknown):
        s.blocks.append(b.p(t("continuity_termination_unknown", value=f.unknown(tof))))
    return s


def art_term(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    s = Section("term", f.msg["h_term"])
    dur = Section("duration", f.msg["h_duration"])
    if c.effective is not None or c.term is not None:
        eff = b.m(c.effective, f.date_expr) if c.effective is not None else f.msg["date_not_stated"]
        if c.term == "indefinite":
            dur.blocks.append(b.p(t("term_indefinite", effective=eff)))
        elif c.term is not None:
            end = b.res.end if b.res is not None else None
            text = t("term_fixed", effective=eff, term=b.m(c.term, f.duration))
            if end is not None:
                text += t("term_until", end=f.date(end))
            dur.blocks.append(b.p(text + "."))
        else:
            dur.blocks.append(b.p(t("term_from", effective=eff)))
    if c.renewal is not None:
        dur.blocks.append(b.p(b.m(c.renewal, f.renewal)))
    if dur.blocks:
        s.subsections.append(dur)
    tm = c.termination
    if tm is not None:
        sub = Section("termination", f.msg["h_termination"])
        if tm.notice is not None:
            sub.blocks.append(b.p(t("termination_notice", notice=f.duration(tm.notice))))
        fc = tm.for_cause
        if fc is not None:
            by = b.m(fc.by, lambda v: f.msg["by_" + v]) if fc.by is not None else f.msg["by_both"]
            cure = f.duration(fc.cure) if fc.cure is not None else f.msg["cure_reasonable"]
            sub.blocks.append(b.p(t("for_cause", by=by, cure=cure)))
            if fc.grounds:
                sub.blocks.append(b.p(t("grounds_intro")))
                sub.blocks.append(Bullets([[Run(b.u(x))] for x in fc.grounds]))
            sub.blocks += b.intro_list("events_intro", [_ground(b, g) for g in fc.events])
        fv = tm.for_convenience
        if fv is not None:
            by = b.m(fv.by, lambda v: f.msg["by_" + v]) if fv.by is not None else f.msg["by_both"]
            notice = f.duration(fv.notice) if fv.notice is not None else f.msg["notice_reasonable"]
            sub.blocks.append(b.p(t("for_convenience", by=by, notice=notice)))
            if fv.fees:
                sub.blocks.append(b.p(t("convenience_fees_intro")))
                sub.blocks.append(
                    Table(
                        [f.msg["th_contract_year"], f.msg["th_termination_fee"]],
                        [
                            [t("year_n", n=x.year) if x.year is not None else f.msg["any_year"], f.value(x.amount)]
                            for x in fv.fees
                        ],
                        numeric=(1,),
                    )
                )
            if fv.payer is not None:
                sub.blocks.append(b.p(t("termination_fee_payer", payer=f.party(fv.payer))))
            sub.blocks += b.intro_list("instalments_intro", [f.phrasal(x) for x in fv.instalments])
            sub.blocks += b.intro_list("also_payable_intro", [b.u(x) for x in fv.also_payable])
            for flag in (b.yes_no(fv.fee_uncapped, "fee_uncapped"), b.yes_no(fv.fee_liquidated, "fee_liquidated")):
                if flag:
                    sub.blocks.append(b.p(flag))
        if tm.chronic_failure is not None:
            sub.blocks.append(b.p(t("chronic_failure", what=b.m(tm.chronic_failure))))
        for pt in tm.partial:
            sub.blocks.append(b.p(_partial(b, pt)))
        if any(m.long_stop is not None for m in c.milestones):
            sub.blocks.append(b.p(t("long_stop_termination")))
        if sub.blocks:
            s.subsections.append(sub)
    ex = c.exit
    if ex is not None:
        sub = Section("exit", f.msg["h_exit"])
        if ex.plan is not None:
            sub.blocks.append(b.p(t("exit_plan", duration=f.duration(ex.plan))))
        if ex.plan_updates is not None:
            sub.blocks.append(b.field("l_plan_updates", b.m(ex.plan_updates, f.recurrence)))
        if ex.transition is not None:
            sub.blocks.append(b.p(t("exit_transition", duration=f.duration(ex.transition))))
        flag = b.yes_no(ex.service_continuity, "service_continuity")
        if flag:
            sub.blocks.append(b.p(flag))
        if ex.assistance_cost is not None:
            sub.blocks.append(b.field("l_assistance_cost", b.m(ex.assistance_cost)))
        if ex.data_return is not None:
            fmt = t("in_formats", formats=f.words(ex.return_format)) if ex.return_format else ""
            sub.blocks.append(b.p(t("exit_data_return", duration=f.duration(ex.data_return), formats=fmt)))
        elif ex.return_format:
            sub.blocks.append(b.field("l_return_format", f.words(ex.return_format)))
        if ex.assets:
            sub.blocks.append(b.p(t("exit_assets")))
            sub.blocks.append(Bullets([[Run(b.u(x))] for x in ex.assets]))
        flag = b.yes_no(ex.deletion_certificate, "deletion_certificate")
        if flag:
            sub.blocks.append(b.p(flag))
        _exit_economics(b, ex, sub)
        if sub.blocks:
            s.subsections.append(sub)
    return s


def art_law(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if c.governing_law is None and c.jurisdiction is None and c.dispute_resolution is None:
        return None
    s = Section("law", f.msg["h_law"])
    if c.governing_law is not None:
        s.blocks.append(b.p(t("governing_law", law=b.m(c.governing_law, functools.partial(law_name, b)))))
    if c.dispute_resolution is not None:
        s.blocks.append(b.p(t("dispute_resolution", how=b.m(c.dispute_resolution))))
    if c.jurisdiction is not None:
        s.blocks.append(b.p(t("jurisdiction", court=b.m(c.jurisdiction))))
    return s


def law_name(b: Builder, code: str) -> str:
    return b.f.msg.get("law_" + code) or b.t("law_of", country=b.f.word(code))


def art_clauses(b: Builder) -> list[Section]:
    out = []
    for cl in b.c.clauses:
        s = Section("clause:" + (cl.id or ""), b.u(cl.title or humanise(cl.id or "")))
        s.blocks += b.paras_of_text(cl.text)
        out.append(s)
    return out


def _sentence(text: str) -> str:
    """User text as a sentence: it ends with a full stop."""
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ground(b: Builder, g: C.Ground) -> str:
    """One ground for termination, in one sentence with its cure period and its fee."""
    f, t = b.f, b.t
    name = b.u(g.title or humanise(g.id or ""))
    parts = [name]
    if g.event is not None:
        parts.append(b.m(g.event, lambda v: f.msg["event_" + v]))
    if g.defaulting is not None:
        parts.append(t("ground_defaulting", party=f.party(g.defaulting), party_de=f.party(g.defaulting, "de")))
    text = " — ".join(parts) + ". "
    if g.by is not None:
        text += t("ground_by", party=_cap(f.party(g.by)))
    else:
        text += t("ground_by_other")
    if g.cure is not None:
        text += t("ground_cure", cure=f.duration(g.cure))
    if g.notice is not None:
        text += t("ground_notice", notice=f.duration(g.notice))
    text += "."
    if g.fee is not None:
        payer = _cap(f.party(g.fee_payer)) if g.fee_payer is not None else f.msg["the_defaulting_party"]
        text += " " + t("ground_fee", payer=payer, fee=f.value(g.fee))
    for flag in (b.yes_no(g.no_fee, "ground_no_fee"), b.yes_no(g.fee_liquidated, "fee_liquidated")):
        if flag:
            text += " " + flag
    if g.description is not None:
        text += " " + _sentence(b.m(g.description))
    return text


def _partial(b: Builder, pt: C.PartialTermination) -> str:
    f, t = b.f, b.t
    who = _cap(f.party(pt.by)) if pt.by is not None else f.msg["each_party_cap"]
    services = f.join([f.ref(x) for x in pt.services]) if pt.services else f.msg["any_service"]
    text = t("partial_text", who=who, services=services)
    if pt.except_services:
        text += t("partial_except", services=f.join([f.ref(x) for x in pt.except_services]))
    if isinstance(pt.notice, Duration) and pt.notice.amount == 0:
        text += t("partial_immediately")
    elif pt.notice is not None:
        text += t("partial_notice", notice=f.duration(pt.notice))
    text += "."
    if pt.fee is not None:
        text += " " + t("partial_fee", fee=f.value(pt.fee))
    if pt.price_adjustment is not None:
        text += " " + b.t("field", label=f.msg["l_price_adjustment"], value=b.m(pt.price_adjustment)) + "."
    if pt.description is not None:
        text += " " + _sentence(b.m(pt.description))
    return text


def _exit_economics(b: Builder, ex: C.Exit, sub: Section) -> None:
    """When exit assistance starts, how it is priced and paid, the extension, deconversion, staff, client duties."""
    f, t = b.f, b.t
    if ex.assistance_before_end is not None:
        sub.blocks.append(b.p(t("assistance_before_end", duration=f.duration(ex.assistance_before_end))))
    if ex.assistance_price is not None:
        price = b.m(ex.assistance_price, lambda v: f.msg["exit_price_" + v])
        sub.blocks.append(b.p(t("assistance_price", price=price)))
    if ex.assistance_payer is not None:
        sub.blocks.append(b.p(t("assistance_payer", payer=_cap(f.party(ex.assistance_payer)))))
    for flag in (
        b.yes_no(ex.estimate_first, "estimate_first"),
        b.yes_no(ex.assistance_optional, "assistance_optional"),
    ):
        if flag:
            sub.blocks.append(b.p(flag))
    if ex.extension is not None:
        request = t("extension_request", duration=f.duration(ex.extension_request)) if ex.extension_request else ""
        price = (
            t("extension_price", price=b.m(ex.extension_price, lambda v: f.msg["exit_price_" + v]))
            if ex.extension_price is not None
            else ""
        )
        sub.blocks.append(b.p(t("extension_text", duration=f.duration(ex.extension), request=request, price=price)))
    elif ex.extension_request is not None or ex.extension_price is not None:
        if ex.extension_request is not None:
            sub.blocks.append(b.field("l_extension_request", f.duration(ex.extension_request)))
        if ex.extension_price is not None:
            price = b.m(ex.extension_price, lambda v: f.msg["exit_price_" + v])
            sub.blocks.append(b.field("l_extension_price", price))
    if ex.deconversion_fee is not None:
        sub.blocks.append(b.p(t("deconversion_fee", fee=f.value(ex.deconversion_fee))))
    flag = b.yes_no(ex.staff_transfer, "staff_transfer")
    if flag:
        sub.blocks.append(b.p(flag))
    sub.blocks += b.intro_list("client_duties_intro", [b.u(x) for x in ex.client_duties])
