"""Where each sentence of the rendered contract comes from: the model values it was built from.

While the :class:`~bpolang.render.build.Builder` builds a document, a :class:`Recorder` notes every
field of the contract's blocks and phrases that is read (`service_levels[availability].target`)
and every catalog sentence used (`sla_intro`). Each piece of the document's intermediate form
(:mod:`bpolang.render.ir`) takes, when it is made, what was noted since the previous piece: its
:class:`Origin`. Nothing in the articles names its sources by hand, so a sentence cannot claim a
value it did not read, nor read one without claiming it.

A read of a field that is not given (``None``, an empty list) states nothing and is not noted.
Reads made to decide things about the whole contract rather than to state one value (the walk
that finds whether business days are used anywhere) are made inside :meth:`Recorder.paused`.

The reads are seen through a ``__getattribute__`` hook installed on the model's base classes
(``Node``, ``Phrasal``) for the time of a build; the recorder in use belongs to the thread, so a
model read elsewhere meanwhile is not noted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bpolang.model import contract as C

# fields that say where a block is written, not what the contract states
_NOT_VALUES = frozenset({"span"})
_HOOKED = (C.Node, C.Phrasal)


@dataclass(frozen=True)
class Origin:
    """The model paths a piece of text states, and the catalog sentences (keys) it is made of."""

    sources: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()

    def __or__(self, other: Origin) -> Origin:
        return Origin(_union(self.sources, other.sources), _union(self.keys, other.keys))


NONE = Origin()


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a + b)) if b else a


def paths_of(contract: C.Contract) -> dict[int, str]:
    """The path of every block, phrase and list of the contract, by object identity.

    A list's items are named by their id when they have one (`services[ops]`), else by position.
    """
    out: dict[int, str] = {}

    def walk(node: Any, path: str) -> None:
        out[id(node)] = path
        for name in type(node).model_fields:
            if name in _NOT_VALUES:
                continue
            value = node.__dict__.get(name)
            here = f"{path}.{name}" if path else name
            if isinstance(value, list):
                out[id(value)] = here
                for i, item in enumerate(value):
                    key = getattr(item, "id", None) if isinstance(item, C.Element) else None
                    item_path = f"{here}[{key or i}]"
                    if isinstance(item, _HOOKED):
                        walk(item, item_path)
                    else:
                        out.setdefault(id(item), item_path)
            elif isinstance(value, _HOOKED):
                walk(value, here)
            elif value is not None:
                out.setdefault(id(value), here)

    walk(contract, "")
    return out


class Recorder:
    """The reads and catalog sentences noted since the last piece of the document was made."""

    def __init__(self, contract: C.Contract):
        self.paths = paths_of(contract)
        self.ids = {v: v for v in self.paths.values() if "." not in v and "[" not in v}
        for path in self.paths.values():
            if path.endswith("]") and "." not in path.rsplit("[", 1)[1]:
                self.ids.setdefault(path.rsplit("[", 1)[1][:-1], path)
        self._sources: dict[str, None] = {}
        self._keys: dict[str, None] = {}
        self._paused = 0
        self._rows: dict[int, Origin] = {}

    def read(self, obj: Any, name: str, value: Any) -> None:
        if self._paused or name in _NOT_VALUES or value is None or (isinstance(value, list) and not value):
            return
        base = self.paths.get(id(obj))
        if base is not None:
            self._sources[f"{base}.{name}" if base else name] = None

    def note(self, value: Any) -> None:
        """A value stated that was found without reading its field (inside :meth:`paused`)."""
        path = self.paths.get(id(value))
        if path is not None:
            self._sources[path] = None

    def note_block(self, block_id: str) -> None:
        """A block of the contract named by its id (`wave1`), or a block the contract has once (`exit`)."""
        path = self.ids.get(block_id)
        if path is not None:
            self._sources[path] = None

    def note_path(self, path: str) -> None:
        self._sources[path] = None

    def key(self, key: str) -> None:
        self._keys[key] = None

    def take(self) -> Origin:
        """What was noted since the last call, which is forgotten."""
        if not self._sources and not self._keys:
            return NONE
        origin = Origin(tuple(self._sources), tuple(self._keys))
        self._sources.clear()
        self._keys.clear()
        return origin

    def take_heading(self) -> Origin:
        """The titles (and ids, their fallback) noted since the last piece, which are forgotten: what a
        section's heading states; the rest stays for the section's first sentence."""
        heading = tuple(p for p in self._sources if p.endswith((".title", ".id")))
        for p in heading:
            del self._sources[p]
        return Origin(heading) if heading else NONE

    def row(self, cells: list[str]) -> list[str]:
        """Mark a table row as made now: it takes what was noted since the previous piece."""
        self._rows[id(cells)] = self.take()
        return cells

    def row_origin(self, cells: list[str]) -> Origin:
        return self._rows.pop(id(cells), NONE)

    @contextmanager
    def paused(self) -> Iterator[None]:
        self._paused += 1
        try:
            yield
        finally:
            self._paused -= 1


_local = threading.local()
_lock = threading.Lock()
_installed: list[Any] = []  # the hooks' previous __getattribute__, while installed
_users = 0


def current() -> Recorder | None:
    return getattr(_local, "recorder", None)


def take() -> Origin:
    """What the thread's recorder noted since the last piece; nothing outside a build."""
    rec = current()
    return rec.take() if rec is not None else NONE


def take_heading() -> Origin:
    """The titles the thread's recorder noted since the last piece (see Recorder.take_heading)."""
    rec = current()
    return rec.take_heading() if rec is not None else NONE


def _hook(original: Any) -> Any:
    def __getattribute__(self: Any, name: str) -> Any:  # noqa: N807 - the hook's own name
        value = original(self, name)
        rec = getattr(_local, "recorder", None)
        if rec is not None and name in type(self).model_fields:
            rec.read(self, name, value)
        return value

    return __getattribute__


@contextmanager
def recording(contract: C.Contract) -> Iterator[Recorder]:
    """Note the reads of `contract` made by this thread until the block ends."""
    global _users
    rec = Recorder(contract)
    with _lock:
        if _users == 0:
            _installed[:] = [cls.__getattribute__ for cls in _HOOKED]
            for cls, original in zip(_HOOKED, _installed):
                cls.__getattribute__ = _hook(original)  # type: ignore[method-assign]
        _users += 1
    outer = current()
    _local.recorder = rec
    try:
        yield rec
    finally:
        _local.recorder = outer
        with _lock:
            _users -= 1
            if _users == 0:
                for cls, original in zip(_HOOKED, _installed):
                    cls.__getattribute__ = original  # type: ignore[method-assign]
                _installed.clear()
