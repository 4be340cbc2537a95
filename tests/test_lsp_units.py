"""The language server's pure parts: the edit map kept while text is broken, the cursor, the guard."""

from __future__ import annotations

import logging
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bpolang.check.incremental import difference
from bpolang.lsp.documents import Document
from bpolang.lsp.server import guarded
from bpolang.syntax.lexer import lex
from bpolang.syntax.locate import cursor_at
from bpolang.syntax.parser import brace_excess

TEXTS = st.text(alphabet=st.sampled_from(list("ab{}:\n é🚀")), max_size=30)


@given(TEXTS, TEXTS)
def test_difference_is_the_one_edit_between_two_texts(old, new):
    start, old_end, delta = difference(old, new)
    assert old[:start] == new[:start]
    assert old[old_end:] == new[old_end + delta :]
    assert 0 <= start <= old_end <= len(old)
    assert new == old[:start] + new[start : old_end + delta] + old[old_end:]


@given(TEXTS, TEXTS, TEXTS)
def test_offsets_outside_an_edit_follow_their_text(before, removed, after):
    doc = Document("u")
    old = before + removed + after
    new = before + "XY" + after
    start, old_end, delta = difference(old, new)
    doc.edits.append((start, old_end, delta))
    for off in range(len(old) + 1):
        moved = doc.map_offset(off)
        if off < start:
            assert moved == off  # before the edit: unchanged
        elif off >= old_end:
            assert moved == off + delta and old[off:] == new[moved:]  # after it: the same text follows
        else:
            assert moved == start  # inside what was replaced: the edit's start
    assert doc.map_offset(len(old)) == len(new)


def test_cursor_in_a_value_and_at_a_new_statement():
    text = 'contract c "C" {\n  milestone m {\n    date: kickoff + 1\n    \n  }\n}\n'
    value = cursor_at(text, text.index("kickoff") + 3)
    assert value.path == ["contract", "milestone"] and value.key == "date" and value.prefix == "kic"
    blank = cursor_at(text, text.index("    \n") + 4)
    assert blank.in_header and blank.before == [] and blank.present() == {"date"}
    listed = 'contract c "C" {\n  milestone m {\n    after: [a,\n      \n  }\n}\n'
    inside = cursor_at(listed, listed.index("      \n") + 6)
    assert inside.key == "after"  # a line break inside brackets does not end the statement
    assert cursor_at("", 0).path == []


def test_guard_logs_and_answers_the_default(caplog):
    @guarded(list)
    def handler():
        raise ValueError("boom")

    with caplog.at_level(logging.ERROR, logger="bpolang.lsp"):
        assert handler() == []
    assert "internal error in handler" in caplog.text and "boom" in caplog.text


def test_a_failing_check_replaces_the_diagnostics_by_an_internal_error(monkeypatch):
    from bpolang.lsp import server as srv

    published = []
    ls = srv.BpoServer()
    monkeypatch.setattr(ls, "text_document_publish_diagnostics", published.append)

    def broken(*args, **kwargs):
        raise RuntimeError("rule exploded")

    monkeypatch.setattr(srv, "analyse", broken)
    ls.texts["file:///x.bpo"] = ("contract c {}", 3)
    ls.pending.add("file:///x.bpo")
    ls.flush("file:///x.bpo")  # no exception escapes
    (params,) = published
    assert params.version == 3
    (diag,) = params.diagnostics
    assert "internal error" in diag.message and "rule exploded" in diag.message


def _context(cursor) -> tuple:
    """What completion and hover read from a cursor."""
    return (
        cursor.path,
        cursor.key,
        cursor.in_header,
        [str(t) for t in cursor.before],
        [str(t) for t in cursor.value_tokens],
        str(cursor.token) if cursor.token is not None else None,
        cursor.prefix,
        sorted(cursor.present()),
    )


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_cursor_lexing_a_window_reads_as_the_whole_lexing(data):
    """Analysis.cursor lexes only the statements around the offset and the edit: same context."""
    from pathlib import Path

    from bpolang.lsp.documents import Configs, analyse

    text = (Path(__file__).resolve().parent.parent / "examples" / "centre-contacts-en.bpo").read_text(encoding="utf-8")
    if not _ANALYSED:
        _ANALYSED.append(analyse(text, 1, None, "utf-16", Configs(None, True)))
    analysis = _ANALYSED[0]
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 30)))
    new = (
        text[:start]
        + data.draw(st.sampled_from(["", "x", "\n    ", " {", "\n  milestone m {\n    da", ": ["]))
        + text[end:]
    )
    offset = data.draw(st.integers(0, len(new)))
    # with a block left open, the window keeps it to its statement as the parser's recovery does
    assume(brace_excess(lex(new).tokens) == 0)
    assert _context(analysis.cursor(offset, new)) == _context(cursor_at(new, offset))
    assert _context(analysis.cursor(min(offset, len(text)))) == _context(cursor_at(text, min(offset, len(text))))


