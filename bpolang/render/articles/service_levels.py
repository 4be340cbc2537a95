"""Service levels: the article and its annex."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bpolang.i18n.fmt import humanise
from bpolang.model import contract as C
from bpolang.model.bases import level_credits
from bpolang.model.values import Unknown
from bpolang.render.ir import Section, Table

if TYPE_CHECKING:
    from bpolang.render.build import Builder

# The service family's constructs (service levels and credits, dates, term and renewal) that the
# renderer does not state yet, as "Class.field": none — each is worded here, in penalties.py
# (credits) or in term.py (term, renewal options, conditions, calendars, events, signatures).
UNRENDERED: frozenset[str] = frozenset()


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
        if sl.deadline is not None:
            sub.blocks.append(b.field("l_deadline", b.m(sl.deadline, lambda v: t("sla_deadline", time=f.time(v)))))
        if sl.input_cutoff is not None:
            sub.blocks.append(
                b.field("l_input_cutoff", b.m(sl.input_cutoff, lambda v: t("sla_input_cutoff", time=f.time(v))))
            )
        if sl.allowed_misses is not None:
            sub.blocks.append(
                b.field("l_allowed_misses", b.m(sl.allowed_misses, lambda v: t("sla_allowed_misses", n=v)))
            )
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
        if sl.maintenance_windows:
            sub.blocks.append(b.field("l_maintenance_windows", f.join([f.hours(h) for h in sl.maintenance_windows])))
        if sl.depends_on is not None:
            sub.blocks.append(b.field("l_depends_on", b.m(sl.depends_on)))
        if sl.credit is not None:
            sub.blocks.append(b.field("l_credit", t("credit_text", credit=f.value(sl.credit))))
        if sl.severities:
            sub.blocks.append(severity_table(b, sl.severities))
        s.subsections.append(sub)
    return s


def severity_table(b: Builder, severities: list[C.Severity]) -> Table:
    """Response, restore and resolution times per severity; the restore and hours columns when given."""
    f = b.f
    restore = any(sv.restore is not None for sv in severities)
    hours = any(sv.hours for sv in severities)

    def time(sv: C.Severity, v) -> str:
        if v is None:
            return "\u2014"
        text = b.m(v, f.duration)
        if isinstance(sv.comparator, Unknown):
            return f"{text} ({f.unknown(sv.comparator)})"
        return b.t("severity_less_than", value=text) if sv.comparator == "less_than" else text

    head = [f.msg["th_severity"], f.msg["th_response"]]
    head += [f.msg["th_restore"]] if restore else []
    head += [f.msg["th_resolution"]]
    head += [f.msg["th_severity_hours"]] if hours else []
    rows = []
    for sv in severities:
        name = b.u(sv.title or humanise(sv.id or ""))
        if sv.description is not None:
            name += " \u2014 " + b.m(sv.description)
        row = [name, time(sv, sv.response)]
        row += [time(sv, sv.restore)] if restore else []
        row += [time(sv, sv.resolution)]
        row += [f.join([f.hours(h) for h in sv.hours]) if sv.hours else "\u2014"] if hours else []
        rows.append(b.row(row))
    return Table(head, rows)


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


def credits(b: Builder, sl: C.ServiceLevel) -> str:
    """The credits a service level earns: its own credit, then each step or pool share of the credit
    regimes that apply to it (:func:`bpolang.model.bases.level_credits`, which the credits article
    states regime by regime); a dash when it earns none."""
    f = b.f
    parts = [f.value(sl.credit)] if sl.credit is not None else []
    for _, credit in level_credits(b.c, sl):
        if isinstance(credit, C.Step):
            cond = b.t("step_cond_" + credit.comparator, value=f.value(credit.threshold))
            parts.append(b.t("field", label=cond, value=f.value(credit.credit)))
        else:
            parts.append(f.phrasal(credit))
    return f.msg["special_sep"].join(parts) if parts else "\u2014"


def annex_sla(b: Builder) -> Section | None:
    c, f = b.c, b.f
    if not c.service_levels:
        return None
    s = Section("annex_sla", f.msg["h_annex_sla"])
    rows = []
    for sl in c.service_levels:
        rows.append(
            b.row(
                [
                    b.u(sl.title or humanise(sl.id or "")),
                    target(b, sl) if sl.target is not None else f.msg["not_stated"],
                    b.m(sl.window, f.phrasal) if sl.window is not None else "\u2014",
                    f.join([f.ref(r) for r in sl.applies_to]) if sl.applies_to else "\u2014",
                    credits(b, sl),
                ]
            )
        )
    s.blocks.append(
        Table(
            [f.msg["th_sla"], f.msg["th_target"], f.msg["th_window"], f.msg["th_services"], f.msg["th_sla_credit"]],
            rows,
        )
    )
    s.blocks.append(b.msg_with_ref("annex_sla_note", "service_levels"))
    return s
