"""Suppression comments: ``# bpo: ignore[CODE, ...] reason`` and ``# bpo: ignore-file[CODE] reason``.

- At the end of a line, a suppression covers the findings reported on that line.
- On its own line, it covers the statement that follows (a whole block when the statement is a
  block).
- ``ignore-file`` covers the whole file; it must come before the ``contract`` line.

Codes may be given by code (``BPO501``) or by name (``penalty-needs-deadline``), separated by
commas. A reason is required (BPO091). A suppression that suppresses nothing is reported
(BPO090), with a safe fix removing it. The language's own diagnostics (BPO001-BPO020) cannot be
suppressed (BPO092).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from bpolang.base.diagnostics import Diagnostic, Edit, Fix, Span

_SUPPRESSION = re.compile(r"^#\s*bpo\s*:\s*(?P<kind>ignore-file|ignore)\b(?P<rest>.*)$", re.IGNORECASE)
_CODES = re.compile(r"^\s*\[(?P<codes>[^\]]*)\]\s*(?P<reason>.*)$")


@dataclass
class Suppression:
    comment: object
    span: Span
    file_wide: bool
    codes: list[str]
    reason: str
    first_line: int = 0
    last_line: int = 0
    used: set[str] = field(default_factory=set)

    def covers(self, d: Diagnostic) -> bool:
        if d.code not in self.codes:
            return False
        if self.file_wide:
            return True
        return d.span is not None and self.first_line <= d.span.line <= self.last_line


def _meta(
    code: str, message: str, span: Span, path: str | None, fix: Fix | None = None, help: str | None = None
) -> Diagnostic:
    from bpolang.check.rules.registry import load_all

    r = load_all()[code]
    return Diagnostic(
        code=code, name=r.name, severity=r.severity, message=message, span=span, path=path, fix=fix, help=help
    )


def apply_suppressions(result, diagnostics: list[Diagnostic], enabled: Collection[str]) -> list[Diagnostic]:
    """Drop the suppressed findings; add diagnostics about the suppression comments themselves."""
    from bpolang.check.rules.registry import lookup

    syntax = getattr(result, "syntax", None)
    if syntax is None or not syntax.comments:
        return diagnostics
    index = result.source.index
    text = result.source.text
    path = result.source.path

    def span(start: int, end: int) -> Span:
        line, col = index.line_col(start)
        end_line, end_col = index.line_col(end)
        return Span(start=start, end=end, line=line, col=col, end_line=end_line, end_col=end_col)

    body = syntax.body
    first_stmt = body[0].start if body else len(text)
    starts = _Starts(syntax.statements())
    sups: list[Suppression] = []
    extra: list[Diagnostic] = []
    for c in syntax.comments:
        m = _SUPPRESSION.match(c.text)
        if not m:
            continue
        sp = span(c.start, c.end)
        file_wide = m.group("kind").lower() == "ignore-file"
        cm = _CODES.match(m.group("rest"))
        if not cm:
            extra.append(
                _meta(
                    "BPO092",
                    "a suppression must name the codes it suppresses",
                    sp,
                    path,
                    help="write `# bpo: ignore[BPO501] reason`",
                )
            )
            continue
        codes: list[str] = []
        bad = False
        for raw in (x.strip() for x in cm.group("codes").split(",")):
            if not raw:
                continue
            r = lookup(raw)
            if r is None:
                extra.append(
                    _meta(
                        "BPO092",
                        f"unknown rule `{raw}` in a suppression",
                        sp,
                        path,
                        help="see `bpo rules` for the codes",
                    )
                )
                bad = True
            elif r.always_on:
                extra.append(
                    _meta(
                        "BPO092",
                        f"`{r.code}` is a diagnostic of the language and cannot be suppressed",
                        sp,
                        path,
                        help="correct the contract instead",
                    )
                )
                bad = True
            else:
                codes.append(r.code)
        if not codes:
            if not bad:
                extra.append(
                    _meta(
                        "BPO092",
                        "a suppression must name the codes it suppresses",
                        sp,
                        path,
                        help="write `# bpo: ignore[BPO501] reason`",
                    )
                )
            continue
        reason = cm.group("reason").strip()
        if not reason:
            extra.append(
                _meta(
                    "BPO091",
                    "a suppression needs a reason",
                    sp,
                    path,
                    help=f"say why, e.g. `# bpo: ignore[{codes[0]}] agreed with the client's counsel`",
                )
            )
        s = Suppression(c, sp, file_wide, codes, reason)
        if file_wide:
            if c.start > first_stmt:
                extra.append(
                    _meta(
                        "BPO092",
                        "`ignore-file` must come before the `contract` line",
                        sp,
                        path,
                        help="move it to the top of the file",
                    )
                )
                continue
        elif c.own_line:
            stmt = _next_statement(starts, c.end)
            if stmt is None:
                s.first_line = s.last_line = -1
            else:
                s.first_line = index.line_col(stmt.start)[0]
                s.last_line = index.line_col(stmt.end)[0]
        else:
            s.first_line = s.last_line = sp.line
        sups.append(s)

    kept: list[Diagnostic] = []
    covering = _Coverage(sups)
    for d in diagnostics:
        # a finding in another file (a master's term) is suppressed there, by its own comments
        hit = covering.first(d) if d.path == path else None
        if hit is None:
            kept.append(d)
        else:
            hit.used.add(d.code)
    for s in sups:
        unused = [c for c in s.codes if c not in s.used and c in enabled]
        if not unused:
            continue
        fix = _removal(text, s) if len(unused) == len(s.codes) else None
        extra.append(
            _meta(
                "BPO090",
                f"unused suppression: no {', '.join(unused)} finding here",
                s.span,
                path,
                fix=fix,
                help="remove it" if fix else f"remove {', '.join(unused)} from it",
            )
        )
    kept.extend(extra)
    kept.sort(key=Diagnostic.sort_key)
    return kept


class _Coverage:
    """Which suppression covers a finding: the first one in source order, as `Suppression.covers` says.

    Looked up by code and line (bisect over the suppressions' first lines, stopping as soon as no
    earlier one reaches the line), so the cost stays linear in the file however many findings and
    suppressions it has.
    """

    def __init__(self, sups: list[Suppression]) -> None:
        self.file_wide: dict[str, int] = {}
        by_code: dict[str, list[tuple[int, int, int]]] = {}
        for order, s in enumerate(sups):
            for code in s.codes:
                if s.file_wide:
                    self.file_wide.setdefault(code, order)
                elif s.first_line > 0:
                    by_code.setdefault(code, []).append((s.first_line, s.last_line, order))
        self.sups = sups
        self.firsts: dict[str, list[int]] = {}
        self.entries: dict[str, list[tuple[int, int, int]]] = {}
        self.reach: dict[str, list[int]] = {}  # the furthest last line among entries[0..i]
        for code, entries in by_code.items():
            entries.sort()
            self.entries[code] = entries
            self.firsts[code] = [e[0] for e in entries]
            reach, best = [], 0
            for e in entries:
                best = max(best, e[1])
                reach.append(best)
            self.reach[code] = reach

    def first(self, d: Diagnostic) -> Suppression | None:
        order = self.file_wide.get(d.code)
        if d.span is not None and d.code in self.entries:
            line = d.span.line
            entries, reach = self.entries[d.code], self.reach[d.code]
            i = bisect.bisect_right(self.firsts[d.code], line) - 1
            while i >= 0 and reach[i] >= line:
                first_line, last_line, o = entries[i]
                if last_line >= line and (order is None or o < order):
                    order = o
                i -= 1
        return None if order is None else self.sups[order]


def _next_statement(stmts: _Starts, offset: int):
    # statements come in source order (depth first): the first one starting at or after the comment
    i = bisect.bisect_left(stmts.keys, offset)
    return stmts[i] if i < len(stmts) else None


class _Starts(list):
    """Statements in source order with their start offsets, for bisecting."""

    def __init__(self, stmts) -> None:
        super().__init__(stmts)
        self.keys = [s.start for s in self]


def _removal(text: str, s: Suppression) -> Fix:
    c = s.comment
    if c.own_line:  # type: ignore[attr-defined]
        start = text.rfind("\n", 0, c.start) + 1  # type: ignore[attr-defined]
        end = c.end  # type: ignore[attr-defined]
        if end < len(text) and text[end] == "\n":
            end += 1
        elif text.startswith("\r\n", end):
            end += 2
    else:
        start = c.start  # type: ignore[attr-defined]
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        end = c.end  # type: ignore[attr-defined]
    return Fix(message="remove the unused suppression", edits=[Edit(start=start, end=end, text="")], safe=True)
