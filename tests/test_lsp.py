"""End-to-end tests of `bpo lsp`: a real server over stdio, driven by pytest-lsp's client."""

from __future__ import annotations

import pytest
import pytest_lsp
from lsp_util import DEMO, SERVER, accept_registrations, at, change, open_doc, range_text, sync, workspace
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from bpolang.check.rules.registry import lookup
from bpolang.format.formatter import format_text

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def client(lsp_client: LanguageClient):
    accept_registrations(lsp_client)
    result = await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    lsp_client.init_result = result
    yield
    await lsp_client.shutdown_session()


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    # only a few rules, so the tests see the diagnostics they are about
    return workspace(tmp_path_factory.mktemp("ws"), 'select = ["BPO505", "BPO103"]\n')


def _tid(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


async def test_initialize_negotiates_utf16_and_offers_the_features(client: LanguageClient):
    caps = client.init_result.capabilities
    assert caps.position_encoding in (lsp.PositionEncodingKind.Utf16, "utf-16")
    for name in (
        "hover_provider",
        "completion_provider",
        "definition_provider",
        "references_provider",
        "rename_provider",
        "document_symbol_provider",
        "folding_range_provider",
        "document_formatting_provider",
        "code_action_provider",
    ):
        assert getattr(caps, name), name


async def test_diagnostics_match_bpo_check(client: LanguageClient, ws):
    from bpolang.check.config import ConfigResolver
    from bpolang.check.driver import findings
    from bpolang.check.pipeline import parse

    text = DEMO.replace("applies_to: first_close", "applies_to: first_clos")
    path = ws / "a.bpo"
    uri = await open_doc(client, path, text)
    got = client.diagnostics[uri]
    expected = findings(parse(text, str(path)), ConfigResolver().for_path(path))
    assert [d.code for d in got] == [d.code for d in expected]
    unknown = next(d for d in got if d.code == "BPO014")
    assert range_text(text, unknown.range) == "first_clos"
    assert unknown.severity == lsp.DiagnosticSeverity.Error
    assert unknown.code_description.href == lookup("BPO014").url()
    assert unknown.source == "bpo"
    assert "help: did you mean `first_close`?" in unknown.message
    warning = next(d for d in got if d.code == "BPO505")
    assert warning.severity == lsp.DiagnosticSeverity.Warning


async def test_related_information_from_labels(client: LanguageClient, ws):
    text = DEMO.replace('deliverable report_m "Monthly report"', 'deliverable kickoff "Monthly report"')
    uri = await open_doc(client, ws / "dup.bpo", text)
    dup = next(d for d in client.diagnostics[uri] if d.code == "BPO013")
    assert range_text(text, dup.range) == "kickoff"
    (rel,) = dup.related_information
    assert rel.location.uri == uri
    assert range_text(text, rel.location.range) == "kickoff"
    # the two declarations: the milestone's id and the deliverable's
    pos = lambda p: (p.line, p.character)  # noqa: E731
    assert {pos(dup.range.start), pos(rel.location.range.start)} == {
        pos(at(text, "kickoff")),
        pos(at(text, "kickoff", nth=3)),
    }
    assert "first declared here" in rel.message


async def test_unused_suppression_is_tagged_unnecessary(client: LanguageClient, ws):
    text = DEMO.replace("  milestone kickoff", "  # bpo: ignore[BPO103] no deliverable here\n  milestone kickoff")
    uri = await open_doc(client, ws / "supp.bpo", text)
    unused = next(d for d in client.diagnostics[uri] if d.code == "BPO090")
    assert list(unused.tags) == [lsp.DiagnosticTag.Unnecessary]


async def test_hover(client: LanguageClient, ws):
    uri = await open_doc(client, ws / "hover.bpo", DEMO)

    async def hover(pos):
        h = await client.text_document_hover_async(lsp.HoverParams(text_document=_tid(uri), position=pos))
        return h.contents.value if h else None

    assert "block in `contract`" in await hover(at(DEMO, "milestone kickoff", 2))
    key = await hover(at(DEMO, "date: kickoff", 1))
    assert "key of `milestone`" in key and "a date such as" in key
    # kickoff is the effective date, 2027-01-01; 45 days later is 2027-02-15
    assert "2027-02-15" in await hover(at(DEMO, "+ 45 days", 3))
    recurrence = await hover(at(DEMO, "every month", 2))
    # first_close is 2027-02-15: the 5th of each month from then on
    assert "Next: 2027-03-05, 2027-04-05, 2027-05-05" in recurrence
    assert "10% of the Monthly Charges" in await hover(at(DEMO, "10% of", 1))
    ref = await hover(at(DEMO, "applies_to: first_close", 14))
    assert "milestone" in ref and "first_close" in ref and "2027-02-15" in ref
    # a diagnostic: the rule's documentation and its link
    rule = await hover(at(DEMO, "report_m", 2))
    assert "BPO103" in rule and lookup("BPO103").url() in rule


async def test_hover_on_a_translated_title(client: LanguageClient, ws):
    text = DEMO.replace('milestone kickoff "Kickoff" {', 'milestone kickoff "Kickoff" / fr: "Lancement" {')
    assert text != DEMO
    uri = await open_doc(client, ws / "translated.bpo", text)

    async def hover(pos):
        h = await client.text_document_hover_async(lsp.HoverParams(text_document=_tid(uri), position=pos))
        return h.contents.value if h else None

    assert "block in `contract`" in await hover(at(text, "milestone kickoff", 2))
    assert "Translation into **French**" in await hover(at(text, "/ fr:", 2))
    # the block keeps its place for the values after it
    assert "2027-02-15" in await hover(at(text, "+ 45 days", 3))


async def test_hover_values_a_cap_from_the_fees(client: LanguageClient, ws):
    text = DEMO.replace(
        "  penalty late_close",
        '  pricing {\n    currency: EUR\n    fee run "Run": 8500 EUR every month\n  }\n  penalty late_close',
    )
    uri = await open_doc(client, ws / "cap.bpo", text)
    h = await client.text_document_hover_async(lsp.HoverParams(text_document=_tid(uri), position=at(text, "10% of", 1)))
    # 10% of 8500 EUR a month
    assert "10% of the Monthly Charges" in h.contents.value and "€850.00" in h.contents.value


async def _labels(client, uri, pos):
    result = await client.text_document_completion_async(lsp.CompletionParams(text_document=_tid(uri), position=pos))
    items = result.items if isinstance(result, lsp.CompletionList) else result
    return [i.label for i in items]


async def test_completion_right_after_a_change_reads_the_new_text(client: LanguageClient, ws):
    """Completion asked with the keystroke, before its check, answers for the text as typed."""
    uri = await open_doc(client, ws / "comp_typing.bpo", DEMO)
    typed = [
        DEMO.replace("  deliverable report_m", '  milestone m2 "M2" {\n    ' + line + "\n  deliverable report_m", 1)
        for line in ("", "after: [")
    ]
    results = []
    for version, (text, needle, delta) in enumerate(
        [(typed[0], "    \n  deliverable", 4), (typed[1], "after: [\n", 8)], start=2
    ):
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        results.append(set(await _labels(client, uri, at(text, needle, delta))))
    # a milestone's keys in the block being typed, its braces unbalanced
    assert {"date", "after", "owner"} <= results[0]
    # the ids, of the analysis at hand, where a milestone is expected
    assert {"kickoff", "first_close"} <= results[1]
    await sync(client, uri)


async def test_hover_right_after_a_change_reads_the_analysis_at_hand(client: LanguageClient, ws):
    """Hover asked with a change, away from it, answers before the check, its range in the new text."""
    uri = await open_doc(client, ws / "hover_typing.bpo", DEMO)
    for version, extra in enumerate(["  note: 1\n", "  note: 12\n  # a comment line 🚀\n"], start=2):
        text = DEMO.replace("  language: en\n", "  language: en\n" + extra, 1)
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        result = await client.text_document_hover_async(
            lsp.HoverParams(text_document=_tid(uri), position=at(text, "kickoff + 45", 2))
        )
        assert "2027-02-15" in result.contents.value
        assert range_text(text, result.range) == "kickoff"
    await sync(client, uri)


async def test_completion_keys_and_blocks(client: LanguageClient, ws):
    text = DEMO.replace("    date: effective\n", "    date: effective\n    \n")
    uri = await open_doc(client, ws / "comp.bpo", text)
    labels = await _labels(client, uri, at(text, "    \n", 4))
    assert set(labels) == {"after", "owner", "description", "long_stop"}  # `date` is already there
    top = await _labels(client, uri, at(text, "\n\n  party", 1))
    assert {"milestone", "party", "sla", "pricing", "penalty"} <= set(top)
    assert "language" not in top and "effective" not in top  # keys already given
    assert {"jurisdiction", "renewal"} <= set(top)


async def test_completion_values(client: LanguageClient, ws):
    text = DEMO.replace("applies_to: first_close", "applies_to: ").replace("gdpr_role: controller", "gdpr_role: ")
    text = text.replace("term: 36 months", "term: 36 ").replace("owner: prov", "owner: p")
    text = text.replace("party provider prov", "party ")
    uri = await open_doc(client, ws / "values.bpo", text)
    refs = await _labels(client, uri, at(text, "applies_to: ", 12))
    assert {"kickoff", "first_close", "report_m"} <= set(refs)
    assert "acme" not in refs  # a party is no target of a penalty
    assert {"controller", "processor", "joint_controller", "none"} <= set(
        await _labels(client, uri, at(text, "gdpr_role: ", 11))
    )
    units = await _labels(client, uri, at(text, "term: 36 ", 9))
    assert "months" in units and "business days" in units
    owners = await _labels(client, uri, at(text, "owner: p", 8))
    assert "acme" in owners and "kickoff" not in owners
    assert {"client", "provider", "other"} <= set(await _labels(client, uri, at(text, 'party  "Prov"', 6)))


async def test_completion_currency(client: LanguageClient, ws):
    text = DEMO.replace(
        "  penalty late_close",
        "  pricing {\n    currency: \n    payment_terms: \n    minimum: 100 \n  }\n  penalty late_close",
    )
    uri = await open_doc(client, ws / "cur.bpo", text)
    labels = await _labels(client, uri, at(text, "currency: ", 10))
    codes = [x for x in labels if x.isupper()]
    assert codes[:4] == ["CHF", "EUR", "GBP", "USD"]  # the common ones first
    assert {"redacted", "tbd"} <= set(labels)
    assert "JPY" in labels and "XYZ" not in labels
    assert "EUR" in await _labels(client, uri, at(text, "minimum: 100 ", 13))
    terms = await _labels(client, uri, at(text, "payment_terms: ", 15))
    # a phrase's choices are words (`end of month`), not the model's names
    assert "end_of_month" not in terms and {"redacted", "tbd"} <= set(terms)


async def test_definition_and_references(client: LanguageClient, ws):
    uri = await open_doc(client, ws / "nav.bpo", DEMO)
    defs = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=_tid(uri), position=at(DEMO, "kickoff + 45", 2))
    )
    assert [d.range.start for d in defs] == [at(DEMO, "kickoff")]
    refs = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=_tid(uri),
            position=at(DEMO, "kickoff"),
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert sorted((r.range.start.line, r.range.start.character) for r in refs) == sorted(
        (p.line, p.character) for p in (at(DEMO, "kickoff"), at(DEMO, "kickoff", nth=1), at(DEMO, "kickoff", nth=2))
    )
    assert all(range_text(DEMO, r.range) == "kickoff" for r in refs)
    without = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=_tid(uri),
            position=at(DEMO, "kickoff"),
            context=lsp.ReferenceContext(include_declaration=False),
        )
    )
    assert len(without) == 2


