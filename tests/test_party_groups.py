"""Groups of parties acting together (`party_group`): "together, Blackwell and Munksgaard shall be
referred to as 'the Publishers'". Parsed, resolved wherever a party may be named, printed back,
exported and imported unchanged, rendered in French and English, compared by `bpo diff`, and not
mistaken by the rules for a second client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bpolang.check.pipeline import load, parse
from bpolang.diff.engine import compare
from bpolang.diff.sentences import describe
from bpolang.format.interchange import from_data, to_json
from bpolang.format.printer import print_contract
from bpolang.model import contract as C
from bpolang.model.compare import semantic_dump
from bpolang.render import render

TEXT = """contract hosting "Journal hosting" {
  language: en
  governing_law: ENGLAND
  effective: 1998-01-01
  term: 24 months

  party client blackwell "Blackwell Science Limited" {
    legal_form: "A company registered in England"
    address: "Osney Mead, Oxford OX2 OEL, England"
  }
  party client munksgaard "Munksgaard A/S" {
    legal_form: "A company registered in Denmark"
    address: "35 Norre Sogade, Copenhagen DK-1016, Denmark"
  }
  party_group publishers "the Publishers" {
    members: [blackwell, munksgaard]
    liability: joint_and_several
  }
  party provider healthgate "HealthGate Data Corp." {
    legal_form: "A Delaware corporation"
    address: "380 Pleasant Street, Malden, Massachusetts, 02148, USA"
  }

  renewal_option renewal "Renewal" {
    by: publishers
    count: 1
    period: 1 year
  }
  signature conibear "For the Publishers" {
    party: publishers
    signatory: "Jonathan Conibear"
    witness: illegible
  }
  service hosting "Hosting" {
    performed_by: healthgate
  }
  milestone go_live "Go-live" {
    date: 1998-03-01
  }
  pricing {
    currency: USD
    model: fixed
    fee setup "Set-up": 100000 USD once at go_live
    billing: on_milestone
    payment_terms: 60 days from receipt
    payer: publishers
  }
}
"""


@pytest.fixture(scope="module")
def result():
    r = parse(TEXT, "hosting.bpo")
    errors = [(d.code, d.message) for d in r.diagnostics if d.code < "BPO100"]
    assert errors == []
    return r


def codes(text: str) -> list[str]:
    return [d.code for d in parse(text, "hosting.bpo").diagnostics]


def test_parse_gives_typed_values(result) -> None:
    (g,) = result.contract.party_groups
    assert (g.id, g.title, g.liability) == ("publishers", "the Publishers", "joint_and_several")
    assert [m.id for m in g.members] == ["blackwell", "munksgaard"]
    assert result.contract.pricing.payer.id == "publishers"
    assert C.group_roles(result.contract) == {"publishers": "client"}
    assert C.side(result.contract, "client") == {"blackwell", "munksgaard", "publishers"}


def test_a_group_is_named_wherever_a_party_is() -> None:
    from bpolang.resolve.references import REF_KINDS

    for (cls, name), kinds in REF_KINDS.items():
        if "party" in kinds and (cls, name) not in ((C.PartyGroup, "members"), (C.Party, "affiliate_of")):
            assert "party_group" in kinds, (cls.__name__, name)


def test_members_must_be_parties() -> None:
    assert "BPO019" in codes(TEXT.replace("members: [blackwell, munksgaard]", "members: [blackwell, hosting]"))
    assert "BPO014" in codes(TEXT.replace("members: [blackwell, munksgaard]", "members: [blackwell, munksgard]"))
    # a group is not a service provider's affiliate target nor a member of a group
    assert "BPO019" in codes(TEXT.replace("members: [blackwell, munksgaard]", "members: [blackwell, publishers]"))


def test_liability_takes_only_its_words() -> None:
    assert "BPO012" in codes(TEXT.replace("liability: joint_and_several", "liability: solidary"))


def test_a_co_client_is_not_a_second_client(tmp_path: Path) -> None:
    from bpolang.check.driver import check_file

    def bpo101(text: str) -> list[str]:
        path = tmp_path / "hosting.bpo"
        path.write_text(text, encoding="utf-8")
        return [d.message for d in check_file(path).diagnostics if d.code == "BPO101"]

    assert bpo101(TEXT) == []
    # without the group, Munksgaard is a second client
    alone = TEXT.replace("members: [blackwell, munksgaard]", "members: [blackwell]")
    assert any("second client, `munksgaard`" in m for m in bpo101(alone))
    assert any("fewer than two members" in m for m in bpo101(alone))
    mixed = TEXT.replace("members: [blackwell, munksgaard]", "members: [blackwell, munksgaard, healthgate]")
    assert any("mixes parties of different roles (client, provider)" in m for m in bpo101(mixed))


def test_format_round_trip_and_idempotence(result) -> None:
    printed = print_contract(result.contract)
    assert 'party_group publishers "the Publishers" {' in printed and "members: [blackwell, munksgaard]" in printed
    again = parse(printed, "hosting.bpo")
    assert semantic_dump(again.contract) == semantic_dump(result.contract)
    assert print_contract(again.contract) == printed


def test_export_import_identity(result) -> None:
    data = json.loads(to_json(result.contract))
    assert data["party_groups"][0]["liability"] == "joint_and_several"
    back, problems = from_data(data)
    assert problems == []
    assert semantic_dump(back) == semantic_dump(result.contract)


def test_json_schema_knows_the_group() -> None:
    schema = C.Contract.model_json_schema()
    group = schema["$defs"]["PartyGroup"]
    assert "members" in group["properties"] and "liability" in group["properties"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "Blackwell Science Limited and Munksgaard A/S, together “the Publishers”, bound jointly and severally"
                " (together the “Client”).",
                "**“Client”**: the Publishers (Blackwell Science Limited and Munksgaard A/S).",
                "the Client may renew the term",
                "| the Client | Jonathan Conibear |",
            ],
        ),
        (
            "fr",
            [
                "Blackwell Science Limited et Munksgaard A/S, ensemble dénommées «\u202fthe Publishers\u202f»,"
                " tenues solidairement, ci-après ensemble dénommées «\u202fle Client\u202f».",
                "**«\u202fClient\u202f»**\u202f: the Publishers (Blackwell Science Limited et Munksgaard A/S).",
                "le Client peut renouveler",
            ],
        ),
    ],
)
def test_render_states_the_group(result, lang: str, expected: list[str]) -> None:
    md = render(result.contract, result.resolution, "md", lang).decode("utf-8")
    flat = " ".join(md.split())
    for sentence in expected:
        assert " ".join(sentence.split()) in flat, sentence


def test_a_group_of_other_parties_keeps_its_own_term() -> None:
    text = TEXT.replace(
        "  party provider healthgate",
        '  party other g1 "Guarantor One" {}\n  party other g2 "Guarantor Two" {}\n'
        '  party_group guarantors "the Guarantors" { members: [g1, g2] }\n  party provider healthgate',
    ).replace("payer: publishers", "payer: guarantors")
    r = parse(text, "hosting.bpo")
    md = render(r.contract, r.resolution, "md", "en").decode("utf-8")
    assert "Guarantor One and Guarantor Two, together “the Guarantors”." in md
    assert "They are paid by the Guarantors." in md


def test_diff_states_a_change(tmp_path: Path) -> None:
    a, b = tmp_path / "a.bpo", tmp_path / "b.bpo"
    a.write_text(TEXT, encoding="utf-8")
    b.write_text(TEXT.replace("liability: joint_and_several", "liability: several"), encoding="utf-8")
    la, lb = load(a), load(b)
    sentences = [
        c.sentence for c in describe(compare(la.contract, lb.contract, la.resolution, lb.resolution), la, lb, "en")
    ]
    assert any(
        "Group of parties “the Publishers”" in s and "jointly and severally → severally" in s for s in sentences
    ), sentences


def test_hover_and_completion_show_the_group() -> None:
    from bpolang.lsp.schema import describe_key, keywords, ref_kinds
    from bpolang.model.build import schema_of

    assert "party_group" in {k.word for k in keywords(C.Contract)}
    hover = describe_key(C.Contract, schema_of(C.Contract).children["party_group"])
    assert "act together" in hover and "`members`" in hover
    hover = describe_key(C.PartyGroup, schema_of(C.PartyGroup).keys["liability"])
    assert "jointly and severally" in hover
    assert "party_group" in ref_kinds(C.Pricing, "payer")
    assert ref_kinds(C.PartyGroup, "members") == ("party",)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "the UK Data Protection Act 1984 and the EU Data Protection Directive 95/46/EC"),
        ("fr", "le Data Protection Act 1984 britannique et la directive 95/46/CE sur la protection des données"),
    ],
)
def test_the_1998_data_protection_regimes_are_named(lang: str, expected: str) -> None:
    """§31 of the HealthGate agreement: the Data Protection Act 1984 and Directive 95/46/EC."""
    r = parse(
        TEXT.replace("  effective: 1998-01-01", "  regimes: [uk_dpa_1984, eu_dpd]\n  effective: 1998-01-01"), "h.bpo"
    )
    assert r.contract.regimes == ["uk_dpa_1984", "eu_dpd"]
    md = render(r.contract, r.resolution, "md", lang).decode("utf-8")
    assert expected in " ".join(md.split())
