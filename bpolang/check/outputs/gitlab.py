"""`--output-format gitlab`: a GitLab Code Quality report."""

from __future__ import annotations

import hashlib
import json

from bpolang.base.diagnostics import Severity
from bpolang.check.outputs.common import Checked, display_path

GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


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
            out.append(
                {
                    "description": f"{d.code} {d.message}",
                    "check_name": f"{d.code} {d.name}",
                    "fingerprint": fp,
                    "severity": GITLAB_SEVERITY[d.severity],
                    "location": {"path": path, "lines": {"begin": d.span.line if d.span else 1}},
                }
            )
    return json.dumps(out, indent=2, ensure_ascii=False)
