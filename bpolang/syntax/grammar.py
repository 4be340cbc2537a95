"""Locate the Lark grammar and load its LALR tables, once per process.

Lark builds the LALR tables from the grammar (about a third of a second), and bpolang drives
them with its own lexer and parse loop, so at run time it needs only the tables and the
terminals' patterns, not Lark itself (whose import costs about 60 ms of every `bpo check`).
Both are serialised to ``parser_table.json`` beside this module (JSON, not pickle: loading it
can never run code) and regenerated with ``python -m bpolang.syntax.grammar``.  The file
records a hash of the grammar and of the table layout; when it differs the tables are built
from the grammar with Lark instead, so a stale file can slow bpolang down but never change it.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
TABLE_PATH = Path(__file__).resolve().parent / "parser_table.json"
LARK_OPTIONS = {"parser": "lalr", "lexer": "basic", "maybe_placeholders": False}
TABLE_FORMAT = 2
# Terminals bpolang's lexer handles itself, outside the master regex's token list.
LEXER_OWN = {"WS", "COMMENT", "_TERM"}
# Rules whose callback is named after them; the others are pass-throughs, `_seq` or helpers.
NAMED_RULES = {
    "start",
    "block",
    "entry",
    "bare",
    "header",
    "translated",
    "translated_title",
    "translation",
    "phrase",
    "list",
    "call",
    "add",
    "sub",
    "mul",
    "div",
    "group",
}


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
    return hashlib.sha256(f"{TABLE_FORMAT}\n{LARK_OPTIONS}\n{text}".encode()).hexdigest()


def build_parser(text: str):
    from lark import Lark

    return Lark(text, **LARK_OPTIONS)


def compile_tables(lark: Any) -> dict[str, Any]:
    """What the lexer and parser need from a Lark LALR parser, as plain JSON-able data.

    ``terminals``: [name, regex] in the order the master regex tries them (Lark's: priority,
    then longest possible match); ``rules``: [name, size, callback] per grammar rule;
    ``states``: state -> symbol -> [0, next state] (shift) or [1, rule index] (reduce).
    """
    from lark.parsers.lalr_analysis import Shift

    terms = [t for t in lark.terminals if t.name not in LEXER_OWN]
    terms.sort(key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    rules, index = [], {}
    for i, rule in enumerate(lark.rules):
        name = rule.alias or rule.origin.name
        if name in NAMED_RULES:
            callback = name
        elif name == "_seq":
            callback = "_seq"
        elif name.startswith("__"):
            callback = "accumulate"
        elif len(rule.expansion) == 1:
            callback = "pass"
        else:  # pragma: no cover - guarded by the grammar test
            raise RuntimeError(f"no callback for grammar rule {name}")
        rules.append([rule.origin.name, len(rule.expansion), callback])
        index[rule] = i
    table = lark.parser.parser.parser.parse_table  # ParsingFrontend -> LALR_Parser -> _Parser
    states = {
        str(state): {
            sym: [0, arg] if action is Shift else [1, index[arg]] for sym, (action, arg) in sorted(row.items())
        }
        for state, row in sorted(table.states.items())
    }
    return {
        "terminals": [[t.name, t.pattern.to_regexp()] for t in terms],
        "rules": rules,
        "states": states,
        "start": table.start_states["start"],
        "end": table.end_states["start"],
    }


@functools.lru_cache(maxsize=1)
def tables() -> dict[str, Any]:
    """The parser's tables and terminals: from parser_table.json, or built with Lark if it is stale."""
    text = grammar_text()
    try:
        stored = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
        if stored.get("key") == table_key(text):
            return stored["tables"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return compile_tables(build_parser(text))


def write_table() -> Path:
    """Serialise the tables of the current grammar to parser_table.json."""
    text = grammar_text()
    payload = {"key": table_key(text), "tables": compile_tables(build_parser(text))}
    tmp = TABLE_PATH.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    tmp.replace(TABLE_PATH)
    return TABLE_PATH


if __name__ == "__main__":
    print(f"wrote {write_table()}")
