"""Service levels and penalties: service hours, measurement windows, maintenance allowances,
breach triggers, credit steps, penalty amounts."""

import datetime as dt
from decimal import Decimal

from bpolang.model import bounds
from bpolang.model import contract as C
from bpolang.model.forms.base import Form, PrintKit, Wording, credit, threshold
from bpolang.model.reader import Reader, out_of_range
from bpolang.model.values import WEEKDAYS, Duration, DurationUnit, Unknown


class ServiceHoursForm(Form[C.ServiceHours]):
    cls = C.ServiceHours
    expected = "service hours such as `monday to friday 08:00 to 18:00`"

    def read(self, r: Reader) -> C.ServiceHours:
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
        return C.ServiceHours.trusted(first_day=first, last_day=last, opens=opens, closes=closes, all_day=all_day)

    def print(self, p: C.ServiceHours, kit: PrintKit) -> str:
        days = (
            "every day" if (p.first_day, p.last_day) == (0, 6) else f"{WEEKDAYS[p.first_day]} to {WEEKDAYS[p.last_day]}"
        )
        closes = "24:00" if p.closes == dt.time(23, 59) and p.all_day else p.closes.strftime("%H:%M")
        return f"{days} {p.opens.strftime('%H:%M')} to {closes}"

    def word(self, p: C.ServiceHours, f: Wording) -> str:
        if (p.first_day, p.last_day) == (0, 6):
            days = f.msg["every_day_hours"]
        else:
            days = f.t(
                "days_range", first=f.msg["weekday_" + str(p.first_day)], last=f.msg["weekday_" + str(p.last_day)]
            )
        if p.all_day:
            return f.t("hours_all_day", days=days)
        return f.t("hours_range", days=days, opens=f.time(p.opens), closes=f.time(p.closes, closes=True))


class WindowForm(Form[C.Window]):
    cls = C.Window
    expected = "a measurement window such as `monthly`, `rolling 3 months` or `each`"

    def read(self, r: Reader) -> C.Window:
        kind: C.WindowKind = r.expect_word("each", "daily", "weekly", "monthly", "quarterly", "yearly", "rolling")
        if kind == "rolling":
            return C.Window.trusted(kind="rolling", length=r.duration())
        return C.Window.trusted(kind=kind)

    def print(self, p: C.Window, kit: PrintKit) -> str:
        return f"rolling {kit.scalar(p.length)}" if p.kind == "rolling" else p.kind

    def word(self, p: C.Window, f: Wording) -> str:
        if p.kind == "rolling":
            return f.t("window_rolling", length=f.maybe(p.length))
        return f.msg["window_" + p.kind]


class AllowanceForm(Form[C.Allowance]):
    cls = C.Allowance
    expected = "an allowance such as `4 hours per month`"

    def read(self, r: Reader) -> C.Allowance:
        duration = r.duration()
        r.expect_word("per")
        return C.Allowance.trusted(duration=duration, per=r.expect_word("day", "week", "month", "quarter", "year"))

    def print(self, p: C.Allowance, kit: PrintKit) -> str:
        return f"{kit.scalar(p.duration)} per {p.per}"

    def word(self, p: C.Allowance, f: Wording) -> str:
        return f"{f.duration(p.duration)} {f.t('per', what=f.msg['period_' + p.per])}"


class TriggerForm(Form[C.Trigger]):
    cls = C.Trigger
    expected = "a trigger such as `below 95% 3 times in any 6 months` or `late`"

    def read(self, r: Reader) -> C.Trigger:
        comp: C.TriggerComparator = r.expect_word("below", "above", "late", "missed", "breach")
        limit = None if comp in ("late", "missed", "breach") else threshold(r)
        times = within = None
        if r.is_kind("NUMBER"):
            times = r.integer()
            r.expect_word("times")
            r.expect_word("in")
            within = self._within(r)
        return C.Trigger.trusted(comparator=comp, threshold=limit, times=times, within=within)

    @staticmethod
    def _within(r: Reader) -> Duration:
        """`any 6 months`, `6 consecutive months` (read as `any 6 months`) or `6 months`."""
        if r.word("any"):
            return r.duration()
        if r.is_kind("NUMBER"):
            node = r.items[r.pos]
            count = r.integer()
            r.expect_word("consecutive")
            unit = r.expect_word("days", "weeks", "months", "quarters", "years")
            out_of_range(bounds.duration_problem(count, unit), node)
            span = r.spanner(node.start, r.items[r.pos - 1].end)
            return Duration.trusted(amount=Decimal(count), unit=DurationUnit(unit), span=span)
        return r.duration()

    def print(self, p: C.Trigger, kit: PrintKit) -> str:
        text = p.comparator if p.threshold is None else f"{p.comparator} {kit.scalar(p.threshold)}"
        if p.times is not None:
            text += f" {p.times} times in any {kit.scalar(p.within)}"
        return text

    def word(self, p: C.Trigger, f: Wording) -> str:
        if p.threshold is None:
            text = f.msg["trigger_" + p.comparator]
        else:
            text = f.t("trigger_" + p.comparator + "_value", value=f.value(p.threshold))
        if p.times is not None:
            times = f.t("times", n=p.times) if p.times != 1 else f.msg["once_time"]
            text += " " + f.t("trigger_times", times=times, within=f.maybe(p.within))
        return text


