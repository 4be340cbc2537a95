"""A draft amendment (avenant): both versions rendered to the document model, articles compared.

Each article or annex of the rendered new contract whose wording differs from the original's
is replaced in full; new ones are inserted and dropped ones deleted.  The amendment is itself
a :class:`bpolang.render.ir.Document`, written by the renderer's Markdown and DOCX writers.
"""

from __future__ import annotations

import copy
import difflib
from typing import Any

from bpolang.model.values import DateExpr
from bpolang.render.ir import Block, Bullets, Document, Figure, Para, Run, Section, Table


def _runs_text(runs: list[Run]) -> str:
    # A cross-reference is compared by what it points at, not by its number: renumbering
    # an article alone does not modify the articles that refer to it.
    return "".join(f"\x00{r.xref}\x00" if r.xref is not None else r.text for r in runs)


def section_text(s: Section) -> tuple:
    """What a section says, comparable between the two versions."""
    out: list[Any] = [s.title]
    for b in s.blocks:
        if isinstance(b, Para):
            out.append(("p", b.style, _runs_text(b.runs)))
        elif isinstance(b, Bullets):
            out.append(("ul", tuple(_runs_text(item) for item in b.items)))
        elif isinstance(b, Table):
            out.append(("table", b.caption, tuple(b.headers), tuple(tuple(r) for r in b.rows)))
    out.append(tuple(section_text(sub) for sub in s.subsections))
    return tuple(out)


def compare_sections(old: list[Section], new: list[Section]) -> tuple[list, list, list, bool]:
    """(modified (old, new), added, removed, renumbered) between two lists of sections, matched by key."""
    by_key = {s.key: s for s in old}
    new_keys = {s.key for s in new}
    modified = [(by_key[s.key], s) for s in new if s.key in by_key and section_text(by_key[s.key]) != section_text(s)]
    added = [s for s in new if s.key not in by_key]
    removed = [s for s in old if s.key not in new_keys]
    renumbered = any(s.key in by_key and by_key[s.key].number != s.number for s in new)
    return modified, added, removed, renumbered


