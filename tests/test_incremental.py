"""Incremental re-checking gives exactly what checking the whole new text gives.

`bpolang.check.incremental.recheck` re-parses and rebuilds only the statements an edit touched;
every test here compares its result with `bpolang.check.pipeline.parse` of the same text: the model,
the diagnostics (spans, lines and columns included), the syntax tree with its offsets, the
syntax problems, the comments and the rules' findings.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bpolang.base.source import LineIndex, Source
from bpolang.check.config import Config
from bpolang.check.driver import findings
from bpolang.check.incremental import difference, recheck
from bpolang.check.pipeline import parse
from bpolang.syntax.nodes import Block

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import contract  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))


def _tree(node):
    """A syntax node as nested tuples of its class, offsets and children."""
    if isinstance(node, list):
        return [_tree(n) for n in node]
    if node is None or isinstance(node, (str, int)):
        return node
    fields = []
    for cls in type(node).__mro__:
        for name in getattr(cls, "__slots__", ()):
            fields.append((name, _tree(getattr(node, name))))
    return (type(node).__name__, tuple(sorted(fields)))


def snapshot(result) -> dict:
    syntax = result.syntax
    return {
        "model": result.contract.model_dump() if result.contract is not None else None,
        "id_spans": _id_spans(result.contract),
        "diagnostics": [d.model_dump() for d in result.diagnostics],
        "findings": [d.model_dump() for d in findings(result, Config())],
        "tree": _tree(syntax.body) if syntax is not None else None,
        "problems": [(p.code, p.message, p.start, p.end, p.help, p.label, p.lexical) for p in syntax.problems]
        if syntax is not None
        else None,
        "comments": [(c.text, c.start, c.end, c.own_line) for c in syntax.comments] if syntax is not None else None,
    }


def _id_spans(contract) -> list:
    if contract is None:
        return []
    from bpolang.model.contract import Element
    from bpolang.resolve.references import walk

    return [v.id_span.model_dump() for _o, _n, v in walk(contract) if isinstance(v, Element) and v.id_span is not None]


def _title_point(text: str, nth: int) -> int:
    """The offset just inside the closing quote of the nth block title."""
    offsets = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.rstrip()
        if stripped.endswith('" {') and stripped.count('"') >= 2:
            offsets.append(pos + stripped.rindex('"'))
        pos += len(line) + 1
    return offsets[nth % len(offsets)]


STATS = {"incremental": 0, "whole": 0}


def _check_edit(base, new_text: str, expect_incremental: bool | None = None):
    """recheck against a whole parse of new_text; returns the result to chain from."""
    full = parse(new_text)
    inc = recheck(base, Source(new_text))
    if expect_incremental is not None:
        assert (inc is not None) == expect_incremental
    STATS["whole" if inc is None else "incremental"] += 1
    if inc is None:
        return full
    assert snapshot(inc) == snapshot(full)
    _assert_walk_is_whole(inc)
    return inc


def _assert_walk_is_whole(result) -> None:
    """The contract's walk, pieced from the walks of reused blocks, is one plain walk."""
    from bpolang.resolve import references as resolve

    if result.contract is None:
        return
    pieced = resolve.walked(result.contract).triples
    plain = resolve._walk_from(result.contract)
    assert len(pieced) == len(plain)
    assert all(a[0] is b[0] and a[1] == b[1] and a[2] is b[2] for a, b in zip(pieced, plain))


def test_difference_is_the_edit():
    assert difference("abcdef", "abXYef") == (2, 4, 0)
    assert difference("abc", "abc") == (3, 3, 0)
    assert difference("abc", "abxc") == (2, 2, 1)
    assert difference("aaaa", "aa") == (2, 4, -2)


_BREAKY = st.text(alphabet="ab\r\n", max_size=30)


