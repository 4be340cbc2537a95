"""The one check driver: a parsed contract in, its findings out, and the fix loop.

Every caller that checks a contract — `bpo check`, the cache's worker processes, the language
server, the bench and the tests — calls :func:`findings`, so they cannot disagree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bpolang.base.diagnostics import Diagnostic
    from bpolang.check.config import Config
    from bpolang.check.pipeline import Result


def findings(result: Result, cfg: Config) -> list[Diagnostic]:
    """The language's diagnostics plus the rules' findings, after configuration and suppressions."""
    from bpolang.base.diagnostics import Diagnostic, place
    from bpolang.check.rules import run_rules
    from bpolang.check.suppress import apply_suppressions

    enabled = cfg.enabled_for(result.source.path)
    schedule = result.contract is not None and result.contract.is_schedule
    # a schedule is not a whole contract: the rules check it in the contracts that use it
    found = [] if schedule else place(run_rules(result, enabled, cfg.jurisdiction), result.source.path)
    if result.parts:
        found = _not_the_masters(result, found, cfg)
    for d in found:
        sev = cfg.severities.get(d.code)
        if sev is not None:
            d.severity = sev
    diags = apply_suppressions(result, list(result.diagnostics) + found, enabled)
    diags.sort(key=Diagnostic.sort_key)
    return syntax_errors_first(result, diags)


def _not_the_masters(result: Result, found: list[Diagnostic], cfg: Config) -> list[Diagnostic]:
    """The findings of a composed contract less those its master's own check reports.

    A finding about a term written in the master (its liability, a schedule it uses) is the
    master's: reported when the master is checked, not again with each statement of work.
    """
    from bpolang.base.errors import InputError
    from bpolang.check.pipeline import load
    from bpolang.check.rules import run_rules

    foreign = [d for d in found if d.path != result.source.path]
    if not foreign:
        return found
    known: set[tuple[str | None, str, int]] = set()
    for path, part in result.parts.items():
        if part.contract is None or part.contract.is_schedule:
            continue
        try:
            master = load(path)
        except InputError:  # gone since it was read: its findings stay with this contract
            continue
        own = list(master.diagnostics) + run_rules(master, cfg.enabled_for(path), cfg.jurisdiction)
        for d in own:
            if d.span is not None:
                known.add((d.span.path or path, d.code, d.span.start))
    return [d for d in found if d.span is None or (d.path, d.code, d.span.start) not in known]


def syntax_errors_first(result: Result, diags: list[Diagnostic]) -> list[Diagnostic]:
    """A file that does not parse shows why first: an unclosed block explains what follows it."""
    problems = getattr(result.syntax, "problems", None) or []
    if not problems:
        return diags
    where = {(p.code, p.start) for p in problems}
    first = [d for d in diags if d.span is not None and (d.code, d.span.start) in where]
    return first + [d for d in diags if not (d.span is not None and (d.code, d.span.start) in where)]


def check_file(path: str | os.PathLike[str], config: Config | None = None) -> Result:
    """Load a file and check it as `bpo check` does: the result's diagnostics are every finding.

    ``config`` defaults to the configuration that applies to the file (the nearest bpolang.toml or
    pyproject.toml); raises InputError when the file cannot be read, ConfigError when its
    configuration cannot.
    """
    from dataclasses import replace

    from bpolang.check.config import ConfigResolver
    from bpolang.check.pipeline import load

    result = load(path)
    if result.contract is None:
        return result
    cfg = config if config is not None else ConfigResolver().for_path(path)
    return replace(result, diagnostics=findings(result, cfg))


@dataclass
class Fixed:
    """What the fix loop left: the last check of the file, its findings, how many fixes went in, a write error."""

    result: Result
    diagnostics: list[Diagnostic]
    applied: int
    write_error: str | None = None


def fix_file(path: Path, result: Result, cfg: Config, unsafe: bool, rounds: int = 10) -> Fixed:
    """Apply fixes (safe, and unsafe when asked), write atomically, re-check; repeat until stable."""
    from bpolang.base.errors import InputError
    from bpolang.base.fileio import ChangedSinceRead, WriteRefused, atomic_write, read_input
    from bpolang.check.pipeline import load
    from bpolang.check.rules import apply_fixes

    total = 0
    diags = findings(result, cfg)
    for _ in range(rounds):
        text, applied = apply_fixes(result.source.text, diags, unsafe)
        if not applied:
            break
        bom = b"\xef\xbb\xbf" if result.source.bom else b""
        data = bom + text.encode("utf-8")
        try:
            # what was checked must still be what is on disk, up to the rename (no lost update)
            current, _size, stamp = read_input(path)
            if current != bom + result.source.text.encode("utf-8"):
                raise ChangedSinceRead(f"{path}: changed since it was read")
            atomic_write(path, data, expect=stamp)
        except ChangedSinceRead:
            # another program rewrote it meanwhile (`bpo fmt`, an editor): fix what is there now
            result = load(path)
            diags = findings(result, cfg)
            continue
        except (OSError, WriteRefused, InputError) as exc:
            return Fixed(result, diags, total, f"cannot write {path}: {exc}")
        total += applied
        result = load(path)
        diags = findings(result, cfg)
    return Fixed(result, diags, total)
