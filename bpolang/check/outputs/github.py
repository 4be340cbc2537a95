"""`--output-format github`: GitHub Actions workflow commands (annotations)."""

from __future__ import annotations

from bpolang.base.diagnostics import Severity
from bpolang.check.outputs.common import Checked, display_path

GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def github_escape_data(text: str) -> str:
    """Escape a workflow-command message: %, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(text: str) -> str:
    """Escape a workflow-command property value: also `:` and `,`."""
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(checked: Checked) -> str:
    """One `::error file=...,line=...::message` line per diagnostic."""
    lines = []
    for _r, diags in checked:
        for d in diags:
            props = [f"file={github_escape_property(display_path(d.path))}"]
            if d.span is not None:
                s = d.span
                props += [f"line={s.line}", f"col={s.col}", f"endLine={s.end_line}", f"endColumn={s.end_col}"]
            props.append(f"title={github_escape_property(f'{d.code} {d.name}')}")
            message = d.message + (f"\nhelp: {d.help}" if d.help else "")
            lines.append(f"::{GITHUB_LEVEL[d.severity]} {','.join(props)}::{github_escape_data(message)}")
    return "\n".join(lines)
