"""The language server on the wire: a raw client sends malformed framing and the exit sequence.

Each case runs the real `bpo lsp` process and reads its replies off standard output: a bad
header is answered with a parse error and the next well-formed request still gets its
answer (the stream is resynchronised), a length over the limit closes the connection with
exit 1 (no MemoryError), and `shutdown` / `exit` behave as the LSP specification says.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from bpolang.lsp.transport import MAX_BODY


def frame(obj: dict, length: int | None = None, sep: bytes = b"\r\n") -> bytes:
    body = json.dumps(obj).encode()
    n = len(body) if length is None else length
    return b"Content-Length: " + str(n).encode() + sep + sep + body


def request(msg_id: int, method: str, params: dict | None = None) -> dict:
    return {"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}


INIT = request(1, "initialize", {"processId": None, "rootUri": None, "capabilities": {}})
SHUTDOWN = request(99, "shutdown")
EXIT = {"jsonrpc": "2.0", "method": "exit"}


def run(data: bytes, timeout: float = 60) -> tuple[int, list[dict], bytes]:
    proc = subprocess.run([sys.executable, "-m", "bpolang", "lsp"], input=data, capture_output=True, timeout=timeout)
    replies = []
    out = proc.stdout
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
        replies.append(json.loads(rest[:length]))
        out = rest[length:]
    return proc.returncode, replies, proc.stderr


def by_id(replies: list[dict]) -> dict:
    return {r.get("id"): r for r in replies if "id" in r}


def test_well_formed_session_shutdown_then_exit_is_0():
    code, replies, err = run(frame(INIT) + frame(SHUTDOWN) + frame(EXIT))
    assert code == 0, err
    got = by_id(replies)
    assert "capabilities" in got[1]["result"] and got[99]["result"] is None


def test_exit_without_shutdown_is_1():
    code, _replies, err = run(frame(INIT) + frame(EXIT))
    assert code == 1, err
    assert b"Traceback" not in err


def test_requests_after_shutdown_get_invalid_request():
    after = request(
        7, "textDocument/hover", {"textDocument": {"uri": "file:///x.bpo"}, "position": {"line": 0, "character": 0}}
    )
    code, replies, err = run(frame(INIT) + frame(SHUTDOWN) + frame(after) + frame(EXIT))
    assert code == 0, err
    assert by_id(replies)[7]["error"]["code"] == -32600


def test_a_huge_content_length_closes_cleanly():
    data = frame(INIT) + b"Content-Length: 1000000000000\r\n\r\n{}"
    code, replies, err = run(data)
    assert code == 1
    assert b"MemoryError" not in err and b"Traceback" not in err
    assert b"over the limit" in err
    assert 1 in by_id(replies)  # what came before was answered


def test_the_limit_is_well_above_a_document_at_the_size_cap():
    from bpolang.base.source import MAX_FILE_BYTES

    assert MAX_BODY >= 6 * MAX_FILE_BYTES


BAD_HEADERS = {
    "not-a-number": b"Content-Length: abc\r\n\r\n{}",
    "negative": b"Content-Length: -5\r\n\r\n{}",
    "missing": b"Content-Type: application/vscode-jsonrpc\r\n\r\n{}",
    "garbage-line": b"hello there\r\n\r\n{}",
    "too-long-line": b"X-Pad: " + b"a" * 10_000 + b"\r\n\r\n{}",
    "too-short-length": frame({"jsonrpc": "2.0", "id": 5, "method": "shutdown"}, length=10),
    "body-not-json": b"Content-Length: 5\r\n\r\n{{{{{",
    "body-not-json-rpc": b"Content-Length: 2\r\n\r\n[]",
}


@pytest.mark.parametrize("name", sorted(BAD_HEADERS))
def test_a_bad_message_is_refused_and_the_next_one_answered(name: str):
    code, replies, err = run(frame(INIT) + BAD_HEADERS[name] + frame(SHUTDOWN) + frame(EXIT))
    assert b"Traceback" not in err
    errors = [r for r in replies if r.get("id") is None and "error" in r]
    assert errors and errors[0]["error"]["code"] == -32700
    got = by_id(replies)
    assert got[99]["result"] is None  # resynchronised: the shutdown after the bad message is answered
    assert code == 0


def test_a_too_long_length_swallows_the_next_message_but_not_the_one_after():
    # the announced length runs into the next message: that one is lost (a parse error),
    # the one after is answered
    bad = b"Content-Length: 60\r\n\r\n{}"
    ping = request(3, "shutdown")
    code, replies, err = run(frame(INIT) + bad + frame(ping) + frame(SHUTDOWN) + frame(EXIT))
    assert b"Traceback" not in err
    assert any(r.get("id") is None and "error" in r for r in replies)
    assert by_id(replies)[99]["result"] is None
    assert code == 0


def test_lf_separated_headers_are_read():
    data = frame(INIT, sep=b"\n") + frame(SHUTDOWN, sep=b"\n") + frame(EXIT, sep=b"\n")
    code, replies, err = run(data)
    assert code == 0, err
    assert by_id(replies)[99]["result"] is None


def test_end_of_input_inside_a_body_closes_cleanly():
    code, _replies, err = run(frame(INIT) + b'Content-Length: 500\r\n\r\n{"jsonrpc"')
    assert b"Traceback" not in err
    assert code == 1
