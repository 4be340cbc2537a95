"""The per-user cache: atomic JSON entries, corrupt ones recomputed, and a switch to turn it off."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bpolang.base import cache
from bpolang.resolve import calendar


@pytest.fixture
def cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BPO_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("BPO_NO_CACHE", raising=False)
    return tmp_path


def test_round_trip_and_private_folder(cache_root: Path) -> None:
    cache.write_json(("t", "1.0", "entry"), [1, "a"])
    assert cache.read_json(("t", "1.0", "entry")) == [1, "a"]
    assert (cache_root / "t").stat().st_mode & 0o777 == 0o700
    assert [p.name for p in (cache_root / "t" / "1.0").iterdir()] == ["entry.json"]  # no temp file left


def test_corrupt_entry_reads_as_missing(cache_root: Path) -> None:
    path = cache_root / "t" / "entry.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    assert cache.read_json(("t", "entry")) is None


def test_keys_cannot_escape_the_folder(cache_root: Path) -> None:
    cache.write_json(("..", "../../evil"), 1)
    written = [p for p in cache_root.rglob("*.json")]
    assert len(written) == 1 and cache_root in written[0].parents


def test_switched_off(cache_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BPO_NO_CACHE", "1")
    cache.write_json(("t", "x"), 1)
    assert cache.read_json(("t", "x")) is None
    assert list(cache_root.iterdir()) == []


def test_holidays_come_back_the_same_from_the_cache(cache_root: Path) -> None:
    calendar._holidays_for_year.cache_clear()
    fresh = calendar._holidays_for_year("FR", 2027)
    version = cache.package_version("holidays")
    stored = json.loads((cache_root / "holidays" / version / "FR-2027.json").read_text(encoding="utf-8"))
    assert dt.date(2027, 7, 14).isoformat() in stored
    calendar._holidays_for_year.cache_clear()
    assert calendar._holidays_for_year("FR", 2027) == fresh


def test_parallel_processes_share_the_cache_safely(cache_root: Path) -> None:
    code = (
        "from bpolang.resolve import calendar\n"
        "import datetime as dt\n"
        "assert dt.date(2027, 5, 6) in calendar.public_holidays('FR', 2027)\n"
    )
    env = {**os.environ, "BPO_CACHE_DIR": str(cache_root)}
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env) for _ in range(8)]
    assert [p.wait(timeout=120) for p in procs] == [0] * 8
    assert not list(cache_root.rglob(".tmp-*"))
