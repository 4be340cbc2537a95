"""Contracts in several files: a statement of work under its master, schedules shared by path.

A contract names its master (`under: "msa.bpo"`) and includes shared schedules
(`use "schedules/dpa.bpo"`), each by a path relative to the file that writes it.  :func:`compose`
reads those files (through the loader the pipeline gives, so this layer reads nothing itself),
and makes one contract of them, the one the references and the rules see:

- a schedule's terms are added to the contract that uses it (a term both write is an error);
- a statement of work inherits every term of its master it does not write; it may add blocks
  with new ids, but it replaces a master's term (a key, a block, a block with the same id) only
  where the master lists that term in `overridable`.

Every term keeps the span of the file it is written in (the span's ``path``), so a finding about
an inherited term points at the master.  A path that leaves the project (the folder of the
nearest bpolang.toml or pyproject.toml), a missing file, a ring of includes and a file with errors
are diagnostics where the path is written, and no file outside the project is ever read.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bpolang.base.diagnostics import Diagnostic, Label, Severity, Span
from bpolang.base.errors import InputError
from bpolang.base.source import Source
from bpolang.model import contract as C
from bpolang.model.build import TOP_KEYWORDS, make_diag
from bpolang.model.values import DateExpr, Duration, Money, Percentage, Ref, Unknown
from bpolang.syntax.nodes import Block

# how deep files may include one another (a master, its schedule, the schedule's own schedule...):
# far above any deal, far below Python's recursion limit
MAX_DEPTH = 16

# the fields of a contract that say how it is composed, not terms of it
COMPOSITION = frozenset({"span", "id", "title", "under", "uses", "overridable", "translations"})


def carried(translations: dict[str, dict[str, str]], name: str, offset: int = 0) -> dict[str, dict[str, str]]:
    """The translations of the texts of the field `name` (its text, its items, the texts of its phrase
    form), for a field taken from another file; its items moved `offset` places along."""
    out: dict[str, dict[str, str]] = {}
    for place, given in translations.items():
        field, _, rest = place.partition(".")
        if field != name:
            continue
        if offset and rest.split(".", 1)[0].isdigit():
            index, _, tail = rest.partition(".")
            rest = str(int(index) + offset) + (f".{tail}" if tail else "")
        out[f"{name}.{rest}" if rest else name] = given
    return out


@dataclass
class Part:
    """A file read for another's composition: its text, syntax tree, model and own diagnostics."""

    source: Source
    syntax: Any
    contract: C.Contract | None
    diagnostics: list[Diagnostic]
    digest: str  # sha256 of the file's bytes, for the cache


Loader = Callable[[str], Part]  # raises InputError when the file cannot be read


@dataclass
class Composition:
    contract: C.Contract
    diagnostics: list[Diagnostic] = field(default_factory=list)
    parts: dict[str, Part] = field(default_factory=dict)  # by the path stamped on their spans


def composes(contract: C.Contract | None) -> bool:
    """Whether a contract names a master, includes a schedule or takes a clause from a library."""
    return contract is not None and (
        isinstance(contract.under, str) or bool(contract.uses) or any(takes_from_library(c) for c in contract.clauses)
    )


def takes_from_library(clause: C.Clause) -> bool:
    """Whether a clause is taken from a clause library (`library: "schedules/clauses.bpo"`)."""
    return isinstance(clause.library, str)


def term_fields() -> list[str]:
    """The fields of a contract that are terms (what a master gives and a schedule adds)."""
    return [name for name in C.Contract.model_fields if name not in COMPOSITION]


def term_of(word: str) -> str | None:
    """The field a word of `overridable` names: a field (`service_levels`) or its keyword (`sla`)."""
    if word in C.Contract.model_fields and word not in COMPOSITION:
        return word
    for name, how in C.Contract.BPO.items():
        if how.keyword == word and name not in COMPOSITION:
            return name
    return None


