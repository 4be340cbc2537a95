"""Semantic tokens: the TextMate grammar's colours for every LSP editor.

Each token of the lexer gets the semantic type whose default colour is that of the TextMate
scope `editors/vscode/syntaxes/bpo.tmLanguage.json` gives it (VS Code maps one to the other:
`type` to `entity.name.type`, `property` to a property name...):

| what | TextMate scope | semantic token |
|---|---|---|
| block keyword (`milestone`), first word of an id'd entry (`fee run:`) | keyword.other.block | keyword |
| key (`date:`) | support.type.property-name | property |
| id where it is declared (`milestone kickoff`) | entity.name.type | type + declaration |
| party role (`party client`) | storage.modifier.role | modifier |
| `yes` `no` `true` `false` `redacted` `tbd`; `effective` `end` | constant.language; variable.language | variable + readonly |
| fee bases (`monthly_fees`) | support.variable | variable + defaultLibrary |
| `max(` `min(` | support.function | function + defaultLibrary |
| connectives (`per`, `every`, `of`) and `+ - * /` | keyword.operator | operator |
| a translation's `/` and its language (`/ en:`) | keyword.operator.translation; support.type.property-name.language | operator; property |
| other names (ids referred to, words) | variable.other | variable |
| strings, text blocks | string.quoted | string |
| dates, times, numbers, the figure of an amount or duration | constant.numeric | number |
| the unit of an amount, duration or percentage (`EUR`, `days`, `%`) | keyword.other.unit | keyword |
| comments, suppressions | comment.line | comment |

Keywords are known by their place, as the grammar knows them: the words before `:` or
`{` that start a statement.  The full result is kept per document so that the next request
can be answered with a delta (one edit of the integer array, as editors apply it).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from lsprotocol import types as lsp

from bpolang.lsp.positions import units
from bpolang.syntax.words import BUILTINS, CONNECTIVES, CONSTANTS

TOKEN_TYPES = [
    "keyword",
    "property",
    "type",
    "modifier",
    "variable",
    "function",
    "operator",
    "string",
    "number",
    "comment",
]
TOKEN_MODIFIERS = ["declaration", "readonly", "defaultLibrary"]
LEGEND = lsp.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS)

_T = {name: i for i, name in enumerate(TOKEN_TYPES)}
_DECLARATION, _READONLY, _LIBRARY = 1, 2, 4
_CONSTANTS, _BUILTINS, _CONNECTIVES = frozenset(CONSTANTS), frozenset(BUILTINS), frozenset(CONNECTIVES)
_NUMERIC = {"DATE", "TIME", "MONTHDAY", "NUMBER"}
_WITH_UNIT = {"MONEY", "DURATION", "PERCENT"}
_OPERATORS = {"PLUS", "MINUS", "STAR", "SLASH"}
_STRING = _T["string"]
_FIGURE = re.compile(r"[0-9_.]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def classify(tokens: list, comments: list) -> list[tuple[int, int, int, int]]:
    """(start, end, type index, modifier bits) for each coloured piece of text, in order."""
    out: list[tuple[int, int, int, int]] = []
    header: list = []  # the names of the statement's header so far
    in_header = True
    for tok in tokens:
        kind = tok.type
        if in_header:
            if kind == "NAME":
                header.append(tok)
                continue
            if kind in ("COLON", "LBRACE", "_TERM", "RBRACE") or kind == "STRING":
                _header(out, header, kind == "COLON")
                header = []
                in_header = kind in ("_TERM", "LBRACE", "RBRACE") or (kind == "STRING" and in_header)
                if kind == "STRING":
                    out.append((tok.start_pos, tok.end_pos, _T["string"], 0))
                continue
            _header(out, header, False)
            header = []
            in_header = False
        if kind in ("_TERM", "LBRACE", "RBRACE"):
            in_header = True
            continue
        _value(out, tok, kind)
    _header(out, header, False)
    out += [(c.start, c.end, _T["comment"], 0) for c in comments]
    out.sort()
    return out


def _header(out: list, words: list, key: bool) -> None:
    """A statement's first words: a key alone before `:`, else keyword, qualifiers, then the id."""
    if not words:
        return
    if key and len(words) == 1:
        out.append((words[0].start_pos, words[0].end_pos, _T["property"], 0))
        return
    out.append((words[0].start_pos, words[0].end_pos, _T["keyword"], 0))
    for w in words[1:-1]:
        out.append((w.start_pos, w.end_pos, _T["modifier"], 0))
    if len(words) > 1:
        out.append((words[-1].start_pos, words[-1].end_pos, _T["type"], _DECLARATION))


