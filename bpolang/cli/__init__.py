"""The `bpo` command line.

Exit codes: 0 clean, 1 findings, 2 usage, configuration or internal error.
Heavy modules are imported inside the commands that need them, so `bpo check`
starts fast.
"""

from __future__ import annotations

import os
import sys
import traceback

import click

from bpolang import __version__

# pydantic scans installed packages for plugins at import; the CLI uses none.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from bpolang.base.errors import REPORT_URL
from bpolang.cli.common import EXIT_ERROR, EXIT_FINDINGS


class BpoGroup(click.Group):
    """Maps any unexpected exception to exit 2 with a request to report it."""

    def main(self, *args, **kwargs):
        kwargs.setdefault("standalone_mode", True)
        try:
            return super().main(*args, **kwargs)
        except SystemExit:
            raise
        except BrokenPipeError:
            # The reader went away (`bpo check | head`): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_FINDINGS)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the contract for internal errors
            internal_error(exc)

    def invoke(self, ctx):
        from bpolang.base.fileio import forget_inputs

        forget_inputs()  # a new command: its outputs are checked against its own inputs only
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit, BrokenPipeError):
            raise
        except Exception as exc:  # noqa: BLE001
            internal_error(exc)


def internal_error(exc: BaseException) -> None:
    click.echo(f"bpo: internal error: {type(exc).__name__}: {exc}", err=True)
    click.echo(
        f"This is a bug in bpolang {__version__}, not a problem in your contract. "
        f"Please report it at {REPORT_URL} with the command you ran.",
        err=True,
    )
    if os.environ.get("BPO_DEBUG"):
        traceback.print_exc()
    sys.exit(EXIT_ERROR)


@click.group(cls=BpoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="bpo", message="%(prog)s %(version)s")
def main() -> None:
    """bpolang: contracts-as-code for business process outsourcing."""


from bpolang.cli.commands.check import check  # noqa: E402

main.add_command(check)

from bpolang.cli.commands.rules import rule_cmd, rules_cmd  # noqa: E402

main.add_command(rules_cmd)
main.add_command(rule_cmd)

from bpolang.cli.commands.fmt import fmt  # noqa: E402

main.add_command(fmt)

from bpolang.cli.commands.export import export, import_, schema  # noqa: E402

main.add_command(export)
main.add_command(import_)
main.add_command(schema)

from bpolang.cli.commands.init import init  # noqa: E402

main.add_command(init)

from bpolang.cli.commands.render import render  # noqa: E402

main.add_command(render)

from bpolang.cli.commands.diff import diff  # noqa: E402

main.add_command(diff)

from bpolang.cli.commands.calendar import calendar  # noqa: E402

main.add_command(calendar)

from bpolang.cli.commands.summary import summary  # noqa: E402

main.add_command(summary)

from bpolang.cli.commands.assess import assess, test_cmd  # noqa: E402

main.add_command(assess)
main.add_command(test_cmd)

from bpolang.cli.commands.lsp import lsp  # noqa: E402

main.add_command(lsp)
