"""Time and materials, rate-change notice and the client's return of the provider's materials (issue 14)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from bpolang.check.pipeline import parse
from bpolang.diff import compare
from bpolang.diff.sentences import describe
from bpolang.format.interchange import from_data, to_json
from bpolang.format.printer import print_contract
from bpolang.model import contract as C
from bpolang.model.compare import semantic_dump
from bpolang.model.values import Duration, Unknown
from bpolang.render import render_result
from tests.contract_util import checked, small_contract

BODY = """
  pricing {
    currency: USD
    model: time_and_materials
    rate sow_rates "Rates of each statement of work": not_attached
    rate_change_notice: 30 days
    payer: cl
  }
  exit {
    client_duties: ["Discontinue use of the licensed software"]
    return_materials: 10 days
  }
"""


TEXT = small_contract(BODY, term="1 year", law="US")


@pytest.fixture(scope="module")
def contract() -> C.Contract:
    found = checked(TEXT).contract
    assert found is not None
    return found


def test_the_terms_are_read_into_typed_values(contract: C.Contract) -> None:
    pr, ex = contract.pricing, contract.exit
    assert pr is not None and ex is not None
    assert pr.model == "time_and_materials"
    assert isinstance(pr.rates[0].value, Unknown) and pr.rates[0].value.unknown == "not_attached"
    notice = pr.rate_change_notice
    assert isinstance(notice, Duration) and (notice.amount, notice.unit) == (30, "days")
    assert isinstance(ex.return_materials, Duration) and ex.return_materials.amount == 10


def test_print_export_and_import_keep_them(contract: C.Contract) -> None:
    printed = print_contract(contract)
    assert "model: time_and_materials" in printed and "rate_change_notice: 30 days" in printed
    assert "return_materials: 10 days" in printed
    again = parse(printed).contract
    assert semantic_dump(again) == semantic_dump(contract)
    data = json.loads(to_json(contract))
    assert data["exit"]["return_materials"]["amount"] == "10"
    back, problems = from_data(data)
    assert problems == [] and semantic_dump(back) == semantic_dump(contract)


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        (
            "en",
            [
                "Pricing model: time and materials",
                "The rates may be changed on 30 days prior notice to the Client.",
                "Within 10 days of the end of the Agreement, the client returns or destroys the provider's materials",
            ],
        ),
        (
            "fr",
            [
                "en régie",
                "préavis de 30 jours adressé au Client",
                "Dans un délai de 10 jours à compter de la fin du Contrat",
            ],
        ),
    ],
)
def test_rendering_states_the_values(lang: str, phrases: list[str]) -> None:
    md = render_result(parse(TEXT), "md", lang).decode("utf-8").replace("\u202f", " ").replace("\u00a0", " ")
    for phrase in phrases:
        assert phrase in md, phrase


def test_a_change_is_stated_by_the_diff(contract: C.Contract) -> None:
    changed = parse(
        TEXT.replace("rate_change_notice: 30 days", "rate_change_notice: 60 days").replace(
            "return_materials: 10 days", "return_materials: 15 days"
        )
    ).contract
    sentences = " ".join(
        c.sentence
        for c in describe(
            compare(contract, changed),
            SimpleNamespace(contract=contract, resolution=None),
            SimpleNamespace(contract=changed, resolution=None),
            "en",
        )
    )
    assert "30 days → 60 days" in sentences and "10 days → 15 days" in sentences, sentences


def test_hover_tells_what_they_mean() -> None:
    from bpolang.lsp.documents import Configs, Document, analyse
    from bpolang.lsp.hover import hover

    doc = Document("u")
    doc.update(analyse(TEXT, 1, None, "utf-16", Configs(None, True)))
    for key, words in (("rate_change_notice", "change its rates"), ("return_materials", "certifies it in writing")):
        shown = hover(doc, TEXT.index(key) + 2)
        assert shown is not None and words in shown.contents.value, key  # type: ignore[union-attr]
