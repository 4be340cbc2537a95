"""`bpo check` behaves as ruff users expect: discovery, exclusions, stdin, fail-on, fix marks, colour."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_docs import FULL_BLOCKS

from bpolang.cli import main

(_FIRST,) = [b.text for b in FULL_BLOCKS if b.path.name == "getting-started.md"]
CLEAN = _FIRST  # no error; warnings and info messages
BROKEN = 'contract a "A" {\n  term: 36 moons\n}\n'


def check(*args: str, input: str | None = None, env: dict | None = None):
    return CliRunner().invoke(main, ["check", "--no-cache", *args], input=input, env=env)


def listed(tmp_path: Path, *args: str) -> list[str]:
    """The files a run checks, relative to tmp_path (each file gets a finding: BROKEN)."""
    res = check("--output-format", "concise", *args)
    assert res.exit_code in (0, 1), res.output
    names = {line.split(":", 1)[0] for line in res.stdout.splitlines() if ":" in line and "BPO" in line}
    return sorted(Path(n).resolve().relative_to(tmp_path.resolve()).as_posix() for n in names)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch) -> Path:
    """A git repository of contracts with ignored, excluded and hidden ones."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("local/\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("drafts/\n*.tmp.bpo\n!keep.tmp.bpo\n", encoding="utf-8")
    for name in [
        "a.bpo",
        "x.tmp.bpo",
        "keep.tmp.bpo",
        "drafts/d.bpo",
        "local/l.bpo",
        "archive/old.bpo",
        "sub/s.bpo",
        "sub/gone.bpo",
        ".hidden/h.bpo",
        "node_modules/n.bpo",
    ]:
        f = tmp_path / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(BROKEN, encoding="utf-8")
    (tmp_path / "sub" / ".gitignore").write_text("gone.bpo\n", encoding="utf-8")
    return tmp_path


def test_a_folder_is_walked_honouring_gitignore(tree: Path):
    assert listed(tree, ".") == ["a.bpo", "archive/old.bpo", "keep.tmp.bpo", "sub/s.bpo"]


