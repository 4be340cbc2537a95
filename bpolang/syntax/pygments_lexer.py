"""A Pygments lexer for .bpo contracts, for the documentation and any Pygments user.

It follows the terminals of ``grammar/bpo.lark`` (same literal forms, same
priorities: date, time, month-day, money, duration, percentage, number) and adds
what a reader wants to see coloured: block keywords (``party``, ``pricing``...),
keys (a name followed by ``:``), ids after a block keyword, built-in names and
the constants ``yes``, ``no``, ``redacted``, ``tbd``, ``effective`` and ``end``.

The language has no reserved words (any keyword can be an id), so keywords are
recognised by position: a block keyword is a known keyword followed, on the
same line, by an id, a title or ``{``.  A character the .bpo grammar does not
accept either (``€``, a non-ASCII letter outside a string) is an ``Error``
token, exactly where ``bpo check`` reports BPO002.

Registered for Pygments under the name ``bpo`` (aliases ``bpo``, ``bpolang``;
files ``*.bpo``) through the ``pygments.lexers`` entry point.
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

from bpolang.base.errors import REPO_URL
from bpolang.syntax.words import BLOCK_KEYWORDS, BUILTINS, CONNECTIVES, CONSTANTS, PARTY_ROLES

__all__ = ["BpoLexer", "BLOCK_KEYWORDS", "BUILTINS", "CONNECTIVES", "CONSTANTS", "PARTY_ROLES", "token_errors"]

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_END = r"(?![0-9A-Za-z_])"
_NUM = r"[0-9](?:_?[0-9])*(?:\.[0-9]+)?"
_UNITS = (
    r"(?:business[ \t]+days?|working[ \t]+days?|calendar[ \t]+days?"
    r"|seconds?|minutes?|hours?|days?|weeks?|months?|quarters?|years?)"
)
_KEYWORDS = "(?:" + "|".join(sorted(BLOCK_KEYWORDS, key=len, reverse=True)) + ")"


class BpoLexer(RegexLexer):
    """Lexer for bpolang contracts (.bpo files)."""

    name = "bpo"
    aliases = ["bpo", "bpolang"]
    filenames = ["*.bpo"]
    mimetypes = ["text/x-bpo"]
    url = REPO_URL

    tokens = {
        "root": [
            (r"[ \t\f]+", Whitespace),
            (r"\r\n|\r|\n", Whitespace),
            (r"#[^\r\n]*", Comment.Single),
            # text blocks before strings: `"""` would otherwise read as `""` then `"`
            (r'"""[\s\S]*?"""', String.Doc),
            (r'"(?:[^"\\\r\n]|\\[^\r\n])*"', String.Double),
            # literals, in the grammar's order of priority
            (r"[0-9]{4}-[0-9]{2}-[0-9]{2}" + _END, Number.Other),  # date
            (r"[0-9]{2}:[0-9]{2}" + _END, Number.Other),  # time
            (r"(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])" + _END, Number.Other),  # month-day
            (r"(" + _NUM + r")([ \t]+)([A-Z]{3})" + _END, bygroups(Number.Float, Whitespace, Keyword.Type)),  # money
            (
                r"(" + _NUM + r")([ \t]+)(" + _UNITS + r")" + _END,
                bygroups(Number.Float, Whitespace, Keyword.Type),
            ),  # duration
            (_NUM + r"[ \t]*%", Number.Float),  # percentage
            (_NUM + _END, Number),
            # `party client acme "ACME SAS" {`
            (
                r"(party)([ \t]+)(" + "|".join(PARTY_ROLES) + r")" + _END + r"(?:([ \t]+)(" + _NAME + r"))?",
                bygroups(Keyword.Declaration, Whitespace, Keyword.Type, Whitespace, Name.Variable),
            ),
            # keys: `target: 98%` (before keywords, so `unit: invoice` and `step: ...` are keys)
            (r"(" + _NAME + r")([ \t]*)(:)", bygroups(Name.Attribute, Whitespace, Punctuation)),
            # `milestone kickoff "Launch" {`, `fee setup "Set-up": ...`, `fee run: ...`
            (
                r"(" + _KEYWORDS + r")([ \t]+)(" + _NAME + r")(?=[ \t]*[\"{:])",
                bygroups(Keyword.Declaration, Whitespace, Name.Variable),
            ),
            # `pricing {`, `exclude "Tax advice"`
            (r"(" + _KEYWORDS + r")(?=[ \t]*[\"{])", Keyword.Declaration),
            # max( and min( -- any name directly followed by `(`
            (r"(" + _NAME + r")(\()", bygroups(Name.Function, Punctuation)),
            (r"(?:" + "|".join(CONSTANTS) + r")" + _END, Keyword.Constant),
            (r"(?:" + "|".join(BUILTINS) + r")" + _END, Name.Builtin),
            (r"(?:" + "|".join(CONNECTIVES) + r")" + _END, Operator.Word),
            (_NAME, Name),
            (r"[+\-*/]", Operator),
            (r"[{}\[\](),:;]", Punctuation),
        ],
    }


def token_errors(text: str) -> list[tuple[int, str]]:
    """The (offset, text) of every Error token the lexer yields for ``text``; [] when clean."""
    from pygments.token import Error

    return [(pos, value) for pos, tok, value in BpoLexer().get_tokens_unprocessed(text) if tok in Error]
