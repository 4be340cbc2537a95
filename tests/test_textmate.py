"""The VS Code extension's TextMate grammar, run by the engine VS Code itself uses.

editors/vscode/test/tokenize.js tokenises text with vscode-textmate and vscode-oniguruma (the
versions pinned in editors/vscode/package-lock.json; ``npm ci --prefix editors/vscode`` installs
them). These tests hold the grammar to bpolang's own lexer and parser:

- every token bpolang's lexer (bpolang/syntax/lexer.py) finds in the examples, in a fixture with
  every token kind and in samples generated from the terminals of grammar/bpo.lark gets the
  scope of its kind, and no non-space character of an example is left unscoped or marked invalid;
- block keywords, ids, party roles and keys get their scopes where the parser says they are;
- what bpolang rejects (bad escape, unterminated string, a stray character...) is marked invalid;
- the grammar knows every block kind of the model, and the same word lists as the Pygments lexer;
- the language configuration's word pattern and indentation rules agree with the examples.

Without node or the npm packages these tests fail when CI is set, and skip (saying why) otherwise.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import bpolang
from bpolang.model import contract as C
from bpolang.model.build import TOP_KEYWORDS, schema_of
from bpolang.resolve.references import BUILTIN_BASES
from bpolang.syntax import pygments_lexer
from bpolang.syntax.grammar import tables
from bpolang.syntax.lexer import lex
from bpolang.syntax.nodes import Bare, Block, Entry, iter_nodes

ROOT = Path(__file__).resolve().parent.parent
VSCODE = ROOT / "editors" / "vscode"
SCRIPT = VSCODE / "test" / "tokenize.js"
GRAMMAR_PATH = VSCODE / "syntaxes" / "bpo.tmLanguage.json"
CONFIG_PATH = VSCODE / "language-configuration.json"
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))
FIXTURE = ROOT / "tests" / "textmate" / "all-tokens.bpo"
FR = ROOT / "examples" / "comptabilite-fournisseurs.bpo"
EN = ROOT / "examples" / "centre-contacts-en.bpo"
BO = ROOT / "examples" / "back-office-tiered.bpo"
NPM_PACKAGES = ("vscode-textmate", "vscode-oniguruma")

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # how tokenize.js (and an editor) splits lines


# ------------------------------------------------------------------ running the grammar
def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@functools.cache
def _missing() -> str | None:
    """Why the grammar cannot be run here, or None."""
    if shutil.which("node") is None:
        return "`node` is not on PATH"
    pins = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    if not all((VSCODE / "node_modules" / name / "package.json").is_file() for name in NPM_PACKAGES):
        # The README's test command installs only the Python side: fetch the pinned packages
        # from the lock file here, as .ci/run does, when npm is there to do it.
        npm = shutil.which("npm")
        if npm is not None:
            subprocess.run(
                [npm, "ci", "--prefix", str(VSCODE), "--no-audit", "--no-fund"],
                capture_output=True,
                timeout=600,
                check=False,
            )
    for name in NPM_PACKAGES:
        manifest = VSCODE / "node_modules" / name / "package.json"
        if not manifest.is_file():
            return f"{name} is not installed in editors/vscode/node_modules (run `npm ci --prefix editors/vscode`)"
        installed = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        if installed != pins[name]:
            return f"{name} {installed} is installed, package.json pins {pins[name]} (run `npm ci --prefix editors/vscode`)"
    return None


@pytest.fixture(scope="session")
def textmate():
    """The tokeniser, or a failure in CI / a skip elsewhere when node or the packages are missing."""
    reason = _missing()
    if reason is not None:
        if _in_ci():
            pytest.fail(f"the TextMate grammar tests need node and the npm packages in CI: {reason}")
        pytest.skip(f"TextMate grammar not testable here: {reason}")
    return tokenize


def tokenize(*texts: str) -> list[list[list[dict]]]:
    """For each text, its lines, each a list of tokens {start, end, text, scopes}."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, text in enumerate(texts):
            path = Path(tmp) / f"t{i}.bpo"
            path.write_bytes(text.encode("utf-8"))
            paths.append(str(path))
        proc = subprocess.run(
            ["node", str(SCRIPT), *paths], capture_output=True, text=True, encoding="utf-8", timeout=120
        )
    assert proc.returncode == 0, f"tokenize.js failed ({proc.returncode}): {proc.stderr}"
    return [f["lines"] for f in json.loads(proc.stdout)["files"]]


