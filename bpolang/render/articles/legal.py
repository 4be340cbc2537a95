"""Liability, subcontracting, continuity, term and termination, governing law, the contract's own clauses."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from bpolang.i18n.fmt import contract_articles, humanise
from bpolang.model import contract as C
from bpolang.model.values import DateExpr, Duration, Ref, Unknown
from bpolang.render.articles import term
from bpolang.render.articles.structure import subcontracting_exceptions
from bpolang.render.ir import Bullets, Para, Section, Table

if TYPE_CHECKING:
    from bpolang.render.build import Builder

# Every field of termination and exit economics, liability and law is stated by the rendered
# contract; a field added here without a sentence must be listed (as "Class.field") so that a test
# says it loudly (tests/test_render_coverage.py).
UNRENDERED: frozenset[str] = frozenset()


def art_liability(b: Builder) -> Section | None:
    c, f = b.c, b.f
    if not (c.liability or c.insurance or c.indemnities or c.warranties or c.disclaimers):
        return None
    s = Section("liability", f.msg["h_liability"])
    for li in c.liability:
        s.subsections.append(_liability(b, li))
    if c.indemnities:
        sub = Section("indemnities", f.msg["h_indemnities"])
        for ind in c.indemnities:
            sub.subsections.append(_indemnity(b, ind))
        s.subsections.append(sub)
    if c.warranties or c.disclaimers:
        sub = Section("warranties", f.msg["h_warranties"])
        for w in c.warranties:
            sub.subsections.append(_warranty(b, w))
        for d in c.disclaimers:
            sub.subsections.append(_disclaimer(b, d))
        s.subsections.append(sub)
    if c.insurance:
        sub = Section("insurance", f.msg["h_insurance"])
        sub.blocks.append(Bullets(b.items(c.insurance, lambda ins: _insurance(b, ins))))
        s.subsections.append(sub)
    return s


def _title(b: Builder, el: C.Element) -> str:
    return b.u(el.title or humanise(el.id or ""))


def _who(b: Builder, ref: Ref | Unknown | None, fallback: str) -> str:
    """A party as the subject of a sentence (capitalised), or the fallback term."""
    who = b.f.party(ref) if ref is not None else b.f.msg[fallback]
    return who[:1].upper() + who[1:]


def _liability(b: Builder, li: C.Liability) -> Section:
    f, t = b.f, b.t
    sub = Section("liability:" + (li.id or ""), _title(b, li))
    who = f.party(li.party, "de") if li.party is not None else f.msg["each_party_de"]
    if li.cap is not None:
        basis = f"{b.m(li.basis, lambda v: f.msg['basis_' + v])}" if li.basis is not None else ""
        key = "liability_cap_heads" if li.heads else "liability_cap"
        if li.basis == "per_document" and not li.heads:
            key, basis = "liability_cap_per_document", ""  # applied to each document, not over the term
        cap = f.value(li.cap)
        text = t(key, who=who, cap=cap, basis=(" " + basis) if basis else "", heads=f.words(li.heads))
        sub.blocks.append(b.p(contract_articles(text) if b.lang == "fr" else text))
    elif li.heads:
        sub.blocks.append(b.p(t("liability_heads", heads=f.words(li.heads))))
    if li.scope is not None:
        sub.blocks.append(b.p(b.m(li.scope, f.phrasal)))
    if li.carve_outs:
        sub.blocks += b.intro_list("carve_outs", li.carve_outs, f.word)
    if li.exclusions:  # the party whose liability the block limits, or both
        if li.party is None:
            sub.blocks += b.intro_list("liability_exclusions", li.exclusions, f.word)
        else:
            party = f.party(li.party)
            sub.blocks.append(b.p(t("liability_exclusions_of", who=party, who_cap=party[:1].upper() + party[1:])))
            sub.blocks.append(Bullets(b.items(li.exclusions, f.word)))
    return sub


def _choice(b: Builder, v: Any, prefix: str, **kw: Any) -> str:
    """The sentence `prefix + word` for a closed choice, or the placeholder sentence for an unknown."""
    return b.m(v, lambda w: b.t(prefix + w, **kw))


def _indemnity(b: Builder, ind: C.Indemnity) -> Section:
    f, t = b.f, b.t
    sub = Section("indemnity:" + (ind.id or ""), _title(b, ind))
    what = (
        f.words(ind.heads)
        if ind.heads
        else (b.m(ind.description, f.uq) if ind.description is not None else f.msg["indemnity_claims"])
    )
    if ind.mutual is True:
        sub.blocks.append(b.p(t("indemnity_mutual", what=what)))
    else:
        by = _who(b, ind.by, "term_provider")
        to = f.party(ind.beneficiary) if ind.beneficiary is not None else f.msg["the_other_party"]
        sub.blocks.append(b.p(t("indemnity_by", by=by, to=to, what=what)))
        flag = b.yes_no(ind.mutual, "indemnity_mutual_flag") if ind.mutual is not None else None
        if flag and ind.mutual is not False:
            sub.blocks.append(b.p(flag))
    if ind.heads and ind.description is not None:
        sub.blocks.append(b.field("l_description", b.m(ind.description, f.uq)))
    sub.blocks += b.flags(ind, ("defend", "indemnity_defend"), ("cooperation", "indemnity_cooperation"))
    if ind.notice is not None:
        sub.blocks.append(b.p(t("indemnity_notice", when=_notice(b, ind.notice))))
    for name in ("late_notice", "defence", "settlement_consent", "cooperation_costs", "own_counsel"):
        value, prefix = getattr(ind, name), name + "_"  # read when its sentence is made (its source)
        if value is not None:
            sub.blocks.append(b.p(_choice(b, value, prefix)))
    if ind.exclusions:
        sub.blocks.append(b.p(t("indemnity_exclusions", what=f.words(ind.exclusions))))
    if ind.remedies:
        sub.blocks.append(b.p(t("indemnity_remedies", what=f.words(ind.remedies))))
    if ind.refund_depreciation is not None:
        sub.blocks.append(b.p(t("refund_depreciation", duration=b.m(ind.refund_depreciation, f.duration))))
    flag = b.yes_no(ind.exclusive_remedy, "indemnity_exclusive")
    if flag:
        sub.blocks.append(b.p(flag))
    return sub


def _notice(b: Builder, v: Any) -> str:
    """`within 30 days`, `promptly`, `within a reasonable time`."""
    if isinstance(v, Duration):
        return b.t("within", duration=b.f.duration(v))
    return b.m(v, lambda w: b.f.msg["notice_" + w])


def _warranty(b: Builder, w: C.Warranty) -> Section:
    f, t = b.f, b.t
    sub = Section("warranty:" + (w.id or ""), _title(b, w))
    by = _who(b, w.by, "term_provider")
    # read once, before the sentence: a read after it would count as a source of the next piece
    kind_written, qualified = w.kind, w.knowledge_qualified
    kind = kind_written if isinstance(kind_written, str) else "warranty"
    to = t("warranty_to", to=f.party(w.beneficiary, "a")) if w.beneficiary is not None else ""
    knowledge = f.msg["warranty_knowledge"] if qualified is True else ""
    what = b.m(w.description, f.uq) if w.description is not None else f.uq(w.title or humanise(w.id or ""))
    sub.blocks.append(b.p(t("warranty_" + kind, by=by, to=to, knowledge=knowledge, what=what)))
    if isinstance(kind_written, Unknown):
        b.note(w)
        sub.blocks.append(b.field("l_warranty_kind", f.unknown(kind_written)))
    if isinstance(qualified, Unknown) or qualified is False:
        b.note(w)
        flag = b.yes_no(qualified, "warranty_knowledge")
        if flag:
            sub.blocks.append(b.p(flag))
    if w.period is not None:
        period = f.msg["warranty_term"] if w.period == "term" else b.m(w.period, f.duration)
        start = t("warranty_from", start=_start(b, w.starts)) if w.starts is not None else ""
        sub.blocks.append(b.p(t("warranty_period", period=period, start=start)))
    elif w.starts is not None:
        sub.blocks.append(b.field("l_warranty_start", _start(b, w.starts)))
    if w.remedies:
        sub.blocks.append(b.p(t("warranty_remedies", what=f.words(w.remedies))))
    flag = b.yes_no(w.exclusive_remedy, "warranty_exclusive")
    if flag:
        sub.blocks.append(b.p(flag))
    if w.conditions:
        sub.blocks += b.intro_list("warranty_conditions", w.conditions, b.u)
    return sub


def _start(b: Builder, v: Any) -> str:
    if isinstance(v, DateExpr):
        return b.when(v)
    return b.m(v, lambda w: b.f.msg["start_" + w])


def _disclaimer(b: Builder, d: C.Disclaimer) -> Section:
    f, t = b.f, b.t
    sub = Section("disclaimer:" + (d.id or ""), _title(b, d))
    by = _who(b, d.by, "term_provider")
    flag = b.yes_no(d.implied, "disclaimer_implied")
    if flag:
        sub.blocks.append(b.p(t("disclaimer_by", by=by) + " " + flag))
    if d.excluded:
        sub.blocks.append(b.p(t("disclaimer_excluded", by=by, what=f.words(d.excluded))))
    if d.as_is:
        sub.blocks += b.intro_list("disclaimer_as_is", d.as_is, b.u)
    return sub


def _insurance(b: Builder, ins: C.Insurance) -> str:
    f, t = b.f, b.t
    holder = _who(b, ins.holder, "term_provider")
    text = t(
        "insurance_text",
        holder=holder,
        cover=f.uq(ins.title or humanise(ins.id or "")) if ins.cover is None else b.m(ins.cover),
    )
    if isinstance(ins.amount, str):
        text += f.msg["insurance_amount_" + ins.amount]
    elif ins.amount is not None:
        basis = ins.amount_basis if isinstance(ins.amount_basis, str) else "per_claim"
        key = "insurance_amount" if basis == "per_claim" else "insurance_amount_" + basis
        text += t(key, amount=f.money(ins.amount))
    if isinstance(ins.amount_basis, Unknown):
        text += t("insurance_amount_basis_unknown", value=f.unknown(ins.amount_basis))
    if ins.aggregate is not None:
        text += t("insurance_aggregate", amount=f.money(ins.aggregate))
    text += "."
    if ins.tail is not None:
        text += " " + t("insurance_tail", duration=b.m(ins.tail, f.duration))
    if ins.insurer_rating is not None:
        text += " " + t("field", label=f.msg["l_insurer_rating"], value=b.m(ins.insurer_rating)) + "."
    if ins.change_notice is not None:
        text += " " + t("insurance_change_notice", when=_advance(b, ins.change_notice))
    if ins.evidence is not None:
        text += " " + t("field", label=f.msg["l_evidence"], value=b.m(ins.evidence)) + "."
    return text


def _advance(b: Builder, v: Any) -> str:
    """`at least 30 days in advance`, `promptly`."""
    if isinstance(v, Duration):
        return b.t("in_advance", duration=b.f.duration(v))
    return b.m(v, lambda w: b.f.msg["notice_" + w])


def _subcontracting(b: Builder, mode: str, sc: C.Subcontracting) -> str:
    """The sentence of a subcontracting mode; the notice is stated only as written."""
    if mode != "notice_objection":
        return b.t("subcontracting_" + mode)
    if sc.notice is None:
        return b.t("subcontracting_notice_objection_unstated")
    return b.t("subcontracting_notice_objection", notice=b.m(sc.notice, b.f.duration))


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
                    lambda v: _subcontracting(b, v, sc),
                )
            )
        )
    if sc.approved:
        s.blocks += b.intro_list("subcontractors_approved", sc.approved, b.u)
    if sc.excluded:
        s.blocks += b.intro_list("subcontracting_excluded", sc.excluded, b.u)
    if sc.exceptions:
        s.blocks.append(b.p(t("subcontracting_exceptions")))
        s.blocks.append(Bullets(subcontracting_exceptions(b, sc.exceptions)))
    s.blocks += b.flags(sc, ("flow_down", "flow_down"), ("prime_liable", "prime_liable"))
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


def art_force_majeure(b: Builder) -> Section | None:
    fm, f, t = b.c.force_majeure, b.f, b.t
    if fm is None:
        return None
    s = Section("force_majeure", f.msg["h_force_majeure"])
    by = fm.by
    stated = False  # whether the effect's sentence states the impediment
    if isinstance(fm.effect, Unknown):
        who = ""
        if isinstance(by, str):
            who = (
                t("fm_effect_unknown_who", who=f.msg["term_" + by], who_de=f.msg["term_" + by + "_de"])
                if by != "both"
                else ""
            )
        s.blocks.append(b.p(t("fm_effect_unknown", who=who, value=f.unknown(fm.effect))))
    elif fm.effect is not None:
        s.blocks.append(b.p(_fm_effect(b, fm.effect, by, fm.impediment)))
        stated = isinstance(fm.impediment, str)
    elif by is not None:
        if isinstance(by, Unknown):
            s.blocks.append(b.p(t("fm_by_party", who_cap=f.unknown(by))))
        elif by == "both":
            s.blocks.append(b.p(t("fm_by_both")))
        else:
            s.blocks.append(b.p(t("fm_by_party", who_cap=_cap(f.msg["term_" + by]))))
    if isinstance(fm.impediment, Unknown):
        s.blocks.append(b.p(t("fm_impediment_unknown", value=f.unknown(fm.impediment))))
    elif fm.impediment is not None and not stated:
        s.blocks.append(b.p(t("fm_impediment", impedes=_fm_impedes(b, fm.impediment, t("fm_obl_concerned")))))
    s.blocks += b.intro_list("fm_events", fm.events, f.word)
    if isinstance(fm.other_causes, Unknown):
        s.blocks.append(b.p(t("fm_other_unknown", value=f.unknown(fm.other_causes))))
    elif fm.other_causes is not None:
        s.blocks.append(b.p(t("fm_other_" + fm.other_causes)))
    s.blocks += b.flags(fm, ("unavoidable", "fm_unavoidable"))
    if isinstance(fm.notice, str):
        s.blocks.append(b.p(t("fm_notice_" + fm.notice)))
    elif fm.notice is not None:
        s.blocks.append(b.p(t("fm_notice", notice=f.duration(fm.notice))))
    s.blocks += _fm_termination(b, fm)
    if fm.not_excused:
        what = f.join([f.msg["fm_not_excused_" + w] for w in fm.not_excused])
        s.blocks.append(b.p(t("fm_not_excused", what=what)))
    s.blocks += b.flags(fm, ("continuity", "fm_continuity"))
    return s


def _fm_effect(b: Builder, effect: str, by: Any, impediment: Any) -> str:
    """The effect of an event on the party it excuses: no liability, or its obligations suspended;
    to the extent the event impedes them as the contract words it, when it says how."""
    f, t = b.f, b.t
    if isinstance(by, Unknown):
        who = f.unknown(by)
        kw = {"who_cap": who, "who": who, "who_de": who}
    elif by is not None and by != "both":
        kw = {"who_cap": _cap(f.msg["term_" + by]), "who": f.msg["term_" + by], "who_de": f.msg["term_" + by + "_de"]}
    else:
        kw = {}
    head = "fm_" + effect + ("_party" if kw else "_both" if by == "both" else "")
    if not isinstance(impediment, str):
        return t(head, **kw)
    if effect == "excused":
        whose = t("fm_obl_its") if by is not None else t("fm_obl_any")
    elif kw:
        whose = t("fm_obl_of", **kw)
    else:
        whose = t("fm_obl_a_party") if by == "both" else t("fm_obl_any")
    key = head + "_to" if effect == "excused" else "fm_suspended_to"
    return t(key, impedes=_fm_impedes(b, impediment, whose), **kw)


def _fm_impedes(b: Builder, impediment: str, whose: str) -> str:
    """What the event does to the performance of `whose` obligations, in the contract's words."""
    return b.t("fm_impedes_" + impediment, obligations=whose)