def test_respect_gitignore_can_be_turned_off(tree: Path):
    (tree / "bpolang.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
    assert listed(tree, ".") == [
        "a.bpo",
        "archive/old.bpo",
        "drafts/d.bpo",
        "keep.tmp.bpo",
        "local/l.bpo",
        "sub/gone.bpo",
        "sub/s.bpo",
        "x.tmp.bpo",
    ]


def test_extend_exclude_adds_to_the_defaults(tree: Path):
    (tree / "bpolang.toml").write_text('extend-exclude = ["archive", "sub/s.bpo"]\n', encoding="utf-8")
    assert listed(tree, ".") == ["a.bpo", "keep.tmp.bpo"]


def test_exclude_replaces_the_defaults(tree: Path):
    (tree / "bpolang.toml").write_text('exclude = ["archive"]\n', encoding="utf-8")
    assert listed(tree, ".") == [".hidden/h.bpo", "a.bpo", "keep.tmp.bpo", "node_modules/n.bpo", "sub/s.bpo"]


def test_a_named_file_is_checked_unless_force_exclude(tree: Path):
    (tree / "bpolang.toml").write_text('extend-exclude = ["archive"]\n', encoding="utf-8")
    assert listed(tree, "archive/old.bpo", "drafts/d.bpo") == ["archive/old.bpo", "drafts/d.bpo"]
    assert listed(tree, "--force-exclude", "archive/old.bpo", "a.bpo", "drafts/d.bpo") == ["a.bpo"]
    (tree / "bpolang.toml").write_text('extend-exclude = ["archive"]\nforce-exclude = true\n', encoding="utf-8")
    assert listed(tree, "archive/old.bpo", "a.bpo") == ["a.bpo"]
    # every file named is excluded (pre-commit on an excluded file): nothing to do, exit 0
    res = check("archive/old.bpo")
    assert res.exit_code == 0, res.output
    assert "excluded" in res.stderr


def test_bad_exclusion_settings_exit_2(tree: Path):
    (tree / "bpolang.toml").write_text('extend-exclude = "archive"\n', encoding="utf-8")
    res = check(".")
    assert res.exit_code == 2 and "extend-exclude" in res.stderr and "list of glob patterns" in res.stderr


def test_stdin_filename_names_the_input_and_finds_its_configuration(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts").mkdir()
    (tmp_path / "bpolang.toml").write_text('[per-file-ignores]\n"drafts/*.bpo" = ["BPO101"]\n', encoding="utf-8")
    no_parties = 'contract c "C" {\n  governing_law: FR\n  effective: 2027-01-01\n  term: 12 months\n}\n'
    res = check("--output-format", "concise", "--stdin-filename", "contracts/c.bpo", "-", input=no_parties)
    assert "contracts/c.bpo:1:1: BPO101 [error]" in res.stdout and "<stdin>" not in res.stdout
    res = check("--output-format", "concise", "--stdin-filename", "drafts/c.bpo", "-", input=no_parties)
    assert "BPO101" not in res.stdout and "drafts/c.bpo:1:1: BPO301" in res.stdout


def test_fail_on_in_the_configuration(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("first.bpo").write_text(CLEAN, encoding="utf-8")
    assert check("first.bpo").exit_code == 0
    Path("bpolang.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    assert check("first.bpo").exit_code == 1
    assert check("first.bpo", "--fail-on", "error").exit_code == 0  # the command line wins
    Path("bpolang.toml").write_text('fail-on = "warnings"\n', encoding="utf-8")
    res = check("first.bpo")
    assert res.exit_code == 2
    assert (
        "`fail-on`: expected one of error, warning, info, never, found `warnings`; did you mean `warning`?"
        in res.stderr
    )


def test_fail_on_never_reports_every_finding_and_fails_on_none(tmp_path: Path, monkeypatch):
    """A folder of reference contracts (examples/real) sets `fail-on = "never"`: its findings are
    printed as always, the run is not failed by them, and the rest of the tree still is."""
    monkeypatch.chdir(tmp_path)
    no_parties = 'contract c "C" {\n  governing_law: FR\n  effective: 2027-01-01\n  term: 12 months\n}\n'
    Path("reference").mkdir()
    Path("reference/bpolang.toml").write_text('fail-on = "never"\n', encoding="utf-8")
    Path("reference/r.bpo").write_text(no_parties, encoding="utf-8")
    res = check("--output-format", "concise", "reference")
    assert res.exit_code == 0 and "reference/r.bpo:1:1: BPO101 [error]" in res.stdout
    Path("ours.bpo").write_text(no_parties, encoding="utf-8")
    res = check("--output-format", "concise", ".")
    assert res.exit_code == 1 and "reference/r.bpo:1:1: BPO101" in res.stdout and "ours.bpo:1:1: BPO101" in res.stdout
    assert check("--fail-on", "never", "ours.bpo").exit_code == 0


def test_unknown_configuration_key_gets_a_suggestion(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("first.bpo").write_text(CLEAN, encoding="utf-8")
    Path("pyproject.toml").write_text('[tool.bpolang]\nextend-exlude = ["x"]\n', encoding="utf-8")
    res = check("first.bpo")
    assert res.exit_code == 2
    assert "unknown key `tool.bpolang.extend-exlude`; did you mean `extend-exclude`?" in res.stderr
    Path("pyproject.toml").write_text('[tool.bpolang]\nignore = ["pricng"]\n', encoding="utf-8")
    assert "did you mean `pricing`?" in check("first.bpo").stderr


def test_fixable_findings_are_marked_and_counted(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("c.bpo").write_text(CLEAN.replace("    recovery_indemnity: 40 EUR\n", ""), encoding="utf-8")
    res = check("c.bpo", "--output-format", "concise")
    assert "BPO307 [error] [*] the payment conditions do not state the €40 recovery indemnity" in res.stdout
    assert "BPO209 [warning] the contract" in res.stdout  # no fix: no mark
    assert res.stdout.splitlines()[-1] == "[*] 1 fixable with --fix."
    full = check("c.bpo", "--no-color")
    assert "error[BPO307] [*] the payment conditions" in full.stdout
    assert full.stdout.splitlines()[-2:] == [
        "Found 1 error, 15 warnings, 2 info messages.",  # BPO413: the services have no service level
        "[*] 1 fixable with --fix.",
    ]
    fixed = check("c.bpo", "--fix")
    assert fixed.exit_code == 0 and "fixable" not in fixed.stdout


def test_summary_on_stdout_in_both_text_formats(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("first.bpo").write_text(CLEAN, encoding="utf-8")
    for fmt in ("full", "concise"):
        res = check("first.bpo", "--output-format", fmt)
        assert res.stdout.splitlines()[-1] == "Found 15 warnings, 2 info messages." and res.stderr == ""
    example = Path(__file__).resolve().parent.parent / "examples" / "paie-rh.bpo"
    res = check(str(example), "--output-format", "concise", "--select", "BPO101")
    assert res.stdout == "All checks passed.\n"


def test_force_color_and_no_color(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("b.bpo").write_text(BROKEN, encoding="utf-8")
    assert "\x1b[" in check("b.bpo", env={"FORCE_COLOR": "1", "NO_COLOR": ""}).stdout
    assert "\x1b[" not in check("b.bpo", env={"FORCE_COLOR": "", "NO_COLOR": "1"}).stdout
    assert "\x1b[" not in check("b.bpo", "--no-color", env={"FORCE_COLOR": "1"}).stdout


def test_misspelt_unit_gets_a_suggestion():
    import bpolang

    (d,) = bpolang.parse('contract c "C" {\n  term: 36 monts\n}\n').diagnostics
    assert d.code == "BPO012" and d.help == "did you mean `36 months`?"


@pytest.mark.parametrize("command", sorted(main.commands))
def test_help_texts_are_not_cut(command: str):
    """`bpo --help` on an 80-column terminal lists each command with its whole short help."""
    out = subprocess.run(
        [sys.executable, "-m", "bpolang", "--help"], capture_output=True, text=True, env={"COLUMNS": "80"}
    ).stdout
    line = next(line for line in out.splitlines() if line.strip().startswith(command + " "))
    whole = main.commands[command].get_short_help_str(limit=1000)
    assert line.split(None, 1)[1] == whole, line
    assert not whole.endswith("...")


@pytest.mark.parametrize(
    "args",
    [
        ["check", "nope.bpo"],
        ["check", "--config", "nope.toml", "a.bpo"],
        ["fmt", "nope.bpo"],
        ["render", "nope.bpo", "--to", "md"],
        ["calendar", "nope.bpo", "--to", "csv"],
        ["summary", "nope.bpo"],
        ["export", "nope.bpo"],
        ["import", "nope.yaml"],
        ["diff", "nope.bpo", "a.bpo"],
    ],
    ids=" ".join,
)
def test_one_wording_for_a_missing_file(args: list[str], tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.bpo").write_text(CLEAN, encoding="utf-8")
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2, res.output
    missing = next(a for a in args if a.startswith("nope"))
    assert f"bpo: error: {missing}: no such file\n" in res.stderr


def test_fmt_walks_folders_as_check_does(tree: Path):
    ugly = CLEAN.replace("  language: en\n", "  language:    en\n")
    for f in tree.rglob("*.bpo"):
        f.write_text(ugly, encoding="utf-8")
    (tree / "bpolang.toml").write_text('extend-exclude = ["archive"]\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["fmt", "--check", "."])
    assert res.exit_code == 1
    would = sorted(line.removeprefix("would reformat ") for line in res.stdout.splitlines())
    assert would == ["a.bpo", "keep.tmp.bpo", "sub/s.bpo"]
    res = CliRunner().invoke(main, ["fmt", "--check", "--force-exclude", "archive/old.bpo"])
    assert res.exit_code == 0 and "excluded" in res.stderr


def test_fmt_stdin_filename_names_the_input(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    syntax_error = 'contract a "A" {\n  term: [1, 2\n}\n'
    res = CliRunner().invoke(main, ["fmt", "--stdin-filename", "drafts/c.bpo", "-"], input=syntax_error)
    assert res.exit_code == 1 and "drafts/c.bpo:2:" in res.stderr and "<stdin>" not in res.stderr
