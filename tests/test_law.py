"""Which law reaches a contract (bpolang/check/rules/law.py): the gates of the territorial rules."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import bpolang
from bpolang.base.diagnostics import Severity
from bpolang.check.rules import law, run_rules
from bpolang.check.rules.context import Context
from bpolang.check.rules.registry import load_all
from bpolang.cli import main


def ctx_of(text: str) -> Context:
    result = bpolang.parse(text)
    assert not [d for d in result.diagnostics if d.severity is Severity.ERROR], result.diagnostics
    return Context(result)


def contract(law_line: str = "", client: str = "", provider: str = "", location: str = "") -> str:
    return (
        'contract c "C" {\n'
        + (f"  governing_law: {law_line}\n" if law_line else "")
        + "  effective: 2027-01-01\n  term: 12 months\n"
        + f'  party client a "A" {{ {client} }}\n'
        + f'  party provider b "B" {{ {provider} }}\n'
        + '  data d "D" {\n    personal: yes\n'
        + (f"    location: [{location}]\n" if location else "")
        + "  }\n}\n"
    )


@pytest.mark.parametrize(
    ("law_line", "client", "provider", "location", "gdpr", "uk"),
    [
        ("", "", "", "", True, True),  # nothing stated: presumed within both
        ("US", "country: US", "country: US", "US", False, False),
        ("US", "country: US", "country: IE", "US", True, False),  # Art. 3(1): an EU establishment
        ("US", "country: US", "country: US", "DE", True, False),  # processing located in the EU
        ("US", "country: US", "country: NO", "", True, False),  # the EEA
        ("FR", "", "", "", True, False),  # EU law, no establishment stated: presumption
        ("FR", "country: US", "country: US", "US", False, False),  # the law alone is not Art. 3
        ("GB", "", "", "", False, True),
        ("US", "country: GB", "country: US", "", False, True),
        ("US", "", "", "", False, False),
    ],
)
def test_gdpr_and_uk_gdpr_territorial_scope(law_line, client, provider, location, gdpr, uk):
    ctx = ctx_of(contract(law_line, client, provider, location))
    assert law.gdpr_applies(ctx) is gdpr
    assert law.uk_gdpr_applies(ctx) is uk
    assert bool(law.protected_data(ctx)) is (gdpr or uk)


@pytest.mark.parametrize(
    ("law_line", "client", "expected"),
    [
        ("FR", "financial_entity: yes", True),
        ("", "financial_entity: yes", True),
        ("US", "financial_entity: yes", False),
        ("FR", "financial_entity: yes; country: US", False),
        ("US", "financial_entity: yes; country: DE", True),
        ("FR", "financial_entity: no", False),
    ],
)
def test_eu_financial_entity(law_line, client, expected):
    assert law.eu_financial_entity(ctx_of(contract(law_line, client))) is expected


def test_a_us_bank_raises_no_severity():
    """`financial_entity: yes` outside the EU frame turns no warning into an error (BPO802)."""
    us = bpolang.parse(contract("US", "financial_entity: yes; country: US", "country: US", "US"))
    eu = bpolang.parse(contract("FR", "financial_entity: yes", "", "FR"))
    (w,) = [d for d in run_rules(us, {"BPO802"})]
    (e,) = [d for d in run_rules(eu, {"BPO802"})]
    assert (w.severity, e.severity) == (Severity.WARNING, Severity.ERROR)
    assert not run_rules(us, {"BPO901", "BPO902", "BPO903"})


def test_law_codes_map_to_countries():
    assert [law.country_of_law(c) for c in ("US-NY", "ENGLAND", "GB-SCT", "EL", "fr", None)] == [
        "US",
        "GB",
        "GB",
        "GR",
        "FR",
        None,
    ]


@pytest.mark.parametrize(
    ("fields", "held"),
    [
        ("", True),
        ("held_by: bpo", True),
        ("held_by: acme", False),
        ("held_by: both", False),  # a group of clients keeps it
        ("handed_over: no", False),
        ("handed_over: yes", True),
    ],
)
def test_provider_holds_reads_who_holds_the_data(fields, held):
    """`held_by` (a party or a group of them) and `handed_over: no` say the client keeps the data."""
    ctx = ctx_of(
        'contract c "C" {\n  party client acme "Acme" {}\n  party client acme2 "Acme 2" {}\n'
        '  party provider bpo "BPO" {}\n  party_group both "the Clients" { members: [acme, acme2] }\n'
        f'  data d "D" {{ {fields} }}\n}}\n'
    )
    (asset,) = ctx.contract.data
    assert law.provider_holds(ctx, asset) is held


def test_arbitration_replaces_the_court():
    ctx = ctx_of('contract c "C" {\n  dispute_resolution: "Binding arbitration, ICC Rules"\n}\n')
    assert law.arbitration_agreed(ctx)
    assert not law.arbitration_agreed(ctx_of('contract c "C" {\n  dispute_resolution: "Mediation"\n}\n'))


def test_the_legal_test_is_shown_by_bpo_rule():
    out = CliRunner().invoke(main, ["rule", "BPO701"]).output
    assert "legal test:" in out and "Art. 3(1)" in out and "UK GDPR" in out
    out = CliRunner().invoke(main, ["rule", "BPO901"]).output
    assert "legal test:" in out and "Art. 2(1)" in out


def test_every_territorial_rule_states_its_legal_test():
    for r in load_all().values():
        if r.area in ("data", "financial") and r.applies.label != "every contract" and r.fn is not None:
            assert r.applies.law, r.code


def test_a_uk_only_contract_cites_the_uk_gdpr_and_keeps_uk_data_home():
    text = contract("GB", "country: GB; gdpr_role: controller", "country: GB; gdpr_role: processor", "GB")
    found = run_rules(bpolang.parse(text), {"BPO701", "BPO712"})
    assert found and all(any("UK GDPR" in n for n in d.notes) for d in found)
    assert not [d for d in found if d.code == "BPO712"]  # data in the UK is home under the UK GDPR
    eu = run_rules(bpolang.parse(contract("FR", "country: FR", "country: FR", "FR")), {"BPO701"})
    assert eu and not any("UK GDPR" in n for d in eu for n in d.notes)


def test_french_and_eu_gates_read_the_country_of_a_subdivision_code():
    from bpolang.check.rules.gates import EU_LAW, FR

    class Fake:
        law = "ES-CT"  # Catalan civil law: still Spain, an EU member state

    assert EU_LAW(Fake()) and not FR(Fake())  # type: ignore[arg-type]
    Fake.law = "FR"
    assert FR(Fake())  # type: ignore[arg-type]


def test_audit_blocks_say_who_audits_whom():
    """`audit` blocks with an `auditor` take precedence over the texts (BPO815)."""
    from bpolang.check.rules.other import _structured_auditors

    head = 'contract c "C" {\n  party client acme "Acme" {}\n  party provider bpo "BPO" {}\n'
    ctx = ctx_of(head + '  audit a "Provider audits" { auditor: bpo; audited: acme }\n}\n')
    assert [role for role, _ in _structured_auditors(ctx)] == ["provider"]
    assert _structured_auditors(ctx_of(head + "}\n")) == []
    codes = [d.code for d in run_rules(bpolang.parse(head + '  audit a "Provider audits" { auditor: bpo }\n}\n'))]
    assert "BPO815" in codes
    both = head + '  audit a "A" { auditor: bpo }\n  audit b "B" { auditor: acme; audited: bpo }\n}\n'
    assert "BPO815" not in [d.code for d in run_rules(bpolang.parse(both))]
