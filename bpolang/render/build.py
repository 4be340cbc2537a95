"""Build the document model of a contract: articles in a lawyer's order, then annexes.

Articles with nothing to say are left out and the rest numbered consecutively; cross-
references (`voir l’article 7`, `see Article 7`) are filled in from that numbering.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from typing import Any

from bpolang.i18n.fmt import Fmt, clean
from bpolang.model import contract as C
from bpolang.model.build import PLACEHOLDER
from bpolang.model.laws import paper_of_law
from bpolang.model.values import DateExpr, Recurrence, Unknown
from bpolang.render import provenance
from bpolang.render.ir import Bullets, Document, Para, Run, Section, Table

_STOP = "\x02"  # a value's final full stop, kept unless the sentence puts its own right after it


class Builder:
    def __init__(self, contract: C.Contract, resolution: Any, lang: str, master: Any = None):
        self.c = contract
        # a statement of work rendered as itself: the master's articles it refers to (bpolang.render.sow)
        self.master = master
        self.res = resolution
        self.lang = lang
        self.f = Fmt.for_contract(contract, lang)
        self.terms = self.f.party_terms
        self.names = self.f.names
        self.f.msg = _NotedKeys(self.f.msg)
        self.u = self.f.user
        sides: list[C.Party | C.PartyGroup] = [*contract.party_groups, *contract.parties]
        self.client = next((p for p in sides if self.terms.get(p.id or "") == "client"), None)
        self.provider = next((p for p in sides if self.terms.get(p.id or "") == "provider"), None)

    # ------------------------------------------------------------ helpers
    def t(self, key: str, **kw: Any) -> str:
        """A catalog sentence with its values; a value ending with a full stop (`Corp.`) before the
        sentence's own full stop is not followed by a second one."""
        _note_key(key)
        values = {**self.f.base_kw(), **kw}
        marked = {k: v[:-1] + _STOP if isinstance(v, str) and v.endswith(".") else v for k, v in values.items()}
        return self.f.msg[key].format(**marked).replace(_STOP + ".", ".").replace(_STOP, ".")

    @functools.cached_property
    def gdpr(self) -> bool:
        """The GDPR (or the UK GDPR) reaches personal data of the contract: the gate of the rules."""
        from bpolang.check.rules.law import protected_data

        with self.unnoted():  # a gate on the whole contract: the sentences it opens state their own values
            return bool(protected_data(self.rules_context()))

    def rules_context(self) -> Any:
        """The contract as the rules see it (bpolang.check.rules.context.Context): the laws that reach
        it decide which law's wording a sentence takes."""
        from types import SimpleNamespace

        from bpolang.check.rules.context import Context

        source = SimpleNamespace(index=None, text="")
        return Context(SimpleNamespace(contract=self.c, resolution=self.res, source=source, syntax=None))

    def unnoted(self) -> Any:
        """Reads that decide something about the whole contract, not a value a sentence states."""
        rec = provenance.current()
        return rec.paused() if rec is not None else contextlib.nullcontext()

    def note(self, value: Any) -> None:
        """A value a sentence states, found by a walk made inside :meth:`unnoted`."""
        rec = provenance.current()
        if rec is not None:
            rec.note(value)

    def reads(self) -> provenance.Origin:
        """What was read since the last piece of the document was made, taken (see :meth:`renote`)."""
        return provenance.take()

    def renote(self, origin: provenance.Origin) -> None:
        """Note again what :meth:`reads` took: values that several sentences made in a loop all state."""
        rec = provenance.current()
        if rec is not None:
            for path in origin.sources:
                rec.note_path(path)
            for key in origin.keys:
                rec.key(key)

    def note_dating(self) -> None:
        """A computed date states what every date of the contract is computed from: the effective date,
        the term or end date, and the business-day calendar (declared, or the governing law's holidays)."""
        rec = provenance.current()
        if rec is not None:
            for name in ("effective", "term", "end", "calendar", "calendars", "governing_law"):
                rec.note_block(name)

    def note_path(self, path: str) -> None:
        """A term the sentence about to be made states by reference, named by its model path (the
        master's terms a statement of work refers to: bpolang.render.sow)."""
        rec = provenance.current()
        if rec is not None:
            rec.note_path(path)

    def note_block(self, block_id: str) -> None:
        """A block the sentence about to be made states, named by its id (see Recorder.note_block)."""
        rec = provenance.current()
        if rec is not None:
            rec.note_block(block_id)

    def field(self, label_key: str, value: str) -> Para:
        return Para([Run(self.t("field", label=self.f.msg[label_key], value=value))])

    def p(self, *parts: str | Run) -> Para:
        return Para([x if isinstance(x, Run) else Run(x) for x in parts])

    def msg_with_ref(self, key: str, target: str, **kw: Any) -> Para:
        text = self.t(key, ref="\x00", **kw)
        before, after = text.split("\x00", 1)
        return Para([Run(before), Run("", xref=target), Run(after)])

    def intro_list(self, key: str, values: list[Any], word: Any) -> list[Para | Bullets]:
        """An introducing sentence and its bullet list, one item a value worded by `word`
        (nothing when the list is empty)."""
        if not values:
            return []
        return [self.p(self.t(key)), Bullets(self.items(values, word))]

    def items(self, values: list[Any], word: Any) -> list[list[Run]]:
        """Bullet items, one a value of a list of the contract, each with that item as its source."""
        out = []
        for i, v in enumerate(values):
            text = word(v)
            self.note_item(values, i)
            out.append([Run(text)])
        return out

    def note_item(self, values: list[Any], i: int) -> None:
        """The piece about to be made states item `i` of a list of the contract (a plain value: a
        block of the list is noted by the reads of its own fields)."""
        rec = provenance.current()
        base = rec.paths.get(id(values)) if rec is not None else None
        if rec is not None and base is not None and not isinstance(values[i], (C.Node, C.Phrasal)):
            rec.note_path(f"{base}[{i}]")

    def row(self, cells: list[str]) -> list[str]:
        """A table row made now: it states what was read since the previous piece of the document."""
        rec = provenance.current()
        return rec.row(cells) if rec is not None else cells

    def m(self, v: Any, fn=None) -> str:
        return self.f.maybe(v, fn)

    def date_of(self, expr: Any) -> dt.date | None:
        if isinstance(expr, DateExpr) and self.res is not None:
            self.note_dating()
            try:
                return self.res.date_of(expr)
            except Exception:  # pragma: no cover - a date that cannot be computed is shown unresolved
                return None
        return None

    def when(self, expr: Any) -> str:
        """A due date or schedule, with the computed date when there is one."""
        if expr is None:
            return ""
        if isinstance(expr, Recurrence):
            return self.f.recurrence(expr)
        if isinstance(expr, Unknown):
            return self.f.unknown(expr)
        resolved = self.date_of(expr)
        if expr.date is not None and not expr.offsets:
            resolved = None
        return self.f.date_expr(expr, resolved)

    def paras_of_text(self, text: str, args: dict[str, C.Argument] | None = None) -> list[Para]:
        """Free text: blank lines separate paragraphs, single newlines are wrapping. With ``args``
        (a clause taken from a library), each `{name}` is its argument, worded in the document's language."""
        origin = self.reads()  # what the text is read from: each of its paragraphs states it
        text, written_in = self.f.pick(text)  # its translation into the document's language, if given
        out = []
        for chunk in clean(text).split("\n\n"):
            chunk = " ".join(line.strip() for line in chunk.split("\n") if line.strip())
            if chunk:
                self.renote(origin)
                if args is None:
                    # each paragraph the contract's words, whole
                    out.append(Para([Run(self.f.user(chunk, written_in))]))
                else:
                    out.append(Para(self.filled(chunk, args, written_in)))
        return out

    def filled(self, chunk: str, args: dict[str, C.Argument], written_in: str | None = None) -> list[Run]:
        """A paragraph of a library clause: its words as written, each `{name}` its argument's value
        (one run each, so that each states its own argument); an argument not given is to be agreed."""
        runs, pos = [], 0
        for m in PLACEHOLDER.finditer(chunk):
            if m.start() > pos:
                runs.append(Run(self.f.user(chunk[pos : m.start()], written_in)))
            arg = args.get(m.group(1))
            value = arg.value if arg is not None else Unknown(unknown="tbd")
            runs.append(Run(self.when(value) if isinstance(value, DateExpr) else self.f.value(value)))
            pos = m.end()
        if pos < len(chunk):
            runs.append(Run(self.f.user(chunk[pos:], written_in)))
        return runs

    def yes_no(self, v: Any, key: str, **kw: Any) -> str | None:
        """`key_yes` / `key_no` sentence for a flag; the unknown placeholder for unknown; None when not given."""
        if v is None:
            return None
        if isinstance(v, Unknown):
            return self.t(key + "_unknown", value=self.f.unknown(v), **kw)
        return self.t(key + ("_yes" if v else "_no"), **kw)

    def flags(self, node: Any, *pairs: tuple[str, str]) -> list[Para]:
        """A yes/no sentence (:meth:`yes_no`) for each given `(field, key)` of a block, each read
        when its sentence is made, so that each states its own field."""
        out = []
        for name, key in pairs:
            text = self.yes_no(getattr(node, name), key)
            if text:
                out.append(self.p(text))
        return out

    # ------------------------------------------------------------ document
    def build(self) -> Document:
        with provenance.recording(self.c):
            return self._build()

    def _build(self) -> Document:
        c = self.c
        from bpolang.render.articles import ANNEXES, ARTICLES

        articles = [a for a in _sections(self, ARTICLES) if a.blocks or a.subsections]
        annexes = [a for a in _sections(self, ANNEXES) if a.blocks or a.subsections]
        for i, a in enumerate(articles, 1):
            a.number, a.label, a.anchor = str(i), self.t("article_label", n=i), f"article-{i}"
            for j, s in enumerate(a.subsections, 1):
                s.number, s.anchor = f"{i}.{j}", f"article-{i}-{j}"
        for i, a in enumerate(annexes, 1):
            a.number, a.label, a.anchor = str(i), self.t("annex_label", n=i), f"annex-{i}"
            for j, s in enumerate(a.subsections, 1):
                s.number, s.anchor = f"{i}.{j}", f"annex-{i}-{j}"
        title = self.u(c.title or c.id or "")
        preamble = _fresh(self.preamble) + _fresh(self.recitals)
        signature = _fresh(self.signature)
        # once every text is written: whether one of them is quoted untranslated
        preamble[:0] = _fresh(self.language_note)
        doc = Document(
            lang=self.lang,
            title=title,
            preamble=preamble,
            articles=articles,
            signature=signature,
            annexes=annexes,
            date=self.res.effective if self.res is not None else None,
            paper=paper_of_law(c.governing_law if isinstance(c.governing_law, str) else None),
        )
        self.resolve_xrefs(doc, articles, annexes)
        return doc

    def resolve_xrefs(self, doc: Document, articles: list[Section], annexes: list[Section]) -> None:
        where: dict[str, tuple[str, str]] = {}
        for a in articles:
            where[a.key] = (self.t("ref_article", n=a.number), a.anchor)
            for s in a.subsections:
                where.setdefault(s.key, (self.t("ref_article", n=s.number), s.anchor))
        for a in annexes:
            where[a.key] = (self.t("ref_annex", n=a.number), a.anchor)
        fallback = self.f.msg["ref_missing"]

        def fix(runs: list[Run]) -> None:
            for r in runs:
                if r.xref is not None:
                    if r.xref in where:
                        r.text, anchor = where[r.xref]
                        r.href = "#" + anchor
                    else:
                        r.text = fallback

        def walk(blocks: list) -> None:
            for b in blocks:
                if isinstance(b, Para):
                    fix(b.runs)
                elif isinstance(b, Bullets):
                    for item in b.items:
                        fix(item)

        walk(doc.preamble)
        walk(doc.signature)
        for s in doc.sections():
            walk(s.blocks)

    # ------------------------------------------------------------ preamble
    def preamble(self) -> list:
        blocks: list = [Para([Run(self.f.msg["between"], bold=True)], style="center")]
        parties = self.c.parties
        # a group of parties is defined right after the last of its members
        position = {p.id: i for i, p in enumerate(parties) if p.id}
        after: dict[int, list[C.PartyGroup]] = {}
        for group in self.c.party_groups:
            known = [position[m.id] for m in group.members if m.id in position]
            after.setdefault(max(known, default=len(parties) - 1), []).append(group)
        for i, party in enumerate(parties):
            blocks.append(self.party_para(party))
            blocks.extend(self.group_para(g) for g in after.get(i, []))
            if i < len(parties) - 1:
                blocks.append(Para([Run(self.f.msg["and_party"], bold=True)], style="center"))
        if self.client is not None and self.provider is not None:
            blocks.append(self.p(self.t("parties_defined")))
        return blocks

    def recitals(self) -> list[Para]:
        """The recitals the contract states, lettered in order, then the words that open its articles."""
        blocks: list[Para] = []
        if self.c.recitals:
            blocks.append(Para([Run(self.t("recitals_intro"), bold=True)]))
            recitals = self.c.recitals
            for i, text in enumerate(recitals):
                self.note_item(recitals, i)
                blocks.append(self.p(self.t("recital", letter=_letter(i), text=self.m(text))))
        blocks.append(Para([Run(self.t("agreed_as_follows"), bold=True)]))
        return blocks

    def language_note(self) -> list[Para]:
        """A document in a language the contract is not written in says so when it quotes some of the
        contract's own words (titles, descriptions, clauses) as written, in the contract's `language`:
        those the contract does not translate into the document's language (`"..." / en: "..."`).
        Made once the rest of the document is, which writes those texts."""
        with self.unnoted():
            written = self.c.language
        if written is None or written == self.lang or not self.f.untranslated:
            return []
        from babel import Locale

        rec = provenance.current()
        if rec is not None:
            rec.note_path("language")
        name = Locale.parse(self.f.locale).languages.get(written, written)
        return [Para([Run(self.t("text_language", language=name), italic=True)], style="note")]

    def group_para(self, group: C.PartyGroup) -> Para:
        """Parties acting together: their names, the group's defined term, how they are bound."""
        f = self.f
        names = [
            self.f.party_name(el) if isinstance(el := self.names.get(m.id), C.Party) else m.id for m in group.members
        ]
        how = ""
        if isinstance(group.liability, str):
            how = f.msg["group_" + group.liability]
        elif isinstance(group.liability, Unknown):
            how = ", " + f.unknown(group.liability)
        role = self.terms.get(group.id or "")
        hereinafter = ""
        if role in ("client", "provider"):
            hereinafter = self.t(
                "group_hereinafter", bare=f.msg[f"term_{role}_bare"], article=f.msg[f"term_{role}_article"]
            )
        term = f.quote(self.u(group.title or group.id or ""))
        return self.p(self.t("group_defined", members=f.join(names), term=term, how=how, hereinafter=hereinafter))

    def party_para(self, party: C.Party) -> Para:
        f = self.f
        runs = [Run(self.u(party.title or party.id or ""), bold=True)]
        bits = []
        if party.legal_form is not None:
            bits.append(self.m(party.legal_form))
        if party.registration is not None:
            bits.append(self.t("registered", value=self.m(party.registration)))
        if party.address is not None:
            bits.append(self.t("address", value=self.m(party.address)))
        if party.representative is not None:
            bits.append(self.t("represented_by", value=self.m(party.representative)))
        if party.email is not None:
            bits.append(self.t("email", value=self.m(party.email)))
        if party.country is not None:
            bits.append(self.t("established_in", value=self.m(party.country, f.word)))
        if party.financial_entity is True:
            bits.append(f.msg["financial_entity"])
        if party.public_authority is True:
            bits.append(f.msg["public_authority"])
        text = "".join(", " + b for b in bits)
        role = self.terms.get(party.id or "")
        if role == "client":
            text += self.t("hereinafter", bare=f.msg["term_client_bare"], article=f.msg["term_client_article"])
        elif role == "provider":
            text += self.t("hereinafter", bare=f.msg["term_provider_bare"], article=f.msg["term_provider_article"])
        runs.append(Run(text + ","))
        return Para(runs)

    # ------------------------------------------------------------ signature
    def signature(self) -> list:
        c, f, t = self.c, self.f, self.t
        place = self.m(c.signed_at) if c.signed_at is not None else f.msg["place_blank"]
        date = self.m(c.signature_date, f.date_expr) if c.signature_date is not None else f.msg["date_blank"]
        n = max(len(c.parties), 2)
        copies = f.msg["copies_" + str(n)] if ("copies_" + str(n)) in f.msg else str(n)
        blocks: list = [self.p(t("signed_at", place=place, date=date, copies=copies))]
        rows = []
        for p in c.parties:
            role = self.terms.get(p.id or "")
            who = f.msg["for_" + role] if role else t("for_party", name=self.u(p.title or ""))
            rows.append(
                self.row(
                    [
                        who,
                        self.u(p.title or ""),
                        self.m(p.representative) if p.representative is not None else f.msg["name_blank"],
                        "",
                    ]
                )
            )
        blocks.append(
            Table([f.msg["th_party"], f.msg["th_company"], f.msg["th_signatory"], f.msg["th_signature"]], rows)
        )
        if c.signatures:
            from bpolang.render.articles.term import signature_rows

            blocks.append(self.p(t("signatures_given")))
            blocks.append(
                Table(
                    [
                        f.msg["th_party"],
                        f.msg["th_signatory"],
                        f.msg["th_signed_on"],
                        f.msg["th_place"],
                        f.msg["th_witness"],
                    ],
                    signature_rows(self),
                )
            )
        return blocks


def build_document(contract: C.Contract, resolution: Any, lang: str) -> Document:
    return Builder(contract, resolution, lang).build()


def _sections(builder: Builder, makers: tuple) -> list[Section]:
    """What each maker returns, in order: a section, several (a list) or none."""
    out: list[Section] = []
    for make in makers:
        made = _fresh(functools.partial(make, builder))
        if isinstance(made, list):
            out.extend(made)
        elif made is not None:
            out.append(made)
    return out


def _fresh(make: Any) -> Any:
    """What `make` returns, its pieces taking none of the reads made before it, nor leaving theirs after."""
    provenance.take()
    made = make()
    provenance.take()
    return made


class _NotedKeys(dict):
    """The catalog of a language, noting each sentence looked up (the piece of text it goes into
    keeps it); the defined terms put into every sentence (`term_*`) are not noted."""

    def __getitem__(self, key: str) -> str:
        if not key.startswith("term_"):
            _note_key(key)
        return super().__getitem__(key)


def _note_key(key: str) -> None:
    rec = provenance.current()
    if rec is not None:
        rec.key(key)


def _letter(i: int) -> str:
    """The letter of the i-th item counted from 0: A to Z, then AA, AB..."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(ord("A") + r) + out
    return out
