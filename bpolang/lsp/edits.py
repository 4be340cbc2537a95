"""Formatting through `bpo fmt`'s own function, and the validator's fixes as quick fixes."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from lsprotocol import types as lsp

from bpolang.check.incremental import difference
from bpolang.lsp.diagnostics import to_lsp
from bpolang.syntax.words import UNKNOWN_WORDS as _UNKNOWN

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


def code_actions(doc, rng: lsp.Range, only: list[str] | None = None, snippets: bool = False) -> list[lsp.CodeAction]:
    """A quick fix for each diagnostic with a fix that touches the range, and "fix all" for the safe ones.

    `snippets`: the editor takes snippet edits (LSP 3.18 `snippetEditSupport`); a missing key
    without a fix (its value cannot be `tbd`) is then offered as a snippet.
    """
    cur = doc.current
    if cur is None:
        return []
    wanted = lambda kind: not only or any(kind == k or kind.startswith(k + ".") for k in only)  # noqa: E731
    out: list[lsp.CodeAction] = []
    if wanted(lsp.CodeActionKind.QuickFix):
        out += _quick_fixes(doc, cur, rng)
        if snippets:
            out += _missing_keys(doc, cur, rng)
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


def _missing_keys(doc, cur, rng: lsp.Range) -> list[lsp.CodeAction]:
    """A missing key (BPO015) without a fix, its value not one that can be `tbd`, inserted at the
    end of its block as a snippet: the key's choices offered where it has some, a text's quotes
    written with the cursor between them, else a placeholder to type over."""
    from bpolang.lsp.schema import class_at, leaves, value_options
    from bpolang.model.build import schema_of
    from bpolang.syntax.nodes import Block, line_insertion

    syntax = cur.result.syntax
    if syntax is None:
        return []
    lo, hi = cur.codec.offset(rng.start), cur.codec.offset(rng.end)
    blocks = None
    out: list[lsp.CodeAction] = []
    for d in cur.diagnostics:
        if d.code != "BPO015" or d.fix is not None or d.span is None or d.span.path is not None:
            continue
        if d.span.end < lo or d.span.start > hi:
            continue
        if blocks is None:
            blocks = {s.header.start: s for s in syntax.statements() if isinstance(s, Block)}
        block = blocks.get(d.span.start)
        named = _NEEDS.search(d.message)
        cls = class_at(cur.cursor(block.open + 1).path) if block is not None else None
        spec = schema_of(cls).keys.get(named.group(1)) if cls is not None and named else None
        if block is None or cls is None or spec is None:
            continue
        key = spec.name
        edit = line_insertion(cur.source_text, block, f"{key}: ")
        if edit is None:
            continue  # the block's closing brace shares its line
        choices = [w for w in value_options(cls, spec).words if w not in _UNKNOWN]
        if choices:
            value = "${1|" + ",".join(choices) + "|}"
        else:
            value = '"$1"' if str in leaves(spec.annotation) else "${1:value}"
        head, _, tail = edit.text.partition(f"{key}: ")
        out.append(
            lsp.CodeAction(
                title=f"add `{key}: …`",
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[to_lsp(d, cur.codec, doc.uri)],
                edit=lsp.WorkspaceEdit(
                    document_changes=[
                        lsp.TextDocumentEdit(
                            text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=cur.version),
                            edits=[
                                lsp.SnippetTextEdit(
                                    range=cur.codec.range(edit.start, edit.end),
                                    snippet=lsp.StringValue(value=_escape(head) + f"{key}: " + value + _escape(tail)),
                                )
                            ],
                        )
                    ]
                ),
                data={"code": d.code, "safe": False},
            )
        )
    return out


# the key a BPO015 names (bpolang.model.build: "`sla` needs `comparator`", "needs `text: ...`")
_NEEDS = re.compile(r"needs `(\w+)")


def _escape(text: str) -> str:
    """Text as it reads in a snippet ($, } and \\ taken literally)."""
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")
