"""`bpo calendar FOLDER` and `bpo calendar MASTER --sows`: the calendar of a master with the statements
of work under it, each obligation labelled with its contract, the master's listed once."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

import bpolang
from bpolang.cli import main
from bpolang.obligations.compute import obligations

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "msa"
FILES = {
    "msa.bpo": "Master Business Process Services Agreement",
    "sow-complaints.bpo": "Statement of Work 2 — Complaint Handling",
    "sow-contact-centre.bpo": "Statement of Work 1 — Inbound Customer Telephony",
}


def rows(output: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output.lstrip("\ufeff")), delimiter=delimiter))


def test_a_folder_s_calendar_lists_each_obligation_once_labelled_with_its_contract(deal: Path):
    done = CliRunner().invoke(main, ["calendar", ".", "--to", "csv"])
    assert done.exit_code == 0, done.output
    found = rows(done.stdout)
    assert {(r["file"], r["contract"]) for r in found} == set(FILES.items())
    keys = Counter((r["kind"], r["source id"], r["date"]) for r in found)
    assert max(keys.values()) == 1  # the master's obligations are not repeated by each SOW
    # every dated obligation of every contract is in it: each key once, under the first that has it
    expected: dict[tuple[str, str, str], str] = {}
    for name in FILES:  # the master first
        result = bpolang.load(deal / name)
        for o in obligations(result.contract, result.resolution):
            if o.date is not None:
                expected.setdefault((o.kind, o.source_id or "", o.date.isoformat()), name)
    assert {(r["kind"], r["source id"], r["date"]): r["file"] for r in found} == expected
    # what a SOW has of its own is labelled with it: its own end, shorter than the master's term
    ends = {r["file"]: r["date"] for r in found if r["kind"] == "end"}
    assert ends["sow-complaints.bpo"] < ends["msa.bpo"]
    assert [r["date"] for r in found] == sorted(r["date"] for r in found)


def test_a_master_with_its_statements_of_work_is_the_same_as_its_folder(deal: Path):
    folder = CliRunner().invoke(main, ["calendar", ".", "--to", "csv", "--lang", "fr"])
    master = CliRunner().invoke(main, ["calendar", "msa.bpo", "--sows", "--to", "csv", "--lang", "fr"])
    assert master.exit_code == 0, master.output
    assert master.stdout == folder.stdout
    assert master.stdout.lstrip("\ufeff").startswith("fichier;contrat;date;")
    assert len(rows(master.stdout, ";")) > 100


def test_the_ics_names_each_event_s_contract(deal: Path):
    done = CliRunner().invoke(main, ["calendar", "msa.bpo", "--sows", "--to", "ics"])
    assert done.exit_code == 0, done.output
    text = done.stdout.replace("\r\n ", "")  # unfolded
    summaries = [line[len("SUMMARY:") :] for line in text.splitlines() if line.startswith("SUMMARY:")]
    assert summaries and all(any(s.startswith(t + " — ") for t in FILES.values()) for s in summaries)
    assert {t for t in FILES.values() if any(s.startswith(t) for s in summaries)} == set(FILES.values())
    uids = [line for line in text.splitlines() if line.startswith("UID:")]
    assert len(uids) == len(set(uids)) == len(summaries)
    assert "X-WR-CALNAME:Master Business Process Services Agreement" in text
    assert len(summaries) == len(rows(CliRunner().invoke(main, ["calendar", ".", "--to", "csv"]).stdout))


def test_a_contract_with_errors_is_left_out_and_said(deal: Path):
    text = (deal / "sow-complaints.bpo").read_text(encoding="utf-8")
    (deal / "sow-complaints.bpo").write_text(text.replace("term: 24 months", "term: 24 monthz"), encoding="utf-8")
    done = CliRunner().invoke(main, ["calendar", ".", "--to", "csv"])
    assert done.exit_code == 1
    assert "bpo: sow-complaints.bpo is not in the calendar: sow-complaints.bpo:" in done.stderr
    assert {r["file"] for r in rows(done.stdout)} == {"msa.bpo", "sow-contact-centre.bpo"}


def test_sows_is_for_a_master(deal: Path):
    done = CliRunner().invoke(main, ["calendar", "sow-complaints.bpo", "--sows", "--to", "csv"])
    assert done.exit_code == 2
    assert "--sows is for a master agreement: sow-complaints.bpo is a statement of work under msa.bpo" in done.output
    one = CliRunner().invoke(main, ["calendar", "sow-complaints.bpo", "--to", "csv"])
    assert one.exit_code == 0 and one.stdout.lstrip("\ufeff").startswith("date,")  # one contract: as before
