"""The legal family: liability caps and their scope, caps on the fees, indemnities, warranties,
disclaimers, insurance limits, governing law as an ISO 3166 code, arbitration, a venue left out."""

from __future__ import annotations

import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from contract_util import checked, small_contract

from bpolang.check.pipeline import parse
from bpolang.diff import compare
from bpolang.diff.sentences import describe
from bpolang.format.formatter import format_text
from bpolang.format.interchange import from_data, json_schema, to_json
from bpolang.format.printer import print_contract
from bpolang.lsp.schema import describe_key, keywords
from bpolang.model import contract as C
from bpolang.model.build import schema_of
from bpolang.model.compare import semantic_dump
from bpolang.model.values import Duration, Percentage, Ref
from bpolang.render import render
from bpolang.render.articles.legal import UNRENDERED

BODY = """  service sow1 "Statement of work 1" { }
  liability overall "Overall cap" {
    party: pr
    cap: fees paid in 12 months before claim first_year 250000 USD
    basis: aggregate
    scope: overall
  }
  liability data "Data cap" {
    party: pr
    cap: 200% of fees paid_or_payable for sow1 in initial_term
    basis: aggregate
    heads: [data_loss]
    scope: within overall
  }
  indemnity ip "IP indemnity" {
    by: pr
    beneficiary: cl
    heads: [ip_infringement]
    defend: yes
    notice: 30 days
    late_notice: only_if_prejudiced
    defence: indemnitor
    settlement_consent: indemnitee
    cooperation: yes
    cooperation_costs: indemnitor
    own_counsel: own_cost
    exclusions: [combination, modification]
    remedies: [modify, procure_licence, refund]
    refund_depreciation: 5 years
    exclusive_remedy: yes
  }
  indemnity cross "Cross indemnity" {
    mutual: yes
    heads: [bodily_injury]
    notice: promptly
  }
  warranty perf "Performance warranty" {
    by: pr
    beneficiary: cl
    kind: representation
    description: "The application performs substantially as documented"
    period: 1 year
    starts: effective
    knowledge_qualified: yes
    remedies: [repair, refund]
    exclusive_remedy: yes
    conditions: ["Notify within the warranty period"]
  }
  disclaimer others "Disclaimer" {
    by: pr
    excluded: [merchantability, fitness_for_purpose]
    implied: yes
    as_is: ["Pre-production releases"]
  }
  insurance gl "General liability" {
    holder: pr
    amount: 1000000 USD
    amount_basis: per_occurrence
    aggregate: 2000000 USD
    tail: 3 years
    insurer_rating: "A- (A.M. Best)"
    change_notice: 30 days
  }
  insurance wc "Workers' compensation" {
    holder: pr
    amount: statutory
  }
  arbitration {
    institution: "U.S. Arbitration & Mediation"
    seat: "Madrid"
    arbitrators: 3
    language: es
    binding: yes
    in_equity: yes
    award_within: 3 months
    carve_outs: [injunctive_relief]
  }
"""
HEAD_EXTRA = """  jurisdiction: none
  limitation_period: 2 years
  limitation_exceptions: [nonpayment]
  legal_costs: each_own
"""


def _text(body: str = BODY, law: str = "US-NY") -> str:
    text = small_contract(body, term="36 months", law=law)
    return text.replace("  effective:", HEAD_EXTRA + "  effective:", 1)


@pytest.fixture(scope="module")
def result():
    return checked(_text())


def test_the_model_holds_every_term(result):
    c = result.contract
    assert c.governing_law == "US-NY" and c.jurisdiction == "none"
    assert c.limitation_period == Duration(amount=Decimal(2), unit="years", span=c.limitation_period.span)
    assert c.limitation_exceptions == ["nonpayment"] and c.legal_costs == "each_own"
    overall, data = c.liability
    assert isinstance(overall.cap, C.FeesCap)
    assert overall.cap.fees == "paid" and overall.cap.window.amount == 12 and overall.cap.before == "claim"
    assert (overall.cap.first_year.amount, overall.cap.first_year.currency) == (Decimal("250000"), "USD")
    assert overall.scope.relation == "overall"
    assert data.cap.share.value == 200 and data.cap.fees == "paid_or_payable"
    assert data.cap.service.id == "sow1" and data.cap.initial_term and data.cap.window is None
    assert data.heads == ["data_loss"] and data.scope.relation == "within" and data.scope.of.id == "overall"
    ip, cross = c.indemnities
    assert ip.by.id == "pr" and ip.beneficiary.id == "cl" and ip.defend is True
    assert ip.notice.amount == 30 and cross.notice == "promptly" and cross.mutual is True
    assert (ip.defence, ip.settlement_consent, ip.late_notice) == ("indemnitor", "indemnitee", "only_if_prejudiced")
    assert ip.remedies == ["modify", "procure_licence", "refund"] and ip.refund_depreciation.amount == 5
    (w,) = c.warranties
    assert (
        w.kind == "representation"
        and w.period.amount == 1
        and w.starts == "effective"
        and w.knowledge_qualified is True
    )
    assert c.disclaimers[0].excluded == ["merchantability", "fitness_for_purpose"]
    gl, wc = c.insurance
    assert gl.amount.amount == Decimal("1000000") and gl.aggregate.amount == Decimal("2000000")
    assert gl.tail.amount == 3 and gl.change_notice.amount == 30 and wc.amount == "statutory"
    a = c.arbitration
    assert (a.arbitrators, a.language, a.binding, a.in_equity) == (3, "es", True, True)
    assert a.award_within.amount == 3 and a.carve_outs == ["injunctive_relief"]


