"""Bad input, through `bpo check` in a subprocess: never a traceback, never a hang, the right exit code.

Exit codes: 0 clean, 1 findings (syntax errors included), 2 usage / input / internal error.
The subprocess timeout is a hang guard, not a performance assertion.

These tests are about reading a file, not about the contract rules: each temporary folder
gets a ``bpolang.toml`` with ``select = []`` so only the language's own diagnostics
(BPO0xx) are reported.  The shipped examples are also checked with every rule on, re-encoded
with a BOM and other line endings.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import bpolang

VALID = 'contract c "T" {\n  effective: 2027-01-01\n  term: 36 months\n}\n'


def bpo_check(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "bpolang", "check", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=60,
        cwd=cwd,
    )
    assert "Traceback" not in proc.stdout and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert "internal error" not in proc.stderr, proc.stderr
    return proc


def check_bytes(
    tmp_path: Path, data: bytes, name: str = "x.bpo"
) -> tuple[subprocess.CompletedProcess[str], list[dict]]:
    """Write data to a file and check it with --output-format json; return the run and the findings."""
    (tmp_path / "bpolang.toml").write_text("select = []\n", encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(data)
    proc = bpo_check("--output-format", "json", "--no-color", name, cwd=tmp_path)
    return proc, json.loads(proc.stdout)


def where(findings: list[dict]) -> list[tuple[int, int, str]]:
    return [(f["span"]["line"], f["span"]["col"], f["code"]) for f in findings]


# ---------------------------------------------------------------- encodings


def test_binary_data(tmp_path):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert where(findings) == [(1, 1, "BPO003")]
    assert "0x89" in findings[0]["message"]


def test_invalid_utf8_gives_line_and_column(tmp_path):
    data = b'contract c "T" {\n  jurisdiction: "Ly\xffon"\n}\n'
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert where(findings) == [(2, 20, "BPO003")]
    assert "0xFF" in findings[0]["message"]
    assert "byte offset 36" in findings[0]["message"]


def test_latin1_file(tmp_path):
    data = 'contract c "Société" {\n}\n'.encode("latin-1")
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert where(findings) == [(1, 17, "BPO003")]


def test_utf8_bom_is_accepted(tmp_path):
    proc, findings = check_bytes(tmp_path, b"\xef\xbb\xbf" + VALID.encode())
    assert proc.returncode == 0, findings
    assert findings == []


EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.bpo"))


@pytest.mark.parametrize(
    ("bom", "eol"),
    [(True, "\n"), (False, "\r\n"), (False, "\r"), (True, "\r\n")],
    ids=["bom", "crlf", "lone-cr", "bom-crlf"],
)
def test_examples_re_encoded_pass_every_rule(tmp_path, bom, eol):
    for example in EXAMPLES:
        text = example.read_text(encoding="utf-8").replace("\n", eol)
        (tmp_path / example.name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    proc = bpo_check("--output-format", "concise", tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # rules may warn about the examples; nothing may come from reading them
    assert ": BPO0" not in proc.stdout and "[error]" not in proc.stdout, proc.stdout


def test_utf8_bom_does_not_shift_columns(tmp_path):
    data = b'\xef\xbb\xbfcontract c "T" {\n  effective 2027-01-01\n}\n'
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert where(findings) == [(2, 12, "BPO001")]
    # and an error on the first line is at column 1 of the text, not after the BOM
    proc, findings = check_bytes(tmp_path, b'\xef\xbb\xbf@contract c "T" {\n}\n')
    assert where(findings)[0] == (1, 1, "BPO002")


def test_utf16_file(tmp_path):
    proc, findings = check_bytes(tmp_path, VALID.encode("utf-16"))
    assert proc.returncode == 1
    assert findings[0]["code"] == "BPO003"


# ---------------------------------------------------------------- line endings


@pytest.mark.parametrize("eol", ["\r\n", "\r"], ids=["crlf", "lone-cr"])
def test_other_line_endings_pass(tmp_path, eol):
    proc, findings = check_bytes(tmp_path, VALID.replace("\n", eol).encode())
    assert proc.returncode == 0, findings


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "lone-cr"])
def test_line_numbers_with_each_line_ending(tmp_path, eol):
    text = 'contract c "T" {\n  language: fr\n  effective 2027-01-01\n  term: 36 months)\n}\n'
    proc, findings = check_bytes(tmp_path, text.replace("\n", eol).encode())
    assert proc.returncode == 1
    assert where(findings) == [(3, 12, "BPO001"), (4, 18, "BPO001")]


def test_mixed_line_endings(tmp_path):
    text = 'contract c "T" {\r\n  language: fr\r  effective 2027-01-01\n  term: 36 months)\r\n}\n'
    proc, findings = check_bytes(tmp_path, text.encode())
    assert where(findings) == [(3, 12, "BPO001"), (4, 18, "BPO001")]


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\u0085", "\x0c"], ids=["LS", "PS", "NEL", "FF"])
def test_unicode_separators_in_strings_do_not_break_lines(tmp_path, sep):
    text = f'contract c "T" {{\n  jurisdiction: "Tribunal{sep}de Lyon"\n  effective 2027-01-01\n}}\n'
    proc, findings = check_bytes(tmp_path, text.encode())
    assert proc.returncode == 1
    assert where(findings) == [(3, 12, "BPO001")]


def test_line_separator_in_a_string_passes(tmp_path):
    text = 'contract c "T" {\n  jurisdiction: "Tribunal\u2028de Lyon"\n}\n'
    proc, findings = check_bytes(tmp_path, text.encode())
    assert proc.returncode == 0, findings
    assert bpolang.parse(text).contract.jurisdiction == "Tribunal\u2028de Lyon"


def test_line_separator_outside_a_string(tmp_path):
    proc, findings = check_bytes(tmp_path, 'contract c "T" {\n  language: fr\u2028\n}\n'.encode())
    assert proc.returncode == 1
    assert where(findings) == [(2, 15, "BPO002")]


# ---------------------------------------------------------------- control characters


def test_nul_in_a_string(tmp_path):
    proc, findings = check_bytes(tmp_path, b'contract c "T" {\n  jurisdiction: "a\x00b"\n}\n')
    assert proc.returncode == 1
    assert where(findings) == [(2, 19, "BPO002")]
    assert "U+0000" in findings[0]["message"]


def test_control_characters_do_not_reach_the_terminal(tmp_path):
    (tmp_path / "bpolang.toml").write_text("select = []\n", encoding="utf-8")
    (tmp_path / "x.bpo").write_bytes(b'contract c "T" {\n  jurisdiction: "a\x1b[31mred\x07"\n}\n')
    proc = bpo_check("--no-color", "x.bpo", cwd=tmp_path)
    assert proc.returncode == 1
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout
    assert "x.bpo:2:19: error[BPO002]" in proc.stdout
    assert "x.bpo:2:27: error[BPO002]" in proc.stdout


def test_many_nul_bytes(tmp_path):
    proc, findings = check_bytes(tmp_path, b"\x00" * 100_000)
    assert proc.returncode == 1
    assert findings and all(f["code"] in ("BPO002", "BPO015") for f in findings)
    assert len(findings) <= 25  # reported a bounded number of times, not 100 000


def test_control_character_at_line_start(tmp_path):
    proc, findings = check_bytes(tmp_path, b'contract c "T" {\n  \x01effective: 2027-01-01\n}\n')
    assert where(findings) == [(2, 3, "BPO002")]


# ---------------------------------------------------------------- edge documents


@pytest.mark.parametrize(
    "data",
    [b"", b"  \n\t\n  ", b"\n\n\n", b"# just a comment\n# another one\n", b"# no newline at the end"],
    ids=["empty", "whitespace", "newlines", "comments", "comment-no-eol"],
)
def test_documents_without_a_contract(tmp_path, data):
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert where(findings) == [(1, 1, "BPO015")]
    assert "no `contract` block" in findings[0]["message"]


def test_no_trailing_newline(tmp_path):
    proc, _ = check_bytes(tmp_path, VALID.rstrip("\n").encode())
    assert proc.returncode == 0


def test_file_over_5_mib(tmp_path):
    line = b"# " + b"x" * 1021 + b"\n"  # 1 KiB
    data = VALID.encode() + line * (5 * 1024 + 1)
    assert len(data) > 5 * 1024 * 1024
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert where(findings) == [(1, 1, "BPO006")]
    assert "5 MiB" in findings[0]["message"]


def test_file_just_under_5_mib_is_read(tmp_path):
    body = b"# " + b"x" * 1021 + b"\n"
    data = VALID.encode() + body * (5 * 1024 - 2)
    assert len(data) <= 5 * 1024 * 1024
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 0, findings[:3]


# ---------------------------------------------------------------- nesting


def test_20000_nested_braces(tmp_path):
    data = ('contract c "T" {\n  ' + "governance {" * 20000 + "}" * 20000 + "\n}\n").encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    # "governance {" is 12 characters: the 64th one, the 65th level with the contract, ends at column 2 + 12 * 64
    assert (2, 770, "BPO005") in where(findings)
    assert len(findings) <= 5


def test_20000_bare_braces(tmp_path):
    proc, findings = check_bytes(tmp_path, b"{" * 20000 + b"}" * 20000)
    assert proc.returncode == 1
    assert (1, 65, "BPO005") in where(findings)


def test_20000_nested_brackets(tmp_path):
    data = ('contract c "T" {\n  service s "S" {\n    includes: ' + "[" * 20000 + "]" * 20000 + "\n  }\n}\n").encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    # the contract and the service are 2 levels: the 63rd `[` is the 65th level (column 15 + 62)
    assert (3, 77, "BPO005") in where(findings)
    assert len(findings) <= 5


@pytest.mark.parametrize(("opener", "closer"), [("(", ")"), ("max(", ")")])
def test_20000_nested_parentheses(tmp_path, opener, closer):
    data = (
        'contract c "T" {\n  pricing { fee f: ' + opener * 20000 + "1 EUR" + closer * 20000 + " once }\n}\n"
    ).encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert [f["code"] for f in findings] == ["BPO005"]


def test_nesting_at_the_limit_is_accepted():
    # 64 levels: the contract block and 63 brackets
    text = 'contract c "T" {\n  service s "S" { includes: ' + "[" * 62 + '"a"' + "]" * 62 + " }\n}\n"
    codes = [d.code for d in bpolang.parse(text).diagnostics]
    assert "BPO005" not in codes
    deeper = text.replace("[" * 62, "[" * 63).replace("]" * 62, "]" * 63)
    assert [d.code for d in bpolang.parse(deeper).diagnostics] == ["BPO005"]


# ---------------------------------------------------------------- long lines (2 MB)

TWO_MB = 2_000_000


def test_long_name(tmp_path):
    data = ('contract c "T" {\n  ' + "a" * TWO_MB + ": 1\n}\n").encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert where(findings) == [(2, 3, "BPO011")]


def test_long_name_is_not_echoed_in_full():
    result = bpolang.parse('contract c "T" {\n  ' + "a" * TWO_MB + ": 1\n}\n")
    assert [d.code for d in result.diagnostics] == ["BPO011"]
    assert len(result.diagnostics[0].message) < 500


def test_long_number(tmp_path):
    data = ('contract c "T" {\n  term: ' + "1" * TWO_MB + "\n}\n").encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert where(findings) == [(2, 9, "BPO002")]
    assert "30 digits" in findings[0]["message"]


def test_long_unterminated_string(tmp_path):
    data = ('contract c "T" {\n  jurisdiction: "' + "a" * TWO_MB + "\n  term: 36 months\n}\n").encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert where(findings) == [(2, 17, "BPO004")]


def test_long_string_passes(tmp_path):
    data = ('contract c "T" {\n  jurisdiction: "' + "a" * TWO_MB + '"\n}\n').encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 0, findings


def test_10000_backslashes_even(tmp_path):
    # 10 000 backslashes are 5 000 escaped backslashes, then the closing quote: a valid string
    data = ('contract c "T" {\n  jurisdiction: "' + "\\" * 10_000 + '"\n}\n').encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 0, findings
    assert bpolang.parse(data.decode()).contract.jurisdiction == "\\" * 5_000


def test_10000_backslashes_odd(tmp_path):
    # the last backslash escapes the quote: the string is never closed
    data = ('contract c "T" {\n  jurisdiction: "' + "\\" * 10_001 + '"\n}\n').encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert where(findings) == [(2, 17, "BPO004")]


def test_10000_backslashes_unterminated(tmp_path):
    data = ('contract c "T" {\n  jurisdiction: "' + "\\" * 10_000).encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert (2, 17, "BPO004") in where(findings)


def test_2mb_of_backslashes(tmp_path):
    data = ('contract c "T" {\n  jurisdiction: "' + "\\" * TWO_MB + "\n}\n").encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert (2, 17, "BPO004") in where(findings)


def test_long_text_block_unterminated(tmp_path):
    data = ('contract c "T" {\n  clause k "K" { text: """' + "a" * TWO_MB).encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert (2, 24, "BPO004") in where(findings)


