"""The changes between two versions as a report: sentences for people, JSON for tools."""

from __future__ import annotations

import json
from typing import Any

from bpolang.i18n import catalog, no_break

MARKS = {"added": "+", "removed": "-", "changed": "~", "reordered": "~", "moved": ">"}


def diff_results(old: Any, new: Any, lang: str) -> tuple[list, list[str]]:
    """The described changes between two loaded results, and notes (different ids)."""
    from bpolang.diff.engine import compare
    from bpolang.diff.sentences import describe

    changes = describe(compare(old.contract, new.contract, old.resolution, new.resolution), old, new, lang)
    notes = []
    if old.contract.id != new.contract.id:
        nb = no_break(lang)
        notes.append(catalog(lang)["DIFF"]["note_ids"].format(nb=nb, old=old.contract.id, new=new.contract.id))
    return changes, notes


def _counts(changes: list) -> dict[str, int]:
    counts = {"added": 0, "removed": 0, "changed": 0, "moved": 0}
    for c in changes:
        counts["changed" if c.change == "reordered" else c.change] += 1
    return counts


def as_text(changes: list, notes: list[str], old_name: str, new_name: str, lang: str) -> str:
    msg = catalog(lang)["DIFF"]
    nb = no_break(lang)
    lines = [msg["header"].format(old=old_name, new=new_name), *notes, ""]
    if not changes:
        lines.append(msg["no_changes"])
        return "\n".join(lines)
    lines += [f"{MARKS[c.change]} {c.sentence}" for c in changes]
    counts = _counts(changes)
    parts = [msg["count_" + k].format(n=n) for k, n in counts.items() if n]
    lines += ["", msg["summary"].format(n=len(changes), parts=", ".join(parts), nb=nb)]
    return "\n".join(lines)


def as_json(changes: list, notes: list[str], old: Any, new: Any, old_name: str, new_name: str, lang: str) -> str:
    from bpolang.diff.engine import to_json

    def one(c) -> dict[str, Any]:
        item: dict[str, Any] = {
            "kind": c.kind,
            "path": list(c.path),
            "change": c.change,
            "key": c.key,
            "old": to_json(c.old),
            "new": to_json(c.new),
            "sentence": c.sentence,
        }
        if c.added or c.removed:
            item["added"] = to_json(c.added)
            item["removed"] = to_json(c.removed)
        if c.translation is not None:
            item["translation"] = c.translation
        if c.reason is not None:
            item["reason"] = {k: to_json(v) for k, v in c.reason.items() if k != "element"}
        return item

    doc = {
        "old": {"path": old_name, "id": old.contract.id},
        "new": {"path": new_name, "id": new.contract.id},
        "lang": lang,
        "notes": notes,
        "summary": _counts(changes),
        "changes": [one(c) for c in changes],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)
