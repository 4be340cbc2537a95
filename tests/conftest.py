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