class Scoped:
    """A text with the TextMate scopes of each of its characters, addressed by offset."""

    def __init__(self, text: str, lines: list[list[dict]]) -> None:
        self.text = text
        self.scopes: list[tuple[str, ...]] = [()] * len(text)
        starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        assert len(starts) == len(lines), "tokenize.js split the text into other lines"
        for start, tokens in zip(starts, lines):
            for t in tokens:
                for i in range(start + t["start"], start + t["end"]):
                    self.scopes[i] = tuple(t["scopes"])

    def at(self, offset: int) -> tuple[str, ...]:
        return self.scopes[offset]

    def innermost(self, offset: int) -> str:
        return self.scopes[offset][-1]

    def find(self, line_text: str, word: str, nth: int = 0) -> tuple[str, ...]:
        """The scopes of `word` (its first character) in the line containing `line_text`."""
        for m in re.finditer(r"[^\r\n]*", self.text):
            if line_text in m.group():
                col = [c.start() for c in re.finditer(re.escape(word), m.group())][nth]
                scopes = {self.scopes[m.start() + col + k] for k in range(len(word)) if not word[k].isspace()}
                assert len(scopes) == 1, f"`{word}` is split into several tokens: {scopes}"
                return scopes.pop()
        raise AssertionError(f"no line contains {line_text!r}")


@functools.cache
def _scoped_files() -> dict[Path, Scoped]:
    paths = [*EXAMPLES, FIXTURE]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    return {p: Scoped(t, lines) for p, t, lines in zip(paths, texts, tokenize(*texts))}


@pytest.fixture(scope="session")
def scoped(textmate) -> dict[Path, Scoped]:
    return _scoped_files()


def _terminals() -> dict[str, str]:
    """The regex of each terminal of grammar/bpo.lark that bpolang's lexer matches itself."""
    return dict(tables()["terminals"])


# ------------------------------------------------------------------ what each token kind gets
# A NAME is coloured by its place and its word: any of these (the parser decides which, below).
NAME_SCOPES = {
    "keyword.other.block.bpo",
    "entity.name.type.bpo",
    "storage.modifier.role.bpo",
    "support.type.property-name.bpo",
    "constant.language.bpo",
    "variable.language.bpo",
    "support.variable.bpo",
    "keyword.operator.word.bpo",
    "variable.other.bpo",
}
LITERAL_SCOPES = {
    "DATE": "constant.numeric.date.bpo",
    "TIME": "constant.numeric.time.bpo",
    "MONTHDAY": "constant.numeric.month-day.bpo",
    "NUMBER": "constant.numeric.decimal.bpo",
}
PUNCTUATION_SCOPES = {
    "LBRACE": "punctuation.section.block.begin.bpo",
    "RBRACE": "punctuation.section.block.end.bpo",
    "LSQB": "punctuation.section.brackets.begin.bpo",
    "RSQB": "punctuation.section.brackets.end.bpo",
    "LPAR": "punctuation.section.parens.begin.bpo",
    "RPAR": "punctuation.section.parens.end.bpo",
    "COMMA": "punctuation.separator.comma.bpo",
    "COLON": "punctuation.separator.key-value.bpo",
    "PLUS": "keyword.operator.arithmetic.bpo",
    "MINUS": "keyword.operator.arithmetic.bpo",
    "STAR": "keyword.operator.arithmetic.bpo",
    "SLASH": "keyword.operator.arithmetic.bpo",
}
# Literals made of a number and a unit: (scope of the whole, scope of the unit part).
COMPOUND_SCOPES = {
    "MONEY": ("meta.money.bpo", "support.constant.currency.bpo"),
    "DURATION": ("meta.duration.bpo", "keyword.other.unit.bpo"),
    "PERCENT": ("meta.percentage.bpo", "keyword.other.unit.percentage.bpo"),
}


