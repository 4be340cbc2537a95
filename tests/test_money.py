"""Price and payment algebra, termination and exit economics (issue 14): read, print, export, render, diff."""

from __future__ import annotations

import json
from decimal import Decimal
from types import SimpleNamespace

import pytest

from bpolang.check.pipeline import parse
from bpolang.diff import compare
from bpolang.diff.sentences import describe
from bpolang.format.interchange import from_data, to_json
from bpolang.format.printer import print_contract
from bpolang.model import contract as C
from bpolang.model.compare import semantic_dump
from bpolang.model.values import Arith, Call, Money, Ref, Unknown
from bpolang.render import render_result
from bpolang.render.articles import legal, prices
from tests.contract_util import checked, small_contract

BODY = """
  service core "Core" { }
  service extra "Extra" { }
  pricing {
    currency: USD
    model: mixed
    billing: monthly in advance
    tax: exclusive
    tax_payer: cl
    payment_method: direct_debit
    direct_debit: [base]
    due: every month on day 1
    prorated: yes
    set_off: allowed
    set_off_by: pr
    default_pricing: current_rates
    default_in_advance: yes
    measure erv "Estimated Remaining Value" {
      formula: remaining_months * max(base + other_minimums, average_fees)
    }
    measure average_fees "Average monthly fees" {
      description: "The average monthly fees over the three months before the event"
    }
    measure other_minimums "Other minimum monthly fees" {
      formula: redacted
    }
    fee base "Monthly base fee": 12000.125 USD every month
    fee licence "Licence": 120000 USD every year paid every month
    fee media "Media": 15% of average_fees every month
    unit note "Per note": 7.505 USD per note
    rate senior "Senior": 150 USD per hour
    tier notes "Notes" {
      unit: note
      mode: whole_volume
      reset: month
      band: 0 to 1000 at 7.50 USD per note
      band: above 1000 at 7.00 USD per note
    }
    indexation {
      index: "CPI-U"
      cap: 5%
      applies_to: [senior]
    }
    payment_terms: 30 days from postmark
    minimum: 2500 USD per month
    shortfall_fee: 100% of shortfall
    late_interest: 1.5% per month capped_at lawful_maximum
    disputes {
      withhold: yes
      statement_by: due_date
      escrow_after: 30 days
      conditions: ["Written statement describing the basis of the dispute"]
    }
  }
  termination {
    for_cause {
      ground client_default "Default of the Client" {
        event: non_payment
        defaulting: cl
        by: pr
        cure: 10 days
        fee: redacted * erv
        fee_payer: cl
      }
      ground provider_insolvency "Insolvency of the Provider" {
        event: insolvency
        defaulting: pr
        by: cl
        no_fee: yes
      }
    }
    for_convenience {
      by: client
      notice: 1 year
      fee: any_year redacted * erv
      payer: cl
      instalment: 50% within 30 days after notice
      instalment: 50% within 30 days before termination
      also_payable: ["Unamortised conversion costs"]
      fee_uncapped: yes
    }
    partial withdraw "Withdrawal of a service" {
      by: pr
      except_services: [core]
      notice: 90 days
      price_adjustment: "Base fee reduced as negotiated in good faith"
    }
  }
  exit {
    assistance_before_end: 6 months
    assistance_price: current_rates
    assistance_payer: cl
    assistance_optional: yes
    estimate_first: yes
    extension: 6 months
    extension_request: 100 days
    extension_price: contract_rates
    deconversion_fee: 25000.50 USD
    staff_transfer: no
    client_duties: ["Develop the transition plan schedule"]
  }
"""


def _id(v: object) -> str | None:
    return v.id if isinstance(v, Ref) else None


@pytest.fixture(scope="module")
def text() -> str:
    return small_contract(BODY, term="96 months", law="US")


@pytest.fixture(scope="module")
def contract(text: str) -> C.Contract:
    r = checked(text)
    assert r.contract is not None
    return r.contract


