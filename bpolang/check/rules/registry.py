"""The rule registry: every check declared once, with its code, name, severity and documentation.

A rule is a plain function ``fn(ctx) -> Iterable[Diagnostic]`` registered with the :func:`rule`
decorator.  The code is stable; the severity is kept apart from it (configuration may change a
severity, never a code).  The language's own diagnostics (BPO001-BPO020) and the suppression
diagnostics (BPO090-BPO092) are registered too, without a function: they are always on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bpolang.base.diagnostics import Diagnostic, Severity
from bpolang.base.errors import DOCS_URL

if TYPE_CHECKING:  # pragma: no cover
    from bpolang.check.rules.context import Context

AREAS: dict[str, str] = {
    "language": "Language and suppressions",
    "structure": "Structure and scope",
    "schedule": "Dates, term and notice",
    "pricing": "Price, invoicing and payment",
    "service-levels": "Service levels and credits",
    "penalties": "Penalties",
    "governance": "Governance",
    "data": "Data protection",
    "other": "Security, exit, change, liability, subcontracting, continuity, audit, labour",
    "financial": "Regulated financial entities",
}

_CODE = re.compile(r"^BPO[0-9]{3}$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SECTIONS = ("What it checks", "Why it matters", "Example", "Fix")


@dataclass(frozen=True)
class Applicability:
    """When a rule applies: a predicate on the check context and the words that say it."""

    label: str
    test: Callable[[Context], bool]
    law: str = ""  # the legal test behind the label, with its articles (shown by `bpo rule` and the docs)
    # a note added to each finding, naming the law it rests on when the contract decides it
    note: Callable[[Context], str | None] | None = None

    def __call__(self, ctx: Context) -> bool:
        return self.test(ctx)


ALWAYS = Applicability("every contract", lambda ctx: True)


@dataclass
class Rule:
    """A declared rule: metadata plus the function (None for the always-on language codes)."""

    code: str
    name: str
    severity: Severity
    area: str
    summary: str
    source: str
    refs: tuple[str, ...] = ()
    applies: Applicability = ALWAYS
    fn: Callable[[Context], Iterable[Diagnostic]] | None = None
    doc: str = ""
    always_on: bool = False
    fixable: bool = False
    verify: bool = False  # rests on a secondary source ([verify] in the catalog)
    sections: dict[str, str] = field(default_factory=dict)

    def url(self) -> str:
        """The rule's page in the documentation."""
        return f"{DOCS_URL}/rules/{self.area}/#{self.code.lower()}"


REGISTRY: dict[str, Rule] = {}
_BY_NAME: dict[str, Rule] = {}


class RegistryError(Exception):
    """A rule declared twice, or declared badly: a bug caught at import."""


def _register(r: Rule) -> Rule:
    if not _CODE.match(r.code):
        raise RegistryError(f"rule code {r.code!r} is not of the form BPO123")
    if not _NAME.match(r.name):
        raise RegistryError(f"rule name {r.name!r} is not kebab-case")
    if r.area not in AREAS:
        raise RegistryError(f"rule {r.code}: unknown area {r.area!r}")
    if r.code in REGISTRY:
        raise RegistryError(f"duplicate rule code {r.code} ({REGISTRY[r.code].name} and {r.name})")
    if r.name in _BY_NAME:
        raise RegistryError(f"duplicate rule name {r.name} ({_BY_NAME[r.name].code} and {r.code})")
    REGISTRY[r.code] = r
    _BY_NAME[r.name] = r
    return r


def parse_sections(doc: str) -> dict[str, str]:
    """Split a rule docstring into its ``## Section`` parts (the summary under "")."""
    import inspect

    text = inspect.cleandoc(doc or "")
    parts: dict[str, list[str]] = {"": []}
    current = ""
    for line in text.splitlines():
        m = re.match(r"^#{1,3}\s+(.*?)\s*$", line)
        if m and m.group(1) in SECTIONS:
            current = m.group(1)
            parts[current] = []
            continue
        parts[current].append(line)
    return {k: "\n".join(v).strip() for k, v in parts.items()}


