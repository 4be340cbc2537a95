"""`bpo render` of a statement of work: the statement of work as itself, referring to the master's
articles for what it inherits; `--consolidated` for the whole contract it makes with its master."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from commitments import LOCALES, _marked
from test_bilingual import discrepancies
from test_provenance import STRUCTURAL

import bpolang
from bpolang.cli import main
from bpolang.render import document
from bpolang.render.ir import pieces
from bpolang.render.sow import statement_of_work

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "msa"
SOWS = [EXAMPLES / "sow-complaints.bpo", EXAMPLES / "sow-contact-centre.bpo"]


def _own(path: Path) -> dict[str, list]:
    result = bpolang.load(path)
    with _marked():
        return {lang: pieces(statement_of_work(result, lang)) for lang in LOCALES}


def _numbers(path: Path, lang: str) -> dict[str, tuple[str, str]]:
    """The master's own articles in ``lang``: key -> (number, title), as its own document numbers them."""
    master = bpolang.load(path)
    return {a.key: (a.number, a.title) for a in document(master.contract, master.resolution, lang).articles}


@pytest.mark.parametrize("path", SOWS, ids=lambda p: p.name)
def test_every_sentence_has_a_source_and_both_languages_say_the_same(path: Path):
    found = _own(path)
    for lang, ps in found.items():
        unsourced = [
            (p.section, p.text[:80])
            for p in ps
            if not p.origin.sources and not (p.origin.keys and set(p.origin.keys) <= set(STRUCTURAL))
        ]
        assert not unsourced, (lang, unsourced)
    count, problems = discrepancies(path, found)
    assert count > 30
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_master_s_articles_are_named_by_the_master_s_own_numbers(lang: str):
    master = _numbers(EXAMPLES / "msa.bpo", lang)
    text = "\n".join(p.text for p in _own(EXAMPLES / "sow-complaints.bpo")[lang] if p.section == "documents")
    said = {
        (n, title.strip("\x0e\x0f")): None
        for n, title in re.findall(r"Article (\d+) \(([^)]*)\)", text.replace("\u202f", " "))
    }
    # every article of the master that states a term the SOW inherits, by the master's numbering
    for key in ("liability", "confidentiality", "law", "clause:compelled_disclosure", "clause:audit_costs"):
        number, title = master[key]
        assert any(n == number for n, _t in said), (key, number, said)
    # each such sentence states the inherited terms it refers to (its sources)
    number = master["liability"][0]
    (sentence,) = [p for p in _own(EXAMPLES / "sow-complaints.bpo")[lang] if f"Article {number} (" in p.text]
    assert {"liability[overall]", "liability[client_general]", "insurance[pi]"} <= set(sentence.origin.sources)
    # and none of the articles the SOW sets itself
    assert not any(master.get(k, ("?",))[0] == n for k in ("scope", "service_levels", "prices") for n, _t in said)


def test_the_references_follow_the_master_s_numbering(tmp_path: Path):
    root = tmp_path / "deal"
    shutil.copytree(EXAMPLES, root)
    (root / "bpolang.toml").write_text("", encoding="utf-8")
    before = _numbers(root / "msa.bpo", "en")["law"][0]
    msa = (root / "msa.bpo").read_text(encoding="utf-8")
    start = msa.index("  continuity {")
    (root / "msa.bpo").write_text(msa[:start] + msa[msa.index("  }\n", start) + 4 :], encoding="utf-8")
    after = _numbers(root / "msa.bpo", "en")["law"][0]
    assert int(after) == int(before) - 1  # one article fewer before the governing law
    text = " ".join(p.text for p in pieces(statement_of_work(bpolang.load(root / "sow-complaints.bpo"), "en")))
    assert f"Article {after} (Governing law and jurisdiction)" in text
    assert "(Business continuity)" not in text


def test_bpo_render_renders_the_statement_of_work_and_the_consolidated_contract_on_request(monkeypatch):
    monkeypatch.chdir(EXAMPLES)
    own = CliRunner().invoke(main, ["render", "sow-complaints.bpo", "--to", "md"])
    assert own.exit_code == 0, own.output
    whole = CliRunner().invoke(main, ["render", "sow-complaints.bpo", "--to", "md", "--consolidated"])
    assert whole.exit_code == 0, whole.output
    law = _numbers(EXAMPLES / "msa.bpo", "en")["law"][0]
    said = (
        f"The terms of the master agreement (northwind\\_msa), Article {law} (Governing law and jurisdiction), apply."
    )
    assert said in own.output and said not in whole.output
    # the master's terms are written out only in the consolidated contract; the SOW's own in both
    for master_term in (
        "Provider overall liability cap",
        "Courts of England and Wales",
        "A party required by law, regulation or a court",  # the master's clause from the library
    ):
        assert master_term not in own.output and master_term in whole.output, master_term
    for sow_term in ("Complaint handling", "Travel and expenses", "Northwind Energy Supply Limited"):
        assert sow_term in own.output and sow_term in whole.output, sow_term
    fr = CliRunner().invoke(main, ["render", "sow-complaints.bpo", "--to", "md", "--lang", "fr"]).output
    assert (
        f"Les stipulations du contrat-cadre (northwind\\_msa), Article {_numbers(EXAMPLES / 'msa.bpo', 'fr')['law'][0]}"
        " (Droit applicable et attribution de juridiction), s’appliquent." in fr
    )


def test_a_contract_without_a_master_renders_the_same_with_or_without_consolidated(monkeypatch):
    monkeypatch.chdir(EXAMPLES)
    one = CliRunner().invoke(main, ["render", "msa.bpo", "--to", "md"]).output
    assert one == CliRunner().invoke(main, ["render", "msa.bpo", "--to", "md", "--consolidated"]).output
    assert statement_of_work(bpolang.load(EXAMPLES / "msa.bpo"), "en") is None
