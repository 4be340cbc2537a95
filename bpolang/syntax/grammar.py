"""Locate the Lark grammar and load its LALR tables, once per process.

Building LALR tables from the grammar takes about a third of a second, so the
tables are serialised to ``parser_table.json`` beside this module (JSON, not
pickle: loading it can never run code) and regenerated with
``python -m bpolang.syntax.grammar``.  The file records a hash of the grammar
and the Lark version; when either differs the tables are built from the
grammar instead, so a stale file can slow bpolang down but never change it.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
TABLE_PATH = Path(__file__).resolve().parent / "parser_table.json"
LARK_OPTIONS = {"parser": "lalr", "lexer": "basic", "maybe_placeholders": False}


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


def table_key(text: str) -> str:
    import lark

    return hashlib.sha256(f"{lark.__version__}\n{LARK_OPTIONS}\n{text}".encode()).hexdigest()


def _encode(obj):
    """JSON keeps only string keys: wrap dicts with integer keys so they come back as ints."""
    if isinstance(obj, dict):
        if obj and all(isinstance(k, int) for k in obj):
            return {"__int_keys__": [[k, _encode(v)] for k, v in obj.items()]}
        return {k: _encode(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_encode(v) for v in obj]
    return obj


def _decode(obj):
    if isinstance(obj, dict):
        if "__int_keys__" in obj and len(obj) == 1:
            return {k: _decode(v) for k, v in obj["__int_keys__"]}
        return {k: _decode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v) for v in obj]
    return obj


def build_parser(text: str):
    from lark import Lark

    return Lark(text, **LARK_OPTIONS)


@functools.lru_cache(maxsize=1)
def lark_parser():
    """The LALR parser (tables and terminals; bpolang lexes with its own lexer)."""
    from lark import Lark

    text = grammar_text()
    try:
        stored = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
        if stored.get("key") == table_key(text):
            return Lark._load_from_dict(_decode(stored["data"]), _decode(stored["memo"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return build_parser(text)


def write_table() -> Path:
    """Serialise the LALR tables of the current grammar to parser_table.json."""
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    text = grammar_text()
    data, memo = build_parser(text).memo_serialize([TerminalDef, Rule])
    payload = {"key": table_key(text), "data": _encode(data), "memo": _encode(memo)}
    tmp = TABLE_PATH.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    tmp.replace(TABLE_PATH)
    return TABLE_PATH


if __name__ == "__main__":
    print(f"wrote {write_table()}")
