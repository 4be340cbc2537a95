"""Contracts in several files: a statement of work under its master, schedules included by path."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import bpolang
from bpolang.check.config import Config
from bpolang.check.driver import findings

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "msa"

MASTER = """\
contract msa "Master agreement" {
  language: en
  governing_law: GB
  effective: 2027-01-01
  term: 36 months
  overridable: [term, sla]
  use "schedules/dpa.bpo"
  party client acme "ACME Ltd" { gdpr_role: controller }
  party provider bpo "BPO Ltd" { gdpr_role: processor }
  liability overall "Overall cap" {
    party: bpo
    cap: 500000 GBP
    basis: aggregate
    scope: overall
  }
}
"""

DPA = """\
schedule dpa "Data processing schedule" {
  data processing "Processing terms" {
    personal: yes
    categories: [identity]
    subjects: [employees]
    purpose: "The services of each statement of work"
    retention: 6 years after end
    instructions: "Only on the client's documented instructions"
    assistance: "Help with data-subject requests and impact assessments"
    breach_notification: 24 hours
    subprocessing: specific_consent
    audit: "Once a year on 30 days' notice"
    at_end: return then delete within 60 days
  }
}
"""

SOW = """\
contract sow1 "Statement of work 1" {
  under: "msa.bpo"
  term: 12 months
  service payroll "Payroll" {
    performed_by: bpo
  }
  sla accuracy "Accuracy" {
    target: 99%
    comparator: at_least
    window: monthly
    applies_to: [payroll]
  }
  credit_regime credits "Credits" {
    applies_to: [accuracy]
    annual_cap: 100000 GBP
    payer: bpo
  }
}
"""


def project(tmp_path: Path, **files: str) -> Path:
    """A project folder (with its bpolang.toml) holding the files given, `__` for `/` in names."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "bpolang.toml").write_text("", encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / name.replace("__", "/").replace("_bpo", ".bpo")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def where(result, code: str) -> list[tuple[str, int, int]]:
    base = os.path.dirname(result.source.path)
    return [(os.path.relpath(d.path, base), d.span.line, d.span.col) for d in result.diagnostics if d.code == code]


def checked(path: Path):
    result = bpolang.load(path)
    result.diagnostics = findings(result, Config())
    return result


@pytest.fixture
def msa(tmp_path: Path) -> Path:
    return project(tmp_path, msa_bpo=MASTER, schedules__dpa_bpo=DPA, sow_bpo=SOW)


# ------------------------------------------------------------------ inheritance and overrides
def test_a_statement_of_work_inherits_the_masters_terms_and_its_schedules(msa: Path):
    result = bpolang.load(msa / "sow.bpo")
    assert not result.has_errors, [d.message for d in result.diagnostics]
    c = result.contract
    assert (c.id, c.governing_law, str(c.effective.date)) == ("sow1", "GB", "2027-01-01")
    assert [p.id for p in c.parties] == ["acme", "bpo"]
    assert [li.id for li in c.liability] == ["overall"]
    assert [d.id for d in c.data] == ["processing"]  # the master's schedule
    assert c.term.amount == 12  # overridden, as the master allows
    # references resolve across the files: `bpo` is declared in the master only
    assert "bpo" in result.resolution.symbols
    # every inherited term keeps the file it is written in
    assert c.parties[0].span.path == str(msa / "msa.bpo")
    assert c.data[0].span.path == str(msa / "schedules" / "dpa.bpo")
    assert c.services[0].span.path is None


def test_an_element_of_the_same_id_replaces_the_masters_where_allowed(tmp_path: Path):
    master = MASTER.replace("  use", '  sla accuracy "Accuracy" { target: 95% }\n  use')
    root = project(tmp_path, msa_bpo=master, schedules__dpa_bpo=DPA, sow_bpo=SOW)
    result = bpolang.load(root / "sow.bpo")
    assert [(s.id, s.target.value) for s in result.contract.service_levels] == [("accuracy", 99)]
    assert where(result, "BPO024") == []


