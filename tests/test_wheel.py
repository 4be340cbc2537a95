"""The built wheel works on its own: grammar and parser tables inside, `bpo` runs in a fresh venv.

A source checkout finds the grammar in the repository's ``grammar/`` folder, so
only an installed wheel shows whether ``bpo.lark`` and ``parser_table.json``
are really shipped (ENGINEERING.md, known trap 5).  Slow: it builds the wheel
(with build isolation, fetching hatchling) and pip-installs it with its
dependencies into a new virtual environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # the fresh venv must not see the repository's package
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, **kw)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)], cwd=REPO)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    wheels = list(out.glob("bpolang-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh venv with the wheel installed."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    proc = _run([str(bindir / "python"), "-m", "pip", "install", "--quiet", str(wheel)])
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return bindir


def test_wheel_ships_grammar_and_parser_tables(wheel: Path):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert "bpolang/grammar/bpo.lark" in names
        assert "bpolang/syntax/parser_table.json" in names
        # the shipped grammar is the repository's grammar, byte for byte
        assert zf.read("bpolang/grammar/bpo.lark") == (REPO / "grammar" / "bpo.lark").read_bytes()


def test_wheel_ships_licence_types_and_urls(wheel: Path):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert "bpolang/py.typed" in names
        (licence,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert zf.read(licence) == (REPO / "LICENSE").read_bytes()
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = zf.read(metadata).decode("utf-8")
    assert "License-Expression: MIT" in meta
    assert "Project-URL: Repository, https://github.com/bpolang/bpolang" in meta
    assert "Project-URL: Documentation, https://bpolang.github.io/bpolang/" in meta


def test_installed_bpo_checks_the_examples(installed: Path, tmp_path: Path):
    # run from an unrelated folder so the checkout cannot be imported by accident
    proc = _run([str(installed / "bpo"), "check", str(REPO / "examples")], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_installed_bpo_fmt_check_passes_on_the_examples(installed: Path, tmp_path: Path):
    proc = _run([str(installed / "bpo"), "fmt", "--check", str(REPO / "examples")], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_installed_package_is_not_the_checkout(installed: Path, tmp_path: Path):
    code = "import bpolang, pathlib; print(pathlib.Path(bpolang.__file__).resolve())"
    proc = _run([str(installed / "python"), "-c", code], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    location = Path(proc.stdout.strip())
    assert REPO not in location.parents, location


def test_installed_pygments_lexer_is_found_by_its_entry_point(installed: Path, tmp_path: Path):
    # Pygments is not a dependency of bpolang (the docs bring it): whoever installs it next to
    # bpolang gets the `bpo` lexer through the package's entry point, not the checkout's files
    proc = _run([str(installed / "python"), "-m", "pip", "install", "--quiet", "pygments"])
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    proc = _run([str(installed / "pygmentize"), "-L", "lexers"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "* bpo, bpolang:" in proc.stdout
    code = (
        "import sys; from pygments.lexers import get_lexer_by_name, get_lexer_for_filename; "
        "from pygments.token import Error; lexer = get_lexer_by_name('bpo'); "
        "assert type(get_lexer_for_filename('x.bpo')) is type(lexer); "
        "text = open(sys.argv[1], encoding='utf-8').read(); "
        "print(type(lexer).__module__, sum(1 for t, _ in lexer.get_tokens(text) if t in Error))"
    )
    for example in sorted((REPO / "examples").glob("*.bpo")):
        proc = _run([str(installed / "python"), "-c", code, str(example)], cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split() == ["bpolang.syntax.pygments_lexer", "0"], (example.name, proc.stdout)


def test_installed_bpo_reports_a_syntax_error(installed: Path, tmp_path: Path):
    # the grammar is loaded from the package: a broken file gets a real diagnostic, not a crash
    bad = tmp_path / "bad.bpo"
    bad.write_text('contract c "T" {\n  effective 2027-01-01\n}\n', encoding="utf-8")
    proc = _run([str(installed / "bpo"), "check", "--output-format", "concise", str(bad)], cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "2:12: BPO001" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_installed_bpo_lsp_answers_initialize(installed: Path, tmp_path: Path):
    # pygls and lsprotocol come with the wheel: the server starts and answers over stdio
    import json

    def frame(msg: dict) -> str:
        body = json.dumps(msg)
        return f"Content-Length: {len(body.encode())}\r\n\r\n{body}"

    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}},
        },
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    proc = _run([str(installed / "bpo"), "lsp"], cwd=tmp_path, input="".join(frame(m) for m in messages))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '"documentFormattingProvider": true' in proc.stdout, proc.stdout
    assert "Traceback" not in proc.stderr
