"""The translations package: one shape for every area, the same keys and placeholders in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bpolang.i18n import AREAS, LANGUAGES, catalog, words
from bpolang.obligations.compute import KINDS
from bpolang.obligations.spreadsheet import COLUMNS, header

ROOT = Path(__file__).resolve().parent.parent
FIELD = re.compile(r"\{(\w+)\}")
# grammatical forms of one value: `{C}` / `{C_de}` (of the Client) / `{C_a}` (to the Client) / `{P_cap}`,
# the French article of a defined term, the no-break space before French punctuation
FORM = re.compile(r"_(de|a|cap)$")
GRAMMAR = {"nb", "article"}


def placeholders(template: str) -> set[str]:
    return {FORM.sub("", name) for name in FIELD.findall(template)} - GRAMMAR


@pytest.mark.parametrize("area", AREAS)
def test_every_area_has_the_same_keys_and_placeholders_in_both_languages(area: str) -> None:
    fr, en = catalog("fr")[area], catalog("en")[area]
    assert set(fr) == set(en), set(fr) ^ set(en)
    for key in fr:
        assert isinstance(fr[key], str) and isinstance(en[key], str), key
        assert placeholders(fr[key]) == placeholders(en[key]), key


def test_the_calendar_words_every_kind_of_obligation_and_every_column() -> None:
    for lang in LANGUAGES:
        assert {k.removeprefix("category_") for k in catalog(lang)["CALENDAR"] if k.startswith("category_")} == set(
            KINDS
        )
        assert len(header(lang)) == len(COLUMNS) == 7


def test_words_fill_the_french_no_break_space() -> None:
    assert "{nb}" not in "".join(words("fr", "FIGURES").values())
    assert "\u202f" in words("fr", "FIGURES")["title"] and "\u202f" not in words("en", "FIGURES")["title"]


def test_no_user_facing_catalog_outside_the_translations_package() -> None:
    """A dict keyed by language (`{"en": {...}, "fr": {...}}`) anywhere else is a second catalog shape."""
    pattern = re.compile(r"""^\s*["'](en|fr)["']\s*:\s*[\[{]""", re.M)
    for path in (ROOT / "bpolang").rglob("*.py"):
        if "i18n" in path.relative_to(ROOT / "bpolang").parts:
            continue
        assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        catalog("de")
