"""Numbers as written: findings print amounts, durations and percentages as the contract writes them."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import bpolang
from bpolang.check.rules import run_rules
from bpolang.check.rules.context import fmt_dur, number
from bpolang.model.values import Duration, DurationUnit

CASES = sorted((Path(__file__).parent / "rules").glob("*.yaml"))
# an exponent (`9E+1`), or a computed number keeping a useless `.0` (`14.0 days`)
UNREADABLE = re.compile(r"\d[eE][+-]?\d|\b\d+\.0+\b")


def head(text: str, payment: str) -> str:
    return (
        'contract c "C" {\n  governing_law: FR\n  effective: 2027-01-01\n  term: 36 months\n'
        f"  pricing {{\n    currency: EUR\n    payment_terms: {payment}\n    recovery_indemnity: 4_5.00 EUR\n  }}\n"
        + text
        + "}\n"
    )


def messages(text: str, codes: set[str] | None = None) -> list[str]:
    return [d.message for d in run_rules(bpolang.parse(text), codes)]


def test_computed_numbers_print_plainly():
    assert [number(Decimal(x)) for x in ("9E+1", "14.0", "2.50", "0.5")] == ["90", "14", "2.5", "0.5"]
    assert fmt_dur(Duration(amount=Decimal("9E+1"), unit=DurationUnit.DAYS)) == "90 days"


def test_payment_terms_are_quoted_as_written_with_their_days():
    (fr,) = messages(head("", "3 months end of month"), {"BPO305"})
    assert fr == "3 months end of month (about 90 days) exceeds the French cap of 45 days end of month"
    (eu,) = messages(head("", "3 months end of month"), {"BPO308"})
    assert eu.startswith("the payment period (`3 months end of month`) can reach 120 days")
    (days,) = messages(head("", "90 days end of month"), {"BPO305"})
    assert days.startswith("90 days end of month exceeds")


def test_amounts_and_durations_keep_their_writing():
    (ri,) = messages(head("", "30 days from invoice"), {"BPO307"})
    assert ri == "the recovery indemnity is 4_5.00 EUR; French law fixes it at 40 EUR"
    text = head("  renewal: tacit 12 months notice 12.0 months\n", "30 days from invoice")
    (rn,) = messages(text, {"BPO207"})
    assert "(12.0 months)" in rn and "(12 months)" in rn


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_no_finding_of_the_rule_cases_prints_an_unreadable_number(path: Path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for case in doc["cases"]:
        for text in (case["fail"], case.get("pass", "")):
            if not text:
                continue
            for d in run_rules(bpolang.parse(text)):
                for line in (d.message, d.help or ""):
                    assert not UNREADABLE.search(line), (doc["code"], line)
