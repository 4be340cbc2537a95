"""Service levels: the article and its annex."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bpolang.i18n.fmt import humanise
from bpolang.model import contract as C
from bpolang.model.values import Unknown
from bpolang.render.ir import Section, Table

if TYPE_CHECKING:
    from bpolang.render.build import Builder


def art_service_levels(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.service_levels:
        return None
    s = Section("service_levels", f.msg["h_service_levels"])
    s.blocks.append(b.msg_with_ref("sla_intro", "annex_sla"))
    for sl in c.service_levels:
        sub = Section("sla:" + (sl.id or ""), b.u(sl.title or humanise(sl.id or "")))
        if sl.metric is not None:
            sub.blocks.append(b.field("l_metric", b.m(sl.metric)))
        if sl.target is not None:
            sub.blocks.append(b.field("l_target", target(b, sl)))
        if sl.window is not None:
            sub.blocks.append(b.field("l_window", b.m(sl.window, f.phrasal)))
        if sl.hours:
            sub.blocks.append(b.field("l_measured_hours", f.join([f.hours(h) for h in sl.hours])))
        if sl.calendar is not None:
            sub.blocks.append(b.field("l_calendar", b.m(sl.calendar, f.word)))
        if sl.timezone is not None:
            sub.blocks.append(b.field("l_timezone", b.m(sl.timezone)))
        if sl.applies_to:
            sub.blocks.append(b.field("l_applies_to", f.join([f.ref(r) for r in sl.applies_to])))
        if sl.measured_by is not None:
            sub.blocks.append(b.field("l_measured_by", b.m(sl.measured_by)))
        if sl.report is not None:
            sub.blocks.append(b.field("l_report", f.ref(sl.report)))
        if sl.breach is not None:
            sub.blocks.append(b.field("l_breach", b.m(sl.breach, f.phrasal)))
        if sl.exclusions:
            sub.blocks.append(b.field("l_sla_exclusions", f.words(sl.exclusions)))
        if sl.maintenance is not None:
            sub.blocks.append(b.field("l_maintenance", b.m(sl.maintenance, f.phrasal)))
        if sl.depends_on is not None:
            sub.blocks.append(b.field("l_depends_on", b.m(sl.depends_on)))
        if sl.credit is not None:
            sub.blocks.append(b.field("l_credit", t("credit_text", credit=f.value(sl.credit))))
        if sl.severities:
            sub.blocks.append(
                Table(
                    [f.msg["th_severity"], f.msg["th_response"], f.msg["th_resolution"]],
                    [
                        [
                            b.u(sv.title or humanise(sv.id or "")),
                            b.m(sv.response, f.duration) if sv.response is not None else "\u2014",
                            b.m(sv.resolution, f.duration) if sv.resolution is not None else "\u2014",
                        ]
                        for sv in sl.severities
                    ],
                )
            )
        s.subsections.append(sub)
    return s


def target(b: Builder, sl: C.ServiceLevel) -> str:
    f = b.f
    value = f.value(sl.target)
    comp = sl.comparator
    if isinstance(comp, Unknown):
        return f"{value} ({f.unknown(comp)})"
    if comp is None:
        if isinstance(sl.target, C.Duration):
            comp = "at_most"
        else:
            comp = "at_least"
    return b.t("target_" + comp, value=value)


def annex_sla(b: Builder) -> Section | None:
    c, f = b.c, b.f
    if not c.service_levels:
        return None
    s = Section("annex_sla", f.msg["h_annex_sla"])
    rows = []
    for sl in c.service_levels:
        rows.append(
            [
                b.u(sl.title or humanise(sl.id or "")),
                target(b, sl) if sl.target is not None else f.msg["not_stated"],
                b.m(sl.window, f.phrasal) if sl.window is not None else "\u2014",
                f.join([f.ref(r) for r in sl.applies_to]) if sl.applies_to else "\u2014",
                f.value(sl.credit) if sl.credit is not None else "\u2014",
            ]
        )
    s.blocks.append(
        Table(
            [f.msg["th_sla"], f.msg["th_target"], f.msg["th_window"], f.msg["th_services"], f.msg["th_sla_credit"]],
            rows,
        )
    )
    s.blocks.append(b.msg_with_ref("annex_sla_note", "service_levels"))
    return s
