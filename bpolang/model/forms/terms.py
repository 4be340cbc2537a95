"""Commercial terms: renewal, payment terms, billing, late-payment interest, convenience fee."""

from typing import Literal

from bpolang.model import contract as C
from bpolang.model.forms.base import Form, PrintKit, Wording, money_or_share
from bpolang.model.reader import Reader
from bpolang.model.values import Percentage, Unknown


class RenewalForm(Form[C.Renewal]):
    cls = C.Renewal
    expected = "a renewal such as `tacit 12 months notice 3 months` or `none`"

    def read(self, r: Reader) -> C.Renewal:
        kind: C.RenewalKind = r.expect_word("tacit", "express", "none")
        if kind == "none":
            return C.Renewal.trusted(kind="none")
        period = r.unknown() or r.duration()
        notice = None
        if r.word("notice"):
            notice = r.unknown() or r.duration()
        return C.Renewal.trusted(kind=kind, period=period, notice=notice)

    def print(self, p: C.Renewal, kit: PrintKit) -> str:
        if p.kind == "none":
            return "none"
        text = f"{p.kind} {kit.scalar(p.period)}"
        return text + (f" notice {kit.scalar(p.notice)}" if p.notice is not None else "")

    def word(self, p: C.Renewal, f: Wording) -> str:
        if p.kind == "none":
            return f.msg["renewal_none"]
        text = f.t("renewal_" + p.kind, period=f.maybe(p.period))
        if p.notice is not None:
            text += f.t("renewal_notice_" + p.kind, notice=f.maybe(p.notice))
        return text + ("." if not text.endswith(".") else "")


class PaymentTermsForm(Form[C.PaymentTerms]):
    cls = C.PaymentTerms
    expected = "payment terms such as `45 days end of month` or `30 days from invoice`"

    def read(self, r: Reader) -> C.PaymentTerms:
        days = r.unknown() or r.duration()
        start: C.PaymentStart = "invoice"
        if r.word("end"):
            r.expect_word("of")
            r.expect_word("month")
            start = "end_of_month"
        elif r.word("from"):
            start = r.expect_word("invoice", "receipt", "acceptance", "postmark", "month_end")
        day = None
        if r.word("not_before"):
            r.expect_word("day")
            day = r.integer()
        agreed = bool(r.word("expressly_agreed"))
        return C.PaymentTerms.trusted(days=days, start=start, expressly_agreed=agreed, not_before_day=day)

    def print(self, p: C.PaymentTerms, kit: PrintKit) -> str:
        start = {
            "invoice": "",
            "end_of_month": " end of month",
            "receipt": " from receipt",
            "acceptance": " from acceptance",
            "postmark": " from postmark",
            "month_end": " from month_end",
        }[p.start]
        day = f" not_before day {p.not_before_day}" if p.not_before_day is not None else ""
        return f"{kit.scalar(p.days)}{start}{day}" + (" expressly_agreed" if p.expressly_agreed else "")

    def word(self, p: C.PaymentTerms, f: Wording) -> str:
        text = f.t("payment_" + p.start, days=f.maybe(p.days))
        if p.not_before_day is not None:
            text += f.t("payment_not_before_day", day=p.not_before_day)
        if p.expressly_agreed:
            text += f.msg["payment_expressly_agreed"]
        return text


class BillingForm(Form[C.Billing]):
    cls = C.Billing
    expected = "a billing rhythm such as `monthly in arrears`"

    def read(self, r: Reader) -> C.Billing:
        freq: C.BillingFrequency = r.expect_word(
            "monthly", "quarterly", "yearly", "weekly", "on_delivery", "on_milestone"
        )
        timing: C.BillingTiming | None = None
        if r.word("in"):
            timing = "in_advance" if r.expect_word("advance", "arrears") == "advance" else "in_arrears"
        return C.Billing.trusted(frequency=freq, timing=timing)

    def print(self, p: C.Billing, kit: PrintKit) -> str:
        return p.frequency + (f" in {p.timing[3:]}" if p.timing else "")

    def word(self, p: C.Billing, f: Wording) -> str:
        text = f.msg["billing_" + p.frequency]
        if p.timing:
            text += f.msg["billing_" + p.timing]
        return text


