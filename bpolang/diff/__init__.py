"""`bpo diff`: what changed in meaning between two versions of a contract, and the amendment."""

from __future__ import annotations

from bpolang.diff.engine import Change, canonical, compare

__all__ = ["Change", "canonical", "compare"]
