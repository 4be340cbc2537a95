"""Drive Lark's LALR tables with bpolang's tokens, building syntax nodes as it reduces.

The callbacks build :mod:`bpolang.syntax.nodes` directly during the parse, so
there is no intermediate Lark tree.  On a syntax error the parser reports it
in words, returns to the state saved at the start of the failing statement,
skips to the end of that statement and goes on: one typo gives one error and
the rest of the file is still read.

A block left open (a `{` typed, its `}` not yet) would take every later statement of
the file into it.  So when the text has more `{` than `}`, a block still open where a
line starts no deeper than the block's own header is closed there, with one error at its
`{`: the damage stays in the statement being typed, and the rest of the file reads as it did.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from bpolang.syntax.grammar import tables
from bpolang.syntax.lexer import Token, indentation, lex
from bpolang.syntax.nodes import (
    Bare,
    BinOp,
    Bitext,
    Block,
    Call,
    Comment,
    Entry,
    Flat,
    Group,
    Header,
    ListNode,
    Lit,
    Node,
    Phrase,
    Statement,
    flatten,
    iter_nodes,
    shift_flat,
    shift_nodes,
)

MAX_SYNTAX_ERRORS = 50


@dataclass
class SyntaxProblem:
    code: str
    message: str
    start: int
    end: int
    help: str | None = None
    label: tuple[int, int, str] | None = None
    lexical: bool = False  # found by the lexer (those come first, in the order of the text)


@dataclass
class Checkpoint:
    """The parser's stacks at the start of a statement one block deep (see :func:`reparse`)."""

    states: list[int]
    values: list
    opened: list[Token]


@dataclass
class ParseResult:
    body: list[Statement]
    comments: list[Comment]
    problems: list[SyntaxProblem] = field(default_factory=list)
    # offset of each statement start one block deep -> the stacks there
    checkpoints: dict[int, Checkpoint] = field(default_factory=dict)
    truncated: bool = False  # the lexer stopped early, or a `}` was invented at the end
    open_excess: int = 0  # how many more `{` than `}` the tokens have (> 0: blocks close by indentation)
    # id of a statement of the body moved by an incremental re-parse -> (it, its nodes flattened):
    # typing moves the same statements again and again
    flat: dict[int, tuple[Statement, Flat]] = field(default_factory=dict)
    # id of a statement of the body -> (it, it and the statements in it, depth first)
    ordered: dict[int, tuple[Statement, list[Statement]]] = field(default_factory=dict)
    _statements: list[Statement] | None = field(default=None, repr=False, compare=False)  # (init: mypyc)

    def statements(self) -> list[Statement]:
        """Every statement, depth first (as iter_nodes gives them), computed once.  The lists of
        the statements an incremental re-parse kept are those of the parse before."""
        if self._statements is None:
            known, ordered = self.ordered, {}
            out: list[Statement] = []
            for top in self.body:
                out.append(top)
                for stmt in top.body if isinstance(top, Block) else ():
                    hit = known.get(id(stmt))
                    if hit is None or hit[0] is not stmt:
                        hit = (stmt, list(iter_nodes([stmt])))
                    ordered[id(stmt)] = hit
                    out.extend(hit[1])
            self.ordered = ordered
            self._statements = out
        return self._statements


class _Cons:
    """An immutable list cell: saved parser states may share it safely."""

    __slots__ = ("prev", "item")

    def __init__(self, prev: _Cons | None, item) -> None:
        self.prev = prev
        self.item = item


def _unroll(cons: _Cons | None) -> list:
    out = []
    while cons is not None:
        out.append(cons.item)
        cons = cons.prev
    out.reverse()
    return out


_PUNCT = {"COMMA", "_TERM"}


def _accumulate(children):
    prev = None
    for c in children:
        if c is None:
            continue
        if isinstance(c, _Cons):
            prev = c
        elif isinstance(c, Token) and c.type in _PUNCT:
            continue
        else:
            prev = _Cons(prev, c)
    return prev


def _lit(tok: Token) -> Lit:
    return Lit(tok.type, tok.value, tok.start_pos, tok.end_pos)