@dataclass
class _File:
    """A file of the composition: ``stamp`` is the path on its spans (None for the file under check)."""

    path: str | None
    stamp: str | None
    source: Source
    syntax: Any

    def top(self) -> Block | None:
        body = getattr(self.syntax, "body", None) or []
        return next((s for s in body if isinstance(s, Block) and s.header.keyword in TOP_KEYWORDS), None)

    def span(self, start: int, end: int) -> Span:
        line, col = self.source.index.line_col(start)
        end_line, end_col = self.source.index.line_col(end)
        return Span(start=start, end=end, line=line, col=col, end_line=end_line, end_col=end_col, path=self.stamp)

    def key(self, name: str) -> Span | None:
        """Where a key or single block of the file's contract is written (its whole statement)."""
        top = self.top()
        if top is None:
            return None
        how = C.Contract.BPO.get(name)
        keyword = how.keyword if how is not None else name
        for s in top.body:
            if s.header.keyword == keyword:
                return self.span(s.header.start, s.header.end)
        return None

    def value(self, name: str) -> Span | None:
        top = self.top()
        for s in top.body if top is not None else ():
            if s.header.keyword == name and hasattr(s, "value"):
                return self.span(s.value.start, s.value.end)
        return self.key(name)

    @property
    def name(self) -> str:
        return self.path or "<stdin>"

    def statement_at(self, span: Span | None) -> Any:
        """The statement written at ``span`` (a clause, an argument), found in the file's syntax tree."""
        stack = list(getattr(self.syntax, "body", None) or []) if span is not None else []
        while stack:
            s = stack.pop()
            if s.start == span.start:  # type: ignore[union-attr]
                return s
            if isinstance(s, Block) and s.start <= span.start <= s.close:  # type: ignore[union-attr]
                stack.extend(s.body)
        return None

    def entry_value(self, block: Span | None, key: str | None = None) -> Span | None:
        """Where the value of the entry written at ``block`` is, or of its entry `key` (a clause's `library`)."""
        stmt = self.statement_at(block)
        if key is not None and isinstance(stmt, Block):
            stmt = next((e for e in stmt.body if e.header.keyword == key), None)
        value = getattr(stmt, "value", None)
        return self.span(value.start, value.end) if value is not None else None


