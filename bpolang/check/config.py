"""Configuration: ``[tool.bpolang]`` in pyproject.toml, or ``bpolang.toml``, nearest to each file.

The configuration is found by walking up from each checked file: in each folder, ``bpolang.toml``
(its keys at top level) wins over a ``pyproject.toml`` with a ``[tool.bpolang]`` table; a
``pyproject.toml`` without that table is skipped.  The walk stops after a folder that contains
``.git`` (the repository root), or at the file system root.  The nearest configuration applies
whole: configurations are not merged.

Unknown keys, bad values and unknown rule codes or names are errors (exit 2) naming the key and
the file: a typo must not silently turn a check off.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bpolang.base.diagnostics import Severity
from bpolang.base.errors import ConfigError
from bpolang.check.configfile import CONFIG_FILES, find_config_file, read_table

__all__ = ["CONFIG_FILES", "Config", "ConfigError", "ConfigResolver", "Settings", "find_config_file", "load_config"]


class Settings(BaseModel):
    """The keys of ``[tool.bpolang]`` / ``bpolang.toml``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    select: list[str] | None = Field(
        default=None, description="Rules to run (codes, names, areas, `ALL`); default all."
    )
    ignore: list[str] = Field(default_factory=list, description="Rules not to run.")
    extend_select: list[str] = Field(
        default_factory=list, alias="extend-select", description="Rules added to `select`."
    )
    severity: dict[str, Literal["error", "warning", "info"]] = Field(
        default_factory=dict, description="Severity by code or name."
    )
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict, alias="per-file-ignores", description="Rules ignored per glob."
    )
    jurisdiction: str | None = Field(default=None, description="Governing law assumed when a contract gives none.")
    line_length: int = Field(default=100, ge=40, le=200, alias="line-length", description="Line width for `bpo fmt`.")
    # read before pydantic by bpolang.check.configfile (discovery_settings, fail_on_setting); here
    # so that the keys are known and documented with the others
    fail_on: Literal["error", "warning", "info", "never"] | None = Field(
        default=None,
        alias="fail-on",
        description="The lowest severity that makes `bpo check` exit 1; `never`: findings are reported, none fails.",
    )
    exclude: list[str] | None = Field(default=None, description="Paths not checked, replacing the defaults.")
    extend_exclude: list[str] = Field(default_factory=list, alias="extend-exclude", description="Paths not checked.")
    respect_gitignore: bool = Field(default=True, alias="respect-gitignore", description="Skip what git ignores.")
    force_exclude: bool = Field(
        default=False, alias="force-exclude", description="Exclude files named on the command line too."
    )

    @field_validator("jurisdiction")
    @classmethod
    def _law(cls, v: str | None) -> str | None:
        if v is not None and not v.replace("_", "").isalpha():
            raise ValueError("expected a country code such as FR")
        return v.upper() if v else v


class Config:
    """A loaded configuration (or the defaults) and what it means for a given file."""

    def __init__(self, settings: Settings | None = None, path: Path | None = None) -> None:
        self.settings = settings or Settings()
        self.path = path
        self.root = path.parent if path is not None else Path.cwd()
        self._validate()

    def _where(self, key: str) -> str:
        return f"{self.path}: `{key}`" if self.path else f"`{key}`"

    def _codes(self, key: str, selectors: list[str], *, allow_language: bool = False) -> set[str]:
        from bpolang.check.rules.registry import resolve_selector

        out: set[str] = set()
        for sel in selectors:
            rules = resolve_selector(sel)
            if rules is None:
                from bpolang.base.errors import did_you_mean
                from bpolang.check.rules.registry import AREAS, load_all

                known = [*AREAS, *(r.code for r in load_all().values()), *(r.name for r in load_all().values())]
                hint = did_you_mean(sel, known)
                raise ConfigError(f"{self._where(key)}: unknown rule code, name or area `{sel}`{hint}")
            for r in rules:
                if r.always_on and not allow_language:
                    if len(rules) == 1:
                        raise ConfigError(
                            f"{self._where(key)}: `{sel}` is a diagnostic of the language and is always on"
                        )
                    continue
                out.add(r.code)
        return out

    def _validate(self) -> None:
        s = self.settings
        from bpolang.check.rules.registry import load_all

        rules = load_all()
        checkable = {c for c, r in rules.items() if not r.always_on}
        selected = self._codes("select", s.select) if s.select is not None else set(checkable)
        selected |= self._codes("extend-select", s.extend_select)
        selected -= self._codes("ignore", s.ignore)
        self.enabled: frozenset[str] = frozenset(selected)
        self.severities: dict[str, Severity] = {}
        for key, sev in s.severity.items():
            for code in self._codes("severity", [key]):
                self.severities[code] = Severity(sev)
        self.per_file: list[tuple[str, set[str]]] = [
            (glob, self._codes("per-file-ignores", codes)) for glob, codes in s.per_file_ignores.items()
        ]

    def enabled_for(self, file: str | Path | None) -> frozenset[str]:
        """The codes to run on a file: selection minus its per-file ignores."""
        if file is None or not self.per_file:
            return self.enabled
        p = Path(file)
        try:
            rel = p.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = p.as_posix()
        ignored: set[str] = set()
        for glob, codes in self.per_file:
            if fnmatch.fnmatch(rel, glob) or fnmatch.fnmatch(p.name, glob):
                ignored |= codes
        return self.enabled - ignored

    @property
    def jurisdiction(self) -> str | None:
        return self.settings.jurisdiction