def test_a_forbidden_override_is_an_error_where_the_statement_of_work_writes_it(msa: Path):
    sow = SOW.replace(
        "  term: 12 months\n", '  term: 12 months\n  governing_law: FR\n  party provider bpo "Other" {}\n'
    )
    (msa / "sow.bpo").write_text(sow, encoding="utf-8")
    result = bpolang.load(msa / "sow.bpo")
    assert where(result, "BPO024") == [("sow.bpo", 4, 3), ("sow.bpo", 5, 18)]
    law, party = (d for d in result.diagnostics if d.code == "BPO024")
    assert "does not let a statement of work override `governing_law`" in law.message
    assert law.notes == [f"the master's term: {msa / 'msa.bpo'}:3:3"]
    assert "`party bpo`" in party.message
    # the master's terms stand
    assert result.contract.governing_law == "GB"
    assert [p.title for p in result.contract.parties] == ["ACME Ltd", "BPO Ltd"]


def test_a_term_both_a_contract_and_its_schedule_write_is_an_error(tmp_path: Path):
    dpa = DPA.replace("schedule dpa", "schedule dpa").replace(
        "  data processing", "  governing_law: FR\n  data processing"
    )
    root = project(tmp_path, msa_bpo=MASTER, schedules__dpa_bpo=dpa)
    result = bpolang.load(root / "msa.bpo")
    assert where(result, "BPO024") == [("msa.bpo", 3, 3)]
    assert result.contract.governing_law == "GB"


def test_overridable_names_terms_of_a_contract(tmp_path: Path):
    root = project(tmp_path, msa_bpo=MASTER.replace("[term, sla]", "[term, slas, pricing]"), schedules__dpa_bpo=DPA)
    result = bpolang.load(root / "msa.bpo")
    bad = [d for d in result.diagnostics if d.code == "BPO017"]
    assert [(d.span.line, d.span.col, d.message) for d in bad] == [
        (6, 16, "`overridable` names no term of a contract: `slas`")
    ]


# ------------------------------------------------------------------ includes that fail
def test_a_missing_include_is_an_error_at_its_path(tmp_path: Path):
    root = project(tmp_path, msa_bpo=MASTER, sow_bpo=SOW)
    master = bpolang.load(root / "msa.bpo")
    assert where(master, "BPO021") == [("msa.bpo", 7, 3)]
    assert "no such file" in next(d.message for d in master.diagnostics if d.code == "BPO021")
    sow = bpolang.load(root / "sow.bpo")  # its master has an error: the SOW says so at `under`
    assert where(sow, "BPO023") == [("sow.bpo", 2, 10)]


def test_a_missing_master_is_an_error_at_under(tmp_path: Path):
    root = project(tmp_path, sow_bpo=SOW)
    result = bpolang.load(root / "sow.bpo")
    assert where(result, "BPO021") == [("sow.bpo", 2, 10)]
    assert where(result, "BPO014")  # its references to the master's parties stay unknown


def test_a_circular_include_is_an_error(tmp_path: Path):
    a = 'contract a "A" {\n  under: "b.bpo"\n}\n'
    b = 'contract b "B" {\n  under: "a.bpo"\n}\n'
    root = project(tmp_path, a_bpo=a, b_bpo=b)
    result = bpolang.load(root / "a.bpo")
    # b's master is a, which includes b again: reported in b, so a sees b's error at its `under`
    assert where(result, "BPO023") == [("a.bpo", 2, 10)]
    assert "a.bpo -> b.bpo -> a.bpo" in next(d.message for d in result.diagnostics if d.code == "BPO023")
    loop = 'schedule s "S" {\n  use "s.bpo"\n}\n'
    root = project(tmp_path / "ring", s_bpo=loop)
    result = bpolang.load(root / "s.bpo")
    assert where(result, "BPO022") == [("s.bpo", 2, 3)]


