"""Every phrase form of the language, each with its reader, its printer and its wording.

A phrase form (:class:`~bpolang.model.contract.Phrasal`) is a value written as words:
`tacit 12 months notice 3 months`, `below 95% 3 times in any 6 months`.  Each form's
three directions live together in one class of this package (one module per family);
:data:`FORMS` lists them all, and the builder, the printer
(:func:`bpolang.format.printer.phrasal`) and the wording (:meth:`bpolang.i18n.fmt.Fmt.phrasal`)
go through it.  A new form is one new :class:`Form` here and its line in :data:`FORMS`.
"""

from typing import Any

from bpolang.model.contract import Phrasal
from bpolang.model.forms.base import Form, PrintKit, Wording
from bpolang.model.forms.data import AtEndForm, RetentionForm, SubprocessingForm, TransferForm
from bpolang.model.forms.legal import CapScopeForm, FeesCapForm
from bpolang.model.forms.prices import BandForm, FeeValueForm
from bpolang.model.forms.service_levels import (
    AllocationForm,
    AllowanceForm,
    EarnBackForm,
    PenaltyAmountForm,
    ServiceHoursForm,
    StepForm,
    TriggerForm,
    WindowForm,
)
from bpolang.model.forms.structure import DeemedReceiptForm
from bpolang.model.forms.terms import (
    BillingForm,
    ConvenienceFeeForm,
    InstalmentForm,
    LateInterestForm,
    PaymentTermsForm,
    RenewalForm,
)
from bpolang.model.reader import Reader

FORMS: dict[type[Phrasal], Form[Any]] = {
    form.cls: form
    for form in (
        RenewalForm(),
        PaymentTermsForm(),
        BillingForm(),
        LateInterestForm(),
        RetentionForm(),
        AtEndForm(),
        TriggerForm(),
        StepForm(),
        PenaltyAmountForm(),
        FeeValueForm(),
        ServiceHoursForm(),
        WindowForm(),
        BandForm(),
        AllowanceForm(),
        SubprocessingForm(),
        TransferForm(),
        ConvenienceFeeForm(),
        AllocationForm(),
        EarnBackForm(),
        DeemedReceiptForm(),
        FeesCapForm(),
        CapScopeForm(),
        InstalmentForm(),
    )
}


def _form(p: Phrasal) -> Form[Any]:
    form = FORMS.get(type(p))
    if form is None:  # pragma: no cover - every phrasal class has its form (tests/test_forms.py)
        raise TypeError(f"no phrase form for {type(p).__name__}")
    return form


def read_phrasal(cls: type[Phrasal], r: Reader) -> Phrasal:
    """Read one phrase form from r, the value's span covering the items it read."""
    start = r.peek()
    value = FORMS[cls].read(r)
    if start is not None and r.pos > 0:
        value.span = r.spanner(start.start, r.items[r.pos - 1].end)
    return value


def print_phrasal(p: Phrasal, kit: PrintKit) -> str:
    """A phrase form as .bpo text, with the printer's helpers."""
    return _form(p).print(p, kit)


def word_phrasal(p: Phrasal, f: Wording) -> str:
    """A phrase form in words, with one language's formatter."""
    return _form(p).word(p, f)


__all__ = ["FORMS", "Form", "PrintKit", "Wording", "read_phrasal", "print_phrasal", "word_phrasal"]
