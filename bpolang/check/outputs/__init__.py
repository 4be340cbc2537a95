"""Output formats of `bpo check`: one module per format.

``full`` and ``concise`` (:mod:`.text`) print one diagnostic at a time with its source; the
machine-readable formats (:mod:`.json`, :mod:`.sarif`, :mod:`.github`, :mod:`.gitlab`,
:mod:`.junit`) each take a list of ``(result, diagnostics)`` pairs — one per checked file, clean
files included — and return the text to print (without a trailing newline for the line-based
formats).  Every format reads the same :class:`~bpolang.base.diagnostics.Diagnostic` objects.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from bpolang.check.outputs.common import Checked

FORMATS = ("full", "concise", "json", "sarif", "github", "gitlab", "junit")
MACHINE_FORMATS = ("json", "sarif", "github", "gitlab", "junit")


def renderer(name: str) -> Callable[[Checked], str]:
    """The function that renders every finding of a run in a machine-readable format."""
    if name not in MACHINE_FORMATS:
        raise ValueError(f"no output format {name!r}")
    module = import_module(f"{__name__}.{name}")
    return getattr(module, f"render_{name}")
