"""Readers for the phrasal values (`tacit 12 months notice 3 months`...)."""

from __future__ import annotations

from bpolang.model import bounds
from bpolang.model.contract import (
    Allowance,
    AtEnd,
    Band,
    Billing,
    ConvenienceFee,
    FeeValue,
    LateInterest,
    PaymentTerms,
    PenaltyAmount,
    Phrasal,
    Renewal,
    Retention,
    ServiceHours,
    Step,
    Subprocessing,
    Transfer,
    Trigger,
    Window,
)
from bpolang.model.reader import Mismatch, Reader, out_of_range
from bpolang.model.values import WEEKDAYS, Duration, Money, Percentage


def _renewal(r: Reader) -> Renewal:
    kind = r.expect_word("tacit", "express", "none")
    if kind == "none":
        return Renewal(kind="none")
    period = r.unknown() or r.duration()
    notice = None
    if r.word("notice"):
        notice = r.unknown() or r.duration()
    return Renewal(kind=kind, period=period, notice=notice)


def _payment_terms(r: Reader) -> PaymentTerms:
    days = r.unknown() or r.duration()
    start = "invoice"
    if r.word("end"):
        r.expect_word("of")
        r.expect_word("month")
        start = "end_of_month"
    elif r.word("from"):
        start = r.expect_word("invoice", "receipt", "acceptance")
    agreed = bool(r.word("expressly_agreed"))
    return PaymentTerms(days=days, start=start, expressly_agreed=agreed)


def _billing(r: Reader) -> Billing:
    freq = r.expect_word("monthly", "quarterly", "yearly", "weekly", "on_delivery", "on_milestone")
    timing = None
    if r.word("in"):
        timing = "in_" + r.expect_word("advance", "arrears")
    return Billing(frequency=freq, timing=timing)


def _late_interest(r: Reader) -> LateInterest:
    if r.word("excluded"):
        return LateInterest(basis="excluded")
    if r.is_kind("NUMBER"):
        multiple = r.integer()
        r.expect_word("times")
        r.expect_word("legal_rate")
        return LateInterest(basis="legal_rate_multiple", multiple=multiple)
    if r.word("ecb_rate"):
        r.expect_word("plus")
        if r.is_kind("NUMBER"):
            # `ecb_rate plus 10 points`: percentage points
            node = r.peek()
            value = Percentage(value=r.number(), span=r.span_of(node))
            r.expect_word("points")
        else:
            value = r.unknown() or r.percentage()
        return LateInterest(basis="ecb_plus", value=value)
    value = r.unknown() or r.percentage()
    r.word("per")
    r.word("year")
    return LateInterest(basis="fixed", value=value)


def _retention(r: Reader) -> Retention:
    if r.word("duration"):
        r.expect_word("of")
        r.expect_word("contract")
        return Retention(period=None, start="end")
    period = r.unknown() or r.duration()
    if r.word("after"):
        start = r.word("end", "collection", "last_contact", "termination", "effective")
        if start is None:
            event = r.text() if r.is_kind("STRING") else None
            if event is None:
                r.fail("`end`, `collection`, `last_contact`, `termination`, `effective` or a quoted event")
            return Retention(period=period, start="event", event=event)
        return Retention(period=period, start=start)
    return Retention(period=period, start="collection")


def _at_end(r: Reader) -> AtEnd:
    if r.word("return"):
        action = "return"
        if r.word("then"):
            r.expect_word("delete")
            action = "return_then_delete"
    elif r.word("delete"):
        action = "delete"
    elif r.word("client_choice"):
        action = "client_choice"
    else:
        r.fail("`return then delete`, `delete`, `return` or `client_choice`")
    within = None
    if r.word("within"):
        within = r.unknown() or r.duration()
    return AtEnd(action=action, within=within)


def _threshold(r: Reader):
    if r.is_kind("PERCENT"):
        return r.percentage()
    if r.is_kind("DURATION"):
        return r.duration()
    return r.unknown() or r.fail("a percentage such as `95%` or a duration such as `4 hours`")


