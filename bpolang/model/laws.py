"""Governing-law codes: ISO 3166-1 countries, ISO 3166-2 subdivisions, the United Kingdom's legal systems.

`governing_law: FR`, `governing_law: US-NY`, `governing_law: GB-SCT`.  A country code must be an
assigned ISO 3166-1 alpha-2 code; a subdivision must be a well-formed ISO 3166-2 suffix and, when
the public-holiday data (the `holidays` package) knows the country's subdivisions, one of them.
"""

from __future__ import annotations

import functools
import re

# ISO 3166-1 alpha-2, officially assigned codes (plus UK, the United Kingdom's exceptionally
# reserved code, and EU, reserved for the European Union, both long accepted here).
ISO_3166_1 = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
    BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
    EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
    HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
    LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
    NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
    TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW UK EU
    """.split()
)

# The legal systems of the United Kingdom, by name, and their ISO 3166-2 codes.
UK_NATIONS = {
    "ENGLAND": "GB-ENG",
    "ENGLAND_WALES": "GB-ENG",
    "WALES": "GB-WLS",
    "SCOTLAND": "GB-SCT",
    "NORTHERN_IRELAND": "GB-NIR",
}

_SUBDIVISION = re.compile(r"[A-Z0-9]{1,3}")


@functools.lru_cache(maxsize=256)
def _known_subdivisions(country: str) -> frozenset[str] | None:
    """The subdivision codes the holiday data knows for a country (None: it does not know them)."""
    import holidays  # lazy: a heavy import, only for a subdivision code

    try:
        cls = type(holidays.country_holidays(country))
    except NotImplementedError:
        return None
    codes = frozenset(s for s in getattr(cls, "subdivisions", ()) if _SUBDIVISION.fullmatch(s))
    return codes or None


def law_problem(code: str) -> str | None:
    """Why a governing-law code is not valid, or None when it is."""
    upper = code.upper()
    if upper in UK_NATIONS:
        return None
    country, dash, sub = upper.partition("-")
    if country not in ISO_3166_1 or len(country) != 2:
        return f"`{country}` is not an ISO 3166-1 country code (`FR`, `DE`, `US`...)"
    if not dash:
        return None
    if not _SUBDIVISION.fullmatch(sub):
        return f"`{sub}` is not an ISO 3166-2 subdivision code (`US-NY`, `GB-SCT`)"
    known = _known_subdivisions("GB" if country == "UK" else country)
    if known is not None and sub not in known:
        return f"`{sub}` is not a subdivision of `{country}` in ISO 3166-2 (known: {', '.join(sorted(known))})"
    return None


def calendar_of_law(code: str) -> str | None:
    """The public-holiday calendar a governing law implies: `FR`, `US-NY`, `GB-SCT`."""
    upper = code.upper()
    if upper in UK_NATIONS:
        return UK_NATIONS[upper]
    country, dash, sub = upper.partition("-")
    if len(country) != 2:
        return None
    country = {"UK": "GB"}.get(country, country)
    return f"{country}-{sub}" if dash else country


def paper_of_law(code: str | None) -> str:
    """The paper a firm prints a contract on: `letter` under the law of the United States or one
    of its states (`US`, `US-NY`), `A4` everywhere else and when no law is given."""
    if code is None:
        return "A4"
    return "letter" if code.upper().partition("-")[0] == "US" else "A4"
