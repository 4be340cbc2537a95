"""`bpo diff`: the model comparison, its sentences, the JSON form and the draft amendment.

Edits are made to copies of the shipped examples.  Golden outputs live in
tests/golden_diff/; regenerate with BPO_UPDATE_GOLDEN=1 and review the diff by reading it.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import typing
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from docx_reader import Package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_render import digest_images  # the timeline's image data as a digest, as in the render goldens

import bpolang
from bpolang.cli import main
from bpolang.diff import canonical, compare
from bpolang.diff.engine import BLOCK, BLOCKS, EXCLUDED, ITEMS, KEY, SET, VALUE, block_classes, kind_of, plan
from bpolang.diff.sentences import Phraser, describe, enum_values
from bpolang.format.printer import print_contract
from bpolang.i18n import catalog
from bpolang.model import contract as C
from bpolang.model.compare import semantic_dump

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))
FR_EXAMPLE = ROOT / "examples" / "comptabilite-fournisseurs.bpo"
EN_EXAMPLE = ROOT / "examples" / "centre-contacts-en.bpo"
GOLDEN = Path(__file__).resolve().parent / "golden_diff"
UPDATE = os.environ.get("BPO_UPDATE_GOLDEN") == "1"
NB = "\u202f"


def fr(text: str) -> str:
    """Expected French text written with `_` for the narrow no-break space."""
    return text.replace("_", NB)


def edited(tmp_path: Path, example: Path, *edits: tuple[str, str], name: str = "new.bpo") -> Path:
    """A copy of an example with exact text replacements (each must apply once)."""
    text = example.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    out = tmp_path / name
    out.write_text(text, encoding="utf-8")
    return out


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["diff", *args])
    return result.exit_code, result.stdout, result.stderr


def sentences(*args: str) -> list[str]:
    code, out, err = run(*args, "--output-format", "json")
    assert code in (0, 1), err
    return [c["sentence"] for c in json.loads(out)["changes"]]


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} differs; BPO_UPDATE_GOLDEN=1 regenerates it"


# ---------------------------------------------------------------- structure of the comparison


def test_every_field_of_every_block_class_is_compared_or_excluded():
    classes = block_classes()
    declared = {
        c for c in vars(C).values() if isinstance(c, type) and issubclass(c, C.Node) and c not in (C.Node, C.Element)
    }
    assert declared <= set(classes), declared - set(classes)
    for cls in classes:
        how = plan(cls)
        assert set(how) | (EXCLUDED & set(cls.model_fields)) == set(cls.model_fields), cls
        assert not set(how) & EXCLUDED
        assert set(how.values()) <= {BLOCK, BLOCKS, ITEMS, SET, VALUE, KEY}
        if issubclass(cls, C.Element) and cls is not C.Contract:
            assert how["id"] == KEY


def _paths(node, prefix=()):
    """(path to an owner block, field) for every field holding something in a model."""
    for name, how in plan(type(node)).items():
        value = getattr(node, name)
        if how == KEY or value is None or value == [] or value == {}:
            continue
        yield prefix, name
        if how == BLOCK:
            yield from _paths(value, prefix + ((name, None),))
        elif how == BLOCKS:
            for i, el in enumerate(value):
                yield from _paths(el, prefix + ((name, i),))


def _follow(node, path):
    for name, i in path:
        node = getattr(node, name) if i is None else getattr(node, name)[i]
    return node


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_clearing_any_field_of_an_example_is_reported_at_that_field(example: Path):
    contract = bpolang.load(example).contract
    meaning = canonical(contract)
    count = 0
    for path, name in _paths(contract):
        changed = contract.model_copy(deep=True)
        owner = _follow(changed, path)
        value = getattr(owner, name)
        default = [] if isinstance(value, list) else {} if isinstance(value, dict) else None
        object.__setattr__(owner, name, default)
        changes = compare(contract, changed)
        assert changes, (path, name)
        # the translations cleared: each reported at the text it translated, in its language
        assert any(
            c.key == name or (c.key is None and c.change == "removed") or (name == "translations" and c.translation)
            for c in changes
        ), (path, name)
        assert canonical(changed) != meaning
        before, after = (
            SimpleNamespace(contract=contract, resolution=None),
            SimpleNamespace(contract=changed, resolution=None),
        )
        for lang in ("fr", "en"):
            assert all(c.sentence for c in describe(changes, before, after, lang))
        count += 1
    assert count > 300  # the examples use most of the language


def test_every_key_and_word_has_a_label_in_both_languages():
    a = bpolang.load(FR_EXAMPLE)
    for lang in ("fr", "en"):
        p = Phraser(lang, a, a)
        render = catalog(lang)["MESSAGES"]
        for cls in block_classes():
            for name, how in plan(cls).items():
                if name == "translations":
                    continue  # a translation is named by the label of the text it translates
                if how in (VALUE, SET, ITEMS) or (cls, name) == (C.Governance, "escalation"):
                    assert p.label(cls, name), (cls, name)
                for value in enum_values(cls, name):
                    key = f"enum_{name}_{value}"
                    prefixed = {"gdpr_role": "gdpr_", "model": "model_", "basis": "basis_"}.get(name, "") + value
                    assert key in p.msg or (prefixed in render and prefixed != value), (cls, name, value)
            kind = "kind_" + kind_of(cls.model_construct())
            assert kind in p.msg and kind.replace("kind_", "kind_de_") in p.msg, cls


def test_the_renderer_labels_used_exist_in_both_languages():
    from bpolang.diff.sentences import RENDER_ENUMS, RENDER_LABELS

    for lang in ("fr", "en"):
        render = catalog(lang)["MESSAGES"]
        assert set(RENDER_LABELS.values()) <= set(render), lang
        for prefix in RENDER_ENUMS.values():
            assert any(k.startswith(prefix) for k in render), prefix


# ---------------------------------------------------------------- real edits


def test_identical_files_have_no_difference_and_exit_0():
    code, out, _ = run(str(FR_EXAMPLE), str(FR_EXAMPLE))
    assert code == 0
    assert out.rstrip().endswith("Aucune différence de fond.")


def test_reordered_blocks_reformatting_and_comments_make_no_difference(tmp_path: Path):
    text = FR_EXAMPLE.read_text(encoding="utf-8")
    # swap two services, two milestones' order inside lists of ids, add comments and blank lines, re-indent
    a = text.index('  service invoice_entry "')
    b = text.index('  service supplier_payments "')
    c = text.index('  service supplier_desk "')
    text = text[:a] + text[b:c] + text[a:b] + text[c:]
    text = text.replace("channels: [portal, email]", "channels: [email,   portal]  # ordre sans importance")
    text = text.replace("  pricing {\n", "  # grille révisée\n\n  pricing   {\n")
    text = text.replace(
        "    step: below 98% credit 1% of monthly_fees\n    step: below 96% credit 3% of monthly_fees\n",
        "    step: below 96% credit 3% of monthly_fees\n    step: below 98% credit 1% of monthly_fees\n",
    )
    text = text.replace("de solliciter ou d’embaucher un salarié", "de solliciter   ou d’embaucher\n   un salarié")
    text = text.replace('  exclude "Conseil fiscal et juridique" / en: "Tax and legal advice"\n', "")
    text = text.replace(
        '  exclude "Comptabilité clients',
        '  exclude "Conseil fiscal et juridique" / en: "Tax and legal advice"\n  exclude "Comptabilité clients',
    )
    new = tmp_path / "reordered.bpo"
    new.write_text(text, encoding="utf-8")
    assert not bpolang.load(new).has_errors
    assert semantic_dump(bpolang.load(new).contract) != semantic_dump(bpolang.load(FR_EXAMPLE).contract)
    code, out, _ = run(str(FR_EXAMPLE), str(new))
    assert code == 0, out
    assert "Aucune différence de fond." in out


# (example, text replaced, replacement, extra arguments, the one sentence expected)
ONE_SENTENCE = [
    pytest.param(
        FR_EXAMPLE,
        'fee run "Forfait mensuel" / en: "Monthly fee": 8500 EUR',
        'fee run "Forfait mensuel" / en: "Monthly fee": 9200 EUR',
        (),
        fr("Redevance «_Forfait mensuel_» — Prix_: 8_500,00_€ par mois → 9_200,00_€ par mois"),
        id="price",
    ),
    pytest.param(
        EN_EXAMPLE,
        "payment_terms: 30 days from receipt",
        "payment_terms: 45 days end of month",
        (),
        "Payment terms: within 30 days of receipt of the invoice → within 45 days end of month from the invoice date",
        id="payment-terms-en",
    ),
    pytest.param(
        FR_EXAMPLE,
        "payment_terms: 45 days end of month expressly_agreed",
        "payment_terms: 30 days",
        (),
        fr(
            "Délai de paiement_: à 45_jours fin de mois à compter de la date d’émission de la facture, délai "
            "expressément stipulé par les Parties → à 30_jours à compter de la date d’émission de la facture"
        ),
        id="payment-terms-fr",
    ),
    pytest.param(
        EN_EXAMPLE,
        "at least 28 days before a transfer",
        "at least 42 days before a transfer",
        (),
        "Clause “Employees on transfer” — Text: “…11 at least 28 days before a…” → “…11 at least 42 days before a…”",
        id="clause-text-passage",
    ),
    pytest.param(
        EN_EXAMPLE,
        "retention: 6 years after last_contact",
        "retention: 3 years after last_contact",
        (),
        "Data processing “Customer account and contact records” — Retention period: for 6 years after the last "
        "contact → for 3 years after the last contact",
        id="data-retention",
    ),
    pytest.param(
        FR_EXAMPLE,
        "categories: [identity, contact, bank_details]",
        "categories: [bank_details, iban, identity]",
        (),
        fr(
            "Traitement de données «_Factures fournisseurs_» — Catégories de données_: ajout d’IBAN_; retrait de coordonnées"
        ),
        id="set-of-words",
    ),
    pytest.param(
        FR_EXAMPLE,
        "target: 98%",
        "target: 99%",
        (),
        fr("Niveau de service «_Factures traitées sous 48 heures_» — Objectif_: 98_% → 99_%"),
        id="default-language",
    ),
    pytest.param(
        FR_EXAMPLE,
        "target: 98%",
        "target: 99%",
        ("--lang", "en"),
        # the contract translates its titles into English: the English report names them so
        "Service level “Invoices processed within 48 hours” — Target: 98% → 99%",
        id="chosen-language",
    ),
]


@pytest.mark.parametrize(("example", "old", "new", "args", "expected"), ONE_SENTENCE)
def test_one_edit_gives_one_sentence(tmp_path: Path, example: Path, old: str, new: str, args, expected: str):
    changed = edited(tmp_path, example, (old, new))
    assert sentences(str(example), str(changed), *args) == [expected]
    assert run(str(example), str(changed), *args)[0] == 1


GOS_HEADER = '  sla gos "Calls answered within 20 seconds" / fr: "Appels décrochés en moins de 20 secondes" {'
NEW_SLA = """  sla callback "Callbacks within 2 hours" {
    target: 95%
    comparator: at_least
    window: monthly
    applies_to: [voice]
  }
  sla gos "Calls answered within 20 seconds" / fr: "Appels décrochés en moins de 20 secondes" {"""


def test_new_service_level(tmp_path: Path):
    new = edited(tmp_path, EN_EXAMPLE, (GOS_HEADER, NEW_SLA))
    code, out, _ = run(str(EN_EXAMPLE), str(new))
    assert code == 1
    assert "+ Added service level “Callbacks within 2 hours”" in out.splitlines()
    data = json.loads(run(str(EN_EXAMPLE), str(new), "--output-format", "json")[1])
    (change,) = data["changes"]
    assert change["kind"] == "sla" and change["change"] == "added" and change["path"] == ["sla:callback"]
    assert change["old"] is None and change["new"]["target"] == {"kind": "percentage", "value": "95"}


def test_removed_exclusion(tmp_path: Path):
    new = edited(tmp_path, FR_EXAMPLE, ('  exclude "Conseil fiscal et juridique" / en: "Tax and legal advice"\n', ""))
    code, out, _ = run(str(FR_EXAMPLE), str(new))
    assert code == 1
    assert fr("- Suppression de l’exclusion «_Conseil fiscal et juridique_»") in out.splitlines()


def test_clause_whitespace_and_line_breaks_are_not_a_change(tmp_path: Path):
    new = edited(tmp_path, EN_EXAMPLE, ("may apply on\nentry and on exit.", "may   apply on entry\nand on exit."))
    assert run(str(EN_EXAMPLE), str(new))[0] == 0


def test_changed_effective_date_moves_the_derived_dates_and_says_why(tmp_path: Path):
    new = edited(tmp_path, FR_EXAMPLE, ("effective: 2027-01-01", "effective: 2027-03-01"))
    found = sentences(str(FR_EXAMPLE), str(new))
    because = fr("car la date d’entrée en vigueur est passée du 1er janvier 2027 au 1er mars 2027")
    assert found[0] == fr("Date d’entrée en vigueur_: 1er janvier 2027 → 1er mars 2027")
    # kickoff is `effective`; first_close is `kickoff + 45 days`: 2027-03-01 + 45 days = 2027-04-15
    assert (
        fr("Jalon «_Première clôture mensuelle_»_: date déplacée du 15 février 2027 au 15 avril 2027, ") + because
        in found
    )
    assert (
        fr("Fin de la période initiale du Contrat_: date déplacée du 31 décembre 2029 au 28 février 2030, ") + because
        in found
    )
    data = json.loads(run(str(FR_EXAMPLE), str(new), "--output-format", "json")[1])
    moved = [c for c in data["changes"] if c["change"] == "moved" and c["path"] == ["milestone:first_close", "date"]]
    assert moved[0]["old"] == "2027-02-15" and moved[0]["new"] == "2027-04-15"
    assert moved[0]["reason"] == {"cause": "effective", "old": "2027-01-01", "new": "2027-03-01"}


def test_a_moved_milestone_moves_the_dates_anchored_on_it(tmp_path: Path):
    new = edited(tmp_path, FR_EXAMPLE, ("date: kickoff + 45 days", "date: kickoff + 60 days"))
    found = sentences(str(FR_EXAMPLE), str(new), "--lang", "en")
    assert found[0] == (
        "Milestone “First monthly close” — Date: 45 days after the milestone “Kick-off” (that is, 15 February "
        "2027) → 60 days after the milestone “Kick-off” (that is, 2 March 2027)"
    )  # French law: English dates day first
    # weekly on Tuesday from first_close: the first Tuesday on or after 2027-03-02 is that day
    assert found[1:] == [
        "Deliverable “Weekly payment proposal”, first occurrence: date moved from 16 February 2027 to "
        "2 March 2027 because the milestone “First monthly close” moved from 15 February 2027 to 2 March 2027"
    ]  # the monthly report, on the 5th business day of the month from first_close, stays on 2027-03-05


def test_escalation_order_is_meaningful(tmp_path: Path):
    text = FR_EXAMPLE.read_text(encoding="utf-8")
    l1 = (
        '    level l1 "Chef de mission et responsable de la comptabilité"'
        ' / en: "Engagement Manager and Head of Accounting": 2 business days\n'
    )
    l2 = (
        '    level l2 "Directeur de mission et directrice administrative et financière"'
        ' / en: "Engagement Director and Chief Financial Officer": 5 business days\n'
    )
    new = edited(tmp_path, FR_EXAMPLE, (l1 + l2, l2 + l1))
    assert text != new.read_text(encoding="utf-8")
    data = json.loads(run(str(FR_EXAMPLE), str(new), "--output-format", "json")[1])
    assert [c["change"] for c in data["changes"]] == ["reordered"]
    assert data["changes"][0]["path"] == ["governance", "escalation"]


def test_different_ids_are_compared_with_a_note(tmp_path: Path):
    new = edited(tmp_path, FR_EXAMPLE, ("contract acme_ap ", "contract acme_ap_v2 "))
    code, out, _ = run(str(FR_EXAMPLE), str(new), "--lang", "en")
    assert code == 1
    assert "Note: the two contracts do not have the same id (`acme_ap` and `acme_ap_v2`)" in out
    assert "~ Agreement id: acme_ap → acme_ap_v2" in out.replace("“", "").replace("”", "")
    data = json.loads(run(str(FR_EXAMPLE), str(new), "--output-format", "json")[1])
    assert data["notes"] and data["old"]["id"] == "acme_ap" and data["new"]["id"] == "acme_ap_v2"


def test_a_side_with_errors_is_refused_unless_forced(tmp_path: Path):
    new = edited(tmp_path, FR_EXAMPLE, ("applies_to: first_close\n", "applies_to: first_closing\n"))
    code, out, err = run(str(FR_EXAMPLE), str(new))
    assert code == 1 and out == ""
    assert "BPO014" in err and "fix them or use --force" in err
    code, out, err = run(str(FR_EXAMPLE), str(new), "--force")
    assert code == 1
    assert "Pénalité «\u202fRetard de première clôture\u202f» — Obligation concernée" in out


def test_json_and_amendment_together_is_a_usage_error():
    code, _, err = run(str(FR_EXAMPLE), str(FR_EXAMPLE), "--to", "md", "--output-format", "json")
    assert code == 2 and "--to writes an amendment" in err


def test_unreadable_file_exits_2(tmp_path: Path):
    code, _, err = run(str(FR_EXAMPLE), str(tmp_path / "missing.bpo"))
    assert code == 2 and "no such file" in err
    code, _, err = run(str(FR_EXAMPLE), str(FR_EXAMPLE), "-o", str(tmp_path / "nope" / "out.txt"))
    assert code == 2 and "cannot write" in err


def test_a_file_that_is_not_a_contract_is_refused_without_traceback(tmp_path: Path):
    bad = tmp_path / "bad.bpo"
    bad.write_bytes(b"\xff\xfe not utf-8")
    code, _, err = run(str(FR_EXAMPLE), str(bad))
    assert code == 1 and "Traceback" not in err and "could not be read" in err


# ---------------------------------------------------------------- golden outputs

FR_EDITS = (
    ("effective: 2027-01-01", "effective: 2027-02-01"),
    ("payment_terms: 45 days end of month expressly_agreed", "payment_terms: 30 days end of month expressly_agreed"),
    (
        'fee run "Forfait mensuel" / en: "Monthly fee": 8500 EUR',
        'fee run "Forfait mensuel" / en: "Monthly fee": 8900 EUR',
    ),
    ('  exclude "Conseil fiscal et juridique" / en: "Tax and legal advice"\n', ""),
    ("retention: 10 years after", "retention: 6 years after"),
    ("douze mois après son terme", "vingt-quatre mois après son terme"),
)
EN_EDITS = (
    ("payment_terms: 30 days from receipt", "payment_terms: 45 days end of month"),
    (GOS_HEADER, NEW_SLA),
    ("at least 28 days before a transfer", "at least 42 days before a transfer"),
)


def _golden_pair(tmp_path: Path, example: Path, edits) -> tuple[str, str]:
    old = tmp_path / "old.bpo"
    old.write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    edited(tmp_path, example, *edits, name="new.bpo")
    return "old.bpo", "new.bpo"


@pytest.mark.parametrize(("example", "edits", "name"), [(FR_EXAMPLE, FR_EDITS, "fr"), (EN_EXAMPLE, EN_EDITS, "en")])
def test_golden_text_and_json(tmp_path: Path, monkeypatch, example: Path, edits, name: str):
    monkeypatch.chdir(tmp_path)
    old, new = _golden_pair(tmp_path, example, edits)
    code, text, _ = run(old, new)
    assert code == 1
    check_golden(f"{name}.txt", text)
    code, data, _ = run(old, new, "--output-format", "json")
    assert code == 1
    check_golden(f"{name}.json", data)
    doc = json.loads(data)
    assert set(doc) == {"old", "new", "lang", "notes", "summary", "changes"}
    for c in doc["changes"]:
        assert {"kind", "path", "change", "key", "old", "new", "sentence"} <= set(c)
        assert c["change"] in {"added", "removed", "changed", "reordered", "moved"}
    assert sum(doc["summary"].values()) == len(doc["changes"])


def test_golden_json_matches_the_schema_in_the_docs():
    import jsonschema

    page = (ROOT / "docs" / "diff.md").read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", page, re.S)]
    (schema,) = [b for b in blocks if "$schema" in b]
    jsonschema.Draft202012Validator.check_schema(schema)
    for name in ("fr.json", "en.json"):
        jsonschema.validate(json.loads((GOLDEN / name).read_text(encoding="utf-8")), schema)
    (example,) = [b for b in blocks if "$schema" not in b]
    jsonschema.validate(example, schema["$defs"]["change"] | {"$defs": schema["$defs"]})
    golden = json.loads((GOLDEN / "fr.json").read_text(encoding="utf-8"))
    assert example in golden["changes"]  # the page shows a real change


def test_golden_amendment_markdown(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    old, new = _golden_pair(tmp_path, EN_EXAMPLE, EN_EDITS)
    code, md, _ = run(old, new, "--to", "md")
    assert code == 1
    check_golden("en.amendment.md", digest_images(md))
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings[0] == "## Article 1 – Amendment of Article 5 “Service levels”"
    assert headings[-1].endswith("– General")
    # a service level inserted before the first one: 5.1 A, the base's 5.1 keeps its number
    assert "The following Article 5.1 A “Callbacks within 2 hours” is inserted at the beginning of Article 5:" in md
    assert "**5.1 A Callbacks within 2 hours**" in md
    assert "In Article 19, the words “28” are replaced by “42”." in md  # a targeted replacement
    assert "within 45 days end of month from the invoice date" in md
    assert "Signed at \\[place\\] on \\[date\\], in three originals." in md  # the amendment's own, left blank


def test_amendment_in_french_replaces_modified_articles_and_deletes_removed_ones(tmp_path: Path):
    text = FR_EXAMPLE.read_text(encoding="utf-8")
    start = text.index('  clause undeclared_work "')
    end = text.index('  clause non_solicitation "')
    new = tmp_path / "new.bpo"
    new.write_text(text[:start] + text[end:].replace("douze mois", "vingt-quatre mois"), encoding="utf-8")
    code, md, _ = run(str(FR_EXAMPLE), str(new), "--to", "md")
    assert code == 1
    doc_old = bpolang.render.document(bpolang.load(FR_EXAMPLE).contract, bpolang.load(FR_EXAMPLE).resolution, "fr")
    numbers = {a.key: a.number for a in doc_old.articles}
    n_removed, n_kept = numbers["clause:undeclared_work"], numbers["clause:non_solicitation"]
    assert fr(f" – Suppression de l’Article {n_removed} «_Lutte contre le travail dissimulé_»") in md
    assert fr(f"L’Article {n_removed} «_Lutte contre le travail dissimulé_» du Contrat est supprimé.") in md
    assert fr(f"Modification de l’Article {n_kept} «_Non-sollicitation du personnel_»") in md
    # the changed words only, not the whole article
    assert fr(f"À l’Article {n_kept}, les mots «_douze_» sont remplacés par «_vingt-quatre_».") in md
    assert "renumérot" not in md  # the base keeps its numbering: the clause after the deleted one keeps its number
    assert fr("La numérotation des articles et annexes du Contrat est inchangée") in md


def test_amendment_docx_has_the_headings_and_text(tmp_path: Path, monkeypatch):
    import docx

    monkeypatch.chdir(tmp_path)
    old, new = _golden_pair(tmp_path, EN_EXAMPLE, EN_EDITS)
    code, _, err = run(old, new, "--to", "docx", "-o", "amendment.docx")
    assert code == 1 and "wrote amendment.docx" in err
    d = docx.Document(io.BytesIO((tmp_path / "amendment.docx").read_bytes()))
    assert d.paragraphs[0].text == "Amendment to “Customer Contact Centre Services Agreement”"
    # the amendment's articles are numbered by Word; the article it quotes keeps its own numbers, typed
    headings = [(p.shown, p.label) for p in Package((tmp_path / "amendment.docx").read_bytes()).paragraphs()]
    assert ("Article 1 – Amendment of Article 5 “Service levels”", "Article 1") in headings
    assert any("Callbacks within 2 hours" in shown and not label for shown, label in headings), headings
    body = "\n".join(p.text for p in d.paragraphs)
    assert "The following Article 5.1 A “Callbacks within 2 hours” is inserted at the beginning of Article 5:" in body
    assert "5.1 A Callbacks within 2 hours" in body.splitlines()
    assert "In Article 19, the words “28” are replaced by “42”." in body
    assert "BACKGROUND" in body and "IT IS AGREED as follows:" in body
    # the docx is written twice identically
    run(old, new, "--to", "docx", "-o", "again.docx")
    assert (tmp_path / "again.docx").read_bytes() == (tmp_path / "amendment.docx").read_bytes()


def test_no_amendment_when_nothing_changed(tmp_path: Path):
    code, out, err = run(str(FR_EXAMPLE), str(FR_EXAMPLE), "--to", "md")
    assert code == 0 and out == "" and "no amendment written" in err


def test_docx_default_path_is_beside_the_new_version(tmp_path: Path):
    new = edited(tmp_path, FR_EXAMPLE, ("target: 98%", "target: 99%"))
    code, _, _ = run(str(FR_EXAMPLE), str(new), "--to", "docx")
    assert code == 1 and (tmp_path / "new.amendment.docx").is_file()


# ---------------------------------------------------------------- properties

from test_formatter import contracts  # noqa: E402  (the formatter's model generator)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(contracts())
def test_a_printed_contract_has_no_difference_with_itself_or_its_model(contract: C.Contract):
    parsed = bpolang.parse(print_contract(contract))
    assert compare(parsed.contract, parsed.contract, parsed.resolution, parsed.resolution) == []
    assert compare(contract, parsed.contract) == []
    describe([], parsed, parsed, "fr")


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(contracts(), contracts())
def test_two_contracts_differ_exactly_when_their_canonical_models_differ(a: C.Contract, b: C.Contract):
    changes = compare(a, b)
    assert bool(changes) == (canonical(a) != canonical(b))
    if semantic_dump(a) == semantic_dump(b):
        assert changes == []
    ra, rb = bpolang.parse(print_contract(a)), bpolang.parse(print_contract(b))
    for lang in ("fr", "en"):
        for c in describe(compare(ra.contract, rb.contract, ra.resolution, rb.resolution), ra, rb, lang):
            assert c.sentence


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contracts(), st.randoms(use_true_random=False))
def test_shuffled_blocks_make_no_difference(contract: C.Contract, rnd: random.Random):
    shuffled = contract.model_copy(deep=True)
    for name in (
        "parties",
        "services",
        "milestones",
        "deliverables",
        "service_levels",
        "data",
        "clauses",
        "exclusions",
    ):
        items = list(getattr(shuffled, name))
        rnd.shuffle(items)
        setattr(shuffled, name, items)
    assert compare(contract, shuffled) == []


from test_properties import mutated_example  # noqa: E402  (examples with slices deleted and tokens inserted)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_example(), st.sampled_from(EXAMPLES))
def test_damaged_contracts_compare_without_raising(text: str, example: Path):
    from bpolang.diff.amendment import amendment, write

    damaged, original = bpolang.parse(text), bpolang.load(example)
    if damaged.contract is None:
        return
    for old, new in ((original, damaged), (damaged, original)):
        for lang in ("fr", "en"):
            changes = describe(compare(old.contract, new.contract, old.resolution, new.resolution), old, new, lang)
            assert all(c.sentence for c in changes)
        write(amendment(old, new, "fr"), "md")


def test_cli_import_does_not_load_the_diff_engine():
    code = "import sys, bpolang.cli; print(sorted(m for m in sys.modules if m.startswith(('bpolang.diff.', 'babel', 'docx'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_typing_helpers_see_through_optional_and_annotated():
    from bpolang.diff.engine import members

    assert C.Percentage in members(C.ServiceLevel.model_fields["target"].annotation)
    assert typing.get_origin(members(C.Service.model_fields["includes"].annotation)[0]) is list


def _fr_amended(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The French example with its 98 % target lowered to 97 %, a clause deleted and one inserted
    after the last clause; and the base's article numbers by key."""
    text = FR_EXAMPLE.read_text(encoding="utf-8")
    assert text.count("target: 98%") == 1
    start, end = text.index('  clause undeclared_work "'), text.index('  clause non_solicitation "')
    text = text[:start] + text[end:]
    text = text.replace("target: 98%", "target: 97%").replace("step: below 98%", "step: below 97%")
    close = text.rindex("}")
    extra = '  clause audit_rights "Droit d’audit" {\n    text: """Le Client peut auditer le Prestataire une fois par an."""\n  }\n'
    new = tmp_path / "new.bpo"
    new.write_text(text[:close] + extra + text[close:], encoding="utf-8")
    base = bpolang.load(FR_EXAMPLE)
    doc = bpolang.render.document(base.contract, base.resolution, "fr")
    return new, {a.key: a.number for a in doc.articles + doc.annexes}


def test_amendment_is_targeted_inserts_bis_and_never_renumbers(tmp_path: Path):
    new, numbers = _fr_amended(tmp_path)
    code, md, _ = run(str(FR_EXAMPLE), str(new), "--to", "md")
    assert code == 1
    sla = numbers["service_levels"]
    # the figure changes, in the article and in the service-level annex; nothing else is re-enacted
    lines = [x for x in md.replace(NB, "_").splitlines() if re.search(r"98_%.* sont remplacés par .*97_%", x)]
    assert [x.split(",")[0] for x in lines] == [
        f"À l’Article {sla}.1",  # the service level's target
        f"À l’Article {numbers['penalties']}.1",  # the credit step
        f"À l’Annexe {numbers['annex_sla']}",  # the service-level schedule: the target...
        f"À l’Annexe {numbers['annex_sla']}",  # ...and the credit step it states
    ]
    last = numbers["clause:non_solicitation"]
    assert fr(f"Il est inséré au Contrat un article {last} bis «_Droit d’audit_» rédigé comme suit_:") in md
    assert f"### Article {last} bis – Droit d’audit" in md
    gone = numbers["clause:undeclared_work"]
    assert fr(f"L’Article {gone} «_Lutte contre le travail dissimulé_» du Contrat est supprimé.") in md
    assert "remplacé par les stipulations suivantes" not in md.split("Calendrier")[0]  # no article re-enacted whole
    code, en, _ = run(str(FR_EXAMPLE), str(new), "--to", "md", "--lang", "en")
    assert f"In Article {sla}.1, the words “98%” are replaced by “97%”." in en
    assert f"as Article {last} bis “Droit d’audit”" in en


def test_consolidated_version_as_annex_keeps_the_base_numbering(tmp_path: Path):
    new, numbers = _fr_amended(tmp_path)
    code, md, _ = run(str(FR_EXAMPLE), str(new), "--to", "md", "--consolidated")
    assert code == 1
    annex = md.split(fr("## Annexe 1 – Version consolidée du Contrat"), 1)[1]
    gone, last = numbers["clause:undeclared_work"], numbers["clause:non_solicitation"]
    heads = [x for x in annex.splitlines() if x.startswith("### Article ")]
    assert heads.index(f"### Article {gone} – \\[Supprimé\\]") + 1 == heads.index(
        f"### Article {last} – Non-sollicitation du personnel"
    )
    assert f"### Article {last} bis – Droit d’audit" in heads
    assert "au moins 97" in annex.replace(NB, " ") and "au moins 98" not in annex.replace(NB, " ")
    code, _, err = run(str(FR_EXAMPLE), str(new), "--consolidated")
    assert code == 2 and "--consolidated" in err
