"""The documents a firm would send, checked on the documents themselves: paper size, Word list
numbering linked to the headings, cross-references as fields to bookmarks, header and footer
fields, a sober style set; the PDF's stylesheet applied (not escaped), its page numbers, and no
table or line wider than the text column — for every bundled example in French and English
and for the real contracts.  The slow tests print the HTML in Chromium and look at the pages
of both PDFs with pdftoppm.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx_reader import Package, W, fields, text_of
from test_render import needs_weasyprint  # skips only when WeasyPrint (or Pango) is missing

from bpolang.check.pipeline import load
from bpolang.model.laws import paper_of_law
from bpolang.render import document, render
from bpolang.render.docx import bookmark_name
from bpolang.render.html import stylesheet
from bpolang.render.html import write as html_write
from bpolang.render.ir import Bullets, Para, Section, Table

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))
REAL = sorted((ROOT / "examples" / "real").glob("*.bpo"))
LANGS = ("fr", "en")

# The governing law of each file decides the paper: Letter under U.S. law, A4 elsewhere.
PAPER = {
    "back-office-tiered": "A4",  # IE
    "centre-contacts-en": "A4",  # GB
    "comptabilite-fournisseurs": "A4",  # FR
    "paie-rh": "A4",  # FR
    "01-tricity-mi-data-services": "letter",  # US-WI
    "02-oasys-epiphany-asp": "letter",  # US-CA
    "03-aspirity-redwater": "letter",  # US-MN
    "04-clearcapital-radialspark-msa": "letter",  # US-AZ
    "05-siliconsmelters-eit": "A4",  # ES
    "06-healthgate-blackwell-hosting": "A4",  # ENGLAND
}
TWIPS = {"A4": (11906, 16838), "letter": (12240, 15840)}  # 210 × 297 mm, 8.5 × 11 in
POINTS = {"A4": (595.28, 841.89), "letter": (612.0, 792.0)}


@functools.cache
def loaded(path: Path):
    return load(path)


@functools.cache
def rendered(path: Path, lang: str, fmt: str) -> bytes:
    r = loaded(path)
    return render(r.contract, r.resolution, fmt, lang)


def model(path: Path, lang: str):
    r = loaded(path)
    return document(r.contract, r.resolution, lang)


def cases(paths):
    return [pytest.param(p, lang, id=f"{p.stem}-{lang}") for p in paths for lang in LANGS]


# every bundled example in both languages, every real contract in its own (English)
EVERY_DOCUMENT = cases(EXAMPLES) + [pytest.param(p, "en", id=f"{p.stem}-en") for p in REAL]


def test_every_file_has_its_paper() -> None:
    assert sorted(PAPER) == sorted(p.stem for p in EXAMPLES + REAL)


@pytest.mark.parametrize(
    ("law", "paper"),
    [("US", "letter"), ("us-ny", "letter"), ("US-CA", "letter"), ("FR", "A4"), ("GB-SCT", "A4"), ("ENGLAND", "A4"),
     ("UA", "A4"), ("UM", "A4"), ("CA", "A4"), (None, "A4")],
)  # fmt: skip
def test_paper_of_law(law: str | None, paper: str) -> None:
    assert paper_of_law(law) == paper


# ------------------------------------------------------------------ HTML
@pytest.mark.parametrize(("path", "lang"), cases(EXAMPLES))
def test_html_carries_the_stylesheet_unescaped(path: Path, lang: str) -> None:
    html = rendered(path, lang, "html").decode()
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(styles) == 1
    css = styles[0]
    assert stylesheet() in css  # byte for byte: quotes and `>` selectors intact
    assert not re.search(r"&(#\d+|quot|amp|lt|gt|apos);", css)
    assert 'font-family: "Liberation Serif"' in css
    assert '"Page " counter(page) " / " counter(pages)' in css
    assert f"@page {{ size: {PAPER[path.stem]}; }}" in css


@pytest.mark.parametrize(("path", "lang"), cases(EXAMPLES + REAL))
def test_html_keeps_every_section(path: Path, lang: str) -> None:
    """Every section of the model, at every depth (the indemnities under 13.3), is a heading of
    the page, one level below its parent."""
    import html as html_lib

    doc = model(path, lang)
    page = rendered(path, lang, "html").decode()
    found = [(int(level), html_lib.unescape(text)) for level, text in re.findall(r"<h([2-6])>(.*?)</h\1>", page)]
    expected = [(1 + int(style[-1]), s.heading()) for style, s in [*headings(doc.articles), *headings(doc.annexes)]]
    assert found == expected


def test_html_paper_of_a_us_contract() -> None:
    html = rendered(REAL[1], "en", "html").decode()
    assert "@page { size: letter; }" in html


def test_short_columns_stay_on_one_line() -> None:
    """A date is not cut after its day: a column of short cells is kept on one line, in the HTML
    (`white-space: nowrap`) and in the DOCX (a column at least as wide as its longest cell), as
    long as such columns together leave the others room."""
    t = Table(
        ["Date", "Obligation", "Responsible", "Frequency", "Code"],
        [
            [
                "April 30, 2027",
                "End of the measurement period: Calls answered",
                "The Provider",
                "monthly",
                "SLA-CALLS-2027",
            ]
        ],
    )
    assert t.one_line() == (0, 2, 3)  # the code would take the four past 45 characters
    art = Section("a", "T", [t], number="1", label="Article 1", anchor="article-1")
    from bpolang.render.ir import Document

    doc = Document(lang="en", title="T", preamble=[], articles=[art], signature=[], annexes=[])
    page = html_write(doc)
    assert '<th scope="row" class="line">April 30, 2027</th>' in page
    assert '<td class="line">The Provider</td>' in page and "<td>End of the measurement" in page
    from bpolang.render.docx import write

    (tbl,) = Package(write(doc)).document.iter(W + "tbl")
    cols = [int(c.get(W + "w")) for c in tbl.find(W + "tblGrid").findall(W + "gridCol")]
    assert cols[0] >= (11906 - 2 * 1418) * (len("April 30, 2027") + 2) // 90 - 1  # 90 characters a line


# ------------------------------------------------------------------ DOCX
def headings(sections: list[Section], level: int = 1):
    for s in sections:
        yield f"Heading{level}", s
        yield from headings(s.subsections, level + 1)


@pytest.mark.parametrize(("path", "lang"), cases(EXAMPLES + REAL))
def test_docx_paper(path: Path, lang: str) -> None:
    pkg = Package(rendered(path, lang, "docx"))
    assert pkg.page_size() == TWIPS[PAPER[path.stem]]
    margins = pkg.sect_pr.find(W + "pgMar")
    assert all(int(margins.get(W + side)) >= 1418 for side in ("top", "bottom", "left", "right"))  # 2.5 cm


@pytest.mark.parametrize(("path", "lang"), cases(EXAMPLES + REAL[:1]))
def test_docx_headings_numbered_by_word(path: Path, lang: str) -> None:
    """Every article, sub-article and schedule heading is a paragraph of a heading style whose
    number Word prints from numbering.xml; what Word shows is the heading of the document model."""
    doc = model(path, lang)
    pkg = Package(rendered(path, lang, "docx"))
    paras = [p for p in pkg.paragraphs() if p.style.startswith("Heading")]
    expected = list(headings(doc.articles)) + list(headings(doc.annexes))
    assert [(p.style, p.shown) for p in paras] == [(style, s.heading()) for style, s in expected]
    for p, (_, s) in zip(paras, expected, strict=True):
        # the number (and its words, “Article 3”) is Word's, not typed; the dash before the title is text
        assert p.text == (f"\u2013 {s.title}" if s.label else s.title), "the number is Word's, not typed"
        # a clause under a sub-article (13.3's indemnities) has no number in the model, nor in Word
        assert p.numbers == (tuple(int(n) for n in s.number.split(".")) if s.number else ())
    # the article list is linked to the heading styles, level by level
    for level, name in enumerate(("Heading1", "Heading2", "Heading3")):
        num_id, ilvl = pkg.style_num(name)
        assert num_id is not None and ilvl == level
        lvl = pkg.level(num_id, level)
        assert lvl.find(W + "pStyle").get(W + "val") == name
        assert lvl.find(W + "numFmt").get(W + "val") == "decimal"
    # each schedule starts a page
    body = pkg.document.find(W + "body")
    schedules = [p for p in body.findall(W + "p") if p.find(f"{W}pPr/{W}pageBreakBefore") is not None]
    assert len(schedules) == len(doc.annexes)
    abstract = pkg.abstract_of(pkg.style_num("Heading1")[0])
    assert abstract.find(W + "multiLevelType").get(W + "val") == "multilevel"


@pytest.mark.parametrize(("path", "lang"), cases(EXAMPLES + REAL[:1]))
def test_docx_cross_references_are_fields(path: Path, lang: str) -> None:
    """A reference to an article is a REF field to the bookmark on its heading; the field shows
    the number Word gives that heading; the sentence reads as in the document model."""
    doc = model(path, lang)
    pkg = Package(rendered(path, lang, "docx"))
    paras = pkg.paragraphs()
    marks = {m: p for p in paras for m in p.bookmarks}
    refs = [(p, instr, shown) for p in paras for instr, shown in p.refs if instr.startswith("REF ")]
    labels = {bookmark_name(s.anchor): s.label for s in [*doc.articles, *doc.annexes]}
    for _p, instr, shown in refs:
        target = marks[instr.split()[1]]
        assert "\\h" in instr.split()
        # a numbered article or schedule shows its words (“Article 7”), a sub-article its number
        number = ".".join(map(str, target.numbers))
        assert shown == (labels[instr.split()[1]] if len(target.numbers) == 1 else number), instr
    with_refs = sentences_with_refs(doc)
    assert len(refs) == sum(1 for runs in with_refs for r in runs if r.href)
    if path.stem == "comptabilite-fournisseurs":
        assert refs, "the example refers to its articles"
    shown_text = {p.text for p in paras}
    for runs in with_refs:
        assert "".join(r.text for r in runs) in shown_text


def sentences_with_refs(doc) -> list[list]:
    """The runs of each paragraph and bullet item outside tables that refers to a section."""
    model_paras = [
        b.runs
        for s in [*doc.articles, *doc.annexes]
        for sec in [s, *s.subsections]
        for b in sec.blocks
        if isinstance(b, Para)
    ] + [item for s in doc.sections() for b in s.blocks if isinstance(b, Bullets) for item in b.items]
    return [runs for runs in model_paras if any(r.href for r in runs)]


@pytest.mark.parametrize(("path", "lang"), cases(EXAMPLES))
def test_docx_header_and_footer(path: Path, lang: str) -> None:
    doc = model(path, lang)
    pkg = Package(rendered(path, lang, "docx"))
    assert pkg.sect_pr.find(W + "titlePg") is not None
    header = pkg.part("header", "default")
    assert text_of(header) == doc.title
    assert pkg.part("header", "first") is None  # the first page carries the title as its title
    for which in ("default", "first"):
        footer = pkg.part("footer", which)
        p = footer.find(W + "p")
        assert [i for i, _ in fields(p)] == ["PAGE", "NUMPAGES"]
        assert re.fullmatch(r"Page \d+ / \d+", text_of(p))


@pytest.mark.parametrize(("path", "lang"), cases(EXAMPLES[:1]))
def test_docx_sober_styles(path: Path, lang: str) -> None:
    pkg = Package(rendered(path, lang, "docx"))
    xml = pkg.zip.read("word/styles.xml").decode()
    for theme in ("themeColor", "asciiTheme", "hAnsiTheme", "majorHAnsi", "minorHAnsi"):
        assert theme not in xml
    for s in pkg.styles.iter(W + "style"):
        assert s.find(f"{W}rPr/{W}color") is None, s.get(W + "styleId")
        assert s.find(f"{W}pPr/{W}pBdr") is None, s.get(W + "styleId")
    fonts = pkg.styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(W + "ascii") == fonts.get(W + "hAnsi") == "Times New Roman"
    used = {p.style for p in pkg.paragraphs()}
    assert {"Title", "Heading1", "Heading2", "BodyText", "ListBullet"} <= used
    for name in ("Heading1", "Heading2", "Title"):
        assert pkg.style(name).find(f"{W}rPr/{W}b") is not None
    # nothing of python-docx's template says where the file came from
    names = pkg.zip.namelist()
    assert "docProps/thumbnail.jpeg" not in names and "word/stylesWithEffects.xml" not in names
    assert b"Macintosh" not in pkg.zip.read("docProps/app.xml")


def test_docx_table_columns_fit_the_text_width() -> None:
    path = REAL[1]  # the long price schedule
    pkg = Package(rendered(path, "en", "docx"))
    width = TWIPS[PAPER[path.stem]][0]
    margins = pkg.sect_pr.find(W + "pgMar")
    text_width = width - int(margins.get(W + "left")) - int(margins.get(W + "right"))
    tables = list(pkg.document.iter(W + "tbl"))
    assert tables
    for t in tables:
        cols = [int(c.get(W + "w")) for c in t.find(W + "tblGrid").findall(W + "gridCol")]
        assert sum(cols) <= text_width
        assert min(cols) >= text_width // 12
        header = t.find(W + "tr")
        assert header.find(f"{W}trPr/{W}tblHeader") is not None


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_docx_signature_block_leaves_room_to_sign(path: Path) -> None:
    doc = model(path, "fr")
    signing = [b for b in doc.signature if isinstance(b, Table)]
    assert signing
    pkg = Package(rendered(path, "fr", "docx"))
    tables = {text_of(t.find(W + "tr")): t for t in pkg.document.iter(W + "tbl")}
    for table in signing:
        t = tables["".join(table.headers)]
        cols = [int(c.get(W + "w")) for c in t.find(W + "tblGrid").findall(W + "gridCol")]
        assert cols[-1] >= sum(cols) // 5
        for row in t.findall(W + "tr")[1:]:
            height = row.find(f"{W}trPr/{W}trHeight")
            assert int(height.get(W + "val")) >= 1417 and height.get(W + "hRule") == "atLeast"  # 2.5 cm
            assert row.find(f"{W}trPr/{W}cantSplit") is not None


def test_docx_unnumbered_sections_keep_their_typed_number() -> None:
    """A section whose number is not its place (an amendment quoting article 7.2 of the contract)
    is typed and kept out of the heading styles' list."""
    from bpolang.render.docx import write
    from bpolang.render.ir import Document

    quoted = Section("q", "Quoted", [Para([])], number="7.2")
    art = Section("a", "Changed", [], [quoted], number="1", label="Article 1", anchor="article-1")
    doc = Document(lang="en", title="Amendment", preamble=[], articles=[art], signature=[], annexes=[])
    pkg = Package(write(doc))
    paras = [p for p in pkg.paragraphs() if p.style.startswith("Heading")]
    assert [(p.style, p.shown) for p in paras] == [("Heading1", "Article 1 – Changed"), ("Heading2", "7.2 Quoted")]
    assert paras[1].label == ""