def test_an_include_outside_the_project_is_refused_and_never_read(tmp_path: Path, monkeypatch):
    (tmp_path / "secret.bpo").write_text(DPA, encoding="utf-8")
    root = project(tmp_path / "project", msa_bpo=MASTER.replace("schedules/dpa.bpo", "../secret.bpo"))
    read: list[str] = []
    from bpolang.base import fileio

    original = fileio.read_contract_bytes

    def spy(path):
        read.append(os.path.realpath(path))
        return original(path)

    monkeypatch.setattr(fileio, "read_contract_bytes", spy)
    result = bpolang.load(root / "msa.bpo")
    assert where(result, "BPO021") == [("msa.bpo", 7, 3)]
    assert "is outside the project folder" in next(d.message for d in result.diagnostics if d.code == "BPO021")
    assert os.path.realpath(tmp_path / "secret.bpo") not in read
    assert result.contract.data == []
    # an absolute path, and a link inside the project to a file outside it, are refused the same
    (root / "link.bpo").symlink_to(tmp_path / "secret.bpo")
    for written in (str(tmp_path / "secret.bpo"), "link.bpo"):
        (root / "msa.bpo").write_text(MASTER.replace("schedules/dpa.bpo", written), encoding="utf-8")
        result = bpolang.load(root / "msa.bpo")
        assert where(result, "BPO021") == [("msa.bpo", 7, 3)], written
    assert os.path.realpath(tmp_path / "secret.bpo") not in read


def test_an_include_with_errors_or_of_the_wrong_kind(tmp_path: Path):
    root = project(tmp_path, msa_bpo=MASTER, schedules__dpa_bpo=DPA.replace("personal: yes", "personal: yes {"))
    result = bpolang.load(root / "msa.bpo")
    assert where(result, "BPO023") == [("msa.bpo", 7, 3)]
    (root / "schedules" / "dpa.bpo").write_text(SOW, encoding="utf-8")
    result = bpolang.load(root / "msa.bpo")
    assert "is a contract, not a schedule" in next(d.message for d in result.diagnostics if d.code == "BPO023")
    (root / "schedules" / "dpa.bpo").write_text('schedule dpa "DPA" {\n  under: "../msa.bpo"\n}\n', encoding="utf-8")
    alone = bpolang.load(root / "schedules" / "dpa.bpo")
    assert [(d.code, d.span.line) for d in alone.diagnostics if d.code == "BPO010"] == [("BPO010", 2)]


# ------------------------------------------------------------------ the rules see the composed contract
def test_personal_data_under_a_master_with_a_dpa_passes_and_without_fails(msa: Path):
    sow = SOW.replace(
        "}\n}\n",
        '}\n  data staff "Staff" {\n    personal: yes\n    categories: [identity]\n    subjects: [employees]\n'
        '    purpose: "Payroll"\n    retention: 5 years after end\n    at_end: return then delete within 30 days\n  }\n}\n',
    )
    (msa / "sow.bpo").write_text(sow, encoding="utf-8")
    art28 = {"BPO702", "BPO703", "BPO706", "BPO709"}
    assert not [d.code for d in checked(msa / "sow.bpo").diagnostics if d.code in art28]
    (msa / "msa.bpo").write_text(MASTER.replace('  use "schedules/dpa.bpo"\n', ""), encoding="utf-8")
    assert {d.code for d in checked(msa / "sow.bpo").diagnostics} >= {"BPO702"}


def test_a_credit_cap_above_the_masters_overall_cap_points_at_the_statement_of_work(msa: Path):
    (msa / "sow.bpo").write_text(SOW.replace("100000 GBP", "600000 GBP"), encoding="utf-8")
    result = checked(msa / "sow.bpo")
    (d,) = [d for d in result.diagnostics if d.code == "BPO414"]
    assert (d.path, d.span.line, d.span.col) == (str(msa / "sow.bpo"), 15, 17)
    assert d.message == (
        "the `annual_cap` of `credits`, 600000 GBP, is above the overall liability cap `overall`, 500000 GBP"
    )
    assert d.notes == [f"the overall cap: {msa / 'msa.bpo'}:12:10"]
    (msa / "sow.bpo").write_text(SOW, encoding="utf-8")
    assert not [d for d in checked(msa / "sow.bpo").diagnostics if d.code == "BPO414"]


