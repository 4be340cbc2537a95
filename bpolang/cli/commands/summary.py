"""`bpo summary`: the key figures of a contract (:mod:`bpolang.render.figures`), or of a portfolio of
contracts, per provider and master agreement (:mod:`bpolang.render.portfolio`)."""

from __future__ import annotations

import datetime as dt
import os
import sys

import click

from bpolang.cli.options import labels_lang, output_file


@click.command("summary", short_help="Key figures: value, run cost, exposure, dates, data.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--output-format",
    type=click.Choice(["table", "md", "json"]),
    default="table",
    show_default=True,
    help="A table for the terminal, Markdown for documents, JSON for tools.",
)
@labels_lang
@output_file
@click.option(
    "--force", is_flag=True, help="Summarise even if the contract has errors (in a portfolio: count it anyway)."
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="A portfolio's deadlines on or after this date (default: today).",
)
def summary(
    paths: tuple[str, ...],
    output_format: str,
    lang: str | None,
    output: str | None,
    force: bool,
    as_of: dt.datetime | None,
) -> None:
    """Key figures: value over the term, run cost, exposure, key dates, data.

    One FILE: the figures of that contract.  A folder, or several files: the portfolio, per provider
    and master agreement (value, exposure, next notice deadlines and ends); a file with errors is
    listed, not counted, and the command exits 1 (2 if a file cannot be read), as `bpo check`.
    """
    from bpolang.cli.common import write_output

    if len(paths) == 1 and (paths[0] == "-" or not os.path.isdir(paths[0])):
        if as_of is not None:
            raise click.UsageError("--as-of is for a portfolio (a folder or several files)")
        from bpolang.cli.common import load_or_refuse
        from bpolang.i18n import language_of
        from bpolang.render.figures import render_summary

        result = load_or_refuse(paths[0], force, "summarise")
        lang = language_of(result.contract, lang)
        write_output(render_summary(result, output_format, lang).encode("utf-8"), output)
        return
    if "-" in paths:
        raise click.UsageError("a portfolio is read from files and folders, not standard input")
    from bpolang.cli.common import load_portfolio
    from bpolang.render.portfolio import render_portfolio

    portfolio, status, _results = load_portfolio(paths, force, as_of.date() if as_of is not None else dt.date.today())
    langs = {e.language for e in portfolio.entries}
    lang = lang or (langs.pop() if len(langs) == 1 else None) or "en"
    write_output(render_portfolio(portfolio, output_format, lang).encode("utf-8"), output)
    sys.exit(status)
