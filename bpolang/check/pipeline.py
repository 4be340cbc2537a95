"""The public entry points: parse text or load a file into a checked model."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bpolang.base.diagnostics import Diagnostic, Severity, Span
from bpolang.base.source import MAX_FILE_BYTES, Source

if TYPE_CHECKING:  # the model, the parser and the resolver are imported at run time only when text is parsed
    from bpolang.model.build import Builder, Built
    from bpolang.model.contract import Contract
    from bpolang.resolve.compose import Part
    from bpolang.resolve.references import Resolution
    from bpolang.syntax.parser import ParseResult

MAX_CONTROL_REPORTS = 20


@dataclass
class Result:
    """A parsed contract: the model (None when it could not be built), diagnostics, shared resolution."""

    source: Source
    contract: Contract | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    syntax: ParseResult | None = None
    resolution: Resolution | None = None
    # what building each statement of the contract's body gave, by the statement's id()
    # (bpolang.check.incremental reuses it)
    memo: dict[int, Built] | None = None
    # the other files the contract is composed of (its master, the schedules it uses), by the
    # path on their spans (bpolang.resolve.compose); empty for a contract of one file
    parts: dict[str, Part] = field(default_factory=dict)

    @property
    def dependencies(self) -> list[tuple[str, str]]:
        """The files the contract depends on and the sha256 of the bytes read: what the cache keys on."""
        return sorted((path, part.digest) for path, part in self.parts.items())

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


def decode(data: bytes, path: str | None = None) -> tuple[Source, list[Diagnostic]]:
    """Strict UTF-8 decoding; a BOM is accepted and remembered."""
    from bpolang.model.build import make_diag

    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        src = Source(good, path, bom)
        line, col = src.index.line_col(len(good))
        span = Span(start=len(good), end=len(good), line=line, col=col, end_line=line, end_col=col)
        diag = make_diag(
            "BPO003",
            f"the file is not UTF-8 text: invalid byte 0x{data[exc.start]:02X} at byte offset {exc.start + (3 if bom else 0)}",
            span,
            help="save the file as UTF-8",
        )
        diag.path = path
        return src, [diag]
    return Source(text, path, bom), []


def parse(text: str, path: str | None = None, alone: bool = False) -> Result:
    """Parse and check contract text; never raises on bad input, returns diagnostics.

    ``alone``: the file's own model, without the master and schedules it names (what the
    formatter compares: what the text itself says).
    """
    if text.startswith("\ufeff"):
        return parse_source(Source(text[1:], path, bom=True), alone)
    return parse_source(Source(text, path), alone)


def parse_bytes(data: bytes, path: str | None = None) -> Result:
    """Parse raw file content: size cap, strict UTF-8, BOM, then :func:`parse`."""

    if len(data) > MAX_FILE_BYTES:
        return _too_large(path, len(data))
    source, diags = decode(data, path)
    if diags:
        return Result(source, None, diags)
    return parse_source(source)


def load(path: str | os.PathLike[str]) -> Result:
    """Read and check a .bpo file; raises InputError if it cannot be read at all."""
    from bpolang.base.fileio import read_contract_bytes

    data, size = read_contract_bytes(path)
    if data is None:
        return _too_large(str(path), size)
    return parse_bytes(data, str(path))


def source_at(path: str) -> Source | None:
    """The decoded text of a file a finding points into (a master, a schedule), None if unreadable."""
    from bpolang.base.errors import InputError
    from bpolang.base.fileio import read_contract_bytes

    try:
        data, _size = read_contract_bytes(path)
    except InputError:
        return None
    return decode(data, path)[0] if data is not None else None


def _too_large(path: str | None, size: int) -> Result:
    from bpolang.model.build import make_diag

    diag = make_diag(
        "BPO006",
        f"the file is {size / 1048576:.1f} MiB; the limit is {MAX_FILE_BYTES // 1048576} MiB",
        Span(start=0, end=0, line=1, col=1, end_line=1, end_col=1),
        help="split the contract into several files",
    )
    diag.path = path
    return Result(Source("", path), None, [diag])


def parse_source(source: Source, alone: bool = False) -> Result:
    from bpolang.base.gcpause import paused_gc

    with paused_gc():
        return _parse_source_uncollected(source, alone)


def _parse_source_uncollected(source: Source, alone: bool = False) -> Result:
    from bpolang.model.build import Builder
    from bpolang.syntax.lexer import CONTROL
    from bpolang.syntax.parser import parse_text

    text = source.text
    builder = Builder(text, source.index)
    diags = control_diagnostics(builder, text)
    # Read the rest as if each control character were a space, so the file is still checked.
    text = CONTROL.sub(" ", text) if diags else text
    return finish(source, builder, parse_text(text), diags, alone)


def control_diagnostics(builder: Builder, text: str) -> list[Diagnostic]:
    """BPO002 for the control characters of a text (the first MAX_CONTROL_REPORTS of them)."""
    from bpolang.model.build import make_diag
    from bpolang.syntax.lexer import CONTROL

    diags = []
    for count, m in enumerate(CONTROL.finditer(text)):
        if count == MAX_CONTROL_REPORTS:
            break
        diags.append(
            make_diag(
                "BPO002",
                f"control character U+{ord(m.group()):04X} is not allowed in a contract",
                builder.span(m.start(), m.end()),
                help="remove it; it cannot be printed or signed",
            )
        )
    return diags


def finish(
    source: Source, builder: Builder, syntax: ParseResult, diags: list[Diagnostic], alone: bool = False
) -> Result:
    """Build the model from a parse, compose it with the files it names, resolve it, and gather
    the diagnostics (see also incremental)."""
    from bpolang.base.diagnostics import place
    from bpolang.resolve.compose import compose, composes
    from bpolang.resolve.references import resolve

    contract = _build(builder, syntax, diags)
    resolution = None
    parts: dict[str, Part] = {}
    if contract is not None:
        if not alone and (composes(contract) or contract.overridable):
            composition = compose(contract, source, syntax, read_part)
            contract, parts = composition.contract, composition.parts
            diags.extend(composition.diagnostics)
        resolution, rdiags = resolve(contract, builder.span, damaged=bool(syntax.problems), text=builder.text)
        diags.extend(rdiags)
    place(diags, source.path)
    diags.sort(key=Diagnostic.sort_key)
    return Result(source, contract, diags, syntax, resolution, builder.memo_out, parts)


def _build(builder: Builder, syntax: ParseResult, diags: list[Diagnostic]) -> Contract | None:
    """The model of a parse; the syntax errors and the builder's diagnostics go into ``diags``."""
    from bpolang.model.build import make_diag

    for p in syntax.problems:
        diags.append(make_diag(p.code, p.message, builder.span(p.start, p.end), help=p.help))
        builder.syntax_error_offsets.append(p.start)
    contract = builder.document(syntax.body)
    diags.extend(builder.diagnostics)
    return contract


def read_part(path: str) -> Part:
    """A file another includes, read and built (not resolved: its includer's composition is);
    every span of it carries its path.  Raises InputError when it cannot be read."""
    import hashlib

    from bpolang.base.fileio import read_contract_bytes
    from bpolang.model.build import Builder
    from bpolang.resolve.compose import Part
    from bpolang.syntax.lexer import CONTROL
    from bpolang.syntax.parser import parse_text

    data, size = read_contract_bytes(path)
    if data is None:
        too_large = _too_large(path, size)
        return Part(too_large.source, None, None, too_large.diagnostics, "")
    digest = hashlib.sha256(data).hexdigest()
    source, diags = decode(data, path)
    if diags:
        return Part(source, None, None, diags, digest)
    text = source.text
    builder = Builder(text, source.index, origin=path)
    diags = control_diagnostics(builder, text)
    syntax = parse_text(CONTROL.sub(" ", text) if diags else text)
    contract = _build(builder, syntax, diags)
    return Part(source, syntax, contract, diags, digest)
