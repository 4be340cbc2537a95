"""`bpo check` over many files: a cache of results, a process pool and a progress bar.

The cache keeps, for each file checked, the diagnostics found with the exact inputs that produced
them: the file's bytes, the bytes of the configuration file that applies, the command line's rule
options, the bytes of every other file the contract is composed of (its master and the schedules
it uses, recorded with the entry and compared on each read) and a fingerprint of bpolang's own code (its version and the size and modification time of
its source files, so an edited checkout never reads stale results).  An unchanged re-run reads
the entries and prints; it needs neither the parser nor pydantic.  Entries are JSON, written
atomically in the per-user cache folder (:mod:`bpolang.base.cache`), one per checked path, so parallel
pre-commit processes never see a half-written entry and the cache does not grow with each edit.

Files not in the cache are checked in worker processes when there are enough of them to repay
starting the workers; each worker builds the same configuration resolver as a one-process run, so
the findings are identical either way.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bpolang import __version__
from bpolang.base import cache
from bpolang.base.errors import ConfigError, InputError
from bpolang.base.fileio import read_contract_bytes
from bpolang.check.configfile import find_config_file


class Bar(Protocol):
    def update(self, n: int) -> None: ...

    def render_finish(self) -> None: ...


class Progress(Protocol):
    """Makes a progress bar for a number of files (the command line passes click's)."""

    def __call__(self, total: int) -> Bar: ...


CACHE_FORMAT = "1"
# Below this many files to check, worker start-up costs more than it saves.
MIN_FILES_FOR_POOL = 16
# A progress bar appears for runs with at least this many files to check, on a terminal.
MIN_FILES_FOR_PROGRESS = 50


@functools.cache
def code_fingerprint() -> str:
    """bpolang's version and the size and mtime of each of its source and data files."""
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(f"{CACHE_FORMAT}:{__version__}:{sys.version_info[:2]}".encode())
    grammar = [package / "grammar" / "bpo.lark", package.parent / "grammar" / "bpo.lark"]
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.json"), *grammar]):
        try:
            st = path.stat()
        except OSError:
            continue
        h.update(f"{path.relative_to(package.parent)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


@dataclass(frozen=True)
class RuleOptions:
    """What on the command line changes which findings a file gets."""

    config: str | None = None
    isolated: bool = False
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None

    def config_file(self, path: str | Path | None) -> Path | None:
        """The configuration file that applies to a path (None: the defaults), as the resolver finds it."""
        if self.config is not None:
            return Path(self.config)
        if self.isolated:
            return None
        return find_config_file(Path(path) if path not in (None, "-", "<stdin>") else Path.cwd())

    def resolver(self):
        from bpolang.check.config import ConfigResolver

        return ConfigResolver(
            self.config,
            self.isolated,
            list(self.select) if self.select is not None else None,
            list(self.ignore) if self.ignore is not None else None,
        )


@dataclass
class Checked:
    """One file's findings; its decoded source is made only when an output needs it."""

    path: str
    data: bytes | None
    diagnostics: list[Any]
    _source: Any = field(default=None, repr=False)

    @property
    def source(self):
        if self._source is None:
            if self.data is None:
                from bpolang.base.source import Source

                self._source = Source("", self.path)
            else:
                from bpolang.check.pipeline import decode

                self._source, _ = decode(self.data, self.path)
        return self._source


@dataclass
class Run:
    checked: list[Checked]
    input_errors: list[str]
    cached: int = 0
    computed: int = 0


class Checker:
    """Checks files with the cache and the pool; raises ConfigError for an unusable configuration."""

    def __init__(self, options: RuleOptions, use_cache: bool = True, jobs: int | None = None) -> None:
        self.options = options
        self.use_cache = use_cache and cache.cache_dir() is not None
        self.jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        self._config_bytes: dict[Path | None, str] = {}
        if options.config is not None:
            self._explicit = self._fingerprint_config(Path(options.config))

    # -------------------------------------------------------------- cache keys
    def _fingerprint_config(self, path: Path | None) -> str:
        if path not in self._config_bytes:
            if path is None:
                self._config_bytes[path] = "-"
            else:
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    from bpolang.base.errors import unreadable

                    raise ConfigError(unreadable(path, exc)) from None
                self._config_bytes[path] = f"{path.resolve()}:" + hashlib.sha256(data).hexdigest()
        return self._config_bytes[path]

    def _config_for(self, path: str) -> str:
        if self.options.config is not None:
            return self._explicit
        if self.options.isolated:
            return "isolated"
        return self._fingerprint_config(find_config_file(Path(path)))

    def _entry_key(self, path: str) -> tuple[str, ...]:
        where = hashlib.sha256(f"{os.getcwd()}\0{path}\0{self.options!r}".encode()).hexdigest()
        return ("check", where[:2], where)

    def _stamp(self, path: str, data: bytes) -> str:
        h = hashlib.sha256(data)
        h.update(f"\0{code_fingerprint()}\0{self._config_for(path)}".encode())
        return h.hexdigest()

    # -------------------------------------------------------------- running
    def run(self, files: list[Path], progress: Progress | None = None) -> Run:
        """Check the files, from the cache where it holds; `progress` makes a bar for a long run."""
        run = Run([], [])
        slots: list[Checked | None] = []
        todo: list[tuple[int, str, bytes | None, str | None]] = []
        for f in files:
            path = str(f)
            try:
                data, _size = read_contract_bytes(f)
            except InputError as exc:
                run.input_errors.append(str(exc))
                continue
            stamp = self._stamp(path, data) if self.use_cache and data is not None else None
            if stamp is not None:
                entry = cache.read_json(self._entry_key(path))
                if (
                    isinstance(entry, dict)
                    and entry.get("stamp") == stamp
                    and isinstance(entry.get("diagnostics"), list)
                    and _unchanged(entry.get("dependencies", []))
                ):
                    slots.append(Checked(path, data, _diagnostics(entry["diagnostics"])))
                    run.cached += 1
                    continue
            todo.append((len(slots), path, data, stamp))
            slots.append(None)
        for (slot, path, data, stamp), outcome in zip(todo, self._compute([(p, d) for _, p, d, _ in todo], progress)):
            kind, value = outcome
            if kind == "config":
                raise ConfigError(value)
            if kind == "input":
                run.input_errors.append(value)
                continue
            found, dependencies = value
            slots[slot] = Checked(path, data, _diagnostics(found))
            run.computed += 1
            if stamp is not None:
                entry = {"stamp": stamp, "diagnostics": found, "dependencies": dependencies}
                cache.write_json(self._entry_key(path), entry)
        run.checked = [c for c in slots if c is not None]
        return run

    def _compute(self, work: list[tuple[str, bytes | None]], progress: Progress | None):
        """(kind, value) per file, in order: ("ok", (diagnostics as JSON, dependencies)), ("input" | "config", message)."""
        if not work:
            return []
        # An unusable configuration named on the command line fails here, before any worker starts.
        global _resolver
        _resolver = self.options.resolver()
        bar = progress(len(work)) if progress is not None and len(work) >= MIN_FILES_FOR_PROGRESS else None
        try:
            if self.jobs > 1 and len(work) >= MIN_FILES_FOR_POOL:
                return self._in_pool(work, bar)
            out = []
            for item in work:
                out.append(_check_one(item))
                if bar is not None:
                    bar.update(1)
            return out
        finally:
            if bar is not None:
                bar.render_finish()

    def _in_pool(self, work, bar):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Load the checker before the workers fork, so each starts with it in memory.
        from bpolang.check import pipeline as api  # noqa: F401
        from bpolang.check.rules import registry

        registry.load_all()
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        context = multiprocessing.get_context(method)
        jobs = min(self.jobs, len(work))
        chunk = max(1, min(32, len(work) // (jobs * 8)))
        out = []
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker, initargs=(self.options,)) as pool:
            for outcome in pool.map(_check_one, work, chunksize=chunk):
                out.append(outcome)
                if bar is not None:
                    bar.update(1)
        return out


def _unchanged(dependencies: Any) -> bool:
    """Whether every file a contract was composed of (its master, its schedules) still has the
    bytes it had when the contract was checked: each ``[path, sha256]``."""
    if not isinstance(dependencies, list):
        return False
    for item in dependencies:
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)):
            return False
        try:
            data, _size = read_contract_bytes(item[0])
        except InputError:
            return False
        if data is None or hashlib.sha256(data).hexdigest() != item[1]:
            return False
    return True


def _diagnostics(items: list[dict]) -> list:
    if not items:
        return []
    from bpolang.base.diagnostics import Diagnostic

    return [Diagnostic.model_validate(d) for d in items]


_resolver = None


def _init_worker(options: RuleOptions) -> None:
    global _resolver
    _resolver = options.resolver()  # already built once in the parent: it cannot fail here


def _check_one(item: tuple[str, bytes | None]) -> tuple[str, Any]:
    from bpolang.base.gcpause import paused_gc

    with paused_gc():  # one collection after the file, not one after each stage
        return _check(item)


def _check(item: tuple[str, bytes | None]) -> tuple[str, Any]:
    from bpolang.check.driver import findings
    from bpolang.check.pipeline import load, parse_bytes

    path, data = item
    try:
        assert _resolver is not None
        cfg = _resolver.for_path(path)
        result = load(path) if data is None else parse_bytes(data, path)
        found = [d.model_dump(mode="json") for d in findings(result, cfg)]
        return "ok", (found, [list(dep) for dep in result.dependencies])
    except InputError as exc:
        return "input", str(exc)
    except ConfigError as exc:
        return "config", str(exc)
