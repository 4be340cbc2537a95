"""Open documents: the last analysis of each, and the last one that parsed cleanly.

An analysis is exactly what `bpo check` computes for the text (parse, resolve, the rules
with the file's configuration and its suppressions), plus a position codec.  While the text
does not parse, the last good analysis is kept, its offsets carried through the edits made
since, so the outline and the ids stay available.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from .positions import PositionCodec

log = logging.getLogger("bpolang.lsp")


@dataclass
class Analysis:
    text: str
    version: int | None
    path: str | None
    codec: PositionCodec
    result: object  # bpolang.api.Result
    diagnostics: list  # bpolang Diagnostics after configuration and suppressions
    config_error: str | None = None
    _tokens: list | None = None

    @property
    def source_text(self) -> str:
        """The text the parser saw (without a BOM); spans are offsets into it."""
        return self.result.source.text  # type: ignore[attr-defined]

    @property
    def broken(self) -> bool:
        syntax = self.result.syntax  # type: ignore[attr-defined]
        return syntax is None or bool(syntax.problems) or self.result.contract is None  # type: ignore[attr-defined]

    @property
    def tokens(self) -> list:
        if self._tokens is None:
            from ..syntax.lexer import lex

            self._tokens = lex(self.source_text).tokens
        return self._tokens


class Configs:
    """The configuration of each file, re-read when a configuration file changes on disk."""

    def __init__(self, explicit: str | None = None, isolated: bool = False) -> None:
        self.explicit = explicit
        self.isolated = isolated
        self._resolver = None
        self._stamps: dict[Path, int | None] = {}

    def for_path(self, path: str | None):
        """The Config for a file (defaults for an unsaved buffer); raises ConfigError."""
        from ..config import ConfigResolver, find_config_file

        found = Path(self.explicit) if self.explicit else (None if self.isolated else find_config_file(path or Path.cwd()))
        if found is not None:
            try:
                stamp = found.stat().st_mtime_ns
            except OSError:
                stamp = None
            if found in self._stamps and self._stamps[found] != stamp:
                self._resolver = None  # the file changed: read every configuration again
                self._stamps.clear()
            self._stamps[found] = stamp
        if self._resolver is None:
            self._resolver = ConfigResolver(self.explicit, self.isolated)
        return self._resolver.for_path(path)

    def reset(self) -> None:
        """Forget every configuration read (a configuration file was created or deleted)."""
        self._resolver = None
        self._stamps.clear()


def analyse(text: str, version: int | None, path: str | None, encoding: str | None, configs: Configs) -> Analysis:
    """Check a document's text as `bpo check` would."""
    from ..gcpause import paused_gc

    # one pause over parsing and checking: one collection after it, not one after each stage
    with paused_gc():
        return _analyse(text, version, path, encoding, configs)


def _analyse(text: str, version: int | None, path: str | None, encoding: str | None, configs: Configs) -> Analysis:
    from ..api import parse_bytes
    from ..cli import _findings
    from ..config import Config, ConfigError
    from ..rules import RuleCrash

    codec = PositionCodec(text, encoding)
    result = parse_bytes(text.encode("utf-8", "surrogatepass"), path)
    config_error = None
    try:
        cfg = configs.for_path(path)
    except ConfigError as exc:
        config_error = str(exc)
        cfg = Config()
    try:
        diagnostics = _findings(result, cfg)
    except RuleCrash as exc:
        log.error("internal error, only the language's diagnostics are shown: %s", exc)
        diagnostics = list(result.diagnostics)
    return Analysis(text, version, path, codec, result, diagnostics, config_error)


@dataclass
class Document:
    """One open document: its current analysis, the last good one and the edits since."""

    uri: str
    current: Analysis | None = None
    good: Analysis | None = None
    edits: list[tuple[int, int, int]] = field(default_factory=list)  # (start, old end, delta), code points

    def update(self, analysis: Analysis) -> None:
        prev = self.current
        self.current = analysis
        if not analysis.broken:
            self.good = analysis
            self.edits = []
        elif prev is not None and self.good is not None:
            self.edits.append(_difference(prev.source_text, analysis.source_text))

    def map_offset(self, offset: int) -> int:
        """Where an offset of the last good text is in the current text."""
        for start, old_end, delta in self.edits:
            if offset >= old_end:
                offset += delta
            elif offset > start:
                offset = start
        return offset

    @property
    def symbols_source(self) -> tuple[Analysis | None, bool]:
        """The analysis to read ids and the outline from, and whether its offsets need mapping."""
        if self.current is not None and not self.current.broken:
            return self.current, False
        if self.good is not None:
            return self.good, True
        return self.current, False


def _difference(old: str, new: str) -> tuple[int, int, int]:
    """The one edit turning old into new: common prefix and suffix kept."""
    n = min(len(old), len(new))
    lo, hi = 0, n
    while lo < hi:  # longest common prefix, by bisection over C-level slice comparisons
        mid = (lo + hi + 1) // 2
        if old[:mid] == new[:mid]:
            lo = mid
        else:
            hi = mid - 1
    prefix = lo
    lo, hi = 0, n - prefix
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if old[len(old) - mid :] == new[len(new) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    suffix = lo
    return prefix, len(old) - suffix, len(new) - len(old)