async def test_rename(client: LanguageClient, ws):
    uri = await open_doc(client, ws / "ren.bpo", DEMO)
    pos = at(DEMO, "first_close", 3)
    edit = await client.text_document_rename_async(
        lsp.RenameParams(text_document=_tid(uri), position=pos, new_name="close_one")
    )
    edits = edit.changes[uri]
    assert len(edits) == 3 and all(range_text(DEMO, e.range) == "first_close" for e in edits)
    for bad, why in (
        ("2nd", "not a valid id"),
        ("acme", "already the id of a party"),
        ("effective", "built-in"),
        ("clôture", "not a valid id"),
    ):
        with pytest.raises(Exception, match=why):
            await client.text_document_rename_async(
                lsp.RenameParams(text_document=_tid(uri), position=pos, new_name=bad)
            )
    # the server still answers after refusing
    assert await sync(client, uri)


async def test_document_symbols_nested(client: LanguageClient, ws):
    uri = await open_doc(client, ws / "sym.bpo", DEMO)
    (top,) = await sync(client, uri)
    assert top.name == "contract demo" and top.kind == lsp.SymbolKind.Module
    assert top.detail == "Démo — contrat 🚀"
    names = [c.name for c in top.children]
    assert "milestone kickoff" in names and "penalty late_close" in names and "language" in names
    kickoff = next(c for c in top.children if c.name == "milestone kickoff")
    assert [c.name for c in kickoff.children] == ["date"]
    assert range_text(DEMO, kickoff.selection_range) == "kickoff"


