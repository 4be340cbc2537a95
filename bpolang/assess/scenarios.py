"""Contract tests: scenarios of measurements with the outcome the parties agreed (`bpo test`).

A contract ``x.bpo`` may come with ``x.scenarios.yaml``::

    version: 1
    scenarios:
      - name: a missed month
        measurements: [assess/2027-09-missed.yaml]   # relative to the scenarios file
        history: assess/earlier                       # optional: a folder of earlier periods' files
        period: 2027-09                               # the period checked (default: the last)
        expect:
          credit: "2418.60"        # totals of a section: charge, minimum, credit, earn_back, penalty, late_payment
          invoice: "118511.40"
          met: {gos: false}        # service levels met or missed
          rights: [right_terminate]

Each expected figure is compared exactly with the assessment; a scenario passes when all do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bpolang.assess.engine import Period, assess
from bpolang.assess.measurements import Loaded, MeasurementsError, Problem, load, problems, read_yaml, review_dates

Section = Literal["charge", "minimum", "credit", "earn_back", "penalty", "late_payment", "invoice"]


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    totals: dict[Section, Decimal | None] = Field(default_factory=dict, description="Totals by section, and `invoice`.")
    met: dict[str, bool | None] = Field(
        default_factory=dict, description="Service levels met (true) or missed (false)."
    )
    rights: list[str] = Field(default_factory=list, description="The rights that open (`right_terminate`...).")
    breaches: list[str] | None = Field(default=None, description="The service levels whose breach trigger fires.")


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    measurements: list[str] = Field(min_length=1)
    history: str | None = Field(
        default=None, description="A folder of earlier periods' measurements (relative to the scenarios file)."
    )
    period: str | None = None
    expect: Expect


class ScenarioFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    scenarios: list[Scenario] = Field(min_length=1)


@dataclass
class Outcome:
    name: str
    differences: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.differences


def scenarios_path(contract_path: str) -> str:
    """The scenarios file next to a contract: `x.bpo` → `x.scenarios.yaml`."""
    stem = contract_path[:-4] if contract_path.endswith(".bpo") else contract_path
    return stem + ".scenarios.yaml"


def read(path: str) -> ScenarioFile:
    from bpolang.base.errors import InputError
    from bpolang.base.fileio import read_input

    try:
        data, _size, _stamp = read_input(path)
    except InputError as exc:
        raise MeasurementsError(str(exc)) from None
    raw = read_yaml(path, (data or b"").decode("utf-8", errors="replace"))
    try:
        return ScenarioFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise MeasurementsError(f"{path}: {loc}: {err['msg']}") from None


def run_files(result: Any, paths: list[str], history: str | None = None) -> tuple[list[Period], list[Problem]]:
    """Assess measurement files against a loaded contract (a :class:`bpolang.check.pipeline.Result`).

    With `history`, a folder of earlier periods' files: they are assessed first, in order, for the
    rolling triggers, the annual caps and earn-back, and only the periods of `paths` are returned."""
    earlier: list[Loaded] = [load(p) for p in history_files(history)] if history is not None else []
    loaded: list[Loaded] = [load(p) for p in paths]
    res = result.resolution
    everything = [*earlier, *loaded]
    found = problems(result.contract, everything, res.effective, res.end, review_dates(result.contract, res))
    if found:
        return [], found
    asked = {f.data.period for f in loaded}
    return [p for p in assess(result.contract, everything, res) if p.period in asked], []


MEASUREMENT_SUFFIXES = (".yaml", ".yml", ".json", ".csv")


def history_files(folder: str) -> list[str]:
    """The measurements files of a history folder (its `.yaml`, `.yml`, `.json` and `.csv` files, not its
    sub-folders), by name; raises MeasurementsError when the folder cannot be read."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise MeasurementsError(f"{folder}: cannot read the history folder ({exc.strerror or exc})") from None
    paths = [os.path.join(folder, n) for n in names if n.lower().endswith(MEASUREMENT_SUFFIXES)]
    return [p for p in paths if os.path.isfile(p)]


def run(result: Any, path: str) -> list[Outcome]:
    """Run every scenario of a scenarios file."""
    spec = read(path)
    base = os.path.dirname(path)
    out = []
    for sc in spec.scenarios:
        outcome = Outcome(sc.name)
        out.append(outcome)
        try:
            history = os.path.join(base, sc.history) if sc.history is not None else None
            periods, found = run_files(result, [os.path.join(base, m) for m in sc.measurements], history)
        except MeasurementsError as exc:
            outcome.differences.append(str(exc))
            continue
        if found:
            outcome.differences += [str(p) for p in found]
            continue
        period = next((p for p in periods if p.period == sc.period), None) if sc.period else periods[-1]
        if period is None:
            outcome.differences.append(f"no measurements for period {sc.period}")
            continue
        outcome.differences += compare(period, sc.expect)
    return out


def compare(p: Period, expect: Expect) -> list[str]:
    diffs = []
    for section, want in expect.totals.items():
        got = p.invoice if section == "invoice" else p.total(section)
        if got != want:
            diffs.append(f"{section}: expected {want}, got {got}")
    met = {r.sla: r.met for r in p.slas if r.severity is None}
    for sla, want_met in expect.met.items():
        if met.get(sla, "absent") != want_met:
            diffs.append(f"met[{sla}]: expected {want_met}, got {met.get(sla, 'no measurement')}")
    if expect.breaches is not None:
        fired = sorted(r.sla for r in p.slas if r.breach)
        if sorted(expect.breaches) != fired:
            diffs.append(f"breaches: expected {sorted(expect.breaches)}, got {fired}")
    got_rights = sorted({n.key for n in p.rights})
    if sorted(set(expect.rights)) != got_rights:
        diffs.append(f"rights: expected {sorted(set(expect.rights))}, got {got_rights}")
    return diffs
