"""Partial information: a value the contract does not give says why (`redacted`, `tbd`,
`illegible`, `not_attached`, `omitted`), in a single value or an item of a list of texts, through
every stage — parse, format, export and import, hover, rendering in both languages — and it
silences only the checks that need the value itself."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest

from bpolang.check.config import Config
from bpolang.check.driver import findings
from bpolang.check.pipeline import parse
from bpolang.format.formatter import format_text
from bpolang.format.interchange import from_data, to_json
from bpolang.lsp.hover import value_doc
from bpolang.model.compare import semantic_dump
from bpolang.model.values import Unknown, UnknownWord
from bpolang.render import render
from bpolang.syntax.words import CONSTANTS, UNKNOWN_MEANINGS, UNKNOWN_WORDS
from tests.contract_util import small_contract

WORDS = list(UNKNOWN_WORDS)

PLACEHOLDER = {
    ("en", "redacted"): "[redacted]",
    ("en", "tbd"): "[to be agreed]",
    ("en", "illegible"): "[illegible in the source]",
    ("en", "not_attached"): "[in a document not attached]",
    ("en", "omitted"): "[intentionally omitted]",
    ("en", "per_order"): "[agreed for each order]",
    ("fr", "redacted"): "[caviardé]",
    ("fr", "tbd"): "[à convenir]",
    ("fr", "illegible"): "[illisible dans l’original]",
    ("fr", "not_attached"): "[dans un document non joint]",
    ("fr", "omitted"): "[volontairement omis]",
    ("fr", "per_order"): "[convenu pour chaque commande]",
}


def test_the_words_are_one_list_everywhere() -> None:
    assert tuple(UnknownWord.__args__) == UNKNOWN_WORDS  # type: ignore[attr-defined]
    assert set(UNKNOWN_MEANINGS) == set(UNKNOWN_WORDS)
    assert set(UNKNOWN_WORDS) <= set(CONSTANTS)


def _contract(word: str) -> str:
    return small_contract(
        f"""  subcontracting {{
    mode: notice_objection
    notice: {word}
    approved: ["Dext Software Ltd", {word}]
  }}
  governance {{
    key_personnel: [{word}]
  }}""",
        term="36 months",
    )


@pytest.mark.parametrize("word", WORDS)
def test_a_value_and_a_list_item_keep_their_word(word: str) -> None:
    r = parse(_contract(word))
    assert r.contract is not None and not r.has_errors, [d.message for d in r.diagnostics]
    sc = r.contract.subcontracting
    assert sc is not None and r.contract.governance is not None
    assert isinstance(sc.notice, Unknown) and sc.notice.unknown == word
    assert sc.approved[0] == "Dext Software Ltd"
    assert isinstance(sc.approved[1], Unknown) and sc.approved[1].unknown == word
    (only,) = r.contract.governance.key_personnel
    assert isinstance(only, Unknown) and only.unknown == word


@pytest.mark.parametrize("word", WORDS)
def test_format_and_interchange_keep_the_word(word: str) -> None:
    text = _contract(word)
    r = parse(text)
    formatted = format_text(text)
    assert f'approved: ["Dext Software Ltd", {word}]' in formatted
    assert semantic_dump(parse(formatted).contract) == semantic_dump(r.contract)
    data = json.loads(to_json(r.contract))
    assert data["subcontracting"]["approved"][1] == {"kind": "unknown", "unknown": word}
    back, _ = from_data(data)
    assert semantic_dump(back) == semantic_dump(r.contract)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("word", WORDS)
def test_the_rendering_states_why_the_value_is_not_given(word: str, lang: str) -> None:
    r = parse(_contract(word))
    md = render(r.contract, r.resolution, "md", lang).decode()
    placeholder = PLACEHOLDER[(lang, word)].replace("[", "\\[").replace("]", "\\]")
    # the notice, the approved subcontractor withheld and the key personnel withheld
    assert md.count(placeholder) >= 3, md
    assert "Dext Software Ltd" in md


@pytest.mark.parametrize("word", WORDS)
def test_hover_says_what_the_word_means(word: str) -> None:
    text = _contract(word)
    analysis = SimpleNamespace(result=parse(text))
    at = text.index(f"notice: {word}") + len("notice: ")
    doc = value_doc(analysis, at, dt.date(2027, 1, 1))
    assert doc == f"`{word}`: {UNKNOWN_MEANINGS[word]}"


def _codes(text: str) -> list[str]:
    return [d.code for d in findings(parse(text), Config())]


@pytest.mark.parametrize("word", WORDS)
def test_a_value_not_given_silences_only_the_checks_that_need_it(word: str) -> None:
    """`payment_terms: <word>` answers "are there payment terms?" (BPO303) but says nothing
    a rule could compute; the other checks of the same block still run."""
    given = small_contract(
        f"""  pricing {{
    currency: USD
    model: fixed
    billing: monthly in arrears
    payment_terms: {word}
  }}""",
        term="36 months",
    )
    absent = given.replace(f"    payment_terms: {word}\n", "")
    assert "BPO303" in _codes(absent)
    codes = _codes(given)
    assert "BPO303" not in codes
    assert "BPO304" in codes  # no procedure for disputed invoices: unrelated to the value withheld
    # only a value still to be agreed is a drafting reminder
    assert ("BPO108" in codes) == (word == "tbd")


def test_a_bare_word_on_a_list_that_cannot_hold_it_is_refused() -> None:
    text = small_contract('  data d "Data" {\n    personal: yes\n    categories: redacted\n  }', term="36 months")
    r = parse(text)
    assert r.has_errors
    assert any("stands for one value" in (d.help or "") for d in r.diagnostics)
