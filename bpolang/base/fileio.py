"""Reading and writing contract files safely: encoding kept, writes atomic."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

_BREAK = re.compile(r"\r\n|\r|\n")
BOM = "\ufeff"


@dataclass
class Encoding:
    """What to give back on write: the BOM and the line-ending style of the input."""

    bom: bool = False
    newline: str = "\n"


def split_encoding(text: str) -> tuple[str, Encoding]:
    """Strip a BOM and normalise line endings to LF, remembering both."""
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    m = _BREAK.search(text)
    newline = m.group() if m else "\n"
    return _BREAK.sub("\n", text) if newline != "\n" or "\r" in text else text, Encoding(bom, newline)


def apply_encoding(text: str, enc: Encoding) -> str:
    """LF text back to the input's line endings and BOM."""
    if enc.newline != "\n":
        text = text.replace("\n", enc.newline)
    return (BOM if enc.bom else "") + text


class WriteRefused(Exception):
    """The file cannot be replaced safely (for example it has other hard links)."""


def atomic_write(path: Path, data: bytes) -> None:
    """Replace a file's content atomically: temporary file in the same folder, then rename.

    The mode of the original is kept, a symlink is followed (its target is
    written and the link survives), and a file with several hard links is
    refused rather than silently split from its other names.  A file that does not exist
    yet is created with the usual permissions (0o666 less the umask).
    """
    target = Path(os.path.realpath(path))
    try:
        st = target.stat()
    except FileNotFoundError:
        mode = None
    else:
        if st.st_nlink > 1:
            raise WriteRefused(f"{path}: has {st.st_nlink} hard links; not rewriting it (it would split them)")
        mode = stat.S_IMODE(st.st_mode)
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".bpo-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def read_contract_bytes(path: str | os.PathLike[str]) -> tuple[bytes | None, int]:
    """A contract file's bytes and size; the bytes are None when the file is over the size cap.

    Raises InputError for a folder, a missing file or one that cannot be read.
    """
    from bpolang.base.errors import InputError
    from bpolang.base.source import MAX_FILE_BYTES

    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a .bpo file")
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, size
        with open(p, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1), size
    except OSError as exc:
        from bpolang.base.errors import unreadable

        raise InputError(unreadable(p, exc)) from None
