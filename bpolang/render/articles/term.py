"""Term and renewal beyond the duration: the fixed end date, the "as of" date, renewal options,
conditions precedent, the contract's own calendars and undated events (part of the term article)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bpolang.i18n.fmt import humanise
from bpolang.model.values import WEEKDAYS, DateExpr, Recurrence, Unknown
from bpolang.render.ir import Bullets, Run, Section

if TYPE_CHECKING:
    from bpolang.render.build import Builder


def duration_lines(b: Builder, dur: Section) -> None:
    """The `as_of` date, and the fixed `end` when no `term` gives the duration."""
    c, f, t = b.c, b.f, b.t
    if c.as_of is not None:
        dur.blocks.insert(0, b.p(t("as_of", date=b.m(c.as_of, f.date_expr))))
    if c.end is not None and c.term is None:
        eff = b.m(c.effective, f.date_expr) if c.effective is not None else f.msg["date_not_stated"]
        dur.blocks.append(b.p(t("term_end_date", effective=eff, end=b.m(c.end, f.date_expr))))


def renewal_options(b: Builder, dur: Section) -> None:
    c, f, t = b.c, b.f, b.t
    for opt in c.renewal_options:
        title = b.u(opt.title or humanise(opt.id or ""))
        text = t(
            "renewal_option",
            title=title,
            by=f.party(opt.by) if opt.by is not None else f.msg["by_either_party"],
            count=b.m(opt.count, lambda n: t("renewal_option_count", times=_times(b, n)))
            if opt.count is not None
            else "",
            period=b.m(opt.period, f.duration) if opt.period is not None else f.msg["not_stated"],
        )
        if opt.until is not None:
            text += t("renewal_option_until", end=b.when(opt.until))
        if opt.notice is not None:
            text += t("renewal_option_notice", notice=b.m(opt.notice, f.duration))
        if isinstance(opt.notice_by, Recurrence):
            text += t("renewal_option_notice_by_each", when=f.recurrence(opt.notice_by))
        elif opt.notice_by is not None:
            text += t("renewal_option_notice_by", when=b.when(opt.notice_by))
        if opt.notice_form is not None:
            text += b.m(opt.notice_form, lambda v: f.msg["renewal_option_form_" + v])
        if opt.requires:
            text += t("renewal_option_requires", what=f.join([f.ref(r) for r in opt.requires]))
        dur.blocks.append(b.p(text + "."))
        if opt.description is not None:
            dur.blocks.append(b.p(b.m(opt.description)))


def _times(b: Builder, n: int) -> str:
    return b.f.msg["once_time"] if n == 1 else b.t("times", n=n)


def conditions(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.conditions_precedent:
        return None
    s = Section("conditions_precedent", f.msg["h_conditions_precedent"])
    s.blocks.append(b.p(t("conditions_intro")))
    items = []
    for cp in c.conditions_precedent:
        text = b.u(cp.title or humanise(cp.id or ""))
        if cp.owner is not None:
            text += t("condition_owner", owner=f.party(cp.owner))
        if cp.by is not None:
            text += t("condition_by", date=b.when(cp.by))
        if cp.waivable_by is not None:
            text += t("condition_waivable", party=f.party(cp.waivable_by))
        if cp.description is not None:
            text += t("condition_description", text=b.m(cp.description))
        items.append([Run(text)])
    s.blocks.append(Bullets(items))
    return s


def calendars_and_events(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.calendars and not c.events and c.calendar is None:
        return None
    s = Section("calendars", f.msg["h_calendars"])
    if c.calendar is not None:
        s.blocks.append(b.p(t("contract_calendar", calendar=b.m(c.calendar, lambda v: _calendar_name(b, v)))))
    for cal in c.calendars:
        days = [WEEKDAYS.index(d) for d in cal.open_days] or list(range(5))
        text = t(
            "calendar_decl",
            title=b.u(cal.title or humanise(cal.id or "")),
            days=f.join([f.msg["weekday_" + str(d)] for d in days]),
        )
        if cal.based_on is not None:
            text += t("calendar_based_on", country=b.m(cal.based_on, f.word))
        dates = [h for h in cal.holidays if isinstance(h, (DateExpr, Unknown))]
        if dates:
            text += t("calendar_holidays", dates=f.join([b.when(h) for h in dates]))
        s.blocks.append(b.p(text + "."))
        if cal.description is not None:
            s.blocks.append(b.p(b.m(cal.description)))
    for ev in c.events:
        text = t("event_decl", title=b.u(ev.title or humanise(ev.id or "")))
        if ev.by is not None:
            text += t("event_by", party=f.party(ev.by))
        s.blocks.append(b.p(text + "."))
        if ev.description is not None:
            s.blocks.append(b.p(b.m(ev.description)))
    return s


def _calendar_name(b: Builder, word: str) -> str:
    declared = next((x for x in b.c.calendars if x.id == word), None)
    if declared is not None:
        return b.u(declared.title or humanise(word))
    return b.f.word(word)


def signature_rows(b: Builder) -> list[list[str]]:
    """One row per `signature`: the party, the signatory and capacity, the date, the place, the witness."""
    f = b.f
    rows = []
    for sg in b.c.signatures:
        who = f.party(sg.party) if sg.party is not None else "\u2014"
        name = b.m(sg.signatory) if sg.signatory is not None else f.msg["name_blank"]
        if sg.capacity is not None:
            name += f" ({b.m(sg.capacity)})"
        rows.append(
            b.row(
                [
                    who,
                    name,
                    b.m(sg.date, f.date_expr) if sg.date is not None else f.msg["date_blank"],
                    b.m(sg.place) if sg.place is not None else "\u2014",
                    b.m(sg.witness) if sg.witness is not None else "\u2014",
                ]
            )
        )
    return rows
