"""The terms of real contract 06 that were approximated, typed exactly: a fee paid by someone who is
not a party (`payer: third_parties`), billing rules of some fees (two of them in conflict, as the
contract has them), a payment term counted from the end of each calendar month
(`60 days from month_end`), the Control threshold of a change-of-control ground, the proof of
deletion that is not a certificate, and the exit's liaison period and cure of an exit default."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bpolang.check.pipeline import parse
from bpolang.check.rules import run_rules
from bpolang.format.printer import print_contract
from bpolang.model import contract as C
from bpolang.model.compare import semantic_dump
from bpolang.model.values import Duration, Percentage, Ref
from tests.contract_util import checked, diff_sentences, exported_then_imported, rendered_md, small_contract

BODY = """
  pricing {
    currency: USD
    measure article_fee "Article Fee" {
      description: "The fee the Client sets for an article"
    }
    fee use "Use fee": 0.10 USD per_unit
    fee share "Advertising share": 30% of monthly_fees every month
    fee service "Service fee on an article" {
      value: min(tbd, max(30% of article_fee, 4 USD)) per_unit
      payer: third_parties
      description: "Collected from the purchaser of the article"
    }
    payer: cl
    billing_rule monthly_use "Use fees billed monthly" {
      fees: [use]
      billing: monthly
      payment_terms: 1 month end of month
      payment_method: cheque
    }
    billing_rule scheduled_use "Use fees on the schedule's dates" {
      fees: [use]
      billed_on: [1999-01-01, 1999-04-01]
      payment_terms: 60 days from invoice
      conflicts_with: monthly_use
    }
    billing_rule remittances "Monthly remittances" {
      fees: [article_fee, share]
      payment_terms: 60 days from month_end
      payer: pr
    }
  }
  termination {
    for_cause {
      ground control "Change in Control" {
        event: change_of_control
        threshold: 50%
      }
    }
  }
  exit {
    transition: 6 months
    deletion_evidence: satisfactory_evidence
    liaison_after_end: 3 months
    assistance_default_cure: 10 business days
  }
