"""The bpolang language server (pygls 2.x, stdio).

It holds no contract logic: each change runs the same functions as `bpo check`, and the
features below only adapt positions and messages.  Every handler is guarded: an exception
is logged and answered with an empty result, so no edit can stop the server.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import to_fs_path

from bpolang import __version__
from bpolang.base.gcpause import paused_gc
from bpolang.lsp.documents import Configs, Document, analyse
from bpolang.lsp.highlight import LEGEND, Highlighter
from bpolang.lsp.positions import apply_change
from bpolang.lsp.workspace import Index

log = logging.getLogger("bpolang.lsp")
READ_AHEAD = 0.003  # seconds: pygls reads each message in a thread, a few hops of its loop each
IDLE_COLLECT = 2.0  # seconds without a check before the collector goes over the whole heap


class RequestFailed(JsonRpcException):
    """A request refused on purpose (LSP's RequestFailed), with a message for the user."""

    CODE = -32803


class BpoProtocol(LanguageServerProtocol):
    """pygls' protocol, except that bpolang applies text changes itself.

    pygls applies an incremental change through ``str.splitlines`` (which also breaks at
    U+2028, form feed...) and rewrites the change's range in place while doing so: the
    server would see, and check, another text than the editor's.
    """

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: lsp.DidChangeTextDocumentParams):
        if (user_handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield user_handler, (params,), None


class Converted:
    """A result already in JSON values (sent as it is, not converted again)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _converter():
    from pygls.protocol import default_converter

    converter = default_converter()
    converter.register_unstructure_hook(Converted, lambda c: c.value)
    return converter


class BpoServer(LanguageServer):
    def __init__(self) -> None:
        converter = _converter()
        super().__init__("bpo", __version__, protocol_cls=BpoProtocol, converter_factory=lambda: converter)
        self.converter = converter
        self.documents: dict[str, Document] = {}
        self.configs = Configs()
        self.pending: set[str] = set()
        self.texts: dict[str, tuple[str, int | None]] = {}  # uri -> (text, version), kept by bpolang
        self.highlighter = Highlighter()
        self.index = Index()  # the workspace's .bpo files (empty without a workspace folder)
        self.scan_queue: list[Path] = []
        self.checks = 0  # checks made so far (the collector waits for a pause between them)

    @property
    def encoding(self) -> str:
        try:
            enc = self.workspace.position_encoding or "utf-16"
            return str(getattr(enc, "value", enc))
        except RuntimeError:  # no workspace before initialize
            return "utf-16"

    def check(self, uri: str) -> None:
        """Analyse the open document and publish its diagnostics."""
        from bpolang.lsp.diagnostics import publishable

        if uri not in self.texts:
            return
        text, version = self.texts[uri]
        path = to_fs_path(uri) if uri.startswith("file:") else None
        # The collector stays paused until the diagnostics are sent: its passes over the new
        # tree then run while the user reads them, not between a keystroke and its diagnostics.
        with paused_gc():
            doc = self.documents.setdefault(uri, Document(uri))
            analysis = analyse(text, version, path, self.encoding, self.configs, doc)
            doc.update(analysis)
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=publishable(analysis, uri), version=version)
            )
        self.settle()

    def settle(self) -> None:
        """After a check: freeze the heap, and collect it once the editor pauses.

        What a check builds lives until the next edit.  The cyclic collector's full passes
        would go over all of it (about 0.3 s for a 10,000-line contract, at times while the
        next keystroke waits); frozen, it is skipped by the passes that requests and messages
        set off, and reference counting still frees it as usual.  The few reference cycles
        among what was frozen are collected when no check has come for IDLE_COLLECT seconds.
        """
        import asyncio
        import gc

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (direct calls): nothing would collect what is frozen
            return
        gc.freeze()
        self.checks += 1
        loop.call_later(IDLE_COLLECT, self._collect_when_idle, self.checks)

    def _collect_when_idle(self, checks: int) -> None:
        import gc

        if checks != self.checks or self.pending:
            return  # checked since, or about to be: wait for the next pause
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def recheck_dependants(self, path: str) -> None:
        """Check again the open documents composed with a file that changed on disk: the
        statements of work under a master, the contracts using a schedule (they read it from disk)."""
        import os

        real = os.path.realpath(path)
        for uri, doc in list(self.documents.items()):
            parts = getattr(getattr(doc.current, "result", None), "parts", None) or {}
            if uri in self.texts and any(os.path.realpath(p) == real for p in parts):
                self.pending.add(uri)
                self.flush(uri)

    def composed_with(self, path: str | None, besides: str) -> list:
        """(uri, analysis) of the files that are, or are composed of, the file ``path`` (a real
        path): the master declaring an id and the statements of work under it, open or in the
        workspace; open documents are read as the editor holds them, the others from disk."""
        import os

        from bpolang.base.errors import InputError
        from bpolang.lsp.documents import analyse_file
        from bpolang.lsp.workspace import composed_of

        if path is None:
            return []
        out: dict[str, object] = {}
        for uri, doc in self.documents.items():
            a = doc.current
            if uri != besides and a is not None and a.path and path in {os.path.realpath(a.path), *composed_of(a)}:
                out[uri] = a
        # the declaring file itself, and the workspace's files composed of it
        on_disk = [Path(path).as_uri(), *(u for u, parts in self.index.parts.items() if path in parts)]
        for uri in on_disk:
            if uri in out or uri == besides or uri in self.texts:
                continue
            try:
                out[uri] = analyse_file(to_fs_path(uri) or "", self.encoding, self.configs)
            except (InputError, OSError):
                continue
        return list(out.items())

    def schedule(self, uri: str) -> None:
        """Check a changed document once the messages already sent are read.

        Changes that arrived together are checked once, on the newest text.  The check waits
        READ_AHEAD for the reader thread to hand over what the editor sent with the change: a
        completion asked on the keystroke is answered first, from the analysis at hand,
        instead of after the check.
        """
        import asyncio

        self.pending.add(uri)
        try:
            asyncio.get_running_loop().call_later(READ_AHEAD, self.flush, uri)
        except RuntimeError:  # no event loop (direct calls): check now
            self.flush(uri)

    def flush(self, uri: str) -> None:
        if uri in self.pending:
            self.pending.discard(uri)
            try:
                self.check(uri)
            except Exception as exc:  # noqa: BLE001 - the server must keep answering
                log.exception("internal error while checking %s", uri)
                self._report_internal_error(uri, exc)

    def _report_internal_error(self, uri: str, exc: Exception) -> None:
        """Replace the diagnostics, now stale, by one saying the check failed."""
        from bpolang.base.errors import REPORT_URL

        version = self.texts.get(uri, ("", None))[1]
        message = (
            f"bpo: internal error while checking this file: {type(exc).__name__}: {exc}. "
            f"This is a bug in bpolang {__version__}, not a problem in your contract; please report it at {REPORT_URL}."
        )
        rng = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0))
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(
                uri=uri,
                version=version,
                diagnostics=[
                    lsp.Diagnostic(range=rng, message=message, severity=lsp.DiagnosticSeverity.Error, source="bpo")
                ],
            )
        )

    # -- the workspace's files that are not open
    def scan(self) -> None:
        """Check every .bpo file of the workspace, one per turn of the event loop."""
        import asyncio

        self.scan_queue = list(reversed(list(self.index.paths())))
        try:
            asyncio.get_running_loop().call_soon(self._scan_step)
        except RuntimeError:  # no event loop (direct calls): check them all now
            while self.scan_queue:
                self._scan_step()

    def _scan_step(self) -> None:
        import asyncio

        if not self.scan_queue:
            return
        path = self.scan_queue.pop()
        try:
            self.check_on_disk(path)
        except Exception:  # noqa: BLE001 - one file must not stop the others
            log.exception("internal error while checking %s", path)
        if self.scan_queue:
            asyncio.get_running_loop().call_soon(self._scan_step)

    def check_on_disk(self, path: Path) -> None:
        """Check a workspace file that is not open, from disk, and publish its diagnostics."""
        from bpolang.base.errors import InputError
        from bpolang.lsp.diagnostics import publishable
        from bpolang.lsp.documents import analyse_file

        uri = path.as_uri()
        if uri in self.texts:
            return  # open: the editor's text is checked instead
        try:
            analysis = analyse_file(str(path), self.encoding, self.configs)
        except (InputError, OSError):  # gone or unreadable since it was listed
            self.index.files.pop(uri, None)
            self.index.parts.pop(uri, None)
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
            return
        self.index.record(uri, analysis)
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=publishable(analysis, uri))
        )

    def draft(self, uri: str):
        """The editor's text against the analysis at hand, while its check is pending; else None."""
        from bpolang.lsp.documents import Draft

        doc = self.documents.get(uri)
        if uri not in self.pending or uri not in self.texts or doc is None or doc.current is None:
            return None
        return Draft.of(doc.current, self.texts[uri][0], self.encoding)

    def doc(self, uri: str) -> Document | None:
        """The open document, its analysis brought up to date with the text."""
        self.flush(uri)
        return self.documents.get(uri)


def guarded(default: Any = None):
    """Log any exception of a handler and answer `default` instead."""

    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except JsonRpcException:
                raise
            except Exception:  # noqa: BLE001 - the server must keep answering
                log.exception("internal error in %s", fn.__name__)
                return default() if callable(default) else default

        return inner

    return wrap


def build() -> BpoServer:
    """A server with every feature registered."""
    server = BpoServer()

    @server.feature(lsp.INITIALIZE)
    @guarded()
    def initialize(ls: BpoServer, params: lsp.InitializeParams) -> None:
        opts = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        ls.configs = Configs(opts.get("config") or None, bool(opts.get("isolated")))
        # `"workspaceDiagnostics": false` keeps the diagnostics to the open files
        if opts.get("workspaceDiagnostics", True) is not False:
            folders = [f.uri for f in params.workspace_folders or []] or ([params.root_uri] if params.root_uri else [])
            ls.index.roots = [
                Path(fs).resolve() for u in folders if u.startswith("file:") and (fs := to_fs_path(u)) is not None
            ]

    @server.feature(lsp.INITIALIZED)
    @guarded()
    def initialized(ls: BpoServer, params: lsp.InitializedParams) -> None:
        # be told when a configuration file changes, to check the open files again at once
        dynamic = getattr(
            getattr(getattr(ls.client_capabilities, "workspace", None), "did_change_watched_files", None),
            "dynamic_registration",
            False,
        )
        if dynamic:
            names = ("bpolang.toml", "pyproject.toml") + (("*.bpo",) if ls.index.roots else ())
            watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in names]
            ls.client_register_capability(
                lsp.RegistrationParams(
                    registrations=[
                        lsp.Registration(
                            id="bpo-config-files",
                            method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
                        )
                    ]
                )
            )
        if ls.index.roots:
            ls.scan()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @guarded()
    def did_open(ls: BpoServer, params: lsp.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        ls.texts[item.uri] = (item.text, item.version)
        ls.pending.add(item.uri)
        ls.flush(item.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @guarded()
    def did_change(ls: BpoServer, params: lsp.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri not in ls.texts:
            return
        text = ls.texts[uri][0]
        for change in params.content_changes:
            text = apply_change(text, change, ls.encoding)
        ls.texts[uri] = (text, params.text_document.version)
        ls.schedule(uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    @guarded()
    def did_save(ls: BpoServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.pending.add(params.text_document.uri)
        ls.flush(params.text_document.uri)
        if params.text_document.uri.startswith("file:"):
            path = to_fs_path(params.text_document.uri)
            if path is not None:  # a master saved: its open statements of work see it now
                ls.recheck_dependants(path)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    @guarded()
    def did_close(ls: BpoServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.pending.discard(params.text_document.uri)
        ls.texts.pop(params.text_document.uri, None)
        ls.documents.pop(params.text_document.uri, None)
        ls.highlighter.forget(params.text_document.uri)
        path = to_fs_path(params.text_document.uri) if params.text_document.uri.startswith("file:") else None
        if path is not None and path.endswith(".bpo") and ls.index.holds(path):
            ls.check_on_disk(Path(path))  # a workspace file: its diagnostics as saved stay shown
        else:
            ls.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
            )

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded()
    def did_change_watched(ls: BpoServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        contracts = [c for c in params.changes if c.uri.endswith(".bpo")]
        if len(contracts) < len(params.changes):  # a configuration file: check everything again
            ls.configs.reset()
            for uri in list(ls.texts):
                ls.pending.add(uri)
                ls.flush(uri)
            if ls.index.roots:
                ls.scan()
            return
        for change in contracts:
            path = to_fs_path(change.uri) if change.uri.startswith("file:") else None
            if path is not None:
                ls.recheck_dependants(path)
            if path is None or change.uri in ls.texts or not ls.index.holds(path):
                continue
            if change.type == lsp.FileChangeType.Deleted:
                ls.index.files.pop(change.uri, None)
                ls.index.parts.pop(change.uri, None)
                ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=change.uri, diagnostics=[]))
            else:
                ls.check_on_disk(Path(path))

    def position(ls: BpoServer, uri: str, pos: lsp.Position) -> tuple[Document | None, int]:
        doc = ls.doc(uri)
        if doc is None or doc.current is None:
            return None, 0
        return doc, doc.current.codec.offset(pos)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @guarded()
    def hover(ls: BpoServer, params: lsp.HoverParams):
        from bpolang.lsp.hover import hover as hover_at

        uri = params.text_document.uri
        draft = ls.draft(uri)
        if draft is not None:
            # not checked yet: away from the edit, the analysis at hand tells the same
            doc = ls.documents[uri]
            at = draft.earlier(draft.codec.offset(params.position))
            if at is not None:
                found = hover_at(doc, at)
                if found is not None and found.range is not None:
                    assert doc.current is not None  # a draft is made only against an analysis (BpoServer.draft)
                    old = doc.current.codec
                    start, end = (draft.later(old.offset(p)) for p in (found.range.start, found.range.end))
                    found.range = draft.codec.range(start, end)
                return found
        opened, offset = position(ls, uri, params.position)
        return hover_at(opened, offset) if opened else None

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[":", " ", "[", ","]))
    @guarded(lambda: lsp.CompletionList(is_incomplete=False, items=[]))
    def completion(ls: BpoServer, params: lsp.CompletionParams):
        from bpolang.lsp.completion import completions

        uri = params.text_document.uri
        draft = ls.draft(uri)
        if draft is not None:
            # a change is not checked yet: answer from the text as it is now and the analysis at
            # hand, and let the check run after (completion is asked while typing, to be quick)
            return completions(ls.documents[uri], draft.codec.offset(params.position), draft.source_text)
        doc, offset = position(ls, uri, params.position)
        return completions(doc, offset) if doc else lsp.CompletionList(is_incomplete=False, items=[])

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @guarded(list)
    def definition(ls: BpoServer, params: lsp.DefinitionParams):
        from bpolang.lsp.navigation import definition as find

        doc, offset = position(ls, params.text_document.uri, params.position)
        return find(doc, offset) if doc else []

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    @guarded(list)
    def references(ls: BpoServer, params: lsp.ReferenceParams):
        from bpolang.lsp.navigation import declared_in
        from bpolang.lsp.navigation import references as find

        doc, offset = position(ls, params.text_document.uri, params.position)
        if doc is None:
            return []
        others = ls.composed_with(declared_in(doc, offset), doc.uri)
        return find(doc, offset, params.context.include_declaration, others)

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded()
    def prepare_rename(ls: BpoServer, params: lsp.PrepareRenameParams):
        from bpolang.lsp.navigation import prepare_rename as prepare

        doc, offset = position(ls, params.text_document.uri, params.position)
        return prepare(doc, offset) if doc else None

    @server.feature(lsp.TEXT_DOCUMENT_RENAME)
    @guarded()
    def rename(ls: BpoServer, params: lsp.RenameParams):
        from bpolang.lsp.navigation import RenameRefused, declared_in
        from bpolang.lsp.navigation import rename as do_rename

        doc, offset = position(ls, params.text_document.uri, params.position)
        if doc is None:
            return None
        try:
            return do_rename(doc, offset, params.new_name, ls.composed_with(declared_in(doc, offset), doc.uri))
        except RenameRefused as exc:
            raise RequestFailed(str(exc)) from None

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded(list)
    def document_symbol(ls: BpoServer, params: lsp.DocumentSymbolParams):
        from bpolang.lsp.outline import outline_json

        doc = ls.doc(params.text_document.uri)
        return Converted(outline_json(doc, ls.converter.unstructure)) if doc and doc.current else []

    @server.feature(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
    @guarded(list)
    def folding_range(ls: BpoServer, params: lsp.FoldingRangeParams):
        from bpolang.lsp.outline import folding_ranges

        doc = ls.doc(params.text_document.uri)
        return folding_ranges(doc) if doc and doc.current else []

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    @guarded(list)
    def formatting(ls: BpoServer, params: lsp.DocumentFormattingParams):
        from bpolang.lsp.edits import formatting as fmt

        doc = ls.doc(params.text_document.uri)
        return fmt(doc) if doc else []

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll]),
    )
    @guarded(list)
    def code_action(ls: BpoServer, params: lsp.CodeActionParams):
        from bpolang.lsp.edits import code_actions

        doc = ls.doc(params.text_document.uri)
        only = [str(getattr(k, "value", k)) for k in params.context.only] if params.context.only else None
        workspace = ls.client_capabilities.workspace
        edits = workspace.workspace_edit if workspace is not None else None
        snippets = bool(edits and edits.snippet_edit_support and edits.document_changes)
        return code_actions(doc, params.range, only, snippets) if doc else []

    @server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND)
    @guarded()
    def semantic_tokens(ls: BpoServer, params: lsp.SemanticTokensParams):
        doc = ls.doc(params.text_document.uri)
        return ls.highlighter.full(doc.uri, doc.current) if doc and doc.current else None

    @server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL_DELTA, LEGEND)
    @guarded()
    def semantic_tokens_delta(ls: BpoServer, params: lsp.SemanticTokensDeltaParams):
        doc = ls.doc(params.text_document.uri)
        if doc is None or doc.current is None:
            return None
        return ls.highlighter.delta(doc.uri, doc.current, params.previous_result_id)

    @server.feature(lsp.WORKSPACE_SYMBOL)
    @guarded(list)
    def workspace_symbol(ls: BpoServer, params: lsp.WorkspaceSymbolParams):
        from bpolang.lsp.workspace import Index, declared

        # the open documents as they are in the editor, the other files as checked on disk
        current = Index(files=dict(ls.index.files))
        for uri in list(ls.texts):
            doc = ls.doc(uri)
            if doc is not None and doc.current is not None:
                current.files[uri] = declared(doc.current)
        return current.symbols(params.query)

    @server.feature(lsp.TEXT_DOCUMENT_INLAY_HINT)
    @guarded(list)
    def inlay_hint(ls: BpoServer, params: lsp.InlayHintParams):
        from bpolang.lsp.inlay import inlay_hints

        doc = ls.doc(params.text_document.uri)
        if doc is None or doc.current is None:
            return []
        codec = doc.current.codec
        return inlay_hints(doc.current, codec.offset(params.range.start), codec.offset(params.range.end))

    return server


def main() -> None:
    """Serve on stdin/stdout until the client says exit."""
    # pygls logs every message at INFO: keep its warnings only (and the time to format them)
    logging.basicConfig(level=logging.WARNING, format="bpo lsp: %(levelname)s: %(name)s: %(message)s")
    log.setLevel(logging.INFO)
    import sys

    from bpolang.lsp.transport import serve

    sys.exit(serve(build()))