def rule(
    code: str,
    name: str,
    severity: str,
    *,
    area: str,
    source: str,
    refs: tuple[str, ...] | str = (),
    applies: Applicability = ALWAYS,
    fixable: bool = False,
    verify: bool = False,
) -> Callable[[Callable], Callable]:
    """Declare a rule; refuses a duplicate code or name and a docstring without its sections."""

    def wrap(fn: Callable) -> Callable:
        sections = parse_sections(fn.__doc__ or "")
        missing = [s for s in SECTIONS if not sections.get(s)]
        if missing:
            raise RegistryError(f"rule {code} ({name}): docstring lacks " + ", ".join(missing))
        for s in ("Example", "Fix"):
            if "```bpo" not in sections[s]:
                raise RegistryError(f"rule {code} ({name}): the {s} section has no ```bpo block")
        summary = sections[""].split("\n\n")[0].replace("\n", " ").strip()
        _register(
            Rule(
                code=code,
                name=name,
                severity=Severity(severity),
                area=area,
                summary=summary,
                source=source,
                refs=(refs,) if isinstance(refs, str) else tuple(refs),
                applies=applies,
                fn=fn,
                doc=fn.__doc__ or "",
                fixable=fixable,
                verify=verify,
                sections=sections,
            )
        )
        return fn

    return wrap


SUPPRESSION_CODES = (
    ("BPO090", "unused-suppression", Severity.WARNING, "A `# bpo: ignore[...]` comment that suppresses nothing."),
    ("BPO091", "suppression-without-reason", Severity.WARNING, "A suppression comment that gives no reason."),
    (
        "BPO092",
        "invalid-suppression",
        Severity.ERROR,
        "A suppression comment that is malformed, misplaced, or names an unknown code or a language diagnostic.",
    ),
)


def _register_fixed() -> None:
    """The language's codes and the suppression diagnostics: documented, always on."""
    from bpolang.model.build import LANGUAGE_CODES

    for code, (name, severity, summary) in LANGUAGE_CODES.items():
        _register(Rule(code, name, severity, "language", summary, "the bpolang language", always_on=True))
    for code, name, severity, summary in SUPPRESSION_CODES:
        _register(Rule(code, name, severity, "language", summary, "bpolang suppression comments", always_on=True))


_LOADED = False
RULE_MODULES = (
    "structure",
    "schedule",
    "pricing",
    "service_levels",
    "penalties",
    "governance",
    "data",
    "other",
    "financial",
)


def load_all() -> dict[str, Rule]:
    """Import every rule module once and return the registry (code -> rule), sorted by code."""
    global _LOADED
    if not _LOADED:
        import importlib

        _register_fixed()
        for mod in RULE_MODULES:
            importlib.import_module(f"{__package__}.{mod}")
        ordered = dict(sorted(REGISTRY.items()))
        REGISTRY.clear()
        REGISTRY.update(ordered)
        _LOADED = True
    return REGISTRY


def lookup(key: str) -> Rule | None:
    """A rule by code (any case) or by name."""
    load_all()
    return REGISTRY.get(key.strip().upper()) or _BY_NAME.get(key.strip().lower())


def resolve_selector(key: str) -> list[Rule] | None:
    """The rules a selector names: ``ALL``, an area, a code, a name, or a code prefix (``BPO3``)."""
    load_all()
    k = key.strip()
    if k.upper() == "ALL":
        return list(REGISTRY.values())
    if k.lower() in AREAS:
        return [r for r in REGISTRY.values() if r.area == k.lower()]
    found = lookup(k)
    if found is not None:
        return [found]
    if re.match(r"^BPO[0-9]{1,2}$", k.upper()):
        return [r for r in REGISTRY.values() if r.code.startswith(k.upper())] or None
    return None
