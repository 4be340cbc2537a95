"""The package's layers (pyproject.toml [tool.importlinter]) hold, function-level imports included;
the package type-checks (pyproject.toml [tool.mypy])."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports(cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    return subprocess.run([exe, "--no-cache"], cwd=cwd, capture_output=True, text=True, env=env)


def test_the_layer_contracts_are_kept() -> None:
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_a_function_level_import_upwards_breaks_a_contract(tmp_path: Path) -> None:
    """The contracts see imports inside functions, where a cycle hid before."""
    shutil.copytree(ROOT / "bpolang", tmp_path / "bpolang", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    bases = tmp_path / "bpolang" / "model" / "bases.py"
    bases.write_text(bases.read_text() + "\n\ndef _probe():\n    from bpolang.render import render  # noqa: F401\n")
    proc = _lint_imports(tmp_path, env={"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent)})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "bpolang.model.bases -> bpolang.render" in proc.stdout


@pytest.mark.slow
def test_the_package_type_checks(tmp_path: Path) -> None:
    """mypy, configured by pyproject.toml (check_untyped_defs, warn_unused_ignores), finds no error."""
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy_cache")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr  # 1: type errors; 2: mypy itself failed
    assert "Success: no issues found" in proc.stdout
