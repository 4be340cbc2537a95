"""English: every word bpolang writes, one module per area, each area a flat dict of templates."""

from bpolang.i18n.en.assess import ASSESS
from bpolang.i18n.en.calendar import CALENDAR, TIMELINE
from bpolang.i18n.en.contract import MESSAGES, UNITS, VOCAB
from bpolang.i18n.en.diff import DIFF
from bpolang.i18n.en.figures import FIGURES
from bpolang.i18n.en.portfolio import PORTFOLIO

__all__ = ["ASSESS", "CALENDAR", "DIFF", "FIGURES", "MESSAGES", "PORTFOLIO", "TIMELINE", "UNITS", "VOCAB"]