def _as_node(x):
    return _lit(x) if isinstance(x, Token) else x


def _seq(children):
    prev = None
    for c in children:
        if isinstance(c, _Cons):
            # flatten a helper accumulation onto what came before
            items = _unroll(c)
            for it in items:
                prev = _Cons(prev, it)
        elif c is None or isinstance(c, Token):
            continue
        else:
            prev = _Cons(prev, c)
    return prev


def _start(children):
    return _unroll(_seq(children))


def _block(children):
    header, lbrace = children[0], children[1]
    rbrace = children[-1]
    body = _unroll(_seq(children[2:-1]))
    block = Block(header, body, lbrace.start_pos, rbrace.start_pos)
    block.end = rbrace.end_pos  # an invented `}` at the end of the file has no width
    return block


def _entry(children):
    header, colon, phrase = children
    return Entry(header, phrase, colon.start_pos)


def _bare(children):
    return Bare(children[0])


def _header(children):
    words: list[Lit] = []
    title: Lit | None = None
    for c in children:
        if isinstance(c, _Cons):
            words.extend(_lit(t) for t in _unroll(c))
        elif isinstance(c, Bitext):
            title = c
        elif c.type == "STRING":
            title = _lit(c)
        else:
            words.append(_lit(c))
    return Header(words, title)


def _translation(children):
    marker, text = children
    # `/ en:` is one token: the language code alone is the LANG literal, for a caret under it
    inner = marker.value[1:-1]
    code = inner.strip()
    start = marker.start_pos + 1 + (len(inner) - len(inner.lstrip()))
    return (Lit("LANG", code, start, start + len(code)), _lit(text))


def _translated(children):
    first = _lit(children[0])
    pairs: list[tuple[Lit, Lit]] = []
    for c in children[1:]:
        if isinstance(c, _Cons):
            pairs.extend(_unroll(c))
        else:
            pairs.append(c)
    return Bitext(first, pairs)


def _phrase(children):
    items: list[Node] = []
    for c in children:
        if isinstance(c, _Cons):
            items.extend(_as_node(x) for x in _unroll(c))
        else:
            items.append(_as_node(c))
    return Phrase(_glue_money(items))


def _glue_money(items: list[Node]) -> list[Node]:
    """`15000 EUROS`: a number and a capitalised code read as one amount with a currency to check.

    MONEY takes exactly three capitals; a mistyped code (`EUROS`, `EU`) would otherwise break every
    amount that uses it into "expects an amount" errors and empty values, one mistake read as many.
    Read as an amount, it is reported once, as an unknown currency (BPO017), and the value stays.
    """
    out: list[Node] = []
    for node in items:
        prev = out[-1] if out else None
        if (
            isinstance(node, Lit)
            and node.kind == "NAME"
            and isinstance(prev, Lit)
            and prev.kind == "NUMBER"
            and 2 <= len(node.text) <= 6
            and node.text.isalpha()
            and node.text.isupper()
        ):
            out[-1] = Lit("MONEY", f"{prev.text} {node.text}", prev.start, node.end)
            continue
        out.append(node)
    return out


def _binop(op):
    def build(children):
        left, _, right = children
        return BinOp(op, _as_node(left), _as_node(right))

    return build


def _group(children):
    lpar, inner, rpar = children
    return Group(_as_node(inner), lpar.start_pos, rpar.end_pos)


def _phrases(children):
    out = []
    for c in children:
        if isinstance(c, _Cons):
            out.extend(_unroll(c))
        elif isinstance(c, Phrase):
            out.append(c)
    return out


def _list(children):
    return ListNode(_phrases(children), children[0].start_pos, children[-1].end_pos)


def _call(children):
    func = children[0]
    return Call(str(func)[:-1], _phrases(children), func.start_pos, children[-1].end_pos)


class UnexpectedToken(Exception):
    """The token cannot come next; `expected` names the terminals that could."""

    def __init__(self, token: Token, expected: set[str]) -> None:
        super().__init__(token.type)
        self.token = token
        self.expected = expected


