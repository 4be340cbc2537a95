"""French and English say the same: the commitments of each sentence are equal in both (issue 16).

Every example, statement of work and real contract is rendered in French and in English; the
pieces of the two documents (paragraphs, bullet items, table rows, :func:`bpolang.render.ir.pieces`)
are paired by their sources (the model paths they state, :mod:`bpolang.render.provenance`), and the
commitments of each pair (:mod:`commitments`: amounts, percentages, durations, dates, counts, the
parties named; the contract's own words left out by design) must be equal multisets.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from commitments import CLOSE, CONTRACTS, LOCALES, OPEN, READERS, REPO, _party_names, _render, _rendered, label, loaded

from bpolang.i18n import catalog
from bpolang.render.ir import Piece

# ------------------------------------------------------------------ pairing


# sentences one of the two documents has by design, with why
ONE_LANGUAGE = {
    ("language",): "the note that the contract's own words are quoted in the language it is written in, "
    "made only in the document in the other language (Builder.language_note)",
}


def pairs(found: dict[str, list[Piece]]) -> tuple[list[tuple[Piece, Piece]], list[str]]:
    """The French and English pieces paired by section and sources, in order; what cannot be paired."""
    groups: dict[str, dict[tuple[str, tuple[str, ...]], list[Piece]]] = {lang: defaultdict(list) for lang in LOCALES}
    for lang, ps in found.items():
        for p in ps:
            groups[lang][p.section, p.origin.sources].append(p)
    out, unpaired = [], []
    for key in dict.fromkeys([*groups["fr"], *groups["en"]]):
        if key[1] in ONE_LANGUAGE:
            continue
        fr, en = groups["fr"].get(key, []), groups["en"].get(key, [])
        if len(fr) != len(en):
            unpaired.append(f"{key}: {len(fr)} French, {len(en)} English pieces")
        out += list(zip(fr, en, strict=False))
    return out, unpaired


def _unbalanced(found: dict[str, list[Piece]]) -> Iterator[Piece]:
    """Pieces where a text of the contract is cut (opened and not closed): it could not be left out."""
    for ps in found.values():
        for p in ps:
            depth = 0
            for ch in p.text:
                depth += (ch == OPEN) - (ch == CLOSE)
                if depth not in (0, 1):
                    break
            if depth:
                yield p


def discrepancies(path: Path, found: dict[str, list[Piece]] | None = None) -> tuple[int, list[str]]:
    found = found or _rendered(path)
    names = _party_names(path)
    paired, problems = pairs(found)
    problems += [f"{p.section}: the contract's words not marked whole: {p.text[:100]!r}" for p in _unbalanced(found)]
    for fr, en in paired:
        a = READERS["fr"].commitments(fr.text, names)
        b = READERS["en"].commitments(en.text, names)
        if a != b:
            problems.append(
                f"{fr.section} {fr.origin.sources[:3]}:\n  only fr {dict(a - b)}\n  only en {dict(b - a)}"
                f"\n  FR {fr.text[:200]!r}\n  EN {en.text[:200]!r}"
            )
    return len(paired), problems


# ------------------------------------------------------------------ tests


@pytest.mark.parametrize("path", CONTRACTS, ids=label)
def test_french_and_english_state_the_same_commitments(path: Path) -> None:
    started = time.perf_counter()
    count, problems = discrepancies(path)
    print(f"{label(path)}: {count} pairs of pieces compared in {time.perf_counter() - started:.1f} s")
    assert count > 50
    assert not problems, "\n".join(problems[:30]) + f"\n... {len(problems)} in all"


def test_both_readers_read_the_same_commitment_in_their_own_style() -> None:
    fr, en = READERS["fr"], READERS["en"]
    nnbsp = "\u202f"
    same = [
        (f"8{nnbsp}500,00{nnbsp}€ par mois", "€8,500.00 per month", ("amount", "8500.00", "EUR")),
        (f"0,305{nnbsp}GBP", "GBP 0.305", ("amount", "0.305", "GBP")),
        (f"au moins 3,5{nnbsp}%", "at least 3.5%", ("percent", "3.5")),
        (f"10{nnbsp}jours ouvrés", "10 Business Days", ("duration", "10", "business_days")),
        ("1er juillet 2027", "July 1, 2027", ("date", "2027-07-01")),
        ("chaque année, le 31 mars", "every year on March 31", ("day", "03-31")),
        ("chaque mois, le 5", "every month on the 5th", ("ordinal", "5")),
        (f"de 8{nnbsp}h à 18{nnbsp}h{nnbsp}30", "08:00 to 18:30", ("time", "18:30")),
        ("le lundi", "on Monday", ("weekday", "0")),
        ("le Prestataire", "the Provider", ("party", "provider")),
    ]
    for f_text, e_text, expected in same:
        a, b = fr.commitments(f_text, frozenset()), en.commitments(e_text, frozenset())
        assert a == b, (f_text, a, e_text, b)
        assert expected in a, (f_text, a)
    # the contract's own words are left out, but for a party's name
    quoted = f"{OPEN}Claims above EUR 5,000{CLOSE} — {OPEN}Kestrel Ltd{CLOSE}"
    assert fr.commitments(quoted, frozenset({"Kestrel Ltd"})) == Counter({("name", "Kestrel Ltd"): 1})


def test_a_figure_rounded_or_a_party_lost_is_a_discrepancy() -> None:
    fr, en = READERS["fr"], READERS["en"]
    nnbsp = "\u202f"
    for f_text, e_text in [
        (f"0,305{nnbsp}€", "€0.30"),  # rounded
        (f"0,30{nnbsp}€", "€0.3"),  # the precision written
        (f"6{nnbsp}mois", "6 weeks"),  # a unit changed
        (f"10{nnbsp}jours ouvrés", "10 days"),  # business days lost
        ("résiliable par le Client ou le Prestataire", "terminable by the Client"),  # a party omitted
        ("1er juillet 2027", "July 1"),  # a year lost
    ]:
        assert fr.commitments(f_text, frozenset()) != en.commitments(e_text, frozenset()), (f_text, e_text)


def test_a_catalog_that_loses_a_unit_fails_the_comparison(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check on a whole document can fail: English business days worded as plain days."""
    path = REPO / "examples" / "back-office-tiered.bpo"
    monkeypatch.setitem(catalog("en")["MESSAGES"], "unit_business_days", "day|days")
    _, problems = discrepancies(path, _render(path))
    assert problems and all("business_days" in p for p in problems), problems[:3]