def test_the_price_algebra_is_read_into_typed_values(contract: C.Contract) -> None:
    pr = contract.pricing
    assert pr is not None
    assert (pr.tax, pr.payment_method, pr.set_off, pr.prorated) == ("exclusive", "direct_debit", "allowed", True)
    assert [r.id for r in pr.direct_debit] == ["base"] and _id(pr.tax_payer) == "cl"
    erv = pr.measures[0]
    assert isinstance(erv.formula, Arith) and _id(erv.formula.left) == "remaining_months"
    assert isinstance(erv.formula.right, Call) and erv.formula.right.func == "max"
    other = pr.measures[2].formula
    assert isinstance(other, Unknown) and other.unknown == "redacted"
    base = pr.fees[0].value.amount
    assert isinstance(base, Money) and base.amount == Decimal("12000.125")
    assert pr.fees[1].value.schedule == "every_year" and pr.fees[1].value.paid == "every_month"
    assert pr.units[0].value.price.amount == Decimal("7.505")  # type: ignore[union-attr]
    assert (pr.tiers[0].mode, pr.tiers[0].reset) == ("whole_volume", "month")
    assert pr.indexation is not None and [r.id for r in pr.indexation.applies_to] == ["senior"]
    assert isinstance(pr.payment_terms, C.PaymentTerms) and pr.payment_terms.start == "postmark"
    li = pr.late_interest
    assert isinstance(li, C.LateInterest) and (li.basis, li.per, li.lawful_cap) == ("fixed", "month", True)
    assert li.value is not None and li.value.value == Decimal("1.5")  # type: ignore[union-attr]
    assert pr.disputes is not None and pr.disputes.withhold is True and pr.disputes.statement_by == "due_date"


def test_termination_and_exit_economics_are_read_into_typed_values(contract: C.Contract) -> None:
    tm = contract.termination
    assert tm is not None and tm.for_cause is not None and tm.for_convenience is not None
    g = tm.for_cause.events[0]
    assert (g.event, _id(g.defaulting), _id(g.by), _id(g.fee_payer)) == ("non_payment", "cl", "pr", "cl")
    assert g.cure is not None and g.cure.amount == 10 and isinstance(g.fee, Arith)
    assert tm.for_cause.events[1].no_fee is True and tm.for_cause.events[1].cure is None
    fv = tm.for_convenience
    assert fv.fees[0].year is None and isinstance(fv.fees[0].amount, Arith) and _id(fv.payer) == "cl"
    assert [(i.share.value, i.direction, i.anchor) for i in fv.instalments] == [
        (Decimal(50), "after", "notice"),
        (Decimal(50), "before", "termination"),
    ]
    assert fv.fee_uncapped is True
    pt = tm.partial[0]
    assert _id(pt.by) == "pr" and [s.id for s in pt.except_services] == ["core"]
    ex = contract.exit
    assert ex is not None and ex.assistance_before_end is not None and ex.assistance_before_end.amount == 6
    assert (ex.assistance_price, ex.extension_price) == ("current_rates", "contract_rates")
    fee = ex.deconversion_fee
    assert isinstance(fee, Money) and (fee.amount, fee.currency) == (Decimal("25000.50"), "USD")
    assert ex.staff_transfer is False and ex.client_duties == ["Develop the transition plan schedule"]


def test_references_are_checked() -> None:
    bad = small_contract(
        '  termination {\n    for_convenience { payer: nobody }\n    partial p "P" { services: [cl] }\n  }\n',
        term="1 year",
    )
    codes = sorted(d.code for d in parse(bad).diagnostics if d.code in ("BPO014", "BPO019"))
    assert codes == ["BPO014", "BPO019"]


def test_the_formatter_prints_what_it_reads(contract: C.Contract, text: str) -> None:
    printed = print_contract(contract)
    again = parse(printed).contract
    assert semantic_dump(again) == semantic_dump(contract)
    assert "120000 USD every year paid every month" in printed
    assert "1.5% per month capped_at lawful_maximum" in printed
    assert "fee: any_year redacted * erv" in printed
    assert "instalment: 50% within 30 days before termination" in printed
    assert "7.505 USD per note" in printed and "12000.125 USD every month" in printed


