"""A draft amendment (avenant): both versions rendered to the document model, articles compared.

Each article or annex of the rendered new contract whose wording differs from the original's
is replaced in full; new ones are inserted and dropped ones deleted.  The amendment is itself
a :class:`bpolang.render.ir.Document`, written by the renderer's Markdown and DOCX writers.
"""

from __future__ import annotations

import copy
from typing import Any

from bpolang.model.values import DateExpr
from bpolang.render.ir import Block, Bullets, Document, Para, Run, Section, Table


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
    def __init__(self, old: Any, new: Any, lang: str) -> None:
        from bpolang.render.build import Builder, build_document

        self.lang = lang
        self.old_doc = build_document(old.contract, old.resolution, lang)
        self.new_doc = build_document(new.contract, new.resolution, lang)
        self.old, self.new = old, new
        # the signature block of the new version, with the place and date left blank
        blank = new.contract.model_copy(update={"signed_at": None, "signature_date": None})
        self.render = Builder(blank, new.resolution, lang)
        self.f = self.render.f
        from bpolang.i18n import catalog

        self.msg = catalog(lang)["DIFF"]

    def t(self, key: str, **kw: Any) -> str:
        return self.msg[key].format(nb=self.f.msg_terms["nb"], **kw)

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

    def articles(self) -> list[Section]:
        out: list[Section] = []
        renumbered = False
        for annex, (old_list, new_list) in enumerate(
            ((self.old_doc.articles, self.new_doc.articles), (self.old_doc.annexes, self.new_doc.annexes))
        ):
            modified, added, removed, moved = compare_sections(old_list, new_list)
            renumbered = renumbered or moved
            sfx = "_annex" if annex else ""
            for before, after in modified:
                ref = self._ref(before, bool(annex))
                title = before.title
                body = Para([Run(self.t("am_modified" + sfx, Ref=ref[:1].upper() + ref[1:], title=title))])
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
                body = Para([Run(self.t("am_removed" + sfx, Ref=ref[:1].upper() + ref[1:], title=before.title))])
                out.append(
                    Section("removed:" + before.key, self.t("am_h_removed", ref=ref, title=before.title), [body])
                )
        final: list[Block] = [Para([Run(self.t("am_final"))])]
        if renumbered:
            final.insert(0, Para([Run(self.t("am_renumbered"))]))
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

    def build(self) -> Document:
        title = self.t("am_title", title=self.f.user(self.new.contract.title or self.new.contract.id or ""))
        return Document(
            lang=self.lang,
            title=title,
            preamble=list(self.new_doc.preamble) + self.recitals(),
            articles=self.articles(),
            signature=self.render.signature(),
            annexes=[],
            date=self.new_doc.date,
            paper=self.new_doc.paper,
        )


def _all_subsections(s: Section):
    for sub in s.subsections:
        yield sub
        yield from _all_subsections(sub)


def amendment(old: Any, new: Any, lang: str) -> Document:
    """The draft amendment turning the old version into the new one, as a document model."""
    return AmendmentBuilder(old, new, lang).build()


def write(doc: Document, fmt: str) -> bytes:
    """The amendment as Markdown (UTF-8) or DOCX bytes, through the renderer's writers."""
    if fmt == "md":
        from bpolang.render.markdown import write as md

        return md(doc).encode("utf-8")
    if fmt == "docx":
        from bpolang.render.docx import write as docx

        return docx(doc)
    raise ValueError(f"unknown format {fmt!r}")
