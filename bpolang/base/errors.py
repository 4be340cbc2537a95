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


REPO_URL = "https://github.com/bpolang/bpolang"
"""The project's repository: pyproject's project URLs, mkdocs.yml's `repo_url` (tests/test_packaging.py)."""
DOCS_URL = "https://bpolang.github.io/bpolang"
"""The documentation site: mkdocs.yml's `site_url`, rule links, the schema's `$id`."""
REPORT_URL = f"{REPO_URL}/issues"
"""Where an internal error asks to be reported (the command line and the language server)."""


def did_you_mean(word: str, choices, *, quote: str = "`") -> str:
    """``; did you mean `warning`?`` when a choice is close to `word`, else an empty string."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {quote}{close[0]}{quote}?" if close else ""


def unreadable(path, exc: OSError) -> str:
    """One wording, in every command, for a file that cannot be read: ``x.bpo: no such file``."""
    if isinstance(exc, FileNotFoundError):
        return f"{path}: no such file"
    if isinstance(exc, IsADirectoryError):
        return f"{path}: is a directory"
    return f"{path}: cannot read ({exc.strerror or exc})"
