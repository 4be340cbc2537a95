"""Formatting a whole text as `bpo fmt` and the language server do: width, BOM and line endings kept."""

from __future__ import annotations

from pathlib import Path


def line_length_for(path: Path | None, explicit: int | None) -> int:
    """The line width: the option, else the configuration's `line-length`, else 100."""
    from bpolang.format.formatter import DEFAULT_LINE_LENGTH

    if explicit is not None:
        return explicit
    from bpolang.check.config import line_length_for_path

    return line_length_for_path(path) or DEFAULT_LINE_LENGTH


def format_source(text: str, width: int, fast: bool) -> str:
    """Formatted text with the input's BOM and line endings; FormatError / UnsafeFormat on failure."""
    from bpolang.base.fileio import apply_encoding, split_encoding
    from bpolang.format.formatter import check_equivalent, format_text

    body, enc = split_encoding(text)
    out = format_text(body, width)
    if not fast:
        check_equivalent(body, out, width)
    return apply_encoding(out, enc)
