"""The `bpo` command line: exit codes, output formats, file discovery, internal errors, pipes.

Exit-code contract (RELIABILITY.md item 35): 0 clean, 1 findings, 2 usage / input /
internal error.  Broken inputs use language errors (BPO0xx) and the assertions look
only at those, so the tests hold whatever the validator's rules (BPO1xx and up,
which run inside `bpo check`) add; "clean" inputs are the shipped examples, whose
rule findings are at most warnings.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

import bpolang.check.pipeline
from bpolang.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
EXAMPLE = EXAMPLES / "comptabilite-fournisseurs.bpo"

# line 2: `effective` without its `:` -- BPO001 at 2:12, just after `effective`
BROKEN = 'contract c "T" {\n  effective 2027-01-01\n  term: 36 months\n}\n'


def bpo(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m bpolang ...` in a subprocess (timeout only as a hang guard)."""
    env = dict(os.environ)
    env.pop("BPO_DEBUG", None)
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "bpolang", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        cwd=cwd,
        input=stdin,
        env=env,
    )


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def is_language(code: str) -> bool:
    """BPO001-BPO099: the language's own diagnostics, as opposed to the validator's rules."""
    return len(code) == 6 and code.startswith("BPO0")


def language_json(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    return [d for d in json.loads(proc.stdout) if is_language(d["code"])]


def language_lines(text: str) -> list[str]:
    """Concise output lines of language diagnostics (`path:line:col: BPO0xx [sev] message`)."""
    return [line for line in text.splitlines() if ": BPO0" in line]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.bpo"
    path.write_text(BROKEN, encoding="utf-8")
    return path


# ---------------------------------------------------------------- version, entry points


def test_version():
    proc = bpo("--version")
    assert proc.returncode == 0
    assert proc.stdout == f"bpo {version('bpolang')}\n"
    assert proc.stdout.startswith("bpo 0.")


def test_short_version_flag():
    proc = bpo("-V")
    assert proc.returncode == 0
    assert proc.stdout == f"bpo {version('bpolang')}\n"


def _bpo_script() -> str:
    found = shutil.which("bpo", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the `bpo` console script is not installed beside this interpreter")
    return found


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["--help"],
        ["check", "--help"],
        ["check", "--output-format", "concise", "BROKEN"],
        ["check", "EXAMPLE"],
    ],
    ids=["version", "help", "check-help", "check-broken", "check-example"],
)
def test_python_dash_m_behaves_like_the_bpo_script(args: list[str], broken: Path):
    args = [str(broken) if a == "BROKEN" else str(EXAMPLE) if a == "EXAMPLE" else a for a in args]
    script = subprocess.run([_bpo_script(), *args], capture_output=True, text=True, timeout=60)
    module = bpo(*args)
    assert (module.returncode, module.stdout, module.stderr) == (script.returncode, script.stdout, script.stderr)
    if "--help" in args:
        assert module.stdout.startswith("Usage: bpo ")  # not "python -m bpolang"


# ---------------------------------------------------------------- check: clean and findings


def test_check_clean_example_exits_0():
    proc = bpo("check", str(EXAMPLE))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "error[" not in proc.stdout  # rules may warn about an example, never error
    assert proc.stderr == ""
    no_traceback(proc)


def test_check_broken_file_full_output(broken: Path):
    proc = bpo("check", str(broken))
    assert proc.returncode == 1
    no_traceback(proc)
    all_lines = proc.stdout.splitlines()
    header = f"{broken}:2:12: error[BPO001] expected `:` after `effective`, found `2027-01-01`"
    assert all_lines.count(header) == 1
    at = all_lines.index(header)
    lines = all_lines[at : at + 7]
    assert lines[1] == "  |"
    assert lines[2] == "2 |   effective 2027-01-01"
    # the caret sits under column 12 of the source line: 4 characters of gutter + 11
    assert lines[3] == "  |            ^"
    assert lines[3].index("^") == lines[2].index("effective") + len("effective")
    assert lines[4] == "  |"
    assert lines[5] == "  = help: write `effective: 2027-01-01`"
    assert lines[6] == ""
    assert all_lines[-1].startswith("Found ") and " error" in all_lines[-1]
    assert "\x1b[" not in proc.stdout  # no colour when stdout is not a terminal


