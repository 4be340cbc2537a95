"""`bpo calendar` and the obligations list: real calendar edge cases, iCalendar read back, CSV, CLI.

Golden exports live in tests/golden_calendar/<example>.{ics,csv}; regenerate with
BPO_UPDATE_GOLDEN=1 and read the diff.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from contract_util import checked, small_contract
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from bpolang.check.pipeline import load, parse
from bpolang.cli import main
from bpolang.obligations.compute import KINDS, SERIES_KINDS, obligations
from bpolang.obligations.export import export

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))
GOLDEN = Path(__file__).resolve().parent / "golden_calendar"
UPDATE = os.environ.get("BPO_UPDATE_GOLDEN") == "1"


def contract(body: str, law: str = "FR", effective: str = "2027-01-01", term: str = "36 months") -> str:
    return small_contract(body, law=law, effective=effective, term=term)


def obs(text: str):
    r = checked(text)
    return obligations(r.contract, r.resolution)


def dates(items, kind: str) -> list[dt.date]:
    return [o.date for o in items if o.kind == kind]


def ics_events(text: str, lang: str = "en") -> list:
    r = parse(text)
    data, _ = export(r, "ics", lang)
    return list(Calendar.from_ical(data).walk("VEVENT"))


PRICING = """  pricing {{
    currency: EUR
    fee run "Run": 1000 EUR every month
    billing: {billing}
    payment_terms: {terms}
    payer: cl
  }}"""


# ------------------------------------------------------------------ dates
def test_monthly_invoices_fall_on_month_ends_including_29_february() -> None:
    items = obs(
        contract(
            PRICING.format(billing="monthly in arrears", terms="30 days from invoice"),
            effective="2028-01-01",
            term="12 months",
        )
    )
    inv = dates(items, "invoice")
    assert inv[:3] == [dt.date(2028, 1, 31), dt.date(2028, 2, 29), dt.date(2028, 3, 31)]
    assert inv[-1] == dt.date(2028, 12, 31) and len(inv) == 12


def test_month_end_invoices_in_a_common_year_and_quarterly_in_advance() -> None:
    items = obs(
        contract(
            PRICING.format(billing="monthly in arrears", terms="30 days from invoice"),
            effective="2027-01-01",
            term="3 months",
        )
    )
    assert dates(items, "invoice") == [dt.date(2027, 1, 31), dt.date(2027, 2, 28), dt.date(2027, 3, 31)]
    items = obs(
        contract(
            PRICING.format(billing="quarterly in advance", terms="30 days from invoice"),
            effective="2027-02-15",
            term="12 months",
        )
    )
    # quarters from February: invoiced on the effective date, then on the first day of May, August,
    # November, and of the short fifth period, 1 to 14 February 2028 (the term ends on the 14th)
    assert dates(items, "invoice") == [
        dt.date(2027, 2, 15),
        dt.date(2027, 5, 1),
        dt.date(2027, 8, 1),
        dt.date(2027, 11, 1),
        dt.date(2028, 2, 1),
    ]
    items = obs(
        contract(
            PRICING.format(billing="quarterly in arrears", terms="30 days from invoice"),
            effective="2027-02-15",
            term="12 months",
        )
    )
    # the same quarters invoiced on their last day; the last one is cut short by the end of the term
    assert dates(items, "invoice") == [
        dt.date(2027, 4, 30),
        dt.date(2027, 7, 31),
        dt.date(2027, 10, 31),
        dt.date(2028, 1, 31),
        dt.date(2028, 2, 14),
    ]


def test_term_starting_on_29_february() -> None:
    items = obs(
        contract(
            '  milestone m "M" { date: effective + 12 months }\n'
            '  governance { committee y "Yearly" { cadence: every year } }',
            effective="2028-02-29",
            term="24 months",
        )
    )
    assert dates(items, "milestone") == [dt.date(2029, 2, 28)]
    assert dates(items, "meeting") == [dt.date(2028, 2, 29), dt.date(2029, 2, 28)]
    assert dates(items, "end") == [dt.date(2030, 2, 27)]


def test_payment_due_is_the_date_the_terms_give_even_on_a_public_holiday() -> None:
    """The contract states no business-day rule for payments: the calendar moves no due date (issue 16)."""
    # invoice Sunday 31 October 2027 + 1 day = Monday 1 November, la Toussaint: due that day
    text = contract(PRICING.format(billing="monthly in arrears", terms="1 days from invoice"), law="FR")
    pay = {o.related: o for o in obs(text) if o.kind == "payment"}
    assert pay[dt.date(2027, 10, 31)].date == dt.date(2027, 11, 1)
    # 30 June 2027 + 14 days = 14 July, la fête nationale
    text = contract(PRICING.format(billing="monthly in arrears", terms="14 days from invoice"), law="FR")
    pay = {o.related: o for o in obs(text) if o.kind == "payment"}
    assert pay[dt.date(2027, 6, 30)].date == dt.date(2027, 7, 14)


def test_45_days_end_of_month_checked_by_hand_on_the_french_example() -> None:
    r = load(ROOT / "examples" / "comptabilite-fournisseurs.bpo")
    pay = {o.related: o for o in obligations(r.contract, r.resolution) if o.kind == "payment"}
    assert len(pay) == 36
    # 31 Jan + 45 days = 17 March, end of month: 31 March (a Wednesday)
    assert pay[dt.date(2027, 1, 31)].date == dt.date(2027, 3, 31)
    # 31 Aug + 45 days = 15 Oct -> 31 Oct, a Sunday: due that day, as the terms give it
    assert pay[dt.date(2027, 8, 31)].date == dt.date(2027, 10, 31)
    # 30 Nov 2029 + 45 days = 14 Jan 2030 -> 31 Jan 2030, a Thursday
    assert pay[dt.date(2029, 11, 30)].date == dt.date(2030, 1, 31)


def test_notice_exit_and_data_deadlines_of_the_french_example() -> None:
    r = load(ROOT / "examples" / "comptabilite-fournisseurs.bpo")
    items = obligations(r.contract, r.resolution)
    one = {o.kind: o.date for o in items if o.kind not in SERIES_KINDS}
    assert one["end"] == dt.date(2029, 12, 31)
    assert one["renewal_notice"] == dt.date(2029, 10, 1)  # 3 months before the renewal on 1 January 2030
    assert one["exit_plan"] == dt.date(2027, 3, 2)  # effective + 60 days
    assert one["data_return"] == dt.date(2030, 1, 30)  # end + 30 days
    assert one["transition_end"] == dt.date(2030, 6, 30)  # end + 6 months
    assert one["acceptance"] == dt.date(2027, 2, 12)  # 29 January + 10 business days
    # termination for convenience on 6 months' notice, at any time: no last day to give it
    assert [o for o in items if o.kind == "termination_notice"] == []
    assert {o.kind for o in items} <= set(KINDS)


def test_convenience_at_a_contract_year_end_has_its_notice_deadlines(tmp_path: Path) -> None:
    source = (ROOT / "examples" / "comptabilite-fournisseurs.bpo").read_text(encoding="utf-8")
    source = source.replace(
        "      notice: 6 months\n", "      notice: 6 months\n      takes_effect: contract_year_end\n", 1
    )
    assert "takes_effect" in source
    (tmp_path / "c.bpo").write_text(source, encoding="utf-8")
    r = load(tmp_path / "c.bpo")
    items = obligations(r.contract, r.resolution)
    # the end of contract years 1 and 2 (not the last, the end of the term), less 6 months
    assert [o.date for o in items if o.kind == "termination_notice"] == [dt.date(2027, 7, 1), dt.date(2028, 7, 1)]


def test_sla_measurement_periods() -> None:
    body = """  sla a "A" { target: 98%; comparator: at_least; window: monthly }
  sla q "Q" { target: 98%; comparator: at_least; window: quarterly }
  sla r "R" { target: 98%; comparator: at_least; window: rolling 3 months }
  sla d "D" { target: 98%; comparator: at_least; window: daily }"""
    items = obs(contract(body, effective="2027-02-01", term="12 months"))
    per = {}
    for o in items:
        if o.kind == "sla_period":
            per.setdefault(o.source_id, []).append(o.date)
    assert per["a"][:2] == [dt.date(2027, 2, 28), dt.date(2027, 3, 31)] and len(per["a"]) == 12
    assert per["q"] == [dt.date(2027, 4, 30), dt.date(2027, 7, 31), dt.date(2027, 10, 31), dt.date(2028, 1, 31)]
    assert per["r"][0] == dt.date(2027, 4, 30) and len(per["r"]) == 10
    assert "d" not in per
    assert all(o.owed_by == ("pr",) and o.owed_to == ("cl",) for o in items if o.kind == "sla_period")


def test_undated_obligations_are_kept_last_and_left_out_of_exports() -> None:
    text = contract('  milestone m "Unknown date" { date: tbd }')
    items = obs(text)
    assert items[-1].kind == "milestone" and items[-1].date is None
    data, undated = export(parse(text), "csv", "en")
    assert undated == ["Milestone: Unknown date"]
    assert b"Unknown date" not in data


@settings(max_examples=40, deadline=None)
@given(
    start=st.dates(dt.date(2024, 1, 1), dt.date(2035, 12, 31)),
    months=st.integers(1, 30),
    days=st.integers(0, 75),
    eom=st.booleans(),
)
def test_payments_follow_their_invoice_as_the_terms_say(start: dt.date, months: int, days: int, eom: bool) -> None:
    terms = f"{days} days end of month" if eom else f"{days} days from invoice"
    items = obs(
        contract(
            PRICING.format(billing="monthly in arrears", terms=terms),
            effective=start.isoformat(),
            term=f"{months} months",
        )
    )
    end = next(o.date for o in items if o.kind == "end")
    invoices = dates(items, "invoice")
    assert invoices and invoices == sorted(invoices) and invoices[-1] == end
    assert all(start <= d <= end for d in invoices)
    from bpolang.resolve.calendar import month_end

    for o in items:
        if o.kind == "payment":  # the invoice date + the days (then the month's end); no business-day rule is stated
            due = o.related + dt.timedelta(days=days)
            assert o.date == (month_end(due) if eom else due)


# ------------------------------------------------------------------ iCalendar
DST = contract("""  milestone spring "Clocks go forward" { date: 2027-03-28 }
  milestone autumn "Clocks go back" { date: 2027-10-31 }""")


def test_all_day_events_do_not_move_with_daylight_saving() -> None:
    events = {str(e["summary"]): e for e in ics_events(DST)}
    for title, day in (
        ("Milestone: Clocks go forward", dt.date(2027, 3, 28)),
        ("Milestone: Clocks go back", dt.date(2027, 10, 31)),
    ):
        e = events[title]
        start, end = e.decoded("dtstart"), e.decoded("dtend")
        assert type(start) is dt.date and start == day  # a date, not a datetime: no time zone to shift it
        assert type(end) is dt.date and end == day + dt.timedelta(days=1)
        assert e["dtstart"].params.get("VALUE") == "DATE"
    data, _ = export(parse(DST), "ics", "en")
    assert b"DTSTART;VALUE=DATE:20270328\r\n" in data and b"DTEND;VALUE=DATE:20270329\r\n" in data
    assert b"TZID" not in data and b"VTIMEZONE" not in data


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_ics_reads_back(path: Path) -> None:
    r = load(path)
    data, _ = export(r, "ics", r.contract.language)
    cal = Calendar.from_ical(data)
    assert str(cal["prodid"]).startswith("-//bpolang//")
    assert str(cal["version"]) == "2.0"
    events = list(cal.walk("VEVENT"))
    items = [o for o in obligations(r.contract, r.resolution) if o.date is not None]
    assert len(events) == len(items)
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)
    stamp = events[0].decoded("dtstamp")
    for e, o in zip(events, items, strict=True):
        assert e.decoded("dtstart") == o.date
        assert e.decoded("dtend") - e.decoded("dtstart") == dt.timedelta(days=1)
        assert e.decoded("dtstamp") == stamp
        assert str(e["uid"]).startswith(f"{r.contract.id}.{o.kind}.")
        assert e.get("categories") and str(e["description"])
    assert data == export(load(path), "ics", r.contract.language)[0]  # same input, same bytes


def test_uids_are_stable_when_the_contract_changes_elsewhere() -> None:
    base = contract('  milestone a "A" { date: 2027-02-01 }')
    more = contract('  milestone b "B" { date: 2027-01-15 }\n  milestone a "A renamed" { date: 2027-02-01 }')
    uid_a = {str(e["uid"]) for e in ics_events(base) if "A" in str(e["summary"])}
    uid_b = {str(e["uid"]) for e in ics_events(more)}
    assert uid_a == {"c.milestone.a.20270201@bpolang"} and uid_a <= uid_b


def test_dtstamp_comes_from_the_contract() -> None:
    text = contract('  signature_date: 2026-12-15\n  milestone a "A" { date: 2027-02-01 }')
    assert {e.decoded("dtstamp") for e in ics_events(text)} == {dt.datetime(2026, 12, 15, tzinfo=dt.UTC)}


def test_description_says_who_owes_what_to_whom_in_both_languages() -> None:
    text = contract('  deliverable d "Manual" { owner: pr; recipient: cl; due: effective + 10 days }')
    en = next(e for e in ics_events(text, "en") if str(e["summary"]) == "Deliverable: Manual")
    assert "Owed by the Provider to the Client." in str(en["description"])
    assert str(en["categories"].cats[0]) == "Deliverable"
    fr = next(e for e in ics_events(text, "fr") if "Manual" in str(e["summary"]))
    assert "À la charge du Prestataire, au bénéfice du Client." in str(fr["description"])
    assert str(fr["summary"]) == "Livrable\u202f: Manual"


def test_user_text_cannot_break_the_ics_structure() -> None:
    text = contract('  milestone m "Evil\\nBEGIN:VEVENT;x,y" { date: 2027-02-01 }')
    events = ics_events(text)
    assert len(events) == len(obs(text))  # no extra event smuggled in
    assert any("BEGIN:VEVENT;x,y" in str(e["summary"]) for e in events)


# ------------------------------------------------------------------ CSV
def test_csv_header_rows_and_injection() -> None:
    text = contract('  milestone m "=HYPERLINK(1)" { date: 2027-02-01 }')
    data, _ = export(parse(text), "csv", "en")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads the accents right
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["date", "obligation", "kind", "owed by", "owed to", "source id", "rule"]
    m = next(r for r in rows if r[5] == "m")
    assert m[0] == "2027-02-01" and m[2] == "milestone"
    assert m[1] == "Milestone: =HYPERLINK(1)"  # not at the start of the cell: left alone
    text = contract(
        '  milestone m "X" { date: 2027-02-01 }\n  party other o "=cmd|x" { }\n'
        '  deliverable d "D" { owner: o; due: 2027-03-01 }'
    )
    rows = list(csv.reader(io.StringIO(export(parse(text), "csv", "en")[0].decode("utf-8-sig"))))
    assert next(r for r in rows if r[5] == "d")[3] == "'=cmd|x"
    assert data.endswith(b"\r\n")


def test_csv_in_french_uses_the_french_list_separator() -> None:
    text = contract('  milestone m "Lancement, phase 1" { date: 2027-02-01 }')
    data, _ = export(parse(text), "csv", "fr")
    assert data.startswith("\ufeffdate;obligation;type;débiteur;créancier;identifiant;règle\r\n".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    m = next(r for r in rows if r[5] == "m")
    assert m[0] == "2027-02-01" and m[1].endswith("Lancement, phase 1")  # a comma stays in its cell
    assert csv.Sniffer().sniff(data.decode("utf-8-sig")[:1024]).delimiter == ";"


# CSV for every example; iCalendar (the same obligations, 3x the bytes) for the French one, checked by hand.
GOLDEN_CASES = [(p, "csv") for p in EXAMPLES] + [(ROOT / "examples" / "comptabilite-fournisseurs.bpo", "ics")]


@pytest.mark.parametrize(("path", "fmt"), GOLDEN_CASES, ids=lambda v: getattr(v, "stem", v))
def test_golden_exports(path: Path, fmt: str) -> None:
    r = load(path)
    data, _ = export(r, fmt, r.contract.language)
    golden = GOLDEN / f"{path.stem}.{fmt}"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(data)
    assert data == golden.read_bytes()


# ------------------------------------------------------------------ CLI
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["ics", "csv"])
def test_cli_on_every_example(path: Path, fmt: str, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["calendar", str(path), "--to", fmt])
    assert res.exit_code == 0, res.output
    out = tmp_path / f"cal.{fmt}"
    res2 = runner.invoke(main, ["calendar", str(path), "--to", fmt, "-o", str(out), "--lang", "en"])
    assert res2.exit_code == 0 and out.exists()
    assert not list(tmp_path.glob(".*bpo-tmp"))


def test_cli_refuses_a_contract_with_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bpo"
    bad.write_text(contract('  milestone m "M" { date: nowhere + 3 days }'), encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["calendar", str(bad), "--to", "ics"])
    assert res.exit_code == 1 and "BPO014" in res.output and "BEGIN:VCALENDAR" not in res.output
    res = runner.invoke(main, ["calendar", str(bad), "--to", "ics", "--force"])
    assert res.exit_code == 0 and "BEGIN:VCALENDAR" in res.output


def test_cli_missing_file_and_unwritable_output(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["calendar", str(tmp_path / "nope.bpo"), "--to", "csv"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    res = runner.invoke(main, ["calendar", str(EXAMPLES[0]), "--to", "csv", "-o", str(tmp_path / "no" / "x.csv")])
    assert res.exit_code == 2 and res.output.startswith("bpo: error: cannot write")
