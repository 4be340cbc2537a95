"""`bpo init`: a new contract from a template that passes `bpo check`."""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from pathlib import Path
from string import Template

import click

_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
_DURATION = re.compile(r"^[1-9][0-9]{0,3} (months?|years?)$")


def snake_id(name: str, fallback: str) -> str:
    """An id from a name: `ComptaPlus SARL` → `comptaplus_sarl`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ident = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    if not ident or not ident[0].isalpha():
        ident = f"{fallback}_{ident}" if ident else fallback
    return ident[:40].rstrip("_")


def render_template(lang: str, *, title: str, client: str, provider: str, effective: dt.date, term: str) -> str:
    """The template for `lang` filled in (every string quoted and escaped)."""
    from bpolang.format.printer import string

    client_id = snake_id(client, "client")
    provider_id = snake_id(provider, "provider")
    if provider_id == client_id:
        provider_id = f"{provider_id}_provider"
    text = (_TEMPLATES / f"init-{lang}.bpo").read_text(encoding="utf-8")
    return Template(text).substitute(
        contract_id=snake_id(title, "contract"),
        title=string(title),
        client=string(client),
        provider=string(provider),
        client_id=client_id,
        provider_id=provider_id,
        effective=effective.isoformat(),
        term=term,
    )


def _interactive() -> bool:
    """Ask questions only when a person is at a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask(value, prompt: str, default, interactive: bool):
    if value is not None:
        return value
    if interactive:
        return click.prompt(prompt, default=default)
    return default


@click.command("init", short_help="Create a new contract from a template.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default=None, help="Language of the contract (default: fr).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None, help="File to create (default: contract.bpo)."
)
@click.option("--title", default=None, help="The contract's title.")
@click.option("--client", default=None, help="The client's legal name.")
@click.option("--provider", default=None, help="The provider's legal name.")
@click.option("--effective", default=None, help="Effective date, YYYY-MM-DD (default: the first day of next month).")
@click.option("--term", default=None, help="Term, such as `36 months` (default: 36 months).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def init(lang, output, title, client, provider, effective, term, force) -> None:
    """Create a new contract from a template (asks for the essentials in a terminal)."""
    from bpolang.cli.common import EXIT_ERROR

    interactive = _interactive()
    lang = _ask(lang, "Language (fr/en)", "fr", interactive)
    if lang not in ("fr", "en"):
        raise click.BadParameter("choose fr or en", param_hint="--lang")
    fr = lang == "fr"
    title = _ask(title, "Title", "Contrat d’externalisation" if fr else "Outsourcing agreement", interactive)
    client = _ask(client, "Client (legal name)", "Client SAS" if fr else "Client Ltd", interactive)
    provider = _ask(provider, "Provider (legal name)", "Prestataire SAS" if fr else "Provider Ltd", interactive)
    today = dt.date.today()
    first_next = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    effective = _ask(effective, "Effective date (YYYY-MM-DD)", first_next.isoformat(), interactive)
    term = _ask(term, "Term", "36 months", interactive)
    try:
        effective_date = dt.date.fromisoformat(str(effective))
    except ValueError:
        raise click.BadParameter(f"{effective!r} is not a date such as 2027-01-01", param_hint="--effective") from None
    if not _DURATION.match(str(term)):
        raise click.BadParameter(f"{term!r} is not a term such as `36 months` or `3 years`", param_hint="--term")
    for name, value in (("--title", title), ("--client", client), ("--provider", provider)):
        if not str(value).strip() or any(ord(c) < 32 for c in str(value)):
            raise click.BadParameter("must be a non-empty name on one line", param_hint=name)
    text = render_template(lang, title=title, client=client, provider=provider, effective=effective_date, term=term)
    path = Path(output or "contract.bpo")
    if path.exists() and not force:
        click.echo(f"bpo: error: {path} already exists (use --force to overwrite)", err=True)
        sys.exit(EXIT_ERROR)
    from bpolang.cli.common import write_output

    write_output(text.encode("utf-8"), str(path), announce=False)
    click.echo(f"created {path}; check it with `bpo check {path}`", err=True)
