"""English: every word bpolang writes, one module per area, each area a flat dict of templates."""

from bpolang.i18n.en.assess import ASSESS
from bpolang.i18n.en.calendar import CALENDAR, TIMELINE
from bpolang.i18n.en.contract import MESSAGES, UNITS, VOCAB
from bpolang.i18n.en.diff import DIFF
from bpolang.i18n.en.figures import FIGURES

__all__ = ["ASSESS", "CALENDAR", "DIFF", "FIGURES", "MESSAGES", "TIMELINE", "UNITS", "VOCAB"]
