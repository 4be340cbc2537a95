"""Turn diagnostics into text: rustc-style snippets, concise lines and a summary.

``render_full`` draws the header, the source lines the diagnostic touches
(primary span underlined with ``^``, secondary labels with ``-``) and its
notes and help.  A label whose span equals the primary span supplies the text
written after the carets instead of being drawn as a second underline.

Echoed source lines are made terminal-safe and aligned: tabs become four
spaces, control and bidi characters become ``?`` (one column each), wide
characters (East Asian W/F) take two columns and combining marks none.
Lines wider than 200 columns are cut to a window of about 120 columns around
the span, with ``…`` at each cut end.  Returned strings have no trailing
newline.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bpolang.base.errors import Severity
from bpolang.base.source import Source

if TYPE_CHECKING:  # the summary line is printed on paths that never import pydantic
    from bpolang.base.diagnostics import Diagnostic, Span

__all__ = ["fixable_line", "render_full", "render_concise", "summary_line"]

TAB_WIDTH = 4
LONG_LINE = 200
WINDOW = 120
ELLIPSIS = "\u2026"
UNKNOWN_PATH = "<unknown>"

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_GUTTER = "\x1b[1;34m"
_SECONDARY = "\x1b[1;34m"
_SEVERITY_STYLE = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
}

# Bidi embedding/override/isolate controls and marks: echoed as "?" so a line
# cannot reorder itself on screen (trojan-source) or throw carets off.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


@dataclass(frozen=True)
class _Mark:
    """One underline on one line, in display columns [start, end)."""

    start: int
    end: int
    primary: bool
    message: str


class _Paint:
    """Wraps text in ANSI styles when color is on, and leaves it alone otherwise."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, style: str) -> str:
        """Return text in the given style (or as is without color)."""
        if not self.color or not text:
            return text
        return f"{style}{text}{_RESET}"


def _unsafe(ch: str) -> bool:
    """True for characters echoed as ``?``: controls, line separators, bidi, surrogates."""
    cp = ord(ch)
    if cp < 0x20 or 0x7F <= cp <= 0x9F:
        return ch != "\t"
    if ch in "\u2028\u2029" or ch in _BIDI:
        return True
    return unicodedata.category(ch) == "Cs"


def _cell(ch: str) -> tuple[str, int]:
    """How one source character is echoed and how many columns it takes."""
    if ch == "\t":
        return " " * TAB_WIDTH, TAB_WIDTH
    if _unsafe(ch):
        return "?", 1
    if ch in _ZERO_WIDTH or unicodedata.category(ch) in ("Mn", "Me"):
        return ch, 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return ch, 2
    return ch, 1


def _sanitize(text: str) -> str:
    """Echo-safe form of free text (messages): controls become ``?``."""
    return "".join("?" if _unsafe(ch) else ch for ch in text)


class _Line:
    """A source line laid out in display columns."""

    def __init__(self, text: str) -> None:
        self.cells = [_cell(ch) for ch in text]
        self.cols = [0]
        for _, width in self.cells:
            self.cols.append(self.cols[-1] + width)

    @property
    def width(self) -> int:
        """Display width of the whole line."""
        return self.cols[-1]

    def mark(self, c0: int, c1: int, primary: bool, message: str) -> _Mark:
        """A mark for code-point indexes [c0, c1) of the line; at least one column wide."""
        n = len(self.cells)
        c0 = max(0, min(c0, n))
        c1 = max(c0, min(c1, n))
        start, end = self.cols[c0], self.cols[c1]
        return _Mark(start, max(end, start + 1), primary, message)

    def render(self, marks: list[_Mark]) -> tuple[str, list[_Mark]]:
        """Echoed text and marks moved into it, windowed if the line is too wide."""
        full = "".join(shown for shown, _ in self.cells)
        if self.width <= LONG_LINE:
            return full, marks
        focus = next((m for m in marks if m.primary), marks[0])
        span_w = min(focus.end - focus.start, WINDOW)
        ws = focus.start - (WINDOW - span_w) // 2
        ws = max(0, min(ws, self.width + 1 - WINDOW))
        we = ws + WINDOW
        kept = [
            i
            for i, (_, width) in enumerate(self.cells)
            if ws <= self.cols[i] and self.cols[i] + width <= we and (width or self.cols[i] < we)
        ]
        left = self.cols[kept[0]] if kept else ws
        right = self.cols[kept[-1] + 1] if kept else ws
        prefix = left > 0
        suffix = right < self.width
        shift = (1 if prefix else 0) - left
        body = "".join(self.cells[i][0] for i in kept)
        text = (ELLIPSIS if prefix else "") + body + (ELLIPSIS if suffix else "")
        moved = []
        for m in marks:
            if m.end <= left and prefix:
                start, end = left - 1, left  # points at the leading ellipsis
            elif suffix and m.start >= right:
                start, end = right, right + 1  # points at the trailing ellipsis
            else:
                start = max(m.start, left)
                end = min(m.end, right) if suffix else m.end
                end = max(end, start + 1)
            moved.append(_Mark(start + shift, end + shift, m.primary, m.message))
        return text, moved


def _location(diag: Diagnostic, source: Source | None) -> str:
    """The ``path`` or ``path:line:col`` a diagnostic is reported at."""
    path = diag.path or (source.display_path if source is not None else UNKNOWN_PATH)
    if diag.span is None:
        return path
    return f"{path}:{diag.span.line}:{diag.span.col}"


