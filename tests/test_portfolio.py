"""`bpo summary FOLDER`: the portfolio view, per provider and per master agreement (issue 21, point 4)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from bpolang.cli import main

ROOT = Path(__file__).resolve().parent.parent
MSA = ROOT / "examples" / "msa"
FRENCH = ROOT / "examples" / "comptabilite-fournisseurs.bpo"

# language-clean, but the rules find no client, no provider and no pricing (BPO101 x2, BPO301)
NO_PARTIES = """contract np "Sans parties" {
  language: fr
  governing_law: FR
  effective: 2027-01-01
  term: 12 months
}
"""


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def folder(tmp_path: Path, monkeypatch) -> Path:
    """A copy of examples/msa as the current folder."""
    shutil.copytree(MSA, tmp_path / "deal")
    monkeypatch.chdir(tmp_path / "deal")
    return tmp_path / "deal"


def as_json(*args: str) -> tuple[int, dict]:
    res = invoke("summary", *args, "--output-format", "json", "--as-of", "2027-01-01")
    return res.exit_code, json.loads(res.stdout)


def single(path: str) -> dict:
    res = invoke("summary", path, "--output-format", "json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_the_msa_folder_counts_each_statement_of_work_once_under_its_master(tmp_path, monkeypatch):
    folder(tmp_path, monkeypatch)
    code, doc = as_json(".")
    assert code == 0
    assert doc["contracts"] == 2
    [provider] = doc["providers"]
    assert provider["name"] == "Clearline Contact Solutions Ltd"
    [group] = provider["groups"]  # the master is a group, not a third contract
    assert group["master"]["path"] == "msa.bpo"
    assert group["master"]["title"] == "Master Business Process Services Agreement"
    assert group["master"]["end"] == "2032-03-31"  # effective 2027-04-01 + 60 months
    assert [c["id"] for c in group["contracts"]] == ["northwind_sow2", "northwind_sow1"]
    sow2 = group["contracts"][0]
    # 1200 complaints a month at 38.50 GBP over 24 months
    assert Decimal(sow2["value"]) == 1200 * Decimal("38.50") * 24
    assert sow2["value_complete"] is True
    # each statement of work as `bpo summary FILE` gives it, the composed contract
    for c in group["contracts"]:
        alone = single(c["path"])
        assert c["value"] == alone["value"]["total"]
        credits = [e["yearly"] for e in alone["exposure"] if e["kind"] == "credit_regime"]
        assert Decimal(c["credits_worst_year"]) == sum(Decimal(x) for x in credits)
    [total] = provider["totals"]
    assert total["currency"] == "GBP" and total["contracts"] == 2
    assert Decimal(total["value"]) == sum(Decimal(c["value"]) for c in group["contracts"])
    # one SOW leaves a price out: the total says it is a lower bound
    assert total["value_complete"] is False
    assert [(s["path"], s["reason"]) for s in doc["not_counted"]] == [
        ("schedules/clauses.bpo", "schedule"),
        ("schedules/dpa.bpo", "schedule"),
    ]


def test_the_deadlines_are_the_calendars_and_start_at_the_reference_date(tmp_path, monkeypatch):
    folder(tmp_path, monkeypatch)
    cal = invoke("calendar", "sow-complaints.bpo", "--to", "csv")
    rows = csv.DictReader(io.StringIO(cal.stdout.lstrip("\ufeff")))
    notices = sorted(r["date"] for r in rows if r["kind"].endswith("notice"))
    after = (dt.date.fromisoformat(notices[-1]) + dt.timedelta(days=1)).isoformat()
    for as_of in ("2027-01-01", notices[0], after):
        res = invoke("summary", ".", "--output-format", "json", "--as-of", as_of)
        doc = json.loads(res.stdout)
        sow2 = doc["providers"][0]["groups"][0]["contracts"][0]
        upcoming = [d for d in notices if d >= as_of]
        assert (sow2["next_notice"] and sow2["next_notice"]["date"]) == (upcoming[0] if upcoming else None)
        dates = [d["date"] for d in doc["deadlines"]]
        assert dates == sorted(dates) and all(d >= as_of for d in dates)
    # after every end: nothing upcoming, said as such
    res = invoke("summary", ".", "--as-of", "2040-01-01")
    assert "No notice deadline or end on or after 1 January 2040." in res.stdout
    late = json.loads(invoke("summary", ".", "--output-format", "json", "--as-of", "2040-01-01").stdout)
    assert late["deadlines"] == []


def test_a_broken_file_is_listed_in_one_line_and_the_rest_is_counted(tmp_path, monkeypatch):
    deal = folder(tmp_path, monkeypatch)
    (deal / "broken.bpo").write_text('contract b "B" {\n  term: = 12\n}\n', encoding="utf-8")
    (deal / "latin1.bpo").write_bytes(b'contract c "\xe9" {}\n')
    # a statement of work whose prices are in another currency than the master's caps
    text = (deal / "sow-complaints.bpo").read_text(encoding="utf-8").replace("GBP", "EUR")
    (deal / "sow-eur.bpo").write_text(text.replace("northwind_sow2", "northwind_sow3"), encoding="utf-8")
    code, doc = as_json(".")
    assert code == 1  # errors, as `bpo check`
    assert doc["contracts"] == 2
    skipped = {s["path"]: s for s in doc["not_counted"]}
    assert skipped["broken.bpo"]["reason"] == "errors"
    assert skipped["broken.bpo"]["first"].startswith("broken.bpo:2:9: BPO002")
    assert skipped["latin1.bpo"]["first"].startswith("latin1.bpo:1:") and "BPO003" in skipped["latin1.bpo"]["first"]
    # the error is in the master's lines, where the term is written
    assert skipped["sow-eur.bpo"]["first"].startswith("msa.bpo:") and "BPO302" in skipped["sow-eur.bpo"]["first"]
    table = invoke("summary", ".", "--as-of", "2027-01-01")
    assert table.exit_code == 1
    lines = [ln for ln in table.stdout.splitlines() if ln.startswith(("broken.bpo", "latin1.bpo", "sow-eur.bpo"))]
    assert len(lines) == 3 and all("errors: " in ln for ln in lines)
    check = invoke("check", ".")
    assert check.exit_code == code


def test_an_unreadable_file_exits_2_and_is_listed(tmp_path, monkeypatch):
    folder(tmp_path, monkeypatch)
    code, doc = as_json(".", "missing.bpo")
    assert code == 2
    [missing] = [s for s in doc["not_counted"] if s["reason"] == "unreadable"]
    assert missing["path"] == "missing.bpo" and "no such file" in missing["first"]
    assert doc["contracts"] == 2


def test_force_counts_a_contract_with_errors_and_still_exits_1(tmp_path, monkeypatch):
    deal = folder(tmp_path, monkeypatch)
    (deal / "np.bpo").write_text(NO_PARTIES, encoding="utf-8")
    code, doc = as_json(".")
    assert code == 1 and doc["contracts"] == 2
    code, doc = as_json(".", "--force")
    assert code == 1 and doc["contracts"] == 3
    nobody = [p for p in doc["providers"] if p["name"] is None]
    [group] = nobody[0]["groups"]
    assert group["master"] is None
    assert group["contracts"][0]["errors"] == 3 and group["contracts"][0]["value"] is None
    assert nobody[0]["totals"] == []  # no currency, no total
    table = invoke("summary", ".", "--force", "--as-of", "2027-01-01").stdout
    assert "Provider: no provider named" in table and "counted despite errors: 3" in table


def test_amounts_are_added_within_one_currency_only(tmp_path, monkeypatch):
    deal = folder(tmp_path, monkeypatch)
    # a contract in euros, with the same provider, under no master
    text = FRENCH.read_text(encoding="utf-8").replace('"ComptaPlus SARL"', '"Clearline Contact Solutions Ltd"')
    (deal / "euro.bpo").write_text(text, encoding="utf-8")
    code, doc = as_json(".")
    assert code == 0
    [provider] = doc["providers"]
    assert [t["currency"] for t in provider["totals"]] == ["EUR", "GBP"]
    eur = provider["totals"][0]
    assert eur["contracts"] == 1 and eur["value"] == single("euro.bpo")["value"]["total"]
    assert [g["master"] and g["master"]["path"] for g in provider["groups"]] == [None, "msa.bpo"]


def test_statements_of_work_named_alone_are_grouped_under_their_master(tmp_path, monkeypatch):
    folder(tmp_path, monkeypatch)
    code, doc = as_json("sow-complaints.bpo", "sow-contact-centre.bpo")
    assert code == 0
    [group] = doc["providers"][0]["groups"]
    assert group["master"]["title"] == "Master Business Process Services Agreement"
    assert group["master"]["end"] is None  # the master's file is not in the set: its dates are not given
    assert len(group["contracts"]) == 2


def test_markdown_and_french_say_the_same_figures(tmp_path, monkeypatch):
    deal = folder(tmp_path, monkeypatch)
    text = FRENCH.read_text(encoding="utf-8").replace('contract acme_ap "', 'contract acme_ap "A | <b>B</b> ')
    (deal / "euro.bpo").write_text(text, encoding="utf-8")
    en = json.loads(invoke("summary", ".", "--output-format", "json", "--as-of", "2027-01-01").stdout)
    fr = json.loads(invoke("summary", ".", "--output-format", "json", "--as-of", "2027-01-01", "--lang", "fr").stdout)

    def figures(doc: dict) -> list:
        return [(c["path"], c["value"], c["credits_worst_year"], c["next_notice"]["date"]) for c in _contracts(doc)]

    assert figures(en) == figures(fr)
    md = invoke("summary", ".", "--output-format", "md", "--as-of", "2027-01-01").stdout
    assert "## Provider: Clearline Contact Solutions Ltd" in md
    assert "Under the master agreement Master Business Process Services Agreement (msa.bpo):" in md
    assert "| Statement of Work 2 — Complaint Handling | sow-complaints.bpo | £1,108,800.00 |" in md
    # the user's title is text: its bar does not split the cell, its tag is not markup
    row = next(ln for ln in md.splitlines() if ln.startswith("| A "))
    assert "\\<b\\>" in row and len(re.findall(r"(?<!\\)\|", row)) == 9
    frt = invoke("summary", ".", "--lang", "fr", "--as-of", "2027-01-01").stdout
    assert "Sous l’accord-cadre Master Business Process Services Agreement (msa.bpo)\u202f:" in frt
    # the amount worded as the French key figures of the statement of work word it
    amount = "1\u202f108\u202f800,00\u202fGBP"
    assert amount in invoke("summary", "sow-complaints.bpo", "--lang", "fr").stdout and amount in frt


def _contracts(doc: dict) -> list[dict]:
    return [c for p in doc["providers"] for g in p["groups"] for c in g["contracts"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["empty"], "no .bpo files found in empty"),
        (["empty", "-"], "not standard input"),
        (["sow-complaints.bpo", "--as-of", "2027-01-01"], "--as-of is for a portfolio"),
        (["empty", "--as-of", "2027-13-01"], "2027-13-01"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(tmp_path, monkeypatch, args, message):
    deal = folder(tmp_path, monkeypatch)
    (deal / "empty").mkdir()
    res = invoke("summary", *args)
    assert res.exit_code == 2
    assert message in res.stderr and res.stdout == ""


def test_a_folder_of_odd_files_gives_no_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("empty.bpo").write_text("", encoding="utf-8")
    Path("only-schedule.bpo").write_text('schedule s "S" {\n  under: "x.bpo"\n}\n', encoding="utf-8")
    Path("loop.bpo").write_text('contract l "L" {\n  under: "loop.bpo"\n}\n', encoding="utf-8")
    Path("sub.bpo").mkdir()
    Path("bom.bpo").write_bytes(b"\xef\xbb\xbf" + NO_PARTIES.encode())
    for fmt in ("table", "md", "json"):
        res = invoke("summary", ".", "--output-format", fmt, "--as-of", "2027-01-01")
        assert res.exit_code == 1, res.output
        for name in ("empty.bpo", "only-schedule.bpo", "loop.bpo", "bom.bpo"):
            assert name in res.stdout


def warned() -> str:
    """The French example without its confidentiality block: a warning (BPO801), its error ignored."""
    text = re.sub(r"\n  confidentiality \{.*?\n  \}", "", FRENCH.read_text(encoding="utf-8"), flags=re.S)
    return "# bpo: ignore-file[BPO703]\n" + text


@pytest.mark.parametrize(
    ("fail_on", "errors", "code"),
    [("never", True, 0), ("error", True, 1), ("error", False, 0), ("warning", False, 1)],
)
def test_the_exit_code_follows_fail_on_as_bpo_check(tmp_path, monkeypatch, fail_on, errors, code):
    deal = folder(tmp_path, monkeypatch)
    (deal / "bpolang.toml").write_text(f'fail-on = "{fail_on}"\n', encoding="utf-8")
    (deal / "extra.bpo").write_text(NO_PARTIES if errors else warned(), encoding="utf-8")
    assert "BPO801" in invoke("check", "extra.bpo", "--output-format", "concise").stdout or errors
    res = invoke("summary", ".", "--output-format", "json", "--as-of", "2027-01-01")
    assert res.exit_code == invoke("check", ".").exit_code == code
    # counted or not does not depend on fail-on: a contract with errors is never counted without --force
    doc = json.loads(res.stdout)
    assert doc["contracts"] == (2 if errors else 3)
    assert [s["path"] for s in doc["not_counted"] if s["reason"] == "errors"] == (["extra.bpo"] if errors else [])
