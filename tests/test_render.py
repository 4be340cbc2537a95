"""`bpo render`: the document model, the four writers, escaping, determinism, catalogs.

Golden Markdown lives in tests/golden_render/<example>.<lang>.md; regenerate with
BPO_UPDATE_GOLDEN=1 and review the diff by reading it.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx_reader import Package

from bpolang.check.pipeline import load, parse
from bpolang.cli import main
from bpolang.i18n import LANGUAGES, catalog
from bpolang.i18n.fmt import NNBSP, Fmt, clean, elide, french_spacing
from bpolang.render import document, render, render_result
from bpolang.render.markdown import escape as md_escape

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))
GOLDEN = Path(__file__).resolve().parent / "golden_render"
UPDATE = os.environ.get("BPO_UPDATE_GOLDEN") == "1"

INJECTIONS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "{% raw %}x{% endraw %}",
    '<img src="file:///etc/passwd">',
    "a | b # c *d* _e_ `f` [g](h) <i>",
]


def bpo_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def contract_text(title: str, clause: str = "Texte.", party: str = "ACME SAS", lang: str = "fr") -> str:
    return f"""contract demo {bpo_string(title)} {{
  language: {lang}
  governing_law: FR
  effective: 2027-01-01
  term: 12 months
  signed_at: "Lyon"
  party client acme {bpo_string(party)} {{
    address: {bpo_string(party)}
  }}
  party provider prov "Prest SARL" {{
    legal_form: redacted
  }}
  service s1 {bpo_string(title)} {{
    includes: [{bpo_string(clause)}]
    performed_by: prov
  }}
  pricing {{
    currency: EUR
    fee run {bpo_string(title)}: 8500 EUR every month
    payment_terms: 45 days end of month
  }}
  clause c1 {bpo_string(title)} {{
    text: {bpo_string(clause)}
  }}
}}
"""


def parsed(text: str):
    r = parse(text, "demo.bpo")
    assert r.contract is not None
    assert not r.has_errors, [(d.code, d.message) for d in r.diagnostics]
    return r


# ------------------------------------------------------------------ golden Markdown
def digest_images(md: str) -> str:
    """The timeline's `data:` URI replaced by a digest of it (the SVG has its own golden in tests/golden_calendar)."""
    import hashlib

    def digest(m: re.Match[str]) -> str:
        return m.group(1) + "sha256:" + hashlib.sha256(m.group(2).encode("ascii")).hexdigest()[:16]

    return re.sub(r"(\(data:image/svg\+xml;base64,)([A-Za-z0-9+/=]+)", digest, md)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_golden_markdown(path: Path, lang: str) -> None:
    result = load(path)
    assert not result.has_errors
    out = digest_images(render_result(result, "md", lang).decode("utf-8"))
    golden = GOLDEN / f"{path.stem}.{lang}.md"
    if UPDATE or not golden.exists():
        if not UPDATE:
            pytest.fail(f"missing golden file {golden}; run with BPO_UPDATE_GOLDEN=1")
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out, encoding="utf-8", newline="\n")
    assert out == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_document_structure(path: Path) -> None:
    result = load(path)
    doc = document(result.contract, result.resolution, result.contract.language or "en")
    numbers = [a.number for a in doc.articles]
    assert numbers == [str(i) for i in range(1, len(numbers) + 1)]
    keys = [a.key for a in doc.articles]
    order = [
        "purpose",
        "scope",
        "deliverables",
        "schedule",
        "service_levels",
        "prices",
        "penalties",
        "governance",
        "change",
        "data",
        "confidentiality",
        "liability",
        "subcontracting",
        "continuity",
        "force_majeure",
        "term",
        "law",
    ]
    fixed = [k for k in keys if not k.startswith("clause:")]
    assert fixed == [k for k in order if k in fixed]
    assert keys[: len(fixed)] == fixed  # free clauses come last
    assert [a.key for a in doc.annexes] == [
        k for k in ("annex_sla", "annex_prices", "annex_dpa", "annex_calendar") if k in [a.key for a in doc.annexes]
    ]
    # every cross-reference resolved to a numbered article or annex
    text = render_result(result, "md").decode()
    assert "[renvoi]" not in text and "[cross-reference]" not in text


def test_article_omitted_and_numbering_consecutive() -> None:
    r = parsed(contract_text("Contrat"))
    doc = document(r.contract, r.resolution, "fr")
    keys = [a.key for a in doc.articles]
    assert "service_levels" not in keys and "data" not in keys
    assert [a.label for a in doc.articles] == [f"Article {i}" for i in range(1, len(keys) + 1)]
    md = render(r.contract, r.resolution, "md", "fr").decode()
    assert "décrites à l’Article 2" in md  # cross-reference from the numbering


# ------------------------------------------------------------------ French and English values
def test_french_values() -> None:
    from decimal import Decimal

    from bpolang.model.values import Duration, DurationUnit, Money, Percentage

    f = Fmt("fr")
    import datetime as dt

    assert f.money(Money(amount=Decimal("8500"), currency="EUR")) == f"8{NNBSP}500,00{NNBSP}€"
    assert f.date(dt.date(2027, 1, 1)) == "1er janvier 2027"
    assert f.date(dt.date(2027, 1, 2)) == "2 janvier 2027"
    assert f.percent(Percentage(value=Decimal("99.5"))) == f"99,5{NNBSP}%"  # not rounded to 100 %
    assert f.duration(Duration(amount=Decimal(45), unit=DurationUnit.DAYS)) == f"45{NNBSP}jours"
    assert f.duration(Duration(amount=Decimal(3), unit=DurationUnit.MONTHS)) == f"3{NNBSP}mois"
    assert f.duration(Duration(amount=Decimal(10), unit=DurationUnit.BUSINESS_DAYS)) == f"10{NNBSP}jours ouvrés"
    assert f.duration(Duration(amount=Decimal(1), unit=DurationUnit.BUSINESS_DAYS)) == f"1{NNBSP}jour ouvré"
    e = Fmt("en")
    assert e.money(Money(amount=Decimal("8500"), currency="EUR")) == "€8,500.00"
    assert e.date(dt.date(2027, 1, 1)) == "1 January 2027"  # no U.S. law: day, month, year
    assert e.percent(Percentage(value=Decimal("99.5"))) == "99.5%"
    assert e.duration(Duration(amount=Decimal(45), unit=DurationUnit.DAYS)) == "45 days"
    assert e.duration(Duration(amount=Decimal(1), unit=DurationUnit.MONTHS)) == "1 month"


def test_french_typography() -> None:
    assert french_spacing("Objet : ceci ; cela ! vrai ? 10 %") == (
        f"Objet{NNBSP}: ceci{NNBSP}; cela{NNBSP}! vrai{NNBSP}? 10{NNBSP}%"
    )
    assert french_spacing("« x »") == f"«{NNBSP}x{NNBSP}»"
    assert french_spacing("https://example.org") == "https://example.org"
    assert elide("Entreprise") == "l’" and elide("Client") == "le " and elide("Société", feminine=True) == "la "


@pytest.mark.parametrize(
    # the French examples, and the English one written in French too (its French document has no
    # English text left: its French spacing is checked as well)
    "path",
    [p for p in EXAMPLES if "language: fr" in (t := p.read_text(encoding="utf-8")) or "/ fr:" in t],
    ids=lambda p: p.stem,
)
def test_french_output_spacing(path: Path) -> None:
    md = render_result(load(path), "md", "fr").decode()
    # no ordinary or no-break (U+00A0) space before ; : ! ? % », none after «: always U+202F
    assert not re.search(r"[ \u00a0][;:!?%»]", md)
    assert not re.search(r"«[ \u00a0]", md)
    assert "\u00a0" not in md
    assert " 1 janvier" not in md and "1er" in md
    assert "le Client" in md and "le Prestataire" in md and "the Client" not in md
    assert "Fait à " in md and re.search(r"en (deux|trois) exemplaires originaux", md)


def test_english_output_terms() -> None:
    md = render_result(load(ROOT / "examples" / "centre-contacts-en.bpo"), "md", "en").decode()
    assert "the Client" in md and "the Provider" in md and "le Client" not in md
    assert "Signed at London on 15 February 2027, in three originals." in md
    assert "see" in md or "Article 2" in md
    assert "£27.40 per productive hour" in md
    assert "\\[redacted\\]" in md  # escaped in Markdown


def test_unknown_values() -> None:
    r = parsed(contract_text("Contrat"))
    assert "[caviardé]" in render(r.contract, r.resolution, "html", "fr").decode()
    assert "[redacted]" in render(r.contract, r.resolution, "html", "en").decode()
    paie = render_result(load(ROOT / "examples" / "paie-rh.bpo"), "md", "fr").decode()
    assert "\\[à convenir\\]" in paie


