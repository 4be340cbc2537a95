"""`bpo init`: templates in both languages that pass `bpo check` and are already formatted."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import bpolang
from bpolang.cli import main
from bpolang.cli.commands import init as init_cmd
from bpolang.format.formatter import format_text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_template_passes_check_and_is_formatted(lang: str, tmp_path: Path) -> None:
    out = tmp_path / "new.bpo"
    result = CliRunner().invoke(
        main,
        [
            "init",
            "--lang",
            lang,
            "-o",
            str(out),
            "--client",
            "ACME SAS",
            "--provider",
            "ComptaPlus SARL",
            "--effective",
            "2027-01-01",
            "--term",
            "3 years",
        ],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert format_text(text) == text
    checked = CliRunner().invoke(main, ["check", str(out)])
    assert checked.exit_code == 0, checked.output
    contract = bpolang.load(out).contract
    assert contract.language == lang
    assert [(p.role, p.id, p.title) for p in contract.parties] == [
        ("client", "acme_sas", "ACME SAS"),
        ("provider", "comptaplus_sarl", "ComptaPlus SARL"),
    ]
    assert contract.effective.date.isoformat() == "2027-01-01"
    assert (contract.term.amount, contract.term.unit.value) == (3, "years")


def test_names_are_quoted_and_escaped(tmp_path: Path) -> None:
    out = tmp_path / "q.bpo"
    result = CliRunner().invoke(
        main,
        [
            "init",
            "--lang",
            "en",
            "-o",
            str(out),
            "--title",
            'Claims "fast" \\ handling',
            "--client",
            "Société Générale",
            "--provider",
            "3D Ops",
        ],
    )
    assert result.exit_code == 0, result.output
    contract = bpolang.load(out).contract
    assert contract.title == 'Claims "fast" \\ handling'
    assert contract.id == "claims_fast_handling"
    assert [p.id for p in contract.parties] == ["societe_generale", "provider_3d_ops"]


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "c.bpo"
    out.write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "keep me"
    assert CliRunner().invoke(main, ["init", "-o", str(out), "--force"]).exit_code == 0


@pytest.mark.parametrize(("option", "value"), [("--effective", "2027-02-30"), ("--term", "36 moons"), ("--client", "")])
def test_bad_values_are_usage_errors(option: str, value: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", "-o", str(tmp_path / "c.bpo"), option, value])
    assert result.exit_code == 2
    assert not (tmp_path / "c.bpo").exists()


def test_asks_in_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(init_cmd, "_interactive", lambda: True)
    out = tmp_path / "asked.bpo"
    answers = "en\nPayroll outsourcing\nHarbour Ltd\nPayCo Ltd\n2027-04-01\n24 months\n"
    result = CliRunner().invoke(main, ["init", "-o", str(out)], input=answers)
    assert result.exit_code == 0, result.output
    assert "Client (legal name)" in result.output
    contract = bpolang.load(out).contract
    assert (contract.title, contract.parties[0].title, contract.parties[1].title) == (
        "Payroll outsourcing",
        "Harbour Ltd",
        "PayCo Ltd",
    )
    assert contract.effective.date.isoformat() == "2027-04-01"


def test_snake_id() -> None:
    assert init_cmd.snake_id("Rivage Hôtels & Résidences", "x") == "rivage_hotels_residences"
    assert init_cmd.snake_id("123", "client") == "client_123"
    assert init_cmd.snake_id("!!!", "client") == "client"
