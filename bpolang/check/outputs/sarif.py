"""`--output-format sarif`: a SARIF 2.1.0 log for code-scanning services."""

from __future__ import annotations

import json

from bpolang.base.diagnostics import Diagnostic, Severity
from bpolang.base.errors import DOCS_URL
from bpolang.check.outputs.common import Checked, display_path

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _region(d: Diagnostic) -> dict:
    s = d.span
    if s is None:
        return {}
    return {
        "startLine": s.line,
        "startColumn": s.col,
        "endLine": s.end_line,
        "endColumn": max(s.end_col, s.col + (1 if s.end_line == s.line else 0)),
    }


def render_sarif(checked: Checked, version: str | None = None) -> str:
    """A SARIF 2.1.0 log: one run, every rule in tool.driver.rules, one result per diagnostic."""
    from bpolang import __version__
    from bpolang.check.rules.registry import load_all

    rules = list(load_all().values())
    index = {r.code: i for i, r in enumerate(rules)}
    driver_rules = []
    for r in rules:
        full = r.sections.get("What it checks") or r.summary
        driver_rules.append(
            {
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": " ".join(full.split())},
                "helpUri": r.url(),
                "defaultConfiguration": {"level": SARIF_LEVEL[r.severity]},
                "properties": {"area": r.area, "applies": r.applies.label, "source": r.source},
            }
        )
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
                related.append(
                    {
                        "id": i,
                        "message": {"text": label.message},
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri},
                            "region": _region(
                                Diagnostic(code=d.code, name=d.name, severity=d.severity, message="", span=label.span)
                            ),
                        },
                    }
                )
            if related:
                res["relatedLocations"] = related
            if d.fix is not None:
                res["properties"] = {"fix": d.fix.message, "fixSafe": d.fix.safe}
            results.append(res)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "bpolang",
                        "version": version or __version__,
                        "informationUri": DOCS_URL + "/",
                        "rules": driver_rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)