def test_a_finding_in_a_schedule_points_at_the_schedule_and_the_masters_are_not_repeated(msa: Path):
    (msa / "schedules" / "dpa.bpo").write_text(
        DPA.replace('    purpose: "The services of each statement of work"\n', ""), encoding="utf-8"
    )
    master = checked(msa / "msa.bpo")
    in_schedule = [(d.code, d.path) for d in master.diagnostics if d.code == "BPO701"]
    assert in_schedule == [("BPO701", str(msa / "schedules" / "dpa.bpo"))]
    sow = checked(msa / "sow.bpo")
    # the master's own findings (here the schedule it uses) are reported with the master, once
    assert not [d for d in sow.diagnostics if d.path != str(msa / "sow.bpo")]


def test_bpo_check_prints_the_line_of_the_file_where_the_term_is(msa: Path, monkeypatch):
    from bpolang.cli import main

    monkeypatch.chdir(msa)
    monkeypatch.setenv("BPO_NO_CACHE", "1")
    sow = SOW.replace("  service payroll", '  use "extra.bpo"\n  service payroll')
    (msa / "sow.bpo").write_text(sow, encoding="utf-8")
    (msa / "extra.bpo").write_text('schedule extra "Extra" {\n  exit {\n    plan: 3 months\n  }\n}\n', encoding="utf-8")
    out = CliRunner().invoke(main, ["check", "sow.bpo", "extra.bpo"]).output
    block = re.search(r"^extra\.bpo:2:3: warning\[BPO802\].*?\n\n", out, re.S | re.M)
    assert block, out
    assert "2 |   exit {" in block.group()
    assert "sow.bpo:" in out  # the SOW's own findings stay in the SOW


# ------------------------------------------------------------------ tools
def test_the_cache_keys_on_the_master(msa: Path, monkeypatch, tmp_path_factory):
    from bpolang.check.runner import Checker, RuleOptions

    monkeypatch.setenv("BPO_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("BPO_NO_CACHE", raising=False)
    monkeypatch.chdir(msa)
    options = RuleOptions(isolated=True)
    sow = [Path("sow.bpo")]
    first = Checker(options, jobs=1).run(sow)
    assert (first.computed, first.cached) == (1, 0)
    assert not [d for d in first.checked[0].diagnostics if d.code == "BPO414"]
    again = Checker(options, jobs=1).run(sow)
    assert (again.computed, again.cached) == (0, 1)
    # only the master changes: its overall cap falls below the SOW's credit cap
    (msa / "msa.bpo").write_text(MASTER.replace("500000 GBP", "50000 GBP"), encoding="utf-8")
    changed = Checker(options, jobs=1).run(sow)
    assert (changed.computed, changed.cached) == (1, 0)
    assert [d.code for d in changed.checked[0].diagnostics if d.code == "BPO414"] == ["BPO414"]
    # and a schedule the master uses counts too
    assert Checker(options, jobs=1).run(sow).cached == 1
    (msa / "schedules" / "dpa.bpo").write_text(DPA.replace("24 hours", "48 hours"), encoding="utf-8")
    assert Checker(options, jobs=1).run(sow).computed == 1


def test_fmt_formats_each_file_as_written(msa: Path, monkeypatch):
    from bpolang.base import fileio
    from bpolang.cli import main
    from bpolang.format.formatter import format_text

    messy = SOW.replace('  under: "msa.bpo"', '  under:   "msa.bpo"')
    out = format_text(messy)
    assert out == SOW
    # `bpo fmt` reads only the file it formats: not its master
    (msa / "sow.bpo").write_text(messy, encoding="utf-8")
    read: list[str] = []
    original = fileio.read_contract_bytes
    monkeypatch.setattr(fileio, "read_contract_bytes", lambda p: read.append(os.path.basename(p)) or original(p))
    monkeypatch.chdir(msa)
    done = CliRunner().invoke(main, ["fmt", "sow.bpo"])
    assert done.exit_code == 0, done.output
    assert (msa / "sow.bpo").read_text(encoding="utf-8") == SOW
    assert "msa.bpo" not in read
    master = format_text(MASTER)
    assert '\n  use "schedules/dpa.bpo"\n' in master and "processing" not in master  # nothing inlined


def test_export_and_render_of_a_statement_of_work_are_of_the_composed_contract(msa: Path, monkeypatch):
    import json

    from bpolang.cli import main

    monkeypatch.chdir(msa)
    exported = CliRunner().invoke(main, ["export", "sow.bpo", "--to", "json", "--force"])
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.output)
    assert [p["id"] for p in data["parties"]] == ["acme", "bpo"]
    assert data["under"] == "msa.bpo" and data["governing_law"] == "GB"
    rendered = CliRunner().invoke(main, ["render", "sow.bpo", "--to", "md", "--force"])
    assert rendered.exit_code == 0, rendered.output
    assert "BPO Ltd" in rendered.output and "Payroll" in rendered.output


