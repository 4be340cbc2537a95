"""Texts in two languages: `"Rapport mensuel" / en: "Monthly report"` (issue 16, point 3).

The syntax (titles, keys, text blocks, items of lists, a text inside a phrase; a translation on the
next line), the diagnostics of a bad translation, the printer and the formatter, the rendering in
each language and its note, `bpo diff`, export and import, composition and the editor's colours.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bpolang
from bpolang.cli import main
from bpolang.format.formatter import check_equivalent, format_text
from bpolang.format.interchange import from_data, json_schema, to_data
from bpolang.format.printer import print_contract
from bpolang.model.compare import semantic_dump
from bpolang.render import document
from bpolang.render.ir import pieces
from bpolang.syntax.nodes import BinOp, Bitext
from bpolang.syntax.parser import parse_text

REPO = Path(__file__).resolve().parent.parent
FR_EXAMPLE = REPO / "examples" / "comptabilite-fournisseurs.bpo"

SAMPLE = '''contract c "Contrat de test" / en: "Test agreement" {
  language: fr
  governing_law: FR
  effective: 2027-01-01
  term: 12 months
  recitals: ["Premier considérant" / en: "First recital", "Second considérant"]
  jurisdiction: "Tribunal de Lyon"  # the court
    / en: "Lyon court"
  party client a "A SAS" { legal_form: "Société" / en: "Company" }
  party provider b "B SARL" {}
  data d "Factures" {
    retention: 10 years after "clôture" / en: "year end"
  }
  clause conf "Confidentialité" / en: "Confidentiality" {
    text: """Chaque Partie
garde le secret."""
      / en: """Each Party
