"""Each change as a sentence in the contract's language.

Values are written by the renderer's formatter (:class:`bpolang.i18n.fmt.Fmt`, babel), with
the names and defined terms of the version they come from; labels of keys come from the
renderer's catalog where it has one, else from :mod:`bpolang.diff.catalog`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from typing import Any

from pydantic import BaseModel

from bpolang.diff.engine import Change, kind_of, members, norm_text
from bpolang.i18n import catalog, no_break
from bpolang.i18n.fmt import Fmt
from bpolang.model import contract as C
from bpolang.model.values import DateExpr, Unknown

# Labels the renderer already has: field (or Class.field) -> key of the renderer's MESSAGES.
RENDER_LABELS = {
    "volume": "l_volume",
    "calendar": "l_calendar",
    "timezone": "l_timezone",
    "channels": "l_channels",
    "acknowledgement": "l_acknowledgement",
    "method": "l_method",
    "prioritisation": "l_prioritisation",
    "tools": "l_tools",
    "performed_by": "l_performed_by",
    "format": "l_format",
    "due": "l_due",
    "after": "l_after",
    "acceptance_criteria": "l_acceptance_criteria",
    "metric": "l_metric",
    "target": "l_target",
    "window": "l_window",
    "applies_to": "l_applies_to",
    "Penalty.applies_to": "l_penalty_applies_to",
    "measured_by": "l_measured_by",
    "report": "l_report",
    "breach": "l_breach",
    "exclusions": "l_sla_exclusions",
    "maintenance": "l_maintenance",
    "depends_on": "l_depends_on",
    "credit": "l_credit",
    "model": "l_price_model",
    "currency": "l_currency",
    "disputed_invoices": "l_disputed",
    "index": "l_index",
    "base": "l_index_base",
    "review": "l_review",
    "formula": "l_formula",
    "floor": "l_floor",
    "cap": "l_cap_index",
    "Penalty.cap": "l_penalty_cap",
    "Penalty.remedy": "l_penalty_remedy",
    "monthly_cap": "l_monthly_cap",
    "annual_cap": "l_annual_cap",
    "earn_back_condition": "l_earn_back_condition",
    "chronic_failure": "l_chronic",
    "trigger": "l_trigger",
    "amount": "l_penalty_amount",
    "purpose": "l_purpose",
    "cadence": "l_cadence",
    "dashboard": "l_dashboard",
    "request": "l_change_request",
    "approval": "l_change_approval",
    "scope": "l_confidential_scope",
    "evidence": "l_evidence",
    "plan": "l_plan",
    "rto": "l_rto",
    "rpo": "l_rpo",
    "test": "l_test",
    "plan_updates": "l_plan_updates",
    "assistance_cost": "l_assistance_cost",
    "return_format": "l_return_format",
}

TEXT_LIMIT = 90  # characters: a longer text is quoted by the passages that changed
CONTEXT_WORDS = 3  # words kept on each side of a changed passage

# Closed lists of words the renderer names: field -> prefix of the renderer's MESSAGES keys.
RENDER_ENUMS = {"gdpr_role": "gdpr_", "model": "model_", "basis": "basis_"}


def label_keys(cls: type, name: str) -> list[tuple[str, str]]:
    """Where the label of a key is looked up, in order: (catalog, key)."""
    qual = f"{cls.__name__}.{name}"
    return [
        ("diff", "label_" + qual),
        ("render", RENDER_LABELS.get(qual, "")),
        ("diff", "label_" + name),
        ("render", RENDER_LABELS.get(name, "")),
    ]


def _literals(cls: type[BaseModel], name: str) -> set[str]:
    out: set[str] = set()
    info = cls.model_fields.get(name)
    if info is None:
        return out
    for t in members(info.annotation):
        if typing.get_origin(t) is typing.Literal:
            out |= {a for a in typing.get_args(t) if isinstance(a, str)}
    return out


def enum_values(cls: type[BaseModel], name: str) -> set[str]:
    """The words a key admits when it takes one of a closed list (`nature: clause_penale`)."""
    return _literals(cls, name)


def _is_word(cls: type[BaseModel], name: str) -> bool:
    from bpolang.model.contract import WORD

    info = cls.model_fields.get(name)
    if info is None:
        return False

    def walk(a: Any) -> bool:
        if typing.get_origin(a) is typing.Annotated:
            return WORD in typing.get_args(a)[1:] or walk(typing.get_args(a)[0])
        return any(walk(x) for x in typing.get_args(a))

    return walk(info.annotation)


class Phraser:
    """Writes changes as sentences in one language, with a formatter for each version."""

    def __init__(self, lang: str, old: Any, new: Any) -> None:
        self.lang = lang
        self.msg = catalog(lang)["DIFF"]
        self.nb = no_break(lang)
        self.old_res, self.new_res = old.resolution, new.resolution
        self.fold = Fmt.for_contract(old.contract, lang)
        self.fnew = Fmt.for_contract(new.contract, lang)

    def t(self, key: str, **kw: Any) -> str:
        return self.msg[key].format(nb=self.nb, **kw)

    # ------------------------------------------------------------ names
    def label(self, cls: type, name: str) -> str:
        for where, key in label_keys(cls, name):
            if not key:
                continue
            table = self.msg if where == "diff" else self.fnew.msg
            if key in table:
                return table[key]
        raise KeyError(f"no label for {cls.__name__}.{name}")  # tests/test_diff.py keeps this unreachable

    def enum(self, cls: type, name: str, value: str) -> str:
        key = f"enum_{name}_{value}"
        if key in self.msg:
            return self.msg[key]
        prefix = RENDER_ENUMS.get(name)
        if prefix and prefix + value in self.fnew.msg:
            return self.fnew.msg[prefix + value]
        return self.fnew.word(value)

    def title(self, el: Any, f: Any) -> str:
        if isinstance(el, C.Element) and el.title:
            return f.uq(el.title)
        if isinstance(el, C.Element) and el.id:
            return f"`{el.id}`"
        return ""

    def block_name(self, el: Any, f: Any) -> str:
        """`Niveau de service « Factures traitées »`: kind and title of an element."""
        kind = self.msg["kind_" + kind_of(el)]
        text = kind[:1].upper() + kind[1:]
        title = self.title(el, f)
        return f"{text} {title}" if title else text

    def where(self, chain: tuple[Any, ...], f: Any) -> str:
        """The enclosing elements, outermost first; blocks written once (pricing, exit) need no name."""
        names = [self.block_name(b, f) for b in chain if isinstance(b, C.Element) and not isinstance(b, C.Contract)]
        return "".join(n + self.msg["where_sep"] for n in names)

    # ------------------------------------------------------------ values
    def value(self, f: Any, res: Any, cls: type, name: str, v: Any) -> str:
        if v is None:
            return self.msg["none"]
        if isinstance(v, list):
            if not v:
                return self.msg["none"]
            items = [self.value(f, res, cls, name, x) for x in v]
            if isinstance(v[0], C.Phrasal):  # a step or a band has commas of its own: quote each
                items = [f.quote(x) for x in items]
            return f.join(items)
        if isinstance(v, Unknown):
            return f.unknown(v)
        if isinstance(v, bool):
            return f.msg["yes" if v else "no"]
        if isinstance(v, str):
            if v in _literals(cls, name):
                return self.enum(cls, name, v)
            if _is_word(cls, name):
                return f.word(v)
            return self.text(f, v)
        if isinstance(v, DateExpr):
            resolved = res.date_of(v) if res is not None and (v.anchor or v.offsets) else None
            return f.date_expr(v, resolved)
        if isinstance(v, dt.date):
            return f.date(v)
        if isinstance(v, C.Element):
            return self.title(v, f)
        return f.value(v)

    def text(self, f: Any, v: str) -> str:
        return f.uq(_shorten(norm_text(v), TEXT_LIMIT, self.msg["text_ellipsis"]))

    def text_change(self, a: str, b: str) -> tuple[str, str]:
        """For long texts, only the passages that differ, with a few words around them."""
        wa, wb = norm_text(a).split(" "), norm_text(b).split(" ")
        if len(" ".join(wa)) <= TEXT_LIMIT and len(" ".join(wb)) <= TEXT_LIMIT:
            return self.fold.uq(" ".join(wa)), self.fnew.uq(" ".join(wb))
        ell = self.msg["text_ellipsis"]
        olds, news = [], []
        ops = [op for op in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes() if op[0] != "equal"]
        ctx = CONTEXT_WORDS
        for _tag, i1, i2, j1, j2 in ops[:3]:
            lo_a, lo_b = max(0, i1 - ctx), max(0, j1 - ctx)
            pa = " ".join(wa[lo_a : i2 + ctx])
            pb = " ".join(wb[lo_b : j2 + ctx])
            olds.append((ell if lo_a > 0 else "") + pa + (ell if i2 + ctx < len(wa) else ""))
            news.append((ell if lo_b > 0 else "") + pb + (ell if j2 + ctx < len(wb) else ""))
        if len(ops) > 3:
            olds.append(ell)
            news.append(ell)
        return self.fold.uq(" ".join(olds)), self.fnew.uq(" ".join(news))

    # ------------------------------------------------------------ sentences
    def sentence(self, c: Change) -> str:
        if c.change == "moved":
            return self.moved(c)
        f = self.fnew if c.new is not None else self.fold
        # the enclosing blocks are the new version's where it exists: named as that version writes them
        where = self.where(c.chain, self.fnew if c.owner_new is not None else f)
        if c.key is None:  # a whole block
            el = c.new if c.change == "added" else c.old
            fe = self.fnew if c.change == "added" else self.fold
            kind = kind_of(el)
            return self.t(
                "block_" + c.change, where=where, kind_de=self.msg["kind_de_" + kind], title=self.title(el, fe)
            ).strip()
        cls = type(c.owner_new if c.owner_new is not None else c.owner_old)
        if c.translation is not None:
            return self.translation(c, cls, where)
        label = self.label(cls, c.key)
        if c.change == "reordered":
            order = [
                self.title(x, f) if isinstance(x, C.Element) else self.value(f, self.new_res, cls, c.key, x)
                for x in c.new
            ]
            return self.t("reordered", where=where, label=label, order=" → ".join(order))
        if isinstance(c.old, list) or isinstance(c.new, list):
            parts = []
            if c.added:
                items = self.value(self.fnew, self.new_res, cls, c.key, c.added)
                parts.append(self.t("set_added", items=_de(self.lang, items)))
            if c.removed:
                items = self.value(self.fold, self.old_res, cls, c.key, c.removed)
                parts.append(self.t("set_removed", items=_de(self.lang, items)))
            return self.t("set_changed", where=where, label=label, parts=self.t("set_sep").join(parts))
        if c.old is None:
            return self.t(
                "value_added", where=where, label=label, new=self.value(self.fnew, self.new_res, cls, c.key, c.new)
            )
        if c.new is None:
            return self.t(
                "value_removed", where=where, label=label, old=self.value(self.fold, self.old_res, cls, c.key, c.old)
            )
        if isinstance(c.old, str) and isinstance(c.new, str) and not _literals(cls, c.key) and not _is_word(cls, c.key):
            old, new = self.text_change(c.old, c.new)
        else:
            old = self.value(self.fold, self.old_res, cls, c.key, c.old)
            new = self.value(self.fnew, self.new_res, cls, c.key, c.new)
        return self.t("changed", where=where, label=label, old=old, new=new)

    def translation(self, c: Change, cls: type, where: str) -> str:
        """A translation given, taken away or changed: `Title in English: “…” → “…”`."""
        from babel import Locale

        assert c.key is not None and c.translation is not None  # a translation is of a text's place
        name, _, rest = c.key.partition(".")
        label = self.label(cls, name)
        index = rest.split(".", 1)[0]
        if index.isdigit():  # an item of a list (not a text inside a phrase form: `retention.event`)
            label = self.t("translation_item", label=label, n=int(index) + 1)
        language = Locale.parse(self.fnew.locale).languages.get(c.translation, c.translation)
        label = self.t("translation_label", label=label, language=language)
        # quoted as written: the texts in the translation's language, whatever the report's
        if c.old is None:
            return self.t("value_added", where=where, label=label, new=self.fnew.quote(c.new))
        if c.new is None:
            return self.t("value_removed", where=where, label=label, old=self.fold.quote(c.old))
        old, new = self.text_change(c.old, c.new)
        return self.t("changed", where=where, label=label, old=old, new=new)

    def moved(self, c: Change) -> str:
        f = self.fnew
        if c.key == "end":
            what = self.msg["what_end"]
        else:
            what = self.block_name(c.owner_new, f)
            if c.path[-1] == "first":
                what = self.t("what_first", what=what)
            elif c.key == "long_stop":
                what = self.t("what_long_stop", what=what)
        return self.t("moved", what=what, old=f.date(c.old), new=f.date(c.new), reason=self.reason(c.reason or {}))

    def reason(self, r: dict[str, Any]) -> str:
        f = self.fnew
        cause = r.get("cause", "other")
        if cause in ("effective", "end"):
            if r.get("old") is None or r.get("new") is None:  # one version has no such date
                return self.t(f"reason_{cause}_undated")
            return self.t("reason_" + cause, old=f.date(r["old"]), new=f.date(r["new"]))
        if cause == "anchor":
            from bpolang.model.values import Ref

            what = f.ref(Ref(id=r["id"]))
            if r.get("old") and r.get("new"):
                return self.t("reason_anchor", what=what, old=f.date(r["old"]), new=f.date(r["new"]))
            return self.t("reason_anchor_undated", what=what)
        return self.msg["reason_" + cause]


def _de(lang: str, words: str) -> str:
    """In French, the phrase after `ajout` / `retrait`: ` de la…`, ` d’IBAN`, ` du niveau…` (for `le niveau`)."""
    if lang != "fr":
        return words
    for article, contracted in (("le ", " du "), ("les ", " des ")):
        if words.startswith(article):
            return contracted + words[len(article) :]
    if words.startswith(("du ", "des ", "de ", "d’", "au ", "aux ", "à ")):
        return "\u202f: " + words  # no `de` fits before these: `retrait : du lundi au vendredi…`
    return (" d’" if words[:1].lower() in "aeiouyàâäéèêëîïôöùûüœh" else " de ") + words


def _shorten(text: str, limit: int, ellipsis: str) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + ellipsis


def describe(changes: list[Change], old: Any, new: Any, lang: str) -> list[Change]:
    """Fill in the sentence of every change."""
    p = Phraser(lang, old, new)
    for c in changes:
        c.sentence = p.sentence(c)
    return changes