def test_go_to_definition_reaches_the_master(msa: Path):
    from bpolang.lsp.documents import Configs, Document, analyse
    from bpolang.lsp.navigation import RenameRefused, definition, rename

    text = (msa / "sow.bpo").read_text(encoding="utf-8")
    doc = Document((msa / "sow.bpo").as_uri())
    doc.update(analyse(text, 1, str(msa / "sow.bpo"), "utf-16", Configs(None, True)))
    at = text.index("performed_by: bpo") + len("performed_by: ")
    (loc,) = definition(doc, at)
    assert loc.uri == (msa / "msa.bpo").as_uri()
    assert (loc.range.start.line, loc.range.start.character) == (8, 17)  # `bpo` in `party provider bpo`
    own = definition(doc, text.index("applies_to: [accuracy]") + len("applies_to: ["))
    assert [(x.uri, x.range.start.line) for x in own] == [(doc.uri, 6)]
    with pytest.raises(RenameRefused, match="already the id of a party"):
        rename(doc, at, "acme")  # a party of the master


# ------------------------------------------------------------------ the example
def test_the_msa_example_passes_and_is_formatted():
    from bpolang.format.formatter import format_text

    files = sorted(EXAMPLES.rglob("*.bpo"))
    assert [f.relative_to(EXAMPLES).as_posix() for f in files] == [
        "msa.bpo",
        "schedules/clauses.bpo",
        "schedules/dpa.bpo",
        "sow-complaints.bpo",
        "sow-contact-centre.bpo",
    ]
    for f in files:
        result = checked(f)
        assert result.diagnostics == [], (f, [(d.code, d.message) for d in result.diagnostics])
        text = f.read_text(encoding="utf-8")
        assert format_text(text) == text, f
    sow = bpolang.load(EXAMPLES / "sow-complaints.bpo").contract
    assert sow.term.amount == 24 and [li.id for li in sow.liability] == ["overall", "client_general"]


def test_an_open_statement_of_work_is_checked_again_when_its_master_is_saved(msa: Path, monkeypatch):
    from bpolang.lsp import server as srv

    published: list = []
    ls = srv.BpoServer()
    monkeypatch.setattr(ls, "text_document_publish_diagnostics", published.append)
    monkeypatch.setattr(ls.configs, "for_path", lambda path: Config())
    uri = (msa / "sow.bpo").as_uri()
    ls.texts[uri] = ((msa / "sow.bpo").read_text(encoding="utf-8"), 1)
    ls.pending.add(uri)
    ls.flush(uri)
    assert not [d for d in published[-1].diagnostics if d.code == "BPO414"]
    (msa / "msa.bpo").write_text(MASTER.replace("500000 GBP", "50000 GBP"), encoding="utf-8")
    ls.recheck_dependants(str(msa / "msa.bpo"))
    assert published[-1].uri == uri
    assert [d.code for d in published[-1].diagnostics if d.code == "BPO414"] == ["BPO414"]
    count = len(published)
    ls.recheck_dependants(str(msa / "other.bpo"))  # not one of its files: nothing checked
    assert len(published) == count