_ANALYSED: list = []


def test_the_workspace_index_stays_inside_its_roots(tmp_path):
    from bpolang.lsp.workspace import Index

    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    (root / "a.bpo").write_text("contract a {}\n", encoding="utf-8")
    (root / "sub" / "b.bpo").write_text("contract b {}\n", encoding="utf-8")
    (root / "notes.txt").write_text("", encoding="utf-8")
    (outside / "secret.bpo").write_text("contract s {}\n", encoding="utf-8")
    (root / "link.bpo").symlink_to(outside / "secret.bpo")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    (root / "node_modules").mkdir()
    (root / "node_modules" / "c.bpo").write_text("", encoding="utf-8")
    index = Index(roots=[root.resolve()])
    assert [p.relative_to(root) for p in index.paths()] == [Path("a.bpo"), Path("sub/b.bpo")]
    assert index.holds(str(root / "sub" / "b.bpo")) and not index.holds(str(outside / "secret.bpo"))


@given(TEXTS, TEXTS)
def test_a_draft_maps_offsets_away_from_its_edit(old, new):
    """Draft: offsets outside the edit point at the same character in both texts, both ways."""
    from types import SimpleNamespace

    from bpolang.lsp.documents import Draft

    draft = Draft.of(SimpleNamespace(source_text=old), new, "utf-16")
    for offset in range(len(new) + 1):
        earlier = draft.earlier(offset)
        if earlier is None:
            assert draft.start <= offset <= draft.old_end + draft.delta
            continue
        assert new[offset : offset + 1] == old[earlier : earlier + 1]
        assert draft.later(earlier) == offset


def test_the_server_freezes_a_check_and_collects_its_cycles_when_idle():
    """After a check the heap is frozen (the collector's passes skip the analysis); once the
    editor pauses, reference cycles frozen with it are collected; a check in between defers it."""
    import gc
    import weakref

    from bpolang.lsp.server import BpoServer

    class Cyclic:
        pass

    import asyncio

    server = BpoServer()
    frozen = gc.get_freeze_count()
    server.settle()  # outside an event loop (direct calls) nothing is frozen: nothing would collect it
    assert gc.get_freeze_count() == frozen and server.checks == 0

    async def in_the_loop(settle):
        settle()

    enabled = gc.isenabled()
    gc.disable()  # no automatic pass may free the cycle before the server's own
    try:
        a = Cyclic()
        a.me = a  # garbage only the cyclic collector frees
        alive = weakref.ref(a)
        del a
        asyncio.run(in_the_loop(server.settle))
        assert gc.get_freeze_count() > 0
        first = server.checks
        asyncio.run(in_the_loop(server.settle))  # another check came: the first pause's collection does nothing
        server._collect_when_idle(first)
        assert alive() is not None
        server.pending.add("file:///x.bpo")  # a check is about to run: wait for it
        server._collect_when_idle(server.checks)
        assert alive() is not None
        server.pending.clear()
        server._collect_when_idle(server.checks)
        assert alive() is None
        assert gc.get_freeze_count() > 0  # frozen again after the collection
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def test_the_outline_kept_between_edits_is_the_outline_computed_afresh():
    """Typing a block keystroke by keystroke (braces left open, lines added) and deleting lines
    elsewhere: after each edit the outline, which reuses the symbols of unchanged statements,
    equals the one computed with nothing kept."""
    import sys

    from pygls.protocol import default_converter

    from bpolang.lsp.documents import Configs, analyse
    from bpolang.lsp.outline import document_symbols, outline_json

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import contract
    from lsp_latency import typing

    text = contract(300)
    edits = typing(text, autoclose=False)
    lines = text.split("\n")
    cut = sum(len(x) + 1 for x in lines[:40])  # then remove lines 41-42, before the typed block
    configs, doc = Configs(), Document("file:///c.bpo")
    conv = default_converter()
    current = text
    steps = [(s, e, t) for s, e, t in edits] + [(cut, cut + len(lines[40]) + len(lines[41]) + 2, "")]
    doc.update(analyse(current, 1, None, "utf-16", configs, doc))
    document_symbols(doc)
    reused = made = 0
    for n, (start, end, insert) in enumerate(steps):
        current = current[:start] + insert + current[end:]
        before = {k: v[3] for k, v in doc.outline.items()}
        doc.update(analyse(current, n + 2, None, "utf-16", configs, doc))
        kept = conv.unstructure(document_symbols(doc))
        reused += sum(1 for k, v in doc.outline.items() if before.get(k) is v[3])
        made += len(doc.outline)
        sent = outline_json(doc, conv.unstructure)  # as the server sends it, conversions kept
        saved, doc.outline = doc.outline, {}
        fresh = conv.unstructure(document_symbols(doc))
        assert kept == fresh, (n, repr(insert))
        assert sent == fresh, (n, repr(insert))
        doc.outline = saved
    assert reused > made // 2  # most keystrokes reuse most statements' symbols