def test_the_text_is_canonical_and_a_spaced_code_is_written_without_spaces():
    text = format_text(_text())
    assert format_text(text) == text and "governing_law: US-NY\n" in text
    assert format_text(text.replace("US-NY", "US - NY")) == text


def test_export_then_import_is_the_identity(result):
    data = json.loads(to_json(result.contract))
    import jsonschema

    jsonschema.validate(data, json_schema())
    back, problems = from_data(data)
    assert problems == []
    assert semantic_dump(back) == semantic_dump(result.contract)
    assert print_contract(back) == print_contract(result.contract) == format_text(_text())


@pytest.mark.parametrize("law", ["FR", "US-NY", "US-WI", "GB-SCT", "ES-MD", "ENGLAND", "SCOTLAND", "fr"])
def test_valid_law_codes(law):
    assert not parse(small_contract("", term="12 months", law=law)).has_errors


@pytest.mark.parametrize(
    ("law", "why"),
    [("XX", "`XX` is not an ISO 3166-1"), ("US-XX", "`XX` is not a subdivision of `US`"), ("FRANCE", "`FRANCE`")],
)
def test_invalid_law_codes_are_errors_that_say_why(law, why):
    r = parse(small_contract("", term="12 months", law=law))
    (d,) = [d for d in r.diagnostics if d.code < "BPO100"]
    assert d.code == "BPO017" and why in (d.help or "")


@pytest.mark.parametrize(("law", "calendar"), [("US-NY", "US-NY"), ("SCOTLAND", "GB-SCT"), ("UK", "GB"), ("FR", "FR")])
def test_a_subdivision_chooses_its_holidays(law, calendar):
    assert parse(small_contract("", term="12 months", law=law)).resolution.calendar == calendar


def test_references_are_resolved_and_checked():
    bad = BODY.replace("scope: within overall", "scope: within nothing_here").replace("for sow1", "for cl")
    codes = sorted(d.code for d in parse(_text(bad)).diagnostics if d.code < "BPO100")
    assert codes == ["BPO014", "BPO019"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "the fees paid in the 12 months preceding the claim (for a claim arising in the first contract year: $250,000.00)",
                "200% of the fees paid or payable for",
                "during the initial term",
                "sub-limit, counted within the cap “Overall cap”",
                "shall notify the claim within 30 days",
                "straight-line, over 5 years",
                "lasts 1 year from the effective date",
                "$1,000,000.00 per occurrence and $2,000,000.00 in aggregate",
                "kept for 3 years after the end",
                "with the cover the law requires",
                "at least 30 days in advance",
                "the laws of US-NY (ISO 3166-2), a subdivision of United States",
                "Number of arbitrators: 3",
                "Spanish (es)",
                "Award given within: 3 months",
                "injunctive or other equitable relief",
                "designates no competent court",
                "more than 2 years after the cause of action accrued, except for: nonpayment",
                "each Party shall bear its own lawyers' fees",
            ],
        ),
        (
            "fr",
            [
                "au cours des 12 mois précédant la réclamation",
                "un montant égal aux sommes payées au cours des 12\u202fmois",
                "250\u202f000,00\u202fUSD",
                "un montant égal à 200\u202f% des sommes payées ou dues",
                "sous-plafond",
                "dans un délai de 30 jours",
                "sur 5 ans",
                "1\u202f000\u202f000,00\u202fUSD par événement et 2\u202f000\u202f000,00\u202fUSD par année",
                "maintenue pendant 3 ans",
                "le droit applicable en US-NY (subdivision ISO 3166-2, pays\u202f: États-Unis)",
                "Nombre d’arbitres",
                "espagnol (es)",
                "plus de 2 ans après",
                "ses propres honoraires d’avocat",
            ],
        ),
    ],
)
def test_render_states_each_value_exactly(result, lang, expected):
    text = render(result.contract, result.resolution, "md", lang).decode()
    flat = " ".join(text.split())
    missing = [e for e in expected if " ".join(e.split()) not in flat]
    assert not missing, missing


