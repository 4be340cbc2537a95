"""End-to-end tests of the editor's second round: semantic tokens, inlay hints, "did you mean"
quick fixes and the whole workspace (diagnostics of files not open, workspace symbols), each
driven through a real `bpo lsp` over stdio by pytest-lsp's client."""

from __future__ import annotations

import asyncio

import pytest
import pytest_lsp
from lsp_util import DEMO, SERVER, accept_registrations, at, change, open_doc, range_text, sync, workspace
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from bpolang.lsp.highlight import TOKEN_MODIFIERS, TOKEN_TYPES

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def client(lsp_client: LanguageClient):
    accept_registrations(lsp_client)
    lsp_client.init_result = await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    return workspace(tmp_path_factory.mktemp("ws"))


def _tid(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


# ------------------------------------------------------------------ semantic tokens


def decode(text: str, data: list[int], legend: lsp.SemanticTokensLegend) -> list[tuple[str, str, set[str]]]:
    """(token text, type, modifiers) of LSP's relative encoding, positions read in UTF-16."""
    from lsp_util import offset_of

    out = []
    line = char = 0
    for i in range(0, len(data), 5):
        dl, dc, length, kind, mods = data[i : i + 5]
        line, char = line + dl, (char + dc if dl == 0 else dc)
        start = offset_of(text, lsp.Position(line=line, character=char))
        end = offset_of(text, lsp.Position(line=line, character=char + length))
        names = {m for b, m in enumerate(legend.token_modifiers) if mods & (1 << b)}
        out.append((text[start:end], legend.token_types[kind], names))
    return out


async def test_semantic_tokens_colour_the_contract(client: LanguageClient, ws):
    legend = client.init_result.capabilities.semantic_tokens_provider.legend
    assert list(legend.token_types) == TOKEN_TYPES and list(legend.token_modifiers) == TOKEN_MODIFIERS
    text = "# the demo\n" + DEMO.replace(
        "term: 36 months", "term: 36 months\n  renewal: tacit 12 months notice 3 months"
    )
    uri = await open_doc(client, ws / "tokens.bpo", text)
    result = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(text_document=_tid(uri)))
    tokens = decode(text, result.data, legend)
    want = [
        ("# the demo", "comment", set()),
        ("contract", "keyword", set()),
        ("demo", "type", {"declaration"}),
        ('"Démo — contrat 🚀"', "string", set()),  # UTF-16 length: the emoji counts two
        ("language", "property", set()),
        ("2027-01-01", "number", set()),
        ("36", "number", set()),
        ("months", "keyword", set()),
        ("tacit", "variable", set()),
        ("party", "keyword", set()),
        ("client", "modifier", set()),
        ("acme", "type", {"declaration"}),
        ("effective", "variable", {"readonly"}),
        ("kickoff", "variable", set()),
        ("+", "operator", set()),
        ("every", "operator", set()),
        ("500", "number", set()),
        ("EUR", "keyword", set()),
        ("10", "number", set()),
        ("%", "keyword", set()),
        ("monthly_fees", "variable", {"defaultLibrary"}),
    ]
    for item in want:
        assert item in tokens, item
    # in order, never overlapping
    assert [t for t in tokens if t in want][:3] == want[:3]


async def test_semantic_tokens_delta_rebuilds_the_full_tokens(client: LanguageClient, ws):
    legend = client.init_result.capabilities.semantic_tokens_provider.legend
    assert client.init_result.capabilities.semantic_tokens_provider.full.delta is True
    uri = await open_doc(client, ws / "delta.bpo", DEMO)
    first = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(text_document=_tid(uri)))
    new = DEMO.replace(
        "  milestone first_close", '  milestone extra "Extra" {\n    date: 2027-03-01\n  }\n  milestone first_close'
    )
    await change(client, uri, 2, new)
    delta = await client.text_document_semantic_tokens_full_delta_async(
        lsp.SemanticTokensDeltaParams(text_document=_tid(uri), previous_result_id=first.result_id)
    )
    assert isinstance(delta, lsp.SemanticTokensDelta) and len(delta.edits) == 1
    data = list(first.data)
    for e in sorted(delta.edits, key=lambda e: e.start, reverse=True):
        data[e.start : e.start + e.delete_count] = e.data or []
    assert 0 < len(delta.edits[0].data or []) < len(data) // 2  # a delta, not everything again
    full = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(text_document=_tid(uri)))
    assert data == list(full.data)
    assert ("extra", "type", {"declaration"}) in decode(new, data, legend)
    # an unknown previous id: the full tokens
    again = await client.text_document_semantic_tokens_full_delta_async(
        lsp.SemanticTokensDeltaParams(text_document=_tid(uri), previous_result_id="nope")
    )
    assert isinstance(again, lsp.SemanticTokens) and list(again.data) == list(full.data)


