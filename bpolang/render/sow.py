"""A statement of work rendered as itself: its own terms, and the master's articles it inherits.

`bpo render sow.bpo` renders the document the parties sign for one statement of work: the terms
it writes (its services, service levels, prices, its own clauses), the parties and the dates its
calendar is computed from, and an article that refers to the master agreement's articles for
every term it inherits ("The terms of the Master Agreement (northwind_msa), Article 9
(Liability), apply."). The master's article numbers are read from the master's own rendering in
the same language: each article of the master is matched with the terms it states through the
provenance of its sentences, so nothing is numbered by hand. `--consolidated` renders the whole
contract instead (:func:`bpolang.render.document` of the composed model).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from bpolang.model import contract as C

# the terms a statement of work's document states even when it inherits them: who the parties are,
# and the dates its calendar and deadlines are computed from
FRAME = frozenset(
    {
        "language",
        "nature",
        "parties",
        "party_groups",
        "as_of",
        "effective",
        "term",
        "end",
        "calendar",
        "calendars",
        "signed_at",
        "signature_date",
        "signatures",
    }
)


@dataclass(frozen=True)
class MasterArticle:
    """An article of the master that states terms the statement of work inherits."""

    number: str
    title: str
    terms: tuple[str, ...]  # the inherited terms it states, as model paths (`liability[overall]`)


@dataclass(frozen=True)
class Master:
    """The master agreement a statement of work refers to, and where its inherited terms are."""

    id: str
    title: str
    articles: tuple[MasterArticle, ...]
    rest: tuple[str, ...]  # inherited terms no article of the master states


def _empty(v: Any) -> bool:
    return v is None or v == []


def _path(name: str, e: Any, i: int) -> str:
    return f"{name}[{e.id if isinstance(e, C.Element) and e.id else i}]"


def split(composed: C.Contract, own: C.Contract, master: C.Contract) -> tuple[C.Contract, list[str]]:
    """The statement of work's own document model, and the paths of the terms it inherits.

    A term is inherited when the master writes it and the statement of work does not: a key or a
    single block it leaves out, an element of the master's (by id) it does not replace. Terms a
    schedule of the statement of work adds are its own.
    """
    from bpolang.resolve.compose import term_fields

    update: dict[str, Any] = {}
    inherited: list[str] = []
    for name in term_fields():
        value, mine, theirs = getattr(composed, name), getattr(own, name), getattr(master, name)
        if _empty(value) or _empty(theirs) or name in FRAME:
            continue
        if isinstance(value, list) and all(isinstance(e, C.Element) for e in value):
            own_ids = {e.id for e in mine if e.id is not None}
            master_ids = {e.id for e in theirs if e.id is not None}
            kept = []
            for i, e in enumerate(value):
                from_master = e.id in master_ids if e.id is not None else e in theirs and e not in mine
                if from_master and e.id not in own_ids:
                    inherited.append(_path(name, e, i))
                else:
                    kept.append(e)
            if len(kept) != len(value):
                update[name] = kept
        elif _empty(mine):
            inherited.append(name)
            update[name] = [] if isinstance(value, list) else None
    return (composed.model_copy(update=update) if update else composed), inherited


def _states(source: str, term: str) -> bool:
    return source == term or source.startswith((term + ".", term + "["))


def master_articles(master: C.Contract, resolution: Any, lang: str, inherited: list[str]) -> Master:
    """The articles of the master's own document (in ``lang``) that state each inherited term."""
    from bpolang.render.build import build_document
    from bpolang.render.ir import pieces

    doc = build_document(master, resolution, lang)
    article_of: dict[str, Any] = {}
    for a in doc.articles:
        article_of[a.key] = a
        for s in a.subsections:
            article_of[s.key] = a
    stated: dict[str, list[str]] = {}
    for piece in pieces(doc):
        article = article_of.get(piece.section)
        if article is None:
            continue
        terms = stated.setdefault(article.key, [])
        for term in inherited:
            if term not in terms and any(_states(s, term) for s in piece.origin.sources):
                terms.append(term)
    articles = tuple(MasterArticle(a.number, a.title, tuple(stated[a.key])) for a in doc.articles if stated.get(a.key))
    placed = {t for a in articles for t in a.terms}
    return Master(master.id or "", master.title or "", articles, tuple(t for t in inherited if t not in placed))


def master_path(result: Any) -> str | None:
    """The file of the master a statement of work names (`under`), as the composition read it."""
    contract = result.contract
    if contract is None or not isinstance(contract.under, str) or not result.source.path:
        return None
    return os.path.normpath(os.path.join(os.path.dirname(result.source.path), contract.under))


def statement_of_work(result: Any, lang: str) -> Any:
    """The document of a statement of work as itself (see the module), or None for a contract
    that names no master."""
    from bpolang.check.pipeline import load, parse
    from bpolang.render.build import Builder

    path = master_path(result)
    if path is None:
        return None
    own = parse(result.source.text, result.source.path, alone=True).contract
    master = load(path)
    if own is None or master.contract is None:
        return None
    contract, inherited = split(result.contract, own, master.contract)
    refs = master_articles(master.contract, master.resolution, lang, inherited)
    return Builder(contract, result.resolution, lang, master=refs).build()
