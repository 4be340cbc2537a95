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
    from bpolang.render.portfolio import render_portfolio

    portfolio, status = _portfolio(paths, force, as_of.date() if as_of is not None else dt.date.today())
    langs = {e.language for e in portfolio.entries}
    lang = lang or (langs.pop() if len(langs) == 1 else None) or "en"
    write_output(render_portfolio(portfolio, output_format, lang).encode("utf-8"), output)
    sys.exit(status)


def _portfolio(paths: tuple[str, ...], force: bool, as_of: dt.date):
    """Load and check every file; the portfolio and the exit status (as `bpo check`).

    A file with errors is not counted (unless ``force``), as `bpo summary FILE` refuses it; the exit
    status follows each file's `fail-on`, as `bpo check`'s does."""
    from bpolang.base.diagnostics import Severity
    from bpolang.base.errors import ConfigError, InputError
    from bpolang.check.configfile import fail_on_setting
    from bpolang.check.driver import findings
    from bpolang.check.outputs.text import render_concise
    from bpolang.check.pipeline import load
    from bpolang.check.runner import RuleOptions
    from bpolang.cli.common import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, FAIL_RANK, SEVERITY_RANK, collect
    from bpolang.obligations.portfolio import Skipped, assemble, entry

    options = RuleOptions()
    entries, skipped = [], []
    status = EXIT_CLEAN
    try:
        files = collect(paths, options.config_file, False)
        if not files:
            click.echo("bpo: error: no .bpo files found in " + ", ".join(paths), err=True)
            sys.exit(EXIT_ERROR)
        resolver = options.resolver()
        for f in files:
            path = str(f)
            try:
                result = load(path)
            except InputError as exc:
                skipped.append(Skipped(path, "unreadable", first=str(exc)))
                status = EXIT_ERROR
                continue
            found = result.diagnostics
            if result.contract is not None and not result.contract.is_schedule:
                found = findings(result, resolver.for_path(path))
            errors = [d for d in found if d.severity is Severity.ERROR]
            # the exit code as `bpo check` gives it: the configuration's `fail-on` (else error)
            threshold = FAIL_RANK[fail_on_setting(options.config_file(path)) or "error"]
            if any(SEVERITY_RANK[d.severity.value] >= threshold for d in found):
                status = max(status, EXIT_FINDINGS)
            if result.contract is None or (errors and not force):
                first = render_concise(errors[0], result.source) if errors else None
                skipped.append(Skipped(path, "errors", len(errors), first))
            elif result.contract.is_schedule:
                skipped.append(Skipped(path, "schedule"))
            else:
                entries.append(entry(path, result, as_of, len(errors)))
    except ConfigError as exc:
        click.echo(f"bpo: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    return assemble(entries, skipped, as_of), status