# ------------------------------------------------------------------ inlay hints


async def test_inlay_hints_show_computed_values(client: LanguageClient, ws):
    text = DEMO.replace("term: 36 months", "term: 36 months\n  renewal: tacit 12 months notice 3 months").replace(
        "  milestone kickoff",
        '  pricing {\n    currency: EUR\n    fee run "Run": 8000 EUR every month\n  }\n  milestone kickoff',
    )
    uri = await open_doc(client, ws / "hints.bpo", text)
    lines = text.split("\n")
    hints = await client.text_document_inlay_hint_async(
        lsp.InlayHintParams(
            text_document=_tid(uri),
            range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=len(lines), character=0)),
        )
    )
    got = {(lines[h.position.line].strip(), h.label) for h in hints}
    assert ("date: kickoff + 45 days", "→ 2027-02-15 Mon") in got
    assert ("effective: 2027-01-01", "Fri") in got
    assert ("cap: 10% of monthly_fees", "= €800.00") in got
    assert ("renewal: tacit 12 months notice 3 months", "notice by 2029-10-01 Mon") in got
    for h in hints:  # each after its value, at the end of it
        assert lines[h.position.line][h.position.character :].strip() in ("", "{")
    # only the range asked
    first_close = at(text, "date: kickoff")
    some = await client.text_document_inlay_hint_async(
        lsp.InlayHintParams(
            text_document=_tid(uri),
            range=lsp.Range(start=first_close, end=lsp.Position(line=first_close.line + 1, character=0)),
        )
    )
    assert [h.label for h in some] == ["→ 2027-02-15 Mon"]


# ------------------------------------------------------------------ quick fixes


async def _fixes(client, uri: str, text: str, needle: str) -> list[lsp.CodeAction]:
    pos = at(text, needle)
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=_tid(uri),
            range=lsp.Range(start=pos, end=pos),
            context=lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.QuickFix]),
        )
    )
    return actions or []


def _apply(text: str, action: lsp.CodeAction, uri: str) -> str:
    from lsp_util import offset_of

    for e in sorted(action.edit.changes[uri], key=lambda e: offset_of(text, e.range.start), reverse=True):
        text = text[: offset_of(text, e.range.start)] + e.new_text + text[offset_of(text, e.range.end) :]
    return text


@pytest.mark.parametrize(
    "typo, fixed, word, code",
    [
        ("applies_to: first_clos", "applies_to: first_close", "first_clos\n", "BPO014"),  # an id
        ("gdpr_rol: controller", "gdpr_role: controller", "gdpr_rol", "BPO011"),  # a key
        ("language: enn", "language: en", "enn", "BPO012"),  # a word of a closed list
        ("amount: 500 EUX", "amount: 500 EUR", "EUX", "BPO017"),  # a currency
    ],
)
async def test_did_you_mean_has_a_quick_fix(client: LanguageClient, ws, typo, fixed, word, code):
    text = DEMO.replace(fixed, typo, 1)
    assert text != DEMO
    uri = await open_doc(client, ws / f"fix_{code}.bpo", text)
    actions = [a for a in await _fixes(client, uri, text, word) if a.data and a.data["code"] == code]
    assert len(actions) == 1, actions
    action = actions[0]
    assert action.kind == lsp.CodeActionKind.QuickFix and action.title.startswith("replace with `")
    if code != "BPO017":
        assert _apply(text, action, uri) == DEMO
    else:  # difflib's closest ISO code to `EUX` is what the help line says
        assert _apply(text, action, uri) == text.replace("EUX", action.title.split("`")[1])
    await change(client, uri, 2, _apply(text, action, uri))


