"""Source text, positions and spans.

Offsets are code-point indices into the decoded text.  Lines break at LF,
CRLF and lone CR -- exactly where the lexer breaks them -- and nowhere else
(not at U+2028 or form feed, which ``str.splitlines`` would also split on).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import InitVar, dataclass, field

# The largest file bpolang reads (BPO006 beyond): far above any contract, far below harm.
MAX_FILE_BYTES = 5 * 1024 * 1024

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Maps offsets to 1-based (line, column) and back."""

    __slots__ = ("text", "starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.starts.extend(m.end() for m in _LINE_BREAK.finditer(text))

    def edited(self, text: str, start: int, old_end: int, delta: int) -> LineIndex:
        """The index of `text`: this index's text with ``[start:old_end]`` replaced by a stretch
        `delta` longer.  Only the lines around the edit are scanned again; the line starts after
        it are moved.  (A CR just before the edit may now pair with an LF it inserted: the scan
        starts at the line holding the character before the edit, and ends at the first line
        break whose last character comes after the edit, which ends a line in both texts.)"""
        starts = self.starts
        k = bisect.bisect_right(starts, start - 1) - 1 if start > 0 else 0
        j = bisect.bisect_right(starts, old_end)
        new = LineIndex.__new__(LineIndex)
        new.text = text
        if j < len(starts):
            stop = starts[j] + delta
            scanned = [m.end() for m in _LINE_BREAK.finditer(text, starts[k], stop)]
            new.starts = starts[: k + 1] + scanned + [s + delta for s in starts[j + 1 :]]
        else:
            new.starts = starts[: k + 1] + [m.end() for m in _LINE_BREAK.finditer(text, starts[k])]
        return new

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of an offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def offset(self, line: int, col: int) -> int:
        """Offset of a 1-based line and column, clamped to the text."""
        if line < 1:
            return 0
        if line > len(self.starts):
            return len(self.text)
        start = self.starts[line - 1]
        return min(start + max(col - 1, 0), self.line_end(line))

    def line_end(self, line: int) -> int:
        """Offset just before the line break ending a 1-based line."""
        if line < len(self.starts):
            end = self.starts[line]
            text = self.text
            if end >= 2 and text[end - 2 : end] == "\r\n":
                return end - 2
            return end - 1
        return len(self.text)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        if line < 1 or line > len(self.starts):
            return ""
        return self.text[self.starts[line - 1] : self.line_end(line)]

    @property
    def line_count(self) -> int:
        return len(self.starts)


@dataclass
class Source:
    """A decoded source file: its text, where it came from and how it was encoded."""

    text: str
    path: str | None = None
    bom: bool = False
    newline: str = "\n"
    index: LineIndex = field(init=False, repr=False)
    # the line index when the caller has it already (an edited text's, see LineIndex.edited)
    known_index: InitVar[LineIndex | None] = None

    def __post_init__(self, known_index: LineIndex | None) -> None:
        self.index = known_index if known_index is not None else LineIndex(self.text)
        m = _LINE_BREAK.search(self.text)
        if m:
            self.newline = m.group()

    @property
    def display_path(self) -> str:
        return self.path or "<stdin>"
