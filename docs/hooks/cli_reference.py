"""MkDocs hook: the command-line reference, generated from the CLI itself.

Any page containing the line `<!-- bpo:cli-reference -->` gets, in its place,
the `--help` text of `bpo` and of each of its commands, as click prints it.
The reference therefore cannot fall behind the program.
"""

from __future__ import annotations

MARKER = "<!-- bpo:cli-reference -->"


def _reference() -> str:
    import click

    from bpolang.cli import main

    parts = []
    with click.Context(main, info_name="bpo", terminal_width=100, max_content_width=100) as ctx:
        parts.append("### bpo\n\n```text\n" + main.get_help(ctx) + "\n```\n")
        for name in sorted(main.list_commands(ctx)):
            command = main.get_command(ctx, name)
            with click.Context(
                command, info_name=f"bpo {name}", parent=ctx, terminal_width=100, max_content_width=100
            ) as sub:
                parts.append(f"### bpo {name}\n\n```text\n" + command.get_help(sub) + "\n```\n")
    return "\n".join(parts)


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ARG001 - MkDocs hook signature
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, _reference())
