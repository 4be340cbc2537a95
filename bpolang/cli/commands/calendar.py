"""`bpo calendar`: every dated obligation of a contract as iCalendar or CSV (:mod:`bpolang.obligations.export`),
or of every contract of a folder, each master with the statements of work under it."""

from __future__ import annotations

import os
import sys

import click

from bpolang.cli.options import labels_lang, output_file


@click.command("calendar")
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--to", "fmt", type=click.Choice(["ics", "csv"]), required=True, help="iCalendar or CSV.")
@click.option(
    "--sows",
    is_flag=True,
    help="For a master agreement: with the statements of work under it found in its folder.",
)
@labels_lang
@output_file
@click.option("--force", is_flag=True, help="Export even if the contract has errors.")
def calendar(file: str, fmt: str, sows: bool, lang: str | None, output: str | None, force: bool) -> None:
    """Export every dated obligation over the term: ics or csv.

    FILE is a contract, or a folder: the calendar of every contract in it, each obligation
    labelled with its contract, a master's before those of the statements of work under it.
    """
    from bpolang.cli.common import load_or_refuse, write_output
    from bpolang.i18n import language_of
    from bpolang.obligations.export import export, note_undated

    if os.path.isdir(file) or sows:
        _many(file, fmt, sows, lang, output, force)
        return
    result = load_or_refuse(file, force, "export")
    lang = language_of(result.contract, lang)
    data, undated = export(result, fmt, lang)
    if undated:
        click.echo(note_undated(lang, undated), err=True)
    write_output(data, output)


def _many(file: str, fmt: str, sows: bool, lang: str | None, output: str | None, force: bool) -> None:
    """The calendar of a folder, or of a master with its statements of work (``sows``)."""

    from bpolang.cli.common import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, load_or_refuse, write_output
    from bpolang.i18n import catalog
    from bpolang.obligations.export import export_many, note_undated

    if file == "-":
        raise click.UsageError("a folder's calendar is read from files, not standard input")
    if sows and os.path.isdir(file):
        raise click.UsageError("--sows is for a master agreement's file: a folder's calendar has them all")
    master = load_or_refuse(file, force, "export") if sows else None
    if master is not None and isinstance(master.contract.under, str):
        raise click.UsageError(
            f"--sows is for a master agreement: {file} is a statement of work under {master.contract.under}"
        )
    folder = os.path.dirname(file) or "." if sows else file
    portfolio, _status, results = _load(folder, force)
    chosen: list[str] = []
    for group in (g for p in portfolio.providers for g in p.groups):
        if master is not None and (group.master is None or not os.path.samefile(group.master, file)):
            continue
        if group.master_entry is not None:
            chosen.append(group.master_entry.path)
        chosen += [e.path for e in group.entries]
    if master is not None and os.path.realpath(file) not in {os.path.realpath(p) for p in chosen}:
        chosen.insert(0, next((p for p in results if os.path.samefile(p, file)), file))
        results.setdefault(chosen[0], master)
    contracts = [(os.path.relpath(p, folder), results[p]) for p in dict.fromkeys(chosen) if p in results]
    langs = {r.contract.language for _p, r in contracts if r.contract.language}
    lang = lang or (langs.pop() if len(langs) == 1 else None) or "en"
    if master is not None:
        name = master.contract.title or master.contract.id or file
    else:
        name = catalog(lang)["CALENDAR"]["calname_folder"].format(folder=os.path.basename(os.path.abspath(folder)))
    data, undated = export_many(contracts, fmt, lang, name)
    if undated:
        click.echo(note_undated(lang, undated), err=True)
    status = EXIT_CLEAN
    for s in portfolio.skipped:
        if s.reason == "schedule":
            continue
        click.echo(f"bpo: {s.path} is not in the calendar: {s.first or s.reason}", err=True)
        status = max(status, EXIT_ERROR if s.reason == "unreadable" else EXIT_FINDINGS)
    write_output(data, output)
    sys.exit(status)


def _load(folder: str, force: bool):
    import datetime as dt

    from bpolang.cli.common import load_portfolio

    return load_portfolio((folder,), force, dt.date.today())
