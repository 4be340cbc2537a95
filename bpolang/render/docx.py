"""DOCX writer with python-docx: real Word styles, repeating table headers, fixed metadata.

Strings are already cleaned of XML-incompatible characters by the document builder
(:func:`bpolang.i18n.fmt.clean`); :func:`safe` applies it again as a last guard.  The
package is rewritten with fixed zip timestamps so two renders are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from bpolang.i18n.fmt import clean
from bpolang.render.ir import Bullets, Document, Figure, Para, Run, Section, Table

FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def safe(text: str) -> str:
    return clean(text)


def _runs(par, runs: list[Run]) -> None:
    for r in runs:
        if not r.text:
            continue
        run = par.add_run(safe(r.text))
        run.bold = r.bold or None
        run.italic = r.italic or None


def _mark_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _table(d, t: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if t.caption:
        d.add_paragraph(safe(t.caption), style="Caption")
    table = d.add_table(rows=1 + len(t.rows), cols=len(t.headers))
    table.style = "Table Grid"
    _mark_header(table.rows[0])
    for i, h in enumerate(t.headers):
        cell = table.rows[0].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(safe(h))
        run.bold = True
    for r, row in enumerate(t.rows, 1):
        for i, value in enumerate(row):
            cell = table.rows[r].cells[i]
            cell.text = safe(value)
            if i in t.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _blocks(d, blocks: list) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for b in blocks:
        if isinstance(b, Para):
            p = d.add_paragraph()
            if b.style == "center":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _runs(p, b.runs)
        elif isinstance(b, Bullets):
            for item in b.items:
                p = d.add_paragraph(style="List Bullet")
                _runs(p, item)
        elif isinstance(b, Table):
            _table(d, b)
        elif isinstance(b, Figure):
            # Word has no portable SVG support without a PNG fallback: the text alternative stands in.
            p = d.add_paragraph(style="Caption" if b.caption else None)
            p.add_run(safe(b.alt)).italic = True


def _section(d, s: Section, level: int) -> None:
    d.add_heading(safe(s.heading()), level=level)
    _blocks(d, s.blocks)
    for sub in s.subsections:
        _section(d, sub, level + 1)


def _set_language(d, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = d.styles.element.find(qn("w:docDefaults"))
    if rpr is None:
        return
    rpr_default = rpr.find(qn("w:rPrDefault"))
    if rpr_default is None:
        return
    r = rpr_default.find(qn("w:rPr"))
    if r is None:
        return
    for old in r.findall(qn("w:lang")):
        r.remove(old)
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), "fr-FR" if lang == "fr" else "en-GB")
    r.append(el)


def write(doc: Document) -> bytes:
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    _set_language(d, doc.lang)
    when = dt.datetime.combine(doc.date, dt.time(0, 0), tzinfo=dt.UTC) if doc.date else FIXED_DATE
    cp = d.core_properties
    cp.title = safe(doc.title)[:255]
    cp.author = "bpolang"
    cp.last_modified_by = "bpolang"
    cp.created = when
    cp.modified = when
    cp.last_printed = when
    cp.revision = 1
    cp.language = "fr-FR" if doc.lang == "fr" else "en-GB"
    cp.comments = ""
    d.add_heading(safe(doc.title), level=0)
    _blocks(d, doc.preamble)
    for a in doc.articles:
        _section(d, a, 1)
    _blocks(d, doc.signature)
    for a in doc.annexes:
        d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _section(d, a, 1)
    raw = io.BytesIO()
    d.save(raw)
    return normalise_zip(raw.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """The same package with members in a fixed order and fixed timestamps."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        ordered = [n for n in names if n == "[Content_Types].xml"] + [n for n in names if n != "[Content_Types].xml"]
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()
