"""The package compiled with mypyc behaves as the pure-Python one: the parser's tests run against it.

`HATCH_BUILD_HOOKS_ENABLE=1 python -m build` compiles the hot path (pyproject.toml,
`[tool.hatch.build.targets.wheel.hooks.mypyc]`); a plain install stays pure Python.  This test
builds that wheel, checks that the modules really are compiled, and runs the tests of everything
that reads text (grammar, parser, incremental re-parse, formatter, examples, language-server
units, fuzz regressions) against it, from the wheel's files, in a separate process.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
COMPILED = ["bpolang/syntax/lexer", "bpolang/syntax/parser", "bpolang/syntax/nodes"]
# the tests of everything that reads text, run again on the compiled modules
SUITE = [
    "tests/test_grammar.py",
    "tests/test_incremental.py",
    "tests/test_partial.py",
    "tests/test_formatter.py",
    "tests/test_examples.py",
    "tests/test_lsp_units.py",
    "tests/test_translations.py",
    "tests/test_trusted.py",
    "tests/test_fuzz.py",
]

pytestmark = pytest.mark.slow


def _missing() -> str | None:
    if shutil.which(sysconfig.get_config_var("CC").split()[0] if sysconfig.get_config_var("CC") else "cc") is None:
        return "no C compiler"
    for module in ("hatchling", "hatch_mypyc", "mypyc", "build"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (the dev extra brings it)"
    return None


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the compiled build cannot be tested in CI: {reason}")
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("wheel")
    env = {**os.environ, "HATCH_BUILD_HOOKS_ENABLE": "1"}
    done = subprocess.run(
        # from the sdist, as a release builds it: the compiled files land in its unpacked copy, not in the checkout
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (wheel,) = out.glob("bpolang-*.whl")
    assert "-py3-none-any" not in wheel.name, f"{wheel.name}: not a platform wheel, nothing was compiled"
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
        names = z.namelist()
    for module in COMPILED:
        assert any(n.startswith(module + ".") and n.endswith((".so", ".pyd")) for n in names), f"{module} not compiled"
    return site


def _env(site: Path) -> dict[str, str]:
    # the wheel's files first on the path, then the checkout for its tests (`from tests...`), and
    # never the current folder (the processes run in the wheel's folder, not in the checkout)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(REPO)]), "PYTHONDONTWRITEBYTECODE": "1"}


def _compiled_then(site: Path, then: str) -> str:
    """Python code that stops unless the modules imported are the wheel's compiled ones, then runs `then`."""
    return (
        "import bpolang.syntax.lexer as a, bpolang.syntax.parser as b, bpolang.syntax.nodes as c\n"
        f"assert all(m.__file__.startswith({str(site)!r}) and m.__file__.endswith(('.so', '.pyd')) for m in (a, b, c)), "
        "[m.__file__ for m in (a, b, c)]\n" + then
    )


def test_the_compiled_modules_are_the_ones_imported(compiled: Path) -> None:
    code = _compiled_then(compiled, "print('compiled')")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(compiled), cwd=compiled, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "compiled\n"


def test_the_parser_tests_pass_on_the_compiled_build(compiled: Path) -> None:
    args = ["-q", "-p", "no:cacheprovider", "--rootdir", str(REPO), "-m", "not slow", *(str(REPO / t) for t in SUITE)]
    code = _compiled_then(compiled, f"import pytest, sys\nsys.exit(pytest.main({args!r}))")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(compiled), cwd=compiled, timeout=1200
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout


def test_a_check_through_the_cli_is_the_same_compiled_or_not(compiled: Path) -> None:
    code = _compiled_then(compiled, "from bpolang.cli import main\nmain()")
    for example in sorted((REPO / "examples").glob("*.bpo")):
        args = ["check", "--no-cache", "--output-format", "json", str(example)]
        pure = subprocess.run([sys.executable, "-m", "bpolang", *args], capture_output=True, text=True, timeout=120)
        fast = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            env=_env(compiled),
            cwd=compiled,
            timeout=120,
        )
        assert fast.stderr == pure.stderr, example.name
        assert (fast.returncode, fast.stdout) == (pure.returncode, pure.stdout), example.name
