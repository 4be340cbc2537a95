"""The grammar itself: conflict-free, and its serialised tables up to date and faithful."""

import json
import subprocess
import sys
from pathlib import Path

from lark import Lark

from bpolang.syntax import grammar, lexer, parser

ROOT = Path(__file__).resolve().parent.parent


def test_grammar_is_conflict_free_in_strict_mode():
    # strict=True refuses shift/reduce conflicts and, with interegular, terminal collisions.
    Lark(grammar.grammar_text(), parser="lalr", strict=True)


def test_serialised_tables_match_the_grammar():
    stored = json.loads(grammar.TABLE_PATH.read_text(encoding="utf-8"))
    assert stored["key"] == grammar.table_key(grammar.grammar_text()), (
        "parser_table.json is stale: run `python -m bpolang.syntax.grammar`"
    )


def _dump(node):
    """A syntax tree as plain nested data (its node classes have no structural equality)."""
    if isinstance(node, (list, tuple)):
        return [_dump(n) for n in node]
    # the attributes a class declares: its __slots__, or __mypyc_attrs__ when compiled by mypyc
    slots = [
        k for cls in type(node).__mro__ for k in getattr(cls, "__slots__", ()) or getattr(cls, "__mypyc_attrs__", ())
    ]
    fields = {k: getattr(node, k) for k in slots if hasattr(node, k)}
    fields.update(getattr(node, "__dict__", {}))
    if not fields:
        return node
    return (type(node).__name__, {k: _dump(v) for k, v in sorted(fields.items())})


def _syntax(text: str):
    result = parser.parse_text(text)
    return _dump(result.body), [(p.code, p.message, p.start, p.end) for p in result.problems]


def test_loaded_tables_parse_like_tables_freshly_built_by_lark(monkeypatch):
    corpus = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.bpo"))]
    corpus += [
        'contract a "T" {\n  x: max(1 EUR, 2 EUR) + 3 days\n  b c "t" { d: [1, 2] }\n}\n',
        'contract a "T" {\n  x: (1 + 2) * 3 / 4 - 5\n  y:\n  z: [1, 2\n}\n',
        'contract a "T" {\n  p q "r" { s: t } u\n  }\n}',
    ]
    loaded = [_syntax(text) for text in corpus]
    fresh = grammar.compile_tables(grammar.build_parser(grammar.grammar_text()))
    monkeypatch.setattr(parser, "tables", lambda: fresh)
    monkeypatch.setattr(lexer, "tables", lambda: fresh)
    parser._tables.cache_clear()
    lexer._master.cache_clear()
    try:
        assert [_syntax(text) for text in corpus] == loaded
    finally:
        parser._tables.cache_clear()
        lexer._master.cache_clear()


def test_the_check_path_does_not_import_lark():
    code = (
        "import sys, bpolang\n"
        "r = bpolang.parse('contract a \"T\" { x: [1, 2] }')\n"
        "assert r.contract is not None\n"
        "print('lark' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