def _trigger(r: Reader) -> Trigger:
    comp = r.expect_word("below", "above", "late", "missed", "breach")
    if comp in ("late", "missed", "breach"):
        return Trigger(comparator=comp)
    threshold = _threshold(r)
    times = within = None
    if r.is_kind("NUMBER"):
        times = r.integer()
        r.expect_word("times")
        r.expect_word("in")
        if r.word("any"):
            within = r.duration()
        elif r.is_kind("NUMBER"):
            # `in 6 consecutive months` reads as `in any 6 months`
            node = r.peek()
            count = r.integer()
            r.expect_word("consecutive")
            unit = r.expect_word("days", "weeks", "months", "quarters", "years")
            out_of_range(bounds.duration_problem(count, unit), node)
            within = Duration(amount=count, unit=unit, span=r.spanner(node.start, r.items[r.pos - 1].end))
        else:
            within = r.duration()
    return Trigger(comparator=comp, threshold=threshold, times=times, within=within)


def _credit(r: Reader):
    unknown = r.unknown()
    if unknown:
        return unknown
    if r.is_kind("MONEY"):
        return r.money()
    if r.is_kind("PERCENT"):
        nxt = r.items[r.pos + 1] if r.pos + 1 < len(r.items) else None
        if nxt is not None and getattr(nxt, "text", None) == "of":
            return r.relative_amount()
        return r.percentage()
    r.fail("a credit such as `5% of monthly_fees` or `1000 EUR`")


def _step(r: Reader) -> Step:
    comp = r.expect_word("below", "above")
    threshold = _threshold(r)
    r.expect_word("credit")
    return Step(comparator=comp, threshold=threshold, credit=_credit(r))


def _penalty_amount(r: Reader) -> PenaltyAmount:
    amount = _credit(r)
    per = None
    if r.word("per"):
        per = r.expect_word("day", "business_day", "week", "month", "occurrence")
        r.word("late")
    return PenaltyAmount(amount=amount, per=per)


def _fee_value(r: Reader) -> FeeValue:
    amount = r.amount()
    if r.word("once"):
        schedule = "once"
        at = None
        if r.word("at"):
            at = r.ref()
        return FeeValue(amount=amount, schedule=schedule, at=at)
    if r.word("every"):
        freq = r.expect_word("month", "quarter", "year")
        return FeeValue(amount=amount, schedule=f"every_{freq}")
    if r.word("per_unit"):
        return FeeValue(amount=amount, schedule="per_unit")
    r.fail("`once`, `once at <milestone>`, `every month`, `every quarter`, `every year` or `per_unit`")
    raise AssertionError  # unreachable


def _service_hours(r: Reader) -> ServiceHours:
    if r.word("every"):
        r.expect_word("day")
        first, last = 0, 6
    else:
        first = WEEKDAYS.index(r.expect_word(*WEEKDAYS))
        r.expect_word("to")
        last = WEEKDAYS.index(r.expect_word(*WEEKDAYS))
    start_node = r.peek()
    opens = r.time()
    r.expect_word("to")
    end_node = r.peek()
    closes = r.time()
    all_day = getattr(end_node, "text", "") == "24:00" and getattr(start_node, "text", "") == "00:00"
    return ServiceHours(first_day=first, last_day=last, opens=opens, closes=closes, all_day=all_day)


def _window(r: Reader) -> Window:
    kind = r.expect_word("daily", "weekly", "monthly", "quarterly", "yearly", "rolling")
    if kind == "rolling":
        return Window(kind="rolling", length=r.duration())
    return Window(kind=kind)


def _allowance(r: Reader) -> Allowance:
    duration = r.duration()
    r.expect_word("per")
    return Allowance(duration=duration, per=r.expect_word("day", "week", "month", "quarter", "year"))


def _band(r: Reader) -> Band:
    if r.word("above"):
        low = r.integer()
        high = None
    else:
        low = r.integer()
        r.expect_word("to")
        high = r.integer()
    r.expect_word("at")
    unknown = r.unknown()
    if unknown:
        price = unknown
    elif r.is_kind("PERCENT"):
        price = r.percentage()
    else:
        price = r.rate()
    return Band(low=low, high=high, price=price)


