"""`bpo fmt` and the printer: canonical layout, nothing lost, meaning unchanged, safe writes.

Case files in tests/format_cases/ hold an input, then a line `# output`, then
the expected output; a case without `# output` must come out unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bpolang
from bpolang.base.fileio import apply_encoding, split_encoding
from bpolang.cli import main
from bpolang.format.formatter import FormatError, UnsafeFormat, check_equivalent, comment_texts, format_text
from bpolang.format.printer import print_contract
from bpolang.model import contract as C
from bpolang.model.bounds import duration_problem
from bpolang.model.compare import semantic_dump
from bpolang.model.values import (
    Arith,
    Call,
    DateExpr,
    Duration,
    DurationUnit,
    Frequency,
    Money,
    Offset,
    Percentage,
    Quantity,
    Rate,
    Recurrence,
    Ref,
    RelativeAmount,
    Unknown,
)
from bpolang.syntax.parser import parse_text

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "tests" / "format_cases").glob("*.bpo"))
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))


def split_case(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    marker = "\n# output\n"
    if marker in text:
        source, expected = text.split(marker, 1)
        return source + "\n", expected
    return text, text


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_format_case(case: Path) -> None:
    source, expected = split_case(case)
    out = format_text(source)
    assert out == expected
    check_equivalent(source, out)  # same model, same comments, stable


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_examples_are_already_formatted(example: Path) -> None:
    text = example.read_text(encoding="utf-8")
    assert format_text(text) == text, f"run `bpo fmt {example.relative_to(ROOT)}`"


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_printer_round_trips_examples(example: Path) -> None:
    result = bpolang.load(example)
    printed = print_contract(result.contract)
    again = bpolang.parse(printed)
    assert again.diagnostics == []
    assert semantic_dump(again.contract) == semantic_dump(result.contract)
    assert format_text(printed) == printed


# ---------------------------------------------------------------- mutations
def _mutations(text: str) -> list[str]:
    lines = text.split("\n")
    return [
        "\n".join("    " + ln.strip() if ln.strip() else ln for ln in lines),  # indentation lost
        "\n".join(ln + "   " for ln in lines),  # trailing blanks
        text.replace("\n\n", "\n\n\n\n"),  # extra blank lines
        text.replace(": ", ":     "),  # spacing after colons
        "\n".join(
            ln.replace("#", "\n#", 1)
            if ln.strip() and not ln.strip().startswith("#") and "#" in ln and '"' not in ln
            else ln
            for ln in lines
        ),  # end-of-line comments moved to their own line
    ]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_mutated_examples_keep_model_and_comments(example: Path) -> None:
    text = example.read_text(encoding="utf-8")
    for mutated in _mutations(text):
        before = bpolang.parse(mutated)
        assert not before.has_errors  # the mutations only touch layout
        out = format_text(mutated)
        assert semantic_dump(bpolang.parse(out).contract) == semantic_dump(before.contract)
        assert comment_texts(parse_text(out)) == comment_texts(parse_text(mutated))
        assert format_text(out) == out


# ---------------------------------------------------------------- line endings and BOM
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_eol_and_bom_matrix(case: Path, newline: str, bom: bool, tmp_path: Path) -> None:
    source, expected = split_case(case)
    raw = ("\ufeff" if bom else "") + source.replace("\n", newline)
    path = tmp_path / "c.bpo"
    path.write_bytes(raw.encode("utf-8"))
    result = CliRunner().invoke(main, ["fmt", str(path)])
    assert result.exit_code == 0, result.output
    want = ("\ufeff" if bom else "") + expected.replace("\n", newline)
    assert path.read_bytes() == want.encode("utf-8")


def test_split_and_apply_encoding_are_inverse() -> None:
    for raw in ["a\r\nb\r\n", "\ufeffa\nb\n", "a\rb\r", "no newline"]:
        body, enc = split_encoding(raw)
        assert "\r" not in body
        assert apply_encoding(body, enc) == raw


# ---------------------------------------------------------------- the command
def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contract.bpo"
    path.write_text(text, encoding="utf-8")
    return path


UGLY = 'contract a "A" { language: en; term:  3 months }\n'
PRETTY = 'contract a "A" {\n  language: en\n  term: 3 months\n}\n'


def test_fmt_rewrites_and_check_passes_after(tmp_path: Path) -> None:
    path = _write(tmp_path, UGLY)
    runner = CliRunner()
    assert runner.invoke(main, ["fmt", "--check", str(path)]).exit_code == 1
    assert path.read_text(encoding="utf-8") == UGLY  # --check writes nothing
    diff = runner.invoke(main, ["fmt", "--diff", str(path)])
    assert "-contract a" in diff.output and "+  term: 3 months" in diff.output
    assert path.read_text(encoding="utf-8") == UGLY  # --diff writes nothing
    assert runner.invoke(main, ["fmt", str(path)]).exit_code == 0
    assert path.read_text(encoding="utf-8") == PRETTY
    assert runner.invoke(main, ["fmt", "--check", str(path)]).exit_code == 0


def test_check_lists_the_files_that_would_change(tmp_path: Path) -> None:
    path = _write(tmp_path, UGLY)
    result = CliRunner().invoke(main, ["fmt", "--check", str(tmp_path)])
    assert f"would reformat {path}" in result.output


def test_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    path = _write(tmp_path, PRETTY)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    before = path.stat()
    assert CliRunner().invoke(main, ["fmt", str(path)]).exit_code == 0
    after = path.stat()
    assert (after.st_mtime, after.st_ino) == (before.st_mtime, before.st_ino)


def test_file_with_syntax_errors_is_left_untouched(tmp_path: Path) -> None:
    text = 'contract a "A" {\n  term: 3 months\n  language en\n'
    path = _write(tmp_path, text)
    result = CliRunner().invoke(main, ["fmt", str(path)])
    assert result.exit_code == 1
    assert "BPO001" in result.output
    assert path.read_text(encoding="utf-8") == text


def test_permissions_are_kept(tmp_path: Path) -> None:
    path = _write(tmp_path, UGLY)
    path.chmod(0o640)
    assert CliRunner().invoke(main, ["fmt", str(path)]).exit_code == 0
    assert path.stat().st_mode & 0o777 == 0o640


def test_symlink_target_is_written_and_link_survives(tmp_path: Path) -> None:
    target = _write(tmp_path, UGLY)
    link = tmp_path / "link.bpo"
    link.symlink_to(target)
    assert CliRunner().invoke(main, ["fmt", str(link)]).exit_code == 0
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == PRETTY


def test_hard_linked_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, UGLY)
    os.link(path, tmp_path / "other.bpo")
    result = CliRunner().invoke(main, ["fmt", str(path)])
    assert result.exit_code == 2
    assert "hard links" in result.output
    assert path.read_text(encoding="utf-8") == UGLY


def test_failure_during_write_leaves_the_original_intact(tmp_path: Path, monkeypatch) -> None:
    path = _write(tmp_path, UGLY)
    original = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    result = CliRunner().invoke(main, ["fmt", str(path)])
    assert result.exit_code == 2
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contract.bpo"]  # no temporary file left


def test_unsafe_output_is_an_internal_error_and_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    import bpolang.format.formatter as formatter

    path = _write(tmp_path, UGLY)
    real = formatter.format_text

    def lossy(text: str, line_length: int = 100) -> str:
        return real(text, line_length).replace("  term: 3 months\n", "")

    monkeypatch.setattr(formatter, "format_text", lossy)
    result = CliRunner().invoke(main, ["fmt", str(path)])
    assert result.exit_code == 123
    assert "internal error" in result.output
    assert path.read_text(encoding="utf-8") == UGLY


def test_check_equivalent_refuses_a_lost_comment() -> None:
    with pytest.raises(UnsafeFormat):
        check_equivalent('contract a "A" {\n  term: 3 months  # c\n}\n', 'contract a "A" {\n  term: 3 months\n}\n')


def test_format_text_refuses_unparsable_input() -> None:
    with pytest.raises(FormatError):
        format_text('contract a "A" {\n')


def _run_stdin(data: bytes, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bpolang", "fmt", *args, "-"], input=data, capture_output=True, timeout=60
    )


def test_stdin_unchanged_input_is_echoed_exactly() -> None:
    data = PRETTY.replace("\n", "\r\n").encode()
    proc = _run_stdin(data)
    assert proc.returncode == 0
    assert proc.stdout == data


def test_stdin_formats() -> None:
    proc = _run_stdin(UGLY.encode())
    assert proc.returncode == 0
    assert proc.stdout == PRETTY.encode()


def test_stdin_error_prints_nothing_on_stdout() -> None:
    proc = _run_stdin(b'contract a "A" {\n')
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert b"BPO001" in proc.stderr


def test_line_length_option_breaks_lists() -> None:
    text = 'contract a "A" {\n  service s "S" {\n    tools: ["Alpha", "Beta"]\n  }\n}\n'
    assert "tools: [\n" in format_text(text, 25)  # the flat line is 28 columns
    assert "tools: [\n" not in format_text(text, 100)


# ---------------------------------------------------------------- generated models
_alpha = "abcdefghijklmnopqrstuvwxyz"
ids = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True).filter(
    lambda s: s not in {"effective", "end", "redacted", "tbd", "yes", "no", "every", "true", "false"}
)
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\u0085"),
    max_size=40,
)
multiline = st.lists(texts.filter(lambda s: '"' not in s), min_size=2, max_size=4).map("\n".join)
decimals = (
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
    .map(lambda d: d.normalize() if d == d.to_integral() else d)
    .map(lambda d: Decimal(format(d, "f")))
)
whole = st.integers(min_value=0, max_value=10_000).map(Decimal)
currencies = st.sampled_from(["EUR", "GBP", "USD", "CHF"])
money = st.builds(Money, amount=decimals, currency=currencies)
units = st.sampled_from(list(DurationUnit))
# within the bounds of the language (BPO020 beyond): a century at most
durations = st.builds(Duration, amount=whole, unit=units).filter(
    lambda d: duration_problem(d.amount, d.unit.value) is None
)
percentages = st.builds(Percentage, value=decimals)
unknown = st.builds(Unknown, unknown=st.sampled_from(["redacted", "tbd"]))
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))


def date_exprs(anchors):
    offsets = st.lists(st.builds(Offset, sign=st.sampled_from([1, -1]), duration=durations), max_size=2)
    return st.one_of(
        st.builds(DateExpr, date=dates, offsets=offsets),
        st.builds(DateExpr, anchor=anchors, offsets=offsets),
    )


amount_leaf = st.one_of(
    money,
    percentages,
    st.builds(RelativeAmount, percent=percentages, of=st.builds(Ref, id=st.just("monthly_fees"))),
    st.builds(Rate, price=money, per=ids),
)
operands = st.recursive(
    st.one_of(money, percentages, st.builds(Ref, id=ids)),
    lambda inner: st.builds(Arith, op=st.sampled_from(["+", "-", "*", "/"]), left=inner, right=inner),
    max_leaves=4,
)
amounts = st.recursive(
    st.one_of(amount_leaf, operands),
    lambda inner: st.builds(Call, func=st.sampled_from(["max", "min"]), args=st.lists(inner, min_size=2, max_size=3)),
    max_leaves=6,
)


@st.composite
def contracts(draw):
    milestone_ids = draw(st.lists(ids, min_size=0, max_size=4, unique=True))
    anchors = st.sampled_from(["effective", "end", *milestone_ids])
    milestones = [
        C.Milestone(
            id=m,
            title=draw(texts),
            date=draw(st.one_of(st.none(), unknown, date_exprs(anchors))),
            after=[Ref(id=a) for a in draw(st.lists(st.sampled_from(milestone_ids), max_size=2))],
        )
        for m in milestone_ids
    ]
    recurrences = st.builds(
        Recurrence,
        frequency=st.sampled_from(list(Frequency)),
        interval=st.integers(1, 4),
        day=st.one_of(st.none(), st.integers(1, 28)),
        start=st.one_of(st.none(), date_exprs(anchors)),
    )
    return C.Contract(
        id=draw(ids),
        title=draw(texts),
        language=draw(st.sampled_from(["fr", "en", None])),
        governing_law=draw(st.one_of(st.none(), st.sampled_from(["FR", "GB"]), unknown)),
        effective=draw(st.one_of(st.none(), st.builds(DateExpr, date=dates), unknown)),
        term=draw(st.one_of(st.none(), durations, unknown, st.just("indefinite"))),
        renewal=draw(
            st.one_of(
                st.none(),
                st.builds(
                    C.Renewal,
                    kind=st.sampled_from(["tacit", "express"]),
                    period=durations,
                    notice=st.one_of(st.none(), durations),
                ),
            )
        ),
        parties=draw(
            st.lists(
                st.builds(
                    C.Party,
                    id=ids,
                    title=texts,
                    role=st.sampled_from(["client", "provider", "other"]),
                    registration=st.one_of(st.none(), texts, unknown),
                    financial_entity=st.one_of(st.none(), st.booleans()),
                ),
                max_size=3,
            )
        ),
        services=draw(
            st.lists(
                st.builds(
                    C.Service,
                    id=ids,
                    title=st.one_of(st.none(), texts),
                    includes=st.lists(texts, max_size=4),
                    volume=st.one_of(
                        st.none(),
                        st.builds(Quantity, amount=whole, unit=ids, per=st.sampled_from([None, "month", "year"])),
                    ),
                    channels=st.lists(ids, max_size=3),
                    acknowledgement=st.one_of(st.none(), durations),
                ),
                max_size=2,
            )
        ),
        exclusions=draw(st.lists(st.builds(C.Exclusion, title=texts), max_size=2)),
        milestones=milestones,
        deliverables=draw(
            st.lists(
                st.builds(
                    C.Deliverable,
                    id=ids,
                    title=texts,
                    format=st.one_of(st.none(), ids),
                    due=st.one_of(st.none(), recurrences, date_exprs(anchors)),
                ),
                max_size=2,
            )
        ),
        service_levels=draw(
            st.lists(
                st.builds(
                    C.ServiceLevel,
                    id=ids,
                    title=texts,
                    target=st.one_of(st.none(), percentages, durations),
                    window=st.one_of(st.none(), st.builds(C.Window, kind=st.sampled_from(["monthly", "quarterly"]))),
                    breach=st.one_of(
                        st.none(),
                        st.builds(
                            C.Trigger,
                            comparator=st.just("below"),
                            threshold=percentages,
                            times=st.integers(1, 5),
                            within=durations,
                        ),
                    ),
                ),
                max_size=2,
            )
        ),
        pricing=draw(
            st.one_of(
                st.none(),
                st.builds(
                    C.Pricing,
                    currency=st.one_of(st.none(), currencies),
                    fees=st.lists(
                        st.builds(
                            C.Fee,
                            id=ids,
                            title=st.one_of(st.none(), texts),
                            value=st.builds(
                                C.FeeValue,
                                amount=amounts,
                                schedule=st.sampled_from(["once", "every_month", "every_year"]),
                            ),
                        ),
                        max_size=3,
                    ),
                    payment_terms=st.one_of(
                        st.none(),
                        st.builds(
                            C.PaymentTerms,
                            days=durations,
                            start=st.sampled_from(["invoice", "end_of_month", "receipt"]),
                        ),
                    ),
                    billing=st.one_of(
                        st.none(),
                        unknown,
                        st.builds(
                            C.Billing,
                            frequency=st.sampled_from(["monthly", "quarterly"]),
                            timing=st.sampled_from([None, "in_advance", "in_arrears"]),
                        ),
                    ),
                ),
            )
        ),
        data=draw(
            st.lists(
                st.builds(
                    C.DataAsset,
                    id=ids,
                    title=texts,
                    personal=st.one_of(st.none(), st.booleans()),
                    categories=st.lists(ids, max_size=3),
                    retention=st.one_of(
                        st.none(),
                        unknown,
                        st.builds(
                            C.Retention, period=durations, start=st.sampled_from(["end", "collection", "termination"])
                        ),
                    ),
                    breach_notification=st.one_of(st.none(), durations),
                    at_end=st.one_of(
                        st.none(),
                        st.builds(
                            C.AtEnd,
                            action=st.sampled_from(["delete", "return", "return_then_delete"]),
                            within=st.one_of(st.none(), durations),
                        ),
                    ),
                ),
                max_size=2,
            )
        ),
        clauses=draw(st.lists(st.builds(C.Clause, id=ids, title=texts, text=st.one_of(texts, multiline)), max_size=2)),
    )


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("BPO_FMT_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(contracts())
def test_generated_models_print_parse_back_equal_and_format_idempotently(contract: C.Contract) -> None:
    text = print_contract(contract)
    parsed = parse_text(text)
    assert parsed.problems == [], text
    again = bpolang.parse(text)
    assert semantic_dump(again.contract) == semantic_dump(contract), text
    assert format_text(text) == text


def test_fmt_check_passes_on_the_examples() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bpolang", "fmt", "--check", str(ROOT / "examples")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 files would be reformatted" in proc.stderr


def test_line_length_comes_from_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.bpolang]\nline-length = 60\n", encoding="utf-8")
    path = _write(
        tmp_path,
        'contract a "A" {\n  service s "S" {\n    includes: ["Alpha alpha alpha", "Beta beta beta", "Gamma gamma"]\n  }\n}\n',
    )
    assert CliRunner().invoke(main, ["fmt", str(path)]).exit_code == 0
    assert '    includes: [\n      "Alpha alpha alpha",\n' in path.read_text(encoding="utf-8")
