"""The one Diagnostic type every stage, output format and editor reads."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bpolang.base.errors import BpoError, InputError, Severity

__all__ = ["BpoError", "Diagnostic", "Edit", "Fix", "InputError", "Label", "Severity", "Span", "replacement"]


class Span(BaseModel):
    """A range of source text: offsets plus 1-based line and column (code points)."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    line: int
    col: int
    end_line: int
    end_col: int


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
