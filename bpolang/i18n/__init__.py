"""Every word bpolang writes for people, in French and English: one package per language.

A language package (:mod:`bpolang.i18n.fr`, :mod:`bpolang.i18n.en`) has one module per area, and
every area is one flat dict of templates with the same keys in both languages (a test holds them
equal): ``MESSAGES``, ``VOCAB`` and ``UNITS`` for the rendered contract, ``DIFF`` for `bpo diff`
and the amendment, ``FIGURES`` for the key figures, ``CALENDAR`` and ``TIMELINE`` for the
obligations calendar and its picture, ``ASSESS`` for the statement of a period (`bpo assess`), ``PORTFOLIO`` for the
portfolio view (`bpo summary FOLDER`).  Templates are filled with ``str.format`` from values only
(never user text as a template); plain Python dicts, nothing loaded or evaluated.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import Any

LANGUAGES = ("fr", "en")
AREAS = ("MESSAGES", "VOCAB", "UNITS", "DIFF", "FIGURES", "CALENDAR", "TIMELINE", "ASSESS", "PORTFOLIO")


def language_of(contract: Any, lang: str | None = None) -> str:
    """The language of a document: the one asked for, else the contract's `language`, else English."""
    return lang or getattr(contract, "language", None) or "en"


@cache
def catalog(lang: str) -> dict[str, dict[str, str]]:
    """The catalog of one language: area name → templates."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    mod = import_module(f"{__name__}.{lang}")
    return {area: getattr(mod, area) for area in AREAS}


def no_break(lang: str) -> str:
    """The space before `: ; ! ?` and `%`: narrow and no-break in French (U+202F), plain in English."""
    return "\u202f" if lang == "fr" else " "


def words(lang: str, area: str) -> dict[str, str]:
    """One area of one language's catalog, with ``{nb}`` (:func:`no_break`) filled in."""
    nb = no_break(lang)
    return {k: v.replace("{nb}", nb) for k, v in catalog(lang)[area].items()}
