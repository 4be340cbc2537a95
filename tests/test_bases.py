"""Fee bases valued from the fees written (`10% of monthly_fees` as an amount, in the editor's hover)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import bpolang
from bpolang.model.bases import base_amount, share_amount
from bpolang.model.values import Percentage, Ref, RelativeAmount

HEAD = 'contract c "C" {\n  effective: 2027-01-01\n  term: 12 months\n  pricing {\n    currency: EUR\n'


def contract(fees: str):
    result = bpolang.parse(HEAD + fees + "  }\n}\n")
    assert result.contract is not None and result.contract.pricing is not None, result.diagnostics
    return result.contract


@pytest.mark.parametrize(
    ("fees", "monthly", "annual"),
    [
        ('    fee run "Run": 8500 EUR every month\n    fee setup "Setup": 15000 EUR once\n', "8500", "102000"),
        ('    fee a "A": 1000 EUR every month\n    fee b "B": 250.50 EUR every month\n', "1250.50", "15006.00"),
        # a quarterly fee: the month concerned matters, the year does not
        ('    fee a "A": 1000 EUR every month\n    fee q "Q": 3000 EUR every quarter\n', None, "24000"),
        ('    fee y "Y": 12000 EUR every year\n', None, "12000"),
        # not fixed amounts
        ('    fee a "A": 1000 EUR every month\n    fee b "B": 100 GBP every month\n', None, None),
        ('    fee a "A": max(1000 EUR, 5% of volume) every month\n', None, None),
        ('    fee a "A": tbd\n', None, None),
        ('    fee setup "Setup": 15000 EUR once\n', None, None),
        ('    fee a "A": 1000 EUR every month\n    unit invoice "Invoice": 1.20 EUR per invoice\n', None, None),
    ],
)
def test_base_amount(fees, monthly, annual):
    c = contract(fees)
    got_m, got_a = base_amount(c, "monthly_fees"), base_amount(c, "annual_fees")
    assert (got_m.amount if got_m else None) == (Decimal(monthly) if monthly else None)
    assert (got_a.amount if got_a else None) == (Decimal(annual) if annual else None)
    assert base_amount(c, "total_fees") is None  # depends on volumes and one-off fees: not valued


def test_share_amount():
    c = contract('    fee run "Run": 8500 EUR every month\n')
    share = share_amount(c, RelativeAmount(percent=Percentage(value=Decimal("10")), of=Ref(id="monthly_fees")))
    assert (share.amount, share.currency) == (Decimal("850.00"), "EUR")
    assert share_amount(c, RelativeAmount(percent=Percentage(value=Decimal("10")), of=Ref(id="contract_value"))) is None
