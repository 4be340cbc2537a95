"""Hover: the documentation of a keyword, the resolved value under the cursor, the rule of a diagnostic."""

from __future__ import annotations

import datetime as dt

from lsprotocol import types as lsp
from pydantic import BaseModel

from bpolang.lsp import schema
from bpolang.lsp.navigation import site_at, sites
from bpolang.model import contract as C
from bpolang.model.build import schema_of
from bpolang.model.values import DateExpr, Recurrence, Unknown
from bpolang.syntax.words import UNKNOWN_MEANINGS

MAX_OCCURRENCES = 5


def hover(doc, offset: int, today: dt.date | None = None) -> lsp.Hover | None:
    cur = doc.current
    if cur is None:
        return None
    cursor = cur.cursor(offset)
    parts: list[str] = []
    tok = cursor.token
    if tok is not None and tok.type == "NAME" and cursor.in_header and cursor.statement and cursor.statement[0] is tok:
        doc_text = keyword_doc(cursor.path, str(tok))
        if doc_text:
            parts.append(doc_text)
    if tok is not None and tok.type == "TRANSLATION":
        parts.append(translation_doc(str(tok)))
    if not parts:
        site = site_at(sites(doc), offset)
        if site is not None:
            parts.append(symbol_doc(doc, site.id))
    value = value_doc(cur, offset, today or dt.date.today())
    if value:
        parts.append(value)
    parts += [
        rule_doc(d.code)
        for d in cur.diagnostics
        if d.span is not None and d.span.path is None and d.span.start <= offset <= d.span.end
    ]
    parts = [p for p in parts if p]
    if not parts:
        return None
    rng = cur.codec.range(tok.start_pos, tok.end_pos) if tok is not None else None
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)), range=rng
    )


def translation_doc(marker: str) -> str:
    """`/ en:`: what a translation is, in the language it names."""
    code = marker.strip("/: \t")
    name = {"fr": "French", "en": "English"}.get(code)
    if name is None:
        return f"`{code}` is not a language a contract is rendered in: a translation is into `fr` or `en`."
    return (
        f"Translation into **{name}** of the text before it: the document in {name} uses it "
        "instead of the text as written (see the language reference, *Texts in two languages*)."
    )


def keyword_doc(path: list[str], word: str) -> str | None:
    """The schema's documentation of a block kind or key written in the block at `path`."""
    if not path:
        if word == "contract":
            keys = schema_of(C.Contract).words()
            return (
                '**`contract`** — the contract: `contract <id> "Title" { ... }`, one per file.\n\nTakes: '
                + ", ".join(f"`{k}`" for k in keys)
            )
        return None
    cls = schema.class_at(path)
    if cls is None:
        return None
    sch = schema_of(cls)
    spec = sch.children.get(word) or sch.keys.get(word)
    if spec is None:
        return None
    return schema.describe_key(cls, spec)


def symbol_doc(doc, ident: str) -> str:
    res = (
        doc.current.result.resolution
        if doc.current.result.resolution is not None
        else (doc.good.result.resolution if doc.good else None)
    )
    sym = res.symbols.get(ident) if res is not None else None
    if res is None or sym is None:
        return f"`{ident}`"
    title = getattr(sym.node, "title", None)
    lines = [f"**{sym.kind}** `{ident}`" + (f" — {title}" if title else "")]
    when = res.dates.get(ident)
    if when is not None:
        lines.append(f"Date: **{when.isoformat()}** ({when.strftime('%A')})")
    return "\n\n".join(lines)


def _smallest_value(contract: BaseModel, offset: int):
    """The (owner, field, value) of the key value holding the offset (a whole `cap`, not its percentage)."""
    from bpolang.resolve.references import walk

    best = None
    for owner, name, value in walk(contract):
        span = getattr(value, "span", None)
        if (
            not isinstance(owner, C.Node)
            or not isinstance(value, BaseModel)
            or isinstance(value, C.Node)
            or span is None
            or span.path is not None  # written in the master, not in this document
        ):
            continue
        if span.start <= offset <= span.end and (best is None or span.end - span.start < best[3]):
            best = (owner, name, value, span.end - span.start)
    return best


def value_doc(analysis, offset: int, today: dt.date) -> str | None:
    """What the value under the cursor comes to: a calendar date, the next occurrences, an amount."""
    result = analysis.result
    contract, res = result.contract, result.resolution
    if contract is None or res is None:
        return None
    found = _smallest_value(contract, offset)
    if found is None:
        return None
    owner, _name, value, _ = found
    if isinstance(value, Unknown):
        return f"`{value.unknown}`: " + UNKNOWN_MEANINGS[value.unknown]
    from bpolang.i18n.fmt import Fmt

    fmt = Fmt.for_contract(contract, contract.language or "en")
    if isinstance(value, DateExpr):
        when = res.date_of(value)
        if when is None:
            return "No calendar date yet: " + fmt.date_expr(value)
        return f"**{when.isoformat()}** — {fmt.date(when)} ({when.strftime('%A')})"
    if isinstance(value, Recurrence):
        occurrences = res.occurrences.get(getattr(owner, "id", None) or "") or []
        text = fmt.recurrence(value)
        if not occurrences:
            return f"{text}\n\nNo occurrences computed (the start or the end of the term is not known)."
        upcoming = [d for d in occurrences if d >= today] or occurrences[-MAX_OCCURRENCES:]
        shown = ", ".join(d.isoformat() for d in upcoming[:MAX_OCCURRENCES])
        return f"{text}\n\nNext: {shown} ({len(occurrences)} over the term)"
    text = fmt.value(value)
    share = share_of(contract, value)
    if share is not None:
        text += f"\n\n= **{fmt.money(share)}** at the fees written"
    return text


def share_of(contract, value):
    """The amount a share of a fee base comes to (`10% of monthly_fees`), when the base is fixed."""
    from bpolang.model.bases import share_amount
    from bpolang.model.values import RelativeAmount

    rel = value if isinstance(value, RelativeAmount) else getattr(value, "amount", None)
    return share_amount(contract, rel) if isinstance(rel, RelativeAmount) else None


def rule_doc(code: str) -> str:
    from bpolang.check.rules.registry import lookup

    r = lookup(code)
    if r is None:
        return f"`{code}`"
    lines = [f"**{r.code} {r.name}** ({r.severity.value}) — {r.summary}"]
    for section in ("What it checks", "Why it matters", "Fix"):
        body = r.sections.get(section)
        if body:
            lines += ["", f"*{section}*", "", body]
    lines += ["", f"[Documentation]({r.url()})"]
    return "\n".join(lines)
