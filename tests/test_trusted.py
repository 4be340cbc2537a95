"""Models made without validation (bpolang.base.trusted) are the models validation makes.

The builder, the value reader and the phrasal forms make their models with
:func:`bpolang.base.trusted.assemble`, which skips pydantic's validation.  Here every contract
the project has (examples, real contracts, every fixture) and the fuzzer's corpus of broken ones
is built both ways, and the two models must be the same to the type of every value: the same
classes, fields in the same order, the same fields set, the same private attributes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from bpolang.base.diagnostics import Span
from bpolang.base.trusted import assemble, validating
from bpolang.check import pipeline as api
from bpolang.model import contract as C
from bpolang.model.values import Duration, DurationUnit, Money

REPO = Path(__file__).resolve().parent.parent
CONTRACTS = sorted(
    p for top in ("examples", "tests", "docs") for p in (REPO / top).rglob("*.bpo") if ".venv" not in p.parts
)


def same(a: object, b: object, where: str = "contract") -> None:
    """`a` and `b` hold the same values of the same types, all the way down."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, BaseModel):
        assert isinstance(b, BaseModel)
        assert list(a.__dict__) == list(b.__dict__), f"{where}: fields {list(a.__dict__)} vs {list(b.__dict__)}"
        assert a.model_fields_set == b.model_fields_set, f"{where}: fields set"
        assert a.__pydantic_extra__ == b.__pydantic_extra__, f"{where}: extra"
        same(a.__pydantic_private__, b.__pydantic_private__, f"{where} (private)")
        for name, value in a.__dict__.items():
            same(value, b.__dict__[name], f"{where}.{name}")
    elif isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple))
        assert len(a) == len(b), f"{where}: {len(a)} items vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert isinstance(b, dict)
        assert list(a) == list(b), f"{where}: keys {list(a)} vs {list(b)}"
        for k in a:
            same(a[k], b[k], f"{where}[{k!r}]")
    else:
        assert a == b, f"{where}: {a!r} vs {b!r}"


def both(text: str) -> tuple[api.Result, api.Result]:
    trusted = api.parse(text)
    with validating():
        validated = api.parse(text)
    return trusted, validated


def test_every_contract_of_the_project_is_found() -> None:
    assert len(CONTRACTS) > 60
    assert any(p.parent.name == "real" for p in CONTRACTS)


@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: str(p.relative_to(REPO)))
def test_built_without_validation_as_with_it(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    trusted, validated = both(text)
    same(trusted.contract, validated.contract)
    assert [d.model_dump() for d in trusted.diagnostics] == [d.model_dump() for d in validated.diagnostics]


def test_the_fuzzers_corpus_of_broken_contracts() -> None:
    """Windows and mutations of the examples: half-written blocks, wrong values, recovered errors."""
    import random

    from fuzzing import corpus_cached, mutate

    seeds = corpus_cached()
    rnd = random.Random(20261203)
    for _ in range(300):
        text = mutate(rnd, seeds).decode("utf-8", errors="replace")
        trusted, validated = both(text)
        same(trusted.contract, validated.contract)


def test_defaults_are_made_afresh_and_lists_are_not_shared() -> None:
    after = [C.Ref.trusted(id="kickoff")]
    one = assemble(C.Deliverable, {"id": "d1", "title": "D", "format": None, "after": after})
    two = assemble(C.Deliverable, {"id": "d2"})
    assert one.translations is not two.translations  # a default factory, called for each
    assert one.__pydantic_private__ is not two.__pydantic_private__
    after.append(C.Ref.trusted(id="design"))
    assert [r.id for r in one.after] == ["kickoff"]  # its own list, as validation would give it
    assert one.model_fields_set == {"id", "title", "format", "after"}
    same(one, C.Deliverable(id="d1", title="D", format=None, after=[C.Ref(id="kickoff")]))


def test_assemble_refuses_a_field_the_model_does_not_have_and_a_missing_required_one() -> None:
    with pytest.raises(TypeError, match="no field 'colour'"):
        assemble(Money, {"amount": Decimal(1), "currency": "EUR", "colour": "red"})
    with pytest.raises(TypeError, match="needs 'currency'"):
        assemble(Money, {"amount": Decimal(1)})


def test_a_trusted_model_serialises_and_validates_like_any_other() -> None:
    """The validators are built when first needed (`defer_build`), not at import."""
    span = Span.trusted(start=0, end=3, line=1, col=1, end_line=1, end_col=4)
    d = Duration.trusted(amount=Decimal(30), unit=DurationUnit.DAYS, span=span)
    assert Duration.model_validate(d.model_dump()) == d
    assert d.model_dump(mode="json")["span"] == {"start": 0, "end": 3, "line": 1, "col": 1, "end_line": 1, "end_col": 4}
    assert hash(span) == hash(Span(start=0, end=3, line=1, col=1, end_line=1, end_col=4))


BACK_OFFICE = (REPO / "examples" / "back-office-tiered.bpo").read_text(encoding="utf-8")


@settings(max_examples=100, deadline=None)
@given(
    day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
    volume=st.integers(min_value=0, max_value=10**12),
    target=st.decimals(min_value=0, max_value=100, places=3, allow_nan=False),
    days=st.integers(min_value=0, max_value=40_000),
)
def test_values_of_any_size_read_the_same_both_ways(day: dt.date, volume: int, target: Decimal, days: int) -> None:
    """Dates, counts, percentages and durations anywhere in and out of the language's bounds."""
    text = (
        BACK_OFFICE.replace("effective: 2027-07-01", f"effective: {day.isoformat()}")
        .replace("volume: 12000 claims", f"volume: {volume} claims")
        .replace("target: 98%", f"target: {target}%")
        .replace("acceptance: 10 business days", f"acceptance: {days} business days")
    )
    trusted, validated = both(text)
    same(trusted.contract, validated.contract)


def test_validating_really_validates_so_the_comparisons_compare_two_ways() -> None:
    values = {"amount": "12.50", "currency": "EUR"}
    assert type(assemble(Money, values).amount) is str  # taken as given: the caller's types
    with validating():
        assert assemble(Money, values).amount == Decimal("12.50")  # converted: pydantic's validation ran
    assert type(assemble(Money, values).amount) is str
