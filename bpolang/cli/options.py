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
# the name of a contract read from standard input (`bpo check -`, `bpo fmt -`), as ruff and black
stdin_filename = click.option(
    "--stdin-filename",
    default=None,
    metavar="PATH",
    help="The name of the file read from standard input ('-'): in messages, and to find its configuration.",
)
# pre-commit names every file: how the configuration's exclusions reach it
force_exclude = click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply the configuration's exclusions to files named on the command line too (for pre-commit).",
)
