"""Completion from the tokens before the cursor and the schema of the enclosing block."""

from __future__ import annotations

from lsprotocol import types as lsp
from pydantic import BaseModel

from bpolang.lsp import schema
from bpolang.model import contract as C
from bpolang.model.build import FieldSpec, schema_of

CIK = lsp.CompletionItemKind
COMMON_CURRENCIES = ("EUR", "GBP", "USD", "CHF")


def completions(doc, offset: int, text: str | None = None) -> lsp.CompletionList:
    """The items at an offset of the analysed text, or of `text`, a later version not analysed yet
    (the ids then come from the analysis at hand: completion does not wait for the check)."""
    cur = doc.current
    items: list[lsp.CompletionItem] = []
    if cur is not None:
        cursor = cur.cursor(offset, text)
        if cursor.in_header:
            items = _header_items(cursor)
        else:
            items = _value_items(doc, cursor)
    return lsp.CompletionList(is_incomplete=False, items=items)


def _header_items(cursor) -> list[lsp.CompletionItem]:
    before = cursor.before
    if not cursor.frames:
        if before or "contract" in {t for t in cursor.present()}:
            return []
        return [lsp.CompletionItem(label="contract", kind=CIK.Keyword, detail='contract <id> "Title" { ... }')]
    cls = schema.class_at(cursor.path)
    if cls is None:
        return []
    if before:
        # after the block kind: the qualifier it needs (`party client`)
        if len(before) == 1 and before[0].type == "NAME":
            return [
                lsp.CompletionItem(label=w, kind=CIK.EnumMember) for w in schema.qualifier_options(cls, str(before[0]))
            ]
        return []
    present = cursor.present()
    items = []
    for kw in schema.keywords(cls):
        repeatable = kw.kind == "block" and kw.spec.is_list
        if kw.word in present and not repeatable:
            continue
        doc_md = schema.describe_key(cls, kw.spec)
        if kw.kind == "block":
            items.append(
                lsp.CompletionItem(
                    label=kw.word,
                    kind=CIK.Class if isinstance(kw.spec.child, C.Child) else CIK.Module,
                    detail=schema.child_form(cls, kw.spec),
                    documentation=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=doc_md),
                )
            )
        else:
            items.append(
                lsp.CompletionItem(
                    label=kw.word,
                    kind=CIK.Property,
                    insert_text=f"{kw.word}: ",
                    documentation=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=doc_md),
                )
            )
    return items


def _value_spec(cls: type[BaseModel], key: str) -> tuple[type[BaseModel], FieldSpec] | None:
    """The field a value fills: a key, or the value of an entry-form child (`fee x: ...`)."""
    sch = schema_of(cls)
    spec = sch.keys.get(key)
    if spec is not None:
        return cls, spec
    child = sch.children.get(key)
    if child is not None and isinstance(child.child, C.Child) and child.child.form == "entry":
        assert child.child_cls is not None  # a child block always has its class
        if issubclass(child.child_cls, C.Phrasal):
            return cls, FieldSpec(child.name, child.child_cls, False, child.child_cls)
        vf = child.child.value_field
        sub = schema_of(child.child_cls)
        ann = child.child_cls.model_fields[vf].annotation
        return child.child_cls, sub.keys.get(vf) or FieldSpec(vf, ann, False, ann)
    return None


def _value_items(doc, cursor) -> list[lsp.CompletionItem]:
    cls = schema.class_at(cursor.path)
    key = cursor.key
    if cls is None or key is None:
        return []
    found = _value_spec(cls, key)
    if found is None:
        return []
    owner, spec = found
    opts = schema.value_options(owner, spec)
    last = cursor.value_tokens[-1] if cursor.value_tokens else None
    items: list[lsp.CompletionItem] = []
    if last is not None and last.type == "NUMBER":
        if opts.units:
            items += [lsp.CompletionItem(label=u, kind=CIK.Unit) for u in schema.DURATION_UNITS]
        if opts.currencies:
            items += _currency_items()
        return items
    if last is not None and str(last) == "of" and opts.bases:
        return _base_items()
    items += [lsp.CompletionItem(label=w, kind=CIK.EnumMember) for w in opts.words]
    ids = _ids(doc)
    if opts.ref_kinds is not None:
        items += [
            lsp.CompletionItem(label=i, kind=CIK.Reference, detail=k)
            for i, k in ids
            if not opts.ref_kinds or k in opts.ref_kinds
        ]
    if opts.dates:
        from bpolang.resolve.references import DATE_ANCHORS, DATED

        items += [lsp.CompletionItem(label=a, kind=CIK.Constant, detail=d) for a, d in DATE_ANCHORS.items()]
        items += [lsp.CompletionItem(label=i, kind=CIK.Event, detail=k) for i, k in ids if k in DATED]
    if spec.name == "currency":
        items += _currency_items()
    if opts.bases:
        items += _base_items()
    unique: dict[str, lsp.CompletionItem] = {}
    for it in items:
        unique.setdefault(it.label, it)  # the first item of each label, in order
    return list(unique.values())


def _ids(doc) -> list[tuple[str, str]]:
    """The declared ids and their kinds, from the analysis the outline reads (see Document.symbols_source)."""
    analysis, _mapped = doc.symbols_source
    res = analysis.result.resolution if analysis is not None else None
    return sorted({sym.id: sym.kind for sym in res.symbols.values()}.items()) if res is not None else []


def _currency_items() -> list[lsp.CompletionItem]:
    from bpolang.resolve.references import iso_currencies

    codes = sorted(iso_currencies(), key=lambda c: (c not in COMMON_CURRENCIES, c))
    return [lsp.CompletionItem(label=c, kind=CIK.Unit, sort_text=f"{i:04d}") for i, c in enumerate(codes)]


def _base_items() -> list[lsp.CompletionItem]:
    from bpolang.resolve.references import BUILTIN_BASES

    return [lsp.CompletionItem(label=b, kind=CIK.Variable, detail=d) for b, d in BUILTIN_BASES.items()]
