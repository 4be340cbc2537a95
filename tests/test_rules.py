"""The validator's rules: the registry, each rule's documented example and fix, the per-rule YAML cases.

- Every rule of the registry has docs (What it checks / Why it matters / Example / Fix), and
  its Example (wrapped in a contract like the docs' fragments) fires it while its Fix does not.
- tests/rules/<CODE>.yaml holds, for every rule, a failing snippet with the expected code, line
  and column, a passing snippet, and the fixed text where the rule has a fix.
- The examples of the repository have no error-level finding.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import bpolang
from bpolang.base.diagnostics import Severity
from bpolang.check.config import Config
from bpolang.check.driver import findings
from bpolang.check.rules import apply_fixes, run_rules
from bpolang.check.rules.registry import (
    REGISTRY,
    RegistryError,
    load_all,
    lookup,
    parse_sections,
    resolve_selector,
    rule,
)
from bpolang.cli import main
from bpolang.model.build import LANGUAGE_CODES

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "rules"
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))
RULES = [r for r in load_all().values() if r.fn is not None]
FRAGMENT_ALLOWED = {"BPO013", "BPO014", "BPO018", "BPO019"}


def wrap(text: str) -> str:
    """A fragment inside a contract, as tests/test_docs.py wraps the docs' fragments (indented)."""
    header = ['contract doc_example "Example" {']
    if not re.search(r"(?m)^\s*effective\s*:", text):
        header.append("  effective: 2027-01-01")
    if not re.search(r"(?m)^\s*term\s*:", text):
        header.append("  term: 36 months")
    body = "".join("  " + line if line.strip() else line for line in text.splitlines(True))
    return "\n".join(header) + "\n" + body + "}\n"


def bpo_block(section: str) -> str:
    m = re.search(r"```bpo[^\n]*\n(.*?)```", section, re.S)
    assert m, "no ```bpo block"
    return m.group(1)


def codes_of(text: str, code: str) -> list:
    result = bpolang.parse(text)
    return [d for d in run_rules(result, {code}) if d.code == code]


# ------------------------------------------------------------------ the registry
def test_registry_counts_and_areas():
    rules = load_all()
    assert set(LANGUAGE_CODES) <= set(rules)
    assert {"BPO090", "BPO091", "BPO092"} <= set(rules)
    assert len(RULES) >= 60
    prefix = {
        "structure": "BPO1",
        "schedule": "BPO2",
        "pricing": "BPO3",
        "service-levels": "BPO4",
        "penalties": "BPO5",
        "governance": "BPO6",
        "data": "BPO7",
        "other": "BPO8",
        "financial": "BPO9",
    }
    for r in RULES:
        assert r.code.startswith(prefix[r.area]), r.code
        assert r.source and r.applies.label


def test_registry_refuses_duplicates_and_bad_docs():
    doc = "Summary.\n\n## What it checks\nx\n## Why it matters\ny\n## Example\n```bpo\nx\n```\n## Fix\n```bpo\ny\n```\n"

    def fn(ctx):
        return []

    fn.__doc__ = doc
    existing = RULES[0]
    with pytest.raises(RegistryError, match="duplicate rule code"):
        rule(existing.code, "a-brand-new-name", "error", area="structure", source="x")(fn)
    with pytest.raises(RegistryError, match="duplicate rule name"):
        rule("BPO199", existing.name, "error", area="structure", source="x")(fn)
    assert "BPO199" not in REGISTRY

    def undocumented(ctx):
        """Only a summary."""
        return []

    with pytest.raises(RegistryError, match="docstring lacks"):
        rule("BPO198", "undocumented-rule", "error", area="structure", source="x")(undocumented)


def test_lookup_and_selectors():
    assert lookup("bpo501").name == "penalty-needs-deadline"
    assert lookup("penalty-needs-deadline").code == "BPO501"
    assert {r.code for r in resolve_selector("penalties")} >= {"BPO501", "BPO502"}
    assert {r.code for r in resolve_selector("BPO7")} >= {"BPO701", "BPO711"}
    assert resolve_selector("no-such-rule") is None


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.code)
def test_rule_docs_have_sections(r):
    sections = parse_sections(r.doc)
    for name in ("What it checks", "Why it matters", "Example", "Fix"):
        assert sections.get(name), f"{r.code}: no {name}"
    assert r.summary.endswith(".")


@pytest.mark.parametrize("r", RULES, ids=lambda r: r.code)
def test_documented_example_fires_and_fix_does_not(r):
    example = wrap(bpo_block(r.sections["Example"]))
    fixed = wrap(bpo_block(r.sections["Fix"]))
    for text in (example, fixed):
        lang = [d for d in bpolang.parse(text).diagnostics if d.code not in FRAGMENT_ALLOWED]
        assert not lang, f"{r.code}: the documented snippet is not valid: {[(d.code, d.message) for d in lang]}"
    assert codes_of(example, r.code), f"{r.code}: the documented Example does not fire the rule"
    assert not codes_of(fixed, r.code), (
        f"{r.code}: the documented Fix still fires: {[d.message for d in codes_of(fixed, r.code)]}"
    )


