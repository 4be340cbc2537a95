"""DOCX writer with python-docx: the document a firm would send.

- the paper of the governing law (A4; US Letter under U.S. law), 2.5 cm margins;
- a sober style set: one serif font, black headings, no theme colours or theme fonts, no
  border under the title;
- articles and sub-articles numbered by Word (a multilevel list in numbering.xml, linked to
  `Heading 1`–`Heading 3`), schedules by a second list, so inserting an article in Word
  renumbers the rest;
- cross-references as REF fields to bookmarks on the headings (the field's result is the
  number as rendered, so the text reads right before any field update);
- the title in the header from page 2, “Page x / y” (PAGE and NUMPAGES fields) in the footer;
- table headers repeated on each page, column widths proportioned to their content;
- fixed metadata and zip timestamps, so two renders are byte-identical.

Strings are already cleaned of XML-incompatible characters by the document builder
(:func:`bpolang.i18n.fmt.clean`); :func:`safe` applies it again as a last guard.  Styles are
looked up by name once per document (python-docx walks the whole style sheet on every lookup by
name) and set on paragraphs by id.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from typing import Any

from bpolang.i18n.fmt import clean
from bpolang.render.ir import Bullets, Document, Figure, Para, Run, Section, Table

FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

FONT = "Times New Roman"
# page width, height, margin in twentieths of a point
PAPER = {"A4": (11906, 16838, 1418), "letter": (12240, 15840, 1440)}
# the styles that get a size, weight and spacing of their own: (size in half-points, bold, italic,
# space before, space after in twentieths of a point)
STYLES = {
    "Normal": (22, False, False, 0, 0),  # table cells: no space under the text
    "Body Text": (22, False, False, 0, 120),
    "List Bullet": (22, False, False, 0, 60),
    "Title": (32, True, False, 0, 360),
    "Heading 1": (24, True, False, 360, 120),
    "Heading 2": (22, True, False, 240, 80),
    "Heading 3": (22, True, True, 200, 80),
    "Caption": (18, False, True, 120, 60),
    "Header": (17, False, True, 0, 0),
    "Footer": (17, False, False, 0, 0),
}
HEADINGS = ("Heading 1", "Heading 2", "Heading 3")
CHARS_PER_LINE = 90  # characters of 11 pt Times New Roman across the text width, about
APP_PROPERTIES = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>bpolang</Application></Properties>"
)


def safe(text: str) -> str:
    return clean(text)


def bookmark_name(anchor: str) -> str:
    """The Word bookmark of a section anchor (`article-3-2` → `_Ref_article_3_2`): a leading
    underscore hides it from the bookmark list, as Word does for cross-reference targets."""
    return "_Ref_" + anchor.replace("-", "_")


def _el(tag: str, **attrs: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn("w:" + k), v)
    return el


class Writer:
    def __init__(self, doc: Document):
        import docx

        self.doc = doc
        self.d = docx.Document()
        self.style_ids: dict[str, str] = {}
        self.bookmarks = 0
        self.numbering: dict[str, int] = {}  # "articles" / "annexes" → the numId of their list
        self.labels: dict[str, str] = {}  # a numbered article's or schedule's anchor → its label

    # ------------------------------------------------------------ styles
    def style_id(self, name: str) -> str:
        sid = self.style_ids.get(name)
        if sid is None:
            sid = self.style_ids[name] = self.d.styles[name].style_id
        return sid

    def paragraph(self, style: str | None = None):
        p = self.d.add_paragraph()
        if style is not None:
            p._p.style = self.style_id(style)
        return p

    def sober_styles(self) -> None:
        """One serif font everywhere, black text: the theme fonts and colours of python-docx's
        template (Calibri/Cambria, blue headings, a blue rule under the title) are removed."""
        from docx.oxml.ns import qn

        styles = self.d.styles.element
        defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for old in defaults.findall(qn("w:rFonts")):
            defaults.remove(old)
        defaults.insert(0, _el("w:rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, eastAsia=FONT))
        for style in styles.findall(qn("w:style")):
            if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in ("TableNormal", "TableGrid"):
                styles.remove(style)  # the template's coloured table styles (“Light Shading Accent 1”…)
                continue
            rpr = style.find(qn("w:rPr"))
            if rpr is not None:
                for tag in ("w:rFonts", "w:color", "w:szCs"):
                    for old in rpr.findall(qn(tag)):
                        rpr.remove(old)
            ppr = style.find(qn("w:pPr"))
            if ppr is not None:
                for old in ppr.findall(qn("w:pBdr")):
                    ppr.remove(old)
        # Word 2010's copy of the template's styles, with the same theme colours, and the
        # template's thumbnail (a file browser would show it as this contract's preview): not written
        for rels in (self.d.part.rels, self.d.part.package.rels):
            for rel_id, rel in list(rels.items()):
                if rel.reltype.endswith(("/stylesWithEffects", "/thumbnail")):
                    rels.pop(rel_id)
                elif rel.reltype.endswith("/extended-properties"):
                    # the template's says “Microsoft Macintosh Word”, one page, no words
                    rel.target_part._blob = APP_PROPERTIES
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, Twips

        for name, (size, bold, italic, before, after) in STYLES.items():
            st = self.d.styles[name]
            self.style_ids[name] = st.style_id
            st.font.size = Pt(size / 2)
            st.font.bold = bold
            st.font.italic = italic
            pf = st.paragraph_format
            pf.space_before = Twips(before)
            pf.space_after = Twips(after)
            if name in HEADINGS or name == "Title":
                pf.keep_with_next = True
        self.d.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        normal = self.d.styles["Normal"].paragraph_format
        normal.line_spacing = 1.08
        self.d.styles["Body Text"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def page(self) -> None:
        from docx.shared import Twips

        width, height, margin = PAPER[self.doc.paper]
        sec = self.d.sections[0]
        sec.page_width, sec.page_height = Twips(width), Twips(height)
        sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Twips(margin)
        sec.header_distance = sec.footer_distance = Twips(margin // 2)

    # ------------------------------------------------------------ header and footer
    def field(self, p, instruction: str, result: str) -> None:
        """A complex field (`PAGE`, `REF …`) with its current result."""
        p.add_run()._r.append(_el("w:fldChar", fldCharType="begin"))
        instr = _el("w:instrText")
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instr.text = f" {instruction} "
        p.add_run()._r.append(instr)
        p.add_run()._r.append(_el("w:fldChar", fldCharType="separate"))
        p.add_run(result)
        p.add_run()._r.append(_el("w:fldChar", fldCharType="end"))

    def page_number(self, footer) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = footer.paragraphs[0]
        p._p.style = self.style_id("Footer")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("Page ")
        self.field(p, "PAGE", "1")
        p.add_run(" / ")
        self.field(p, "NUMPAGES", "1")

    def header_footer(self) -> None:
        """The title heads every page but the first (which carries it as its title); every page
        has “Page x / y” at its foot."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        sec = self.d.sections[0]
        sec.different_first_page_header_footer = True
        p = sec.header.paragraphs[0]
        p._p.style = self.style_id("Header")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(safe(self.doc.title))
        self.page_number(sec.footer)
        self.page_number(sec.first_page_footer)

    # ------------------------------------------------------------ numbering
    def define_numbering(self, key: str, sections: list[Section]) -> None:
        """A multilevel list for a series of top-level sections (“Article %1 –”, then `%1.%2`,
        `%1.%2.%3`) when their labels follow one pattern; the articles' list is linked to the
        heading styles, the schedules' list is set on their headings."""
        if not sections or not sections[0].label.endswith(sections[0].number):
            return
        pattern = sections[0].label[: -len(sections[0].number)] + "%1"
        if any(s.label != pattern.replace("%1", s.number) for s in sections):
            return
        from docx.oxml.ns import qn

        numbering = self.d.part.numbering_part.element
        abstract_id = 1 + max(
            (int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))), default=-1
        )
        num_id = 1 + max((int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))), default=0)
        abstract = _el("w:abstractNum", abstractNumId=str(abstract_id))
        abstract.append(_el("w:multiLevelType", val="multilevel"))
        for level in range(3):
            lvl = _el("w:lvl", ilvl=str(level))
            lvl.append(_el("w:start", val="1"))
            lvl.append(_el("w:numFmt", val="decimal"))
            if key == "articles":
                lvl.append(_el("w:pStyle", val=self.style_id(HEADINGS[level])))
            lvl.append(_el("w:suff", val="space"))
            # the words of the number (“Article %1”) and no more: a REF field shows them as they are,
            # in Word and in LibreOffice alike; the dash before the title is the heading's own text
            text = pattern if level == 0 else ".".join(f"%{i}" for i in range(1, level + 2))
            lvl.append(_el("w:lvlText", val=text))
            lvl.append(_el("w:lvlJc", val="left"))
            ppr = _el("w:pPr")
            ppr.append(_el("w:ind", left="0", firstLine="0"))
            lvl.append(ppr)
            abstract.append(lvl)
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)  # every abstractNum comes before the first num
        else:
            numbering.append(abstract)
        num = _el("w:num", numId=str(num_id))
        num.append(_el("w:abstractNumId", val=str(abstract_id)))
        numbering.append(num)
        self.numbering[key] = num_id
        if key == "articles":
            for level, name in enumerate(HEADINGS):
                num_pr = self.d.styles[name].element.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = level
                num_pr.get_or_add_numId().val = num_id

    def set_number(self, p, key: str | None, level: int) -> None:
        """Number a heading paragraph from a list, or (key None) keep it out of the styles' list."""
        num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
        if key is None:
            num_pr.get_or_add_numId().val = 0
            return
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = self.numbering[key]

    # ------------------------------------------------------------ blocks
    def runs(self, p, runs: Iterable[Run]) -> None:
        for r in runs:
            if not r.text:
                continue
            if r.xref is not None and r.href:
                self.xref(p, r)
                continue
            run = p.add_run(safe(r.text))
            run.bold = r.bold or None
            run.italic = r.italic or None

    def xref(self, p, r: Run) -> None:
        """`l’article 7`: the words, then the number as a REF field to the heading's bookmark
        (`\\w` the number in full context, `\\t` without the list's words, `\\h` a link)."""
        assert r.href is not None
        anchor = r.href.lstrip("#")
        number = anchor.split("-", 1)[1].replace("-", ".") if "-" in anchor else ""
        # what the field shows: the words of a numbered article or schedule (“Article 7”), the
        # number alone of a sub-article (“7.2”), as its heading's numbering prints them
        shown = self.labels.get(anchor) or number
        text = safe(r.text)
        if shown and text.endswith(shown):
            if text[: -len(shown)]:
                p.add_run(text[: -len(shown)])
            self.field(p, f"REF {bookmark_name(anchor)} \\w \\h", shown)
        else:
            self.field(p, f"REF {bookmark_name(anchor)} \\h", text)

    def table(self, t: Table, signing: bool = False) -> None:
        """A table; `signing`: the signature block, whose rows leave room to sign (2.5 cm)."""
        from docx.enum.table import WD_ROW_HEIGHT_RULE
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        if t.caption:
            self.paragraph("Caption").add_run(safe(t.caption))
        table = self.d.add_table(rows=1 + len(t.rows), cols=len(t.headers))
        table._tbl.tblStyle_val = self.style_id("Table Grid")
        _mark_header(table.rows[0])
        right = set(t.right_aligned())
        widths = self.column_widths(t, signing)
        for i, w in enumerate(widths):
            table.columns[i].width = w
        for r, row in enumerate([t.headers, *t.rows]):
            if signing and r:
                table.rows[r].height = Cm(2.5)
                table.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
                table.rows[r]._tr.get_or_add_trPr().append(_el("w:cantSplit"))
            cells = table.rows[r].cells
            for i, value in enumerate(row[: len(cells)]):
                cell = cells[i]
                cell.width = widths[i]
                par = cell.paragraphs[0]
                run = par.add_run(safe(value))
                if r == 0:
                    run.bold = True
                elif i in right:
                    par.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def column_widths(self, t: Table, signing: bool = False) -> list[Any]:
        """Widths that follow each column's longest text (capped, so one long cell does not starve
        the others), never narrower than its longest word or, for a column kept on one line
        (:meth:`Table.one_line`), its longest cell; together the text width.  The signature
        block's last column, empty, is the room to sign: about a quarter of the width."""
        from docx.shared import Twips

        width, _, margin = PAPER[self.doc.paper]
        text_width = width - 2 * margin
        cols = len(t.headers)
        if not cols:
            return []
        one_line = t.one_line()
        want, least = [], []
        for i in range(cols):
            column = [t.headers[i]] + [row[i] for row in t.rows if i < len(row)]
            want.append(min(max((len(c) for c in column), default=1), 60) + 2)
            cells = column[1:] if i in one_line else [w for c in column for w in c.split()]
            least.append(min(max((len(c) for c in cells), default=1), 20) + 2)
        if signing and cols > 1:
            want[-1] = sum(want[:-1]) // 2
        # each column gets its least (at about 90 characters to the text width), then the rest
        # of the width in proportion to how much more it wants
        floor = [min(m, w) / CHARS_PER_LINE * text_width for m, w in zip(least, want, strict=True)]
        if sum(floor) >= text_width:
            return [Twips(int(f * text_width / sum(floor))) for f in floor]
        more = [max(w / CHARS_PER_LINE * text_width - f, 0) for w, f in zip(want, floor, strict=True)]
        rest = text_width - sum(floor)
        return [
            Twips(int(f + (rest * m / sum(more) if sum(more) else rest / cols)))
            for f, m in zip(floor, more, strict=True)
        ]

    def blocks(self, blocks: list, signing: bool = False) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        for b in blocks:
            if isinstance(b, Para):
                p = self.paragraph("Body Text")
                if b.style == "center":
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self.runs(p, b.runs)
            elif isinstance(b, Bullets):
                for item in b.items:
                    self.runs(self.paragraph("List Bullet"), item)
            elif isinstance(b, Table):
                self.table(b, signing)
            elif isinstance(b, Figure):
                # Word has no portable SVG support without a PNG fallback: the text alternative stands in.
                p = self.paragraph("Caption" if b.caption else None)
                p.add_run(safe(b.alt)).italic = True

    def heading(self, s: Section, level: int, key: str | None, numbered: bool, new_page: bool = False) -> None:
        p = self.paragraph(HEADINGS[min(level, 3) - 1])
        if new_page:
            p.paragraph_format.page_break_before = True
        if numbered:
            self.set_number(p, key, level - 1)
            text = f"\u2013 {s.title}" if s.label else s.title
        else:
            self.set_number(p, None, 0)
            text = s.heading()
        if s.anchor:
            self.bookmarks += 1
            mark = str(self.bookmarks)
            p._p.append(_el("w:bookmarkStart", id=mark, name=bookmark_name(s.anchor)))
            p.add_run(safe(text))
            p._p.append(_el("w:bookmarkEnd", id=mark))
        else:
            p.add_run(safe(text))

    def section(self, s: Section, level: int, key: str | None, expected: str, new_page: bool = False) -> None:
        if level == 1:
            numbered = key in self.numbering and s.number == expected
        else:
            numbered = key in self.numbering and s.number == expected and not s.label
        self.heading(s, level, key, numbered, new_page)
        self.blocks(s.blocks)
        for j, sub in enumerate(s.subsections, 1):
            self.section(sub, level + 1, key if numbered else None, f"{s.number}.{j}")

    # ------------------------------------------------------------ document
    def write(self) -> bytes:
        doc, d = self.doc, self.d
        self.page()
        self.sober_styles()
        _set_language(d, doc.lang)
        self.header_footer()
        self.define_numbering("articles", doc.articles)
        self.define_numbering("annexes", doc.annexes)
        self.labels = {
            a.anchor: a.label
            for key, part in (("articles", doc.articles), ("annexes", doc.annexes))
            if key in self.numbering
            for a in part
        }
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
        self.paragraph("Title").add_run(safe(doc.title))
        self.blocks(doc.preamble)
        for i, a in enumerate(doc.articles, 1):
            self.section(a, 1, "articles", str(i))
        self.blocks(doc.signature, signing=True)
        for i, a in enumerate(doc.annexes, 1):
            self.section(a, 1, "annexes", str(i), new_page=True)  # each schedule on a new page
        raw = io.BytesIO()
        d.save(raw)
        return normalise_zip(raw.getvalue())


def _mark_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_el("w:tblHeader", val="true"))


def _set_language(d, lang: str) -> None:
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
    r.append(_el("w:lang", val="fr-FR" if lang == "fr" else "en-GB"))


def write(doc: Document) -> bytes:
    return Writer(doc).write()


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
