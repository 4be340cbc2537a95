"""`bpo check`: check contracts and print the findings in the format asked."""

from __future__ import annotations

import os
import sys

import click

from bpolang.cli.common import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, SEVERITY_RANK, emit


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--output-format",
    type=click.Choice(["full", "concise", "json", "sarif", "github", "gitlab", "junit"]),
    default="full",
    show_default=True,
    help="How to print the findings.",
)
@click.option(
    "--output-file",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the findings to this file instead of standard output.",
)
@click.option("--color/--no-color", default=None, help="Colour the output (default: when printing to a terminal).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="The lowest severity that makes the command exit 1.",
)
@click.option("--fix", is_flag=True, help="Apply the safe fixes, then check again.")
@click.option(
    "--unsafe-fixes", is_flag=True, help="With --fix, also apply the fixes that change the contract's meaning."
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Use this configuration file (bpolang.toml or pyproject.toml) for every file.",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option(
    "--select",
    "select",
    default=None,
    help="Comma-separated rules to run (codes, names, areas, ALL), replacing the configuration's selection (its ignore list still applies).",
)
@click.option(
    "--ignore", "ignore", default=None, help="Comma-separated rules not to run, added to the configuration's."
)
@click.option(
    "--no-cache", is_flag=True, help="Check every file again instead of reusing the results of an unchanged one."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for many files (default: one per CPU core).",
)
def check(
    paths: tuple[str, ...],
    output_format: str,
    output_file: str | None,
    color: bool | None,
    exit_zero: bool,
    fail_on: str,
    fix: bool,
    unsafe_fixes: bool,
    config_path: str | None,
    isolated: bool,
    select: str | None,
    ignore: str | None,
    no_cache: bool,
    jobs: int | None,
) -> None:
    """Check contracts: files, and folders searched for *.bpo files."""
    from bpolang.base.discovery import collect_files
    from bpolang.base.errors import ConfigError, InputError
    from bpolang.check.driver import findings, fix_file
    from bpolang.check.outputs.text import summary_line
    from bpolang.check.runner import Checker, RuleOptions

    if color is None:
        color = output_file is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    options = RuleOptions(config_path, isolated, _tuple(select), _tuple(ignore))
    checked: list = []
    input_errors = 0
    fixed = 0
    files = collect_files(paths)
    try:
        if any(str(f) == "-" for f in files):
            # standard input is checked, never cached and never rewritten (with --fix neither)
            from bpolang.base.fileio import read_stdin
            from bpolang.check.pipeline import parse_bytes

            result = parse_bytes(read_stdin(), "<stdin>")
            checked.append((result, findings(result, options.resolver().for_path(None))))
            files = [f for f in files if str(f) != "-"]
        if fix:
            from bpolang.check.pipeline import load

            configs = options.resolver()
            for f in files:
                try:
                    cfg = configs.for_path(f)
                    outcome = fix_file(f, load(f), cfg, unsafe_fixes)
                    if outcome.write_error:
                        click.echo(f"bpo: error: {outcome.write_error}", err=True)
                        input_errors += 1  # a fix that cannot be written is an I/O error: exit 2
                    fixed += outcome.applied
                    checked.append((outcome.result, outcome.diagnostics))
                except InputError as exc:
                    click.echo(f"bpo: error: {exc}", err=True)
                    input_errors += 1
        else:
            progress = sys.stderr.isatty() and not os.environ.get("CI")
            run = Checker(options, use_cache=not no_cache, jobs=jobs).run(files, progress=progress)
            for message in run.input_errors:
                click.echo(f"bpo: error: {message}", err=True)
            input_errors += len(run.input_errors)
            checked.extend((c, c.diagnostics) for c in run.checked)
    except ConfigError as exc:
        click.echo(f"bpo: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    if not checked and not input_errors:
        click.echo("bpo: error: no .bpo files found in " + ", ".join(paths), err=True)
        sys.exit(EXIT_ERROR)
    counts = {"error": 0, "warning": 0, "info": 0}
    for _r, diags in checked:
        for d in diags:
            counts[d.severity.value] += 1
    if output_format in ("full", "concise"):
        from bpolang.check.outputs.text import render_concise, render_full

        lines = []
        for r, diags in checked:
            for d in diags:
                if output_format == "full":
                    lines.append(render_full(d, r.source, color=color) + "\n")
                else:
                    lines.append(render_concise(d, r.source))
        text = "\n".join(lines)
        summary = summary_line(counts)
        if output_format == "full" and not (input_errors and not any(counts.values())):
            text = (text + "\n" if text else "") + summary
        emit(text, output_file, color=color)
        if output_format == "concise" and any(counts.values()):
            click.echo(summary, err=True)
    else:
        from bpolang.check.outputs import renderer

        emit(renderer(output_format)(checked), output_file)
    if fixed:
        click.echo(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.", err=True)
    if input_errors:
        sys.exit(EXIT_ERROR)
    threshold = SEVERITY_RANK[fail_on]
    failing = sum(n for sev, n in counts.items() if SEVERITY_RANK[sev] >= threshold)
    if failing and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


def _split(value: str | None) -> list[str] | None:
    return None if value is None else [v.strip() for v in value.split(",") if v.strip()]


def _tuple(value: str | None) -> tuple[str, ...] | None:
    items = _split(value)
    return None if items is None else tuple(items)
