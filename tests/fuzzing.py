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
        ["2027-02-28", "2028-02-29", "2026-12-31", "2099-01-01", "1999-06-30", "2027-01-01"]
        + ["9999-12-31", "2999-12-31", "1900-01-01", "2998-06-30", "0001-01-01"],
    ),
    "percent": (
        r"\d+(?:\.\d+)?%",
        ["100%", "0%", "250%", "0.01%", "99.999%", "50%", "999999999999999.999999%", "1.0000001%"],
    ),
    "money": (
        r"\d+(?:\.\d+)? [A-Z]{3}",
        ["0.01 EUR", "0 EUR", "999999999 EUR", "12 GBP", "1 USD", "8500 EUR"]
        + ["999999999999999.999999 EUR", "123456789012345678901234567 EUR", "0.0000001 EUR"],
    ),
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
            "36525 days",
            "26089 business days",
            "1200 months",
            "100 years",
            "3000000 days",
            "1900000 business days",
            "900000000000000 months",
        ],
    ),
}
_LITERAL = re.compile("|".join(f"(?P<{k}>\\b{pattern}(?![0-9A-Za-z_]))" for k, (pattern, _) in _KINDS.items()))


def mutate_values(rnd: random.Random, text: str) -> str:
    """A whole contract with one to eight of its values replaced by odd ones of the same kind."""
    spots = list(_LITERAL.finditer(text))
    for m in sorted(rnd.sample(spots, min(len(spots), rnd.randint(1, 8))), key=lambda m: -m.start()):
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


_CONFIGS = None


def _check_lsp(text: str, formatted: str | None) -> None:
    """The language server's requests on the text: none raises, and formatting answers when fmt does."""
    from lsprotocol import types as lsp

    from bpolang.lsp.completion import completions
    from bpolang.lsp.documents import Configs, Document, analyse
    from bpolang.lsp.edits import code_actions, formatting
    from bpolang.lsp.hover import hover
    from bpolang.lsp.navigation import definition, prepare_rename, references
    from bpolang.lsp.outline import document_symbols, folding_ranges

    global _CONFIGS
    if _CONFIGS is None:
        _CONFIGS = Configs(isolated=True)
    doc = Document("file:///fuzz.bpo")
    doc.update(analyse(text, 1, None, "utf-16", _CONFIGS))
    edits = formatting(doc)
    if formatted is not None and formatted != text and not edits:
        raise Failure("the language server's formatting returns nothing where `bpo fmt` formats")
    document_symbols(doc)
    folding_ranges(doc)
    whole = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=1 << 20, character=0))
    code_actions(doc, whole, None)
    rnd = random.Random(zlib.crc32(text.encode("utf-8", errors="surrogatepass")))
    for _ in range(3):
        at = rnd.randint(0, len(text))
        hover(doc, at)
        completions(doc, at)
        definition(doc, at)
        references(doc, at, True)
        prepare_rename(doc, at)


def _check_interchange(contract, clean: bool) -> None:
    """Export to JSON and YAML, import back: the identity on the model (or a located refusal)."""
    from bpolang.format.interchange import from_data, load_data, to_data, to_json, to_yaml

    data_out = to_data(contract)
    data, _ = load_data(to_json(contract), "json")
    if data != data_out:
        raise Failure("JSON export does not read back as the same data")
    back, problems = from_data(data)
    if clean and problems:
        raise Failure(f"import refuses the export of a contract without errors: {problems[0]}")
    if back is not None and to_data(back) != data_out:
        raise Failure("export -> import -> export is not the identity")
    ydata, _ = load_data(to_yaml(contract), "yaml")
    if ydata != data_out:
        raise Failure("YAML export does not read back as the same data")