def token_problems(s: Scoped) -> list[str]:
    """Every lexer token and comment of the text whose characters lack the scope of their kind."""
    result = lex(s.text)
    assert not result.errors, [e.message for e in result.errors]
    problems = []

    def bad(kind: str, start: int, end: int, why: str) -> None:
        problems.append(f"{kind} {s.text[start:end]!r} at offset {start}: {why}")

    for tok in result.tokens:
        kind, start, end = tok.type, tok.start_pos, tok.end_pos
        chars = [i for i in range(start, end) if not s.text[i].isspace()]
        if kind == "_TERM":
            continue
        if kind in LITERAL_SCOPES or kind in PUNCTUATION_SCOPES:
            want = LITERAL_SCOPES.get(kind) or PUNCTUATION_SCOPES[kind]
            wrong = {s.innermost(i) for i in chars} - {want}
            if wrong:
                bad(kind, start, end, f"expected {want}, got {sorted(wrong)}")
        elif kind in COMPOUND_SCOPES:
            whole, unit = COMPOUND_SCOPES[kind]
            for i in chars:
                want = "constant.numeric.decimal.bpo" if s.text[i] in "0123456789_." else unit
                if whole not in s.at(i) or s.innermost(i) != want:
                    bad(kind, start, end, f"{s.text[i]!r} has {s.at(i)}, expected {whole} > {want}")
                    break
        elif kind in ("STRING", "TEXT"):
            want = "string.quoted.double.bpo" if kind == "STRING" else "string.quoted.triple.bpo"
            missing = [i for i in chars if want not in s.at(i)]
            if missing:
                bad(kind, start, end, f"{len(missing)} characters outside {want}, e.g. {s.at(missing[0])}")
        elif kind == "NAME":
            got = {s.innermost(i) for i in chars}
            if len(got) != 1 or not got <= NAME_SCOPES:
                bad(kind, start, end, f"got {sorted(got)}")
        elif kind == "TRANSLATION":  # `/ en:`: the slash, the language, the colon
            got = [s.innermost(i) for i in chars]
            want = [
                "keyword.operator.translation.bpo",
                *["support.type.property-name.language.bpo"] * (len(chars) - 2),
                "punctuation.separator.key-value.bpo",
            ]
            if got != want:
                bad(kind, start, end, f"got {got}")
        elif kind == "FUNC":
            got = [s.innermost(i) for i in chars]
            if set(got[:-1]) != {"support.function.bpo"} or got[-1] != "punctuation.section.parens.begin.bpo":
                bad(kind, start, end, f"got {got}")
        else:
            bad(kind, start, end, "a token kind this test does not know")
    for c in result.comments:
        missing = [i for i in range(c.start, c.end) if not any(x.startswith("comment.line.") for x in s.at(i))]
        if missing:
            bad("COMMENT", c.start, c.end, f"not a comment at {missing[0]}: {s.at(missing[0])}")
    return problems


def header_problems(s: Scoped) -> list[str]:
    """Block keywords, party roles, ids and keys, where the parser finds them."""
    result = bpolang.parse(s.text)
    assert result.syntax is not None
    problems = []

    def expect(word, want: str) -> None:
        got = {s.innermost(i) for i in range(word.start, word.end)}
        if got != {want}:
            problems.append(f"{word.text!r} at offset {word.start}: expected {want}, got {sorted(got)}")

    for stmt in iter_nodes(result.syntax.body):
        words = stmt.header.words
        if isinstance(stmt, Entry) and len(words) == 1 and stmt.header.title is None:
            expect(words[0], "support.type.property-name.bpo")  # `target: 98%`, also `step: ...`
            continue
        assert isinstance(stmt, (Block, Entry, Bare))
        expect(words[0], "keyword.other.block.bpo")
        rest = words[1:]
        if words[0].text == "party" and rest:
            expect(rest[0], "storage.modifier.role.bpo")
            rest = rest[1:]
        for word in rest:
            expect(word, "entity.name.type.bpo")
        if stmt.header.title is not None:
            t = stmt.header.title
            texts = [(t.start, getattr(t, "text_end", t.end))]  # a translated title: each text
            texts += [(x.start, x.end) for _, x in getattr(t, "translations", [])]
            if any("string.quoted" not in " ".join(s.at(i)) for a, b in texts for i in range(a, b)):
                problems.append(f"title {t.text!r} is not a string")
    return problems


# ------------------------------------------------------------------ the examples and the fixture
def test_fixture_is_a_valid_contract():
    # the fixture is real bpolang: every token in it is one the language accepts
    result = bpolang.load(FIXTURE)
    assert result.contract is not None
    assert result.diagnostics == []


@pytest.mark.parametrize("path", [*EXAMPLES, FIXTURE], ids=lambda p: p.name)
def test_every_character_is_scoped_and_none_invalid(scoped, path: Path):
    s = scoped[path]
    bare, invalid = [], []
    for i, ch in enumerate(s.text):
        if ch.isspace():
            continue
        if s.at(i) == ("source.bpo",) or not s.at(i):
            bare.append(i)
        elif any(x.startswith("invalid.") for x in s.at(i)):
            invalid.append(i)

    def where(offsets: list[int]) -> list[str]:
        out = []
        for i in offsets[:5]:
            line = s.text.count("\n", 0, i) + 1
            out.append(f"line {line}: {s.text[i : i + 20]!r}")
        return out

    assert not bare, f"{path.name}: untokenised text at {where(bare)}"
    assert not invalid, f"{path.name}: marked invalid at {where(invalid)}"


