"""No construct silently vanishes from the rendered contract.

Every key of the model is read by the renderer when it renders the examples (the four written for
bpolang, the six real agreements, the contracts of the tests and every example of the language
reference, in French and English), or it is listed in the ``UNRENDERED``
set of its family's render module (``bpolang/render/articles/*.py``) with why — and each listed
key is an expected failure here, strict, so the test summary says loudly what the rendering does
not state yet, and turns red the day it does (then the key leaves the list).

Reading a key is not proof that its value is stated exactly (the golden renderings and
tests/test_render.py check the words); it is proof that no key is dropped unread.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from functools import cache
from pathlib import Path

import pytest

import bpolang.render.articles as articles
from bpolang.check.pipeline import load, parse
from bpolang.model import contract as C
from bpolang.model.build import block_classes
from bpolang.render import render

REPO = Path(__file__).resolve().parent.parent
# the examples, the real agreements, and the contracts of the tests that exercise every construct
# of a family (tests/*.bpo)
EXAMPLES = [
    *sorted((REPO / "examples").glob("*.bpo")),
    *sorted((REPO / "examples" / "real").glob("*.bpo")),
    *sorted((REPO / "tests").glob("*.bpo")),
    *sorted((REPO / "examples" / "msa").glob("sow-*.bpo")),  # composed: their clauses taken from a library
]
# keys that are not statements of the contract: where a block is written, its id and its title
# (labels: the rendering states the block's terms, and uses the title where the title is the term —
# a service, a fee, an exclusion — which the golden renderings pin), the language of the document
# `translations`: the other language's version of a block's texts, stated where each text is
# (Fmt.pick; tests/test_translations.py and tests/test_bilingual.py check the documents)
NOT_STATEMENTS = {"span", "id", "title", "language", "translations"}
# keys of a clause library that say where a clause's words come from, not what the parties agree:
# the rendering states the clause's text with each argument in its place (tests/test_clause_library.py)
COMPOSITION_ONLY = {
    "Clause.library": "the file the clause is taken from; its title and text are stated",
    "Param.type": "the type an argument must have; the argument itself is stated",
}
# functions that read every key of whatever they walk (to find the names of the parties, whether a
# unit is used anywhere): their reads say nothing of what the rendering states
GENERIC_WALKS = {("purpose.py", "walk"), ("fmt.py", "_collect_names")}


def _unrendered() -> dict[str, str]:
    out: dict[str, str] = {key: "__init__" for key in articles.UNRENDERED}
    for info in pkgutil.iter_modules(articles.__path__):
        module = importlib.import_module(f"{articles.__name__}.{info.name}")
        for key in getattr(module, "UNRENDERED", ()):
            out[key] = info.name
    return out


UNRENDERED = _unrendered()


def _model_classes() -> list[type]:
    seen: dict[str, type] = {}
    for cls in block_classes():
        seen[cls.__name__] = cls
    stack = list(seen.values())
    while stack:
        cls = stack.pop()
        for f in cls.model_fields.values():
            for sub in _types_in(f.annotation):
                if isinstance(sub, type) and issubclass(sub, C.Phrasal) and sub.__name__ not in seen:
                    seen[sub.__name__] = sub
                    stack.append(sub)
    return sorted(seen.values(), key=lambda c: c.__name__)


def _types_in(tp) -> list:
    from typing import get_args

    out = [tp]
    for a in get_args(tp):
        out += _types_in(a)
    return out


KEYS = sorted(
    key
    for cls in _model_classes()
    for name in cls.model_fields
    if name not in NOT_STATEMENTS and (key := f"{cls.__name__}.{name}") not in COMPOSITION_ONLY
)


def _doc_contracts() -> list[str]:
    """The language reference's examples, fragments inside a contract: each construct has one."""
    from tests.test_docs import BPO_BLOCKS, wrap_fragment

    return [
        wrap_fragment(b.text)[0] if b.is_fragment and not b.is_excerpt else b.text
        for b in BPO_BLOCKS
        if "language" in b.where
    ]


@cache
def _read_keys() -> frozenset[str]:
    """Every `Class.key` the renderer reads while rendering the examples in both languages."""
    read: set[str] = set()
    originals = {cls: cls.__getattribute__ for cls in (C.Node, C.Phrasal)}

    def spy(original):
        def __getattribute__(self, name):  # noqa: N807 - the hook's own name
            cls = type(self)
            if name in cls.model_fields:
                frame = sys._getframe(1)
                while frame.f_back is not None and Path(frame.f_code.co_filename).name == "provenance.py":
                    frame = frame.f_back  # the renderer's own recording hook (bpolang.render.provenance)
                caller = frame.f_code
                if (Path(caller.co_filename).name, caller.co_name) not in GENERIC_WALKS:
                    read.add(f"{cls.__name__}.{name}")
            return original(self, name)

        return __getattribute__

    results = [load(p) for p in EXAMPLES] + [parse(text) for text in _doc_contracts()]
    try:
        for cls, original in originals.items():
            cls.__getattribute__ = spy(original)  # type: ignore[method-assign]
        for r in results:
            if r.contract is None:
                continue
            for lang in ("en", "fr"):
                render(r.contract, r.resolution, "md", lang)
    finally:
        for cls, original in originals.items():
            cls.__getattribute__ = original  # type: ignore[method-assign]
    return frozenset(read)


def test_the_unrendered_lists_name_real_keys() -> None:
    assert set(UNRENDERED) <= set(KEYS), sorted(set(UNRENDERED) - set(KEYS))


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(
            k,
            marks=pytest.mark.xfail(strict=True, reason=f"not rendered yet (render/articles/{UNRENDERED[k]}.py)"),
        )
        if k in UNRENDERED
        else k
        for k in KEYS
    ],
)
def test_the_renderer_reads_every_key(key: str) -> None:
    assert key in _read_keys(), f"{key} is never read by the renderer: state it, or list it in UNRENDERED with why"
