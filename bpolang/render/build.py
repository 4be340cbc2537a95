"""Build the document model of a contract: articles in a lawyer's order, then annexes.

Articles with nothing to say are left out and the rest numbered consecutively; cross-
references (`voir l’article 7`, `see Article 7`) are filled in from that numbering.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bpolang.i18n.fmt import Fmt, humanise
from bpolang.model import contract as C
from bpolang.model.values import DateExpr, Recurrence, Ref, Unknown
from bpolang.render.ir import Bullets, Document, Figure, Para, Run, Section, Table

MAX_OCCURRENCES_SHOWN = 3


class Builder:
    def __init__(self, contract: C.Contract, resolution: Any, lang: str):
        self.c = contract
        self.res = resolution
        self.lang = lang
        self.f = Fmt.for_contract(contract, lang)
        self.terms = self.f.party_terms
        self.names = self.f.names
        self.t = self.f.t
        self.u = self.f.user
        self.client = next((p for p in contract.parties if self.terms.get(p.id or "") == "client"), None)
        self.provider = next((p for p in contract.parties if self.terms.get(p.id or "") == "provider"), None)

    # ------------------------------------------------------------ helpers
    def field(self, label_key: str, value: str) -> Para:
        return Para([Run(self.t("field", label=self.f.msg[label_key], value=value))])

    def p(self, *parts: str | Run) -> Para:
        return Para([x if isinstance(x, Run) else Run(x) for x in parts])

    def msg_with_ref(self, key: str, target: str, **kw: Any) -> Para:
        text = self.t(key, ref="\x00", **kw)
        before, after = text.split("\x00", 1)
        return Para([Run(before), Run("", xref=target), Run(after)])

    def m(self, v: Any, fn=None) -> str:
        return self.f.maybe(v, fn)

    def date_of(self, expr: Any) -> dt.date | None:
        if isinstance(expr, DateExpr) and self.res is not None:
            try:
                return self.res.date_of(expr)
            except Exception:  # pragma: no cover - a date that cannot be computed is shown unresolved
                return None
        return None

    def when(self, expr: Any) -> str:
        """A due date or schedule, with the computed date when there is one."""
        if expr is None:
            return ""
        if isinstance(expr, Recurrence):
            return self.f.recurrence(expr)
        if isinstance(expr, Unknown):
            return self.f.unknown(expr)
        resolved = self.date_of(expr)
        if expr.date is not None and not expr.offsets:
            resolved = None
        return self.f.date_expr(expr, resolved)

    def paras_of_text(self, text: str) -> list[Para]:
        """Free text: blank lines separate paragraphs, single newlines are wrapping."""
        out = []
        for chunk in self.u(text).split("\n\n"):
            chunk = " ".join(line.strip() for line in chunk.split("\n") if line.strip())
            if chunk:
                out.append(Para([Run(chunk)]))
        return out

    def yes_no(self, v: Any, key: str) -> str | None:
        """`key_yes` / `key_no` sentence for a flag; the unknown placeholder for unknown."""
        if v is None:
            return None
        if isinstance(v, Unknown):
            return self.t(key + "_unknown", value=self.f.unknown(v))
        return self.t(key + ("_yes" if v else "_no"))

    # ------------------------------------------------------------ document
    def build(self) -> Document:
        c = self.c
        articles = [
            a
            for a in (
                self.art_purpose(),
                self.art_scope(),
                self.art_deliverables(),
                self.art_schedule(),
                self.art_service_levels(),
                self.art_prices(),
                self.art_penalties(),
                self.art_governance(),
                self.art_change(),
                self.art_data(),
                self.art_confidentiality(),
                self.art_liability(),
                self.art_subcontracting(),
                self.art_continuity(),
                self.art_term(),
                self.art_law(),
                *self.art_clauses(),
            )
            if a is not None and (a.blocks or a.subsections)
        ]
        annexes = [
            a
            for a in (self.annex_sla(), self.annex_prices(), self.annex_dpa(), self.annex_calendar())
            if a is not None and (a.blocks or a.subsections)
        ]
        for i, a in enumerate(articles, 1):
            a.number, a.label, a.anchor = str(i), self.t("article_label", n=i), f"article-{i}"
            for j, s in enumerate(a.subsections, 1):
                s.number, s.anchor = f"{i}.{j}", f"article-{i}-{j}"
        for i, a in enumerate(annexes, 1):
            a.number, a.label, a.anchor = str(i), self.t("annex_label", n=i), f"annex-{i}"
            for j, s in enumerate(a.subsections, 1):
                s.number, s.anchor = f"{i}.{j}", f"annex-{i}-{j}"
        doc = Document(
            lang=self.lang,
            title=self.u(c.title or c.id or ""),
            preamble=self.preamble(),
            articles=articles,
            signature=self.signature(),
            annexes=annexes,
            date=self.res.effective if self.res is not None else None,
        )
        self.resolve_xrefs(doc, articles, annexes)
        return doc

    def resolve_xrefs(self, doc: Document, articles: list[Section], annexes: list[Section]) -> None:
        where: dict[str, tuple[str, str]] = {}
        for a in articles:
            where[a.key] = (self.t("ref_article", n=a.number), a.anchor)
            for s in a.subsections:
                where.setdefault(s.key, (self.t("ref_article", n=s.number), s.anchor))
        for a in annexes:
            where[a.key] = (self.t("ref_annex", n=a.number), a.anchor)
        fallback = self.f.msg["ref_missing"]

        def fix(runs: list[Run]) -> None:
            for r in runs:
                if r.xref is not None:
                    if r.xref in where:
                        r.text, anchor = where[r.xref]
                        r.href = "#" + anchor
                    else:
                        r.text = fallback

        def walk(blocks: list) -> None:
            for b in blocks:
                if isinstance(b, Para):
                    fix(b.runs)
                elif isinstance(b, Bullets):
                    for item in b.items:
                        fix(item)

        walk(doc.preamble)
        walk(doc.signature)
        for s in doc.sections():
            walk(s.blocks)

    # ------------------------------------------------------------ preamble
    def preamble(self) -> list:
        blocks: list = [Para([Run(self.f.msg["between"], bold=True)], style="center")]
        parties = self.c.parties
        for i, party in enumerate(parties):
            blocks.append(self.party_para(party))
            if i < len(parties) - 1:
                blocks.append(Para([Run(self.f.msg["and_party"], bold=True)], style="center"))
        if self.client is not None and self.provider is not None:
            blocks.append(self.p(self.t("parties_defined")))
        return blocks

    def party_para(self, party: C.Party) -> Para:
        f = self.f
        runs = [Run(self.u(party.title or party.id or ""), bold=True)]
        bits = []
        if party.legal_form is not None:
            bits.append(self.m(party.legal_form))
        if party.registration is not None:
            bits.append(self.t("registered", value=self.m(party.registration)))
        if party.address is not None:
            bits.append(self.t("address", value=self.m(party.address)))
        if party.representative is not None:
            bits.append(self.t("represented_by", value=self.m(party.representative)))
        if party.email is not None:
            bits.append(self.t("email", value=self.m(party.email)))
        if party.financial_entity is True:
            bits.append(f.msg["financial_entity"])
        if party.public_authority is True:
            bits.append(f.msg["public_authority"])
        text = "".join(", " + b for b in bits)
        role = self.terms.get(party.id or "")
        if role == "client":
            text += self.t("hereinafter", bare=f.msg["term_client_bare"], article=f.msg["term_client_article"])
        elif role == "provider":
            text += self.t("hereinafter", bare=f.msg["term_provider_bare"], article=f.msg["term_provider_article"])
        runs.append(Run(text + ","))
        return Para(runs)

    # ------------------------------------------------------------ articles
    def art_purpose(self) -> Section:
        c, f = self.c, self.f
        s = Section("purpose", f.msg["h_purpose"])
        if c.services:
            s.blocks.append(self.msg_with_ref("purpose_services", "scope"))
        else:
            s.blocks.append(self.p(self.t("purpose_plain")))
        defs: list[list[Run]] = []

        def d(term: str, text: str | Run | list) -> None:
            runs = [Run(f.quote(term), bold=True), Run(f.msg["def_sep"])]
            if isinstance(text, list):
                runs += text
            else:
                runs.append(text if isinstance(text, Run) else Run(text))
            defs.append(runs)

        d(f.msg["term_agreement_bare"], self.t("def_agreement"))
        if self.client is not None:
            d(f.msg["term_client_bare"], self.t("def_party", name=self.u(self.client.title or "")))
        if self.provider is not None:
            d(f.msg["term_provider_bare"], self.t("def_party", name=self.u(self.provider.title or "")))
        if c.services:
            text = self.t("def_services", ref="\x00").split("\x00")
            d(f.msg["term_services_bare"], [Run(text[0]), Run("", xref="scope"), Run(text[1])])
        if c.effective is not None:
            d(f.msg["term_effective_bare"], self.m(c.effective, f.date_expr) + ".")
        if self._uses_unit("business_days"):
            d(f.msg["term_business_days_bare"], self.t("def_business_days"))
        if self._uses_unit("working_days"):
            d(f.msg["term_working_days_bare"], self.t("def_working_days"))
        if c.service_levels:
            text = self.t("def_service_levels", ref="\x00").split("\x00")
            d(f.msg["term_service_levels_bare"], [Run(text[0]), Run("", xref="annex_sla"), Run(text[1])])
        if c.data:
            d(f.msg["term_gdpr_bare"], self.t("def_gdpr"))
        s.blocks.append(self.p(self.t("definitions_intro")))
        s.blocks.append(Bullets(defs))
        s.blocks.append(self.p(self.t("annexes_part")))
        return s

    def _uses_unit(self, unit: str) -> bool:
        from bpolang.model.values import Duration

        found = False

        def walk(node: Any) -> None:
            nonlocal found
            if found:
                return
            if isinstance(node, Duration):
                found = node.unit.value == unit
                return
            if isinstance(node, list):
                for x in node:
                    walk(x)
                return
            if hasattr(type(node), "model_fields"):
                for name in type(node).model_fields:
                    walk(getattr(node, name))

        walk(self.c)
        return found

    def art_scope(self) -> Section | None:
        c, f, t = self.c, self.f, self.t
        if not c.services and not c.exclusions:
            return None
        s = Section("scope", f.msg["h_scope"])
        if c.services:
            s.blocks.append(self.p(t("scope_intro")))
        for svc in c.services:
            sub = Section("service:" + (svc.id or ""), self.u(svc.title or humanise(svc.id or "")))
            if svc.description is not None:
                sub.blocks += (
                    self.paras_of_text(svc.description)
                    if isinstance(svc.description, str)
                    else [self.p(f.unknown(svc.description))]
                )
            if svc.includes:
                sub.blocks.append(self.p(t("includes")))
                sub.blocks.append(Bullets([[Run(self.u(x))] for x in svc.includes]))
            if svc.volume is not None:
                sub.blocks.append(self.field("l_volume", t("volume_text", volume=f.quantity(svc.volume))))
            if svc.hours:
                sub.blocks.append(self.field("l_hours", f.join([f.hours(h) for h in svc.hours])))
            if svc.calendar is not None:
                sub.blocks.append(self.field("l_calendar", self.m(svc.calendar, f.word)))
            if svc.timezone is not None:
                sub.blocks.append(self.field("l_timezone", self.m(svc.timezone)))
            if svc.channels:
                sub.blocks.append(self.field("l_channels", f.words(svc.channels)))
            if svc.acknowledgement is not None:
                sub.blocks.append(
                    self.field("l_acknowledgement", t("within", duration=f.duration(svc.acknowledgement)))
                )
            if svc.method is not None:
                sub.blocks.append(self.field("l_method", self.m(svc.method)))
            if svc.prioritisation is not None:
                sub.blocks.append(self.field("l_prioritisation", self.m(svc.prioritisation)))
            if svc.tools:
                sub.blocks.append(self.field("l_tools", f.join([self.u(x) for x in svc.tools])))
            if svc.performed_by is not None:
                sub.blocks.append(self.field("l_performed_by", f.party(svc.performed_by)))
            s.subsections.append(sub)
        if c.exclusions:
            sub = Section("exclusions", f.msg["h_exclusions"])
            sub.blocks.append(self.p(t("exclusions_intro")))
            sub.blocks.append(Bullets([[Run(self.u(e.title or ""))] for e in c.exclusions]))
            s.subsections.append(sub)
        return s

    def art_deliverables(self) -> Section | None:
        c, f, t = self.c, self.f, self.t
        if not c.deliverables:
            return None
        s = Section("deliverables", f.msg["h_deliverables"])
        s.blocks.append(self.msg_with_ref("deliverables_intro", "annex_calendar"))
        for d in c.deliverables:
            sub = Section("deliverable:" + (d.id or ""), self.u(d.title or humanise(d.id or "")))
            if d.description is not None:
                sub.blocks.append(self.p(self.m(d.description)))
            if d.owner is not None or d.recipient is not None:
                sub.blocks.append(
                    self.p(
                        t(
                            "deliverable_by_to",
                            owner=f.party(d.owner) if d.owner is not None else f.msg["term_provider"],
                            recipient=f.party(d.recipient, "a") if d.recipient is not None else f.msg["term_client_a"],
                        )
                    )
                )
            if d.format is not None:
                sub.blocks.append(self.field("l_format", self.m(d.format, f.word)))
            if d.due is not None:
                sub.blocks.append(self.field("l_due", self.when(d.due)))
            if d.deadline is not None:
                sub.blocks.append(self.p(t("deadline_text", duration=f.duration(d.deadline))))
            if d.after:
                sub.blocks.append(self.field("l_after", f.join([f.ref(r) for r in d.after])))
            if d.acceptance is not None:
                sub.blocks.append(self.p(t("acceptance_text", duration=f.duration(d.acceptance))))
            if d.acceptance_criteria is not None:
                sub.blocks.append(self.field("l_acceptance_criteria", self.m(d.acceptance_criteria)))
            s.subsections.append(sub)
        if any(d.acceptance is not None for d in c.deliverables):
            s.subsections.append(Section("acceptance", f.msg["h_acceptance"], [self.p(t("acceptance_general"))]))
        return s

    def art_schedule(self) -> Section | None:
        c, f, t = self.c, self.f, self.t
        if not c.milestones:
            return None
        s = Section("schedule", f.msg["h_schedule"])
        s.blocks.append(self.p(t("schedule_intro")))
        items = []
        for m in c.milestones:
            runs = [Run(self.u(m.title or humanise(m.id or "")), bold=True)]
            bits = []
            if m.date is not None:
                bits.append(self.when(m.date))
            else:
                bits.append(f.msg["date_not_stated"])
            if m.owner is not None:
                bits.append(t("responsible", who=f.party(m.owner, "de")))
            if m.after:
                bits.append(t("after_list", what=f.join([f.ref(r) for r in m.after])))
            if m.long_stop is not None:
                bits.append(t("long_stop", date=self.when(m.long_stop)))
            text = f.msg["def_sep"] + " ; ".join(bits) if self.lang == "fr" else f.msg["def_sep"] + "; ".join(bits)
            if self.lang == "fr":
                text = text.replace(" ; ", "\u202f; ")
            if m.description is not None:
                text += ". " + self.m(m.description)
            runs.append(Run(text + "."))
            items.append(runs)
        s.blocks.append(Bullets(items))
        if any(m.long_stop is not None for m in c.milestones):
            s.blocks.append(self.msg_with_ref("long_stop_effect", "term"))
        return s

    def art_service_levels(self) -> Section | None:
        c, f, t = self.c, self.f, self.t
        if not c.service_levels:
            return None
        s = Section("service_levels", f.msg["h_service_levels"])
        s.blocks.append(self.msg_with_ref("sla_intro", "annex_sla"))
        for sl in c.service_levels:
            sub = Section("sla:" + (sl.id or ""), self.u(sl.title or humanise(sl.id or "")))
            if sl.metric is not None:
                sub.blocks.append(self.field("l_metric", self.m(sl.metric)))
            if sl.target is not None:
                sub.blocks.append(self.field("l_target", self.target(sl)))
            if sl.window is not None:
                sub.blocks.append(self.field("l_window", self.m(sl.window, f.phrasal)))
            if sl.hours:
                sub.blocks.append(self.field("l_measured_hours", f.join([f.hours(h) for h in sl.hours])))
            if sl.calendar is not None:
                sub.blocks.append(self.field("l_calendar", self.m(sl.calendar, f.word)))
            if sl.timezone is not None:
                sub.blocks.append(self.field("l_timezone", self.m(sl.timezone)))
            if sl.applies_to:
                sub.blocks.append(self.field("l_applies_to", f.join([f.ref(r) for r in sl.applies_to])))
            if sl.measured_by is not None:
                sub.blocks.append(self.field("l_measured_by", self.m(sl.measured_by)))
            if sl.report is not None:
                sub.blocks.append(self.field("l_report", f.ref(sl.report)))
            if sl.breach is not None:
                sub.blocks.append(self.field("l_breach", self.m(sl.breach, f.phrasal)))
            if sl.exclusions:
                sub.blocks.append(self.field("l_sla_exclusions", f.words(sl.exclusions)))
            if sl.maintenance is not None:
                sub.blocks.append(self.field("l_maintenance", self.m(sl.maintenance, f.phrasal)))
            if sl.depends_on is not None:
                sub.blocks.append(self.field("l_depends_on", self.m(sl.depends_on)))
            if sl.credit is not None:
                sub.blocks.append(self.field("l_credit", t("credit_text", credit=f.value(sl.credit))))
            if sl.severities:
                sub.blocks.append(
                    Table(
                        [f.msg["th_severity"], f.msg["th_response"], f.msg["th_resolution"]],
                        [
                            [
                                self.u(sv.title or humanise(sv.id or "")),
                                self.m(sv.response, f.duration) if sv.response is not None else "\u2014",
                                self.m(sv.resolution, f.duration) if sv.resolution is not None else "\u2014",
                            ]
                            for sv in sl.severities
                        ],
                    )
                )
            s.subsections.append(sub)
        return s

    def target(self, sl: C.ServiceLevel) -> str:
        f = self.f
        value = f.value(sl.target)
        comp = sl.comparator
        if isinstance(comp, Unknown):
            return f"{value} ({f.unknown(comp)})"
        if comp is None:
            if isinstance(sl.target, C.Duration):
                comp = "at_most"
            else:
                comp = "at_least"
        return self.t("target_" + comp, value=value)

    def art_prices(self) -> Section | None:
        c, f, t = self.c, self.f, self.t
        pr = c.pricing
        if pr is None:
            return None
        s = Section("prices", f.msg["h_prices"])
        if pr.fees or pr.units or pr.rates or pr.tiers:
            s.blocks.append(self.msg_with_ref("prices_intro", "annex_prices"))
        if pr.model is not None:
            s.blocks.append(self.field("l_price_model", self.m(pr.model, lambda v: f.msg["model_" + v])))
        if pr.currency is not None:
            s.blocks.append(self.field("l_currency", self.m(pr.currency)))
        if pr.minimum is not None:
            s.blocks.append(self.p(t("minimum_text", amount=f.value(pr.minimum))))
        s.blocks.append(self.p(t("prices_excl_tax")))
        if pr.pass_through:
            s.blocks.append(self.p(t("pass_through_intro")))
            s.blocks.append(Bullets([[Run(self.u(x))] for x in pr.pass_through]))
        inv = Section("invoicing", f.msg["h_invoicing"])
        if pr.billing is not None:
            inv.blocks.append(self.p(t("billing_text", billing=self.m(pr.billing, f.phrasal))))
        payer = f.party(pr.payer) if isinstance(pr.payer, Ref) else f.msg["term_client"]
        if pr.payment_terms is not None:
            inv.blocks.append(self.p(t("payment_text", terms=self.m(pr.payment_terms, f.phrasal), payer=payer)))
        if pr.late_interest is not None:
            if isinstance(pr.late_interest, C.LateInterest) and pr.late_interest.basis == "excluded":
                inv.blocks.append(self.p(t("late_interest_excluded")))
            else:
                inv.blocks.append(self.p(t("late_interest_text", rate=self.m(pr.late_interest, f.phrasal))))
        if pr.recovery_indemnity is not None:
            inv.blocks.append(self.p(t("recovery_text", amount=f.money(pr.recovery_indemnity))))
        if pr.disputed_invoices is not None:
            inv.blocks.append(self.field("l_disputed", self.m(pr.disputed_invoices)))
        if inv.blocks:
            s.subsections.append(inv)
        ix = pr.indexation
        if ix is not None:
            sub = Section("indexation", f.msg["h_indexation"])
            sub.blocks.append(self.p(t("indexation_intro")))
            if ix.index is not None:
                sub.blocks.append(self.field("l_index", self.m(ix.index)))
            if ix.base is not None:
                sub.blocks.append(self.field("l_index_base", self.when(ix.base)))
            if ix.review is not None:
                sub.blocks.append(self.field("l_review", self.m(ix.review, f.recurrence)))
            if ix.formula is not None:
                sub.blocks.append(self.field("l_formula", self.m(ix.formula)))
            if ix.floor is not None:
                sub.blocks.append(self.field("l_floor", f.percent(ix.floor)))
            if ix.cap is not None:
                sub.blocks.append(self.field("l_cap_index", f.percent(ix.cap)))
            s.subsections.append(sub)
        return s

    def art_penalties(self) -> Section | None:
        c, f, t = self.c, self.f, self.t
        if not c.penalties and not c.credit_regimes:
            return None
        s = Section("penalties", f.msg["h_penalties"])
        if c.credit_regimes:
            s.blocks.append(self.msg_with_ref("credits_intro", "service_levels"))
        for cr in c.credit_regimes:
            sub = Section("credit:" + (cr.id or ""), self.u(cr.title or humanise(cr.id or "")))
            if cr.applies_to:
                sub.blocks.append(self.field("l_applies_to", f.join([f.ref(r) for r in cr.applies_to])))
            if cr.steps:
                sub.blocks.append(
                    Table(
                        [f.msg["th_result"], f.msg["th_credit"]],
                        [
                            [
                                t("step_cond_" + st.comparator, value=f.value(st.threshold)),
                                f.value(st.credit),
                            ]
                            for st in cr.steps
                        ],
                        numeric=(1,),
                    )
                )
            if cr.monthly_cap is not None:
                sub.blocks.append(self.field("l_monthly_cap", f.value(cr.monthly_cap)))
            if cr.annual_cap is not None:
                sub.blocks.append(self.field("l_annual_cap", f.value(cr.annual_cap)))
            if cr.earn_back is not None:
                sub.blocks.append(self.p(t("earn_back_text", period=f.duration(cr.earn_back))))
            if cr.earn_back_condition is not None:
                sub.blocks.append(self.field("l_earn_back_condition", self.m(cr.earn_back_condition)))
            if cr.payer is not None or cr.beneficiary is not None:
                sub.blocks.append(
                    self.p(
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
                sub.blocks.append(self.p(self.m(cr.nature, lambda v: f.msg["nature_" + v])))
            flag = self.yes_no(cr.exclusive_remedy, "exclusive_remedy")
            if flag:
                sub.blocks.append(self.p(flag))
            if cr.chronic_failure is not None:
                sub.blocks.append(self.field("l_chronic", self.m(cr.chronic_failure)))
            s.subsections.append(sub)
        for pen in c.penalties:
            sub = Section("penalty:" + (pen.id or ""), self.u(pen.title or humanise(pen.id or "")))
            if pen.applies_to is not None:
                sub.blocks.append(self.field("l_penalty_applies_to", f.ref(pen.applies_to)))
            if pen.trigger is not None:
                sub.blocks.append(self.field("l_trigger", self.m(pen.trigger, f.phrasal)))
            if pen.amount is not None:
                sub.blocks.append(self.field("l_penalty_amount", self.m(pen.amount, f.phrasal)))
            if pen.cap is not None:
                sub.blocks.append(self.field("l_penalty_cap", f.value(pen.cap)))
            if pen.uncapped is True:
                sub.blocks.append(self.p(t("uncapped")))
            if pen.payer is not None or pen.beneficiary is not None:
                sub.blocks.append(
                    self.p(
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
                sub.blocks.append(self.p(self.m(pen.formal_notice, lambda v: f.msg["formal_notice_" + v])))
            if pen.nature is not None:
                sub.blocks.append(self.p(self.m(pen.nature, lambda v: f.msg["nature_" + v])))
            flag = self.yes_no(pen.exclusive_remedy, "exclusive_remedy")
            if flag:
                sub.blocks.append(self.p(flag))
            if pen.judicial_moderation_excluded is True:
                sub.blocks.append(self.p(t("judicial_moderation")))
            s.subsections.append(sub)
        return s

    def art_governance(self) -> Section | None:
        g, f, t = self.c.governance, self.f, self.t
        if g is None:
            return None
        s = Section("governance", f.msg["h_governance"])
        if g.committees:
            s.blocks.append(self.p(t("committees_intro")))
        for cm in g.committees:
            sub = Section("committee:" + (cm.id or ""), self.u(cm.title or humanise(cm.id or "")))
            if cm.purpose is not None:
                sub.blocks.append(self.field("l_purpose", self.m(cm.purpose)))
            if cm.cadence is not None:
                sub.blocks.append(self.field("l_cadence", self.m(cm.cadence, f.recurrence)))
            if cm.members:
                sub.blocks.append(self.p(t("members")))
                sub.blocks.append(Bullets([[Run(self.u(x))] for x in cm.members]))
            if cm.chair is not None:
                sub.blocks.append(self.p(t("chair", who=f.party(cm.chair))))
            if cm.minutes_by is not None:
                sub.blocks.append(self.p(t("minutes_by", who=f.party(cm.minutes_by))))
            s.subsections.append(sub)
        if g.reports or g.dashboard is not None:
            sub = Section("reporting", f.msg["h_reporting"])
            for r in g.reports:
                runs = [Run(self.u(r.title or humanise(r.id or "")), bold=True)]
                bits = []
                if r.author is not None:
                    bits.append(t("report_author", who=f.party(r.author)))
                if r.recipients:
                    bits.append(t("report_recipients", who=f.join([f.party(x, "a") for x in r.recipients])))
                if r.due is not None:
                    bits.append(self.when(r.due))
                if r.deadline is not None:
                    bits.append(t("within", duration=f.duration(r.deadline)))
                if r.format is not None:
                    bits.append(t("in_format", format=self.m(r.format, f.word)))
                text = f.msg["def_sep"] + ", ".join(bits) if bits else ""
                if r.content:
                    text += (". " if bits else f.msg["def_sep"]) + t(
                        "report_content", items=f.join([self.u(x) for x in r.content])
                    )
                runs.append(Run(text + "."))
                sub.blocks.append(Para(runs))
            if g.dashboard is not None:
                sub.blocks.append(self.field("l_dashboard", self.m(g.dashboard)))
            s.subsections.append(sub)
        if g.escalation:
            sub = Section("escalation", f.msg["h_escalation"])
            sub.blocks.append(self.p(t("escalation_intro")))
            rows = []
            for i, lv in enumerate(g.escalation, 1):
                rows.append(
                    [
                        str(i),
                        self.u(lv.title or humanise(lv.id or ""))
                        + (" (" + f.join([self.u(x) for x in lv.members]) + ")" if lv.members else ""),
                        self.m(lv.within, f.duration) if lv.within is not None else "\u2014",
                    ]
                )
            sub.blocks.append(Table([f.msg["th_level"], f.msg["th_escalation_to"], f.msg["th_within"]], rows))
            s.subsections.append(sub)
        if g.representatives or g.key_personnel:
            sub = Section("personnel", f.msg["h_personnel"])
            if g.representatives:
                sub.blocks.append(self.p(t("representatives")))
                sub.blocks.append(Bullets([[Run(self.u(x))] for x in g.representatives]))
            if g.key_personnel:
                sub.blocks.append(self.p(t("key_personnel")))
                sub.blocks.append(Bullets([[Run(self.u(x))] for x in g.key_personnel]))
            s.subsections.append(sub)
        return s

    def art_change(self) -> Section | None:
        cc, f, t = self.c.change_control, self.f, self.t
        if cc is None:
            return None
        s = Section("change", f.msg["h_change"])
        if cc.description is not None:
            s.blocks.append(self.p(self.m(cc.description) + "."))
        if cc.request is not None:
            s.blocks.append(self.field("l_change_request", self.m(cc.request)))
        if cc.impact_analysis is not None:
            s.blocks.append(self.p(t("impact_analysis", duration=f.duration(cc.impact_analysis))))
        if cc.approval is not None:
            if isinstance(cc.approval, Ref):
                s.blocks.append(self.p(t("change_approval", who=f.ref(cc.approval))))
            else:
                s.blocks.append(self.field("l_change_approval", self.m(cc.approval)))
        if cc.pricing is not None:
            s.blocks.append(self.p(self.m(cc.pricing, lambda v: f.msg["change_pricing_" + v])))
        if cc.amendment is not None:
            s.blocks.append(self.p(self.m(cc.amendment, lambda v: f.msg["amendment_" + v])))
        return s

    def art_data(self) -> Section | None:
        c, f, t = self.c, self.f, self.t
        if not c.data:
            return None
        s = Section("data", f.msg["h_data"])
        roles = []
        for p in c.parties:
            if isinstance(p.gdpr_role, str) and p.gdpr_role != "none":
                roles.append(t("gdpr_role_is", who=f.party(p.id or ""), role=f.msg["gdpr_" + p.gdpr_role]))
        if roles:
            s.blocks.append(self.p(t("gdpr_roles", roles=f.join(roles))))
        s.blocks.append(self.msg_with_ref("data_intro", "annex_dpa"))
        personal = [d for d in c.data if d.personal is not False]
        breach = sorted({f.duration(d.breach_notification) for d in personal if d.breach_notification is not None})
        if breach:
            s.blocks.append(self.p(t("breach_text", delay=f.join(breach, "or") if len(breach) > 1 else breach[0])))
            if len(breach) > 1:
                s.blocks.append(self.msg_with_ref("breach_per_asset", "annex_dpa"))
        transfers = []
        for d in c.data:
            if d.location:
                text = t("located_in", what=self.u(d.title or humanise(d.id or "")), where=f.words(d.location))
                if d.transfer is not None:
                    text += self.transfer(d.transfer)
                transfers.append([Run(text)])
        if transfers:
            s.blocks.append(self.p(t("locations_intro")))
            s.blocks.append(Bullets(transfers))
        return s

    def transfer(self, tr: Any) -> str:
        if isinstance(tr, C.Transfer) and tr.mechanism == "none":
            return self.f.msg["special_sep"] + self.f.msg["transfer_none"]
        return self.t("transfer_by", how=self.m(tr, self.f.phrasal))

    def art_confidentiality(self) -> Section | None:
        cf, f, t = self.c.confidentiality, self.f, self.t
        if cf is None:
            return None
        s = Section("confidentiality", f.msg["h_confidentiality"])
        s.blocks.append(self.p(t("confidentiality_base")))
        if cf.scope is not None:
            s.blocks.append(self.field("l_confidential_scope", self.m(cf.scope)))
        if cf.duration is not None:
            s.blocks.append(self.p(t("confidentiality_duration", duration=f.retention(cf.duration))))
        flag = self.yes_no(cf.personnel_bound, "personnel_bound")
        if flag:
            s.blocks.append(self.p(flag))
        flag = self.yes_no(cf.return_on_end, "return_on_end")
        if flag:
            s.blocks.append(self.p(flag))
        return s

    def art_liability(self) -> Section | None:
        c, f, t = self.c, self.f, self.t
        if not c.liability and not c.insurance:
            return None
        s = Section("liability", f.msg["h_liability"])
        for li in c.liability:
            sub = Section("liability:" + (li.id or ""), self.u(li.title or humanise(li.id or "")))
            who = f.party(li.party, "de") if li.party is not None else f.msg["each_party_de"]
            if li.cap is not None:
                basis = f"{self.m(li.basis, lambda v: f.msg['basis_' + v])}" if li.basis is not None else ""
                sub.blocks.append(
                    self.p(t("liability_cap", who=who, cap=f.value(li.cap), basis=(" " + basis) if basis else ""))
                )
            if li.carve_outs:
                sub.blocks.append(self.p(t("carve_outs")))
                sub.blocks.append(Bullets([[Run(f.word(x))] for x in li.carve_outs]))
            if li.exclusions:
                sub.blocks.append(self.p(t("liability_exclusions")))
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
                    cover=f.uq(ins.title or humanise(ins.id or "")) if ins.cover is None else self.m(ins.cover),
                )
                if ins.amount is not None:
                    text += t("insurance_amount", amount=f.money(ins.amount))
                text += "."
                if ins.evidence is not None:
                    text += " " + self.t("field", label=f.msg["l_evidence"], value=self.m(ins.evidence)) + "."
                items.append([Run(text)])
            sub.blocks.append(Bullets(items))
            s.subsections.append(sub)
        return s

    def art_subcontracting(self) -> Section | None:
        sc, f, t = self.c.subcontracting, self.f, self.t
        if sc is None:
            return None
        s = Section("subcontracting", f.msg["h_subcontracting"])
        if sc.mode is not None:
            s.blocks.append(
                self.p(
                    self.m(
                        sc.mode,
                        lambda v: t(
                            "subcontracting_" + v,
                            notice=f.duration(sc.notice) if sc.notice is not None else f.msg["notice_reasonable"],
                        ),
                    )
                )
            )
        if sc.approved:
            s.blocks.append(self.p(t("subcontractors_approved")))
            s.blocks.append(Bullets([[Run(self.u(x))] for x in sc.approved]))
        if sc.excluded:
            s.blocks.append(self.p(t("subcontracting_excluded")))
            s.blocks.append(Bullets([[Run(self.u(x))] for x in sc.excluded]))
        for flag in (self.yes_no(sc.flow_down, "flow_down"), self.yes_no(sc.prime_liable, "prime_liable")):
            if flag:
                s.blocks.append(self.p(flag))
        return s

    def art_continuity(self) -> Section | None:
        co, f, t = self.c.continuity, self.f, self.t
        if co is None:
            return None
        s = Section("continuity", f.msg["h_continuity"])
        s.blocks.append(self.p(t("continuity_intro")))
        if co.plan is not None:
            s.blocks.append(self.field("l_plan", self.m(co.plan)))
        if co.rto is not None:
            s.blocks.append(self.field("l_rto", f.duration(co.rto)))
        if co.rpo is not None:
            s.blocks.append(self.field("l_rpo", f.duration(co.rpo)))
        if co.test is not None:
            s.blocks.append(self.field("l_test", self.m(co.test, f.recurrence)))
        tof = co.termination_on_failure
        if tof is True:
            s.blocks.append(self.msg_with_ref("continuity_termination_yes", "term"))
        elif tof is False:
            s.blocks.append(self.p(t("continuity_termination_no")))
        elif isinstance(tof, Unknown):
            s.blocks.append(self.p(t("continuity_termination_unknown", value=f.unknown(tof))))
        return s

    def art_term(self) -> Section | None:
        c, f, t = self.c, self.f, self.t
        s = Section("term", f.msg["h_term"])
        dur = Section("duration", f.msg["h_duration"])
        if c.effective is not None or c.term is not None:
            eff = self.m(c.effective, f.date_expr) if c.effective is not None else f.msg["date_not_stated"]
            if c.term == "indefinite":
                dur.blocks.append(self.p(t("term_indefinite", effective=eff)))
            elif c.term is not None:
                end = self.res.end if self.res is not None else None
                text = t("term_fixed", effective=eff, term=self.m(c.term, f.duration))
                if end is not None:
                    text += t("term_until", end=f.date(end))
                dur.blocks.append(self.p(text + "."))
            else:
                dur.blocks.append(self.p(t("term_from", effective=eff)))
        if c.renewal is not None:
            dur.blocks.append(self.p(self.m(c.renewal, f.renewal)))
        if dur.blocks:
            s.subsections.append(dur)
        tm = c.termination
        if tm is not None:
            sub = Section("termination", f.msg["h_termination"])
            if tm.notice is not None:
                sub.blocks.append(self.p(t("termination_notice", notice=f.duration(tm.notice))))
            fc = tm.for_cause
            if fc is not None:
                by = self.m(fc.by, lambda v: f.msg["by_" + v]) if fc.by is not None else f.msg["by_both"]
                cure = f.duration(fc.cure) if fc.cure is not None else f.msg["cure_reasonable"]
                sub.blocks.append(self.p(t("for_cause", by=by, cure=cure)))
                if fc.grounds:
                    sub.blocks.append(self.p(t("grounds_intro")))
                    sub.blocks.append(Bullets([[Run(self.u(x))] for x in fc.grounds]))
            fv = tm.for_convenience
            if fv is not None:
                by = self.m(fv.by, lambda v: f.msg["by_" + v]) if fv.by is not None else f.msg["by_both"]
                notice = f.duration(fv.notice) if fv.notice is not None else f.msg["notice_reasonable"]
                sub.blocks.append(self.p(t("for_convenience", by=by, notice=notice)))
                if fv.fees:
                    sub.blocks.append(self.p(t("convenience_fees_intro")))
                    sub.blocks.append(
                        Table(
                            [f.msg["th_contract_year"], f.msg["th_termination_fee"]],
                            [[t("year_n", n=x.year), f.value(x.amount)] for x in fv.fees],
                            numeric=(1,),
                        )
                    )
            if tm.chronic_failure is not None:
                sub.blocks.append(self.p(t("chronic_failure", what=self.m(tm.chronic_failure))))
            if any(m.long_stop is not None for m in c.milestones):
                sub.blocks.append(self.p(t("long_stop_termination")))
            if sub.blocks:
                s.subsections.append(sub)
        ex = c.exit
        if ex is not None:
            sub = Section("exit", f.msg["h_exit"])
            if ex.plan is not None:
                sub.blocks.append(self.p(t("exit_plan", duration=f.duration(ex.plan))))
            if ex.plan_updates is not None:
                sub.blocks.append(self.field("l_plan_updates", self.m(ex.plan_updates, f.recurrence)))
            if ex.transition is not None:
                sub.blocks.append(self.p(t("exit_transition", duration=f.duration(ex.transition))))
            flag = self.yes_no(ex.service_continuity, "service_continuity")
            if flag:
                sub.blocks.append(self.p(flag))
            if ex.assistance_cost is not None:
                sub.blocks.append(self.field("l_assistance_cost", self.m(ex.assistance_cost)))
            if ex.data_return is not None:
                fmt = t("in_formats", formats=f.words(ex.return_format)) if ex.return_format else ""
                sub.blocks.append(self.p(t("exit_data_return", duration=f.duration(ex.data_return), formats=fmt)))
            elif ex.return_format:
                sub.blocks.append(self.field("l_return_format", f.words(ex.return_format)))
            if ex.assets:
                sub.blocks.append(self.p(t("exit_assets")))
                sub.blocks.append(Bullets([[Run(self.u(x))] for x in ex.assets]))
            flag = self.yes_no(ex.deletion_certificate, "deletion_certificate")
            if flag:
                sub.blocks.append(self.p(flag))
            if sub.blocks:
                s.subsections.append(sub)
        return s

    def art_law(self) -> Section | None:
        c, f, t = self.c, self.f, self.t
        if c.governing_law is None and c.jurisdiction is None and c.dispute_resolution is None:
            return None
        s = Section("law", f.msg["h_law"])
        if c.governing_law is not None:
            s.blocks.append(self.p(t("governing_law", law=self.m(c.governing_law, self.law_name))))
        if c.dispute_resolution is not None:
            s.blocks.append(self.p(t("dispute_resolution", how=self.m(c.dispute_resolution))))
        if c.jurisdiction is not None:
            s.blocks.append(self.p(t("jurisdiction", court=self.m(c.jurisdiction))))
        return s

    def law_name(self, code: str) -> str:
        return self.f.msg.get("law_" + code) or self.t("law_of", country=self.f.word(code))

    def art_clauses(self) -> list[Section]:
        out = []
        for cl in self.c.clauses:
            s = Section("clause:" + (cl.id or ""), self.u(cl.title or humanise(cl.id or "")))
            s.blocks += self.paras_of_text(cl.text)
            out.append(s)
        return out

    # ------------------------------------------------------------ signature
    def signature(self) -> list:
        c, f, t = self.c, self.f, self.t
        place = self.m(c.signed_at) if c.signed_at is not None else f.msg["place_blank"]
        date = self.m(c.signature_date, f.date_expr) if c.signature_date is not None else f.msg["date_blank"]
        n = max(len(c.parties), 2)
        copies = f.msg["copies_" + str(n)] if ("copies_" + str(n)) in f.msg else str(n)
        blocks: list = [self.p(t("signed_at", place=place, date=date, copies=copies))]
        rows = []
        for p in c.parties:
            role = self.terms.get(p.id or "")
            who = f.msg["for_" + role] if role else t("for_party", name=self.u(p.title or ""))
            rows.append(
                [
                    who,
                    self.u(p.title or ""),
                    self.m(p.representative) if p.representative is not None else f.msg["name_blank"],
                    "",
                ]
            )
        blocks.append(
            Table([f.msg["th_party"], f.msg["th_company"], f.msg["th_signatory"], f.msg["th_signature"]], rows)
        )
        return blocks

    # ------------------------------------------------------------ annexes
    def annex_sla(self) -> Section | None:
        c, f = self.c, self.f
        if not c.service_levels:
            return None
        s = Section("annex_sla", f.msg["h_annex_sla"])
        rows = []
        for sl in c.service_levels:
            rows.append(
                [
                    self.u(sl.title or humanise(sl.id or "")),
                    self.target(sl) if sl.target is not None else f.msg["not_stated"],
                    self.m(sl.window, f.phrasal) if sl.window is not None else "\u2014",
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
        s.blocks.append(self.msg_with_ref("annex_sla_note", "service_levels"))
        return s

    def annex_prices(self) -> Section | None:
        pr, f, t = self.c.pricing, self.f, self.t
        if pr is None or not (pr.fees or pr.units or pr.rates or pr.tiers):
            return None
        s = Section("annex_prices", f.msg["h_annex_prices"])
        rows = []
        for fee in pr.fees:
            rows.append([self.u(fee.title or humanise(fee.id or "")), f.msg["kind_fee_bare"], f.fee_value(fee.value)])
        for u in pr.units:
            rows.append([self.u(u.title or humanise(u.id or "")), f.msg["kind_unit_bare"], self.m(u.value, f.rate)])
        for r in pr.rates:
            rows.append([self.u(r.title or humanise(r.id or "")), f.msg["kind_rate_bare"], self.m(r.value, f.rate)])
        if rows:
            s.blocks.append(Table([f.msg["th_item"], f.msg["th_price_kind"], f.msg["th_price"]], rows, numeric=(2,)))
        for tier in pr.tiers:
            sub = Section("tier:" + (tier.id or ""), self.u(tier.title or humanise(tier.id or "")))
            unit = self.m(tier.unit, f.unit) if tier.unit is not None else ""
            brows = []
            for b in tier.bands:
                rng = (
                    t("band_above", low=f.number(b.low))
                    if b.high is None
                    else t("band_range", low=f.number(b.low), high=f.number(b.high))
                )
                brows.append([rng, self.m(b.price, f.value)])
            th = t("th_band_unit", unit=unit) if unit else f.msg["th_band"]
            sub.blocks.append(Table([th, f.msg["th_price"]], brows, numeric=(1,)))
            sub.blocks.append(self.p(t("bands_marginal")))
            s.subsections.append(sub)
        if pr.minimum is not None:
            s.blocks.append(self.p(t("minimum_text", amount=f.value(pr.minimum))))
        return s

    def annex_dpa(self) -> Section | None:
        c, f, t = self.c, self.f, self.t
        if not c.data:
            return None
        s = Section("annex_dpa", f.msg["h_annex_dpa"])
        s.blocks.append(self.p(t("dpa_intro")))
        ns = f.msg["not_stated"]
        duration = ns
        if c.term is not None:
            duration = t(
                "dpa_duration",
                term=self.m(c.term, lambda v: f.msg["term_indefinite_short"] if v == "indefinite" else f.duration(v)),
            )
        cf = c.confidentiality
        for d in c.data:
            sub = Section("data:" + (d.id or ""), self.u(d.title or humanise(d.id or "")))
            obligations = []
            if d.instructions is not None:
                obligations.append(t("ob_instructions", value=self.m(d.instructions)))
            if cf is not None and cf.personnel_bound is True:
                obligations.append(t("ob_confidentiality"))
            if d.security:
                obligations.append(t("ob_security", value=f.words(d.security)))
            if d.subprocessing is not None:
                sp = t("ob_subprocessing", value=self.m(d.subprocessing, f.phrasal))
                if d.subprocessors:
                    sp += ". " + t("ob_subprocessors", value=f.join([self.u(x) for x in d.subprocessors]))
                obligations.append(sp)
            if d.assistance is not None:
                obligations.append(t("ob_assistance", value=self.m(d.assistance)))
            if d.breach_notification is not None:
                obligations.append(t("ob_breach", value=f.duration(d.breach_notification)))
            if d.at_end is not None:
                text = t("ob_at_end", value=self.m(d.at_end, f.phrasal))
                if d.deletion_certificate is True:
                    text += f.msg["ob_certificate"]
                obligations.append(text)
            if d.audit is not None:
                obligations.append(t("ob_audit", value=self.m(d.audit)))
            if d.access is not None:
                obligations.append(t("ob_access", value=self.m(d.access)))
            if d.location:
                loc = t("ob_location", value=f.words(d.location))
                if d.transfer is not None:
                    loc += self.transfer(d.transfer)
                obligations.append(loc)
            types = f.words(d.categories) if d.categories else ns
            if d.special_categories:
                types += f.msg["special_sep"] + t("special_categories", value=f.words(d.special_categories))
            retention = self.m(d.retention, f.retention) if d.retention is not None else ns
            if d.retention_basis is not None:
                retention += f" ({self.m(d.retention_basis)})"
            rows = [
                [f.msg["dpa_subject"], self.u(d.title or humanise(d.id or ""))],
                [f.msg["dpa_duration_h"], duration],
                [f.msg["dpa_nature"], self.m(d.nature) if d.nature is not None else ns],
                [f.msg["dpa_purpose"], self.m(d.purpose) if d.purpose is not None else ns],
                [f.msg["dpa_types"], types],
                [f.msg["dpa_subjects"], f.words(d.subjects) if d.subjects else ns],
                [f.msg["dpa_retention"], retention],
                [
                    f.msg["dpa_obligations"],
                    " ".join(o if o.endswith(".") else o + "." for o in obligations) if obligations else ns,
                ],
            ]
            if d.personal is False:
                sub.blocks.append(self.p(t("not_personal")))
            sub.blocks.append(Table([f.msg["th_dpa_item"], f.msg["th_dpa_value"]], rows))
            s.subsections.append(sub)
        return s

    def annex_calendar(self) -> Section | None:
        """Every dated obligation (bpolang.obligations.compute, as `bpo calendar`); a series shows its first dates."""
        from bpolang.obligations.compute import Labeller, obligations, series
        from bpolang.obligations.timeline import timeline

        f, t = self.f, self.t
        label = Labeller(f)
        items = obligations(self.c, self.res)
        rows: list[list[str]] = []
        for first, group in series(items):
            rule = "\u2014"
            if first.series:
                rule = label.rule(first) or "\u2014"
                shown = [o.date for o in group[:MAX_OCCURRENCES_SHOWN] if o.date is not None]
                if len(shown) > 1:
                    rule += f.msg["cal_next"] + f.join([f.date(x) for x in shown[1:]])
                more = len(group) - MAX_OCCURRENCES_SHOWN
                if more > 0 and first.date is not None:
                    rule += t("cal_more", n=more)
            when = f.date(first.date) if first.date is not None else f.msg["date_unknown"]
            rows.append([when, label.title(first), label.parties(first.owed_by), rule])
        if len(rows) <= 1:
            return None
        s = Section("annex_calendar", f.msg["h_annex_calendar"])
        s.blocks.append(self.p(t("calendar_intro")))
        picture = timeline(self.c, self.res, items, label, self.lang)
        if picture is not None:
            s.blocks.append(Figure(picture.svg, picture.alt, f.msg["timeline_caption"], picture.data_uri()))
        s.blocks.append(
            Table([f.msg["th_date"], f.msg["th_obligation"], f.msg["th_responsible"], f.msg["th_frequency"]], rows)
        )
        return s


def build_document(contract: C.Contract, resolution: Any, lang: str) -> Document:
    return Builder(contract, resolution, lang).build()