def test_10000_term_sum(tmp_path):
    expr = " + ".join(["1 EUR"] * 10_000)
    data = ('contract c "T" {\n  pricing { fee f: ' + expr + " every month }\n}\n").encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert where(findings) == [(2, 20, "BPO005")]
    assert "64 operators" in findings[0]["message"]


def test_sum_at_the_operator_limit():
    # 65 terms are 64 operators: accepted; 66 terms are one too many
    ok = 'contract c "T" {\n  pricing { fee f: ' + " + ".join(["1 EUR"] * 65) + " every month }\n}\n"
    assert bpolang.parse(ok).diagnostics == []
    over = ok.replace("fee f: ", "fee f: 1 EUR + ", 1)
    assert [d.code for d in bpolang.parse(over).diagnostics] == ["BPO005"]


@pytest.mark.slow
def test_100000_short_lines(tmp_path):
    data = ('contract c "T" {\n' + '  exclude "x"\n' * 100_000 + "}\n").encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 0, findings[:3]


# ---------------------------------------------------------------- non-ASCII digits


def test_non_ascii_digits_in_a_date(tmp_path):
    data = 'contract c "T" {\n  effective: २०२४-०१-०१\n}\n'.encode()
    proc, findings = check_bytes(tmp_path, data)
    assert proc.returncode == 1
    assert findings[0]["code"] == "BPO002"
    assert (findings[0]["span"]["line"], findings[0]["span"]["col"]) == (2, 14)
    assert "non-ASCII digits" in findings[0]["message"]
    assert {f["code"] for f in findings} == {"BPO002"}


