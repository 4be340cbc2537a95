"""Formatting through `bpo fmt`'s own function, and the validator's fixes as quick fixes."""

from __future__ import annotations

import logging
from pathlib import Path

from lsprotocol import types as lsp

from bpolang.check.incremental import difference
from bpolang.lsp.diagnostics import to_lsp

log = logging.getLogger("bpolang.lsp")


def formatting(doc) -> list[lsp.TextEdit]:
    """One edit turning the text into its canonical layout; none when it does not parse or fmt refuses."""
    from bpolang.base.errors import ConfigError
    from bpolang.format.formatter import FormatError, UnsafeFormat
    from bpolang.format.layout import format_source, line_length_for

    cur = doc.current
    if cur is None:
        return []
    text = cur.text
    try:
        width = line_length_for(None if cur.path is None else Path(cur.path), None)
        out = format_source(text, width, fast=False)
    except FormatError:
        return []
    except UnsafeFormat as exc:
        log.error("formatting refused: %s", exc)
        return []
    except ConfigError as exc:  # the configuration cannot be read
        log.error("formatting refused: %s", exc)
        return []
    if out == text:
        return []
    start, old_end, delta = difference(text, out)
    codec = cur.codec
    base = codec.base
    rng = lsp.Range(start=codec.position(start - base), end=codec.position(old_end - base))
    if start < base:  # the BOM itself changes: replace from the very start
        rng = lsp.Range(start=lsp.Position(line=0, character=0), end=rng.end)
    return [lsp.TextEdit(range=rng, new_text=out[start : old_end + delta])]


def code_actions(doc, rng: lsp.Range, only: list[str] | None = None) -> list[lsp.CodeAction]:
    """A quick fix for each diagnostic with a fix that touches the range, and "fix all" for the safe ones."""
    cur = doc.current
    if cur is None:
        return []
    wanted = lambda kind: not only or any(kind == k or kind.startswith(k + ".") for k in only)  # noqa: E731
    out: list[lsp.CodeAction] = []
    if wanted(lsp.CodeActionKind.QuickFix):
        out += _quick_fixes(doc, cur, rng)
    if wanted(lsp.CodeActionKind.SourceFixAll):
        fix_all = _fix_all(doc, cur)
        if fix_all is not None:
            out.append(fix_all)
    return out


def _fix_all(doc, cur) -> lsp.CodeAction | None:
    """Every safe fix at once, as one round of `bpo check --fix`."""
    from bpolang.check.rules import apply_fixes

    text = cur.source_text
    fixed, applied = apply_fixes(text, cur.diagnostics, unsafe=False)
    if not applied:
        return None
    start, old_end, delta = difference(text, fixed)
    edit = lsp.TextEdit(range=cur.codec.range(start, old_end), new_text=fixed[start : old_end + delta])
    return lsp.CodeAction(
        title=f"Apply the {applied} safe fix{'es' if applied != 1 else ''} (bpo check --fix)",
        kind=lsp.CodeActionKind.SourceFixAll,
        edit=lsp.WorkspaceEdit(changes={doc.uri: [edit]}),
    )


def _quick_fixes(doc, cur, rng: lsp.Range) -> list[lsp.CodeAction]:
    lo, hi = cur.codec.offset(rng.start), cur.codec.offset(rng.end)
    out: list[lsp.CodeAction] = []
    for d in cur.diagnostics:
        if d.fix is None or d.span is None or d.span.end < lo or d.span.start > hi:
            continue
        edits = [lsp.TextEdit(range=cur.codec.range(e.start, e.end), new_text=e.text) for e in d.fix.edits]
        title = d.fix.message if d.fix.safe else f"{d.fix.message} (unsafe: changes the contract's meaning)"
        out.append(
            lsp.CodeAction(
                title=title,
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[to_lsp(d, cur.codec, doc.uri)],
                edit=lsp.WorkspaceEdit(changes={doc.uri: edits}),
                is_preferred=d.fix.safe,
                data={"code": d.code, "safe": d.fix.safe},
            )
        )
    return out
