"""Positions: code-point spans to LSP positions and back, in each position encoding.

Accents, astral-plane emoji, CRLF and lone CR, with the real server and with the codec alone.
"""

from __future__ import annotations

import pytest
import pytest_lsp
from hypothesis import given
from hypothesis import strategies as st
from lsp_util import SERVER, accept_registrations, open_doc, workspace
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from bpolang.lsp.positions import PositionCodec

served = pytest.mark.asyncio(loop_scope="module")

# one line with accents and astral-plane emoji before an unknown reference
LINE = '  milestone m "Jalon é 🚀🎉 à" { date: kickof + 1 day }'
BODY = ['contract c "Contrat — 𝄞 ß" {', "  milestone kickoff {", "    date: 2027-01-01", "  }", LINE, "}", ""]


def units(text: str, encoding: str) -> int:
    return (
        len(text.encode({"utf-8": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}[encoding]))
        // ({"utf-8": 1, "utf-16": 2, "utf-32": 4}[encoding])
    )


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER), scope="module", params=["utf-8", "utf-16", "utf-32"]
)
async def client(lsp_client: LanguageClient, request):
    accept_registrations(lsp_client)
    caps = client_capabilities("visual-studio-code")
    caps.general = lsp.GeneralClientCapabilities(position_encodings=[request.param])
    result = await lsp_client.initialize_session(lsp.InitializeParams(capabilities=caps))
    lsp_client.encoding = str(result.capabilities.position_encoding)
    yield
    await lsp_client.shutdown_session()


@served
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
async def test_diagnostic_and_definition_positions(client: LanguageClient, tmp_path, newline):
    enc = client.encoding
    assert enc in ("utf-8", "utf-16", "utf-32")
    text = newline.join(BODY)
    uri = await open_doc(client, workspace(tmp_path / "ws", 'select = ["BPO014"]\n') / "p.bpo", text)
    diag = next(d for d in client.diagnostics[uri] if d.code == "BPO014")
    col = LINE.index("kickof")
    assert diag.range.start == lsp.Position(line=4, character=units(LINE[:col], enc))
    assert diag.range.end == lsp.Position(line=4, character=units(LINE[: col + len("kickof")], enc))
    # the title's range on line 0 ends after the astral-plane character
    (top,) = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )
    assert top.range.start == lsp.Position(line=0, character=0)
    assert top.range.end == lsp.Position(line=5, character=1)
    m = next(c for c in top.children if c.name == "milestone m")
    assert m.selection_range.start == lsp.Position(line=4, character=units(LINE[: LINE.index("m ")], enc))
    # a request at a position after the emoji finds the right token
    fixed = text.replace("kickof +", "kickoff +")
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    fixed_line = LINE.replace("kickof +", "kickoff +")
    pos = lsp.Position(line=4, character=units(fixed_line[: fixed_line.index("kickoff") + 3], enc))
    defs = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=pos)
    )
    assert [d.range for d in defs] == [
        lsp.Range(start=lsp.Position(line=1, character=12), end=lsp.Position(line=1, character=19))
    ]


@served
async def test_incremental_edit_after_emoji(client: LanguageClient, tmp_path):
    """An incremental change addressed in the negotiated units lands where it should."""
    enc = client.encoding
    text = "\n".join(BODY)
    uri = await open_doc(client, workspace(tmp_path / "inc", 'select = ["BPO014"]\n') / "i.bpo", text)
    col = LINE.index("kickof") + len("kickof")
    at = lsp.Position(line=4, character=units(LINE[:col], enc))
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangePartial(range=lsp.Range(start=at, end=at), text="f")],
        )
    )
    await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )
    assert not any(d.code == "BPO014" for d in client.diagnostics[uri])


# ------------------------------------------------------------------ the codec alone
def reference_position(text: str, offset: int, encoding: str) -> tuple[int, int]:
    """Line and column computed naively: split at CRLF, CR or LF; count the encoding's units."""
    import re

    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    line = max(i for i, s in enumerate(starts) if s <= offset)
    # an offset between CR and LF belongs to the end of the line
    return line, units(text[starts[line] : offset], encoding)


