"""`bpo fmt`: rewrite contracts in the canonical layout, safely.

Exit codes: 0 nothing to do or all written; 1 with --check when a file would
change, or when a file has syntax errors (left untouched); 2 usage or I/O
error; 123 when the formatter's own output fails the safety check (a bug:
nothing is written).
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from bpolang.cli.options import force_exclude, stdin_filename

EXIT_UNSAFE = 123


@click.command("fmt", short_help="Format contracts in the canonical style.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if a file would change, listing it.")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print a unified diff of the changes.")
@click.option(
    "--line-length",
    type=click.IntRange(40, 200),
    default=None,
    help="Maximum line width (default 100, or line-length in the configuration).",
)
@click.option("--fast", is_flag=True, help="Skip the safety check (re-parse and compare); not recommended.")
@stdin_filename
@force_exclude
def fmt(
    paths: tuple[str, ...],
    check_only: bool,
    show_diff: bool,
    line_length: int | None,
    fast: bool,
    stdin_filename: str | None,
    force_exclude: bool,
) -> None:
    """Format contracts in the canonical style (files, folders, or - for stdin; honouring .gitignore and `exclude`)."""
    from bpolang.base.errors import ConfigError
    from bpolang.check.configfile import find_config_file
    from bpolang.cli.common import EXIT_ERROR, collect

    if paths == ("-",):
        sys.exit(_format_stdin(line_length, fast, check_only, show_diff, stdin_filename))
    changed: list[Path] = []
    failures = 0
    errors = 0
    try:
        files = collect(paths, lambda p: find_config_file(Path(p)), force_exclude)
    except ConfigError as exc:
        click.echo(f"bpo: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    if not files:
        click.echo("bpo: error: no .bpo files found in " + ", ".join(paths), err=True)
        sys.exit(EXIT_ERROR)
    for f in files:
        status = _format_file(f, _width(f, line_length), fast, check_only, show_diff)
        if status == "changed":
            changed.append(f)
        elif status == "syntax":
            failures += 1
        elif status == "unsafe":
            sys.exit(EXIT_UNSAFE)
        elif status == "error":
            errors += 1
    if check_only:
        for f in changed:
            click.echo(f"would reformat {f}")
    n = len(files)
    verb = "would be reformatted" if check_only or show_diff else "reformatted"
    unchanged = n - len(changed) - failures - errors
    summary = f"{len(changed)} file{'s' if len(changed) != 1 else ''} {verb}, {unchanged} file{'s' if unchanged != 1 else ''} left unchanged"
    if failures:
        summary += f", {failures} file{'s' if failures != 1 else ''} with syntax errors left untouched"
    click.echo(summary, err=True)
    if errors:
        sys.exit(EXIT_ERROR)
    if failures or (check_only and changed):
        sys.exit(1)
    sys.exit(0)


def _width(path: Path | None, explicit: int | None) -> int:
    """The line width for a file; a configuration that cannot be read ends the command (exit 2)."""
    from bpolang.base.errors import ConfigError
    from bpolang.cli.common import Refusal
    from bpolang.format.layout import line_length_for

    try:
        return line_length_for(path, explicit)
    except ConfigError as exc:
        raise Refusal(str(exc)) from None


def _report_syntax(exc, text: str, path: str) -> None:
    from bpolang.check.outputs.text import render_full
    from bpolang.check.pipeline import parse

    result = parse(text, path)
    for d in result.diagnostics:
        if d.code.startswith("BPO00"):
            click.echo(render_full(d, result.source), err=True)
            click.echo("", err=True)
    click.echo(f"bpo: {path}: not formatted: fix the syntax errors first", err=True)


# how many times a file rewritten by another program meanwhile is read and formatted again
_ATTEMPTS = 5


def _format_file(path: Path, width: int, fast: bool, check_only: bool, show_diff: bool) -> str:
    """Format one file; one that changes between the read and the write is formatted again."""
    from bpolang.base.fileio import ChangedSinceRead

    for _ in range(_ATTEMPTS - 1):
        try:
            return _format_once(path, width, fast, check_only, show_diff)
        except ChangedSinceRead:
            continue
    try:
        return _format_once(path, width, fast, check_only, show_diff)
    except ChangedSinceRead as exc:
        click.echo(f"bpo: error: {exc} (it keeps changing)", err=True)
        return "error"


def _format_once(path: Path, width: int, fast: bool, check_only: bool, show_diff: bool) -> str:
    from bpolang.base.diagnostics import InputError
    from bpolang.base.fileio import ChangedSinceRead, WriteRefused, atomic_write, read_input
    from bpolang.base.source import MAX_FILE_BYTES
    from bpolang.format.formatter import FormatError, UnsafeFormat
    from bpolang.format.layout import format_source

    try:
        data, size, stamp = read_input(path)
        if data is None:
            mib = MAX_FILE_BYTES // 1048576
            raise InputError(f"{path}: the file is {size / 1048576:.1f} MiB; the limit is {mib} MiB")
        text = data.decode("utf-8")
    except InputError as exc:
        click.echo(f"bpo: error: {exc}", err=True)
        return "error"
    except UnicodeDecodeError as exc:
        click.echo(f"bpo: error: {path}: not UTF-8 text (byte offset {exc.start})", err=True)
        return "error"
    except OSError as exc:
        from bpolang.base.errors import unreadable

        click.echo(f"bpo: error: {unreadable(path, exc)}", err=True)
        return "error"
    try:
        out = format_source(text, width, fast)
    except FormatError as exc:
        _report_syntax(exc, text, str(path))
        return "syntax"
    except UnsafeFormat as exc:
        click.echo(f"bpo: internal error: {path}: {exc}; the file was not changed. Please report this.", err=True)
        return "unsafe"
    if out == text:
        return "unchanged"
    if show_diff:
        click.echo(_diff(text, out, str(path)), nl=False)
    if check_only or show_diff:
        return "changed"
    try:
        atomic_write(path, out.encode("utf-8"), expect=stamp)
    except ChangedSinceRead:
        raise
    except (WriteRefused, OSError) as exc:
        click.echo(f"bpo: error: {exc}", err=True)
        return "error"
    return "changed"


def _format_stdin(width: int | None, fast: bool, check_only: bool, show_diff: bool, name: str | None) -> int:
    from bpolang.base.fileio import read_stdin
    from bpolang.base.source import MAX_FILE_BYTES
    from bpolang.format.formatter import FormatError, UnsafeFormat
    from bpolang.format.layout import format_source

    shown = name or "<stdin>"
    data = read_stdin()
    if len(data) > MAX_FILE_BYTES:
        click.echo(f"bpo: error: {shown}: more than the limit of {MAX_FILE_BYTES // 1048576} MiB", err=True)
        return 2
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        click.echo(f"bpo: error: {shown}: not UTF-8 text (byte offset {exc.start})", err=True)
        return 2
    try:
        out = format_source(text, _width(Path(name) if name else None, width), fast)
    except FormatError as exc:
        _report_syntax(exc, text, shown)
        return 1
    except UnsafeFormat as exc:
        click.echo(f"bpo: internal error: {shown}: {exc}. Please report this.", err=True)
        return EXIT_UNSAFE
    if check_only:
        return 1 if out != text else 0
    if show_diff:
        click.echo(_diff(text, out, shown), nl=False)
        return 0
    sys.stdout.buffer.write(out.encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


def _diff(before: str, after: str, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            f"{name} (original)",
            f"{name} (formatted)",
        )
    )
