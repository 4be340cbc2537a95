"""`every business day`: a daily recurrence that counts business days only (issue 14, contract 03 §3.01(g))."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

from bpolang.check.pipeline import parse
from bpolang.diff import compare
from bpolang.diff.sentences import describe
from bpolang.format.interchange import from_data, to_json
from bpolang.format.printer import print_contract
from bpolang.model.compare import semantic_dump
from bpolang.model.values import Frequency, Recurrence
from bpolang.render import render_result
from bpolang.resolve.calendar import expand_recurrence
from tests.contract_util import checked, small_contract

BODY = """
  governance {
    report daily "Daily payment report" {
      content: ["Cash required"]
      due: every business day from effective + 1 month
      author: pr
      recipients: [cl]
    }
    report other "Every other business day" {
      content: ["Cash required"]
      due: every 2 business days
      author: pr
      recipients: [cl]
    }
  }
"""


def _dues(text: str) -> list[Recurrence]:
    c = checked(text).contract
    assert c is not None and c.governance is not None
    return [r.due for r in c.governance.reports]  # type: ignore[misc]


def test_business_days_only_are_read_and_printed_back() -> None:
    text = small_contract(BODY, term="1 year", law="US")
    daily, other = _dues(text)
    assert (daily.frequency, daily.interval, daily.business_only) == (Frequency.DAY, 1, True)
    assert (other.interval, other.business_only) == (2, True)
    c = parse(text).contract
    printed = print_contract(c)  # type: ignore[arg-type]
    assert "due: every business day from effective + 1 month" in printed
    assert "due: every 2 business days" in printed
    assert semantic_dump(parse(printed).contract) == semantic_dump(c)
    back, problems = from_data(json.loads(to_json(c)))  # type: ignore[arg-type]
    assert problems == [] and semantic_dump(back) == semantic_dump(c)
    # the plain daily recurrence is unchanged
    plain = _dues(small_contract(BODY.replace("every business day", "every day"), term="1 year"))[0]
    assert plain.business_only is False


def test_occurrences_skip_weekends_and_holidays() -> None:
    got = expand_recurrence(
        frequency="day", business_only=True, start=date(2027, 12, 24), until=date(2028, 1, 4), calendar="US"
    )
    # 24 Dec 2027 is the observed Christmas holiday (a Friday); 31 Dec the observed New Year's Day
    assert got == [date(2027, 12, 27), date(2027, 12, 28), date(2027, 12, 29), date(2027, 12, 30), date(2028, 1, 3),
                   date(2028, 1, 4)]  # fmt: skip
    every_other = expand_recurrence(
        frequency="day", interval=2, business_only=True, start=date(2027, 3, 5), until=date(2027, 3, 12)
    )
    assert every_other == [date(2027, 3, 5), date(2027, 3, 9), date(2027, 3, 11)]


def test_rendering_says_business_day_in_both_languages() -> None:
    text = small_contract(BODY, term="1 year", law="US")
    for lang, phrases in (
        ("en", ["every business day, from 1 month after the Effective Date", "every 2 business days", "Business Day"]),
        (
            "fr",
            ["chaque jour ouvré, à compter de la date située 1 mois après", "tous les 2 jours ouvrés", "Jours ouvrés"],
        ),
    ):
        md = render_result(parse(text), "md", lang).decode("utf-8").replace("\u202f", " ").replace("\u00a0", " ")
        for phrase in phrases:
            assert phrase in md, (lang, phrase)


def test_a_change_to_calendar_days_is_stated_by_the_diff() -> None:
    text = small_contract(BODY, term="1 year", law="US")
    before = parse(text).contract
    after = parse(text.replace("every business day from", "every day from")).contract
    sentences = " ".join(
        x.sentence
        for x in describe(
            compare(before, after),  # type: ignore[arg-type]
            SimpleNamespace(contract=before, resolution=None),
            SimpleNamespace(contract=after, resolution=None),
            "en",
        )
    )
    assert "every business day" in sentences and "every day" in sentences, sentences
