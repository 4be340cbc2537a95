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


def closest(word: str, choices) -> str | None:
    """The choice closest to `word`: fewest edits (a swap of two letters counts one), then the
    most similar by difflib's ratio, then the first in order; None when none is close."""
    import difflib

    candidates = difflib.get_close_matches(word, list(choices), n=8, cutoff=0.6)
    if not candidates:
        return None
    return min(enumerate(candidates), key=lambda ic: (_edits(word, ic[1]), ic[0]))[1]


def _edits(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment) between two short words."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def did_you_mean(word: str, choices, *, quote: str = "`") -> str:
    """``; did you mean `warning`?`` when a choice is close to `word`, else an empty string."""
    close = closest(word, choices)
    return f"; did you mean {quote}{close}{quote}?" if close else ""


def unreadable(path, exc: OSError) -> str:
    """One wording, in every command, for a file that cannot be read: ``x.bpo: no such file``."""
    if isinstance(exc, FileNotFoundError):
        return f"{path}: no such file"
    if isinstance(exc, IsADirectoryError):
        return f"{path}: is a directory"
    return f"{path}: cannot read ({exc.strerror or exc})"
