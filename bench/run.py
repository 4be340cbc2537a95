"""bpolang's benchmarks, in one command:  python bench/run.py  [--quick] [--write-docs]

Measures, in one run on this machine, each stage of the pipeline on generated contracts of
1,000, 10,000 and 100,000 lines (parse, model build, validation, formatting, rendering), the
end-to-end check against the alternatives a user could pick (the same contract as YAML through
PyYAML's C loader plus JSON-Schema validation; a single regex pass as the floor), the start-up of
`bpo check` against `python -c pass`, a 1,000-contract portfolio checked cold and again unchanged,
and the language server's change-to-diagnostics latency.  Targets are stated as ratios measured in
this same run.  Prints a Markdown table; --write-docs also puts it into docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import budgets  # noqa: E402
import generate  # noqa: E402

DOCS_PAGE = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def best_of(fn, repeat: int) -> float:
    """The fastest of `repeat` runs, in seconds (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def median_wall(cmd: list[str], repeat: int, env: dict[str, str] | None = None, cwd: str | None = None) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd, check=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# ------------------------------------------------------------------ stages
def stage_times(text: str, repeat: int) -> dict[str, float]:
    from bpolang.base.gcpause import paused_gc
    from bpolang.base.source import Source
    from bpolang.check import pipeline as api
    from bpolang.check.config import ConfigResolver
    from bpolang.check.driver import findings
    from bpolang.format.formatter import format_text
    from bpolang.model.build import Builder
    from bpolang.render import render
    from bpolang.resolve.references import resolve
    from bpolang.syntax.parser import parse_text

    cfg = ConfigResolver(None, True).for_path(None)

    def check():
        r = api.parse(text)
        findings(r, cfg)

    # the whole check first, while no other tree of this size is alive (as in `bpo check`)
    check_time = best_of(check, repeat)
    src = Source(text, None)
    syntax = parse_text(text)
    builder = Builder(text, src.index)
    contract = builder.document(syntax.body)
    result = api.parse(text)
    assert not result.has_errors, [d.message for d in result.diagnostics[:3]]

    def build():
        with paused_gc():  # as in bpolang.check.pipeline
            Builder(text, src.index).document(syntax.body)

    def validate():
        import bpolang.resolve.references as R

        R._last_walk = None  # measure the walk too
        with paused_gc():  # as in bpolang.check.pipeline
            resolve(contract, builder.span)
        findings(result, cfg)

    out = {
        "parse": best_of(lambda: parse_text(text), repeat),
        "build": best_of(build, repeat),
        "validate": best_of(validate, repeat),
        "check": check_time,
        "format": best_of(lambda: format_text(text), repeat),
        "render_md": best_of(lambda: render(result.contract, result.resolution, "md", "en"), repeat),
        "render_html": best_of(lambda: render(result.contract, result.resolution, "html", "en"), repeat),
    }
    return out


def alternatives(text: str, repeat: int) -> dict[str, float]:
    """The same contract as YAML with its JSON Schema, and a single regex pass."""
    import jsonschema
    import yaml

    from bpolang.check import pipeline as api
    from bpolang.format.interchange import json_schema, to_yaml

    result = api.parse(text)
    as_yaml = to_yaml(result.contract)
    validator_cls = jsonschema.validators.validator_for(json_schema())
    validator = validator_cls(json_schema())
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        raise SystemExit("PyYAML was built without libyaml: the C loader is needed for a fair comparison")

    def yaml_pipeline():
        data = yaml.load(as_yaml, Loader=loader)  # noqa: S506 - CSafeLoader is the safe loader
        errors = list(validator.iter_errors(data))
        assert not errors, errors[:1]

    floor = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9._-]*|\S')
    return {
        "yaml_lines": as_yaml.count("\n"),
        "yaml_jsonschema": best_of(yaml_pipeline, repeat),
        "yaml_load_only": best_of(lambda: yaml.load(as_yaml, Loader=loader), repeat),  # noqa: S506
        "regex_floor": best_of(lambda: sum(1 for _ in floor.finditer(text)), repeat),
    }


