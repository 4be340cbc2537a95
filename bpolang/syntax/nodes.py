"""The syntax tree: blocks, statements and value expressions, with offsets.

Plain slotted classes rather than pydantic models: the parser builds one
node per token and must stay linear and cheap.  The typed contract model
(bpolang.model) is built from these nodes.
"""

from __future__ import annotations

from collections.abc import Sequence


class Node:
    __slots__ = ("start", "end")
    start: int
    end: int


class Lit(Node):
    """A single token: kind is its terminal name (NAME, DATE, MONEY, STRING...)."""

    __slots__ = ("kind", "text")

    def __init__(self, kind: str, text: str, start: int, end: int) -> None:
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"Lit({self.kind}, {self.text!r})"


class Bitext(Lit):
    """A text and its translations: `"Rapport mensuel" / en: "Monthly report"`.

    It reads as the text it translates (its kind and text are the first string's, so whatever takes
    a string takes it); `translations` holds, per translation, the language code (a Lit of kind LANG,
    the code alone) and the text in that language. Its span runs to the end of the last translation.
    """

    __slots__ = ("first", "translations")

    def __init__(self, first: Lit, translations: list[tuple[Lit, Lit]]) -> None:
        super().__init__(first.kind, first.text, first.start, translations[-1][1].end)
        self.first = first  # the text in the contract's own language, alone
        self.translations = translations

    @property
    def text_end(self) -> int:
        """Where the text in the contract's own language ends."""
        return self.first.end

    def __repr__(self) -> str:
        return f"Bitext({self.kind}, {self.text!r}, {[(lang.text, t.text) for lang, t in self.translations]!r})"


class BinOp(Node):
    __slots__ = ("op", "left", "right", "depth")

    def __init__(self, op: str, left: Node, right: Node) -> None:
        self.op = op
        self.left = left
        self.right = right
        # Operator chains nest without brackets: track their depth to cap it.
        self.depth = max(getattr(left, "depth", 0), getattr(right, "depth", 0)) + 1
        self.start = left.start
        self.end = right.end

    def __repr__(self) -> str:
        return f"BinOp({self.left!r} {self.op} {self.right!r})"


class Group(Node):
    __slots__ = ("expr",)

    def __init__(self, expr: Node, start: int, end: int) -> None:
        self.expr = expr
        self.start = start
        self.end = end


class ListNode(Node):
    __slots__ = ("items",)

    def __init__(self, items: list[Phrase], start: int, end: int) -> None:
        self.items = items
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"List{self.items!r}"


class Call(Node):
    __slots__ = ("name", "args")

    def __init__(self, name: str, args: list[Phrase], start: int, end: int) -> None:
        self.name = name
        self.args = args
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"Call({self.name}, {self.args!r})"


class Phrase(Node):
    """A value: items read left to right (`45 days end of month`)."""

    __slots__ = ("items",)

    def __init__(self, items: list[Node]) -> None:
        self.items = items
        self.start = items[0].start
        self.end = items[-1].end

    def __repr__(self) -> str:
        return f"Phrase{self.items!r}"


class Header(Node):
    """The words before `{` or `:`, and an optional quoted title."""

    __slots__ = ("words", "title")

    def __init__(self, words: list[Lit], title: Lit | None) -> None:
        self.words = words
        self.title = title
        self.start = words[0].start
        self.end = (title or words[-1]).end

    @property
    def keyword(self) -> str:
        return self.words[0].text


class Statement(Node):
    __slots__ = ("header",)
    header: Header


class Block(Statement):
    __slots__ = ("body", "open", "close")

    def __init__(self, header: Header, body: list[Statement], open_: int, close: int) -> None:
        self.header = header
        self.body = body
        self.open = open_
        self.close = close
        self.start = header.start
        self.end = close + 1


class Entry(Statement):
    __slots__ = ("value", "colon")

    def __init__(self, header: Header, value: Phrase, colon: int) -> None:
        self.header = header
        self.value = value
        self.colon = colon
        self.start = header.start
        self.end = value.end


class Bare(Statement):
    __slots__ = ()

    def __init__(self, header: Header) -> None:
        self.header = header
        self.start = header.start
        self.end = header.end


class Comment(Node):
    __slots__ = ("text", "own_line")

    def __init__(self, text: str, start: int, end: int, own_line: bool) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.own_line = own_line


def line_insertion(text: str, block: Block, line: str):
    """The edit (bpolang.base.diagnostics.Edit) adding a line at the end of a block, indented as
    its statements; None when the closing brace shares its line (that is the formatter's to lay out)."""
    from bpolang.base.diagnostics import Edit

    line_start = text.rfind("\n", 0, block.close) + 1
    if text[line_start : block.close].strip():
        return None
    hl = text.rfind("\n", 0, block.header.start) + 1
    indent = " " * (block.header.start - hl + 2)
    if block.body:
        first = block.body[0]
        fl = text.rfind("\n", 0, first.start) + 1
        if not text[fl : first.start].strip():
            indent = text[fl : first.start]
    newline = "\r\n" if text[line_start - 2 : line_start] == "\r\n" else "\n"
    return Edit(start=line_start, end=line_start, text=f"{indent}{line}{newline}")


def iter_nodes(stmts: list[Statement]):
    """Every statement, depth first, without recursion."""
    stack = list(reversed(stmts))
    while stack:
        s = stack.pop()
        yield s
        if isinstance(s, Block):
            stack.extend(reversed(s.body))


def shift_nodes(stmts: Sequence[Node], delta: int) -> None:
    """Move statements (and comments) and everything in them `delta` code points along the text, in place."""
    shift_flat(flatten(stmts), delta)


# Every node of some statements, then the blocks and the entries among them (which have more offsets)
Flat = tuple[list[Node], list[Block], list[Entry]]


def flatten(stmts: Sequence[Node]) -> Flat:
    """The nodes in some statements (and comments), each once, for :func:`shift_flat`."""
    nodes: list[Node] = []
    blocks: list[Block] = []
    entries: list[Entry] = []
    stack: list = list(stmts)
    pop, push, extend, add = stack.pop, stack.append, stack.extend, nodes.append
    while stack:
        node = pop()
        add(node)
        tp = type(node)
        if tp is Lit:
            pass
        elif tp is Bitext:
            push(node.first)
            for lang, translation in node.translations:
                push(lang)
                push(translation)
        elif tp is Block:
            blocks.append(node)
            push(node.header)
            extend(node.body)
        elif tp is Entry:
            entries.append(node)
            push(node.header)
            push(node.value)
        elif tp is Bare:
            push(node.header)
        elif tp is Header:
            extend(node.words)
            if node.title is not None:
                push(node.title)
        elif tp is Phrase or tp is ListNode:
            extend(node.items)
        elif tp is BinOp:
            push(node.left)
            push(node.right)
        elif tp is Group:
            push(node.expr)
        elif tp is Call:
            extend(node.args)
        elif tp is not Comment:  # pragma: no cover - every node class is listed above
            raise TypeError(f"cannot shift {tp.__name__}")
    return nodes, blocks, entries


def shift_flat(flat: Flat, delta: int) -> None:
    """Move the nodes :func:`flatten` found `delta` code points along the text, in place."""
    nodes, blocks, entries = flat
    for node in nodes:
        node.start += delta
        node.end += delta
    for block in blocks:
        block.open += delta
        block.close += delta
    for entry in entries:
        entry.colon += delta
