"""What is provided: the scope and its limits, the deliverables, the schedule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bpolang.i18n.fmt import humanise
from bpolang.render.ir import Bullets, Run, Section

if TYPE_CHECKING:
    from bpolang.render.build import Builder


def art_scope(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.services and not c.exclusions:
        return None
    s = Section("scope", f.msg["h_scope"])
    if c.services:
        s.blocks.append(b.p(t("scope_intro")))
    for svc in c.services:
        sub = Section("service:" + (svc.id or ""), b.u(svc.title or humanise(svc.id or "")))
        if svc.description is not None:
            sub.blocks += (
                b.paras_of_text(svc.description)
                if isinstance(svc.description, str)
                else [b.p(f.unknown(svc.description))]
            )
        if svc.includes:
            sub.blocks += b.intro_list("includes", svc.includes, b.u)
        if svc.volume is not None:
            sub.blocks.append(b.field("l_volume", t("volume_text", volume=f.quantity(svc.volume))))
        if svc.hours:
            sub.blocks.append(b.field("l_hours", f.join([f.hours(h) for h in svc.hours])))
        if svc.calendar is not None:
            sub.blocks.append(b.field("l_calendar", b.m(svc.calendar, f.word)))
        if svc.timezone is not None:
            sub.blocks.append(b.field("l_timezone", b.m(svc.timezone)))
        if svc.channels:
            sub.blocks.append(b.field("l_channels", f.words(svc.channels)))
        if svc.acknowledgement is not None:
            sub.blocks.append(b.field("l_acknowledgement", t("within", duration=f.duration(svc.acknowledgement))))
        if svc.method is not None:
            sub.blocks.append(b.field("l_method", b.m(svc.method)))
        if svc.prioritisation is not None:
            sub.blocks.append(b.field("l_prioritisation", b.m(svc.prioritisation)))
        if svc.tools:
            sub.blocks.append(b.field("l_tools", f.join([b.u(x) for x in svc.tools])))
        if svc.performed_by is not None:
            sub.blocks.append(b.field("l_performed_by", f.party(svc.performed_by)))
        s.subsections.append(sub)
    if c.exclusions:
        sub = Section("exclusions", f.msg["h_exclusions"])
        sub.blocks += b.intro_list("exclusions_intro", c.exclusions, lambda e: b.u(e.title or ""))
        s.subsections.append(sub)
    return s


def art_deliverables(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.deliverables:
        return None
    s = Section("deliverables", f.msg["h_deliverables"])
    s.blocks.append(b.msg_with_ref("deliverables_intro", "annex_calendar"))
    for d in c.deliverables:
        sub = Section("deliverable:" + (d.id or ""), b.u(d.title or humanise(d.id or "")))
        if d.description is not None:
            sub.blocks.append(b.p(b.m(d.description)))
        if d.owner is not None or d.recipient is not None:
            sub.blocks.append(
                b.p(
                    t(
                        "deliverable_by_to",
                        owner=f.party(d.owner) if d.owner is not None else f.msg["term_provider"],
                        recipient=f.party(d.recipient, "a") if d.recipient is not None else f.msg["term_client_a"],
                    )
                )
            )
        if d.format is not None:
            sub.blocks.append(b.field("l_format", b.m(d.format, f.word)))
        if d.due is not None:
            sub.blocks.append(b.field("l_due", b.when(d.due)))
        if d.deadline is not None:
            sub.blocks.append(b.p(t("deadline_text", duration=f.duration(d.deadline))))
        if d.after:
            sub.blocks.append(b.field("l_after", f.join([f.ref(r) for r in d.after])))
        if d.acceptance is not None:
            sub.blocks.append(b.p(t("acceptance_text", duration=f.duration(d.acceptance))))
        if d.acceptance_criteria is not None:
            sub.blocks.append(b.field("l_acceptance_criteria", b.m(d.acceptance_criteria)))
        s.subsections.append(sub)
    if any(d.acceptance is not None for d in c.deliverables):
        s.subsections.append(Section("acceptance", f.msg["h_acceptance"], [b.p(t("acceptance_general"))]))
    return s


def art_schedule(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.milestones:
        return None
    s = Section("schedule", f.msg["h_schedule"])
    s.blocks.append(b.p(t("schedule_intro")))
    items = []
    for m in c.milestones:
        runs = [Run(b.u(m.title or humanise(m.id or "")), bold=True)]
        bits = []
        if m.date is not None:
            bits.append(b.when(m.date))
        else:
            bits.append(f.msg["date_not_stated"])
        if m.owner is not None:
            bits.append(t("responsible", who=f.party(m.owner, "de")))
        if m.after:
            bits.append(t("after_list", what=f.join([f.ref(r) for r in m.after])))
        if m.long_stop is not None:
            bits.append(t("long_stop", date=b.when(m.long_stop)))
        text = f.msg["def_sep"] + " ; ".join(bits) if b.lang == "fr" else f.msg["def_sep"] + "; ".join(bits)
        if b.lang == "fr":
            text = text.replace(" ; ", "\u202f; ")
        if m.description is not None:
            text += ". " + b.m(m.description)
        runs.append(Run(text + "."))
        items.append(runs)
    s.blocks.append(Bullets(items))
    if any(m.long_stop is not None for m in c.milestones):
        s.blocks.append(b.msg_with_ref("long_stop_effect", "term"))
    return s
