"""The tutorials, step by step, as a newcomer follows them: every command does what the page says.

The commands and contract fragments are read from the pages themselves, so the pages cannot drift
from the tool: init with the page's options, replace the template's service and pricing blocks with
the page's, check (passes), format, check again, render, and the page's example finding.
"""

from __future__ import annotations

import re
import shlex
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_docs import code_blocks

from bpolang.cli import main

ROOT = Path(__file__).resolve().parent.parent
TUTORIALS = sorted((ROOT / "docs" / "tutorial").glob("first-contract-*.md"))


def run(*args: str):
    return CliRunner().invoke(main, [*args, *(["--no-cache"] if args[0] == "check" else [])])


def replace_block(text: str, head: str, new: str) -> str:
    """Replace the top-level block of the contract that starts with `head` by `new` (indented)."""
    start = text.index("\n  " + head) + 1
    end = text.index("\n  }\n", start) + len("\n  }\n")
    return text[:start] + "".join("  " + line + "\n" for line in new.splitlines()) + text[end:]


@pytest.mark.parametrize("page", TUTORIALS, ids=lambda p: p.stem)
def test_the_tutorial_works_as_written(page: Path, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = code_blocks(page)
    (init,) = [b.text for b in blocks if b.lang == "sh" and "--title" in b.text]
    args = shlex.split(init.replace("\\\n", " "))
    assert args[:2] == ["bpo", "init"]
    res = run(*args[1:])
    assert res.exit_code == 0, res.output
    contract = Path(args[args.index("-o") + 1])
    assert run("check", str(contract)).exit_code == 0  # "It passes `bpo check` as it is."

    fragments = [b.text for b in blocks if b.lang == "bpo"]
    service = next(f for f in fragments if f.startswith("service main_service"))
    pricing = next(f for f in fragments if f.startswith("pricing {"))
    text = contract.read_text(encoding="utf-8")
    text = replace_block(replace_block(text, "service main_service", service), "pricing {", pricing)
    contract.write_text(text, encoding="utf-8")
    res = run("check", str(contract))
    assert res.exit_code == 0, res.output  # step 4 ends with no error
    the_finding_shown_is_the_one_printed(blocks, contract, text)

    assert run("fmt", str(contract)).exit_code == 0
    assert run("fmt", "--check", str(contract)).exit_code == 0
    assert run("check", str(contract)).exit_code == 0
    res = run("render", str(contract), "--to", "html", "-o", "contract.html")
    assert res.exit_code == 0, res.output
    assert Path("contract.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    res = run("render", str(contract), "--to", "docx")
    assert res.exit_code == 0, res.output
    assert zipfile.is_zipfile(contract.with_suffix(".docx"))


def the_finding_shown_is_the_one_printed(blocks, contract: Path, text: str) -> None:
    """Step 4's example: the penalty names a milestone that does not exist."""
    (shown,) = [b.text for b in blocks if b.lang == "text" and "BPO014" in b.text]
    typo = re.search(r"unknown id `(\w+)`", shown).group(1)
    penalty = re.search(r"(?m)^  penalty .*\n    applies_to: go_live\n", text)
    assert penalty, "the template's penalty applies to go_live"
    wrong = text[: penalty.start()] + penalty.group().replace("go_live\n", typo + "\n") + text[penalty.end() :]
    contract.write_text(wrong, encoding="utf-8")
    res = run("check", str(contract), "--no-color")
    assert res.exit_code == 1
    assert shown in res.stdout, res.stdout
    contract.write_text(text, encoding="utf-8")
