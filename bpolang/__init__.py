"""bpolang: contracts-as-code for business process outsourcing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Result", "__version__", "check_file", "load", "parse", "parse_bytes"]

if TYPE_CHECKING:
    from bpolang.check.driver import check_file
    from bpolang.check.pipeline import Result, load, parse, parse_bytes


def __getattr__(name: str) -> Any:
    # The API pulls in pydantic and the model: import it on first use, so that
    # `bpo --version` and the CLI's start-up stay light.
    if name in ("Result", "load", "parse", "parse_bytes"):
        from bpolang.check import pipeline as api

        return getattr(api, name)
    if name == "check_file":
        from bpolang.check.driver import check_file

        return check_file
    raise AttributeError(f"module 'bpolang' has no attribute {name!r}")
