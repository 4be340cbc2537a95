"""`bpo summary`: key figures checked by hand, what cannot be computed, outputs and CLI.

Golden JSON lives in tests/golden_calendar/<example>.summary.json; regenerate with
BPO_UPDATE_GOLDEN=1 and read the diff.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from contract_util import checked, small_contract
from hypothesis import HealthCheck, given, settings
from test_properties import mutated_example

from bpolang.check.pipeline import load, parse
from bpolang.cli import main
from bpolang.obligations.figures import summarise
from bpolang.render.figures import render_summary

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))
GOLDEN = Path(__file__).resolve().parent / "golden_calendar"
UPDATE = os.environ.get("BPO_UPDATE_GOLDEN") == "1"


def contract(body: str, term: str = "12 months") -> str:
    return small_contract(body, term=term)


def summary_of(text: str):
    r = checked(text)
    return summarise(r.contract, r.resolution)


def item(s, ident: str):
    return next(i for i in s.items if i.id == ident)


def test_figures_of_the_french_example_checked_by_hand() -> None:
    r = load(ROOT / "examples" / "comptabilite-fournisseurs.bpo")
    s = summarise(r.contract, r.resolution)
    assert s.currency == "EUR" and s.months == 36
    # 15 000 once + 8 500 x 36 months + 4 500 x 3 contract years
    assert s.fixed_total == Decimal("334500")
    # the unit prices are overages (`per invoice above volume`): at the reference volume
    # (2 000 invoices, 650 payments a month) they charge nothing, and say on which volume
    extra = item(s, "extra_invoice")
    assert extra.per_period == 0 and extra.total == 0
    assert [(n.key, dict(n.values)["service"]) for n in extra.notes] == [("overage_only", "invoice_entry")]
    assert s.volume_total == 0 and s.total == Decimal("334500")
    # reviews on 1 January 2028 and 2029 at the 3 % cap: each year's recurring charges x 1, 1.03, 1.0609
    assert item(s, "run").indexed_total == Decimal("102000") * (1 + Decimal("1.03") + Decimal("1.0609"))
    # 15 000 + 8 500 x 12 x (1 + 1.03 + 1.0609) + 4 500 x (1 + 1.03 + 1.0609)
    assert round(s.indexed_total, 2) == Decimal("344180.85")
    # 8 500 x 12 + 4 500 = 106 500, then x 1.03 and x 1.0609
    assert [round(y[4], 2) for y in s.run_cost] == [Decimal("106500.00"), Decimal("109695.00"), Decimal("112985.85")]
    # rate card lines have no volume: listed, not counted as zero
    assert not item(s, "expert").computed and item(s, "expert").reason.key == "no_volume"
    # monthly_fees = the 8 500 flat fee alone; the worst month of ap_credits is its 5 % step, under its 10 % cap
    assert s.monthly_fees == Decimal("8500") and s.annual_fees == Decimal("106500")
    ap = next(e for e in s.exposures if e.id == "ap_credits")
    assert ap.monthly == Decimal("425") and ap.monthly_cap == Decimal("850")
    assert ap.yearly == Decimal("5100") and ap.yearly_cap == Decimal("6390")  # 12 months under 6 % of 106 500
    pen = next(e for e in s.exposures if e.id == "late_close")
    assert pen.worst == Decimal("850")  # capped at 10 % of 8 500
    assert dict(pen.notes[0].values) == {"n": 2, "per": "day"}  # 500 EUR a day reaches 850 on the second day
    assert {o.kind for o in s.key_dates} >= {"effective", "end", "renewal_notice", "milestone"}


def test_marginal_tiers_and_volumes() -> None:
    body = """  service reg "Registration" { volume: 10000 claims per month }
  pricing {
    currency: EUR
    model: tiered
    tier bands "Bands" {
      unit: claim
      band: 0 to 8000 at 6.40 EUR per claim
      band: 8001 to 15000 at 5.60 EUR per claim
      band: above 15000 at 4.90 EUR per claim
    }
  }"""
    s = summary_of(contract(body))
    # 8 000 x 6.40 + 2 000 x 5.60
    assert item(s, "bands").per_period == Decimal("62400.00") and item(s, "bands").periods == 12
    assert {n.key for n in item(s, "bands").notes} == {"volume_forecast", "bands_marginal"}


def test_ambiguous_or_missing_volumes_are_not_computed() -> None:
    body = """  service a "A" { volume: 100 claims per month }
  service b "B" { volume: 200 claims per month }
  pricing {
    currency: EUR
    unit claim_price "Claim": 2 EUR per claim
    unit letter "Letter": 1 EUR per letter
    fee mix "Mix": max(volume * claim_price, 10 EUR) every month
  }"""
    s = summary_of(contract(body))
    assert item(s, "mix").reason.key == "several_volumes"
    assert item(s, "letter").reason.key == "no_volume"
    assert not any(i.id == "claim_price" for i in s.items)  # priced through the fee that uses it
    assert s.total is None and not s.complete  # nothing computed: no total, not a total of zero
    data = json.loads(render_summary(parse(contract(body)), "json", "en"))
    assert data["value"]["complete"] is False
    mix = next(i for i in data["value"]["items"] if i["id"] == "mix")
    assert mix["total"] is None and mix["computed"] is False and "which one" in mix["reason"]["text"]


def test_indefinite_term_counts_no_recurring_charge() -> None:
    body = '  pricing { currency: EUR\n    fee run "Run": 100 EUR every month\n    fee setup "Setup": 50 EUR once }'
    s = summary_of(contract(body, term="indefinite"))
    assert not item(s, "run").computed and item(s, "run").reason.key == "no_term"
    assert item(s, "setup").total == Decimal("50")
    assert "no_term" in {n.key for n in s.notes}


def test_no_pricing_gives_no_value_rather_than_zero() -> None:
    body = """  milestone m "M" { date: effective + 1 months }
  penalty p "P" { applies_to: m; trigger: late; amount: 100 EUR per day; cap: 10% of monthly_fees }"""
    s = summary_of(contract(body))
    assert s.total is None and s.monthly_fees is None and "no_pricing" in {n.key for n in s.notes}
    assert next(e for e in s.exposures if e.id == "p").reason.key == "relative"
    data = json.loads(render_summary(parse(contract(body)), "json", "en"))
    assert data["value"]["total"] is None and data["bases"]["monthly_fees"] is None
    table = render_summary(parse(contract(body)), "table", "en")
    assert re.search(r"Total value over the term +—", table) and "Yearly run cost" not in table


def test_uncapped_penalty_and_redacted_price() -> None:
    body = """  milestone m "M" { date: effective + 1 months }
  penalty p "P" { applies_to: m; trigger: late; amount: 100 EUR per day; uncapped: yes }
  pricing { currency: EUR
    fee run "Run": redacted every month }"""
    s = summary_of(contract(body))
    assert next(e for e in s.exposures if e.id == "p").reason.key == "uncapped"
    assert item(s, "run").reason.key == "unknown_redacted"
    text = render_summary(parse(contract(body)), "table", "en")
    assert "not computed: the price is redacted" in text and "no cap: the worst case is unbounded" in text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_golden_summary_json(path: Path) -> None:
    r = load(path)
    out = render_summary(r, "json", r.contract.language)
    data = json.loads(out)
    assert list(data) == [
        "contract",
        "currency",
        "term",
        "value",
        "bases",
        "run_cost",
        "exposure",
        "key_dates",
        "data",
        "assumptions",
    ]
    golden = GOLDEN / f"{path.stem}.summary.json"
    if UPDATE:
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_markdown_has_the_timeline_and_escapes_user_text(lang: str) -> None:
    text = contract(
        '  milestone m "<b>*x*</b> | y" { date: effective + 1 months }\n'
        '  pricing { currency: EUR\n    fee run "<i>Run</i>": 100 EUR every month }'
    )
    md = render_summary(parse(text), "md", lang)
    assert "](data:image/svg+xml;base64," in md
    assert "<b>" not in md and "\\<b\\>" in md
    assert md == render_summary(parse(text), "md", lang)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["table", "md", "json"])
def test_cli_on_every_example(path: Path, fmt: str) -> None:
    res = CliRunner().invoke(main, ["summary", str(path), "--output-format", fmt, "--lang", "en"])
    assert res.exit_code == 0, res.output
    if fmt == "json":
        json.loads(res.output)
    assert "Traceback" not in res.output


def test_cli_errors_and_output_file(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "bad.bpo"
    bad.write_text(contract('  milestone m "M" { date: nowhere + 3 days }'), encoding="utf-8")
    res = runner.invoke(main, ["summary", str(bad)])
    assert res.exit_code == 1 and "BPO014" in res.output
    assert runner.invoke(main, ["summary", str(bad), "--force"]).exit_code == 0
    out = tmp_path / "s.json"
    res = runner.invoke(main, ["summary", str(EXAMPLES[0]), "--output-format", "json", "-o", str(out)])
    assert res.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))["currency"]


def test_cli_import_stays_light() -> None:
    code = (
        "import sys, bpolang.cli\n"
        "bad = [m for m in ('icalendar', 'babel', 'bpolang.obligations.compute', 'bpolang.obligations.timeline', 'bpolang.obligations.figures', "
        "'bpolang.render') if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ------------------------------------------------------------------ robustness
def _rule_cases() -> list[tuple[str, str]]:
    import yaml

    out = []
    for p in sorted((ROOT / "tests" / "rules").glob("*.yaml")):
        for case in yaml.safe_load(p.read_text(encoding="utf-8")).get("cases", []):
            for key in ("fail", "pass"):
                if case.get(key) and case[key].lstrip().startswith("contract"):
                    out.append((f"{p.stem}:{case['name']}:{key}", case[key]))
    return out


def _every_output(text: str, lang: str = "en") -> None:
    from bpolang.obligations.export import export

    r = parse(text)
    if r.contract is None:
        return
    for fmt in ("ics", "csv"):
        export(r, fmt, lang)
    for fmt in ("json", "md", "table"):
        render_summary(r, fmt, lang)


@pytest.mark.parametrize(("name", "text"), _rule_cases(), ids=[n for n, _ in _rule_cases()])
def test_every_rule_case_exports_and_summarises(name: str, text: str) -> None:
    _every_output(text)  # what `--force` gives for contracts with findings: never an exception


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_example())
def test_mutated_examples_export_and_summarise(text: str) -> None:
    _every_output(text, "fr")


# ------------------------------------------------------------------ catalogs
def test_every_note_the_summary_makes_has_a_message() -> None:
    source = (ROOT / "bpolang" / "obligations" / "figures.py").read_text(encoding="utf-8")
    from bpolang.i18n import catalog

    keys = set(re.findall(r'Note\.of\("([a-z_]+)"[,)]', source)) | {"unknown_redacted", "unknown_tbd"}
    assert len(keys) > 20 and keys <= set(catalog("en")["FIGURES"])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_summary_shows_no_raw_ids(lang: str) -> None:
    """Services, service levels, units and bases are worded by their titles and terms, never by the
    ids of the source (`invoice_entry`, `day`, `monthly_fees`) — in either language (issue 16)."""
    for name in ("comptabilite-fournisseurs.bpo", "centre-contacts-en.bpo"):
        text = render_summary(load(ROOT / "examples" / name), "table", lang) + render_summary(
            load(ROOT / "examples" / name), "md", lang
        )
        for raw in (
            "invoice_entry",
            "supplier_payments",
            "« day »",  # French: « jour »
            "monthly_fees",
            "annual_fees",
            "fte_day",
            "productive_hour",
            "(gos)",
            "entry_accuracy",
            "`",
        ):
            assert raw not in text, (name, raw)


def test_overage_price_is_parsed_printed_and_rendered() -> None:
    from contract_util import rendered_md

    from bpolang.format.printer import print_contract

    body = """  service entry "Entry" {
    volume: 2000 invoices per month
  }
  pricing {
    currency: EUR
    fee run "Run": 8500 EUR every month
    unit extra "Extra": 1.20 EUR per invoice above volume
  }"""
    text = small_contract(body, term="12 months")
    r = parse(text)
    assert r.contract.pricing.units[0].value.above_volume is True
    assert "1.20 EUR per invoice above volume" in print_contract(r.contract)
    assert "€1.20 per invoice, above the reference volume" in rendered_md(text, "en")
    assert "1,20 € par facture, au-delà du volume de référence" in rendered_md(text, "fr")
    s = summarise(r.contract, r.resolution)
    assert item(s, "extra").total == 0 and s.total == Decimal("102000")  # 8 500 x 12, nothing for the overage
    plain = parse(text.replace(" above volume", ""))
    assert item(summarise(plain.contract, plain.resolution), "extra").total == Decimal("28800.00")  # 1.20 x 2 000 x 12