@dataclass(frozen=True)
class Tables:
    """Lark's LALR tables recast for a tight loop: no Rule objects hashed per reduction.

    ``actions[state][symbol]`` is ``(True, next_state)`` for a shift and
    ``(False, (size, callback, rule_name))`` for a reduction; the callback is None for a
    one-child rule that passes its child through.
    """

    actions: dict[int, dict[str, tuple]]
    start: int
    end: int


@functools.lru_cache(maxsize=1)
def _tables() -> Tables:
    data = tables()
    named = {
        "start": _start,
        "block": _block,
        "entry": _entry,
        "bare": _bare,
        "header": _header,
        "translated": _translated,
        "translated_title": _translated,
        "translation": _translation,
        "phrase": _phrase,
        "list": _list,
        "call": _call,
        "add": _binop("+"),
        "sub": _binop("-"),
        "mul": _binop("*"),
        "div": _binop("/"),
        "group": _group,
        "_seq": _seq,
        "accumulate": _accumulate,
        "pass": None,
    }
    reductions = [(size, named[callback], origin) for origin, size, callback in data["rules"]]
    actions: dict[int, dict[str, tuple]] = {}
    for state, row in data["states"].items():
        actions[int(state)] = {
            sym: (True, arg) if kind == 0 else (False, reductions[arg]) for sym, (kind, arg) in row.items()
        }
    return Tables(actions, data["start"], data["end"])


class ParserState:
    """The LALR stacks, fed one token at a time (Lark's own loop, without its per-token costs)."""

    __slots__ = ("actions", "end", "state_stack", "value_stack")

    def __init__(self, tables: Tables) -> None:
        self.actions = tables.actions
        self.end = tables.end
        self.state_stack: list[int] = [tables.start]
        self.value_stack: list = []

    def feed_token(self, token: Token, is_end: bool = False):
        """Shift `token` after the reductions it allows; at the end, return the parse's value."""
        actions = self.actions
        states = self.state_stack
        values = self.value_stack
        kind = token.type
        while True:
            row = actions[states[-1]]
            act = row.get(kind)
            if act is None:
                raise UnexpectedToken(token, {s for s in row if s.isupper()})
            shift, arg = act
            if shift:
                states.append(arg)
                values.append(token)
                return None
            size, callback, origin = arg
            if callback is None:
                # `x: y` with one child: the value stays, only the state changes
                states.pop()
                states.append(actions[states[-1]][origin][1])
                if is_end and states[-1] == self.end:
                    return values[-1]
                continue
            if size:
                children = values[-size:]
                del states[-size:]
                del values[-size:]
            else:
                children = []
            value = callback(children)
            states.append(actions[states[-1]][origin][1])
            values.append(value)
            if is_end and states[-1] == self.end:
                return values[-1]


# ---------------------------------------------------------------- messages

_DESCRIBE = {
    "NAME": "a name",
    "STRING": 'a quoted string such as "Title"',
    "TEXT": 'a text block `"""..."""`',
    "DATE": "a date such as `2027-01-01`",
    "TIME": "a time such as `17:00`",
    "MONTHDAY": "a day of the year such as `03-31`",
    "MONEY": "an amount such as `8500 EUR`",
    "DURATION": "a duration such as `30 days`",
    "PERCENT": "a percentage such as `98%`",
    "NUMBER": "a number",
    "FUNC": "a function such as `max(`",
    "TRANSLATION": 'a translation such as `/ en: "Monthly report"`',
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "COMMA": "`,`",
    "COLON": "`:`",
    "PLUS": "`+`",
    "MINUS": "`-`",
    "STAR": "`*`",
    "SLASH": "`/`",
    "_TERM": "a new line or `;`",
    "$END": "the end of the file",
}

_VALUE_START = {
    "DATE",
    "TIME",
    "MONTHDAY",
    "MONEY",
    "DURATION",
    "PERCENT",
    "NUMBER",
    "STRING",
    "TEXT",
    "NAME",
    "LSQB",
    "FUNC",
    "LPAR",
}


