"""A small per-user cache of derived data (JSON only, never pickle).

Entries live under ``$BPO_CACHE_DIR`` or the XDG cache folder
(``~/.cache/bpolang``), in a folder created with mode 0700.  Keys include the
version of whatever produced the data, so an upgrade starts afresh.  Writes go
to a temporary file renamed into place, so parallel runs (pre-commit starts
several) never see a half-written entry; a missing, unreadable or corrupt
entry is simply recomputed.  ``BPO_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("BPO_NO_CACHE"):
        return None
    root = os.environ.get("BPO_CACHE_DIR")
    if root:
        return Path(root)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "bpolang"


@functools.cache
def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def _path(key: tuple[str, ...]) -> Path | None:
    root = cache_dir()
    if root is None:
        return None
    # each part is one plain file name: no separators, no leading dot (no `..`)
    parts = [_SAFE.sub("_", k).lstrip(".") or "_" for k in key]
    return root.joinpath(*parts[:-1]) / f"{parts[-1]}.json"


def _private_dirs(root: Path, folder: Path) -> None:
    """Create root and each folder below it down to `folder`, readable by the user only."""
    current = root
    for part in (None, *folder.relative_to(root).parts):
        if part is not None:
            current = current / part
        if not current.is_dir():
            current.mkdir(mode=0o700, parents=part is None, exist_ok=True)
            os.chmod(current, 0o700)


def read_json(key: tuple[str, ...]) -> Any:
    """The cached value, or None."""
    path = _path(key)
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(key: tuple[str, ...], value: Any) -> None:
    """Store a value atomically; failures are ignored (the cache is only an optimisation)."""
    path = _path(key)
    if path is None:
        return
    try:
        root = cache_dir()
        assert root is not None
        _private_dirs(root, path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(value, fh)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        return