@pytest.mark.parametrize(
    ("word", "lang", "sentence"),
    [
        ("cumulative", "en", "When a result reaches more than one step, the credits of all the steps reached add up."),
        (
            "cumulative",
            "fr",
            "Lorsqu’un résultat atteint plusieurs paliers, les crédits de tous les paliers atteints s’additionnent.",
        ),
        ("tbd", "en", "When a result reaches more than one step: \\[to be agreed\\]"),
        ("tbd", "fr", "Lorsqu’un résultat atteint plusieurs paliers\u202f: \\[à convenir\\]"),
    ],
)
def test_how_steps_combine_is_stated(word: str, lang: str, sentence: str) -> None:
    text = (ROOT / "examples" / "paie-rh.bpo").read_text(encoding="utf-8")
    assert text.count("step_credits: highest") == 1
    r = parsed(text.replace("step_credits: highest", f"step_credits: {word}"))
    md = render(r.contract, r.resolution, "md", lang).decode()
    assert sentence in md


def test_calendar_first_occurrences_only() -> None:
    md = render_result(load(ROOT / "examples" / "paie-rh.bpo"), "md", "fr").decode()
    annex = md.split("Calendrier des obligations", 2)[-1]
    assert "Livrable\u202f: DSN mensuelle déposée" in annex
    assert "5 février 2027" in annex  # first DSN after the go-live of 27 January 2027
    rows = "\n".join(line for line in annex.splitlines() if line.startswith("|"))  # the table, not the timeline's text
    assert rows.count("DSN mensuelle déposée") == 1
    assert "autres)" in annex


def test_dpa_annex_marks_missing_items() -> None:
    md = render_result(load(ROOT / "examples" / "paie-rh.bpo"), "md", "fr").decode()
    annex = md.split("RGPD, art.\u202f28.3)", 1)[1]
    for item in (
        "Objet du traitement",
        "Durée du traitement",
        "Nature du traitement",
        "Finalité du traitement",
        "Types de données",
        "Catégories de personnes concernées",
        "Obligations et droits",
    ):
        assert item in annex
    assert "\\[non précisé au Contrat\\]" in annex


# ------------------------------------------------------------------ catalogs
def test_catalog_keys_used_in_code_exist() -> None:
    files = [*sorted((ROOT / "bpolang" / "render").rglob("*.py")), ROOT / "bpolang" / "i18n" / "fmt.py"]
    src = "".join(p.read_text(encoding="utf-8") for p in files)
    used = set(re.findall(r'(?:\bt|self\.t|f\.t)\("([a-z_0-9]+)"[,)]', src))
    used |= set(re.findall(r'msg\["([a-z_0-9]+)"\]', src))
    used |= set(re.findall(r'self\.field\("([a-z_0-9]+)"', src))
    used |= set(re.findall(r'msg_with_ref\("([a-z_0-9]+)"[,)]', src))
    for lang in LANGUAGES:
        missing = used - set(catalog(lang)["MESSAGES"])
        assert not missing, (lang, missing)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_messages_format(lang: str) -> None:
    """Every message formats with the placeholders the code gives (no stray `{`)."""
    f = Fmt(lang)
    for key, msg in catalog(lang)["MESSAGES"].items():
        names = set(re.findall(r"\{(\w+)\}", msg)) - set(f.base_kw())
        f.t(key, **{n: "X" for n in names})


def test_catalogs_are_plain_python() -> None:
    for p in [*(ROOT / "bpolang" / "render").rglob("*.py"), *(ROOT / "bpolang" / "i18n").rglob("*.py")]:
        text = p.read_text(encoding="utf-8")
        assert "yaml.load(" not in text and "eval(" not in text and "from_string(" not in text, p


# ------------------------------------------------------------------ HTML
@pytest.mark.parametrize("payload", INJECTIONS)
def test_html_escapes_user_text(payload: str) -> None:
    r = parsed(contract_text(payload, clause=payload, party=payload))
    html = render(r.contract, r.resolution, "html", "fr").decode()
    body = html.split("</style>", 1)[1]
    assert "<script>" not in body and "<img" not in body and "<i>" not in body
    assert "onerror=alert" not in body or "&#34;&gt;&lt;img" in body
    assert 'href="javascript' not in body
    if "{{" in payload:
        assert "{{ 7*7 }}" in body and ">49<" not in body
    if "{%" in payload:
        assert "{%" in body and "endraw" in body


