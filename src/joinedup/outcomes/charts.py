"""The Vega-Lite spec of an indicator's SPC chart (drawn by static/joinedup/joinedup.js; the page's table holds
the same figures). Points are coloured and shaped by their type; each group has its own mean and process
limits, so the line breaks at a new definition or a rebase, where a labelled rule marks the break."""

from __future__ import annotations

from typing import Any

from joinedup.analysis.spc import PointType
from joinedup.outcomes.series import POINT_WORDS, SeriesReading

# Colours after the NHS.UK palette, each type with its own shape too (colour is never the only cue).
TYPE_STYLE = {
    PointType.COMMON_CAUSE: ("#768692", "circle"),
    PointType.IMPROVEMENT: ("#005eb8", "triangle-up"),
    PointType.CONCERN: ("#d5281b", "diamond"),
    PointType.NEUTRAL_HIGH: ("#330072", "triangle-up"),
    PointType.NEUTRAL_LOW: ("#330072", "triangle-down"),
}
NARROW = "containerSize()[0] < 480"


Spec = dict[str, Any]


def spc_chart(unit: str, read: SeriesReading) -> Spec:
    """The chart of `read` (the page's heading names the indicator; the y axis its unit)."""
    x = _x_axis(read)
    y = {"type": "quantitative", "title": unit, "scale": _y_scale(read)}
    layers = [
        _group_line("upl", x, y, [4, 3]),
        _group_line("lpl", x, y, [4, 3]),
        _group_line("mean", x, y, []),
        {
            "mark": {"type": "line", "color": "#425563", "strokeWidth": 1.5},
            "encoding": {"x": x, "y": {**y, "field": "value"}, "detail": {"field": "group"}},
        },
        _points(read, x, y),
        *_trajectory(read, x, y),
        *_target(read),
        *_breaks(read, x),
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container",
        "height": 280,
        "data": {"values": _rows(read)},
        "layer": layers,
        "config": {
            "axis": {"labelFontSize": 12, "titleFontSize": 12},
            "legend": {
                "orient": "bottom",
                "direction": "horizontal",
                "labelFontSize": 12,
                "titleFontSize": 12,
            },
        },
    }


def _rows(read: SeriesReading) -> list[dict[str, Any]]:
    return [
        {
            "period": p.period.isoformat(),
            "label": p.label,
            "value": p.value,
            "mean": round(p.mean, 4),
            "lpl": None if p.lpl is None else round(p.lpl, 4),
            "upl": None if p.upl is None else round(p.upl, 4),
            "group": p.group,
            "type": POINT_WORDS[p.point_type],
            "trajectory": p.trajectory,
        }
        for p in read.points
    ]


def _x_axis(read: SeriesReading) -> Spec:
    """Periods in time, a tick at each point (those that would overlap left out), turned on a phone."""
    return {
        "field": "period",
        "type": "temporal",
        "title": None,
        "axis": {
            "values": [p.period.isoformat() for p in read.points],
            "format": "%b %Y",
            "labelAngle": {"expr": f"{NARROW} ? -45 : 0"},
            "labelOverlap": "greedy",
            "grid": False,
        },
        "scale": {"padding": 14},
    }


def _y_scale(read: SeriesReading) -> Spec:
    """Everything drawn fits, with a margin; the scale need not start at 0 (SPC reads change, not size)."""
    values = [p.value for p in read.points]
    values += [v for p in read.points for v in (p.lpl, p.upl, p.trajectory) if v is not None]
    if read.target is not None:
        values.append(read.target)
    span = (max(values) - min(values)) or 1.0
    return {"domain": [min(values) - span * 0.05, max(values) + span * 0.05], "nice": True, "zero": False}


def _points(read: SeriesReading, x: Spec, y: Spec) -> Spec:
    present = [t for t in TYPE_STYLE if any(p.point_type is t for p in read.points)]
    domain = [POINT_WORDS[t] for t in present]
    return {
        "mark": {"type": "point", "filled": True, "size": 90, "opacity": 1},
        "encoding": {
            "x": x,
            "y": {**y, "field": "value"},
            "color": {
                "field": "type",
                "type": "nominal",
                "title": "Point",
                "scale": {"domain": domain, "range": [TYPE_STYLE[t][0] for t in present]},
            },
            "shape": {
                "field": "type",
                "type": "nominal",
                "title": "Point",
                "scale": {"domain": domain, "range": [TYPE_STYLE[t][1] for t in present]},
            },
            "tooltip": [
                {"field": "label", "title": "Period"},
                {"field": "value", "title": "Value"},
                {"field": "type", "title": "Point"},
                {"field": "mean", "title": "Mean"},
                {"field": "lpl", "title": "Lower limit"},
                {"field": "upl", "title": "Upper limit"},
            ],
        },
    }


def _trajectory(read: SeriesReading, x: Spec, y: Spec) -> list[Spec]:
    if all(p.trajectory is None for p in read.points):
        return []
    return [
        {
            "transform": [{"filter": "datum.trajectory != null"}],
            "mark": {
                "type": "line",
                "color": "#007f3b",
                "strokeDash": [1, 3],
                "strokeWidth": 2,
                "point": {"filled": True, "color": "#007f3b", "size": 30},
            },
            "encoding": {"x": x, "y": {**y, "field": "trajectory"}},
        }
    ]


def _target(read: SeriesReading) -> list[Spec]:
    if read.target is None:
        return []
    at = {"datum": read.target}
    label = {"type": "text", "align": "left", "dx": 4, "dy": -9, "color": "#00401e", "fontSize": 11}
    return [
        {"mark": {"type": "rule", "color": "#007f3b", "strokeWidth": 2}, "encoding": {"y": at}},
        {
            "mark": label,
            "encoding": {"y": at, "x": {"value": 0}, "text": {"value": f"Target {read.target:g}"}},
        },
    ]


def _breaks(read: SeriesReading, x: Spec) -> list[Spec]:
    """A labelled upright rule where a new line starts (a new definition, or a rebase)."""
    breaks = [
        {
            "period": p.period.isoformat(),
            "why": "New definition" if "definition" in p.starts_group else "Rebased",
        }
        for p in read.points
        if p.starts_group
    ]
    if not breaks:
        return []
    label = {
        "type": "text",
        "align": "left",
        "baseline": "top",
        "dx": 3,
        "y": 2,
        "fontSize": 11,
        "color": "#212b32",
    }
    return [
        {
            "data": {"values": breaks},
            "mark": {"type": "rule", "color": "#212b32", "strokeDash": [2, 2]},
            "encoding": {"x": x},
        },
        {"data": {"values": breaks}, "mark": label, "encoding": {"x": x, "text": {"field": "why"}}},
    ]


def _group_line(field: str, x: Spec, y: Spec, dash: list[int]) -> Spec:
    return {
        "transform": [{"filter": f"datum.{field} != null"}],
        "mark": {
            "type": "line",
            "color": "#4c6272" if field == "mean" else "#aeb7bd",
            "strokeDash": dash,
            "strokeWidth": 1.5,
        },
        "encoding": {
            "x": x,
            "y": {**y, "field": field},
            "detail": {"field": "group"},
        },
    }
