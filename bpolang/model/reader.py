"""Reading a phrase (a value's items) into typed values, with precise mismatch errors."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from bpolang.model.values import (
    WEEKDAYS,
    Arith,
    Call,
    DateExpr,
    Duration,
    DurationUnit,
    Frequency,
    Money,
    Number,
    Offset,
    Percentage,
    Quantity,
    Rate,
    Recurrence,
    Ref,
    RelativeAmount,
    Unknown,
)
from bpolang.syntax.nodes import BinOp, Group, ListNode, Lit, Node, Phrase
from bpolang.syntax.nodes import Call as CallNode

EXAMPLES = {
    "duration": "a duration such as `30 days`",
    "money": "an amount such as `8500 EUR`",
    "percentage": "a percentage such as `98%`",
    "date": "a date such as `2027-01-01` or `kickoff + 45 days`",
    "recurrence": "a recurrence such as `every month on day 5`",
    "quantity": "a quantity such as `2000 invoices per month`",
    "rate": "a rate such as `1.20 EUR per invoice`",
    "text": 'a quoted text such as "Saisie des factures"',
    "word": "a word such as `XLSX`",
    "name": "the id of a declared block, such as `kickoff`",
    "number": "a whole number such as `3`",
    "bool": "`yes` or `no`",
    "list": "a list such as `[a, b]`",
    "time": "a time such as `17:00`",
    "amount": "an amount such as `8500 EUR`, `10% of monthly_fees` or `max(...)`",
}

_UNITS = {
    "second": DurationUnit.SECONDS,
    "minute": DurationUnit.MINUTES,
    "hour": DurationUnit.HOURS,
    "day": DurationUnit.DAYS,
    "calendar day": DurationUnit.DAYS,
    "business day": DurationUnit.BUSINESS_DAYS,
    "working day": DurationUnit.WORKING_DAYS,
    "week": DurationUnit.WEEKS,
    "month": DurationUnit.MONTHS,
    "quarter": DurationUnit.QUARTERS,
    "year": DurationUnit.YEARS,
}
_SPACES = re.compile(r"[ \t]+")
FREQUENCY_WORDS = {
    "day": Frequency.DAY,
    "days": Frequency.DAY,
    "week": Frequency.WEEK,
    "weeks": Frequency.WEEK,
    "month": Frequency.MONTH,
    "months": Frequency.MONTH,
    "quarter": Frequency.QUARTER,
    "quarters": Frequency.QUARTER,
    "year": Frequency.YEAR,
    "years": Frequency.YEAR,
}
# Built-in date anchors: `effective` is the effective date, `end` the end of the term.
DATE_ANCHORS = ("effective", "end")


class Mismatch(Exception):
    """The phrase does not have the expected form."""

    def __init__(
        self,
        expected: str,
        node: Node | None,
        found: str | None = None,
        help: str | None = None,
        invalid: bool = False,
        suggestion: str | None = None,
    ):
        super().__init__(expected)
        self.suggestion = suggestion  # the one close word that was probably meant (a "did you mean")
        self.expected = expected
        self.node = node
        self.found = found
        self.help = help
        # invalid: well-formed but not a valid value (2027-02-30); no other reading applies
        self.invalid = invalid


def decimal(text: str) -> Decimal:
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation as exc:  # pragma: no cover - the lexer admits only digits
        raise ValueError(text) from exc


def unescape(lit: Lit) -> str:
    """The value of a STRING or TEXT token."""
    text = lit.text
    if lit.kind == "TEXT":
        return text[3:-3]
    body = text[1:-1]
    if "\\" not in body:
        return body
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def bad_escapes(lit: Lit) -> list[int]:
    """Offsets of escapes other than \\n \\t \\" \\\\ in a STRING token."""
    if lit.kind != "STRING" or "\\" not in lit.text:
        return []
    out = []
    body = lit.text
    i = 1
    while i < len(body) - 1:
        if body[i] == "\\":
            if body[i + 1] not in 'nt"\\':
                out.append(lit.start + i)
            i += 2
        else:
            i += 1
    return out


def money_of(lit: Lit) -> Money:
    number, currency = _SPACES.split(lit.text.strip())
    return Money(amount=decimal(number), currency=currency)


