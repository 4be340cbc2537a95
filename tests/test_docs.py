"""The documentation: it builds strictly, its examples are valid, and it keeps up with the model.

- ```` ```bpo ```` blocks in docs/**/*.md and README.md are complete contracts: they pass
  `bpo check` as a reader would run it (no diagnostic of the language, and no finding of the rules
  at error severity with the default configuration).
- ```` ```bpo fragment ```` blocks are not complete contracts, and the page says so:
  - a part of a contract is wrapped in one (with an `effective` date and a `term` when it does not
    give them) and must have no diagnostic of the language except the reference and date ones
    (BPO013, BPO014, BPO018, BPO019), since a fragment may name blocks it does not show;
  - an excerpt written as a `contract` (to show a block in place) must have no diagnostic of the
    language, and the rules must find what it leaves out (an error): otherwise it is complete
    and must not be marked. The docs hook ``docs/hooks/fragments.py`` captions it on the site.
- The Pygments lexer yields no Error token on any example file or docs block.
- Every key and child keyword of every block of the model appears, in backticks, in the language
  reference; every language diagnostic code appears, with its name, in docs/diagnostics.md.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import bpolang
from bpolang.model import contract as C
from bpolang.model.build import LANGUAGE_CODES, block_classes, schema_of
from bpolang.syntax.pygments_lexer import BpoLexer, token_errors

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LANGUAGE_DOCS = DOCS / "language"
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))

# Diagnostics a fragment may have: it can name milestones, parties... that it does not show.
FRAGMENT_ALLOWED = {"BPO013", "BPO014", "BPO018", "BPO019"}
FRAGMENT_FORBIDDEN = sorted(set(LANGUAGE_CODES) - FRAGMENT_ALLOWED)
assert {"BPO001", "BPO010", "BPO011", "BPO012"} <= set(FRAGMENT_FORBIDDEN)


def _hook(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"docs_hook_{name}", DOCS / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FRAGMENTS_HOOK = _hook("fragments")

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*?)[ \t]*$")


@dataclass
class CodeBlock:
    path: Path
    line: int  # 1-based line of the opening fence
    lang: str
    options: list[str]
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def is_fragment(self) -> bool:
        return "fragment" in self.options

    @property
    def is_excerpt(self) -> bool:
        """A fragment written as a whole `contract` block (see docs/hooks/fragments.py)."""
        return FRAGMENTS_HOOK.starts_a_contract(self.text)


def code_blocks(path: Path) -> list[CodeBlock]:
    """The fenced code blocks of a Markdown file (also inside admonitions, by indentation)."""
    blocks: list[CodeBlock] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence = m.group("indent"), m.group("fence")
        words = m.group("info").split()
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines):
            stripped = lines[i].strip()
            if stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}:
                break
            line = lines[i]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            i += 1
        else:
            raise AssertionError(f"{path.relative_to(ROOT)}:{start + 1}: code block never closed")
        i += 1
        lang = words[0].lstrip(".").lower() if words else ""
        blocks.append(CodeBlock(path, start + 1, lang, words[1:], "\n".join(body) + "\n"))
    return blocks


DOC_FILES = sorted(DOCS.rglob("*.md"))
README = ROOT / "README.md"
ALL_BLOCKS = [b for f in [*DOC_FILES, README] for b in code_blocks(f)]
BPO_BLOCKS = [b for b in ALL_BLOCKS if b.lang == "bpo"]
FULL_BLOCKS = [b for b in BPO_BLOCKS if not b.is_fragment]
FRAGMENT_BLOCKS = [b for b in BPO_BLOCKS if b.is_fragment and not b.is_excerpt]
EXCERPT_BLOCKS = [b for b in BPO_BLOCKS if b.is_fragment and b.is_excerpt]


def wrap_fragment(text: str) -> tuple[str, int]:
    """The fragment inside a contract, and how many lines were added before it."""
    header = ['contract doc_example "Example" {']
    if not re.search(r"(?m)^\s*effective\s*:", text):
        header.append("  effective: 2027-01-01")
    if not re.search(r"(?m)^\s*term\s*:", text):
        header.append("  term: 36 months")
    return "\n".join(header) + "\n" + text + "}\n", len(header)


def _describe(block: CodeBlock, diags, offset: int = 0) -> str:
    lines = []
    for d in diags:
        at = ""
        if d.span is not None:
            # line of the fence + 1 is the block's first line
            doc_line = block.line + d.span.line - offset
            at = f" (block line {d.span.line - offset}, {block.path.relative_to(ROOT)}:{doc_line})"
        lines.append(f"  {d.code} {d.message}{at}" + (f" -- help: {d.help}" if d.help else ""))
    return f"{block.where}: ```{' '.join([block.lang, *block.options])} block is not valid:\n" + "\n".join(lines)


def test_docs_have_bpo_examples():
    assert FULL_BLOCKS, "no ```bpo block found in docs/"
    assert FRAGMENT_BLOCKS, "no ```bpo fragment block found in docs/"
    pages = {b.path for b in BPO_BLOCKS}
    for page in sorted(LANGUAGE_DOCS.glob("*.md")):
        assert page in pages, f"{page.relative_to(ROOT)} has no bpo example"


# ------------------------------------------------------------------ (a) the site builds
def test_mkdocs_build_strict(tmp_path):
    site = tmp_path / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    assert (site / "index.html").is_file()

    # Every rule's link (bpo rule, SARIF helpUri, the LSP's codeDescription) resolves on the site.
    from bpolang.base.errors import DOCS_URL
    from bpolang.check.rules.registry import load_all

    for rule in load_all().values():
        url = rule.url()
        if not url:
            continue
        assert url.startswith(DOCS_URL + "/"), url
        page, _, anchor = url.removeprefix(DOCS_URL + "/").partition("#")
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, f"{url}: no such anchor on the site"

    # The schema is published where its $id says (docs/hooks/schema.py).
    from bpolang.format.interchange import SCHEMA_PATH, json_schema

    published = json.loads((site / SCHEMA_PATH).read_text(encoding="utf-8"))
    assert published == json_schema() and published["$id"] == f"{DOCS_URL}/{SCHEMA_PATH}"

    # The sitemap lists every page, under site_url.
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>(.*?)</loc>", sitemap))
    built = {
        DOCS_URL + "/" + ("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/")
        for p in site.rglob("index.html")
        if "assets" not in p.parts and p.parent.name != "404"
    }
    assert built <= listed, sorted(built - listed)

    # Every bpo block, fragments included, is rendered as a bpo code block; when the lexer is
    # registered with Pygments (the package's entry point), it is actually highlighted.
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        registered = isinstance(get_lexer_by_name("bpo"), BpoLexer)
    except ClassNotFound:
        registered = False
    for page in DOC_FILES:
        expected = sum(1 for b in BPO_BLOCKS if b.path == page)
        if not expected:
            continue
        rel = page.relative_to(DOCS).with_suffix("")  # directory URLs: a/b.md -> a/b/index.html
        html_path = site / (rel.parent if rel.name == "index" else rel) / "index.html"
        html = html_path.read_text(encoding="utf-8")
        found = html.count('class="language-bpo highlight"')
        assert found == expected, f"{page.relative_to(ROOT)}: {expected} bpo blocks, {found} rendered as bpo"
        excerpts = sum(1 for b in EXCERPT_BLOCKS if b.path == page)
        captions = html.count(f'<span class="filename">{FRAGMENTS_HOOK.CAPTION}</span>')
        assert captions == excerpts, f"{page.relative_to(ROOT)}: {excerpts} excerpts, {captions} captioned"
        if registered:
            assert '<span class="kd">' in html, f"{page.relative_to(ROOT)}: bpo blocks are not highlighted"


# ------------------------------------------------------------------ (b) the examples are valid
def _rule_findings(result):
    from bpolang.check.config import Config
    from bpolang.check.driver import findings

    return findings(result, Config())


@pytest.mark.parametrize("block", FULL_BLOCKS, ids=lambda b: b.where)
def test_full_example_passes_bpo_check(block: CodeBlock):
    result = bpolang.parse(block.text, block.where)
    assert result.contract is not None, f"{block.where}: no contract; mark the block ```bpo fragment"
    assert not result.diagnostics, _describe(block, result.diagnostics)
    errors = [d for d in _rule_findings(result) if d.severity.value == "error"]
    assert not errors, _describe(block, errors) + "\n(complete it, or mark it ```bpo fragment)"


@pytest.mark.parametrize("block", EXCERPT_BLOCKS, ids=lambda b: b.where)
def test_excerpt_is_valid_language_and_incomplete(block: CodeBlock):
    result = bpolang.parse(block.text, block.where)
    assert result.contract is not None and not result.diagnostics, _describe(block, result.diagnostics)
    errors = [d for d in _rule_findings(result) if d.severity.value == "error"]
    assert errors, f"{block.where}: passes bpo check; it is a complete contract, remove `fragment`"


@pytest.mark.parametrize("block", FRAGMENT_BLOCKS, ids=lambda b: b.where)
def test_fragment_is_valid_inside_a_contract(block: CodeBlock):
    text, added = wrap_fragment(block.text)
    result = bpolang.parse(text, block.where)
    bad = [d for d in result.diagnostics if d.code in FRAGMENT_FORBIDDEN]
    assert not bad, _describe(block, bad, offset=added)


# ------------------------------------------------------------------ (c) the lexer
def test_lexer_is_the_pygments_bpo_lexer():
    assert BpoLexer.name == "bpo"
    assert BpoLexer.aliases == ["bpo", "bpolang"]
    assert BpoLexer.filenames == ["*.bpo"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_lexer_has_no_error_tokens_on_examples(path: Path):
    errors = token_errors(path.read_text(encoding="utf-8"))
    assert not errors, f"{path.relative_to(ROOT)}: Error tokens {errors[:5]}"


@pytest.mark.parametrize("block", BPO_BLOCKS, ids=lambda b: b.where)
def test_lexer_has_no_error_tokens_on_docs(block: CodeBlock):
    errors = token_errors(block.text)
    assert not errors, f"{block.where}: Error tokens {errors[:5]}"


def test_lexer_tokens():
    from pygments.token import Keyword, Name, Number, String

    text = 'party client acme "ACME SAS" { gdpr_role: controller }\nfee run: 8500 EUR every month # c\n'
    tokens = [(t, v) for t, v in BpoLexer().get_tokens(text) if v.strip()]
    assert (Keyword.Declaration, "party") in tokens
    assert (Name.Variable, "acme") in tokens
    assert (String.Double, '"ACME SAS"') in tokens
    assert (Name.Attribute, "gdpr_role") in tokens
    assert (Keyword.Declaration, "fee") in tokens
    assert (Number.Float, "8500") in tokens
    assert (Keyword.Type, "EUR") in tokens
    assert token_errors("x: 8500 €") == [(8, "€")]


def test_lexer_knows_every_duration_unit():
    from pygments.token import Keyword

    from bpolang.model.values import DurationUnit

    for unit in DurationUnit:
        plural = unit.value.replace("_", " ")
        for text in (f"3 {plural}", f"1 {plural[:-1]}"):
            tokens = [(t, v) for t, v in BpoLexer().get_tokens(f"x: {text}") if v.strip()]
            assert (Keyword.Type, text.split(" ", 1)[1]) in tokens, f"`{text}` is not lexed as a duration: {tokens}"
            assert bpolang.parse(f'contract c "C" {{ term: {text} }}').diagnostics == [], text


# ------------------------------------------------------------------ (d) the reference covers the model
def _model_words() -> list[tuple[str, str]]:
    """(block class, key or child keyword) for every block reachable from Contract."""
    out: list[tuple[str, str]] = []
    for cls in block_classes():
        if issubclass(cls, C.Node):  # a phrasal value (`payment_terms: 45 days`) is read from a phrase, not from keys
            schema = schema_of(cls)
            out += [(cls.__name__, word) for word in [*schema.keys, *schema.children]]
    return out


def test_reference_documents_every_key():
    words = _model_words()
    assert ("Contract", "party") in words and ("Pricing", "payment_terms") in words
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(LANGUAGE_DOCS.glob("*.md")))
    missing = sorted({f"{cls}.{word}" for cls, word in words if f"`{word}`" not in text})
    assert not missing, "keys missing from docs/language/*.md: " + ", ".join(missing)


def test_reference_documents_every_choice():
    """The words a key chooses from (`model: mixed`, `nature: clause_penale`) and every duration unit."""
    import types
    import typing

    from bpolang.model.values import DurationUnit

    def _strip_optional(tp):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 1 else tp

    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(LANGUAGE_DOCS.glob("*.md")))
    missing = []
    for cls in block_classes():
        if not issubclass(cls, C.Node):
            continue  # a phrasal value: its words are read from a phrase
        for key, spec in schema_of(cls).keys.items():
            tp = _strip_optional(spec.annotation)
            if typing.get_origin(tp) is typing.Literal:
                missing += [f"{cls.__name__}.{key}: {opt}" for opt in typing.get_args(tp) if f"`{opt}`" not in text]
    values = (LANGUAGE_DOCS / "values.md").read_text(encoding="utf-8")
    for unit in DurationUnit:
        plural = unit.value.replace("_", " ")
        missing += [f"duration unit {w}" for w in (plural, plural[:-1]) if f"`{w}`" not in values]
    assert not missing, "not documented in docs/language/*.md: " + ", ".join(missing)


def test_diagnostics_page_lists_every_code():
    text = (DOCS / "diagnostics.md").read_text(encoding="utf-8")
    for code, (name, _severity, _summary) in LANGUAGE_CODES.items():
        row = re.search(rf"^\| \[{code}\]\(#{code.lower()}\) \| `{re.escape(name)}` \|", text, re.M)
        assert row, f"docs/diagnostics.md has no table row for {code} `{name}`"
        assert re.search(rf"^### {code}$", text, re.M), f"docs/diagnostics.md has no section for {code}"


def test_getting_started_says_what_bpo_check_prints(tmp_path, monkeypatch):
    """The page's contract, its typo and its misprinted amount give exactly the outputs it shows."""
    from click.testing import CliRunner

    from bpolang.cli import main

    page = DOCS / "getting-started.md"
    (contract,) = [b for b in FULL_BLOCKS if b.path == page]
    clean_tail, typo, amount = [b.text for b in code_blocks(page) if b.lang == "text"]
    monkeypatch.chdir(tmp_path)

    def check(text: str):
        Path("first.bpo").write_text(text, encoding="utf-8")
        return CliRunner().invoke(main, ["check", "first.bpo", "--no-cache", "--no-color"])

    res = check(contract.text)
    assert res.exit_code == 0 and res.stdout.rstrip("\n").endswith("\n" + clean_tail.strip()), res.stdout
    text = contract.text.replace("effective + 2 months", "efective + 2 months")
    res = check(text)
    assert res.exit_code == 1 and typo in res.stdout
    said = page.read_text(encoding="utf-8").split("```text\n" + typo + "```", 1)[1]
    last = re.search(r"the last line says `([^`]*)`", said).group(1)
    assert res.stdout.rstrip("\n").endswith("\n" + last)
    res = check(contract.text.replace("6500 EUR every month", "6 500 EUR every month"))
    assert res.exit_code == 1 and amount in res.stdout


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", quick, re.S)


def test_readme_quick_start_is_two_commands_and_ci_runs_the_second():
    first, second = _readme_commands()
    assert "\n" not in first.strip() and "\n" not in second.strip()
    assert "bpo check examples/" in first and "bpo render" in first
    assert "pytest -n auto" in second and "[dev]" in second
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip("\n").splitlines()
    assert ci[-1] == second.strip()


def test_getting_started_has_the_readme_commands():
    commands = _readme_commands()
    assert commands, "README.md has no commands under Quick start"
    page = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    for command in commands:
        assert f"```sh\n{command}```" in page, f"docs/getting-started.md lacks the README command {command.strip()!r}"
