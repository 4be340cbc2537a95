"""Suppression comments: end of line, own line (the next statement), whole file; reasons; unused ones."""

from __future__ import annotations

import bpolang
from bpolang.cli import _findings
from bpolang.config import Config

HEAD = 'contract demo "Demo" {\n  effective: 2027-01-01\n  term: 36 months\n  milestone first_close "First close" {}\n'


def codes(text: str) -> list[tuple[str, int]]:
    r = bpolang.parse(text, "demo.bpo")
    return [(d.code, d.span.line) for d in _findings(r, Config()) if d.code in ("BPO501", "BPO090", "BPO091", "BPO092")]


def penalty(comment_eol: str = "", comment_above: str = "") -> str:
    above = f"  {comment_above}\n" if comment_above else ""
    eol = f"  {comment_eol}" if comment_eol else ""
    return HEAD + above + f'  penalty late_close "Late" {{\n    applies_to: first_close{eol}\n    trigger: late\n  }}\n}}\n'


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
    (d,) = [d for d in _findings(r, Config()) if d.code == "BPO090"]
    assert d.span.line == 5 and d.fix is not None and d.fix.safe
    from bpolang.rules import apply_fixes

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