@settings(max_examples=400, deadline=None)
@given(old=_BREAKY, data=st.data())
def test_the_line_index_of_an_edited_text_equals_a_fresh_one(old, data):
    """CR before the edit pairing with an inserted LF, an inserted CR with an LF after it,
    breaks deleted or split: the edited index is the one the whole text gives."""
    start = data.draw(st.integers(0, len(old)))
    end = data.draw(st.integers(start, len(old)))
    new = old[:start] + data.draw(_BREAKY) + old[end:]
    edited = LineIndex(old).edited(new, *difference(old, new))
    assert edited.starts == LineIndex(new).starts
    assert edited.text is new


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_typing_in_each_block_of_the_examples(path):
    text = path.read_text(encoding="utf-8")
    base = parse(text)
    top = next(s for s in base.syntax.body if isinstance(s, Block))
    before = STATS["incremental"]
    for stmt in list(top.body):
        at = stmt.header.end  # just after the header's last word or title
        _check_edit(parse(text), text[:at] + "x" + text[at:])
    # every statement but the first (no saved stacks before it) is re-read alone
    assert STATS["incremental"] - before >= len(top.body) - 1
    # and a chain of edits, each checked from the result of the one before
    current, base = text, base
    for n in range(12):
        at = _title_point(current, n * 7)
        current = current[:at] + ("é" if n % 2 else "\n") + current[at:] if n % 3 else current[: at - 1] + current[at:]
        base = _check_edit(base, current)


def test_a_2000_line_contract_is_rechecked_incrementally():
    text = contract(2000)
    base = parse(text)
    at = _title_point(text, 40)
    new = text[:at] + "x" + text[at:]
    _check_edit(base, new, expect_incremental=True)


def _blocks(text: str) -> list:
    """The blocks of the contract's body: (start of the header, just after `{`, just after `}`)."""
    top = next(s for s in parse(text).syntax.body if isinstance(s, Block))
    return [(s.start, s.open + 1, s.end) for s in top.body if isinstance(s, Block)]


# (what, edit at the nth block of the contract's body, re-checked incrementally?)
STRUCTURAL = [
    ("a new key", lambda t, b: t[: b[1]] + "\n    note: 97%" + t[b[1] :], True),
    ("a CRLF line", lambda t, b: t[: b[1]] + "\r\n    x: 1" + t[b[1] :], True),
    ("a syntax error", lambda t, b: t[: b[1]] + "\n    ::: oops" + t[b[1] :], True),
    ("an unknown block", lambda t, b: t[: b[1]] + "\n    widget w { size: 3 }" + t[b[1] :], True),
    ("a comment", lambda t, b: t[: b[1]] + "  # note" + t[b[1] :], True),
    ("a string left open", lambda t, b: t[: b[1]] + '\n    x: "open' + t[b[1] :], True),
    (
        "a new block after it",
        lambda t, b: t[: b[2]] + '\n  milestone new_m "New" {\n    date: 2027-05-01\n  }' + t[b[2] :],
        True,
    ),
    ("the block deleted", lambda t, b: t[: b[0]].rstrip(" ") + t[b[2] :].lstrip("\n"), True),
    ("a text block left open", lambda t, b: t[: b[1]] + '\n    text: """open' + t[b[1] :], False),
    ("a brace left open", lambda t, b: t[: b[1]] + "\n    extra {" + t[b[1] :], False),
    ("the block closed early", lambda t, b: t[: b[1]] + "\n  }" + t[b[1] :], False),
    ("the header's brace deleted", lambda t, b: t[: b[1] - 1] + t[b[1] :], False),
    ("a control character", lambda t, b: t[: b[1]] + "\x01" + t[b[1] :], False),
    ("everything after it deleted", lambda t, b: t[: b[1]], False),
]


