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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

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
    data = _untranslated_dropped(contract.model_dump(mode="json", exclude_none=True))
    return data if spans else strip_spans(data)


def _untranslated_dropped(obj: Any) -> Any:
    """A dump without the empty `translations` of the blocks that translate nothing (its default)."""
    if isinstance(obj, dict):
        return {k: _untranslated_dropped(v) for k, v in obj.items() if not (k == "translations" and v == {})}
    if isinstance(obj, list):
        return [_untranslated_dropped(v) for v in obj]
    return obj


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


# Limits checked before a JSON or YAML document is turned into Python data, so a hostile
# file costs linear time and memory: nesting (the model is 12 levels deep at most), the
# characters of one number (an amount has 22 at most), YAML aliases (none in an export).
MAX_IMPORT_DEPTH = 64
MAX_NUMBER_CHARS = 40


class DataRefused(ValueError):
    """A JSON or YAML document refused before parsing (too deep, a huge number, an alias)."""

    def __init__(self, message: str, line: int | None = None, col: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.col = col


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_OPEN_CLOSE = re.compile(r"[\[\]{}]")


def check_json(text: str) -> None:
    """Refuse, before parsing, a JSON text nested too deep or holding a huge number (DataRefused)."""
    depth = 0
    for m in _JSON_OPEN_CLOSE.finditer(_JSON_STRING.sub('""', text)):
        depth += 1 if m.group() in "[{" else -1
        if depth > MAX_IMPORT_DEPTH:
            raise DataRefused(f"nested more than {MAX_IMPORT_DEPTH} levels deep")


def _json_number(kind):
    def convert(text: str):
        if len(text) > MAX_NUMBER_CHARS:
            raise DataRefused(f"a number of more than {MAX_NUMBER_CHARS} characters")
        return kind(text)

    return convert


def _json_constant(name: str):
    raise DataRefused(f"`{name}` is not a number a contract can hold")


def check_yaml(text: str) -> None:
    """Refuse, before building any data, a YAML text beyond the limits: nesting, anchors and aliases, huge numbers
    (DataRefused, with the line and column)."""
    import yaml

    depth = 0
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for event in yaml.parse(text, Loader=loader):
        mark = event.start_mark
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_IMPORT_DEPTH:
                raise DataRefused(f"nested more than {MAX_IMPORT_DEPTH} levels deep", mark.line + 1, mark.column + 1)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise DataRefused("YAML anchors and aliases are not accepted", mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.ScalarEvent) and event.style is None and len(event.value) > MAX_NUMBER_CHARS:
            if _AMBIGUOUS.match(event.value):
                raise DataRefused(
                    f"a number of more than {MAX_NUMBER_CHARS} characters", mark.line + 1, mark.column + 1
                )


def load_data(text: str, kind: str) -> tuple[Any, Any]:
    """Parse YAML (safely) or JSON; returns (data, yaml node tree or None).

    DataRefused for a document beyond the limits above, before it is turned into data.
    """
    if kind == "json":
        check_json(text)
        data = json.loads(
            text, parse_int=_json_number(int), parse_float=_json_number(float), parse_constant=_json_constant
        )
        return data, None
    import yaml

    check_yaml(text)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    node = yaml.compose(text, Loader=loader)
    return yaml.safe_load(text), node


def from_data(data: Any, node=None):
    """A contract model from JSON data, or the problems with their paths.

    The data is held to the rules of the text: the types (pydantic), the bounds of values
    (BPO020 in a .bpo file), and then the contract printed as .bpo text must read back,
    without a language error, to the very same model (ids, titles, text blocks...).
    """
    from pydantic import ValidationError

    from bpolang.model import bounds
    from bpolang.model.contract import Contract

    def problem(loc: tuple, message: str) -> ImportProblem:
        where = ".".join(str(p) for p in loc) or "(top level)"
        line = col = None
        if node is not None:
            found = _locate_yaml(node, loc)
            if found:
                line, col = found
        return ImportProblem(where, message, line, col)

    if not isinstance(data, dict):
        return None, [problem((), "a contract must be an object (a mapping of its fields)")]
    try:
        contract = Contract.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in _closest_alternatives(exc.errors()):
            loc = tuple(p for p in err["loc"] if not _is_member(p))
            problems.append(problem(loc, err["msg"]))
        return None, problems
    unwritable = bounds.model_problems(contract)
    if unwritable:
        return None, [problem(loc, message) for loc, message in unwritable]
    unreadable = _readback_problems(contract)
    if unreadable:
        return None, [problem(loc, message) for loc, message in unreadable]
    return contract, []


def _readback_problems(contract) -> list[tuple[tuple, str]]:
    """What keeps a model from reading back from its .bpo text unchanged: located language errors."""
    from bpolang.base.diagnostics import Severity
    from bpolang.check.pipeline import parse
    from bpolang.format.printer import Unprintable, print_unformatted
    from bpolang.model.build import LANGUAGE_CODES
    from bpolang.model.compare import semantic_dump

    try:
        text = print_unformatted(contract)
    except Unprintable as exc:
        return [(tuple(exc.path), f"{exc.message}: this cannot be written in a .bpo file")]
    back = parse(text)
    out = []
    for d in back.diagnostics:
        if d.severity is Severity.ERROR and d.code in LANGUAGE_CODES:
            loc = _path_at(back.contract, d.span.start) if d.span is not None and back.contract else ()
            out.append((loc, f"{d.message} (as .bpo text: {d.code})"))
    if out:
        return out
    first = _first_difference(semantic_dump(contract), semantic_dump(back.contract))
    if first is not None:
        return [(first, "this value cannot be written in a .bpo file as it is (it would read back differently)")]
    return []


def _path_at(model, offset: int) -> tuple:
    """The path of the innermost value of a model whose span holds an offset."""
    from pydantic import BaseModel

    path: tuple = ()
    node = model
    while True:
        found: tuple[tuple[str | int, ...], Any] | None = None
        children: list[tuple[str | int, Any]]
        if isinstance(node, BaseModel):
            children = [(name, getattr(node, name)) for name in type(node).model_fields if name != "span"]
        elif isinstance(node, list):
            children = list(enumerate(node))
        else:
            children = []
        for key, value in children:
            span = getattr(value, "span", None)
            if isinstance(value, list):
                for i, item in enumerate(value):
                    s = getattr(item, "span", None)
                    if s is not None and s.start <= offset <= s.end:
                        found = ((key, i), item)
                        break
            elif span is not None and span.start <= offset <= span.end:
                found = ((key,), value)
            if found:
                break
        if found is None:
            return path
        keys, node = found
        path += keys


def _first_difference(a: Any, b: Any) -> tuple | None:
    """The path of the first place two JSON dumps differ, or None (iterative)."""
    stack: list[tuple[Any, Any, tuple]] = [(a, b, ())]
    while stack:
        x, y, path = stack.pop()
        if isinstance(x, dict) and isinstance(y, dict):
            if x.keys() != y.keys():
                return path + (sorted(x.keys() ^ y.keys())[0],)
            stack.extend((x[k], y[k], path + (k,)) for k in reversed(list(x)))
        elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
            stack.extend((p, q, path + (i,)) for i, (p, q) in reversed(list(enumerate(zip(x, y)))))
        elif x != y:
            return path
    return None


def _is_member(part) -> bool:
    """A location segment naming a union alternative (`Duration`, `literal['x']`, a tag)."""
    return isinstance(part, str) and (
        part[:1].isupper() or part.startswith(("literal[", "function-")) or part in _UNION_TAGS
    )


def _closest_alternatives(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """For a value matching no alternative of a union, keep the errors of the closest one.

    pydantic reports every alternative; a person wants to hear about the one they meant:
    the alternative with the fewest errors, preferring one whose `kind` matched.
    """
    groups: dict[tuple, dict[str, list[ErrorDetails]]] = {}
    order: list[tuple] = []
    plain: list[ErrorDetails] = []
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

        def badness(errs: list[ErrorDetails]) -> tuple[int, int]:
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
