"""`bpo summary`: the key figures of a contract (:mod:`bpolang.render.figures`)."""

from __future__ import annotations

import click

from bpolang.cli.options import labels_lang, output_file


@click.command("summary", short_help="Key figures: value, run cost, exposure, dates, data.")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--output-format",
    type=click.Choice(["table", "md", "json"]),
    default="table",
    show_default=True,
    help="A table for the terminal, Markdown for documents, JSON for tools.",
)
@labels_lang
@output_file
@click.option("--force", is_flag=True, help="Summarise even if the contract has errors.")
def summary(file: str, output_format: str, lang: str | None, output: str | None, force: bool) -> None:
    """Key figures: value over the term, run cost, exposure, key dates, data."""
    from bpolang.cli.common import load_or_refuse, write_output
    from bpolang.i18n import language_of
    from bpolang.render.figures import render_summary

    result = load_or_refuse(file, force, "summarise")
    lang = language_of(result.contract, lang)
    write_output(render_summary(result, output_format, lang).encode("utf-8"), output)
