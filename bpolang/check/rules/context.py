"""What a rule sees: the contract, its resolution, the text, and helpers to point at it."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from bpolang.base.diagnostics import Diagnostic, Edit, Fix, Label, Severity, Span
from bpolang.model import contract as C
from bpolang.model.values import Duration, Ref, Unknown

# EU member states (Directive 2011/7/EU) and the EEA (GDPR Chapter V: no transfer mechanism needed).
EU = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR EL HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())
EEA = EU | {"IS", "LI", "NO"}


class _View:
    """One file's text, line index and statements by their start offset."""

    def __init__(self, source: Any, syntax: Any) -> None:
        self.text: str = source.text
        self.index = source.index
        self.stmts: dict[int, Any] = {}
        if syntax is not None:
            for s in syntax.statements():
                self.stmts.setdefault(s.start, s)
        self.starts = sorted(self.stmts)


class Context:
    """The contract under check and helpers; ``rule`` is set by the runner before each rule runs."""

    def __init__(self, result: Any, jurisdiction: str | None = None) -> None:
        self.result = result
        self.contract: C.Contract = result.contract
        self.res = result.resolution
        self.source = result.source
        self.index = result.source.index
        self.text: str = result.source.text
        self.default_jurisdiction = jurisdiction.upper() if jurisdiction else None
        self.rule: Any = None
        self._memo: dict[str, Any] = {}
        own = _View(result.source, result.syntax)
        self._stmts, self._starts = own.stmts, own.starts
        # the files a composed contract's terms are written in (a master, schedules), by path
        self._views: dict[str | None, _View] = {None: own}
        for path, part in (getattr(result, "parts", None) or {}).items():
            self._views[path] = _View(part.source, part.syntax)

    def view(self, path: str | None) -> _View:
        """The text and statements of the file a span is in (``None``: the file under check)."""
        return self._views.get(path) or self._views[None]

    def memo(self, name: str, compute: Any) -> Any:
        """A value several rules need (an index over the contract), computed once per check."""
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    # ------------------------------------------------------------------ facts (gates)
    @property
    def law(self) -> str | None:
        """The governing law's code (upper case), the configured default when none is written."""
        law = self.contract.governing_law
        if isinstance(law, Unknown):
            return None
        if law is None:
            return self.default_jurisdiction
        return law.upper()

    @property
    def law_is_default(self) -> bool:
        return self.contract.governing_law is None and self.default_jurisdiction is not None

    def parties(self, role: str) -> list[C.Party]:
        return [p for p in self.contract.parties if p.role == role]

    @property
    def client(self) -> C.Party | None:
        found = self.parties("client")
        return found[0] if found else None

    def personal_data(self) -> list[C.DataAsset]:
        return [d for d in self.contract.data if d.personal is True]

    def unresolved(self, refs: Iterable[Any]) -> bool:
        """Some of these references name no declared id (already an error of the language, BPO014).

        A rule that would conclude from them ("nothing covers this") stays silent: the mistake is
        the unknown id, reported once where it is written.
        """
        symbols = self.res.symbols
        return any(isinstance(r, Ref) and r.id not in symbols for r in refs)

    def written(self, value: Any, fallback: str = "") -> str:
        """A value as the contract writes it (`90 days`, `1,500.00 EUR`, `2.5%`), for messages."""
        span = getattr(value, "span", None)
        text = self.view(span.path).text if span is not None else ""
        if span is not None and 0 <= span.start < span.end <= len(text):
            return " ".join(text[span.start : span.end].split())
        if isinstance(value, Duration):
            return fmt_dur(value)
        return fallback or str(value)

    # ------------------------------------------------------------------ spans
    def span(self, start: int, end: int, path: str | None = None) -> Span:
        """The span of offsets of the file under check, or of the file ``path`` it is composed with."""
        index = self.view(path).index
        line, col = index.line_col(start)
        end_line, end_col = index.line_col(end)
        return Span(start=start, end=end, line=line, col=col, end_line=end_line, end_col=end_col, path=path)

    def stmt(self, node: Any) -> Any:
        span = getattr(node, "span", None)
        return self.view(span.path).stmts.get(span.start) if span is not None else None

    @staticmethod
    def file_of(node: Any) -> str | None:
        """The file a node is written in when it is not the file under check (inherited), else None."""
        span = getattr(node, "span", None)
        return span.path if span is not None else None

    def header(self, node: Any) -> Span | None:
        """The header of a block (`penalty late "..."`), or the node's span."""
        s = self.stmt(node)
        if s is not None:
            return self.span(s.header.start, s.header.end, self.file_of(node))
        return getattr(node, "span", None)

    def where(self, node: Any) -> Span | None:
        """Where to point at an element: its id, else its header."""
        if isinstance(node, C.Element) and node._id_span is not None:
            return node._id_span
        return self.header(node)

    def entry(self, node: Any, key: str) -> Any:
        """The `key: value` statement of a block, if written."""
        s = self.stmt(node)
        if s is None or not hasattr(s, "body"):
            return None
        for child in s.body:
            if child.header.keyword == key:
                return child
        return None

    def key(self, node: Any, key: str) -> Span | None:
        """The span of `key: value` in a block (the key and its value)."""
        e = self.entry(node, key)
        return self.span(e.start, e.end, self.file_of(node)) if e is not None else None

    def value(self, node: Any, key: str) -> Span | None:
        """The span of the value of `key: value` in a block; falls back to the value's own span."""
        e = self.entry(node, key)
        if e is not None and hasattr(e, "value"):
            return self.span(e.value.start, e.value.end, self.file_of(node))
        v = getattr(node, key, None)
        return getattr(v, "span", None)

    def term_span(self) -> Span | None:
        return self.value(self.contract, "term") or self.header(self.contract)

    def next_statement(self, offset: int) -> Any:
        i = bisect.bisect_right(self._starts, offset)
        return self._stmts[self._starts[i]] if i < len(self._starts) else None

    # ------------------------------------------------------------------ fixes
    def insert_key(self, node: Any, line: str, message: str, safe: bool = False) -> Fix | None:
        """A fix adding a `key: value` line at the end of a block (None if the block is on one line)."""
        from bpolang.syntax.nodes import line_insertion

        s = self.stmt(node)
        if s is None or not hasattr(s, "close") or self.file_of(node) is not None:
            return None  # a term inherited from another file is fixed in that file
        edit = line_insertion(self.text, s, line)
        return Fix(message=message, edits=[edit], safe=safe) if edit is not None else None

    def replace(self, span: Span | None, new: str, message: str, safe: bool = False) -> Fix | None:
        if span is None or span.path is not None:
            return None
        return Fix(message=message, edits=[Edit(start=span.start, end=span.end, text=new)], safe=safe)

    # ------------------------------------------------------------------ diagnostics
    def diag(
        self,
        message: str,
        span: Span | None,
        *,
        labels: Iterable[tuple[Span | None, str]] = (),
        notes: Iterable[str] = (),
        help: str | None = None,
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """A diagnostic of the running rule; labels without a span are dropped."""
        r = self.rule
        return Diagnostic(
            code=r.code,
            name=r.name,
            severity=severity or r.severity,
            message=message,
            span=span or self.header(self.contract),
            path=(span.path if span is not None else None) or self.source.path,
            labels=[Label(span=s, message=m) for s, m in labels if s is not None],
            notes=list(notes),
            help=help,
            fix=fix,
        )


# ------------------------------------------------------------------ value helpers
def known(value: Any) -> bool:
    """Present and not redacted / tbd."""
    return value is not None and not isinstance(value, Unknown) and value != []


def given(value: Any) -> bool:
    """Present, possibly withheld: `redacted` and `tbd` count as given for "missing" rules."""
    return value is not None and value != []


def stated(node: Any, key: str) -> bool:
    """The block gives `key`: a value, a word saying why it is not given, or a value the language
    refused (reported there already, BPO012: one mistake, one finding)."""
    return given(getattr(node, key)) or key in getattr(node, "_refused", ())


def missing(node: Any, keys: Iterable[str]) -> list[str]:
    """The keys a block does not give (`redacted` and `tbd` count as given), in the order asked."""
    return [k for k in keys if not stated(node, k)]


def none_of(keys: Iterable[str]) -> str:
    """`a` and no `b` and no `c`: the words of a "has no ..." finding."""
    return " and no ".join(f"`{k}`" for k in keys)


def days(d: Any) -> Decimal | None:
    """Approximate length of a duration in days, None when unknown."""
    return d.approx_days() if isinstance(d, Duration) else None


def hours(d: Any) -> Decimal | None:
    if not isinstance(d, Duration):
        return None
    h = d.hours()
    if h is None:
        return d.approx_days() * 24
    return h


def fmt_dur(d: Duration) -> str:
    unit = d.unit.value.replace("_", " ")
    amount = format(d.amount, "f")  # as written: `2.50 months` stays so, a computed 9E+1 prints 90
    if amount == "1":
        unit = unit[:-1]
    return f"{amount} {unit}"


def number(n: Decimal) -> str:
    """A computed number as a person writes it: `90`, `14`, `2.5`, never `9E+1` or `14.0`."""
    if n == n.to_integral_value():
        return format(n.to_integral_value(), "f")
    return format(n.normalize(), "f")


def pct(v: Decimal) -> str:
    return format(v.normalize(), "f") + "%"


def listing(names: Iterable[str]) -> str:
    items = [f"`{n}`" for n in names]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
