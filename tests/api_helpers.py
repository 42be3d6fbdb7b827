"""Helpers for tests of the API's answers."""

from __future__ import annotations

from typing import Any

REASONS = {"fewer_than_k", "too_few_raters", "not_released"}  # core.api_figures.Suppressed


def is_figure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"value", "suppressed"}


def unfigure(data: Any) -> Any:
    """The API's JSON with every figure (`{"value": v, "suppressed": reason}`) replaced by its value, so it can
    be compared with what a page or a selector holds. A hidden figure must carry no value and a known reason."""
    if is_figure(data):
        assert data["suppressed"] is None or (data["value"] is None and data["suppressed"] in REASONS), data
        return data["value"]
    if isinstance(data, dict):
        return {k: unfigure(v) for k, v in data.items()}
    if isinstance(data, list):
        return [unfigure(v) for v in data]
    return data


def reasons(data: Any) -> set[str]:
    """Every reason code a JSON answer gives for a hidden figure."""
    if is_figure(data):
        return {data["suppressed"]} if data["suppressed"] else set()
    if isinstance(data, dict):
        return set().union(*(reasons(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(reasons(v) for v in data)) if data else set()
    return set()