@pytest.mark.parametrize("path", [*EXAMPLES, FIXTURE], ids=lambda p: p.name)
def test_lexer_tokens_get_the_scope_of_their_kind(scoped, path: Path):
    problems = token_problems(scoped[path])
    assert not problems, f"{path.name}:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("path", [*EXAMPLES, FIXTURE], ids=lambda p: p.name)
def test_headers_and_keys_get_their_scopes(scoped, path: Path):
    problems = header_problems(scoped[path])
    assert not problems, f"{path.name}:\n" + "\n".join(problems[:20])


def test_every_token_kind_is_in_the_fixture():
    kinds = {t.type for t in lex(FIXTURE.read_text(encoding="utf-8")).tokens}
    terminals = set(_terminals())
    assert terminals <= kinds, f"the fixture lacks {sorted(terminals - kinds)}"


# Known places: (path, text of the line, word, expected innermost scope).
KNOWN = [
    # the fixture
    (FIXTURE, "contract all_tokens", "contract", "keyword.other.block.bpo"),
    (FIXTURE, "contract all_tokens", "all_tokens", "entity.name.type.bpo"),
    (FIXTURE, "contract all_tokens", '\\"', "constant.character.escape.bpo"),
    (FIXTURE, "contract all_tokens", "\\\\", "constant.character.escape.bpo"),
    (FIXTURE, "contract all_tokens", "\\t", "constant.character.escape.bpo"),
    (FIXTURE, "contract all_tokens", "\\n", "constant.character.escape.bpo"),
    (FIXTURE, "contract all_tokens", "kind", "string.quoted.double.bpo"),
    (FIXTURE, "effective: 2027", "effective", "support.type.property-name.bpo"),
    (FIXTURE, "effective: 2027", "2027-01-01", "constant.numeric.date.bpo"),
    (FIXTURE, "term: 36 months", "36", "constant.numeric.decimal.bpo"),
    (FIXTURE, "term: 36 months", "months", "keyword.other.unit.bpo"),
    (FIXTURE, "party client acme", "party", "keyword.other.block.bpo"),
    (FIXTURE, "party client acme", "client", "storage.modifier.role.bpo"),
    (FIXTURE, "party client acme", "acme", "entity.name.type.bpo"),
    (FIXTURE, "party client acme", "registration", "support.type.property-name.bpo"),
    (FIXTURE, "party client acme", ";", "punctuation.terminator.statement.bpo"),
    (FIXTURE, "volume: 2_000", "2_000", "constant.numeric.decimal.bpo"),
    (FIXTURE, "volume: 2_000", "per", "keyword.operator.word.bpo"),
    (FIXTURE, "volume: 2_000", "invoices", "variable.other.bpo"),
    (FIXTURE, "hours: monday", "08:30", "constant.numeric.time.bpo"),
    (FIXTURE, 'exclude "Tax', "exclude", "keyword.other.block.bpo"),
    (FIXTURE, "milestone kickoff", "effective", "variable.language.bpo"),
    (FIXTURE, "date: kickoff + 6 weeks", "+", "keyword.operator.arithmetic.bpo"),
    (FIXTURE, "date: kickoff + 6 weeks", "kickoff", "variable.other.bpo"),
    (FIXTURE, "target: 99.5%", "99.5", "constant.numeric.decimal.bpo"),
    (FIXTURE, "target: 99.5%", "%", "keyword.other.unit.percentage.bpo"),
    (FIXTURE, "breach: below 95 %", "%", "keyword.other.unit.percentage.bpo"),
    (FIXTURE, "credit: 2% of monthly_fees", "monthly_fees", "support.variable.bpo"),
    (FIXTURE, "pricing {", "pricing", "keyword.other.block.bpo"),
    (FIXTURE, "currency: EUR", "EUR", "variable.other.bpo"),  # a code word, not money
    (FIXTURE, 'fee setup "Set-up"', "fee", "keyword.other.block.bpo"),
    (FIXTURE, 'fee setup "Set-up"', "setup", "entity.name.type.bpo"),
    (FIXTURE, 'fee setup "Set-up"', "15000", "constant.numeric.decimal.bpo"),
    (FIXTURE, 'fee setup "Set-up"', "EUR", "support.constant.currency.bpo"),
    (FIXTURE, "fee run: max(", "run", "entity.name.type.bpo"),
    (FIXTURE, "fee run: max(", "max", "support.function.bpo"),
    (FIXTURE, "fee run: max(", "volume", "support.variable.bpo"),
    (FIXTURE, "fee run: max(", "*", "keyword.operator.arithmetic.bpo"),
    (FIXTURE, "fee run: max(", "1.20", "constant.numeric.decimal.bpo"),
    (FIXTURE, "fee run: max(", "/", "keyword.operator.arithmetic.bpo"),
    (FIXTURE, "payment_terms: 45 days", "days", "keyword.other.unit.bpo"),
    (FIXTURE, "review: every year on 03-31", "03-31", "constant.numeric.month-day.bpo"),
    (FIXTURE, "review: every year on 03-31", "every", "keyword.operator.word.bpo"),
    (FIXTURE, "amount: 500 EUR per day late", "bpo", "keyword.other.suppression.bpo"),
    (FIXTURE, "amount: 500 EUR per day late", "ignore", "keyword.other.suppression.bpo"),
    (FIXTURE, "amount: 500 EUR per day late", "BPO405", "constant.other.rule.bpo"),
    (FIXTURE, "amount: 500 EUR per day late", "penalty-needs-deadline", "constant.other.rule.bpo"),
    (FIXTURE, "amount: 500 EUR per day late", "shown", "comment.line.number-sign.suppression.bpo"),
    (FIXTURE, "# bpo: ignore-file", "ignore-file", "keyword.other.suppression.bpo"),
    (FIXTURE, "# bpo: ignore-file", "BPO405", "constant.other.rule.bpo"),
    (FIXTURE, "# Every kind of token", "Every", "comment.line.number-sign.bpo"),
    (FIXTURE, "personal: yes", "yes", "constant.language.bpo"),
    (FIXTURE, "personnel_bound: no", "no", "constant.language.bpo"),
    (FIXTURE, "return_on_end: tbd", "tbd", "constant.language.bpo"),
    (FIXTURE, "retention: 10 years after end", "end", "variable.language.bpo"),
    (FIXTURE, "breach_notification: 24 hours", "hours", "keyword.other.unit.bpo"),
    (FIXTURE, "confidentiality {", "confidentiality", "keyword.other.block.bpo"),
    (FIXTURE, 'text: """Notices', '"""', "punctuation.definition.string.begin.bpo"),
    (FIXTURE, 'text: """Notices', "plain", "string.quoted.triple.bpo"),
    (FIXTURE, 'text: """Notices', "# is not", "string.quoted.triple.bpo"),
    (FIXTURE, "is not an escape", "\\n", "string.quoted.triple.bpo"),
    (FIXTURE, "is not an escape", '"""', "punctuation.definition.string.end.bpo"),
    # the French examples
    (FR, "contract acme_ap", "acme_ap", "entity.name.type.bpo"),
    (FR, "signature_date: 2026-11-30", "2026-11-30", "constant.numeric.date.bpo"),
    (FR, "renewal: tacit 12 months", "notice", "keyword.operator.word.bpo"),
    (FR, "party provider comptaplus", "provider", "storage.modifier.role.bpo"),
    (FR, "Société par actions", "€", "string.quoted.double.bpo"),
    (FR, "# Externalisation", "ComptaPlus", "comment.line.number-sign.bpo"),
    (FR, "service invoice_entry", "service", "keyword.other.block.bpo"),
    (FR, "volume: 2000 invoices", "2000", "constant.numeric.decimal.bpo"),
    (FR, "hours: monday to friday 08:30", "18:00", "constant.numeric.time.bpo"),
    # the English examples
    (EN, "monthly_cap: 4% of monthly_fees  # bpo", "ignore", "keyword.other.suppression.bpo"),
    (EN, "monthly_cap: 4% of monthly_fees  # bpo", "BPO405", "constant.other.rule.bpo"),
    (EN, "monthly_cap: 4% of monthly_fees  # bpo", "4", "constant.numeric.decimal.bpo"),
    (EN, "cap: max(5000000 GBP", "GBP", "support.constant.currency.bpo"),
    (EN, "cap: max(5000000 GBP", "annual_fees", "support.variable.bpo"),
    (EN, "rate team_leader", "rate", "keyword.other.block.bpo"),
    (EN, "rate team_leader", "310", "constant.numeric.decimal.bpo"),
    (EN, "rate specialist", "redacted", "constant.language.bpo"),
    (EN, "step: below 80% credit", "step", "support.type.property-name.bpo"),
    (EN, "severity p1", "p1", "entity.name.type.bpo"),
    (EN, "level operations", "level", "keyword.other.block.bpo"),
    (EN, "level operations", "business days", "keyword.other.unit.bpo"),
    (EN, "review: every year on 04-01", "04-01", "constant.numeric.month-day.bpo"),
    (EN, "Commercial Debts (Interest) Act 1998", "1998", "string.quoted.triple.bpo"),
    (EN, "    for_cause {", "for_cause", "keyword.other.block.bpo"),
    (EN, "pricing: quote", "pricing", "support.type.property-name.bpo"),
    (BO, "band: 0 to 8000 at 6.40 EUR", "6.40", "constant.numeric.decimal.bpo"),
    (BO, "band: 0 to 8000 at 6.40 EUR", "band", "support.type.property-name.bpo"),
]


