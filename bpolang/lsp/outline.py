"""The outline (document symbols) and folding ranges, from the syntax tree."""

from __future__ import annotations

from lsprotocol import types as lsp

from bpolang.syntax.nodes import Bare, Block, Entry, ListNode, Lit, Statement

K = lsp.SymbolKind
KINDS = {
    "contract": K.Module,
    "party": K.Object,
    "party_group": K.Object,
    "service": K.Class,
    "deliverable": K.File,
    "milestone": K.Event,
    "sla": K.Interface,
    "severity": K.EnumMember,
    "credit_regime": K.Struct,
    "penalty": K.Operator,
    "data": K.Array,
    "committee": K.Namespace,
    "report": K.File,
    "clause": K.String,
    "exclude": K.String,
    "fee": K.Field,
    "unit": K.Field,
    "rate": K.Field,
    "tier": K.Field,
}
MAX_DETAIL = 60


def _source(doc):
    analysis, mapped = doc.symbols_source
    move = doc.map_offset if mapped else (lambda x: x)
    return analysis, move


def document_symbols(doc) -> list[lsp.DocumentSymbol]:
    """The outline: a symbol for each statement, nested as the blocks are.

    The symbols of the contract's statements are kept with the document and given again while
    a statement is the same (an incremental re-check reuses the statements an edit did not
    touch) and starts at the same line and column: typing in one block costs that block's
    symbols, not the whole outline's.
    """
    analysis, mapped = doc.symbols_source
    if analysis is None or analysis.result.syntax is None:
        return []
    move = doc.map_offset if mapped else (lambda x: x)
    codec = doc.current.codec
    text = analysis.source_text
    known = {} if mapped else doc.outline
    kept: dict[int, tuple[Statement, int, int, lsp.DocumentSymbol]] = {}

    def symbol(stmt: Statement, children: list[lsp.DocumentSymbol] | None = None) -> lsp.DocumentSymbol:
        words = stmt.header.words
        kw = words[0].text
        title = stmt.header.title
        name = " ".join(w.text for w in words)
        if isinstance(stmt, Entry):
            detail = " ".join(text[stmt.value.start : stmt.value.end].split())
            kind = KINDS.get(kw, K.Property) if len(words) > 1 else K.Property
        else:
            detail = title.text[1:-1] if title is not None else ""
            kind = KINDS.get(kw, K.Namespace)
        if len(detail) > MAX_DETAIL:
            detail = detail[: MAX_DETAIL - 1] + "…"
        sel = words[-1]
        start, end = move(stmt.start), move(stmt.end)
        sel_start, sel_end = move(sel.start), move(sel.end)
        if children is None:
            children = [symbol(s) for s in stmt.body] if isinstance(stmt, Block) else []
        return lsp.DocumentSymbol(
            name=name,
            detail=detail or None,
            kind=kind,
            range=codec.range(start, max(end, start)),
            selection_range=codec.range(sel_start, max(sel_end, sel_start)),
            children=children or None,
        )

    def statement(stmt: Statement) -> lsp.DocumentSymbol:
        """A statement of the contract's body: its symbols as last time if it did not change."""
        at = codec.position(move(stmt.start))
        hit = known.get(id(stmt))
        if hit is not None and hit[0] is stmt and hit[1] == at.line and hit[2] == at.character:
            sym = hit[3]
        else:
            sym = symbol(stmt)
        kept[id(stmt)] = (stmt, at.line, at.character, sym)
        return sym

    # recursion is bounded: the lexer caps nesting at 64 levels
    out = [
        symbol(top, [statement(s) for s in top.body]) if isinstance(top, Block) else symbol(top)
        for top in analysis.result.syntax.body
    ]
    if not mapped:
        doc.outline = kept
    return out


def outline_json(doc, unstructure) -> list[dict]:
    """The outline as the JSON values sent to the editor: the symbols of the statements kept from
    one outline to the next (see document_symbols) are converted once, not at every request
    (converting 8,000 symbols costs a third of a second)."""
    import attrs

    known = doc.outline_json
    kept: dict[int, tuple[lsp.DocumentSymbol, dict]] = {}

    def converted(sym: lsp.DocumentSymbol) -> dict:
        hit = known.get(id(sym))
        if hit is None or hit[0] is not sym:
            hit = (sym, unstructure(sym))
        kept[id(sym)] = hit
        return hit[1]

    out = []
    for top in document_symbols(doc):
        value = unstructure(attrs.evolve(top, children=None))
        if top.children:
            value["children"] = [converted(c) for c in top.children]
        out.append(value)
    doc.outline_json = kept
    return out


def folding_ranges(doc) -> list[lsp.FoldingRange]:
    analysis, move = _source(doc)
    if analysis is None or analysis.result.syntax is None:
        return []
    codec = doc.current.codec
    out: list[lsp.FoldingRange] = []

    def add(start: int, end: int, kind=None) -> None:
        a, b = codec.position(move(start)).line, codec.position(move(end)).line
        if b > a:
            out.append(lsp.FoldingRange(start_line=a, end_line=b, kind=kind))

    from bpolang.syntax.nodes import iter_nodes

    for s in iter_nodes(analysis.result.syntax.body):
        if isinstance(s, Block):
            close_line = codec.position(move(s.close)).line
            open_line = codec.position(move(s.open)).line
            # keep the closing brace visible
            if close_line - 1 > open_line:
                out.append(
                    lsp.FoldingRange(start_line=open_line, end_line=close_line - 1, kind=lsp.FoldingRangeKind.Region)
                )
        elif isinstance(s, Entry):
            for item in s.value.items:
                if isinstance(item, ListNode) or (isinstance(item, Lit) and item.kind == "TEXT"):
                    add(item.start, item.end, lsp.FoldingRangeKind.Region)
        elif isinstance(s, Bare):
            continue
    # runs of comment lines
    run: list = []
    for c in analysis.result.syntax.comments + [None]:
        if (
            c is not None
            and c.own_line
            and run
            and codec.position(move(c.start)).line == codec.position(move(run[-1].start)).line + 1
        ):
            run.append(c)
            continue
        if len(run) > 1:
            add(run[0].start, run[-1].start, lsp.FoldingRangeKind.Comment)
        run = [c] if c is not None and c.own_line else []
    return out
