"""Compare two contract models by meaning, field by field, from the models' own structure.

Every field of every block class is read from ``model_fields`` and given one treatment
(:func:`plan`): a list of child blocks is matched by kind and id, a list of phrases or
scalars is compared as a set (order carries no meaning), a single child block is compared
recursively, anything else is one value.  Only positions (``span``) are excluded, and the
id of a block, which is what matches it.  A new key in the model is therefore compared
without any change here; ``tests/test_diff.py`` checks that every field has a treatment.

Text is compared after whitespace normalisation, numbers by value (98 % is 98.0 %).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from bpolang.model import contract as C
from bpolang.model.values import Recurrence
from bpolang.resolve.references import KIND_OF_CLASS

# Fields never compared: positions.  The id of an element is its matching key.
EXCLUDED = {"span"}
# Lists whose order is part of the meaning (escalation goes level by level; the first document
# of the order of precedence prevails).
ORDERED = {(C.Governance, "escalation"), (C.Contract, "precedence")}

BLOCKS, BLOCK, ITEMS, SET, VALUE, KEY = "blocks", "block", "items", "set", "value", "key"


@dataclass
class Change:
    """One difference: where (block kind and path), what kind of change, old and new values."""

    kind: str  # kind of the block concerned: contract, sla, pricing, fee, exclusion ...
    path: tuple[str, ...]  # block kinds and ids from the contract down, then the key
    change: str  # added | removed | changed | reordered | moved
    key: str | None = None  # the field changed; None when a whole block is added or removed
    old: Any = None
    new: Any = None
    owner_old: Any = None  # the block holding the field, in each version
    owner_new: Any = None
    chain: tuple[Any, ...] = ()  # the enclosing blocks (new version where it exists), outermost first
    added: list[Any] = field(default_factory=list)  # for set changes: the items added ...
    removed: list[Any] = field(default_factory=list)  # ... and removed
    reason: dict[str, Any] | None = None  # for a moved date: why it moved
    # for a translation: its language; `key` is then the translated text's place (`title`, `recitals.0`)
    translation: str | None = None
    sentence: str = ""


# ------------------------------------------------------------------ structure
def members(annotation: Any) -> list[Any]:
    """The types an annotation admits (through Optional, Union and Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return members(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for a in typing.get_args(annotation):
            out += members(a)
        return out
    return [annotation]


def _is_model(t: Any, base: type) -> bool:
    return isinstance(t, type) and issubclass(t, base)


@functools.cache
def plan(cls: type[BaseModel]) -> dict[str, str]:
    """How each field of a block class is compared (see the module docstring)."""
    out: dict[str, str] = {}
    for name, info in cls.model_fields.items():
        if name in EXCLUDED:
            continue
        if name == "id" and issubclass(cls, C.Element) and cls is not C.Contract:
            out[name] = KEY
            continue
        kinds = members(info.annotation)
        lists = [typing.get_args(k)[0] for k in kinds if typing.get_origin(k) is list]
        if lists:
            item = members(lists[0])
            if any(_is_model(t, C.Element) for t in item):
                out[name] = BLOCKS
            elif any(_is_model(t, BaseModel) for t in item):
                out[name] = ITEMS
            else:
                out[name] = SET
        elif any(_is_model(t, C.Node) for t in kinds):
            out[name] = BLOCK
        else:
            out[name] = VALUE
    return out


def block_classes() -> list[type[C.Node]]:
    """Every block class reachable from :class:`Contract`."""
    seen: list[type[C.Node]] = []
    todo: list[type[C.Node]] = [C.Contract]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.append(cls)
        for name, how in plan(cls).items():
            if how in (BLOCKS, BLOCK):
                ann = cls.model_fields[name].annotation
                for k in members(ann):
                    inner = members(typing.get_args(k)[0]) if typing.get_origin(k) is list else [k]
                    todo += [t for t in inner if _is_model(t, C.Node)]
    return seen


def kind_of(node: Any) -> str:
    """The kind of a block, as the language writes it: `sla`, `fee`, `pricing`, `exclusion`."""
    if isinstance(node, C.Contract):
        return "contract"
    kind = KIND_OF_CLASS.get(type(node))
    if kind:
        return kind
    return _single_kinds().get(type(node), type(node).__name__.lower())


@functools.cache
def _single_kinds() -> dict[type, str]:
    """Blocks written once (`pricing { ... }`) are named by their key; an `exclude` is an exclusion."""
    out: dict[type, str] = {C.Exclusion: "exclusion"}
    for cls in block_classes():
        for name, how in plan(cls).items():
            if how == BLOCK:
                for t in members(cls.model_fields[name].annotation):
                    if _is_model(t, C.Node):
                        out[t] = name
    return out


# ------------------------------------------------------------------ canonical values
def norm_text(s: str) -> str:
    """Text as compared: runs of whitespace (spaces, tabs, line breaks) count as one space."""
    return " ".join(s.split())


def canon(value: Any) -> Any:
    """A comparable, hashable form of any value: no positions, text normalised, numbers by value.

    Lists inside blocks are put in a fixed order where their order carries no meaning.
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return norm_text(value)
    if isinstance(value, Decimal):
        return ("#", str(value.normalize()))
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, C.Node):
        out = []
        for name, how in plan(type(value)).items():
            v = getattr(value, name)
            if how == BLOCKS and (type(value), name) not in ORDERED:
                out.append(
                    (name, tuple(sorted(((k, canon(e)) for k, e in _keyed(v).items()), key=lambda kv: repr(kv[0]))))
                )
            elif how in (ITEMS, SET) and (type(value), name) in ORDERED:
                out.append((name, tuple(canon(x) for x in v)))
            elif how in (ITEMS, SET):
                out.append((name, tuple(sorted({canon(x) for x in v}, key=repr))))
            elif how == KEY:
                out.append((name, v))
            else:
                out.append((name, canon(v)))
        return (type(value).__name__, tuple(out))
    if isinstance(value, BaseModel):
        return (
            type(value).__name__,
            tuple((n, canon(getattr(value, n))) for n in type(value).model_fields if n not in EXCLUDED),
        )
    if isinstance(value, list | tuple):
        return tuple(canon(x) for x in value)
    return repr(value)


def canonical(contract: C.Contract | None) -> Any:
    """What a contract means, for comparison: two contracts differ by meaning iff this differs."""
    return canon(contract)


def to_json(value: Any) -> Any:
    """A value of the model as JSON data: model dumps without positions, dates in ISO form."""
    from bpolang.model.compare import strip_spans

    if isinstance(value, BaseModel):
        return strip_spans(value.model_dump(mode="json"))
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return json.loads(json.dumps(value, default=str))


# ------------------------------------------------------------------ matching
def element_key(el: Any) -> tuple[str, str]:
    """How a block is matched between versions: by id, else by its title (an `exclude`)."""
    if isinstance(el, C.Element) and el.id:
        return ("id", el.id)
    if isinstance(el, C.Element) and el.title:
        return ("title", norm_text(el.title))
    return ("value", repr(canon(el)))


def _keyed(items: list[Any]) -> dict[tuple[str, str, int], Any]:
    groups: dict[tuple[str, str], list[Any]] = {}
    for el in items:
        groups.setdefault(element_key(el), []).append(el)
    out: dict[tuple[str, str, int], Any] = {}
    for k, els in groups.items():
        if len(els) > 1:
            # a duplicated id (an error in the file): matched by content, so that moving the
            # blocks around still changes nothing
            els = sorted(els, key=lambda e: repr(canon(e)))
        for n, el in enumerate(els):
            out[(*k, n)] = el
    return out


def _segment(el: Any) -> str:
    kind = kind_of(el)
    if isinstance(el, C.Element) and not isinstance(el, C.Contract):
        k = element_key(el)
        return f"{kind}:{k[1]}"
    return kind


def _by_text(node: Any, translations: dict[str, dict[str, str]]) -> dict[tuple, tuple[str, dict[str, str]]]:
    """A block's translations keyed for comparison: by place, but an item of a list by its text."""
    out: dict[tuple, tuple[str, dict[str, str]]] = {}
    for place, given in translations.items():
        field, _, rest = place.partition(".")
        index = rest.split(".", 1)[0]
        items = node.__dict__.get(field) if index.isdigit() else None
        if isinstance(items, list) and int(index) < len(items) and isinstance(items[int(index)], str):
            out[(field, norm_text(items[int(index)]), rest[len(index) :])] = (place, given)
        else:
            out[(place,)] = (place, given)
    return out


# ------------------------------------------------------------------ comparison
class Differ:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def node(self, old: Any, new: Any, path: tuple[str, ...], chain: tuple[Any, ...]) -> None:
        cls: type[BaseModel] = type(new)
        kind = kind_of(new)
        for name, how in plan(cls).items():
            a, b = getattr(old, name), getattr(new, name)
            if how == KEY:
                continue
            if name == "translations":
                self.translations(a, b, old, new, path, chain)
            elif how == VALUE:
                if canon(a) != canon(b):
                    change = "added" if a is None else "removed" if b is None else "changed"
                    self._add(Change(kind, path + (name,), change, name, a, b, old, new, chain))
            elif how == SET or how == ITEMS:
                ca = {canon(x): x for x in a}
                cb = {canon(x): x for x in b}
                if set(ca) != set(cb):
                    self._add(
                        Change(
                            kind,
                            path + (name,),
                            "changed",
                            name,
                            a,
                            b,
                            old,
                            new,
                            chain,
                            added=[cb[k] for k in cb if k not in ca],
                            removed=[ca[k] for k in ca if k not in cb],
                        )
                    )
                elif (cls, name) in ORDERED and list(ca) != list(cb):
                    self._add(Change(kind, path + (name,), "reordered", name, a, b, old, new, chain))
            elif how == BLOCK:
                self.child(a, b, path, chain)
            elif how == BLOCKS:
                self.children(cls, name, a, b, path, chain)

    def translations(
        self, a: dict[str, dict[str, str]], b: dict[str, dict[str, str]], old: Any, new: Any, path: tuple, chain: tuple
    ) -> None:
        """Each translation given, taken away or changed, one change each (in its language). The
        translation of an item of a list is matched by the item's text, not its position: a recital
        inserted before it does not change it."""
        kind = kind_of(new)
        ka, kb = _by_text(old, a), _by_text(new, b)
        for key in dict.fromkeys([*ka, *kb]):
            (pa, ta), (pb, tb) = ka.get(key, ("", {})), kb.get(key, ("", {}))
            place = pb or pa
            for lang in dict.fromkeys([*ta, *tb]):
                x, y = ta.get(lang), tb.get(lang)
                if canon(x) != canon(y):
                    change = "added" if x is None else "removed" if y is None else "changed"
                    self._add(
                        Change(kind, path + (place, lang), change, place, x, y, old, new, chain, translation=lang)
                    )

    def child(self, a: Any, b: Any, path: tuple[str, ...], chain: tuple[Any, ...]) -> None:
        if a is None and b is None:
            return
        el = b if b is not None else a
        seg = path + (_segment(el),)
        if a is None:
            self._add(Change(kind_of(b), seg, "added", None, None, b, chain=chain))
        elif b is None:
            self._add(Change(kind_of(a), seg, "removed", None, a, None, chain=chain))
        else:
            self.node(a, b, seg, chain + (b,))

    def children(self, cls: type, name: str, a: list, b: list, path: tuple[str, ...], chain: tuple[Any, ...]) -> None:
        ka, kb = _keyed(a), _keyed(b)
        for k, el in ka.items():
            if k not in kb:
                self.child(el, None, path, chain)
        for k, el in kb.items():
            self.child(ka.get(k), el, path, chain)
        if (cls, name) in ORDERED:
            common_a = [k for k in ka if k in kb]
            common_b = [k for k in kb if k in ka]
            if common_a != common_b:
                owner = chain[-1] if chain else None
                self._add(
                    Change(
                        kind_of(owner) if owner is not None else "contract",
                        path + (name,),
                        "reordered",
                        name,
                        [ka[k] for k in common_a],
                        [kb[k] for k in common_b],
                        owner,
                        owner,
                        chain,
                    )
                )

    def _add(self, change: Change) -> None:
        self.changes.append(change)


def compare(old: C.Contract, new: C.Contract, old_res: Any = None, new_res: Any = None) -> list[Change]:
    """Every difference of meaning between two contracts, then the computed dates that moved."""
    d = Differ()
    d.node(old, new, (), ())
    if old_res is not None and new_res is not None:
        d.changes += moved_dates(old, new, old_res, new_res, d.changes)
    return d.changes


# ------------------------------------------------------------------ computed dates
def _dated(contract: C.Contract) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in contract.milestones:
        if m.id:
            out.setdefault(m.id, m)
    for dl in contract.deliverables:
        if dl.id:
            out.setdefault(dl.id, dl)
    return out


def _expr(el: Any) -> Any:
    return el.date if isinstance(el, C.Milestone) else el.due


def block_paths(node: Any, prefix: tuple[str, ...] = ()) -> dict[int, tuple[str, ...]]:
    """The path of every block under `node` (by object identity), as changes write it."""
    out: dict[int, tuple[str, ...]] = {}
    cls: type[BaseModel] = type(node)
    for name, how in plan(cls).items():
        value = getattr(node, name)
        for el in value if how == BLOCKS else [value] if how == BLOCK and value is not None else []:
            path = prefix + (_segment(el),)
            out[id(el)] = path
            out.update(block_paths(el, path))
    return out


def moved_dates(old: C.Contract, new: C.Contract, old_res: Any, new_res: Any, changes: list[Change]) -> list[Change]:
    """Dates whose own wording did not change but whose computed date moved, and why."""
    out: list[Change] = []
    where = block_paths(new)
    old_els, new_els = _dated(old), _dated(new)
    # the contract's end, when the term's wording is the same
    if old_res.end and new_res.end and old_res.end != new_res.end and canon(old.term) == canon(new.term):
        reason = _reason("effective", old_res, new_res, old_els, new_els)
        out.append(Change("contract", ("end",), "moved", "end", old_res.end, new_res.end, old, new, (), reason=reason))
    for eid, el in new_els.items():
        before = old_els.get(eid)
        if before is None or type(before) is not type(el):
            continue
        key = "date" if isinstance(el, C.Milestone) else "due"
        kind = kind_of(el)
        a, b = old_res.dates.get(eid), new_res.dates.get(eid)
        # when its own wording changed, the change is already reported, with the new date
        if canon(_expr(before)) == canon(_expr(el)) and a is not None and b is not None and a != b:
            reason = _reason(getattr(_expr(el), "anchor", None), old_res, new_res, old_els, new_els)
            out.append(Change(kind, (*where[id(el)], key), "moved", key, a, b, before, el, (el,), reason=reason))
        if isinstance(el, C.Milestone) and el.long_stop is not None and canon(before.long_stop) == canon(el.long_stop):
            la, lb = old_res.date_of(before.long_stop), new_res.date_of(el.long_stop)
            if la is not None and lb is not None and la != lb:
                reason = _reason(getattr(el.long_stop, "anchor", None), old_res, new_res, old_els, new_els)
                out.append(
                    Change(
                        kind,
                        (*where[id(el)], "long_stop"),
                        "moved",
                        "long_stop",
                        la,
                        lb,
                        before,
                        el,
                        (el,),
                        reason=reason,
                    )
                )
    out += _moved_occurrences(old_res, new_res, old_els, new_els, where)
    return out


def _recurrence(node: Any) -> tuple[str, Any] | None:
    for name in type(node).model_fields:
        v = getattr(node, name)
        if isinstance(v, Recurrence):
            return name, v
    return None


def _moved_occurrences(old_res: Any, new_res: Any, old_els: dict, new_els: dict, where: dict) -> list[Change]:
    """Recurring obligations (reports, meetings, deliverables) whose first occurrence moved."""
    out: list[Change] = []
    for eid, occ in new_res.occurrences.items():
        before_occ = old_res.occurrences.get(eid) or []
        sym, before_sym = new_res.symbols.get(eid), old_res.symbols.get(eid)
        if not occ or not before_occ or occ[0] == before_occ[0] or sym is None or before_sym is None:
            continue
        rec, before_rec = _recurrence(sym.node), _recurrence(before_sym.node)
        if rec is None or before_rec is None or canon(rec[1]) != canon(before_rec[1]):
            continue  # the recurrence itself changed: already reported
        el = sym.node
        kind = kind_of(el)
        anchor = rec[1].start.anchor if rec[1].start is not None else "effective"
        reason = _reason(anchor, old_res, new_res, old_els, new_els)
        out.append(
            Change(
                kind,
                (*where.get(id(el), (f"{kind}:{eid}",)), rec[0], "first"),
                "moved",
                rec[0],
                before_occ[0],
                occ[0],
                before_sym.node,
                el,
                (el,),
                reason=reason,
            )
        )
    return out


def _reason(anchor: str | None, old_res: Any, new_res: Any, old_els: dict, new_els: dict) -> dict[str, Any]:
    """Follow the anchors up to what changed: the effective date, a date whose wording changed, the calendar."""
    seen: set[str] = set()
    while anchor and anchor not in seen:
        seen.add(anchor)
        if anchor == "effective":
            if old_res.effective != new_res.effective:
                return {"cause": "effective", "old": old_res.effective, "new": new_res.effective}
            break
        if anchor == "end":
            if old_res.end != new_res.end:
                return {"cause": "end", "old": old_res.end, "new": new_res.end}
            break
        el, before = new_els.get(anchor), old_els.get(anchor)
        if el is None or before is None:
            break
        if canon(_expr(before)) != canon(_expr(el)):
            return {
                "cause": "anchor",
                "id": anchor,
                "element": el,
                "old": old_res.dates.get(anchor),
                "new": new_res.dates.get(anchor),
            }
        anchor = getattr(_expr(el), "anchor", None)
    if old_res.calendar != new_res.calendar:
        return {"cause": "calendar", "old": old_res.calendar, "new": new_res.calendar}
    return {"cause": "other"}
