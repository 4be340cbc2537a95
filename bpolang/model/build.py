"""Build the typed contract model from the syntax tree, with precise diagnostics.

The builder is generic: it reads the language's schema from the pydantic
classes of :mod:`bpolang.model.contract` (fields, ``BPO`` child metadata,
``REQUIRED``) and converts each value phrase according to the field's type.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from bpolang.base.diagnostics import Diagnostic, Fix, Label, Severity, Span, replacement
from bpolang.base.source import LineIndex
from bpolang.base.trusted import assemble
from bpolang.model import contract as C
from bpolang.model.forms import FORMS, read_phrasal
from bpolang.model.laws import law_problem
from bpolang.model.reader import (
    EXAMPLES,
    Mismatch,
    Reader,
    Spanner,
    bad_escapes,
    describe,
    unescape,
    unknown_word,
)
from bpolang.model.values import (
    Amount,
    DateExpr,
    Duration,
    Money,
    Percentage,
    Quantity,
    Rate,
    Recurrence,
    Ref,
    RelativeAmount,
    Unknown,
    UnknownWord,
)
from bpolang.syntax.lexer import terminal
from bpolang.syntax.nodes import Bare, BinOp, Bitext, Block, Entry, Group, ListNode, Lit, Node, Phrase, Statement
from bpolang.syntax.nodes import Call as CallNode

MAX_EXPRESSION_DEPTH = 64
# `{notice}` in the text of a clause: the place of its parameter `notice`
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_REFUSED = "__refused__"  # key of the set of fields whose written value was refused
_TRANSLATED = "__translated__"  # key of the translations' spans: place -> language -> span
MAX_SUGGESTIONS = 200

# name, default severity and one-line summary of the language's own diagnostics
LANGUAGE_CODES: dict[str, tuple[str, Severity, str]] = {
    "BPO001": ("syntax-error", Severity.ERROR, "The text does not follow the .bpo grammar."),
    "BPO002": ("invalid-character", Severity.ERROR, "A character or number that cannot appear in a contract."),
    "BPO003": ("invalid-encoding", Severity.ERROR, "The file is not valid UTF-8 text."),
    "BPO004": ("unterminated-string", Severity.ERROR, "A string or text block is never closed."),
    "BPO005": ("nesting-too-deep", Severity.ERROR, "Blocks, lists or expressions nest deeper than the limit."),
    "BPO006": ("file-too-large", Severity.ERROR, "The file is larger than the size limit."),
    "BPO007": ("invalid-escape", Severity.ERROR, 'A backslash escape other than \\n, \\t, \\" or \\\\.'),
    "BPO010": ("unknown-block", Severity.ERROR, "A block or statement that this place does not take."),
    "BPO011": ("unknown-key", Severity.ERROR, "A key that this block does not take."),
    "BPO012": ("wrong-value-type", Severity.ERROR, "A value of the wrong type for its key."),
    "BPO013": ("duplicate-id", Severity.ERROR, "Two blocks declare the same id."),
    "BPO014": ("unknown-reference", Severity.ERROR, "A reference to an id that is not declared."),
    "BPO015": ("missing-required", Severity.ERROR, "A block without a part it cannot do without."),
    "BPO016": ("duplicate-key", Severity.ERROR, "The same key is given twice in one block."),
    "BPO017": (
        "invalid-value",
        Severity.ERROR,
        "A well-formed value that is not valid (a date that does not exist, an unknown currency).",
    ),
    "BPO018": (
        "unresolvable-date",
        Severity.ERROR,
        "A relative date that cannot be computed (a cycle, or an anchor with no date).",
    ),
    "BPO019": ("reference-kind", Severity.ERROR, "A reference to an id of the wrong kind."),
    "BPO020": (
        "value-out-of-range",
        Severity.ERROR,
        "A date, amount, percentage, count or duration beyond the bounds of the language.",
    ),
    "BPO021": (
        "include-not-found",
        Severity.ERROR,
        "A master or schedule named by path that is missing, unreadable or outside the project.",
    ),
    "BPO022": ("circular-include", Severity.ERROR, "Files that include each other, directly or in a ring."),
    "BPO023": (
        "include-invalid",
        Severity.ERROR,
        "An included file that has errors, or is not what the statement names (a contract, a schedule).",
    ),
    "BPO024": (
        "override-not-allowed",
        Severity.ERROR,
        "A statement of work writes anew a term its master does not let it override.",
    ),
    "BPO025": ("unknown-clause", Severity.ERROR, "A clause taken from a library that the library does not hold."),
    "BPO026": (
        "missing-argument",
        Severity.ERROR,
        "A parameter of a library clause that the including clause does not give.",
    ),
    "BPO027": ("unknown-argument", Severity.ERROR, "An argument that names no parameter of the library clause."),
    "BPO028": ("argument-type", Severity.ERROR, "An argument that is not of its parameter's type."),
    "BPO029": (
        "unknown-placeholder",
        Severity.ERROR,
        "A `{name}` in a clause's text that names no parameter of the clause.",
    ),
    "BPO030": (
        "unknown-translation-language",
        Severity.ERROR,
        "A translation into a language the contract cannot be rendered in (`fr`, `en`).",
    ),
    "BPO031": (
        "translation-language",
        Severity.ERROR,
        "A translation into the contract's own language, given twice, or in a contract that states no `language`.",
    ),
    "BPO032": (
        "misplaced-translation",
        Severity.ERROR,
        "A translation written after something that is not a whole text (a word, an amount, part of a phrase).",
    ),
}


def make_diag(
    code: str, message: str, span: Span | None, *, help: str | None = None, labels=None, notes=None, fix=None
) -> Diagnostic:
    name, severity, _ = LANGUAGE_CODES[code]
    return Diagnostic(
        code=code,
        name=name,
        severity=severity,
        message=message,
        span=span,
        help=help,
        labels=labels or [],
        notes=notes or [],
        fix=fix,
    )


def _admits_unknown(annotation: Any) -> bool:
    """Whether a field's type takes `tbd` / `redacted` (bpolang.model.values.Unknown)."""
    if annotation is Unknown:
        return True
    return any(_admits_unknown(a) for a in get_args(annotation))


