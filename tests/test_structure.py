"""The structure family and data beyond the GDPR: parsed into typed values, printed back, exported
and imported unchanged, rendered in French and English with the exact values, compared by `bpo diff`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from bpolang.check.pipeline import load, parse
from bpolang.diff.engine import compare
from bpolang.diff.sentences import describe
from bpolang.format.interchange import from_data, to_json
from bpolang.format.printer import print_contract
from bpolang.model import contract as C
from bpolang.model.compare import semantic_dump
from bpolang.model.values import DurationUnit
from bpolang.render import render

ROOT = Path(__file__).resolve().parent.parent

TEXT = """contract demo "Demo" {
  language: en
  effective: 2027-01-01
  term: 12 months
  regimes: [glba, uk_gdpr]

  party client acme "Acme Bank" { includes_affiliates: yes }
  party other acme_sub "Acme Trust" { affiliate_of: acme }
  party provider prov "Prov LLC" {}

  service run "Note administration" { recipients: [acme, acme_sub] }

  document agreement "Outsourcing Agreement" { kind: main; attached: yes }
  document exhibit_b "Service Standards" {
    kind: exhibit
    label: "Exhibit B"
    attached: no
    incorporated: yes
    amendable_by: acme
  }
  precedence: [exhibit_b, agreement]

  exclusivity issuers "Other issuers" { bound: prov; beneficiary: acme; exclusive: no; scope: "other issuers"; period: term }
  non_solicitation staff "No poaching" {
    bound: [acme, prov]
    persons: "Personnel involved in the Services"
    act: solicit_or_hire
    during_term: yes
    after_end: 18 months
    consent: yes
  }
  ownership web "Web pages" { owner: acme; subject: "Web pages of the Offering"; exclusive: yes }
  licence marks "Marks" {
    licensor: acme
    licensee: prov
    subject: "Logo and trade names"
    period: term
    exclusive: no
    royalty_free: yes
    approval: each_use
    consent_standard: not_unreasonably_withheld
  }
  audit records "Records" {
    auditor: acme
    audited: prov
    frequency: any_time
    notice: 7 business days
    cost: acme
    by_agents: yes
  }
  assignment prov_assign "Assignment by the provider" {
    party: prov
    consent: required
    consent_by: acme
    consent_standard: not_unreasonably_withheld
    written: yes
    successors_bound: yes
  }
  notices {
    written: yes
    means: [mail, hand, telecommunication]
    address prov_addr "Provider" { party: prov; address: "5400 Opportunity Court"; attention: "K. Edward Elverud" }
    deemed: mail 4 business days after dispatch
    deemed: hand on delivery
  }
  confidentiality {
    duration: 5 years after "disclosure" or 2 years after termination whichever earlier
  }
  survives reps "Representations" { what: [indemnities, representations]; period: indefinite; after: [termination] }

  governance {
    key_person lead "Engagement lead" {
      party: prov
      name: "Jane Roe"
      replacement: consent
      notice: 21 days
    }
  }
  subcontracting {
    mode: consent
    exception projects "Projects" { mode: notice; notice: before_start; applies_to: [run] }
  }
  data notes "Note records" {
    personal: yes
    regimes: [glba]
    breach_notification: promptly
    minimum_retention: 24 months after "the note is fully paid"
    retention: 10 years after end or 6 months whichever later
    held_by: prov
    handed_over: yes
    return_cost: acme
    at_end: return promptly
    copies own "Own files" { holder: prov; what: "Note files"; period: indefinite; cost: prov }
  }
}
"""


@pytest.fixture(scope="module")
def result():
    r = parse(TEXT, "demo.bpo")
    codes = [d.code for d in r.diagnostics if d.code < "BPO100"]
    assert codes == [], [(d.code, d.message) for d in r.diagnostics if d.code < "BPO100"]
    return r


def test_parse_gives_typed_values(result) -> None:
    c = result.contract
    assert c.regimes == ["glba", "uk_gdpr"]
    assert c.parties[0].includes_affiliates is True and c.parties[1].affiliate_of.id == "acme"
    assert [r.id for r in c.services[0].recipients] == ["acme", "acme_sub"]
    assert c.documents[1].kind == "exhibit" and c.documents[1].attached is False
    assert c.documents[1].amendable_by.id == "acme"
    assert [r.id for r in c.precedence] == ["exhibit_b", "agreement"]
    assert c.exclusivity[0].exclusive is False and c.exclusivity[0].period == "term"
    ns = c.non_solicitation[0]
    assert ns.act == "solicit_or_hire"
    assert (ns.after_end.amount, ns.after_end.unit) == (Decimal(18), DurationUnit.MONTHS)
    assert c.licences[0].approval == "each_use" and c.licences[0].consent_standard == "not_unreasonably_withheld"
    assert c.audits[0].frequency == "any_time" and c.audits[0].cost.id == "acme"
    assert c.assignment[0].consent == "required"
    d = c.notices.deemed[0]
    assert (d.means, d.delay.amount, d.delay.unit, d.start) == ("mail", 4, DurationUnit.BUSINESS_DAYS, "dispatch")
    assert c.notices.deemed[1] == C.DeemedReceipt(means="hand", start="delivery", span=c.notices.deemed[1].span)
    assert c.survival[0].period == "indefinite"
    assert c.governance.key_persons[0].replacement == "consent"
    assert c.subcontracting.exceptions[0].notice == "before_start"
    data = c.data[0]
    assert data.breach_notification == "promptly" and data.at_end.within == "promptly"
    assert data.minimum_retention.period.amount == 24 and data.minimum_retention.event == "the note is fully paid"
    assert data.copies[0].period == "indefinite" and data.return_cost.id == "acme"
    secrecy = c.confidentiality.duration
    assert (secrecy.period.amount, secrecy.start, secrecy.event, secrecy.whichever) == (
        5,
        "event",
        "disclosure",
        "earlier",
    )
    assert (secrecy.alternative.period.amount, secrecy.alternative.start) == (2, "termination")
    assert data.retention.whichever == "later" and data.retention.alternative.start == "collection"


def test_references_are_resolved_and_checked() -> None:
    bad = TEXT.replace("precedence: [exhibit_b, agreement]", "precedence: [exhibit_b, run]")
    r = parse(bad, "demo.bpo")
    assert [d.code for d in r.diagnostics if d.code == "BPO019"], "a service is not a document"
    bad = TEXT.replace("auditor: acme", "auditor: acmee")
    assert "BPO014" in [d.code for d in parse(bad, "demo.bpo").diagnostics]


def test_unknown_words_are_refused() -> None:
    for old, new in (
        ("[glba, uk_gdpr]", "[glba, hippa]"),
        ("breach_notification: promptly", "breach_notification: soon"),
    ):
        r = parse(TEXT.replace(old, new), "demo.bpo")
        assert "BPO012" in [d.code for d in r.diagnostics], new


def test_format_round_trip_and_idempotence(result) -> None:
    printed = print_contract(result.contract)
    again = parse(printed, "demo.bpo")
    assert semantic_dump(again.contract) == semantic_dump(result.contract)
    assert print_contract(again.contract) == printed
    assert "deemed: mail 4 business days after dispatch" in printed and "at_end: return promptly" in printed
    assert 'duration: 5 years after "disclosure" or 2 years after termination whichever earlier' in printed
    assert "retention: 10 years after end or 6 months whichever later" in printed


def test_export_import_identity(result) -> None:
    data = json.loads(to_json(result.contract))
    assert data["data"][0]["breach_notification"] == "promptly"
    assert data["notices"]["deemed"][0]["means"] == "mail"
    assert data["confidentiality"]["duration"]["whichever"] == "earlier"
    assert data["confidentiality"]["duration"]["alternative"]["start"] == "termination"
    back, problems = from_data(data)
    assert problems == []
    assert semantic_dump(back) == semantic_dump(result.contract)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "Exhibit B (Service Standards): exhibit, not attached, incorporated by reference, may be amended by the Client alone.",
                "the documents prevail in this order: “Service Standards”, then “Outsourcing Agreement”.",
                "Acme Trust is an affiliate of the Client.",
                "The Provider is not bound by exclusivity in favour of the Client as regards other issuers for the term",
                "for 18 months after its end.",
                "The Client may audit the Provider at any time, with a notice of 7 Business Days.",
                "by mail: 4 Business Days after dispatch",
                "The Provider may not assign the Agreement without the prior written consent of the Client, which shall not be unreasonably withheld.",
                "Indemnities and representations shall survive termination without limit of time.",
                "the Gramm-Leach-Bliley Act (GLBA), Title V and the UK GDPR",
                "personal data breach promptly after becoming aware of it",
                "for 24 months after the following event: “the note is fully paid”",
                "The Provider may keep copies of Note files without limit of time, at the cost of the Provider",
                "Engagement lead (Jane Roe, the Provider): replacement subject to the other party's prior consent; given 21 days in advance.",
                "Projects: for the service “Note administration”, on notice to the Client, no consent needed, notified before the work starts.",
                "The Client grants to the Provider a licence to Logo and trade names, non-exclusive, royalty-free, for the term of the Agreement",
                "for 5 years after the following event: “disclosure” or for 2 years after termination of this"
                " Agreement, whichever is earlier",
                "for 10 years after the end of this Agreement or for 6 months from collection, whichever is later",
            ],
        ),
        (
            "fr",
            [
                "Exhibit B (Service Standards)\u202f: pièce, document non joint, incorporé par référence, modifiable unilatéralement par le Client.",
                "Acme Trust est une société affiliée du Client.",
                "Le Client peut auditer le Prestataire à tout moment, moyennant un préavis de 7\u00a0jours ouvrés.",
                "pendant 18\u00a0mois après son terme.",
                "Le Prestataire ne peut céder le Contrat sans l’accord préalable écrit du Client, qui ne peut être refusé sans motif raisonnable.",
                "survivent à la résiliation sans limitation de durée.",
                "promptement après en avoir pris connaissance",
                "le Gramm-Leach-Bliley Act (GLBA), titre V",
                "5\u00a0ans après l’événement suivant\u202f: «\u00a0disclosure\u00a0» ou 2\u00a0ans après la résiliation"
                " du Contrat, selon l’échéance la plus proche",
                "10\u00a0ans après la fin du Contrat ou 6\u00a0mois à compter de la collecte, selon l’échéance la plus"
                " lointaine",
            ],
        ),
    ],
)
def test_render_states_the_exact_values(result, lang: str, expected: list[str]) -> None:
    md = render(result.contract, result.resolution, "md", lang).decode("utf-8")
    flat = " ".join(md.split())
    for sentence in expected:
        assert " ".join(sentence.split()) in flat, sentence


def test_nothing_of_the_family_is_left_unrendered() -> None:
    from bpolang.render.articles.structure import UNRENDERED

    assert UNRENDERED == frozenset()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("precedence: [exhibit_b, agreement]", "precedence: [agreement, exhibit_b]", "Order of precedence"),
        ("after_end: 18 months", "after_end: 2 years", "Duration after the end"),
        ("breach_notification: promptly", "breach_notification: 24 hours", "promptly"),
        ("deemed: hand on delivery", "deemed: hand on dispatch", "Deemed receipt"),
        ("regimes: [glba, uk_gdpr]", "regimes: [glba]", "Data-protection laws"),
        ("termination whichever earlier", "termination whichever later", "whichever is later"),
    ],
)
def test_diff_states_a_change(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in TEXT
    a, b = tmp_path / "a.bpo", tmp_path / "b.bpo"
    a.write_text(TEXT, encoding="utf-8")
    b.write_text(TEXT.replace(old, new), encoding="utf-8")
    la, lb = load(a), load(b)
    changes = compare(la.contract, lb.contract, la.resolution, lb.resolution)
    assert changes
    sentences = [c.sentence for c in describe(changes, la, lb, "en")]
    assert any(expected in s for s in sentences), sentences


def test_the_old_key_personnel_list_still_reads() -> None:
    text = TEXT.replace("governance {", 'governance {\n    key_personnel: ["Engagement director"]')
    r = parse(text, "demo.bpo")
    assert r.contract.governance.key_personnel == ["Engagement director"]


def test_rules_run_on_the_new_words_without_crashing(tmp_path: Path) -> None:
    """The rules assume the GDPR (issue #15); a word where they expect a duration must not crash them."""
    from bpolang.check.driver import check_file

    path = tmp_path / "demo.bpo"
    path.write_text(TEXT, encoding="utf-8")
    codes = {d.code for d in check_file(path).diagnostics}
    assert any(code >= "BPO200" for code in codes)  # the catalogue ran
    assert "BPO710" not in codes  # `promptly` is not read as a delay of 72 hours or more


@pytest.mark.parametrize("path", sorted((ROOT / "examples" / "real").glob("*.bpo")), ids=lambda p: p.stem)
def test_real_contracts_parse_resolve_and_are_formatted(path: Path) -> None:
    from bpolang.format.formatter import format_text

    text = path.read_text(encoding="utf-8")
    r = load(path)
    assert r.contract is not None
    assert [d.code for d in r.diagnostics if d.code < "BPO100"] == []
    assert format_text(text) == text


def test_hover_and_completion_show_the_new_keys() -> None:
    from bpolang.lsp.schema import describe_key, keywords, value_options
    from bpolang.model.build import schema_of

    hover = describe_key(C.DataAsset, schema_of(C.DataAsset).keys["breach_notification"])
    assert "`promptly`" in hover and "when the contract sets no delay" in hover
    hover = describe_key(C.Contract, schema_of(C.Contract).children["document"])
    assert "Takes: `amendable_by`, `attached`" in hover
    words = {k.word for k in keywords(C.Contract)}
    assert {"document", "precedence", "exclusivity", "licence", "audit", "notices", "survives"} <= words
    assert "glba" in value_options(C.Contract, schema_of(C.Contract).keys["regimes"]).words
    assert "any_time" in value_options(C.Audit, schema_of(C.Audit).keys["frequency"]).words


@pytest.mark.parametrize(
    "lang,expected",
    [
        ("en", "prevails over “Agreement” in case of conflict"),
        ("fr", "prévaut sur «\u202fAgreement\u202f» en cas de contradiction"),
    ],
)
def test_a_document_may_prevail_over_others_without_a_whole_order(lang: str, expected: str) -> None:
    text = (
        'contract c "C" {\n  language: en\n  document agreement "Agreement" { kind: main }\n'
        '  document schedule_1 "Schedule 1" { kind: schedule; prevails_over: [agreement] }\n'
        '  document exhibit_a "Exhibit A" { kind: exhibit; prevails_over: [agreement] }\n}\n'
    )
    r = parse(text)
    assert not [d for d in r.diagnostics if d.code < "BPO100"], r.diagnostics
    docs = {d.id: d for d in r.contract.documents}
    assert [x.id for x in docs["schedule_1"].prevails_over] == ["agreement"]
    assert semantic_dump(parse(print_contract(r.contract)).contract) == semantic_dump(r.contract)
    back, _ = from_data(json.loads(to_json(r.contract)))
    assert semantic_dump(back) == semantic_dump(r.contract)
    md = render(r.contract, r.resolution, "md", lang).decode()
    assert md.count(expected) == 2
    wrong = parse(
        text.replace(
            "prevails_over: [agreement] }\n  document exhibit_a", "prevails_over: [nowhere] }\n  document exhibit_a"
        )
    )
    assert any(d.code == "BPO014" for d in wrong.diagnostics)
