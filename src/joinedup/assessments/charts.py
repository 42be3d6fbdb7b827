"""Vega-Lite specs and their matching tables for the results page (every chart has a table beside it)."""

from __future__ import annotations

from typing import Any

from joinedup.analysis.instruments import Instrument
from joinedup.analysis.scoring import GroupResult, ScoreReport

NOT_GIVEN = "Not given"


def group_name(group: Any) -> str:
    return NOT_GIVEN if group is None else str(group)


# On a narrow screen (a phone, 320 to 375 px) long axis labels are cut shorter, so the plot keeps most of the
# width, and legends sit below the chart, one under another, rather than beside it.
NARROW = "containerSize()[0] < 480"


def _base(title: str) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": "container",
        "config": {
            "axis": {"labelLimit": {"expr": f"{NARROW} ? 120 : 260"}},
            "legend": {
                "orient": "bottom",
                "direction": "vertical",
                "layout": {
                    "bottom": {"anchor": "start", "direction": "vertical"}
                },  # see analysis.network_map
            },
        },
    }


def _group_means(instrument: Instrument, groups: list[GroupResult]) -> list[dict[str, Any]]:
    """One row per shown group and dimension with a mean; hidden groups give nothing."""
    return [
        {
            "dimension": instrument.dimension(d.key).title,
            "group": group_name(g.group),
            "mean": round(d.mean, 2),
        }
        for g in groups
        if not g.suppressed
        for d in g.dimensions
        if d.mean is not None
    ]


def profile_chart(instrument: Instrument, groups: list[GroupResult], by_label: str) -> dict[str, Any]:
    """Mean per dimension for each shown group, as grouped bars."""
    values = _group_means(instrument, groups)
    lo, hi = instrument.scale.min, instrument.scale.max
    return {
        **_base(f"Profile by {by_label.lower()}"),
        "data": {"values": values},
        "mark": {"type": "point", "filled": True, "size": 90},
        "encoding": {
            "y": {"field": "dimension", "type": "nominal", "title": None, "sort": None},
            "x": {
                "field": "mean",
                "type": "quantitative",
                "scale": {"domain": [lo, hi]},
                "title": "Mean score",
            },
            "color": {"field": "group", "type": "nominal", "title": by_label},
            "shape": {"field": "group", "type": "nominal", "title": by_label},
            "tooltip": _tooltip(by_label),
        },
    }


def _tooltip(by_label: str) -> list[dict[str, str]]:
    return [
        {"field": "group", "title": by_label},
        {"field": "dimension", "title": "Dimension"},
        {"field": "mean", "title": "Mean score"},
    ]


def heatmap_chart(instrument: Instrument, groups: list[GroupResult], by_label: str) -> dict[str, Any]:
    values = _group_means(instrument, groups)
    lo, hi = instrument.scale.min, instrument.scale.max
    return {
        **_base(f"Heat map: dimension by {by_label.lower()}"),
        "data": {"values": values},
        "mark": "rect",
        "encoding": {
            "y": {"field": "dimension", "type": "nominal", "title": None, "sort": None},
            "x": {"field": "group", "type": "nominal", "title": by_label},
            "color": {
                "field": "mean",
                "type": "quantitative",
                "scale": {"domain": [lo, hi], "scheme": "blueorange", "reverse": True},
                "title": "Mean score",
            },
            "tooltip": _tooltip(by_label),
        },
    }


def item_distribution(instrument: Instrument, items: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """Per item, the share of each scale answer (don't know counted apart), placed for diverging bars:
    disagreeing answers to the left of zero, agreeing to the right, the middle answer split across zero.
    Statements missing from `items` (hidden by disclosure control) are left out."""
    scale = instrument.scale
    labels = list(scale.labels)
    points = scale.points
    rows = []
    for dimension in instrument.dimensions:
        for item in dimension.items:
            if item.key not in items:
                continue
            counts = items[item.key]
            values = [counts.get(str(scale.min + i), 0) for i in range(points)]
            total = sum(values)
            shares = [100 * v / total if total else 0.0 for v in values]
            middle = points // 2
            left = sum(shares[:middle]) + (shares[middle] / 2 if points % 2 else 0.0)
            start = -left
            segments = []
            for label, share, count in zip(labels, shares, values, strict=True):
                segments.append(
                    {"label": label, "start": start, "end": start + share, "share": share, "count": count}
                )
                start += share
            rows.append(
                {
                    "key": item.key,
                    "text": item.text,
                    "dimension": dimension.title,
                    "reverse": item.reverse,
                    "answered": total,
                    "dont_know": counts.get("dk", 0),
                    "segments": segments,
                }
            )
    return rows


def diverging_chart(instrument: Instrument, distribution: list[dict[str, Any]]) -> dict[str, Any]:
    values = [
        {
            "item": row["text"],  # the statement's words on the chart, never its key
            "answer": s["label"],
            "order": i,
            "start": round(s["start"], 1),
            "end": round(s["end"], 1),
            "share": round(s["share"], 1),
        }
        for row in distribution
        for i, s in enumerate(row["segments"])
    ]
    return {
        **_base("Answers to each statement"),
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "item", "type": "nominal", "title": "Statement", "sort": None},
            "x": {
                "field": "start",
                "type": "quantitative",
                # two lines, so a phone's width holds it
                "title": ["Per cent of those who answered:", "disagree to the left, agree to the right"],
            },
            "x2": {"field": "end"},
            "color": {
                "field": "answer",
                "type": "ordinal",
                "scale": {"domain": list(instrument.scale.labels), "scheme": "redblue"},
                "title": "Answer",
            },
            "order": {"field": "order"},
            "tooltip": [
                {"field": "item", "title": "Statement"},
                {"field": "answer", "title": "Answer"},
                {"field": "share", "title": "Per cent"},
            ],
        },
    }


def trend_chart(instrument: Instrument, series: list[tuple[Any, ScoreReport]]) -> dict[str, Any]:
    values = [
        {
            "wave": wave.title,
            "opens": wave.opens.isoformat(),
            "dimension": instrument.dimension(d.key).title,
            "mean": round(d.mean, 2),
        }
        for wave, report in series
        for d in report.dimensions
        if d.mean is not None and d.key in {dim.key for dim in instrument.dimensions}
    ]
    lo, hi = instrument.scale.min, instrument.scale.max
    return {
        **_base("Trend across waves"),
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "opens", "type": "temporal", "title": "Wave opened"},
            "y": {
                "field": "mean",
                "type": "quantitative",
                "scale": {"domain": [lo, hi]},
                "title": "Mean score",
            },
            "color": {"field": "dimension", "type": "nominal", "title": "Dimension"},
            "tooltip": [
                {"field": "wave", "title": "Wave"},
                {"field": "dimension", "title": "Dimension"},
                {"field": "mean", "title": "Mean score"},
            ],
        },
    }
