"""The results page's chart: the share who said very good or good, by month, from released figures only (a hidden
month has no point). The table below it has the same figures."""

from __future__ import annotations

from typing import Any

from joinedup.voice.selectors import Figure


def monthly_spec(figures: list[Figure]) -> dict[str, Any]:
    values = [
        {"month": f.label, "order": i, "share": f.share, "answers": f.answers}
        for i, f in enumerate(figures)
        if f.shown and f.share is not None
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "Very good or good, by month",
        "width": "container",
        "height": 220,
        "data": {"values": values},
        "mark": {"type": "bar", "color": "#005eb8"},
        "encoding": {
            "x": {
                "field": "month",
                "type": "ordinal",
                "sort": {"field": "order"},
                "title": None,
                "scale": {"domain": [f.label for f in figures]},
                "axis": {"labelAngle": -45},
            },
            "y": {
                "field": "share",
                "type": "quantitative",
                "title": "Per cent",
                "scale": {"domain": [0, 100]},
            },
            "tooltip": [
                {"field": "month", "title": "Month"},
                {"field": "share", "title": "Very good or good (%)"},
                {"field": "answers", "title": "Answers"},
            ],
        },
    }
