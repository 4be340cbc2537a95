"""Random edit sequences against the real server: it never stops answering.

A hypothesis state machine inserts fragments of the example contracts and random characters
(accents, emoji, braces, quotes, line breaks) and deletes ranges, as incremental changes in
UTF-16 positions.  After each step the server answers documentSymbol, hover and completion,
and the diagnostics it published lie inside the document and are exactly those of a whole
check of the text (the server computes them by incremental re-checks).
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from lsp_util import DEMO, SERVER, accept_registrations, utf16_position, workspace
from lsprotocol import types as lsp
from pygls.uris import to_fs_path
from pytest_lsp import client_capabilities, make_test_lsp_client

from bpolang.lsp.diagnostics import publishable
from bpolang.lsp.documents import Configs, analyse

EXAMPLES = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parent.parent / "examples").glob("*.bpo"))]
CHARS = st.lists(
    st.sampled_from(list('{}[]():,;"#%+-_ \n\r\t') + ["é", "🚀", "\r\n", "a", "z", "9", "€", "\u2028"]), max_size=12
).map("".join)


class Server:
    """One real server for many state-machine runs, driven from synchronous code."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.client = make_test_lsp_client()
        accept_registrations(self.client)
        self.run(self.client.start_io(*SERVER))
        self.run(
            self.client.initialize_session(lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
        )
        self.ids = itertools.count()

    def run(self, coro, timeout: float = 60):
        return self.loop.run_until_complete(asyncio.wait_for(coro, timeout))

    def close(self) -> None:
        try:
            self.run(self.client.shutdown_session(), timeout=10)
        finally:
            self.run(self.client.stop(), timeout=10)
            self.loop.close()


def machine(server: Server, folder: Path, base: str):
    class Edits(RuleBasedStateMachine):
        @initialize()
        def open(self):
            self.text = base
            self.version = 1
            self.uri = (folder / f"doc{next(server.ids)}.bpo").as_uri()
            server.client.text_document_did_open(
                lsp.DidOpenTextDocumentParams(
                    text_document=lsp.TextDocumentItem(uri=self.uri, language_id="bpo", version=1, text=base)
                )
            )

        def edit(self, start: int, end: int, new: str) -> None:
            rng = lsp.Range(start=utf16_position(self.text, start), end=utf16_position(self.text, end))
            self.text = self.text[:start] + new + self.text[end:]
            self.version += 1
            server.client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    text_document=lsp.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
                    content_changes=[lsp.TextDocumentContentChangePartial(range=rng, text=new)],
                )
            )

        def _offset(self, data) -> int:
            offset = data.draw(st.integers(0, len(self.text)))
            if 0 < offset < len(self.text) and self.text[offset - 1 : offset + 1] == "\r\n":
                offset -= 1  # an editor never puts the cursor between CR and LF
            return offset

        @rule(data=st.data())
        def insert_fragment(self, data):
            source = data.draw(st.sampled_from(EXAMPLES))
            start = data.draw(st.integers(0, len(source) - 1))
            fragment = source[start : start + data.draw(st.integers(1, 200))]
            at = self._offset(data)
            self.edit(at, at, fragment)

        @rule(data=st.data(), chars=CHARS)
        def insert_characters(self, data, chars):
            at = self._offset(data)
            self.edit(at, at, chars)

        @rule(data=st.data())
        def delete(self, data):
            a, b = sorted((self._offset(data), self._offset(data)))
            self.edit(a, b, "")

        @invariant()
        def still_answers(self):
            if not hasattr(self, "uri"):
                return
            tid = lsp.TextDocumentIdentifier(uri=self.uri)
            symbols = server.run(
                server.client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=tid))
            )
            assert isinstance(symbols, list)
            # the diagnostics were published before that answer: they describe this text
            lines = self.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            for d in server.client.diagnostics.get(self.uri, []):
                for p in (d.range.start, d.range.end):
                    assert 0 <= p.line < len(lines), (d, len(lines))
                    assert 0 <= p.character <= len(lines[p.line].encode("utf-16-le")) // 2, (d, lines[p.line])
                assert (d.range.start.line, d.range.start.character) <= (d.range.end.line, d.range.end.character)
            # and they are those of a whole check of this text (the server re-checks incrementally)
            expected = publishable(
                analyse(self.text, self.version, to_fs_path(self.uri), "utf-16", Configs()), self.uri
            )
            got = server.client.diagnostics.get(self.uri, [])
            assert [(d.range, d.code, d.message, d.severity) for d in got] == [
                (d.range, d.code, d.message, d.severity) for d in expected
            ]
            middle = utf16_position(self.text, len(self.text) // 2)
            server.run(server.client.text_document_hover_async(lsp.HoverParams(text_document=tid, position=middle)))
            server.run(
                server.client.text_document_completion_async(lsp.CompletionParams(text_document=tid, position=middle))
            )
            assert server.client.error is None

    return Edits


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.close()


def _no_internal_error(server: Server, capfd) -> None:
    server.run(asyncio.sleep(0.2))  # let the server's stderr be forwarded
    err = capfd.readouterr().err
    assert "internal error" not in err and "Traceback" not in err, err


def test_random_edits_never_stop_the_server(server, tmp_path, capfd):
    folder = workspace(tmp_path)
    run_state_machine_as_test(
        machine(server, folder, DEMO),
        settings=settings(
            max_examples=12, stateful_step_count=8, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
    _no_internal_error(server, capfd)


@pytest.mark.slow
def test_random_edits_on_a_full_example(server, tmp_path, capfd):
    folder = workspace(tmp_path)
    run_state_machine_as_test(
        machine(server, folder, EXAMPLES[0]),
        settings=settings(
            max_examples=15, stateful_step_count=15, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
    _no_internal_error(server, capfd)
