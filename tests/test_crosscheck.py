"""The annexes and the articles say the same (issue 16, exactness: "a test cross-checks them").

On every example, statement of work and real contract, in French and in English, read from the
rendered pieces (:func:`bpolang.render.ir.pieces`) and matched by their shared sources:

- the service-level annex's credit column against the articles: for each service level, the
  credits of its row are the credit its article states plus the steps of the credit regimes whose
  "services concerned" name it (one reading of the contract: :func:`bpolang.model.bases.level_credits`);
- the calendar annex against the articles: each row's terms (a notice period, a recurrence) are
  stated by the article sentences with the same source, and a one-off date is the date those
  sentences give, when they give one (one computation: :mod:`bpolang.obligations.compute` and the
  articles both date through the resolution, ``Resolution.date_of``).

The commitments are read as in tests/test_bilingual.py (:mod:`commitments`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from commitments import CONTRACTS, LOCALES, READERS, _party_names, _rendered, label, loaded

from bpolang.i18n import catalog
from bpolang.render.ir import Piece

# what every computed date is computed from (Builder.note_dating): not what a row states
DATING = frozenset({"effective", "term", "end", "calendar", "calendars", "governing_law"})


def _under(source: str, path: str) -> bool:
    return source == path or source.startswith(path + ".") or source.startswith(path + "[")


def credit_problems(found: list[Piece], lang: str, levels: list[str], names: frozenset[str]) -> list[str]:
    reader = READERS[lang]
    problems = []
    for level in levels:
        mine = f"service_levels[{level}]"
        rows = [p for p in found if p.section == "annex_sla" and any(_under(s, mine) for s in p.origin.sources)]
        if len(rows) != 1:
            problems.append(f"{level}: {len(rows)} rows in the service-level annex")
            continue
        annex = reader.commitments(rows[0].text.split(" | ")[-1], names)
        article: Counter[tuple[str, ...]] = Counter()
        for p in found:
            if p.section == f"sla:{level}" and f"{mine}.credit" in p.origin.sources:
                article += reader.commitments(p.text, names)
        regimes = {
            p.section.split(":", 1)[1]
            for p in found
            if p.section.startswith("credit:")
            and f"credit_regimes[{p.section.split(':', 1)[1]}].applies_to" in p.origin.sources
            and any(_under(s, mine) for s in p.origin.sources)
        }
        for p in found:
            if p.section.startswith("credit:") and p.section.split(":", 1)[1] in regimes:
                if any(s.startswith(f"credit_regimes[{p.section.split(':', 1)[1]}].steps[") for s in p.origin.sources):
                    article += reader.commitments(p.text, names)
        if annex != article:
            problems.append(
                f"{level}: annex {dict(annex - article)} not in the articles, articles {dict(article - annex)} "
                f"not in the annex\n  annex: {rows[0].text[:200]!r}"
            )
    return problems


def calendar_problems(found: list[Piece], lang: str, names: frozenset[str]) -> list[str]:
    reader = READERS[lang]
    nxt = catalog(lang)["MESSAGES"]["cal_next"]
    problems = []
    articles = [p for p in found if not p.section.startswith("annex_")]
    for row in found:
        cells = row.text.split(" | ")
        if row.section != "annex_calendar" or len(cells) != 4:
            continue
        own = [s for s in row.origin.sources if s not in DATING and not s.endswith(".title")]
        # the most precise: a deliverable's acceptance period, not the whole deliverable it belongs to
        own = [s for s in own if not any(o != s and _under(o, s) for o in own)]
        if not own:  # the effective date, the end of the term: what the term article states
            own = [s for s in row.origin.sources if s in ("effective", "term", "end")]
        stating = [p for p in articles if any(_under(s, o) for s in p.origin.sources for o in own)]
        said: Counter[tuple[str, ...]] = Counter()
        for p in stating:
            said += reader.commitments(p.text, names)
        if not stating:
            problems.append(f"no article states {own}: {row.text[:160]!r}")
            continue
        rule = cells[3].split(nxt, 1)[0]
        unsaid = reader.commitments(rule, names) - said
        if unsaid:
            problems.append(f"{dict(unsaid)} of the calendar not in the articles {own}: {row.text[:200]!r}")
        date = reader.commitments(cells[0], names)
        dates = {k for k in said if k[0] == "date"}
        if rule == "\u2014" and dates and not set(date) <= dates:
            problems.append(f"{set(date)} of the calendar, {sorted(dates)} in the articles: {row.text[:160]!r}")
    return problems


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("path", CONTRACTS, ids=label)
def test_the_service_level_annex_states_the_credits_of_the_articles(path: Path, lang: str) -> None:
    contract = loaded(path).contract
    levels = [sl.id for sl in contract.service_levels if sl.id]
    problems = credit_problems(_rendered(path)[lang], lang, levels, _party_names(path))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("path", CONTRACTS, ids=label)
def test_the_calendar_annex_states_the_dates_of_the_articles(path: Path, lang: str) -> None:
    problems = calendar_problems(_rendered(path)[lang], lang, _party_names(path))
    assert not problems, "\n".join(problems)


def _changed(found: list[Piece], section: str, old: str, new: str) -> list[Piece]:
    """The pieces with the first of `section` that holds `old` changed: a disagreement made on purpose."""
    out, done = [], False
    for p in found:
        if not done and p.section == section and old in p.text:
            p, done = Piece(p.section, p.text.replace(old, new, 1), p.origin), True
        out.append(p)
    assert done, (section, old)
    return out


def test_a_calendar_that_disagrees_with_its_article_fails() -> None:
    path = CONTRACTS[0]  # back-office-tiered: a notice period and milestone dates in the calendar
    found, names = _rendered(path)["en"], _party_names(path)
    assert not calendar_problems(found, "en", names)
    notice = _changed(found, "annex_calendar", "6 months before the end", "3 months before the end")
    assert any("duration" in p for p in calendar_problems(notice, "en", names))
    dated = _changed(found, "annex_calendar", "1 November 2027 | Milestone", "2 November 2027 | Milestone")
    assert any("2027-11-02" in p for p in calendar_problems(dated, "en", names))


def test_a_credit_missing_from_the_annex_fails() -> None:
    path = CONTRACTS[0]
    found, names = _rendered(path)["fr"], _party_names(path)
    levels = [sl.id for sl in loaded(path).contract.service_levels if sl.id]
    assert not credit_problems(found, "fr", levels, names)
    lost = _changed(found, "annex_sla", "\u202f; inférieur à 96\u202f%", "")
    assert any(p.startswith("registration_time:") for p in credit_problems(lost, "fr", levels, names))
