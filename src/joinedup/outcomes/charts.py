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


def spc_chart(title: str, unit: str, read: SeriesReading) -> dict[str, Any]:
    rows = [
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
    present = [t for t in TYPE_STYLE if any(p.point_type is t for p in read.points)]
    ticks = [p.period.isoformat() for p in read.points]
    x = {
        "field": "period",
        "type": "temporal",
        "title": None,
        "axis": {
            "values": ticks,
            "format": "%b %Y",
            "labelAngle": {"expr": f"{NARROW} ? -45 : 0"},
            "labelOverlap": "greedy",
            "grid": False,
        },
        "scale": {"padding": 14},
    }
    values = [p.value for p in read.points] + [
        v for p in read.points for v in (p.lpl, p.upl) if v is not None
    ]
    values += [p.trajectory for p in read.points if p.trajectory is not None]
    if read.target is not None:
        values.append(read.target)
    span = (max(values) - min(values)) or 1.0
    y_scale = {"domain": [min(values) - span * 0.05, max(values) + span * 0.05], "nice": True, "zero": False}
    y = {"type": "quantitative", "title": unit, "scale": y_scale}
    layers: list[dict[str, Any]] = [
        _group_line("upl", x, y, [4, 3]),
        _group_line("lpl", x, y, [4, 3]),
        _group_line("mean", x, y, []),
        {
            "mark": {"type": "line", "color": "#425563", "strokeWidth": 1.5},
            "encoding": {
                "x": x,
                "y": {**y, "field": "value"},
                "detail": {"field": "group"},
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 90, "opacity": 1},
            "encoding": {
                "x": x,
                "y": {**y, "field": "value"},
                "color": {
                    "field": "type",
                    "type": "nominal",
                    "title": "Point",
                    "scale": {
                        "domain": [POINT_WORDS[t] for t in present],
                        "range": [TYPE_STYLE[t][0] for t in present],
                    },
                },
                "shape": {
                    "field": "type",
                    "type": "nominal",
                    "title": "Point",
                    "scale": {
                        "domain": [POINT_WORDS[t] for t in present],
                        "range": [TYPE_STYLE[t][1] for t in present],
                    },
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
        },
    ]
    if any(p.trajectory is not None for p in read.points):
        layers.append(
            {
                "transform": [{"filter": "datum.trajectory != null"}],
                "mark": {
                    "type": "line",
                    "color": "#007f3b",
                    "strokeDash": [1, 3],
                    "strokeWidth": 2,
                    "point": True,
                },
                "encoding": {"x": x, "y": {**y, "field": "trajectory"}},
            }
        )
    if read.target is not None:
        layers.append(
            {
                "mark": {"type": "rule", "color": "#007f3b", "strokeWidth": 2},
                "encoding": {"y": {"datum": read.target}},
            }
        )
        layers.append(
            {
                "mark": {
                    "type": "text",
                    "align": "left",
                    "dx": 4,
                    "dy": -9,
                    "color": "#00401e",
                    "fontSize": 11,
                },
                "encoding": {
                    "y": {"datum": read.target},
                    "x": {"value": 0},
                    "text": {"value": f"Target {read.target:g}"},
                },
            }
        )
    breaks = [
        {
            "period": p.period.isoformat(),
            "why": "New definition" if "definition" in p.starts_group else "Rebased",
        }
        for p in read.points
        if p.starts_group
    ]
    if breaks:
        layers.append(
            {
                "data": {"values": breaks},
                "mark": {"type": "rule", "color": "#212b32", "strokeDash": [2, 2]},
                "encoding": {"x": {**x, "field": "period"}},
            }
        )
        layers.append(
            {
                "data": {"values": breaks},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "top",
                    "dx": 3,
                    "y": 2,
                    "fontSize": 11,
                    "color": "#212b32",
                },
                "encoding": {"x": {**x, "field": "period"}, "text": {"field": "why"}},
            }
        )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container",
        "height": 280,
        "data": {"values": rows},
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


def _group_line(field: str, x: dict[str, Any], y: dict[str, Any], dash: list[int]) -> dict[str, Any]:
    return {
        "transform": [{"filter": f"datum.{field} != null"}],
        "mark": {
            "type": "line",
            "color": "#4c6272" if field == "mean" else "#aeb7bd",
            "strokeDash": dash,
            "strokeWidth": 1.5,
            "interpolate": "step-after",
        },
        "encoding": {
            "x": x,
            "y": {**y, "field": field},
            "detail": {"field": "group"},
        },
    }