def _server_with_two_sows(msa: Path, monkeypatch):
    """A language server over the master, two statements of work under it and an unrelated
    contract, every file checked from disk as the workspace scan does."""
    from bpolang.lsp import server as srv
    from bpolang.lsp.workspace import Index

    second = SOW.replace("sow1", "sow2").replace("payroll", "benefits")
    (msa / "sow2.bpo").write_text(second, encoding="utf-8")
    (msa / "alone.bpo").write_text(SOW.replace('  under: "msa.bpo"\n', ""), encoding="utf-8")
    ls = srv.BpoServer()
    monkeypatch.setattr(ls, "text_document_publish_diagnostics", lambda params: None)
    monkeypatch.setattr(ls.configs, "for_path", lambda path: Config())
    ls.index = Index([msa])
    for path in ls.index.paths():
        ls.check_on_disk(path)
    return ls


def test_renaming_an_id_of_the_master_renames_it_in_every_file_composed_with_it(msa: Path, monkeypatch):
    from lsprotocol import types as lsp

    from bpolang.lsp.navigation import declared_in, rename

    ls = _server_with_two_sows(msa, monkeypatch)
    uri = (msa / "sow.bpo").as_uri()
    text = (msa / "sow.bpo").read_text(encoding="utf-8")
    ls.texts[uri] = (text, 1)
    ls.pending.add(uri)
    ls.flush(uri)
    doc = ls.documents[uri]
    at = text.index("performed_by: bpo") + len("performed_by: ")
    assert declared_in(doc, at) == os.path.realpath(msa / "msa.bpo")
    edit = rename(doc, at, "clearline", ls.composed_with(declared_in(doc, at), uri))

    def lines(name: str) -> list[int]:
        return [e.range.start.line for e in edit.changes[(msa / name).as_uri()]]

    assert all(e.new_text == "clearline" for edits in edit.changes.values() for e in edits)
    # the master's declaration and its reference, each SOW's reference; not the unrelated contract
    assert (lines("msa.bpo"), lines("sow.bpo"), lines("sow2.bpo")) == ([8, 10], [4, 15], [4, 15])
    assert (msa / "alone.bpo").as_uri() not in edit.changes
    assert isinstance(edit.changes[uri][0], lsp.TextEdit)
    # an id the SOW declares itself stays in the SOW, though sow2 has its own `accuracy`
    own = text.index("applies_to: [accuracy]") + len("applies_to: [")
    edit = rename(doc, own, "precision", ls.composed_with(declared_in(doc, own), uri))
    assert list(edit.changes) == [uri]


def test_references_of_an_id_of_the_master_are_found_in_every_file_composed_with_it(msa: Path, monkeypatch):
    """From a statement of work, and from the master: the master's declaration and reference,
    each statement of work's reference; not the unrelated contract; each place once."""
    from bpolang.lsp.navigation import declared_in, references

    ls = _server_with_two_sows(msa, monkeypatch)
    for name in ("sow.bpo", "msa.bpo"):
        uri = (msa / name).as_uri()
        text = (msa / name).read_text(encoding="utf-8")
        ls.texts[uri] = (text, 1)
        ls.pending.add(uri)
        ls.flush(uri)
    expected = {"msa.bpo": [8, 10], "sow.bpo": [4, 15], "sow2.bpo": [4, 15]}
    for name, before in (("sow.bpo", "performed_by: "), ("msa.bpo", "party: ")):
        uri = (msa / name).as_uri()
        doc = ls.documents[uri]
        text = (msa / name).read_text(encoding="utf-8")
        at = text.index(before + "bpo") + len(before)
        found = references(doc, at, True, ls.composed_with(declared_in(doc, at), uri))
        got: dict[str, list[int]] = {}
        for loc in found:
            got.setdefault(os.path.basename(loc.uri), []).append(loc.range.start.line)
        assert {k: sorted(v) for k, v in got.items()} == expected, name
        without = references(doc, at, False, ls.composed_with(declared_in(doc, at), uri))
        assert len(without) == len(found) - 1  # the declaration, in the master, left out