class _Composer:
    def __init__(self, top: _File, loader: Loader) -> None:
        from bpolang.base.fileio import project_root

        self.loader = loader
        self.root = project_root(top.path if top.path not in (None, "<stdin>") else None)
        self.diagnostics: list[Diagnostic] = []
        self.parts: dict[str, Part] = {}
        self.titles: dict[str, str] = {}  # the files the top file names, by the path it writes

    # -------------------------------------------------------------- reading
    def _error(self, code: str, message: str, span: Span | None, **kw: Any) -> None:
        self.diagnostics.append(make_diag(code, message, span, **kw))

    def read(self, at: _File, written: str, span: Span | None, chain: list[str], want: str) -> _File | None:
        """The file a path written in ``at`` names, read and checked; None (and a diagnostic) if it cannot be."""
        base = os.path.dirname(at.path) if at.path not in (None, "<stdin>") else os.getcwd()
        path = os.path.normpath(os.path.join(base, written))
        real = os.path.realpath(path)
        root = str(self.root)
        if os.path.commonpath([real, root]) != root:
            self._error(
                "BPO021",
                f'"{written}" is outside the project folder {root}',
                span,
                help="a contract includes only files of its project (the folder of its bpolang.toml)",
            )
            return None
        if len(chain) >= MAX_DEPTH:
            self._error(
                "BPO023",
                f'"{written}" is included {len(chain)} files deep; the limit is {MAX_DEPTH}',
                span,
                help="include the schedules from the master directly",
            )
            return None
        if real in chain:
            ring = [os.path.relpath(p, root) for p in chain[chain.index(real) :]] + [os.path.relpath(real, root)]
            self._error(
                "BPO022",
                f'"{written}" includes this file again: ' + " -> ".join(ring),
                span,
                help="a file cannot include itself, directly or through others",
            )
            return None
        part = self.parts.get(path)
        if part is None:
            try:
                part = self.loader(path)
            except InputError as exc:
                self._error("BPO021", f"cannot include {exc}", span, help="check the path, relative to this file")
                return None
            self.parts[path] = part
        errors = [d for d in part.diagnostics if d.severity is Severity.ERROR]
        if part.contract is None or errors:
            self._has_errors(written, path, errors, span)
            return None
        if part.contract.is_schedule != (want == "schedule"):
            kind = "a schedule" if part.contract.is_schedule else "a contract"
            self._error(
                "BPO023",
                f'"{written}" is {kind}, not {"a schedule" if want == "schedule" else "a master contract"}',
                span,
                help="`use` includes a `schedule`; `under` names the master `contract`",
            )
            return None
        return _File(path, path, part.source, part.syntax)

    def _has_errors(self, written: str, path: str, errors: list[Diagnostic], span: Span | None) -> None:
        first = errors[0] if errors else None
        where = f"{first.span.path or path}:{first.span.line}:{first.span.col}" if first and first.span else path
        self._error(
            "BPO023",
            f'"{written}" has errors; the first: {first.message if first else "no contract"}',
            span,
            notes=[f"at {where}"],
            help=f"fix {path} first (`bpo check {path}`)",
        )

    def _expand_part(self, written: str, at: _File, part: _File, span: Span | None, chain: list[str]) -> C.Contract:
        """An included file composed in turn; an error in its own includes is said at the include
        of the file under check too."""
        model = self.parts[part.stamp or ""].contract
        assert model is not None
        if at.stamp is None and model.title is not None:  # a file the one under check names
            self.titles.setdefault(written, model.title)
        mark = len(self.diagnostics)
        composed = self.expand(model, part, chain)
        errors = [d for d in self.diagnostics[mark:] if d.severity is Severity.ERROR]
        if errors and at.stamp is None:  # said once, in the file under check (each is where it is written)
            self._has_errors(written, part.stamp or "", errors, span)
        return composed

    # -------------------------------------------------------------- composing
    def expand(self, contract: C.Contract, at: _File, chain: list[str]) -> C.Contract:
        """The contract with its library clauses, its schedules and its master composed in, recursively."""
        here = chain + [os.path.realpath(at.path)] if at.path not in (None, "<stdin>") else chain
        if any(takes_from_library(cl) for cl in contract.clauses):
            clauses = [self.take_clause(cl, at, here) if takes_from_library(cl) else cl for cl in contract.clauses]
            contract = contract.model_copy(update={"clauses": clauses})
        for use in contract.uses:
            if use.title is None:
                continue
            used = self.read(at, use.title, use.span, here, "schedule")
            if used is not None:
                schedule = self._expand_part(use.title, at, used, use.span, here)
                contract = self.add_schedule(contract, schedule, at, used)
        if isinstance(contract.under, str):
            span = at.value("under")
            master = self.read(at, contract.under, span, here, "contract")
            if master is not None:
                contract = self.inherit(self._expand_part(contract.under, at, master, span, here), contract, at, master)
        return contract

    # -------------------------------------------------------------- the clause library
    def take_clause(self, clause: C.Clause, at: _File, chain: list[str]) -> C.Clause:
        """A clause taken from a library: the library's title and text, with the arguments checked
        against its parameters (each converted to its parameter's type)."""
        assert isinstance(clause.library, str)
        where = at.entry_value(clause.span, "library") or clause.span
        used = self.read(at, clause.library, where, chain, "schedule")
        if used is None:
            return clause
        library = self._expand_part(clause.library, at, used, where, chain)
        models = {cl.id: cl for cl in library.clauses if cl.id is not None and cl.text is not None}
        model = models.get(clause.id) if clause.id is not None else None
        if model is None:
            import difflib

            close = difflib.get_close_matches(clause.id or "", list(models), n=1)
            self._error(
                "BPO025",
                f"the library {clause.library} has no clause `{clause.id}`",
                clause.id_span,
                help=f"did you mean `{close[0]}`?"
                if close
                else "its clauses: " + (", ".join(f"`{c}`" for c in models) or "none"),
            )
            return clause
        params = {p.id: p for p in model.params}
        args: list[C.Argument] = []
        for arg in clause.args:
            param = params.get(arg.id)
            if param is None:
                self._error(
                    "BPO027",
                    f"`{arg.id}` is no parameter of the clause `{model.id}` of {clause.library}",
                    arg.id_span,
                    labels=[Label(span=model.id_span, message="the library's clause")] if model.id_span else [],
                    help="its parameters: " + (", ".join(f"`{p}`" for p in params) or "none"),
                )
                continue
            value = typed(param.type, arg.value)
            if value is None:
                self._error(
                    "BPO028",
                    f"`{arg.id}` takes {TYPE_NAMES[param.type]} (`param {param.id}: {param.type}` in "
                    f"{clause.library}), not {_found(arg.value)}",
                    at.entry_value(arg.span) or arg.span,
                    labels=[Label(span=param.span, message="the parameter")] if param.span else [],
                    help=f"write {TYPE_EXAMPLES[param.type]}",
                )
                continue
            args.append(arg.model_copy(update={"value": value}) if value is not arg.value else arg)
        given = {a.id for a in clause.args}
        for p in model.params:
            if p.id not in given:
                self._error(
                    "BPO026",
                    f"the clause `{model.id}` of {clause.library} needs `with {p.id}: ...` ({p.type})",
                    clause.id_span,
                    labels=[Label(span=p.span, message="the parameter")] if p.span else [],
                    help=f"add `with {p.id}: {TYPE_EXAMPLES[p.type].split('`')[1]}` to the clause",
                )
        # the library's title and text come with their translations
        translations = {k: v for k, v in clause.translations.items() if k.split(".")[0] not in ("title", "text")}
        translations |= carried(model.translations, "title") | carried(model.translations, "text")
        taken = clause.model_copy(
            update={
                "title": model.title,
                "text": model.text,
                "params": model.params,
                "args": args,
                "translations": translations,
            }
        )
        taken._taken = model.id_span
        return taken

    def add_schedule(self, contract: C.Contract, schedule: C.Contract, at: _File, used: _File) -> C.Contract:
        update: dict[str, Any] = {}
        translations = dict(contract.translations)
        for name in term_fields():
            if name == "language":
                continue
            mine, theirs = getattr(contract, name), getattr(schedule, name)
            if name == "clauses":  # a clause with parameters is a model, taken with `library`
                theirs = [cl for cl in theirs if not cl.params]
            if theirs is None or theirs == []:
                continue
            if isinstance(mine, list):
                update[name] = mine + theirs
                translations |= carried(schedule.translations, name, len(mine))
            elif mine is None:
                update[name] = theirs
                translations |= carried(schedule.translations, name)
            else:
                where = used.key(name)
                self._error(
                    "BPO024",
                    f"`{_keyword(name)}` is written both here and in the schedule {used.name}",
                    at.key(name),
                    labels=[Label(span=where, message="also written here")] if where is not None else [],
                    help="write it in one place",
                )
        if translations != contract.translations:
            update["translations"] = translations
        return contract.model_copy(update=update) if update else contract

    def inherit(self, master: C.Contract, sow: C.Contract, at: _File, where: _File) -> C.Contract:
        allowed = {t for t in (term_of(w) for w in master.overridable) if t is not None}
        update: dict[str, Any] = {}
        translations = dict(sow.translations)
        for name in term_fields():
            mine, theirs = getattr(sow, name), getattr(master, name)
            if theirs is None or theirs == []:
                continue
            if mine is None or mine == []:
                update[name] = theirs
                translations |= carried(master.translations, name)
                continue
            if isinstance(mine, list) and all(isinstance(e, C.Element) for e in mine + theirs):
                update[name] = self._merge_elements(name, theirs, mine, name in allowed, where)
                continue
            if name not in allowed:
                self._refuse(name, at.key(name), where.key(name), where)
                update[name] = theirs
                translations = {k: v for k, v in translations.items() if k.split(".")[0] != name}
                translations |= carried(master.translations, name)
        if translations != sow.translations:
            update["translations"] = translations
        return sow.model_copy(update=update) if update else sow

    def _merge_elements(self, name: str, theirs: list, mine: list, allowed: bool, where: _File) -> list:
        """The master's elements, those of the same id replaced by the statement of work's (if allowed)."""
        out = list(theirs)
        position = {e.id: i for i, e in enumerate(theirs) if e.id is not None}
        for e in mine:
            i = position.get(e.id) if e.id is not None else None
            if i is None:
                out.append(e)
            elif allowed:
                out[i] = e
            else:
                self._refuse(name, e.id_span, out[i].id_span, where, f"`{_keyword(name)} {e.id}`")
        return out

    def _refuse(self, name: str, span: Span | None, master: Span | None, where: _File, what: str = "") -> None:
        what = what or f"`{_keyword(name)}`"
        self._error(
            "BPO024",
            f"{what} is a term of the master {where.name}, which does not let a statement of work override `{name}`",
            span,
            labels=[Label(span=master, message="the master's term")] if master is not None else [],
            help=f"remove it here (the master's applies), or add `{name}` to the master's `overridable`",
        )

    def check_overridable(self, contract: C.Contract, at: _File) -> None:
        unknown = [w for w in contract.overridable if term_of(w) is None]
        if unknown:
            self._error(
                "BPO017",
                "`overridable` names no term of a contract: " + ", ".join(f"`{w}`" for w in unknown),
                at.value("overridable"),
                help="name keys or blocks of a contract: `term`, `pricing`, `service_levels` (or `sla`)",
            )


