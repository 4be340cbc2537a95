"""Configuration: discovery, validation (a typo is an error), selection, severities, per-file ignores."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bpolang.check.config import ConfigError, ConfigResolver, find_config_file, line_length_for_path, load_config
from bpolang.cli import main

CONTRACT = """contract demo "Demo" {
  effective: 2027-01-01
  term: 36 months
  milestone first_close "First close" {}
  penalty late_close "Late close" {
    applies_to: first_close
    trigger: late
  }
}
"""


def run(*args, cwd: Path | None = None):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def repo(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "contracts").mkdir()
    f = tmp_path / "contracts" / "demo.bpo"
    f.write_text(CONTRACT, encoding="utf-8")
    return tmp_path


def test_unknown_key_is_an_error_naming_key_and_file(repo):
    cfg = repo / "bpolang.toml"
    cfg.write_text('selct = ["BPO501"]\n', encoding="utf-8")
    res = run("check", str(repo / "contracts"))
    assert res.exit_code == 2
    assert "unknown key `selct`" in res.output and str(cfg) in res.output


def test_unknown_key_in_pyproject(repo):
    (repo / "pyproject.toml").write_text("[tool.bpolang]\nline_lenght = 90\n", encoding="utf-8")
    res = run("check", str(repo / "contracts"))
    assert res.exit_code == 2 and "tool.bpolang.line_lenght" in res.output


def test_unknown_code_and_bad_values_are_errors(repo):
    cfg = repo / "bpolang.toml"
    for text, words in [
        ('ignore = ["BPO999"]\n', "unknown rule code, name or area `BPO999`"),
        ('severity = { BPO501 = "fatal" }\n', "severity"),
        ("line-length = 20\n", "line-length"),
        ('ignore = ["BPO014"]\n', "always on"),
        ("select = [\n", "invalid TOML"),
    ]:
        cfg.write_text(text, encoding="utf-8")
        res = run("check", str(repo / "contracts"))
        assert res.exit_code == 2, text
        assert words in res.output, (text, res.output)


def test_nearest_configuration_wins_and_stops_at_git(repo, tmp_path_factory):
    (repo / "bpolang.toml").write_text('ignore = ["BPO501"]\n', encoding="utf-8")
    assert find_config_file(repo / "contracts" / "demo.bpo") == repo / "bpolang.toml"
    (repo / "contracts" / "pyproject.toml").write_text('[tool.bpolang]\nselect = ["penalties"]\n', encoding="utf-8")
    assert find_config_file(repo / "contracts" / "demo.bpo") == repo / "contracts" / "pyproject.toml"
    # a pyproject without [tool.bpolang] is skipped
    (repo / "contracts" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config_file(repo / "contracts" / "demo.bpo") == repo / "bpolang.toml"
    # nothing is read above the repository root
    inner = repo / "inner"
    inner.mkdir()
    (inner / ".git").mkdir()
    assert find_config_file(inner / "x.bpo") is None


def test_select_ignore_severity_and_per_file_ignores(repo):
    f = repo / "contracts" / "demo.bpo"
    res = run("check", "--output-format", "concise", str(f))
    assert "BPO501 [error]" in res.output
    (repo / "bpolang.toml").write_text('ignore = ["penalty-needs-deadline"]\n', encoding="utf-8")
    assert "BPO501" not in run("check", "--output-format", "concise", str(f)).output
    (repo / "bpolang.toml").write_text(
        'select = ["BPO501"]\nseverity = { penalty-needs-deadline = "warning" }\n', encoding="utf-8"
    )
    res = run("check", "--output-format", "concise", str(f))
    assert "BPO501 [warning]" in res.output and res.exit_code == 0
    (repo / "bpolang.toml").write_text(
        'select = ["penalties"]\n[per-file-ignores]\n"contracts/*.bpo" = ["BPO501"]\n', encoding="utf-8"
    )
    assert "BPO501" not in run("check", "--output-format", "concise", str(f)).output
    # --isolated ignores the file; --config names one
    assert "BPO501" in run("check", "--isolated", "--output-format", "concise", str(f)).output
    other = repo / "other.toml"
    other.write_text('select = ["governance"]\n', encoding="utf-8")
    assert "BPO501" not in run("check", "--config", str(other), "--output-format", "concise", str(f)).output


def test_extend_select_and_jurisdiction(repo):
    f = repo / "contracts" / "demo.bpo"
    (repo / "bpolang.toml").write_text(
        'select = ["governance"]\nextend-select = ["BPO501"]\njurisdiction = "fr"\n', encoding="utf-8"
    )
    cfg = ConfigResolver().for_path(f)
    assert "BPO501" in cfg.enabled and "BPO601" in cfg.enabled and "BPO301" not in cfg.enabled
    assert cfg.jurisdiction == "FR"


def test_line_length_for_path(repo):
    f = repo / "contracts" / "demo.bpo"
    assert line_length_for_path(f) is None
    (repo / "bpolang.toml").write_text("line-length = 88\n", encoding="utf-8")
    assert line_length_for_path(f) == 88
    assert load_config(repo / "bpolang.toml").settings.line_length == 88
    (repo / "bpolang.toml").write_text("oops = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        line_length_for_path(f)
    with pytest.raises(ConfigError):
        load_config(repo / "bpolang.toml")


def test_select_and_ignore_options(repo):
    f = repo / "contracts" / "demo.bpo"
    (repo / "bpolang.toml").write_text('ignore = ["BPO501"]\n', encoding="utf-8")
    # --select replaces the configuration's selection; its ignore list still applies
    out = run("check", "--select", "penalties", "--output-format", "concise", str(f)).output
    assert "BPO502" in out and "BPO501" not in out
    assert "BPO501" in run("check", "--isolated", "--select", "penalties", "--output-format", "concise", str(f)).output
    res = run("check", "--select", "language", str(f))
    assert res.exit_code == 0 and "All checks passed." in res.output
    assert "BPO502" not in run("check", "--isolated", "--ignore", "BPO502", "--output-format", "concise", str(f)).output
    assert run("check", "--select", "no-such-rule", str(f)).exit_code == 2