async def test_last_good_outline_kept_while_broken(client: LanguageClient, ws):
    uri = await open_doc(client, ws / "broken.bpo", DEMO)
    good = await sync(client, uri)
    broken = DEMO.replace("  milestone kickoff", "  !!! {{\n  milestone kickoff", 1)
    await change(client, uri, 2, broken)
    assert any(d.code == "BPO001" or d.code == "BPO002" for d in client.diagnostics[uri])
    (top,) = await sync(client, uri)
    assert [c.name for c in top.children] == [c.name for c in good[0].children]
    penalty = next(c for c in top.children if c.name == "penalty late_close")
    assert range_text(broken, penalty.selection_range) == "late_close"
    # the ids are still offered while the text is broken
    broken = DEMO.replace("  milestone kickoff", "  !!! oops\n  milestone kickoff", 1).replace(
        "applies_to: first_close", "applies_to: "
    )
    await change(client, uri, 3, broken)
    assert any(d.code == "BPO002" for d in client.diagnostics[uri])
    assert "first_close" in await _labels(client, uri, at(broken, "applies_to: ", 12))


async def test_folding_ranges(client: LanguageClient, ws):
    text = "# a\n# b\n# c\n" + DEMO
    uri = await open_doc(client, ws / "fold.bpo", text)
    ranges = await client.text_document_folding_range_async(lsp.FoldingRangeParams(text_document=_tid(uri)))
    spans = {(r.start_line, r.end_line, r.kind) for r in ranges}
    assert (0, 2, lsp.FoldingRangeKind.Comment) in spans
    contract_line = 3
    last = text.count("\n") - 1  # the closing brace's line
    assert (contract_line, last - 1, lsp.FoldingRangeKind.Region) in spans


