"""Reading a phrase (a value's items) into typed values, with precise mismatch errors."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Literal, NoReturn, TypeVar, cast

from bpolang.base.diagnostics import Span
from bpolang.model import bounds
from bpolang.model.values import (
    WEEKDAYS,
    Amount,
    Arith,
    Call,
    DateExpr,
    Duration,
    DurationUnit,
    Frequency,
    Money,
    Number,
    Offset,
    Operand,
    Percentage,
    Quantity,
    Rate,
    Recurrence,
    Ref,
    RelativeAmount,
    Unknown,
    UnknownWord,
)
from bpolang.syntax.nodes import BinOp, Group, ListNode, Lit, Node, Phrase
from bpolang.syntax.nodes import Call as CallNode
from bpolang.syntax.words import UNKNOWN_WORDS

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
_TEXT_BREAK = re.compile(r"\r\n?")
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
W = TypeVar("W", bound=str)  # the words a reader is asked for
Spanner = Callable[[int, int], Span]  # offsets -> span (Builder.span)
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
        code: str | None = None,
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
        # the diagnostic for an invalid value (BPO017 unless said: BPO020 for a value out of range)
        self.code = code


def out_of_range(problem: str | None, node: Node) -> None:
    """Raise the BPO020 mismatch for a value beyond :mod:`bpolang.model.bounds`."""
    if problem:
        raise Mismatch(problem, node, invalid=True, code="BPO020", help=_RANGE_HELP)


_RANGE_HELP = "see the bounds of values in the language reference"


def unknown_word(node: Node | None) -> UnknownWord | None:
    """The word of a value the contract does not give (`redacted`, `tbd`, `illegible`...)."""
    if isinstance(node, Lit) and node.kind == "NAME" and node.text in UNKNOWN_WORDS:
        return cast(UnknownWord, node.text)
    return None


def decimal(text: str) -> Decimal:
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation as exc:  # pragma: no cover - the lexer admits only digits
        raise ValueError(text) from exc


def unescape(lit: Lit) -> str:
    """The value of a STRING or TEXT token."""
    text = lit.text
    if lit.kind == "TEXT":
        # a line break in a text block is LF whatever the file's line endings: converting a
        # file between CRLF and LF (git, an editor) never changes what the contract says
        body = text[3:-3]
        return _TEXT_BREAK.sub("\n", body) if "\r" in body else body
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


def number_of(lit: Lit, text: str | None = None) -> Decimal:
    """The number of a literal (or of `text`, a part of it), within the bounds of values."""
    value = decimal(lit.text if text is None else text)
    out_of_range(bounds.number_problem(value), lit)
    return value


def money_of(lit: Lit) -> Money:
    number, currency = _SPACES.split(lit.text.strip())
    return Money.trusted(amount=number_of(lit, number), currency=currency)


def duration_of(lit: Lit) -> Duration:
    parts = _SPACES.split(lit.text.strip())
    amount = decimal(parts[0])
    unit = " ".join(parts[1:])
    if unit.endswith("s"):
        unit = unit[:-1]
    out_of_range(bounds.duration_problem(amount, _UNITS[unit].value), lit)
    return Duration.trusted(amount=amount, unit=_UNITS[unit], calendar=True if unit == "calendar day" else None)


def percent_of(lit: Lit) -> Percentage:
    return Percentage.trusted(value=number_of(lit, lit.text.rstrip("%").strip()))


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

    def __init__(self, items: list[Node], spanner: Spanner) -> None:
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

    def fail(self, what: str, help: str | None = None) -> NoReturn:
        raise Mismatch(EXAMPLES.get(what, what), self.peek(), help=help)

    def end(self) -> None:
        if not self.at_end():
            raise Mismatch("nothing more", self.peek(), help="remove the extra words")

    def is_word(self, *words: str) -> bool:
        node = self.peek()
        return isinstance(node, Lit) and node.kind == "NAME" and (not words or node.text in words)

    def any_word(self) -> str | None:
        """The next item if it is a word, consumed; else None."""
        node = self.peek()
        if isinstance(node, Lit) and node.kind == "NAME":
            self.pos += 1
            return node.text
        return None

    def word(self, *words: W) -> W | None:
        """The next item if it is one of words, consumed; else None.

        Typed by the words asked for: read into a `Literal` of them, the result is one of them."""
        node = self.peek()
        if isinstance(node, Lit) and node.kind == "NAME":
            for w in words:
                if w == node.text:
                    self.pos += 1
                    return w
        return None

    def expect_word(self, *words: W) -> W:
        got = self.word(*words)
        if got is None:
            self.fail(" or ".join(f"`{w}`" for w in words))
        return got

    def followed_by(self, word: str) -> bool:
        """Whether the item after the next one is the word (`10%` then `of`: a share)."""
        nxt = self.items[self.pos + 1] if self.pos + 1 < len(self.items) else None
        return isinstance(nxt, Lit) and nxt.kind == "NAME" and nxt.text == word

    def is_kind(self, *kinds: str) -> bool:
        node = self.peek()
        return isinstance(node, Lit) and node.kind in kinds

    def span_of(self, node: Node) -> Span:
        return self.spanner(node.start, node.end)

    def span_from(self, start: int) -> Span:
        """The span of the items from index start to the last one read."""
        return self.spanner(self.items[start].start, self.items[self.pos - 1].end)

    def token(self, what: str, *kinds: str) -> Lit:
        """The next item if it is a token of one of kinds, consumed; else a mismatch expecting what."""
        node = self.peek()
        if not (isinstance(node, Lit) and node.kind in kinds):
            self.fail(what)
        self.pos += 1
        return node

    # -- typed values
    def unknown(self) -> Unknown | None:
        node = self.peek()
        unknown = unknown_word(node)
        if unknown is None or node is None:
            return None
        self.pos += 1
        return Unknown.trusted(unknown=unknown, span=self.span_of(node))

    def duration(self) -> Duration:
        if not self.is_kind("DURATION"):
            self.fail("duration", help=self._misspelt_unit())
        node = self.token("duration", "DURATION")
        value = duration_of(node)
        value.span = self.span_of(node)
        return value

    def _misspelt_unit(self) -> str | None:
        """`36 monts`: a number then a word close to a unit of duration (the lexer made two tokens)."""
        import difflib

        if not self.is_kind("NUMBER") or self.pos + 1 >= len(self.items):
            return None
        number, word = self.items[self.pos], self.items[self.pos + 1]
        if not (isinstance(number, Lit) and isinstance(word, Lit) and word.kind == "NAME"):
            return None
        said = word.text
        after = self.items[self.pos + 2] if self.pos + 2 < len(self.items) else None
        if isinstance(after, Lit) and after.kind == "NAME":  # `10 bussiness days`: a unit of two words
            said = f"{word.text} {after.text}"
        units = [form for unit in _UNITS for form in (unit, unit + "s") if (" " in unit) == (" " in said)]
        close = difflib.get_close_matches(said, units, n=1, cutoff=0.7)
        if not close:
            return None
        unit = close[0]
        if number.text != "1" and not unit.endswith("s"):
            unit += "s"
        return f"did you mean `{number.text} {unit}`?"

    def money(self) -> Money:
        node = self.token("money", "MONEY")
        value = money_of(node)
        value.span = self.span_of(node)
        return value

    def percentage(self) -> Percentage:
        node = self.token("percentage", "PERCENT")
        value = percent_of(node)
        value.span = self.span_of(node)
        return value

    def integer(self) -> int:
        node = self.peek()
        if not (isinstance(node, Lit) and node.kind == "NUMBER" and "." not in node.text):
            self.fail("number")
        self.pos += 1
        return int(number_of(node))

    def number(self) -> Decimal:
        return number_of(self.token("number", "NUMBER"))

    def ref(self) -> Ref:
        node = self.token("name", "NAME")
        return Ref.trusted(id=node.text, span=self.span_of(node))

    def text(self) -> str:
        return unescape(self.token("text", "STRING", "TEXT"))

    def time(self) -> dt.time:
        node = self.peek()
        if not (isinstance(node, Lit) and node.kind == "TIME"):
            self.fail("time")
        hh, mm = node.text.split(":")
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
        start = self.pos
        amount = self.number()
        unit = self.any_word()
        if unit is None:
            self.pos -= 1
            self.fail("quantity")
        per = None
        if self.word("per"):
            per = self.expect_word(*[w for w in FREQUENCY_WORDS if not w.endswith("s")] + ["hour"])
        return Quantity.trusted(amount=amount, unit=unit, per=per, span=self.span_from(start))

    def rate(self) -> Rate:
        start = self.pos
        price = self.money()
        if not self.word("per"):
            self.fail("`per` and a unit, as in `1.20 EUR per invoice`")
        unit = self.any_word()
        if unit is None:
            self.fail("a unit such as `invoice`, `hour` or `fte_day`")
        above: Literal[True] | None = None
        if self.word("above"):
            if not self.word("volume"):
                self.fail("`volume` after `above`, as in `1.20 EUR per invoice above volume`")
            above = True
        return Rate.trusted(price=price, per=unit, above_volume=above, span=self.span_from(start))

    def relative_amount(self) -> RelativeAmount:
        start = self.pos
        pct = self.percentage()
        if not self.word("of"):
            self.fail("`of` and a base, as in `10% of monthly_fees`")
        base = self.ref()
        return RelativeAmount.trusted(percent=pct, of=base, span=self.span_from(start))

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
        start = self.pos
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
                or dur.unit.value not in ("days", "business_days", "weeks", "months", "quarters", "years")
                or dur.amount < 1
            ):
                self.pos -= 1
                self.fail("a period such as `every 2 weeks`")
            if dur.unit.value == "business_days":
                rec = Recurrence.trusted(frequency=Frequency.DAY, interval=int(dur.amount), business_only=True)
                return self._recurrence_tail(rec, start)
            rec = Recurrence.trusted(frequency=FREQUENCY_WORDS[dur.unit.value], interval=int(dur.amount))
            return self._recurrence_tail(rec, start)
        if self.word("business"):
            # `every business day`, `every 2 business days`: business days only
            self.expect_word("day", "days")
            rec = Recurrence.trusted(frequency=Frequency.DAY, interval=interval, business_only=True)
            return self._recurrence_tail(rec, start)
        freq = self.word(*FREQUENCY_WORDS)
        if freq is None:
            self.fail("`day`, `business day`, `week`, `month`, `quarter` or `year`")
        rec = Recurrence.trusted(frequency=FREQUENCY_WORDS[freq], interval=interval)
        return self._recurrence_tail(rec, start)

    def _recurrence_tail(self, rec: Recurrence, start: int) -> Recurrence:
        if self.word("on"):
            self._recurrence_on(rec)
        if self.word("at"):
            rec.time = self.time()
        if self.word("from"):
            rec.start = self.date_expr()
        if self.word("until"):
            rec.until = self.date_expr()
        rec.span = self.span_from(start)
        return rec

    def _recurrence_on(self, rec: Recurrence) -> None:
        """After `on`: `day 5`, `last day`, `last business day`, `business day 3`, `monday`, `03-31`."""
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
        elif (weekday := self.word(*WEEKDAYS)) is not None:
            rec.weekday = WEEKDAYS.index(weekday)
        elif self.is_kind("MONTHDAY"):
            mm, dd = self.token("a day such as `03-31`", "MONTHDAY").text.split("-")
            rec.month, rec.day = int(mm), int(dd)
        else:
            self.fail("`day N`, `last day`, `business day N`, a weekday or a day such as `03-31`")

    # -- amounts (price algebra)
    def amount(self) -> Amount:
        """One amount item: money, rate, share of a base, a percentage, a call or arithmetic."""
        unknown = self.unknown()
        if unknown is not None:
            return unknown
        node = self.peek()
        if node is None:
            self.fail("amount")
        if isinstance(node, Lit) and node.kind == "PERCENT":
            return self.relative_amount() if self.followed_by("of") else self.percentage()
        if isinstance(node, Lit) and node.kind == "MONEY":
            return self.rate() if self.followed_by("per") else self.money()
        self.pos += 1
        return amount_expr(node, self.spanner)


_FUNCS: dict[str, Literal["max", "min"]] = {"max": "max", "min": "min"}
_OPS: dict[str, Literal["+", "-", "*", "/"]] = {"+": "+", "-": "-", "*": "*", "/": "/"}


def amount_expr(node: Node, spanner: Spanner) -> Operand:
    """Convert a single expression node to an amount (iteratively bounded by the nesting cap)."""
    if isinstance(node, Group):
        return amount_expr(node.expr, spanner)
    span = spanner(node.start, node.end)
    if isinstance(node, Lit):
        return _amount_lit(node, span)
    if isinstance(node, CallNode):
        func = _FUNCS.get(node.name)
        if func is None:
            raise Mismatch("`max(...)` or `min(...)`", node)
        if len(node.args) < 2:
            raise Mismatch(f"at least two values in `{node.name}(...)`", node)
        args = []
        for arg in node.args:
            r = Reader(arg.items, spanner)
            args.append(r.amount())
            r.end()
        return Call.trusted(func=func, args=args, span=span)
    if isinstance(node, BinOp):
        return Arith.trusted(
            op=_OPS[node.op], left=amount_expr(node.left, spanner), right=amount_expr(node.right, spanner), span=span
        )
    raise Mismatch(EXAMPLES["amount"], node)


def _amount_lit(node: Lit, span: Span) -> Operand:
    """`8500 EUR`, `10%`, `3`, a name, `tbd`."""
    if node.kind == "MONEY":
        m = money_of(node)
        m.span = span
        return m
    if node.kind == "PERCENT":
        p = percent_of(node)
        p.span = span
        return p
    if node.kind == "NUMBER":
        return Number.trusted(value=number_of(node), span=span)
    if node.kind == "NAME":
        unknown = unknown_word(node)
        if unknown is not None:
            return Unknown.trusted(unknown=unknown, span=span)
        return Ref.trusted(id=node.text, span=span)
    raise Mismatch(EXAMPLES["amount"], node)


def date_expr_of(node: Node, spanner: Spanner) -> DateExpr | None:
    """`2027-01-01`, `kickoff`, `kickoff + 45 days`, `end - 3 months + 1 day`."""
    offsets: list[Offset] = []
    cur = node
    while isinstance(cur, BinOp):
        if cur.op not in "+-" or not (isinstance(cur.right, Lit) and cur.right.kind == "DURATION"):
            raise Mismatch("a duration after `+` or `-`, such as `kickoff + 45 days`", cur.right)
        dur = duration_of(cur.right)
        dur.span = spanner(cur.right.start, cur.right.end)
        offsets.append(
            Offset.trusted(sign=1 if cur.op == "+" else -1, duration=dur, span=spanner(cur.right.start, cur.right.end))
        )
        cur = cur.left
    offsets.reverse()
    span = spanner(node.start, node.end)
    if isinstance(cur, Lit) and cur.kind == "DATE":
        try:
            day = dt.date.fromisoformat(cur.text)
        except ValueError:
            raise Mismatch("a real calendar date", cur, help="check the month and the day", invalid=True) from None
        out_of_range(bounds.date_problem(day), cur)
        return DateExpr.trusted(date=day, offsets=offsets, span=span)
    if isinstance(cur, Lit) and cur.kind == "NAME":
        if cur.text in UNKNOWN_WORDS:
            return None
        return DateExpr.trusted(anchor=cur.text, offsets=offsets, span=span)
    if offsets:
        raise Mismatch("a date or the id of a milestone before `+`/`-`", cur)
    return None


def lit_items(phrase: Phrase) -> list[Node]:
    return phrase.items
