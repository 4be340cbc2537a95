"""A clause library: standard clauses with parameters that contracts take by id, with their arguments.

The library of examples/msa (schedules/clauses.bpo) is taken by the master and by both statements of
work; each test works on a copy of that folder, edited where it needs a mistake.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import bpolang
from bpolang.cli import main
from bpolang.model import contract as C
from bpolang.model import values as V

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "msa"


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def place(text: str, needle: str, skip: int = 0) -> tuple[int, int]:
    """The 1-based line and column of ``needle`` in ``text`` (after ``skip`` characters)."""
    at = text.index(needle, skip)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def found(path: Path, code: str) -> list[tuple[str, int, int]]:
    result = bpolang.load(path)  # the paths relative to the deal's folder, the current one
    return [(os.path.relpath(d.path), d.span.line, d.span.col) for d in result.diagnostics if d.code == code]


def message(path: Path, code: str) -> str:
    return next(d for d in bpolang.load(path).diagnostics if d.code == code).message


SOW = "sow-complaints.bpo"
LIB = "schedules/clauses.bpo"


# ------------------------------------------------------------------ the happy path
def test_the_example_takes_its_clauses_from_the_library_and_passes(deal: Path):
    done = CliRunner().invoke(main, ["check", "msa.bpo", SOW, "sow-contact-centre.bpo", LIB])
    assert done.exit_code == 0, done.output
    sow = bpolang.load(deal / SOW).contract
    taken = {cl.id: cl for cl in sow.clauses}
    travel = taken["travel_expenses"]  # the SOW's own, and the master's two, inherited
    assert set(taken) == {"compelled_disclosure", "audit_costs", "travel_expenses"}
    assert travel.title == "Travel and expenses" and "{cap}" in (travel.text or "")
    assert travel.span is not None and travel.span.path is None  # written in the SOW
    assert travel.taken_from is not None and travel.taken_from.path == str(deal / LIB)
    args = {a.id: a.value for a in travel.args}
    assert args["cap"] == V.Money(amount=750, currency="GBP", span=args["cap"].span)
    assert isinstance(args["approver"], V.Ref) and args["approver"].id == "northwind"
    # a date argument written as an anchor is a date
    audit = taken["audit_costs"]
    assert [type(a.value) for a in audit.args] == [V.Percentage, V.Duration]


def test_export_holds_the_composed_clause(deal: Path):
    done = CliRunner().invoke(main, ["export", SOW, "--to", "json"])
    assert done.exit_code == 0, done.output
    clause = next(c for c in json.loads(done.output)["clauses"] if c["id"] == "travel_expenses")
    assert clause["library"] == LIB and clause["title"] == "Travel and expenses"
    assert "{approver}" in clause["text"]
    assert [(p["id"], p["type"]) for p in clause["params"]] == [("approver", "party"), ("cap", "money")]
    assert {a["id"]: a["value"]["kind"] for a in clause["args"]} == {"approver": "ref", "cap": "money"}


# ------------------------------------------------------------------ diagnostics, where written
def test_an_unknown_clause_is_an_error_at_its_id(deal: Path):
    text = edit(deal / SOW, "clause travel_expenses {", "clause travel_expense {")
    assert found(deal / SOW, "BPO025") == [(SOW, *place(text, "travel_expense {", 0))]
    d = next(d for d in bpolang.load(deal / SOW).diagnostics if d.code == "BPO025")
    assert d.message == f"the library {LIB} has no clause `travel_expense`"
    assert d.help == "did you mean `travel_expenses`?"


def test_a_missing_argument_is_an_error_at_the_clause_with_the_parameter_in_a_label(deal: Path):
    text = edit(deal / SOW, "    with cap: 750 GBP\n", "")
    assert found(deal / SOW, "BPO026") == [(SOW, *place(text, "travel_expenses {"))]
    d = next(d for d in bpolang.load(deal / SOW).diagnostics if d.code == "BPO026")
    assert "needs `with cap: ...` (money)" in d.message
    lib = (deal / LIB).read_text(encoding="utf-8")
    assert d.notes == ["the parameter: {}:{}:{}".format(deal / LIB, *place(lib, "param cap"))]  # another file


def test_an_unknown_argument_is_an_error_at_its_name(deal: Path):
    text = edit(deal / SOW, "    with cap: 750 GBP\n", "    with cap: 750 GBP\n    with ceiling: 900 GBP\n")
    assert found(deal / SOW, "BPO027") == [(SOW, *place(text, "ceiling"))]
    assert "its parameters: `approver`, `cap`" in next(
        d.help for d in bpolang.load(deal / SOW).diagnostics if d.code == "BPO027"
    )


def test_an_argument_in_a_clause_written_here_is_an_error(deal: Path):
    text = edit(
        deal / SOW,
        "  clause travel_expenses {",
        '  clause gifts "Gifts" {\n    text: "None."\n    with cap: 5 GBP\n  }\n  clause travel_expenses {',
    )
    assert found(deal / SOW, "BPO027") == [(SOW, *place(text, "with cap: 5 GBP"))]


@pytest.mark.parametrize(
    "written,what",
    [
        ("750 days", "a duration"),
        ('"750 pounds"', "a text"),
        ("5%", "a percentage"),
        ("2027-01-01", "a date"),
        ("clearline", "the id `clearline`"),
        ("12", "a number"),
    ],
)
def test_an_argument_of_the_wrong_type_is_an_error_at_its_value(deal: Path, written: str, what: str):
    text = edit(deal / SOW, "with cap: 750 GBP", f"with cap: {written}")
    line, col = place(text, f"with cap: {written}")
    assert found(deal / SOW, "BPO028") == [(SOW, line, col + len("with cap: "))]
    assert message(deal / SOW, "BPO028") == (
        f"`cap` takes an amount of money (`param cap: money` in {LIB}), not {what}"
    )


def test_each_type_takes_its_values(deal: Path):
    lib = deal / LIB
    edit(
        lib,
        '    param cap "Ceiling of a single trip": money\n',
        (
            '    param cap "Ceiling of a single trip": money\n'
            "    param from_date: date\n    param count: number\n    param note: text\n    param rate: percentage\n"
        ),
    )
    edit(lib, 'written consent."""', 'written consent. {from_date} {count} {note} {rate}"""')
    args = '    with from_date: effective + 30 days\n    with count: 3\n    with note: "n"\n    with rate: tbd\n'
    edit(deal / SOW, "    with cap: 750 GBP\n", "    with cap: 750 GBP\n" + args)
    result = bpolang.load(deal / SOW)
    assert [d.code for d in result.diagnostics if d.code < "BPO100"] == []
    travel = next(c for c in result.contract.clauses if c.id == "travel_expenses")
    values = {a.id: a.value for a in travel.args}
    assert isinstance(values["from_date"], V.DateExpr) and values["from_date"].anchor == "effective"
    assert values["count"] == 3 and values["note"] == "n"
    assert isinstance(values["rate"], V.Unknown)  # to be agreed: any type
    # a party argument names a party of the contract
    edit(deal / SOW, "with approver: northwind", "with approver: complaints")
    assert [d.code for d in bpolang.load(deal / SOW).diagnostics if d.code < "BPO100"] == ["BPO019"]


def test_a_placeholder_naming_no_parameter_is_an_error_in_the_library(deal: Path):
    text = edit(deal / LIB, "in advance by {approver}", "in advance by {approved}")
    assert found(deal / LIB, "BPO029") == [(LIB, *place(text, "{approved}"))]
    assert message(deal / LIB, "BPO029") == "`{approved}` names no parameter of the clause `travel_expenses`"
    # and the contracts that take a clause of that library say where the library's first error is
    sow = (deal / SOW).read_text(encoding="utf-8")
    assert [f for f in found(deal / SOW, "BPO023") if f[0] == SOW] == [
        (SOW, *place(sow, '"msa.bpo"')),  # the master takes clauses of the library too
        (SOW, *place(sow, f'"{LIB}"')),
    ]


def test_a_missing_library_and_a_parameter_without_type(deal: Path):
    text = edit(deal / SOW, f'library: "{LIB}"', 'library: "schedules/standard.bpo"')
    assert found(deal / SOW, "BPO021") == [(SOW, *place(text, '"schedules/standard.bpo"'))]
    lib = edit(deal / LIB, 'param cap "Ceiling of a single trip": money', 'param cap "Ceiling of a single trip": tbd')
    assert found(deal / LIB, "BPO012") == [(LIB, *place(lib, "tbd"))]


def test_a_clause_taken_from_a_library_writes_no_text(deal: Path):
    text = edit(deal / SOW, "    with cap: 750 GBP\n", '    with cap: 750 GBP\n    text: "Mine."\n')
    assert found(deal / SOW, "BPO012") == [(SOW, *place(text, 'text: "Mine."'))]


def test_use_of_the_library_adds_only_its_clauses_without_parameters(deal: Path):
    edit(
        deal / LIB,
        "  clause compelled_disclosure",
        '  clause plain "Plain" {\n    text: "As written."\n  }\n  clause compelled_disclosure',
    )
    edit(deal / SOW, "  term: 24 months\n", f'  term: 24 months\n  use "{LIB}"\n')
    ids = [c.id for c in bpolang.load(deal / SOW).contract.clauses]
    assert ids.count("plain") == 1 and ids.count("travel_expenses") == 1


# ------------------------------------------------------------------ the tools
@pytest.mark.parametrize(
    "lang,values",
    [
        ("en", ["within 2 Business Days of", "more than 5% of", "within 30 days of", "by the Client.", "than £750.00"]),
        (
            "fr",
            [
                "within 2\u202fjours ouvrés of",
                "more than 5\u202f% of",
                "within 30\u202fjours of",
                "by le Client.",
                "than 750,00\u202fGBP",
            ],
        ),
    ],
)
def test_render_words_each_argument_in_the_documents_language(deal: Path, lang: str, values: list[str]):
    done = CliRunner().invoke(main, ["render", SOW, "--to", "md", "--lang", lang, "--consolidated"])
    assert done.exit_code == 0, done.output
    out = done.output
    own = CliRunner().invoke(main, ["render", SOW, "--to", "md", "--lang", lang]).output
    assert values[-2] in own and values[-1] in own  # the SOW's own clause, in its own document too
    for v in values:
        assert v in out, (v, out[out.find("Travel") - 2000 :])
    for raw in ("{notice}", "{threshold}", "{refund}", "{approver}", "{cap}", "750 GBP"):
        assert raw not in out


def test_each_sentence_of_a_taken_clause_states_its_text_and_its_arguments(deal: Path):
    from bpolang.render import document
    from bpolang.render.ir import pieces

    result = bpolang.load(deal / SOW)
    for lang in ("fr", "en"):
        found = [p for p in pieces(document(result.contract, result.resolution, lang)) if "audit" in p.text]
        by_text = {p.text.split(".")[0][:30]: set(p.origin.sources) for p in found if "clause" in p.section}
        first, second = (s for t, s in by_text.items())
        assert {"clauses[audit_costs].text", "clauses[audit_costs].args[threshold].value"} <= first
        assert "clauses[audit_costs].args[refund].value" not in first
        assert {"clauses[audit_costs].text", "clauses[audit_costs].args[refund].value"} <= second


def test_with_an_argument_to_be_agreed_the_document_says_so(deal: Path):
    edit(deal / SOW, "with cap: 750 GBP", "with cap: tbd")
    done = CliRunner().invoke(main, ["render", SOW, "--to", "md", "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert "may cost more than \\[to be agreed\\] without" in done.output, done.output[done.output.find("Travel") :]


def test_diff_reports_a_changed_argument(deal: Path, tmp_path: Path):
    before = tmp_path / "before"
    shutil.copytree(deal, before)
    edit(deal / SOW, "with cap: 750 GBP", "with cap: 900 GBP")
    done = CliRunner().invoke(main, ["diff", str(before / SOW), SOW])
    assert done.exit_code == 1, done.output
    assert "~ Clause “Travel and expenses” — Argument `cap` — Value: £750.00 → £900.00" in done.output
    assert "1 difference(s): 1 changed." in done.output
    fr = CliRunner().invoke(main, ["diff", str(before / SOW), SOW, "--lang", "fr"]).output
    assert "Argument `cap` — Valeur\u202f: 750,00\u202fGBP → 900,00\u202fGBP" in fr


def test_fmt_keeps_the_include_as_written(deal: Path):
    from bpolang.format.formatter import format_text

    for name in (SOW, "msa.bpo", LIB):
        text = (deal / name).read_text(encoding="utf-8")
        assert format_text(text) == text, name
    text = (deal / SOW).read_text(encoding="utf-8")
    messy = text.replace("    with cap: 750 GBP", "  with   cap:750 GBP").replace(
        f'    library: "{LIB}"', f'library:   "{LIB}"'
    )
    assert messy != text
    edit(deal / SOW, text, messy)
    done = CliRunner().invoke(main, ["fmt", SOW])
    assert done.exit_code == 0, done.output
    assert (deal / SOW).read_text(encoding="utf-8") == text


def test_go_to_definition_on_the_clause_opens_the_library(deal: Path):
    from bpolang.lsp.documents import Configs, Document, analyse
    from bpolang.lsp.navigation import definition, references

    text = (deal / SOW).read_text(encoding="utf-8")
    doc = Document((deal / SOW).as_uri())
    doc.update(analyse(text, 1, str(deal / SOW), "utf-16", Configs(None, True)))
    at = text.index("clause travel_expenses") + len("clause tr")
    (loc,) = definition(doc, at)
    lib = (deal / LIB).read_text(encoding="utf-8")
    line, col = place(lib, "travel_expenses")
    assert loc.uri == (deal / LIB).as_uri()
    assert (loc.range.start.line, loc.range.start.character) == (line - 1, col - 1)
    assert [x.uri for x in references(doc, at, include_declaration=False)] == [doc.uri]


def test_a_clause_model_declares_typed_parameters():
    """The library's side alone: `param` takes a type word, `{name}` in the text is checked."""
    result = bpolang.parse(
        'schedule lib "Lib" {\n  clause c "C" {\n    param n "N": duration\n    text: "Within {n}."\n  }\n}\n'
    )
    assert [d.code for d in result.diagnostics] == []
    (clause,) = result.contract.clauses
    assert [(p.id, p.title, p.type) for p in clause.params] == [("n", "N", "duration")]
    assert isinstance(clause.params[0], C.Param)
    wrong = bpolang.parse('schedule lib "Lib" {\n  clause c "C" {\n    param n: days\n    text: "{n}"\n  }\n}\n')
    assert [(d.code, d.span.line, d.span.col) for d in wrong.diagnostics][:1] == [("BPO012", 3, 14)]


def test_the_cache_keys_on_the_library_and_rename_reaches_it(deal: Path):
    from bpolang.lsp.documents import Configs, Document, analyse
    from bpolang.lsp.navigation import rename

    result = bpolang.load(deal / SOW)
    assert str(deal / LIB) in [path for path, _digest in result.dependencies]
    text = (deal / SOW).read_text(encoding="utf-8")
    doc = Document((deal / SOW).as_uri())
    doc.update(analyse(text, 1, str(deal / SOW), "utf-16", Configs(None, True)))
    edit_ = rename(doc, text.index("clause travel_expenses") + len("clause tr"), "expenses")
    assert edit_ is not None and edit_.changes is not None
    lib = (deal / LIB).read_text(encoding="utf-8")
    changed = {
        uri: [(e.range.start.line, e.range.start.character) for e in edits] for uri, edits in edit_.changes.items()
    }
    line, col = place(text, "travel_expenses {")
    lib_line, lib_col = place(lib, "travel_expenses")
    assert changed == {doc.uri: [(line - 1, col - 1)], (deal / LIB).as_uri(): [(lib_line - 1, lib_col - 1)]}
