"""bpolang diagnostics as LSP diagnostics: ranges, severities, rule links, labels, tags."""

from __future__ import annotations

from lsprotocol import types as lsp

from bpolang.base.diagnostics import Diagnostic, Severity
from bpolang.lsp.positions import PositionCodec

SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}
# codes whose span is text that does nothing (rendered faded by editors)
UNNECESSARY = {"BPO090"}


def rule_url(code: str) -> str | None:
    from bpolang.check.rules.registry import lookup

    r = lookup(code)
    return r.url() if r is not None else None


def message_of(d: Diagnostic) -> str:
    """The message with its notes and help, as the terminal shows them under the caret."""
    parts = [d.message]
    parts += [f"note: {n}" for n in d.notes]
    if d.help:
        parts.append(f"help: {d.help}")
    return "\n".join(parts)


def to_lsp(d: Diagnostic, codec: PositionCodec, uri: str) -> lsp.Diagnostic:
    url = rule_url(d.code)
    related = [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(uri=uri, range=codec.span_range(lb.span)), message=lb.message
        )
        for lb in d.labels
    ]
    return lsp.Diagnostic(
        range=codec.span_range(d.span),
        message=message_of(d),
        severity=SEVERITY[d.severity],
        code=d.code,
        code_description=lsp.CodeDescription(href=url) if url else None,
        source="bpo",
        related_information=related or None,
        tags=[lsp.DiagnosticTag.Unnecessary] if d.code in UNNECESSARY else None,
        data={"name": d.name},
    )


def _elsewhere(d: Diagnostic, codec: PositionCodec) -> lsp.Diagnostic:
    where = f"{d.path}:{d.span.line}:{d.span.col}" if d.span is not None else str(d.path)
    return lsp.Diagnostic(
        range=codec.range(0, 0),
        message=f"in {where}: {message_of(d)}",
        severity=SEVERITY[d.severity],
        code=d.code,
        source="bpo",
        data={"name": d.name},
    )


def publishable(analysis, uri: str) -> list[lsp.Diagnostic]:
    """Every finding of an analysis, plus a configuration error at the top of the file.

    A finding in another file of a composed contract (a term of a schedule the document uses)
    is shown at the top of the document, with the place it is written in its message.
    """
    own = analysis.result.source.path
    out = [
        to_lsp(d, analysis.codec, uri) if d.path in (None, own) else _elsewhere(d, analysis.codec)
        for d in analysis.diagnostics
    ]
    if analysis.config_error:
        out.insert(
            0,
            lsp.Diagnostic(
                range=analysis.codec.range(0, 0),
                message=f"configuration not used: {analysis.config_error}",
                severity=lsp.DiagnosticSeverity.Error,
                source="bpo",
            ),
        )
    return out