def _describe_token(tok: Token) -> str:
    if tok.type == "$END":
        return "the end of the file"
    if tok.type == "_TERM":
        return "the end of the line" if str(tok) != ";" else "`;`"
    text = str(tok)
    if len(text) > 30:
        text = text[:27] + "..."
    return f"`{text}`"


def _expected_words(expected: set[str]) -> str:
    if expected >= _VALUE_START - {"TEXT"}:
        rest = sorted(expected - _VALUE_START)
        words = ["a value"] + [_DESCRIBE.get(e, e) for e in rest]
    else:
        order = sorted(expected, key=lambda e: (e not in ("_TERM", "RBRACE", "COLON", "LBRACE"), e))
        words = [_DESCRIBE.get(e, f"`{e}`") for e in order]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _problem(err: UnexpectedToken, tokens: list[Token], i: int, opened: list[Token], stmt_start: int) -> SyntaxProblem:
    tok = err.token
    expected = set(err.expected)
    prev = tokens[i - 1] if i > 0 else None
    brackets: list[Token] = []
    for t in tokens[stmt_start:i]:
        if t.type in ("LSQB", "LPAR", "FUNC"):
            brackets.append(t)
        elif t.type in ("RSQB", "RPAR") and brackets:
            brackets.pop()
    if brackets and tok.type not in ("RSQB", "RPAR"):
        b = brackets[-1]
        closer = "]" if b.type == "LSQB" else ")"
        return SyntaxProblem(
            "BPO001",
            f"`{str(b)[-1]}` is never closed: expected `,` or `{closer}`, found {_describe_token(tok)}",
            b.start_pos,
            b.end_pos,
            f"close it with `{closer}`",
        )
    if tok.type == "$END" and "RBRACE" in expected and opened:
        lb = opened[-1]
        return SyntaxProblem(
            "BPO001",
            "expected `}` to close the block opened here, found the end of the file",
            lb.start_pos,
            lb.end_pos,
            "add the missing `}`",
        )
    if opened:
        expected.discard("$END")  # a block is open: the file cannot end here
    if prev is not None and prev.type == "RBRACE" and tok.type == "NAME" and "_TERM" in expected:
        # `{} party ...` on one line: a separator is missing after the block
        return SyntaxProblem(
            "BPO001",
            f"expected a new line or `;` before `{tok}`",
            prev.end_pos,
            prev.end_pos,
            f"put `{tok} ...` on its own line",
        )
    if (
        tok.type == "COLON"
        and prev is not None
        and prev.type == "NAME"
        and i >= 2
        and tokens[i - 2].type not in ("_TERM", "LBRACE", "NAME")
    ):
        # `target: 98% window: monthly` -- a separator is missing before `window`.
        before = tokens[i - 2]
        return SyntaxProblem(
            "BPO001",
            f"expected a new line or `;` before `{prev}`",
            before.end_pos,
            before.end_pos,
            f"put `{prev}: ...` on its own line, or separate the statements with `;`",
        )
    if tok.type in _VALUE_START and "COLON" in expected and prev is not None and prev.type in ("NAME", "STRING"):
        return SyntaxProblem(
            "BPO001",
            f"expected `:` after `{prev}`, found {_describe_token(tok)}",
            prev.end_pos,
            prev.end_pos,
            f"write `{prev}: {tok}`",
        )
    if tok.type == "RBRACE" and prev is not None and prev.type == "COLON":
        # `effective:` then `}`: the new line before `}` is folded away, so the parser meets `}`;
        # what is missing is the value, just after the colon.
        key = tokens[i - 2] if i >= 2 and tokens[i - 2].type == "NAME" else None
        return SyntaxProblem(
            "BPO001",
            f"expected a value after `{key}:`" if key is not None else "expected a value after `:`",
            prev.end_pos,
            prev.end_pos,
            "write the value after the colon, or remove the key",
        )
    if tok.type == "RBRACE" and not opened:
        return SyntaxProblem("BPO001", "unmatched `}`: no block is open here", tok.start_pos, tok.end_pos, "remove it")
    if tok.type == "$END" or tok.type == "_TERM":
        # Point just after the last real token: that is where something is missing.
        where = prev.end_pos if prev is not None else 0
        return SyntaxProblem(
            "BPO001",
            f"expected {_expected_words(expected)}, found {_describe_token(tok)}",
            where,
            where,
        )
    return SyntaxProblem(
        "BPO001",
        f"expected {_expected_words(expected)}, found {_describe_token(tok)}",
        tok.start_pos,
        tok.end_pos,
    )


