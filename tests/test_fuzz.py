"""The fuzzers, bounded for CI: every stage of the pipeline on inputs nobody wrote by hand.

`tests/fuzzing.py` is the harness (and the long-running command for nightly use); here it runs a
fixed number of seeded inputs, plus grammar-generated text and raw bytes through Hypothesis, and
every input it ever found a bug with (tests/fuzz_regressions/).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzing import _seed_of, import_pipeline, mutate, pipeline, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

from bpolang.syntax.grammar import build_parser, grammar_text

REGRESSIONS = sorted(
    p for p in (Path(__file__).parent / "fuzz_regressions").iterdir() if p.suffix in (".bpo", ".json", ".yaml")
)


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda p: p.stem)
def test_inputs_the_fuzzer_once_broke_bpolang_with(path: Path):
    if path.suffix in (".json", ".yaml"):
        import_pipeline(path.read_bytes(), path.suffix[1:])
    else:  # a value mutation is also compared with the contract it came from, as `bpo diff` does
        data = path.read_bytes()
        pipeline(data, _seed_of(data))


@pytest.mark.slow
def test_mutation_fuzzing_finds_nothing_and_reaches_every_stage():
    report = run(1000, seed=20261201)
    assert report["failures"] == []
    stages = report["stages"]
    assert sum(stages.values()) == 1000
    # a harness that never gets past the decoder proves nothing: most inputs must reach the
    # checker, and some every later stage (the commands run on damaged models too, as --force does)
    assert "failed" not in stages
    assert stages.get("formatted", 0) > 100
    assert stages.get("rendered", 0) + stages.get("rendered-forced", 0) > 100
    assert stages.get("rendered", 0) > 0


def test_value_fuzzing_runs_every_command_and_diff_on_whole_contracts():
    """Whole contracts with odd values (some out of range): every command, and a diff with the original."""
    report = run(30, seed=20261202, family="values")
    assert report["failures"] == []
    assert report["stages"].get("rendered", 0) + report["stages"].get("rendered-forced", 0) >= 20


def test_import_fuzzing_refuses_with_a_reason_or_imports_what_every_command_takes():
    report = run(300, seed=20261203, family="import")
    assert report["failures"] == []
    stages = report["stages"]
    assert stages.get("imported", 0) > 0 and stages.get("refused", 0) > 0 and stages.get("refused-early", 0) > 0


def test_the_mutator_is_deterministic():
    import random

    from fuzzing import corpus

    seeds = corpus()
    assert len(seeds) > 20
    a = [mutate(random.Random(f"1:{k}"), seeds) for k in range(50)]
    b = [mutate(random.Random(f"1:{k}"), seeds) for k in range(50)]
    assert a == b


_grammar = build_parser(grammar_text())


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(from_lark(_grammar, start="start", explicit={"COMMENT": st.just("# c"), "WS": st.just(" ")}))
def test_grammar_generated_text_through_every_stage(text: str):
    pipeline(text.encode("utf-8"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_raw_bytes_through_every_stage(data: bytes):
    pipeline(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_wrapped_unicode_through_every_stage(body: str):
    pipeline(('contract c "T" {\n' + body + "\n}\n").encode("utf-8", errors="surrogatepass"))
