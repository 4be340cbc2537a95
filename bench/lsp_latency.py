"""Latency of diagnostics while typing: didChange sent -> publishDiagnostics received.

Starts the real `bpo lsp` over stdio with pygls' client (through pytest-lsp), opens a
generated contract, then sends edits one at a time -- typing a character at the end of a
title somewhere in the file, or deleting a title's last character elsewhere, so that no two
versions are the same text -- and times each until the server publishes the diagnostics of
that version.  With --typing it types a new block keystroke by keystroke instead, as an editor
sends it (brackets and quotes closed as they are typed, broken texts on the way), and asks the
outline after each keystroke as an editor's outline view does; with --no-autoclose nothing is
closed for the typist, so the braces stay unbalanced until the block's `}` is typed.  With
--completion it types the block without auto-close and asks for completion at the cursor right
after each keystroke, before the diagnostics of that keystroke arrive, and times that answer.
Prints median, p95 and max in milliseconds.

    python bench/lsp_latency.py [--lines 2000] [--edits 40]
    python bench/lsp_latency.py --lines 2000 --typing [--no-autoclose]
    python bench/lsp_latency.py --lines 2000 --completion
    python bench/lsp_latency.py --profile    # where the time goes (pyinstrument, in process)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import client_capabilities, make_test_lsp_client

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import contract  # noqa: E402

SERVER = [sys.executable, "-m", "bpolang", "lsp"]


def _edit_points(text: str, n: int) -> list[tuple[int, int]]:
    """(line, column) just inside the closing quote of titles spread over the file (ASCII lines)."""
    points = []
    for i, line in enumerate(text.split("\n")):
        if line.isascii() and line.rstrip().endswith('" {'):
            points.append((i, line.rstrip().rindex('"')))
    step = max(len(points) // n, 1)
    return points[::step][:n] or [(0, 0)]


TYPED = '\n  milestone typed_m "Typed milestone" {\n    date: 2027-06-30\n    depends_on: [kickoff]\n  }'
PAIRS = {"{": "}", '"': '"', "[": "]"}  # closed by the editor as they are typed (language configuration)


def typing(text: str, autoclose: bool = True) -> list[tuple[int, int, str]]:
    """The edits (start, end, text) of typing TYPED after a block in the middle, keystroke by keystroke.

    With `autoclose`, as in VS Code with the extension's language configuration: `{`, `[` and
    `"` come with their closing character, and typing that closing character steps over it.
    Without, as in an editor with no such pairs: each character alone.  Every intermediate text
    is what the server sees while one types, broken ones included.
    """
    pairs = PAIRS if autoclose else {}
    lines = text.split("\n")
    middle = next(i for i in range(len(lines) // 2, len(lines)) if lines[i] == "  }")
    cursor = sum(len(x) + 1 for x in lines[: middle + 1]) - 1  # after that `}`
    current = text
    out = []
    for ch in TYPED:
        if ch in pairs.values() and current[cursor : cursor + 1] == ch:
            cursor += 1  # step over the closing character the editor put there
            continue
        insert = ch + pairs.get(ch, "")
        out.append((cursor, cursor, insert))
        current = current[:cursor] + insert + current[cursor:]
        cursor += 1
    assert current == text[: cursor - len(TYPED)] + TYPED + text[cursor - len(TYPED) :]
    return out


async def run(lines: int, edits: int, scenario: str = "titles") -> tuple[list[float], list[float]]:
    """Latencies of diagnostics after each change, and of the request asked after each one.

    Scenarios: "titles" (edits spread over the file), "typing" (a new block typed with the
    editor closing brackets, the outline asked after each keystroke), "open" (the same block
    typed without auto-close, the outline asked after each keystroke) and "completion" (typed
    without auto-close, completion asked right after each keystroke, before its diagnostics).
    """
    text = contract(lines)
    folder = Path(tempfile.mkdtemp(prefix="bpo-lsp-bench-"))
    (folder / ".git").mkdir()
    path = folder / "contract.bpo"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client = make_test_lsp_client()

    @client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def _register(params: lsp.RegistrationParams) -> None:
        """Accept the server's file watchers, as an editor does."""

    await client.start_io(*SERVER)
    await client.initialize_session(lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    published = client.protocol.wait_for_notification_async(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="bpo", version=1, text=text)
        )
    )
    await asyncio.wait_for(published, 120)
    version = 1
    latencies: list[float] = []
    requests: list[float] = []
    doc_id = lsp.TextDocumentIdentifier(uri=uri)
    if scenario == "titles":
        changes = _title_changes(text, edits)
    else:
        changes = _typing_changes(text, autoclose=scenario == "typing")
    for n, (change, after) in enumerate(changes):
        version += 1
        published = client.protocol.wait_for_notification_async(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        start = time.perf_counter()
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change]
            )
        )
        if scenario == "completion":
            # right after the keystroke, as an editor asks while one types
            await client.text_document_completion_async(lsp.CompletionParams(text_document=doc_id, position=after))
            requests.append((time.perf_counter() - start) * 1000)
        params = await asyncio.wait_for(published, 120)
        elapsed = (time.perf_counter() - start) * 1000
        assert params.version == version, (params.version, version)
        if scenario in ("typing", "open"):
            # as an editor's outline view does after a change
            start = time.perf_counter()
            await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=doc_id))
            requests.append((time.perf_counter() - start) * 1000)
        if n >= 4 or scenario != "titles":  # the first title changes load the rules' modules and caches
            latencies.append(elapsed)
    await client.shutdown_session()
    await client.stop()
    return latencies, requests