async def test_did_you_mean_fixes_are_not_applied_by_fix_all(client: LanguageClient, ws):
    text = DEMO.replace("applies_to: first_close", "applies_to: first_clos")
    uri = await open_doc(client, ws / "fixall.bpo", text)
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=_tid(uri),
            range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
            context=lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.SourceFixAll]),
        )
    )
    for a in actions or []:  # fix-all takes the safe fixes only: a guess is never one
        assert "first_close" not in "".join(e.new_text for e in a.edit.changes[uri])


_NO_TEXT = DEMO.replace(
    "  milestone kickoff", '  clause conf "Confidentiality" {\n    article: confidentiality\n  }\n\n  milestone kickoff'
)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def snippet_client(lsp_client: LanguageClient):
    """An editor that takes snippet edits in code actions (LSP 3.18 snippetEditSupport)."""
    accept_registrations(lsp_client)
    caps = client_capabilities("visual-studio-code")
    caps.workspace.workspace_edit.snippet_edit_support = True
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=caps))
    yield
    await lsp_client.shutdown_session()


async def test_a_missing_key_is_inserted_as_a_snippet(snippet_client: LanguageClient, ws):
    """A clause without its text: the quick fix writes `text: "…"` at the end of the block, the
    cursor between the quotes; once typed there, the finding is gone."""
    uri = await open_doc(snippet_client, ws / "snippet.bpo", _NO_TEXT)
    actions = [a for a in await _fixes(snippet_client, uri, _NO_TEXT, "clause conf") if a.data["code"] == "BPO015"]
    assert [a.title for a in actions] == ["add `text: …`"]
    (change_,) = actions[0].edit.document_changes
    (edit,) = change_.edits
    assert isinstance(edit, lsp.SnippetTextEdit)
    assert edit.snippet.value == '    text: "$1"\n'
    from lsp_util import offset_of

    at_ = offset_of(_NO_TEXT, edit.range.start)
    assert _NO_TEXT[at_:].startswith("  }\n")  # the block's closing line
    typed = _NO_TEXT[:at_] + edit.snippet.value.replace("$1", "Each Party keeps the other's information secret.")
    typed += _NO_TEXT[offset_of(_NO_TEXT, edit.range.end) :]
    await change(snippet_client, uri, 2, typed)
    again = await _fixes(snippet_client, uri, typed, "clause conf")
    assert not [a for a in again if a.data["code"] == "BPO015"]


async def test_without_snippet_edits_a_missing_key_has_no_quick_fix(client: LanguageClient, ws):
    """An editor without snippet edits gets no half-written key (`text:` with no value would not parse)."""
    uri = await open_doc(client, ws / "no_snippet.bpo", _NO_TEXT)
    actions = await _fixes(client, uri, _NO_TEXT, "clause conf")
    assert not [a for a in actions if a.data and a.data["code"] == "BPO015"]


# ------------------------------------------------------------------ the whole workspace


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = workspace(tmp_path_factory.mktemp("folder"))
    (root / "a.bpo").write_text(DEMO, encoding="utf-8")
    (root / "sub").mkdir()
    other = DEMO.replace("contract demo", "contract other").replace("kickoff", "start_m")
    (root / "sub" / "b.bpo").write_text(other.replace("applies_to: first_close", "applies_to: first_clos"), "utf-8")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "c.bpo").write_text("contract x {", encoding="utf-8")
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def folder_client(lsp_client: LanguageClient, folder):
    accept_registrations(lsp_client)
    lsp_client.init_result = await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[lsp.WorkspaceFolder(uri=folder.as_uri(), name="folder")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def _published(client, uri: str) -> list[lsp.Diagnostic]:
    for _ in range(200):
        if uri in client.diagnostics:
            return client.diagnostics[uri]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no diagnostics published for {uri}")


async def test_workspace_files_are_checked_without_being_opened(folder_client: LanguageClient, folder):
    from bpolang.check.config import ConfigResolver
    from bpolang.check.driver import findings
    from bpolang.check.pipeline import load

    b = folder / "sub" / "b.bpo"
    published = await _published(folder_client, b.as_uri())
    expected = findings(load(b), ConfigResolver().for_path(str(b)))
    assert [(d.code, d.range.start.line + 1, d.range.start.character + 1) for d in published] == [
        (d.code, d.span.line, d.span.col) for d in expected
    ]
    assert any(d.code == "BPO014" for d in published)
    assert (folder / "a.bpo").as_uri() in folder_client.diagnostics
    assert (folder / ".hidden" / "c.bpo").as_uri() not in folder_client.diagnostics
    registered = [w["globPattern"] for r in folder_client.registrations for w in r.register_options["watchers"]]
    assert "**/*.bpo" in registered


async def test_workspace_symbols_list_the_ids_of_every_file(folder_client: LanguageClient, folder):
    await _published(folder_client, (folder / "sub" / "b.bpo").as_uri())
    symbols = await folder_client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="kick"))
    assert [(s.name, s.location.uri, s.container_name) for s in symbols] == [
        ("kickoff", (folder / "a.bpo").as_uri(), "demo")
    ]
    found = await folder_client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="stm"))
    assert {s.name for s in found} == {"start_m"}
    assert found[0].kind == lsp.SymbolKind.Event
    assert range_text((folder / "sub" / "b.bpo").read_text("utf-8"), found[0].location.range) == "start_m"
    everything = await folder_client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query=""))
    assert {s.container_name for s in everything} == {"demo", "other"}


