"""Finding and reading configuration files, without validating them (no pydantic here).

``bpo check`` uses this alone to key its cache on the configuration's bytes, so that an unchanged
re-run never needs the validating model of :mod:`bpolang.check.config`.
"""

from __future__ import annotations

import os
from pathlib import Path

from bpolang.base.errors import ConfigError

CONFIG_FILES = ("bpolang.toml", "pyproject.toml")


def _read(path: Path, pyproject: bool) -> dict | None:
    import tomllib

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if pyproject:
        tool = data.get("tool")
        if not isinstance(tool, dict) or "bpolang" not in tool:
            return None
        table = tool["bpolang"]
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: `tool.bpolang` must be a table")
        return table
    return data


def find_config_file(start: str | Path) -> Path | None:
    """The nearest configuration file above a file or folder, or None."""
    p = Path(os.path.realpath(start))  # never raises, not even on a symlink loop
    folder = p if p.is_dir() else p.parent
    while True:
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name == "bpolang.toml" or _read(candidate, True) is not None:
                    return candidate
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent
