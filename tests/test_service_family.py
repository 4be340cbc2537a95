"""The service family of issue 14: strict and inclusive thresholds, time-of-day deadlines,
maintenance windows, restore times, credit basis, pools, typed earn-back, termination on chronic
failure; a fixed end date, an "as of" date, renewal options, conditions precedent, signatures,
declared business-day calendars and events not on the calendar.

Each construct: read into the model, printed back, exported and imported, rendered in French and
English with its exact value, its dates in the obligations calendar, a change stated by the diff.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import bpolang
from bpolang.cli import main
from bpolang.format.interchange import from_data, to_json
from bpolang.format.printer import print_contract
from bpolang.lsp import schema as lsp_schema
from bpolang.model import contract as C
from bpolang.model.build import schema_of
from bpolang.model.compare import semantic_dump
from bpolang.obligations.compute import obligations
from bpolang.render import render_result
from bpolang.resolve import calendar as cal
from bpolang.resolve.references import declared_calendar

FILE = Path(__file__).parent / "service_family.bpo"


@pytest.fixture(scope="module")
def parsed():
    return bpolang.load(FILE)


@pytest.fixture(scope="module")
def rendered(parsed) -> dict[str, str]:
    """The Markdown in each language, its no-break spaces made plain spaces."""
    out = {lang: render_result(parsed, "md", lang).decode() for lang in ("en", "fr")}
    return {lang: text.replace("\u00a0", " ").replace("\u202f", " ") for lang, text in out.items()}


def test_no_language_error(parsed) -> None:
    assert [d for d in parsed.diagnostics if d.code < "BPO100"] == []


def test_values_are_read_into_the_model(parsed) -> None:
    c = parsed.contract
    assert c.as_of.date == dt.date(1998, 3, 20) and c.end.date == dt.date(2000, 2, 28)
    assert parsed.resolution.end == dt.date(2000, 2, 28)  # the fixed end, not a computed term
    assert c.calendar == "fed_days"
    batch, avail = c.service_levels
    assert batch.deadline == dt.time(7, 0) and batch.input_cutoff == dt.time(1, 0) and batch.allowed_misses == 2
    assert [(h.opens, h.closes) for h in batch.maintenance_windows] == [(dt.time(2), dt.time(6))]
    p1 = batch.severities[0]
    assert p1.restore.amount == 4 and p1.comparator == "less_than" and p1.hours[0].opens == dt.time(7)
    assert avail.comparator == "more_than" and avail.target.value == Decimal("97.5")
    cr = c.credit_regimes[0]
    assert cr.credit_basis == "on_chronic"
    assert (cr.chronic.comparator, cr.chronic.times, cr.chronic.within.amount) == ("missed", 3, 6)
    assert cr.pool.percent.value == 12 and cr.pool.of.id == "monthly_fees"
    assert [(a.share.value, a.sla.id) for a in cr.allocations] == [(40, "avail"), (60, "batch_reports")]
    assert cr.annual_cap.of.id == "trailing_12_months_fees"
    assert (cr.earn_back_rule.share.value, cr.earn_back_rule.met_for.amount, cr.earn_back_rule.within.amount) == (
        100,
        3,
        6,
    )
    tr = cr.termination_right
    assert tr.by.id == "pub" and tr.notice.amount == 30 and tr.exercise_within.amount == 60 and tr.scope == "whole"
    first, later = c.renewal_options
    assert first.by.id == "pub" and first.count == 1 and first.until.date == dt.date(2001, 2, 28)
    assert first.notice_by.date == dt.date(1999, 9, 30) and first.notice_form == "written"
    assert later.requires[0].id == "first_renewal" and later.notice_by.month == 9 and later.notice_by.day == 30
    assert c.conditions_precedent[0].by.date == dt.date(1998, 6, 30)
    assert c.signatures[0].signatory == "Jonathan Conibear" and c.signatures[0].date.date == dt.date(1998, 3, 20)
    assert c.events[0].id == "notice_receipt" and c.deliverables[0].due.anchor == "notice_receipt"


def test_a_reference_of_the_wrong_kind_is_refused() -> None:
    text = FILE.read_text().replace("allocate: 40% to avail", "allocate: 40% to pub")
    codes = [d.code for d in bpolang.parse(text).diagnostics]
    assert "BPO019" in codes


def test_the_file_is_formatted_and_prints_back_to_the_same_meaning(parsed) -> None:
    assert CliRunner().invoke(main, ["fmt", "--check", str(FILE)]).exit_code == 0
    again = bpolang.parse(print_contract(parsed.contract))
    assert semantic_dump(again.contract) == semantic_dump(parsed.contract)


def test_export_then_import_is_the_identity(parsed) -> None:
    back, problems = from_data(json.loads(to_json(parsed.contract)))
    assert problems == []
    assert semantic_dump(back) == semantic_dump(parsed.contract)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Target: more than 97.5%"),
        ("en", "Deadline: by 07:00 on each business day of the calendar"),
        ("en", "received by 01:00"),
        ("en", "Misses allowed in each window: 2"),
        ("en", "excluded from the measurement: every day, 02:00 to 06:00"),
        ("en", "| Priority 1 | under 15 minutes | under 4 hours |"),
        ("en", "A service credit is due only on the chronic failure"),
        ("en", "Amount at risk: 12% of the Monthly Charges"),
        ("en", "40% to the service level “Availability”"),
        ("en", "10% of the charges of the twelve months before the event"),
        ("en", "100% of the credit is earned back if the level is then met for 3 months in a row, within 6 months"),
        ("en", "the Client may terminate this Agreement on 30 days' notice, a right exercised within 60 days"),
        ("en", "This Agreement is made as of 20 March 1998."),
        ("en", "continues up to and including 28 February 2000."),
        ("en", "may renew the term (once at most), for 1 year each time, up to and including 28 February 2001"),
        ("en", "on or before 30 September 1999, in writing"),
        ("en", "(3 times at most)"),
        ("en", "provided that “First renewal” has been exercised"),
        ("en", "Escrow agreement signed, to be satisfied by the Provider, by 30 June 1998"),
        ("en", "except the public holidays of United States, and closed on 24 December 1998"),
        ("en", "Receipt of a notice of default is an event that is not on the calendar"),
        ("en", "| the Client | Jonathan Conibear | 20 March 1998 |"),
        ("fr", "strictement plus de 97,5 %"),
        ("fr", "au plus tard à 7 h chaque jour ouvré"),
        ("fr", "| Priority 1 | moins de 15 minutes | moins de 4 heures |"),
        ("fr", "Montant en jeu"),
        ("fr", "40 % pour le niveau de service"),
        ("fr", "100 % du crédit est restitué si le niveau est ensuite atteint pendant 3 mois consécutifs"),
        ("fr", "moyennant un préavis de 30 jours"),
        ("fr", "Le Contrat est daté du 20 mars 1998."),
        ("fr", "se poursuit jusqu’au 28 février 2000 inclus."),
        ("fr", "au plus tard le 30 septembre 1999, par écrit"),
        ("fr", "Conditions suspensives"),
        ("fr", "Jonathan Conibear"),
    ],
)
def test_rendering_states_the_exact_value(rendered, lang: str, expected: str) -> None:
    assert expected in rendered[lang]


def test_dates_appear_in_the_obligations_calendar(parsed) -> None:
    got = {(o.kind, o.source_id, o.date) for o in obligations(parsed.contract, parsed.resolution)}
    assert ("renewal_option_notice", "first_renewal", dt.date(1999, 9, 30)) in got
    assert ("renewal_option_notice", "later_renewals", dt.date(1998, 9, 30)) in got
    assert ("condition_precedent", "escrow", dt.date(1998, 6, 30)) in got
    assert ("end", "end", dt.date(2000, 2, 28)) in got
    # counted from an event that is not on the calendar: listed without a date, not an error
    assert ("deliverable", "cure", None) in got


def test_a_declared_calendar_counts_business_days() -> None:
    decl = C.BusinessCalendar(id="x", open_days=["monday", "tuesday"], holidays=[])
    spec = declared_calendar(decl)
    # Monday 1998-03-02 + 1 business day is Tuesday; + 2 is the next Monday
    assert cal.add_duration(dt.date(1998, 3, 2), 2, "business_days", spec) == dt.date(1998, 3, 9)
    bank = cal.BusinessCalendar(country="US", holidays=frozenset({dt.date(1998, 12, 24)}))
    assert not cal.is_business_day(dt.date(1998, 12, 24), bank)  # the calendar's own closed day
    assert not cal.is_business_day(dt.date(1998, 12, 25), bank)  # a US public holiday
    assert cal.is_business_day(dt.date(1998, 12, 23), bank)


def test_the_contract_calendar_moves_business_day_offsets() -> None:
    text = FILE.read_text().replace("due: notice_receipt + 30 days", "due: 1998-12-23 + 1 business day")
    res = bpolang.parse(text)
    # 24 December is closed by the declared calendar, 25 December by US holidays
    assert res.resolution.dates["cure"] == dt.date(1998, 12, 28)


def test_a_fixed_end_date_satisfies_the_term_rule(parsed) -> None:
    assert "BPO201" not in {d.code for d in parsed.diagnostics}


def test_the_diff_states_each_change(tmp_path: Path) -> None:
    old = FILE.read_text()
    new = (
        old.replace("end: 2000-02-28", "end: 2000-03-31")
        .replace("deadline: 07:00", "deadline: 08:00")
        .replace("allocate: 40% to avail", "allocate: 50% to avail")
        .replace("count: 3", "count: 2")
        .replace("notice: 30 days", "notice: 60 days")
    )
    (tmp_path / "a.bpo").write_text(old)
    (tmp_path / "b.bpo").write_text(new)
    out = CliRunner().invoke(main, ["diff", str(tmp_path / "a.bpo"), str(tmp_path / "b.bpo"), "--force"]).output
    for line in (
        "Last day of the term: 28 February 2000 → 31 March 2000",
        "Number of renewals: 3 → 2",
        "Time-of-day deadline: 07:00 → 08:00",
        "added “50% to the service level “Availability””",
        "Notice of termination: 30 days → 60 days",
    ):
        assert line in out, out


@pytest.mark.parametrize(
    ("cls", "key", "words"),
    [
        (C.ServiceLevel, "deadline", "time of day"),
        (C.ServiceLevel, "maintenance_windows", "excluded from the measurement"),
        (C.CreditRegime, "earn_back_rule", "typed terms"),
        (C.Contract, "end", "up to and including"),
        (C.Contract, "as_of", "as of"),
        (C.RenewalOption, "notice_by", "cut-off"),
    ],
)
def test_hover_shows_the_help_of_each_new_key(cls, key: str, words: str) -> None:
    spec = schema_of(cls).keys[key]
    assert words in lsp_schema.describe_key(cls, spec)


def test_completion_offers_the_new_words() -> None:
    spec = schema_of(C.ServiceLevel).keys["comparator"]
    assert {"more_than", "less_than"} <= set(lsp_schema.value_options(C.ServiceLevel, spec).words)
    assert {"renewal_option", "condition_precedent", "signature", "business_calendar", "event"} <= set(
        schema_of(C.Contract).words()
    )


def test_old_syntax_still_reads() -> None:
    text = FILE.read_text().replace("earn_back_rule: 100% if met for 3 months within 6 months", "earn_back: 3 months")
    res = bpolang.parse(text)
    assert [d for d in res.diagnostics if d.code < "BPO100"] == []
    assert res.contract.credit_regimes[0].earn_back.amount == 3


def test_an_end_counted_from_an_event_anchors_dates_in_words() -> None:
    # "terminating on the eighth anniversary of the Commencement Date": `end` counted from an event;
    # a date counted back from it has no calendar date and is no error
    text = """contract t "T" {
  effective: 1998-02-16
  end: commencement + 8 years
  party client c "C" {}
  party provider p "P" {}
  event commencement "Commencement Date" { by: p }
  milestone proposal "Renewal proposal" { date: end - 18 months; owner: p }
}
"""
    result = bpolang.parse(text)
    assert not [d for d in result.diagnostics if d.code < "BPO100"]
    assert "proposal" not in result.resolution.dates
    # with no `end` and no `term`, the same date is still an error
    bare = text.replace("  end: commencement + 8 years\n", "")
    assert "BPO018" in {d.code for d in bpolang.parse(bare).diagnostics}
