"""Translation catalogs: plain Python dicts (no YAML, nothing evaluated), one module per language."""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import Any

LANGUAGES = ("fr", "en")


@cache
def catalog(lang: str) -> dict[str, Any]:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    mod = import_module(f"{__name__}.{lang}")
    return {"MESSAGES": mod.MESSAGES, "VOCAB": mod.VOCAB, "UNITS": mod.UNITS}