# `by: pr` / `holder: pr` name the Provider, whom the rendering names when no party is given
_DEFAULT_LINES = {"by: pr", "holder: pr"}


def test_every_legal_field_is_rendered_or_listed_as_unrendered(result):
    """Each key of the example, taken out, changes the rendered text: none is silently dropped."""
    full = render(result.contract, result.resolution, "md", "en")
    lines = _text().splitlines()
    silent = []
    for i, line in enumerate(lines):
        key = line.strip()
        if ":" not in key or key.endswith("{") or key in _DEFAULT_LINES or key.startswith(("party", "language")):
            continue
        r = parse("\n".join(lines[:i] + lines[i + 1 :]) + "\n")
        assert r.contract is not None, key
        if render(r.contract, r.resolution, "md", "en") == full:
            silent.append(key)
    assert silent == [], f"not rendered: {silent}; add them to UNRENDERED ({sorted(UNRENDERED)}) or render them"


def test_a_diff_states_each_change(result):
    changed_text = (
        _text()
        .replace("in 12 months before claim", "in 6 months before claim")
        .replace("notice: 30 days", "notice: promptly")
        .replace('seat: "Madrid"', 'seat: "Paris"')
        .replace("US-NY", "US-CA")
    )
    changed = checked(changed_text)
    changes = compare(result.contract, changed.contract)
    before = SimpleNamespace(contract=result.contract, resolution=None)
    after = SimpleNamespace(contract=changed.contract, resolution=None)
    for lang in ("en", "fr"):
        sentences = " ".join(c.sentence for c in describe(changes, before, after, lang))
        for word in ("US-NY", "US-CA", "Madrid", "Paris", "6\u202fmois" if lang == "fr" else "6 months"):
            assert word in sentences, (lang, word, sentences)


def test_hover_and_completion_show_the_new_keys():
    words = {k.word for k in keywords(C.Contract)}
    assert {"indemnity", "warranty", "disclaimer", "arbitration", "limitation_period", "legal_costs"} <= words
    spec = schema_of(C.Liability).keys["scope"]
    text = describe_key(C.Liability, spec)
    assert "sub-limit" in text and "in_addition_to" in text
    assert "ISO 3166-2" in describe_key(C.Contract, schema_of(C.Contract).keys["governing_law"])


def test_a_cap_on_the_fees_is_not_computed_as_an_amount(result):
    from bpolang.obligations.figures import summarise

    s = summarise(result.contract, result.resolution)
    (e,) = [e for e in s.exposures if e.id == "overall"]
    assert e.worst is None and e.reason.key == "fees_paid_cap"


def test_arbitration_is_a_forum_for_the_law_and_forum_rule():
    def finds(text: str) -> bool:
        from bpolang.check.rules import run_rules

        return any("jurisdiction" in d.message for d in run_rules(parse(text), {"BPO105"}))

    plain = small_contract("", term="12 months")
    arbitral = small_contract('  arbitration { seat: "Paris" }\n', term="12 months")
    assert finds(plain) and not finds(arbitral)


def test_values_keep_their_types():
    r = checked(_text())
    assert isinstance(r.contract.liability[1].cap.share, Percentage)
    assert isinstance(r.contract.liability[1].scope.of, Ref)


@pytest.mark.parametrize(
    "lang,expected",
    [
        ("en", "applied separately to each of these documents on that document's own fees"),
        ("fr", "plafond appliqué séparément à chacun de ces documents sur ses propres redevances"),
    ],
)
def test_a_cap_per_statement_of_work(lang: str, expected: str) -> None:
    """ "Under a Statement of Work ... the fees paid for such services": each SOW on its own fees."""
    from bpolang.check.pipeline import parse
    from bpolang.format.printer import print_contract
    from bpolang.model.compare import semantic_dump
    from bpolang.render import render

    text = (
        f'contract c "C" {{\n  language: {lang}\n  party client a "A" {{}}\n  party provider p "P" {{}}\n'
        '  document sows "Statements of Work" { kind: sow; attached: no }\n'
        '  liability p_cap "Provider cap" {\n    party: p\n    cap: fees paid for sows\n    basis: per_document\n  }\n}\n'
    )
    r = parse(text)
    assert not [d for d in r.diagnostics if d.code < "BPO100"], r.diagnostics
    (li,) = r.contract.liability
    assert li.basis == "per_document" and li.cap.service.id == "sows"
    assert semantic_dump(parse(print_contract(r.contract)).contract) == semantic_dump(r.contract)
    md = render(r.contract, r.resolution, "md", lang).decode()
    assert expected in md and "total liability" not in md
