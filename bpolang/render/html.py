"""HTML writer: one standalone page (inline CSS), printable and accessible.

Jinja2 runs with ``autoescape=True`` (not extension-based ``select_autoescape``, which
leaves ``.j2`` unescaped) and ``StrictUndefined``; user text only ever reaches the
template as data, never as template source.
"""

from __future__ import annotations

from dataclasses import asdict
from importlib.resources import files
from typing import Any

from bpolang.render.ir import Bullets, Document, Figure, Para, Section, Table

LONG_WORD = 24  # characters: a word longer than this in a table cell may break (a URL, a reference)


def breakable(text: str) -> Any:
    """The text escaped, with a `<wbr>` every LONG_WORD characters inside longer words, so a
    table column can be narrower than the word and the table keep within the page.  (CSS's
    `overflow-wrap: anywhere` does the same but makes WeasyPrint's table layout six times slower.)"""
    import re

    from markupsafe import Markup, escape

    parts = re.split(rf"(\S{{{LONG_WORD + 1},}})", text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            chunks = [part[j : j + LONG_WORD] for j in range(0, len(part), LONG_WORD)]
            out.append(Markup("<wbr>").join(escape(c) for c in chunks))
        else:
            out.append(escape(part))
    return Markup("").join(out)


def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("bpolang.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["breakable"] = breakable
    return env


def _block(b: Any) -> dict[str, Any]:
    if isinstance(b, Para):
        return {"kind": "para", "style": b.style, "runs": [asdict(r) for r in b.runs]}
    if isinstance(b, Bullets):
        return {"kind": "bullets", "entries": [[asdict(r) for r in item] for item in b.items]}
    if isinstance(b, Table):
        return {
            "kind": "table",
            "headers": b.headers,
            "rows": b.rows,
            "caption": b.caption,
            "numeric": list(b.right_aligned()),
            "one_line": list(b.one_line()),
        }
    if isinstance(b, Figure):
        from markupsafe import Markup

        # the SVG is built by bpolang.obligations.timeline, every user string in it XML-escaped
        return {"kind": "figure", "svg": Markup(b.svg), "alt": b.alt, "caption": b.caption}  # noqa: S704
    raise TypeError(type(b).__name__)  # pragma: no cover


def _section(s: Section) -> dict[str, Any]:
    return {
        "anchor": s.anchor,
        "heading": s.heading(),
        "blocks": [_block(b) for b in s.blocks],
        "subsections": [_section(x) for x in s.subsections],
    }


PAPERS = {"A4": "A4", "letter": "letter"}  # the CSS `size` of each paper of the document model


def stylesheet() -> str:
    """The document's stylesheet, as shipped in bpolang/render/templates/document.css."""
    return files("bpolang.render").joinpath("templates/document.css").read_text(encoding="utf-8")


def write(doc: Document) -> str:
    from markupsafe import Markup

    env = environment()
    # The stylesheet is bpolang's own file, never user text: it goes into <style> as it is. Escaped,
    # its quotes would become `&#34;` (a <style> element does not decode entities) and the rules
    # using a string (fonts, the page counters) would be dropped.
    css = Markup(stylesheet())  # noqa: S704
    from bpolang.i18n import catalog

    msg = catalog(doc.lang)["MESSAGES"]
    return env.get_template("document.html.j2").render(
        lang=doc.lang,
        title=doc.title,
        css=css,
        paper=PAPERS[doc.paper],
        parties_label=msg["aria_parties"],
        signature_label=msg["aria_signature"],
        preamble=[_block(b) for b in doc.preamble],
        articles=[_section(a) for a in doc.articles],
        signature=[_block(b) for b in doc.signature],
        annexes=[_section(a) for a in doc.annexes],
    )