# how each type of parameter is written, for the help of a missing or wrong argument
TYPE_EXAMPLES = {
    "duration": "a duration such as `30 days`",
    "money": "an amount of money such as `50000 EUR`",
    "percentage": "a percentage such as `5%`",
    "date": "a date such as `2027-01-01` or `effective + 30 days`",
    "number": "a whole number such as `3`",
    "text": 'a text in quotes such as `"the Client\'s premises"`',
    "party": "the id of a party such as `acme`",
}


# what an argument of each type is, for the message of one of the wrong type
TYPE_NAMES = {
    "duration": "a duration",
    "money": "an amount of money",
    "percentage": "a percentage",
    "date": "a date",
    "number": "a whole number",
    "text": "a text",
    "party": "a party",
}


def _found(value: Any) -> str:
    if isinstance(value, Ref):
        return f"the id `{value.id}`"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, int):
        return "a number"
    names: dict[type, str] = {Duration: "duration", Money: "money", Percentage: "percentage", DateExpr: "date"}
    kind = names.get(type(value))
    return TYPE_NAMES[kind] if kind is not None else "a value of another type"


def typed(kind: str, value: Any) -> Any:
    """An argument as its parameter's type takes it, or None when it is not one (`tbd` is any type)."""
    if isinstance(value, Unknown):
        return value
    if kind == "date" and isinstance(value, Ref):  # `effective`, a milestone: a date anchored on it
        return DateExpr(anchor=value.id, span=value.span)
    wanted: dict[str, Any] = {
        "duration": Duration,
        "money": Money,
        "percentage": Percentage,
        "date": DateExpr,
        "text": str,
        "party": Ref,
    }
    if kind == "number":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    return value if isinstance(value, wanted[kind]) else None


def _keyword(name: str) -> str:
    how = C.Contract.BPO.get(name)
    return how.keyword if how is not None else name


def compose(contract: C.Contract, source: Source, syntax: Any, loader: Loader) -> Composition:
    """The contract of a file with its master and schedules composed in (see the module)."""
    top = _File(source.path, None, source, syntax)
    composer = _Composer(top, loader)
    if contract.overridable:
        composer.check_overridable(contract, top)
    if not composes(contract):
        return Composition(contract, composer.diagnostics)
    composed = composer.expand(contract, top, [])
    if composed is contract:
        composed = contract.model_copy()
    composed._included = composer.titles
    return Composition(composed, composer.diagnostics, composer.parts)
