"""Comparing models by meaning: spans (positions) excluded."""

from __future__ import annotations

from typing import Any


def strip_spans(obj: Any) -> Any:
    """A dump without any `span` key, at any depth."""
    if isinstance(obj, dict):
        return {k: strip_spans(v) for k, v in obj.items() if k != "span"}
    if isinstance(obj, list):
        return [strip_spans(v) for v in obj]
    return obj


def semantic_dump(model) -> Any:
    """What a model means: its JSON dump without positions (pydantic `==` would compare spans too)."""
    if model is None:
        return None
    return strip_spans(model.model_dump(mode="json"))