@pytest.mark.parametrize(
    ("path", "line", "word", "want"), KNOWN, ids=[f"{p.name}:{w}@{line[:24]}" for p, line, w, _ in KNOWN]
)
def test_known_tokens(scoped, path: Path, line: str, word: str, want: str):
    assert scoped[path].find(line, word)[-1] == want


# ------------------------------------------------------------------ what bpolang rejects
# (text, code bpolang reports, the offending text, the invalid scope the grammar gives it)
INVALID = [
    ('jurisdiction: "a\\qb"', "BPO007", "\\q", "invalid.illegal.escape.bpo"),
    ('x: "left open', "BPO004", '"left open', "invalid.illegal.unterminated-string.bpo"),
    ('x: "ends with a backslash\\', "BPO004", '"ends', "invalid.illegal.unterminated-string.bpo"),
    ("x: 8500 €", "BPO002", "€", "invalid.illegal.character.bpo"),
    ("x: société", "BPO002", "société", "invalid.illegal.name.bpo"),
    ("x: 3x", "BPO002", "3x", "invalid.illegal.number.bpo"),
    ("x: 10h30", "BPO002", "10h30", "invalid.illegal.number.bpo"),
    ("x: a @ b", "BPO002", "@", "invalid.illegal.character.bpo"),
]