def duration_of(lit: Lit) -> Duration:
    parts = _SPACES.split(lit.text.strip())
    amount = decimal(parts[0])
    unit = " ".join(parts[1:])
    if unit.endswith("s"):
        unit = unit[:-1]
    return Duration(amount=amount, unit=_UNITS[unit])


def percent_of(lit: Lit) -> Percentage:
    return Percentage(value=decimal(lit.text.rstrip("%").strip()))


def describe(node: Node | None) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, Lit):
        text = node.text if len(node.text) <= 40 else node.text[:37] + "..."
        return f"`{text}`"
    if isinstance(node, ListNode):
        return "a list"
    if isinstance(node, CallNode):
        return f"`{node.name}(...)`"
    return "an expression"


class Reader:
    """A cursor over a phrase's items."""

    def __init__(self, items: list[Node], spanner) -> None:
        self.items = items
        self.pos = 0
        self.spanner = spanner

    # -- primitives
    def peek(self) -> Node | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def at_end(self) -> bool:
        return self.pos >= len(self.items)

    def next(self) -> Node | None:
        node = self.peek()
        self.pos += 1
        return node

    def fail(self, what: str, help: str | None = None):
        raise Mismatch(EXAMPLES.get(what, what), self.peek(), help=help)

    def end(self) -> None:
        if not self.at_end():
            raise Mismatch("nothing more", self.peek(), help="remove the extra words")

    def is_word(self, *words: str) -> bool:
        node = self.peek()
        return isinstance(node, Lit) and node.kind == "NAME" and (not words or node.text in words)

    def word(self, *words: str) -> str | None:
        if self.is_word(*words):
            return self.next().text  # type: ignore[union-attr]
        return None

    def expect_word(self, *words: str) -> str:
        got = self.word(*words)
        if got is None:
            self.fail(" or ".join(f"`{w}`" for w in words))
        return got  # type: ignore[return-value]

    def is_kind(self, *kinds: str) -> bool:
        node = self.peek()
        return isinstance(node, Lit) and node.kind in kinds

    def span_of(self, node: Node):
        return self.spanner(node.start, node.end)

    # -- typed values
    def unknown(self) -> Unknown | None:
        if self.is_word("redacted", "tbd"):
            node = self.next()
            return Unknown(unknown=node.text, span=self.span_of(node))  # type: ignore[union-attr]
        return None

    def duration(self) -> Duration:
        if not self.is_kind("DURATION"):
            self.fail("duration")
        node = self.next()
        value = duration_of(node)  # type: ignore[arg-type]
        value.span = self.span_of(node)  # type: ignore[arg-type]
        return value

    def money(self) -> Money:
        if not self.is_kind("MONEY"):
            self.fail("money")
        node = self.next()
        value = money_of(node)  # type: ignore[arg-type]
        value.span = self.span_of(node)  # type: ignore[arg-type]
        return value

    def percentage(self) -> Percentage:
        if not self.is_kind("PERCENT"):
            self.fail("percentage")
        node = self.next()
        value = percent_of(node)  # type: ignore[arg-type]
        value.span = self.span_of(node)  # type: ignore[arg-type]
        return value

    def integer(self) -> int:
        node = self.peek()
        if not (isinstance(node, Lit) and node.kind == "NUMBER" and "." not in node.text):
            self.fail("number")
        self.pos += 1
        return int(node.text.replace("_", ""))  # type: ignore[union-attr]

    def number(self) -> Decimal:
        if not self.is_kind("NUMBER"):
            self.fail("number")
        return decimal(self.next().text)  # type: ignore[union-attr]

    def ref(self) -> Ref:
        node = self.peek()
        if not (isinstance(node, Lit) and node.kind == "NAME"):
            self.fail("name")
        self.pos += 1
        return Ref(id=node.text, span=self.span_of(node))  # type: ignore[union-attr]

    def text(self) -> str:
        if not self.is_kind("STRING", "TEXT"):
            self.fail("text")
        return unescape(self.next())  # type: ignore[arg-type]

    def time(self) -> dt.time:
        node = self.peek()
        if not self.is_kind("TIME"):
            self.fail("time")
        hh, mm = node.text.split(":")  # type: ignore[union-attr]
        if hh == "24" and mm == "00":
            self.pos += 1
            return dt.time(23, 59)
        try:
            value = dt.time(int(hh), int(mm))
        except ValueError:
            raise Mismatch("a valid time between 00:00 and 24:00", node, invalid=True) from None
        self.pos += 1
        return value

    def quantity(self) -> Quantity:
        start = self.peek()
        amount = self.number()
        unit = self.word()
        if unit is None:
            self.pos -= 1
            self.fail("quantity")
        per = None
        if self.word("per"):
            per = self.expect_word(*[w for w in FREQUENCY_WORDS if not w.endswith("s")] + ["hour"])
        end = self.items[self.pos - 1]
        return Quantity(amount=amount, unit=unit, per=per, span=self.spanner(start.start, end.end))  # type: ignore[union-attr]

    def rate(self) -> Rate:
        start = self.peek()
        price = self.money()
        if not self.word("per"):
            self.fail("`per` and a unit, as in `1.20 EUR per invoice`")
        unit = self.word()
        if unit is None:
            self.fail("a unit such as `invoice`, `hour` or `fte_day`")
        return Rate(price=price, per=unit, span=self.spanner(start.start, self.items[self.pos - 1].end))  # type: ignore[union-attr]

    def relative_amount(self) -> RelativeAmount:
        start = self.peek()
        pct = self.percentage()
        if not self.word("of"):
            self.fail("`of` and a base, as in `10% of monthly_fees`")
        base = self.ref()
        return RelativeAmount(percent=pct, of=base, span=self.spanner(start.start, base.span.end))  # type: ignore[union-attr]

    # -- dates
    def date_expr(self) -> DateExpr:
        node = self.next()
        if node is None:
            self.pos -= 1
            self.fail("date")
        expr = date_expr_of(node, self.spanner)
        if expr is None:
            self.pos -= 1
            self.fail("date")
        return expr

    def recurrence(self) -> Recurrence:
        start = self.peek()
        if not self.word("every"):
            self.fail("recurrence")
        interval = 1
        if self.is_kind("NUMBER"):
            interval = self.integer()
            if interval < 1:
                self.pos -= 1
                self.fail("a positive number of periods")
        elif self.is_kind("DURATION"):
            # `every 2 weeks` lexes as one duration token
            dur = self.duration()
            if (
                dur.amount != int(dur.amount)
                or dur.unit.value not in ("days", "weeks", "months", "quarters", "years")
                or dur.amount < 1
            ):
                self.pos -= 1
                self.fail("a period such as `every 2 weeks`")
            rec = Recurrence(frequency=FREQUENCY_WORDS[dur.unit.value], interval=int(dur.amount))
            return self._recurrence_tail(rec, start)
        freq = self.word(*FREQUENCY_WORDS)
        if freq is None:
            self.fail("`day`, `week`, `month`, `quarter` or `year`")
        rec = Recurrence(frequency=FREQUENCY_WORDS[freq], interval=interval)  # type: ignore[index]
        return self._recurrence_tail(rec, start)

    def _recurrence_tail(self, rec: Recurrence, start: Node) -> Recurrence:
        if self.word("on"):
            if self.word("day"):
                day = self.integer()
                if not 1 <= day <= 31:
                    self.pos -= 1
                    self.fail("a day of the month between 1 and 31")
                rec.day = day
            elif self.word("last"):
                if self.word("business"):
                    self.expect_word("day")
                    rec.business_day = -1
                else:
                    self.expect_word("day")
                    rec.last_day = True
            elif self.word("business"):
                self.expect_word("day")
                n = self.integer()
                if not 1 <= n <= 23:
                    self.pos -= 1
                    self.fail("a business day between 1 and 23")
                rec.business_day = n
            elif self.is_word(*WEEKDAYS):
                rec.weekday = WEEKDAYS.index(self.next().text)  # type: ignore[union-attr]
            elif self.is_kind("MONTHDAY"):
                node = self.next()
                mm, dd = node.text.split("-")  # type: ignore[union-attr]
                rec.month, rec.day = int(mm), int(dd)
            else:
                self.fail("`day N`, `last day`, `business day N`, a weekday or a day such as `03-31`")
        if self.word("at"):
            rec.time = self.time()
        if self.word("from"):
            rec.start = self.date_expr()
        if self.word("until"):
            rec.until = self.date_expr()
        rec.span = self.spanner(start.start, self.items[self.pos - 1].end)
        return rec

    # -- amounts (price algebra)
    def amount(self):
        """One amount item: money, rate, share of a base, a percentage, a call or arithmetic."""
        unknown = self.unknown()
        if unknown is not None:
            return unknown
        node = self.peek()
        if node is None:
            self.fail("amount")
        if isinstance(node, Lit) and node.kind == "PERCENT":
            nxt = self.items[self.pos + 1] if self.pos + 1 < len(self.items) else None
            if isinstance(nxt, Lit) and nxt.kind == "NAME" and nxt.text == "of":
                return self.relative_amount()
            return self.percentage()
        if isinstance(node, Lit) and node.kind == "MONEY":
            nxt = self.items[self.pos + 1] if self.pos + 1 < len(self.items) else None
            if isinstance(nxt, Lit) and nxt.kind == "NAME" and nxt.text == "per":
                return self.rate()
            return self.money()
        self.pos += 1
        return amount_expr(node, self.spanner)


