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
    """The file cannot be replaced safely (other hard links, changed since it was read, an input)."""


class ChangedSinceRead(WriteRefused):
    """The file is not what was read any more: read it again rather than overwrite it."""


# Every file this process read as an input, by (device, inode): an output never replaces one.
_INPUTS: set[tuple[int, int]] = set()
_TMP_SUFFIX = ".bpo-tmp"


def forget_inputs() -> None:
    """Start a new command: no file read yet (the CLI calls it once per invocation)."""
    _INPUTS.clear()


@dataclass(frozen=True)
class Stamp:
    """What a file was when it was read: a rewrite refuses to replace a file that changed since."""

    dev: int
    ino: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> Stamp:
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _kind(mode: int) -> str | None:
    """What a special file is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def os_reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "a symbolic link loop"
    return exc.strerror or str(exc)


def read_input(path: str | os.PathLike[str], limit: int | None = None) -> tuple[bytes | None, int, Stamp]:
    """An input file's bytes (None when over the size cap), its size and its stamp.

    Never blocks: a FIFO, a device or a socket is refused before any read, and so is a
    folder or a symlink loop, each with an InputError of one line.  The file is remembered
    as an input, so no output of this command can replace it.
    """
    from bpolang.base.errors import InputError
    from bpolang.base.source import MAX_FILE_BYTES

    cap = MAX_FILE_BYTES if limit is None else limit
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a directory, not a .bpo file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({os_reason(exc)})") from None
    try:
        st = os.fstat(fd)
        kind = _kind(st.st_mode)
        if kind is not None:
            what = "a directory, not a .bpo file" if kind == "a directory" else f"{kind}, not a regular file"
            raise InputError(f"{p}: is {what}")
        _INPUTS.add((st.st_dev, st.st_ino))
        if st.st_size > cap:
            return None, st.st_size, Stamp.of(st)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks = []
        total = 0
        while total <= cap:
            chunk = os.read(fd, min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        data = b"".join(chunks)
        if total > cap:  # grew while being read
            return None, total, Stamp.of(st)
        return data, total, Stamp.of(st)
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({os_reason(exc)})") from None
    finally:
        os.close(fd)


PROJECT_FILES = ("bpolang.toml", "pyproject.toml")


def project_root(path: str | os.PathLike[str] | None) -> Path:
    """The folder a contract's includes must stay in: the nearest one above the file holding
    bpolang.toml or pyproject.toml (up to the repository's root), else the file's own folder."""
    start = Path(os.path.realpath(path)).parent if path is not None else Path(os.path.realpath(os.getcwd()))
    folder = start
    while True:
        if any((folder / name).is_file() for name in PROJECT_FILES):
            return folder
        if (folder / ".git").exists() or folder.parent == folder:
            return start
        folder = folder.parent


def read_stdin(limit: int | None = None) -> bytes:
    """Standard input, read up to one byte over the size cap (the caller sees it is too large)."""
    import sys

    from bpolang.base.source import MAX_FILE_BYTES

    cap = MAX_FILE_BYTES if limit is None else limit
    return sys.stdin.buffer.read(cap + 1)


def read_contract_bytes(path: str | os.PathLike[str]) -> tuple[bytes | None, int]:
    """A contract file's bytes and size; the bytes are None when the file is over the size cap.

    Raises InputError for a folder, a special file, a missing file or one that cannot be read.
    """
    data, size, _stamp = read_input(path)
    return data, size


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def sweep_temporaries(folder: Path, name: str) -> None:
    """Remove what a killed rewrite of `name` left behind: `.NAME.PID.xxxx.bpo-tmp` of a dead process."""
    prefix = f".{name}."
    try:
        entries = os.scandir(folder)
    except OSError:
        return
    with entries:
        for entry in entries:
            n = entry.name
            if not (n.startswith(prefix) and n.endswith(_TMP_SUFFIX)):
                continue
            pid = n[len(prefix) :].split(".", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass


def atomic_write(path: Path, data: bytes, expect: Stamp | None = None) -> None:
    """Replace a file's content atomically: temporary file in the same folder, then rename.

    The mode of the original is kept, a symlink is followed (its target is
    written and the link survives), and a file with several hard links is
    refused rather than silently split from its other names.  A file that does not exist
    yet is created with the usual permissions (0o666 less the umask).  With `expect` (the
    stamp of the file when it was read) a file changed since is refused, not overwritten:
    two rewrites of one file at once never lose one of them (they take turns on a lock of
    the original, and the second finds it replaced).  The temporary file carries the
    process id, so one left by a killed process is swept by the next write.
    """
    target = Path(os.path.realpath(path))
    sweep_temporaries(target.parent, target.name)
    lock_fd = None
    try:
        st = target.stat()
    except FileNotFoundError:
        mode = None
        if expect is not None:
            raise ChangedSinceRead(f"{path}: was removed since it was read; not rewriting it") from None
    else:
        kind = _kind(st.st_mode)
        if kind is not None:
            raise WriteRefused(f"{path}: is {kind}; not replacing it")
        if st.st_nlink > 1:
            raise WriteRefused(f"{path}: has {st.st_nlink} hard links; not rewriting it (it would split them)")
        mode = stat.S_IMODE(st.st_mode)
        if expect is not None:
            lock_fd = _lock(target)
            if Stamp.of(os.stat(target)) != expect:
                _unlock(lock_fd)
                raise ChangedSinceRead(f"{path}: changed since it was read; not overwriting it")
    try:
        _replace(target, data, mode)
    finally:
        if lock_fd is not None:
            _unlock(lock_fd)


def _lock(target: Path) -> int:
    fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)
    except ImportError:  # pragma: no cover - Windows: the stamp check alone
        pass
    return fd


def _unlock(fd: int) -> None:
    os.close(fd)  # closing the descriptor releases the lock


def _replace(target: Path, data: bytes, mode: int | None) -> None:
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=_TMP_SUFFIX, dir=target.parent)
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


def check_output(output: str) -> str | None:
    """Why an output path cannot be written (it is one of the inputs), or None.

    Called before anything is written, so a refused output leaves every file as it was.
    """
    try:
        st = os.stat(output)
    except OSError:
        return None  # not there yet (or not reachable): not an input
    if (st.st_dev, st.st_ino) in _INPUTS:
        return "it is an input of this command; choose another output file"
    return None


def write_stream(target: str, data: bytes) -> None:
    """Write to a device or a FIFO (`-o /dev/null`): no rename, which would replace the device."""
    with open(target, "wb") as fh:
        fh.write(data)
