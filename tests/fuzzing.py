"""Fuzzing bpolang's whole pipeline: mutated contracts as bytes, through every stage.

Each input goes through what a user can make bpolang do with a file: decode and parse
(`parse_bytes`), the rules with suppressions (`bpo check`), the machine-readable outputs,
an incremental re-check of an edit (against a whole parse of the edited text), formatting
with its safety check, export to JSON and back, and, for a contract without errors,
rendering to Markdown and HTML, the obligations calendar (iCalendar and CSV), the key figures and
a diff against itself.
Whatever the input, every stage must end in diagnostics, a refusal the stage is designed to give
(a FormatError for text that does not parse, a BpoError), or a result; any other exception is a
bug, and so is a diagnostic whose span is not inside the text.

Inputs come from a seeded mutator over a corpus (the examples, the templates and the docs'
snippets, cut to random windows): slices deleted, duplicated or swapped, hostile tokens inserted,
bytes flipped, files truncated, line endings and BOMs changed; and whole contracts whose dates,
amounts, durations and percentages are swapped for odd ones, which still parse and so reach the
rules, the renderer, the calendar and the key figures.  The same seed gives the same inputs.

Nightly, or by hand:

    python tests/fuzzing.py --inputs 100000 --jobs 2 [--seed 1] [--crashes DIR]

prints a progress bar on a terminal, and a count at the end; each failing input is saved to the
crash folder with its traceback.  CI runs a bounded number of inputs (tests/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
import traceback
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

HOSTILE = [
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ",",
    ":",
    ";",
    "+",
    "-",
    "*",
    "/",
    '"',
    '"""',
    "#",
    "\n",
    "\r",
    "\r\n",
    "\t",
    " ",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\ufeff",
    "\u2028",
    "\u00a0",
    "\u202e",
    "é",
    "🤝",
    "२०२४-०१-०१",
    "2027-02-30",
    "2027-13-01",
    "9999-12-31",
    "0000-01-01",
    "24:00",
    "02-29",
    "13-45",
    "99999999999999999999999999999999 EUR",
    "1e309",
    "0.0000001 EUR",
    "-5 days",
    "0 months",
    "100%",
    "1000%",
    "1_000_000 EUR",
    "EUR",
    "XXX",
    "redacted",
    "tbd",
    "effective",
    "end",
    "kickoff + 3 months",
    "every month on day 31",
    "every year on 02-29",
    "last business day",
    "max(",
    "min(",
    "max()",
    "[[[[[[[[",
    "((((((((",
    "contract",
    "party",
    "milestone",
    "sla",
    "penalty",
    "data",
    "pricing",
    "# bpo: ignore[BPO501] reason",
    "# bpo: ignore-file[ALL]",
    "# bpo: ignore[",
    "\\",
    "\\\\\\\\",
    '\\"',
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% raw %}",
    "javascript:alert(1)",
    "| a | b |",
    "a" * 300,
    "x_" * 200,
    "1" * 40,
]
WINDOW_MAX_LINES = 60


