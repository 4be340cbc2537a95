"""Latency of diagnostics while typing: didChange sent -> publishDiagnostics received.

Starts the real `bpo lsp` over stdio with pygls' client (through pytest-lsp), opens a
generated contract, then sends edits one at a time -- typing a character at the end of a
title somewhere in the file, or deleting a title's last character elsewhere, so that no two
versions are the same text -- and times each until the server publishes the diagnostics of
that version.  Prints median, p95 and max in milliseconds.

    python bench/lsp_latency.py [--lines 2000] [--edits 40]
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


async def run(lines: int, edits: int) -> list[float]:
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
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(uri=uri, language_id="bpo", version=1, text=text)))
    await asyncio.wait_for(published, 120)
    # warm-up: the first changes load the rules' modules and caches
    version = 1
    latencies: list[float] = []
    points = _edit_points(text, edits)
    for n in range(edits + 4):
        # every edit gives a text never seen before (no cache could answer it)
        line, col = points[n % len(points)]
        if n % 2 == 0:  # type a character at the end of a title
            change = lsp.TextDocumentContentChangePartial(range=lsp.Range(start=lsp.Position(line=line, character=col), end=lsp.Position(line=line, character=col)), text="x")
        else:  # delete a title's last character elsewhere (backspace)
            start = lsp.Position(line=line, character=col - 1)
            change = lsp.TextDocumentContentChangePartial(range=lsp.Range(start=start, end=lsp.Position(line=line, character=col)), text="")
        version += 1
        published = client.protocol.wait_for_notification_async(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        start = time.perf_counter()
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change])
        )
        params = await asyncio.wait_for(published, 120)
        elapsed = (time.perf_counter() - start) * 1000
        assert params.version == version, (params.version, version)
        if n >= 4:
            latencies.append(elapsed)
    await client.shutdown_session()
    await client.stop()
    return latencies


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
    ap.add_argument("--profile", action="store_true", help="profile the analysis in process instead (needs pyinstrument)")
    ap.add_argument("--json", action="store_true", help="end with one line of JSON figures (for bench/run.py)")
    args = ap.parse_args()
    if args.profile:
        profile(args.lines)
        return
    lat = asyncio.run(run(args.lines, args.edits))
    lat.sort()
    p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))]
    print(f"{args.lines} lines, {len(lat)} edits: change -> publishDiagnostics "
          f"median {statistics.median(lat):.1f} ms, p95 {p95:.1f} ms, max {lat[-1]:.1f} ms")
    if args.json:
        import json

        print(json.dumps({"lines": args.lines, "edits": len(lat), "median_ms": statistics.median(lat), "p95_ms": p95, "max_ms": lat[-1]}))


if __name__ == "__main__":
    main()
