"""Where an offset is in a contract: pure functions over the tokens, for the editor.

They work on text that does not parse (the normal case while typing): only the lexer runs,
and blocks are matched by their braces.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bpolang.syntax.lexer import Token, lex
from bpolang.syntax.nodes import Block, Statement


@dataclass
class Frame:
    """An open block: the words of its header and the first word of each statement in it."""

    header: list[str]
    open: int
    close: int | None = None
    keywords: list[tuple[str, int]] = field(default_factory=list)  # (first word, its offset)


@dataclass
class Cursor:
    """What surrounds an offset: enclosing blocks, the statement and the token under it."""

    offset: int
    frames: list[Frame]
    statement: list[Token]  # the tokens of the statement holding the offset
    token: Token | None  # the token under (or just before) the offset
    prefix: str  # the part of a name typed before the offset

    @property
    def path(self) -> list[str]:
        """The keywords of the enclosing blocks, outermost first."""
        return [f.header[0] if f.header else "" for f in self.frames]

    @property
    def before(self) -> list[Token]:
        """The statement's tokens wholly before the offset, without the name being typed."""
        out = [t for t in self.statement if t.end_pos <= self.offset]
        if self.prefix and out and out[-1].end_pos == self.offset and out[-1].type == "NAME":
            out.pop()
        return out

    @property
    def key(self) -> str | None:
        """The key of an entry when the offset is in its value (`target: 9|`)."""
        words: list[str] = []
        for t in self.before:
            if t.type == "COLON":
                return words[0] if words else None
            words.append(str(t))
        return None

    @property
    def in_header(self) -> bool:
        """True when the offset is among the words before `:` or `{`."""
        return not any(t.type in ("COLON",) for t in self.before)

    @property
    def value_tokens(self) -> list[Token]:
        """The value's tokens before the offset (after the `:`)."""
        before = self.before
        for i, t in enumerate(before):
            if t.type == "COLON":
                return before[i + 1 :]
        return []

    def present(self) -> set[str]:
        """First words of the other statements of the enclosing block."""
        if not self.frames:
            return set()
        start = self.statement[0].start_pos if self.statement else -1
        return {w for w, at in self.frames[-1].keywords if at != start}


def cursor_at(text: str, offset: int, tokens: list[Token] | None = None) -> Cursor:
    """The context of an offset (code points) in text."""
    if tokens is None:
        tokens = lex(text).tokens
    stack: list[Frame] = []
    stmt: list[Token] = []
    found: Cursor | None = None
    for tok in tokens:
        if found is None and tok.start_pos >= offset:
            found = _freeze(offset, stack, stmt, tokens, text)
        t = tok.type
        if t == "LBRACE":
            stack.append(Frame([str(x) for x in stmt if x.type == "NAME"], tok.start_pos))
            stmt = []
        elif t == "RBRACE":
            if stack:
                stack.pop().close = tok.start_pos
            stmt = []
        elif t == "_TERM":
            stmt = []
        else:
            if not stmt and t == "NAME" and stack:
                stack[-1].keywords.append((str(tok), tok.start_pos))
            stmt.append(tok)
    if found is None:
        found = _freeze(offset, stack, stmt, tokens, text)
    return found


def cursor_in_window(text: str, offset: int, outline: Block, first: int, stop: int, delta: int) -> Cursor | None:
    """The context of an offset, lexing only the statements `[first, stop)` of the outermost block.

    `outline` is the outermost block of an earlier version of the text, which an edit turned
    into `text`: the edit lies within those statements, so the statements before them stand
    where they stood and those after, `delta` code points further.  They take part by their
    first word only: an editor asks completion on every keystroke, and lexing a whole long
    contract costs more than the answer may take.  None when a `[` or `(` is left open at the
    end of the window (the next statement is then read into it).
    """
    body = outline.body
    start = body[first].start
    stop_at = (body[stop].start if stop < len(body) else outline.close) + delta
    tokens = [Token(w.kind, w.text, w.start, w.end) for w in outline.header.words]
    tokens.append(Token("LBRACE", "{", outline.open, outline.open + 1))
    tokens += _first_words(body[:first], 0)
    window = lex(text, start, stop_at, depth=1)
    if window.brackets:
        return None
    tokens += window.tokens
    if tokens[-1].type != "_TERM":
        tokens.append(Token("_TERM", "", stop_at, stop_at))
    tokens += _first_words(body[stop:], delta)
    return cursor_at(text, offset, tokens)


def _first_words(statements: list[Statement], delta: int) -> list[Token]:
    """The first word of each statement, `delta` further on, each as a statement of its own."""
    out: list[Token] = []
    for s in statements:
        if s.header.words:
            w = s.header.words[0]
            out += [
                Token(w.kind, w.text, w.start + delta, w.end + delta),
                Token("_TERM", "", w.end + delta, w.end + delta),
            ]
    return out


def _freeze(offset: int, stack: list[Frame], stmt: list[Token], tokens: list[Token], text: str) -> Cursor:
    if stmt and _ends_before(stmt, text, offset):
        stmt = []  # the lexer leaves a line break before `}` out: the offset is on a new statement
    # the statement continues after the offset up to its end: collect it for hover
    full = list(stmt)
    i = _index_after(tokens, offset)
    while i < len(tokens) and tokens[i].type not in ("_TERM", "LBRACE", "RBRACE"):
        full.append(tokens[i])
        i += 1
    under = None
    for t in full:
        if t.start_pos <= offset < t.end_pos:
            under = t
            break
    if under is None:
        for t in full:
            if t.end_pos == offset:
                under = t
    prefix = ""
    if under is not None and under.type == "NAME" and under.start_pos < offset <= under.end_pos:
        prefix = str(under)[: offset - under.start_pos]
    return Cursor(offset, list(stack), full, under, prefix)


def _ends_before(stmt: list[Token], text: str, offset: int) -> bool:
    """True when a line break or `;` outside brackets lies between the statement and the offset."""
    depth = 0
    for t in stmt:
        if t.type in ("LSQB", "LPAR", "FUNC"):
            depth += 1
        elif t.type in ("RSQB", "RPAR"):
            depth = max(depth - 1, 0)
    gap = text[stmt[-1].end_pos : offset]
    return ";" in gap or (depth == 0 and ("\n" in gap or "\r" in gap))


def _index_after(tokens: list[Token], offset: int) -> int:
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].start_pos < offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


def enclosing(body: list[Statement], offset: int) -> list[Statement]:
    """The statements of the syntax tree holding an offset, outermost first."""
    out: list[Statement] = []
    stmts = body
    while True:
        for s in stmts:
            if s.start <= offset <= s.end:
                out.append(s)
                if isinstance(s, Block) and s.open < offset <= s.close:
                    stmts = s.body
                    break
                return out
        else:
            return out
