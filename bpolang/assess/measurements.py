"""The measurements of one period (`version: 1`), read from YAML, JSON or CSV, and checked against a contract.

A file holds one period (a month, ``YYYY-MM``): the measured value of each service level (or the
count and the total it is computed from, less excluded units with their reason), volumes by fee,
unit, rate or tier id, the actual dates of milestones and deliverables, and optionally the value
of a base (``monthly_fees``...).  Numbers are exact decimals: YAML and JSON numbers are read from
their text, never through a float.

Two kinds of error: a file that cannot be used at all (missing, not YAML/JSON/CSV, a field of the
wrong type, text in a number) raises :class:`MeasurementsError` (the command exits 2); a file that
is well formed but does not fit the contract (an unknown id, a percentage for a duration target,
a period outside the term, the same row twice) gives a list of :class:`Problem` (exit 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from bpolang.base.errors import InputError
from bpolang.model import contract as C
from bpolang.model.values import Duration, DurationUnit

VERSION = 1
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _in_range(v: Decimal) -> Decimal:
    if not -12 <= v.adjusted() <= 15:
        raise ValueError("a number out of range (more than 15 digits before the point, or 12 after)")
    return v if v else Decimal(0)


Exact = Annotated[Decimal, Field(allow_inf_nan=False), AfterValidator(_in_range)]
Count = Annotated[Decimal, Field(allow_inf_nan=False, ge=0), AfterValidator(_in_range)]
TIME_UNITS = ("seconds", "minutes", "hours", "days", "business_days")


class MeasurementsError(InputError):
    """A measurements file that cannot be read: missing, malformed, or a value of the wrong type."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Exclusion(_Strict):
    """Units removed from a measurement for a reason the service level excludes."""

    units: Count = Field(description="How many units (calls, minutes...) the excluded cause counted against the level.")
    reason: str = Field(description="The exclusion, one of the service level's `exclusions` words (`force_majeure`).")


class Ticket(_Strict):
    """One incident ticket of a service level: when it was opened, responded to, restored and resolved."""

    id: str = Field(description="The ticket's id, once in the file.")
    severity: str | None = Field(
        default=None, description="A severity id of the service level (needed when the level has severities)."
    )
    opened: dt.datetime = Field(
        description="When the ticket was opened: `2027-05-03T09:12:00+02:00`; without an offset, in the level's "
        "time zone (its `timezone`, or that of the services it applies to)."
    )
    responded: dt.datetime | None = Field(default=None, description="When the provider responded.")
    restored: dt.datetime | None = Field(default=None, description="When the service was restored (a workaround).")
    resolved: dt.datetime | None = Field(default=None, description="When the fault was resolved.")
    excluded: str | None = Field(
        default=None,
        description="Set when the ticket is excluded from the measurement: the reason, one of the level's "
        "`exclusions` (`client_caused`).",
    )


class Measured(_Strict):
    """The measured result of one service level in the period (or of one of its severities)."""

    sla: str = Field(description="The service level's id.")
    severity: str | None = Field(default=None, description="A severity id of the service level, for its times.")
    time: Literal["response", "restore", "resolution"] | None = Field(
        default=None,
        description="With `severity`: which of the severity's times is measured; with `tickets`, for a level "
        "without severities whose target is a duration: which time of the tickets the target limits.",
    )
    value: Exact | None = Field(
        default=None,
        description="The measured value: a percentage (97.2 for 97.2 %) for a percentage target, "
        "else a duration in `unit`.",
    )
    unit: Literal["percent", "seconds", "minutes", "hours", "days", "business_days"] | None = Field(
        default=None, description="The unit of `value`: `percent` (the default for a percentage target) or a time."
    )
    count: Count | None = Field(
        default=None,
        description="Instead of `value`: the units the metric counts (calls answered within 20 seconds; "
        "minutes available; calls abandoned for an `at_most` target).",
    )
    of: Count | None = Field(default=None, description="With `count`: the units measured in all (calls offered).")
    excluded: list[Exclusion] = Field(
        default_factory=list, description="Units removed from the measurement, each with its reason."
    )
    misses: int | None = Field(
        default=None,
        ge=0,
        description="How many times the level was missed in the period: alone, for a level with `allowed_misses` "
        "or a `deadline` (met when within the misses allowed); with a value, for per-occurrence credits.",
    )
    tickets: list[Ticket] = Field(
        default_factory=list,
        description="The incident tickets closed in the period. Alone, they measure the level: the share of "
        "tickets within their times for a percentage target, else the tickets missed (counted as `misses`). "
        "Beside a `value` or `count`, they measure the severities' times only.",
    )


