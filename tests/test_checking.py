"""`bpo check` over many files: the result cache, the process pool, parallel runs, the progress bar."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import bpolang.check.pipeline
from bpolang.check import runner as checking
from bpolang.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))
BROKEN = 'contract c "T" {\n  language: fr\n  term: 36\n}\n'


def _boom(source):
    raise RuntimeError("kaboom in the parser")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BPO_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    """24 contracts: the examples copied six times, one of them broken."""
    root = tmp_path / "portfolio"
    for i in range(6):
        for ex in EXAMPLES:
            target = root / f"batch{i}" / ex.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ex, target)
    (root / "batch3" / "broken.bpo").write_text(BROKEN, encoding="utf-8")
    return root


def _check(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def test_an_unchanged_file_is_not_checked_again(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch):
    f = tmp_path / "c.bpo"
    f.write_text(BROKEN, encoding="utf-8")
    first = _check(str(f))
    assert first.exit_code == 1 and "BPO012" in first.output
    # The parser is now broken: only a cache hit can still give the same answer.
    monkeypatch.setattr(bpolang.check.pipeline, "parse_source", _boom)
    again = _check(str(f))
    assert again.exit_code == 1
    assert again.output == first.output
    # Any change to the file is checked again (and reaches the broken parser).
    f.write_text(BROKEN + "# a comment\n", encoding="utf-8")
    changed = _check(str(f))
    assert changed.exit_code == 2 and "kaboom" in changed.output


def test_no_cache_checks_again(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch):
    f = tmp_path / "c.bpo"
    f.write_text(BROKEN, encoding="utf-8")
    assert _check(str(f)).exit_code == 1
    monkeypatch.setattr(bpolang.check.pipeline, "parse_source", _boom)
    assert _check("--no-cache", str(f)).exit_code == 2


def test_bpo_no_cache_environment_turns_it_off(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch):
    f = tmp_path / "c.bpo"
    f.write_text(BROKEN, encoding="utf-8")
    monkeypatch.setenv("BPO_NO_CACHE", "1")
    assert _check(str(f)).exit_code == 1
    assert not cache_dir.exists()


def test_a_configuration_change_is_seen(tmp_path: Path, cache_dir: Path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").mkdir()
    f = repo / "c.bpo"
    f.write_text(BROKEN, encoding="utf-8")
    config = repo / "bpolang.toml"
    config.write_text('ignore = ["BPO102"]\n', encoding="utf-8")
    first = json.loads(_check("--output-format", "json", str(f)).output)
    assert "BPO012" in {d["code"] for d in first}
    assert "BPO102" not in {d["code"] for d in first}
    assert {d["severity"] for d in first if d["code"] == "BPO201"} == {"error"}
    config.write_text('severity = { BPO201 = "info" }\n', encoding="utf-8")
    second = json.loads(_check("--output-format", "json", str(f)).output)
    assert "BPO102" in {d["code"] for d in second}
    assert {d["severity"] for d in second if d["code"] == "BPO201"} == {"info"}
    # An invalid configuration is reported even though the file itself is unchanged.
    config.write_text("selct = []\n", encoding="utf-8")
    bad = _check(str(f))
    assert bad.exit_code == 2 and "unknown key `selct`" in bad.output


def test_command_line_rule_options_are_part_of_the_key(tmp_path: Path, cache_dir: Path):
    f = tmp_path / "c.bpo"
    f.write_text(BROKEN, encoding="utf-8")
    everything = json.loads(_check("--isolated", "--output-format", "json", str(f)).output)
    only = json.loads(_check("--isolated", "--select", "BPO108", "--output-format", "json", str(f)).output)
    assert len(only) < len(everything)
    assert json.loads(_check("--isolated", "--output-format", "json", str(f)).output) == everything


def test_a_new_bpolang_does_not_read_old_results(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch):
    f = tmp_path / "c.bpo"
    f.write_text(BROKEN, encoding="utf-8")
    assert _check(str(f)).exit_code == 1
    monkeypatch.setattr(bpolang.check.pipeline, "parse_source", _boom)
    monkeypatch.setattr(checking, "code_fingerprint", lambda: "another version")
    assert _check(str(f)).exit_code == 2


def test_the_code_fingerprint_follows_the_source_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    before = checking.code_fingerprint()
    assert before == checking.code_fingerprint.__wrapped__()
    module = Path(checking.__file__)
    stat = module.stat()
    try:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert checking.code_fingerprint.__wrapped__() != before
    finally:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_corrupt_entry_is_recomputed(tmp_path: Path, cache_dir: Path):
    f = tmp_path / "c.bpo"
    f.write_text(BROKEN, encoding="utf-8")
    first = _check(str(f))
    entries = list(cache_dir.rglob("*.json"))
    check_entries = [e for e in entries if "check" in e.parts]
    assert len(check_entries) == 1
    check_entries[0].write_text("{not json", encoding="utf-8")
    again = _check(str(f))
    assert again.output == first.output
    assert json.loads(check_entries[0].read_text(encoding="utf-8"))["diagnostics"]


def test_the_pool_finds_what_one_process_finds(portfolio: Path, cache_dir: Path):
    one = _check("--no-cache", "--jobs", "1", "--output-format", "json", str(portfolio))
    two = _check("--no-cache", "--jobs", "2", "--output-format", "json", str(portfolio))
    assert one.exit_code == two.exit_code == 1
    assert json.loads(one.output) == json.loads(two.output)
    assert any(d["path"].endswith("broken.bpo") for d in json.loads(two.output))


def test_an_internal_error_in_a_worker_exits_2(portfolio: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bpolang.check.pipeline, "parse_source", _boom)  # the forked workers inherit it
    result = _check("--no-cache", "--jobs", "2", str(portfolio))
    assert result.exit_code == 2
    assert "internal error" in result.output and "kaboom" in result.output


def test_cached_and_computed_results_are_the_same(portfolio: Path, cache_dir: Path):
    cold = _check("--jobs", "2", "--output-format", "json", str(portfolio))
    warm = _check("--jobs", "2", "--output-format", "json", str(portfolio))
    assert json.loads(cold.output) == json.loads(warm.output)
    assert (cold.exit_code, warm.exit_code) == (1, 1)


@pytest.mark.slow
def test_parallel_runs_over_overlapping_trees(portfolio: Path, tmp_path: Path):
    """Eight `bpo check` processes at once on overlapping folders share one cache safely."""
    env = {**os.environ, "BPO_CACHE_DIR": str(tmp_path / "shared-cache")}
    targets = [portfolio, portfolio / "batch3", portfolio / "batch1", portfolio] * 2
    cmd = [sys.executable, "-m", "bpolang", "check", "--output-format", "json"]
    procs = [subprocess.Popen([*cmd, str(t)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for t in targets]
    outs = [(p.communicate(timeout=300), p.returncode) for p in procs]
    by_target: dict[str, set[str]] = {}
    for target, ((out, err), code) in zip(targets, outs):
        assert code == (0 if target.name == "batch1" else 1), err.decode()  # batch3 holds the broken file
        assert b"Traceback" not in err
        by_target.setdefault(str(target), set()).add(out.decode())
    assert all(len(v) == 1 for v in by_target.values())  # deterministic, whatever ran first
    for entry in (tmp_path / "shared-cache").rglob("*.json"):
        json.loads(entry.read_text(encoding="utf-8"))  # never half-written
    assert not list((tmp_path / "shared-cache").rglob(".tmp-*"))
    # and the shared cache then gives the same answers
    warm = subprocess.run([*cmd, str(portfolio)], capture_output=True, env=env, timeout=300)
    assert {warm.stdout.decode()} == by_target[str(portfolio)]


def _run_in_terminal(args: list[str], env: dict[str, str]) -> str:
    import pty
    import select

    leader, follower = pty.openpty()
    proc = subprocess.Popen(args, stdin=follower, stdout=subprocess.DEVNULL, stderr=follower, env=env, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode(errors="replace")


def test_progress_bar_on_a_terminal_only(tmp_path: Path):
    folder = tmp_path / "many"
    folder.mkdir()
    text = 'contract c "T" {\n  language: en\n}\n'
    for i in range(checking.MIN_FILES_FOR_PROGRESS):
        (folder / f"c{i}.bpo").write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["BPO_NO_CACHE"] = "1"
    cmd = [sys.executable, "-m", "bpolang", "check", "--jobs", "1", str(folder)]
    on_terminal = _run_in_terminal(cmd, env)
    assert "Checking" in on_terminal
    piped = subprocess.run(cmd, capture_output=True, env=env, timeout=120)
    assert b"Checking" not in piped.stderr
    in_ci = _run_in_terminal(cmd, {**env, "CI": "true"})
    assert "Checking" not in in_ci
    few = _run_in_terminal([*cmd[:-1], str(folder / "c0.bpo")], env)
    assert "Checking" not in few


def test_fix_with_standard_input_checks_it_without_rewriting(cache_dir: Path):
    result = CliRunner().invoke(main, ["check", "--fix", "-"], input=BROKEN)
    assert result.exit_code == 1
    assert "BPO012" in result.output
    assert "bpo: error" not in result.output
