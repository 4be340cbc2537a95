"""Test-wide settings: the per-user cache goes to a temporary folder."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("bpo-cache")
    old = os.environ.get("BPO_CACHE_DIR")
    os.environ["BPO_CACHE_DIR"] = str(folder)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    yield
    if old is None:
        os.environ.pop("BPO_CACHE_DIR", None)
    else:
        os.environ["BPO_CACHE_DIR"] = old


@pytest.fixture
def deal(tmp_path, monkeypatch):
    """A copy of examples/msa (a master, two statements of work, its schedules) as a project folder,
    the current folder: for tests that edit one of its files."""
    import shutil
    from pathlib import Path

    root = tmp_path / "deal"
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "msa", root)
    (root / "bpolang.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("BPO_NO_CACHE", "1")
    return root
