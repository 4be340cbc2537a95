"""Tests for bpolang.check.outputs.text: exact rendered text, written out by hand."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bpolang.base.diagnostics import Diagnostic, Label, Severity, Span
from bpolang.base.source import Source
from bpolang.check.outputs.text import render_concise, render_full, summary_line


def span(text: str, start: int, end: int | None = None) -> Span:
    """A Span for text[start:end], lines and columns computed by the LineIndex."""
    end = start if end is None else end
    index = Source(text).index
    line, col = index.line_col(start)
    end_line, end_col = index.line_col(end)
    return Span(start=start, end=end, line=line, col=col, end_line=end_line, end_col=end_col)


def find(text: str, needle: str, nth: int = 0) -> Span:
    """The span of the nth occurrence of needle in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return span(text, start, start + len(needle))


def diag(
    sp: Span | None,
    message: str = "m",
    code: str = "BPO001",
    severity: Severity = Severity.ERROR,
    path: str | None = "x.bpo",
    **kw: object,
) -> Diagnostic:
    """A Diagnostic with defaults for what a test does not care about."""
    return Diagnostic(code=code, name="test", severity=severity, message=message, span=sp, path=path, **kw)


def lines(*rows: str) -> str:
    """Join expected rows with newlines (no trailing newline)."""
    return "\n".join(rows)


# --------------------------------------------------------------------------- full


def test_primary_only() -> None:
    text = "contract acme {\n  party buyer\n}\n"
    d = diag(find(text, "buyer"), "party `buyer` is never used", "BPO101", Severity.WARNING, "acme.bpo")
    assert render_full(d, Source(text)) == lines(
        "acme.bpo:2:9: warning[BPO101] party `buyer` is never used",
        "  |",
        "2 |   party buyer",
        "  |         ^^^^^",
    )


BRIEF_LINE_12 = '  milestone first_close "Première clôture mensuelle" { after: [kickoff] }'


def brief_source() -> Source:
    rows = [f"# line {n}" for n in range(1, 43)]
    rows[11] = BRIEF_LINE_12
    rows[40] = "    applies_to: first_close"
    return Source("\n".join(rows) + "\n", path="contracts/acme.bpo")


def test_secondary_label_on_earlier_line_with_gap() -> None:
    src = brief_source()
    primary = find(src.text, "first_close", 1)
    d = diag(
        primary,
        "penalty `late_close` hangs on no deadline",
        "BPO201",
        path=None,  # falls back to source.display_path
        labels=[
            Label(span=find(src.text, "first_close", 0), message="this milestone has no `due` date"),
            Label(span=primary, message="the penalty can never be triggered"),
        ],
        help="give `first_close` a date, e.g. `due: kickoff + 45 days`",
    )
    assert render_full(d, src) == lines(
        "contracts/acme.bpo:41:17: error[BPO201] penalty `late_close` hangs on no deadline",
        "   |",
        '12 |   milestone first_close "Première clôture mensuelle" { after: [kickoff] }',
        "   |             ----------- this milestone has no `due` date",
        "  ...",
        "41 |     applies_to: first_close",
        "   |                 ^^^^^^^^^^^ the penalty can never be triggered",
        "   |",
        "   = help: give `first_close` a date, e.g. `due: kickoff + 45 days`",
    )


def test_diag_path_wins_over_source_path() -> None:
    src = Source("party a\n", path="on-disk.bpo")
    d = diag(find(src.text, "a", 1), path="shown.bpo")
    assert render_full(d, src).splitlines()[0] == "shown.bpo:1:7: error[BPO001] m"


def test_adjacent_lines_have_no_gap() -> None:
    text = "party a\nparty a\n"
    d = diag(
        span(text, 14, 15),
        "party `a` is declared twice",
        "BPO102",
        labels=[Label(span=span(text, 6, 7), message="first declared here")],
    )
    assert render_full(d, Source(text)) == lines(
        "x.bpo:2:7: error[BPO102] party `a` is declared twice",
        "  |",
        "1 | party a",
        "  |       - first declared here",
        "2 | party a",
        "  |       ^",
    )