def parse_text(text: str) -> ParseResult:
    """Parse .bpo text into statements, comments and syntax problems (never raises on input)."""
    from bpolang.base.gcpause import paused_gc

    with paused_gc():
        return _parse_tokens(text)


def _parse_tokens(text: str) -> ParseResult:
    lexed = lex(text)
    excess = brace_excess(lexed.tokens)
    if excess > 0:  # a block is left open: lex again, brackets ending by indentation too
        lexed = lex(text, by_indent=True)
    problems = [SyntaxProblem(e.code, e.message, e.start, e.end, e.help, lexical=True) for e in lexed.errors]
    run = _Run(lexed, problems, ParserState(_tables()), [], text, excess > 0)
    body = run.drive(True)
    return ParseResult(
        body if body is not None else [], lexed.comments, problems, run.checkpoints, lexed.truncated, excess
    )


def brace_excess(tokens: list[Token]) -> int:
    """How many more `{` than `}` there are among the tokens."""
    excess = 0
    for t in tokens:
        if t.type == "LBRACE":
            excess += 1
        elif t.type == "RBRACE":
            excess -= 1
    return excess


def _end_before(tokens: list[Token], i: int) -> int:
    """Where the last token before `tokens[i]` ends, its line's terminator not counted."""
    j = i - 1 if i and tokens[i - 1].type != "_TERM" else i - 2
    return tokens[j].end_pos if j >= 0 else (tokens[i].start_pos if i < len(tokens) else 0)


