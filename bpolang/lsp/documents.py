"""Open documents: the last analysis of each, and the last one that parsed cleanly.

An analysis is exactly what `bpo check` computes for the text (parse, resolve, the rules
with the file's configuration and its suppressions), plus a position codec.  While the text
does not parse, the last good analysis is kept, its offsets carried through the edits made
since, so the outline and the ids stay available.

Each analysis but the first is computed from the one before by an incremental re-check
(:mod:`bpolang.check.incremental`) when that is sure to give the same result; the one before is
then consumed.  If that was the last good analysis, its text is analysed again, whole, the
first time it is needed (for the outline of a broken text, say): diagnostics never wait
for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bpolang.check.incremental import difference
from bpolang.lsp.positions import PositionCodec

if TYPE_CHECKING:
    from bpolang.base.diagnostics import Diagnostic
    from bpolang.check.config import ConfigResolver
    from bpolang.check.pipeline import Result

log = logging.getLogger("bpolang.lsp")


@dataclass
class Analysis:
    text: str
    version: int | None
    path: str | None
    codec: PositionCodec
    result: Result
    diagnostics: list[Diagnostic]  # after configuration and suppressions
    config_error: str | None = None
    _tokens: list | None = None
    # the analysis whose objects this one took over (incremental re-check), until Document.update
    consumed: Analysis | None = None
    # analyses this text again, whole: for when this analysis is consumed but still needed
    again: Callable[[], Analysis] | None = None

    @property
    def source_text(self) -> str:
        """The text the parser saw (without a BOM); spans are offsets into it."""
        return self.result.source.text

    @property
    def broken(self) -> bool:
        syntax = self.result.syntax
        return syntax is None or bool(syntax.problems) or self.result.contract is None

    @property
    def tokens(self) -> list:
        if self._tokens is None:
            from bpolang.syntax.lexer import lex

            self._tokens = lex(self.source_text).tokens
        return self._tokens

    def cursor(self, offset: int, text: str | None = None):
        """The context of an offset (bpolang.syntax.locate.Cursor) in this analysis' text, or in
        `text`, a later version of it not analysed yet.

        Only the statements of the contract's body around the offset (and the edit) are lexed
        again; the others come from this analysis' syntax tree.
        """
        from bpolang.syntax.locate import cursor_at, cursor_in_window
        from bpolang.syntax.nodes import Block

        old = self.source_text
        text = old if text is None else text
        syntax = self.result.syntax
        block = syntax.body[0] if syntax is not None and len(syntax.body) == 1 else None
        start, old_end, delta = difference(old, text) if text is not old else (offset, offset, 0)
        lo = min(start, offset)
        body = block.body if isinstance(block, Block) and block.open < lo and old_end <= block.close else []
        first = next((k for k in range(len(body) - 1, -1, -1) if body[k].start <= lo), None)
        if first is None:  # around the contract's header: lex it all
            return cursor_at(text, offset, self.tokens if text is old else None)
        assert isinstance(block, Block)  # the body is a block's, else it is empty
        if offset > block.close + delta:
            return cursor_at(text, offset)  # after the contract's `}`
        stop = first + 1
        while stop < len(body) and not (
            body[stop].start > old_end
            and body[stop].start + delta > offset
            and max(old.rfind("\n", old_end, body[stop].start), old.rfind("\r", old_end, body[stop].start)) >= 0
        ):
            stop += 1
        return cursor_in_window(text, offset, block, first, stop, delta) or cursor_at(text, offset)


class Configs:
    """The configuration of each file, re-read when a configuration file changes on disk."""

    def __init__(self, explicit: str | None = None, isolated: bool = False) -> None:
        self.explicit = explicit
        self.isolated = isolated
        self._resolver: ConfigResolver | None = None
        self._stamps: dict[Path, int | None] = {}

    def for_path(self, path: str | None):
        """The Config for a file (defaults for an unsaved buffer); raises ConfigError."""
        from bpolang.check.config import ConfigResolver, find_config_file

        found = (
            Path(self.explicit) if self.explicit else (None if self.isolated else find_config_file(path or Path.cwd()))
        )
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


def analyse(
    text: str,
    version: int | None,
    path: str | None,
    encoding: str | None,
    configs: Configs,
    doc: Document | None = None,
) -> Analysis:
    """Check a document's text as `bpo check` would.

    With the open document `doc`, its current analysis is the base of an incremental re-check
    (:mod:`bpolang.check.incremental`) when that gives the same result.
    """
    from bpolang.base.gcpause import paused_gc

    # one pause over parsing and checking: one collection after it, not one after each stage
    with paused_gc():
        return _analyse(text, version, path, encoding, configs, doc)


def _analyse(
    text: str, version: int | None, path: str | None, encoding: str | None, configs: Configs, doc: Document | None
) -> Analysis:
    result, consumed = _parse(text, path, doc)
    source = result.source
    # the parser's line index serves the editor's text too when they are the same text (no BOM)
    same = not source.bom and len(source.text) == len(text)
    codec = PositionCodec(text, encoding, source.index if same else None)
    diagnostics, config_error = _findings(result, path, configs)
    analysis = Analysis(text, version, path, codec, result, diagnostics, config_error, consumed=consumed)
    analysis.again = lambda: analyse(text, version, path, encoding, configs)
    return analysis


def analyse_file(path: str, encoding: str | None, configs: Configs) -> Analysis:
    """Check a file on disk exactly as `bpo check` does (not UTF-8: its BPO003); raises InputError."""
    from bpolang.base.gcpause import paused_gc
    from bpolang.check.pipeline import load

    with paused_gc():
        result = load(path)
        source = result.source
        text = ("\ufeff" if source.bom else "") + source.text
        diagnostics, config_error = _findings(result, path, configs)
        return Analysis(text, None, path, PositionCodec(text, encoding), result, diagnostics, config_error)


def _findings(result, path: str | None, configs: Configs) -> tuple[list, str | None]:
    """The findings of a parse under the file's configuration, and why that could not be read."""
    from bpolang.check.config import Config, ConfigError
    from bpolang.check.driver import findings
    from bpolang.check.rules import RuleCrash

    config_error = None
    try:
        cfg = configs.for_path(path)
    except ConfigError as exc:
        config_error = str(exc)
        cfg = Config()
    try:
        return findings(result, cfg), config_error
    except RuleCrash as exc:
        log.error("internal error, only the language's diagnostics are shown: %s", exc)
        return list(result.diagnostics), config_error