def test_export_then_import_is_the_same_contract(contract: C.Contract) -> None:
    import jsonschema

    from bpolang.format.interchange import json_schema

    data = json.loads(to_json(contract))
    jsonschema.validate(data, json_schema())
    assert data["pricing"]["units"][0]["value"]["price"]["amount"] == "7.505"
    back, problems = from_data(data)
    assert problems == []
    assert semantic_dump(back) == semantic_dump(contract)


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        (
            "en",
            [
                "$7.505 per note",
                "$12,000.125 a month",
                "$120,000.00 a year, paid in equal monthly instalments",
                "within 30 days of the postmark date",
                "by direct debit",
                "1.5% a month, or the highest rate permitted by law if that is lower",
                "charged at the price of the band in which the total volume falls",
                "counted afresh each month",
                "interest-bearing escrow account",
                "The Provider may terminate if it is not cured within 10 days after written notice",
                "The Client then pays a termination fee of [redacted] × the amount “Estimated Remaining Value”",
                "50% of the fee at least 30 days before the effective date of termination",
                "not subject to the limitation of liability",
                "except the service “Core”, on 90 days prior written notice",
                "up to 6 months, on a written request given at least 100 days before expiry",
                "A deconversion fee of $25,000.50",
                "Prices indexed: the rate “Senior”",
                "a shortfall fee of 100% of the part of the minimum not reached",
                "until it is cured, the charges are computed at the provider's then-current rates",
                "until it is cured, the charges are paid in advance",
            ],
        ),
        (
            "fr",
            [
                "7,505 USD par note",
                "12 000,125 USD par mois",
                "payable par mensualités égales",
                "à compter du cachet de la poste",
                "par prélèvement",
                "1,5 % par mois, ou le taux maximal permis par la loi s’il est inférieur",
                "au prix de la tranche dans laquelle tombe le volume total",
                "recompté à zéro chaque mois",
                "compte séquestre rémunéré",
                "dans les 10 jours suivant une notification écrite",
                "du fait du Client",
                "50 % de l’indemnité au moins 30 jours avant la date d’effet de la résiliation",
                "n’est pas soumise à la limitation de responsabilité",
                "moyennant un préavis écrit de 90 jours",
                "au moins 100 jours avant l’échéance",
                "25 000,50 USD",
            ],
        ),
    ],
)
def test_rendering_states_every_value_exactly(text: str, lang: str, phrases: list[str]) -> None:
    md = render_result(parse(text), "md", lang).decode("utf-8").replace("\\[", "[").replace("\\]", "]")
    md = md.replace("\u202f", " ").replace("\u00a0", " ")
    for phrase in phrases:
        assert phrase.replace("\u202f", " ") in md, phrase


def test_nothing_of_the_family_is_left_unrendered() -> None:
    assert prices.UNRENDERED == frozenset() and legal.UNRENDERED == frozenset()


def test_a_change_is_stated_by_the_diff(contract: C.Contract, text: str) -> None:
    changed = parse(
        text.replace("cure: 10 days", "cure: 15 days").replace("mode: whole_volume", "mode: marginal")
    ).contract
    changes = compare(contract, changed)
    for lang, words in (
        ("en", ["10 days → 15 days", "each band at its own price"]),
        ("fr", ["10\u202fjours → 15\u202fjours"]),
    ):
        sentences = " ".join(
            c.sentence
            for c in describe(
                changes,
                SimpleNamespace(contract=contract, resolution=None),
                SimpleNamespace(contract=changed, resolution=None),
                lang,
            )
        )
        for w in words:
            assert w in sentences, (lang, w, sentences)


def test_old_syntax_still_reads() -> None:
    r = checked(
        small_contract(
            "  pricing {\n    late_interest: 12% per year\n  }\n"
            "  termination {\n    for_convenience {\n      fee: year 1 30000 EUR\n    }\n  }\n",
            term="1 year",
        )
    )
    assert r.contract is not None and r.contract.pricing is not None
    li = r.contract.pricing.late_interest
    assert isinstance(li, C.LateInterest) and li.per == "year" and not li.lawful_cap
    assert print_contract(r.contract).count("12% per year") == 1


