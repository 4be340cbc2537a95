"""bpolang: contracts-as-code for business process outsourcing."""

from __future__ import annotations

__version__ = "0.1.0"

from .api import Result, load, parse, parse_bytes  # noqa: E402

__all__ = ["Result", "__version__", "load", "parse", "parse_bytes"]
