"""`--output-format json`: a JSON array of every diagnostic, as the model dumps it."""

from __future__ import annotations

import json

from bpolang.check.outputs.common import Checked


def render_json(checked: Checked) -> str:
    """A JSON array of every diagnostic, as the model dumps it."""
    out = [d.model_dump(mode="json", exclude_none=True) for _r, diags in checked for d in diags]
    return json.dumps(out, indent=2, ensure_ascii=False)