alphabet = st.sampled_from(["a", "é", "ß", "🚀", "𝄞", "\n", "\r", "\r\n", " ", "\u2028", "\t", "中"])


@given(st.lists(alphabet, max_size=40).map("".join), st.data(), st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_codec_round_trip(text, data, encoding):
    codec = PositionCodec(text, encoding)
    offset = data.draw(st.integers(0, len(text)))
    if offset and text[offset - 1 : offset + 1] == "\r\n":
        offset -= 1  # not a position inside a line break
    pos = codec.position(offset)
    assert (pos.line, pos.character) == reference_position(text, offset, encoding)
    assert codec.offset(pos) == offset


def test_codec_clamps_and_never_splits_a_character():
    codec = PositionCodec("a🚀b\r\nc", "utf-16")
    assert codec.offset(lsp.Position(line=0, character=2)) == 1  # inside the surrogate pair: its start
    assert codec.offset(lsp.Position(line=0, character=99)) == 3  # past the end: the end of the line
    assert codec.offset(lsp.Position(line=9, character=0)) == 6
    assert codec.position(4) == lsp.Position(line=0, character=4)  # between CR and LF: the end of the line


def test_codec_bom_offsets():
    # the parser sees the text without its BOM; the editor's text has it
    codec = PositionCodec("\ufeffab\ncd", "utf-16")
    assert codec.position(0) == lsp.Position(line=0, character=1)
    assert codec.position(3) == lsp.Position(line=1, character=0)
    assert codec.offset(lsp.Position(line=1, character=1)) == 4


def test_changes_use_the_lsp_line_breaks_only():
    from bpolang.lsp.positions import apply_change

    text = "a\u2028b\x0cc\nd"  # U+2028 and form feed are not line breaks in LSP
    change = lsp.TextDocumentContentChangePartial(
        range=lsp.Range(start=lsp.Position(line=0, character=4), end=lsp.Position(line=1, character=0)), text="X"
    )
    assert apply_change(text, change, "utf-16") == "a\u2028b\x0cXd"
    # with a BOM in the editor's text, (0, 0) is before it and (0, 1) after it
    bom = "\ufeffab"
    at_start = lsp.TextDocumentContentChangePartial(
        range=lsp.Range(start=lsp.Position(line=0, character=1), end=lsp.Position(line=0, character=1)), text="Z"
    )
    assert apply_change(bom, at_start, "utf-16") == "\ufeffZab"
    emoji = lsp.TextDocumentContentChangePartial(
        range=lsp.Range(start=lsp.Position(line=0, character=2), end=lsp.Position(line=0, character=4)), text=""
    )
    assert apply_change("🚀🎉x", emoji, "utf-16") == "🚀x"
    # in UTF-8 units the first emoji spans columns 0 to 4: column 2 snaps to its start
    assert apply_change("🚀🎉x", emoji, "utf-8") == "🎉x"


@served
async def test_incremental_changes_around_a_line_separator(client: LanguageClient, tmp_path):
    """U+2028 is no line break in LSP: a range past it on the same line is honoured (pygls alone gets this wrong)."""
    enc = client.encoding
    text = 'contract c "C" {}\n'
    uri = await open_doc(client, workspace(tmp_path / "sep") / "s.bpo", "\u2028" + text)
    assert any(d.code == "BPO002" for d in client.diagnostics[uri])
    end = lsp.Position(line=0, character=units("\u2028contract", enc))
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                lsp.TextDocumentContentChangePartial(
                    range=lsp.Range(start=lsp.Position(line=0, character=0), end=end), text="contract"
                )
            ],
        )
    )
    await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )
    assert not any(d.code in ("BPO001", "BPO002") for d in client.diagnostics[uri]), client.diagnostics[uri]