def test_hover_and_completion_know_the_new_keys(text: str) -> None:
    from bpolang.lsp.completion import completions
    from bpolang.lsp.documents import Configs, Document, analyse
    from bpolang.lsp.hover import hover

    doc = Document("u")
    doc.update(analyse(text, 1, None, "utf-16", Configs(None, True)))
    shown = hover(doc, text.index("escrow_after") + 2)
    assert shown is not None and "paid into an escrow account" in shown.contents.value  # type: ignore[union-attr]
    shown = hover(doc, text.index("assistance_price") + 2)
    assert shown is not None and "`current_rates`" in shown.contents.value  # type: ignore[union-attr]
    # a new line in the exit block: the new keys are offered
    typed = text.replace("    deconversion_fee: 25000.50 USD\n", "").replace("    extension: 6 months\n", "")
    at = typed.index("    staff_transfer")
    typed = typed[:at] + "    \n" + typed[at:]
    doc.update(analyse(typed, 2, None, "utf-16", Configs(None, True)))
    labels = {i.label for i in completions(doc, at + 4, typed).items}
    assert {"deconversion_fee", "extension"} <= labels and "client_duties" not in labels  # written already
    # the words of a closed choice
    at = typed.index("assistance_price: ") + len("assistance_price: ")
    labels = {i.label for i in completions(doc, at, typed).items}
    assert {"included", "contract_rates", "current_rates", "quote", "at_cost"} <= labels


def test_payment_due_on_the_later_of_a_day_and_a_period() -> None:
    r = checked(
        small_contract("  pricing {\n    payment_terms: 15 days from receipt not_before day 15\n  }\n", term="1 year")
    )
    assert r.contract is not None and r.contract.pricing is not None
    pt = r.contract.pricing.payment_terms
    assert isinstance(pt, C.PaymentTerms) and (pt.start, pt.not_before_day) == ("receipt", 15)
    assert "payment_terms: 15 days from receipt not_before day 15" in print_contract(r.contract)
    md = render_result(r, "md", "en").decode("utf-8")
    assert "within 15 days of receipt of the invoice, and not before day 15 of the month" in md


RIGHTS = """
  termination {
    for_convenience {
      by: client
      notice: 60 days
      right provider_exit "By the Provider" {
        by: pr
        notice: 90 days
      }
      right client_exit "By the Client, with a fee paid by the Provider" {
        by: cl
        fee: 3000.50 EUR
        fee_payer: pr
        description: "For the non observance of the Agreement of which the Provider is responsible"
      }
    }
    accrued_paid_within: 30 days
  }
"""


def test_each_party_may_have_its_own_right_to_terminate_for_convenience() -> None:
    text = small_contract(RIGHTS, term="1 year", law="US")
    c = checked(text).contract
    assert c is not None and c.termination is not None and c.termination.for_convenience is not None
    a, b = c.termination.for_convenience.rights
    assert (_id(a.by), a.notice is not None and a.notice.amount, a.fee) == ("pr", 90, None)
    assert _id(b.fee_payer) == "pr" and isinstance(b.fee, Money) and b.fee.amount == Decimal("3000.50")
    tm = c.termination
    assert tm.accrued_paid_within is not None and tm.accrued_paid_within.amount == 30
    printed = print_contract(c)
    assert "right provider_exit" in printed and "accrued_paid_within: 30 days" in printed
    assert semantic_dump(parse(printed).contract) == semantic_dump(c)
    back, problems = from_data(json.loads(to_json(c)))
    assert problems == [] and semantic_dump(back) == semantic_dump(c)
    bad = text.replace("fee_payer: pr", "fee_payer: nobody")
    assert "BPO014" in {d.code for d in parse(bad).diagnostics}
    for lang, phrases in (
        (
            "en",
            [
                "The Provider may terminate this Agreement for convenience, on 90 days prior written notice.",
                "fee of €3,000.50, payable by the Provider",
                "within 30 days of termination",
            ],
        ),
        (
            "fr",
            [
                "Le Prestataire peut résilier le Contrat pour convenance, moyennant un préavis écrit de 90 jours.",
                "3 000,50 €, payable par le Prestataire",
                "dans un délai de 30 jours à compter de la résiliation",
            ],
        ),
    ):
        md = render_result(parse(text), "md", lang).decode("utf-8").replace("\u202f", " ").replace("\u00a0", " ")
        for phrase in phrases:
            assert phrase in md, (lang, phrase)
    changed = parse(text.replace("notice: 90 days", "notice: 120 days")).contract
    assert changed is not None
    sentences = " ".join(
        x.sentence
        for x in describe(
            compare(c, changed),
            SimpleNamespace(contract=c, resolution=None),
            SimpleNamespace(contract=changed, resolution=None),
            "en",
        )
    )
    assert "90 days → 120 days" in sentences, sentences