@pytest.mark.parametrize("what, edit, incremental", STRUCTURAL, ids=[c[0] for c in STRUCTURAL])
def test_edits_that_change_the_structure(what, edit, incremental):
    text = (ROOT / "examples" / "centre-contacts-en.bpo").read_text(encoding="utf-8")
    blocks = _blocks(text)
    for nth in (1, len(blocks) // 2, len(blocks) - 2):
        _check_edit(parse(text), edit(text, blocks[nth]), expect_incremental=incremental)


def test_a_declined_recheck_leaves_the_base_as_it_was():
    text = (ROOT / "examples" / "centre-contacts-en.bpo").read_text(encoding="utf-8")
    base = parse(text)
    before = snapshot(base)
    at = _title_point(text, 0)  # the contract's own title: the whole text is parsed
    assert recheck(base, Source(text[:at] + "x" + text[at:])) is None
    assert snapshot(base) == before
    # and an incremental re-check from it is still exact
    at = _title_point(text, 2) + 3
    _check_edit(base, text[:at] + "\n\n  term: 3 months\n" + text[at:], expect_incremental=True)


_PIECES = st.sampled_from(
    [
        "x",
        "é",
        "😀",
        " ",
        "\n",
        "\r\n",
        "\t",
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        ":",
        ";",
        ",",
        '"',
        '"""',
        "#",
        "# c\n",
        "5",
        "30 days",
        "98%",
        "12 EUR",
        "2027-01-01",
        "milestone",
        "sla",
        "target: 97%\n",
        "\\q",
        "tbd",
        "redacted",
        "}\n",
        "{\n",
    ]
)


@st.composite
def edits(draw, text_len):
    start = draw(st.integers(0, text_len))
    length = draw(st.integers(0, 40) | st.just(0))
    insert = "".join(draw(st.lists(_PIECES, max_size=4)))
    return start, length, insert


def _open_block(text: str) -> str:
    """The text with a block header typed after the middle block of the body, its `}` not yet."""
    _start, _open, end = _blocks(text)[len(_blocks(text)) // 2]
    return text[:end] + '\n  milestone open_m "Open" {\n    date: 2027-06-30' + text[end:]


def test_typing_a_block_without_auto_close_is_rechecked_incrementally():
    """Braces unbalanced on every keystroke but the last: the re-check stays exact and incremental."""
    from lsp_latency import typing

    text = contract(600)
    base = parse(text)
    before = STATS["incremental"], STATS["whole"]
    keystrokes = typing(text, autoclose=False)
    for start, end, insert in keystrokes:
        text = text[:start] + insert + text[end:]
        base = _check_edit(base, text)
    incremental, whole = STATS["incremental"] - before[0], STATS["whole"] - before[1]
    # whole parses only where the braces start or stop balancing: the `{` typed, the `}` typed
    assert whole == 2 and incremental == len(keystrokes) - 2


def test_a_block_left_open_is_one_error_and_the_rest_reads_as_before():
    text = (ROOT / "examples" / "centre-contacts-en.bpo").read_text(encoding="utf-8")
    whole = parse(text)
    broken = parse(_open_block(text))
    errors = [d for d in broken.diagnostics if d.severity.value == "error"]
    assert [(d.code, d.message.split(":")[0]) for d in errors] == [("BPO001", "this block is never closed")]
    assert broken.source.text[errors[0].span.start] == "{"
    ids = [getattr(e, "id", None) for e in whole.contract.milestones]
    assert [getattr(e, "id", None) for e in broken.contract.milestones if e.id != "open_m"] == ids


def test_a_list_left_open_in_a_block_left_open_ends_at_its_line():
    text = (ROOT / "examples" / "centre-contacts-en.bpo").read_text(encoding="utf-8")
    broken = parse(_open_block(text).replace("date: 2027-06-30", "depends_on: [kick", 1))
    errors = [d.message for d in broken.diagnostics if d.severity.value == "error"]
    assert errors == [
        "this block is never closed: expected `}` before the next line indented no deeper than it",
        "`[` is never closed: expected `,` or `]`, found the end of the line",
    ]


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), which=st.sampled_from(EXAMPLES), opened=st.booleans())
def test_random_edit_sequences_equal_whole_parses(data, which, opened):
    """Any edit: recheck gives the whole parse, or declines (the tests above see it accept).

    With `opened`, the edits start from a text with a block left open (blocks close by
    indentation), as while typing without auto-closed braces.
    """
    text = which.read_text(encoding="utf-8")
    if opened:
        text = _open_block(text)
    base = parse(text)
    for _ in range(data.draw(st.integers(1, 6))):
        start, length, insert = data.draw(edits(len(text)))
        # edits near titles and block starts hit the interesting boundaries more often
        if data.draw(st.booleans()):
            start = _title_point(text, data.draw(st.integers(0, 50))) if '" {' in text else start
        new = text[:start] + insert + text[start + length :]
        base = _check_edit(base, new)
        text = new
