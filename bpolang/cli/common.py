"""What every command shares: exit codes, loading a contract or refusing it, writing an output."""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}


def load_or_refuse(file: str, force: bool, what: str, allow_stdin: bool = True):
    """Load a contract for a command that produces output from it (render, export).

    A file that cannot be read exits 2; a contract with errors exits 1 after listing them,
    unless `force` is given and a model could still be built.
    """
    from bpolang.base.diagnostics import InputError, Severity
    from bpolang.check.pipeline import load, parse_bytes

    try:
        result = parse_bytes(sys.stdin.buffer.read(), "<stdin>") if allow_stdin and file == "-" else load(file)
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
    write_output((text + "\n").encode("utf-8"), output_file, announce=False)


def write_output(
    data: bytes, output: str | None, binary: bool = False, what: str = "output", announce: bool = True
) -> None:
    """Standard output for None or '-' (never binary data to a terminal), else a file replaced atomically.

    Errors are one line and exit 2; `announce` says `wrote PATH` on standard error.
    """
    from bpolang.base.fileio import WriteRefused, atomic_write

    if output is None or output == "-":
        if binary and sys.stdout.isatty():
            click.echo(f"bpo: error: refusing to write {what} to a terminal; use -o", err=True)
            sys.exit(EXIT_ERROR)
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        atomic_write(Path(output), data)
    except (OSError, WriteRefused) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        click.echo(f"bpo: error: cannot write {output}: {reason}", err=True)
        sys.exit(EXIT_ERROR)
    if announce:
        click.echo(f"wrote {output}", err=True)
