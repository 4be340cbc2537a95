"""The articles and annexes of the rendered contract: one module per family, in document order.

Each entry takes the :class:`~bpolang.render.build.Builder` (the contract, its resolution, the
formatter of the document's language) and returns its section — ``None`` when the contract says
nothing it would state, a list for the contract's own clauses.  The builder numbers what is
returned in this order; a new article goes into its family's module and into this list.
"""

from __future__ import annotations

from bpolang.render.articles import (
    calendar,
    data,
    governance,
    legal,
    penalties,
    prices,
    purpose,
    scope,
    service_levels,
    structure,
)

ARTICLES = (
    purpose.art_purpose,
    structure.art_documents,
    structure.art_affiliates,
    scope.art_scope,
    scope.art_deliverables,
    scope.art_schedule,
    service_levels.art_service_levels,
    prices.art_prices,
    penalties.art_penalties,
    governance.art_governance,
    governance.art_change,
    data.art_data,
    data.art_confidentiality,
    structure.art_ip,
    structure.art_exclusivity,
    structure.art_audits,
    legal.art_liability,
    legal.art_subcontracting,
    legal.art_continuity,
    legal.art_force_majeure,
    legal.art_term,
    legal.art_law,
    structure.art_assignment,
    structure.art_notices,
    structure.art_entire_agreement,
    structure.art_survival,
    legal.art_clauses,
)

ANNEXES = (
    service_levels.annex_sla,
    prices.annex_prices,
    data.annex_dpa,
    calendar.annex_calendar,
)

# Keys of the model the rendering does not state yet, each an expected failure of
# tests/test_render_coverage.py (a family's own module may hold its own set), with what each lacks.
UNRENDERED: frozenset[str] = frozenset()