def _subprocessing(r: Reader) -> Subprocessing:
    mode = r.expect_word("prohibited", "specific_consent", "general", "free")
    notice = None
    if mode == "general" and r.word("notice"):
        notice = r.duration()
    return Subprocessing(mode=mode, notice=notice)


def _transfer(r: Reader) -> Transfer:
    mech = r.expect_word("scc", "adequacy", "bcr", "idta", "uk_addendum", "derogation", "none")
    module = None
    if mech == "scc" and r.word("module"):
        module = r.integer()
        if not 1 <= module <= 4:
            r.pos -= 1
            r.fail("an SCC module between 1 and 4")
    tia = False
    if r.word("with"):
        r.expect_word("tia")
        tia = True
    return Transfer(mechanism=mech, module=module, tia=tia)


def _convenience_fee(r: Reader) -> ConvenienceFee:
    r.expect_word("year")
    year = r.integer()
    if r.is_kind("PERCENT"):
        # a share of something, never a bare percentage: the fee is an amount of money
        nxt = r.items[r.pos + 1] if r.pos + 1 < len(r.items) else None
        if getattr(nxt, "text", None) != "of":
            r.fail(
                "an amount such as `15000 EUR` or `10% of annual_fees`",
                help="say what the percentage is of, e.g. `10% of annual_fees`",
            )
    return ConvenienceFee(year=year, amount=_credit(r))


PHRASE_READERS = {
    Renewal: _renewal,
    PaymentTerms: _payment_terms,
    Billing: _billing,
    LateInterest: _late_interest,
    Retention: _retention,
    AtEnd: _at_end,
    Trigger: _trigger,
    Step: _step,
    PenaltyAmount: _penalty_amount,
    FeeValue: _fee_value,
    ServiceHours: _service_hours,
    Window: _window,
    Band: _band,
    Allowance: _allowance,
    Subprocessing: _subprocessing,
    Transfer: _transfer,
    ConvenienceFee: _convenience_fee,
}

EXPECTED = {
    Renewal: "a renewal such as `tacit 12 months notice 3 months` or `none`",
    PaymentTerms: "payment terms such as `45 days end of month` or `30 days from invoice`",
    Billing: "a billing rhythm such as `monthly in arrears`",
    LateInterest: "late-payment interest such as `3 times legal_rate` or `ecb_rate plus 10%`",
    Retention: "a retention period such as `10 years after end`",
    AtEnd: "an end-of-contract rule such as `return then delete within 30 days`",
    Trigger: "a trigger such as `below 95% 3 times in any 6 months` or `late`",
    Step: "a step such as `below 99.5% credit 2% of monthly_fees`",
    PenaltyAmount: "an amount such as `500 EUR per day late` or `5% of monthly_fees`",
    FeeValue: "a fee such as `8500 EUR every month` or `15000 EUR once at go_live`",
    ServiceHours: "service hours such as `monday to friday 08:00 to 18:00`",
    Window: "a measurement window such as `monthly` or `rolling 3 months`",
    Band: "a band such as `0 to 2000 at 1.20 EUR per invoice`",
    Allowance: "an allowance such as `4 hours per month`",
    Subprocessing: "a sub-processing rule such as `general notice 30 days`",
    Transfer: "a transfer mechanism such as `scc module 2 with tia`, `adequacy` or `idta`",
    ConvenienceFee: "a fee such as `year 1 30000 EUR`",
}


def read_phrasal(cls: type[Phrasal], r: Reader) -> Phrasal:
    start = r.peek()
    value = PHRASE_READERS[cls](r)
    if start is not None and r.pos > 0:
        value.span = r.spanner(start.start, r.items[r.pos - 1].end)
    return value


__all__ = ["PHRASE_READERS", "EXPECTED", "read_phrasal", "Mismatch", "Duration", "Money", "Percentage"]
