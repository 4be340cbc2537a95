"""Personal data: retention, what happens at the end, sub-processing, transfers outside the EEA."""

from bpolang.model import contract as C
from bpolang.model.forms.base import Form, PrintKit, Wording
from bpolang.model.reader import Reader
from bpolang.model.values import Duration, Unknown


class RetentionForm(Form[C.Retention]):
    cls = C.Retention
    expected = "a retention period such as `10 years after end`"

    def read(self, r: Reader) -> C.Retention:
        first = self._one(r)
        if first.period is None or not r.word("or"):
            return first
        second = self._one(r)
        if second.period is None:
            r.fail("a period such as `2 years after termination`, not `duration of contract`")
        r.expect_word("whichever")
        which: C.Whichever = r.expect_word("earlier", "later")
        first.alternative = second
        first.whichever = which
        return first

    def _one(self, r: Reader) -> C.Retention:
        if r.word("duration"):
            r.expect_word("of")
            r.expect_word("contract")
            return C.Retention.trusted(period=None, start="end")
        period = r.unknown() or r.duration()
        if not r.word("after"):
            return C.Retention.trusted(period=period, start="collection")
        start: C.RetentionStart | None = r.word("end", "collection", "last_contact", "termination", "effective")
        if start is not None:
            return C.Retention.trusted(period=period, start=start)
        if not r.is_kind("STRING"):
            r.fail("`end`, `collection`, `last_contact`, `termination`, `effective` or a quoted event")
        return C.Retention.trusted(period=period, start="event", event=r.text())

    def print(self, p: C.Retention, kit: PrintKit) -> str:
        text = self._print_one(p, kit)
        if p.alternative is not None:
            text += f" or {self._print_one(p.alternative, kit)} whichever {p.whichever or 'earlier'}"
        return text

    def _print_one(self, p: C.Retention, kit: PrintKit) -> str:
        if p.period is None:
            return "duration of contract"
        if p.start == "collection":
            return kit.scalar(p.period)
        if p.start == "event":
            return f"{kit.scalar(p.period)} after {kit.string(p.event or '')}"
        return f"{kit.scalar(p.period)} after {p.start}"

    def word(self, p: C.Retention, f: Wording) -> str:
        text = self._word_one(p, f)
        if p.alternative is not None:
            key = "retention_whichever_" + (p.whichever or "earlier")
            return f.t(key, first=text, second=self._word_one(p.alternative, f))
        return text

    def _word_one(self, p: C.Retention, f: Wording) -> str:
        if p.period is None:
            return f.msg["retention_contract"]
        period = f.maybe(p.period)
        if p.start == "event":
            return f.t("retention_event", period=period, event=f.uq(p.event or ""))
        return f.t("retention_" + p.start, period=period)


class AtEndForm(Form[C.AtEnd]):
    cls = C.AtEnd
    expected = "an end-of-contract rule such as `return then delete within 30 days`"

    def read(self, r: Reader) -> C.AtEnd:
        action: C.AtEndAction
        if r.word("return"):
            action = "return"
            if r.word("then"):
                r.expect_word("delete")
                action = "return_then_delete"
        elif r.word("delete"):
            action = "delete"
        elif r.word("client_choice"):
            action = "client_choice"
        else:
            r.fail("`return then delete`, `delete`, `return` or `client_choice`")
        within: Duration | Unknown | C.Promptly | None = None
        if r.word("within"):
            within = r.unknown() or r.duration()
        else:
            word: C.Promptly | None = r.word("immediately", "promptly", "as_soon_as_possible", "without_undue_delay")
            within = word
        return C.AtEnd.trusted(action=action, within=within)

    def print(self, p: C.AtEnd, kit: PrintKit) -> str:
        action = {"return_then_delete": "return then delete"}.get(p.action, p.action)
        if isinstance(p.within, str):
            return f"{action} {p.within}"
        return action + (f" within {kit.scalar(p.within)}" if p.within is not None else "")

    def word(self, p: C.AtEnd, f: Wording) -> str:
        text = f.msg["at_end_" + p.action]
        if isinstance(p.within, str):
            text += " " + f.msg["breach_word_" + p.within]
        elif p.within is not None:
            text += " " + f.t("within", duration=f.maybe(p.within))
        return text


class SubprocessingForm(Form[C.Subprocessing]):
    cls = C.Subprocessing
    expected = "a sub-processing rule such as `general notice 30 days`"

    def read(self, r: Reader) -> C.Subprocessing:
        mode: C.SubprocessingMode = r.expect_word("prohibited", "specific_consent", "general", "free")
        notice = None
        if mode == "general" and r.word("notice"):
            notice = r.duration()
        return C.Subprocessing.trusted(mode=mode, notice=notice)

    def print(self, p: C.Subprocessing, kit: PrintKit) -> str:
        return p.mode + (f" notice {kit.scalar(p.notice)}" if p.notice is not None else "")

    def word(self, p: C.Subprocessing, f: Wording) -> str:
        text = f.msg["subprocessing_" + p.mode]
        if p.notice is not None:
            text += f.t("subprocessing_notice", notice=f.duration(p.notice))
        return text


class TransferForm(Form[C.Transfer]):
    cls = C.Transfer
    expected = "a transfer mechanism such as `scc module 2 with tia`, `adequacy` or `idta`"

    def read(self, r: Reader) -> C.Transfer:
        mech: C.TransferMechanism = r.expect_word("scc", "adequacy", "bcr", "idta", "uk_addendum", "derogation", "none")
        module = None
        if mech == "scc" and r.word("module"):
            module = r.integer()
            if not 1 <= module <= 4:
                r.pos -= 1
                r.fail("an SCC module between 1 and 4")
        tia = False
        if r.word("with"):
            r.expect_word("tia")
            tia = True
        return C.Transfer.trusted(mechanism=mech, module=module, tia=tia)

    def print(self, p: C.Transfer, kit: PrintKit) -> str:
        text = p.mechanism + (f" module {p.module}" if p.module is not None else "")
        return text + (" with tia" if p.tia else "")

    def word(self, p: C.Transfer, f: Wording) -> str:
        text = f.msg["transfer_" + p.mechanism]
        if p.module is not None:
            text += f.t("transfer_module", module=p.module)
        if p.tia:
            text += f.msg["transfer_tia"]
        return text
