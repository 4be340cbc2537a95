"""`bpo lsp` as a command: lazy imports, help, and a clean exit when the editor goes away."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from bpolang.cli import main


def test_cli_does_not_import_the_server_libraries():
    code = "import sys, bpolang.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'cattrs')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_lsp_help():
    result = CliRunner().invoke(main, ["lsp", "--help"])
    assert result.exit_code == 0
    assert "language server" in result.output and "--stdio" in result.output


def test_lsp_exits_when_stdin_closes():
    proc = subprocess.run([sys.executable, "-m", "bpolang", "lsp"], input=b"", capture_output=True, timeout=60)
    assert b"Traceback" not in proc.stderr
    assert proc.returncode in (0, 1)  # pygls: 1 when the client left without `shutdown`
