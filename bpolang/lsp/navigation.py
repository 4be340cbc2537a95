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
    return _symbol_sites(res, move)


def _symbol_sites(res, move) -> list[Site]:
    out: list[Site] = []
    for sym in res.symbols.values():
        span = getattr(sym.node, "id_span", None) or sym.span
        taken = getattr(sym.node, "taken_from", None)
        if taken is not None:  # a clause taken from a library: the library declares it, this names it
            out.append(_site(sym.id, taken, True, move))
        if span is not None:
            out.append(_site(sym.id, span, taken is None, move))
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


def references(doc, offset: int, include_declaration: bool, others: list | None = None) -> list[lsp.Location]:
    """Where the id under the offset is declared and used: in the document, the files it is
    composed of, and ``others``, the analyses (uri, analysis) of the other files composed with the
    file that declares it (a master's statements of work, the contracts using a schedule)."""
    import os

    all_sites = sites(doc)
    here = site_at(_here(all_sites), offset)
    if here is None:
        return []
    out = [
        _location(doc, s)
        for s in sorted(all_sites, key=lambda s: (s.path or "", s.start))
        if s.id == here.id and (include_declaration or not s.declaration)
    ]
    seen = {(loc.uri, loc.range.start.line, loc.range.start.character) for loc in out}
    cur = doc.current
    # each file's sites from its own analysis when there is one (an open file's text may differ from the disk's)
    own = {os.path.realpath(a.path) for _u, a in [(doc.uri, cur), *(others or ())] if a is not None and a.path}
    for uri, analysis in others or ():
        for s in sorted(_sites_of(analysis), key=lambda s: (s.path or "", s.start)):
            if s.id != here.id or (s.declaration and not include_declaration):
                continue
            if s.path is None:
                loc = lsp.Location(uri=uri, range=analysis.codec.range(s.start, s.end))
            elif os.path.realpath(s.path) in own:
                continue  # listed from that file's own analysis
            else:
                loc = lsp.Location(uri=_file_uri(s.path), range=_codec_of(analysis, s.path).range(s.start, s.end))
            key = (loc.uri, loc.range.start.line, loc.range.start.character)
            if key not in seen:
                seen.add(key)
                out.append(loc)
    return out


def prepare_rename(doc, offset: int) -> lsp.Range | None:
    if doc.current is None or doc.current.broken:
        return None
    here = site_at(_here(sites(doc)), offset)
    return doc.current.codec.range(here.start, here.end) if here is not None else None


def declared_in(doc, offset: int) -> str | None:
    """The file (a real path) that declares the id under the offset, when it is not the document
    itself: the master or schedule the rename must reach, with every contract composed with it."""
    import os

    all_sites = sites(doc)
    here = site_at(_here(all_sites), offset)
    if here is None:
        return None
    where = next((s.path for s in all_sites if s.id == here.id and s.declaration), None)
    if where is not None:
        return os.path.realpath(where)
    return os.path.realpath(doc.current.path) if doc.current is not None and doc.current.path else None


def rename(doc, offset: int, new_id: str, others: list | None = None) -> lsp.WorkspaceEdit | None:
    """Edits renaming the id under the offset everywhere; RenameRefused when the new id is not acceptable.

    ``others`` are the analyses (uri, analysis) of the other files composed with the file that
    declares the id (its master, its schedules, the contracts under it): the id is renamed in
    each, and in the files they are composed of.
    """
    import os

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
    if not NAME.match(new_id):
        raise RenameRefused(
            f"`{new_id}` is not a valid id: ids use ASCII letters, digits and `_`, and do not start with a digit"
        )
    if new_id in DATE_ANCHORS or new_id in BUILTIN_BASES:
        raise RenameRefused(f"`{new_id}` is a built-in name and cannot be used as an id")
    analyses = [(doc.uri, cur, all_sites)] + [(u, a, _sites_of(a)) for u, a in others or ()]
    for uri, analysis, _found in analyses:
        if analysis.broken:
            raise RenameRefused(f"{uri} has syntax errors: fix them before renaming")
        symbols = analysis.result.resolution.symbols
        if new_id != here.id and new_id in symbols:
            raise RenameRefused(f"`{new_id}` is already the id of a {symbols[new_id].kind}")
    # each file's sites from its own analysis, when it has one here (an open file's text may not
    # be what is on disk); else from a composed analysis that read it from disk
    own = {os.path.realpath(a.path): (uri, a.codec) for uri, a, _f in analyses if a.path}
    edits: dict[str, dict[tuple[int, int], lsp.TextEdit]] = {}
    for uri, analysis, found in analyses:
        for s in found:
            if s.id != here.id:
                continue
            if s.path is None:
                target, codec = uri, analysis.codec
            else:
                real = os.path.realpath(s.path)
                if real in own:
                    continue  # renamed from that file's own analysis
                target, codec = _file_uri(s.path), _codec_of(analysis, s.path)
            edit = lsp.TextEdit(range=codec.range(s.start, s.end), new_text=new_id)
            edits.setdefault(target, {})[(s.start, s.end)] = edit
    return lsp.WorkspaceEdit(changes={u: [e[k] for k in sorted(e)] for u, e in edits.items()})


def _sites_of(analysis) -> list[Site]:
    res = analysis.result.resolution
    if res is None:
        return []
    return _symbol_sites(res, lambda x: x)


def _file_uri(path: str) -> str:
    import os

    from pygls.uris import from_fs_path

    return from_fs_path(os.path.abspath(path)) or path


def _codec_of(analysis, path: str):
    """The positions of a file an analysis is composed of, as read from disk."""
    from bpolang.lsp.positions import PositionCodec

    part = analysis.result.parts.get(path)
    return PositionCodec(part.source.text if part is not None else "", analysis.codec.encoding)
