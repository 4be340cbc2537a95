"""Every value of the model written out for one language, with babel.

French typography uses one no-break space throughout, the narrow U+202F: thousands
separator, before `; : ! ?`, `%` and the currency, inside « guillemets ».  Babel's own
choices are normalised to it (fr_FR mixes U+00A0 and U+202F), percentages keep their
decimals (babel rounds `99.5 %` to `100 %` by default) and the first of a month is `1er`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Literal

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

from bpolang.i18n import catalog
from bpolang.model import contract as C
from bpolang.model.bounds import wide_context
from bpolang.model.forms import word_phrasal
from bpolang.model.values import (
    Arith,
    Call,
    DateExpr,
    Duration,
    Money,
    Number,
    Percentage,
    Quantity,
    Rate,
    Recurrence,
    Ref,
    RelativeAmount,
    Unknown,
)

NNBSP = "\u202f"
ListStyle = Literal["standard", "standard-short", "or", "or-short", "unit", "unit-short", "unit-narrow"]  # babel's
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_FR_BEFORE = re.compile(r"[ \u00a0\u202f]*([;:!?%»])")
_FR_AFTER = re.compile(r"«[ \u00a0\u202f]*")


def clean(text: str) -> str:
    """User text made safe for every writer: C0 controls (but tab and newline), DEL,
    lone surrogates and the non-characters U+FFFE/U+FFFF removed; CR LF folded."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def french_spacing(text: str) -> str:
    """No-break spaces before `; : ! ? % »` and after `«` (never inside `http://`)."""

    def before(m: re.Match[str]) -> str:
        start = m.start()
        if m.group(1) == ":" and start == m.start(1):  # `a:b`, `https://` stay as written
            return m.group(0)
        if start == m.start(1) and m.group(1) in ";!?%":
            # `10%` or `a;b`: only add the space after a letter or digit, not in codes like `;)`
            if start == 0 or not (text[start - 1].isalnum() or text[start - 1] in ")»"):
                return m.group(0)
        return NNBSP + m.group(1)

    text = _FR_BEFORE.sub(before, text)
    return _FR_AFTER.sub("«" + NNBSP, text).replace("\u00a0", NNBSP)


_FR_CONTRACTIONS = (
    (re.compile(r"\bà le\b"), "au"),
    (re.compile(r"\bà les\b"), "aux"),
    (re.compile(r"\bde le\b"), "du"),
    (re.compile(r"\bde les\b"), "des"),
)


def contract_articles(text: str) -> str:
    """French contractions a value set after `à` or `de` calls for: `à le plus élevé` -> `au plus élevé`."""
    for pattern, word in _FR_CONTRACTIONS:
        text = pattern.sub(word, text)
    return text


def humanise(code: str) -> str:
    return code.replace("_", " ")