def load_config(path: str | Path) -> Config:
    """Read one configuration file (bpolang.toml, or pyproject.toml's [tool.bpolang])."""
    p = Path(path)
    is_pyproject = p.name == "pyproject.toml"
    table = read_table(p, is_pyproject)
    if table is None:
        raise ConfigError(f"{p}: no [tool.bpolang] table")
    prefix = "tool.bpolang." if is_pyproject else ""
    try:
        settings = Settings.model_validate(table)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        if err["type"] == "extra_forbidden":
            from bpolang.base.errors import did_you_mean

            keys = [f.alias or name for name, f in Settings.model_fields.items()]
            hint = did_you_mean(str(err["loc"][-1]), keys) if len(err["loc"]) == 1 else ""
            raise ConfigError(f"{p}: unknown key `{prefix}{loc}`{hint}") from None
        if err["type"] == "literal_error":
            import re

            from bpolang.base.errors import did_you_mean

            choices = re.findall(r"'([^']*)'", err.get("ctx", {}).get("expected", ""))
            found = err.get("input")
            hint = did_you_mean(str(found), choices)
            raise ConfigError(
                f"{p}: `{prefix}{loc}`: expected one of {', '.join(choices)}, found `{found}`{hint}"
            ) from None
        raise ConfigError(f"{p}: `{prefix}{loc}`: {err['msg']}") from None
    return Config(settings, p.resolve())


class ConfigResolver:
    """Finds (and caches) the configuration of each file; ``--config`` and ``--isolated`` override."""

    def __init__(
        self,
        explicit: str | Path | None = None,
        isolated: bool = False,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
    ) -> None:
        self.isolated = isolated
        self.select, self.ignore = select, ignore
        self.fixed: Config | None = None
        if explicit is not None:
            self.fixed = self._override(load_config(explicit))
        elif isolated:
            self.fixed = self._override(Config())
        self._cache: dict[Path | None, Config] = {}

    def _override(self, cfg: Config) -> Config:
        """Apply --select / --ignore from the command line on top of a configuration."""
        if self.select is None and not self.ignore:
            return cfg
        data = cfg.settings.model_dump(by_alias=True, exclude_unset=True)
        if self.select is not None:
            data["select"] = self.select
            data.pop("extend-select", None)
        if self.ignore:
            data["ignore"] = list(data.get("ignore", [])) + self.ignore
        return Config(Settings.model_validate(data), cfg.path)

    def for_path(self, path: str | os.PathLike[str] | None) -> Config:
        if self.fixed is not None:
            return self.fixed
        start = Path(path) if path not in (None, "-", "<stdin>") else Path.cwd()
        found = find_config_file(start)
        if found not in self._cache:
            self._cache[found] = self._override(load_config(found) if found is not None else Config())
        return self._cache[found]


def line_length_for_path(path: str | Path | None) -> int | None:
    """The `line-length` of the configuration that applies to a file, or None when none sets it."""
    start = Path(path) if path is not None else Path.cwd()
    found = find_config_file(start)  # ConfigError when the configuration cannot be read
    if found is None:
        return None
    cfg = load_config(found)
    if "line_length" not in cfg.settings.model_fields_set:
        return None
    return cfg.settings.line_length
