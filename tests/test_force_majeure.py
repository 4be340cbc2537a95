"""`force_majeure { ... }` and `entire_agreement { ... }`: each key written is stated in its own
article, in French and English, and a key not written states nothing (issue 16, point 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bpolang.check.pipeline import load, parse
from bpolang.cli import main
from bpolang.render import document
from bpolang.render.ir import pieces

REPO = Path(__file__).resolve().parent.parent
HEAD = """contract t "T" {
  language: en
  governing_law: GB-ENG
  party client c "Client Ltd" {}
  party provider p "Provider Ltd" {}
"""


def _article(body: str, key: str, lang: str) -> list[str]:
    """The sentences of the article `key` of a contract made of HEAD and `body`, in `lang`."""
    r = parse(HEAD + body + "}\n", "t.bpo")
    assert [d.message for d in r.diagnostics if d.code < "BPO100"] == []
    doc = document(r.contract, r.resolution, lang)
    return [p.text for p in pieces(doc) if p.section == key]


FULL = """  force_majeure {
    by: both
    events: [strike, act_of_god]
    other_causes: beyond_reasonable_control
    unavoidable: yes
    effect: suspended
    notice: 5 business days
    terminate_after: 45 days
    terminate_by: client
    not_excused: [payment, confidentiality]
    continuity: yes
  }
"""


def test_every_key_of_force_majeure_is_stated_in_both_languages() -> None:
    en = " ".join(_article(FULL, "force_majeure", "en"))
    fr = " ".join(_article(FULL, "force_majeure", "fr"))
    for expected in (
        "obligations of a Party affected by an event of force majeure shall be suspended",
        "strikes",
        "acts of God",
        "beyond the reasonable control",
        "could not prevent it by reasonable diligence",
        "shall notify the other Party of the event within 5 Business Days",
        "more than 45 days, the Client may terminate",
        "the payment of sums due and the obligations of confidentiality",
        "continuity and disaster recovery obligations shall continue to apply",
    ):
        assert expected in en, expected
    for expected in (
        "sont suspendues tant que dure l’événement",
        "grèves",
        "contrôle raisonnable",
        "jours ouvrés",
        "jours, le Client peut résilier",
        "n’excuse pas le paiement des sommes dues",
        "continuent de s’appliquer",
    ):
        assert expected in fr, expected


def test_a_key_not_written_is_not_stated() -> None:
    # only what is never excused: no party, no effect, no notice, no termination is invented
    sentences = _article("  force_majeure {\n    not_excused: [payment]\n  }\n", "force_majeure", "en")
    assert sentences == ["An event of force majeure shall not excuse the payment of sums due."]
    text = " ".join(sentences)
    for invented in ("liable", "invoke", "notify", "terminate", "continuity", "suspended", "delay", "prevent"):
        assert invented not in text, invented


def test_excused_for_one_party_and_unknown_values() -> None:
    en = _article(
        "  force_majeure {\n    by: provider\n    effect: excused\n    notice: tbd\n    terminate_after: redacted\n  }\n",
        "force_majeure",
        "en",
    )
    text = " ".join(en)
    assert en[0] == "The Provider shall not be liable by reason of an event of force majeure."  # no standard invented
    assert "[to be agreed]" in text and "[redacted]" in text
    assert "the Agreement may be terminated" in text  # no party named: none is invented


def test_either_party_may_invoke_without_an_effect() -> None:
    en = _article("  force_majeure {\n    by: both\n  }\n", "force_majeure", "en")
    assert en == ["Either Party may invoke force majeure."]


def test_entire_agreement_states_each_key_and_only_those() -> None:
    body = "  entire_agreement {\n    amendments: written_signed\n    no_waiver: yes\n  }\n"
    en = _article(body, "entire_agreement", "en")
    fr = _article(body, "entire_agreement", "fr")
    assert en == [
        "This Agreement may be amended only by a written document signed by each Party.",
        "No failure or delay by a Party in exercising a right under this Agreement shall constitute a waiver of that right.",
    ]
    assert len(fr) == len(en) and "signé par chacune des Parties" in fr[0]
    assert _article("", "entire_agreement", "en") == []


# what the event must do to performance (`impediment`): the contract's words, in each language
IMPEDIMENTS = {
    "delay_or_failure": (
        "causes a delay or failure in the performance of its obligations",
        "cause un retard ou un manquement dans l’exécution de ses obligations",
    ),
    "delayed_or_prevented": (
        "delays or prevents the performance of its obligations",
        "retarde ou empêche l’exécution de ses obligations",
    ),
    "prevented": ("prevents the performance of its obligations", "empêche l’exécution de ses obligations"),
    "impossible": (
        "renders the performance of its obligations impossible",
        "rend impossible l’exécution de ses obligations",
    ),
}


@pytest.mark.parametrize("impediment", sorted(IMPEDIMENTS))
def test_each_impediment_is_worded_as_written_in_both_languages(impediment: str) -> None:
    body = f"  force_majeure {{\n    by: both\n    effect: excused\n    impediment: {impediment}\n  }}\n"
    en, fr = IMPEDIMENTS[impediment]
    assert _article(body, "force_majeure", "en") == [
        f"Neither Party shall be liable to the extent that an event of force majeure {en}."
    ]
    assert _article(body, "force_majeure", "fr") == [
        f"Aucune des Parties n’est responsable dans la mesure où un cas de force majeure {fr}."
    ]


def test_suspension_states_the_impediment_for_the_party_named() -> None:
    body = "  force_majeure {\n    by: provider\n    effect: suspended\n    impediment: prevented\n  }\n"
    assert _article(body, "force_majeure", "en") == [
        "Where an event of force majeure prevents the performance of the obligations of the Provider, "
        "those obligations shall be suspended for as long as the event lasts."
    ]
    assert _article(body, "force_majeure", "fr") == [
        "Lorsqu’un cas de force majeure empêche l’exécution des obligations du Prestataire, "
        "ces obligations sont suspendues tant que dure l’événement."
    ]


def test_an_impediment_without_an_effect_is_its_own_sentence_and_unknown_is_shown() -> None:
    en = _article("  force_majeure {\n    impediment: delayed_or_prevented\n  }\n", "force_majeure", "en")
    assert en == [
        "Force majeure applies to the extent that an event delays or prevents the performance of the "
        "obligations of the Party concerned."
    ]
    en = _article("  force_majeure {\n    effect: excused\n    impediment: tbd\n  }\n", "force_majeure", "en")
    assert en == [
        "No liability shall arise by reason of an event of force majeure.",
        "Impediment to performance required for force majeure: [to be agreed].",
    ]


@pytest.mark.parametrize(
    ("name", "en"),
    [
        ("01-tricity-mi-data-services", "delays or prevents the performance of its obligations"),
        ("02-oasys-epiphany-asp", "causes a delay or failure in the performance of its obligations"),
        ("04-clearcapital-radialspark-msa", "renders the performance of its obligations impossible"),
    ],
)
def test_the_real_contracts_state_their_own_impediment(name: str, en: str) -> None:
    r = load(REPO / "examples" / "real" / f"{name}.bpo")
    said = [p.text for p in pieces(document(r.contract, r.resolution, "en")) if p.section == "force_majeure"]
    assert said[0] == f"Neither Party shall be liable to the extent that an event of force majeure {en}."


def test_a_change_of_force_majeure_is_labelled_in_the_diff(tmp_path: Path) -> None:
    old, new = tmp_path / "old.bpo", tmp_path / "new.bpo"
    old.write_text(HEAD + FULL + "}\n", encoding="utf-8")
    new.write_text(
        HEAD
        + FULL.replace("45 days", "60 days")
        .replace("    continuity: yes\n", "")
        .replace("effect", "impediment: prevented\n    effect")
        + "}\n",
        "utf-8",
    )
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--force", "--output-format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    said = [c["sentence"] for c in json.loads(result.stdout)["changes"]]
    assert any("Termination after the event has lasted" in s and "60 days" in s for s in said), said
    assert any("Continuity obligations apply during the event" in s for s in said), said
    assert any("Impediment to performance required" in s and "performance prevented" in s for s in said), said