def _title_changes(text: str, edits: int) -> list:
    """Typing a character at the end of a title somewhere, or deleting a title's last character
    elsewhere, so that no two versions are the same text; 4 changes of warm-up first."""
    points = _edit_points(text, edits + 4)  # one place per edit: each edit finds the text it expects
    out = []
    for n in range(edits + 4):
        line, col = points[n % len(points)]
        if n % 2 == 0:  # type a character at the end of a title
            here = lsp.Position(line=line, character=col)
            out.append((lsp.TextDocumentContentChangePartial(range=lsp.Range(start=here, end=here), text="x"), here))
        else:  # delete a title's last character elsewhere (backspace)
            start = lsp.Position(line=line, character=col - 1)
            rng = lsp.Range(start=start, end=lsp.Position(line=line, character=col))
            out.append((lsp.TextDocumentContentChangePartial(range=rng, text=""), start))
    return out


def _typing_changes(text: str, autoclose: bool) -> list:
    """Each keystroke's change, with the cursor's position after it."""
    from bpolang.lsp.positions import PositionCodec

    out = []
    current = text
    for start, end, insert in typing(text, autoclose):
        codec = PositionCodec(current)
        change = lsp.TextDocumentContentChangePartial(range=codec.range(start, end), text=insert)
        current = current[:start] + insert + current[end:]
        out.append((change, PositionCodec(current).position(start + 1)))
    return out


def profile(lines: int, runs: int = 10) -> None:
    """The server's work for one change (the same `analyse` call), profiled in this process."""
    from pyinstrument import Profiler

    from bpolang.lsp.diagnostics import publishable
    from bpolang.lsp.documents import Configs, analyse

    text = contract(lines)
    configs = Configs()
    analyse(text, 1, None, "utf-16", configs)  # warm-up
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for i in range(runs):
        publishable(analyse(text + " " * i, i, None, "utf-16", configs), "file:///contract.bpo")
    profiler.stop()
    print(profiler.output_text(color=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=2000)
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument(
        "--profile", action="store_true", help="profile the analysis in process instead (needs pyinstrument)"
    )
    ap.add_argument("--json", action="store_true", help="end with one line of JSON figures (for bench/run.py)")
    ap.add_argument(
        "--typing",
        action="store_true",
        help="type a new block keystroke by keystroke (broken texts included), asking the outline after each",
    )
    ap.add_argument(
        "--no-autoclose",
        action="store_true",
        help="with --typing: the editor closes no bracket or quote (the braces stay unbalanced while typing)",
    )
    ap.add_argument(
        "--completion",
        action="store_true",
        help="type a new block without auto-close, asking completion right after each keystroke",
    )
    args = ap.parse_args()
    if args.profile:
        profile(args.lines)
        return
    if args.completion:
        scenario = "completion"
    elif args.typing:
        scenario = "open" if args.no_autoclose else "typing"
    else:
        scenario = "titles"
    lat, requests = asyncio.run(run(args.lines, args.edits, scenario))
    figures = {"lines": args.lines, "scenario": scenario, "edits": len(lat), **_stats(lat)}
    print(
        f"{args.lines} lines, {len(lat)} {'edits' if scenario == 'titles' else 'keystrokes'} ({scenario}): "
        f"change -> publishDiagnostics median {figures['median_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, "
        f"max {figures['max_ms']:.1f} ms"
    )
    if requests:
        o = _stats(requests)
        what = "completion" if scenario == "completion" else "outline"
        figures[what] = o
        print(
            f"  {what} after each: median {o['median_ms']:.1f} ms, p95 {o['p95_ms']:.1f} ms, max {o['max_ms']:.1f} ms"
        )
    if args.json:
        import json

        print(json.dumps(figures))


def _stats(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {
        "median_ms": statistics.median(values),
        "p95_ms": values[min(len(values) - 1, round(0.95 * (len(values) - 1)))],
        "max_ms": values[-1],
    }


if __name__ == "__main__":
    main()
