"""The phrase forms (bpolang.model.forms): every Phrasal class has one form that reads,
prints and words it, listed once in FORMS; and the model layer stays below the printer
and the wording that use them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import bpolang
from bpolang.base.source import LineIndex
from bpolang.format.printer import phrasal as print_phrasal
from bpolang.i18n import LANGUAGES
from bpolang.i18n.fmt import Fmt
from bpolang.model import contract as C
from bpolang.model.build import Builder, convert
from bpolang.model.compare import semantic_dump
from bpolang.model.forms import FORMS, Form
from bpolang.syntax.parser import parse_text


def _phrasal_classes() -> set[type]:
    found: set[type] = set()
    stack = [C.Phrasal]
    while stack:
        for sub in stack.pop().__subclasses__():
            found.add(sub)
            stack.append(sub)
    return found


def test_every_phrasal_class_has_exactly_its_form():
    assert _phrasal_classes() == set(FORMS)
    for cls, form in FORMS.items():
        assert form.cls is cls


@pytest.mark.parametrize("cls", sorted(_phrasal_classes(), key=lambda c: c.__name__), ids=lambda c: c.__name__)
@pytest.mark.parametrize("direction", ["read", "print", "word"])
def test_every_form_defines_its_three_directions(cls, direction):
    form = FORMS.get(cls)
    assert form is not None, f"{cls.__name__} has no form in bpolang.model.forms.FORMS"
    assert getattr(type(form), direction) is not getattr(Form, direction), f"{cls.__name__} lacks {direction}"
    assert form.expected and "`" in form.expected


def _examples() -> list[tuple[type, str]]:
    return [(cls, ex) for cls, form in FORMS.items() for ex in re.findall(r"`([^`]+)`", form.expected)]


def _read(cls: type, text: str):
    source = f"x: {text}\n"
    (stmt,) = parse_text(source).body
    return convert(stmt.value.items, cls, Builder(source, LineIndex(source)).span)


@pytest.mark.parametrize(("cls", "example"), _examples(), ids=lambda v: v if isinstance(v, str) else v.__name__)
def test_each_example_reads_prints_back_and_is_worded(cls, example):
    value = _read(cls, example)
    assert type(value) is cls
    printed = print_phrasal(value)
    again = _read(cls, printed)
    assert semantic_dump(again) == semantic_dump(value)
    assert print_phrasal(again) == printed
    for lang in LANGUAGES:
        worded = Fmt(lang).phrasal(value)
        assert worded and "{" not in worded


def test_the_model_layer_imports_nothing_above_it():
    """bpolang.model (and so its forms) imports only base/, syntax/ and itself: the printer
    and the wording are passed in, never imported."""
    root = Path(bpolang.__file__).parent
    allowed = ("bpolang.base", "bpolang.syntax", "bpolang.model")
    for path in sorted((root / "model").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name == "bpolang" or name.startswith("bpolang."):
                    assert name.startswith(allowed), f"{path.relative_to(root)} imports {name}"


@pytest.mark.parametrize("word", ["tbd", "redacted"])
def test_a_step_with_an_unknown_threshold_is_a_diagnostic_not_a_crash(word):
    example = Path(__file__).parents[1] / "examples" / "back-office-tiered.bpo"
    text = example.read_text(encoding="utf-8").replace("step: below 98% credit", f"step: below {word} credit", 1)
    found = [(d.code, d.message) for d in bpolang.parse(text).diagnostics if d.code == "BPO012"]
    assert found == [
        ("BPO012", f"`step` expects a percentage such as `95%` or a duration such as `4 hours`, found `{word}`")
    ]
