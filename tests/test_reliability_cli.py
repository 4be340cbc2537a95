"""Reliability, round two (issue 23): every case of the abuse run, through the real `bpo` command.

Contracts `bpo check` used to pass that crashed the other commands, round trips that changed
or refused a contract, hostile JSON and YAML, special files, outputs onto inputs, interrupted
and concurrent rewrites.  Each test runs the command line (in-process with click's runner, or
as a process where the file system or a signal is the point) and checks the exit code and the
one-line error: never a traceback, never "internal error".
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from contract_util import small_contract

from bpolang.cli import main

BODY = """  service s "S" { performed_by: pr }
  milestone go_live "Go-live" { date: effective + 2 months }
  pricing {
    currency: EUR
    fee run "Run": 8500 EUR every month
    payment_terms: 30 days from invoice
  }
  data records "Records" {
    personal: yes
    categories: [identity]
  }
  clause c1 "Clause" {
    text: \"\"\"First line
second line\"\"\"
  }
"""


def contract(**kw) -> str:
    return small_contract(BODY, term=kw.pop("term", "36 months"), **kw)


def bpo(*args: str, input: bytes | None = None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    assert "internal error" not in result.output, result.output
    assert "Traceback" not in result.output, result.output
    return result


COMMANDS = [
    ("render", "--to", "md"),
    ("render", "--to", "html"),
    ("summary",),
    ("calendar", "--to", "ics"),
    ("calendar", "--to", "csv"),
    ("export",),
]


def write(tmp_path: Path, text: str, name: str = "c.bpo") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    return p


# ------------------------------------------------------------------ values out of range
@pytest.mark.parametrize(
    ("old", "new", "col"),
    [
        ("effective: 2027-01-01", "effective: 9999-12-31", 14),
        ("30 days from invoice", "3000000 days from invoice", 20),
        ("8500 EUR every month", "123456789012345678901234567 EUR every month", 20),
        ("effective + 2 months", "effective + 1900000 business days", 40),
    ],
    ids=["date-9999", "payment-term-overflow", "amount-27-digits", "business-days"],
)
def test_check_reports_a_value_out_of_range_and_every_command_survives_force(tmp_path, old, new, col):
    text = contract()
    assert old in text
    path = write(tmp_path, text.replace(old, new))
    r = bpo("check", str(path), "--output-format", "concise")
    assert r.exit_code == 1
    line = next(ln for ln in r.output.splitlines() if "BPO020" in ln)
    assert f":{col}: BPO020" in line or f":{col}: error[BPO020]" in line or "BPO020" in line
    for cmd in COMMANDS:
        refused = bpo(*cmd, str(path))
        assert refused.exit_code == 1  # errors: refused without --force
        forced = bpo(*cmd, str(path), "--force")
        assert forced.exit_code == 0, (cmd, forced.output)


def test_huge_but_valid_values_render_everywhere(tmp_path):
    text = contract(effective="2990-01-01", term="108 months").replace(
        "8500 EUR every month", "999999999999999.999999 EUR every month"
    )
    path = write(tmp_path, text)
    assert bpo("check", str(path)).exit_code in (0, 1)
    for cmd in COMMANDS:
        assert bpo(*cmd, str(path), "--force").exit_code == 0, cmd
    assert bpo("render", str(path), "--to", "docx", "-o", str(tmp_path / "c.docx"), "--force").exit_code == 0


def test_a_data_asset_without_id_under_force(tmp_path):
    path = write(tmp_path, contract().replace('data records "Records"', 'data "Records"'))
    for cmd in COMMANDS:
        assert bpo(*cmd, str(path), "--force").exit_code == 0, cmd


def test_a_title_with_a_newline_goes_everywhere_and_round_trips(tmp_path):
    path = write(tmp_path, contract().replace('contract c "C"', 'contract c "Line one\\nline two"'))
    assert bpo("check", str(path)).exit_code in (0, 1)
    ics = bpo("calendar", str(path), "--to", "ics", "--force")
    assert ics.exit_code == 0 and "X-WR-CALNAME:Line one line two" in ics.output
    exported = bpo("export", str(path), "--force")
    json_path = tmp_path / "c.json"
    json_path.write_text(exported.output, encoding="utf-8")
    imported = bpo("import", str(json_path))
    assert imported.exit_code == 0 and 'contract c "Line one\\nline two" {' in imported.output


def test_a_1000_term_sum_is_formatted_not_a_recursion_error(tmp_path):
    chain = " + ".join(["1 EUR"] * 1000)
    path = write(tmp_path, contract().replace("8500 EUR every month", f"({chain}) every month"))
    r = bpo("fmt", str(path))
    assert r.exit_code == 0
    assert "BPO005" in bpo("check", str(path)).output


def test_a_tab_at_the_start_of_a_party_paragraph_is_not_a_code_block(tmp_path):
    path = write(tmp_path, contract().replace('"Client Co"', '"\\tClient Co"'))
    md = bpo("render", str(path), "--to", "md", "--force").output
    assert not any(line.startswith(("\t", "    ")) for line in md.splitlines())
    assert "&#9;" in md


# ------------------------------------------------------------------ round trips
def test_crlf_in_a_text_block_survives_export_and_import(tmp_path):
    text = contract().replace("\n", "\r\n")
    path = write(tmp_path, text)
    data = json.loads(bpo("export", str(path), "--force").output)
    assert data["clauses"][0]["text"] == "First line\nsecond line"  # LF whatever the file's endings
    j = tmp_path / "c.json"
    j.write_text(json.dumps(data), encoding="utf-8")
    back = tmp_path / "back.bpo"
    assert bpo("import", str(j), "-o", str(back)).exit_code == 0
    assert json.loads(bpo("export", str(back), "--force").output) == data


def test_fmt_on_mixed_line_endings_keeps_every_string(tmp_path):
    text = contract().replace("\n", "\r\n", 3)  # CRLF first, LF inside the text block
    path = write(tmp_path, text)
    before = bpo("export", str(path), "--force").output
    assert bpo("fmt", str(path)).exit_code == 0
    assert bpo("export", str(path), "--force").output == before
    assert bpo("diff", str(path), str(write(tmp_path, text, "orig.bpo")), "--force").exit_code == 0


# ------------------------------------------------------------------ hostile JSON and YAML
def _export(tmp_path) -> dict:
    path = write(tmp_path, contract())
    return json.loads(bpo("export", str(path), "--force").output)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.__setitem__("id", "9bad-"), "id"),
        (lambda d: d.__setitem__("title", "A\rB"), "title"),
        (lambda d: d["parties"][0].__setitem__("id", "a b"), "parties.0.id"),
        (lambda d: d.__setitem__("term", {"kind": "duration", "amount": "-5", "unit": "days"}), "term.amount"),
        (
            lambda d: d["pricing"]["fees"][0]["value"]["amount"].__setitem__("amount", "1" * 27),
            "pricing.fees.0.value.amount.amount",
        ),
    ],
    ids=["bad-id", "title-cr", "id-with-space", "negative-duration", "27-digits"],
)
def test_import_refuses_a_bad_value_at_its_json_path(tmp_path, change, where):
    data = _export(tmp_path)
    change(data)
    j = tmp_path / "bad.json"
    j.write_text(json.dumps(data), encoding="utf-8")
    r = bpo("import", str(j))
    assert r.exit_code == 1
    assert f"error: {where}:" in r.output
    assert "contract " not in r.output  # nothing printed


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested more than 64 levels"),
        ("digits.json", '{"id": 1' + "0" * 5000 + "}", "a number of more than 40 characters"),
        ("nan.json", '{"id": NaN}', "`NaN` is not a number"),
        ("alias.yaml", "a: &x [1, 2]\nb: *x\n", "anchors and aliases"),
        ("deep.yaml", "[" * 100_000 + "]" * 100_000, "nest"),
        ("list.json", "[1, 2]", "must be an object"),
    ],
)
def test_import_refuses_hostile_documents_before_parsing(tmp_path, name, text, message):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    r = bpo("import", str(p))
    assert r.exit_code == 1
    assert message in r.output


def test_import_has_the_size_cap(tmp_path):
    from bpolang.base.source import MAX_FILE_BYTES

    p = tmp_path / "big.json"
    p.write_text('{"title": "' + "x" * (MAX_FILE_BYTES + 10) + '"}', encoding="utf-8")
    r = bpo("import", str(p))
    assert r.exit_code == 1 and "limit" in r.output


# ------------------------------------------------------------------ files
def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "bpolang", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return proc


@pytest.mark.parametrize(
    "args",
    [("check",), ("fmt",), ("render", "--to", "md"), ("import",), ("summary",), ("export",)],
    ids=lambda a: a[0],
)
def test_a_fifo_is_refused_not_waited_on(tmp_path, args):
    fifo = tmp_path / "p.bpo"
    os.mkfifo(fifo)
    proc = _run(*args, str(fifo))
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if line.startswith("bpo: error:")]
    assert len(errors) == 1 and "FIFO" in errors[0]


def test_diff_refuses_a_fifo(tmp_path):
    fifo = tmp_path / "p.bpo"
    os.mkfifo(fifo)
    proc = _run("diff", str(fifo), str(write(tmp_path, contract())))
    assert proc.returncode == 2 and "FIFO" in proc.stderr


def test_a_socket_and_a_device_are_refused(tmp_path):
    sock_path = tmp_path / "s.bpo"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        proc = _run("check", str(sock_path))
        assert proc.returncode == 2 and "socket" in proc.stderr
    finally:
        sock.close()
    proc = _run("check", "/dev/zero")
    assert proc.returncode == 2 and "device" in proc.stderr


def test_a_symlink_loop_is_one_line(tmp_path):
    loop = tmp_path / "loop.bpo"
    loop.symlink_to(loop)
    for args in (("check",), ("fmt",), ("render", "--to", "md"), ("import",)):
        proc = _run(*args, str(loop))
        assert proc.returncode == 2, args
        errors = [line for line in proc.stderr.splitlines() if line.startswith("bpo: error:")]
        assert len(errors) == 1 and "symbolic link loop" in errors[0], args


@pytest.mark.parametrize(
    "args",
    [
        # --force: the small contract has findings at error severity, which these commands refuse
        ("render", "{c}", "--to", "md", "--force", "-o", "{c}"),
        ("render", "{c}", "--to", "html", "--force", "-o", "{link}"),
        ("export", "{c}", "--force", "-o", "{c}"),
        ("calendar", "{c}", "--to", "ics", "--force", "-o", "{c}"),
        ("summary", "{c}", "--force", "-o", "{c}"),
        ("check", "{c}", "--output-file", "{c}"),
        ("diff", "{c}", "{other}", "--force", "-o", "{other}"),
    ],
    ids=["render", "render-via-link", "export", "calendar", "summary", "check", "diff"],
)
def test_an_output_onto_an_input_is_refused_before_writing(tmp_path, args):
    c = write(tmp_path, contract())
    other = write(tmp_path, contract().replace("8500 EUR", "9000 EUR"), "other.bpo")
    link = tmp_path / "link.bpo"
    link.symlink_to(c)
    before = {p: p.read_bytes() for p in (c, other)}
    r = bpo(*[a.format(c=c, other=other, link=link) for a in args])
    assert r.exit_code == 2
    assert "is an input of this command" in r.output
    assert {p: p.read_bytes() for p in (c, other)} == before


def test_import_onto_its_own_input_is_refused(tmp_path):
    j = tmp_path / "c.json"
    j.write_text(json.dumps(_export(tmp_path)), encoding="utf-8")
    before = j.read_bytes()
    r = bpo("import", str(j), "-o", str(j))
    assert r.exit_code == 2 and j.read_bytes() == before


def test_an_output_to_dev_null_writes_through_the_device(tmp_path):
    c = write(tmp_path, contract())
    r = bpo("render", str(c), "--to", "md", "--force", "-o", os.devnull)
    assert r.exit_code == 0
    assert Path(os.devnull).is_char_device()


def test_fmt_has_the_size_cap(tmp_path):
    from bpolang.base.source import MAX_FILE_BYTES

    p = tmp_path / "big.bpo"
    p.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    before = p.read_bytes()
    r = bpo("fmt", str(p))
    assert r.exit_code == 2 and "limit" in r.output
    assert p.read_bytes() == before


UNUSED = "  # bpo: ignore[BPO501] no penalty here\n"  # BPO090, with a safe fix that removes it


def test_check_fix_whose_write_is_refused_exits_2(tmp_path):
    """A fix that cannot be written (here: a file with two hard links) is an I/O error, exit 2, not 1."""
    c = write(tmp_path, contract().replace("  service s", UNUSED + "  service s"))
    os.link(c, tmp_path / "hard.bpo")
    assert "BPO090" in bpo("check", str(c), "--output-format", "concise").output
    r = bpo("check", "--fix", str(c))
    assert r.exit_code == 2 and "hard links" in r.output


# ------------------------------------------------------------------ interrupted and concurrent writes
def test_a_killed_rewrite_leaves_no_temporary_file_behind(tmp_path):
    """kill -9 while the temporary file exists; the next write sweeps what the dead process left."""
    c = write(tmp_path, 'contract c "C" {\n' + '  clause x "X" {   text: "t"   }\n' * 20000 + "}\n")
    code = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "import bpolang.base.fileio as f\n"
        "real = os.replace\n"
        "def stop(*a):\n"
        "    print('ready', flush=True); time.sleep(60)\n"
        "os.replace = stop\n"
        f"f.atomic_write(Path({str(c)!r}), b'new')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"ready"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    left = [p for p in tmp_path.iterdir() if p.name.endswith(".bpo-tmp")]
    assert left, "the kill landed after the temporary file was written"
    assert c.read_text(encoding="utf-8").startswith("contract")  # never torn
    assert bpo("fmt", str(c)).exit_code == 0
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".bpo-tmp")]


def test_a_rewrite_refuses_a_file_changed_since_it_was_read(tmp_path):
    from bpolang.base.fileio import ChangedSinceRead, atomic_write, read_input

    c = write(tmp_path, contract())
    _data, _size, stamp = read_input(c)
    time.sleep(0.01)
    c.write_text(contract() + "# edited meanwhile\n", encoding="utf-8")
    with pytest.raises(ChangedSinceRead):
        atomic_write(c, b"stale rewrite", expect=stamp)
    assert c.read_text(encoding="utf-8").endswith("# edited meanwhile\n")


def test_fmt_and_check_fix_at_once_lose_neither_rewrite(tmp_path):
    """Both rewrite the same file at once: the result has fmt's layout and check's fix."""
    messy = contract().replace("  service s", UNUSED + "      service s")
    results = []
    for i in range(4):
        c = write(tmp_path, messy, f"c{i}.bpo")
        procs = [
            subprocess.Popen([sys.executable, "-m", "bpolang", *args, str(c)], stderr=subprocess.PIPE)
            for args in (("fmt",), ("check", "--fix", "--exit-zero"))
        ]
        for p in procs:
            _out, err = p.communicate(timeout=120)
            assert b"Traceback" not in err and p.returncode == 0, err.decode()
        final = c.read_text(encoding="utf-8")
        assert bpo("fmt", "--check", str(c)).exit_code == 0, final  # fmt's rewrite kept
        assert "bpo: ignore" not in final  # check's fix kept
        results.append(final)
    assert len(set(results)) == 1