def test_labels_on_the_same_line_share_a_row_when_only_the_last_speaks() -> None:
    text = "due: kickoff + 45 days\n"
    primary = find(text, "45 days")
    d = diag(
        primary,
        "bad",
        "BPO103",
        labels=[Label(span=find(text, "kickoff"), message=""), Label(span=primary, message="not a duration")],
    )
    assert render_full(d, Source(text)) == lines(
        "x.bpo:1:16: error[BPO103] bad",
        "  |",
        "1 | due: kickoff + 45 days",
        "  |      -------   ^^^^^^^ not a duration",
    )


def test_labels_on_the_same_line_with_messages_get_a_row_each() -> None:
    text = "due: kickoff + 45 days\n"
    primary = find(text, "45 days")
    d = diag(
        primary,
        "bad",
        "BPO103",
        labels=[
            Label(span=find(text, "kickoff"), message="declared here"),
            Label(span=primary, message="not a duration"),
        ],
    )
    assert render_full(d, Source(text)) == lines(
        "x.bpo:1:16: error[BPO103] bad",
        "  |",
        "1 | due: kickoff + 45 days",
        "  |      ------- declared here",
        "  |                ^^^^^^^ not a duration",
    )


def test_zero_width_span_at_end_of_line() -> None:
    text = "party buyer\nparty seller\n"
    d = diag(span(text, 11), "expected `;`")
    assert render_full(d, Source(text)) == lines(
        "x.bpo:1:12: error[BPO001] expected `;`",
        "  |",
        "1 | party buyer",
        "  |            ^",
    )


def test_zero_width_span_inside_line() -> None:
    text = "party buyer\n"
    d = diag(span(text, 6))
    assert render_full(d, Source(text)) == lines(
        "x.bpo:1:7: error[BPO001] m",
        "  |",
        "1 | party buyer",
        "  |       ^",
    )


def test_zero_width_span_at_end_of_file_after_final_newline() -> None:
    text = "party a\n"
    d = diag(span(text, 8), "unexpected end of file")
    assert render_full(d, Source(text)) == lines(
        "x.bpo:2:1: error[BPO001] unexpected end of file",
        "  |",
        "2 |",
        "  | ^",
    )


def test_multi_line_span_underlines_rest_of_first_line_only() -> None:
    text = "milestone m {\n  due: x\n}\n"
    d = diag(span(text, 0, len(text) - 1))
    assert render_full(d, Source(text)) == lines(
        "x.bpo:1:1: error[BPO001] m",
        "  |",
        "1 | milestone m {",
        "  | ^^^^^^^^^^^^^",
    )


def test_no_span() -> None:
    d = diag(None, "file is empty", "BPO900", path="acme.bpo", notes=["a", "b"], help="h")
    assert render_full(d, Source("")) == lines(
        "acme.bpo: error[BPO900] file is empty",
        "  = note: a",
        "  = note: b",
        "  = help: h",
    )


def test_no_span_no_notes_and_no_path_anywhere() -> None:
    d = diag(None, "file is empty", "BPO900", path=None)
    assert render_full(d, None) == "<unknown>: error[BPO900] file is empty"
    assert render_full(d, Source("")) == "<stdin>: error[BPO900] file is empty"


def test_span_without_source_gives_header_only() -> None:
    d = diag(span("party a\n", 6, 7), help="h")
    assert render_full(d, None) == lines(
        "x.bpo:1:7: error[BPO001] m",
        "  = help: h",
    )


def test_notes_and_help() -> None:
    text = "party a\n"
    d = diag(
        find(text, "party"),
        "msg",
        "BPO300",
        Severity.WARNING,
        notes=["first note", "second note\nspans two lines"],
        help="do this",
    )
    assert render_full(d, Source(text)) == lines(
        "x.bpo:1:1: warning[BPO300] msg",
        "  |",
        "1 | party a",
        "  | ^^^^^",
        "  |",
        "  = note: first note",
        "  = note: second note",
        "          spans two lines",
        "  = help: do this",
    )


def test_tabs_expand_to_four_spaces_in_line_and_underline() -> None:
    text = "\tparty\tbuyer\n"
    d = diag(find(text, "buyer"))
    assert render_full(d, Source(text)) == lines(
        "x.bpo:1:8: error[BPO001] m",
        "  |",
        "1 |     party    buyer",
        "  |              ^^^^^",
    )


