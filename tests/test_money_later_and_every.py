"""Two money terms of real contract 06: an instalment due at an event but not before a milestone
(`once at <event> not_before <milestone>`), and liquidated damages per period of delay of any
length (`per 28 days late`) after a time to remedy (`remedy: 28 calendar days`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bpolang.check.pipeline import parse
from bpolang.format.printer import print_contract
from bpolang.model import contract as C
from bpolang.model.compare import semantic_dump
from bpolang.model.values import Duration, RelativeAmount
from tests.contract_util import checked, diff_sentences, exported_then_imported, rendered_md, small_contract

BODY = """
  event spec_accepted "Acceptance of the Specification" { by: cl }
  milestone earliest "Earliest date" { date: 1998-02-27 }
  milestone completion "Completion" { date: 1998-12-14; long_stop: 1998-12-14 + 10 weeks }
  pricing {
    currency: USD
    fee third "Third instalment": 150000 USD once at spec_accepted not_before earliest
  }
  penalty late "Late completion" {
    applies_to: completion
    trigger: late
    amount: 1% of contract_value per 28 days late
    cap: 10% of contract_value
    formal_notice: required
    remedy: 28 calendar days
    payer: pr
    beneficiary: cl
  }
"""


TEXT = small_contract(BODY, term="2 years", law="ENGLAND", effective="1998-01-01")


@pytest.fixture(scope="module")
def contract() -> C.Contract:
    found = checked(TEXT).contract
    assert found is not None
    return found


def test_read_into_typed_values(contract: C.Contract) -> None:
    assert contract.pricing is not None
    fv = contract.pricing.fees[0].value
    assert isinstance(fv, C.FeeValue) and fv.at is not None and fv.not_before is not None
    assert (fv.at.id, fv.not_before.id) == ("spec_accepted", "earliest")
    pen = contract.penalties[0]
    amount = pen.amount
    assert isinstance(amount, C.PenaltyAmount) and amount.per is None
    assert isinstance(amount.amount, RelativeAmount) and amount.amount.percent.value == Decimal("1")
    assert isinstance(amount.every, Duration) and (amount.every.amount, amount.every.unit) == (Decimal("28"), "days")
    assert isinstance(pen.remedy, Duration) and (pen.remedy.amount, pen.remedy.unit) == (Decimal("28"), "days")


def test_not_before_must_name_a_milestone() -> None:
    bad = small_contract(
        BODY.replace("not_before earliest", "not_before nowhere"), term="2 years", effective="1998-01-01"
    )
    assert any(d.code == "BPO014" for d in parse(bad).diagnostics)


def test_the_formatter_prints_what_it_reads(contract: C.Contract) -> None:
    printed = print_contract(contract)
    assert "150000 USD once at spec_accepted not_before earliest" in printed
    assert "amount: 1% of contract_value per 28 days late" in printed
    assert "remedy: 28 calendar days" in printed
    assert semantic_dump(parse(printed).contract) == semantic_dump(contract)


def test_export_then_import_is_the_same_contract(contract: C.Contract) -> None:
    data = exported_then_imported(contract)
    assert data["pricing"]["fees"][0]["value"]["not_before"]["id"] == "earliest"
    assert data["penalties"][0]["amount"]["every"]["amount"] == "28"


PHRASES = {
    "en": (
        "or on the milestone “Earliest date” if that is later",
        "1% of the total contract value per 28 days of delay",
        "Time to remedy after notice: 28 calendar days",
    ),
    "fr": (
        "ou à la date du jalon « Earliest date » si elle est postérieure",
        "1 % de la valeur totale du Contrat par période de 28 jours de retard",
        "Délai pour remédier après notification : 28 jours calendaires",
    ),
}


@pytest.mark.parametrize("lang", sorted(PHRASES))
def test_rendering_states_the_values(lang: str) -> None:
    md = rendered_md(TEXT, lang)
    missing = [p for p in PHRASES[lang] if p not in md]
    assert not missing


def test_a_change_is_stated_by_the_diff(contract: C.Contract) -> None:
    changed = parse(TEXT.replace("remedy: 28 calendar days", "remedy: 14 calendar days")).contract
    assert changed is not None
    sentences = diff_sentences(contract, changed)
    assert "Time to remedy after notice" in sentences and "28 calendar days → 14 calendar days" in sentences, sentences


def test_hover_and_completion_know_remedy() -> None:
    from bpolang.lsp.completion import completions
    from bpolang.lsp.documents import Configs, Document, analyse
    from bpolang.lsp.hover import hover

    doc = Document("u")
    doc.update(analyse(TEXT, 1, None, "utf-16", Configs(None, True)))
    shown = hover(doc, TEXT.index("remedy:") + 2)
    assert shown is not None and "to remedy it before the penalty" in shown.contents.value  # type: ignore[union-attr]
    typed = TEXT.replace("    remedy: 28 calendar days\n", "    \n")
    at = typed.index("    \n    payer: pr") + 4
    doc.update(analyse(typed, 2, None, "utf-16", Configs(None, True)))
    assert "remedy" in {i.label for i in completions(doc, at, typed).items}