# ------------------------------------------------------------------ the YAML cases
def test_every_rule_has_a_case_file():
    have = {p.stem for p in CASES.glob("*.yaml")}
    want = {r.code for r in RULES} | {"BPO090", "BPO091", "BPO092"}
    assert want <= have, f"no case file for {sorted(want - have)}"


def _load_case_files():
    out = []
    for p in sorted(CASES.glob("*.yaml")):
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
        for i, case in enumerate(doc["cases"]):
            out.append(pytest.param(doc, case, id=f"{p.stem}-{i}-{case['name']}"))
    return out


def _diags(doc: dict, text: str) -> list:
    result = bpolang.parse(text, "case.bpo")
    if doc.get("pipeline") == "check":
        return [d for d in findings(result, Config()) if d.code == doc["code"]]
    return [d for d in run_rules(result, {doc["code"]}) if d.code == doc["code"]]


@pytest.mark.parametrize(("doc", "case"), _load_case_files())
def test_rule_case(doc, case):
    code = doc["code"]
    assert lookup(code).name == doc["name"]
    found = _diags(doc, case["fail"])
    got = sorted((d.code, d.span.line, d.span.col) for d in found)
    want = sorted((e["code"], e["line"], e["col"]) for e in case["expect"])
    assert got == want
    if "pass" in case:
        assert not _diags(doc, case["pass"]), f"{code} fires on the passing snippet"
    if "fixed" in case:
        text, n = apply_fixes(case["fail"], found, unsafe=case.get("unsafe", False))
        assert n and text == case["fixed"]
        if not case.get("unsafe", False):
            assert all(d.fix.safe for d in found if d.fix)
        assert len(_diags(doc, text)) < len(found), f"{code}: the fix resolves nothing"


# ------------------------------------------------------------------ the examples and behaviour
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_have_no_error_level_finding(path):
    result = bpolang.load(path)
    errors = [d for d in findings(result, Config()) if d.severity is Severity.ERROR]
    assert not errors, [(d.code, d.span.line if d.span else None, d.message) for d in errors]


def test_flagship_penalty_message():
    text = wrap(bpo_block(lookup("BPO501").sections["Example"]))
    (d,) = codes_of(text, "BPO501")
    assert d.message == "penalty `late_close` applies to milestone `first_close`, which has no date"
    assert d.severity is Severity.ERROR
    assert any(label.message == "this milestone has no `date`" and label.span.line == 5 for label in d.labels)
    assert "first_close" in (d.help or "") and "kickoff + 45 days" in d.help


def test_flagship_retention_message():
    (d,) = codes_of(wrap(bpo_block(lookup("BPO711").sections["Example"])), "BPO711")
    assert d.message == "data `payslips` has no retention period"


def test_redacted_and_tbd_never_trigger_missing_rules():
    text = wrap("""milestone first_close "First close" { date: redacted }
penalty late_close "Late close" {
  applies_to: first_close
  trigger: late
  amount: tbd
  cap: redacted
}
data invoices "Invoices" {
  personal: no
  retention: redacted
}
""")
    result = bpolang.parse(text)
    found = {d.code for d in run_rules(result)}
    assert not found & {"BPO501", "BPO502", "BPO711"}
    assert "BPO108" in found  # the tbd reminder


def test_credit_worst_case_note_shows_the_arithmetic():
    (d,) = codes_of(wrap(bpo_block(lookup("BPO406").sections["Example"])), "BPO406")
    assert d.notes == [
        "worst month: 6% (`processing` worst step) + 6% (`accuracy` worst step) = 12% of monthly_fees > 10%"
    ]


def test_applicability_gates():
    fr = wrap(
        'governing_law: FR\npricing {\n  currency: EUR\n  model: fixed\n  fee run "Fee": 100 EUR every month\n}\n'
    )
    de = fr.replace("governing_law: FR", "governing_law: DE")
    assert codes_of(fr, "BPO307") and not codes_of(de, "BPO307")
    # the configured jurisdiction applies when the contract gives no governing law
    none = fr.replace("  governing_law: FR\n", "")
    assert not codes_of(none, "BPO307")
    result = bpolang.parse(none)
    assert [d for d in run_rules(result, {"BPO307"}, jurisdiction="FR") if d.code == "BPO307"]