def test_docx_writes_tables_with_long_cells() -> None:
    from bpolang.render.docx import write
    from bpolang.render.ir import Document

    long = "https://example.com/" + "a" * 150
    art = Section("a", "T", [Table(["A", "B"], [[long, "1,00 €"]], numeric=(1,))], number="1", label="Article 1")
    doc = Document(lang="fr", title="T", preamble=[], articles=[art], signature=[], annexes=[])
    pkg = Package(write(doc))
    (t,) = pkg.document.iter(W + "tbl")
    cols = [int(c.get(W + "w")) for c in t.find(W + "tblGrid").findall(W + "gridCol")]
    assert sum(cols) <= 11906 - 2 * 1418 and cols[0] > cols[1]
    cell = t.findall(W + "tr")[1].findall(W + "tc")[1]
    assert cell.find(f"{W}p/{W}pPr/{W}jc").get(W + "val") == "right"


# ------------------------------------------------------------------ PDF
@functools.cache
def laid_out(path: Path, lang: str):
    from bpolang.render.pdf import layout

    return layout(html_write(model(path, lang)))


def check_pdf(path: Path, lang: str) -> None:
    import pypdf

    from bpolang.render.pdf import overflows

    pages = laid_out(path, lang)
    assert overflows(pages) == []
    pdf = pypdf.PdfReader(io.BytesIO(pages.write_pdf()))
    n = len(pdf.pages)
    want = POINTS[PAPER[path.stem]]
    title = model(path, lang).title
    for i, page in enumerate(pdf.pages, 1):
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == want
        text = re.sub(r"\s+", " ", page.extract_text()).strip()
        # the margin boxes come last: the running head (from page 2), then the page number
        assert text.endswith(f"Page {i} / {n}"), i
        assert text.endswith(f"{title} Page {i} / {n}") == (i > 1), i