keeps the secret."""
  }
}
'''


def _load(tmp_path: Path, text: str, name: str = "c.bpo") -> bpolang.Result:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return bpolang.load(path)


def _language_errors(result: bpolang.Result) -> list:
    return [d for d in result.diagnostics if d.code < "BPO100"]


# ------------------------------------------------------------------ syntax and model
def test_titles_keys_text_blocks_list_items_and_phrase_texts_take_their_translations(tmp_path: Path) -> None:
    result = _load(tmp_path, SAMPLE)
    assert not _language_errors(result), _language_errors(result)
    c = result.contract
    assert c is not None
    assert c.title == "Contrat de test" and c.jurisdiction == "Tribunal de Lyon"
    assert c.translations == {
        "title": {"en": "Test agreement"},
        "recitals.0": {"en": "First recital"},
        "jurisdiction": {"en": "Lyon court"},
    }
    assert c.parties[0].translations == {"legal_form": {"en": "Company"}}
    assert c.data[0].translations == {"retention.event": {"en": "year end"}}
    clause = c.clauses[0]
    assert clause.text == "Chaque Partie\ngarde le secret."
    assert clause.translations == {"title": {"en": "Confidentiality"}, "text": {"en": "Each Party\nkeeps the secret."}}


def test_a_slash_is_a_translation_only_before_a_language_and_a_colon() -> None:
    parsed = parse_text('contract c "C" {\n  x: 8500 EUR / 12\n  y: "a" / en: "b"\n  z: 10 EUR /day\n}\n')
    assert not parsed.problems
    x, y, z = (s.value.items[0] for s in parsed.body[0].body)
    assert isinstance(x, BinOp) and x.op == "/"
    assert isinstance(z, BinOp) and z.op == "/"
    assert isinstance(y, Bitext) and y.text == '"a"'
    assert [(lang.text, t.text) for lang, t in y.translations] == [("en", '"b"')]


@pytest.mark.parametrize(
    ("line", "code", "message", "help"),
    [
        ('  signed_at: "Lyon" / eng: "Lyon"', "BPO030", "`eng` is not a language", "did you mean `en`?"),
        ('  signed_at: "Lyon" / xx: "Lyon"', "BPO030", "`xx` is not a language", "write `fr` or `en`"),
        ('  signed_at: "Lyon" / fr: "Lyon"', "BPO031", "the language the contract is written in", "translate it"),
        ('  signed_at: "Lyon" / en: "Lyon" / en: "L"', "BPO031", "translated into `en` twice", "keep one"),
    ],
)
def test_a_translation_into_a_language_not_rendered_or_the_contract_s_own_is_located(
    tmp_path: Path, line: str, code: str, message: str, help: str
) -> None:
    text = f'contract c "C" {{\n  language: fr\n{line}\n}}\n'
    result = _load(tmp_path, text)
    found = [d for d in result.diagnostics if d.code == code]
    assert len(found) == 1, result.diagnostics
    d = found[0]
    assert message in d.message and help in (d.help or "")
    # the caret is under the last language code of the line (the wrong one)
    marker = line.rsplit("/", 1)[1].split(":")[0].strip()
    assert d.span is not None and (d.span.line, d.span.col) == (3, line.rindex(marker) + 1)
    assert text.splitlines()[2][d.span.col - 1 : d.span.end_col - 1] == marker


def test_a_wrong_language_is_left_out_of_the_model_and_a_near_miss_is_fixable(tmp_path: Path) -> None:
    result = _load(tmp_path, 'contract c "C" {\n  language: fr\n  signed_at: "Lyon" / eng: "Lyon"\n}\n')
    assert result.contract is not None and result.contract.translations == {}
    (d,) = [d for d in result.diagnostics if d.code == "BPO030"]
    assert d.fix is not None and [e.text for e in d.fix.edits] == ["en"]


def test_translations_need_the_contract_s_language(tmp_path: Path) -> None:
    result = _load(tmp_path, 'contract c "C" / en: "C" {\n  signed_at: "Lyon"\n}\n')
    (d,) = [d for d in result.diagnostics if d.code == "BPO031"]
    assert "does not say what language" in d.message and "language: fr" in (d.help or "")


def test_a_translation_the_value_does_not_take_is_reported_not_dropped(tmp_path: Path) -> None:
    """BPO032 guards every value: a translated text the value has no place for (here: a phrase form
    told its texts differ from the ones written) is reported, never silently lost."""
    from bpolang.base.source import LineIndex
    from bpolang.model.build import Builder

    text = 'contract c "C" {\n  x: 10 years after "a" / en: "b"\n}\n'
    phrase = parse_text(text).body[0].body[0].value
    builder = Builder(text, LineIndex(text))
    builder.misplaced_translations(phrase, used=())
    (d,) = builder.diagnostics
    assert d.code == "BPO032" and (d.span.line, d.span.col) == (2, text.splitlines()[1].index("/") + 1)


# ------------------------------------------------------------------ printer and formatter
def test_the_printer_writes_every_translation_back(tmp_path: Path) -> None:
    model = _load(tmp_path, SAMPLE).contract
    printed = print_contract(model)
    again = _load(tmp_path, printed, "printed.bpo").contract
    assert semantic_dump(again) == semantic_dump(model)
    assert printed.count("/ en:") == 7


_WORDS = st.text(
    st.characters(codec="utf-8", categories=["L", "N", "Zs", "P"], exclude_characters='"\\\u2028\u2029\x85'),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and s)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_WORDS, english=_WORDS, item=_WORDS, item_en=_WORDS)
def test_any_text_and_translation_round_trip_through_printer_and_formatter(
    tmp_path: Path, title: str, english: str, item: str, item_en: str
) -> None:
    def q(s: str) -> str:
        return '"' + s + '"'

    text = (
        f"contract c {q(title)} / en: {q(english)} {{\n  language: fr\n"
        f"  recitals: [{q(item)} / en: {q(item_en)}, {q(item)}]\n}}\n"
    )
    first = _load(tmp_path, text).contract
    assert first is not None
    assert first.translations == {"title": {"en": english}, "recitals.0": {"en": item_en}}
    printed = print_contract(first)
    assert semantic_dump(_load(tmp_path, printed, "p.bpo").contract) == semantic_dump(first)
    formatted = format_text(text)
    check_equivalent(text, formatted)  # same model, same comments, stable
    assert format_text(formatted) == formatted


def test_the_formatter_keeps_translations_and_their_comments_and_breaks_long_ones() -> None:
    formatted = format_text(SAMPLE)
    check_equivalent(SAMPLE, formatted)
    assert '  jurisdiction: "Tribunal de Lyon" / en: "Lyon court"  # the court\n' in formatted
    assert '  recitals: ["Premier considérant" / en: "First recital", "Second considérant"]\n' in formatted
    long = "x" * 80
    text = f'contract c "C" {{\n  language: fr\n  signed_at: "{long}" / en: "{long}"\n}}\n'
    lines = format_text(text).splitlines()
    assert lines[2] == f'  signed_at: "{long}"' and lines[3] == f'    / en: "{long}"'
    assert format_text(format_text(text)) == format_text(text)


# ------------------------------------------------------------------ rendering
def _document_texts(path: Path, lang: str) -> list:
    result = bpolang.load(path)
    return pieces(document(result.contract, result.resolution, lang))


def _without(tmp_path: Path, old: str) -> Path:
    text = FR_EXAMPLE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "partial.bpo"
    path.write_text(text.replace(old, ""), encoding="utf-8")
    return path


def test_each_document_uses_the_text_in_its_language_from_the_same_source() -> None:
    fr = _document_texts(FR_EXAMPLE, "fr")
    en = _document_texts(FR_EXAMPLE, "en")
    in_en = [p for p in en if "“Supplier invoice entry”" in p.text]
    assert in_en and all("services[invoice_entry].title" in p.origin.sources for p in in_en)
    for piece in in_en:  # the French piece made from the same values names the service in French
        (same,) = [p for p in fr if p.section == piece.section and p.origin.sources == piece.origin.sources]
        assert "Saisie des factures fournisseurs" in same.text
    assert not any("Saisie des factures fournisseurs" in p.text for p in en)
    assert not any("Supplier invoice entry" in p.text for p in fr)


def test_the_untranslated_note_appears_only_when_a_quoted_text_lacks_the_document_s_language(
    tmp_path: Path,
) -> None:
    def notes(path: Path, lang: str) -> list:
        return [p for p in _document_texts(path, lang) if p.origin.sources == ("language",)]

    assert notes(FR_EXAMPLE, "en") == [] and notes(FR_EXAMPLE, "fr") == []
    partial = _without(tmp_path, ' / en: "Supplier invoice entry"')
    (note,) = notes(partial, "en")
    assert (
        note.text.startswith("The Agreement's own words for which it gives no English version")
        and "French" in note.text
    )
    assert notes(partial, "fr") == []
    assert any("“Saisie des factures fournisseurs”" in p.text for p in _document_texts(partial, "en"))


def test_markdown_html_and_docx_use_the_translations(tmp_path: Path) -> None:
    runner = CliRunner()
    for fmt in ("md", "html", "docx"):
        out = tmp_path / f"doc.{fmt}"
        result = runner.invoke(main, ["render", str(FR_EXAMPLE), "--to", fmt, "--lang", "en", "-o", str(out)])
        assert result.exit_code == 0, result.output
        if fmt == "docx":
            from docx import Document as Docx

            body = "\n".join(p.text for p in Docx(str(out)).paragraphs)
        else:
            body = out.read_text(encoding="utf-8")
        assert "Accounts payable outsourcing" in body and "Supplier invoice entry" in body
        assert "Externalisation de la comptabilité" not in body


# ------------------------------------------------------------------ diff, export, composition, editors
def test_a_changed_translation_is_reported_in_its_language(tmp_path: Path) -> None:
    text = FR_EXAMPLE.read_text(encoding="utf-8")
    new = tmp_path / "new.bpo"
    new.write_text(text.replace('/ en: "Supplier invoice entry"', '/ en: "Supplier invoice processing"'), "utf-8")
    runner = CliRunner()
    out = runner.invoke(main, ["diff", str(FR_EXAMPLE), str(new), "--lang", "en"]).output
    assert "Title in English: “Supplier invoice entry” → “Supplier invoice processing”" in out
    out = runner.invoke(main, ["diff", str(FR_EXAMPLE), str(new)]).output
    assert "Intitulé en anglais\u202f: «\u202fSupplier invoice entry\u202f» → «\u202fSupplier invoice processing" in out
    data = json.loads(runner.invoke(main, ["diff", str(FR_EXAMPLE), str(new), "--output-format", "json"]).output)
    (change,) = data["changes"]
    assert change["translation"] == "en" and change["key"] == "title" and change["new"] == "Supplier invoice processing"
    removed = _without(tmp_path, ' / en: "Supplier invoice entry"')
    out = runner.invoke(main, ["diff", str(FR_EXAMPLE), str(removed), "--lang", "en"]).output
    assert "Title in English: “Supplier invoice entry” (removed)" in out


def test_a_translated_item_is_matched_by_its_text_not_its_position(tmp_path: Path) -> None:
    text = FR_EXAMPLE.read_text(encoding="utf-8")
    new = tmp_path / "new.bpo"
    new.write_text(
        text.replace("  recitals: [\n", '  recitals: [\n    "Préambule ajouté" / en: "Added recital",\n'), "utf-8"
    )
    runner = CliRunner()
    data = json.loads(runner.invoke(main, ["diff", str(FR_EXAMPLE), str(new), "--output-format", "json"]).output)
    changes = [(c["key"], c["change"], c.get("translation")) for c in data["changes"]]
    # the recital and its translation are new; the three after it keep theirs
    assert sorted(changes, key=str) == [("recitals", "changed", None), ("recitals.0", "added", "en")]


def test_export_and_import_carry_the_translations(tmp_path: Path) -> None:
    model = bpolang.load(FR_EXAMPLE).contract
    data = to_data(model)
    assert data["translations"]["title"] == {"en": "Accounts payable outsourcing"}
    assert "translations" not in data["parties"][0] or data["parties"][0]["translations"]
    back, problems = from_data(json.loads(json.dumps(data)))
    assert not problems and semantic_dump(back) == semantic_dump(model)
    data["translations"]["nowhere"] = {"en": "lost"}  # a place the contract has no text at
    _, problems = from_data(data)
    assert problems
    schema = json_schema()
    assert "translations" in schema["properties"] and "translations" in schema["$defs"]["Service"]["properties"]


def test_a_statement_of_work_inherits_the_translations_of_the_master_s_terms(tmp_path: Path) -> None:
    master = SAMPLE.replace('contract c "Contrat de test"', 'contract m "Contrat cadre"')
    (tmp_path / "msa.bpo").write_text(master, encoding="utf-8")
    sow = 'contract s "Bon de commande" / en: "Order" {\n  language: fr\n  under: "msa.bpo"\n}\n'
    result = _load(tmp_path, sow, "sow.bpo")
    c = result.contract
    assert c is not None
    assert c.jurisdiction == "Tribunal de Lyon"
    assert c.translations["jurisdiction"] == {"en": "Lyon court"} and c.translations["title"] == {"en": "Order"}
    assert c.translations["recitals.0"] == {"en": "First recital"}


def test_the_translation_marker_is_coloured_by_the_language_server() -> None:
    from bpolang.lsp.highlight import TOKEN_TYPES, classify
    from bpolang.syntax.lexer import lex

    text = 'contract c "C" / en: "D" {}\n'
    lexed = lex(text)
    got = {text[a:b]: TOKEN_TYPES[k] for a, b, k, _ in classify(lexed.tokens, lexed.comments)}
    assert got["/"] == "operator" and got["en"] == "property" and got['"D"'] == "string"


def test_an_edit_before_translated_statements_is_rechecked_incrementally() -> None:
    """The re-parse moves the statements after the edit: their translations move with them."""
    from test_incremental import _check_edit

    from bpolang.check.pipeline import parse as parse_text_result

    text = FR_EXAMPLE.read_text(encoding="utf-8")
    base = parse_text_result(text)
    edited = text.replace("    volume: 2000 invoices per month", "    volume: 2100 invoices per month", 1)
    assert edited != text
    result = _check_edit(base, edited, expect_incremental=True)
    service = result.contract.services[1]
    assert service.translations["title"] == {"en": "Preparation of supplier payments"}
    title = next(s for s in result.syntax.body[0].body if s.header.words[-1].text == "supplier_payments").header.title
    assert isinstance(title, Bitext)
    assert edited[title.first.start : title.first.end] == '"Préparation des règlements fournisseurs"'
    lang, translation = title.translations[0]
    assert edited[lang.start : lang.end] == "en"
    assert edited[translation.start : translation.end] == '"Preparation of supplier payments"'


def test_the_builders_quick_test_for_translations_is_the_grammars_terminal():
    """The builder skips its translation checks on a text where the TRANSLATION terminal cannot
    match: its pattern must be the grammar's."""
    import re
    from pathlib import Path

    from bpolang.syntax.lexer import terminal

    grammar = (Path(__file__).resolve().parent.parent / "grammar" / "bpo.lark").read_text("utf-8")
    (written,) = re.findall(r"^TRANSLATION(?:\.\d+)?: /(.*)/$", grammar, flags=re.M)
    assert re.compile(written).pattern == terminal("TRANSLATION").pattern.replace("\t", "\\t")