# ------------------------------------------------------------------ schema
@dataclass
class FieldSpec:
    name: str
    annotation: Any
    is_list: bool
    item: Any
    child: C.Child | C.Single | None = None
    child_cls: type[BaseModel] | None = None


@dataclass
class Schema:
    cls: type
    keys: dict[str, FieldSpec]
    children: dict[str, FieldSpec]

    def words(self) -> list[str]:
        return sorted(set(self.keys) | set(self.children))


def strip_optional(tp):
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


@functools.cache
def schema_of(cls: type[BaseModel]) -> Schema:
    keys: dict[str, FieldSpec] = {}
    children: dict[str, FieldSpec] = {}
    meta = getattr(cls, "BPO", {})
    for name, field in cls.model_fields.items():
        if name in ("span", "id", "title", "translations") or name in getattr(cls, "HEADER_FIELDS", ()):
            continue
        tp = field.annotation
        inner = strip_optional(tp)
        is_list = get_origin(inner) is list
        item = get_args(inner)[0] if is_list else inner
        spec = FieldSpec(name, tp, is_list, item)
        if name in meta:
            spec.child = meta[name]
            spec.child_cls = item
            children[meta[name].keyword] = spec
        elif isinstance(item, type) and issubclass(item, C.Node):
            spec.child = C.Single(name)
            spec.child_cls = item
            children[name] = spec
        else:
            keys[name] = spec
    return Schema(cls, keys, children)


@functools.cache
def block_classes() -> tuple[type, ...]:
    """Every block class a contract can hold, from Contract down through the schema's children."""
    seen: list[type] = []
    stack: list[type] = [C.Contract]
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.append(cls)
        stack.extend(s.child_cls for s in schema_of(cls).children.values() if s.child_cls is not None)
    return tuple(seen)


# ------------------------------------------------------------------ describing types
def expected_of(tp) -> str:
    tp = strip_optional(tp)
    origin = get_origin(tp)
    if origin is typing.Annotated:
        args = get_args(tp)
        if C.WORD in args[1:]:
            return EXAMPLES["word"]
        return expected_of(args[0])
    if origin in (Union, types.UnionType):
        parts = []
        for a in get_args(tp):
            if a in (type(None), Unknown):
                continue
            d = expected_of(a)
            if d not in parts:
                parts.append(d)
        return " or ".join(parts)
    if origin is list:
        return f"a list of {expected_of(get_args(tp)[0])}"
    if origin is Literal:
        opts = [f"`{a}`" for a in get_args(tp)]
        return "one of " + ", ".join(opts)
    simple = {
        bool: "bool",
        int: "number",
        str: "text",
        dt.time: "time",
        Money: "money",
        Duration: "duration",
        Percentage: "percentage",
        Quantity: "quantity",
        Rate: "rate",
        Ref: "name",
        DateExpr: "date",
        Recurrence: "recurrence",
        RelativeAmount: "amount",
    }
    if tp in simple:
        return EXAMPLES[simple[tp]]
    if isinstance(tp, type) and tp in FORMS:
        return FORMS[tp].expected
    return "a value"


# ------------------------------------------------------------------ conversion
def _is_amount_union(tp) -> bool:
    return tp is Amount or (get_origin(tp) is typing.Annotated and get_args(tp)[0] == get_args(Amount)[0])


@functools.cache
def _shape(tp) -> tuple[Any, Any, bool]:
    """(tp without Optional, its typing origin, whether it is an amount): asked once per annotation."""
    tp = strip_optional(tp)
    return tp, get_origin(tp), _is_amount_union(tp)


def convert(items: list[Node], tp: Any, spanner: Spanner) -> Any:
    """Convert a phrase's items to a value of type tp, or raise Mismatch."""
    tp, origin, is_amount = _shape(tp)
    if is_amount:
        return _convert_amount(items, spanner)
    by_origin = _BY_ORIGIN.get(origin)
    if by_origin is not None:
        return by_origin(items, tp, spanner)
    if tp is bool:
        return _convert_bool(items)
    return _convert_read(items, tp, spanner)


def _convert_amount(items: list[Node], spanner: Spanner) -> Any:
    """An amount: money, a rate, a share, a percentage, `max(...)`, arithmetic."""
    r = Reader(items, spanner)
    value = r.amount()
    r.end()
    return value


def _convert_annotated(items: list[Node], tp: Any, spanner: Spanner) -> Any:
    """`Word` (a bare code word), or any other annotated type by the type it annotates."""
    args = get_args(tp)
    if C.LAW in args[1:]:
        return law_code(items)
    if C.WORD in args[1:]:
        node = items[0]
        if isinstance(node, Lit) and node.kind == "NAME" and len(items) == 1:
            return node.text
        raise Mismatch(EXAMPLES["word"], node, help=_quote_help(node))
    return convert(items, args[0], spanner)


