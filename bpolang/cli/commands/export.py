"""`bpo export`, `bpo import` and `bpo schema`: the model as JSON and YAML, and back."""

from __future__ import annotations

import json
import sys

import click

# `bpo export` and `bpo schema` write to standard output unless told otherwise
to_stdout_or_file = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="Write here instead of standard output.",
)


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--to", "fmt", type=click.Choice(["json", "yaml"]), default="json", show_default=True)
@to_stdout_or_file
@click.option("--spans", is_flag=True, help="Include the source position of every value.")
@click.option("--force", is_flag=True, help="Export even if the contract has errors.")
def export(file: str, fmt: str, output: str, spans: bool, force: bool) -> None:
    """Export a contract's typed model as JSON or YAML."""
    from bpolang.cli.common import load_or_refuse
    from bpolang.format.interchange import to_json, to_yaml

    result = load_or_refuse(file, force, "export")
    text = to_json(result.contract, spans) if fmt == "json" else to_yaml(result.contract, spans)
    _write(output, text)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="The .bpo file to write (default: standard output).",
)
@click.option("--from", "kind", type=click.Choice(["auto", "json", "yaml"]), default="auto", show_default=True)
def import_(file: str, output: str, kind: str) -> None:
    """Turn a contract in YAML or JSON into canonical .bpo text."""
    from bpolang.base.errors import InputError
    from bpolang.base.fileio import read_input, read_stdin
    from bpolang.base.source import MAX_FILE_BYTES
    from bpolang.cli.common import EXIT_ERROR
    from bpolang.format.interchange import DataRefused, from_data, load_data
    from bpolang.format.printer import print_contract

    if kind == "auto":
        kind = "json" if file.endswith(".json") else "yaml"
    try:
        raw = read_stdin() if file == "-" else read_input(file)[0]
        if raw is None or len(raw) > MAX_FILE_BYTES:
            click.echo(f"bpo: error: {file}: larger than the limit of {MAX_FILE_BYTES // 1048576} MiB", err=True)
            sys.exit(1)
        text = raw.decode("utf-8-sig")
    except InputError as exc:
        click.echo(f"bpo: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except UnicodeDecodeError as exc:
        click.echo(f"bpo: error: {file}: not UTF-8 text (byte offset {exc.start})", err=True)
        sys.exit(1)
    try:
        data, node = load_data(text, kind)
    except DataRefused as exc:
        where = f"{file}:{exc.line}:{exc.col}" if exc.line else file
        click.echo(f"{where}: error: not imported: {exc}", err=True)
        sys.exit(1)
    except json.JSONDecodeError as exc:
        click.echo(f"{file}:{exc.lineno}:{exc.colno}: error: invalid JSON: {exc.msg}", err=True)
        sys.exit(1)
    except Exception as exc:  # yaml.YAMLError and its subclasses
        import yaml

        if not isinstance(exc, yaml.YAMLError):
            raise
        mark = getattr(exc, "problem_mark", None)
        where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else file
        click.echo(f"{where}: error: invalid YAML: {getattr(exc, 'problem', None) or exc}", err=True)
        sys.exit(1)
    contract, problems = from_data(data, node)
    if problems:
        for p in problems:
            where = f"{file}:{p.line}:{p.col}" if p.line else file
            click.echo(f"{where}: error: {p.path}: {p.message}", err=True)
        click.echo(f"bpo: {file}: not imported ({len(problems)} problem{'s' if len(problems) != 1 else ''})", err=True)
        sys.exit(1)
    _write(output, print_contract(contract))


@click.command("schema", short_help="Print the JSON Schema of the exported model.")
@to_stdout_or_file
@click.option("--measurements", is_flag=True, help="The schema of a measurements file (`bpo assess`) instead.")
def schema(output: str, measurements: bool) -> None:
    """Print the JSON Schema of the exported model (for YAML and JSON editors, and validators)."""
    if measurements:
        from bpolang.assess.measurements import json_schema as measurements_schema

        _write(output, json.dumps(measurements_schema(), indent=2, ensure_ascii=False) + "\n")
        return
    from bpolang.format.interchange import json_schema

    _write(output, json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")


def _write(output: str, text: str) -> None:
    from bpolang.cli.common import write_output

    write_output(text.encode("utf-8"), output, announce=False)
