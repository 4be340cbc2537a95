"""Small contracts for tests: a minimal, valid frame around the blocks a test is about."""

from __future__ import annotations

import json
from typing import Any

from bpolang.check.pipeline import Result, parse
from bpolang.format.interchange import from_data, to_json
from bpolang.model.compare import semantic_dump
from bpolang.model.contract import Contract


def small_contract(body: str, *, term: str, law: str = "FR", effective: str = "2027-01-01") -> str:
    """An English contract with a client and a provider, holding `body`."""
    return f"""contract c "C" {{
  language: en
  governing_law: {law}
  effective: {effective}
  term: {term}
  party client cl "Client Co" {{ }}
  party provider pr "Provider Co" {{ }}
{body}
}}
"""


def checked(text: str) -> Result:
    """The parse of a contract the test expects to be free of errors (the messages if not)."""
    r = parse(text)
    assert r.contract is not None and not r.has_errors, [d.message for d in r.diagnostics]
    return r


def exported_then_imported(contract: Contract) -> dict[str, Any]:
    """The contract's JSON export, after checking that importing it gives the same contract back."""
    data: dict[str, Any] = json.loads(to_json(contract))
    back, problems = from_data(data)
    assert problems == []
    assert semantic_dump(back) == semantic_dump(contract)
    return data


def rendered_md(text: str, lang: str) -> str:
    """The Markdown rendering of a contract, its no-break spaces made plain for `in` tests."""
    from bpolang.render import render_result

    return render_result(parse(text), "md", lang).decode("utf-8").replace("\u202f", " ").replace("\u00a0", " ")


def diff_sentences(old: Contract, new: Contract, lang: str = "en") -> str:
    """The sentences the diff says about the change from `old` to `new`, joined."""
    from types import SimpleNamespace

    from bpolang.diff import compare
    from bpolang.diff.sentences import describe

    return " ".join(
        c.sentence
        for c in describe(
            compare(old, new),
            SimpleNamespace(contract=old, resolution=None),
            SimpleNamespace(contract=new, resolution=None),
            lang,
        )
    )