class Invoice(_Strict):
    """An invoice issued under the contract, and when it was paid (for late-payment interest)."""

    number: str = Field(description="The invoice's number.")
    amount: Count = Field(description="The amount invoiced, in the pricing's currency.")
    issued: dt.date = Field(description="The date the invoice was issued.")
    due: dt.date | None = Field(
        default=None,
        description="The date payment is due; computed from the contract's `payment_terms` when they count "
        "from the invoice, and needed otherwise (`30 days from receipt`, `45 days end of month`).",
    )
    paid: dt.date | None = Field(default=None, description="The date it was paid; not given: not yet paid.")


class IndexReview(_Strict):
    """The index values of one review of the prices (the contract's `indexation`)."""

    review: dt.date = Field(description="The review date: one of the dates the indexation's `review` gives.")
    values: dict[str, Exact] = Field(
        default_factory=dict,
        description="The index values the contract's `formula` reads, by its names (`S0`, `S1`); without a "
        "formula, `base` (the value the previous price was set on) and `current`.",
    )
    change: Exact | None = Field(
        default=None,
        description="For `method: published_change`: the rate of change the index publisher published, in % "
        "(2.1 for 2.1 %).",
    )


class Measurements(_Strict):
    """One period's measurements (version 1)."""

    version: Literal[1] = Field(description="The version of this format: 1.")
    period: str = Field(description="The month measured: `YYYY-MM`.")
    service_levels: list[Measured] = Field(default_factory=list)
    volumes: dict[str, Count] = Field(
        default_factory=dict, description="The volume of the period by fee, unit, rate or tier id."
    )
    milestones: dict[str, dt.date] = Field(default_factory=dict, description="Actual dates of milestones, by id.")
    deliverables: dict[str, dt.date] = Field(
        default_factory=dict, description="Actual delivery dates of deliverables, by id."
    )
    bases: dict[Literal["monthly_fees", "annual_fees"], Count] = Field(
        default_factory=dict,
        description="The amount of a base in the pricing's currency, when it is agreed rather than computed.",
    )
    invoices: list[Invoice] = Field(
        default_factory=list,
        description="Invoices issued and paid: interest and the fixed indemnity run on one paid after its due date, "
        "and are charged in the period it is paid.",
    )
    indexation: list[IndexReview] = Field(
        default_factory=list,
        description="The index values of each review of the prices in force in the period (every review date "
        "of the contract on or before the period's first day), in order.",
    )
    reference_rates: dict[str, Exact] = Field(
        default_factory=dict,
        description="The reference rates, in % a year, that the contract's `late_interest` counts from, as they "
        "applied to the late payment: `ecb_rate`, `legal_rate`, or the contract's own word (`prime_rate`).",
    )

    @field_validator("period")
    @classmethod
    def _period(cls, v: str) -> str:
        if not PERIOD.match(v):
            raise ValueError("a period is a month written YYYY-MM, e.g. 2027-03")
        return v

    @property
    def first_day(self) -> dt.date:
        return dt.date(int(self.period[:4]), int(self.period[5:]), 1)

    @property
    def last_day(self) -> dt.date:
        first = self.first_day
        nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)


@dataclass(frozen=True)
class Loaded:
    """A measurements file as read: its path, its content, and where each JSON path came from (CSV rows)."""

    path: str
    data: Measurements
    origin: dict[str, str]  # JSON path -> "row N" for CSV files

    def where(self, jpath: str) -> str:
        return f"{self.path}: {self.origin.get(jpath, jpath)}"


