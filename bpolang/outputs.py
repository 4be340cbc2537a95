"""Output formats of `bpo check`: full, concise, json, sarif, github, gitlab, junit.

Every format reads the same :class:`~bpolang.diagnostics.Diagnostic` objects.  Each renderer
takes a list of ``(result, diagnostics)`` pairs — one per checked file, clean files included —
and returns the text to print (without a trailing newline for the line-based formats).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from .diagnostics import Diagnostic, Severity

FORMATS = ("full", "concise", "json", "sarif", "github", "gitlab", "junit")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}

Checked = Sequence[tuple[object, list[Diagnostic]]]


def display_path(path: str | None, base: Path | None = None) -> str:
    """The path relative to the current folder when below it, with forward slashes."""
    if not path or path == "<stdin>":
        return "<stdin>" if path == "<stdin>" else "<unknown>"
    p = Path(path)
    try:
        rel = p.resolve().relative_to((base or Path.cwd()).resolve())
        return rel.as_posix()
    except (ValueError, OSError):
        return p.as_posix()


def render_json(checked: Checked) -> str:
    """A JSON array of every diagnostic, as the model dumps it."""
    out = [d.model_dump(mode="json", exclude_none=True) for _r, diags in checked for d in diags]
    return json.dumps(out, indent=2, ensure_ascii=False)


# ------------------------------------------------------------------ SARIF 2.1.0
def _region(d: Diagnostic) -> dict:
    s = d.span
    if s is None:
        return {}
    return {"startLine": s.line, "startColumn": s.col, "endLine": s.end_line, "endColumn": max(s.end_col, s.col + (1 if s.end_line == s.line else 0))}


def render_sarif(checked: Checked, version: str | None = None) -> str:
    """A SARIF 2.1.0 log: one run, every rule in tool.driver.rules, one result per diagnostic."""
    from . import __version__
    from .rules.registry import load_all

    rules = list(load_all().values())
    index = {r.code: i for i, r in enumerate(rules)}
    driver_rules = []
    for r in rules:
        full = r.sections.get("What it checks") or r.summary
        driver_rules.append({
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": " ".join(full.split())},
            "helpUri": r.url(),
            "defaultConfiguration": {"level": SARIF_LEVEL[r.severity]},
            "properties": {"area": r.area, "applies": r.applies.label, "source": r.source},
        })
    results = []
    for _r, diags in checked:
        for d in diags:
            uri = display_path(d.path)
            loc: dict = {"physicalLocation": {"artifactLocation": {"uri": uri}}}
            region = _region(d)
            if region:
                loc["physicalLocation"]["region"] = region
            res: dict = {
                "ruleId": d.code,
                "level": SARIF_LEVEL[d.severity],
                "message": {"text": d.message + (f"\nhelp: {d.help}" if d.help else "")},
                "locations": [loc],
            }
            if d.code in index:
                res["ruleIndex"] = index[d.code]
            related = []
            for i, label in enumerate(d.labels):
                related.append({
                    "id": i,
                    "message": {"text": label.message},
                    "physicalLocation": {"artifactLocation": {"uri": uri}, "region": _region(Diagnostic(
                        code=d.code, name=d.name, severity=d.severity, message="", span=label.span))},
                })
            if related:
                res["relatedLocations"] = related
            if d.fix is not None:
                res["properties"] = {"fix": d.fix.message, "fixSafe": d.fix.safe}
            results.append(res)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "bpolang",
                "version": version or __version__,
                "informationUri": "https://bpolang.github.io/bpolang",
                "rules": driver_rules,
            }},
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)


# ------------------------------------------------------------------ GitHub workflow commands
def github_escape_data(text: str) -> str:
    """Escape a workflow-command message: %, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(text: str) -> str:
    """Escape a workflow-command property value: also `:` and `,`."""
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(checked: Checked) -> str:
    """One `::error file=...,line=...::message` line per diagnostic."""
    lines = []
    for _r, diags in checked:
        for d in diags:
            props = [f"file={github_escape_property(display_path(d.path))}"]
            if d.span is not None:
                s = d.span
                props += [f"line={s.line}", f"col={s.col}", f"endLine={s.end_line}", f"endColumn={s.end_col}"]
            props.append(f"title={github_escape_property(f'{d.code} {d.name}')}")
            message = d.message + (f"\nhelp: {d.help}" if d.help else "")
            lines.append(f"::{GITHUB_LEVEL[d.severity]} {','.join(props)}::{github_escape_data(message)}")
    return "\n".join(lines)


# ------------------------------------------------------------------ GitLab Code Quality
def gitlab_fingerprint(path: str, code: str, message: str, line_text: str) -> str:
    """A stable fingerprint: it does not change when the finding's line moves."""
    raw = "\x00".join((path, code, message, line_text.strip()))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def render_gitlab(checked: Checked) -> str:
    """A GitLab Code Quality report (a JSON array of issues)."""
    out = []
    seen: dict[str, int] = {}
    for result, diags in checked:
        source = getattr(result, "source", None)
        for d in diags:
            path = display_path(d.path)
            line_text = ""
            if d.span is not None and source is not None:
                line_text = source.index.line_text(d.span.line)
            fp = gitlab_fingerprint(path, d.code, d.message, line_text)
            n = seen.get(fp, 0)
            seen[fp] = n + 1
            if n:
                fp = hashlib.sha256(f"{fp}:{n}".encode()).hexdigest()
            out.append({
                "description": f"{d.code} {d.message}",
                "check_name": f"{d.code} {d.name}",
                "fingerprint": fp,
                "severity": GITLAB_SEVERITY[d.severity],
                "location": {"path": path, "lines": {"begin": d.span.line if d.span else 1}},
            })
    return json.dumps(out, indent=2, ensure_ascii=False)


# ------------------------------------------------------------------ JUnit XML
def render_junit(checked: Checked) -> str:
    """JUnit XML: one testsuite per file, one failing testcase per diagnostic (a passing one if clean)."""
    import xml.etree.ElementTree as ET

    from .report import render_concise

    root = ET.Element("testsuites", name="bpo check")
    total = failures = 0
    for result, diags in checked:
        path = display_path(getattr(getattr(result, "source", None), "path", None) or (diags[0].path if diags else None))
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(max(1, len(diags))), failures=str(len(diags)), errors="0")
        if not diags:
            ET.SubElement(suite, "testcase", name="bpo check", classname=path)
            total += 1
        for d in diags:
            where = f"{d.span.line}:{d.span.col}" if d.span else ""
            case = ET.SubElement(suite, "testcase", name=f"{d.code} {d.name} {where}".strip(), classname=path)
            fail = ET.SubElement(case, "failure", message=d.message, type=d.severity.value)
            fail.text = render_concise(d, getattr(result, "source", None)) + (f"\nhelp: {d.help}" if d.help else "")
            total += 1
            failures += 1
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


RENDERERS: dict[str, Callable[[Checked], str]] = {
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "gitlab": render_gitlab,
    "junit": render_junit,
}


