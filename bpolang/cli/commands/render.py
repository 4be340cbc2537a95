"""`bpo render`: a contract as Markdown, HTML, DOCX or PDF.

Nothing under :mod:`bpolang.render` (babel, jinja2, python-docx, weasyprint) is imported
until this command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--to", "fmt", type=click.Choice(["md", "html", "docx", "pdf"]), required=True, help="Output format.")
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Document language (default: the contract's `language`, else en).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Output file ('-' for stdout). Default: stdout for md/html, FILE with the new suffix for docx/pdf.",
)
@click.option(
    "--consolidated",
    is_flag=True,
    help="For a statement of work: the whole contract it makes with its master, the master's terms "
    "written out, instead of the statement of work referring to the master's articles.",
)
@click.option("--force", is_flag=True, help="Render even if the contract has errors.")
def render(file: str, fmt: str, lang: str | None, output: str | None, consolidated: bool, force: bool) -> None:
    """Render a contract as a document: md, html, docx or pdf.

    A statement of work (a contract `under` a master) is rendered as itself: its own terms, and the
    master's articles it inherits named by number; `--consolidated` writes the master's terms out.
    """
    from bpolang.cli.common import EXIT_ERROR, load_or_refuse, write_output

    result = load_or_refuse(file, force, "render", allow_stdin=False)

    from bpolang.render import render_result
    from bpolang.render.pdf import PdfUnavailable

    try:
        data = render_result(result, fmt, lang, consolidated)
    except PdfUnavailable as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_ERROR)
    if output is None and fmt in ("docx", "pdf"):
        output = str(Path(file).with_suffix("." + fmt))
    write_output(data, output, binary=fmt in ("docx", "pdf"), what=fmt)
