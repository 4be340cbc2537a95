"""What every command shares: exit codes, loading a contract or refusing it, writing an output."""

from __future__ import annotations

import sys

import click

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}


def load_or_refuse(file: str, force: bool, what: str, allow_stdin: bool = True):
    """Load a contract for a command that produces output from it (render, export).

    A file that cannot be read exits 2; a contract with errors exits 1 after listing them,
    unless `force` is given and a model could still be built.
    """
    from bpolang.base.diagnostics import InputError, Severity
    from bpolang.base.fileio import read_stdin
    from bpolang.check.pipeline import load, parse_bytes

    try:
        result = parse_bytes(read_stdin(), "<stdin>") if allow_stdin and file == "-" else load(file)
    except InputError as exc:
        click.echo(f"bpo: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if result.contract is None or (errors and not force):
        for d in errors:
            where = f"{d.span.line}:{d.span.col}" if d.span else "1:1"
            click.echo(f"{d.path or file}:{where}: {d.code} {d.message}", err=True)
        if result.contract is None:
            click.echo(f"bpo: error: the contract could not be read; nothing to {what}", err=True)
        else:
            click.echo(f"bpo: error: {file} has {len(errors)} error(s); fix them or use --force", err=True)
        sys.exit(EXIT_FINDINGS)
    return result


def emit(text: str, output_file: str | None, color: bool | None = None) -> None:
    if output_file is None:
        if text:
            click.echo(text, color=color)
        return
    from bpolang.base.fileio import write_output

    write_output((text + "\n").encode("utf-8"), output_file, announce=False)
