"""MkDocs hook: the JSON Schema of the exported model, published with the site.

Written at ``schema/contract.json`` of the built site — the schema's ``$id``
(:data:`bpolang.format.interchange.SCHEMA_PATH` under the docs URL) — so that YAML and JSON editors
can use it by its address (docs/interchange.md says how).
"""

from __future__ import annotations

import json
from pathlib import Path


def on_post_build(config, **_kwargs) -> None:
    from bpolang.format.interchange import SCHEMA_PATH, json_schema

    target = Path(config["site_dir"]) / SCHEMA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
