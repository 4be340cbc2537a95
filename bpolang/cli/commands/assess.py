"""`bpo assess` and `bpo test`: a contract run on a period's measurements, and its agreed scenarios."""

from __future__ import annotations

import sys

import click


@click.command("assess", short_help="A period's credits, penalties and invoice, from measurements.")
@click.argument("contract", type=click.Path(dir_okay=False))
@click.argument("measurements", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--period", help="Report this period only (YYYY-MM); earlier files still count as history.")
@click.option(
    "--history",
    type=click.Path(file_okay=False),
    help="A folder of earlier periods' measurements: assessed first (rolling triggers, annual caps, earn-back), "
    "not reported.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown", "html", "docx"]),
    default="table",
    show_default=True,
)
@click.option("--lang", type=click.Choice(["fr", "en"]), help="The statement's language (default: the contract's).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Write here instead of standard output."
)
@click.option("--force", is_flag=True, help="Assess even if the contract has errors.")
def assess(
    contract: str,
    measurements: tuple[str, ...],
    period: str | None,
    history: str | None,
    fmt: str,
    lang: str | None,
    output: str | None,
    force: bool,
) -> None:
    """Assess CONTRACT on MEASUREMENTS (one file per month, YAML, JSON or CSV): attainment of each
    service level, service credits after caps and earn-back, penalties, and the period's invoice,
    each amount with its arithmetic, as a table, JSON, or a statement in Markdown, HTML or DOCX
    (French or English).  With --history DIR, the files of DIR are earlier periods, assessed first
    and not reported.  Exit 0 when assessed, 1 when a file does not fit the
    contract, 2 when a file cannot be read."""
    from bpolang.assess import statement
    from bpolang.assess.measurements import PERIOD, MeasurementsError
    from bpolang.assess.scenarios import run_files
    from bpolang.cli.common import EXIT_ERROR, EXIT_FINDINGS, emit, load_or_refuse, write_output
    from bpolang.i18n import language_of

    if period is not None and not PERIOD.match(period):
        click.echo(f"bpo: error: --period {period}: a period is a month written YYYY-MM", err=True)
        sys.exit(EXIT_ERROR)
    result = load_or_refuse(contract, force, "assess", allow_stdin=False)
    try:
        periods, found = run_files(result, list(measurements), history)
    except MeasurementsError as exc:
        click.echo(f"bpo: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    if found:
        for problem in found:
            click.echo(f"{problem}", err=True)
        click.echo(
            f"bpo: error: {len(found)} measurement{'s' if len(found) != 1 else ''} do not fit {contract}", err=True
        )
        sys.exit(EXIT_FINDINGS)
    if period is not None:
        periods = [p for p in periods if p.period == period]
        if not periods:
            click.echo(f"bpo: error: no measurements for period {period}", err=True)
            sys.exit(EXIT_ERROR)
    language = language_of(result.contract, lang)
    if fmt in statement.FORMATS:
        data = statement.write(result, periods, fmt, language)
        write_output(data, output, binary=fmt == "docx", what="a DOCX statement", announce=output not in (None, "-"))
        return
    text = statement.to_json(periods) if fmt == "json" else statement.table(result, periods, language)
    emit(text.rstrip("\n"), output)


@click.command("test", short_help="Run a contract's scenarios: measurements and the outcome agreed.")
@click.argument("contract", type=click.Path(dir_okay=False))
@click.option(
    "--scenarios",
    type=click.Path(dir_okay=False),
    help="The scenarios file (default: CONTRACT's stem + .scenarios.yaml).",
)
@click.option("--force", is_flag=True, help="Run even if the contract has errors.")
def test_cmd(contract: str, scenarios: str | None, force: bool) -> None:
    """Run the scenarios of CONTRACT (`x.scenarios.yaml` next to `x.bpo`): each assesses its
    measurements and compares the totals, the levels met and the rights opened with those
    expected.  Exit 0 when all pass, 1 when one fails, 2 when the scenarios cannot be read."""
    from bpolang.assess.measurements import MeasurementsError
    from bpolang.assess.scenarios import run, scenarios_path
    from bpolang.cli.common import EXIT_ERROR, EXIT_FINDINGS, load_or_refuse

    path = scenarios or scenarios_path(contract)
    result = load_or_refuse(contract, force, "test", allow_stdin=False)
    try:
        outcomes = run(result, path)
    except MeasurementsError as exc:
        click.echo(f"bpo: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    failed = 0
    for o in outcomes:
        click.echo(f"{'PASS' if o.passed else 'FAIL'} {o.name}")
        for d in o.differences:
            click.echo(f"    {d}")
        failed += not o.passed
    click.echo(f"{len(outcomes) - failed} passed, {failed} failed")
    if failed:
        sys.exit(EXIT_FINDINGS)
