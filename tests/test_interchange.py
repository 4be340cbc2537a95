"""`bpo export`, `bpo import`, `bpo schema`: lossless JSON and YAML, located errors, a valid schema."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

import bpolang
from bpolang.cli import main
from bpolang.format.interchange import from_data, json_schema, load_data, to_json, to_yaml
from bpolang.format.printer import print_contract
from bpolang.model.compare import semantic_dump

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))


@pytest.fixture(scope="module")
def schema() -> dict:
    return json_schema()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_json_export_validates_against_the_schema_and_reads_back(example: Path, schema: dict) -> None:
    contract = bpolang.load(example).contract
    data = json.loads(to_json(contract))
    jsonschema.validate(data, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    back, problems = from_data(data)
    assert problems == []
    assert semantic_dump(back) == semantic_dump(contract)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_bpo_to_yaml_to_bpo_gives_the_canonical_text_back(example: Path, tmp_path: Path) -> None:
    canonical = print_contract(bpolang.load(example).contract)
    source = tmp_path / "c.bpo"
    source.write_text(canonical, encoding="utf-8")
    runner = CliRunner()
    exported = runner.invoke(main, ["export", str(source), "--to", "yaml", "-o", str(tmp_path / "c.yaml")])
    assert exported.exit_code == 0, exported.output
    imported = runner.invoke(main, ["import", str(tmp_path / "c.yaml"), "-o", str(tmp_path / "back.bpo")])
    assert imported.exit_code == 0, imported.output
    assert (tmp_path / "back.bpo").read_text(encoding="utf-8") == canonical


def test_money_and_dates_are_exported_losslessly() -> None:
    result = bpolang.parse(
        'contract a "A" {\n  effective: 2027-01-31\n  pricing {\n    fee f: 0.10 EUR once\n    fee g: 1234567890.12 EUR every month\n  }\n}\n'
    )
    data = json.loads(to_json(result.contract))
    assert data["effective"]["date"] == "2027-01-31"
    assert data["pricing"]["fees"][0]["value"]["amount"] == {"kind": "money", "amount": "0.10", "currency": "EUR"}
    assert data["pricing"]["fees"][1]["value"]["amount"]["amount"] == "1234567890.12"
    back, _ = from_data(data)
    assert back.pricing.fees[0].value.amount.amount == Decimal("0.10")


@pytest.mark.parametrize(
    "word",
    [
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "true",
        "null",
        "~",
        "1e3",
        "0x1F",
        "0o17",
        "12:30",
        "2027-01-01",
        "1_000",
        ".5",
        "",
    ],
)
def test_yaml_quotes_strings_a_yaml_reader_would_take_for_something_else(word: str) -> None:
    result = bpolang.parse(f'contract a "A" {{\n  jurisdiction: "{word}"\n}}\n')
    text = to_yaml(result.contract)
    assert yaml.safe_load(text)["jurisdiction"] == word
    # and the line is quoted, so a YAML 1.2 reader (core schema) reads a string too
    line = next(ln for ln in text.splitlines() if ln.startswith("jurisdiction:"))
    assert line == f'jurisdiction: "{word}"'


def test_yaml_keeps_multiline_text() -> None:
    result = bpolang.parse('contract a "A" {\n  clause c "C" {\n    text: """one\ntwo"""\n  }\n}\n')
    data, _ = load_data(to_yaml(result.contract), "yaml")
    assert data["clauses"][0]["text"] == "one\ntwo"


def test_import_errors_point_at_the_yaml_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        'id: a\ntitle: T\nparties:\n  - id: x\n    role: boss\n    title: T\nterm:\n  kind: duration\n  amount: "3"\n  unit: moons\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import", str(bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{bad}:5:11: error: parties.0.role: Input should be 'client', 'provider' or 'other'" in lines
    assert any(ln.startswith(f"{bad}:10:9: error: term.unit:") for ln in lines)
    assert "not imported (2 problems)" in result.output  # one problem per mistake, not one per union member


def test_import_refuses_yaml_tags_that_would_build_objects(tmp_path: Path) -> None:
    bad = tmp_path / "evil.yaml"
    bad.write_text("id: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(bad)])
    assert result.exit_code == 1
    assert "invalid YAML" in result.output


def test_import_reports_invalid_json_with_its_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "a",\n "title": }', encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2:11: error: invalid JSON" in result.output  # the `}` where a value should be


def test_export_refuses_a_contract_with_errors(tmp_path: Path) -> None:
    path = tmp_path / "c.bpo"
    path.write_text('contract a "A" {\n  term: 3 moons\n}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(path)])
    assert result.exit_code == 1
    assert "BPO012" in result.output


def test_schema_command_prints_the_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == "bpolang contract"
    assert schema["$id"] == "https://bpolang.github.io/bpolang/schema/contract.json"


def test_exports_validate_with_check_jsonschema_formats_on(tmp_path: Path) -> None:
    """As a user or a CI job validates them: the standard validator, every format checked."""
    import subprocess
    import sys

    runner = CliRunner()
    assert runner.invoke(main, ["schema", "-o", str(tmp_path / "schema.json")]).exit_code == 0
    exported = []
    for example in EXAMPLES:
        for fmt in ("yaml", "json"):
            out = tmp_path / "exports" / f"{example.stem}.{fmt}"
            out.parent.mkdir(exist_ok=True)
            res = runner.invoke(main, ["export", str(example), "--to", fmt, "-o", str(out)])
            assert res.exit_code == 0, res.output
            exported.append(str(out))

    def check_jsonschema(*args: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "check_jsonschema", *args], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    check_jsonschema("--check-metaschema", str(tmp_path / "schema.json"))
    assert "ok -- validation done" in check_jsonschema("--schemafile", str(tmp_path / "schema.json"), *exported)


def test_no_unsafe_yaml_loading_anywhere_in_the_package() -> None:
    offenders = []
    for path in (ROOT / "bpolang").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("yaml.load(", "FullLoader", "UnsafeLoader", "full_load", "unsafe_load"):
            for line in text.splitlines():
                if needle in line:
                    offenders.append(f"{path.name}: {line.strip()}")
    assert offenders == []


def test_a_partys_country_goes_through_json_and_yaml() -> None:
    text = 'contract a "A" {\n  party client acme "ACME SAS" {\n    country: FR\n  }\n}\n'
    contract = bpolang.parse(text).contract
    data = json.loads(to_json(contract))
    assert data["parties"][0]["country"] == "FR"
    back, problems = from_data(data)
    assert problems == [] and back.parties[0].country == "FR"
    again, problems = from_data(yaml.safe_load(to_yaml(contract)))
    assert problems == [] and print_contract(again) == text
