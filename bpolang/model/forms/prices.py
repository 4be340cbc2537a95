"""Prices: a fee's amount and schedule, a band of a tiered price."""

from bpolang.model import contract as C
from bpolang.model.forms.base import Form, PrintKit, Wording
from bpolang.model.reader import Reader
from bpolang.model.values import Percentage, Rate, Unknown

_EVERY: dict[str, C.FeeSchedule] = {"month": "every_month", "quarter": "every_quarter", "year": "every_year"}
_PAID: dict[str, C.FeePaid] = {"month": "every_month", "quarter": "every_quarter"}


class FeeValueForm(Form[C.FeeValue]):
    cls = C.FeeValue
    expected = "a fee such as `8500 EUR every month` or `15000 EUR once at go_live`"

    def read(self, r: Reader) -> C.FeeValue:
        amount = r.amount()
        if r.word("once"):
            at = r.ref() if r.word("at") else None
            not_before = r.ref() if at is not None and r.word("not_before") else None
            return C.FeeValue.trusted(amount=amount, schedule="once", at=at, not_before=not_before)
        if r.word("every"):
            schedule = _EVERY[r.expect_word(*_EVERY)]
            paid: C.FeePaid | None = None
            if r.word("paid"):
                r.expect_word("every")
                paid = _PAID[r.expect_word(*_PAID)]
            return C.FeeValue.trusted(amount=amount, schedule=schedule, paid=paid)
        if r.word("per_unit"):
            return C.FeeValue.trusted(amount=amount, schedule="per_unit")
        r.fail("`once`, `once at <milestone>`, `every month`, `every quarter`, `every year` or `per_unit`")

    def print(self, p: C.FeeValue, kit: PrintKit) -> str:
        text = kit.amount(p.amount)
        if p.schedule == "once":
            text += " once" + (f" at {p.at.id}" if p.at is not None else "")
            return text + (f" not_before {p.not_before.id}" if p.not_before is not None else "")
        if p.schedule == "per_unit":
            return f"{text} per_unit"
        paid = f" paid every {p.paid[6:]}" if p.paid is not None else ""
        return f"{text} every {p.schedule[6:]}{paid}"

    def word(self, p: C.FeeValue, f: Wording) -> str:
        amount = f.value(p.amount)
        if p.schedule == "once":
            if p.at is not None:
                text = f.t("fee_once_at", amount=amount, at=f.ref(p.at), at_de=f.de(f.ref(p.at)))
                if p.not_before is not None:
                    text += f.t("fee_not_before", date=f.ref(p.not_before), date_de=f.de(f.ref(p.not_before)))
                return text
            return f.t("fee_once", amount=amount)
        text = f.t("fee_" + p.schedule, amount=amount)
        return text + (f.msg["fee_paid_" + p.paid] if p.paid is not None else "")


class BandForm(Form[C.Band]):
    cls = C.Band
    expected = "a band such as `0 to 2000 at 1.20 EUR per invoice`"

    def read(self, r: Reader) -> C.Band:
        high: int | None
        if r.word("above"):
            low = r.integer()
            high = None
        else:
            low = r.integer()
            r.expect_word("to")
            high = r.integer()
        r.expect_word("at")
        price: Rate | Percentage | Unknown
        unknown = r.unknown()
        if unknown:
            price = unknown
        elif r.is_kind("PERCENT"):
            price = r.percentage()
        else:
            price = r.rate()
        return C.Band.trusted(low=low, high=high, price=price)

    def print(self, p: C.Band, kit: PrintKit) -> str:
        low = f"above {p.low}" if p.high is None else f"{p.low} to {p.high}"
        return f"{low} at {kit.scalar(p.price)}"

    def word(self, p: C.Band, f: Wording) -> str:
        if p.high is None:
            rng = f.t("band_above", low=f.number(p.low))
        else:
            rng = f.t("band_range", low=f.number(p.low), high=f.number(p.high))
        # `0 to 2,000 : €1.20 per invoice`; in French a no-break space before the colon
        return f"{rng}{f.msg_terms['nb']}: {f.value(p.price)}"
