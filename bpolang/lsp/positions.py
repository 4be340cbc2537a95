"""The one place where LSP positions meet bpolang offsets.

bpolang spans are code-point offsets into the text the parser saw; LSP positions are a line
and a column counted in the negotiated encoding's code units (UTF-16 unless the client
agreed to UTF-8 or UTF-32).  Lines break at LF, CRLF and lone CR, as in the lexer and in the
LSP specification, and nowhere else.  A document that starts with a BOM is parsed without
it, so parser offsets are shifted by one here.
"""

from __future__ import annotations

import bisect

from lsprotocol import types as lsp

from bpolang.base.source import LineIndex

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str) -> int:
    """Length of text in code units of the encoding."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _charunits(ch: str, encoding: str) -> int:
    if encoding == UTF32:
        return 1
    o = ord(ch)
    if encoding == UTF8:
        return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4
    return 2 if o > 0xFFFF else 1


class PositionCodec:
    """Converts between parser offsets of one document and LSP positions and ranges."""

    __slots__ = ("text", "encoding", "base", "index")

    def __init__(self, text: str, encoding: str | None = UTF16, index: LineIndex | None = None) -> None:
        """`index`: the line index of `text` when the caller has it already."""
        self.text = text
        self.encoding = str(encoding or UTF16).lower()
        if self.encoding not in (UTF8, UTF16, UTF32):
            self.encoding = UTF16
        self.base = 1 if text.startswith("\ufeff") else 0
        self.index = index if index is not None else LineIndex(text)

    # -- offset (code points, parser text) -> LSP
    def position(self, offset: int) -> lsp.Position:
        """The LSP position of a parser offset (clamped to the document)."""
        doc = max(0, min(offset + self.base, len(self.text)))
        starts = self.index.starts
        line = bisect.bisect_right(starts, doc) - 1
        start = starts[line]
        # never point inside a CRLF pair
        end = self.index.line_end(line + 1)
        doc = min(doc, end)
        return lsp.Position(line=line, character=units(self.text[start:doc], self.encoding))

    def range(self, start: int, end: int) -> lsp.Range:
        return lsp.Range(start=self.position(start), end=self.position(max(start, end)))

    # -- LSP -> offset
    def offset(self, pos: lsp.Position) -> int:
        """The parser offset of an LSP position; a column past the line's end clamps to it."""
        return max(self.document_offset(pos) - self.base, 0)

    def document_offset(self, pos: lsp.Position) -> int:
        """The offset of an LSP position in the editor's text (BOM included)."""
        starts = self.index.starts
        if pos.line < 0:
            return 0
        if pos.line >= len(starts):
            return len(self.text)
        start = starts[pos.line]
        end = self.index.line_end(pos.line + 1)
        line = self.text[start:end]
        want = max(pos.character, 0)
        if line.isascii() or self.encoding == UTF32:
            col = min(want, len(line))
        else:
            col = 0
            used = 0
            for ch in line:
                w = _charunits(ch, self.encoding)
                if used + w > want:
                    break  # a position inside a character points at its start
                used += w
                col += 1
        return start + col

    def span_range(self, span) -> lsp.Range:
        """The LSP range of a bpolang Span (or the document start when there is none)."""
        if span is None:
            return self.range(0, 0)
        return self.range(span.start, span.end)


def apply_change(text: str, change, encoding: str | None) -> str:
    """The text after one didChange content change, with lines as the LSP defines them.

    pygls applies changes through ``str.splitlines``, which also breaks at U+2028, form feed
    and others: its copy of a document can disagree with the editor's, so bpolang keeps its own.
    """
    rng = getattr(change, "range", None)
    if rng is None:
        return change.text
    codec = PositionCodec(text, encoding)
    start = codec.document_offset(rng.start)
    end = codec.document_offset(rng.end)
    if end < start:
        start, end = end, start
    return text[:start] + change.text + text[end:]
