"""The structure of the agreement: when a notice is deemed received."""

from typing import get_args

from bpolang.model import contract as C
from bpolang.model.forms.base import Form, PrintKit, Wording
from bpolang.model.reader import Reader

MEANS: tuple[C.NoticeMeans, ...] = get_args(C.NoticeMeans)


class DeemedReceiptForm(Form[C.DeemedReceipt]):
    cls = C.DeemedReceipt
    expected = "a deemed receipt such as `hand on delivery` or `mail 3 business days after dispatch`"

    def read(self, r: Reader) -> C.DeemedReceipt:
        means: C.NoticeMeans = r.expect_word(*MEANS)
        start: C.ReceiptStart
        if r.word("on"):
            start = r.expect_word("delivery", "dispatch", "confirmation")
            return C.DeemedReceipt.trusted(means=means, start=start)
        delay = r.unknown() or r.duration()
        r.expect_word("after")
        start = r.expect_word("delivery", "dispatch", "confirmation")
        return C.DeemedReceipt.trusted(means=means, delay=delay, start=start)

    def print(self, p: C.DeemedReceipt, kit: PrintKit) -> str:
        if p.delay is None:
            return f"{p.means} on {p.start}"
        return f"{p.means} {kit.scalar(p.delay)} after {p.start}"

    def word(self, p: C.DeemedReceipt, f: Wording) -> str:
        means = f.msg["notice_means_" + p.means]
        if p.delay is None:
            return f.t("deemed_on_" + p.start, means=means)
        return f.t("deemed_after_" + p.start, means=means, delay=f.maybe(p.delay))
