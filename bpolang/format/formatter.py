"""The canonical layout of .bpo text.

The formatter works on the syntax tree, not the model, so it keeps what the
model does not hold: comments, blank lines between statements (at most one),
and the spelling the author chose for a value.  It normalises everything
else: two-space indentation, one statement per line, one space around `:`
values and binary operators, `[a, b]` lists that break one item per line when
the line would exceed the width, and the spelling of literals (`30  days` →
`30 days`, `1 days` → `1 day`, `98 %` → `98%`).  Text blocks (`\"\"\"...\"\"\"`)
are copied byte for byte.

:func:`format_text` returns the new text; :func:`check_equivalent` is the
safety net run on every write (same model, same comments, stable).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from bpolang.syntax.nodes import (
    Bare,
    BinOp,
    Bitext,
    Block,
    Call,
    Comment,
    Entry,
    Group,
    Header,
    ListNode,
    Lit,
    Node,
    Phrase,
    Statement,
)
from bpolang.syntax.parser import ParseResult, parse_text

DEFAULT_LINE_LENGTH = 100
INDENT = "  "
_SPACES = re.compile(r"[ \t]+")
_UNIT_WORDS = ("second", "minute", "hour", "day", "week", "month", "quarter", "year")


class FormatError(Exception):
    """The text cannot be formatted (it does not parse); nothing is written."""

    def __init__(self, result: ParseResult) -> None:
        super().__init__("the text has syntax errors")
        self.result = result


class UnsafeFormat(Exception):
    """The formatter's output would change the contract: an internal error, nothing is written."""


def canonical_literal(lit: Lit) -> str:
    """A token's canonical spelling (meaning unchanged)."""
    text = lit.text
    kind = lit.kind
    if kind in ("MONEY", "DURATION"):
        parts = _SPACES.split(text.strip())
        if kind == "DURATION":
            number, unit_words = parts[0], parts[1:]
            last = unit_words[-1]
            stem = last[:-1] if last.endswith("s") else last
            if stem in _UNIT_WORDS:
                singular = number.replace("_", "").lstrip("0") in ("1", "1.0") or number in ("1",)
                unit_words[-1] = stem if singular else stem + "s"
            return " ".join([number, *unit_words])
        return " ".join(parts)
    if kind == "PERCENT":
        return _SPACES.sub("", text)
    return text


@dataclass
class _Comments:
    """Comments in source order, handed out as the printer walks past them."""

    items: list[Comment]
    pos: int = 0

    def before(self, offset: int) -> list[Comment]:
        out = []
        while self.pos < len(self.items) and self.items[self.pos].start < offset:
            out.append(self.items[self.pos])
            self.pos += 1
        return out

    def trailing(self, offset: int, text: str) -> Comment | None:
        """A comment after `offset` on the same line."""
        if self.pos < len(self.items):
            c = self.items[self.pos]
            between = text[offset : c.start]
            if c.start >= offset and "\n" not in between and "\r" not in between:
                self.pos += 1
                return c
        return None


