"""Markdown writer: CommonMark with pipe tables; every user string escaped."""

from __future__ import annotations

import re

from bpolang.render.ir import Bullets, Document, Figure, Para, Run, Section, Table

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")
_INDENT = re.compile(r"^[ \t]+", re.M)
_INDENT_ENTITY = {" ": "&#32;", "\t": "&#9;"}


def escape(text: str, line_start: bool = False) -> str:
    """Text that Markdown shows as written: no emphasis, link, HTML, heading or table cell break."""
    text = " ".join(text.split("\n"))
    text = _SPECIAL.sub(r"\\\1", text)
    return guard_line_start(text) if line_start else text


def guard_line_start(text: str) -> str:
    """Escape what would start a list, quote or setext heading at the start of a line."""

    def fix(m: re.Match[str]) -> str:
        mark = m.group(2)
        return m.group(1) + mark[:-1] + "\\" + mark[-1]

    text = _LINE_START.sub(fix, text)
    # leading spaces or a tab would make the paragraph a code block: write them as entities
    return _INDENT.sub(lambda m: "".join(_INDENT_ENTITY[c] for c in m.group()), text)


def runs(rs: list[Run]) -> str:
    out = []
    for r in rs:
        if not r.text:
            continue
        t = escape(r.text)
        # keep emphasis markers outside spaces, or CommonMark will not see them
        core = t.strip()
        if core and (r.bold or r.italic):
            mark = "**" if r.bold else "*"
            lead = t[: len(t) - len(t.lstrip())]
            trail = t[len(t.rstrip()) :]
            t = f"{lead}{mark}{core}{mark}{trail}"
        out.append(t)
    return guard_line_start("".join(out))


def table(t: Table) -> list[str]:
    def cell(s: str) -> str:
        return escape(s) if s else " "

    lines = []
    if t.caption:
        lines += [f"*{escape(t.caption)}*", ""]
    lines.append("| " + " | ".join(cell(h) for h in t.headers) + " |")
    lines.append("|" + "|".join("---:" if i in t.numeric else "---" for i in range(len(t.headers))) + "|")
    for row in t.rows:
        lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    return lines


def blocks(bs: list) -> list[str]:
    out: list[str] = []
    for b in bs:
        if isinstance(b, Para):
            out += [runs(b.runs), ""]
        elif isinstance(b, Bullets):
            out += ["- " + runs(item) for item in b.items] + [""]
        elif isinstance(b, Table):
            out += table(b) + [""]
        elif isinstance(b, Figure):
            out += figure(b)
    return out


def figure(f: Figure) -> list[str]:
    """An image with a `data:` URI (shown by most viewers; those that refuse it show the alt text)."""
    lines = [f"![{escape(f.alt)}]({f.data_uri})", ""]
    if f.caption:
        lines += [f"*{escape(f.caption)}*", ""]
    return lines


def section(s: Section, level: int) -> list[str]:
    out = ["#" * level + " " + escape(s.heading()), ""]
    out += blocks(s.blocks)
    for sub in s.subsections:
        out += section(sub, level + 1)
    return out


def write(doc: Document) -> str:
    out = ["# " + escape(doc.title), ""]
    out += blocks(doc.preamble)
    for a in doc.articles:
        out += section(a, 2)
    out += ["---", ""]
    out += blocks(doc.signature)
    for a in doc.annexes:
        out += ["---", ""]
        out += section(a, 2)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
