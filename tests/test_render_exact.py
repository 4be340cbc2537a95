"""The rendered contract states only what the source says (issue #16): titles ending with a full
stop, termination for convenience by either party, a zero notice, a licence's purpose, the GDPR."""

from __future__ import annotations

import pytest

from bpolang.check.pipeline import parse
from bpolang.render import render_result

LANGS = ("fr", "en")


def contract(body: str, law: str = "FR", client_country: str = "FR", provider_country: str = "FR") -> str:
    return f"""contract demo "Demo" {{
  language: fr
  governing_law: {law}
  effective: 2027-01-01
  term: 12 months
  party client acme "HealthGate Data Corp." {{
    country: {client_country}
  }}
  party provider prov "Prest Inc." {{
    country: {provider_country}
  }}
{body}
}}
"""


def flat(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def md(text: str, lang: str) -> str:
    r = parse(text, "demo.bpo")
    assert r.contract is not None
    return render_result(r, "md", lang).decode()


@pytest.mark.parametrize("lang", LANGS)
def test_title_ending_with_a_full_stop_is_not_doubled(lang: str) -> None:
    out = md(contract(""), lang)
    assert "HealthGate Data Corp." in out
    assert "Corp.." not in out and "Inc.." not in out


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        (
            "both",
            {
                "en": "Either Party may terminate this Agreement for convenience on 3 months notice.",
                "fr": "Chacune des Parties peut résilier le Contrat pour convenance, moyennant un préavis de 3\u00a0mois.",
            },
        ),
        (
            "client",
            {
                "en": "terminated for convenience by the Client on 3 months notice.",
                "fr": "résilié pour convenance par le Client, moyennant un préavis de 3\u00a0mois.",
            },
        ),
        (
            "provider",
            {
                "en": "terminated for convenience by the Provider on 3 months notice.",
                "fr": "résilié pour convenance par le Prestataire, moyennant un préavis de 3\u00a0mois.",
            },
        ),
    ],
)
@pytest.mark.parametrize("lang", LANGS)
def test_convenience_by_either_party(by: str, expected: dict[str, str], lang: str) -> None:
    out = md(
        contract(f"  termination {{\n    for_convenience {{\n      by: {by}\n      notice: 3 months\n    }}\n  }}"),
        lang,
    )
    assert flat(expected[lang]) in flat(out)
    assert "the other Party" not in out and "l’autre Partie" not in out


ZERO = """  termination {
    for_cause {
      ground control "Change of control" {
        by: acme
        notice: 0 days
      }
    }
    for_convenience {
      by: client
      notice: 0 days
      right exit "By the Provider" {
        by: prov
        notice: 0 days
      }
    }
  }"""


@pytest.mark.parametrize(
    ("lang", "immediate", "zero"),
    [("en", "with immediate effect", "on 0 days"), ("fr", "avec effet immédiat", "préavis de 0")],
)
def test_zero_notice_is_immediate_effect(lang: str, immediate: str, zero: str) -> None:
    out = md(contract(ZERO), lang)
    assert out.count(immediate) >= 3
    assert zero not in flat(out)


LICENCE = """  licence data "Data" {
    licensor: acme
    licensee: prov
    subject: "Client data"
    purpose: "%s"
  }"""


@pytest.mark.parametrize("purpose", ["Solely to provide the Services", "HSNS reporting", "use and combine it"])
@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "for the following purpose: \u201c{}\u201d"), ("fr", "pour la finalité suivante\u202f: «\u202f{}\u202f»")],
)
def test_licence_purpose_quoted_as_written(purpose: str, lang: str, words: str) -> None:
    """The purpose is the contract's own words, whatever their grammar (`solely to provide`, a noun,
    a verb): quoted after a label, never glued to `for` (`for solely to provide` is not English)."""
    out = md(contract(LICENCE % purpose), lang)
    assert words.format(purpose) in out
    assert f"for {purpose}" not in out and f"pour {purpose}" not in out


DATA = """  data records "Customer records" {
    personal: yes
    categories: [identity]
  }"""


@pytest.mark.parametrize(
    ("lang", "term", "annex"), [("en", "“GDPR”", "GDPR Article 28(3)"), ("fr", "«\u202fRGPD\u202f»", "RGPD, art.")]
)
def test_gdpr_stated_only_where_it_applies(lang: str, term: str, annex: str) -> None:
    eu = md(contract(DATA), lang)
    assert term in eu and annex in eu
    us = md(contract(DATA, law="US-NY", client_country="US", provider_country="US"), lang)
    assert term not in us and annex not in us
    assert "Regulation (EU) 2016/679" not in us and "2016/679" not in us
    assert "Customer records" in us  # the particulars are still stated
