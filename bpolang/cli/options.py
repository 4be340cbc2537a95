"""Command-line options that several commands share, written once."""

from __future__ import annotations

import click

# the language of labels in an output derived from the contract (calendar, key figures)
labels_lang = click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default=None,
    help="Language of the labels (default: the contract's `language`, else en).",
)
# an output written to a file or standard output (bpolang.cli.common.write_output)
output_file = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Write to this file (atomically) instead of standard output.",
)