async def test_formatting(client: LanguageClient, ws):
    messy = DEMO.replace("  term: 36 months", "  term:   36  months").replace("    date: effective", "date:effective")
    uri = await open_doc(client, ws / "fmt.bpo", messy)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(
            text_document=_tid(uri), options=lsp.FormattingOptions(tab_size=2, insert_spaces=True)
        )
    )
    assert edits
    out = _apply(messy, edits)
    assert out == format_text(messy) == DEMO


async def test_formatting_gives_no_edits_on_a_broken_file(client: LanguageClient, ws):
    broken = DEMO.replace("term: 36 months", "term: 36 months {")
    uri = await open_doc(client, ws / "fmtbroken.bpo", broken)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(
            text_document=_tid(uri), options=lsp.FormattingOptions(tab_size=2, insert_spaces=True)
        )
    )
    assert not edits


async def test_formatting_of_a_formatted_file_gives_no_edits(client: LanguageClient, ws):
    uri = await open_doc(client, ws / "fmtok.bpo", DEMO)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(
            text_document=_tid(uri), options=lsp.FormattingOptions(tab_size=2, insert_spaces=True)
        )
    )
    assert not edits


async def test_code_actions_offer_the_fixes(client: LanguageClient, tmp_path):
    root = workspace(tmp_path / "fix", 'select = ["BPO505"]\n')
    uri = await open_doc(client, root / "fix.bpo", DEMO)
    diag = next(d for d in client.diagnostics[uri] if d.code == "BPO505")
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=_tid(uri),
            range=diag.range,
            context=lsp.CodeActionContext(diagnostics=[diag], only=[lsp.CodeActionKind.QuickFix]),
        )
    )
    (action,) = actions
    assert action.kind == lsp.CodeActionKind.QuickFix and action.is_preferred  # a safe fix
    assert action.diagnostics[0].code == "BPO505"
    fixed = _apply(DEMO, action.edit.changes[uri])
    assert "formal_notice: required" in fixed
    await change(client, uri, 2, fixed)
    assert not any(d.code == "BPO505" for d in client.diagnostics[uri])


