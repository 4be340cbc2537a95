"""`bpo check`: check contracts and print the findings in the format asked."""

from __future__ import annotations

import os
import sys

import click

from bpolang.cli.common import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, FAIL_RANK, SEVERITY_RANK, collect, emit
from bpolang.cli.options import force_exclude, stdin_filename


@click.command("check", short_help="Check contracts for incoherent or unlawful terms.")
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
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour the output (default: on a terminal; FORCE_COLOR forces it, NO_COLOR turns it off).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default=None,
    help="The lowest severity that makes the command exit 1, or `never` (default: the configuration's "
    "`fail-on`, else error).",
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
@stdin_filename
@force_exclude
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
    stdin_filename: str | None,
    force_exclude: bool,
    jobs: int | None,
) -> None:
    """Check contracts: files, and folders searched for *.bpo files (honouring .gitignore and `exclude`)."""
    from bpolang.base.errors import ConfigError, InputError
    from bpolang.check.configfile import fail_on_setting
    from bpolang.check.driver import findings, fix_file
    from bpolang.check.outputs.text import fixable_line, summary_line
    from bpolang.check.runner import Checker, RuleOptions

    color = use_color(color, output_file)
    options = RuleOptions(config_path, isolated, _tuple(select), _tuple(ignore))
    checked: list = []
    input_errors = 0
    fixed = 0
    stdin_name = stdin_filename or "<stdin>"
    try:
        files = collect(paths, options.config_file, force_exclude)
        if any(str(f) == "-" for f in files):
            # standard input is checked, never cached and never rewritten (with --fix neither)
            from bpolang.base.fileio import read_stdin
            from bpolang.check.pipeline import parse_bytes

            result = parse_bytes(read_stdin(), stdin_name)
            config = options.resolver().for_path(stdin_filename)
            checked.append((result, findings(result, config)))
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
            progress = _progress_bar if sys.stderr.isatty() and not os.environ.get("CI") else None
            run = Checker(options, use_cache=not no_cache, jobs=jobs).run(files, progress=progress)
            for message in run.input_errors:
                click.echo(f"bpo: error: {message}", err=True)
            input_errors += len(run.input_errors)
            checked.extend((c, c.diagnostics) for c in run.checked)
        settings: dict = {}  # fail-on by configuration file, each read once

        def threshold(result) -> int:
            if fail_on:
                return FAIL_RANK[fail_on]
            config = options.config_file(_path_of(result, stdin_filename))
            if config not in settings:
                settings[config] = fail_on_setting(config)
            return FAIL_RANK[settings[config] or "error"]

        thresholds = [threshold(r) for r, _diags in checked]
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
        others: dict[str, object] = {}  # the files findings point into besides the one checked
        for r, diags in checked:
            for d in diags:
                source = r.source if d.path in (None, r.source.path) else _source_at(d.path, others)
                if output_format == "full":
                    lines.append(render_full(d, source, color=color) + "\n")
                else:
                    lines.append(render_concise(d, source))
        text = "\n".join(lines)
        # the summary follows the findings, on the same stream, in both text formats (as ruff's)
        if not (input_errors and not any(counts.values())):
            sep = "\n" if output_format == "full" else ""
            text = (text + "\n" + sep if text else "") + summary_line(counts)
            fixable = fixable_line(d for _r, diags in checked for d in diags)
            if fixable:
                text += "\n" + fixable
        emit(text, output_file, color=color)
    else:
        from bpolang.check.outputs import renderer

        emit(renderer(output_format)(checked), output_file)
    if fixed:
        click.echo(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.", err=True)
    if input_errors:
        sys.exit(EXIT_ERROR)
    failing = sum(
        1
        for (_r, diags), threshold in zip(checked, thresholds)
        for d in diags
        if SEVERITY_RANK[d.severity.value] >= threshold
    )
    if failing and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


def _source_at(path: str, others: dict):
    """The text of a file a finding of a composed contract points into (its master, a schedule)."""
    from bpolang.check.pipeline import source_at

    if path not in others:
        others[path] = source_at(path)
    return others[path]


def use_color(flag: bool | None, output_file: str | None) -> bool:
    """--color/--no-color, else FORCE_COLOR, else NO_COLOR, else whether stdout is a terminal."""
    if flag is not None:
        return flag
    if os.environ.get("FORCE_COLOR"):
        return True
    return output_file is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _path_of(result, stdin_filename: str | None) -> str | None:
    """The path whose configuration applies to a checked result (a cached one or a parse)."""
    path = getattr(result, "path", None) or result.source.path
    return stdin_filename if path in (None, "<stdin>", stdin_filename) else path


def _split(value: str | None) -> list[str] | None:
    return None if value is None else [v.strip() for v in value.split(",") if v.strip()]


def _tuple(value: str | None) -> tuple[str, ...] | None:
    items = _split(value)
    return None if items is None else tuple(items)


def _progress_bar(total: int):
    return click.progressbar(length=total, label="Checking", file=sys.stderr, show_eta=True)
