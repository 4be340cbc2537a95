"""MkDocs hook: an excerpt written as a whole `contract` is captioned as one on the site.

A ```` ```bpo fragment ```` block that starts with `contract` shows a block in place, but leaves
out what a complete agreement needs (parties, price...), so `bpo check` would report errors on it.
The reader is told so in the block's title; tests/test_docs.py checks that such a block is valid
language and that the rules do find it incomplete.
"""

from __future__ import annotations

import re

CAPTION = "Excerpt: valid language, not a complete contract (bpo check asks for more)"
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+)[ \t]*bpo[ \t]+fragment[ \t]*\n", re.M)


def starts_a_contract(text: str) -> bool:
    """Whether a block's first statement (after comments and blank lines) is `contract`."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return re.match(r"contract\b", stripped) is not None
    return False


def caption_excerpts(markdown: str) -> str:
    """Give every fragment fence whose block starts a contract a title saying it is an excerpt."""
    out: list[str] = []
    pos = 0
    for m in _FENCE.finditer(markdown):
        close = markdown.find("\n" + m.group("indent") + m.group("fence"), m.end() - 1)
        body = markdown[m.end() : close if close != -1 else len(markdown)]
        if starts_a_contract(body):
            out.append(markdown[pos : m.start()])
            out.append(f'{m.group("indent")}{m.group("fence")}bpo title="{CAPTION}"\n')
            pos = m.end()
    out.append(markdown[pos:])
    return "".join(out)


def on_page_markdown(markdown: str, **_kwargs) -> str:
    return caption_excerpts(markdown)
