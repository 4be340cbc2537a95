"""The whole workspace: every `.bpo` file checked, its diagnostics published, its ids listed.

When the editor opens a folder, the server checks each `.bpo` file under it (the same
:func:`bpolang.lsp.documents.analyse` as an open document, so the same diagnostics as `bpo
check`), one file per turn of the event loop so that requests are still answered while it
goes, and publishes the diagnostics of the files that are not open.  It keeps of each file only
its declared ids (for workspace symbols), not its analysis.  A file changed on disk (the editor
tells through the `**/*.bpo` watcher) is checked again.

Each id is recorded with its file: when contracts span several files (an `import`), the
references of an id will be looked up in the files that import its own, through this index.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp

log = logging.getLogger("bpolang.lsp")

MAX_FILES = 2000  # past this, the workspace is not one portfolio of contracts: open files only
SKIPPED_DIRS = {"node_modules", "__pycache__", "site", "build", "dist"}


@dataclass(frozen=True)
class Declared:
    """An id declared in a file: what workspace/symbol lists."""

    id: str
    kind: str
    range: lsp.Range
    container: str | None


@dataclass
class Index:
    """The declared ids of each `.bpo` file of the workspace, by uri."""

    roots: list[Path] = field(default_factory=list)
    files: dict[str, list[Declared]] = field(default_factory=dict)
    # the other files each one is composed of (its master, its schedules), as real paths
    parts: dict[str, set[str]] = field(default_factory=dict)

    def paths(self) -> Iterator[Path]:
        """The `.bpo` files under the roots, sorted, at most MAX_FILES: hidden folders and build output
        skipped, and a symlink that leads out of its root too (the workspace holds what it holds)."""
        count = 0
        for root in self.roots:
            for folder, dirs, names in os.walk(root):  # symlinked folders are not followed
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
                for name in sorted(names):
                    if name.endswith(".bpo") and (Path(folder) / name).resolve().is_relative_to(root):
                        count += 1
                        if count > MAX_FILES:
                            log.warning("more than %d .bpo files in the workspace: the rest are not checked", MAX_FILES)
                            return
                        yield Path(folder) / name

    def holds(self, path: str | None) -> bool:
        """Whether a file lies under a root of the workspace."""
        if path is None:
            return False
        p = Path(path).resolve()
        return any(p.is_relative_to(r) for r in self.roots)

    def record(self, uri: str, analysis) -> None:
        """Keep the ids an analysis declares (its offsets mapped through its own codec) and the
        files it is composed of."""
        self.files[uri] = declared(analysis)
        self.parts[uri] = composed_of(analysis)

    def symbols(self, query: str) -> list[lsp.WorkspaceSymbol]:
        """The ids whose name holds the query's letters in order (case ignored), as editors filter."""
        out = []
        for uri, ids in sorted(self.files.items()):
            for d in ids:
                if _matches(query, d.id):
                    out.append(
                        lsp.WorkspaceSymbol(
                            name=d.id,
                            kind=symbol_kind(d.kind),
                            location=lsp.Location(uri=uri, range=d.range),
                            container_name=d.container,
                        )
                    )
        return out


def declared(analysis) -> list[Declared]:
    result = analysis.result
    res = result.resolution
    if res is None:
        return []
    contract = result.contract
    container = getattr(contract, "id", None)
    out = []
    for sym in res.symbols.values():
        span = getattr(sym.node, "id_span", None) or sym.span
        if span is not None and span.path is None:  # an id of its master is recorded with the master
            out.append(Declared(sym.id, sym.kind, analysis.codec.span_range(span), container))
    return out


def composed_of(analysis) -> set[str]:
    """The real paths of the other files an analysed contract is composed of."""
    return {os.path.realpath(p) for p in getattr(analysis.result, "parts", None) or {}}


def symbol_kind(kind: str) -> lsp.SymbolKind:
    from bpolang.lsp.outline import KINDS

    return KINDS.get(kind, lsp.SymbolKind.Variable)


def _matches(query: str, name: str) -> bool:
    rest = iter(name.lower())
    return all(ch in rest for ch in query.lower())