def _span_cols(span: Span, line: _Line) -> tuple[int, int]:
    """Code-point indexes [c0, c1) a span covers on its first line."""
    c0 = span.col - 1
    if span.end_line == span.line:
        return c0, span.end_col - 1
    return c0, len(line.cells)


def _underlines(marks: list[_Mark], sev_style: str, paint: _Paint) -> list[str]:
    """Underline rows (text after the gutter) for the marks of one line."""
    marks = sorted(marks, key=lambda m: (m.start, not m.primary))
    rows: list[list[_Mark]] = []
    ordered = all(a.end <= b.start for a, b in zip(marks, marks[1:]))
    if ordered and all(not m.message for m in marks[:-1]):
        rows.append(marks)
    else:
        rows.extend([m] for m in marks)
    out = []
    for row in rows:
        parts: list[str] = []
        col = 0
        for m in row:
            style = sev_style if m.primary else _SECONDARY
            text = ("^" if m.primary else "-") * (m.end - m.start)
            if m.message:
                text += " " + _sanitize(m.message)
            parts.append(" " * (m.start - col) + paint(text, style))
            col = m.end
        out.append("".join(parts))
    return out


def render_full(diag: Diagnostic, source: Source | None, color: bool = False) -> str:
    """Render a diagnostic rustc-style: header, annotated source lines, notes and help."""
    paint = _Paint(color)
    sev_style = _SEVERITY_STYLE.get(diag.severity, _BOLD)
    header = (
        paint(f"{_location(diag, source)}:", _BOLD)
        + " "
        + paint(f"{diag.severity.value}[{diag.code}]", sev_style)
        + " "
        + _fixable_mark(diag)
        + paint(_sanitize(diag.message), _BOLD)
    )
    out = [header]

    gutter_w = 1
    if diag.span is not None and source is not None:
        primary_msg = ""
        labels = list(diag.labels)
        for i, label in enumerate(labels):
            if label.span == diag.span:
                primary_msg = label.message
                del labels[i]
                break
        wanted: list[tuple[Span, bool, str]] = [(diag.span, True, primary_msg)]
        wanted += [(label.span, False, label.message) for label in labels]

        by_line: dict[int, list[tuple[Span, bool, str]]] = {}
        for item in wanted:
            by_line.setdefault(item[0].line, []).append(item)
        gutter_w = len(str(max(by_line)))
        bar = " " * (gutter_w + 1) + paint("|", _GUTTER)

        out.append(bar)
        previous: int | None = None
        for number in sorted(by_line):
            if previous is not None and number > previous + 1:
                out.append(" " * gutter_w + paint("...", _GUTTER))
            previous = number
            line = _Line(source.index.line_text(number))
            marks = [line.mark(*_span_cols(sp, line), primary, msg) for sp, primary, msg in by_line[number]]
            text, marks = line.render(marks)
            number_col = paint(f"{number:>{gutter_w}} |", _GUTTER)
            out.append(f"{number_col} {text}" if text else number_col)
            out.extend(f"{bar} {row}" for row in _underlines(marks, sev_style, paint))
        if diag.notes or diag.help:
            out.append(bar)

    indent = " " * (gutter_w + 1)
    tails = [("note", note) for note in diag.notes]
    if diag.help:
        tails.append(("help", diag.help))
    for kind, text in tails:
        lead = f"= {kind}: "
        first, *rest = _sanitize_lines(text)
        out.append(indent + paint(lead, _BOLD) + first)
        out.extend(indent + " " * len(lead) + more for more in rest)
    return "\n".join(out)


def _sanitize_lines(text: str) -> list[str]:
    """Split free text at line breaks and make each line echo-safe."""
    return [_sanitize(part) for part in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def render_concise(diag: Diagnostic, source: Source | None) -> str:
    """Render a diagnostic on one line: ``path:line:col: CODE [severity] message``."""
    return (
        f"{_location(diag, source)}: {diag.code} [{diag.severity.value}] {_fixable_mark(diag)}{_sanitize(diag.message)}"
    )


def _fixable_mark(diag: Diagnostic) -> str:
    """ruff's ``[*]`` before the message of a finding that ``--fix`` repairs (a safe fix)."""
    return "[*] " if diag.fix is not None and diag.fix.safe else ""


def fixable_line(diagnostics) -> str:
    """``[*] 2 fixable with --fix (1 more with --fix --unsafe-fixes).``, or "" when none is."""
    safe = sum(1 for d in diagnostics if d.fix is not None and d.fix.safe)
    unsafe = sum(1 for d in diagnostics if d.fix is not None and not d.fix.safe)
    if not safe and not unsafe:
        return ""
    more = f" ({unsafe} more with --fix --unsafe-fixes)" if unsafe else ""
    if not safe:
        return f"{unsafe} fixable with --fix --unsafe-fixes."
    return f"[*] {safe} fixable with --fix{more}."


def _plural(n: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(counts: dict[str, int]) -> str:
    """``Found 3 errors, 1 warning.`` from counts by severity, or ``All checks passed.``."""
    # Accept Severity members or plain strings as keys.
    by_name = {(k.value if isinstance(k, Severity) else str(k)): n for k, n in counts.items()}
    words = (("error", "error"), ("warning", "warning"), ("info", "info message"))
    parts = [_plural(by_name.get(key, 0), word) for key, word in words if by_name.get(key, 0) > 0]
    if not parts:
        return "All checks passed."
    return f"Found {', '.join(parts)}."