class Formatter:
    def __init__(self, text: str, parsed: ParseResult, line_length: int = DEFAULT_LINE_LENGTH) -> None:
        self.text = text
        self.parsed = parsed
        self.width = line_length
        self.comments = _Comments(sorted(parsed.comments, key=lambda c: c.start))
        self.out: list[str] = []

    # -- output helpers
    def emit(self, depth: int, line: str) -> None:
        self.out.append(f"{INDENT * depth}{line}".rstrip() if line else "")

    def blank(self) -> None:
        if self.out and self.out[-1] != "":
            self.out.append("")

    def emit_comments(self, depth: int, comments: list[Comment]) -> None:
        prev_end = None
        for c in comments:
            if prev_end is not None and self._blank_between(prev_end, c.start):
                self.blank()
            self.emit(depth, c.text.rstrip())
            prev_end = c.end

    def _blank_between(self, a: int, b: int) -> bool:
        gap = self.text[a:b]
        return gap.count("\n") + gap.replace("\r\n", "").count("\r") >= 2

    # -- document
    def format(self) -> str:
        body = self.parsed.body
        self.statements(body, 0, 0, len(self.text))
        rest = self.comments.before(len(self.text) + 1)
        if rest:
            if body and self._blank_between(body[-1].end, rest[0].start):
                self.blank()
            self.emit_comments(0, rest)
        while self.out and self.out[-1] == "":
            self.out.pop()
        return "\n".join(self.out) + "\n" if self.out else ""

    def statements(self, body: list[Statement], depth: int, start: int, end: int) -> None:
        prev_end = start
        first = True
        for stmt in body:
            leading = self.comments.before(stmt.start)
            anchor = leading[0].start if leading else stmt.start
            if not first and self._blank_between(prev_end, anchor):
                self.blank()
            if leading:
                self.emit_comments(depth, leading)
                if self._blank_between(leading[-1].end, stmt.start):
                    self.blank()
            self.statement(stmt, depth)
            prev_end = stmt.end
            first = False
        dangling = self.comments.before(end)
        if dangling:
            if body and self._blank_between(prev_end, dangling[0].start):
                self.blank()
            self.emit_comments(depth, dangling)

    def header(self, header: Header) -> str:
        words = " ".join(w.text for w in header.words)
        return f"{words} {self.flat(header.title)}" if header.title is not None else words

    def statement(self, stmt: Statement, depth: int) -> None:
        head = self.header(stmt.header)
        if isinstance(stmt, Block):
            inner_comments = [c for c in self.comments.items[self.comments.pos :] if c.start < stmt.close]
            if not stmt.body and not inner_comments:
                line = f"{head} {{}}"
                trailing = self.comments.trailing(stmt.end, self.text)
                self.emit(depth, line + (f"  {trailing.text.rstrip()}" if trailing else ""))
                return
            opening = self.comments.trailing(stmt.open + 1, self.text)
            self.emit(depth, f"{head} {{" + (f"  {opening.text.rstrip()}" if opening else ""))
            self.statements(stmt.body, depth + 1, stmt.open + 1, stmt.close)
            trailing = self.comments.trailing(stmt.end, self.text)
            self.emit(depth, "}" + (f"  {trailing.text.rstrip()}" if trailing else ""))
            return
        if isinstance(stmt, Bare):
            trailing = self.comments.trailing(stmt.end, self.text)
            self.emit(depth, head + (f"  {trailing.text.rstrip()}" if trailing else ""))
            return
        assert isinstance(stmt, Entry)
        prefix = f"{head}: "
        lines = self.phrase(stmt.value, depth, len(INDENT * depth) + len(prefix))
        trailing = self.comments.trailing(stmt.end, self.text)
        items = stmt.value.items
        if trailing is None and len(items) == 1 and isinstance(items[0], Bitext):
            # a comment after the text, before its translation on the next line: the statement's own
            inner = self.comments.before(stmt.end)
            if inner:
                self.emit_comments(depth, inner[:-1])
                trailing = inner[-1]
        lines[0] = prefix + lines[0]
        for i, line in enumerate(lines):
            suffix = f"  {trailing.text.rstrip()}" if trailing and i == len(lines) - 1 else ""
            self.out.append((line if i else INDENT * depth + line) + suffix if line else "")

    # -- values
    def flat(self, node: Node) -> str:
        """A value on one line; iterative, so a long `+` chain costs no recursion."""
        out: list[str] = []
        stack: list[Node | str] = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, Bitext):
                out.append(bitext(item))
            elif isinstance(item, Lit):
                out.append(canonical_literal(item))
            elif isinstance(item, BinOp):
                # `US-NY`: a subdivision code (ISO 3166-2) is written without spaces
                stack += [item.right, "-" if _is_code_pair(item) else f" {item.op} ", item.left]
            elif isinstance(item, Group):
                stack += [")", item.expr, "("]
            elif isinstance(item, ListNode):
                stack += ["]", *_joined(item.items, ", "), "["]
            elif isinstance(item, Call):
                stack += [")", *_joined(item.args, ", "), f"{item.name}("]
            elif isinstance(item, Phrase):
                stack += _joined(item.items, " ")
            else:  # pragma: no cover
                raise TypeError(item)
        return "".join(out)

    def flat_phrase(self, phrase: Phrase) -> str:
        return self.flat(phrase)

    def _has_inner_comment(self, node: Node) -> bool:
        for c in self.comments.items[self.comments.pos :]:
            if c.start >= node.end:
                return False
            if c.start > node.start:
                return True
        return False

    def _multiline_text(self, node: Node) -> bool:
        if isinstance(node, Bitext):
            return any(self._multiline_text(t) for _, t in node.translations) or self._multiline_text(node.first)
        return isinstance(node, Lit) and node.kind == "TEXT" and ("\n" in node.text or "\r" in node.text)

    def phrase(self, phrase: Phrase, depth: int, column: int) -> list[str]:
        """Lines of a value: the first continues the statement's line; others carry their indent."""
        flat = self.flat_phrase(phrase)
        needs_break = any(self._has_inner_comment(n) for n in phrase.items if isinstance(n, (ListNode, Call)))
        if len(phrase.items) == 1 and isinstance(phrase.items[0], Bitext) and column + len(flat) > self.width:
            # a long text and its translations: each translation on a line of its own, one level in
            bitext = phrase.items[0]
            lines = re.split(r"\r\n|\r|\n", bitext.text)
            for lang, text in bitext.translations:
                more = re.split(r"\r\n|\r|\n", f"/ {lang.text}: {text.text}")
                lines += [INDENT * (depth + 1) + more[0], *more[1:]]
            return lines
        if (column + len(flat) <= self.width and not needs_break) or not any(
            isinstance(n, (ListNode, Call)) for n in phrase.items
        ):
            if any(self._multiline_text(n) for n in phrase.items):
                # keep text blocks byte for byte: they carry their own line breaks
                return re.split(r"\r\n|\r|\n", flat)
            return [flat]
        lines = [""]
        for i, node in enumerate(phrase.items):
            sep = " " if i else ""
            if isinstance(node, (ListNode, Call)):
                opener = "[" if isinstance(node, ListNode) else f"{node.name}("
                closer = "]" if isinstance(node, ListNode) else ")"
                items = node.items if isinstance(node, ListNode) else node.args
                lines[-1] += sep + opener
                for item in items:
                    for c in self.comments.before(item.start):
                        lines.append(INDENT * (depth + 1) + c.text.rstrip())
                    sub = self.phrase(item, depth + 1, len(INDENT * (depth + 1)))
                    sub[-1] += ","
                    trailing = self.comments.trailing(item.end, self.text)
                    if trailing is None and self.text[item.end : item.end + 1] == ",":
                        trailing = self.comments.trailing(item.end + 1, self.text)
                    if trailing is not None:
                        sub[-1] += "  " + trailing.text.rstrip()
                    lines.append(INDENT * (depth + 1) + sub[0])
                    lines.extend(sub[1:])
                for c in self.comments.before(node.end):
                    lines.append(INDENT * (depth + 1) + c.text.rstrip())
                lines.append(INDENT * depth + closer)
            else:
                lines[-1] += sep + self.flat(node)
        return lines


