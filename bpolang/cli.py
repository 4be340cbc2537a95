"""The `bpo` command line.

Exit codes: 0 clean, 1 findings, 2 usage, configuration or internal error.
Heavy modules are imported inside the commands that need them, so `bpo check`
starts fast.
"""

from __future__ import annotations

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


SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}



def load_or_refuse(file: str, force: bool, what: str, allow_stdin: bool = True):
    """Load a contract for a command that produces output from it (render, export).

    A file that cannot be read exits 2; a contract with errors exits 1 after listing them,
    unless `force` is given and a model could still be built.
    """
    from .api import load, parse_bytes
    from .diagnostics import InputError, Severity

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

@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--output-format",
    type=click.Choice(["full", "concise", "json", "sarif", "github", "gitlab", "junit"]),
    default="full",
    show_default=True,
    help="How to print the findings.",
)
@click.option("--output-file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the findings to this file instead of standard output.")
@click.option("--color/--no-color", default=None, help="Colour the output (default: when printing to a terminal).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="The lowest severity that makes the command exit 1.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes, then check again.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix, also apply the fixes that change the contract's meaning.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Use this configuration file (bpolang.toml or pyproject.toml) for every file.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--select", "select", default=None, help="Comma-separated rules to run (codes, names, areas, ALL), replacing the configuration's selection (its ignore list still applies).")
@click.option("--ignore", "ignore", default=None, help="Comma-separated rules not to run, added to the configuration's.")
@click.option("--no-cache", is_flag=True, help="Check every file again instead of reusing the results of an unchanged one.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for many files (default: one per CPU core).")
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
    from .checking import Checker, RuleOptions
    from .errors import ConfigError, InputError
    from .report import summary_line

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
            from .api import parse_bytes

            result = parse_bytes(sys.stdin.buffer.read(), "<stdin>")
            checked.append((result, _findings(result, options.resolver().for_path(None))))
            files = [f for f in files if str(f) != "-"]
        if fix:
            from .api import load

            configs = options.resolver()
            for f in files:
                try:
                    cfg = configs.for_path(f)
                    result, diags, n = _apply_fixes(f, load(f), None, cfg, unsafe_fixes)
                    fixed += n
                    checked.append((result, diags))
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
        from .report import render_concise, render_full

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
        _emit(text, output_file, color=color)
        if output_format == "concise" and any(counts.values()):
            click.echo(summary, err=True)
    else:
        from .outputs import RENDERERS

        _emit(RENDERERS[output_format](checked), output_file)
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


def _emit(text: str, output_file: str | None, color: bool | None = None) -> None:
    if output_file is None:
        if text:
            click.echo(text, color=color)
        return
    from .fileio import write_output

    write_output((text + "\n").encode("utf-8"), output_file, announce=False)


def _findings(result, cfg) -> list:
    """The language's diagnostics plus the rules' findings, after configuration and suppressions."""
    from .diagnostics import Diagnostic
    from .rules import run_rules
    from .suppress import apply_suppressions

    enabled = cfg.enabled_for(result.source.path)
    found = run_rules(result, enabled, cfg.jurisdiction)
    for d in found:
        sev = cfg.severities.get(d.code)
        if sev is not None:
            d.severity = sev
    diags = apply_suppressions(result, list(result.diagnostics) + found, enabled)
    diags.sort(key=Diagnostic.sort_key)
    return diags


def _apply_fixes(path: Path, result, diags, cfg, unsafe: bool, rounds: int = 10):
    """Apply fixes (safe, and unsafe when asked), write atomically, re-check; repeat until stable."""
    from .api import load
    from .fileio import WriteRefused, atomic_write
    from .rules import apply_fixes

    total = 0
    if diags is None:
        diags = _findings(result, cfg)
    for _ in range(rounds):
        text, applied = apply_fixes(result.source.text, diags, unsafe)
        if not applied:
            break
        data = (b"\xef\xbb\xbf" if result.source.bom else b"") + text.encode("utf-8")
        try:
            atomic_write(path, data)
        except (OSError, WriteRefused) as exc:
            click.echo(f"bpo: error: cannot write {path}: {exc}", err=True)
            break
        total += applied
        result = load(path)
        diags = _findings(result, cfg)
    return result, diags, total


@main.command("rules")
@click.option("--output-format", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="A table for people, or JSON for tools.")
def rules_cmd(output_format: str) -> None:
    """List every rule: code, name, default severity, area, and when it applies."""
    from .rules.registry import load_all

    rules = list(load_all().values())
    if output_format == "json":
        out = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "area": r.area, "applies": r.applies.label,
             "source": r.source, "catalog": list(r.refs), "summary": r.summary, "fixable": r.fixable, "always_on": r.always_on,
             "url": r.url()}
            for r in rules
        ]
        import json

        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    w = max(len(r.name) for r in rules)
    click.echo(f"{'code':<7} {'name':<{w}} {'severity':<8} {'area':<14} applies to")
    for r in rules:
        applies = "always on" if r.always_on else r.applies.label
        click.echo(f"{r.code:<7} {r.name:<{w}} {r.severity.value:<8} {r.area:<14} {applies}")


@main.command("rule")
@click.argument("code")
def rule_cmd(code: str) -> None:
    """Explain one rule, by code (BPO501) or name (penalty-needs-deadline)."""
    from .rules.registry import AREAS, lookup

    r = lookup(code)
    if r is None:
        click.echo(f"bpo: error: no rule `{code}`; `bpo rules` lists them", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"{r.code} {r.name}")
    click.echo("")
    click.echo(f"  severity:   {r.severity.value}" + (" (always on)" if r.always_on else ""))
    click.echo(f"  area:       {AREAS[r.area]}")
    click.echo(f"  applies to: {'every file (a diagnostic of the language)' if r.always_on else r.applies.label}")
    click.echo(f"  source:     {r.source}")
    if r.refs:
        click.echo(f"  catalog:    {', '.join(r.refs)}")
    if r.fixable:
        click.echo("  fix:        available with --fix")
    click.echo("")
    click.echo(r.summary)
    for section in ("What it checks", "Why it matters", "Example", "Fix"):
        body = r.sections.get(section)
        if body:
            click.echo("")
            click.echo(f"## {section}")
            click.echo("")
            click.echo(body)
    click.echo("")
    click.echo(f"More: {r.url()}")


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

from .diff_cmd import diff  # noqa: E402

main.add_command(diff)

from .calendar_cmd import calendar  # noqa: E402

main.add_command(calendar)

from .summary_cmd import summary  # noqa: E402

main.add_command(summary)

from .lsp_cmd import lsp  # noqa: E402

main.add_command(lsp)