def _check_outputs(result, before=None) -> None:
    """Every command that writes a document from a model, as `--force` runs them on any model."""
    from bpolang.obligations.export import export as calendar_export
    from bpolang.render import render
    from bpolang.render.figures import render_summary

    for fmt in ("md", "html", "docx"):
        render(result.contract, result.resolution, fmt, "en")
    render(result.contract, result.resolution, "md", "fr")
    for fmt, lang in (("ics", "fr"), ("csv", "en")):
        calendar_export(result, fmt, lang)
    for fmt in ("text", "json"):
        render_summary(result, fmt, "en")
    from bpolang.diff.report import as_json, as_text, diff_results

    changes, _notes = diff_results(result, result, "en")
    if changes:
        raise Failure("a contract differs from itself")
    if before is not None and before.contract is not None:
        from bpolang.diff.amendment import amendment, write

        changes, notes = diff_results(before, result, "fr")
        as_text(changes, notes, "old.bpo", "new.bpo", "fr")
        as_json(changes, notes, before, result, "old.bpo", "new.bpo", "fr")
        if changes:
            write(amendment(before, result, "en"), "md")


def pipeline(data: bytes, before: bytes | None = None) -> str:
    """Run every stage on one input; return the furthest stage reached. Raises on a bug.

    `before`: an earlier version of the contract (the seed a value mutation came from),
    compared with it as `bpo diff` does.
    """
    from bpolang.base.diagnostics import Severity
    from bpolang.check.config import Config
    from bpolang.check.driver import findings
    from bpolang.check.outputs import renderer
    from bpolang.check.pipeline import parse, parse_bytes
    from bpolang.format.formatter import FormatError
    from bpolang.format.layout import format_source
    from bpolang.model.compare import semantic_dump

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
    formatted = None
    try:
        # what `bpo fmt` does: format, re-parse and compare (UnsafeFormat), keep BOM and line endings
        formatted = format_source(text, 100, fast=False)
    except FormatError:
        if not any(d.severity is Severity.ERROR for d in result.diagnostics):
            raise Failure("the formatter refused a text that parses") from None
    else:
        if format_source(formatted, 100, fast=True) != formatted:
            raise Failure("formatting is not idempotent")
        # byte for byte in every string: the model of the file as it is written to disk
        if semantic_dump(parse(formatted).contract) != semantic_dump(parse(text).contract):
            raise Failure("`bpo fmt` changes the model (a string, a text block)")
        stage = "formatted"
    if result.source.text == text and not result.source.bom:
        _check_lsp(text, formatted)
    if result.contract is not None:
        _check_interchange(result.contract, clean=not result.has_errors)
        stage = "exported"
        _check_outputs(result, parse_bytes(before, "old.bpo") if before is not None else None)
        stage = "rendered" if not result.has_errors else "rendered-forced"
    return stage


# ------------------------------------------------------------------ the import family
_HOSTILE_JSON: list = [
    "",
    "a b",
    "9bad",
    "A\rB",
    "A\nB",
    "A\r\nB",
    "\u2028",
    "\x00",
    -5,
    "-5",
    "1" * 30,
    "1e309",
    1e308,
    None,
    [],
    {},
    True,
    0,
    1.5,
    "9999-12-31",
    "2027-02-30",
    "x" * 500,
    "redacted",
    "tbd",
    {"kind": "duration", "amount": "-3", "unit": "days"},
    {"kind": "duration", "amount": "3000000", "unit": "days"},
    {"kind": "money", "amount": "123456789012345678901234567", "currency": "EUR"},
    {"kind": "date_expr", "date": "2999-12-31", "offsets": []},
    {"kind": "ref", "id": "no such id"},
    {"kind": "unknown", "unknown": "tbd"},
]


def _json_seeds() -> list[dict]:
    """The JSON exports of every seed that parses without errors (computed once per process)."""
    global _SEEDS_JSON
    if _SEEDS_JSON is None:
        from bpolang.check.pipeline import parse
        from bpolang.format.interchange import to_data

        _SEEDS_JSON = []
        for text in corpus():
            r = parse(text)
            if r.contract is not None and not r.has_errors:
                _SEEDS_JSON.append(to_data(r.contract))
    return _SEEDS_JSON


_SEEDS_JSON: list[dict] | None = None


def _spots(data, path=()):
    stack = [(data, path)]
    while stack:
        node, where = stack.pop()
        yield node, where
        if isinstance(node, dict):
            stack.extend((v, where + (k,)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, where + (i,)) for i, v in enumerate(node))


