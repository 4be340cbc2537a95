"""Error classes and severities: no dependencies, so the lightest paths can use them."""

from __future__ import annotations

from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class BpoError(Exception):
    """Base of the errors bpolang raises on purpose for bad input."""


class InputError(BpoError):
    """A file that cannot be read as a contract at all (missing, a folder, too large)."""


class ConfigError(BpoError):
    """A configuration file that cannot be used: unreadable, invalid TOML, unknown key or code."""


REPORT_URL = "https://github.com/bpolang/bpolang/issues"
"""Where an internal error asks to be reported (the command line and the language server)."""
