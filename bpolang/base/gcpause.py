"""Pause the cyclic garbage collector while a contract's tree is built or checked.

Parsing and checking allocate many small objects that all stay alive until the result is
dropped; the collector's passes over that growing heap free nothing and make the cost grow
faster than the file (a fifth of the time at 10,000 lines, more beyond).  Reference counting
still frees everything as usual.  Nested and concurrent uses (the language server's threads)
share one counter, so the collector is re-enabled only when the last one ends, and only if it
was enabled before the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
