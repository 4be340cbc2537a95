"""`bpo calendar`: every dated obligation of a contract as iCalendar or CSV (:mod:`bpolang.obligations.export`)."""

from __future__ import annotations

import click

from bpolang.cli.options import labels_lang, output_file


@click.command("calendar")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--to", "fmt", type=click.Choice(["ics", "csv"]), required=True, help="iCalendar or CSV.")
@labels_lang
@output_file
@click.option("--force", is_flag=True, help="Export even if the contract has errors.")
def calendar(file: str, fmt: str, lang: str | None, output: str | None, force: bool) -> None:
    """Export every dated obligation over the term: ics or csv."""
    from bpolang.cli.common import load_or_refuse, write_output
    from bpolang.i18n import language_of
    from bpolang.obligations.export import export, note_undated

    result = load_or_refuse(file, force, "export")
    lang = language_of(result.contract, lang)
    data, undated = export(result, fmt, lang)
    if undated:
        click.echo(note_undated(lang, undated), err=True)
    write_output(data, output)