async def test_unsafe_fix_is_marked(client: LanguageClient, tmp_path):
    root = workspace(tmp_path / "unsafe", 'select = ["BPO302"]\n')
    text = DEMO.replace(
        "  penalty late_close",
        '  pricing {\n    currency: EUR\n    fee run "Run": 100 GBP every month\n  }\n  penalty late_close',
    )
    uri = await open_doc(client, root / "unsafe.bpo", text)
    diags = [d for d in client.diagnostics[uri] if d.code == "BPO302"]
    assert diags, client.diagnostics[uri]
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=_tid(uri), range=diags[0].range, context=lsp.CodeActionContext(diagnostics=diags)
        )
    )
    quick = [a for a in actions if a.kind == lsp.CodeActionKind.QuickFix]
    assert quick and all("unsafe" in a.title and not a.is_preferred for a in quick)
    # an unsafe fix is never part of "fix all"
    assert not any(a.kind == lsp.CodeActionKind.SourceFixAll for a in actions)


async def test_fix_all_applies_every_safe_fix(client: LanguageClient, tmp_path):
    root = workspace(tmp_path / "fixall", 'select = ["BPO505", "BPO103"]\n')
    # two safe fixes: the penalty's formal notice, and an unused suppression to remove
    text = DEMO.replace("  milestone kickoff", "  # bpo: ignore[BPO103] no deliverable here\n  milestone kickoff")
    uri = await open_doc(client, root / "all.bpo", text)
    assert {"BPO505", "BPO090"} <= {d.code for d in client.diagnostics[uri]}
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=_tid(uri),
            range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
            context=lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.SourceFixAll]),
        )
    )
    (fix_all,) = actions
    assert fix_all.kind == lsp.CodeActionKind.SourceFixAll and "2 safe fixes" in fix_all.title
    fixed = _apply(text, fix_all.edit.changes[uri])
    assert "formal_notice: required" in fixed and "bpo: ignore" not in fixed
    await change(client, uri, 2, fixed)
    assert not {"BPO505", "BPO090"} & {d.code for d in client.diagnostics[uri]}


async def test_diagnostics_honour_bpolang_toml(client: LanguageClient, tmp_path):
    plain = workspace(tmp_path / "plain")
    configured = workspace(tmp_path / "configured", 'ignore = ["BPO505"]\n[severity]\nBPO103 = "info"\n')
    a = await open_doc(client, plain / "c.bpo", DEMO)
    b = await open_doc(client, configured / "c.bpo", DEMO)
    codes_a = {d.code: d.severity for d in client.diagnostics[a]}
    codes_b = {d.code: d.severity for d in client.diagnostics[b]}
    assert "BPO505" in codes_a and "BPO505" not in codes_b
    assert codes_a["BPO103"] == lsp.DiagnosticSeverity.Error
    assert codes_b["BPO103"] == lsp.DiagnosticSeverity.Information
    # an invalid configuration is reported, and the defaults are used
    (configured / "bpolang.toml").write_text('ignor = ["BPO505"]\n', encoding="utf-8")
    await change(client, b, 2, DEMO)
    first = client.diagnostics[b][0]
    assert "configuration not used" in first.message and "ignor" in first.message
    assert any(d.code == "BPO505" for d in client.diagnostics[b])


async def test_handlers_answer_on_unknown_documents_and_odd_positions(client: LanguageClient, ws):
    uri = (ws / "never-opened.bpo").as_uri()
    assert (
        await client.text_document_hover_async(
            lsp.HoverParams(text_document=_tid(uri), position=lsp.Position(line=0, character=0))
        )
        is None
    )
    opened = await open_doc(client, ws / "odd.bpo", DEMO)
    far = lsp.Position(line=10_000, character=10_000)
    await client.text_document_hover_async(lsp.HoverParams(text_document=_tid(opened), position=far))
    await _labels(client, opened, far)
    assert await sync(client, opened)


def _apply(text: str, edits: list[lsp.TextEdit]) -> str:
    from lsp_util import offset_of

    spans = sorted(
        ((offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text) for e in edits), reverse=True
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


async def test_configuration_change_rechecks_open_files(client: LanguageClient, tmp_path):
    root = workspace(tmp_path / "watched")
    uri = await open_doc(client, root / "w.bpo", DEMO)
    assert any(d.code == "BPO505" for d in client.diagnostics[uri])
    assert [r.method for r in client.registrations] == [lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    config = root / "bpolang.toml"
    config.write_text('ignore = ["BPO505"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(uri=config.as_uri(), type=lsp.FileChangeType.Created)])
    )
    await sync(client, uri)
    assert not any(d.code == "BPO505" for d in client.diagnostics[uri])
