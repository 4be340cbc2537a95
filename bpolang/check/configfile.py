"""Finding and reading configuration files, without validating them (no pydantic here).

``bpo check`` uses this alone to key its cache on the configuration's bytes, so that an unchanged
re-run never needs the validating model of :mod:`bpolang.check.config`.
"""

from __future__ import annotations

import os
from pathlib import Path

from bpolang.base.errors import ConfigError

CONFIG_FILES = ("bpolang.toml", "pyproject.toml")


def read_table(path: Path, pyproject: bool) -> dict | None:
    import tomllib

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        from bpolang.base.errors import unreadable

        raise ConfigError(unreadable(path, exc)) from None
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
                if name == "bpolang.toml" or read_table(candidate, True) is not None:
                    return candidate
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


FAIL_ON = ("error", "warning", "info", "never")


def config_table(path: Path | None) -> tuple[dict, str]:
    """The raw keys of a configuration file (none for None) and their prefix in messages."""
    if path is None:
        return {}, ""
    is_pyproject = path.name == "pyproject.toml"
    table = read_table(path, is_pyproject)
    if table is None:
        raise ConfigError(f"{path}: no [tool.bpolang] table")
    return table, "tool.bpolang." if is_pyproject else ""


def _get(table: dict, key: str, default=None):
    """A key as written (`fail-on`) or by its field name (`fail_on`), as the validating model takes both."""
    return table.get(key, table.get(key.replace("-", "_"), default))


def discovery_settings(path: Path | None):
    """What a configuration file says about which files are taken (the keys checked lightly here,
    before pydantic, so a cached `bpo check` of a folder never needs it)."""
    from bpolang.base.discovery import DEFAULT_EXCLUDE, Discovery

    table, prefix = config_table(path)
    where = f"{path}: `{prefix}" if path else "`"

    def globs(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = _get(table, key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}{key}`: expected a list of glob patterns")
        return tuple(value)

    def flag(key: str, default: bool) -> bool:
        value = _get(table, key, default)
        if not isinstance(value, bool):
            raise ConfigError(f"{where}{key}`: expected true or false")
        return value

    return Discovery(
        root=path.resolve().parent if path else None,
        exclude=globs("exclude", DEFAULT_EXCLUDE),
        extend_exclude=globs("extend-exclude", ()),
        respect_gitignore=flag("respect-gitignore", True),
        force_exclude=flag("force-exclude", False),
    )


def fail_on_setting(path: Path | None) -> str | None:
    """The configuration's `fail-on`, or None when it does not set it."""
    table, prefix = config_table(path)
    value = _get(table, "fail-on")
    if value is not None and value not in FAIL_ON:
        from bpolang.base.errors import did_you_mean

        hint = did_you_mean(str(value), FAIL_ON)
        raise ConfigError(f"{path}: `{prefix}fail-on`: expected one of {', '.join(FAIL_ON)}, found `{value}`{hint}")
    return value