class _Run:
    """One pass of the parser over a token list, with the statement-level error recovery.

    `drive(True)` parses to the end of the text; `drive(False)` feeds one stretch of tokens
    and stops after the last one, its stacks left as they are (incremental re-parsing).
    At each statement start one block deep, the stacks are kept in `checkpoints`: a later
    re-parse of that statement starts from them.  With `by_indent` (the text has more `{` than
    `}`), blocks also close where a line starts no deeper than their header (see the module).
    """

    def __init__(
        self, lexed, problems: list[SyntaxProblem], state: ParserState, opened: list[Token], text: str, by_indent: bool
    ) -> None:
        self.lexed = lexed
        self.problems = problems
        self.state = state
        self.opened = opened  # the `{` tokens currently open
        self.text = text
        self.text_len = len(text)
        self.by_indent = by_indent
        self.checkpoints: dict[int, Checkpoint] = {}
        self.syntax_errors = 0
        self.at_stmt_start = True
        self.overran = False

    def drive(self, to_end: bool):
        lexed, problems, state, opened = self.lexed, self.problems, self.state, self.opened
        tokens = lexed.tokens
        checkpoints = self.checkpoints
        n = len(tokens)
        # Checkpoint: parser stacks at the start of the current statement.
        ck_states = list(state.state_stack)
        ck_values = list(state.value_stack)
        ck_opened: list[Token] = list(opened)
        ck_index = 0
        last_error_at = -1
        at_stmt_start = self.at_stmt_start
        i = 0
        text_len = self.text_len
        end_tok = Token("$END", "", text_len, text_len)
        result = None
        while True:
            if i < n:
                tok = tokens[i]
            elif not to_end:
                self.at_stmt_start = at_stmt_start
                return None
            else:
                tok = end_tok
            if at_stmt_start and self.by_indent and len(opened) > 1 and tok is not end_tok:
                if self._close_by_indent(tok, _end_before(tokens, i)):
                    continue
            if at_stmt_start:
                ck_states = list(state.state_stack)
                ck_values = list(state.value_stack)
                ck_opened = list(opened)
                ck_index = i
                if len(opened) == 1:
                    checkpoints[tok.start_pos] = Checkpoint(ck_states, ck_values, ck_opened)
            try:
                result = state.feed_token(tok, tok is end_tok)
            except UnexpectedToken as err:
                if tok.type != "ERROR" and not (lexed.truncated and tok is end_tok) and i != last_error_at:
                    self.syntax_errors += 1
                    if self.syntax_errors <= MAX_SYNTAX_ERRORS:
                        problems.append(_problem(err, tokens, i, opened, ck_index))
                if tok is end_tok:
                    if opened and self._close_at_end(ck_states, ck_values):
                        at_stmt_start = False
                        continue
                    return []
                # Resynchronise: back to the statement start, skip to its end.
                state.state_stack[:] = ck_states
                state.value_stack[:] = ck_values
                opened[:] = ck_opened
                i, last_error_at = self._skip_statement(i, ck_index, last_error_at)
                at_stmt_start = True
                continue
            if tok is end_tok:
                return result
            t = tok.type
            if t == "LBRACE":
                opened.append(tok)
            elif t == "RBRACE" and opened:
                opened.pop()
            at_stmt_start = t in ("_TERM", "LBRACE", "RBRACE")
            i += 1

    def _close_at_end(self, ck_states: list, ck_values: list) -> bool:
        """At the end of the text, close the innermost open block so the good part is kept:
        first as things stand, else from the start of the statement.  False if neither reads."""
        state = self.state
        closer = Token("RBRACE", "}", self.text_len, self.text_len)
        for attempt in (0, 1):
            if attempt:
                state.state_stack[:] = ck_states
                state.value_stack[:] = ck_values
            saved = (list(state.state_stack), list(state.value_stack))
            try:
                state.feed_token(closer)
                break
            except UnexpectedToken:
                state.state_stack[:], state.value_stack[:] = saved
        else:
            return False
        self.opened.pop()
        self.lexed.truncated = True  # the closing brace was invented: no second report
        return True

    def _skip_statement(self, i: int, ck_index: int, last_error_at: int) -> tuple[int, int]:
        """After an error, the index of the token that ends the broken statement (the parser's
        stacks are already back at its start), and the index of the error for the next one."""
        tokens = self.lexed.tokens
        n = len(tokens)
        tables = _tables()
        state = self.state
        depth = 0
        err_at = i
        # with blocks closing by indentation, a broken statement also ends before a line
        # no deeper than its own first line (a `{` it opened swallows no later line)
        stmt_indent = indentation(self.text, tokens[ck_index].start_pos)[0] if self.by_indent else -1
        while i < n:
            t = tokens[i].type
            if stmt_indent >= 0 and i > ck_index and t != "_TERM" and not (t == "RBRACE" and depth):
                indent, first = indentation(self.text, tokens[i].start_pos)
                if first and indent <= stmt_indent:
                    break
            if t == "LBRACE":
                depth += 1
            elif t == "RBRACE":
                if depth == 0:
                    break  # closes the enclosing block: feed it
                depth -= 1
            elif t == "_TERM" and depth == 0:
                # After a `}` the restored state still waits for the separator: feed it.
                if "_TERM" not in tables.actions[state.state_stack[-1]]:
                    i += 1
                break
            i += 1
        else:
            self.overran = True  # the statement's end is not among the tokens
        if i == err_at:
            if err_at == last_error_at:
                i += 1  # the same `}` failed twice from a statement start: drop it to make progress
            last_error_at = err_at
        return i, last_error_at

    def peek(self, tok: Token, where: int) -> None:
        """At the end of a stretch, close the blocks that the next token, `tok`, would close."""
        while self.at_stmt_start and self.by_indent and len(self.opened) > 1 and self._close_by_indent(tok, where):
            pass

    def _close_by_indent(self, tok: Token, where: int) -> bool:
        """Close the innermost block if `tok` starts a line no deeper than its header; True if closed.

        A `}` as deep as the header is that block's own; the outermost block never closes so.
        """
        indent, first = indentation(self.text, tok.start_pos)
        lb = self.opened[-1]
        header = indentation(self.text, lb.start_pos)[0]
        if not first or indent > header or (tok.type == "RBRACE" and indent == header):
            return False
        state = self.state
        saved = (list(state.state_stack), list(state.value_stack))
        try:
            state.feed_token(Token("RBRACE", "}", where, where))
            if tok.type != "RBRACE":
                state.feed_token(Token("_TERM", "", where, where))
        except UnexpectedToken:
            state.state_stack[:], state.value_stack[:] = saved
            return False
        self.opened.pop()
        self.syntax_errors += 1
        if self.syntax_errors <= MAX_SYNTAX_ERRORS:
            self.problems.append(
                SyntaxProblem(
                    "BPO001",
                    "this block is never closed: expected `}` before the next line indented no deeper than it",
                    lb.start_pos,
                    lb.end_pos,
                    "add the missing `}`",
                )
            )
        return True


@dataclass
class Stretch:
    """A re-parse of some statements of the outermost block: what replaces what.

    The statements `[first, stop)` of the block's body in the old text (`old_start` to
    `old_end`) are replaced by `statements`, read from the new text; everything after them
    is `delta` code points further on.  Nothing is changed until :meth:`commit`.
    """

    base: ParseResult
    block: Block
    first: int
    stop: int
    old_start: int
    old_end: int
    delta: int
    statements: list[Statement]
    problems: list[SyntaxProblem]
    comments: list[Comment]
    checkpoints: dict[int, Checkpoint]
    open_excess: int

    def commit(self) -> ParseResult:
        """The new parse; the old one is given up (its later statements and comments move in place)."""
        base, block, delta, old_end = self.base, self.block, self.delta, self.old_end
        later = block.body[self.stop :]
        moved = [c for c in base.comments if c.start >= old_end]
        known, flat = base.flat, {}
        for stmt in later:
            hit = known.get(id(stmt))
            if hit is None or hit[0] is not stmt:
                hit = (stmt, flatten([stmt]))
            flat[id(stmt)] = hit
            shift_flat(hit[1], delta)
        shift_nodes(moved, delta)
        top = Block(block.header, block.body[: self.first] + self.statements + later, block.open, block.close + delta)
        top.end = block.end + delta
        problems = [p for p in base.problems if p.start < self.old_start] + self.problems
        problems += [_moved_problem(p, delta) for p in base.problems if p.start >= old_end]
        problems.sort(key=lambda p: not p.lexical)  # as one pass gives them: the lexer's first
        comments = [c for c in base.comments if c.start < self.old_start] + self.comments + moved
        checkpoints = {k: v for k, v in base.checkpoints.items() if k < self.old_start}
        checkpoints.update(self.checkpoints)
        checkpoints.update((k + delta, v) for k, v in base.checkpoints.items() if k >= old_end)
        return ParseResult(
            [top], comments, problems, checkpoints, open_excess=self.open_excess, flat=flat, ordered=base.ordered
        )


def _moved_problem(p: SyntaxProblem, delta: int) -> SyntaxProblem:
    label = (p.label[0] + delta, p.label[1] + delta, p.label[2]) if p.label else None
    return SyntaxProblem(p.code, p.message, p.start + delta, p.end + delta, p.help, label, p.lexical)


def _first_on_line(text: str, offset: int) -> int | None:
    """Where the line of `offset` starts, if only blanks come before it there; else None."""
    start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return start if text[start:offset].strip(" \t\f") == "" else None