def _fm_termination(b: Builder, fm: C.ForceMajeure) -> list[Para]:
    """The right to terminate when an event of force majeure lasts, and who has it."""
    f, t = b.f, b.t
    by = fm.terminate_by
    if isinstance(by, Unknown):
        who = f.unknown(by)
    elif by is not None and by != "both":
        who = f.msg["term_" + by]
    else:
        who = ""
    if fm.terminate_after is not None:
        duration = b.m(fm.terminate_after, f.duration)
        if by == "both":
            return [b.p(t("fm_terminate_both", duration=duration))]
        if by is not None:
            return [b.p(t("fm_terminate_party", duration=duration, who=who))]
        return [b.p(t("fm_terminate", duration=duration))]
    if by == "both":
        return [b.p(t("fm_terminate_by_both"))]
    if by is not None:
        return [b.p(t("fm_terminate_by_party", who_cap=_cap(who)))]
    return []


def art_term(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    s = Section("term", f.msg["h_term"])
    dur = Section("duration", f.msg["h_duration"])
    if c.effective is not None and c.term is None and c.end is not None:
        pass  # the fixed end date says it: term.duration_lines
    elif c.effective is not None or c.term is not None:
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
    term.duration_lines(b, dur)
    term.renewal_options(b, dur)
    if dur.blocks:
        s.subsections.append(dur)
    s.subsections += [x for x in (term.conditions(b), term.calendars_and_events(b)) if x is not None]
    tm = c.termination
    if tm is not None:
        sub = Section("termination", f.msg["h_termination"])
        if tm.notice is not None:
            if isinstance(tm.notice, Duration) and tm.notice.amount == 0:
                sub.blocks.append(b.p(t("termination_notice_none")))
            else:
                sub.blocks.append(b.p(t("termination_notice", notice=f.duration(tm.notice))))
        fc = tm.for_cause
        if fc is not None:
            by = b.m(fc.by, lambda v: f.msg["by_" + v]) if fc.by is not None else f.msg["by_both"]
            if fc.cure is not None:
                sub.blocks.append(b.p(t("for_cause", by=by, cure=b.m(fc.cure, f.duration))))
            else:  # no cure period is written: none is stated
                sub.blocks.append(b.p(t("for_cause_no_cure", by=by)))
            if fc.grounds:
                sub.blocks += b.intro_list("grounds_intro", fc.grounds, b.u)
            sub.blocks += b.intro_list("events_intro", fc.events, lambda g: _ground(b, g))
        fv = tm.for_convenience
        if fv is not None:
            notice = _on_notice(b, fv.notice) if fv.notice is not None else ""  # none written, none stated
            if fv.by is None or fv.by == "both":
                sub.blocks.append(b.p(t("for_convenience_either", notice=notice)))
            else:
                sub.blocks.append(b.p(t("for_convenience", by=b.m(fv.by, lambda v: f.msg["by_" + v]), notice=notice)))
            if fv.takes_effect is not None:
                sub.blocks.append(b.p(b.m(fv.takes_effect, lambda v: t("convenience_takes_effect_" + v))))
            if fv.fees:
                sub.blocks.append(b.p(t("convenience_fees_intro")))
                sub.blocks.append(
                    Table(
                        [f.msg["th_contract_year"], f.msg["th_termination_fee"]],
                        [
                            b.row(
                                [t("year_n", n=x.year) if x.year is not None else f.msg["any_year"], f.value(x.amount)]
                            )
                            for x in fv.fees
                        ],
                        numeric=(1,),
                    )
                )
            if fv.payer is not None:
                sub.blocks.append(b.p(t("termination_fee_payer", payer=f.party(fv.payer))))
            sub.blocks += b.intro_list("instalments_intro", fv.instalments, f.phrasal)
            sub.blocks += b.intro_list("also_payable_intro", fv.also_payable, b.u)
            sub.blocks += b.flags(fv, ("fee_uncapped", "fee_uncapped"), ("fee_liquidated", "fee_liquidated"))
            sub.blocks += [b.p(_convenience_right(b, r)) for r in fv.rights]
        if tm.chronic_failure is not None:
            sub.blocks.append(b.p(t("chronic_failure", what=b.m(tm.chronic_failure))))
        for pt in tm.partial:
            sub.blocks.append(b.p(_partial(b, pt)))
        if tm.accrued_paid_within is not None:
            sub.blocks.append(b.p(t("accrued_paid_within", duration=f.duration(tm.accrued_paid_within))))
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
            sub.blocks += b.intro_list("exit_assets", ex.assets, b.u)
        flag = b.yes_no(ex.deletion_certificate, "deletion_certificate")
        if flag:
            sub.blocks.append(b.p(flag))
        if ex.deletion_evidence is not None:
            ev = ex.deletion_evidence
            if isinstance(ev, Unknown):
                sub.blocks.append(b.p(t("deletion_evidence_unknown", value=f.unknown(ev))))
            else:
                sub.blocks.append(b.p(t("deletion_evidence_" + ev)))
        if ex.liaison_after_end is not None:
            sub.blocks.append(b.p(t("exit_liaison", duration=f.duration(ex.liaison_after_end))))
        if ex.assistance_default_cure is not None:
            sub.blocks.append(b.p(t("exit_default_cure", duration=f.duration(ex.assistance_default_cure))))
        _exit_economics(b, ex, sub)
        if sub.blocks:
            s.subsections.append(sub)
    return s


def art_law(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    given = (c.governing_law, c.jurisdiction, c.dispute_resolution, c.arbitration, c.limitation_period, c.legal_costs)
    if all(v is None for v in given):
        return None
    s = Section("law", f.msg["h_law"])
    if c.governing_law is not None:
        s.blocks.append(b.p(t("governing_law", law=b.m(c.governing_law, functools.partial(law_name, b)))))
    if c.dispute_resolution is not None:
        s.blocks.append(b.p(t("dispute_resolution", how=b.m(c.dispute_resolution))))
    if c.arbitration is not None:
        s.blocks += _arbitration(b, c.arbitration)
    if c.jurisdiction == "none":
        s.blocks.append(b.p(t("jurisdiction_none")))
    elif c.jurisdiction is not None:
        key = "jurisdiction_besides_arbitration" if c.arbitration is not None else "jurisdiction"
        s.blocks.append(b.p(t(key, court=b.m(c.jurisdiction))))
    if c.limitation_period is not None:
        but = t("limitation_except", what=f.words(c.limitation_exceptions)) if c.limitation_exceptions else ""
        s.blocks.append(b.p(t("limitation_period", duration=b.m(c.limitation_period, f.duration), but=but)))
    elif c.limitation_exceptions:
        s.blocks.append(b.field("l_limitation_exceptions", f.words(c.limitation_exceptions)))
    if c.legal_costs is not None:
        s.blocks.append(b.p(_choice(b, c.legal_costs, "legal_costs_")))
    return s


def _arbitration(b: Builder, a: C.Arbitration) -> list:
    f, t = b.f, b.t
    out: list = [b.p(t("arbitration"))]
    fields = (
        ("l_arbitration_institution", "institution", None),
        ("l_arbitration_rules", "rules", None),
        ("l_arbitration_seat", "seat", None),
        ("l_arbitration_arbitrators", "arbitrators", f.number),
        ("l_arbitration_appointment", "appointment", None),
        ("l_arbitration_language", "language", functools.partial(language_name, b)),
        ("l_arbitration_scope", "scope", None),
        ("l_arbitration_award_within", "award_within", f.duration),
        ("l_arbitration_enforcement", "enforcement", None),
    )
    for label, name, fn in fields:
        value = getattr(a, name)  # read when its sentence is made (its source)
        if value is not None:
            out.append(b.field(label, b.m(value, fn)))
    out += b.flags(a, ("binding", "arbitration_binding"), ("in_equity", "arbitration_equity"))
    if a.carve_outs:
        out.append(b.p(t("arbitration_carve_outs", what=f.words(a.carve_outs))))
    return out


def law_name(b: Builder, code: str) -> str:
    known = b.f.msg.get("law_" + code)
    if known:
        return known
    country, dash, sub = code.upper().partition("-")
    if dash:
        return b.t("law_subdivision", code=code.upper(), country=b.f.word(country))
    return b.t("law_of", country=b.f.word(code))


def language_name(b: Builder, code: str) -> str:
    """`es`: the language's name in the document's language, with its code."""
    from babel import Locale

    name = Locale.parse(b.f.locale).languages.get(code.lower())
    return f"{name} ({code})" if name else code


def art_clauses(b: Builder) -> list[Section]:
    out = []
    for cl in b.c.clauses:
        s = Section("clause:" + (cl.id or ""), b.u(cl.title or humanise(cl.id or "")))
        if cl.text is not None:
            s.blocks += b.paras_of_text(cl.text, {a.id or "": a for a in cl.args} if cl.params else None)
        out.append(s)
    return out


def _sentence(text: str) -> str:
    """User text as a sentence: it ends with a full stop."""
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _on_notice(b: Builder, notice: Any, key: str = "on_notice") -> str:
    """`, on 30 days notice` (the phrase `key`); a notice of zero is `with immediate effect`."""
    if isinstance(notice, Duration) and notice.amount == 0:
        return b.f.msg["immediate_effect" if key == "on_notice" else "partial_immediately"]
    return b.t(key, notice=b.m(notice, b.f.duration))


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
    text = _sentence(" — ".join(parts)) + " "
    if g.by is not None:
        text += t("ground_by", party=_cap(f.party(g.by)))
    else:
        text += t("ground_by_other")
    if g.cure is not None:
        text += t("ground_cure", cure=f.duration(g.cure))
    if g.notice is not None:
        text += _on_notice(b, g.notice, "ground_notice")
    text += "."
    if g.fee is not None:
        payer = _cap(f.party(g.fee_payer)) if g.fee_payer is not None else f.msg["the_defaulting_party"]
        text += " " + t("ground_fee", payer=payer, fee=f.value(g.fee))
    for flag in (b.yes_no(g.no_fee, "ground_no_fee"), b.yes_no(g.fee_liquidated, "fee_liquidated")):
        if flag:
            text += " " + flag
    if g.threshold is not None:
        text += " " + t("ground_threshold", threshold=b.m(g.threshold, f.percent))
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
    if pt.notice is not None:
        text += _on_notice(b, pt.notice, "partial_notice")
    text += "."
    if pt.fee is not None:
        text += " " + t("partial_fee", fee=f.value(pt.fee))
    if pt.price_adjustment is not None:
        text += " " + b.t("field", label=f.msg["l_price_adjustment"], value=b.m(pt.price_adjustment)) + "."
    if pt.description is not None:
        text += " " + _sentence(b.m(pt.description))
    return text


def _convenience_right(b: Builder, r: C.ConvenienceRight) -> str:
    """One party's own right to terminate for convenience: who, on what notice, and the fee and its payer."""
    f, t = b.f, b.t
    who = _cap(f.party(r.by)) if r.by is not None else f.msg["each_party_cap"]
    text = t("right_text", who=who)
    if r.notice is not None:
        text += _on_notice(b, r.notice, "partial_notice")
    text += "."
    if r.fee is not None:
        payer = t("right_fee_payer", payer=f.party(r.fee_payer)) if r.fee_payer is not None else ""
        text += " " + t("right_fee", fee=f.value(r.fee), payer=payer)
    if r.description is not None:
        text += " " + _sentence(b.m(r.description))
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
    sub.blocks += b.flags(ex, ("estimate_first", "estimate_first"), ("assistance_optional", "assistance_optional"))
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
    sub.blocks += b.intro_list("client_duties_intro", ex.client_duties, b.u)
    if ex.return_materials is not None:
        sub.blocks.append(b.p(t("return_materials_text", duration=f.duration(ex.return_materials))))
