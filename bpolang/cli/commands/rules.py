"""`bpo rules` and `bpo rule`: the rule catalog, listed or explained."""

from __future__ import annotations

import sys

import click

from bpolang.cli.common import EXIT_ERROR


@click.command("rules", short_help="List every rule of the catalog.")
@click.option(
    "--output-format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people, or JSON for tools.",
)
def rules_cmd(output_format: str) -> None:
    """List every rule: code, name, default severity, area, and when it applies."""
    from bpolang.check.rules.registry import load_all

    rules = list(load_all().values())
    if output_format == "json":
        out = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.value,
                "area": r.area,
                "applies": r.applies.label,
                "source": r.source,
                "catalog": list(r.refs),
                "summary": r.summary,
                "fixable": r.fixable,
                "always_on": r.always_on,
                "url": r.url(),
            }
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


@click.command("rule", short_help="Explain one rule, by code or name.")
@click.argument("code")
def rule_cmd(code: str) -> None:
    """Explain one rule, by code (BPO501) or name (penalty-needs-deadline)."""
    from bpolang.check.rules.registry import AREAS, lookup

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
    if r.applies.law:
        click.echo(f"  legal test: {r.applies.law}")
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
