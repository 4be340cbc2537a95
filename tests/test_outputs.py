"""Output formats of `bpo check`, checked against their specifications.

tests/outputs/sarif-schema-2.1.0.json is the OASIS SARIF 2.1.0 schema (errata 01), unmodified.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import bpolang
from bpolang.check.config import Config
from bpolang.check.driver import findings
from bpolang.check.outputs.github import github_escape_data, github_escape_property, render_github
from bpolang.check.outputs.gitlab import render_gitlab
from bpolang.check.outputs.junit import render_junit
from bpolang.check.outputs.sarif import render_sarif
from bpolang.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "tests" / "outputs" / "sarif-schema-2.1.0.json"

BAD = """contract demo "Demo" {
  effective: 2027-01-01
  term: 36 months
  milestone kickoff "Kick-off" { date: effective }
  milestone first_close "First close" { after: [kickoff] }
  penalty late_close "Late, 100% sure: a,b" {
    applies_to: first_close
    trigger: late
  }
}
"""
CLEAN_PATH = ROOT / "examples" / "comptabilite-fournisseurs.bpo"


def checked(tmp_path: Path):
    f = tmp_path / "sub" / "demo.bpo"
    f.parent.mkdir(exist_ok=True)
    f.write_text(BAD, encoding="utf-8")
    r = bpolang.load(f)
    return [(r, findings(r, Config()))], f


def test_sarif_validates_against_the_official_schema(tmp_path, monkeypatch):
    jsonschema = pytest.importorskip("jsonschema")
    monkeypatch.chdir(tmp_path)
    data, _ = checked(tmp_path)
    log = json.loads(render_sarif(data))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {"id", "name", "shortDescription", "fullDescription", "helpUri", "defaultConfiguration"} <= set(rules[0])
    res = next(r for r in run["results"] if r["ruleId"] == "BPO501")
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "sub/demo.bpo"
    assert loc["region"]["startLine"] == 7 and loc["region"]["startColumn"] == 17
    assert res["level"] == "error"
    assert rules[res["ruleIndex"]]["id"] == "BPO501"
    assert any(r["message"]["text"] == "this milestone has no `date`" for r in res["relatedLocations"])


def test_github_escaping():
    assert github_escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert github_escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_workflow_commands(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data, _ = checked(tmp_path)
    lines = render_github(data).splitlines()
    line = next(ln for ln in lines if "BPO501" in ln)
    assert line.startswith(
        "::error file=sub/demo.bpo,line=7,col=17,endLine=7,endColumn=28,title=BPO501 penalty-needs-deadline::"
    )
    assert "\n" not in line
    assert "%0Ahelp: " in line
    assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines)


def test_gitlab_code_quality_and_stable_fingerprints(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data, f = checked(tmp_path)
    issues = json.loads(render_gitlab(data))
    for i in issues:
        assert set(i) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert i["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert i["location"]["path"] == "sub/demo.bpo" and i["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    before = {i["check_name"] + i["description"]: i for i in issues}
    # move everything two lines down: fingerprints do not change, line numbers do
    f.write_text(
        BAD.replace("  effective:", '  signed_at: "Lyon"\n  jurisdiction: "Lyon"\n  effective:', 1), encoding="utf-8"
    )
    r = bpolang.load(f)
    after = {i["check_name"] + i["description"]: i for i in json.loads(render_gitlab([(r, findings(r, Config()))]))}
    key = next(k for k in before if k.startswith("BPO501"))
    assert after[key]["fingerprint"] == before[key]["fingerprint"]
    assert after[key]["location"]["lines"]["begin"] == before[key]["location"]["lines"]["begin"] + 2


def test_junit_parses(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data, _ = checked(tmp_path)
    clean = bpolang.parse('contract c "C" {}\n', "clean.bpo")
    xml = render_junit(data + [(clean, [])])
    root = ET.fromstring(xml.split("\n", 1)[1])
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["sub/demo.bpo", "clean.bpo"]
    failing = suites[0].findall("testcase")
    assert failing and all(tc.find("failure") is not None for tc in failing)
    (passing,) = suites[1].findall("testcase")
    assert passing.find("failure") is None
    assert int(root.get("failures")) == len(failing)


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_cli_machine_formats_are_json(fmt, tmp_path):
    out = tmp_path / "report.json"
    res = CliRunner().invoke(
        main, ["check", "--isolated", "--output-format", fmt, "--output-file", str(out), str(CLEAN_PATH)]
    )
    assert res.exit_code == 0, res.output
    json.loads(out.read_text(encoding="utf-8"))


def test_cli_json_is_a_list_of_diagnostics(tmp_path):
    f = tmp_path / "demo.bpo"
    f.write_text(BAD, encoding="utf-8")
    res = CliRunner().invoke(main, ["check", "--isolated", "--output-format", "json", str(f)])
    assert res.exit_code == 1
    data = json.loads(res.output)
    assert any(d["code"] == "BPO501" and d["span"]["line"] == 7 for d in data)
