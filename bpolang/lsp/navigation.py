"""Ids: where each is declared and referred to; definition, references and rename."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lsprotocol import types as lsp

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Site:
    id: str
    start: int
    end: int
    declaration: bool
    # the file the site is in when it is not the document: an id its master or a schedule declares
    path: str | None = None


class RenameRefused(Exception):
    """The new id is not acceptable; the message says why."""


def sites(doc) -> list[Site]:
    """Declarations and references of ids, at offsets of the current text."""
    analysis, mapped = _source(doc)
    if analysis is None:
        return []
    res = analysis.result.resolution
    move = doc.map_offset if mapped else (lambda x: x)
    out: list[Site] = []
    for sym in res.symbols.values():
        span = getattr(sym.node, "id_span", None) or sym.span
        if span is not None:
            out.append(_site(sym.id, span, True, move))
    for ref, sym in res.references:
        if sym is not None and ref.span is not None:
            out.append(_site(sym.id, ref.span, False, move))
    return out


def _site(id: str, span, declaration: bool, move) -> Site:
    if span.path is not None:  # in another file: its offsets are that file's, not moved by edits here
        return Site(id, span.start, span.end, declaration, span.path)
    return Site(id, move(span.start), move(span.end), declaration)


def _location(doc, site: Site) -> lsp.Location:
    """Where a site is: in the document, or in the file of the composition it is written in."""
    codec = doc.current.codec
    if site.path is None:
        return lsp.Location(uri=doc.uri, range=codec.range(site.start, site.end))
    import os

    from pygls.uris import from_fs_path

    from bpolang.lsp.positions import PositionCodec

    analysis, _mapped = _source(doc)
    part = analysis.result.parts.get(site.path) if analysis is not None else None
    text = part.source.text if part is not None else ""
    other = PositionCodec(text, codec.encoding)
    return lsp.Location(
        uri=from_fs_path(os.path.abspath(site.path)) or site.path, range=other.range(site.start, site.end)
    )


def _source(doc):
    """The current analysis if it has a resolution, else the last good one (offsets mapped)."""
    analysis, mapped = doc.symbols_source
    if analysis is None or analysis.result.resolution is None:
        return None, False
    return analysis, mapped


def site_at(all_sites: list[Site], offset: int) -> Site | None:
    best = None
    for s in all_sites:
        if s.start <= offset <= s.end and (best is None or s.end - s.start < best.end - best.start):
            best = s
    return best


def definition(doc, offset: int) -> list[lsp.Location]:
    all_sites = sites(doc)
    here = site_at(_here(all_sites), offset)
    if here is None:
        return []
    return [_location(doc, s) for s in all_sites if s.id == here.id and s.declaration]


def _here(all_sites: list[Site]) -> list[Site]:
    """The sites written in the document itself (the cursor is in it)."""
    return [s for s in all_sites if s.path is None]


def references(doc, offset: int, include_declaration: bool) -> list[lsp.Location]:
    all_sites = sites(doc)
    here = site_at(_here(all_sites), offset)
    if here is None:
        return []
    return [
        _location(doc, s)
        for s in sorted(all_sites, key=lambda s: (s.path or "", s.start))
        if s.id == here.id and (include_declaration or not s.declaration)
    ]


def prepare_rename(doc, offset: int) -> lsp.Range | None:
    if doc.current is None or doc.current.broken:
        return None
    here = site_at(_here(sites(doc)), offset)
    return doc.current.codec.range(here.start, here.end) if here is not None else None


def rename(doc, offset: int, new_id: str) -> lsp.WorkspaceEdit | None:
    """Edits renaming the id under the offset everywhere; RenameRefused when the new id is not acceptable."""
    from bpolang.resolve.references import BUILTIN_BASES, DATE_ANCHORS

    cur = doc.current
    if cur is None:
        return None
    if cur.broken:
        raise RenameRefused("the contract has syntax errors: fix them before renaming")
    all_sites = sites(doc)
    here = site_at(_here(all_sites), offset)
    if here is None:
        return None
    elsewhere = sorted({s.path for s in all_sites if s.id == here.id and s.path is not None})
    if elsewhere:
        raise RenameRefused(f"`{here.id}` is also written in {', '.join(elsewhere)}: rename it there first")
    if not NAME.match(new_id):
        raise RenameRefused(
            f"`{new_id}` is not a valid id: ids use ASCII letters, digits and `_`, and do not start with a digit"
        )
    if new_id in DATE_ANCHORS or new_id in BUILTIN_BASES:
        raise RenameRefused(f"`{new_id}` is a built-in name and cannot be used as an id")
    if new_id != here.id and new_id in cur.result.resolution.symbols:
        kind = cur.result.resolution.symbols[new_id].kind
        raise RenameRefused(f"`{new_id}` is already the id of a {kind}")
    edits = [
        lsp.TextEdit(range=cur.codec.range(s.start, s.end), new_text=new_id)
        for s in sorted(all_sites, key=lambda s: s.start)
        if s.id == here.id
    ]
    return lsp.WorkspaceEdit(changes={doc.uri: edits})