def amount_expr(node: Node, spanner):
    """Convert a single expression node to an amount (iteratively bounded by the nesting cap)."""
    if isinstance(node, Group):
        return amount_expr(node.expr, spanner)
    span = spanner(node.start, node.end)
    if isinstance(node, Lit):
        if node.kind == "MONEY":
            m = money_of(node)
            m.span = span
            return m
        if node.kind == "PERCENT":
            p = percent_of(node)
            p.span = span
            return p
        if node.kind == "NUMBER":
            return Number(value=decimal(node.text), span=span)
        if node.kind == "NAME":
            if node.text in ("redacted", "tbd"):
                return Unknown(unknown=node.text, span=span)
            return Ref(id=node.text, span=span)
        raise Mismatch(EXAMPLES["amount"], node)
    if isinstance(node, CallNode):
        if node.name not in ("max", "min"):
            raise Mismatch("`max(...)` or `min(...)`", node)
        if len(node.args) < 2:
            raise Mismatch(f"at least two values in `{node.name}(...)`", node)
        args = []
        for arg in node.args:
            r = Reader(arg.items, spanner)
            args.append(r.amount())
            r.end()
        return Call(func=node.name, args=args, span=span)
    if isinstance(node, BinOp):
        return Arith(
            op=node.op, left=amount_expr(node.left, spanner), right=amount_expr(node.right, spanner), span=span
        )
    raise Mismatch(EXAMPLES["amount"], node)


