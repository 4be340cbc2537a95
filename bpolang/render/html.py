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


def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("bpolang.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _block(b: Any) -> dict[str, Any]:
    if isinstance(b, Para):
        return {"kind": "para", "style": b.style, "runs": [asdict(r) for r in b.runs]}
    if isinstance(b, Bullets):
        return {"kind": "bullets", "entries": [[asdict(r) for r in item] for item in b.items]}
    if isinstance(b, Table):
        return {"kind": "table", "headers": b.headers, "rows": b.rows, "caption": b.caption, "numeric": list(b.numeric)}
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


def write(doc: Document) -> str:
    env = environment()
    css = files("bpolang.render").joinpath("templates/document.css").read_text(encoding="utf-8")
    from bpolang.i18n import catalog

    msg = catalog(doc.lang)["MESSAGES"]
    return env.get_template("document.html.j2").render(
        lang=doc.lang,
        title=doc.title,
        css=css,
        parties_label=msg["aria_parties"],
        signature_label=msg["aria_signature"],
        preamble=[_block(b) for b in doc.preamble],
        articles=[_section(a) for a in doc.articles],
        signature=[_block(b) for b in doc.signature],
        annexes=[_section(a) for a in doc.annexes],
    )