@pytest.mark.parametrize("digits", ["३६", "٣٦", "３６"], ids=["devanagari", "arabic-indic", "fullwidth"])
def test_non_ascii_digits_in_a_number(tmp_path, digits):
    proc, findings = check_bytes(tmp_path, f'contract c "T" {{\n  term: {digits} months\n}}\n'.encode())
    assert proc.returncode == 1
    assert where(findings) == [(2, 9, "BPO002")]


def test_superscript_digits(tmp_path):
    proc, findings = check_bytes(tmp_path, 'contract c "T" {\n  term: ³⁶ months\n}\n'.encode())
    assert proc.returncode == 1
    assert where(findings)[0] == (2, 9, "BPO002")


# ---------------------------------------------------------------- paths


def test_missing_path(tmp_path):
    proc = bpo_check(tmp_path / "nope.bpo")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "nope.bpo" in lines[0] and "no such file" in lines[0]


def test_missing_path_does_not_claim_success(tmp_path):
    proc = bpo_check(tmp_path / "nope.bpo")
    assert proc.returncode == 2
    assert "All checks passed" not in proc.stdout


def test_directory_without_contracts(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = bpo_check(tmp_path / "empty")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "no .bpo files" in lines[0]


def test_missing_path_next_to_a_good_file(tmp_path):
    (tmp_path / "ok.bpo").write_text(VALID, encoding="utf-8")
    proc = bpo_check(tmp_path / "ok.bpo", tmp_path / "nope.bpo")
    assert proc.returncode == 2
    assert "no such file" in proc.stderr


def test_load_refuses_a_directory(tmp_path):
    with pytest.raises(bpolang.base.diagnostics.InputError, match="directory"):
        bpolang.load(tmp_path)
    with pytest.raises(bpolang.base.diagnostics.InputError, match="no such file"):
        bpolang.load(tmp_path / "nope.bpo")


def test_unknown_option_is_a_usage_error(tmp_path):
    proc = bpo_check("--no-such-option", tmp_path)
    assert proc.returncode == 2


# ---------------------------------------------------------------- the API never raises on text


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe\x00", b"\xef\xbb\xbf", b"\xef\xbb", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"],
    ids=["utf16-bom", "bom-only", "truncated-bom", "truncated-seq", "surrogate", "above-max"],
)
def test_parse_bytes_never_raises(data):
    result = bpolang.parse_bytes(data, "x.bpo")
    assert result.diagnostics


def test_lone_surrogate_in_text():
    result = bpolang.parse('contract c "T" {\n  jurisdiction: "\ud800"\n}\n')
    assert result.contract is not None
