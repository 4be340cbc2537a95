"""Render a contract as a document: Markdown, HTML, DOCX or PDF.

Imported only by `bpo render` (and by callers who ask for it): babel, jinja2 and
python-docx are loaded here, never by `bpo check`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bpolang.render.ir import Document

FORMATS = ("md", "html", "docx", "pdf")


def document(contract: Any, resolution: Any, lang: str) -> Document:
    """The document model of a contract in a language (`fr` or `en`)."""
    from bpolang.render.build import build_document

    return build_document(contract, resolution, lang)


def render(contract: Any, resolution: Any, fmt: str, lang: str) -> bytes:
    """Render to bytes in one of FORMATS; Markdown and HTML are UTF-8."""
    from bpolang.base.gcpause import paused_gc

    with paused_gc():  # the document model only grows while it is written (see bpolang.base.gcpause)
        return write(document(contract, resolution, lang), fmt)


def write(doc: Document, fmt: str) -> bytes:
    """A document model written in one of FORMATS."""
    if fmt == "md":
        from bpolang.render.markdown import write as markdown

        return markdown(doc).encode("utf-8")
    if fmt == "html":
        from bpolang.render.html import write as html

        return html(doc).encode("utf-8")
    if fmt == "docx":
        from bpolang.render.docx import write as docx

        return docx(doc)
    if fmt == "pdf":
        from bpolang.render.html import write as html
        from bpolang.render.pdf import write as pdf

        return pdf(html(doc))
    raise ValueError(f"unknown format {fmt!r}")


def render_result(result: Any, fmt: str, lang: str | None = None, consolidated: bool = False) -> bytes:
    """Render an :func:`bpolang.check.pipeline.load` result; language defaults to the contract's, else English.

    A statement of work (a contract `under` a master) is rendered as itself, referring to its
    master's articles for the terms it inherits (:mod:`bpolang.render.sow`); ``consolidated``
    renders the whole contract it makes with its master instead.
    """
    from bpolang.base.gcpause import paused_gc
    from bpolang.i18n import language_of

    lang = language_of(result.contract, lang)
    if not consolidated:
        from bpolang.render.sow import statement_of_work

        with paused_gc():
            doc = statement_of_work(result, lang)
            if doc is not None:
                return write(doc, fmt)
    return render(result.contract, result.resolution, fmt, lang)