def test_html_structure() -> None:
    html = render_result(load(ROOT / "examples" / "comptabilite-fournisseurs.bpo"), "html").decode()
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in html
    assert html.count("<h1>") == 1 and "<h2>" in html and "<h3>" in html
    assert '<th scope="col"' in html and '<th scope="row">' in html
    assert "@page" in html and "counter(page)" in html
    assert "<link" not in html and "<script" not in html and "src=" not in html  # standalone
    assert 'href="#article-2"' in html


def test_jinja_environment_is_safe() -> None:
    from bpolang.render.html import environment

    env = environment()
    assert env.autoescape is True
    from jinja2 import StrictUndefined

    assert env.undefined is StrictUndefined


# ------------------------------------------------------------------ Markdown
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a | b", "a \\| b"),
        ("*x* _y_", "\\*x\\* \\_y\\_"),
        ("# title", "\\# title"),
        ("`code`", "\\`code\\`"),
        ("[a](b)", "\\[a\\](b)"),
        ("<b>", "\\<b\\>"),
        ("line1\nline2", "line1 line2"),
    ],
)
def test_markdown_escape(raw: str, expected: str) -> None:
    assert md_escape(raw) == expected


@pytest.mark.parametrize("payload", INJECTIONS + ["# Heading", "- item", "1. one", "a\nb | c"])
def test_markdown_user_text_cannot_break_structure(payload: str) -> None:
    r = parsed(contract_text(payload, clause=payload))
    md = render(r.contract, r.resolution, "md", "en").decode()
    lines = md.splitlines()
    # the title is one heading line; no user-made heading, list or raw HTML appears
    assert lines[0].startswith("# ")
    heading_lines = [ln for ln in lines if ln.startswith("#")]
    assert all(re.match(r"#{1,6} ", ln) for ln in heading_lines)
    assert not any(ln.startswith("# ") for ln in lines[1:])
    assert not re.search(r"(?<!\\)<(script|img)", md)
    assert_tables_keep_columns(md)


def assert_tables_keep_columns(md: str) -> None:
    """Every row of every Markdown table has as many unescaped `|` as its header."""
    table: list[int] = []
    for ln in md.splitlines() + [""]:
        if ln.startswith("|"):
            table.append(re.sub(r"\\\|", "", ln).count("|"))
        elif table:
            assert len(set(table)) == 1, table
            table = []


def test_markdown_table_cells_keep_columns() -> None:
    r = parsed(contract_text("a | b | c\nd"))
    md = render(r.contract, r.resolution, "md", "en").decode()
    assert "a \\| b \\| c d" in md
    assert_tables_keep_columns(md)


# ------------------------------------------------------------------ determinism
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_text_formats_deterministic(fmt: str) -> None:
    r = load(ROOT / "examples" / "paie-rh.bpo")
    assert render_result(r, fmt) == render_result(load(ROOT / "examples" / "paie-rh.bpo"), fmt)


def test_docx_deterministic() -> None:
    r = load(ROOT / "examples" / "back-office-tiered.bpo")
    a, b = render_result(r, "docx"), render_result(r, "docx")
    za, zb = zipfile.ZipFile(io.BytesIO(a)), zipfile.ZipFile(io.BytesIO(b))
    assert za.namelist() == zb.namelist()
    for n in za.namelist():
        assert za.read(n) == zb.read(n), n
    assert a == b  # fixed zip timestamps too


# ------------------------------------------------------------------ DOCX
def test_docx_styles_and_tables() -> None:
    import docx

    data = render_result(load(ROOT / "examples" / "centre-contacts-en.bpo"), "docx")
    d = docx.Document(io.BytesIO(data))
    styles = [(p.style.name, p.text) for p in d.paragraphs]
    assert styles[0] == ("Title", "Customer Contact Centre Services Agreement")
    # article and schedule numbers are Word's list numbers (tests/test_documents.py reads them)
    shown = [(p.style, p.shown) for p in Package(data).paragraphs()]
    h1 = [t for s, t in shown if s == "Heading1"]
    assert h1[0] == "Article 1 – Purpose and definitions"
    articles = [t for t in h1 if t.startswith("Article ")]
    assert [int(t.split()[1]) for t in articles] == list(range(1, len(articles) + 1))
    assert any(t.startswith("Schedule 1 – ") for t in h1)
    assert any(s == "Heading2" and t.startswith("2.1 ") for s, t in shown)
    assert any(s == "List Bullet" for s, _ in styles)
    assert len(d.tables) >= 5
    for t in d.tables:
        assert t.rows[0]._tr.trPr is not None
        assert t.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    cp = d.core_properties
    assert cp.created.year == 2027 and cp.modified == cp.created


