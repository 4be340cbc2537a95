"""Two periods joined by `or ... whichever earlier|later` (a retention or confidentiality period):
what the reader refuses, and how the retention rule reads the two periods. Parsing, printing,
export, rendering and diff are in tests/test_structure.py."""

from __future__ import annotations

from pathlib import Path

from bpolang.check.driver import check_file
from bpolang.check.pipeline import parse

TEXT = """contract demo "Demo" {
  language: en
  governing_law: US-CA
  effective: 2027-01-01
  term: 3 years

  party client acme "Acme Inc." {}
  party provider prov "Prov LLC" {}

  confidentiality {
    duration: 5 years after "disclosure" or 2 years after termination whichever earlier
  }
  data recs "Records" {
    personal: no
    retention: 10 years after end or 6 months whichever later
  }
}
"""


def test_a_second_period_needs_its_choice_and_a_period() -> None:
    for bad in (
        "5 years after end or 2 years after termination",
        "5 years after end or duration of contract whichever earlier",
        "5 years after end or 2 years after termination whichever first",
    ):
        r = parse(TEXT.replace("10 years after end or 6 months whichever later", bad), "demo.bpo")
        assert "BPO012" in [d.code for d in r.diagnostics], bad


def test_the_retention_rule_reads_both_periods(tmp_path: Path) -> None:
    def after_term(retention: str) -> bool:
        path = tmp_path / "rule.bpo"
        path.write_text(TEXT.replace("10 years after end or 6 months whichever later", retention), encoding="utf-8")
        return any(d.code == "BPO711" for d in check_file(path).diagnostics)

    # kept past the term only if the later period runs past it, or both of the earlier
    assert after_term("10 years after end or 6 months whichever later")
    assert not after_term("10 years after end or 6 months whichever earlier")
    assert after_term("10 years after end or 5 years after termination whichever earlier")
