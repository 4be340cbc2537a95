"""The shipped examples: clean, checked clean by `bpo check`, and their model pinned by golden JSON.

``tests/golden/<stem>.json`` holds ``result.contract.model_dump(mode="json",
exclude_none=True)`` of ``examples/<stem>.bpo`` (indent 2, sorted keys, UTF-8,
final newline), so any change in how an example is read shows up as a readable
diff.  After an intended change, regenerate the files and review the diff::

    BPO_UPDATE_GOLDEN=1 python -m pytest tests/test_examples.py

With the variable set, the golden files are rewritten and the comparison is
skipped; without it, a missing golden file is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import bpolang

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.bpo"))
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("BPO_UPDATE_GOLDEN") == "1"

LANGUAGE_CODES = {f"BPO0{n:02}" for n in range(100)}


def golden_text(path: Path) -> str:
    result = bpolang.load(path)
    assert result.contract is not None, [d.message for d in result.diagnostics]
    data = result.contract.model_dump(mode="json", exclude_none=True)
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def test_there_are_four_examples():
    assert [p.name for p in EXAMPLES] == [
        "back-office-tiered.bpo",
        "centre-contacts-en.bpo",
        "comptabilite-fournisseurs.bpo",
        "paie-rh.bpo",
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_has_no_language_diagnostics(path: Path):
    result = bpolang.load(path)
    assert result.contract is not None
    language = [
        f"{d.span.line}:{d.span.col} {d.code} {d.message}" for d in result.diagnostics if d.code in LANGUAGE_CODES
    ]
    assert language == []
    assert result.resolution is not None
    assert result.resolution.effective is not None and result.resolution.end is not None


def test_bpo_check_examples_exits_0():
    # examples/real is checked too: its findings are printed (its bpolang.toml sets
    # `fail-on = "never"`, its ledger lists them) and do not fail the run
    proc = subprocess.run(
        [sys.executable, "-m", "bpolang", "check", str(REPO / "examples")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_golden_model(path: Path):
    target = GOLDEN / f"{path.stem}.json"
    text = golden_text(path)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        return
    assert target.exists(), f"missing {target}: run with BPO_UPDATE_GOLDEN=1 and review the new file"
    expected = target.read_text(encoding="utf-8")
    if text != expected:
        import difflib

        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), text.splitlines(keepends=True), str(target), "current", n=2
            )
        )
        pytest.fail(f"the model of {path.name} changed (BPO_UPDATE_GOLDEN=1 to accept):\n{diff[:8000]}")


def test_golden_is_deterministic():
    path = REPO / "examples" / "paie-rh.bpo"
    assert golden_text(path) == golden_text(path)


# ---------------------------------------------------------------- sanity of the golden files
# Spot checks written from the example texts by hand: they fail if a golden file was
# regenerated from a wrong model, not only when the model changes.


def _golden(stem: str) -> dict:
    return json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(UPDATE, reason="golden files are being rewritten")
def test_golden_comptabilite_fournisseurs_by_hand():
    g = _golden("comptabilite-fournisseurs")
    assert g["id"] == "acme_ap"
    assert g["title"] == "Externalisation de la comptabilité fournisseurs"
    assert g["language"] == "fr"
    assert g["governing_law"] == "FR"
    # dates are ISO strings
    assert g["effective"]["date"] == "2027-01-01"
    assert g["signature_date"]["date"] == "2026-11-30"
    # durations keep their unit, amounts are exact decimal strings
    assert {k: g["term"][k] for k in ("amount", "unit", "kind")} == {
        "amount": "36",
        "unit": "months",
        "kind": "duration",
    }
    assert g["renewal"]["kind"] == "tacit"
    assert g["renewal"]["period"]["amount"] == "12" and g["renewal"]["notice"]["amount"] == "3"
    assert [(p["role"], p["id"]) for p in g["parties"]] == [("client", "acme"), ("provider", "comptaplus")]
    volume = g["services"][0]["volume"]
    assert (volume["amount"], volume["unit"], volume["per"]) == ("2000", "invoices", "month")
    kickoff, knowledge_transfer = g["milestones"][0], g["milestones"][1]
    assert kickoff["date"]["anchor"] == "effective"
    assert knowledge_transfer["date"]["anchor"] == "kickoff"
    assert knowledge_transfer["date"]["offsets"][0]["duration"]["amount"] == "4"
    assert knowledge_transfer["date"]["offsets"][0]["duration"]["unit"] == "weeks"
    assert g["service_levels"][0]["target"]["value"] == "98"
    fees = {f["id"]: f["value"] for f in g["pricing"]["fees"]}
    assert fees["run"]["amount"] == {
        "amount": "8500",
        "currency": "EUR",
        "kind": "money",
        "span": fees["run"]["amount"]["span"],
    }
    assert fees["run"]["schedule"] == "every_month"
    assert fees["setup"]["schedule"] == "once" and fees["setup"]["at"]["id"] == "first_close"
    extra_invoice = g["pricing"]["units"][0]["value"]
    assert (extra_invoice["price"]["amount"], extra_invoice["per"]) == ("1.20", "invoice")  # trailing zero kept
    assert g["pricing"]["payment_terms"]["start"] == "end_of_month"
    report = g["deliverables"][1]["due"]
    assert report["kind"] == "recurrence" and report["frequency"] == "month" and report["business_day"] == 5
    # spans are plain 1-based positions
    assert g["span"]["line"] == 3 and g["span"]["col"] == 1


@pytest.mark.skipif(UPDATE, reason="golden files are being rewritten")
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_golden_amounts_are_strings_and_dates_iso(path: Path):
    import re

    g = _golden(path.stem)
    moneys, dates = [], []
    stack = [g]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            if cur.get("kind") == "money":
                moneys.append(cur)
            if cur.get("kind") == "date_expr" and "date" in cur:
                dates.append(cur["date"])
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
    assert moneys, "every example has amounts of money"
    for m in moneys:
        assert isinstance(m["amount"], str) and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", m["amount"]), m
        assert re.fullmatch(r"[A-Z]{3}", m["currency"]), m
    for d in dates:
        assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", d), d
    text = (GOLDEN / f"{path.stem}.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and "\r" not in text