# examples whose every text (but names) is written in both languages (`"..." / en: "..."`)
BILINGUAL = [REPO / "examples" / "comptabilite-fournisseurs.bpo", REPO / "examples" / "centre-contacts-en.bpo"]


@pytest.mark.parametrize("path", CONTRACTS, ids=label)
def test_the_document_in_the_other_language_says_the_contract_s_words_are_quoted_as_written(path: Path) -> None:
    """The note is made when a text is quoted untranslated: in every document in the other language
    of a contract that does not translate its texts, in neither document of a bilingual example."""
    written = loaded(path).contract.language
    for lang, found in _rendered(path).items():
        notes = [p for p in found if p.origin.sources == ("language",)]
        if written is None or written == lang or path in BILINGUAL:
            assert not notes, (lang, notes)
        else:
            other = catalog(lang)["MESSAGES"]["text_language"].split("{language}")[0]
            assert len(notes) == 1 and notes[0].section == "preamble" and notes[0].text.startswith(other), notes


def _plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.mark.parametrize("path", BILINGUAL, ids=label)
def test_a_bilingual_example_quotes_in_each_document_only_texts_of_its_language(path: Path) -> None:
    """In the document in the other language, each of the contract's words quoted is a translation
    the contract gives into that language, or a name (the same in every language)."""
    from bpolang.model import contract as C

    contract = loaded(path).contract
    other = "en" if contract.language == "fr" else "fr"
    allowed: list[str] = []
    for node in C.all_blocks(contract):
        allowed += [t[other] for t in node.translations.values() if other in t]
        allowed += [text for place, text in C.text_places(node) if place.split(".")[0] in type(node).NAMES]
    plain = [_plain(a) for a in allowed]
    quoted = [q for p in _rendered(path)[other] for q in re.findall(f"{OPEN}(.*?){CLOSE}", p.text, re.S)]
    assert len(quoted) > 100
    foreign = [q for q in quoted if not any(_plain(q) in a for a in plain)]
    assert not foreign, foreign[:10]
