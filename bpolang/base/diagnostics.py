"""The one Diagnostic type every stage, output format and editor reads."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bpolang.base.errors import BpoError, InputError, Severity
from bpolang.base.trusted import Trusted

__all__ = ["BpoError", "Diagnostic", "Edit", "Fix", "InputError", "Label", "Severity", "Span", "replacement"]


class Span(BaseModel, Trusted):
    """A range of source text: offsets plus 1-based line and column (code points)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    start: int
    end: int
    line: int
    col: int
    end_line: int
    end_col: int
    # the file the span is in when it is not the file under check: a term a statement of work
    # inherits from its master (bpolang.resolve.compose); never written out with the span
    path: str | None = Field(default=None, exclude=True)


class Label(BaseModel):
    """A secondary place involved in a diagnostic, with what to say about it."""

    span: Span
    message: str


class Edit(BaseModel):
    """Replace source[start:end] by text."""

    start: int
    end: int
    text: str


class Fix(BaseModel):
    """A mechanical fix: edits marked safe (keeps meaning) or unsafe."""

    message: str
    edits: list[Edit]
    safe: bool = True


def place(diagnostics: list[Diagnostic], path: str | None) -> list[Diagnostic]:
    """Give each diagnostic the file its span is in (``path`` for the file under check).

    A finding about a term written in another file (a master, a shared schedule) is reported
    there: its fix is dropped (it edits that file, which is checked and fixed on its own) and its
    labels in a third file become notes, since a snippet shows one file.
    """
    for d in diagnostics:
        where = d.span.path if d.span is not None and d.span.path else path
        d.path = where
        if where != path:
            d.fix = None
        foreign = [lab for lab in d.labels if (lab.span.path or path) != where]
        if foreign:
            d.labels = [lab for lab in d.labels if lab not in foreign]
            d.notes = [
                f"{lab.message}: {lab.span.path or path}:{lab.span.line}:{lab.span.col}" for lab in foreign
            ] + d.notes
    return diagnostics


def replacement(span: Span | None, new: str) -> Fix | None:
    """The fix of a "did you mean": `new` written over the span.  A guess, so never safe."""
    if span is None:
        return None
    return Fix(message=f"replace with `{new}`", edits=[Edit(start=span.start, end=span.end, text=new)], safe=False)


class Diagnostic(BaseModel):
    """A finding: code, name, severity, where, what, and how to fix it."""

    code: str
    name: str
    severity: Severity
    message: str
    span: Span | None = None
    path: str | None = None
    labels: list[Label] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    help: str | None = None
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (
            self.path or "",
            self.span.start if self.span else -1,
            -(self.severity.rank),
            self.code,
        )