def _parse(text: str, path: str | None, doc: Document | None):
    """The parse of the text, and the analysis it consumed (the document's current one) if any."""
    from bpolang.check.pipeline import parse_bytes

    data = text.encode("utf-8", "surrogatepass")
    base = doc.current if doc is not None else None
    if base is not None and base.path == path:
        try:
            result = _recheck(base, data, path)
        except Exception:  # noqa: BLE001 - a bug here must not cost the diagnostics: parse it all
            log.exception("internal error in the incremental re-check; the whole text is checked")
            return parse_bytes(data, path), base  # it may have been half moved
        if result is not None:
            return result, base
    return parse_bytes(data, path), None


def _recheck(base: Analysis, data: bytes, path: str | None):
    from bpolang.base.source import MAX_FILE_BYTES, Source
    from bpolang.check.incremental import recheck

    if len(data) > MAX_FILE_BYTES:
        return None
    old = base.result.source
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError:
        return None  # not UTF-8 (a lone surrogate): the whole parse says so
    if bom != old.bom:
        return None
    # the line index of the new text from the old one: only the lines around the edit are read
    index = old.index.edited(text, *difference(old.text, text))
    return recheck(base.result, Source(text, path, bom, known_index=index))


@dataclass
class Draft:
    """The editor's text while its check is pending, against the analysis at hand.

    The two differ by one edit (:func:`bpolang.check.incremental.difference`): offsets before it
    are the same in both, those after it `delta` apart; inside it the analysis knows nothing.
    """

    codec: PositionCodec  # of the editor's text
    start: int
    old_end: int
    delta: int

    @classmethod
    def of(cls, analysis: Analysis, text: str, encoding: str | None) -> Draft:
        codec = PositionCodec(text, encoding)
        return cls(codec, *difference(analysis.source_text, codec.text[codec.base :]))

    @property
    def source_text(self) -> str:
        return self.codec.text[self.codec.base :]

    def earlier(self, offset: int) -> int | None:
        """Where an offset of the editor's text is in the analysed one (None inside the edit)."""
        if offset < self.start:
            return offset
        if offset > self.old_end + self.delta:
            return offset - self.delta
        return None

    def later(self, offset: int) -> int:
        """Where an offset of the analysed text is in the editor's."""
        return offset if offset <= self.start else max(offset + self.delta, self.start)


@dataclass
class Document:
    """One open document: its current analysis, the last good one and the edits since."""

    uri: str
    current: Analysis | None = None
    _good: Analysis | None = None
    _good_again: Callable[[], Analysis] | None = None  # the last good analysis, consumed: redo it
    edits: list[tuple[int, int, int]] = field(default_factory=list)  # (start, old end, delta), code points
    # the outline's symbols of the contract's statements, kept while they do not change (lsp.outline)
    outline: dict = field(default_factory=dict)
    outline_json: dict = field(default_factory=dict)  # and those symbols as JSON values

    @property
    def good(self) -> Analysis | None:
        """The last analysis of a text without syntax errors (analysed again if consumed)."""
        if self._good_again is not None:
            self._good, self._good_again = self._good_again(), None
        return self._good

    def update(self, analysis: Analysis) -> None:
        prev = self.current
        self.current = analysis
        consumed, analysis.consumed = analysis.consumed, None
        if not analysis.broken:
            self._good, self._good_again = analysis, None
            self.edits = []
            return
        if consumed is not None and consumed is self._good:
            self._good, self._good_again = None, consumed.again
        if prev is not None and (self._good is not None or self._good_again is not None):
            self.edits.append(difference(prev.source_text, analysis.source_text))

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
        """The analysis to read ids and the outline from, and whether its offsets need mapping.

        The current one when its text was read into a contract and resolved, errors or not: the
        parser's recovery keeps all but the statements being typed.  Else the last good one,
        its offsets mapped through the edits since (analysed again if it was consumed).
        """
        cur = self.current
        if cur is not None and (not cur.broken or cur.result.resolution is not None):
            return cur, False
        if self.good is not None:
            return self.good, True
        return cur, False
