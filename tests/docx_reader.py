"""Read a DOCX package the way Word lays it out, for tests: list numbering (numbering.xml,
linked from paragraphs or from their styles), field results, bookmarks, headers and footers.

Deliberately independent of python-docx and of bpolang.render.docx: it reads the XML parts.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SUFFIX = {"space": " ", "tab": "\t", "nothing": ""}


def text_of(el) -> str:
    """The text a paragraph shows: its runs' text, fields shown by their result."""
    return "".join(t.text or "" for t in el.iter(W + "t"))


@dataclass
class Paragraph:
    style: str  # style id
    label: str  # the list number Word prints before it ("Article 3 –", "3.2"), "" when none
    suffix: str
    text: str
    numbers: tuple[int, ...] = ()  # the list counters at this paragraph (3, 2)
    bookmarks: list[str] = field(default_factory=list)
    refs: list[tuple[str, str]] = field(default_factory=list)  # (REF instruction, its result)

    @property
    def shown(self) -> str:
        return f"{self.label}{self.suffix}{self.text}" if self.label else self.text


class Package:
    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.document = self.xml("word/document.xml")
        self.styles = self.xml("word/styles.xml")
        self.numbering = self.xml("word/numbering.xml")
        rels = self.xml("word/_rels/document.xml.rels")
        self.targets = {r.get("Id"): "word/" + r.get("Target") for r in rels.iter(REL + "Relationship")}
        self.style_names = {
            s.get(W + "styleId"): s.find(W + "name").get(W + "val") for s in self.styles.iter(W + "style")
        }

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name))

    # ------------------------------------------------------------ page
    @property
    def sect_pr(self):
        return self.document.find(W + "body").find(W + "sectPr")

    def page_size(self) -> tuple[int, int]:
        size = self.sect_pr.find(W + "pgSz")
        return int(size.get(W + "w")), int(size.get(W + "h"))

    def part(self, kind: str, which: str):
        """The header or footer part (`kind` header|footer) of the default or first page, or None."""
        for ref in self.sect_pr.findall(f"{W}{kind}Reference"):
            if ref.get(W + "type") == which:
                return self.xml(self.targets[ref.get(R + "id")])
        return None

    # ------------------------------------------------------------ styles and numbering
    def style_num(self, style_id: str) -> tuple[str | None, int]:
        """(numId, level) a paragraph style carries, following `basedOn`."""
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self.style(style_id)
            if style is None:
                break
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None and num_pr.find(W + "numId") is not None:
                ilvl = num_pr.find(W + "ilvl")
                return num_pr.find(W + "numId").get(W + "val"), int(ilvl.get(W + "val")) if ilvl is not None else 0
            based = style.find(W + "basedOn")
            style_id = based.get(W + "val") if based is not None else ""
        return None, 0

    def style(self, style_id: str):
        for s in self.styles.iter(W + "style"):
            if s.get(W + "styleId") == style_id:
                return s
        return None

    def abstract_of(self, num_id: str):
        for num in self.numbering.iter(W + "num"):
            if num.get(W + "numId") == num_id:
                aid = num.find(W + "abstractNumId").get(W + "val")
                for a in self.numbering.iter(W + "abstractNum"):
                    if a.get(W + "abstractNumId") == aid:
                        return a
        return None

    def level(self, num_id: str, ilvl: int):
        abstract = self.abstract_of(num_id)
        assert abstract is not None, f"numId {num_id} has no abstractNum"
        for lvl in abstract.iter(W + "lvl"):
            if int(lvl.get(W + "ilvl")) == ilvl:
                return lvl
        raise AssertionError(f"numId {num_id} has no level {ilvl}")

    # ------------------------------------------------------------ body
    def paragraphs(self, container=None) -> list[Paragraph]:
        """The body's paragraphs (not those in tables), with the numbers Word gives them."""
        counters: dict[str, list[int]] = {}
        out: list[Paragraph] = []
        root = container if container is not None else self.document.find(W + "body")
        for p in root.findall(W + "p"):
            ppr = p.find(W + "pPr")
            style_el = ppr.find(W + "pStyle") if ppr is not None else None
            style = style_el.get(W + "val") if style_el is not None else "Normal"
            num_id, ilvl = self.style_num(style)
            num_pr = ppr.find(W + "numPr") if ppr is not None else None
            if num_pr is not None:
                if num_pr.find(W + "numId") is not None:
                    num_id = num_pr.find(W + "numId").get(W + "val")
                if num_pr.find(W + "ilvl") is not None:
                    ilvl = int(num_pr.find(W + "ilvl").get(W + "val"))
            label, suffix, numbers = "", "", ()
            if num_id not in (None, "0"):
                lvl = self.level(num_id, ilvl)
                abstract = self.abstract_of(num_id).get(W + "abstractNumId")
                count = counters.setdefault(abstract, [0] * 9)
                count[ilvl] += 1
                for deeper in range(ilvl + 1, 9):
                    count[deeper] = 0
                numbers = tuple(count[: ilvl + 1])
                fmt = lvl.find(W + "numFmt").get(W + "val")
                if fmt == "decimal":
                    label = re.sub(
                        r"%(\d)", lambda m: str(count[int(m.group(1)) - 1]), lvl.find(W + "lvlText").get(W + "val")
                    )
                    suff = lvl.find(W + "suff")
                    suffix = SUFFIX[suff.get(W + "val") if suff is not None else "tab"]
            out.append(
                Paragraph(
                    style=style,
                    label=label,
                    suffix=suffix,
                    text=text_of(p),
                    numbers=numbers,
                    bookmarks=[b.get(W + "name") for b in p.iter(W + "bookmarkStart")],
                    refs=fields(p),
                )
            )
        return out


def fields(p) -> list[tuple[str, str]]:
    """The complex fields of a paragraph: (instruction, result shown)."""
    out: list[tuple[str, str]] = []
    state, instr, result = "", "", ""
    for el in p.iter(W + "fldChar", W + "instrText", W + "t"):
        if el.tag == W + "fldChar":
            kind = el.get(W + "fldCharType")
            if kind == "begin":
                state, instr, result = "instr", "", ""
            elif kind == "separate":
                state = "result"
            elif kind == "end":
                out.append((instr.strip(), result))
                state = ""
        elif el.tag == W + "instrText" and state == "instr":
            instr += el.text or ""
        elif el.tag == W + "t" and state == "result":
            result += el.text or ""
    return out