"""

TEXT = small_contract(BODY, term="2 years", law="ENGLAND", effective="1998-01-01")


@pytest.fixture(scope="module")
def contract() -> C.Contract:
    found = checked(TEXT).contract
    assert found is not None
    return found


def test_read_into_typed_values(contract: C.Contract) -> None:
    pr = contract.pricing
    assert pr is not None
    service = pr.fees[2]
    assert service.payer == "third_parties" and service.description == "Collected from the purchaser of the article"
    monthly, scheduled, remit = pr.billing_rules
    assert [f.id for f in monthly.fees] == ["use"] and monthly.payment_method == "cheque"
    assert isinstance(monthly.billing, C.Billing) and monthly.billing.frequency == "monthly"
    pt = monthly.payment_terms
    assert isinstance(pt, C.PaymentTerms) and pt.start == "end_of_month"
    assert isinstance(pt.days, Duration) and (pt.days.amount, pt.days.unit) == (Decimal("1"), "months")
    assert [d.date for d in scheduled.billed_on] == [dt.date(1999, 1, 1), dt.date(1999, 4, 1)]
    assert isinstance(scheduled.conflicts_with, Ref) and scheduled.conflicts_with.id == "monthly_use"
    rt = remit.payment_terms
    assert isinstance(rt, C.PaymentTerms) and rt.start == "month_end"
    assert isinstance(rt.days, Duration) and rt.days.amount == Decimal("60")
    assert isinstance(remit.payer, Ref) and remit.payer.id == "pr"
    assert contract.termination is not None and contract.termination.for_cause is not None
    threshold = contract.termination.for_cause.events[0].threshold
    assert isinstance(threshold, Percentage) and threshold.value == Decimal("50")
    ex = contract.exit
    assert ex is not None and ex.deletion_evidence == "satisfactory_evidence"
    assert isinstance(ex.liaison_after_end, Duration) and ex.liaison_after_end.amount == Decimal("3")
    cure = ex.assistance_default_cure
    assert isinstance(cure, Duration) and (cure.amount, cure.unit) == (Decimal("10"), "business_days")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("fees: [article_fee, share]", "fees: [article_fee, nowhere]"),
        ("conflicts_with: monthly_use", "conflicts_with: use"),
        ("      payer: pr\n", "      payer: nowhere\n"),
    ],
)
def test_references_are_checked(old: str, new: str) -> None:
    r = parse(TEXT.replace(old, new))
    assert r.has_errors, [d.message for d in r.diagnostics]


def test_the_formatter_prints_what_it_reads(contract: C.Contract) -> None:
    printed = print_contract(contract)
    for line in (
        "payer: third_parties",
        "payment_terms: 60 days from month_end",
        "payment_terms: 1 month end of month",
        "conflicts_with: monthly_use",
        "threshold: 50%",
        "deletion_evidence: satisfactory_evidence",
        "liaison_after_end: 3 months",
        "assistance_default_cure: 10 business days",
    ):
        assert line in printed, line
    assert semantic_dump(parse(printed).contract) == semantic_dump(contract)


def test_export_then_import_is_the_same_contract(contract: C.Contract) -> None:
    data = exported_then_imported(contract)
    assert data["pricing"]["fees"][2]["payer"] == "third_parties"
    assert data["pricing"]["billing_rules"][1]["conflicts_with"]["id"] == "monthly_use"
    assert data["exit"]["deletion_evidence"] == "satisfactory_evidence"


PHRASES = {
    "en": (
        "payable by a third party who is not a Party",
        "Collected from the purchaser of the article",
        "Payable within 60 days of the end of each calendar month.",
        "Paid by cheque.",
        "Billed on 1 January 1999 and 1 April 1999.",  # English law: day before month
        "the Agreement does not say which prevails",
        "Control means holding 50% or more of the voting rights.",
        "must satisfy the Client that it has erased the data and all copies",
        "until at most 3 months after termination",
        "within 10 Business Days after written notice from the Client",
    ),
    "fr": (
        "à la charge d’un tiers qui n’est pas Partie",
        "Payable dans les 60 jours suivant la fin de chaque mois civil.",
        "Réglé par chèque.",
        "le Contrat ne dit pas laquelle prévaut",
        "détention de 50 % ou plus des droits de vote",
        "doit convaincre le Client qu’il a effacé les données et toutes leurs copies",
        "au plus 3 mois après la résiliation",
        "dans les 10 jours ouvrés suivant la notification écrite du Client",
    ),
}


@pytest.mark.parametrize("lang", sorted(PHRASES))
def test_rendering_states_the_values(lang: str) -> None:
    md = rendered_md(TEXT, lang)
    assert [p for p in PHRASES[lang] if p not in md] == []


@pytest.mark.parametrize(
    ("old", "new", "label", "change"),
    [
        ("threshold: 50%", "threshold: 30%", "Control threshold", "50% → 30%"),
        (
            "liaison_after_end: 3 months",
            "liaison_after_end: 6 months",
            "Liaison after termination",
            "3 months → 6 months",
        ),
        (
            "60 days from month_end",
            "30 days from month_end",
            "Payment terms",
            "60 days of the end of each calendar month",
        ),
        ("deletion_evidence: satisfactory_evidence", "deletion_evidence: certificate", "Proof of data deletion", ""),
    ],
)
def test_a_change_is_stated_by_the_diff(contract: C.Contract, old: str, new: str, label: str, change: str) -> None:
    changed = parse(TEXT.replace(old, new)).contract
    assert changed is not None
    sentences = diff_sentences(contract, changed)
    assert label in sentences and change in sentences, sentences


def test_a_proof_of_deletion_answers_the_exit_rule() -> None:
    def bpo803(text: str) -> str:
        return " ".join(d.message for d in run_rules(parse(text)) if d.code == "BPO803")

    assert "deletion_certificate" not in bpo803(TEXT)
    assert "deletion_certificate" in bpo803(TEXT.replace("    deletion_evidence: satisfactory_evidence\n", ""))


def test_hover_and_completion_know_the_new_keys() -> None:
    from bpolang.lsp.completion import completions
    from bpolang.lsp.documents import Configs, Document, analyse
    from bpolang.lsp.hover import hover

    doc = Document("u")
    doc.update(analyse(TEXT, 1, None, "utf-16", Configs(None, True)))
    for key, words in (
        ("threshold:", "voting rights"),
        ("liaison_after_end:", "notice of termination"),
        ("conflicts_with:", "does not say which prevails"),
    ):
        shown = hover(doc, TEXT.index(key) + 2)
        assert shown is not None and words in shown.contents.value, key  # type: ignore[union-attr]
    typed = TEXT.replace("    liaison_after_end: 3 months\n", "    \n")
    at = typed.index("    \n    assistance_default_cure") + 4
    doc.update(analyse(typed, 2, None, "utf-16", Configs(None, True)))
    assert "liaison_after_end" in {i.label for i in completions(doc, at, typed).items}
