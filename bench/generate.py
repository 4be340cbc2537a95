"""Realistic contracts of a given size, for benchmarks: `contract(lines)`.

The base is the English example contract; its repeatable blocks (services, deliverables,
milestones, service levels, penalties, clauses...) are copied with fresh ids until the text
has the number of lines asked for.  The result passes `bpo check` with no errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent / "examples" / "centre-contacts-en.bpo"
REPEATABLE = ("service", "deliverable", "milestone", "sla", "penalty", "clause", "insurance", "data")


def base_lines() -> int:
    """The length of the base example: the smallest contract `contract` gives."""
    return BASE.read_text(encoding="utf-8").count("\n")


def contract(lines: int) -> str:
    """A contract of exactly `lines` lines (at least the base example's length)."""
    from bpolang.syntax.nodes import Block
    from bpolang.syntax.parser import parse_text

    text = BASE.read_text(encoding="utf-8")
    parsed = parse_text(text)
    top = next(s for s in parsed.body if isinstance(s, Block) and s.header.keyword == "contract")
    blocks = [
        s for s in top.body if isinstance(s, Block) and s.header.keyword in REPEATABLE and len(s.header.words) >= 2
    ]
    head, tail = text[: top.close], text[top.close :]
    if not head.endswith("\n"):
        head += "\n"
    count = head.count("\n") + tail.count("\n") + (0 if tail.endswith("\n") else 1)
    copies: list[str] = []
    n = 0
    while True:
        b = blocks[n % len(blocks)]
        copy = _renamed(text, b, n // len(blocks) + 2)
        size = copy.count("\n") + 1
        if count + size > lines:
            break
        copies.append(copy)
        count += size
        n += 1
    # pad to the exact size with comment lines
    copies += ["  # padding"] * max(lines - count, 0)
    return head + "".join(c + "\n" for c in copies) + tail


def _renamed(text: str, block, copy: int) -> str:
    """The block's text with fresh ids (its own and its nested blocks') and title, indented as in the source."""
    from bpolang.syntax.nodes import Block, iter_nodes

    edits = [(block.header.words[-1], f"{block.header.words[-1].text}_{copy}")]
    title = block.header.title
    if title is not None:
        edits.append((title, title.text[:-1] + f' {copy}"'))
    for inner in iter_nodes(block.body):
        if isinstance(inner, Block) and len(inner.header.words) >= 2:
            edits.append((inner.header.words[-1], f"{inner.header.words[-1].text}_{copy}"))
    out = text[block.start : block.end]
    for lit, new in sorted(edits, key=lambda e: e[0].start, reverse=True):
        out = out[: lit.start - block.start] + new + out[lit.end - block.start :]
    return "  " + out


if __name__ == "__main__":
    sys.stdout.write(contract(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
