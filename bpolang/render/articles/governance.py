"""Governance, reporting and change control."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bpolang.i18n.fmt import humanise
from bpolang.model.values import Ref
from bpolang.render.articles.structure import key_persons
from bpolang.render.ir import Bullets, Para, Run, Section, Table

if TYPE_CHECKING:
    from bpolang.render.build import Builder


def art_governance(b: Builder) -> Section | None:
    g, f, t = b.c.governance, b.f, b.t
    if g is None:
        return None
    s = Section("governance", f.msg["h_governance"])
    if g.committees:
        s.blocks.append(b.p(t("committees_intro")))
    for cm in g.committees:
        sub = Section("committee:" + (cm.id or ""), b.u(cm.title or humanise(cm.id or "")))
        if cm.purpose is not None:
            sub.blocks.append(b.field("l_purpose", b.m(cm.purpose)))
        if cm.cadence is not None:
            sub.blocks.append(b.field("l_cadence", b.m(cm.cadence, f.recurrence)))
        if cm.members:
            sub.blocks += b.intro_list("members", cm.members, b.u)
        if cm.chair is not None:
            sub.blocks.append(b.p(t("chair", who=f.party(cm.chair))))
        if cm.minutes_by is not None:
            sub.blocks.append(b.p(t("minutes_by", who=f.party(cm.minutes_by))))
        s.subsections.append(sub)
    if g.reports or g.dashboard is not None:
        sub = Section("reporting", f.msg["h_reporting"])
        for r in g.reports:
            runs = [Run(b.u(r.title or humanise(r.id or "")), bold=True)]
            bits = []
            if r.author is not None:
                bits.append(t("report_author", who=f.party(r.author)))
            if r.recipients:
                bits.append(t("report_recipients", who=f.join([f.party(x, "a") for x in r.recipients])))
            if r.due is not None:
                bits.append(b.when(r.due))
            if r.deadline is not None:
                bits.append(t("within", duration=f.duration(r.deadline)))
            if r.format is not None:
                bits.append(t("in_format", format=b.m(r.format, f.word)))
            text = f.msg["def_sep"] + ", ".join(bits) if bits else ""
            if r.content:
                text += (". " if bits else f.msg["def_sep"]) + t(
                    "report_content", items=f.join([b.u(x) for x in r.content])
                )
            runs.append(Run(text + "."))
            sub.blocks.append(Para(runs))
        if g.dashboard is not None:
            sub.blocks.append(b.field("l_dashboard", b.m(g.dashboard)))
        s.subsections.append(sub)
    if g.escalation:
        sub = Section("escalation", f.msg["h_escalation"])
        sub.blocks.append(b.p(t("escalation_intro")))
        rows = []
        for i, lv in enumerate(g.escalation, 1):
            rows.append(
                b.row(
                    [
                        str(i),
                        b.u(lv.title or humanise(lv.id or ""))
                        + (" (" + f.join([b.u(x) for x in lv.members]) + ")" if lv.members else ""),
                        b.m(lv.within, f.duration) if lv.within is not None else "\u2014",
                    ]
                )
            )
        sub.blocks.append(Table([f.msg["th_level"], f.msg["th_escalation_to"], f.msg["th_within"]], rows))
        s.subsections.append(sub)
    if g.representatives or g.key_personnel or g.key_persons:
        sub = Section("personnel", f.msg["h_personnel"])
        if g.representatives:
            sub.blocks += b.intro_list("representatives", g.representatives, b.u)
        if g.key_personnel:
            sub.blocks += b.intro_list("key_personnel", g.key_personnel, b.u)
        if g.key_persons:
            sub.blocks.append(b.p(t("key_persons")))
            sub.blocks.append(Bullets(key_persons(b, g.key_persons)))
        s.subsections.append(sub)
    return s


def art_change(b: Builder) -> Section | None:
    cc, f, t = b.c.change_control, b.f, b.t
    if cc is None:
        return None
    s = Section("change", f.msg["h_change"])
    if cc.description is not None:
        s.blocks.append(b.p(b.m(cc.description) + "."))
    if cc.request is not None:
        s.blocks.append(b.field("l_change_request", b.m(cc.request)))
    if cc.impact_analysis is not None:
        s.blocks.append(b.p(t("impact_analysis", duration=f.duration(cc.impact_analysis))))
    if cc.approval is not None:
        if isinstance(cc.approval, Ref):
            s.blocks.append(b.p(t("change_approval", who=f.ref(cc.approval))))
        else:
            s.blocks.append(b.field("l_change_approval", b.m(cc.approval)))
    if cc.pricing is not None:
        s.blocks.append(b.p(b.m(cc.pricing, lambda v: f.msg["change_pricing_" + v])))
    if cc.amendment is not None:
        s.blocks.append(b.p(b.m(cc.amendment, lambda v: f.msg["amendment_" + v])))
    return s
