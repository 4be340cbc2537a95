"""What every command shares: exit codes, loading a contract or refusing it, writing an output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
# `fail-on` thresholds: a severity, or `never` (every finding reported, none fails the run: a
# folder of reference contracts whose findings are documented, such as examples/real)
FAIL_RANK = {**SEVERITY_RANK, "never": 4}


class Refusal(click.ClickException):
    """A ClickException that exits 2 (EXIT_ERROR), not 1: the command could not run at all."""

    exit_code = EXIT_ERROR


def load_or_refuse(file: str, force: bool, what: str, allow_stdin: bool = True):
    """Load a contract for a command that produces output from it (render, calendar, summary, export, diff).

    "Errors" are what `bpo check` reports at error severity with the configuration that applies to
    the file: the language's diagnostics and the rules' findings, after suppressions. A file that
    cannot be read, or a configuration that cannot, exits 2; a contract with errors exits 1 after
    listing them (one line each, as `bpo check --output-format concise`), unless `force` is given
    and a model could still be built.
    """
    from bpolang.base.diagnostics import Severity
    from bpolang.base.errors import ConfigError, InputError
    from bpolang.base.fileio import read_stdin
    from bpolang.check.config import ConfigResolver
    from bpolang.check.driver import findings
    from bpolang.check.outputs.text import render_concise
    from bpolang.check.pipeline import load, parse_bytes

    try:
        result = parse_bytes(read_stdin(), "<stdin>") if allow_stdin and file == "-" else load(file)
        found = result.diagnostics
        if result.contract is not None:
            found = findings(result, ConfigResolver().for_path(None if file == "-" else file))
    except (InputError, ConfigError) as exc:
        click.echo(f"bpo: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    errors = [d for d in found if d.severity is Severity.ERROR]
    if result.contract is None or (errors and not force):
        for d in errors:
            click.echo(render_concise(d, result.source), err=True)
        if result.contract is None:
            click.echo(f"bpo: error: the contract could not be read; nothing to {what}", err=True)
        else:
            n = len(errors)
            click.echo(
                f"bpo: error: {file} has {n} error{'s' if n != 1 else ''} (see `bpo check {file}`); "
                "fix them or use --force",
                err=True,
            )
        sys.exit(EXIT_FINDINGS)
    return result


def collect(paths: tuple[str, ...], config_file_of, force_exclude: bool) -> list:
    """The files a command works on (bpolang.base.discovery), with each folder's configuration.

    ``config_file_of(path)`` names the configuration file that applies; raises ConfigError. When
    every file named is excluded (pre-commit naming excluded files under force-exclude), there is
    nothing to do: exit 0, as ruff and black do.
    """
    import os
    from dataclasses import replace

    from bpolang.base.discovery import collect_files
    from bpolang.check.configfile import discovery_settings

    def discovery(path):
        found = discovery_settings(config_file_of(path))
        return replace(found, force_exclude=True) if force_exclude else found

    files = collect_files(paths, discovery)
    if not files and all(p != "-" and os.path.isfile(p) for p in paths):
        click.echo("bpo: every file named is excluded by the configuration (force-exclude)", err=True)
        sys.exit(EXIT_CLEAN)
    return files


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

    Errors are one line and exit 2; `announce` says `wrote PATH` on standard error.  An output
    that is one of the command's inputs (the same file, a link to it) is refused before writing.
    """
    import os
    import stat

    from bpolang.base.fileio import WriteRefused, atomic_write, check_output, os_reason, write_stream

    if output is None or output == "-":
        if binary and sys.stdout.isatty():
            click.echo(f"bpo: error: refusing to write {what} to a terminal; use -o", err=True)
            sys.exit(EXIT_ERROR)
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    refused = check_output(output)
    if refused:
        click.echo(f"bpo: error: not writing {output}: {refused}", err=True)
        sys.exit(EXIT_ERROR)
    try:
        st = os.stat(output)
    except OSError:
        st = None
    try:
        if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
            write_stream(output, data)
        else:
            atomic_write(Path(output), data)
    except (OSError, WriteRefused) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        click.echo(f"bpo: error: cannot write {output}: {reason}", err=True)
        sys.exit(EXIT_ERROR)
    if announce:
        click.echo(f"wrote {output}", err=True)


def load_portfolio(paths: tuple[str, ...], force: bool, as_of: Any) -> tuple[Any, int, dict[str, Any]]:
    """Load and check every file of a folder or a list of files (`bpo summary FOLDER`, `bpo calendar
    FOLDER`); the portfolio, the exit status (as `bpo check`) and the loaded contracts it counts, by path.

    A file with errors is not counted (unless ``force``), as `bpo summary FILE` refuses it; the exit
    status follows each file's `fail-on`, as `bpo check`'s does."""
    from bpolang.base.diagnostics import Severity
    from bpolang.base.errors import ConfigError, InputError
    from bpolang.check.configfile import fail_on_setting
    from bpolang.check.driver import findings
    from bpolang.check.outputs.text import render_concise
    from bpolang.check.pipeline import load
    from bpolang.check.runner import RuleOptions
    from bpolang.obligations.portfolio import Skipped, assemble, entry

    options = RuleOptions()
    entries, skipped = [], []
    results: dict[str, Any] = {}
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
                results[path] = result
    except ConfigError as exc:
        click.echo(f"bpo: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    return assemble(entries, skipped, as_of), status, results