def corpus() -> list[str]:
    """Realistic seeds: the example contracts, the init templates and every bpo block of the docs."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").glob("*.bpo"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "bpolang" / "templates").glob("*.bpo"))]
    fence = re.compile(r"```bpo[^\n]*\n(.*?)```", re.S)
    for page in sorted((REPO / "docs").rglob("*.md")):
        texts += fence.findall(page.read_text(encoding="utf-8"))
    return texts


# Values by kind: a swap keeps the kind, so the contract still type-checks and reaches every stage.
_KINDS = {
    "date": (
        r"\d{4}-\d{2}-\d{2}",
        ["2027-02-28", "2028-02-29", "2026-12-31", "2099-01-01", "1999-06-30", "2027-01-01"],
    ),
    "percent": (r"\d+(?:\.\d+)?%", ["100%", "0%", "250%", "0.01%", "99.999%", "50%"]),
    "money": (r"\d+(?:\.\d+)? [A-Z]{3}", ["0.01 EUR", "0 EUR", "999999999 EUR", "12 GBP", "1 USD", "8500 EUR"]),
    "duration": (
        r"\d+ (?:business days?|days?|months?|years?|hours?|weeks?)",
        [
            "1 day",
            "0 days",
            "45 days",
            "61 days",
            "400 days",
            "1 business day",
            "90 business days",
            "1 month",
            "13 months",
            "120 months",
            "1 year",
            "99 years",
            "72 hours",
            "1 week",
        ],
    ),
}
_LITERAL = re.compile("|".join(f"(?P<{k}>\\b{pattern}(?![0-9A-Za-z_]))" for k, (pattern, _) in _KINDS.items()))


def mutate_values(rnd: random.Random, text: str) -> str:
    """A whole contract with one to four of its values replaced by odd ones of the same kind."""
    spots = list(_LITERAL.finditer(text))
    for m in sorted(rnd.sample(spots, min(len(spots), rnd.randint(1, 4))), key=lambda m: -m.start()):
        text = text[: m.start()] + rnd.choice(_KINDS[m.lastgroup][1]) + text[m.end() :]
    return text


def mutate(rnd: random.Random, seeds: list[str]) -> bytes:
    """One input: a window of a seed with one to five mutations, or a whole seed with odd values."""
    if rnd.random() < 0.08:
        contracts = [s for s in seeds if s.lstrip().startswith(("contract", "#"))]
        return mutate_values(rnd, rnd.choice(contracts)).encode("utf-8")
    lines = rnd.choice(seeds).splitlines(keepends=True)
    if len(lines) > WINDOW_MAX_LINES and rnd.random() < 0.85:
        start = rnd.randrange(len(lines) - WINDOW_MAX_LINES)
        lines = lines[start : start + rnd.randint(1, WINDOW_MAX_LINES)]
        if rnd.random() < 0.6:  # most windows stay inside a contract block
            lines = ['contract fuzz "Fuzz" {\n', *lines, "}\n"]
    text = "".join(lines)
    for _ in range(rnd.randint(1, 5)):
        n = len(text)
        op = rnd.randrange(8)
        i = rnd.randint(0, n)
        j = min(n, i + rnd.randint(0, 200))
        if op == 0:  # delete a slice
            text = text[:i] + text[j:]
        elif op == 1:  # duplicate a slice
            text = text[:j] + text[i:j] + text[j:]
        elif op in (2, 3):  # insert a hostile token
            text = text[:i] + rnd.choice(HOSTILE) + text[i:]
        elif op == 4:  # swap two lines
            ls = text.splitlines(keepends=True)
            if len(ls) > 1:
                a, b = rnd.randrange(len(ls)), rnd.randrange(len(ls))
                ls[a], ls[b] = ls[b], ls[a]
                text = "".join(ls)
        elif op == 5:  # truncate
            text = text[:i]
        elif op == 6:  # other line endings
            text = text.replace("\n", rnd.choice(["\r\n", "\r", "\n\n", "\u2028"]))
        else:  # repeat a slice many times (large and deep inputs)
            text = text[:i] + text[i:j] * rnd.randint(2, 40) + text[j:]
    data = text.encode("utf-8", errors="surrogatepass")
    r = rnd.random()
    if r < 0.05 and data:  # flip a byte: often not UTF-8 any more
        k = rnd.randrange(len(data))
        data = data[:k] + bytes([rnd.randrange(256)]) + data[k + 1 :]
    elif r < 0.08:
        data = b"\xef\xbb\xbf" + data
    return data


class Failure(Exception):
    """A broken invariant: what went wrong, at which stage."""


def _check_spans(result) -> None:
    from bpolang.base.source import LineIndex

    text = result.source.text
    index = LineIndex(text)
    for d in result.diagnostics:
        spans = ([d.span] if d.span is not None else []) + [label.span for label in d.labels]
        for s in spans:
            if not (0 <= s.start <= s.end <= len(text)):
                raise Failure(f"{d.code}: span {s.start}-{s.end} outside a text of {len(text)}")
            if index.line_col(s.start) != (s.line, s.col) or index.line_col(s.end) != (s.end_line, s.end_col):
                raise Failure(f"{d.code}: span {s} disagrees with its offsets")


RECHECK_EDITS = ["x", " ", "\n", "é", "}", "{", '"', ":", "#", "5", "tbd", '\n  sla s "S" {\n  }\n']


def _check_recheck(data: bytes, text: str) -> None:
    """An edit re-checked incrementally gives what parsing the edited text gives."""
    from bpolang.base.source import Source
    from bpolang.check.incremental import recheck
    from bpolang.check.pipeline import parse

    rnd = random.Random(zlib.crc32(data))
    for _ in range(2):
        at = rnd.randint(0, len(text))
        edited = text[:at] + rnd.choice(RECHECK_EDITS) + text[at + rnd.choice((0, 0, 1, 3)) :]
        if edited.startswith("\ufeff"):
            continue  # parse() would read it as a byte order mark
        inc = recheck(parse(text), Source(edited))
        if inc is None:
            continue
        whole = parse(edited)
        if [d.model_dump() for d in inc.diagnostics] != [d.model_dump() for d in whole.diagnostics]:
            raise Failure("the incremental re-check gives other diagnostics than a whole parse")
        if (inc.contract is None) != (whole.contract is None) or (
            inc.contract is not None and inc.contract.model_dump() != whole.contract.model_dump()
        ):
            raise Failure("the incremental re-check gives another model than a whole parse")


def pipeline(data: bytes) -> str:
    """Run every stage on one input; return the furthest stage reached. Raises on a bug."""
    from bpolang.base.diagnostics import Severity
    from bpolang.check.config import Config
    from bpolang.check.driver import findings
    from bpolang.check.outputs import renderer
    from bpolang.check.pipeline import parse_bytes
    from bpolang.format.formatter import FormatError
    from bpolang.format.layout import format_source
    from bpolang.model.interchange import from_data, to_data
    from bpolang.render import render

    result = parse_bytes(data, "fuzz.bpo")
    if result.contract is None and not result.has_errors:
        raise Failure("no model and no error")
    _check_spans(result)
    if result.syntax is not None and not result.source.bom:
        _check_recheck(data, result.source.text)
    diags = findings(result, Config())
    for fmt in ("json", "sarif"):
        json.loads(renderer(fmt)([(result, diags)]))
    stage = "checked"
    text = result.source.text
    try:
        # what `bpo fmt` does: format, re-parse and compare (UnsafeFormat), keep BOM and line endings
        formatted = format_source(text, 100, fast=False)
    except FormatError:
        if not any(d.severity is Severity.ERROR for d in result.diagnostics):
            raise Failure("the formatter refused a text that parses without errors") from None
    else:
        if format_source(formatted, 100, fast=True) != formatted:
            raise Failure("formatting is not idempotent")
        stage = "formatted"
    if result.contract is not None:
        data_out = to_data(result.contract)
        json.dumps(data_out, allow_nan=False)
        back, problems = from_data(data_out)
        if not problems and to_data(back) != data_out:
            raise Failure("JSON export does not round-trip")
        stage = "exported"
        if not result.has_errors:
            from bpolang.diff.engine import compare
            from bpolang.obligations.export import export as calendar_export
            from bpolang.obligations.figures import summarise

            for fmt in ("md", "html"):
                render(result.contract, result.resolution, fmt, "en")
            for fmt in ("ics", "csv"):
                calendar_export(result, fmt, "fr")
            summarise(result.contract, result.resolution)
            if compare(result.contract, result.contract, result.resolution, result.resolution):
                raise Failure("a contract differs from itself")
            stage = "rendered"
    return stage


def run(count: int, seed: int, crashes: Path | None = None, progress: bool = False, start: int = 0) -> dict:
    """Fuzz `count` inputs from `seed`; returns counts by stage reached and the failures."""
    seeds = corpus()
    stages: dict[str, int] = {}
    failures: list[tuple[int, str]] = []
    bar = None
    if progress:
        import click

        bar = click.progressbar(length=count, label=f"Fuzzing (seed {seed})", file=sys.stderr, show_eta=True)
    for k in range(start, start + count):
        rnd = random.Random(f"{seed}:{k}")
        data = mutate(rnd, seeds)
        try:
            stage = pipeline(data)
        except Exception as exc:  # noqa: BLE001 - every exception is a finding of the fuzzer
            failures.append((k, f"{type(exc).__name__}: {exc}"))
            if crashes is not None:
                crashes.mkdir(parents=True, exist_ok=True)
                (crashes / f"{seed}-{k}.bpo").write_bytes(data)
                (crashes / f"{seed}-{k}.txt").write_text(traceback.format_exc(), encoding="utf-8")
            stage = "failed"
        stages[stage] = stages.get(stage, 0) + 1
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.render_finish()
    return {"inputs": count, "stages": stages, "failures": failures}


def _worker(args: tuple[int, int, int, str | None]) -> dict:
    count, seed, start, crashes = args
    return run(count, seed, Path(crashes) if crashes else None, start=start)


def main() -> int:
    ap = argparse.ArgumentParser(description="Fuzz bpolang's pipeline with mutated contracts.")
    ap.add_argument("--inputs", type=int, default=10_000, help="how many inputs (default 10,000)")
    ap.add_argument("--seed", type=int, default=int(time.strftime("%Y%m%d")), help="default: today's date")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: one per core)")
    ap.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"), help="where failing inputs are saved")
    args = ap.parse_args()
    os.environ.setdefault("BPO_NO_CACHE", "1")
    t0 = time.perf_counter()
    progress = sys.stderr.isatty() and not os.environ.get("CI")
    if args.jobs <= 1:
        total = run(args.inputs, args.seed, args.crashes, progress=progress)
    else:
        from concurrent.futures import ProcessPoolExecutor

        chunk = 500
        parts = [(min(chunk, args.inputs - s), args.seed, s, str(args.crashes)) for s in range(0, args.inputs, chunk)]
        total = {"inputs": 0, "stages": {}, "failures": []}
        bar = None
        if progress:
            import click

            bar = click.progressbar(
                length=args.inputs, label=f"Fuzzing (seed {args.seed})", file=sys.stderr, show_eta=True
            )
        with ProcessPoolExecutor(args.jobs) as pool:
            for part in pool.map(_worker, parts):
                total["inputs"] += part["inputs"]
                for k, v in part["stages"].items():
                    total["stages"][k] = total["stages"].get(k, 0) + v
                total["failures"] += part["failures"]
                if bar is not None:
                    bar.update(part["inputs"])
        if bar is not None:
            bar.render_finish()
    elapsed = time.perf_counter() - t0
    stages = ", ".join(f"{k} {v:,}" for k, v in sorted(total["stages"].items()))
    print(f"{total['inputs']:,} inputs in {elapsed:,.0f} s (seed {args.seed}); furthest stage reached: {stages}")
    print(f"{len(total['failures'])} failures" + (f", saved in {args.crashes}/" if total["failures"] else ""))
    for k, msg in total["failures"][:20]:
        print(f"  input {k}: {msg}")
    return 1 if total["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