def bitext(node: Bitext) -> str:
    """A text and its translations on one line: `"Rapport mensuel" / en: "Monthly report"`."""
    return node.text + "".join(f" / {lang.text}: {text.text}" for lang, text in node.translations)


_COUNTRY = re.compile(r"[A-Z]{2}")
_SUBDIVISION = re.compile(r"[A-Z0-9]{1,3}")


def _is_code_pair(node: BinOp) -> bool:
    """`US - NY`: a country code minus a subdivision code, the same expression as `US-NY`."""
    left, right = node.left, node.right
    return (
        node.op == "-"
        and isinstance(left, Lit)
        and left.kind == "NAME"
        and _COUNTRY.fullmatch(left.text) is not None
        and isinstance(right, Lit)
        and right.kind in ("NAME", "NUMBER")
        and _SUBDIVISION.fullmatch(right.text) is not None
    )


def _joined(items: list, sep: str) -> list:
    """Items with a separator between them, in reverse (for a stack popped from the end)."""
    out: list = []
    for i, item in enumerate(reversed(items)):
        if i:
            out.append(sep)
        out.append(item)
    return out


def format_text(text: str, line_length: int = DEFAULT_LINE_LENGTH) -> str:
    """The canonical form of .bpo text (LF line endings, no BOM); FormatError if it does not parse."""
    from bpolang.base.gcpause import paused_gc

    parsed = parse_text(text)
    if parsed.problems:
        raise FormatError(parsed)
    with paused_gc():
        return Formatter(text, parsed, line_length).format()


def comment_texts(parsed: ParseResult) -> Counter[str]:
    return Counter(c.text.rstrip() for c in parsed.comments)


def check_equivalent(before: str, after: str, line_length: int = DEFAULT_LINE_LENGTH) -> None:
    """Raise UnsafeFormat unless `after` parses to the same model and comments and is stable."""
    from bpolang.check import pipeline as api
    from bpolang.model.compare import semantic_dump

    a = api.parse(before, alone=True)  # what each text says, not the master it names
    b = api.parse(after, alone=True)
    if b.syntax is None or b.syntax.problems:
        raise UnsafeFormat("the formatted text does not parse")
    if semantic_dump(a.contract) != semantic_dump(b.contract):
        raise UnsafeFormat("the formatted text does not mean the same as the original")
    assert a.syntax is not None  # parse() always parses: only a file read as bytes may have no syntax
    if comment_texts(a.syntax) != comment_texts(b.syntax):
        raise UnsafeFormat("the formatted text lost or changed a comment")
    if format_text(after, line_length) != after:
        raise UnsafeFormat("formatting is not stable: a second pass changes the text")
