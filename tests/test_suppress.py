"""Suppression comments: end of line, own line (the next statement), whole file; reasons; unused ones."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import bpolang
from bpolang.base.diagnostics import Diagnostic, Severity, Span
from bpolang.check.config import Config
from bpolang.check.driver import findings
from bpolang.check.suppress import Suppression, _Coverage

HEAD = 'contract demo "Demo" {\n  effective: 2027-01-01\n  term: 36 months\n  milestone first_close "First close" {}\n'


def codes(text: str) -> list[tuple[str, int]]:
    r = bpolang.parse(text, "demo.bpo")
    return [(d.code, d.span.line) for d in findings(r, Config()) if d.code in ("BPO501", "BPO090", "BPO091", "BPO092")]


def penalty(comment_eol: str = "", comment_above: str = "") -> str:
    above = f"  {comment_above}\n" if comment_above else ""
    eol = f"  {comment_eol}" if comment_eol else ""
    return (
        HEAD
        + above
        + f'  penalty late_close "Late" {{\n    applies_to: first_close{eol}\n    trigger: late\n  }}\n}}\n'
    )


def test_unsuppressed():
    assert codes(penalty()) == [("BPO501", 6)]


def test_end_of_line_with_reason():
    assert codes(penalty("# bpo: ignore[BPO501] the date comes from the SOW")) == []


def test_by_name_and_several_codes():
    # BPO501 is suppressed; BPO502 is reported on the penalty's header, not here: unused
    assert codes(penalty("# bpo: ignore[penalty-needs-deadline, BPO502] agreed")) == [("BPO090", 6)]


def test_own_line_covers_the_next_statement():
    assert codes(penalty(comment_above="# bpo: ignore[BPO501] the date comes from the SOW")) == []


def test_without_reason_is_reported_but_still_suppresses():
    assert codes(penalty("# bpo: ignore[BPO501]")) == [("BPO091", 6)]


def test_unused_suppression_is_reported_with_a_safe_fix():
    text = HEAD + "  # bpo: ignore[BPO502] nothing here\n}\n"
    r = bpolang.parse(text, "demo.bpo")
    (d,) = [d for d in findings(r, Config()) if d.code == "BPO090"]
    assert d.span.line == 5 and d.fix is not None and d.fix.safe
    from bpolang.check.rules import apply_fixes

    fixed, n = apply_fixes(text, [d])
    assert n == 1 and fixed == HEAD + "}\n"


def test_ignore_file():
    text = "# bpo: ignore-file[BPO501] penalties are in a separate schedule\n" + penalty()
    assert codes(text) == []
    late = penalty().replace("}\n}\n", "}\n  # bpo: ignore-file[BPO501] too late\n}\n")
    assert codes(late) == [("BPO501", 6), ("BPO092", 9)]


def test_invalid_suppressions():
    assert ("BPO092", 6) in codes(penalty("# bpo: ignore[BPO999] nope"))
    assert ("BPO092", 6) in codes(penalty("# bpo: ignore reason without codes"))
    assert ("BPO092", 6) in codes(penalty("# bpo: ignore[BPO014] cannot"))
    # an ordinary comment is not a suppression
    assert codes(penalty("# bpo is great")) == [("BPO501", 6)]


# ---------------------------------------------------------------- coverage lookup


_CODES = ["BPO101", "BPO201", "BPO405"]


@st.composite
def _suppressions(draw):
    sups = []
    for _ in range(draw(st.integers(0, 12))):
        file_wide = draw(st.booleans()) and draw(st.booleans())
        first = draw(st.integers(-1, 40))
        last = first if first < 1 else first + draw(st.integers(0, 15))
        codes = draw(st.lists(st.sampled_from(_CODES), min_size=1, max_size=2, unique=True))
        span = Span(start=0, end=1, line=max(first, 1), col=1, end_line=max(first, 1), end_col=2)
        sups.append(Suppression(None, span, file_wide, codes, "why", first, last))
    return sups


@settings(max_examples=300, deadline=None)
@given(_suppressions(), st.lists(st.tuples(st.sampled_from(_CODES), st.none() | st.integers(1, 60)), max_size=20))
def test_coverage_lookup_is_the_first_covering_suppression(sups, findings):
    cover = _Coverage(sups)
    for code, line in findings:
        span = None if line is None else Span(start=0, end=1, line=line, col=1, end_line=line, end_col=2)
        d = Diagnostic(code=code, name="x", severity=Severity.ERROR, message="m", span=span)
        assert cover.first(d) is next((s for s in sups if s.covers(d)), None)