@pytest.mark.parametrize(("snippet", "code", "bad", "want"), INVALID, ids=[i[0] for i in INVALID])
def test_what_bpolang_rejects_is_marked_invalid(textmate, snippet: str, code: str, bad: str, want: str):
    text = f'contract c "C" {{\n  {snippet}\n}}\n'
    codes = {d.code for d in bpolang.parse(text).diagnostics}
    assert code in codes, f"bpolang does not report {code} on {snippet!r}: {codes}"
    (lines,) = textmate(text)
    s = Scoped(text, lines)
    assert s.find(snippet, bad)[-1] == want


# ------------------------------------------------------------------ samples of every terminal
_LOOKAHEAD = "(?![0-9A-Za-z_])"
_SAMPLED = ("DATE", "TIME", "MONTHDAY", "MONEY", "DURATION", "PERCENT", "NUMBER", "NAME", "STRING", "TEXT")


def _terminal_strategy(name: str) -> st.SearchStrategy[str]:
    """Strings of one terminal of grammar/bpo.lark that bpolang's lexer reads as that one token."""
    pattern = _terminals()[name].replace(_LOOKAHEAD, "")  # from_regex does not do lookarounds
    # no surrogates (not encodable) and no line breaks the editor would see differently
    alphabet = st.characters(exclude_categories=("Cs",), exclude_characters="\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

    def whole(sample: str) -> bool:
        toks = lex("k: " + sample)
        return (
            not toks.errors
            and [t.type for t in toks.tokens] == ["NAME", "COLON", name]
            and toks.tokens[2].value == sample
        )

    return st.from_regex(pattern, fullmatch=True, alphabet=alphabet).filter(whole)


# Each example is one run of node (about half a second): no shrinking, which would take minutes;
# the failure message names the offending samples and their scopes instead.
@settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.lists(st.sampled_from(_SAMPLED).flatmap(_terminal_strategy), min_size=1, max_size=40))
def test_generated_terminals_get_the_scope_of_their_kind(samples: list[str]):
    if _missing() is not None:  # hypothesis tests cannot take the session fixture
        if _in_ci():
            pytest.fail(f"the TextMate grammar tests need node and the npm packages in CI: {_missing()}")
        pytest.skip(f"TextMate grammar not testable here: {_missing()}")
    text = "".join(f"k: {sample}\n" for sample in samples)
    (lines,) = tokenize(text)
    problems = token_problems(Scoped(text, lines))
    assert not problems, "\n".join(problems[:10])