def test_docx_sanitises_control_characters() -> None:
    import docx

    from bpolang.render.docx import write
    from bpolang.render.ir import Bullets, Document, Para, Run, Section, Table

    bad = "".join(chr(c) for c in range(32)) + "\ufffe\uffff\ud800 ok"
    doc = Document(
        lang="en",
        title=bad,
        preamble=[Para([Run(bad)])],
        articles=[Section("x", bad, [Bullets([[Run(bad)]]), Table([bad], [[bad]])], number="1", label="Article 1")],
        signature=[],
        annexes=[],
    )
    d = docx.Document(io.BytesIO(write(doc)))
    text = d.paragraphs[0].text
    assert text.endswith(" ok") and "\t" in text and "\x00" not in text and "\ufffe" not in text
    assert clean("a\x07b\x0bc\r\nd") == "abc\nd"


# ------------------------------------------------------------------ PDF
def _pdf_text(data: bytes) -> str:
    pypdf = pytest.importorskip("pypdf", reason="pypdf is needed to read the PDF text")
    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def _have_weasyprint() -> bool:
    try:
        import weasyprint  # noqa: F401
    except Exception:
        return False
    return True


needs_weasyprint = pytest.mark.skipif(
    not _have_weasyprint(), reason="WeasyPrint is not installed (pip install 'bpolang[pdf]')"
)


@needs_weasyprint
def test_pdf_contains_parties_prices_dates() -> None:
    text = _pdf_text(render_result(load(ROOT / "examples" / "comptabilite-fournisseurs.bpo"), "pdf"))
    squashed = re.sub(r"\s+", " ", text.replace(NNBSP, " ").replace("\u00a0", " "))
    assert "ACME SAS" in squashed and "ComptaPlus SARL" in squashed
    assert "8 500,00 €" in squashed
    assert "1er janvier 2027" in squashed


@needs_weasyprint
def test_pdf_fetches_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from bpolang.render import pdf

    made: list[pdf.RefusingFetcher] = []

    class Recording(pdf.RefusingFetcher):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(pdf, "RefusingFetcher", Recording)
    # user text is escaped, so nothing is even requested
    r = parsed(contract_text('<img src="file:///etc/passwd">'))
    assert render(r.contract, r.resolution, "pdf", "fr").startswith(b"%PDF")
    assert made and made[-1].requested == []
    # raw HTML naming local, remote and data resources: every request is refused
    fetcher = pdf.RefusingFetcher()
    data = pdf.write(
        '<html><body><p>x</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<img src="data:image/png;base64,iVBORw0KGgo="></body></html>',
        fetcher,
    )
    assert data.startswith(b"%PDF")
    assert any(u.startswith("file:") for u in fetcher.requested)
    assert any(u.startswith("http:") for u in fetcher.requested)
    with pytest.raises(ValueError):
        fetcher("data:image/png;base64,AAAA")


def test_pdf_missing_weasyprint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    src = tmp_path / "c.bpo"
    src.write_text(contract_text("Contrat"), encoding="utf-8")
    res = CliRunner().invoke(main, ["render", str(src), "--to", "pdf", "--force"])
    assert res.exit_code == 2
    assert "PDF output needs WeasyPrint: pip install weasyprint (in bpolang's environment)" in res.output
    assert not (tmp_path / "c.pdf").exists()


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed (apt-get install chromium)")
def test_html_prints_in_chromium(tmp_path: Path) -> None:
    html = tmp_path / "c.html"
    html.write_bytes(render_result(load(ROOT / "examples" / "centre-contacts-en.bpo"), "html"))
    out = tmp_path / "c.pdf"
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = re.sub(r"\s+", " ", _pdf_text(out.read_bytes()))
    assert "Northwind Energy Supply Limited" in text and "Clearline Contact Solutions Ltd" in text
    assert "£24,500.00" in text
    assert "1 April 2027" in text