def test_includes_nest_at_most_max_depth_files(tmp_path: Path):
    from bpolang.resolve.compose import MAX_DEPTH

    files = {f"s{i}_bpo": f'schedule s{i} "S{i}" {{\n  use "s{i + 1}.bpo"\n}}\n' for i in range(200)}
    files["s200_bpo"] = 'schedule s200 "Last" {\n}\n'
    root = project(tmp_path, **files)
    result = bpolang.load(root / "s0.bpo")  # no RecursionError: one error where the chain is cut
    deep = [d for d in result.diagnostics if "files deep" in d.message and "has errors" not in d.message]
    assert [(os.path.basename(d.path), d.code) for d in deep] == [(f"s{MAX_DEPTH - 1}.bpo", "BPO023")]
    # said where the chain is cut, and once in the file checked; not at each file between
    assert where(result, "BPO023") == [("s0.bpo", 2, 3), (f"s{MAX_DEPTH - 1}.bpo", 2, 3)]


def test_the_documents_say_which_master_and_schedules_and_what_a_statement_of_work_may_set():
    from bpolang.render import render_result
    from bpolang.render.articles.structure import TERM_HEADINGS
    from bpolang.resolve.compose import term_fields

    assert set(TERM_HEADINGS) == set(term_fields())  # every term can be named in both languages
    master = bpolang.load(EXAMPLES / "msa.bpo")
    en = render_result(master, "md", "en").decode()
    assert (
        "A statement of work under this Agreement may set its own terms on: term, implementation timetable, "
        "service levels, service credits and liquidated damages, charges, and exit." in en
    )
    assert "The schedule “Data Processing Schedule” forms part of this Agreement" in en
    fr = render_result(master, "md", "fr").decode()
    assert "L’annexe «\u202fData Processing Schedule\u202f» fait partie du présent Contrat" in fr
    sow = render_result(bpolang.load(EXAMPLES / "sow-complaints.bpo"), "md", "en", consolidated=True).decode()
    assert "made under the master agreement “Master Business Process Services Agreement”" in sow
    assert "Provider overall liability cap" in sow  # the master's term, stated in the consolidated document


def test_inlay_hints_and_hovers_stay_on_what_the_document_writes(msa: Path):
    from bpolang.lsp.documents import Configs, analyse
    from bpolang.lsp.hover import value_doc
    from bpolang.lsp.inlay import inlay_hints

    sow = SOW.replace("  term: 12 months\n", "  end: effective + 12 months\n")
    master = MASTER.replace("  term: 36 months\n  overridable: [term, sla]", "  overridable: [term, end, sla]")
    (msa / "msa.bpo").write_text(master, encoding="utf-8")
    analysis = analyse(sow, 1, str(msa / "sow.bpo"), "utf-16", Configs(None, True))
    assert not analysis.result.has_errors, [d.message for d in analysis.result.diagnostics]
    hints = inlay_hints(analysis, 0, len(sow))
    # one hint: the SOW's own `end` (the master's `effective` is hinted in the master)
    at_end = sow.index("effective + 12 months") + len("effective + 12 months")
    assert [(h.position.line, h.position.character) for h in hints] == [
        (analysis.codec.position(at_end).line, analysis.codec.position(at_end).character)
    ]
    master_effective = master.index("2027-01-01")  # an offset that means nothing in the SOW's text
    assert all(h.position != analysis.codec.position(master_effective + 10) for h in hints)
    assert value_doc(analysis, sow.index("effective + 12") + 2, dt.date(2027, 1, 1))  # the SOW's own value