def test_check_concise(broken: Path):
    proc = bpo("check", "--output-format", "concise", str(broken))
    assert proc.returncode == 1
    assert language_lines(proc.stdout) == [
        f"{broken}:2:12: BPO001 [error] expected `:` after `effective`, found `2027-01-01`"
    ]
    # one line per finding, then the summary, all on stdout as with --output-format full (and ruff)
    *findings, summary = proc.stdout.splitlines()
    assert all(line.startswith(f"{broken}:") for line in findings)
    assert summary.startswith("Found ") and " error" in summary
    assert proc.stderr == ""
    no_traceback(proc)


def test_check_json(broken: Path):
    proc = bpo("check", "--output-format", "json", str(broken))
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert isinstance(data, list)
    assert all({"code", "name", "severity", "message", "span", "path"} <= set(d) for d in data)
    (d,) = language_json(proc)
    assert d["code"] == "BPO001"
    assert d["name"] == "syntax-error"
    assert d["severity"] == "error"
    assert d["path"] == str(broken)
    assert d["span"] == {"start": 28, "end": 28, "line": 2, "col": 12, "end_line": 2, "end_col": 12}
    assert d["help"] == "write `effective: 2027-01-01`"
    no_traceback(proc)


def test_check_json_clean_is_an_empty_list():
    proc = bpo("check", "--output-format", "json", str(EXAMPLE))
    assert proc.returncode == 0
    assert isinstance(json.loads(proc.stdout), list)
    assert language_json(proc) == []
    assert all(d["severity"] != "error" for d in json.loads(proc.stdout))


def test_exit_zero_keeps_the_report(broken: Path):
    proc = bpo("check", "--exit-zero", "--output-format", "concise", str(broken))
    assert proc.returncode == 0
    assert language_lines(proc.stdout) == [
        f"{broken}:2:12: BPO001 [error] expected `:` after `effective`, found `2027-01-01`"
    ]


def test_check_reads_stdin():
    proc = bpo("check", "--output-format", "concise", "-", stdin=BROKEN)
    assert proc.returncode == 1
    assert [line.split(" [")[0] for line in language_lines(proc.stdout)] == ["<stdin>:2:12: BPO001"]


def test_several_files_all_reported(tmp_path: Path, broken: Path):
    other = tmp_path / "other.bpo"
    other.write_text('contract d "U" {\n  term: 36monthz\n}\n', encoding="utf-8")
    proc = bpo("check", "--output-format", "concise", str(broken), str(other), str(EXAMPLE))
    assert proc.returncode == 1
    assert language_lines(proc.stdout) == [
        f"{broken}:2:12: BPO001 [error] expected `:` after `effective`, found `2027-01-01`",
        f"{other}:2:9: BPO002 [error] `36monthz` is not a valid number or name",
    ]


# ---------------------------------------------------------------- finding files


def test_folder_recursion_skips_hidden_folders(tmp_path: Path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a" / ".cache").mkdir()
    (tmp_path / "a" / "b" / "deep.bpo").write_text(BROKEN, encoding="utf-8")
    (tmp_path / ".hidden" / "skipped.bpo").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "a" / ".cache" / "skipped.bpo").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "a" / ".hidden-file.bpo").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "notes.txt").write_text(BROKEN, encoding="utf-8")  # not a .bpo file
    shutil.copy(EXAMPLE, tmp_path / "good.bpo")
    proc = bpo("check", "--output-format", "json", str(tmp_path))
    assert proc.returncode == 1
    assert {d["path"] for d in language_json(proc)} == {str(tmp_path / "a" / "b" / "deep.bpo")}
    # the files read are exactly deep.bpo and good.bpo (rule findings name them too)
    assert {d["path"] for d in json.loads(proc.stdout)} <= {
        str(tmp_path / "a" / "b" / "deep.bpo"),
        str(tmp_path / "good.bpo"),
    }


def test_folder_of_examples_is_clean():
    proc = bpo("check", "--output-format", "json", str(EXAMPLES))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert language_json(proc) == []
    paths = {Path(d["path"]) for d in json.loads(proc.stdout)}
    # the real agreements raise their ledger's findings, reported but not failing the run
    # (examples/real/bpolang.toml: fail-on = "never"); the curated examples at most warnings
    assert {p.name for p in paths if p.parent.name == "real"} == {p.name for p in (EXAMPLES / "real").glob("*.bpo")}
    assert {p.name for p in paths if p.parent.name != "real"} <= {p.name for p in EXAMPLES.glob("*.bpo")}