class Fmt:
    """Formats values for one language (`fr` or `en`)."""

    # put around every text of the contract as written (:meth:`user`, the one way free text enters
    # an output): empty, except for a check that must tell the contract's own words from the
    # sentences bpolang writes (tests/test_bilingual.py leaves the user's words out of the comparison)
    user_marks: tuple[str, str] = ("", "")
    # the language the contract's own words are written in (its `language`), when known
    written_in: str | None = None

    def __init__(self, lang: str, party_terms: dict[str, str] | None = None, names: dict[str, Any] | None = None):
        self.lang = lang
        self.locale = "fr_FR" if lang == "fr" else "en"
        self.msg = catalog(lang)["MESSAGES"]
        self.vocab = catalog(lang)["VOCAB"]
        self.units = catalog(lang)["UNITS"]
        self.party_terms = party_terms or {}  # party id -> "client" / "provider"
        self.names = names or {}  # id -> element, for references
        # English dates follow the governing law's country: `March 3, 2027` under a U.S. law,
        # `3 March 2027` otherwise (English, Irish law; no law stated)
        self.us_dates = False
        # id of each text of the contract -> the text, its translations (language -> text) and whether
        # it is a name (the same in every language), to write it in this language (:meth:`pick`)
        self.texts: dict[int, tuple[str, dict[str, str], bool]] = {}
        # the texts written in this document that it had to quote in the contract's language (no
        # translation into this one): the document then says so (bpolang.render.build)
        self.untranslated: dict[int, str] = {}

    @classmethod
    def for_contract(cls, contract: C.Contract, lang: str) -> Fmt:
        """A formatter that knows the contract's defined terms (the Client, the Provider) and its ids."""
        terms: dict[str, str] = {}
        # a group of parties acting together (the Publishers) takes the defined term of its role
        # when the first party of that role is one of its members
        roles = C.group_roles(contract)
        for g in contract.party_groups:
            role = roles.get(g.id or "")
            first = next((p.id for p in contract.parties if p.role == role), None)
            members = {m.id for m in g.members if isinstance(m, Ref)}
            if g.id and role in ("client", "provider") and role not in terms.values() and first in members:
                terms[g.id] = role
        for p in contract.parties:
            if p.id and p.role in ("client", "provider") and p.role not in terms.values():
                terms[p.id] = p.role
        names: dict[str, Any] = {}
        _collect_names(contract, names)
        fmt = cls(lang, terms, names)
        law = contract.governing_law
        fmt.us_dates = isinstance(law, str) and law.upper().split("-", 1)[0] == "US"
        fmt.written_in = contract.language
        _collect_texts(contract, fmt.texts)
        return fmt

    # ------------------------------------------------------------ text
    def t(self, key: str, **kw: Any) -> str:
        """A catalog message, formatted with values (never user text as a template)."""
        return self.msg[key].format(**self.base_kw(), **kw)

    def base_kw(self) -> dict[str, str]:
        return self.msg_terms

    @property
    def msg_terms(self) -> dict[str, str]:
        m = self.msg
        return {
            "C": m["term_client"],
            "P": m["term_provider"],
            "C_cap": _cap(m["term_client"]),
            "P_cap": _cap(m["term_provider"]),
            "C_de": m["term_client_de"],
            "P_de": m["term_provider_de"],
            "C_a": m["term_client_a"],
            "P_a": m["term_provider_a"],
            "nb": NNBSP if self.lang == "fr" else " ",
        }

    def user(self, text: str | Unknown, written_in: str | None = None) -> str:
        """A text of the contract (an item of a list may be `redacted`, `illegible`...): in this
        language when the contract translates it into it, else as written (:meth:`pick`).
        `written_in`: the language of a piece of a text already picked."""
        if isinstance(text, Unknown):
            return self.unknown(text)
        if written_in is None:
            text, written_in = self.pick(text)
        text = clean(text)
        # French spacing is French typography: not put into words the contract writes in English
        text = french_spacing(text) if self.lang == "fr" and written_in != "en" else text
        return f"{self.user_marks[0]}{text}{self.user_marks[1]}" if self.user_marks[0] else text

    def pick(self, text: str) -> tuple[str, str | None]:
        """A text of the contract in this language, and the language it is then in: its translation
        into this language when the contract gives one (`"..." / en: "..."`), else the text as written,
        in the contract's language (noted in `untranslated` unless it is a name)."""
        if self.written_in is None or self.written_in == self.lang:
            return text, self.written_in
        known = self.texts.get(id(text))
        if known is None or known[0] is not text:
            return text, self.written_in  # not a text of this contract's blocks (a master's title)
        other = known[1].get(self.lang)
        if other is not None:
            return other, self.lang
        if not known[2]:
            self.untranslated[id(text)] = text
        return text, self.written_in

    def quote(self, text: str) -> str:
        if self.lang == "fr":
            return f"«{NNBSP}{text}{NNBSP}»"
        return f"\u201c{text}\u201d"

    def uq(self, text: str) -> str:
        """User text in quotation marks."""
        return self.quote(self.user(text))

    def word(self, code: str) -> str:
        """A code word (`force_majeure`, `identity`, a country) in this language."""
        if code in self.vocab:
            return self.vocab[code]
        if len(code) == 2 and code.isupper():
            from babel import Locale

            name = Locale.parse(self.locale).territories.get(code)
            if name:
                return name
        return humanise(clean(code))

    def unit(self, code: str) -> str:
        return self.units.get(code) or humanise(clean(code))

    def words(self, codes: list[str]) -> str:
        return self.join([self.word(c) for c in codes])

    def join(self, items: list[str], style: ListStyle = "standard") -> str:
        if not items:
            return ""
        return self._nb(format_list(items, style=style, locale=self.locale))

    def unknown(self, u: Unknown) -> str:
        return self.msg["unknown_" + u.unknown]

    def maybe(self, v: Any, fn=None) -> str:
        """A value, or the placeholder for a redacted / to-be-agreed value."""
        if isinstance(v, Unknown):
            return self.unknown(v)
        if fn is None:
            return self.user(v) if isinstance(v, str) else self.value(v)
        return fn(v)

    # ------------------------------------------------------------ numbers
    def _nb(self, s: str) -> str:
        if self.lang == "fr":
            return s.replace("\u00a0", NNBSP)
        return s

    def _decimal(self, d: Decimal, pattern: str) -> str:
        with wide_context(d):
            return self._nb(format_decimal(d, format=pattern, locale=self.locale))

    def number(self, d: Decimal | int) -> str:
        return self._decimal(Decimal(d), "#,##0.###")

    def integer_plain(self, d: Decimal | int) -> str:
        return self.number(d)

    def money(self, m: Money | Unknown) -> str:
        if isinstance(m, Unknown):
            return self.unknown(m)
        # every decimal the contract gives (a unit price of $7.505 stays $7.505), at least two
        places = max(0, -int(m.amount.as_tuple().exponent)) if m.amount.is_finite() else 0
        amount = self._decimal(m.amount, "#,##0.00" + "#" * max(0, places - 2))
        cur = m.currency
        if self.lang == "fr":
            return f"{amount}{NNBSP}{'€' if cur == 'EUR' else cur}"
        sym = {"EUR": "€", "GBP": "£", "USD": "$"}.get(cur)
        return f"{sym}{amount}" if sym else f"{cur} {amount}"

    def percent(self, p: Percentage | Unknown) -> str:
        if isinstance(p, Unknown):
            return self.unknown(p)
        n = self.number(p.value)
        return f"{n}{NNBSP}%" if self.lang == "fr" else f"{n}%"

    def date(self, d: dt.date) -> str:
        if self.lang == "fr":
            day = "1er" if d.day == 1 else str(d.day)
            return f"{day} {format_date(d, 'MMMM y', locale=self.locale)}"
        return format_date(d, "MMMM d, y" if self.us_dates else "d MMMM y", locale=self.locale)

    def day_month(self, month: int, day: int) -> str:
        d = dt.date(2000, month, day)
        if self.lang == "fr":
            return f"{'1er' if day == 1 else day} {format_date(d, 'MMMM', locale=self.locale)}"
        return format_date(d, "MMMM d" if self.us_dates else "d MMMM", locale=self.locale)

    def time(self, t: dt.time, closes: bool = False) -> str:
        if closes and t == dt.time(23, 59):
            return "24 h" if self.lang == "fr" else "24:00"
        if self.lang == "fr":
            return f"{t.hour}{NNBSP}h{NNBSP}{t.minute:02d}" if t.minute else f"{t.hour}{NNBSP}h"
        return t.strftime("%H:%M")

    def duration(self, d: Duration | Unknown) -> str:
        if isinstance(d, Unknown):
            return self.unknown(d)
        n = self.number(d.amount)
        singular = d.amount < 2 if self.lang == "fr" else d.amount == 1
        forms = self.msg["unit_" + ("calendar_days" if d.calendar else d.unit.value)].split("|")
        return f"{n}{NNBSP if self.lang == 'fr' else ' '}{forms[0] if singular else forms[1]}"

    def ordinal(self, n: int) -> str:
        if self.lang == "fr":
            return "1er" if n == 1 else f"{n}e"
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"

    def quantity(self, q: Quantity | Unknown) -> str:
        if isinstance(q, Unknown):
            return self.unknown(q)
        text = f"{self.number(q.amount)} {self.unit(q.unit)}"
        if q.per:
            text += " " + self.t("per", what=self.unit(q.per))
        return text

    # ------------------------------------------------------------ references
    def party(self, ref: Any, case: str = "") -> str:
        """A party reference as its defined term (`le Client`, `du Client`, `au Client`)."""
        if isinstance(ref, Unknown):
            return self.unknown(ref)
        pid = ref.id if isinstance(ref, Ref) else ref
        role = self.party_terms.get(pid)
        if role in ("client", "provider"):
            key = {"client": "C", "provider": "P"}[role] + (f"_{case}" if case else "")
            return self.msg_terms[key]
        el = self.names.get(pid)
        name = self.user(el.title) if el is not None and el.title else humanise(pid)
        prefix = {"de": self.msg["prep_de"], "a": self.msg["prep_a"]}.get(case, "")
        if case == "de" and self.lang == "fr" and name[:1].lower() in "aeiouyàâäéèêëîïôöùûüœh":
            prefix = "d’"  # « d’Acme Holding », not « de Acme Holding »
        return f"{prefix}{name}"

    def party_name(self, el: C.Party | C.PartyGroup) -> str:
        """A party's name, or a group's defined term followed by its members' names."""
        if isinstance(el, C.Party):
            return self.user(el.title or el.id or "")
        members = []
        for m in el.members:
            found = self.names.get(m.id)
            members.append(self.user(found.title) if found is not None and found.title else humanise(m.id))
        return self.t("group_name", term=self.user(el.title or el.id or ""), members=self.join(members))

    def ref(self, ref: Ref | Unknown) -> str:
        """A reference to any declared element, by its kind and title."""
        if isinstance(ref, Unknown):
            return self.unknown(ref)
        rid = ref.id
        if rid in self.party_terms or isinstance(self.names.get(rid), (C.Party, C.PartyGroup)):
            return self.party(ref)
        el = self.names.get(rid)
        if el is None:
            base = self.msg.get("base_" + rid)
            return base if base else humanise(rid)
        kinds: dict[type, str] = {
            C.Milestone: "kind_milestone",
            C.Deliverable: "kind_deliverable",
            C.ServiceLevel: "kind_sla",
            C.Service: "kind_service",
            C.Committee: "kind_committee",
            C.Report: "kind_report",
            C.Fee: "kind_fee",
            C.UnitPrice: "kind_unit",
            C.RateCard: "kind_rate",
            C.Tier: "kind_tier",
            C.Measure: "kind_measure",
        }
        kind = kinds.get(type(el))
        if isinstance(el, C.Committee) and el.title and self.lang == "fr":
            bare = self.user(el.title)
            return elide(bare) + bare
        title = self.uq(el.title) if el.title else humanise(rid)
        return self.t(kind, title=title) if kind else title

    def base_of(self, ref: Ref) -> str:
        """`des redevances mensuelles` / `of the monthly charges`: the base of a share."""
        key = "of_" + ref.id
        if key in self.msg:
            return self.msg[key]
        return self.t("of_ref", what=self.ref(ref))

    # ------------------------------------------------------------ dates
    def date_expr(self, e: DateExpr | Unknown, resolved: dt.date | None = None) -> str:
        if isinstance(e, Unknown):
            return self.unknown(e)
        if e.date is not None and not e.offsets:
            return self.date(e.date)
        if e.date is not None:
            base = self.date(e.date)
        elif e.anchor == "effective":
            base = self.msg["anchor_effective"]
        elif e.anchor == "end":
            base = self.msg["anchor_end"]
        else:
            base = self.ref(Ref(id=e.anchor or ""))
        text = base
        for off in e.offsets:
            key = "offset_after" if off.sign == 1 else "offset_before"
            text = self.t(key, duration=self.duration(off.duration), base=text)
        if resolved is not None:
            text += " " + self.t("that_is", date=self.date(resolved))
        return text

    def recurrence(self, r: Recurrence | Unknown) -> str:
        if isinstance(r, Unknown):
            return self.unknown(r)
        freq = r.frequency.value + ("_business" if r.business_only else "")
        if r.interval == 1:
            text = self.msg["every_" + freq]
        else:
            text = self.t("every_n_" + freq, n=r.interval)
        if r.month is not None and r.day is not None:
            text += self.t("rec_on_date", date=self.day_month(r.month, r.day))
        elif r.day is not None:
            text += self.t(
                "rec_on_day", day=self.ordinal(r.day) if self.lang == "en" else ("1er" if r.day == 1 else str(r.day))
            )
        elif r.last_day:
            text += self.msg["rec_last_day"]
        elif r.business_day == -1:
            text += self.msg["rec_last_business_day"]
        elif r.business_day is not None:
            text += self.t("rec_business_day", n=self.ordinal(r.business_day))
        elif r.weekday is not None:
            text += self.t("rec_weekday", day=self.msg["weekday_" + str(r.weekday)])
        if r.time is not None:
            text += self.t("rec_at", time=self.time(r.time))
        if r.start is not None:
            text += self.t(
                "rec_from", start=self._anchor_phrase(r.start), start_de=self.de(self._anchor_phrase(r.start))
            )
        if r.until is not None:
            text += self.t("rec_until", until=self._anchor_phrase(r.until))
        return text

    def _anchor_phrase(self, e: DateExpr) -> str:
        if e.date is not None and not e.offsets:
            return self.date(e.date)
        text = self.date_expr(e)
        return text

    def de(self, phrase: str) -> str:
        """`de` + a noun phrase, with the French contractions (du, des, de l’)."""
        if self.lang != "fr":
            return "from " + phrase
        for art, repl in (("le ", "du "), ("les ", "des ")):
            if phrase.startswith(art):
                return repl + phrase[len(art) :]
        if phrase[:1].isdigit():
            return ("de la date située " if (" après " in phrase or " avant " in phrase) else "du ") + phrase
        return "de " + phrase

    def schedule(self, v: Any, resolved: dt.date | None = None) -> str:
        if isinstance(v, Recurrence):
            return self.recurrence(v)
        return self.date_expr(v, resolved)

    # ------------------------------------------------------------ amounts
    def value(self, v: Any) -> str:
        """Any single value of the model."""
        if v is None:
            return ""
        if isinstance(v, bool):
            return self.msg["yes" if v else "no"]
        if isinstance(v, int):
            return self.number(v)
        if isinstance(v, Unknown):
            return self.unknown(v)
        if isinstance(v, str):
            return self.user(v)
        if isinstance(v, Money):
            return self.money(v)
        if isinstance(v, Percentage):
            return self.percent(v)
        if isinstance(v, Number):
            return self.number(v.value)
        if isinstance(v, Duration):
            return self.duration(v)
        if isinstance(v, Quantity):
            return self.quantity(v)
        if isinstance(v, Rate):
            return self.rate(v)
        if isinstance(v, RelativeAmount):
            return f"{self.percent(v.percent)} {self.base_of(v.of)}"
        if isinstance(v, Ref):
            return self.ref(v)
        if isinstance(v, DateExpr):
            return self.date_expr(v)
        if isinstance(v, Recurrence):
            return self.recurrence(v)
        if isinstance(v, Call):
            return self.t("call_" + v.func, args=self.join([self.value(a) for a in v.args]))
        if isinstance(v, Arith):
            return self.arith(v)
        if isinstance(v, dt.time):
            return self.time(v)
        if isinstance(v, C.Phrasal):
            return self.phrasal(v)
        raise TypeError(f"cannot render {type(v).__name__}")  # pragma: no cover

    def rate(self, r: Rate | Unknown) -> str:
        if isinstance(r, Unknown):
            return self.unknown(r)
        text = f"{self.money(r.price)} {self.t('per', what=self.unit(r.per))}"
        return text + self.msg["rate_above_volume"] if r.above_volume else text

    def arith(self, v: Arith, parent: str | None = None) -> str:
        ops = {"+": "+", "-": "\u2212", "*": "\u00d7", "/": "\u00f7"}
        left = self.arith(v.left, v.op) if isinstance(v.left, Arith) else self.value(v.left)
        right = self.arith(v.right, v.op) if isinstance(v.right, Arith) else self.value(v.right)
        text = f"{left} {ops[v.op]} {right}"
        if parent is not None and parent in "*/" and v.op in "+-":
            return f"({text})"
        return text

    def phrasal(self, p: C.Phrasal) -> str:
        """A phrase form (`tacit 12 months notice 3 months`), worded by its form."""
        return word_phrasal(p, self)

    def hours(self, h: C.ServiceHours) -> str:
        return self.phrasal(h)

    def retention(self, p: C.Retention | Unknown) -> str:
        return self.unknown(p) if isinstance(p, Unknown) else self.phrasal(p)

    def renewal(self, p: C.Renewal | Unknown) -> str:
        return self.unknown(p) if isinstance(p, Unknown) else self.phrasal(p)

    def fee_value(self, p: C.FeeValue | Unknown) -> str:
        return self.unknown(p) if isinstance(p, Unknown) else self.phrasal(p)


def elide(word: str, feminine: bool = False) -> str:
    """The French definite article before a word: `l’` before a vowel or mute h."""
    first = word[:1].lower()
    if first in "aeiouyàâäéèêëîïôöùûüœh":
        return "l’"
    return "la " if feminine else "le "


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _collect_texts(node: Any, texts: dict[int, tuple[str, dict[str, str], bool]]) -> None:
    """The texts of every block of the contract, by identity, with their translations and whether
    each is a name (`NAMES`: written the same in every language)."""
    for block in C.all_blocks(node):
        translations = block.__dict__["translations"]
        for place, text in C.text_places(block):
            name = place.split(".", 1)[0] in type(block).NAMES
            texts[id(text)] = (text, translations.get(place, {}), name)


def _collect_names(node: Any, names: dict[str, Any]) -> None:
    """Every element with an id, first declaration wins, in the model's field order."""
    for name in type(node).model_fields:
        value = getattr(node, name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, C.Element) and item.id and item.id not in names:
                names[item.id] = item
            if isinstance(item, C.Node):
                _collect_names(item, names)