def date_expr_of(node: Node, spanner) -> DateExpr | None:
    """`2027-01-01`, `kickoff`, `kickoff + 45 days`, `end - 3 months + 1 day`."""
    offsets: list[Offset] = []
    cur = node
    while isinstance(cur, BinOp):
        if cur.op not in "+-" or not (isinstance(cur.right, Lit) and cur.right.kind == "DURATION"):
            raise Mismatch("a duration after `+` or `-`, such as `kickoff + 45 days`", cur.right)
        dur = duration_of(cur.right)
        dur.span = spanner(cur.right.start, cur.right.end)
        offsets.append(
            Offset(sign=1 if cur.op == "+" else -1, duration=dur, span=spanner(cur.right.start, cur.right.end))
        )
        cur = cur.left
    offsets.reverse()
    span = spanner(node.start, node.end)
    if isinstance(cur, Lit) and cur.kind == "DATE":
        try:
            day = dt.date.fromisoformat(cur.text)
        except ValueError:
            raise Mismatch("a real calendar date", cur, help="check the month and the day", invalid=True) from None
        return DateExpr(date=day, offsets=offsets, span=span)
    if isinstance(cur, Lit) and cur.kind == "NAME":
        if cur.text in ("redacted", "tbd"):
            return None
        return DateExpr(anchor=cur.text, offsets=offsets, span=span)
    if offsets:
        raise Mismatch("a date or the id of a milestone before `+`/`-`", cur)
    return None


def lit_items(phrase: Phrase) -> list[Node]:
    return phrase.items
