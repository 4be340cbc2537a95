"""The law a sentence's legal qualification follows: the governing law, never the output language.

The French text of an English-law contract states no article of the French codes, and the English
text of a French-law contract cites them (they are the law of the contract).  The data-protection
regime named in the text (the GDPR, the UK GDPR) is the one the rules find applicable
(:mod:`bpolang.check.rules.law`), not guessed again here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bpolang.render.build import Builder


def french_law(b: Builder) -> bool:
    """The contract is governed by French law (`governing_law: FR`)."""
    from bpolang.check.rules.law import country_of_law

    law = b.c.governing_law
    return isinstance(law, str) and country_of_law(law) == "FR"


def data_law(b: Builder) -> str:
    """`gdpr`, `uk_gdpr` or `both`: the regulations that reach the contract's personal data;
    `plain` when neither does (a U.S. contract)."""
    from bpolang.check.rules.law import gdpr_applies, uk_gdpr_applies

    ctx = b.rules_context()
    with b.unnoted():  # a gate on the whole contract, like Builder.gdpr
        eu, uk = gdpr_applies(ctx), uk_gdpr_applies(ctx)
    return "both" if eu and uk else "gdpr" if eu else "uk_gdpr" if uk else "plain"


def gdpr_term(b: Builder) -> str:
    """The defined term the text names the regulation by: `UK GDPR` when only it applies."""
    return b.f.msg["term_uk_gdpr_bare" if data_law(b) == "uk_gdpr" else "term_gdpr_bare"]


def statutory(b: Builder, key: str) -> str:
    """`key_french_law` (the sentence that cites the French code) under French law, else `key`."""
    return key + "_french_law" if french_law(b) else key
