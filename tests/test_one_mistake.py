"""One mistake, one finding: a wrong code, an unknown id, an unclosed block each reported once, first."""

from __future__ import annotations

import bpolang
from bpolang.check.config import Config
from bpolang.check.driver import findings
from bpolang.check.rules import apply_fixes

PRICING = """contract p "P" {
  governing_law: FR
  effective: 2027-01-01
  term: 36 months
  party client a "A SAS" { legal_form: "SAS"; address: "Lyon" }
  party provider b "B SARL" { legal_form: "SARL"; address: "Grenoble" }
  pricing {
    currency: CODE
    model: fixed
    fee setup "Setup": 15000 CODE once
    fee run "Run": 8500 CODE every month
    billing: monthly
    payment_terms: 30 days from invoice
    late_interest: ecb_rate plus 10%
    recovery_indemnity: 40 CODE
  }
  liability cap "Cap" { party: b; cap: 100000 CODE; basis: aggregate }
}
"""


def check(text: str):
    return findings(bpolang.parse(text, "c.bpo"), Config())


def test_a_mistyped_currency_is_one_error_on_the_currency():
    found = check(PRICING.replace("CODE", "EUROS"))
    on_it = [d for d in found if d.span and d.span.line in (8, 10, 11, 15)]
    assert [(d.code, d.span.line, d.span.col) for d in on_it] == [("BPO017", 8, 15)]
    assert [d.code for d in found if "EUROS" in d.message] == ["BPO017"]
    (d,) = on_it
    assert d.message == "`EUROS` is not an ISO 4217 currency code (used 5 times)"
    assert [lab.span.line for lab in d.labels] == [10, 11, 15, 17]
    assert not [x for x in found if x.code == "BPO012"]


def test_an_unknown_code_is_one_error_and_one_fix_for_all_its_uses():
    text = PRICING.replace("CODE", "EURO")
    found = check(text)
    errors = [d for d in found if d.code == "BPO017"]
    assert len(errors) == 1 and errors[0].help == "did you mean `EUR`?"
    fixed, n = apply_fixes(text, errors, unsafe=True)
    assert n == 1 and "EURO" not in fixed and fixed == PRICING.replace("CODE", "EUR")
    # the rules that would follow from the wrong code are silent (the €40 of French law, BPO307)
    assert not [d for d in found if d.code == "BPO307"]


def test_a_three_letter_code_used_thirteen_times_is_one_error():
    text = PRICING.replace("CODE", "EUE").replace(
        "    billing", "".join(f"    fee x{i}: {i}00 EUE once\n" for i in range(8)) + "    billing"
    )
    errors = [d for d in check(text) if d.code == "BPO017"]
    assert len(errors) == 1 and len(errors[0].labels) == 12


def test_an_unknown_id_is_one_error_at_the_reference():
    text = PRICING.replace("CODE", "EUR").replace(
        "  liability", '  penalty late "Late" {\n    applies_to: go_live\n    trigger: late\n  }\n  liability'
    )
    found = check(text)
    assert [(d.code, d.span.col) for d in found if d.span and d.span.line == 18] == [("BPO014", 17)]


def test_an_unclosed_file_shows_the_syntax_error_first():
    text = PRICING.replace("CODE", "EUR").rsplit("}", 1)[0]
    found = check(text)
    assert found[0].code == "BPO001" and "close the block" in found[0].message
    assert len(found) > 1  # the rest is still reported, after it


def test_a_misspelt_service_level_in_a_credit_regime_is_not_also_an_uncapped_credit():
    text = PRICING.replace("CODE", "EUR").replace(
        "  liability",
        '  sla uptime "Availability" {\n    target: 99.5%\n    comparator: at_least\n    window: monthly\n'
        "    credit: 5% of monthly_fees\n  }\n"
        '  credit_regime credits "Credits" {\n    applies_to: [uptme]\n    monthly_cap: 10% of monthly_fees\n  }\n'
        "  liability",
    )
    found = check(text)
    assert [d.code for d in found if d.code in ("BPO014", "BPO404")] == ["BPO014"]
