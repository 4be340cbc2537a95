"""Memory and time budgets of hostile-but-valid input (issue 23), measured in fresh processes.

- memory: `bpo check` of a file holding one 1 MB string, as peak RSS above `python -c pass`
  (budget: 50 MB);
- output linear in a line's length: `bpo check --output-format full` of a 1 MB and a 2 MB line
  (time per byte, larger / smaller; budget 1.5);
- date computations bounded: the longest duration the language takes (BPO020 beyond),
  `effective + 26089 business days`, checked and rendered (seconds).

    python bench/budgets.py        # prints the figures; bench/run.py includes them
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONTRACT = """contract c "C" {{
  language: en
  governing_law: FR
  effective: 2027-01-01
  term: 36 months
  party client cl "Client" {{ }}
  party provider pr "Provider" {{ }}
{body}
}}
"""


def _peak(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a child process."""
    code = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "w = time.perf_counter() - t\n"
        "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True, check=True).stdout
    wall, rss = out.split()
    return float(wall), float(rss)


def budgets() -> dict[str, float]:
    bpo = [sys.executable, "-m", "bpolang"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = folder / "string.bpo"
        big.write_text(CONTRACT.format(body='  clause x "X" { text: "' + "word " * 200_000 + '" }'), encoding="utf-8")
        _w, base = _peak([sys.executable, "-c", "pass"])
        _w, rss = _peak([*bpo, "check", str(big)])
        lines = {}
        for mb in (1, 2):
            p = folder / f"line{mb}.bpo"
            p.write_text(CONTRACT.format(body='  jurisdiction: "' + "x" * (mb * 1_000_000) + '"'), encoding="utf-8")
            lines[mb] = min(_peak([*bpo, "check", "--output-format", "full", str(p)])[0] for _ in range(3))
        days = folder / "days.bpo"
        days.write_text(
            CONTRACT.format(body='  milestone m "M" { date: effective + 26089 business days }'), encoding="utf-8"
        )
        t0 = time.perf_counter()
        _peak([*bpo, "check", str(days)])
        _peak([*bpo, "render", str(days), "--to", "md", "--force"])
        longest = time.perf_counter() - t0
    return {
        "string_1mb_rss_above_python_mb": rss - base,
        "line_1mb_full_s": lines[1],
        "line_2mb_full_s": lines[2],
        "line_growth": (lines[2] / 2) / lines[1],
        "longest_duration_check_and_render_s": longest,
    }


def targets(b: dict[str, float]) -> list[dict]:
    return [
        {
            "target": "checking a file with a 1 MB string ≤ 50 MB above the interpreter",
            "measured": f"{b['string_1mb_rss_above_python_mb']:.0f} MB",
            "ratio": f"{b['string_1mb_rss_above_python_mb'] / 50:.2f} of budget",
            "met": b["string_1mb_rss_above_python_mb"] <= 50,
        },
        {
            "target": "full output linear in a line's length (time per byte, 2 MB ÷ 1 MB line)",
            "measured": f"{b['line_1mb_full_s']:.2f} s and {b['line_2mb_full_s']:.2f} s",
            "ratio": f"{b['line_growth']:.2f}",
            "met": b["line_growth"] <= 1.5,
        },
    ]


if __name__ == "__main__":
    figures = budgets()
    for k, v in figures.items():
        print(f"{k}: {v:.2f}")
    for t in targets(figures):
        print(f"{'met' if t['met'] else 'NOT MET'}: {t['target']}: {t['measured']} ({t['ratio']})")
