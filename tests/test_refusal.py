"""Commands that produce something from a contract refuse one with errors, as the docs promise.

"Errors" are what `bpo check` reports at error severity (the language's diagnostics and the rules'
findings, after configuration and suppressions): the decision is the check driver's, not a
second list kept by the commands.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bpolang.cli import main

# language-clean, but the rules find no client, no provider and no pricing (BPO101 x2, BPO301)
NO_PARTIES = """contract np "Sans parties" {
  language: fr
  governing_law: FR
  effective: 2027-01-01
  term: 12 months
}
"""
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "comptabilite-fournisseurs.bpo"

COMMANDS = [
    ("render", ["--to", "md"]),
    ("render", ["--to", "docx", "-o", "out.docx"]),
    ("calendar", ["--to", "csv"]),
    ("summary", []),
    ("export", ["--to", "yaml"]),
]


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(("command", "extra"), COMMANDS, ids=lambda v: v if isinstance(v, str) else " ".join(v))
def test_a_contract_with_rule_errors_is_refused(tmp_path: Path, monkeypatch, command: str, extra: list[str]):
    monkeypatch.chdir(tmp_path)
    Path("np.bpo").write_text(NO_PARTIES, encoding="utf-8")
    res = invoke(command, "np.bpo", *extra)
    assert res.exit_code == 1, res.output
    assert res.stdout == ""
    assert not Path("out.docx").exists()
    lines = res.stderr.splitlines()
    assert lines[:3] == [
        "np.bpo:1:1: BPO101 [error] the contract names no client",
        "np.bpo:1:1: BPO101 [error] the contract names no provider",
        "np.bpo:1:1: BPO301 [error] the contract has no `pricing` block",
    ]
    assert lines[3] == "bpo: error: np.bpo has 3 errors (see `bpo check np.bpo`); fix them or use --force"
    assert "[warning]" not in res.stderr  # only what makes it refuse

    forced = invoke(command, "np.bpo", *extra, "--force")
    assert forced.exit_code == 0, forced.output


def test_diff_refuses_either_side_with_errors(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("np.bpo").write_text(NO_PARTIES, encoding="utf-8")
    res = invoke("diff", str(EXAMPLE), "np.bpo")
    assert res.exit_code == 1 and "BPO101 [error]" in res.stderr and res.stdout == ""
    assert "np.bpo has 3 errors" in res.stderr


def test_the_configuration_decides_what_is_an_error(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("np.bpo").write_text(NO_PARTIES, encoding="utf-8")
    Path("bpolang.toml").write_text('severity = { BPO101 = "warning" }\nignore = ["BPO301"]\n', encoding="utf-8")
    res = invoke("summary", "np.bpo")
    assert res.exit_code == 0, res.output
    assert "BPO101" not in res.stderr


def test_a_suppressed_error_does_not_refuse(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "# bpo: ignore-file[BPO101, BPO301] a draft shown to the parties\n" + NO_PARTIES
    Path("np.bpo").write_text(text, encoding="utf-8")
    assert invoke("check", "np.bpo", "--select", "BPO101,BPO301").exit_code == 0
    res = invoke("render", "np.bpo", "--to", "md")
    assert res.exit_code == 0, res.output


def test_a_bad_configuration_exits_2(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("np.bpo").write_text(NO_PARTIES, encoding="utf-8")
    Path("bpolang.toml").write_text("selct = []\n", encoding="utf-8")
    res = invoke("render", "np.bpo", "--to", "md")
    assert res.exit_code == 2 and "unknown key `selct`" in res.stderr


def test_the_examples_are_not_refused():
    res = invoke("summary", str(EXAMPLE))
    assert res.exit_code == 0, res.output


def test_load_returns_the_language_diagnostics_check_file_every_finding(tmp_path: Path):
    import bpolang

    path = tmp_path / "np.bpo"
    path.write_text(NO_PARTIES, encoding="utf-8")
    loaded = bpolang.load(path)
    assert loaded.diagnostics == [] and not loaded.has_errors  # valid language, as docs/api.md says
    checked = bpolang.check_file(path)
    assert checked.has_errors
    assert [d.code for d in checked.diagnostics if d.severity.value == "error"] == ["BPO101", "BPO101", "BPO301"]
    assert not bpolang.check_file(EXAMPLE).has_errors