def mutate_json(rnd: random.Random) -> tuple[bytes, str]:
    """A JSON or YAML contract: an export with one to four values replaced, removed or deepened."""
    import copy

    data = copy.deepcopy(rnd.choice(_json_seeds()))
    spots = [(n, w) for n, w in _spots(data) if w]
    for _ in range(rnd.randint(1, 4)):
        _node, where = rnd.choice(spots)
        parent = data
        for k in where[:-1]:
            parent = parent[k]
        key = where[-1]
        op = rnd.random()
        try:
            if op < 0.7:
                parent[key] = copy.deepcopy(rnd.choice(_HOSTILE_JSON))
            elif op < 0.8 and isinstance(parent, dict):
                del parent[key]
            elif op < 0.9:
                value = parent[key]
                for _ in range(rnd.choice((3, 70))):
                    value = [value]
                parent[key] = value
            elif isinstance(parent, list):
                parent.append(copy.deepcopy(parent[key]))
        except (KeyError, IndexError):
            pass  # an earlier change removed this place
        spots = [(n, w) for n, w in _spots(data) if w]
        if not spots:
            break
    if rnd.random() < 0.3:
        import yaml

        return yaml.safe_dump(data, allow_unicode=True).encode("utf-8"), "yaml"
    text = json.dumps(data, ensure_ascii=rnd.random() < 0.5)
    if rnd.random() < 0.05:
        text = "[" * 5000 + text + "]" * 5000
    return text.encode("utf-8"), "json"


def import_pipeline(data: bytes, kind: str) -> str:
    """`bpo import` on one document: a located refusal or a contract every command takes."""
    import yaml

    from bpolang.check.pipeline import parse
    from bpolang.format.interchange import DataRefused, from_data, load_data
    from bpolang.format.printer import print_contract
    from bpolang.model.compare import semantic_dump

    try:
        loaded, node = load_data(data.decode("utf-8-sig"), kind)
    except (DataRefused, json.JSONDecodeError, yaml.YAMLError):
        return "refused-early"
    contract, problems = from_data(loaded, node)
    if contract is None:
        if not problems:
            raise Failure("import refused a document without saying why")
        return "refused"
    text = print_contract(contract)
    back = parse(text)
    if semantic_dump(back.contract) != semantic_dump(contract):
        raise Failure("an imported contract prints as text that means something else")
    pipeline(text.encode("utf-8"))
    return "imported"


FAMILIES = ("mutate", "values", "import")


def one_input(family: str, seed: int, k: int, seeds: list[str]) -> tuple[bytes, str]:
    """Input k of a family (its bytes and a name of its kind), the same for the same seed."""
    if family == "mutate":
        return mutate(random.Random(f"{seed}:{k}"), seeds), "bpo"
    rnd = random.Random(f"{seed}:{family}:{k}")
    if family == "values":
        contracts = [t for t in seeds if t.lstrip().startswith(("contract", "#"))]
        return mutate_values(rnd, rnd.choice(contracts)).encode("utf-8"), "bpo"
    return mutate_json(rnd)


def run_one(family: str, data: bytes, kind: str, seeds_by_bytes: dict | None = None) -> str:
    if family == "import":
        return import_pipeline(data, kind)
    if family == "values":
        return pipeline(data, _seed_of(data))
    return pipeline(data)


def _seed_of(data: bytes) -> bytes | None:
    """The unmutated contract a value mutation came from (the closest seed by its first line)."""
    text = data.decode("utf-8", errors="replace")
    head = text.split("{", 1)[0]
    for seed in corpus_cached():
        if seed.split("{", 1)[0] == head:
            return seed.encode("utf-8")
    return None


_CORPUS: list[str] | None = None


def corpus_cached() -> list[str]:
    global _CORPUS
    if _CORPUS is None:
        _CORPUS = corpus()
    return _CORPUS


SLOW_SECONDS = 2.0


