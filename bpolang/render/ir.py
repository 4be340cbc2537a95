"""The document model every writer reads: document → sections → blocks → runs.

Every string in it is final text for the reader (values formatted, user text cleaned);
writers only escape it for their format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bpolang.render.provenance import NONE, Origin, current, take, take_heading


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    xref: str | None = None  # a section key; the text is filled in once sections are numbered
    href: str | None = None  # "#anchor" of the section it refers to
    # the model values this text states and the catalog sentences it uses (bpolang.render.provenance):
    # what was read since the previous piece of the document was made
    origin: Origin = field(default=NONE, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.origin is NONE:
            self.origin = take()


@dataclass
class Para:
    runs: list[Run]
    style: str = "body"  # body | center | note
    origin: Origin = field(default=NONE, compare=False, repr=False)  # its runs' and what was read since

    def __post_init__(self) -> None:
        self.origin = union([r.origin for r in self.runs]) | self.origin | take()


@dataclass
class Bullets:
    items: list[list[Run]]
    origins: list[Origin] = field(default_factory=list, compare=False, repr=False)  # one an item

    def __post_init__(self) -> None:
        if not self.origins:
            self.origins = [union([r.origin for r in item]) for item in self.items]
        rest = take()  # read after the last item was made: the list as a whole
        self.origins = [o | rest for o in self.origins]


SHORT_CELL = 32  # characters: a figure with its unit ("8 500,00 € par mois"), not a sentence
ONE_LINE_CELL = 18  # characters: a date ("1er janvier 2027"), a kind ("prix unitaire"), an amount
ONE_LINE_TOTAL = 45  # characters: the widest the columns kept on one line may be together


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str | None = None
    numeric: tuple[int, ...] = ()  # columns of figures
    origins: list[Origin] = field(default_factory=list, compare=False, repr=False)  # one a row
    origin: Origin = field(default=NONE, compare=False, repr=False)  # the headers and caption

    def __post_init__(self) -> None:
        rec = current()
        if rec is not None and not self.origins:
            self.origins = [rec.row_origin(r) for r in self.rows]
        self.origin = self.origin | take()
        # a row not made with Builder.row states what the table as a whole was made from
        self.origins = [o if o.sources else o | self.origin for o in self.origins]

    def right_aligned(self) -> tuple[int, ...]:
        """The columns of figures short enough to align right; a column that holds a sentence
        (an amount with its terms of payment) reads better aligned left, like the text."""
        return tuple(i for i in self.numeric if all(len(row[i]) <= SHORT_CELL for row in self.rows if i < len(row)))

    def one_line(self) -> tuple[int, ...]:
        """The columns whose every cell is short enough to stay on one line (a date is not cut
        after its day), as long as together they leave the other columns room."""
        out, total = [], 0
        for i, header in enumerate(self.headers):
            cells = [header.split()[0] if header.split() else ""] + [row[i] for row in self.rows if i < len(row)]
            longest = max(len(c) for c in cells)
            if longest <= ONE_LINE_CELL and total + longest <= ONE_LINE_TOTAL:
                out.append(i)
                total += longest
        return tuple(out)


@dataclass
class Figure:
    """A picture made by bpolang itself (an SVG string, already escaped), with its text alternative."""

    svg: str
    alt: str
    caption: str | None = None
    data_uri: str = ""  # the same picture as a `data:` URI, for Markdown


Block = Para | Bullets | Table | Figure


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    number: str = ""  # "3", "3.2", "1" for annexes
    label: str = ""  # "Article 3", "Annexe 1"
    anchor: str = ""
    # what its heading states (the block's title, read to make it), taken here rather than left to
    # the section's first sentence; the other reads before it stay for that sentence
    origin: Origin = field(default=NONE, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.origin is NONE:
            self.origin = take_heading()

    def heading(self) -> str:
        if self.label:
            return f"{self.label} \u2013 {self.title}"
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass
class Document:
    lang: str
    title: str
    preamble: list[Block]
    articles: list[Section]
    signature: list[Block]
    annexes: list[Section]
    subtitle: str = ""
    date: dt.date | None = None  # a fixed date for document metadata
    paper: str = "A4"  # "A4", or "letter" for a contract under U.S. law (bpolang.model.laws.paper_of_law)

    def sections(self):
        for s in self.articles + self.annexes:
            yield s
            yield from s.subsections


def union(origins: list[Origin]) -> Origin:
    out = NONE
    for o in origins:
        out = out | o
    return out


def text_of(runs: list[Run]) -> str:
    return "".join(r.text for r in runs)


@dataclass
class Piece:
    """One sentence of the document as provenance sees it: a paragraph, a bullet item, a table row."""

    section: str  # the key of its section, `preamble` or `signature`
    text: str  # cross-references as the key they refer to, so that renumbering does not change it
    origin: Origin


def pieces(doc: Document) -> list[Piece]:
    """Every paragraph, bullet item and table row of the document, with its origin, in order."""

    def text(runs: list[Run]) -> str:
        return "".join(f"[{r.xref}]" if r.xref is not None else r.text for r in runs)

    out: list[Piece] = []
    places = [("preamble", doc.preamble), ("signature", doc.signature)]
    for key, blocks in places + [(s.key, s.blocks) for s in doc.sections()]:
        for b in blocks:
            if isinstance(b, Para):
                out.append(Piece(key, text(b.runs), b.origin))
            elif isinstance(b, Bullets):
                out += [Piece(key, text(item), o) for item, o in zip(b.items, b.origins, strict=True)]
            elif isinstance(b, Table):
                out += [Piece(key, " | ".join(row), o) for row, o in zip(b.rows, b.origins, strict=True)]
    return out
