"""Locate and compile the Lark grammar, once per process."""

from __future__ import annotations

import functools
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def grammar_path() -> Path:
    """The grammar shipped in the wheel, or the repository's in a source checkout."""
    for candidate in (
        _PACKAGE_DIR / "grammar" / "bpo.lark",
        _PACKAGE_DIR.parent / "grammar" / "bpo.lark",
    ):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("bpolang's grammar file bpo.lark is missing from the installation")


def grammar_text() -> str:
    return grammar_path().read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def lark_parser():
    """The compiled LALR parser (tables only: bpolang lexes with its own lexer)."""
    from lark import Lark

    return Lark(grammar_text(), parser="lalr", lexer="contextual", maybe_placeholders=False)
