"""Data protection and confidentiality, and the data-processing annex."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bpolang.i18n.fmt import humanise
from bpolang.model import contract as C
from bpolang.model.values import Ref
from bpolang.render.articles.regime import data_law, gdpr_term
from bpolang.render.ir import Bullets, Run, Section, Table

if TYPE_CHECKING:
    from bpolang.render.build import Builder


def breach_delay(b: Builder, v: Any) -> str:
    """A breach-notification delay: a duration, or the contract's word (`promptly`)."""
    if isinstance(v, str):
        return b.f.msg["breach_word_" + v]
    return b.f.duration(v)


def regimes(b: Builder, codes: Sequence[str]) -> str:
    return b.f.join([b.f.msg["regime_" + r] for r in codes])


def art_data(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.data and not c.regimes:
        return None
    s = Section("data", f.msg["h_data"])
    if c.regimes:
        s.blocks.append(b.p(t("contract_regimes", regimes=regimes(b, c.regimes))))
    if not c.data:
        return s
    roles = []
    for p in c.parties:
        with b.unnoted():  # a party without a role (`none`) is not stated
            role = p.gdpr_role
        if isinstance(role, str) and role != "none":
            p.gdpr_role  # noqa: B018 - read again, noted: the sentence states it
            roles.append(t("gdpr_role_is", who=f.party(p.id or ""), role=f.msg["gdpr_" + role]))
    if roles:
        s.blocks.append(b.p(t("gdpr_roles", roles=f.join(roles), gdpr=gdpr_term(b))))
    b.note(c.data)  # the sentence states that there are data, described in the annex
    plain = "data_intro_plain" if entrusted(b) else "data_intro_neutral"
    s.blocks.append(b.msg_with_ref("data_intro" if b.gdpr else plain, "annex_dpa", gdpr=gdpr_term(b)))
    personal = [d for d in c.data if d.personal is not False]
    durations = [d.breach_notification for d in personal if d.breach_notification is not None]
    breach = sorted({breach_delay(b, x) for x in durations if not isinstance(x, str)})
    words = sorted({breach_delay(b, x) for x in durations if isinstance(x, str)})
    if breach:
        s.blocks.append(b.p(t("breach_text", delay=f.join(breach, "or") if len(breach) > 1 else breach[0])))
    if words:
        s.blocks.append(b.p(t("breach_text_word", delay=f.join(words, "or"))))
    if len(breach) + len(words) > 1:
        s.blocks.append(b.msg_with_ref("breach_per_asset", "annex_dpa"))
    transfers = []
    for d in c.data:
        if d.location:
            text = t("located_in", what=b.u(d.title or humanise(d.id or "")), where=f.words(d.location))
            if d.transfer is not None:
                text += transfer(b, d.transfer)
            transfers.append([Run(text)])
    if transfers:
        s.blocks.append(b.p(t("locations_intro")))
        s.blocks.append(Bullets(transfers))
    return s


def transfer(b: Builder, tr: Any) -> str:
    if isinstance(tr, C.Transfer) and tr.mechanism == "none":
        return b.f.msg["special_sep"] + b.f.msg["transfer_none_" + data_law(b)]
    how = b.m(tr, b.f.phrasal)
    if isinstance(tr, C.Transfer) and tr.mechanism == "scc" and data_law(b) == "uk_gdpr":
        # under the UK GDPR alone, clauses the contract calls standard are not the Commission's
        how = how.replace(b.f.msg["transfer_scc"], b.f.msg["transfer_scc_uk"], 1)
    return b.t("transfer_by", how=how)


def art_confidentiality(b: Builder) -> Section | None:
    cf, f, t = b.c.confidentiality, b.f, b.t
    if cf is None:
        return None
    s = Section("confidentiality", f.msg["h_confidentiality"])
    s.blocks.append(b.p(t("confidentiality_base")))
    if cf.scope is not None:
        s.blocks.append(b.field("l_confidential_scope", b.m(cf.scope)))
    if cf.duration == "indefinite":
        s.blocks.append(b.p(t("confidentiality_indefinite")))
    elif cf.duration is not None:
        s.blocks.append(b.p(t("confidentiality_duration", duration=f.retention(cf.duration))))
    flag = b.yes_no(cf.personnel_bound, "personnel_bound")
    if flag:
        s.blocks.append(b.p(flag))
    flag = b.yes_no(cf.return_on_end, "return_on_end")
    if flag:
        s.blocks.append(b.p(flag))
    return s


def annex_dpa(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.data:
        return None
    # the Art. 28(3) schedule only where the GDPR (or the UK GDPR) reaches the data; else the same particulars
    s = Section("annex_dpa", t("h_annex_dpa" if b.gdpr else "h_annex_data", gdpr=gdpr_term(b)))
    plain = "dpa_intro_plain" if entrusted(b) else "dpa_intro_neutral"
    s.blocks.append(b.p(t("dpa_intro" if b.gdpr else plain, gdpr=gdpr_term(b))))
    ns = f.msg["not_stated"]
    duration = ns
    if c.term is not None:
        duration = t(
            "dpa_duration",
            term=b.m(c.term, lambda v: f.msg["term_indefinite_short"] if v == "indefinite" else f.duration(v)),
        )
    cf = c.confidentiality
    shared = b.reads()  # the term, stated in every table
    for d in c.data:
        sub = Section("data:" + (d.id or ""), b.u(d.title or humanise(d.id or "")))
        if isinstance(d.personal, bool):
            sub.blocks.append(b.p(t("is_personal" if d.personal else "not_personal")))
        b.renote(shared)
        obligations = []
        if d.instructions is not None:
            obligations.append(t("ob_instructions", value=b.m(d.instructions)))
        if cf is not None and cf.personnel_bound is True:
            obligations.append(t("ob_confidentiality"))
        if d.security:
            obligations.append(t("ob_security", value=f.words(d.security)))
        if d.subprocessing is not None:
            sp = t("ob_subprocessing", value=b.m(d.subprocessing, f.phrasal))
            if d.subprocessors:
                sp += ". " + t("ob_subprocessors", value=f.join([b.u(x) for x in d.subprocessors]))
            obligations.append(sp)
        if d.assistance is not None:
            obligations.append(t("ob_assistance", value=b.m(d.assistance)))
        if isinstance(d.breach_notification, str):
            obligations.append(t("ob_breach_word", value=breach_delay(b, d.breach_notification)))
        elif d.breach_notification is not None:
            obligations.append(t("ob_breach", value=f.duration(d.breach_notification)))
        if d.held_by is not None:
            obligations.append(t("ob_held_by", who=f.party(d.held_by)))
        text = b.yes_no(d.handed_over, "ob_handed_over")
        if text:
            obligations.append(text)
        if d.return_cost is not None:
            obligations.append(t("ob_return_cost", who_de=f.party(d.return_cost, "de")))
        for cp in d.copies:
            obligations.append(copies(b, cp))
        if d.at_end is not None:
            text = t("ob_at_end", value=b.m(d.at_end, f.phrasal))
            if d.deletion_certificate is True:
                text += f.msg["ob_certificate"]
            obligations.append(text)
        if d.audit is not None:
            obligations.append(t("ob_audit", value=b.m(d.audit)))
        if d.access is not None:
            obligations.append(t("ob_access", value=b.m(d.access)))
        if d.location:
            loc = t("ob_location", value=f.words(d.location))
            if d.transfer is not None:
                loc += transfer(b, d.transfer)
            obligations.append(loc)
        types = f.words(d.categories) if d.categories else ns
        if d.special_categories:
            types += f.msg["special_sep"] + t(
                "special_categories", value=f.words(d.special_categories), gdpr=gdpr_term(b)
            )
        retention = b.m(d.retention, f.retention) if d.retention is not None else ns
        if d.retention_basis is not None:
            retention += f" ({b.m(d.retention_basis)})"
        extra_rows = []
        if d.minimum_retention is not None:
            extra_rows.append([f.msg["dpa_minimum_retention"], b.m(d.minimum_retention, f.retention)])
        if d.regimes:
            extra_rows.append([f.msg["data_regimes"], regimes(b, d.regimes)])
        rows = [
            [f.msg["dpa_subject"], b.u(d.title or humanise(d.id or ""))],
            [f.msg["dpa_duration_h"], duration],
            [f.msg["dpa_nature"], b.m(d.nature) if d.nature is not None else ns],
            [f.msg["dpa_purpose"], b.m(d.purpose) if d.purpose is not None else ns],
            [f.msg["dpa_types"], types],
            [f.msg["dpa_subjects"], f.words(d.subjects) if d.subjects else ns],
            [f.msg["dpa_retention"], retention],
            *extra_rows,
            [
                f.msg["dpa_obligations"],
                " ".join(o if o.endswith(".") else o + "." for o in obligations) if obligations else ns,
            ],
        ]
        item = t("th_dpa_item" if b.gdpr else "th_data_item", gdpr=gdpr_term(b))
        sub.blocks.append(Table([item, f.msg["th_dpa_value"]], rows))
        s.subsections.append(sub)
    return s


def entrusted(b: Builder) -> bool:
    """Every data asset of the contract is handed to the Provider: none is kept by another party."""
    for d in b.c.data:
        if d.handed_over is False or (isinstance(d.held_by, Ref) and b.terms.get(d.held_by.id) != "provider"):
            return False
    return True


def copies(b: Builder, cp: C.CopyRight) -> str:
    """A party's right to keep copies of the data, in one sentence."""
    f, t = b.f, b.t
    holder = f.party(cp.holder) if cp.holder is not None else f.msg["term_provider"]
    if cp.period == "indefinite":
        period = t("copies_indefinite")
    elif cp.period is not None:
        period = t("copies_period", period=b.m(cp.period, f.duration))
    else:
        period = ""
    text = t(
        "ob_copies",
        who_cap=holder[:1].upper() + holder[1:],
        what=t("copies_what", what=b.m(cp.what)) if cp.what is not None else "",
        period=period,
        cost=t("copies_cost", who_de=f.party(cp.cost, "de")) if cp.cost is not None else "",
    )
    if cp.purpose is not None:
        text += t("copies_purpose", purpose=b.m(cp.purpose))
    return text
