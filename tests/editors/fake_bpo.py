"""A stand-in for `bpo` in the editor tests: `bpo lsp` answering just enough LSP over stdio.

It records its arguments and the messages it receives (one JSON object a line, in the file named
by FAKE_BPO_LOG), answers `initialize` and `shutdown`, and publishes one diagnostic for each
document opened, so a test can see that the editor started it, sent the document and showed
what came back.
"""

import json
import os
import sys

log = open(os.environ["FAKE_BPO_LOG"], "a", encoding="utf-8")


def note(**fields) -> None:
    log.write(json.dumps(fields) + "\n")
    log.flush()


def read() -> dict | None:
    headers = {}
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        key, value = line.decode("ascii").split(":", 1)
        headers[key.strip().lower()] = value.strip()
    return json.loads(sys.stdin.buffer.read(int(headers["content-length"])))


def send(message: dict) -> None:
    body = json.dumps(message).encode("utf-8")
    sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    sys.stdout.buffer.flush()


note(argv=sys.argv[1:])
while (message := read()) is not None:
    method = message.get("method")
    note(method=method)
    if method == "initialize":
        send({"jsonrpc": "2.0", "id": message["id"], "result": {"capabilities": {"textDocumentSync": 1}}})
    elif method == "textDocument/didOpen":
        document = message["params"]["textDocument"]
        note(uri=document["uri"], languageId=document["languageId"])
        diagnostic = {
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 8}},
            "message": "fake diagnostic",
            "severity": 1,
        }
        params = {"uri": document["uri"], "diagnostics": [diagnostic]}
        send({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": params})
    elif method == "shutdown":
        send({"jsonrpc": "2.0", "id": message["id"], "result": None})
    elif method == "exit":
        break