@dataclass(frozen=True)
class Problem:
    """A measurement that does not fit the contract."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def json_schema() -> dict:
    """The JSON Schema of a measurements file (`bpo schema --measurements`)."""
    from bpolang.base.errors import DOCS_URL

    schema = Measurements.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{DOCS_URL}/schema/measurements-v{VERSION}.json",
        **schema,
    }


# ------------------------------------------------------------------ reading
def load(path: str) -> Loaded:
    """Read one measurements file (`.yaml`, `.yml`, `.json` or `.csv`); raises MeasurementsError."""
    from bpolang.base.fileio import read_input

    try:
        data, _size, _stamp = read_input(path)
    except InputError as exc:
        raise MeasurementsError(str(exc)) from None
    if data is None:
        raise MeasurementsError(f"{path}: too large for a measurements file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MeasurementsError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    lower = path.lower()
    origin: dict[str, str] = {}
    if lower.endswith(".csv"):
        raw, origin = _from_csv(path, text)
    elif lower.endswith(".json"):
        from bpolang.format.interchange import DataRefused, check_json

        try:
            check_json(text)
            raw = json.loads(text, parse_float=exact_number, parse_int=exact_number, parse_constant=str)
        except json.JSONDecodeError as exc:
            raise MeasurementsError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
        except DataRefused as exc:
            raise MeasurementsError(f"{path}{_at(exc)}: {exc}") from None
    elif lower.endswith((".yaml", ".yml")):
        raw = read_yaml(path, text)
    else:
        raise MeasurementsError(f"{path}: a measurements file ends in .yaml, .yml, .json or .csv")
    if not isinstance(raw, dict):
        raise MeasurementsError(f"{path}: a measurements file is a mapping with `version` and `period`")
    return Loaded(path, parse(path, raw, origin), origin)


def parse(path: str, raw: dict, origin: dict[str, str] | None = None) -> Measurements:
    """Validate an already-read mapping; the first error names its JSON path (or CSV row)."""
    origin = origin or {}
    if "version" in raw:
        if str(_plain(raw["version"])) != str(VERSION):
            where = origin.get("version", "version")
            raise MeasurementsError(f"{path}: {where}: this bpolang reads measurements version {VERSION}")
        raw = {**raw, "version": VERSION}
    try:
        return Measurements.model_validate(_plainer(raw))
    except ValidationError as exc:
        err = exc.errors()[0]
        jpath = _jpath(err["loc"])
        where = origin.get(jpath, jpath or "(top)")
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return _raise(f"{path}: {where}: {_message(err)}{more}")


def _raise(message: str) -> Measurements:
    raise MeasurementsError(message)


def _message(err: Any) -> str:
    if err["type"] in ("decimal_parsing", "finite_number"):
        return f"not a number: {err['input']!r}"
    if err["type"] == "extra_forbidden":
        return "unknown field"
    if err["type"] == "missing":
        return "missing"
    return str(err["msg"])


def _jpath(loc: tuple) -> str:
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _plain(v: Any) -> Any:
    return int(v) if isinstance(v, Decimal) and v == v.to_integral_value() else v


def _plainer(v: Any) -> Any:
    """Integers where JSON gave whole decimals for integer fields (`version`, `misses`); pydantic takes the rest."""
    if isinstance(v, dict):
        return {k: (_plain(x) if k in ("version", "misses") else _plainer(x)) for k, x in v.items()}
    if isinstance(v, list):
        return [_plainer(x) for x in v]
    return v


def _at(exc: Any) -> str:
    return f":{exc.line}:{exc.col}" if getattr(exc, "line", None) else ""


PLAIN_NUMBER = re.compile(r"^[-+]?[0-9][0-9_]*(\.[0-9_]*)?$")


def exact_number(text: str) -> Decimal | str:
    """A number written in plain decimal notation as an exact Decimal; anything else (`1e999`, `.inf`) stays text,
    which the format then refuses as not a number."""
    return Decimal(text.replace("_", "")) if PLAIN_NUMBER.match(text) and len(text) <= 40 else text


def read_yaml(path: str, text: str) -> Any:
    """YAML, safely (no anchors, no deep nesting: the contract importer's limits), with every number an exact
    decimal read from its text and every date left as text for the format to read; raises MeasurementsError."""
    import yaml

    from bpolang.format.interchange import DataRefused, check_yaml

    def build(node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = build(key_node)
                if key in out:
                    mark = key_node.start_mark
                    raise MeasurementsError(f"{path}:{mark.line + 1}:{mark.column + 1}: {key!r} is given twice")
                out[key] = build(value_node)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(n) for n in node.value]
        value = str(node.value)
        tag = node.tag.rsplit(":", 1)[-1]
        if tag in ("int", "float"):
            return exact_number(value)
        if tag == "bool":
            return value.lower() in ("true", "yes", "on")
        if tag == "null":
            return None
        return value

    try:
        check_yaml(text)
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except DataRefused as exc:
        raise MeasurementsError(f"{path}{_at(exc)}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise MeasurementsError(f"{path}{at}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    return None if root is None else build(root)


CSV_COLUMNS = (
    "kind",
    "id",
    "value",
    "unit",
    "count",
    "of",
    "reason",
    "severity",
    "time",
    "misses",
    "issued",
    "due",
    "paid",
    "ticket",
    "opened",
    "responded",
    "restored",
    "resolved",
    "review",
)
CSV_KINDS = (
    "version",
    "period",
    "service_level",
    "excluded",
    "volume",
    "milestone",
    "deliverable",
    "base",
    "invoice",
    "reference_rate",
    "ticket",
    "index",
)


TICKET_COLUMNS = (
    ("severity", "severity"),
    ("opened", "opened"),
    ("responded", "responded"),
    ("restored", "restored"),
    ("resolved", "resolved"),
    ("reason", "excluded"),
)


def _from_csv(path: str, text: str) -> tuple[dict, dict[str, str]]:
    """A CSV file: a header naming some of CSV_COLUMNS (`kind` and `id` first), one record a row."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise MeasurementsError(f"{path}: empty file")
    header = [h.strip() for h in rows[0]]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown or header[:2] != ["kind", "id"]:
        raise MeasurementsError(
            f"{path}: row 1: the header starts with `kind,id` and names only {', '.join(CSV_COLUMNS)}"
            + (f" (not {', '.join(unknown)})" if unknown else "")
        )
    raw: dict[str, Any] = {"service_levels": []}
    origin: dict[str, str] = {}
    slas: dict[str, int] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise MeasurementsError(f"{path}: row {n}: {len(row)} cells for {len(header)} columns")
        rec = {h: row[i].strip() for i, h in enumerate(header) if i < len(row) and row[i].strip()}
        kind, rid = rec.get("kind", ""), rec.get("id", "")

        def cell(col: str, jpath: str, rec=rec, n=n) -> str | None:
            origin[jpath] = f"row {n}, column {col}"
            return rec.get(col)

        if kind in ("version", "period"):
            raw[kind] = cell("value", kind)
        elif kind == "service_level":
            i = len(raw["service_levels"])
            slas.setdefault(f"{rid}/{rec.get('severity', '')}/{rec.get('time', '')}", i)
            entry: dict[str, Any] = {"sla": rid}
            origin[f"service_levels[{i}]"] = f"row {n}"
            origin[f"service_levels[{i}].sla"] = f"row {n}, column id"
            for col in ("value", "unit", "count", "of", "severity", "time", "misses"):
                got = cell(col, f"service_levels[{i}].{col}")
                if got is not None:
                    entry[col] = got
            raw["service_levels"].append(entry)
        elif kind == "excluded":
            key = next((k for k in slas if k.startswith(f"{rid}/")), None)
            if key is None:
                raise MeasurementsError(
                    f"{path}: row {n}: an `excluded` row follows the `service_level` row of {rid!r}"
                )
            target = raw["service_levels"][slas[key]]
            j = len(target.setdefault("excluded", []))
            base = f"service_levels[{slas[key]}].excluded[{j}]"
            target["excluded"].append(
                {"units": cell("count", f"{base}.units"), "reason": cell("reason", f"{base}.reason")}
            )
        elif kind == "ticket":
            key = next((k for k in slas if k.startswith(f"{rid}//")), None)
            if key is None:
                key = f"{rid}//"
                slas[key] = len(raw["service_levels"])
                raw["service_levels"].append({"sla": rid})
                origin[f"service_levels[{slas[key]}]"] = f"row {n}"
            tickets = raw["service_levels"][slas[key]].setdefault("tickets", [])
            base = f"service_levels[{slas[key]}].tickets[{len(tickets)}]"
            origin[base] = f"row {n}"
            ticket: dict[str, Any] = {"id": cell("ticket", f"{base}.id")}
            for col, key in TICKET_COLUMNS:
                got = cell(col, f"{base}.{key}")
                if got is not None:
                    ticket[key] = got
            tickets.append(ticket)
        elif kind == "index":
            review = rec.get("review", "")
            reviews = raw.setdefault("indexation", [])
            at = next((k for k, r in enumerate(reviews) if r["review"] == review), None)
            if at is None:
                at = len(reviews)
                reviews.append({"review": cell("review", f"indexation[{at}].review")})
                origin[f"indexation[{at}]"] = f"row {n}"
            if rid == "change":
                reviews[at]["change"] = cell("value", f"indexation[{at}].change")
            else:
                bucket = reviews[at].setdefault("values", {})
                if rid in bucket:
                    raise MeasurementsError(f"{path}: row {n}: a second index row for {rid!r} at {review}")
                bucket[rid] = cell("value", f"indexation[{at}].values.{rid}")
        elif kind == "invoice":
            i = len(raw.setdefault("invoices", []))
            origin[f"invoices[{i}]"] = f"row {n}"
            invoice: dict[str, Any] = {"number": rid, "amount": cell("value", f"invoices[{i}].amount")}
            for col in ("issued", "due", "paid"):
                got = cell(col, f"invoices[{i}].{col}")
                if got is not None:
                    invoice[col] = got
            raw["invoices"].append(invoice)
        elif kind in ("volume", "milestone", "deliverable", "base", "reference_rate"):
            section = {
                "volume": "volumes",
                "milestone": "milestones",
                "deliverable": "deliverables",
                "base": "bases",
                "reference_rate": "reference_rates",
            }[kind]
            bucket = raw.setdefault(section, {})
            if rid in bucket:
                raise MeasurementsError(f"{path}: row {n}: a second {kind} row for {rid!r}")
            bucket[rid] = cell("value", f"{section}.{rid}")
        else:
            raise MeasurementsError(f"{path}: row {n}, column kind: {kind!r} is not one of {', '.join(CSV_KINDS)}")
    return raw, origin


# ------------------------------------------------------------------ against the contract
def problems(
    contract: C.Contract,
    loaded: list[Loaded],
    effective: dt.date | None,
    end: dt.date | None,
    reviews: list[dt.date] | None = None,
) -> list[Problem]:
    """What in the files does not fit the contract: ids, units, duplicates, periods outside the term."""
    out: list[Problem] = []
    slas = {s.id: s for s in contract.service_levels if s.id}
    pricing = contract.pricing
    priced = set()
    if pricing is not None:
        priced = {x.id for x in [*pricing.fees, *pricing.units, *pricing.rates, *pricing.tiers] if x.id}
    milestones = {m.id for m in contract.milestones if m.id}
    deliverables = {d.id for d in contract.deliverables if d.id}
    periods: dict[str, str] = {}
    for f in loaded:
        m = f.data
        if m.period in periods:
            out.append(Problem(f.where("period"), f"period {m.period} is also in {periods[m.period]}"))
        periods.setdefault(m.period, f.path)
        if (effective and m.last_day < effective) or (end and m.first_day > end):
            span = f"{effective or '?'} to {end or '?'}"
            out.append(Problem(f.where("period"), f"period {m.period} is outside the term ({span})"))
        seen: set[tuple] = set()
        tickets: set[str] = set()
        for i, row in enumerate(m.service_levels):
            at = f.where(f"service_levels[{i}]")
            sla = slas.get(row.sla)
            if sla is None:
                out.append(Problem(at, f"no service level {row.sla!r} in the contract{_known(slas)}"))
                continue
            key = (row.sla, row.severity, row.time)
            if key in seen:
                out.append(Problem(at, f"a second measurement of {_label(key)}"))
            seen.add(key)
            if row.tickets:
                out += ticket_problems(contract, f, i, row, sla, tickets)
            if not row.tickets or measured_beside(row):
                out += _row_problems(f, i, row, sla)
        listed: tuple[tuple[str, set, dict], ...] = (
            ("fee, unit, rate or tier", priced, m.volumes),
            ("milestone", milestones, m.milestones),
            ("deliverable", deliverables, m.deliverables),
        )
        for kind, ids, given in listed:
            section = {"milestone": "milestones", "deliverable": "deliverables"}.get(kind, "volumes")
            for name in given:
                if name not in ids:
                    out.append(Problem(f.where(f"{section}.{name}"), f"no {kind} {name!r} in the contract"))
        out += _invoice_problems(contract, f)
        out += _index_problems(contract, f, reviews or [])
    return out


def review_dates(contract: C.Contract, resolution: Any) -> list[dt.date] | None:
    """The review dates of the contract's indexation over the term (its `review` expanded): none without
    indexation, None when they cannot be known (a review that is not a recurrence, no term).

    A date on or before the effective date is not a review: the contract's prices are those in force
    on that date (`review: every year on 01-01` in a contract effective on 1 January reviews them first
    a year later)."""
    pricing = contract.pricing
    ix = pricing.indexation if pricing is not None else None
    if ix is None:
        return []
    if not isinstance(ix.review, C.Recurrence) or resolution is None:
        return None
    dates = resolution.expand(ix.review)
    effective = resolution.effective
    return None if dates is None else [d for d in dates if effective is None or d > effective]


def index_names(ix: C.Indexation) -> tuple[str, ...] | None:
    """The index values a review gives for this indexation: the formula's names, `base` and `current`
    without a formula, none for a published change; None when the formula is not read."""
    if ix.method == "published_change":
        return ()
    if isinstance(ix.formula, str):
        from bpolang.assess.formula import read

        formula = read(ix.formula)
        return None if formula is None else formula.variables
    return ("base", "current")


def _index_problems(contract: C.Contract, f: Loaded, reviews: list[dt.date]) -> list[Problem]:
    pricing = contract.pricing
    ix = pricing.indexation if pricing is not None else None
    out: list[Problem] = []
    if f.data.indexation and ix is None:
        return [Problem(f.where("indexation"), "the contract has no indexation")]
    if ix is None:
        return out
    names = index_names(ix)
    dates: set[dt.date] = set()
    for k, r in enumerate(f.data.indexation):
        at = f.where(f"indexation[{k}]")
        if r.review in dates:
            out.append(Problem(at, f"the review of {r.review} is given twice"))
        dates.add(r.review)
        if r.review not in reviews:
            listed = ", ".join(str(d) for d in reviews if d <= f.data.last_day) or "none by then"
            out.append(Problem(at, f"{r.review} is not a review date of the indexation (its reviews: {listed})"))
        elif r.review > f.data.first_day:
            out.append(Problem(at, f"the review of {r.review} is not in force on the period's first day"))
        if ix.method == "published_change":
            if r.change is None or r.values:
                out.append(Problem(at, "the indexation applies the published change: give `change`, in %"))
            continue
        if r.change is not None:
            out.append(Problem(at, "`change` goes with `method: published_change`; give the index `values`"))
        if names is None:
            continue  # the formula is not read: stated on the statement
        for name in r.values:
            if name not in names:
                out.append(Problem(f.where(f"indexation[{k}].values.{name}"), f"the formula reads no {name!r}"))
            elif r.values[name] <= 0:
                out.append(Problem(f.where(f"indexation[{k}].values.{name}"), "an index value is more than 0"))
        missing = [n for n in names if n not in r.values]
        if missing:
            out.append(Problem(at, f"give the index values {', '.join(missing)}"))
    return out


def terms_due(contract: C.Contract, issued: dt.date) -> dt.date | None:
    """The due date the contract's `payment_terms` give an invoice issued on `issued`, when they count from the
    invoice in calendar days, weeks or months (`30 days from invoice`); None when they need another date
    (receipt, end of month, acceptance) or are not typed."""
    pricing = contract.pricing
    terms = pricing.payment_terms if pricing is not None else None
    if (
        not isinstance(terms, C.PaymentTerms)
        or terms.start != "invoice"
        or terms.not_before_day is not None
        or not isinstance(terms.days, Duration)
        or terms.days.unit not in (DurationUnit.DAYS, DurationUnit.WEEKS, DurationUnit.MONTHS, DurationUnit.YEARS)
    ):
        return None
    from bpolang.resolve.calendar import add_duration

    try:
        return add_duration(issued, terms.days.amount, terms.days.unit.value)
    except ValueError:
        return None


def _invoice_problems(contract: C.Contract, f: Loaded) -> list[Problem]:
    out: list[Problem] = []
    numbers: set[str] = set()
    for i, inv in enumerate(f.data.invoices):
        at = f.where(f"invoices[{i}]")
        if inv.number in numbers:
            out.append(Problem(at, f"invoice {inv.number!r} is listed twice"))
        numbers.add(inv.number)
        computed = terms_due(contract, inv.issued)
        if inv.paid is not None and inv.paid < inv.issued:
            out.append(Problem(at, f"invoice {inv.number!r} is paid ({inv.paid}) before it is issued ({inv.issued})"))
        if inv.due is None and computed is None:
            out.append(
                Problem(at, f"the contract's payment terms do not give the due date of {inv.number!r}: give `due`")
            )
        elif inv.due is not None and computed is not None and inv.due != computed:
            out.append(
                Problem(
                    at,
                    f"invoice {inv.number!r} is due on {computed} by the contract's payment terms, not {inv.due}",
                )
            )
        elif inv.due is not None and inv.due < inv.issued:
            out.append(Problem(at, f"invoice {inv.number!r} falls due ({inv.due}) before it is issued ({inv.issued})"))
    return out


def _row_problems(f: Loaded, i: int, row: Measured, sla: C.ServiceLevel) -> list[Problem]:
    at = f.where(f"service_levels[{i}]")
    out: list[Problem] = []
    if row.severity is not None:
        sev = next((s for s in sla.severities if s.id == row.severity), None)
        if sev is None:
            return [Problem(at, f"service level {sla.id!r} has no severity {row.severity!r}")]
        if row.time is None or row.value is None or row.count is not None:
            return [Problem(at, "a severity's measurement gives `time` (response, restore or resolution) and `value`")]
        if not isinstance(getattr(sev, row.time), Duration):
            return [Problem(at, f"severity {row.severity!r} sets no {row.time} time")]
        if row.unit in (None, "percent"):
            return [Problem(at, f"a {row.time} time is a duration: give `unit` ({', '.join(TIME_UNITS)})")]
        return out
    if row.time is not None:
        out.append(Problem(at, "`time` goes with `severity`"))
    if row.value is None and row.count is None and row.misses is not None:
        if not counts_misses(sla):
            out.append(Problem(at, f"{sla.id!r} sets no `allowed_misses` or `deadline`: give `value` or `count`"))
        return out
    if (row.value is None) == (row.count is None):
        out.append(Problem(at, "give either `value` or `count` and `of`"))
    if row.count is not None and row.of is None:
        out.append(Problem(at, "`count` goes with `of`, the units measured in all"))
    if row.count is not None and row.of is not None and row.count > row.of:
        out.append(Problem(at, f"count {row.count} is more than of {row.of}"))
    target = sla.target
    if isinstance(target, Duration):
        if row.count is not None or row.unit in (None, "percent"):
            out.append(Problem(at, f"the target of {sla.id!r} is a duration: give `value` with a time `unit`"))
        elif _hours(row.unit) is None or target.hours() is None:
            if row.unit != target.unit.value:
                out.append(Problem(at, f"unit {row.unit} cannot be compared with the target's {target.unit.value}"))
    elif row.unit not in (None, "percent"):
        out.append(Problem(at, f"the target of {sla.id!r} is a percentage: unit {row.unit} is wrong"))
    if row.value is not None and row.unit in (None, "percent") and not (0 <= row.value <= 100):
        out.append(Problem(at, f"a percentage is between 0 and 100, not {row.value}"))
    for j, ex in enumerate(row.excluded):
        if row.count is None:
            out.append(Problem(f.where(f"service_levels[{i}].excluded[{j}]"), "excluded units go with `count`"))
        elif ex.reason not in sla.exclusions:
            allowed = ", ".join(sla.exclusions) or "none"
            out.append(
                Problem(
                    f.where(f"service_levels[{i}].excluded[{j}].reason"),
                    f"{sla.id!r} does not exclude {ex.reason!r} (its exclusions: {allowed})",
                )
            )
    total = sum((ex.units for ex in row.excluded), Decimal(0))
    if row.of is not None and row.excluded and total >= row.of:
        out.append(Problem(at, f"the excluded units ({total}) leave nothing measured of {row.of}"))
    return out


TICKET_TIMES = (("response", "responded"), ("restore", "restored"), ("resolution", "resolved"))
TICKET_UNITS = ("seconds", "minutes", "hours", "days", "weeks", "business_days")


def zone_of(contract: C.Contract, sla: C.ServiceLevel) -> Any:
    """The time zone of a level's tickets given without an offset: the level's `timezone`, else the one time zone
    of the services it applies to; a `ZoneInfo`, or None when the contract names no such zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    def named(text: Any) -> Any:
        if not isinstance(text, str) or "/" not in text or ".." in text or text.startswith("/"):
            return None
        try:
            return ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            return None

    own = named(sla.timezone)
    if own is not None:
        return own
    ids = {r.id for r in sla.applies_to}
    zones = {str(z): z for z in (named(s.timezone) for s in contract.services if s.id in ids) if z is not None}
    return next(iter(zones.values())) if len(zones) == 1 else None


def ticket_limits(sla: C.ServiceLevel, row: Measured, severity: str | None) -> list[tuple[str, str, Duration]]:
    """The times a ticket is held to: (time, the ticket's field, the limit): its severity's times, or, for a level
    without severities whose target is a duration, the target for the row's `time`."""
    if sla.severities:
        sev = next((s for s in sla.severities if s.id == severity), None)
        if sev is None:
            return []
        return [(t, fld, getattr(sev, t)) for t, fld in TICKET_TIMES if isinstance(getattr(sev, t), Duration)]
    if isinstance(sla.target, Duration) and row.time is not None:
        return [(t, fld, sla.target) for t, fld in TICKET_TIMES if t == row.time]
    return []


def ticket_problems(
    contract: C.Contract, f: Loaded, i: int, row: Measured, sla: C.ServiceLevel, seen: set[str]
) -> list[Problem]:
    """What in a level's tickets does not fit the contract: ids, severities, times, exclusions, time zones."""
    at = f.where(f"service_levels[{i}]")
    if measured_beside(row):
        if not sla.severities:
            return [Problem(at, f"beside a value, tickets measure a level's severities: {sla.id!r} has none")]
    elif row.severity is not None or row.misses is not None:
        return [Problem(at, "tickets give the level's misses: no `severity` or `misses` beside them")]
    elif row.unit is not None or row.of is not None or row.excluded:
        return [
            Problem(
                at,
                "tickets measure the level: no `unit`, `of` or excluded units beside them "
                "(a ticket is excluded by its own `excluded` reason)",
            )
        ]
    if not sla.severities:
        if not isinstance(sla.target, Duration):
            return [Problem(at, f"{sla.id!r} has no severities and no duration target to hold tickets to")]
        if row.time is None:
            return [
                Problem(
                    at,
                    f"give `time` (response, restore or resolution): which time of the tickets "
                    f"the target of {sla.id!r} limits",
                )
            ]
    elif row.time is not None:
        return [Problem(at, "`time` goes with a level without severities: each severity sets its own times")]
    out: list[Problem] = []
    zone = zone_of(contract, sla)
    for j, t in enumerate(row.tickets):
        base = f"service_levels[{i}].tickets[{j}]"
        here = f.where(base)
        if t.id in seen:
            out.append(Problem(here, f"ticket {t.id!r} is listed twice"))
        seen.add(t.id)
        if sla.severities and t.severity is None:
            out.append(
                Problem(here, f"{sla.id!r} has severities ({_ids(sla.severities)}): give the ticket's `severity`")
            )
            continue
        if t.severity is not None and not any(s.id == t.severity for s in sla.severities):
            known = f" (its severities: {_ids(sla.severities)})" if sla.severities else ""
            out.append(Problem(f.where(f"{base}.severity"), f"{sla.id!r} has no severity {t.severity!r}{known}"))
            continue
        if t.excluded is not None and t.excluded not in sla.exclusions:
            allowed = ", ".join(sla.exclusions) or "none"
            out.append(
                Problem(
                    f.where(f"{base}.excluded"),
                    f"{sla.id!r} does not exclude {t.excluded!r} (its exclusions: {allowed})",
                )
            )
        stamps = [t.opened, *(getattr(t, fld) for _, fld in TICKET_TIMES)]
        if zone is None and any(x is not None and x.tzinfo is None for x in stamps):
            out.append(
                Problem(here, f"a time without an offset, and {sla.id!r} names no time zone: write `+01:00` or `Z`")
            )
            continue
        for _, fld in TICKET_TIMES:
            when = getattr(t, fld)
            if when is not None and aware(when, zone) < aware(t.opened, zone):
                out.append(Problem(f.where(f"{base}.{fld}"), f"ticket {t.id!r} is {fld} ({when}) before it is opened"))
        for time, fld, limit in ticket_limits(sla, row, t.severity):
            if getattr(t, fld) is None:
                out.append(
                    Problem(
                        here,
                        f"ticket {t.id!r} gives no `{fld}`: its {time} time is limited to "
                        f"{limit.amount} {limit.unit.value} (list a ticket in the period it is closed)",
                    )
                )
            elif limit.unit.value not in TICKET_UNITS:
                out.append(Problem(here, f"a {time} time in {limit.unit.value} is not measured from timestamps"))
    return out


def aware(when: dt.datetime, zone: Any) -> dt.datetime:
    """A ticket's time with its zone: as written when it gives an offset, else in the level's zone."""
    return when if when.tzinfo is not None else when.replace(tzinfo=zone)


def measured_beside(row: Measured) -> bool:
    """Whether a row with tickets also gives the level's value or count (the tickets then measure severities)."""
    return row.value is not None or row.count is not None


def _ids(items: list) -> str:
    return ", ".join(str(x.id) for x in items)


def counts_misses(sla: C.ServiceLevel) -> bool:
    """Whether a level is met by its number of misses in the window (`allowed_misses`, or a daily `deadline`)."""
    return isinstance(sla.allowed_misses, int) or isinstance(sla.deadline, dt.time)


def _hours(unit: str | None) -> Decimal | None:
    return {"seconds": Decimal(1) / 3600, "minutes": Decimal(1) / 60, "hours": Decimal(1), "days": Decimal(24)}.get(
        unit or ""
    )


def in_hours(value: Decimal, unit: str) -> Decimal | None:
    """A measured time in hours, where that is exact (not business days)."""
    per = _hours(unit)
    return None if per is None else value * per


def duration_hours(d: Duration) -> Decimal | None:
    return d.hours() if d.unit != DurationUnit.BUSINESS_DAYS else None


def _known(ids: dict) -> str:
    return f" (its service levels: {', '.join(sorted(ids))})" if ids else ""


def _label(key: tuple) -> str:
    sla, sev, time = key
    return f"{sla!r}" + (f", severity {sev!r} {time}" if sev else "")