# ------------------------------------------------------------------ no pathological slowness
def test_long_lines_tokenise_in_linear_time(textmate):
    # an unanchored pattern retried at every position makes a 20 000-character line take
    # tens of seconds; each of these takes well under a second with the grammar as it is
    n = 20_000
    lines = [
        "x: " + "1" * n,
        "x: " + "a" * n,
        'x: "' + "\\" * n,
        "x: " + '"a" ' * (n // 4),
        "x: " + "1 EUR " * (n // 6),
        "x: [" + "a, " * (n // 3) + "]",
        "x: " + "é" * n,
        "# " + "x" * n,
    ]
    started = time.monotonic()
    textmate("\n".join(lines) + "\n")
    assert time.monotonic() - started < 15


# ------------------------------------------------------------------ the grammar keeps up with the language
def _grammar() -> dict:
    return json.loads(GRAMMAR_PATH.read_text(encoding="utf-8"))


def _model_block_kinds(cls: type = C.Contract, seen: frozenset[type] = frozenset()) -> set[str]:
    """Every keyword that starts a child block or entry in the model, plus `contract` and `schedule`."""
    kinds = set(TOP_KEYWORDS)
    for keyword, spec in schema_of(cls).children.items():
        kinds.add(keyword)
        child = spec.child_cls
        if isinstance(child, type) and issubclass(child, C.Node) and child not in seen:
            kinds |= _model_block_kinds(child, seen | {cls})
    return kinds


def _alternatives(pattern: str) -> set[str]:
    """The words of the longest `(a|b|c)` group of plain words in a regex."""
    groups = re.findall(r"\((?:\?:)?((?:[a-z0-9_]+\|)+[a-z0-9_]+)\)", pattern)
    return set(max(groups, key=len).split("|"))


def test_grammar_knows_every_block_kind_of_the_model():
    kinds = _model_block_kinds()
    assert {"contract", "party", "pricing", "fee", "step", "band", "for_cause"} <= kinds
    for rule in _grammar()["repository"]["header"]["patterns"][1:]:
        listed = _alternatives(rule["match"])
        assert listed == kinds, f"missing {sorted(kinds - listed)}, unknown {sorted(listed - kinds)}"
    # the Pygments lexer of the documentation knows the same kinds
    assert set(pygments_lexer.BLOCK_KEYWORDS) == kinds


def test_every_block_kind_is_highlighted_as_a_keyword(textmate):
    kinds = sorted(_model_block_kinds())
    text = "".join(f'{kind} some_id "Title" {{\n}}\n' for kind in kinds)
    (lines,) = textmate(text)
    s = Scoped(text, lines)
    for kind in kinds:
        assert s.find(f"{kind} some_id", kind)[-1] == "keyword.other.block.bpo", kind


def test_grammar_word_lists_are_the_pygments_lexer_ones():
    words = _grammar()["repository"]["word"]["patterns"]
    by_scope = {rule["name"]: _alternatives(rule["match"]) for rule in words if "|" in rule.get("match", "")}
    assert by_scope["constant.language.bpo"] | by_scope["variable.language.bpo"] == set(pygments_lexer.CONSTANTS)
    assert by_scope["variable.language.bpo"] == {"effective", "end"}
    assert by_scope["support.variable.bpo"] == set(pygments_lexer.BUILTINS) == set(BUILTIN_BASES)
    assert by_scope["keyword.operator.word.bpo"] == set(pygments_lexer.CONNECTIVES)
    party = _grammar()["repository"]["header"]["patterns"][0]["match"]
    assert (
        _alternatives(party) == set(pygments_lexer.PARTY_ROLES) == set(C.Party.model_fields["role"].annotation.__args__)
    )


def test_grammar_units_are_the_lark_grammar_ones():
    # the duration units of the TextMate grammar are those of the DURATION terminal
    duration = _terminals()["DURATION"]
    units = duration[duration.index("(?:business") :]
    rule = next(r for r in _grammar()["repository"]["literal"]["patterns"] if r.get("name") == "meta.duration.bpo")
    assert units.replace("\t", "\\t").removesuffix(_LOOKAHEAD) in rule["match"]


# ------------------------------------------------------------------ the language configuration
def _config() -> dict:
    return json.loads(CONFIG_PATH.read_text(encoding="utf-8"))


def test_language_configuration_pairs():
    cfg = _config()
    assert cfg["comments"] == {"lineComment": "#"}
    assert cfg["brackets"] == [["{", "}"], ["[", "]"], ["(", ")"]]
    closing = {p["open"]: p["close"] for p in cfg["autoClosingPairs"]}
    assert closing == {"{": "}", "[": "]", "(": ")", '"': '"', '"""': '"""'}
    assert {tuple(p) for p in cfg["surroundingPairs"]} >= {("{", "}"), ("[", "]"), ("(", ")"), ('"', '"')}


def test_word_pattern_matches_the_ids():
    word = re.compile(_config()["wordPattern"])
    for path in EXAMPLES:
        for tok in lex(path.read_text(encoding="utf-8")).tokens:
            if tok.type == "NAME":
                assert word.fullmatch(tok.value), tok.value
    # a word stops where an id stops
    assert [m.group() for m in word.finditer("applies_to: first_close+kickoff")] == [
        "applies_to",
        "first_close",
        "kickoff",
    ]


def test_indentation_rules_reproduce_the_examples():
    # `bpo fmt` indents the examples by two spaces per open brace or bracket: the editor's
    # rules must give the same indentation while typing them line by line
    rules = _config()["indentationRules"]
    increase, decrease = re.compile(rules["increaseIndentPattern"]), re.compile(rules["decreaseIndentPattern"])
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        tokens = lex(text).tokens
        in_text = {
            i
            for tok in tokens
            if tok.type == "TEXT"
            for i in range(text.count("\n", 0, tok.start_pos) + 1, text.count("\n", 0, tok.end_pos) + 1)
        }
        # a translation the formatter puts on a line of its own, one level in (`  / en: "..."`),
        # continues the text before it: no rule can tell it from the next statement while typing
        in_text |= {
            text.count("\n", 0, tok.start_pos)
            for tok in tokens
            if tok.type == "TRANSLATION" and not text[text.rfind("\n", 0, tok.start_pos) + 1 : tok.start_pos].strip()
        }
        indent = 0
        previous = ""
        for n, line in enumerate(text.splitlines()):
            if not line.strip():
                continue
            if n in in_text:  # the continuation lines of a text block are kept as written
                previous = ""
                continue
            if increase.search(previous):
                indent += 2
            if decrease.search(line):
                indent -= 2
            actual = len(line) - len(line.lstrip(" "))
            assert actual == indent, f"{path.name}:{n + 1}: the rules give {indent} spaces, the file has {actual}"
            previous = line


# ------------------------------------------------------------------ semantic tokens

# The TextMate scopes each semantic token of the language server stands for (bpolang/lsp/highlight.py).
SEMANTIC_SCOPES = {
    ("keyword", 0): ("keyword.other.block.", "keyword.other.unit", "support.constant.currency."),
    ("property", 0): ("support.type.property-name.",),
    ("type", 1): ("entity.name.type.",),
    ("modifier", 0): ("storage.modifier.role.",),
    ("variable", 2): ("constant.language.", "variable.language."),
    ("variable", 4): ("support.variable.",),
    ("variable", 0): ("variable.other.",),
    ("function", 4): ("support.function.",),
    ("operator", 0): ("keyword.operator.",),
    ("string", 0): ("string.quoted.",),
    ("number", 0): ("constant.numeric.",),
    ("comment", 0): ("comment.line.",),
}


@pytest.mark.parametrize("path", [*EXAMPLES, FIXTURE], ids=lambda p: p.name)
def test_semantic_tokens_are_the_grammar_scopes(scoped, path: Path):
    """Every character the language server colours has the TextMate scope of its semantic token."""
    from bpolang.lsp.highlight import TOKEN_TYPES, classify

    s = scoped[path]
    lexed = lex(s.text)
    pieces = classify(lexed.tokens, lexed.comments)
    assert len(pieces) > 100
    wrong = []
    for start, end, kind, mods in pieces:
        want = SEMANTIC_SCOPES[(TOKEN_TYPES[kind], mods)]
        for i in range(start, end):
            if not s.text[i].isspace() and not any(sc.startswith(want) for sc in s.at(i)):
                wrong.append(f"{s.text[start:end]!r} ({TOKEN_TYPES[kind]}, {mods}) has {s.at(i)}")
                break
    assert not wrong, "\n".join(wrong[:20])
