"""The language server's wire: LSP base-protocol framing that survives a bad client.

pygls' own loop trusts the client: a `Content-Length` of 10^12 makes it allocate that much,
and a header it cannot read (no length, not a number, negative, a body shorter or longer
than announced) leaves it waiting for a body it never reads, answering nothing ever
again.  This loop reads the same framing with limits:

- a header line is at most ``MAX_HEADER_LINE`` bytes and a header at most
  ``MAX_HEADER_LINES`` lines; a line may end in CRLF (the specification) or a bare LF;
- a `Content-Length` is a decimal of at most ``MAX_BODY`` bytes; a larger one closes the
  connection cleanly (exit 1): skipping that much of a stream is no recovery;
- a header without a usable length, or a body that is not a JSON-RPC message, is
  answered with a JSON-RPC parse error (id null) and the stream is resynchronised on the
  next `Content-Length:` header, so the next well-formed message is answered.

The exit code follows the specification: 0 after `shutdown` then `exit`, 1 for `exit`
without `shutdown` (pygls swallows its own SystemExit and would exit 0).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
import threading
from typing import Any, BinaryIO

from bpolang.base.source import MAX_FILE_BYTES

log = logging.getLogger("bpolang.lsp.transport")

MAX_HEADER_LINE = 4096
MAX_HEADER_LINES = 32
# a whole document in one message, JSON-escaped (up to six bytes per character) and framed
MAX_BODY = 8 * MAX_FILE_BYTES
PARSE_ERROR = -32700
INVALID_REQUEST = -32600

_LENGTH = re.compile(rb"Content-Length:[ \t]*(\S*)[ \t]*\r?\n?\Z", re.IGNORECASE)
_FIELD = re.compile(rb"[A-Za-z0-9_-]+:")
_LENGTH_ANYWHERE = re.compile(rb"Content-Length:[ \t]*[0-9]+[ \t]*\r?\n\Z", re.IGNORECASE)


class ConnectionClosed(Exception):
    """The stream ended or cannot go on (a length over the limit); the server stops."""


class Framing:
    """Reads one message body at a time from a binary stream, within the limits above."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.pending: bytes | None = None  # a header line found while resynchronising

    def _line(self) -> bytes:
        if self.pending is not None:
            line, self.pending = self.pending, None
            return line
        line = self.stream.readline(MAX_HEADER_LINE + 1)
        if not line:
            raise ConnectionClosed("end of input")
        if len(line) > MAX_HEADER_LINE and not line.endswith(b"\n"):
            # an over-long line: drop the rest of it, then look for the next header
            while True:
                more = self.stream.readline(MAX_HEADER_LINE + 1)
                if not more or more.endswith(b"\n"):
                    break
            return b"\x00overlong\n"
        return line

    def resynchronise(self) -> None:
        """Skip input up to the next `Content-Length:` header line (possibly glued to garbage)."""
        while True:
            line = self._line()
            m = _LENGTH_ANYWHERE.search(line)
            if m:
                self.pending = line[m.start() :]
                return

    def read(self) -> bytes | str:
        """The next body (bytes), or a str saying why the header was refused (resynchronise next)."""
        length: int | None = None
        problem: str | None = None
        for count in range(MAX_HEADER_LINES + 1):
            line = self._line()
            if line in (b"\r\n", b"\n"):
                if count == 0:
                    continue  # a stray blank line between messages
                break
            if count == MAX_HEADER_LINES:
                return "a header of more than 32 lines"
            if line == b"\x00overlong\n":
                problem = f"a header line longer than {MAX_HEADER_LINE} bytes"
                continue
            if not _FIELD.match(line):
                glued = _LENGTH_ANYWHERE.search(line)
                if glued:
                    # the tail of a message read short, then the next header: start over there
                    line, length, problem = line[glued.start() :], None, None
            m = _LENGTH.match(line)
            if m:
                value = m.group(1)
                if not value.isdigit():
                    problem = f"Content-Length {value[:20].decode('ascii', 'replace')!r} is not a byte count"
                elif len(value) > 15 or int(value) > MAX_BODY:
                    shown = value[:20].decode("ascii")
                    raise ConnectionClosed(f"Content-Length {shown} is over the limit of {MAX_BODY:,} bytes")
                else:
                    length = int(value)
            elif b":" not in line:
                problem = "a header line that is not `Name: value`"
        if problem is not None:
            return problem
        if length is None:
            return "a header without Content-Length"
        body = self.stream.read(length)
        if len(body) < length:
            raise ConnectionClosed("end of input inside a message")
        return body


def serve(server: Any, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
    """Run a pygls server over stdio with the hardened framing; returns the process's exit code."""
    from pygls.io_ import StdoutWriter

    protocol = server.protocol
    protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
    framing = Framing(stdin or sys.stdin.buffer)
    server._stop_event = threading.Event()
    code = 0
    try:
        asyncio.run(_loop(server, framing))
    except ConnectionClosed as exc:
        log.error("closing the connection: %s", exc)
        code = 1
    except BrokenPipeError:
        log.error("the client closed the connection")
        code = 1
    except SystemExit as exc:  # the `exit` notification
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        server.shutdown()
    return code


async def _loop(server: Any, framing: Framing) -> None:
    protocol = server.protocol
    loop = asyncio.get_running_loop()
    while not server._stop_event.is_set():
        try:
            body = await loop.run_in_executor(server.thread_pool, framing.read)
            if isinstance(body, str):
                _refuse(protocol, body)
                await loop.run_in_executor(server.thread_pool, framing.resynchronise)
                continue
        except ConnectionClosed as exc:
            if str(exc) == "end of input":
                return
            raise
        try:
            message = json.loads(body, object_hook=protocol.structure_message)
        except Exception as exc:  # noqa: BLE001 - any body that does not decode is refused
            _refuse(protocol, f"the body is not a JSON-RPC message ({type(exc).__name__})")
            continue
        if not hasattr(message, "jsonrpc"):
            _refuse(protocol, "the body is not a JSON-RPC message")
            continue
        method = getattr(message, "method", None)
        if protocol._shutdown and method not in (None, "exit") and getattr(message, "id", None) is not None:
            # the specification: a request after `shutdown` is answered with InvalidRequest
            _error(protocol, message.id, INVALID_REQUEST, f"the server is shutting down: {method} refused")
            continue
        try:
            protocol.handle_message(message)
        except Exception as exc:  # noqa: BLE001 - pygls' own policy: log and go on
            log.exception("unable to handle a message")
            server._report_server_error(exc, RuntimeError)


def _refuse(protocol: Any, why: str) -> None:
    """Answer a message that could not be read: a JSON-RPC parse error with a null id."""
    log.error("refused a message: %s", why)
    _error(protocol, None, PARSE_ERROR, f"Parse error: {why}")


def _error(protocol: Any, msg_id: Any, code: int, message: str) -> None:
    from lsprotocol import types as lsp

    protocol._send_data(lsp.ResponseErrorMessage(id=msg_id, error=lsp.ResponseError(code=code, message=message)))