# ------------------------------------------------------------------ command line
def test_cli_md_to_stdout_and_default_language(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["render", str(ROOT / "examples" / "paie-rh.bpo"), "--to", "md"])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("# Externalisation de la paie")
    res = CliRunner().invoke(main, ["render", str(ROOT / "examples" / "paie-rh.bpo"), "--to", "md", "--lang", "en"])
    assert "the Provider" in res.stdout


def test_cli_docx_next_to_input(tmp_path: Path) -> None:
    src = tmp_path / "c.bpo"
    src.write_text(contract_text("Contrat"), encoding="utf-8")
    # the small contract has findings of the rules at error severity: --force renders it anyway
    res = CliRunner().invoke(main, ["render", str(src), "--to", "docx", "--force"])
    assert res.exit_code == 0, res.output
    assert zipfile.is_zipfile(tmp_path / "c.docx")
    res = CliRunner().invoke(main, ["render", str(src), "--to", "html", "--force", "-o", str(tmp_path / "x.html")])
    assert res.exit_code == 0 and (tmp_path / "x.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_refuses_contract_with_errors(tmp_path: Path) -> None:
    src = tmp_path / "bad.bpo"
    src.write_text(contract_text("Contrat").replace("performed_by: prov", "performed_by: nobody"), encoding="utf-8")
    res = CliRunner().invoke(main, ["render", str(src), "--to", "md"])
    assert res.exit_code == 1
    assert re.search(rf"{re.escape(str(src))}:\d+:\d+: BPO\d+ ", res.output)
    res = CliRunner().invoke(main, ["render", str(src), "--to", "md", "--force"])
    assert res.exit_code == 0 and res.stdout.startswith("# Contrat")


def test_check_does_not_import_renderer() -> None:
    code = (
        "import sys\n"
        "from bpolang.cli import main\n"
        "try:\n"
        f"    main(['check', {str(ROOT / 'examples' / 'paie-rh.bpo')!r}], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "bad = [m for m in ('bpolang.render', 'jinja2', 'docx', 'weasyprint', 'babel.dates') if m in sys.modules]\n"
        "print('LOADED', bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    assert "LOADED []" in out, out


def test_french_de_before_a_party_name_is_elided():
    from types import SimpleNamespace

    names = {"acme": SimpleNamespace(title="Acme Holding"), "bnp": SimpleNamespace(title="BNP Paribas")}
    f = Fmt("fr", party_terms={"acme": "other", "bnp": "other"}, names=names)
    assert f.party("acme", "de") == "d’Acme Holding"
    assert f.party("bnp", "de") == "de BNP Paribas"
    assert Fmt("en", party_terms={"acme": "other"}, names=names).party("acme", "de") == "of Acme Holding"


@pytest.mark.parametrize(
    "lang,hours,severity",
    [("en", "every day, 24 hours a day", "P1 — Outage"), ("fr", "tous les jours, 24 heures sur 24", "P1 — Panne")],
)
def test_round_the_clock_hours_and_severity_descriptions_are_stated(lang: str, hours: str, severity: str) -> None:
    from tests.contract_util import small_contract

    description = "Outage" if lang == "en" else "Panne"
    text = small_contract(
        f"""  service run "Run" {{ hours: every day 00:00 to 24:00 }}
  sla uptime "Availability" {{
    target: 99.5%
    comparator: at_least
    window: monthly
    applies_to: [run]
    severity p1 "P1" {{
      description: "{description}"
      response: 15 minutes
    }}
  }}""",
        term="12 months",
    ).replace("language: en", f"language: {lang}")
    r = parse(text)
    md = render(r.contract, r.resolution, "md", lang).decode()
    assert hours in md
    assert severity in md


@pytest.mark.parametrize(
    "lang,expected",
    [("en", "fixed charge, payable by the Provider |"), ("fr", "forfait, à la charge du Prestataire |")],
)
def test_a_fee_paid_by_another_party_says_who_pays_it(lang: str, expected: str) -> None:
    from tests.contract_util import small_contract

    text = small_contract(
        '  pricing {\n    currency: EUR\n    model: fixed\n    fee setup "Set-up": 1000 EUR once\n'
        '    fee audit "Audit costs" {\n      value: 500 EUR once\n      payer: pr\n    }\n  }',
        term="12 months",
    ).replace("language: en", f"language: {lang}")
    r = parse(text)
    md = render(r.contract, r.resolution, "md", lang).decode()
    assert md.count(expected) == 1, md


# ------------------------------------------------------------------ prices state only what the source says (#16)
_KINDS_BODY = """  pricing {
    currency: EUR
    fee fixed "Fixed": 1000 EUR every month
    fee per_tx "Per invoice": 1.20 EUR per invoice every month
    fee share "Share": 15% of monthly_fees every month
    fee mx "Max": max(1000 EUR, 10% of monthly_fees) every month
    fee sum "Sum": 2000 * 1.20 EUR every month
    fee red "Red": redacted every month
    fee na "Na": not_attached once
    fee om "Om": omitted once
    fee tb "Tb": tbd
    fee aud "Audit" {
      value: redacted once
      payer: pr
    }
    payment_terms: 30 days
  }"""


def _prices_md(body: str, lang: str) -> str:
    from tests.contract_util import rendered_md, small_contract

    return rendered_md(small_contract(body, term="12 months").replace("language: en", f"language: {lang}"), lang)


@pytest.mark.parametrize(
    "lang,kinds",
    [
        (
            "en",
            {
                "Fixed": "fixed charge",
                "Per invoice": "unit price",
                "Share": "share of a named amount",
                "Max": "formula",
                "Sum": "formula",
                "Red": "",
                "Na": "",
                "Om": "",
                "Tb": "",
                "Audit": "payable by the Provider",
            },
        ),
        (
            "fr",
            {
                "Fixed": "forfait",
                "Per invoice": "prix unitaire",
                "Share": "quote-part d’un montant désigné",
                "Max": "formule",
                "Sum": "formule",
                "Red": "",
                "Na": "",
                "Om": "",
                "Tb": "",
                "Audit": "à la charge du Prestataire",
            },
        ),
    ],
)
def test_price_schedule_labels_each_fee_by_what_its_value_is(lang: str, kinds: dict[str, str]) -> None:
    md = _prices_md(_KINDS_BODY, lang)
    table = [[c.strip() for c in line.strip("|").split("|")] for line in md.splitlines() if line.startswith("|")]
    rows = {cells[0]: cells[1] for cells in table if len(cells) == 3}
    for name, kind in kinds.items():
        assert rows[name] == kind, (name, rows.get(name))


@pytest.mark.parametrize(
    "lang,tax,stated,unstated",
    [
        ("en", "", ["| Item | Type | Price |"], ["VAT", "tax", "Tax"]),
        ("fr", "", ["| Élément | Nature | Prix |"], ["TVA", "taxe", "HT"]),
        (
            "en",
            "    tax: exclusive\n    tax_payer: cl\n",
            ["| Price (excl. tax) |", "Charges are exclusive of taxes", "The Client shall bear the taxes"],
            ["VAT"],
        ),
        (
            "fr",
            "    tax: exclusive\n    tax_payer: cl\n",
            ["| Prix hors taxes |", "Les prix s’entendent hors taxes", "Le Client supporte les taxes"],
            ["TVA"],
        ),
        ("en", "    tax: inclusive\n", ["| Price (incl. tax) |", "Charges are inclusive of taxes."], ["VAT", "excl"]),
        ("fr", "    tax: inclusive\n", ["| Prix toutes taxes comprises |", "toutes taxes comprises."], ["hors taxes"]),
    ],
)
def test_tax_is_stated_only_from_the_pricing(lang: str, tax: str, stated: list[str], unstated: list[str]) -> None:
    body = "  pricing {\n    currency: EUR\n" + tax + '    fee run "Run": 1000 EUR every month\n  }'
    md = _prices_md(body, lang)
    for text in stated:
        assert text in md, text
    for text in unstated:
        assert text not in md, text


@pytest.mark.parametrize(
    "lang,method,expected,unstated",
    [
        ("en", "", "They are paid by the Client.", ["transfer", "cheque", "debit"]),
        ("fr", "", "Elles sont réglées par le Client.", ["virement", "chèque", "prélèvement"]),
        ("en", "    payment_method: transfer\n", "They are paid by the Client by bank transfer.", []),
        ("fr", "    payment_method: transfer\n", "Elles sont réglées par le Client par virement.", []),
    ],
)
def test_payment_means_is_stated_only_from_payment_method(
    lang: str, method: str, expected: str, unstated: list[str]
) -> None:
    body = '  pricing {\n    currency: EUR\n    fee run "Run": 1000 EUR every month\n    payment_terms: 30 days\n'
    md = _prices_md(body + method + "  }", lang)
    assert expected in md
    for text in unstated:
        assert text not in md, text
