"""Syntax errors: one fixture per kind of error, and recovery from several errors in one file.

Each ``tests/syntax_errors/*.bpo`` file starts with comment lines stating what
``bpolang.load`` must report::

    # expect: 3:12 BPO001 expected `:` after `effective`
    # xfail: why this case is a known bug (optional; the test is then a strict xfail)

The test compares the exact multiset of (line, column, code) with the
diagnostics, and checks each message contains its expected substring.  The
header lines are comments, so they shift the contract down but add nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpolang

FIXTURES = Path(__file__).parent / "syntax_errors"
_EXPECT = re.compile(r"^# expect: (\d+):(\d+) (BPO\d{3}) (.+)$")
_XFAIL = re.compile(r"^# xfail: (.+)$")


def read_header(path: Path) -> tuple[list[tuple[int, int, str, str]], str | None]:
    """The expectations and the optional xfail reason from a fixture's leading comments."""
    expected: list[tuple[int, int, str, str]] = []
    xfail = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        m = _EXPECT.match(line)
        if m:
            expected.append((int(m[1]), int(m[2]), m[3], m[4]))
            continue
        m = _XFAIL.match(line)
        if m:
            xfail = m[1]
            continue
        raise AssertionError(f"{path.name}: unrecognised header line {line!r}")
    return expected, xfail


def _fixture_params():
    params = []
    for path in sorted(FIXTURES.glob("*.bpo")):
        _, xfail = read_header(path)
        marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
        params.append(pytest.param(path, id=path.stem, marks=marks))
    return params


def test_fixture_collection_is_complete():
    paths = sorted(FIXTURES.glob("*.bpo"))
    assert len(paths) >= 20
    for path in paths:
        expected, _ = read_header(path)
        assert expected, f"{path.name} states no expected diagnostic"


@pytest.mark.parametrize("path", _fixture_params())
def test_syntax_error_fixture(path: Path):
    expected, _ = read_header(path)
    result = bpolang.load(path)
    got = Counter((d.span.line, d.span.col, d.code) for d in result.diagnostics)
    want = Counter((line, col, code) for line, col, code, _ in expected)
    shown = [f"{d.span.line}:{d.span.col} {d.code} {d.message}" for d in result.diagnostics]
    assert got == want, shown
    for line, col, code, substring in expected:
        messages = [d.message for d in result.diagnostics if (d.span.line, d.span.col, d.code) == (line, col, code)]
        assert any(substring in m for m in messages), (substring, messages)
    # recovery: every fixture is a contract, and a model is still built around the error
    assert result.contract is not None
    for d in result.diagnostics:
        assert d.path == str(path)
        assert d.severity.value == "error"


# ---------------------------------------------------------------- what recovery keeps


def _good_statements(name: str):
    return bpolang.load(FIXTURES / name).contract


def test_missing_colon_keeps_the_next_statement():
    c = _good_statements("missing_colon.bpo")
    assert c.effective is None
    assert c.term.amount == 36 and c.term.unit.value == "months"


def test_missing_separator_drops_only_that_line():
    c = _good_statements("missing_separator.bpo")
    assert c.effective is None and c.term is None
    assert c.language == "fr"


def test_unterminated_string_ends_at_the_line_end():
    c = _good_statements("unterminated_string.bpo")
    assert c.jurisdiction is None
    assert c.term.amount == 36


def test_unclosed_block_at_eof_keeps_its_content():
    c = _good_statements("unclosed_brace_at_eof.bpo")
    assert c.effective.date == date(2027, 1, 1)
    assert [m.id for m in c.milestones] == ["m"]
    assert c.milestones[0].date.anchor == "effective"


def test_unclosed_bracket_keeps_the_enclosing_block():
    c = _good_statements("unclosed_bracket.bpo")
    assert [s.id for s in c.services] == ["s"]
    assert [s.title for s in c.services] == ["S"]


def test_unclosed_call_keeps_the_rest_of_the_pricing():
    c = _good_statements("unclosed_call.bpo")
    assert c.pricing is not None and c.pricing.fees == []


def test_two_errors_keep_the_three_good_statements():
    c = _good_statements("two_errors.bpo")
    assert c.language == "fr"
    assert c.governing_law == "FR"
    assert c.jurisdiction == "Lyon"
    assert c.effective is None and c.term is None


def test_invalid_character_drops_only_its_statement():
    c = _good_statements("invalid_character.bpo")
    assert c.effective is None
    assert c.term.amount == 36