def law_code(items: list[Node]) -> str:
    """`FR`, `US-NY`, `GB-SCT` or `ENGLAND`: a governing law, checked against ISO 3166."""
    node = items[0]
    expected = "a law code such as `FR`, `US-NY` or `GB-SCT`"
    if len(items) != 1:
        raise Mismatch(expected, items[1])
    if isinstance(node, Lit) and node.kind == "NAME":
        code = node.text
    elif (
        isinstance(node, BinOp)
        and node.op == "-"
        and isinstance(node.left, Lit)
        and node.left.kind == "NAME"
        and isinstance(node.right, Lit)
        and node.right.kind in ("NAME", "NUMBER")
    ):
        code = f"{node.left.text}-{node.right.text}"
    else:
        raise Mismatch(expected, node, help=_quote_help(node))
    problem = law_problem(code)
    if problem is not None:
        raise Mismatch(expected, node, help=problem, invalid=True)
    return code


def _unknown_word(items: list[Node]) -> UnknownWord | None:
    """The word of a value not given (`redacted`, `tbd`...) when it is the whole phrase."""
    return unknown_word(items[0]) if len(items) == 1 else None


def _convert_union(items: list[Node], tp: Any, spanner: Spanner) -> Any:
    """The first alternative that reads the phrase; else the most telling of their mismatches."""
    alts = [a for a in get_args(tp) if a is not type(None)]
    first = items[0]
    unknown = _unknown_word(items)
    if unknown is not None:
        if Unknown in alts or any(_is_amount_union(a) for a in alts) or _union_has_unknown(alts):
            return Unknown(unknown=unknown, span=spanner(first.start, first.end))
    failures: list[Mismatch] = []
    for alt in alts:
        if alt is Unknown:
            continue
        try:
            return convert(items, alt, spanner)
        except Mismatch as exc:
            if exc.invalid:
                raise
            failures.append(exc)
    raise _union_mismatch(tp, first, failures)


def _union_mismatch(tp: Any, first: Node, failures: list[Mismatch]) -> Mismatch:
    """What to say when no alternative reads: the mismatch that went furthest, or if all
    of them stopped at the first item, what the union as a whole expects."""
    best = max(
        failures,
        key=lambda m: (m.node.start if m.node is not None else 1 << 62, m.expected != "nothing more"),
    )
    if all(f.node is first for f in failures):
        help = _quote_help(first) or next((f.help for f in failures if f.help), None)
        return Mismatch(expected_of(tp), first, help=help)
    return best


def _bitexts(items: list[Node]) -> list[Bitext]:
    """The texts with translations in a value, at any depth (in lists, calls, operations)."""
    return [n for n in _texts(items) if isinstance(n, Bitext)]


def _texts(items: list[Node]) -> list[Lit]:
    """The literals of a value in the order written, at any depth (in lists, calls, operations)."""
    out: list[Lit] = []
    stack: list[Node] = list(reversed(items))
    while stack:
        node = stack.pop()
        if isinstance(node, Lit):
            out.append(node)
        elif isinstance(node, ListNode):
            stack.extend(x for p in reversed(node.items) for x in reversed(p.items))
        elif isinstance(node, CallNode):
            stack.extend(x for p in reversed(node.args) for x in reversed(p.items))
        elif isinstance(node, BinOp):
            stack.extend((node.right, node.left))
        elif isinstance(node, Group):
            stack.append(node.expr)
    return out


def _convert_list(items: list[Node], tp: Any, spanner: Spanner) -> list[Any]:
    """`[a, b]`, or a single value for a one-item list."""
    (item_tp,) = get_args(tp)
    first = items[0]
    unknown = _unknown_word(items)
    if unknown is not None and not _accepts_unknown(item_tp):
        raise Mismatch(
            expected_of(tp),
            first,
            help=f"`{unknown}` stands for one value; for a list write the known items, or describe it in quotes",
        )
    if len(items) == 1 and isinstance(first, ListNode):
        return [convert(p.items, item_tp, spanner) for p in first.items]
    try:
        return [convert(items, item_tp, spanner)]
    except Mismatch as exc:
        if exc.invalid:
            raise
        raise Mismatch(expected_of(tp), exc.node, help=exc.help) from None


def _convert_literal(items: list[Node], tp: Any, spanner: Spanner) -> str:
    """One of the words of a `Literal`, with a suggestion for a near miss."""
    options = get_args(tp)
    node = items[0]
    if isinstance(node, Lit) and node.kind == "NAME" and len(items) == 1:
        if node.text in options:
            return node.text
        close = difflib.get_close_matches(node.text, [str(o) for o in options], n=1)
        raise Mismatch(
            expected_of(tp),
            node,
            help=f"did you mean `{close[0]}`?" if close else None,
            suggestion=close[0] if close else None,
        )
    raise Mismatch(expected_of(tp), node)


_BY_ORIGIN: dict[Any, Callable[[list[Node], Any, Spanner], Any]] = {
    typing.Annotated: _convert_annotated,
    Union: _convert_union,
    types.UnionType: _convert_union,
    list: _convert_list,
    Literal: _convert_literal,
}


def _convert_bool(items: list[Node]) -> bool:
    node = items[0]
    if isinstance(node, Lit) and node.text in ("yes", "no", "true", "false") and len(items) == 1:
        return node.text in ("yes", "true")
    raise Mismatch(EXAMPLES["bool"], node)


