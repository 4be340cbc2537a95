"""`bpo diff OLD NEW`: what changed in meaning, as sentences, JSON, or a draft amendment.

Exit codes: 0 nothing changed, 1 something did (or a side has errors, unless --force),
2 a file cannot be read or the output cannot be written.  Nothing of :mod:`bpolang.diff`
or :mod:`bpolang.render` is imported until the command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("diff", short_help="Compare two versions by meaning; draft the amendment.")
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
@click.option(
    "--consolidated",
    is_flag=True,
    help="With --to: add the amended contract, in the base contract's numbering, as the amendment's annex.",
)
@click.option("--force", is_flag=True, help="Compare even if a contract has errors.")
def diff(
    old: str,
    new: str,
    lang: str | None,
    output_format: str,
    to: str | None,
    output: str | None,
    consolidated: bool,
    force: bool,
) -> None:
    """Compare two versions of a contract by meaning; optionally draft the amendment."""
    from bpolang.cli.common import EXIT_CLEAN, EXIT_FINDINGS, load_or_refuse, write_output
    from bpolang.diff.report import as_json, as_text, diff_results
    from bpolang.i18n import language_of

    if to is not None and output_format != "text":
        raise click.UsageError("--output-format applies to the list of changes; --to writes an amendment")
    if consolidated and to is None:
        raise click.UsageError("--consolidated adds an annex to an amendment: use it with --to md or --to docx")
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

    doc = amendment(before, after, lang, consolidated)
    if len(doc.articles) == 1:  # only the closing article: no article of the rendered contract changed
        click.echo("bpo: the differences do not change the wording of any article; no amendment written", err=True)
        sys.exit(code)
    data = write(doc, to)
    if output is None and to == "docx":
        output = str(Path(new).with_suffix(".amendment.docx"))
    write_output(data, output, binary=to == "docx", what=to)
    sys.exit(code)
