"""`bpo diff OLD NEW`: what changed in meaning, as sentences, JSON, or a draft amendment.

Exit codes: 0 nothing changed, 1 something did (or a side has errors, unless --force),
2 a file cannot be read or the output cannot be written.  Nothing of :mod:`bpolang.diff`
or :mod:`bpolang.render` is imported until the command runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

MARKS = {"added": "+", "removed": "-", "changed": "~", "reordered": "~", "moved": ">"}


def diff_results(old: Any, new: Any, lang: str) -> tuple[list, list[str]]:
    """The described changes between two loaded results, and notes (different ids)."""
    from bpolang.diff.catalog import CATALOGS
    from bpolang.diff.engine import compare
    from bpolang.diff.sentences import describe

    changes = describe(compare(old.contract, new.contract, old.resolution, new.resolution), old, new, lang)
    notes = []
    if old.contract.id != new.contract.id:
        nb = "\u202f" if lang == "fr" else " "
        notes.append(CATALOGS[lang]["note_ids"].format(nb=nb, old=old.contract.id, new=new.contract.id))
    return changes, notes


def _counts(changes: list) -> dict[str, int]:
    counts = {"added": 0, "removed": 0, "changed": 0, "moved": 0}
    for c in changes:
        counts["changed" if c.change == "reordered" else c.change] += 1
    return counts


def as_text(changes: list, notes: list[str], old_name: str, new_name: str, lang: str) -> str:
    from bpolang.diff.catalog import CATALOGS

    msg = CATALOGS[lang]
    nb = "\u202f" if lang == "fr" else " "
    lines = [msg["header"].format(old=old_name, new=new_name), *notes, ""]
    if not changes:
        lines.append(msg["no_changes"])
        return "\n".join(lines)
    lines += [f"{MARKS[c.change]} {c.sentence}" for c in changes]
    counts = _counts(changes)
    parts = [msg["count_" + k].format(n=n) for k, n in counts.items() if n]
    lines += ["", msg["summary"].format(n=len(changes), parts=", ".join(parts), nb=nb)]
    return "\n".join(lines)


def as_json(changes: list, notes: list[str], old: Any, new: Any, old_name: str, new_name: str, lang: str) -> str:
    from bpolang.diff.engine import to_json

    def one(c) -> dict[str, Any]:
        item: dict[str, Any] = {
            "kind": c.kind,
            "path": list(c.path),
            "change": c.change,
            "key": c.key,
            "old": to_json(c.old),
            "new": to_json(c.new),
            "sentence": c.sentence,
        }
        if c.added or c.removed:
            item["added"] = to_json(c.added)
            item["removed"] = to_json(c.removed)
        if c.reason is not None:
            item["reason"] = {k: to_json(v) for k, v in c.reason.items() if k != "element"}
        return item

    doc = {
        "old": {"path": old_name, "id": old.contract.id},
        "new": {"path": new_name, "id": new.contract.id},
        "lang": lang,
        "notes": notes,
        "summary": _counts(changes),
        "changes": [one(c) for c in changes],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Language of the sentences and the amendment (default: NEW's `language`, else en).",
)
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Sentences for people, or JSON for tools.",
)
@click.option(
    "--to",
    "to",
    type=click.Choice(["md", "docx"]),
    default=None,
    help="Write a draft amendment (avenant) instead: Markdown or DOCX.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Output file ('-' for stdout). Default: stdout, and NEW with the suffix .amendment.docx for docx.",
)
@click.option("--force", is_flag=True, help="Compare even if a contract has errors.")
def diff(
    old: str, new: str, lang: str | None, output_format: str, to: str | None, output: str | None, force: bool
) -> None:
    """Compare two versions of a contract by meaning; optionally draft the amendment."""
    from bpolang.base.fileio import write_output
    from bpolang.cli.common import EXIT_CLEAN, EXIT_FINDINGS, load_or_refuse
    from bpolang.render import language_of

    if to is not None and output_format != "text":
        raise click.UsageError("--output-format applies to the list of changes; --to writes an amendment")
    before = load_or_refuse(old, force, "compare", allow_stdin=False)
    after = load_or_refuse(new, force, "compare", allow_stdin=False)
    lang = language_of(after.contract, lang)
    changes, notes = diff_results(before, after, lang)
    code = EXIT_FINDINGS if changes else EXIT_CLEAN

    if to is None:
        if output_format == "json":
            text = as_json(changes, notes, before, after, old, new, lang)
        else:
            text = as_text(changes, notes, old, new, lang)
        write_output((text + "\n").encode("utf-8"), output, binary=False, what=output_format)
        sys.exit(code)

    for n in notes:
        click.echo(n, err=True)
    if not changes:
        click.echo("bpo: no difference in meaning; no amendment written", err=True)
        sys.exit(EXIT_CLEAN)
    from bpolang.diff.amendment import amendment, write

    doc = amendment(before, after, lang)
    if len(doc.articles) == 1:  # only the closing article: no article of the rendered contract changed
        click.echo("bpo: the differences do not change the wording of any article; no amendment written", err=True)
        sys.exit(code)
    data = write(doc, to)
    if output is None and to == "docx":
        output = str(Path(new).with_suffix(".amendment.docx"))
    write_output(data, output, binary=to == "docx", what=to)
    sys.exit(code)
