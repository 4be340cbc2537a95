"""Liability: a cap measured on the fees, and how a cap stands to the others."""

from bpolang.model import contract as C
from bpolang.model.forms.base import Form, PrintKit, Wording
from bpolang.model.reader import Reader

_FEES: tuple[C.FeesKind, ...] = ("paid", "payable", "paid_or_payable")


class FeesCapForm(Form[C.FeesCap]):
    cls = C.FeesCap
    expected = "a cap on the fees such as `fees paid in 12 months before claim first_year 250000 USD`"

    def read(self, r: Reader) -> C.FeesCap:
        share = None
        if r.is_kind("PERCENT") and r.followed_by("of"):
            share = r.percentage()
            r.expect_word("of")
        r.expect_word("fees")
        cap = C.FeesCap.trusted(share=share, fees=r.expect_word(*_FEES))
        if r.word("for"):
            cap.service = r.ref()
        if r.word("in"):
            if r.word("initial_term"):
                cap.initial_term = True
            else:
                cap.window = r.unknown() or r.duration()
                r.expect_word("before")
                before: C.ClaimMoment = r.expect_word("claim", "event")
                cap.before = before
        if r.word("first_year"):
            cap.first_year = r.amount()
        return cap

    def print(self, p: C.FeesCap, kit: PrintKit) -> str:
        text = (f"{kit.scalar(p.share)} of " if p.share is not None else "") + f"fees {p.fees}"
        if p.service is not None:
            text += f" for {p.service.id}"
        if p.initial_term:
            text += " in initial_term"
        elif p.window is not None:
            text += f" in {kit.scalar(p.window)} before {p.before or 'claim'}"
        if p.first_year is not None:
            text += f" first_year {kit.amount(p.first_year)}"
        return text

    def word(self, p: C.FeesCap, f: Wording) -> str:
        noun, moment = f.msg["fees_noun_" + p.fees], p.before or "claim"
        if p.share is not None:
            text = f.t("fees_cap_share", share=f.value(p.share), noun=noun)
        else:
            text = f.t("fees_cap", noun=noun)
        if p.service is not None:
            text += f.t("fees_cap_service", service=f.ref(p.service))
        if p.initial_term:
            text += f.t("fees_cap_initial_term")
        elif p.window is not None:
            text += f.t("fees_cap_window_" + moment, window=f.maybe(p.window))
        if p.first_year is not None:
            text += f.t("fees_cap_first_year", amount=f.value(p.first_year))
        return text


class CapScopeForm(Form[C.CapScope]):
    cls = C.CapScope
    expected = "a scope such as `overall`, `within provider_cap` or `in_addition_to provider_cap`"

    def read(self, r: Reader) -> C.CapScope:
        if r.word("overall"):
            return C.CapScope.trusted(relation="overall")
        relation: C.CapRelation = r.expect_word("within", "in_addition_to")
        return C.CapScope.trusted(relation=relation, of=r.ref())

    def print(self, p: C.CapScope, kit: PrintKit) -> str:
        return p.relation + (f" {p.of.id}" if p.of is not None else "")

    def word(self, p: C.CapScope, f: Wording) -> str:
        of = p.of
        if p.relation == "overall" or of is None:
            return f.t("cap_scope_overall")
        return f.t("cap_scope_" + p.relation, cap=f.ref(of))