def test_a_crashing_rule_is_an_internal_error(monkeypatch, tmp_path):
    r = lookup("BPO501")

    def boom(ctx):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(r, "fn", boom)
    f = tmp_path / "a.bpo"
    f.write_text(wrap('penalty p "P" { applies_to: tbd }\n'), encoding="utf-8")
    res = CliRunner().invoke(main, ["check", "--isolated", str(f)])
    assert res.exit_code == 2
    assert "internal error" in res.output and "Please report" in res.output


def test_check_fix_applies_safe_fixes(tmp_path):
    f = tmp_path / "a.bpo"
    case = yaml.safe_load((CASES / "BPO307.yaml").read_text(encoding="utf-8"))["cases"][0]
    f.write_text(case["fail"], encoding="utf-8")
    res = CliRunner().invoke(main, ["check", "--isolated", "--fix", "--output-format", "concise", str(f)])
    assert f.read_text(encoding="utf-8") == case["fixed"]
    assert "BPO307" not in res.output
    assert "Fixed 1 finding" in res.output


def test_check_fix_leaves_unsafe_fixes_unless_asked(tmp_path):
    f = tmp_path / "a.bpo"
    case = yaml.safe_load((CASES / "BPO302.yaml").read_text(encoding="utf-8"))["cases"][0]
    f.write_text(case["fail"], encoding="utf-8")
    CliRunner().invoke(main, ["check", "--isolated", "--fix", str(f)])
    assert f.read_text(encoding="utf-8") == case["fail"]
    CliRunner().invoke(main, ["check", "--isolated", "--fix", "--unsafe-fixes", str(f)])
    assert f.read_text(encoding="utf-8") == case["fixed"]


def test_fail_on_and_exit_codes(tmp_path):
    f = tmp_path / "a.bpo"
    f.write_text(wrap(bpo_block(lookup("BPO304").sections["Example"])), encoding="utf-8")
    runner = CliRunner()
    cfg = tmp_path / "bpolang.toml"
    cfg.write_text('select = ["BPO304"]\n', encoding="utf-8")
    assert runner.invoke(main, ["check", str(f)]).exit_code == 0
    assert runner.invoke(main, ["check", "--fail-on", "info", str(f)]).exit_code == 1
    assert runner.invoke(main, ["check", "--fail-on", "info", "--exit-zero", str(f)]).exit_code == 0


def test_rules_and_rule_commands():
    runner = CliRunner()
    res = runner.invoke(main, ["rules"])
    assert res.exit_code == 0 and "BPO501" in res.output and "penalty-needs-deadline" in res.output
    import json

    data = json.loads(runner.invoke(main, ["rules", "--output-format", "json"]).output)
    assert {d["code"] for d in data} == set(load_all())
    res = runner.invoke(main, ["rule", "fr-payment-term-cap"])
    assert res.exit_code == 0
    assert "applies to: governing law FR" in res.output and "L441-10" in res.output and "## Example" in res.output
    assert runner.invoke(main, ["rule", "BPO999"]).exit_code == 2


def test_check_path_imports_no_heavy_module():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from bpolang.cli import main\n"
        f"CliRunner().invoke(main, ['check', '--isolated', {str(EXAMPLES[0])!r}])\n"
        "heavy = [m for m in ('jinja2', 'jsonschema', 'yaml', 'markdown_it', 'weasyprint') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


@pytest.mark.parametrize(
    ("entry", "rule"),
    [
        ("    acknowledgement: 1 business_day\n", "BPO104"),  # a unit the language does not know
        ('    channels: "phone"\n', "BPO104"),  # a text where a list of words is expected
    ],
)
def test_a_refused_value_is_one_finding_not_two(entry: str, rule: str) -> None:
    """A key whose value the language refuses (BPO012) is written: the rule that asks for it stays silent."""
    text = wrap(f'service desk "Help desk" {{\n{entry}  }}\n')
    codes = [d.code for d in findings(bpolang.parse(text, "case.bpo"), Config())]
    assert "BPO012" in codes
    key = entry.split(":")[0].strip()
    messages = [d.message for d in findings(bpolang.parse(text, "case.bpo"), Config()) if d.code == rule]
    assert not any(f"`{key}`" in m for m in messages), messages
    # and without the key at all, the rule asks for it
    bare = [d.message for d in findings(bpolang.parse(wrap('service desk "Help desk" {}\n'), "c.bpo"), Config())]
    assert any(f"`{key}`" in m for m in bare)


def test_every_rule_has_a_case_beyond_its_documented_example() -> None:
    """Issue 15: besides the documented example, each rule has a failing case with a passing twin."""
    thin = []
    for rule_ in RULES:
        doc = yaml.safe_load((CASES / f"{rule_.code}.yaml").read_text(encoding="utf-8"))
        extra = [c for c in doc["cases"] if c["name"] != "documented example" and c.get("expect") and "pass" in c]
        if not extra:
            thin.append(rule_.code)
    assert not thin, f"no case beyond the documented example, with a passing twin: {thin}"