@needs_weasyprint
@pytest.mark.slow
@pytest.mark.parametrize(("path", "lang"), EVERY_DOCUMENT)
def test_pdf_documents(path: Path, lang: str) -> None:
    check_pdf(path, lang)


@needs_weasyprint
def test_overflow_check_sees_a_table_past_the_margin() -> None:
    """The check the PDF tests rely on finds a table pushed past the margin by unbreakable cells
    (the old stylesheet's `white-space: nowrap` on prices), and the stylesheet wraps such cells."""
    from bpolang.render.ir import Document
    from bpolang.render.pdf import layout, overflows

    long = "https://example.com/" + "a" * 150
    art = Section("a", "T", [Table(["A", "B"], [[long, long]]), Para([])], number="1", label="Article 1", anchor="a-1")
    doc = Document(lang="en", title="T", preamble=[], articles=[art], signature=[], annexes=[])
    html = html_write(doc)
    assert overflows(layout(html)) == []
    nowrap = html.replace("</style>", "td, th { white-space: nowrap; overflow-wrap: normal; }</style>")
    found = overflows(layout(nowrap))
    assert any("Table" in what for _, what, _ in found)


# ------------------------------------------------------------------ a real browser, a real PDF viewer
def ink_in_right_margin(pdf: Path, tmp: Path, margin_pt: float) -> tuple[int, list[int]]:
    """Render every page with pdftoppm (grey, 36 dpi) and return (pages, the pages with ink in
    the right margin, more than 4 pt beyond the text column)."""
    subprocess.run(["pdftoppm", "-r", "36", "-gray", str(pdf), str(tmp / "pg")], check=True, timeout=300)
    images = sorted(tmp.glob("pg-*.pgm"))
    inked, blank_pages = [], 0
    for n, img in enumerate(images, 1):
        data = img.read_bytes()
        m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
        assert m, img
        w, h = int(m.group(1)), int(m.group(2))
        pixels = data[m.end() :]
        start = int(w - (margin_pt - 4) * 36 / 72)
        if all(v > 250 for v in pixels):
            blank_pages += 1
        if any(pixels[y * w + x] < 200 for y in range(h) for x in range(start, w)):
            inked.append(n)
    assert blank_pages == 0
    return len(images), inked


needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm is not installed (apt-get install poppler-utils)"
)
needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="Chromium is not installed (apt-get install chromium)"
)
RIGHT_MARGIN_PT = 2.2 / 2.54 * 72  # document.css: @page margin 2.5cm 2.2cm


@needs_weasyprint
@needs_pdftoppm
@pytest.mark.slow
@pytest.mark.parametrize(("path", "lang"), EVERY_DOCUMENT)
def test_pdf_pages_seen_by_pdftoppm(path: Path, lang: str, tmp_path: Path) -> None:
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(laid_out(path, lang).write_pdf())
    pages, inked = ink_in_right_margin(pdf, tmp_path, RIGHT_MARGIN_PT)
    assert pages > 3 and inked == []


@needs_chromium
@needs_pdftoppm
@needs_weasyprint
@pytest.mark.slow
@pytest.mark.parametrize(("path", "lang"), EVERY_DOCUMENT)
def test_html_printed_by_chromium(path: Path, lang: str, tmp_path: Path) -> None:
    """Chromium prints the HTML on the contract's paper, numbers its pages from the stylesheet's
    margin boxes, and nothing reaches the right margin."""
    import pypdf

    html = tmp_path / "c.html"
    html.write_bytes(rendered(path, lang, "html"))
    out = tmp_path / "c.pdf"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={out}", html.as_uri()],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    n = len(reader.pages)
    for i, page in enumerate(reader.pages, 1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == tuple(
            round(v) for v in POINTS[PAPER[path.stem]]
        )
        assert f"Page {i} / {n}" in page.extract_text()
    pages, inked = ink_in_right_margin(out, tmp_path, RIGHT_MARGIN_PT)
    assert pages == n and inked == []


needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or pdftotext is not installed (apt-get install libreoffice-writer-nogui poppler-utils)",
)


