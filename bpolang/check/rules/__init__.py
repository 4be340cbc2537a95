"""The validator's rules: declared in :mod:`.registry`, grouped by area in the modules beside it.

:func:`run_rules` runs every enabled rule whose applicability holds on a parsed contract.  A rule
that raises is a bug in bpolang, not a finding: it surfaces as :class:`RuleCrash`.
"""

from __future__ import annotations

from collections.abc import Collection

from bpolang.base.diagnostics import Diagnostic

__all__ = ["RuleCrash", "apply_fixes", "run_rules"]


class RuleCrash(Exception):
    """A rule raised an exception: an internal error, reported as such."""

    def __init__(self, code: str, path: str | None, exc: BaseException) -> None:
        super().__init__(f"rule {code} failed on {path or '<text>'}: {type(exc).__name__}: {exc}")
        self.code = code
        self.original = exc


def run_rules(result, enabled: Collection[str] | None = None, jurisdiction: str | None = None) -> list[Diagnostic]:
    """The findings of the rules on a parsed contract (none when there is no model)."""
    from bpolang.check.rules.context import Context
    from bpolang.check.rules.registry import load_all

    if getattr(result, "contract", None) is None or getattr(result, "resolution", None) is None:
        return []
    from bpolang.base.gcpause import paused_gc

    rules = load_all()
    with paused_gc():
        return _run(rules, result, enabled, Context(result, jurisdiction))


def _run(rules, result, enabled: Collection[str] | None, ctx) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for code, r in rules.items():
        if r.fn is None or (enabled is not None and code not in enabled):
            continue
        ctx.rule = r
        try:
            if not r.applies(ctx):
                continue
            new = list(r.fn(ctx))
            note = r.applies.note(ctx) if r.applies.note is not None and new else None
            for d in new if note else ():
                d.notes.append(note)
            found.extend(new)
        except Exception as exc:  # noqa: BLE001 - a crashing rule is a bug, reported as internal error
            raise RuleCrash(code, result.source.path, exc) from exc
    found = _after_language_errors(result, found)
    found.sort(key=Diagnostic.sort_key)
    return found


def _after_language_errors(result, found: list[Diagnostic]) -> list[Diagnostic]:
    """One mistake, one finding: a rule says nothing where the language already reported an error.

    A value the language refused (an unknown currency, an unknown id, a malformed amount) is
    reported once, where it is written; a rule pointing at the same text would only repeat it
    in other words ("the recovery indemnity is 40 EUROS", "the penalty hangs on no deadline").
    """
    from bpolang.base.diagnostics import Severity

    taken = [
        (s.path, s.start, s.end)
        for d in getattr(result, "diagnostics", ())
        if d.severity is Severity.ERROR and d.code < "BPO100"
        for s in [d.span, *(lab.span for lab in d.labels)]
        if s is not None
    ]
    if not taken:
        return found

    def repeats(d: Diagnostic) -> bool:
        s = d.span
        return s is not None and any(s.path == p and s.start < e and b < s.end for p, b, e in taken)

    return [d for d in found if not repeats(d)]


def apply_fixes(text: str, diagnostics: list[Diagnostic], unsafe: bool = False) -> tuple[str, int]:
    """Apply the fixes of the diagnostics (the safe ones, and the unsafe ones when asked).

    A fix whose edits overlap an edit already taken is left for the next round (the caller
    re-checks and calls again). Returns the new text and how many fixes were applied.
    """
    fixes = [d.fix for d in diagnostics if d.fix is not None and (d.fix.safe or unsafe)]
    taken: list[tuple[int, int]] = []
    edits = []
    applied = 0
    for fx in sorted(fixes, key=lambda x: min(e.start for e in x.edits)):
        spans = [(e.start, e.end) for e in fx.edits]
        if any(s < e0 and s0 < e or s == s0 for s, e in spans for s0, e0 in taken):
            continue
        taken.extend(spans)
        edits.extend(fx.edits)
        applied += 1
    for e in sorted(edits, key=lambda x: (x.start, x.end), reverse=True):
        text = text[: e.start] + e.text + text[e.end :]
    return text, applied