# the reader of each plain value type
_READS: dict[Any, Callable[[Reader], Any]] = {
    str: Reader.text,
    int: Reader.integer,
    dt.time: Reader.time,
    Money: Reader.money,
    Duration: Reader.duration,
    Percentage: Reader.percentage,
    Quantity: Reader.quantity,
    Rate: Reader.rate,
    Ref: Reader.ref,
    RelativeAmount: Reader.relative_amount,
    DateExpr: Reader.date_expr,
    Recurrence: Reader.recurrence,
}


def _convert_read(items: list[Node], tp: Any, spanner: Spanner) -> Any:
    """A plain value or a phrase form, read to the end of the phrase."""
    r = Reader(items, spanner)
    read = _READS.get(tp)
    if read is not None:
        value = read(r)
    elif isinstance(tp, type) and issubclass(tp, C.Phrasal):
        value = _read_form(items, tp, r)
    else:  # pragma: no cover - every schema type is handled above
        raise TypeError(f"no converter for {tp!r}")
    r.end()
    return value


def _read_form(items: list[Node], tp: type[C.Phrasal], r: Reader) -> C.Phrasal:
    """A phrase form; a mismatch at its start says what the form as a whole expects."""
    try:
        return read_phrasal(tp, r)
    except Mismatch as exc:
        if (r.pos == 0 or exc.node is items[0]) and not exc.invalid:
            raise Mismatch(FORMS[tp].expected, items[0], help=exc.help) from None
        raise


def _accepts_unknown(tp) -> bool:
    """Whether a value of type tp may be written `redacted`, `tbd`..."""
    return tp is Unknown or (get_origin(tp) in (Union, types.UnionType) and Unknown in get_args(tp))


def _union_has_unknown(alts) -> bool:
    for a in alts:
        if get_origin(a) is typing.Annotated:
            a = get_args(a)[0]
        if get_origin(a) in (Union, types.UnionType) and Unknown in get_args(a):
            return True
    return False


def _clip(word: str, limit: int = 40) -> str:
    """A word short enough to quote in a message (a 2 MB name must not make a 2 MB message)."""
    return word if len(word) <= limit else word[: limit - 3] + "..."


def _quote_help(node: Node | None) -> str | None:
    if isinstance(node, Lit) and node.kind in ("STRING", "TEXT"):
        return "remove the quotes: this value is a code word, not text"
    return None


# ------------------------------------------------------------------ the builder
# the blocks a file is made of: a contract, or a schedule of terms shared by several contracts
TOP_KEYWORDS = ("contract", "schedule")


@dataclass
class Built:
    """What building one statement of the contract's body gave: kept to be reused unchanged."""

    stmt: Statement
    cls: type
    node: Any
    diagnostics: list[Diagnostic]
    unknowns: int  # unknown keys and blocks met (see MAX_SUGGESTIONS)
    # the attribute dictionaries of every Span and fix Edit in `node` and `diagnostics`, found
    # the first time an incremental re-check moves them (bpolang.check.incremental)
    movable: tuple[list[dict], list[dict]] | None = None


