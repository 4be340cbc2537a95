"""French: every word bpolang writes, one module per area, each area a flat dict of templates."""

from bpolang.i18n.fr.assess import ASSESS
from bpolang.i18n.fr.calendar import CALENDAR, TIMELINE
from bpolang.i18n.fr.contract import MESSAGES, UNITS, VOCAB
from bpolang.i18n.fr.diff import DIFF
from bpolang.i18n.fr.figures import FIGURES
from bpolang.i18n.fr.portfolio import PORTFOLIO

__all__ = ["ASSESS", "CALENDAR", "DIFF", "FIGURES", "MESSAGES", "PORTFOLIO", "TIMELINE", "UNITS", "VOCAB"]
