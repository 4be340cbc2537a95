"""What every machine-readable format shares: the pairs it reads, paths as printed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bpolang.base.diagnostics import Diagnostic

Checked = Sequence[tuple[object, list["Diagnostic"]]]


def display_path(path: str | None, base: Path | None = None) -> str:
    """The path relative to the current folder when below it, with forward slashes."""
    if not path or path == "<stdin>":
        return "<stdin>" if path == "<stdin>" else "<unknown>"
    p = Path(path)
    try:
        rel = p.resolve().relative_to((base or Path.cwd()).resolve())
        return rel.as_posix()
    except (ValueError, OSError):
        return p.as_posix()