def test_span_covering_a_tab_underlines_its_four_columns() -> None:
    text = "\tparty\tbuyer\n"
    d = diag(find(text, "\tbuyer"))
    assert render_full(d, Source(text)) == lines(
        "x.bpo:1:7: error[BPO001] m",
        "  |",
        "1 |     party    buyer",
        "  |          ^^^^^^^^^",
    )


WIDE = 'milestone m "签约 🎉" { due: x }\n'


def test_wide_characters_after_span_start_are_underlined_two_columns_each() -> None:
    d = diag(find(WIDE, "签约 🎉"))
    assert render_full(d, Source(WIDE)) == lines(
        "x.bpo:1:14: error[BPO001] m",
        "  |",
        '1 | milestone m "签约 🎉" { due: x }',
        "  |              ^^^^^^^",
    )


def test_wide_characters_before_span_shift_the_carets() -> None:
    d = diag(find(WIDE, "due"))
    assert render_full(d, Source(WIDE)) == lines(
        "x.bpo:1:22: error[BPO001] m",
        "  |",
        '1 | milestone m "签约 🎉" { due: x }',
        "  |                         ^^^",
    )


# The window logic: 120 columns, the span centred, `…` where the line is cut.
A57 = "abcdefghij" * 5 + "abcdefg"
B57 = "klmnopqrst" * 5 + "klmnopq"


def test_very_long_line_is_windowed_around_the_span() -> None:
    text = "x" * 2423 + A57 + "needle" + B57 + "y" * 2457 + "\n"
    assert len(text) == 5001
    d = diag(find(text, "needle"))
    assert render_full(d, Source(text)) == lines(
        "x.bpo:1:2481: error[BPO001] m",
        "  |",
        "1 | …abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefgneedle"
        "klmnopqrstklmnopqrstklmnopqrstklmnopqrstklmnopqrstklmnopq…",
        # 1 column of `…` + 57 columns of A57 before the carets
        "  | " + " " * 58 + "^^^^^^",
    )


def test_very_long_line_with_span_at_start_is_cut_on_the_right_only() -> None:
    text = "needle" + "b" * 4994 + "\n"
    d = diag(find(text, "needle"))
    assert render_full(d, Source(text)) == lines(
        "x.bpo:1:1: error[BPO001] m",
        "  |",
        "1 | needle" + "b" * 114 + "…",
        "  | ^^^^^^",
    )


def test_very_long_line_with_span_at_end_is_cut_on_the_left_only() -> None:
    text = "b" * 4994 + "needle" + "\n"
    d = diag(find(text, "needle"))
    assert render_full(d, Source(text)) == lines(
        "x.bpo:1:4995: error[BPO001] m",
        "  |",
        "1 | …" + "b" * 113 + "needle",
        "  | " + " " * 114 + "^^^^^^",
    )


def test_line_of_exactly_200_columns_is_not_windowed() -> None:
    text = "a" * 199 + "z\n"
    d = diag(find(text, "z"))
    out = render_full(d, Source(text))
    assert "…" not in out
    assert out.splitlines()[2] == "1 | " + "a" * 199 + "z"
    assert out.splitlines()[3] == "  | " + " " * 199 + "^"


def test_control_characters_are_echoed_as_question_marks() -> None:
    text = "party a\x00b\x1bc\x7f\n"
    d = diag(find(text, "c"))
    out = render_full(d, Source(text))
    assert out == lines(
        "x.bpo:1:11: error[BPO001] m",
        "  |",
        "1 | party a?b?c?",
        "  |           ^",
    )


def test_bidi_controls_are_echoed_as_question_marks() -> None:
    text = "party \u202ea\u202c b\n"
    d = diag(find(text, "b"))
    assert render_full(d, Source(text)) == lines(
        "x.bpo:1:11: error[BPO001] m",
        "  |",
        "1 | party ?a? b",
        "  |           ^",
    )


def test_crlf_source_line_has_no_carriage_return() -> None:
    text = "party a\r\nparty b\r\n"
    d = diag(find(text, "b"))
    out = render_full(d, Source(text))
    assert "\r" not in out
    assert out == lines(
        "x.bpo:2:7: error[BPO001] m",
        "  |",
        "2 | party b",
        "  |       ^",
    )