class Builder:
    def __init__(
        self, text: str, index: LineIndex, memo: dict[int, Built] | None = None, origin: str | None = None
    ) -> None:
        self.text = text
        self.index = index
        # the path stamped on every span: set for a file read as part of another's composition
        self.origin = origin
        self.diagnostics: list[Diagnostic] = []
        self.unknown_count = 0
        # offsets of syntax errors: a block holding one may have lost a statement to recovery,
        # so "missing" reports about it would be noise
        self.syntax_error_offsets: list[int] = []
        # id of a statement of the contract's body -> what building it gave, from an earlier
        # build of the same statements (bpolang.check.incremental), and from this one
        self.memo_in = memo or {}
        # whether the text may hold a translation (`/ en:`): else none of their checks can find one
        self.translating = terminal("TRANSLATION").search(text) is not None
        self.memo_out: dict[int, Built] = {}
        self._in_contract = False  # building a statement of the contract's body itself

    def span(self, start: int, end: int) -> Span:
        line, col = self.index.line_col(start)
        end_line, end_col = self.index.line_col(end)
        return Span.trusted(
            start=start, end=end, line=line, col=col, end_line=end_line, end_col=end_col, path=self.origin
        )

    def node_span(self, node: Node) -> Span:
        return self.span(node.start, node.end)

    def error(self, code: str, message: str, node: Node | Span | None, **kw) -> None:
        span = node if isinstance(node, Span) or node is None else self.node_span(node)
        self.diagnostics.append(make_diag(code, message, span, **kw))

    # -- document
    def document(self, body: list[Statement]) -> C.Contract | None:
        contracts = [s for s in body if isinstance(s, Block) and s.header.keyword in TOP_KEYWORDS]
        for s in body:
            if s not in contracts:
                self.error(
                    "BPO010",
                    f"`{_clip(s.header.keyword)}` outside the contract block",
                    s.header,
                    help='everything goes inside `contract <id> "Title" { ... }`',
                )
        if not contracts:
            if not body:
                self.error(
                    "BPO015",
                    "the file has no `contract` block",
                    self.span(0, 0),
                    help='start with `contract my_contract "Title" { ... }`',
                )
            return None
        for extra in contracts[1:]:
            self.error(
                "BPO010",
                "a file holds one contract; this is a second `contract` block",
                extra.header,
                labels=[Label(span=self.node_span(contracts[0].header), message="the first contract is here")],
            )
        keyword = contracts[0].header.keyword
        contract = self.element(C.Contract, contracts[0], C.Child(keyword, title="required"))
        if contract is not None:
            if self.translating:
                self.check_languages(contract)
        if keyword == "schedule" and contract is not None:
            contract._schedule = True
            for field in ("under", "overridable"):
                if getattr(contract, field):
                    self.error(
                        "BPO010",
                        f"`{field}` belongs in a contract, not in a schedule",
                        self._key_header(contracts[0], field),
                        help="a schedule is included by the contracts that `use` it",
                    )
        return contract

    def _key_header(self, block: Block, key: str) -> Span:
        for child in block.body:
            if child.header.keyword == key:
                return self.node_span(child.header)
        return self.node_span(block.header)

    # -- elements
    def element(
        self,
        cls: type[BaseModel],
        stmt: Statement,
        child: C.Child | C.Single | None,
        extra: dict[str, Any] | None = None,
    ) -> Any:
        if not self._in_contract:
            return self._element(cls, stmt, child, extra)
        if extra is not None:  # an entry of the contract's body: cheap, built each time
            self._in_contract = False
            try:
                return self._element(cls, stmt, child, extra)
            finally:
                self._in_contract = True
        # a block of the contract's body: built once, reused while its statement is unchanged
        built = self.memo_in.get(id(stmt))
        if built is not None and built.stmt is stmt and built.cls is cls:
            self.diagnostics.extend(built.diagnostics)
            self.unknown_count += built.unknowns
        else:
            mark, unknowns = len(self.diagnostics), self.unknown_count
            self._in_contract = False
            try:
                node = self._element(cls, stmt, child, None)
            finally:
                self._in_contract = True
            built = Built(stmt, cls, node, self.diagnostics[mark:], self.unknown_count - unknowns)
        self.memo_out[id(stmt)] = built
        return built.node

    def _element(
        self,
        cls: type[BaseModel],
        stmt: Statement,
        child: C.Child | C.Single | None,
        extra: dict[str, Any] | None = None,
    ) -> Any:
        values: dict[str, Any] = {"span": self.node_span(stmt)}
        id_span = None
        if extra:
            values.update(extra)
        header = stmt.header
        words = list(header.words[1:])
        if isinstance(child, C.Child):
            if child.qualifier:
                qual_tp = cls.model_fields[child.qualifier].annotation
                options = get_args(strip_optional(qual_tp))
                if not words or words[0].text not in options:
                    self.error(
                        "BPO012",
                        f"`{header.keyword}` must be followed by " + " or ".join(f"`{o}`" for o in options),
                        words[0] if words else header.words[0],
                        help=f'for example `{header.keyword} {options[0]} my_id "Name" {{ ... }}`',
                    )
                    if words and words[0].text not in options and len(words) >= 2:
                        words.pop(0)
                else:
                    values[child.qualifier] = words.pop(0).text
            if child.id:
                if words:
                    id_word = words.pop(0)
                    values["id"] = id_word.text
                    id_span = self.node_span(id_word)
                elif cls is not C.Exclusion:
                    self.error(
                        "BPO015",
                        f"`{header.keyword}` needs an id",
                        header,
                        help=f"name it, e.g. `{header.keyword} my_{header.keyword} ...`; other blocks refer to it by this id",
                    )
            if header.title is not None:
                if child.title == "none":
                    self.error("BPO012", f"`{header.keyword}` takes no title", header.title)
                else:
                    values["title"] = self.string(header.title)
                    if isinstance(header.title, Bitext):
                        self.add_translation(values, "title", header.title)
            elif child.title == "required":
                self.error(
                    "BPO015",
                    f"`{header.keyword}` needs a title in quotes",
                    header,
                    help=f'add it after the id, e.g. `"{header.keyword.capitalize()} title"`',
                )
        else:
            if header.title is not None:
                self.error("BPO012", f"`{header.keyword}` takes no title", header.title)
        for word in words:
            self.error("BPO012", f"unexpected word `{word.text}` in the header of `{header.keyword}`", word)
        if isinstance(stmt, Block):
            body = self.body(cls, stmt)
            for key in ("translations", _TRANSLATED):
                if key in body and key in values:
                    body[key] = {**values[key], **body[key]}
            values.update(body)
        node = self.construct(cls, values, stmt)
        if id_span is not None and isinstance(node, C.Element):
            node._id_span = id_span
        if isinstance(node, C.Clause) and isinstance(stmt, Block):
            self.clause(node, stmt)
        return node

    def clause(self, clause: C.Clause, block: Block) -> None:
        """A clause is written (a title and its text, `{name}` naming a parameter) or taken from a
        library (its id, `library` and the arguments; the library gives the rest)."""
        header = block.header
        keys = {s.header.keyword: s for s in block.body}
        if not isinstance(clause.library, str):  # written here (`library: not_attached` says it is a standard one)
            if clause.title is None:
                self.error(
                    "BPO015",
                    "`clause` needs a title in quotes",
                    header,
                    help='add it after the id, e.g. `"Clause title"`, or take the clause from a library',
                )
            if clause.text is None and "text" not in keys and not self._damaged(block):
                self.error(
                    "BPO015", "`clause` needs `text: ...`", header, fix=self.to_be_agreed(C.Clause, "text", block)
                )
            for s in block.body:
                if s.header.keyword == "with":
                    self.error(
                        "BPO027",
                        f"`with {s.header.words[1].text if len(s.header.words) > 1 else ''}` gives an argument, "
                        "but this clause is not taken from a library",
                        s.header,
                        help='name the library the clause is taken from: `library: "schedules/clauses.bpo"`',
                    )
            self.placeholders(clause, keys.get("text"))
            return
        for word in ("text", "param"):
            if word in keys:
                self.error(
                    "BPO012",
                    f"`{word}` is the library's: a clause taken from a library is written with its arguments",
                    keys[word].header,
                    help=f"change the clause in the library, or write it here without `library` ({word} stays)",
                )

    def placeholders(self, clause: C.Clause, stmt: Statement | None) -> None:
        """Each `{name}` in a clause's text names one of its parameters (BPO029), at the place written."""
        if not isinstance(stmt, Entry) or clause.text is None or not stmt.value.items:
            return
        lit = stmt.value.items[0]
        names = {p.id for p in clause.params}
        for m in PLACEHOLDER.finditer(self.text, lit.start, lit.end):
            if m.group(1) not in names:
                known = ", ".join(f"`{{{n}}}`" for n in sorted(n for n in names if n)) or "none"
                self.error(
                    "BPO029",
                    f"`{{{m.group(1)}}}` names no parameter of the clause `{clause.id}`",
                    self.span(m.start(), m.end()),
                    help=f"declare it (`param {m.group(1)}: duration`), or use a declared one: {known}",
                )

    def to_be_agreed(self, cls: type[BaseModel], name: str, stmt: Statement) -> Fix | None:
        """The fix of a missing key that can be `tbd`: a `name: tbd` line at the end of the block,
        the gap then stated (and shown as still to be agreed) rather than left unsaid."""
        from bpolang.syntax.nodes import line_insertion

        field = cls.model_fields.get(name)
        spec = schema_of(cls).keys.get(name)
        if field is None or spec is None or spec.is_list or not _admits_unknown(field.annotation):
            return None
        if not isinstance(stmt, Block):
            return None
        edit = line_insertion(self.text, stmt, f"{name}: tbd")
        return Fix(message=f"add `{name}: tbd`", edits=[edit], safe=False) if edit is not None else None

    def _damaged(self, stmt: Statement) -> bool:
        end = stmt.end if not isinstance(stmt, Block) else stmt.close + 1
        return any(stmt.start <= off <= end for off in self.syntax_error_offsets)

    def construct(self, cls: type[BaseModel], values: dict[str, Any], stmt: Statement) -> Any:
        refused = values.pop(_REFUSED, set())
        translated = values.pop(_TRANSLATED, {})
        if "translations" in values and "translations" not in cls.model_fields:  # pragma: no cover - phrasal
            values.pop("translations")
        damaged = self._damaged(stmt)
        for name in getattr(cls, "REQUIRED", ()):
            if name in ("id", "title"):
                continue  # reported while reading the header
            if values.get(name) in (None, []) and not damaged and name not in refused:
                fix = self.to_be_agreed(cls, name, stmt)
                self.error("BPO015", f"`{stmt.header.keyword}` needs `{name}`", stmt.header, fix=fix)
        missing = [n for n, f in cls.model_fields.items() if f.is_required() and n not in values]
        if missing:
            if not damaged and not (set(missing) & refused):
                for n in missing:
                    fix = self.to_be_agreed(cls, n, stmt)
                    self.error("BPO015", f"`{stmt.header.keyword}` needs `{n}: ...`", stmt.header, fix=fix)
            return None
        node = assemble(cls, values)  # every value converted above: validating again finds nothing
        if refused and isinstance(node, C.Node):
            node._refused = frozenset(refused)
        if translated and isinstance(node, C.Node):
            node._translation_spans = translated
        return node

    def body(self, cls: type[BaseModel], block: Block) -> dict[str, Any]:
        if cls is C.Contract:
            self._in_contract = True
            try:
                return self._body(cls, block)
            finally:
                self._in_contract = False
        return self._body(cls, block)

    def _body(self, cls: type[BaseModel], block: Block) -> dict[str, Any]:
        schema = schema_of(cls)
        values: dict[str, Any] = {}
        seen: dict[str, Statement] = {}
        for stmt in block.body:
            kw = stmt.header.keyword
            spec = schema.children.get(kw)
            if spec is not None:
                self.child(spec, stmt, values, seen)
                continue
            spec = schema.keys.get(kw)
            if spec is None:
                self.unknown(cls, block, stmt, schema)
                continue
            if not isinstance(stmt, Entry) or len(stmt.header.words) > 1 or stmt.header.title:
                self.wrong_form_key(stmt, spec)
                continue
            if kw in seen:
                self.duplicate_key(stmt, seen[kw])
                continue
            seen[kw] = stmt
            value = self.value(stmt, spec)
            if value is not None:
                values[spec.name] = value
                if self.translating:
                    self.value_translations(values, spec.name, stmt.value, value)
            else:
                # written but refused (already reported): not "missing" as well
                values.setdefault(_REFUSED, set()).add(spec.name)
        return values

    def value(self, stmt: Entry, spec: FieldSpec) -> Any:
        items = stmt.value.items
        if not self.check_phrase(stmt.value):
            return None
        try:
            return convert(items, spec.annotation, self.span)
        except Mismatch as exc:
            self.mismatch(exc, stmt.header.keyword, stmt.value)
            return None

    def check_phrase(self, phrase: Phrase) -> bool:
        """Reject over-deep operator chains and bad escapes before converting."""
        ok = True
        stack: list[Node] = list(phrase.items)
        while stack:
            node = stack.pop()
            depth = getattr(node, "depth", 0)
            if depth > MAX_EXPRESSION_DEPTH:
                self.error(
                    "BPO005",
                    f"expression with more than {MAX_EXPRESSION_DEPTH} operators",
                    node,
                    help="split it into named amounts",
                )
                return False
            if isinstance(node, Lit):
                for off in bad_escapes(node):
                    self.error(
                        "BPO007",
                        f"unknown escape `{self.text[off : off + 2]}` in a string",
                        self.span(off, off + 2),
                        help='use \\n, \\t, \\" or \\\\',
                    )
                    ok = False
            elif isinstance(node, ListNode):
                for p in node.items:
                    stack.extend(p.items)
            elif isinstance(node, CallNode):
                for p in node.args:
                    stack.extend(p.items)
            elif isinstance(node, BinOp):
                stack.append(node.left)
                stack.append(node.right)
            elif isinstance(node, Group):
                stack.append(node.expr)
        return ok

    def mismatch(self, exc: Mismatch, key: str, phrase: Phrase) -> None:
        if exc.node is None:
            where = self.span(phrase.end, phrase.end)
            found = "nothing"
        else:
            where = self.node_span(exc.node)
            found = describe(exc.node)
        if exc.expected == "nothing more":
            message = f"unexpected {found} after the value of `{key}`"
        elif exc.code == "BPO020":
            self.error("BPO020", f"{found} is out of range: {exc.expected}", where, help=exc.help)
            return
        elif exc.invalid:
            self.error("BPO017", f"{found} is not {exc.expected}", where, help=exc.help)
            return
        else:
            message = f"`{key}` expects {exc.expected}, found {found}"
        fix = replacement(where, exc.suggestion) if exc.suggestion and exc.node is not None else None
        self.error("BPO012", message, where, help=exc.help, fix=fix)

    def child(self, spec: FieldSpec, stmt: Statement, values: dict[str, Any], seen: dict[str, Statement]) -> None:
        child, cls = spec.child, spec.child_cls
        assert child is not None and cls is not None  # schema_of gives every child spec both
        kw = stmt.header.keyword
        if (isinstance(child, C.Single) or child.form == "block") and not isinstance(stmt, Block):
            example = f"`{kw} {{ ... }}`" if isinstance(child, C.Single) else f'`{kw} my_id "Title" {{ ... }}`'
            self.error("BPO012", f"`{kw}` is a block: write {example}", stmt.header)
            return
        if isinstance(child, C.Single):
            if kw in seen:
                self.duplicate_key(stmt, seen[kw])
                return
            seen[kw] = stmt
            if len(stmt.header.words) > 1:
                self.error("BPO012", f"`{kw}` takes no id", stmt.header.words[1])
            node = self.element(cls, stmt, child)
            if node is not None:
                values[spec.name] = node
            return
        if child.form == "entry" and isinstance(stmt, Block) and not issubclass(cls, C.Phrasal):
            # the long form: `fee run "Monthly fee" { value: 8500 EUR every month; payer: acme }`
            self._append(spec, values, self.element(cls, stmt, child))
            return
        if child.form == "entry":
            self._entry_child(spec, cls, child, stmt, values)
            return
        if child.form == "bare" and not isinstance(stmt, Bare):
            self.error("BPO012", f'`{kw}` is written `{kw} "text"`', stmt.header)
            return
        self._append(spec, values, self.element(cls, stmt, child))

    def _entry_child(
        self, spec: FieldSpec, cls: type[BaseModel], child: C.Child, stmt: Statement, values: dict[str, Any]
    ) -> None:
        """A child written `keyword id "Title": value` (or a phrase form, `step: below 98% ...`)."""
        kw = stmt.header.keyword
        if not isinstance(stmt, Entry):
            form = kw + (" id" if child.id else "") + (' "Title"' if child.title != "none" else "")
            self.error("BPO012", f"`{kw}` is written `{form}: value`", stmt.header)
            return
        if not self.check_phrase(stmt.value):
            return
        if issubclass(cls, C.Phrasal):
            if len(stmt.header.words) > 1 or stmt.header.title is not None:
                self.error("BPO012", f"`{kw}` takes no id or title", stmt.header)
                return
            try:
                item = convert(stmt.value.items, cls, self.span)
            except Mismatch as exc:
                self.mismatch(exc, kw, stmt.value)
                return
            if self.translating:
                self.misplaced_translations(stmt.value, ())
            values.setdefault(spec.name, []).append(item)
            return
        vf = cls.model_fields[child.value_field]
        try:
            converted = convert(stmt.value.items, vf.annotation, self.span)
        except Mismatch as exc:
            self.mismatch(exc, kw, stmt.value)
            return
        extra = {child.value_field: converted}
        if self.translating:
            self.value_translations(extra, child.value_field, stmt.value, converted)
        self._append(spec, values, self.element(cls, stmt, child, extra))

    @staticmethod
    def _append(spec: FieldSpec, values: dict[str, Any], node: Any) -> None:
        """One more child of a list field (none if building it failed, already reported)."""
        if node is not None:
            values.setdefault(spec.name, []).append(node)

    def add_translation(self, values: dict[str, Any], place: str, bitext: Bitext) -> None:
        """The translations of the text at `place`, put beside it in `values` (those the contract can be
        rendered in, each once; the others are reported)."""
        own: dict[str, str] = {}
        spans: dict[str, Span] = {}
        languages = get_args(C.Language)
        for lang, text in bitext.translations:
            code = lang.text
            if code not in languages:
                close = difflib.get_close_matches(code.lower(), languages, n=1, cutoff=0.5)
                self.error(
                    "BPO030",
                    f"`{_clip(code)}` is not a language a contract is rendered in",
                    lang,
                    help=f"did you mean `{close[0]}`?" if close else "write `fr` or `en`",
                    fix=replacement(self.node_span(lang), close[0]) if close else None,
                )
                continue
            if code in own:
                self.error(
                    "BPO031",
                    f"the text is translated into `{code}` twice",
                    lang,
                    labels=[Label(span=spans[code], message="first translated here")],
                    help="keep one of the translations",
                )
                continue
            own[code] = self.string(text)
            spans[code] = self.node_span(lang)
        if own:
            values.setdefault("translations", {})[place] = own
            values.setdefault(_TRANSLATED, {})[place] = spans

    def value_translations(self, values: dict[str, Any], name: str, phrase: Phrase, value: Any) -> None:
        """The translations written in the value of `name`: of the text (`"..." / en: "..."`), or of
        the texts of a list (`["..." / en: "...", "..."]`, each item's place `name.index`)."""
        items = phrase.items
        used: list[Node] = []
        if len(items) == 1 and isinstance(items[0], Bitext):
            if isinstance(value, str):
                self.add_translation(values, name, items[0])
                used.append(items[0])
            elif isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
                self.add_translation(values, f"{name}.0", items[0])
                used.append(items[0])
        elif isinstance(value, C.Phrasal):
            # a text inside a phrase form: the form's text it was read as (`retention.event`)
            texts = C.phrasal_texts(value, name)
            written = [n for n in _texts(items) if n.kind in ("STRING", "TEXT")]
            if len(written) == len(texts):  # the form's texts, in the order written
                for node, (place, text) in zip(written, texts):
                    if isinstance(node, Bitext) and text == unescape(node):
                        self.add_translation(values, place, node)
                        used.append(node)
        elif len(items) == 1 and isinstance(items[0], ListNode) and isinstance(value, list):
            if len(value) == len(items[0].items):
                for i, (p, v) in enumerate(zip(items[0].items, value)):
                    if len(p.items) == 1 and isinstance(p.items[0], Bitext) and isinstance(v, str):
                        self.add_translation(values, f"{name}.{i}", p.items[0])
                        used.append(p.items[0])
        self.misplaced_translations(phrase, used)

    def misplaced_translations(self, phrase: Phrase, used: Any) -> None:
        """A translation the value does not take as one (after a word or an amount, in a list of words)."""
        for node in _bitexts(phrase.items):
            if not any(node is u for u in used):
                lang, _ = node.translations[0]
                self.error(
                    "BPO032",
                    "a translation is written after a text, not after a word, an amount or a reference",
                    self.span(self.text.rfind("/", 0, lang.start), node.end),
                    help='translate the text of a key or a title: `description: "..." / en: "..."`',
                )

    def check_languages(self, contract: C.Contract) -> None:
        """A translation is into the other language than the contract's own (`language`), which it needs."""
        own = contract.language
        for node in C.all_blocks(contract):
            for spans in (node._translation_spans or {}).values():
                for lang, span in spans.items():
                    if own is None:
                        self.error(
                            "BPO031",
                            f"a translation into `{lang}`, but the contract does not say what language it is written in",
                            span,
                            help="state it in the contract: `language: fr` (or `en`)",
                        )
                    elif lang == own:
                        self.error(
                            "BPO031",
                            f"a translation into `{lang}`, the language the contract is written in",
                            span,
                            help=f"the text before `/` is already in `{own}`: translate it into the other language",
                        )

    def string(self, lit: Lit) -> str:
        for off in bad_escapes(lit):
            self.error(
                "BPO007",
                f"unknown escape `{self.text[off : off + 2]}` in a string",
                self.span(off, off + 2),
                help='use \\n, \\t, \\" or \\\\',
            )
        return unescape(lit)

    def unknown(self, cls: type, block: Block, stmt: Statement, schema: Schema) -> None:
        kw = _clip(stmt.header.keyword)
        where = f"`{_clip(block.header.keyword)}`"
        self.unknown_count += 1
        # suggestions cost a fuzzy match each: past a point the file is not a contract at all
        close = (
            difflib.get_close_matches(kw, schema.words(), n=1, cutoff=0.7)
            if self.unknown_count <= MAX_SUGGESTIONS
            else []
        )
        if close:
            help = f"did you mean `{close[0]}`?"
        else:
            help = "this block takes: " + ", ".join(f"`{w}`" for w in schema.words())
        code = "BPO010" if isinstance(stmt, Block) else "BPO011"
        what = "block" if isinstance(stmt, Block) else "key"
        span = self.node_span(stmt.header.words[0])
        fix = replacement(span, close[0]) if close else None
        self.error(code, f"unknown {what} `{kw}` in {where}", span, help=help, fix=fix)

    def wrong_form_key(self, stmt: Statement, spec: FieldSpec) -> None:
        kw = stmt.header.keyword
        if isinstance(stmt, Entry):
            self.error("BPO012", f"`{kw}` takes no id or title: write `{kw}: value`", stmt.header)
        elif isinstance(stmt, Block):
            self.error("BPO012", f"`{kw}` is a key, not a block: write `{kw}: value`", stmt.header)
        else:
            self.error(
                "BPO012",
                f"`{kw}` needs a value: write `{kw}: value`",
                stmt.header,
                help=f"`{kw}` expects {expected_of(spec.annotation)}",
            )

    def duplicate_key(self, stmt: Statement, first: Statement) -> None:
        kw = stmt.header.keyword
        self.error(
            "BPO016",
            f"`{kw}` is given twice in this block",
            stmt.header.words[0],
            labels=[Label(span=self.node_span(first.header.words[0]), message="first given here")],
            help="keep one of them",
        )