# ------------------------------------------------------------------ processes
def startup(repeat: int) -> dict[str, float]:
    small = ROOT / "examples" / "comptabilite-fournisseurs.bpo"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BPO_CACHE_DIR": tmp}
        bpo = [sys.executable, "-m", "bpolang"]
        # fill the result cache, and write the bytecode of every module a check imports
        subprocess.run([*bpo, "check", str(small)], capture_output=True, env=env, check=False)
        subprocess.run([*bpo, "check", "--no-cache", str(small)], capture_output=True, env=env, check=False)
        return {
            "python_pass": median_wall([sys.executable, "-c", "pass"], repeat),
            "check_cached": median_wall([*bpo, "check", str(small)], repeat, env),
            "check_uncached": median_wall([*bpo, "check", "--no-cache", str(small)], repeat, env),
            "version": median_wall([*bpo, "--version"], repeat, env),
        }


def portfolio(count: int, jobs: int) -> dict[str, float]:
    examples = sorted((ROOT / "examples").glob("*.bpo"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "portfolio"
        lines = 0
        for i in range(count):
            ex = examples[i % len(examples)]
            text = ex.read_text(encoding="utf-8")
            # Each contract its own text (its own cache entry), as in a real portfolio.
            text += f"# contract {i}\n"
            folder = root / f"client{i // 50:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"contract{i:04d}.bpo").write_text(text, encoding="utf-8")
            lines += text.count("\n")
        env = {**os.environ, "BPO_CACHE_DIR": str(Path(tmp) / "cache")}
        cmd = [sys.executable, "-m", "bpolang", "check", "--jobs", str(jobs), str(root)]
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        cold = time.perf_counter() - t0
        warm = median_wall(cmd, 3, env)
        one = [sys.executable, "-m", "bpolang", "check", "--jobs", "1", "--no-cache", str(root)]
        t0 = time.perf_counter()
        subprocess.run(one, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        single = time.perf_counter() - t0
        shutil.rmtree(root)
    return {"contracts": count, "lines": lines, "cold": cold, "warm": warm, "one_process": single, "jobs": jobs}


LSP_SCENARIOS = {
    "titles": [],
    "typing": ["--typing"],
    "open": ["--typing", "--no-autoclose"],
    "completion": ["--completion"],
}


def lsp_latency(lines: int = 2000, scenario: str = "titles") -> dict:
    """bench/lsp_latency.py's figures for one scenario (see its --help)."""
    script = HERE / "lsp_latency.py"
    cmd = [sys.executable, str(script), "--json", "--lines", str(lines), *LSP_SCENARIOS[scenario]]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ report
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import lark
    import pydantic

    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, lark {lark.__version__}, pydantic {pydantic.VERSION}"
    )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def report(data: dict) -> str:
    out = [f"Measured {data['date']} on {data['machine']}.", ""]
    out += ["### Stages on generated contracts", ""]
    out += [
        "| lines | parse | model build | validation | check (all) | check lines/s | format | render md | render html |"
    ]
    out += ["|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for st in data["stages"].values():
        lines = st["lines"]
        out.append(
            f"| {lines:,} | {ms(st['parse'])} | {ms(st['build'])} | {ms(st['validate'])} | {ms(st['check'])} | "
            f"{lines / st['check']:,.0f} | {ms(st['format'])} | {ms(st['render_md'])} | {ms(st['render_html'])} |"
        )
    out += ["", "### Targets, as ratios measured in this run", ""]
    out += ["| target | measured | ratio | met |", "|---|---|---:|:---:|"]
    for t in data["targets"]:
        out.append(f"| {t['target']} | {t['measured']} | {t['ratio']} | {'yes' if t['met'] else 'no'} |")
    out += ["", "### Alternatives on the same typical contract", ""]
    alt = data["alternatives"]
    out += ["| pipeline | time |", "|---|---:|"]
    out.append(f"| `bpo check` in process (parse, model, resolution, {data['rules']} rules) | {ms(alt['bpo_check'])} |")
    out.append(
        f"| YAML ({alt['yaml_lines']:,} lines) through PyYAML's C loader + JSON-Schema validation | {ms(alt['yaml_jsonschema'])} |"
    )
    out.append(f"| YAML through PyYAML's C loader alone | {ms(alt['yaml_load_only'])} |")
    out.append(f"| one regex pass over the .bpo text (the floor) | {ms(alt['regex_floor'])} |")
    return "\n".join(out) + "\n"


def targets(data: dict) -> list[dict]:
    st, alt, su, pf = data["stages"], data["alternatives"], data["startup"], data["portfolio"]
    sizes = list(st)
    small, big = st[sizes[0]], st[sizes[-1]]
    rate = big["lines"] / big["check"]
    linear = (big["check"] / big["lines"]) / (small["check"] / small["lines"])
    out = [
        {
            "target": "`bpo check` of a typical contract no slower than YAML + JSON Schema",
            "measured": f"{ms(alt['bpo_check'])} vs {ms(alt['yaml_jsonschema'])}",
            "ratio": f"{alt['bpo_check'] / alt['yaml_jsonschema']:.2f}x",
            "met": alt["bpo_check"] <= alt["yaml_jsonschema"],
        },
        {
            "target": "start-up ≤ 10 × `python -c pass` (unchanged file, cache hit)",
            "measured": f"{ms(su['check_cached'])} vs {ms(su['python_pass'])}",
            "ratio": f"{su['check_cached'] / su['python_pass']:.1f}x",
            "met": su["check_cached"] <= 10 * su["python_pass"],
        },
        {
            "target": "start-up ≤ 10 × `python -c pass` (file checked afresh, `--no-cache`)",
            "measured": f"{ms(su['check_uncached'])} vs {ms(su['python_pass'])}",
            "ratio": f"{su['check_uncached'] / su['python_pass']:.1f}x",
            "met": su["check_uncached"] <= 10 * su["python_pass"],
        },
        {
            "target": f"check throughput ≥ 50,000 lines/s on {big['lines']:,} lines",
            "measured": f"{rate:,.0f} lines/s",
            "ratio": f"{rate / 50000:.2f} of target",
            "met": rate >= 50000,
        },
        {
            "target": f"linear from {small['lines']:,} to {big['lines']:,} lines (time per line, largest ÷ smallest)",
            "measured": f"{big['check'] / big['lines'] * 1e6:.1f} µs vs {small['check'] / small['lines'] * 1e6:.1f} µs per line",
            "ratio": f"{linear:.2f}",
            "met": linear <= 1.25,
        },
        {
            "target": f"{pf['contracts']:,}-contract portfolio ({pf['lines']:,} lines) cold in < 5 s on {pf['jobs']} cores",
            "measured": f"{ms(pf['cold'])} (one process: {ms(pf['one_process'])})",
            "ratio": f"{pf['cold'] / 5:.2f} of budget",
            "met": pf["cold"] < 5,
        },
        {
            "target": "unchanged portfolio re-run < 10 % of the cold run",
            "measured": f"{ms(pf['warm'])} vs {ms(pf['cold'])}",
            "ratio": f"{pf['warm'] / pf['cold'] * 100:.1f} %",
            "met": pf["warm"] < 0.1 * pf["cold"],
        },
    ]
    checks = [
        (data["lsp"], 50),
        (data["lsp"], 100),
        (data["lsp_typing"], 100),
        (data["lsp_open"], 50),
        (data["lsp_open_10k"], 150),
        (data["lsp_typical"], 50),
    ]
    for lsp, budget in checks:
        if "median_ms" not in lsp:
            out.append(
                {
                    "target": "language server latency",
                    "measured": lsp.get("error", "not measured"),
                    "ratio": "-",
                    "met": False,
                }
            )
            continue
        what = {
            "typing": "each keystroke typing a new block",
            "open": "each keystroke typing a new block, braces not closed by the editor",
        }.get(lsp.get("scenario"), "a change")
        out.append(
            {
                "target": f"language server: diagnostics ≤ {budget} ms after {what} ({lsp['lines']:,} lines)",
                "measured": f"median {lsp['median_ms']:.1f} ms, p95 {lsp['p95_ms']:.1f} ms, max {lsp['max_ms']:.1f} ms",
                "ratio": f"{lsp['p95_ms'] / budget:.2f} of budget (p95)",
                "met": lsp["p95_ms"] <= budget,
            }
        )
    comp = data["lsp_completion"].get("completion")
    if comp is None:
        out.append(
            {
                "target": "language server: completion latency",
                "measured": data["lsp_completion"].get("error", "not measured"),
                "ratio": "-",
                "met": False,
            }
        )
    else:
        out.append(
            {
                "target": f"language server: completion ≤ 30 ms right after each keystroke "
                f"({data['lsp_completion']['lines']:,} lines)",
                "measured": f"median {comp['median_ms']:.1f} ms, p95 {comp['p95_ms']:.1f} ms, max {comp['max_ms']:.1f} ms",
                "ratio": f"{comp['p95_ms'] / 30:.2f} of budget (p95)",
                "met": comp["p95_ms"] <= 30,
            }
        )
    return out


def main() -> None:
    # Measure what users run: Python with its bytecode cache. Without it (PYTHONDONTWRITEBYTECODE,
    # set in some sandboxes) every command compiles every module again, which a start-up figure
    # must not include. The subprocesses below inherit this.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats (a smoke run)")
    ap.add_argument("--write-docs", action="store_true", help="write the table into docs/performance.md")
    ap.add_argument("--json", type=Path, default=None, help="also write the raw figures to this file")
    args = ap.parse_args()

    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    repeat = 2 if args.quick else 5
    from bpolang.check.rules.registry import load_all

    data: dict = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "rules": len(load_all()), "stages": {}}
    for n in sizes:
        text = generate.contract(n)
        st = stage_times(text, repeat if n < 100_000 else 3)
        st["lines"] = text.count("\n")
        data["stages"][n] = st
        print(
            f"stages at {n:,} lines: " + ", ".join(f"{k} {ms(v)}" for k, v in st.items() if k != "lines"),
            file=sys.stderr,
        )
    typical = (ROOT / "examples" / generate.BASE.name).read_text(encoding="utf-8")
    alt = alternatives(typical, 20 if not args.quick else 5)
    alt["bpo_check"] = stage_times(typical, 20 if not args.quick else 5)["check"]
    data["alternatives"] = alt
    data["startup"] = startup(15 if not args.quick else 5)
    data["portfolio"] = portfolio(100 if args.quick else 1000, os.cpu_count() or 1)
    data["lsp"] = lsp_latency(2000)
    data["lsp_typing"] = lsp_latency(2000, "typing")
    data["lsp_open"] = lsp_latency(2000, "open")
    data["lsp_open_10k"] = lsp_latency(10_000, "open")
    data["lsp_completion"] = lsp_latency(2000, "completion")
    data["lsp_typical"] = lsp_latency(generate.base_lines())  # the size of the bundled examples
    data["budgets"] = budgets.budgets()
    data["targets"] = targets(data) + budgets.targets(data["budgets"])
    table = report(data)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    if args.write_docs:
        page = DOCS_PAGE.read_text(encoding="utf-8")
        start, end = page.index(BEGIN) + len(BEGIN), page.index(END)
        DOCS_PAGE.write_text(page[:start] + "\n" + table + page[end:], encoding="utf-8")


if __name__ == "__main__":
    main()