class AmendmentBuilder:
    def __init__(self, old: Any, new: Any, lang: str, consolidated: bool = False) -> None:
        from bpolang.render.build import Builder, build_document

        self.lang = lang
        self.old_doc = build_document(old.contract, old.resolution, lang)
        self.new_doc = build_document(new.contract, new.resolution, lang)
        self.old, self.new = old, new
        self.consolidated = consolidated
        # the signature block of the new version, with the place and date left blank
        blank = new.contract.model_copy(update={"signed_at": None, "signature_date": None})
        self.render = Builder(blank, new.resolution, lang)
        self.f = self.render.f
        from bpolang.i18n import catalog

        self.msg = catalog(lang)["DIFF"]
        # the new version read in the base contract's numbering, cross-references included
        for annex, (old_list, new_list) in enumerate(
            ((self.old_doc.articles, self.new_doc.articles), (self.old_doc.annexes, self.new_doc.annexes))
        ):
            self._number(old_list, new_list)
            for s in new_list:
                self._label(s, bool(annex))
        self.render.resolve_xrefs(self.new_doc, self.new_doc.articles, self.new_doc.annexes)

    def t(self, key: str, **kw: Any) -> str:
        text = self.msg[key].format(nb=self.f.msg_terms["nb"], **kw)
        # a quotation ending a sentence keeps its own full stop: `“… Client.”`, not `“… Client.”.`
        return text.replace(".\u201d.", ".\u201d").replace(".\u202f\u00bb.", ".\u202f\u00bb")

    def recitals(self) -> list:
        c, res, f = self.old.contract, self.old.resolution, self.f
        signed = ""
        if isinstance(c.signature_date, DateExpr) and c.signature_date.date is not None:
            signed = self.t("am_recital_signed", date=f.date(c.signature_date.date))
        effective = self.t("am_recital_effective", date=f.date(res.effective)) if res and res.effective else ""
        title = f.user(c.title or c.id or "")
        return [
            Para([Run(self.t("am_recitals"), bold=True)]),
            Para([Run(self.t("am_recital_contract", title=title, signed=signed, effective=effective))]),
            Para([Run(self.t("am_recital_purpose"))]),
            Para([Run(self.t("am_agreed"), bold=True)]),
        ]

    def _ref(self, s: Section, annex: bool) -> str:
        return self.f.t("ref_annex" if annex else "ref_article", n=s.number)

    # ------------------------------------------------------------ numbering of the base, kept
    def _number(self, old_list: list[Section], new_list: list[Section]) -> None:
        """Give the new version's sections the numbers of the base contract: a kept section its old
        number, an inserted one the number of the section it follows plus `bis`, `ter`... (`A`, `B`...
        before the first one); the same one level down.  Nothing of the base is renumbered."""
        _renumber(old_list, new_list, "")
        for s in new_list:
            before = next((o for o in old_list if o.key == s.key), None)
            _renumber(before.subsections if before is not None else [], s.subsections, s.number + ".")

    def _label(self, s: Section, annex: bool) -> None:
        s.label = self.f.t("annex_label" if annex else "article_label", n=s.number)

    # ------------------------------------------------------------ targeted changes
    def _where(self, number: str, top: Section, annex: bool) -> str:
        if not annex:
            return self.t("am_in_article", n=number)
        if number == top.number:
            return self.t("am_in_annex", n=number)
        return self.t("am_in_annex_part", n=number, annex=top.number)

    def _part_ref(self, s: Section, top: Section, annex: bool, new: bool = False) -> str:
        key = ("am_new_part_" if new else "am_ref_part_") + ("annex" if annex else "article")
        return self.t(key, n=s.number, annex=top.number)

    def _unit_changes(self, old: Section, new: Section, top: Section, annex: bool) -> list[Block] | None:
        """The sentences turning `old`'s own paragraphs into `new`'s (not its sub-parts), or None when
        a targeted wording would be longer than the part itself (it is then replaced whole)."""
        a, b = _units(old.blocks), _units(new.blocks)
        if a is None or b is None:
            return None
        where = self._where(new.number, top, annex)
        out: list[Block] = []
        ops = [
            op
            for op in difflib.SequenceMatcher(None, [u[0] for u in a], [u[0] for u in b], autojunk=False).get_opcodes()
            if op[0] != "equal"
        ]
        changed = sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in ops)
        if changed > max(3, len(a) // 2):
            return None
        for tag, i1, i2, j1, j2 in ops:
            if tag == "replace" and i2 - i1 == j2 - j1:
                for (what, old_text), (_, new_text) in zip(a[i1:i2], b[j1:j2], strict=True):
                    out += [Para([Run(x)]) for x in self._words(where, old_text, new_text, _kind(what))]
                continue
            for what, old_text in a[i1:i2]:
                out.append(Para([Run(self.t(_kind(what) + "_deleted", where=where, old=old_text))]))
            for k in range(j1, j2):
                kind = _kind(b[k][0])
                if k > 0:
                    sentence = self.t(kind + "_inserted", where=where, after=b[k - 1][1], new=b[k][1])
                else:
                    sentence = self.t(kind + "_inserted_first", where=where, new=b[k][1])
                out.append(Para([Run(sentence)]))
        return out

    def _words(self, where: str, old: str, new: str, kind: str = "am_para") -> list[str]:
        """`the words “98 %” are replaced by “97 %”`, one sentence per changed run of words, each
        quoting words found once in the paragraph; the whole paragraph when that is clearer."""
        a, b = old.split(" "), new.split(" ")
        ops = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
        if len(ops) > 2 or sum(i2 - i1 for _, i1, i2, _, _ in ops) * 2 > len(a):
            return [self.t(kind + "_replaced", where=where, old=old, new=new)]
        out = []
        for _, i1, i2, j1, j2 in ops:
            # an insertion or a deletion is quoted with a neighbouring word, and any run is widened
            # until the words it quotes occur once in the paragraph
            while i1 == i2 or " ".join(a[i1:i2]).strip() == "" or old.count(" ".join(a[i1:i2])) > 1:
                if i1 > 0 and j1 > 0:
                    i1, j1 = i1 - 1, j1 - 1
                elif i2 < len(a) and j2 < len(b):
                    i2, j2 = i2 + 1, j2 + 1
                else:
                    return [self.t(kind + "_replaced", where=where, old=old, new=new)]
            out.append(self.t("am_words", where=where, old=" ".join(a[i1:i2]), new=" ".join(b[j1:j2])))
        return out

    def _changes(self, old: Section, new: Section, top: Section, annex: bool) -> list[Block] | None:
        """The targeted amendment of one article or annex (or part of it), as paragraphs."""
        if any(isinstance(x, Figure) for x in old.blocks + new.blocks):
            return None  # a picture (the timeline) is replaced with its section
        own = self._unit_changes(old, new, top, annex)
        if own is None:
            return None
        out = list(own)
        before = {s.key: s for s in old.subsections}
        after_keys = {s.key for s in new.subsections}
        previous: Section | None = None
        for s in new.subsections:
            o = before.get(s.key)
            if o is None:
                fields = {"new": self._part_ref(s, top, annex, new=True), "title": s.title}
                if previous is not None:
                    text = self.t("am_part_inserted", after=self._part_ref(previous, top, annex), **fields)
                else:
                    text = self.t("am_part_inserted_first", parent=self._ref(new, annex), **fields)
                out += [Para([Run(text)]), *_flat(self._copy(s))]
            elif section_text(o) != section_text(s):
                inner = self._changes(o, s, top, annex)
                if inner is None:
                    ref = _cap(self._part_ref(s, top, annex))
                    out += [Para([Run(self.t("am_part_replaced", Ref=ref, title=s.title))]), *_flat(self._copy(s))]
                else:
                    out += inner
            previous = s
        for o in old.subsections:
            if o.key not in after_keys:
                ref = _cap(self._part_ref(o, top, annex))
                out.append(Para([Run(self.t("am_part_deleted", Ref=ref, title=o.title))]))
        return out

    def articles(self) -> list[Section]:
        out: list[Section] = []
        inserted = False
        for annex, (old_list, new_list) in enumerate(
            ((self.old_doc.articles, self.new_doc.articles), (self.old_doc.annexes, self.new_doc.annexes))
        ):
            modified, added, removed, _moved = compare_sections(old_list, new_list)
            inserted = inserted or bool(added or removed)
            sfx = "_annex" if annex else ""
            for before, after in modified:
                ref = self._ref(before, bool(annex))
                title = before.title
                targeted = self._changes(before, after, after, bool(annex))
                if targeted:
                    out.append(
                        Section("modified:" + after.key, self.t("am_h_modified", ref=ref, title=title), targeted)
                    )
                    continue
                body = Para([Run(self.t("am_modified" + sfx, Ref=_cap(ref), title=title))])
                out.append(
                    Section(
                        "modified:" + after.key,
                        self.t("am_h_modified", ref=ref, title=title),
                        [body],
                        [self._copy(after)],
                    )
                )
            for after in added:
                body = Para([Run(self.t("am_added" + sfx, n=after.number, title=after.title))])
                out.append(
                    Section(
                        "added:" + after.key, self.t("am_h_added" + sfx, title=after.title), [body], [self._copy(after)]
                    )
                )
            for before in removed:
                ref = self._ref(before, bool(annex))
                body = Para([Run(self.t("am_removed" + sfx, Ref=_cap(ref), title=before.title))])
                out.append(
                    Section("removed:" + before.key, self.t("am_h_removed", ref=ref, title=before.title), [body])
                )
        final: list[Block] = [Para([Run(self.t("am_final"))])]
        if inserted:
            final.insert(0, Para([Run(self.t("am_renumbered"))]))
        if self.consolidated:
            final.append(Para([Run(self.t("am_annex_consolidated"))]))
        final.append(Para([Run(self.t("am_effect"))]))
        out.append(Section("final", self.t("am_h_final"), final))
        for i, a in enumerate(out, 1):
            a.number, a.label, a.anchor = str(i), self.f.t("article_label", n=i), f"article-{i}"
        return out

    def _copy(self, s: Section) -> Section:
        """The new wording of a section, as it reads in the new contract (its own number kept)."""
        c = copy.deepcopy(s)
        for sec in [c, *_all_subsections(c)]:
            sec.anchor = ""
            for b in sec.blocks:
                for runs in (b.runs,) if isinstance(b, Para) else b.items if isinstance(b, Bullets) else ():
                    for r in runs:
                        r.href = None
        return c

    def annexes(self) -> list[Section]:
        """The consolidated version, on request: the new contract's articles and annexes, numbered as
        the amendment numbers them."""
        if not self.consolidated:
            return []
        parts: list[Section] = []
        for annex, (old_list, new_list) in enumerate(
            ((self.old_doc.articles, self.new_doc.articles), (self.old_doc.annexes, self.new_doc.annexes))
        ):
            kept = {s.key for s in new_list}
            own = [self._copy(s) for s in new_list]
            for i, o in enumerate(old_list):
                if o.key in kept:
                    continue
                # a deleted article keeps its place and number, marked deleted
                gone = Section("deleted:" + o.key, self.t("am_deleted_mark"), number=o.number)
                self._label(gone, bool(annex))
                previous = next((k for k in (s.key for s in reversed(old_list[:i])) if k in kept), None)
                at = next((j + 1 for j, s in enumerate(own) if s.key == previous), 0)
                own.insert(at, gone)
            parts += own
        for p in parts:
            p.title, p.label = p.heading(), ""
            p.number = ""
        consolidated = Section(
            "consolidated", self.t("am_h_consolidated"), [Para([Run(self.t("am_consolidated"))])], parts
        )
        consolidated.number, consolidated.label, consolidated.anchor = "1", self.f.t("annex_label", n=1), "annex-1"
        return [consolidated]

    def build(self) -> Document:
        title = self.t("am_title", title=self.f.user(self.new.contract.title or self.new.contract.id or ""))
        preamble = self.render.preamble() + self.recitals()
        articles, signature, annexes = self.articles(), self.render.signature(), self.annexes()
        preamble[:0] = self.render.language_note()  # once every text is written (see Builder._build)
        return Document(
            lang=self.lang,
            title=title,
            preamble=preamble,
            articles=articles,
            signature=signature,
            annexes=annexes,
            date=self.new_doc.date,
            paper=self.new_doc.paper,
        )


def _all_subsections(s: Section):
    for sub in s.subsections:
        yield sub
        yield from _all_subsections(sub)


def amendment(old: Any, new: Any, lang: str, consolidated: bool = False) -> Document:
    """The draft amendment turning the old version into the new one, as a document model; with
    `consolidated`, the amended contract as its annex."""
    return AmendmentBuilder(old, new, lang, consolidated).build()


_LATIN = ["bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "nonies", "decies"]


def _renumber(old: list[Section], new: list[Section], prefix: str) -> None:
    """Number `new` in the numbering of `old` (matched by key): kept ones keep theirs, inserted ones
    follow the previous kept one with `bis`, `ter`... (or `A`, `B`... before the first)."""
    if not old:  # nothing of the base to keep: numbered in order
        for j, s in enumerate(new, 1):
            s.number = f"{prefix}{j}"
        return
    numbers = {s.key: s.number for s in old}
    anchor, count = None, 0
    for s in new:
        if s.key in numbers:
            anchor, count = numbers[s.key], 0
            s.number = numbers[s.key]
            continue
        count += 1
        if anchor is None:
            first = old[0].number
            s.number = f"{first} {chr(ord('A') + count - 1)}" if count <= 26 else f"{first} {count}"
        else:
            s.number = f"{anchor} {_LATIN[count - 1]}" if count <= len(_LATIN) else f"{anchor} {count}"


def _units(blocks: list[Block]) -> list[tuple[Any, str]] | None:
    """A part's own paragraphs, bullet items and table rows: (what it says, how it reads)."""
    out: list[tuple[Any, str]] = []
    for b in blocks:
        if isinstance(b, Para):
            out.append((("p", b.style, _runs_text(b.runs)), _read(b.runs)))
        elif isinstance(b, Bullets):
            out += [(("li", _runs_text(item)), _read(item)) for item in b.items]
        elif isinstance(b, Table):
            out.append((("th", tuple(b.headers)), " | ".join(b.headers)))
            out += [(("tr", tuple(r)), " | ".join(r)) for r in b.rows]
        else:
            return None
    return out


def _kind(what: Any) -> str:
    """The message family of a unit: a table row, or a paragraph (a bullet item is one too)."""
    return "am_row" if what[0] in ("th", "tr") else "am_para"


def _read(runs: list[Run]) -> str:
    return "".join(r.text for r in runs)


def _flat(s: Section) -> list[Block]:
    """A part's wording as paragraphs: its number and title in bold, its blocks, then its own parts."""
    out: list[Block] = [Para([Run(s.heading(), bold=True)]), *s.blocks]
    for sub in s.subsections:
        out += _flat(sub)
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def write(doc: Document, fmt: str) -> bytes:
    """The amendment as Markdown (UTF-8) or DOCX bytes, through the renderer's writers."""
    if fmt == "md":
        from bpolang.render.markdown import write as md

        return md(doc).encode("utf-8")
    if fmt == "docx":
        from bpolang.render.docx import write as docx

        return docx(doc)
    raise ValueError(f"unknown format {fmt!r}")
