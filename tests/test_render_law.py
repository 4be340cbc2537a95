"""The rendered text follows the contract's law and words, not the output language (issue 16).

The French text of an English-law contract cites no French code; the English text of a French-law
contract cites them.  The data-protection regulation named is the one the rules find applicable.
A zero notice is said as no notice, `calendar days` stay calendar days, exclusivity of courts is
stated only when written, and English dates follow the governing law's country."""

from __future__ import annotations

from pathlib import Path

import pytest

from bpolang.check.pipeline import load
from tests.contract_util import rendered_md, small_contract

ROOT = Path(__file__).resolve().parent.parent


def example(name: str, lang: str) -> str:
    from bpolang.render import render_result

    md = render_result(load(ROOT / "examples" / name), "md", lang).decode("utf-8")
    return md.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_english_law_contract_cites_no_french_code(lang: str) -> None:
    md = example("centre-contacts-en.bpo", lang)  # governing_law: GB, a liquidated_damages penalty, a £100 fee
    for cite in ("1231-5", "L441-10", "D441-5", "Code civil", "Civil Code"):
        assert cite not in md
    liquidated = {
        "fr": "dommages-intérêts fixés forfaitairement (liquidated damages)",
        "en": "liquidated damages, which the Parties agree are a genuine pre-estimate of loss",
    }
    assert liquidated[lang] in md
    recovery = {"fr": "indemnité forfaitaire pour frais de recouvrement de 100,00 GBP.", "en": "of £100.00."}
    assert recovery[lang] in md


@pytest.mark.parametrize(
    ("lang", "cites"),
    [
        ("fr", ["article 1231-5 du Code civil", "(C. com., art. L441-10)", "(C. com., art. D441-5)"]),
        ("en", ["Article 1231-5 of the French Civil Code", "Article L441-10)", "Article D441-5)"]),
    ],
)
def test_french_law_contract_cites_french_code_in_both_languages(lang: str, cites: list[str]) -> None:
    md = example("paie-rh.bpo", lang)  # governing_law: FR, clause_penale penalties, a €40 recovery fee
    assert [c for c in cites if c not in md] == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_irish_law_liquidated_damages_are_not_a_clause_penale(lang: str) -> None:
    md = example("back-office-tiered.bpo", lang)  # governing_law: IE
    assert "1231-5" not in md and "L441-10" not in md and "D441-5" not in md


@pytest.mark.parametrize(
    ("law", "lang", "term", "wrong"),
    [
        ("GB", "en", "“UK GDPR”", "“GDPR”"),
        ("GB", "fr", "« UK GDPR »", "« RGPD »"),
        ("FR", "en", "“GDPR”", "“UK GDPR”"),
        ("FR", "fr", "« RGPD »", "« UK GDPR »"),
    ],
)
def test_data_protection_definition_follows_the_applicable_regulation(
    law: str, lang: str, term: str, wrong: str
) -> None:
    where = "GB" if law == "GB" else "FR"
    body = f"""  data records "Customer records" {{
    personal: yes
    categories: [identity]
    location: [{where}]
    transfer: none
  }}"""
    md = rendered_md(small_contract(body, term="12 months", law=law), lang)
    assert term in md and wrong not in md
    none = {
        ("GB", "en"): "no transfer outside the United Kingdom",
        ("GB", "fr"): "aucun transfert hors du Royaume-Uni",
        ("FR", "en"): "no transfer outside the European Economic Area",
        ("FR", "fr"): "aucun transfert hors de l’Espace économique européen",
    }
    assert none[(law, lang)] in md
    if law == "GB":
        assert "Withdrawal) Act 2018" in md and "Union européenne" not in md


def test_uk_only_example_defines_the_uk_gdpr() -> None:
    md = example("centre-contacts-en.bpo", "fr")  # UK parties, data in GB and ZA: no EU link
    assert "« UK GDPR »" in md and "« RGPD »" not in md and "Au sens du UK GDPR" in md


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_jurisdiction_states_no_exclusivity_of_its_own(lang: str) -> None:
    md = example("paie-rh.bpo", lang)  # jurisdiction: "Tribunal de commerce de Nice"
    line = next(x for x in md.splitlines() if "Tribunal de commerce de Nice" in x)
    assert "exclusi" not in line


ZERO = """  termination {
    notice: 0 days
    for_convenience {
      by: both
      notice: 0 days
    }
  }"""


@pytest.mark.parametrize(
    ("lang", "said", "never"),
    [
        ("en", ["takes effect without notice", "for convenience with immediate effect"], "0 days"),
        ("fr", ["prend effet sans préavis"], "0 jour"),
    ],
)
def test_zero_notice_is_said_as_no_notice(lang: str, said: list[str], never: str) -> None:
    md = rendered_md(small_contract(ZERO, term="36 months"), lang)
    assert [s for s in said if s not in md] == [] and never not in md


def test_zero_notice_puts_no_convenience_deadline_in_the_calendar() -> None:
    from bpolang.check.pipeline import parse
    from bpolang.obligations.compute import obligations as compute

    r = parse(small_contract(ZERO, term="36 months"))
    kinds = {o.kind for o in compute(r.contract, r.resolution)}
    assert "termination_notice" not in kinds
    notice = "notice: 3 months\n      takes_effect: contract_year_end\n    }"
    r = parse(small_contract(ZERO.replace("notice: 0 days\n    }", notice), term="36 months"))
    assert "termination_notice" in {o.kind for o in compute(r.contract, r.resolution)}


PENALTY = """  penalty late "Late delivery" {
    amount: 10 EUR
    remedy: 28 calendar days
  }"""


@pytest.mark.parametrize(("lang", "said"), [("en", "28 calendar days"), ("fr", "28 jours calendaires")])
def test_calendar_days_are_said_as_written(lang: str, said: str) -> None:
    md = rendered_md(small_contract(PENALTY, term="12 months"), lang)
    assert said in md


def test_calendar_days_survive_formatting() -> None:
    from bpolang.check.pipeline import parse
    from bpolang.format.printer import print_contract

    r = parse(small_contract(PENALTY, term="12 months"))
    printed = print_contract(r.contract)
    assert "remedy: 28 calendar days" in printed
    again = parse(printed).contract.penalties[0].remedy
    assert again is not None and again.calendar is True and again.amount == 28


@pytest.mark.parametrize(
    ("law", "lang", "date"),
    [
        ("US-NY", "en", "March 3, 2027"),
        ("GB", "en", "3 March 2027"),
        ("IE", "en", "3 March 2027"),
        ("US-NY", "fr", "3 mars 2027"),
    ],
)
def test_dates_follow_the_governing_law_country(law: str, lang: str, date: str) -> None:
    md = rendered_md(small_contract("", term="12 months", law=law, effective="2027-03-03"), lang)
    assert date in md


@pytest.mark.parametrize(
    ("lang", "defined", "used"),
    [
        (
            "fr",
            "**« Redevances mensuelles »** : les redevances récurrentes dues au titre du mois concerné.",
            "2 % des Redevances mensuelles",
        ),
        (
            "en",
            "**“Monthly Charges”**: the recurring charges payable for the month concerned.",
            "2% of the Monthly Charges",
        ),
    ],
)
def test_fee_bases_the_text_uses_are_defined(lang: str, defined: str, used: str) -> None:
    md = example("centre-contacts-en.bpo", lang)  # credits in % of monthly_fees, caps in % of annual_fees
    assert defined in md and used in md
    assert ("Redevances annuelles" if lang == "fr" else "“Annual Charges”") in md
    plain = rendered_md(small_contract("", term="12 months"), lang)  # no share of any base
    assert "Redevances mensuelles" not in plain and "Monthly Charges" not in plain


def test_french_contracts_a_and_de_before_the_article() -> None:
    """`à le plus élevé`, `garantit à le Client` are not French: `au plus élevé`, `garantit au Client`."""
    from bpolang.render import render_result

    md = example("centre-contacts-en.bpo", "fr")
    assert "est plafonnée au plus élevé des montants suivants" in md
    real = render_result(load(ROOT / "examples" / "real" / "01-tricity-mi-data-services.bpo"), "md", "fr").decode()
    assert "Le Prestataire garantit au Client que" in real and "Le Client déclare au Prestataire que" in real
    for text in (md, real):
        assert " à le " not in text and " à les " not in text


@pytest.mark.parametrize(
    ("lang", "title", "cell"),
    [
        (
            "fr",
            "Appels décrochés en moins de 20",  # the example translates its titles into French
            "inférieur à 80 % : 2 % des Redevances mensuelles ; inférieur à 77 % : 4 % des Redevances mensuelles",
        ),
        (
            "en",
            "Calls answered within 20",
            "below 80%: 2% of the Monthly Charges; below 77%: 4% of the Monthly Charges",
        ),
    ],
)
def test_service_level_annex_states_the_credits_the_article_lists(lang: str, title: str, cell: str) -> None:
    """The annex's credit column states the steps of the regime that applies, as the article does."""
    rows = [r for r in example("centre-contacts-en.bpo", lang).splitlines() if r.startswith(f"| {title}")]
    assert len(rows) == 1
    assert cell in rows[0].replace("\u202f", " ").replace("\u00a0", " ")


def test_french_typography_is_not_put_into_words_written_in_english() -> None:
    """A French rendering of an English contract quotes its words as written: no no-break space
    before `;`, `:` or `?` in them, while the French sentences around them have theirs."""
    from bpolang.render import render

    r = load(ROOT / "examples" / "real" / "06-healthgate-blackwell-hosting.bpo")
    md = render(r.contract, r.resolution, "md", "fr").decode("utf-8")
    assert "A. Blackwell and Munksgaard, among other business activities, publish journals;" in md
    assert "IL A ÉTÉ CONVENU CE QUI SUIT\u202f:" in md


@pytest.mark.parametrize(
    ("law", "lang", "said", "never"),
    [
        ("GB", "en", "transfers made under standard contractual clauses", "European Commission"),
        ("GB", "fr", "les clauses contractuelles types", "Commission européenne"),
        ("FR", "en", "the European Commission's standard contractual clauses", None),
        ("FR", "fr", "les clauses contractuelles types de la Commission européenne", None),
    ],
)
def test_standard_clauses_are_the_commissions_only_where_the_gdpr_applies(
    law: str, lang: str, said: str, never: str | None
) -> None:
    where = "GB" if law == "GB" else "FR"
    body = f"""  data records "Customer records" {{
    personal: yes
    categories: [identity]
    location: [{where}, IN]
    transfer: scc
  }}"""
    md = rendered_md(small_contract(body, term="12 months", law=law), lang)
    assert said in md
    assert never is None or never not in md
