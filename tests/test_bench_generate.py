"""bench/generate.py: realistic contracts of a given size that `bpo check` accepts without errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import base_lines, contract  # noqa: E402

import bpolang  # noqa: E402
from bpolang.base.diagnostics import Severity  # noqa: E402
from bpolang.check.config import Config  # noqa: E402
from bpolang.check.driver import findings  # noqa: E402


@pytest.mark.parametrize("extra", [0, 60, 1400])
def test_generated_contract_has_the_size_and_no_errors(extra):
    lines = base_lines() + extra  # the base example itself, a little more, much more
    text = contract(lines)
    assert text.count("\n") == lines
    result = bpolang.parse(text)
    errors = [d for d in findings(result, Config()) if d.severity is Severity.ERROR]
    assert errors == []
    ids = list(result.resolution.symbols)
    assert len(ids) > 100 if extra > 1000 else len(ids) > 20  # fresh ids, not one block repeated