def _value(out: list, tok, kind: str) -> None:
    start, end = tok.start_pos, tok.end_pos
    if kind == "NAME":
        word = tok.value
        if word in _CONSTANTS:
            out.append((start, end, _T["variable"], _READONLY))
        elif word in _BUILTINS:
            out.append((start, end, _T["variable"], _LIBRARY))
        elif word in _CONNECTIVES:
            out.append((start, end, _T["operator"], 0))
        else:
            out.append((start, end, _T["variable"], 0))
    elif kind in ("STRING", "TEXT"):
        out.append((start, end, _T["string"], 0))
    elif kind in _NUMERIC:
        out.append((start, end, _T["number"], 0))
    elif kind in _WITH_UNIT:
        figure = _FIGURE.match(tok.value)
        cut = start + (figure.end() if figure else 0)
        out.append((start, cut, _T["number"], 0))
        unit = cut + len(tok.value[cut - start :]) - len(tok.value[cut - start :].lstrip(" \t"))
        if unit < end:
            out.append((unit, end, _T["keyword"], 0))
    elif kind == "FUNC":
        out.append((start, end - 1, _T["function"], _LIBRARY))  # the name, not its `(`
    elif kind in _OPERATORS:
        out.append((start, end, _T["operator"], 0))
    elif kind == "TRANSLATION":  # `/ en:`: the slash, then the language as a key
        out.append((start, start + 1, _T["operator"], 0))
        code = _NAME.search(tok.value)
        if code is not None:
            out.append((start + code.start(), start + code.end(), _T["property"], 0))


def encode(pieces: list[tuple[int, int, int, int]], codec) -> list[int]:
    """LSP's relative encoding, one token per line of a piece (no client need take multi-line ones)."""
    data: list[int] = []
    text, base, encoding = codec.text, codec.base, codec.encoding
    starts = codec.index.starts
    last = len(starts) - 1
    line = 0  # the line being read, its start, and whether it is ASCII (columns are then offsets)
    line_start, ascii_line = 0, True
    prev_line = prev_char = 0
    for start, end, kind, mods in pieces:
        offset, stop = start + base, end + base
        while offset < stop:
            if line < last and starts[line + 1] <= offset:
                line = bisect.bisect_right(starts, offset, line) - 1
                line_start = starts[line]
                ascii_line = text[line_start : starts[line + 1] if line < last else len(text)].isascii()
            eol = _line_end(text, offset, stop) if kind == _STRING else stop  # only text blocks span lines
            char = offset - line_start if ascii_line else units(text[line_start:offset], encoding)
            length = eol - offset if ascii_line else units(text[offset:eol], encoding)
            if length:
                data += (line - prev_line, char - prev_char if line == prev_line else char, length, kind, mods)
                prev_line, prev_char = line, char
            offset = eol + (2 if text.startswith("\r\n", eol) else 1)  # the next line's start
    return data


def _line_end(text: str, offset: int, stop: int) -> int:
    """Where the line of `offset` ends, or `stop` if it ends after that."""
    ends = [i for i in (text.find("\n", offset, stop), text.find("\r", offset, stop)) if i >= 0]
    return min(ends) if ends else stop


@dataclass
class Highlighted:
    """The last tokens sent for a document, to answer a delta request."""

    result_id: str
    data: list[int]


class Highlighter:
    """Semantic tokens of the open documents, full or as a delta from the last ones sent."""

    def __init__(self) -> None:
        self.sent: dict[str, Highlighted] = {}
        self.count = 0

    def full(self, uri: str, analysis) -> lsp.SemanticTokens:
        syntax = analysis.result.syntax
        data = encode(classify(analysis.tokens, syntax.comments if syntax is not None else []), analysis.codec)
        self.count += 1
        self.sent[uri] = Highlighted(str(self.count), data)
        return lsp.SemanticTokens(data=data, result_id=str(self.count))

    def delta(self, uri: str, analysis, previous: str) -> lsp.SemanticTokens | lsp.SemanticTokensDelta:
        before = self.sent.get(uri)
        tokens = self.full(uri, analysis)
        if before is None or before.result_id != previous:
            return tokens
        old, new = before.data, tokens.data
        n = min(len(old), len(new))
        start = 0
        while start < n and old[start] == new[start]:
            start += 1
        end = 0
        while end < n - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
            end += 1
        edits = []
        if start != len(old) or start != len(new):
            edits.append(
                lsp.SemanticTokensEdit(
                    start=start, delete_count=len(old) - end - start, data=new[start : len(new) - end]
                )
            )
        return lsp.SemanticTokensDelta(edits=edits, result_id=tokens.result_id)

    def forget(self, uri: str) -> None:
        self.sent.pop(uri, None)
