"""The grammar itself: conflict-free, and its serialised tables up to date."""

import json

from lark import Lark

from bpolang.syntax import grammar


def test_grammar_is_conflict_free_in_strict_mode():
    # strict=True refuses shift/reduce conflicts and, with interegular, terminal collisions.
    Lark(grammar.grammar_text(), parser="lalr", strict=True)


def test_serialised_tables_match_the_grammar():
    stored = json.loads(grammar.TABLE_PATH.read_text(encoding="utf-8"))
    assert stored["key"] == grammar.table_key(grammar.grammar_text()), (
        "parser_table.json is stale: run `python -m bpolang.syntax.grammar`"
    )


def test_loaded_tables_parse_like_freshly_built_ones():
    grammar.lark_parser.cache_clear()
    loaded = grammar.lark_parser()
    fresh = grammar.build_parser(grammar.grammar_text())
    text = 'contract a "T" {\n  x: max(1 EUR, 2 EUR) + 3 days\n  b c "t" { d: [1, 2] }\n}\n'
    assert loaded.parse(text) == fresh.parse(text)