@needs_libreoffice
@pytest.mark.slow
@pytest.mark.parametrize(("path", "lang"), cases(EXAMPLES))
def test_docx_as_a_word_processor_lays_it_out(path: Path, lang: str, tmp_path: Path) -> None:
    """LibreOffice opens the DOCX, updates its fields and prints it: every page says “Page i / n”,
    every heading reads as the document model's (Word's numbering, with its words), and every
    sentence that refers to an article reads as in the model once the fields are computed."""
    doc = model(path, lang)
    (tmp_path / "c.docx").write_bytes(rendered(path, lang, "docx"))
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"  # a profile of its own: runs in parallel
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "c.docx")],
        check=True,
        timeout=300,
        capture_output=True,
    )
    out = subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], check=True, capture_output=True, text=True)
    pages = out.stdout.split("\f")[:-1]
    assert len(pages) > 3
    body = []
    for i, page in enumerate(pages, 1):
        lines = [line for line in page.splitlines() if line.strip()]
        lines.remove(f"Page {i} / {len(pages)}")  # the footer's fields, computed (ValueError if not)
        if i > 1:
            lines.remove(doc.title)  # the running title, from the second page
        body += lines
    flat = " ".join(" ".join(body).split())
    for _, s in [*headings(doc.articles), *headings(doc.annexes)]:
        assert " ".join(s.heading().split()) in flat, s.heading()
    for runs in sentences_with_refs(doc):
        sentence = " ".join("".join(r.text for r in runs).split())
        assert sentence in flat, sentence
