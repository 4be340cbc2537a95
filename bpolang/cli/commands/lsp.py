"""`bpo lsp`: the language server, for editors."""

from __future__ import annotations

import click


@click.command("lsp", short_help="Run the language server (for editors).")
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default and only transport).")
def lsp(stdio: bool) -> None:
    """Run the language server over standard input and output, for editors."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError as exc:  # pragma: no cover - both are dependencies
        from bpolang.cli.common import Refusal

        raise Refusal(f"the language server needs pygls and lsprotocol: {exc}") from None
    from bpolang.lsp.server import main

    main()
