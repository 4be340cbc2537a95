"""Check an edited text again by redoing only what the edit touched.

The language server checks the text on every keystroke.  Parsing and building a
2,000-line contract costs most of a check, and a keystroke changes one statement of the
contract's body; so :func:`recheck` re-parses the statements around the edit from the
parser's stacks saved before them (:func:`bpolang.syntax.parser.reparse`), builds only
those statements again (:class:`bpolang.model.build.Builder` reuses the rest), moves what
comes after them to its new offsets and lines, then resolves and returns the same
:class:`~bpolang.check.pipeline.Result` as :func:`bpolang.check.pipeline.parse` would.  Whenever that sameness
cannot be guaranteed -- the edit touches the contract's own header, a text block is left
open, braces no longer balance, too many errors -- it returns None and the caller parses
the whole text.  The tests compare the two on random edits.

The earlier result is given up: its statements after the edit, and what was built from
them, are moved in place (copying them would cost as much as a third of the whole check)
and belong to the new result.  The language server, which keeps the last result without
errors for its outline, analyses that text again when it needs it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

from pydantic import BaseModel

from bpolang.base.diagnostics import Edit, Span
from bpolang.base.source import Source
from bpolang.check.pipeline import Result, finish


def difference(old: str, new: str) -> tuple[int, int, int]:
    """The one edit turning old into new: common prefix and suffix kept.

    Returns (start, old end, delta): `old[start:old_end]` became `new[start:old_end + delta]`.
    """
    n = min(len(old), len(new))
    lo, hi = 0, n
    while lo < hi:  # longest common prefix, by bisection over C-level slice comparisons
        mid = (lo + hi + 1) // 2
        if old[:mid] == new[:mid]:
            lo = mid
        else:
            hi = mid - 1
    prefix = lo
    lo, hi = 0, n - prefix
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if old[len(old) - mid :] == new[len(new) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    suffix = lo
    return prefix, len(old) - suffix, len(new) - len(old)


def recheck(base: Result, source: Source) -> Result | None:
    """The result of parsing `source`, computed from `base` (the result for an earlier text).

    None when an incremental re-check cannot be sure to give the whole parse's result; `base`
    is then unchanged.  Otherwise `base` is given up: what it shares with the new result was
    moved in place, so it must not be used again.
    """
    from bpolang.base.gcpause import paused_gc
    from bpolang.check.pipeline import parse_source
    from bpolang.model.build import MAX_SUGGESTIONS, Builder
    from bpolang.syntax.lexer import CONTROL
    from bpolang.syntax.parser import reparse

    old_text, text = base.source.text, source.text
    if (
        base.syntax is None
        or base.memo is None
        or base.source.bom != source.bom
        or old_text == text
        or CONTROL.search(text)
    ):
        return None
    start, old_end, delta = difference(old_text, text)
    with paused_gc():
        stretch = reparse(base.syntax, old_text, text, start, old_end, delta)
        if stretch is None:
            return None
        # what building the later statements gave, moved with them to their new offsets and lines
        lines = source.index.line_col(stretch.old_end + delta)[0] - base.source.index.line_col(stretch.old_end)[0]
        later = {id(s) for s in stretch.block.body[stretch.stop :]}
        _shift([b for key, b in base.memo.items() if key in later], delta, lines)
        syntax = stretch.commit()
        builder = Builder(text, source.index, memo=base.memo)
        result = finish(source, builder, syntax, [])
        if builder.unknown_count > MAX_SUGGESTIONS:
            # suggestions depend on how many unknown names came before: build it all again
            return parse_source(source)
        return result


def _shift(built: list, delta: int, lines: int) -> None:
    """Move every span and fix edit in the models and diagnostics of built statements, once.

    The spans and edits of a built statement are found once (:func:`_movable`) and kept with
    it: typing moves the same statements again and again."""
    for b in built:
        movable = b.movable
        if movable is None:
            movable = b.movable = _movable(b)
        spans, edits = movable
        if lines:
            for d in spans:
                d["start"] += delta
                d["end"] += delta
                d["line"] += lines
                d["end_line"] += lines
        else:
            for d in spans:
                d["start"] += delta
                d["end"] += delta
        for d in edits:
            d["start"] += delta
            d["end"] += delta


def _movable(b) -> tuple[list[dict], list[dict]]:
    """The attribute dictionaries of the Spans and Edits in a built statement, each once."""
    seen: set[int] = set()
    spans: list[dict] = []
    edits: list[dict] = []
    stack: list = [b.node, *b.diagnostics]
    pop, extend = stack.pop, stack.extend
    while stack:
        obj = pop()
        tp = type(obj)
        if tp is list or tp is tuple:
            extend(obj)
            continue
        if tp is dict:
            extend(obj.values())
            continue
        if not isinstance(obj, BaseModel) or id(obj) in seen:
            continue
        seen.add(id(obj))
        d = obj.__dict__
        if tp is Span:
            spans.append(d)
        elif tp is Edit:
            edits.append(d)
        else:
            extend(v for v in d.values() if v is not None and not isinstance(v, _SCALARS))
            private = obj.__pydantic_private__
            if private:
                extend(private.values())
    return spans, edits


_SCALARS = (str, int, float, Decimal, dt.date, Enum)
