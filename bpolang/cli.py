"""The `bpo` command line.

Exit codes: 0 clean, 1 findings, 2 usage, configuration or internal error.
Heavy modules are imported inside the commands that need them, so `bpo check`
starts fast.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__

# pydantic scans installed packages for plugins at import; the CLI uses none.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
REPORT_URL = "https://github.com/bpolang/bpolang/issues"


class BpoGroup(click.Group):
    """Maps any unexpected exception to exit 2 with a request to report it."""

    def main(self, *args, **kwargs):  # type: ignore[override]
        kwargs.setdefault("standalone_mode", True)
        try:
            return super().main(*args, **kwargs)
        except SystemExit:
            raise
        except BrokenPipeError:
            # The reader went away (`bpo check | head`): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_FINDINGS)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the contract for internal errors
            internal_error(exc)

    def invoke(self, ctx):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit, BrokenPipeError):
            raise
        except Exception as exc:  # noqa: BLE001
            internal_error(exc)


def internal_error(exc: BaseException) -> None:
    click.echo(f"bpo: internal error: {type(exc).__name__}: {exc}", err=True)
    click.echo(
        f"This is a bug in bpolang {__version__}, not a problem in your contract. "
        f"Please report it at {REPORT_URL} with the command you ran.",
        err=True,
    )
    if os.environ.get("BPO_DEBUG"):
        traceback.print_exc()
    sys.exit(EXIT_ERROR)


@click.group(cls=BpoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="bpo", message="%(prog)s %(version)s")
def main() -> None:
    """bpolang: contracts-as-code for business process outsourcing."""


def collect_files(paths: tuple[str, ...]) -> list[Path]:
    """Files named on the command line, and *.bpo files under the folders named."""
    files: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*.bpo") if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            candidates = found
        else:
            candidates = [p]
        for f in candidates:
            key = f.resolve() if f.exists() else f
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--output-format",
    type=click.Choice(["full", "concise", "json"]),
    default="full",
    show_default=True,
    help="How to print the findings.",
)
@click.option("--color/--no-color", default=None, help="Colour the output (default: when printing to a terminal).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
def check(paths: tuple[str, ...], output_format: str, color: bool | None, exit_zero: bool) -> None:
    """Check contracts: files, and folders searched for *.bpo files."""
    from .api import parse_bytes
    from .diagnostics import InputError
    from .report import render_concise, render_full, summary_line

    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    results = []
    input_errors = 0
    for f in collect_files(paths):
        try:
            if str(f) == "-":
                results.append(parse_bytes(sys.stdin.buffer.read(), "<stdin>"))
                continue
            from .api import load

            results.append(load(f))
        except InputError as exc:
            click.echo(f"bpo: error: {exc}", err=True)
            input_errors += 1
    if not results and not input_errors:
        click.echo("bpo: error: no .bpo files found in " + ", ".join(paths), err=True)
        sys.exit(EXIT_ERROR)
    counts = {"error": 0, "warning": 0, "info": 0}
    if output_format == "json":
        out = []
        for r in results:
            for d in r.diagnostics:
                counts[d.severity.value] += 1
                out.append(d.model_dump(mode="json", exclude_none=True))
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        for r in results:
            for d in r.diagnostics:
                counts[d.severity.value] += 1
                if output_format == "full":
                    click.echo(render_full(d, r.source, color=color))
                    click.echo("")
                else:
                    click.echo(render_concise(d, r.source))
        if output_format == "full" or any(counts.values()):
            click.echo(summary_line(counts), err=output_format != "full")
    if input_errors:
        sys.exit(EXIT_ERROR)
    if any(counts.values()) and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)

from .fmt_cmd import fmt  # noqa: E402

main.add_command(fmt)

from .export_cmd import export, import_, schema  # noqa: E402

main.add_command(export)
main.add_command(import_)
main.add_command(schema)

from .init_cmd import init  # noqa: E402

main.add_command(init)

from .render_cmd import render  # noqa: E402

main.add_command(render)