async def test_a_workspace_file_changed_on_disk_is_checked_again(folder_client: LanguageClient, folder):
    b = folder / "sub" / "b.bpo"
    await _published(folder_client, b.as_uri())
    b.write_text(b.read_text("utf-8").replace("first_clos\n", "first_close\n"), encoding="utf-8")
    folder_client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(uri=b.as_uri(), type=lsp.FileChangeType.Changed)])
    )
    await sync(folder_client, (folder / "a.bpo").as_uri())
    assert not any(d.code == "BPO014" for d in folder_client.diagnostics[b.as_uri()])
    # opened, edited and closed unsaved: back to the file as saved
    text = b.read_text("utf-8")
    uri = await open_doc(folder_client, b, text.replace("applies_to: first_close", "applies_to: nowhere"))
    assert any(d.code == "BPO014" for d in folder_client.diagnostics[uri])
    folder_client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=_tid(uri)))
    await sync(folder_client, (folder / "a.bpo").as_uri())
    assert not any(d.code == "BPO014" for d in folder_client.diagnostics[uri])


# ------------------------------------------------------------------ references across files


@pytest.fixture(scope="module")
def deal(tmp_path_factory):
    """A master, its schedule, two statements of work under it and an unrelated contract."""
    from test_composition import DPA, MASTER, SOW

    root = workspace(tmp_path_factory.mktemp("deal"))
    (root / "msa.bpo").write_text(MASTER, encoding="utf-8")
    (root / "schedules").mkdir()
    (root / "schedules" / "dpa.bpo").write_text(DPA, encoding="utf-8")
    (root / "sow.bpo").write_text(SOW, encoding="utf-8")
    (root / "sow2.bpo").write_text(SOW.replace("sow1", "sow2").replace("payroll", "benefits"), encoding="utf-8")
    (root / "alone.bpo").write_text(SOW.replace('  under: "msa.bpo"\n', ""), encoding="utf-8")
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def deal_client(lsp_client: LanguageClient, deal):
    accept_registrations(lsp_client)
    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[lsp.WorkspaceFolder(uri=deal.as_uri(), name="deal")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_references_reach_every_file_composed_with_the_master(deal_client: LanguageClient, deal):
    """Asked in a statement of work on an id its master declares: the master's declaration and
    use, and the use in each statement of work, the other one read from disk; not the
    unrelated contract that declares nothing of the master."""
    for name in ("msa.bpo", "sow2.bpo", "alone.bpo"):
        await _published(deal_client, (deal / name).as_uri())
    text = (deal / "sow.bpo").read_text("utf-8")
    uri = await open_doc(deal_client, deal / "sow.bpo", text)
    found = await deal_client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=_tid(uri),
            position=at(text, "performed_by: bpo", len("performed_by: ")),
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    got = sorted((loc.uri.rsplit("/", 1)[1], loc.range.start.line) for loc in found)
    assert got == [("msa.bpo", 8), ("msa.bpo", 10), ("sow.bpo", 4), ("sow.bpo", 15), ("sow2.bpo", 4), ("sow2.bpo", 15)]
    for loc in found:
        assert range_text((deal / loc.uri.rsplit("/", 1)[1]).read_text("utf-8"), loc.range) == "bpo"
