"""The structure of the agreement: affiliates, documents and precedence, exclusivity and
non-solicitation, intellectual property, audits, assignment, notices, entire agreement, survival."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bpolang.i18n.fmt import humanise
from bpolang.model import contract as C
from bpolang.model.values import Recurrence, Unknown
from bpolang.render.ir import Bullets, Para, Run, Section

if TYPE_CHECKING:
    from bpolang.render.build import Builder

# Every field of the structure family is stated by this module, by data.py (data beyond the
# GDPR), governance.py (key persons) and legal.py (subcontracting exceptions): nothing is left
# unrendered.  A field added here that the renderer cannot state yet goes in this set.
UNRENDERED: frozenset[str] = frozenset()

# The heading under which each term of a contract is stated: how a master agreement names the
# terms a statement of work may set for itself (`overridable`), in the document's language.
TERM_HEADINGS: dict[str, str] = {
    "language": "ov_language",
    "nature": "h_purpose",
    **dict.fromkeys(
        (
            "governing_law",
            "jurisdiction",
            "dispute_resolution",
            "limitation_period",
            "limitation_exceptions",
            "legal_costs",
            "arbitration",
        ),
        "h_law",
    ),
    **dict.fromkeys(("as_of", "signed_at", "signature_date", "signatures"), "ov_signature"),
    **dict.fromkeys(("effective", "term", "end", "renewal", "renewal_options"), "h_duration"),
    **dict.fromkeys(("calendar", "calendars", "events"), "h_calendars"),
    "conditions_precedent": "h_conditions_precedent",
    **dict.fromkeys(("parties", "party_groups"), "ov_parties"),
    "recitals": "ov_recitals",
    "services": "h_scope",
    "exclusions": "h_exclusions",
    "deliverables": "h_deliverables",
    "milestones": "h_schedule",
    "service_levels": "h_service_levels",
    **dict.fromkeys(("credit_regimes", "penalties"), "h_penalties"),
    "pricing": "h_prices",
    "governance": "h_governance",
    "change_control": "h_change",
    **dict.fromkeys(("data", "regimes"), "h_data"),
    "confidentiality": "h_confidentiality",
    **dict.fromkeys(("liability", "insurance"), "h_liability"),
    "indemnities": "h_indemnities",
    **dict.fromkeys(("warranties", "disclaimers"), "h_warranties"),
    "subcontracting": "h_subcontracting",
    "continuity": "h_continuity",
    "force_majeure": "h_force_majeure",
    "termination": "h_termination",
    "exit": "h_exit",
    **dict.fromkeys(("documents", "precedence"), "h_documents"),
    **dict.fromkeys(("exclusivity", "non_solicitation"), "h_exclusivity"),
    **dict.fromkeys(("ownership", "licences"), "h_ip"),
    "survival": "h_survival",
    "assignment": "h_assignment",
    "notices": "h_notices",
    "entire_agreement": "h_entire_agreement",
    "audits": "h_audits",
    "clauses": "ov_clauses",
}


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def who(b: Builder, ref: Any, case: str = "") -> str:
    """A party as its defined term (`the Client`, `of the Client`), or the unknown placeholder."""
    return b.f.party(ref, case) if ref is not None else ""


def title_of(b: Builder, el: C.Element) -> str:
    return b.u(el.title or humanise(el.id or ""))


def art_affiliates(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    lines: list[Para] = []  # each made when its sentence is, so that it states its own values
    for p in c.parties:
        text = b.yes_no(
            p.includes_affiliates, "includes_affiliates", who=f.party(p.id or ""), who_cap=cap(f.party(p.id or ""))
        )
        if text:
            lines.append(b.p(text))
        if p.affiliate_of is not None:
            lines.append(b.p(t("affiliate_of", name=f.party(p.id or ""), whom_de=who(b, p.affiliate_of, "de"))))
    for s in c.services:
        if s.recipients:
            lines.append(
                b.p(
                    t(
                        "service_recipients",
                        service=title_of(b, s),
                        who_a=f.join([f.party(r, "a") for r in s.recipients]),
                    )
                )
            )
    if not lines:
        return None
    sec = Section("affiliates", f.msg["h_affiliates"])
    sec.blocks += lines
    return sec


def master_references(b: Builder, under: str) -> list[Para]:
    """A statement of work rendered as itself (bpolang.render.sow): it is made under its master, and
    each article of the master that states terms it inherits applies; each sentence states those terms."""
    m, f, t = b.master, b.f, b.t
    out = [b.p(t("made_under_own", master=f.uq(m.title or under), id=m.id))]
    for a in m.articles:
        for term in a.terms:
            b.note_path(term)
        out.append(b.p(t("master_article", id=m.id, article=t("article_label", n=a.number), title=a.title)))
    if m.rest:
        for term in m.rest:
            b.note_path(term)
        out.append(b.p(t("master_rest", id=m.id)))
    return out


def art_documents(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.documents and not c.precedence and not isinstance(c.under, str) and not c.uses and not c.overridable:
        return None
    s = Section("documents", f.msg["h_documents"])
    # a contract in several files (bpolang.resolve.compose): the rendering states the composed
    # contract whole, and says which master and schedules it is made of
    if isinstance(c.under, str) and b.master is not None:
        s.blocks += master_references(b, c.under)
    elif isinstance(c.under, str):
        s.blocks.append(b.p(t("made_under", master=f.uq(c.included_title(c.under) or c.under))))
    for use in c.uses:
        if use.title is not None:
            s.blocks.append(b.p(t("uses_schedule", schedule=f.uq(c.included_title(use.title) or use.title))))
    if c.overridable:
        s.blocks.append(b.p(t("overridable_terms", terms=f.join(overridable_headings(b, c.overridable)))))
    if c.documents:
        s.blocks.append(b.p(t("documents_intro")))
        items = []
        for d in c.documents:
            name = title_of(b, d)
            if d.label is not None:
                name = f"{b.m(d.label)} ({name})"
            bits = []
            if d.kind is not None:
                bits.append(b.m(d.kind, lambda v: f.msg["doc_kind_" + v]))
            for text in (b.yes_no(d.attached, "doc_attached"), b.yes_no(d.incorporated, "doc_incorporated")):
                if text:
                    bits.append(text)
            if d.amendable_by is not None:
                bits.append(t("doc_amendable_by", who=who(b, d.amendable_by)))
            if d.prevails_over:
                bits.append(t("doc_prevails_over", docs=f.join([f.ref(r) for r in d.prevails_over])))
            text = name + (f.msg["def_sep"] + ", ".join(bits) if bits else "")
            if d.description is not None:
                text += ". " + b.m(d.description)
            items.append([Run(text if text.endswith(".") else text + ".")])
        s.blocks.append(Bullets(items))
    if c.precedence:
        s.blocks.append(b.p(t("precedence_text", order=f.msg["precedence_sep"].join(f.ref(r) for r in c.precedence))))
    return s


def overridable_headings(b: Builder, words: list[str]) -> list[str]:
    """The headings of the terms a statement of work may set (`overridable`), each once, in order."""
    from bpolang.resolve.compose import term_of

    out: list[str] = []
    for word in words:
        term = term_of(word)
        if term is None:
            continue  # not a term of a contract: an error of the language (BPO017)
        heading = b.f.msg[TERM_HEADINGS[term]]
        heading = heading[:1].lower() + heading[1:]
        if heading not in out:
            out.append(heading)
    return out


def art_exclusivity(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.exclusivity and not c.non_solicitation:
        return None
    s = Section("exclusivity", f.msg["h_exclusivity"])
    for ex in c.exclusivity:
        sub = Section("exclusivity:" + (ex.id or ""), title_of(b, ex))
        bound = who(b, ex.bound) or f.msg["each_party_cap"]
        if ex.exclusive is None or isinstance(ex.exclusive, Unknown):
            value = f.unknown(ex.exclusive) if isinstance(ex.exclusive, Unknown) else f.msg["not_stated"]
            text = t("excl_unknown", who=bound, who_de=who(b, ex.bound, "de"), value=value)
        else:
            text = t("excl_yes" if ex.exclusive else "excl_no", who_cap=cap(bound))
        if ex.beneficiary is not None:
            text += t("excl_beneficiary", whom_de=who(b, ex.beneficiary, "de"))
        if ex.scope is not None:
            text += t("excl_scope", scope=b.m(ex.scope))
        if ex.period == "term":
            text += t("excl_period_term")
        elif ex.period is not None:
            text += t("excl_period", duration=b.m(ex.period, f.duration))
        sub.blocks.append(b.p(text + "."))
        if ex.conditions:
            sub.blocks.append(b.p(f.msg["l_conditions"] + f.msg["def_sep"]))
            sub.blocks.append(Bullets(b.items(ex.conditions, b.u)))
        if ex.exceptions:
            sub.blocks.append(b.p(f.msg["l_exceptions"] + f.msg["def_sep"]))
            sub.blocks.append(Bullets(b.items(ex.exceptions, b.u)))
        s.subsections.append(sub)
    for ns in c.non_solicitation:
        sub = Section("non_solicitation:" + (ns.id or ""), title_of(b, ns))
        act = b.m(ns.act, lambda v: f.msg["act_" + v]) if ns.act is not None else f.msg["act_solicit"]
        persons = b.m(ns.persons) if ns.persons is not None else f.msg["nonsol_persons_default"]
        when = []
        if ns.during_term is True:
            when.append(t("nonsol_term"))
        if ns.after_end is not None:
            when.append(t("nonsol_after", duration=b.m(ns.after_end, f.duration)))
        when_text = (" " + f.join(when)) if when else ""
        parties: list[Any] = list(ns.bound) or [None]  # none bound: each party
        shared = b.reads()  # what each party's sentence states besides the party
        for party in parties:
            b.renote(shared)
            bound = who(b, party) or f.msg["each_party_cap"]
            sub.blocks.append(b.p(t("nonsol_text", who_cap=cap(bound), act=act, persons=persons, when=when_text)))
        consent = b.yes_no(ns.consent, "nonsol_consent")
        if consent:
            sub.blocks.append(b.p(consent))
        if ns.exceptions:
            sub.blocks.append(b.p(f.msg["l_exceptions"] + f.msg["def_sep"]))
            sub.blocks.append(Bullets(b.items(ns.exceptions, b.u)))
        s.subsections.append(sub)
    return s


def art_ip(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.ownership and not c.licences:
        return None
    s = Section("ip", f.msg["h_ip"])
    items = []
    for o in c.ownership:
        subject = b.m(o.subject) if o.subject is not None else title_of(b, o)
        owner = cap(who(b, o.owner)) if o.owner is not None else f.msg["not_stated"]
        text = t("ip_owner_exclusive" if o.exclusive is True else "ip_owner", who_cap=owner, subject=subject)
        if o.includes:
            text += t("ip_includes", items=f.join([b.u(x) for x in o.includes]))
        items.append([Run(text if text.endswith(".") else text + ".")])
    for li in c.licences:
        subject = b.m(li.subject) if li.subject is not None else title_of(b, li)
        text = t(
            "licence_text",
            licensor_cap=cap(who(b, li.licensor)) if li.licensor is not None else f.msg["not_stated"],
            licensee_a=who(b, li.licensee, "a") if li.licensee is not None else f.msg["not_stated"],
            subject=subject,
        )
        bits = []
        for key in ("exclusive", "transferable", "sublicensable", "royalty_free"):
            value = getattr(li, key)
            if isinstance(value, Unknown):
                bits.append(f.msg["licence_" + key + "_yes"] + f.msg["def_sep"] + f.unknown(value))
            elif value is not None:
                bits.append(f.msg["licence_" + key + ("_yes" if value else "_no")])
        if li.period in ("term", "perpetual"):
            bits.append(f.msg["licence_period_" + str(li.period)])
        elif li.period is not None:
            bits.append(t("licence_period", duration=b.m(li.period, f.duration)))
        if li.purpose is not None:
            bits.append(t("licence_purpose", purpose=b.m(li.purpose, lambda v: f.quote(b.u(v)))))
        if li.territory is not None:
            bits.append(t("licence_territory", territory=b.m(li.territory)))
        if li.approval is not None:
            if isinstance(li.approval, Unknown):
                approval = f.unknown(li.approval)
            else:
                approval = t("licence_approval_" + li.approval, licensor_de=who(b, li.licensor, "de"))
            if li.consent_standard is not None:
                approval += b.m(li.consent_standard, lambda v: f.msg["consent_" + v])
            bits.append(approval)
        elif li.consent_standard is not None:
            bits.append(b.m(li.consent_standard, lambda v: f.msg["consent_" + v]).lstrip(", "))
        text += (", " + ", ".join(bits)) if bits else ""
        items.append([Run(text if text.endswith(".") else text + ".")])
        items += b.items(li.conditions, b.u)
    s.blocks.append(Bullets(items))
    return s


def art_audits(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.audits:
        return None
    s = Section("audits", f.msg["h_audits"])
    for a in c.audits:
        sub = Section("audit:" + (a.id or ""), title_of(b, a))
        if a.frequency == "any_time":
            freq = t("audit_any_time")
        elif a.frequency == "on_request":
            freq = t("audit_on_request")
        elif isinstance(a.frequency, Recurrence | Unknown):
            freq = t("audit_recurrence", recurrence=b.m(a.frequency, f.recurrence))
        else:
            freq = ""
        sub.blocks.append(
            b.p(
                t(
                    "audit_text",
                    auditor_cap=cap(who(b, a.auditor)) if a.auditor is not None else f.msg["each_party_cap"],
                    audited=who(b, a.audited) if a.audited is not None else f.msg["audit_other_party"],
                    frequency=freq,
                    notice=t("audit_notice", notice=b.m(a.notice, f.duration)) if a.notice is not None else "",
                )
            )
        )
        for key in ("by_agents", "on_site", "business_hours"):
            text = b.yes_no(getattr(a, key), "audit_" + key)
            if text:
                sub.blocks.append(b.p(text))
        if a.scope:
            sub.blocks.append(b.field("l_audit_scope", f.join([b.u(x) for x in a.scope])))
        if a.cost is not None:
            sub.blocks.append(b.p(t("audit_cost", who=who(b, a.cost), who_de=who(b, a.cost, "de"))))
        s.subsections.append(sub)
    return s


def art_assignment(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.assignment:
        return None
    s = Section("assignment", f.msg["h_assignment"])
    for a in c.assignment:
        bound = who(b, a.party) if a.party is not None else f.msg["each_party_cap"]
        if a.consent == "required":
            text = t(
                "assign_required" if a.party is not None else "assign_required_each",
                who_cap=cap(bound),
                written=t("assign_written") if a.written is True else "",
                by_de=who(b, a.consent_by, "de") if a.consent_by is not None else f.msg["assign_other_party_de"],
                standard=b.m(a.consent_standard, lambda v: f.msg["consent_" + v])
                if a.consent_standard is not None
                else "",
            )
        elif a.consent in ("prohibited", "not_required"):
            each = "_each" if a.party is None and a.consent == "prohibited" else ""
            text = t("assign_" + str(a.consent) + each, who_cap=cap(bound))
        else:
            value = f.unknown(a.consent) if isinstance(a.consent, Unknown) else f.msg["not_stated"]
            text = t("assign_unknown", who=bound, value=value)
        s.blocks.append(b.p(text))
        s.blocks += b.intro_list("assign_exceptions", a.exceptions, b.u)
        successors = b.yes_no(a.successors_bound, "successors_bound")
        if successors:
            s.blocks.append(b.p(successors))
    return s


def art_notices(b: Builder) -> Section | None:
    n, f, t = b.c.notices, b.f, b.t
    if n is None:
        return None
    s = Section("notices", f.msg["h_notices"])
    text = b.yes_no(n.written, "notices_written")
    if text:
        s.blocks.append(b.p(text))
    if n.means:
        s.blocks.append(b.p(t("notices_means", means=f.join([f.msg["notice_means_" + m] for m in n.means], "or"))))
    if n.deemed:
        s.blocks.append(b.p(t("notices_deemed")))
        s.blocks.append(Bullets(b.items(n.deemed, f.phrasal)))
    if n.addresses:
        s.blocks.append(b.p(t("notices_addresses")))
        items = []
        for a in n.addresses:
            head = cap(who(b, a.party)) if a.party is not None else title_of(b, a)
            bits = [b.m(a.address)] if a.address is not None else []
            for key, value in (
                ("l_attention", a.attention),
                ("l_phone", a.phone),
                ("l_fax", a.fax),
                ("l_email", a.email),
            ):
                if value is not None:
                    bits.append(f"{f.msg[key]} {b.m(value)}")
            if a.copy_to:
                bits.append(f"{f.msg['l_copy_to']} " + f.join([b.u(x) for x in a.copy_to]))
            items.append([Run(head + f.msg["def_sep"] + "; ".join(bits))])
        s.blocks.append(Bullets(items))
    return s


def art_entire_agreement(b: Builder) -> Section | None:
    ea, f, t = b.c.entire_agreement, b.f, b.t
    if ea is None:
        return None
    s = Section("entire_agreement", f.msg["h_entire_agreement"])
    s.blocks += b.flags(ea, ("whole", "ea_whole"), ("supersedes", "ea_supersedes"), ("no_reliance", "ea_no_reliance"))
    if isinstance(ea.amendments, Unknown):
        s.blocks.append(b.p(t("ea_amendments_unknown", value=f.unknown(ea.amendments))))
    elif ea.amendments is not None:
        s.blocks.append(b.p(t("ea_amendments_" + ea.amendments)))
    s.blocks += b.flags(ea, ("severability", "ea_severability"), ("no_waiver", "ea_no_waiver"))
    return s


def art_survival(b: Builder) -> Section | None:
    c, f, t = b.c, b.f, b.t
    if not c.survival:
        return None
    s = Section("survival", f.msg["h_survival"])
    for sv in c.survival:
        what = [f.word(w) for w in sv.what]
        if sv.sections:
            what.append(t("survival_sections", sections=f.join([b.u(x) for x in sv.sections])))
        after = f.join([f.word(w) for w in sv.after], "or") if sv.after else f.msg["survival_after_default"]
        if sv.period == "indefinite":
            period = t("survival_indefinite")
        elif sv.period is not None:
            period = t("survival_period", duration=b.m(sv.period, f.duration))
        else:
            period = ""
        subject = f.join(what) if what else title_of(b, sv)
        s.blocks.append(b.p(t("survival_text", what=cap(subject), after=after, period=period)))
    return s


def key_persons(b: Builder, persons: list[C.KeyPerson]) -> list[list[Run]]:
    """The key persons of the governance, one bullet each (used by governance.py)."""
    f, t = b.f, b.t
    items = []
    for kp in persons:
        text = title_of(b, kp)
        extra = [b.m(x) for x in (kp.name, kp.role) if x is not None]
        if kp.party is not None:
            extra.append(who(b, kp.party))
        if extra:
            text += " (" + ", ".join(extra) + ")"
        bits = []
        if kp.replacement is not None:
            rule = b.m(kp.replacement, lambda v: f.msg["kp_replacement_" + v])
            if kp.consent_standard is not None:
                rule += b.m(kp.consent_standard, lambda v: f.msg["consent_" + v])
            bits.append(rule)
        if kp.notice is not None:
            bits.append(t("kp_notice", duration=b.m(kp.notice, f.duration)))
        if kp.replace_within is not None:
            bits.append(t("kp_within", duration=b.m(kp.replace_within, f.duration)))
        if kp.replacement_terms is not None:
            bits.append(b.m(kp.replacement_terms))
        if bits:
            text += f.msg["def_sep"] + "; ".join(bits)
        items.append([Run(text if text.endswith(".") else text + ".")])
    return items


def subcontracting_exceptions(b: Builder, exceptions: list[C.SubcontractingException]) -> list[list[Run]]:
    """The exceptions to the subcontracting rule, one bullet each (used by legal.py)."""
    f, t = b.f, b.t
    items = []
    for ex in exceptions:
        text = title_of(b, ex)
        bits = []
        if ex.scope is not None:
            bits.append(b.m(ex.scope))
        if ex.applies_to:
            bits.append(t("sc_exc_services", services=f.join([f.ref(r) for r in ex.applies_to])))
        if ex.to:
            bits.append(t("sc_exc_to", who=f.join([who(b, r) for r in ex.to])))
        if ex.mode is not None:
            bits.append(b.m(ex.mode, lambda v: t("sc_exc_" + v)))
        if ex.notice == "before_start":
            bits.append(t("sc_exc_before_start"))
        elif ex.notice is not None:
            bits.append(t("sc_exc_notice_delay", duration=b.m(ex.notice, f.duration)))
        if bits:
            text += f.msg["def_sep"] + ", ".join(bits)
        items.append([Run(text if text.endswith(".") else text + ".")])
    return items