class LateInterestForm(Form[C.LateInterest]):
    cls = C.LateInterest
    expected = "late-payment interest such as `3 times legal_rate` or `ecb_rate plus 10%`"

    def read(self, r: Reader) -> C.LateInterest:
        if r.word("excluded"):
            return C.LateInterest.trusted(basis="excluded")
        if r.is_kind("NUMBER"):
            multiple = r.integer()
            r.expect_word("times")
            r.expect_word("legal_rate")
            return C.LateInterest.trusted(basis="legal_rate_multiple", multiple=multiple)
        value: Percentage | Unknown
        if r.word("ecb_rate"):
            r.expect_word("plus")
            if r.is_kind("NUMBER"):
                # `ecb_rate plus 10 points`: percentage points
                node = r.items[r.pos]
                value = Percentage.trusted(value=r.number(), span=r.span_of(node))
                r.expect_word("points")
            else:
                value = r.unknown() or r.percentage()
            return C.LateInterest.trusted(basis="ecb_plus", value=value)
        if r.is_word() and not r.is_word("redacted", "tbd"):
            # `prime_rate plus 2%`: a published reference rate plus a margin
            reference = r.any_word()
            r.expect_word("plus")
            value = r.unknown() or r.percentage()
            return C.LateInterest.trusted(
                basis="reference_plus", reference=reference, value=value, lawful_cap=_capped(r)
            )
        value = r.unknown() or r.percentage()
        per: Literal["year", "month"] = "year"
        if r.word("per"):
            per = r.expect_word("year", "month")
        return C.LateInterest.trusted(basis="fixed", value=value, per=per, lawful_cap=_capped(r))

    def print(self, p: C.LateInterest, kit: PrintKit) -> str:
        if p.basis == "excluded":
            return "excluded"
        if p.basis == "legal_rate_multiple":
            return f"{p.multiple} times legal_rate"
        if p.basis == "ecb_plus":
            return f"ecb_rate plus {kit.scalar(p.value)}"
        cap = " capped_at lawful_maximum" if p.lawful_cap else ""
        if p.basis == "reference_plus":
            return f"{p.reference} plus {kit.scalar(p.value)}{cap}"
        return f"{kit.scalar(p.value)} per {p.per}{cap}"

    def word(self, p: C.LateInterest, f: Wording) -> str:
        if p.basis == "legal_rate_multiple":
            return f.t("late_legal_rate_multiple", n=p.multiple)
        if p.basis == "excluded":
            return f.msg["late_excluded"]
        points = f.number(p.value.value) if isinstance(p.value, Percentage) else f.maybe(p.value)
        key = "late_fixed_month" if p.basis == "fixed" and p.per == "month" else "late_" + p.basis
        text = f.t(key, value=f.maybe(p.value), points=points, reference=f.word(p.reference or ""))
        return text + (f.msg["late_lawful_cap"] if p.lawful_cap else "")


def _capped(r: Reader) -> bool:
    """`capped_at lawful_maximum`: the lesser of the rate and the highest rate the law allows."""
    if r.word("capped_at"):
        r.expect_word("lawful_maximum")
        return True
    return False


class ConvenienceFeeForm(Form[C.ConvenienceFee]):
    cls = C.ConvenienceFee
    expected = "a fee such as `year 1 30000 EUR` or `any_year 20% of estimated_remaining_value`"

    def read(self, r: Reader) -> C.ConvenienceFee:
        year: int | None = None
        if not r.word("any_year"):
            r.expect_word("year")
            year = r.integer()
        if r.is_kind("PERCENT") and not r.followed_by("of"):
            # a share of something, never a bare percentage: the fee is an amount of money
            r.fail(
                "an amount such as `15000 EUR` or `10% of annual_fees`",
                help="say what the percentage is of, e.g. `10% of annual_fees`",
            )
        if year is not None:
            return C.ConvenienceFee.trusted(year=year, amount=money_or_share(r))
        return C.ConvenienceFee.trusted(year=None, amount=r.amount())

    def print(self, p: C.ConvenienceFee, kit: PrintKit) -> str:
        if p.year is None:
            return f"any_year {kit.amount(p.amount)}"
        return f"year {p.year} {kit.scalar(p.amount)}"

    def word(self, p: C.ConvenienceFee, f: Wording) -> str:
        if p.year is None:
            return f.t("convenience_fee_any", amount=f.value(p.amount))
        return f.t("convenience_fee", year=p.year, amount=f.value(p.amount))


class InstalmentForm(Form[C.Instalment]):
    cls = C.Instalment
    expected = "an instalment such as `50% within 30 days after notice` or `50% 30 days before termination`"

    def read(self, r: Reader) -> C.Instalment:
        share = r.percentage()
        r.word("within")
        within = r.unknown() or r.duration()
        direction: Literal["after", "before"] = r.expect_word("after", "before")
        anchor: C.InstalmentAnchor = r.expect_word("notice", "termination")
        return C.Instalment.trusted(share=share, within=within, direction=direction, anchor=anchor)

    def print(self, p: C.Instalment, kit: PrintKit) -> str:
        return f"{kit.scalar(p.share)} within {kit.scalar(p.within)} {p.direction} {p.anchor}"

    def word(self, p: C.Instalment, f: Wording) -> str:
        return f.t(f"instalment_{p.direction}_{p.anchor}", share=f.value(p.share), within=f.maybe(p.within))
