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
        return _render(contract, resolution, fmt, lang)


def _render(contract: Any, resolution: Any, fmt: str, lang: str) -> bytes:
    doc = document(contract, resolution, lang)
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


def render_result(result: Any, fmt: str, lang: str | None = None) -> bytes:
    """Render an :func:`bpolang.check.pipeline.load` result; language defaults to the contract's, else English."""
    from bpolang.i18n import language_of

    return render(result.contract, result.resolution, fmt, language_of(result.contract, lang))
