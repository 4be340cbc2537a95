"""Which contract files a command works on: the files named, and *.bpo files under the folders named."""

from __future__ import annotations

from pathlib import Path


def collect_files(paths: tuple[str, ...]) -> list[Path]:
    """Files named on the command line, and *.bpo files under the folders named."""
    files: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*.bpo")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            candidates = found
        else:
            candidates = [p]
        for f in candidates:
            key = f.resolve() if f.exists() else f
            if key not in seen:
                seen.add(key)
                files.append(f)
    return files