class StepForm(Form[C.Step]):
    cls = C.Step
    expected = "a step such as `below 99.5% credit 2% of monthly_fees`"

    def read(self, r: Reader) -> C.Step:
        comp: C.StepComparator = r.expect_word("below", "above")
        limit = threshold(r)
        if isinstance(limit, Unknown):  # a step of a credit scale needs its threshold
            r.pos -= 1
            r.fail("a percentage such as `95%` or a duration such as `4 hours`")
        r.expect_word("credit")
        return C.Step.trusted(comparator=comp, threshold=limit, credit=credit(r))

    def print(self, p: C.Step, kit: PrintKit) -> str:
        return f"{p.comparator} {kit.scalar(p.threshold)} credit {kit.scalar(p.credit)}"

    def word(self, p: C.Step, f: Wording) -> str:
        return f.t("step_" + p.comparator, value=f.value(p.threshold), credit=f.value(p.credit))


class PenaltyAmountForm(Form[C.PenaltyAmount]):
    cls = C.PenaltyAmount
    expected = "an amount such as `500 EUR per day late` or `5% of monthly_fees`"

    def read(self, r: Reader) -> C.PenaltyAmount:
        amount = credit(r)
        if not r.word("per"):
            return C.PenaltyAmount.trusted(amount=amount)
        if r.is_kind("DURATION"):  # `per 28 days late`: each period of delay of that length
            every = r.duration()
            r.word("late")
            return C.PenaltyAmount.trusted(amount=amount, every=every)
        per: C.PenaltyPer = r.expect_word("day", "business_day", "week", "month", "occurrence")
        r.word("late")
        return C.PenaltyAmount.trusted(amount=amount, per=per)

    def print(self, p: C.PenaltyAmount, kit: PrintKit) -> str:
        if p.every is not None:
            return f"{kit.scalar(p.amount)} per {kit.scalar(p.every)} late"
        return kit.scalar(p.amount) + (f" per {p.per}" if p.per else "")

    def word(self, p: C.PenaltyAmount, f: Wording) -> str:
        text = f.value(p.amount)
        if p.every is not None:
            text += " " + f.t("penalty_every", every=f.duration(p.every))
        elif p.per:
            text += " " + f.msg["penalty_per_" + p.per]
        return text


class AllocationForm(Form[C.Allocation]):
    cls = C.Allocation
    expected = "an allocation such as `40% to availability`"

    def read(self, r: Reader) -> C.Allocation:
        share = r.unknown() or r.percentage()
        r.expect_word("to")
        return C.Allocation.trusted(share=share, sla=r.ref())

    def print(self, p: C.Allocation, kit: PrintKit) -> str:
        return f"{kit.scalar(p.share)} to {p.sla.id}"

    def word(self, p: C.Allocation, f: Wording) -> str:
        return f.t("allocation", share=f.value(p.share), sla=f.ref(p.sla))


class EarnBackForm(Form[C.EarnBack]):
    cls = C.EarnBack
    expected = "an earn-back such as `100% if met for 3 months within 6 months`"

    def read(self, r: Reader) -> C.EarnBack:
        share = r.unknown() or r.percentage()
        r.expect_word("if")
        r.expect_word("met")
        r.expect_word("for")
        met_for = r.duration()
        within = r.duration() if r.word("within") else None
        return C.EarnBack.trusted(share=share, met_for=met_for, within=within)

    def print(self, p: C.EarnBack, kit: PrintKit) -> str:
        text = f"{kit.scalar(p.share)} if met for {kit.scalar(p.met_for)}"
        return text + (f" within {kit.scalar(p.within)}" if p.within is not None else "")

    def word(self, p: C.EarnBack, f: Wording) -> str:
        text = f.t("earn_back_rule", share=f.value(p.share), met_for=f.duration(p.met_for))
        if p.within is not None:
            text += f.t("earn_back_within", within=f.duration(p.within))
        return text
