"""The commitments a rendered piece of a contract states, read in French or English (issue 16).

Shared by tests/test_bilingual.py (French and English say the same) and tests/test_crosscheck.py
(the annexes and the articles agree). A piece's commitments: amounts with their currency,
percentages, durations (number and unit), dates, days of the month, times, weekdays, ordinals, other
numbers, and the parties it names (the defined terms the catalogs use for the Client and the
Provider, the parties' names).

Numbers are read with babel (:func:`babel.numbers.parse_decimal`) in the language's own style
(`8 500,00 €` / `€8,500.00`) and keep the digits written (`0.30` is not `0.3`); month and weekday
names come from babel's locale data, duration units from the catalogs.

The contract's own words (a title, a description, a clause quoted as written) are left out by
design, not by matching: the formatter marks every text of the contract as written
(:attr:`bpolang.i18n.fmt.Fmt.user_marks`, the one way free text enters a document) and the marked
spans are dropped, except the parties' names, which are commitments (who).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.numbers import get_currency_symbol, parse_decimal

from bpolang.check.pipeline import load
from bpolang.i18n import catalog
from bpolang.i18n.fmt import Fmt
from bpolang.render import document
from bpolang.render.ir import Piece, pieces

REPO = Path(__file__).resolve().parent.parent
CONTRACTS = [
    *sorted((REPO / "examples").glob("*.bpo")),
    *sorted((REPO / "examples" / "msa").glob("*.bpo")),
    *sorted((REPO / "examples" / "real").glob("*.bpo")),
]
LOCALES = {"fr": "fr_FR", "en": "en"}
OPEN, CLOSE = "\ue000", "\ue001"  # private-use characters no contract text holds
CURRENCIES = ("EUR", "GBP", "USD", "CHF", "CAD", "AUD", "JPY")


def label(path: Path) -> str:
    return str(path.relative_to(REPO / "examples"))


@contextmanager
def _marked() -> Iterator[None]:
    before = Fmt.user_marks
    Fmt.user_marks = (OPEN, CLOSE)
    try:
        yield
    finally:
        Fmt.user_marks = before


def _render(path: Path) -> dict[str, list[Piece]]:
    """The pieces of the French and the English document (real contracts have findings: they are
    rendered all the same, as `bpo render --force` does)."""
    r = load(path)
    assert r.contract is not None, path
    with _marked():
        return {lang: pieces(document(r.contract, r.resolution, lang)) for lang in LOCALES}


_rendered = cache(_render)


@cache
def _party_names(path: Path) -> frozenset[str]:
    r = load(path)
    names = {p.title for p in [*r.contract.parties, *r.contract.party_groups] if isinstance(p.title, str)}
    out = set()
    for lang in LOCALES:
        f = Fmt(lang)
        out |= {f.user(n) for n in names}
    return frozenset(out)


# ------------------------------------------------------------------ reading one language


class Reader:
    """Takes the commitments out of the text of one language."""

    def __init__(self, lang: str):
        self.lang = lang
        self.locale = LOCALES[lang]
        loc = Locale.parse(self.locale)
        self.group = (
            loc.number_symbols["latn"]["group"] if "latn" in loc.number_symbols else loc.number_symbols["group"]
        )
        self.decimal = (
            loc.number_symbols["latn"]["decimal"] if "latn" in loc.number_symbols else loc.number_symbols["decimal"]
        )
        self.months = {name.lower(): n for n, name in loc.months["format"]["wide"].items()}
        self.weekdays = {name.lower(): n for n, name in loc.days["format"]["wide"].items()}
        msg = catalog(lang)["MESSAGES"]
        self.units: dict[str, str] = {}
        for key, forms in msg.items():
            if key.startswith("unit_"):
                for form in forms.split("|"):
                    self.units[form.lower()] = key[5:]
        self.symbols = {get_currency_symbol(c, locale=self.locale): c for c in CURRENCIES}
        self.symbols.update({c: c for c in CURRENCIES})
        self.terms = {msg["term_client_bare"]: "client", msg["term_provider_bare"]: "provider"}

        sp = "[ \u00a0\u202f]"
        g = re.escape(self.group) if self.group.strip() else sp
        num = rf"(?<![\w\-/.,])\d{{1,3}}(?:{g}\d{{3}})+(?:{re.escape(self.decimal)}\d+)?(?![\w/])|(?<![\w\-/.,])\d+(?:{re.escape(self.decimal)}\d+)?(?![\w/])"
        self.num = num
        cur = "|".join(sorted((re.escape(s) for s in self.symbols), key=len, reverse=True))
        months = "|".join(sorted(self.months, key=len, reverse=True))
        weekdays = "|".join(sorted(self.weekdays, key=len, reverse=True))
        units = "|".join(sorted((re.escape(u) for u in self.units), key=len, reverse=True))
        if lang == "fr":
            self.date = re.compile(rf"\b(1er|\d{{1,2}}){sp}({months})(?:{sp}(\d{{4}}))?\b", re.I)
            self.time = re.compile(rf"\b(\d{{1,2}}){sp}h(?:{sp}(\d{{2}}))?(?!\w)")
            self.amount = re.compile(rf"({num}){sp}?({cur})(?!\w)")
            # `3e jour ouvré`; `chaque mois, le 5`: a day of the month, `on the 5th` in English
            self.ordinal = re.compile(r"\b(\d+)(?:er|re|e|ème)\b|(?<=\ble )(\d{1,2})\b")
        else:
            self.date = re.compile(
                rf"\b({months}){sp}(\d{{1,2}})(?:,{sp}(\d{{4}}))?\b|\b(\d{{1,2}}){sp}({months})(?:{sp}(\d{{4}}))?\b",
                re.I,
            )
            self.time = re.compile(r"\b(\d{2}):(\d{2})\b")
            self.amount = re.compile(rf"(?:(?<![A-Za-z])({cur}){sp}?({num}))")
            self.ordinal = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b|(?<=\bday )(\d{1,2})(?= of\b)")
        self.percent = re.compile(rf"({num}){sp}?%")
        self.duration = re.compile(rf"({num}){sp}({units})\b", re.I)
        self.weekday = re.compile(rf"\b({weekdays})s?\b", re.I)
        self.count = re.compile(num)
        self.party = re.compile(r"\b(" + "|".join(re.escape(t) for t in self.terms) + r")s?\b")

    def decimal_of(self, text: str) -> str:
        """The number as written, digits kept (`0,30` → `0.30`)."""
        if self.group.strip() == "":
            text = re.sub("[ \u00a0\u202f]", self.group, text)
        return str(parse_decimal(text, locale=self.locale, strict=True))

    def commitments(self, text: str, names: frozenset[str]) -> Counter[tuple[str, ...]]:
        out: Counter[tuple[str, ...]] = Counter()
        # the contract's own words: out, but for the parties' names
        for quoted in re.findall(f"{OPEN}(.*?){CLOSE}", text, flags=re.S):
            if quoted in names:
                out["name", quoted] += 1
        text = re.sub(f"{OPEN}.*?{CLOSE}", " ", text, flags=re.S)
        text = re.sub(r"\[[^\]\s]*\]", " ", text)  # cross-references, by key
        text = CITATION.sub(" ", text)
        for idiom, plain in IDIOMS[self.lang].items():
            text = text.replace(idiom, plain)

        def take(pattern: re.Pattern[str], make: Any) -> None:
            nonlocal text

            def one(m: re.Match[str]) -> str:
                out[make(m)] += 1
                return " "

            text = pattern.sub(one, text)

        take(self.date, self._date)
        take(self.time, lambda m: ("time", f"{int(m.group(1)):02d}:{m.group(2) or '00'}"))
        if self.lang == "fr":
            take(self.amount, lambda m: ("amount", self.decimal_of(m.group(1)), self.symbols[m.group(2)]))
        else:
            take(self.amount, lambda m: ("amount", self.decimal_of(m.group(2)), self.symbols[m.group(1)]))
        take(self.percent, lambda m: ("percent", self.decimal_of(m.group(1))))
        take(self.duration, lambda m: ("duration", self.decimal_of(m.group(1)), self.units[m.group(2).lower()]))
        take(self.ordinal, lambda m: ("ordinal", m.group(1) or m.group(2)))
        take(self.weekday, lambda m: ("weekday", str(self.weekdays[m.group(1).lower()])))
        take(self.count, lambda m: ("number", self.decimal_of(m.group(0))))
        take(self.party, lambda m: ("party", self.terms[m.group(1)]))
        # a figure none of the above reads (`2016/679`, a code): kept as written, so it must be equal too
        take(re.compile(r"[^\s(]*\d[^\s),;.]*"), lambda m: ("unread", m.group(0)))
        return out

    def _date(self, m: re.Match[str]) -> tuple[str, ...]:
        g = m.groups()
        if self.lang == "fr":
            day, month, year = g[0], g[1], g[2]
            day = "1" if day == "1er" else day
        elif g[0] is not None:
            month, day, year = g[0], g[1], g[2]
        else:
            day, month, year = g[3], g[4], g[5]
        md = f"{self.months[month.lower()]:02d}-{int(day):02d}"
        return ("date", f"{year}-{md}") if year else ("day", md)


# a statute's article (`article 1231-5 du Code civil`, `art. L441-10`, `Art. 28`): the law the
# sentence relies on, not a commitment of the parties; which law is cited is the business of the
# provenance checks (a legal qualification follows the governing law, tests/test_provenance.py)
CITATION = re.compile(
    r"\b(?:art\.|articles?|Art\.|Articles?|sections?|Sections?|s\.)[ \u00a0\u202f]+[A-Z]?\d+(?:[-.]\d+)*(?:\(\d+\))*(?:, paragraphe \d+)?"
    r"|\b\d{2,4}/\d+(?:/(?:CE|EC|CEE|EEC|UE|EU))?\b"  # an EU instrument: directive 95/46/CE is 95/46/EC
)
# a catalog's idiom that writes a figure twice: `24 heures sur 24` is `24 hours a day`
IDIOMS = {"fr": {"24 heures sur 24": "24 heures"}, "en": {}}

READERS = {lang: Reader(lang) for lang in LOCALES}


@cache
def loaded(path: Path) -> Any:
    r = load(path)
    assert r.contract is not None, path
    return r