def reparse(base: ParseResult, old_text: str, text: str, edit_start: int, edit_end: int, delta: int) -> Stretch | None:
    """Re-parse only the statements an edit touched, when that gives exactly the whole parse.

    `old_text[edit_start:edit_end]` became `text[edit_start:edit_end + delta]`; `base` is
    the parse of `old_text`.  The edit must fall inside the one top-level block; the
    statements of its body around the edit, each alone on its line, are lexed and parsed
    again from the parser's stacks saved at the first of them, and the result is kept only
    when the parser ends in the very state it was in before the next untouched statement --
    from there on the old parse is the new one, moved.  None when that does not hold (the
    caller parses the whole text).
    """
    if len(base.body) != 1 or base.truncated or len(base.problems) >= MAX_SYNTAX_ERRORS // 2:
        return None
    block = base.body[0]
    if not isinstance(block, Block) or not (block.open < edit_start and edit_end <= block.close):
        return None
    body = block.body
    # the first statement to read again: the last one starting before the edit, alone on its line
    first = next((k for k in range(len(body) - 1, -1, -1) if body[k].start < edit_start), None)
    while first is not None and (
        _first_on_line(old_text, body[first].start) is None or body[first].start not in base.checkpoints
    ):
        first = first - 1 if first > 0 else None
    if first is None:
        return None
    old_start = body[first].start
    # the first statement not read again: after the edit, on a later line than it
    stop = first + 1
    while stop < len(body):
        line_start = _first_on_line(old_text, body[stop].start)
        if line_start is not None and line_start > edit_end and body[stop].start in base.checkpoints:
            break
        stop += 1
    old_end = body[stop].start if stop < len(body) else block.close
    if stop == len(body):
        line_start = _first_on_line(old_text, old_end)
        if line_start is None or line_start <= edit_end or old_end not in base.checkpoints:
            return None
    before, after = base.checkpoints[old_start], base.checkpoints[old_end]
    new_end = old_end + delta
    by_indent = base.open_excess > 0
    lexed = lex(text, old_start, new_end, depth=len(before.opened), by_indent=by_indent)
    tokens = lexed.tokens
    if lexed.truncated or not tokens or tokens[0].start_pos != old_start:
        return None
    if stop < len(body):
        # the statement before the next one is ended (or, blocks closing by indentation, opens one)
        if tokens[-1].type != "_TERM" and not (by_indent and tokens[-1].type == "LBRACE"):
            return None
    elif tokens[-1].type == "_TERM":
        tokens.pop()  # a line break before `}` is not a terminator
    # blocks close by indentation in the whole text or not at all: the stretch cannot change that
    old_lexed = lex(old_text, old_start, old_end, depth=len(before.opened))
    excess = base.open_excess - brace_excess(old_lexed.tokens) + brace_excess(tokens)
    if old_lexed.truncated or (excess > 0) != by_indent:
        return None
    problems = [SyntaxProblem(e.code, e.message, e.start, e.end, e.help, lexical=True) for e in lexed.errors]
    state = ParserState(_tables())
    state.state_stack = list(before.states)
    state.value_stack = list(before.values)
    run = _Run(lexed, problems, state, list(before.opened), text, by_indent)
    run.drive(False)
    if by_indent:  # the next statement (or the block's `}`) may close blocks the stretch left open
        words = body[stop].header.words if stop < len(body) else None
        kind = "RBRACE" if stop == len(body) else (words[0].kind if words else "NAME")
        run.peek(Token(kind, "", new_end, new_end), _end_before(tokens, len(tokens)))
    if (
        not run.at_stmt_start
        or run.overran
        or state.state_stack != after.states
        or len(state.value_stack) != len(after.values)
        or len(run.opened) != len(after.opened)
        or any(a is not b for a, b in zip(run.opened, after.opened))
        or run.syntax_errors + len(base.problems) >= MAX_SYNTAX_ERRORS // 2
        or any(p.start < old_start or p.end > new_end for p in problems)
        or any(p.start < old_start < p.end or p.start < old_end < p.end for p in base.problems)
    ):
        return None
    # Close the block and end the text on the stacks, to have the statements reduced; those
    # the stacks held before the stretch are the earlier ones, whatever their version.
    earlier = {id(item) for v in before.values for item in (_unroll(v) if isinstance(v, _Cons) else (v,))}
    try:
        state.feed_token(Token("RBRACE", "}", new_end, new_end))
        closed = state.feed_token(Token("$END", "", len(text), len(text)), True)
    except UnexpectedToken:
        return None
    if not closed or not isinstance(closed[-1], Block):
        return None
    statements = [s for s in closed[-1].body if id(s) not in earlier]
    return Stretch(
        base,
        block,
        first,
        stop,
        old_start,
        old_end,
        delta,
        statements,
        problems,
        lexed.comments,
        run.checkpoints,
        excess,
    )
