"""Helpers for the language-server tests: a real `bpo lsp` over stdio, driven by pytest-lsp."""

from __future__ import annotations

import sys
from pathlib import Path

from lsprotocol import types as lsp

SERVER = [sys.executable, "-m", "bpolang", "lsp"]

DEMO = """\
contract demo "Démo — contrat 🚀" {
  language: en
  governing_law: FR
  effective: 2027-01-01
  term: 36 months

  party client acme "ACME" {
    gdpr_role: controller
  }
  party provider prov "Prov" {
    gdpr_role: processor
  }

  milestone kickoff "Kickoff" {
    date: effective
  }
  milestone first_close "First close" {
    date: kickoff + 45 days
    after: [kickoff]
  }
  deliverable report_m "Monthly report" {
    owner: prov
    due: every month on day 5 from first_close
  }
  penalty late_close "Late close" {
    applies_to: first_close
    amount: 500 EUR per day late
    cap: 10% of monthly_fees
  }
}
"""


def accept_registrations(client) -> None:
    """Answer client/registerCapability as editors do (pytest-lsp's client does not)."""

    @client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def _register(params: lsp.RegistrationParams) -> None:
        client.registrations = getattr(client, "registrations", []) + list(params.registrations)


def utf16_position(text: str, offset: int) -> lsp.Position:
    """An LSP position computed independently of the server: lines at LF, CRLF, CR; UTF-16 columns."""
    line = 0
    start = 0
    i = 0
    while i < offset:
        ch = text[i]
        if ch == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            i += 2
            if i <= offset:
                line += 1
                start = i
            continue
        i += 1
        if ch in "\r\n":
            line += 1
            start = i
    return lsp.Position(line=line, character=len(text[start:offset].encode("utf-16-le")) // 2)


def at(text: str, needle: str, delta: int = 0, nth: int = 0) -> lsp.Position:
    """The position of the nth occurrence of needle (plus delta code points)."""
    idx = -1
    for _ in range(nth + 1):
        idx = text.index(needle, idx + 1)
    return utf16_position(text, idx + delta)


def workspace(root: Path, config: str | None = None) -> Path:
    """A folder that is its own repository root (the configuration search stops there)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / ".git").mkdir(exist_ok=True)
    if config is not None:
        (root / "bpolang.toml").write_text(config, encoding="utf-8")
    return root


async def open_doc(client, path: Path, text: str, version: int = 1) -> str:
    """Open a document and wait until its diagnostics have been published."""
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="bpo", version=version, text=text)
        )
    )
    await sync(client, uri)
    return uri


async def change(client, uri: str, version: int, text: str) -> None:
    """Replace the whole text, and wait until the server has checked it."""
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await sync(client, uri)


async def sync(client, uri: str):
    """A request answered after every earlier notification: the server handles messages in order."""
    return await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )


def range_text(text: str, rng: lsp.Range) -> str:
    """The text an LSP range (UTF-16) covers, computed independently of the server."""
    return text[offset_of(text, rng.start) : offset_of(text, rng.end)]


def offset_of(text: str, pos: lsp.Position) -> int:
    for i in range(len(text) + 1):
        p = utf16_position(text, i)
        if (p.line, p.character) >= (pos.line, pos.character):
            return i
    return len(text)
