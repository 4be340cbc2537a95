"""Which contract files a command works on: the files named, and *.bpo files under the folders named.

As ruff and black do: a folder is walked for ``*.bpo`` files, leaving out what the configuration
excludes (``exclude``, which replaces the defaults, and ``extend-exclude``, added to them) and what
git ignores (``.gitignore`` files from the repository's root down, and ``.git/info/exclude``;
``respect-gitignore = false`` turns that off). A file named on the command line is always taken,
unless ``force-exclude`` is set — pre-commit names every file, so that is how an exclusion reaches
it. Patterns follow .gitignore's syntax, relative to the folder of the configuration file (or of
the folder walked, without one). pathspec, which implements that syntax, is imported only when a
pattern needs it, so checking one named file stays light.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported at run time only when a pattern needs it (_spec)
    from pathspec import GitIgnoreSpec

DEFAULT_EXCLUDE = (".*", "node_modules", "venv", "__pypackages__", "site-packages")


@dataclass(frozen=True)
class Discovery:
    """The configuration's say in which files are taken (bpolang.check.configfile reads it)."""

    root: Path | None = None  # the configuration's folder; None: the folder walked
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    force_exclude: bool = False

    @property
    def patterns(self) -> tuple[str, ...]:
        return (*self.exclude, *self.extend_exclude)


def collect_files(
    paths: tuple[str, ...] | list[str], discovery: Callable[[Path], Discovery] | None = None
) -> list[Path]:
    """Files named on the command line, and *.bpo files under the folders named, minus exclusions."""
    settings_for = discovery or (lambda _p: Discovery())
    files: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if raw != "-" and p.is_dir():
            candidates = _walk(p, settings_for(p))
        elif raw != "-" and p.exists() and _excluded_file(p, settings_for(p)):
            continue
        else:
            candidates = [p]
        for f in candidates:
            key = f.resolve() if f.exists() else f
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files


class _Matcher:
    """Exclusion patterns and .gitignore files, matched in .gitignore's syntax.

    A walk tests each folder and file as it meets it, so a pattern of one component (`build`,
    `*.draft.bpo`) is tested against the name alone: the folders above were tested on the way.
    """

    def __init__(self, settings: Discovery, top: Path) -> None:
        self.settings = settings
        self.root = (settings.root or top).resolve()
        self._simple = all(_is_simple(p) for p in settings.patterns)
        self._spec = None if self._simple else _spec(settings.patterns)
        self._ignores: dict[Path, GitIgnoreSpec | None] = {}
        self.repo = _repository_root(top.resolve()) if settings.respect_gitignore else None

    def excluded(self, path: Path, is_dir: bool) -> bool:
        path = path.resolve()
        return self._matches_patterns(path, is_dir) or self._git_ignored(path, is_dir)

    def _matches_patterns(self, path: Path, is_dir: bool) -> bool:
        if self._simple:
            return any(fnmatch.fnmatchcase(path.name, pat) for pat in self.settings.patterns)
        if self.root not in path.parents:
            return False
        rel = path.relative_to(self.root).as_posix()
        assert self._spec is not None  # built whenever a pattern is not simple
        return bool(self._spec.match_file(rel + "/" if is_dir else rel))

    def _git_ignored(self, path: Path, is_dir: bool) -> bool:
        top = self.repo
        if top is None or top not in path.parents:
            return False
        ignored = False
        for folder in [top, *reversed([f for f in path.parents if top in f.parents])]:
            spec = self._ignore_spec(folder)
            if spec is None:
                continue
            rel = path.relative_to(folder).as_posix()
            verdict = spec.check_file(rel + "/" if is_dir else rel).include
            if verdict is not None:
                ignored = verdict
        return ignored

    def _ignore_spec(self, folder: Path) -> GitIgnoreSpec | None:
        if folder not in self._ignores:
            lines: list[str] = []
            if folder == self.repo:
                lines += _read_lines(folder / ".git" / "info" / "exclude")
            lines += _read_lines(folder / ".gitignore")
            self._ignores[folder] = _spec(lines) if any(line.strip() for line in lines) else None
        return self._ignores[folder]


def _walk(top: Path, settings: Discovery) -> list[Path]:
    matcher = _Matcher(settings, top)
    found: list[Path] = []
    for folder, dirs, names in os.walk(top):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not matcher.excluded(here / d, is_dir=True))
        for name in names:
            f = here / name
            if name.endswith(".bpo") and f.is_file() and not matcher.excluded(f, is_dir=False):
                found.append(f)
    return sorted(found)


def _excluded_file(path: Path, settings: Discovery) -> bool:
    """A file named on the command line: excluded only under `force-exclude`, as ruff does."""
    if not settings.force_exclude:
        return False
    matcher = _Matcher(settings, path.parent)
    full = path.resolve()
    within = [f for f in full.parents if matcher.root in f.parents]
    return matcher.excluded(full, is_dir=False) or any(matcher.excluded(f, is_dir=True) for f in within)


def _is_simple(pattern: str) -> bool:
    """A pattern that matches one path component (`build`, `*.draft.bpo`): no pathspec needed."""
    return "/" not in pattern and not pattern.startswith(("!", "#")) and "\\" not in pattern


def _spec(lines: Iterable[str]) -> GitIgnoreSpec:
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _repository_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None