def run(
    count: int,
    seed: int,
    crashes: Path | None = None,
    progress: bool = False,
    start: int = 0,
    family: str = "mutate",
) -> dict:
    """Fuzz `count` inputs of a family from `seed`; returns counts by stage reached, failures, slow inputs."""
    seeds = corpus_cached()
    stages: dict[str, int] = {}
    failures: list[tuple[int, str]] = []
    slow: list[tuple[int, float]] = []
    bar = None
    if progress:
        import click

        bar = click.progressbar(length=count, label=f"Fuzzing {family} (seed {seed})", file=sys.stderr, show_eta=True)
    for k in range(start, start + count):
        data, kind = one_input(family, seed, k, seeds)
        t0 = time.process_time()
        try:
            stage = run_one(family, data, kind)
        except Exception as exc:  # noqa: BLE001 - every exception is a finding of the fuzzer
            failures.append((k, f"{type(exc).__name__}: {exc}"))
            if crashes is not None:
                crashes.mkdir(parents=True, exist_ok=True)
                suffix = "bpo" if kind == "bpo" else kind
                (crashes / f"{family}-{seed}-{k}.{suffix}").write_bytes(data)
                (crashes / f"{family}-{seed}-{k}.txt").write_text(traceback.format_exc(), encoding="utf-8")
            stage = "failed"
        spent = time.process_time() - t0
        if spent > SLOW_SECONDS:
            slow.append((k, spent))
        stages[stage] = stages.get(stage, 0) + 1
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.render_finish()
    return {"inputs": count, "stages": stages, "failures": failures, "slow": slow}


def _worker(args: tuple[int, int, int, str | None, str]) -> dict:
    count, seed, start, crashes, family = args
    return run(count, seed, Path(crashes) if crashes else None, start=start, family=family)


def main() -> int:
    ap = argparse.ArgumentParser(description="Fuzz every bpolang command with mutated contracts and JSON/YAML.")
    ap.add_argument("--inputs", type=int, default=10_000, help="inputs per family (default 10,000)")
    ap.add_argument("--family", choices=[*FAMILIES, "all"], default="all", help="which family (default: all)")
    ap.add_argument("--seed", type=int, default=int(time.strftime("%Y%m%d")), help="default: today's date")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: one per core)")
    ap.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"), help="where failing inputs are saved")
    ap.add_argument(
        "--seconds", type=float, default=None, help="stop a family after this long (whole chunks of 250 inputs)"
    )
    args = ap.parse_args()
    os.environ.setdefault("BPO_NO_CACHE", "1")
    progress = sys.stderr.isatty() and not os.environ.get("CI")
    failed = False
    for family in FAMILIES if args.family == "all" else (args.family,):
        failed |= _run_family(family, args, progress)
    return 1 if failed else 0


def _run_family(family: str, args, progress: bool) -> bool:
    t0 = time.perf_counter()
    chunk = 250
    total = {"inputs": 0, "stages": {}, "failures": [], "slow": []}

    def add(part: dict) -> None:
        total["inputs"] += part["inputs"]
        for k, v in part["stages"].items():
            total["stages"][k] = total["stages"].get(k, 0) + v
        total["failures"] += part["failures"]
        total["slow"] += part["slow"]

    def chunks():
        for s in range(0, args.inputs, chunk):
            if args.seconds is not None and time.perf_counter() - t0 > args.seconds:
                return
            yield (min(chunk, args.inputs - s), args.seed, s, str(args.crashes), family)

    if args.jobs <= 1 and args.seconds is None:
        add(run(args.inputs, args.seed, args.crashes, progress=progress, family=family))
    elif args.jobs <= 1:
        for part in chunks():
            add(_worker(part))
    else:
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        with ProcessPoolExecutor(args.jobs) as pool:
            todo = chunks()
            running = {pool.submit(_worker, p) for p in (next(todo, None) for _ in range(args.jobs)) if p}
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for f in done:
                    add(f.result())
                    nxt = next(todo, None)
                    if nxt is not None:
                        running.add(pool.submit(_worker, nxt))
    elapsed = time.perf_counter() - t0
    stages = ", ".join(f"{k} {v:,}" for k, v in sorted(total["stages"].items()))
    print(f"{family}: {total['inputs']:,} inputs in {elapsed:,.0f} s (seed {args.seed}); stages: {stages}")
    print(f"{family}: {len(total['failures'])} failures" + (f", saved in {args.crashes}/" if total["failures"] else ""))
    for k, msg in total["failures"][:20]:
        print(f"  input {k}: {msg}")
    worst = max((t for _k, t in total["slow"]), default=0.0)
    print(f"{family}: {len(total['slow'])} inputs over {SLOW_SECONDS:g} s of CPU (worst {worst:.1f} s)")
    sys.stdout.flush()
    return bool(total["failures"])


if __name__ == "__main__":
    sys.exit(main())
