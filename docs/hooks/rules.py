"""MkDocs hook: the rule reference, generated from the rule registry when the site is built.

One page per area (``rules/<area>.md``), nothing checked in: each rule's page section is made
from its declaration (code, name, severity, applicability, source, catalog reference) and its
docstring (What it checks / Why it matters / Example / Fix).  The hand-written overview is
``docs/rules/index.md``.
"""

from __future__ import annotations

AREA_ORDER = (
    "structure",
    "schedule",
    "pricing",
    "service-levels",
    "penalties",
    "governance",
    "data",
    "other",
    "financial",
    "language",
)


def _page(area: str) -> str:
    from bpolang.check.rules.registry import AREAS, load_all

    rules = [r for r in load_all().values() if r.area == area]
    out = [f"# {AREAS[area]}", ""]
    if area == "language":
        out += [
            "These diagnostics are always on: they cannot be selected, ignored, re-graded or suppressed.",
            "BPO001-BPO020 are the language's own diagnostics, described with examples on the",
            "[diagnostics](../diagnostics.md) page; BPO090-BPO092 are about suppression comments",
            "(see [Writing contracts that pass](../guide/passing.md#suppressing-a-finding)).",
            "",
            "| code | name | severity | what it reports |",
            "|---|---|---|---|",
        ]
        # each row is the target of its rule's link (Rule.url); the language's own codes also
        # link to their section, with examples, on the diagnostics page
        from bpolang.model.build import LANGUAGE_CODES

        for r in rules:
            code = f"[{r.code}](../diagnostics.md#{r.code.lower()})" if r.code in LANGUAGE_CODES else r.code
            out.append(f'| <a id="{r.code.lower()}"></a>{code} | `{r.name}` | {r.severity.value} | {r.summary} |')
        return "\n".join(out) + "\n"
    out += [
        "Generated from the rule registry. Each rule gives its default severity (which the",
        "[configuration](../guide/passing.md#configuration) can change), when it applies, and its source.",
        "",
        "| code | name | severity | applies to |",
        "|---|---|---|---|",
    ]
    out += [f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {r.severity.value} | {r.applies.label} |" for r in rules]
    for r in rules:
        s = r.sections
        out += ["", f"## {r.code}", "", f"**`{r.name}`** — {r.summary}", ""]
        meta = [
            f"- **Default severity:** {r.severity.value}",
            f"- **Applies to:** {r.applies.label}",
            f"- **Source:** {r.source}",
        ]
        if r.applies.law:
            meta.insert(2, f"- **Legal test:** {r.applies.law}")
        if r.refs:
            meta.append(f"- **Catalog:** {', '.join(r.refs)}")
        if r.verify:
            meta.append("- **Note:** rests on a secondary source; shipped as a warning or information until verified")
        if r.fixable:
            meta.append("- **Fix:** `bpo check --fix` (see below for whether it is safe)")
        out += meta
        for section in ("What it checks", "Why it matters", "Example", "Fix"):
            out += ["", f"### {section}" if section != "Fix" else "### How to fix it", "", s[section]]
        out += [
            "",
            f"Suppress with `# bpo: ignore[{r.code}] reason`; explain in the terminal with `bpo rule {r.code}`.",
        ]
    return "\n".join(out) + "\n"


def on_files(files, config):  # noqa: ARG001 - MkDocs hook signature
    from mkdocs.structure.files import File

    for area in AREA_ORDER:
        files.append(File.generated(config, f"rules/{area}.md", content=_page(area)))
    return files