def test_crlf_multi_line_span_does_not_underline_the_carriage_return() -> None:
    text = "party a\r\nparty b\r\n"
    d = diag(span(text, 0, 16))
    assert render_full(d, Source(text)) == lines(
        "x.bpo:1:1: error[BPO001] m",
        "  |",
        "1 | party a",
        "  | ^^^^^^^",
    )


# --------------------------------------------------------------------------- color

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def colored_case() -> tuple[Diagnostic, Source]:
    src = brief_source()
    d = diag(
        find(src.text, "first_close", 1),
        "hangs",
        "BPO201",
        labels=[Label(span=find(src.text, "first_close", 0), message="here")],
        notes=["n"],
        help="h",
    )
    return d, src


def test_color_false_has_no_escape_codes() -> None:
    d, src = colored_case()
    assert "\x1b" not in render_full(d, src, color=False)
    assert "\x1b" not in render_full(d, src)


def test_color_true_has_escape_codes_and_same_text_underneath() -> None:
    d, src = colored_case()
    colored = render_full(d, src, color=True)
    assert "\x1b[1;31merror[BPO201]\x1b[0m" in colored
    assert ANSI.sub("", colored) == render_full(d, src, color=False)


def test_color_by_severity() -> None:
    text = "party a\n"
    warn = render_full(diag(find(text, "a", 1), severity=Severity.WARNING), Source(text), color=True)
    info = render_full(diag(find(text, "a", 1), severity=Severity.INFO), Source(text), color=True)
    assert "\x1b[1;33mwarning[BPO001]" in warn
    assert "\x1b[1;33m^\x1b[0m" in warn
    assert "\x1b[1;36minfo[BPO001]" in info


def test_escape_in_message_is_not_echoed() -> None:
    text = "party a\n"
    d = diag(find(text, "a", 1), "bad \x1b[31m name", labels=[Label(span=find(text, "party"), message="\x1b!")])
    out = render_full(d, Source(text))
    assert "\x1b" not in out
    assert out.splitlines()[0] == "x.bpo:1:7: error[BPO001] bad ?[31m name"


# --------------------------------------------------------------------------- concise


def test_concise() -> None:
    text = "contract acme {\n  party buyer\n}\n"
    d = diag(find(text, "buyer"), "party `buyer` is never used", "BPO101", Severity.WARNING, "acme.bpo")
    assert render_concise(d, Source(text)) == "acme.bpo:2:9: BPO101 [warning] party `buyer` is never used"


def test_concise_without_span_or_path() -> None:
    d = diag(None, "file is empty", "BPO900", path=None)
    assert render_concise(d, Source("", path="a/b.bpo")) == "a/b.bpo: BPO900 [error] file is empty"
    assert render_concise(d, None) == "<unknown>: BPO900 [error] file is empty"


# --------------------------------------------------------------------------- summary


def test_summary_line() -> None:
    assert summary_line({}) == "All checks passed."
    assert summary_line({"error": 0, "warning": 0, "info": 0}) == "All checks passed."
    assert summary_line({"error": 1}) == "Found 1 error."
    assert summary_line({"error": 3, "warning": 1}) == "Found 3 errors, 1 warning."
    assert summary_line({"warning": 2, "error": 0}) == "Found 2 warnings."
    assert summary_line({"info": 1}) == "Found 1 info message."
    assert summary_line({"info": 2, "warning": 1, "error": 2}) == "Found 2 errors, 1 warning, 2 info messages."


def test_summary_line_accepts_severity_keys() -> None:
    assert summary_line({Severity.ERROR: 2, Severity.INFO: 1}) == "Found 2 errors, 1 info message."


# --------------------------------------------------------------------------- properties


@given(
    st.text(alphabet=st.sampled_from(list("ab \t\x00\x1b\r\n\u202e签🎉\u0301")), max_size=60),
    st.integers(0, 70),
    st.integers(0, 70),
    st.booleans(),
)
def test_render_never_crashes_and_echoes_no_controls(text: str, a: int, b: int, color: bool) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    d = diag(span(text, start, end), labels=[Label(span=span(text, end), message="l")], notes=["n"])
    out = render_full(d, Source(text), color=color)
    plain = ANSI.sub("", out)
    assert not any(ch < " " and ch != "\n" for ch in plain)
    assert "\u202e" not in plain
    assert render_concise(d, Source(text)).count("\n") == 0
