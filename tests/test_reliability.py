"""Reliability promises that no single stage owns: threads, imports on the check path, memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import bpolang
from bpolang.check.config import Config
from bpolang.check.driver import findings
from bpolang.model.compare import semantic_dump

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))
HEAVY = ("jinja2", "babel", "docx", "weasyprint", "jsonschema", "markdown_it", "icalendar", "pygls", "yaml", "lark")


def _outcome(text: str):
    result = bpolang.parse(text)
    diags = findings(result, Config())
    return semantic_dump(result.contract), [d.model_dump(mode="json") for d in diags]


def test_concurrent_checks_equal_sequential_ones():
    """The language server checks documents on threads: the shared parser holds no per-parse state."""
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES] * 4
    texts += ['contract c "T" {\n  term: 36\n  x: [1, 2\n}\n'] * 4  # with syntax errors too
    sequential = [_outcome(t) for t in texts]
    with ThreadPoolExecutor(8) as pool:
        concurrent = list(pool.map(_outcome, texts))
    assert concurrent == sequential


def _modules_after(args: list[str], env: dict[str, str]) -> set[str]:
    code = (
        "import sys\n"
        "from bpolang.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('\\n' + __import__('json').dumps(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_check_imports_only_what_it_needs(tmp_path: Path):
    env = {**os.environ, "BPO_CACHE_DIR": str(tmp_path / "cache")}
    example = str(EXAMPLES[0])
    # The very first run fills the per-user cache of public holidays and currency codes (which
    # come from `holidays` and babel); every later check reads them from there.
    first = _modules_after(["check", example], env)
    assert "bpolang.syntax.parser" in first
    afresh = _modules_after(["check", "--no-cache", example], env)
    assert "pydantic" in afresh  # the typed model is built
    assert not {m.split(".")[0] for m in afresh} & {*HEAVY, "holidays"}
    warm = _modules_after(["check", example], env)  # the same file again: its cached result
    assert not {m.split(".")[0] for m in warm} & {*HEAVY, "pydantic", "pydantic_core"}
    assert "bpolang.syntax.parser" not in warm


def test_fmt_imports_no_renderer_or_server(tmp_path: Path):
    target = tmp_path / "c.bpo"
    target.write_text(EXAMPLES[0].read_text(encoding="utf-8"), encoding="utf-8")
    mods = _modules_after(["fmt", "--check", str(target)], dict(os.environ))
    assert not {m.split(".")[0] for m in mods} & set(HEAVY)


@pytest.mark.slow
def test_100000_lines_fit_a_fixed_memory_budget():
    """RELIABILITY #20: a parse tree costs tens of times the text; bpolang's must stay bounded."""
    code = (
        "import resource, sys\n"
        f"sys.path.insert(0, {str(ROOT / 'bench')!r})\n"
        "import generate, bpolang\n"
        "from bpolang.check.driver import findings\n"
        "from bpolang.check.config import Config\n"
        "text = generate.contract(100000)\n"
        "r = bpolang.parse(text)\n"
        "assert not r.has_errors\n"
        "findings(r, Config())\n"
        "print(len(text.encode()), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
    size, max_rss_kib = map(int, out.stdout.split())
    assert size > 4_000_000
    assert max_rss_kib * 1024 < 700 * 1024 * 1024, (
        f"peak RSS {max_rss_kib // 1024} MiB for {size // 1_000_000} MB of text"
    )


@pytest.mark.slow
def test_parallel_fmt_runs_over_overlapping_trees(tmp_path: Path):
    """RELIABILITY #37: pre-commit starts several `bpo fmt` at once; every file ends formatted, whole."""
    from bpolang.format.formatter import format_text

    root = tmp_path / "tree"
    expected = {}
    for i in range(3):
        for ex in EXAMPLES:
            target = root / f"part{i}" / ex.name
            target.parent.mkdir(parents=True, exist_ok=True)
            # indentation lost: every file needs rewriting
            ugly = "\n".join(line.strip() for line in ex.read_text(encoding="utf-8").splitlines()) + "\n"
            target.write_text(ugly, encoding="utf-8")
            expected[target] = format_text(ugly)  # what one process alone writes
    targets = [root, root / "part1", root / "part2", root] * 2
    cmd = [sys.executable, "-m", "bpolang", "fmt"]
    procs = [subprocess.Popen([*cmd, str(t)], stdout=subprocess.PIPE, stderr=subprocess.PIPE) for t in targets]
    for p in procs:
        _out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
        assert b"Traceback" not in err
    for path, text in expected.items():
        assert path.read_text(encoding="utf-8") == text
    assert not [p for p in root.rglob("*") if p.name.startswith(".") or p.suffix == ".bpo-tmp"]
