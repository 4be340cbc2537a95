"""The model as JSON and YAML, and back: export, import with located errors, JSON Schema.

Money amounts are exported as decimal strings ("8500.00" keeps its digits)
and dates as ISO strings, so nothing is lost to floats.  YAML is written so
that a YAML 1.2 reader and PyYAML (YAML 1.1) read the same values: any string
that either would take for a number, a boolean or null is quoted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bpolang.model.compare import strip_spans

# Plain scalars that YAML 1.1 or 1.2 would read as something other than a string.
_AMBIGUOUS = re.compile(
    r"""^(?:
        [-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
      | [-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?
      | 0o[0-7]+ | 0x[0-9a-fA-F]+ | 0b[01_]+
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
      | null|Null|NULL|~|
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*
      | [0-9]+(?::[0-5]?[0-9])+(?:\.[0-9]*)?
    )$""",
    re.VERBOSE,
)


def to_data(contract, spans: bool = False) -> Any:
    """The model as plain JSON data (no spans unless asked)."""
    data = contract.model_dump(mode="json", exclude_none=True)
    return data if spans else strip_spans(data)


def to_json(contract, spans: bool = False) -> str:
    return json.dumps(to_data(contract, spans), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def to_yaml(contract, spans: bool = False) -> str:
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def represent_str(dumper: yaml.SafeDumper, value: str):
        style = '"' if _AMBIGUOUS.match(value) or "\n" in value and value != value.strip() else None
        if style is None and "\n" in value:
            style = "|"
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, represent_str)
    return yaml.dump(to_data(contract, spans), Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)


@dataclass
class ImportProblem:
    """An invalid value in a YAML or JSON contract: where (as a path and a line) and what."""

    path: str
    message: str
    line: int | None = None
    col: int | None = None


def _locate_yaml(node, loc: tuple) -> tuple[int, int] | None:
    import yaml

    best = node
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if k.value == str(part):
                    nxt = v
                    break
            if nxt is None:
                break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        best = node
    return best.start_mark.line + 1, best.start_mark.column + 1


def load_data(text: str, kind: str) -> tuple[Any, Any]:
    """Parse YAML (safely) or JSON; returns (data, yaml node tree or None)."""
    if kind == "json":
        return json.loads(text), None
    import yaml

    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return yaml.safe_load(text), node


def from_data(data: Any, node=None):
    """A contract model from JSON data, or the problems with their paths."""
    from pydantic import ValidationError

    from bpolang.model.contract import Contract

    try:
        return Contract.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for err in _closest_alternatives(exc.errors()):
            loc = tuple(p for p in err["loc"] if not _is_member(p))
            where = ".".join(str(p) for p in loc) or "(top level)"
            line = col = None
            if node is not None:
                found = _locate_yaml(node, loc)
                if found:
                    line, col = found
            problems.append(ImportProblem(where, err["msg"], line, col))
        return None, problems


def _is_member(part) -> bool:
    """A location segment naming a union alternative (`Duration`, `literal['x']`, a tag)."""
    return isinstance(part, str) and (
        part[:1].isupper() or part.startswith(("literal[", "function-")) or part in _UNION_TAGS
    )


def _closest_alternatives(errors: list[dict]) -> list[dict]:
    """For a value matching no alternative of a union, keep the errors of the closest one.

    pydantic reports every alternative; a person wants to hear about the one they meant:
    the alternative with the fewest errors, preferring one whose `kind` matched.
    """
    groups: dict[tuple, dict[str, list[dict]]] = {}
    order: list[tuple] = []
    plain: list[dict] = []
    for err in errors:
        loc = err["loc"]
        idx = next((i for i, p in enumerate(loc) if _is_member(p)), None)
        if idx is None:
            plain.append(err)
            continue
        key = tuple(loc[:idx])
        if key not in groups:
            groups[key] = {}
            order.append(key)
        groups[key].setdefault(str(loc[idx]), []).append(err)
    out = list(plain)
    for key in order:
        members = groups[key]

        def badness(errs: list[dict]) -> tuple[int, int]:
            kind_wrong = any(
                e["loc"][-1] == "kind" or e["type"] == "literal_error" and "kind" in str(e["loc"]) for e in errs
            )
            return (1 if kind_wrong else 0, len(errs))

        best = min(members.values(), key=badness)
        out.extend(best)
    return out


# pydantic puts the tag of a discriminated union (e.g. `money`) in the error location
_UNION_TAGS = {
    "money",
    "duration",
    "percentage",
    "number",
    "quantity",
    "rate",
    "ref",
    "relative_amount",
    "offset",
    "date_expr",
    "recurrence",
    "call",
    "arith",
    "unknown",
}


SCHEMA_PATH = "schema/contract.json"
"""Where the documentation site publishes the schema (docs/hooks/schema.py), under DOCS_URL."""
# A time of day in a contract is local (`08:30`, exported `08:30:00`): JSON Schema's `time`
# format is RFC 3339's full-time, which requires an offset, so validators with formats on would
# refuse every exported time. The schema says what the export writes instead.
_LOCAL_TIME = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?$|^24:00(:00)?$"}


def json_schema() -> dict:
    """The JSON Schema of the exported model (positions omitted), with its published `$id`."""
    from bpolang.base.errors import DOCS_URL
    from bpolang.model.contract import Contract

    schema = Contract.model_json_schema(mode="validation")
    _local_times(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{DOCS_URL}/{SCHEMA_PATH}",
        "title": "bpolang contract",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def _local_times(node) -> None:
    """Replace `"format": "time"` (which needs an offset) by the local time of day the export writes."""
    if isinstance(node, dict):
        if node.get("format") == "time":
            del node["format"]
            node.update(_LOCAL_TIME)
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)
