"""bpolang's lexer: the grammar's terminals, one master regex, positions as offsets.

It differs from Lark's own lexer in what a contract needs: comments are kept
(the formatter must not lose them), newlines inside brackets are dropped so a
list may span lines, consecutive terminators are folded, nesting depth is
capped, and a bad character becomes one diagnostic and an ERROR token rather
than an exception, so the parser can recover and check the rest of the file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from bpolang.syntax.grammar import tables
from bpolang.syntax.nodes import Comment

MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 30

_OPEN = {"LBRACE", "LSQB", "LPAR", "FUNC"}
_CLOSE = {"RBRACE", "RSQB", "RPAR"}


class Token:
    """A terminal: its grammar name, its text and where it stands (code-point offsets).

    Lighter than Lark's own Token (a str subclass with line and column bookkeeping): the
    parser needs only these four fields, and a contract has tens of thousands of tokens.
    """

    __slots__ = ("type", "value", "start_pos", "end_pos")

    def __init__(self, type: str, value: str, start_pos: int, end_pos: int) -> None:  # noqa: A002 - Lark's name
        self.type = type
        self.value = value
        self.start_pos = start_pos
        self.end_pos = end_pos

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r}, {self.start_pos}, {self.end_pos})"


@functools.cache
def terminal(name: str) -> re.Pattern[str]:
    """One terminal of the grammar compiled alone, as the lexer reads it (a quick test of a text)."""
    return re.compile(dict(tables()["terminals"])[name])


@dataclass
class LexError:
    code: str
    message: str
    start: int
    end: int
    help: str | None = None


@dataclass
class LexResult:
    tokens: list[Token]
    comments: list[Comment]
    errors: list[LexError] = field(default_factory=list)
    truncated: bool = False
    brackets: int = 0  # `(` and `[` still open where the lexing stopped


@functools.lru_cache(maxsize=1)
def _master():
    parts = [r"(?P<NL>\r\n|\r|\n)", r"(?P<WS>[ \t\f]+)", r"(?P<COMMENT>#[^\r\n]*)", r"(?P<SEMI>;)"]
    # The grammar's terminals in Lark's order: priority, then longest possible match first.
    for name, regexp in tables()["terminals"]:
        parts.append(f"(?P<{name}>{regexp})")
    return re.compile("|".join(parts))


def lex(text: str, start: int = 0, stop: int | None = None, depth: int = 0, by_indent: bool = False) -> LexResult:
    """Split text into parser tokens; comments and errors go to the side.

    `start`, `stop` and `depth` lex one stretch of a text, as the whole text's lexing sees it
    there when `start` begins a statement `depth` blocks deep (incremental re-parsing): the
    text past `stop` is not looked at, and a terminator still pending at `stop` is kept.

    With `by_indent` (the parser's recovery for a text with a block left open), a `(` or `[`
    left open ends at the next line indented no deeper than the line it opened on, unless
    that line starts by closing it: the line break there is a terminator again.
    """
    master = _master()
    match = master.match
    tokens: list[Token] = []
    comments: list[Comment] = []
    errors: list[LexError] = []
    append = tokens.append
    pos = start
    n = len(text) if stop is None else stop
    brackets = 0  # depth of ( and [ : newlines inside are not terminators
    # `depth`: total nesting depth, capped
    pending_term: Token | None = None
    line_has_token = False
    last_type = None
    bracket_indent = 0  # with by_indent: the indentation of the line where the brackets opened
    while pos < n:
        m = match(text, pos, n)
        if m is None:
            if tokens and tokens[-1].type == "NAME" and tokens[-1].end_pos == pos and text[pos].isalpha():
                # `société`: report the whole word, not just its non-ASCII tail
                pos = tokens.pop().start_pos
                last_type = tokens[-1].type if tokens else None
            bad = _bad_input(text, pos, n)
            errors.append(bad)
            if pending_term is not None:
                append(pending_term)
                pending_term = None
            append(Token("ERROR", text[bad.start : bad.end], bad.start, bad.end))
            last_type = "ERROR"
            line_has_token = True
            pos = bad.end
            continue
        kind = m.lastgroup
        end = m.end()
        if kind == "STRING" and end - pos == 2 and text.startswith('"""', pos, n):
            # `""` then `"`: an unterminated text block, not an empty string
            bad = _bad_input(text, pos, n)
            errors.append(bad)
            append(Token("ERROR", text[bad.start : bad.end], bad.start, bad.end))
            return LexResult(tokens, comments, errors, truncated=True)
        if kind == "WS":
            pos = end
            continue
        if kind == "NL" or kind == "SEMI":
            if kind == "NL":
                line_has_token = False
                if brackets and by_indent and _ends_brackets(text, end, len(text), bracket_indent):
                    brackets = 0
            if brackets == 0 or kind == "SEMI":
                if last_type not in (None, "_TERM", "LBRACE") and pending_term is None:
                    pending_term = Token("_TERM", m.group(), pos, end)
            pos = end
            continue
        if kind == "COMMENT":
            comments.append(Comment(m.group(), pos, end, not line_has_token))
            pos = end
            continue
        value = m.group()
        if kind in _OPEN:
            depth += 1
            if kind != "LBRACE":
                if by_indent and not brackets:
                    bracket_indent = indentation(text, pos)[0]
                brackets += 1
            else:
                brackets = 0  # a block cannot open inside a value: resynchronise
            if depth > MAX_DEPTH:
                errors.append(
                    LexError(
                        "BPO005",
                        f"nesting is deeper than {MAX_DEPTH} levels",
                        pos,
                        end,
                        "flatten the structure; no contract needs this depth",
                    )
                )
                return LexResult(tokens, comments, errors, truncated=True)
        elif kind in _CLOSE:
            depth = max(depth - 1, 0)
            if kind == "RBRACE":
                brackets = 0
            elif brackets:
                brackets -= 1
        if pending_term is not None:
            # a `}` ends its block's last statement; a translation (`/ en: "..."`) on the next
            # line continues the text before it
            if kind != "RBRACE" and kind != "TRANSLATION":
                append(pending_term)
            pending_term = None
        if kind in ("NUMBER", "MONEY", "DURATION", "PERCENT"):
            digits = len(value) - len(value.lstrip("0123456789_."))
            if digits > MAX_NUMBER_DIGITS:
                errors.append(LexError("BPO002", f"number with more than {MAX_NUMBER_DIGITS} digits", pos, end))
                kind = "ERROR"
        append(Token(kind, value, pos, end))
        last_type = kind
        line_has_token = True
        pos = end
    if stop is not None and pending_term is not None:
        append(pending_term)  # the stretch ends before a statement, which takes it
    return LexResult(tokens, comments, errors, brackets=brackets)


def indentation(text: str, offset: int) -> tuple[int, bool]:
    """The indentation (in code points) of the line holding `offset`, and whether `offset` begins it."""
    start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    end = start
    while end < offset and text[end] in " \t\f":
        end += 1
    return end - start, end == offset


def _ends_brackets(text: str, line: int, n: int, indent: int) -> bool:
    """Whether the line starting at `line` ends the brackets opened on a line indented `indent`."""
    pos = line
    while pos < n and text[pos] in " \t\f":
        pos += 1
    if pos >= n or text[pos] in "\r\n#)]":
        return False  # a blank or comment line decides nothing; a closer is the list's own
    return pos - line <= indent


CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _bad_input(text: str, pos: int, n: int) -> LexError:
    """The error for the text at `pos` that no terminal matches (`n`: where the text ends)."""
    ch = text[pos]
    if ch == '"':
        if text.startswith('"""', pos, n):
            return LexError(
                "BPO004",
                'unterminated text block: `"""` is never closed',
                pos,
                n,
                'close the text with `"""`',
            )
        eol = pos + 1
        while eol < n and text[eol] not in "\r\n":
            eol += 1
        return LexError(
            "BPO004",
            'unterminated string: the closing `"` is missing on this line',
            pos,
            eol,
            'close the string with `"` before the end of the line, or use `"""` for text spanning lines',
        )
    if CONTROL.match(ch):
        return LexError("BPO002", f"control character U+{ord(ch):04X} is not allowed here", pos, pos + 1)
    if ch in "0123456789":
        end = pos
        while end < n and (text[end].isalnum() or text[end] in "_."):
            end += 1
        word = text[pos:end]
        digits = len(word) - len(word.lstrip("0123456789_."))
        return LexError(
            "BPO002",
            f"`{word}` is not a valid number or name",
            pos,
            end,
            f"put a space between the number and its unit: `{word[:digits]} {word[digits:]}`"
            if 0 < digits < len(word)
            else "names start with a letter or `_`",
        )
    if ch.isdigit():
        end = pos
        while end < n and text[end].isdigit():
            end += 1
        return LexError(
            "BPO002",
            f"non-ASCII digits `{text[pos:end]}`: numbers and dates are written with the digits 0-9",
            pos,
            end,
        )
    if ch.isalpha():
        end = pos
        while end < n and (text[end].isalnum() or text[end] == "_"):
            end += 1
        return LexError(
            "BPO002",
            f"`{text[pos:end]}` is not a valid name: names use ASCII letters, digits and `_`",
            pos,
            end,
            'put human text in quotes, e.g. "Conseil fiscal"',
        )
    if ch in "\u2028\u2029\u0085":
        return LexError("BPO002", f"line separator U+{ord(ch):04X} outside a string", pos, pos + 1)
    return LexError("BPO002", f"unexpected character `{ch}` (U+{ord(ch):04X})", pos, pos + 1)
