"""The pre-commit hooks, driven by the real pre-commit framework in a temporary git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]

pytestmark = pytest.mark.slow

CLEAN = (ROOT / "examples" / "comptabilite-fournisseurs.bpo").read_text(encoding="utf-8")
BROKEN = 'contract a "A" {\n  term: 36 moons\n}\n'
UGLY = CLEAN.replace("  language: fr\n", "  language:    fr\n", 1)


def test_hook_definitions() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"bpo-check", "bpo-fmt"}
    for hook in hooks.values():
        assert hook["files"] == r"\.bpo$"
        assert hook["language"] == "python"
        assert "types" not in hook  # pre-commit rejects the unknown `bpo` type
    assert hooks["bpo-check"]["verbose"] is True  # warnings show even when the hook passes


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.fail("git is required for the pre-commit tests")
    path = tmp_path_factory.mktemp("contracts")
    _git(path, "init", "-q")
    _git(path, "config", "user.email", "legal-ops@example.com")
    _git(path, "config", "user.name", "Legal Ops")
    return path


def _try_repo(repo: Path, hook: str, *files: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")}
    return subprocess.run(
        [*PRE_COMMIT, "try-repo", str(ROOT), hook, "--files", *files],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


def test_check_hook_blocks_an_error_and_passes_a_clean_contract(repo: Path) -> None:
    (repo / "broken.bpo").write_text(BROKEN, encoding="utf-8")
    (repo / "clean.bpo").write_text(CLEAN, encoding="utf-8")
    _git(repo, "add", ".")
    blocked = _try_repo(repo, "bpo-check", "broken.bpo")
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "BPO012" in blocked.stdout
    passed = _try_repo(repo, "bpo-check", "clean.bpo")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_check_hook_shows_warnings_and_passes(repo: Path) -> None:
    """A contract with warnings only: the commit goes through, and the warnings are on screen."""
    from test_docs import FULL_BLOCKS

    (first,) = [b for b in FULL_BLOCKS if b.path.name == "getting-started.md"]
    (repo / "first.bpo").write_text(first.text, encoding="utf-8")
    _git(repo, "add", "first.bpo")
    run = _try_repo(repo, "bpo-check", "first.bpo")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "warning[BPO209]" in run.stdout and "Found 15 warnings, 2 info messages." in run.stdout
    # `fail-on` in the configuration makes the same warnings fail the hook
    (repo / "bpolang.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    try:
        strict = _try_repo(repo, "bpo-check", "first.bpo")
    finally:
        (repo / "bpolang.toml").unlink()
    assert strict.returncode == 1, strict.stdout + strict.stderr


def test_fmt_hook_rewrites_and_fails_that_run(repo: Path) -> None:
    (repo / "ugly.bpo").write_text(UGLY, encoding="utf-8")
    _git(repo, "add", "ugly.bpo")
    first = _try_repo(repo, "bpo-fmt", "ugly.bpo")
    assert first.returncode == 1, first.stdout + first.stderr  # files were modified by this hook
    assert "files were modified by this hook" in first.stdout
    assert (repo / "ugly.bpo").read_text(encoding="utf-8") == CLEAN
    _git(repo, "add", "ugly.bpo")
    second = _try_repo(repo, "bpo-fmt", "ugly.bpo")
    assert second.returncode == 0, second.stdout + second.stderr