# ---------------------------------------------------------------- K errors give K diagnostics

# (line inside a milestone block, column of the diagnostic, code); four spaces of indent.
ERROR_LINES = {
    "missing_colon": ("    long_stop 2027-06-30", 14, "BPO001"),
    "stray_paren": ("    long_stop: 2027-06-30)", 26, "BPO001"),
    "bad_character": ("    long_stop: 2027-06-30 @", 27, "BPO002"),
    "missing_separator": ('    long_stop: 2027-06-30 description: "x"', 26, "BPO001"),
    "missing_value": ("    long_stop:", 15, "BPO001"),
    "bad_escape": ('    description: "a\\qb"', 20, "BPO007"),
    "unterminated_string": ('    description: "abc', 18, "BPO004"),
    "glued_number": ("    long_stop: 10days", 16, "BPO002"),
}


def _k_error_contract(kinds: list[str | None]) -> tuple[str, list[tuple[int, int, str]]]:
    """A contract with one milestone per entry; an entry names the error put in that milestone."""
    lines = ['contract c "T" {', "  effective: 2027-01-01", '  party client acme "ACME" {}']
    expected = []
    for i, kind in enumerate(kinds):
        lines.append(f'  milestone m{i} "M{i}" {{')
        lines.append(f"    date: effective + {i + 1} days")
        if kind is not None:
            text, col, code = ERROR_LINES[kind]
            lines.append(text)
            expected.append((len(lines), col, code))
        lines.append("    owner: acme")
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n", expected


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(sorted(ERROR_LINES))), min_size=1, max_size=12))
def test_k_independent_errors_give_k_diagnostics(kinds):
    text, expected = _k_error_contract(kinds)
    result = bpolang.parse(text)
    got = sorted((d.span.line, d.span.col, d.code) for d in result.diagnostics)
    assert got == sorted(expected), text
    # every milestone, broken or not, reaches the model with its date and owner
    c = result.contract
    assert [m.id for m in c.milestones] == [f"m{i}" for i in range(len(kinds))]
    for i, m in enumerate(c.milestones):
        assert m.owner is not None and m.owner.id == "acme"
        assert result.resolution.dates[f"m{i}"] == date(2027, 1, 2 + i)


def test_k_errors_example_with_every_kind():
    kinds = [None] + sorted(ERROR_LINES) + [None]
    text, expected = _k_error_contract(kinds)
    result = bpolang.parse(text)
    assert len(result.diagnostics) == len(ERROR_LINES) == 8
    assert sorted((d.span.line, d.span.col, d.code) for d in result.diagnostics) == sorted(expected)
    # m0 (line 4) is fine; m1 holds the first error in sorted order: bad_character on line 10
    assert expected[0] == (10, 27, "BPO002")


def test_many_errors_stay_bounded():
    """200 broken lines: no cascade beyond one report per line, and no crash."""
    body = "\n".join(f"  effective {i}" for i in range(200))
    result = bpolang.parse('contract c "T" {\n' + body + "\n}\n")
    assert 1 <= len(result.diagnostics) <= 200
    assert all(d.code == "BPO001" for d in result.diagnostics)
    assert result.contract is not None


# ---------------------------------------------------------------- spans after recovery


def _span_agrees(text: str, span) -> bool:
    breaks = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def line_col(offset: int) -> tuple[int, int]:
        line = max(i for i, s in enumerate(breaks) if s <= offset)
        return line + 1, offset - breaks[line] + 1

    return (
        0 <= span.start <= span.end <= len(text)
        and (span.line, span.col) == line_col(span.start)
        and (span.end_line, span.end_col) == line_col(span.end)
    )


def test_spans_of_blocks_closed_normally():
    text = 'contract c "T" {\n  milestone m "M" {\n    date: 2027-01-02\n  }\n}\n'
    c = bpolang.parse(text).contract
    assert _span_agrees(text, c.span) and c.span.end == len(text) - 1
    assert _span_agrees(text, c.milestones[0].span)
    assert text[c.milestones[0].span.start : c.milestones[0].span.end].endswith("  }")


def test_spans_of_blocks_closed_at_eof():
    text = 'contract c "T" {\n  milestone m "M" { date: 2027-01-01 }\n  milestone n "N" {\n    date: 2027-01-02'
    result = bpolang.parse(text)
    assert [d.code for d in result.diagnostics] == ["BPO001"]
    assert _span_agrees(text, result.contract.span), result.contract.span
    assert _span_agrees(text, result.contract.milestones[1].span)