def test_no_files_found_exits_2(tmp_path: Path):
    (tmp_path / "readme.txt").write_text("nothing here\n", encoding="utf-8")
    proc = bpo("check", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr == f"bpo: error: no .bpo files found in {tmp_path}\n"
    no_traceback(proc)


def test_missing_file_exits_2(tmp_path: Path):
    missing = tmp_path / "nope.bpo"
    proc = bpo("check", str(missing))
    assert proc.returncode == 2
    assert proc.stderr == f"bpo: error: {missing}: no such file\n"
    no_traceback(proc)


def test_missing_file_beside_a_broken_one_still_exits_2(tmp_path: Path, broken: Path):
    proc = bpo("check", "--output-format", "concise", str(tmp_path / "nope.bpo"), str(broken))
    assert proc.returncode == 2  # an input error outranks findings
    assert language_lines(proc.stdout) == [
        f"{broken}:2:12: BPO001 [error] expected `:` after `effective`, found `2027-01-01`"
    ]
    assert "nope.bpo: no such file" in proc.stderr


def test_missing_file_does_not_claim_all_checks_passed(tmp_path: Path):
    proc = bpo("check", str(tmp_path / "nope.bpo"))
    assert proc.returncode == 2
    assert "All checks passed" not in proc.stdout


@pytest.mark.parametrize(
    "args",
    [[], ["check"], ["check", "--bogus", "x.bpo"], ["check", "--output-format", "xml", "x.bpo"], ["frobnicate"]],
    ids=["no-command", "no-paths", "unknown-option", "bad-format", "unknown-command"],
)
def test_usage_errors_exit_2(args: list[str]):
    proc = bpo(*args)
    assert proc.returncode == 2
    no_traceback(proc)


# ---------------------------------------------------------------- colour


def test_color_flag_colours_the_header(broken: Path):
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--color", str(broken)], color=True)
    assert result.exit_code == 1
    assert "\x1b[1;31merror[BPO001]" in result.stdout


def test_color_flag_survives_a_pipe(broken: Path):
    proc = bpo("check", "--color", str(broken))
    assert proc.returncode == 1
    assert "\x1b[" in proc.stdout


def test_no_color_environment_variable(broken: Path):
    runner = CliRunner(env={"NO_COLOR": "1"})
    result = runner.invoke(main, ["check", str(broken)], color=True)
    assert result.exit_code == 1
    assert "\x1b[" not in result.stdout


# ---------------------------------------------------------------- internal errors


def _boom(source):
    raise RuntimeError("kaboom in the parser")


def test_internal_error_exits_2_with_a_report_request(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bpolang.check.pipeline, "parse_source", _boom)
    monkeypatch.delenv("BPO_DEBUG", raising=False)
    # --no-cache: an unchanged file's cached result would not reach the broken parser
    result = CliRunner().invoke(main, ["check", "--no-cache", str(EXAMPLE)])
    assert result.exit_code == 2  # not 1: an internal error is not a finding
    out = result.output
    assert "internal error" in out
    assert "RuntimeError: kaboom in the parser" in out
    assert "report" in out
    assert "Traceback" not in out
    assert "All checks passed" not in out


def test_internal_error_on_stdin_exits_2(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bpolang.check.pipeline, "parse_source", _boom)
    monkeypatch.delenv("BPO_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["check", "-"], input=BROKEN)
    assert result.exit_code == 2
    assert "internal error" in result.output
    assert "Traceback" not in result.output


def test_internal_error_traceback_with_bpo_debug(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bpolang.check.pipeline, "parse_source", _boom)
    monkeypatch.setenv("BPO_DEBUG", "1")
    result = CliRunner().invoke(main, ["check", "--no-cache", str(EXAMPLE)])
    assert result.exit_code == 2
    assert "Traceback" in result.output


# ---------------------------------------------------------------- broken pipe


@pytest.mark.parametrize("fmt", ["full", "concise", "json"])
def test_broken_pipe_is_quiet(tmp_path: Path, fmt: str):
    """`bpo check many/ | head -1`: the reader goes away; no traceback, no 'Exception ignored'."""
    body = "\n".join(f"  effective{i} 2027-01-01" for i in range(60))
    for i in range(40):  # 40 files x 50 reported errors: far more than a pipe buffer
        (tmp_path / f"f{i:02}.bpo").write_text('contract c "T" {\n' + body + "\n}\n", encoding="utf-8")
    env = dict(os.environ)
    env.pop("BPO_DEBUG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bpolang", "check", "--output-format", fmt, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # like `head -1` exiting
    try:
        err = proc.stderr.read().decode("utf-8", "replace")
        rc = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert first.strip()
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err
    assert "Exception ignored" not in err
    assert rc == 1
