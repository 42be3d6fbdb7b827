"""Network maps as Vega-Lite specs: positions from an igraph layout, ties as lines, organisations as points.

    spec = network_map_spec(nodes, source, target, size_by="degree")

`nodes` is a sequence of mappings with `name`, `sector` and the measures (`degree`, `betweenness`, `trust`, and
whatever the tooltip should show); `source`/`target` index into it (directed ties, drawn as lines). The result
is a plain dict, so the same spec serves the web page and static images in reports.

Positions come from a Kamada-Kawai layout started from a circle, which uses no random numbers: the same data
always draws the same map (`seed` only turns the starting circle). Above `aggregate_above` organisations the
map would be an unreadable hairball, so it shows one point per sector instead, with lines as thick as the
number of ties between the sectors.

The map names its organisations in text on the picture itself, so it reads on a phone and on paper, not only
by hovering: every one up to `LABELLED`, else the `LABELLED` largest by the size measure (each sector, on the
sector map). Legends are in words and sit below the map, so a narrow screen keeps them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import igraph as ig
import numpy as np
from numpy.typing import NDArray

AGGREGATE_ABOVE = 2000
LABELLED = 30  # organisations named on the map: all up to this many, else the largest by the size measure
GAP = 2.0  # between separate groups on the map, in tie lengths
MIN_SPAN = 0.5  # the narrowest stretch of layout a map's axis shows (one organisation, or a row of them)
SIZE_MEASURES = {
    "degree": "Ties (given and received)",
    "betweenness": "Betweenness",
    "trust": "Trust received (1-4)",
}
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"

FloatArray = NDArray[np.float64]


def layout_positions(n: int, source: Sequence[int], target: Sequence[int], *, seed: int = 0) -> FloatArray:
    """(n, 2) positions scaled to [-1, 1], the same for the same input. Ties are read as undirected.

    Each group of connected organisations is laid out on its own and the groups are placed side by side,
    biggest first, so separate groups (and isolates) never overlap.
    """
    if n == 0:
        return np.zeros((0, 2))
    pairs = sorted({(min(s, t), max(s, t)) for s, t in zip(source, target, strict=True) if s != t})
    graph = ig.Graph(n=n, edges=pairs, directed=False)
    components = sorted(graph.connected_components(), key=lambda c: (-len(c), c[0]))
    coords = np.zeros((n, 2))
    cursor_x, row_y, row_height = 0.0, 0.0, 0.0
    row_width = max(2.0, 2.5 * math.sqrt(len(components[0])))
    for members in components:
        local = _component_layout(graph.subgraph(members), seed=seed)
        size = local.max(axis=0) - local.min(axis=0)
        if cursor_x > 0 and cursor_x + size[0] > row_width:
            cursor_x, row_y, row_height = 0.0, row_y - row_height - GAP, 0.0
        coords[members] = local - local.min(axis=0) + [cursor_x, row_y - size[1]]
        cursor_x += size[0] + GAP
        row_height = max(row_height, float(size[1]))
    coords -= (coords.max(axis=0) + coords.min(axis=0)) / 2
    extent = float(np.abs(coords).max())
    return coords / extent if extent > 0 else coords


def _component_layout(graph: ig.Graph, *, seed: int) -> FloatArray:
    """Kamada-Kawai from a circle: no random numbers, so the same component always gets the same shape."""
    k = graph.vcount()
    if k == 1:
        return np.zeros((1, 2))
    turn = (seed % 360) * math.pi / 180
    angles = turn + 2 * math.pi * np.arange(k) / k
    start = np.column_stack([np.cos(angles), np.sin(angles)]) * math.sqrt(k)
    # Kamada-Kawai's default of 50k iterations takes seconds at 2,000 organisations; 10,000 are plenty.
    layout = graph.layout_kamada_kawai(seed=start.tolist(), maxiter=min(50 * k, 10_000))
    return np.asarray(layout.coords, dtype=np.float64)


def aggregate_by_sector(
    sectors: Sequence[str], source: Sequence[int], target: Sequence[int]
) -> tuple[list[str], list[int], list[tuple[int, int, int]], list[int]]:
    """One node per sector: (labels, organisations per sector, ties between sectors as (a, b, count) with a < b,
    ties within each sector). Directed ties are counted once each, in either direction."""
    labels = sorted(set(sectors))
    code = {label: i for i, label in enumerate(labels)}
    sizes = Counter(code[s] for s in sectors)
    between: Counter[tuple[int, int]] = Counter()
    within = [0] * len(labels)
    for s, t in zip(source, target, strict=True):
        a, b = code[sectors[s]], code[sectors[t]]
        if a == b:
            within[a] += 1
        else:
            between[(min(a, b), max(a, b))] += 1
    ties = [(a, b, count) for (a, b), count in sorted(between.items())]
    return labels, [sizes[i] for i in range(len(labels))], ties, within


def network_map_spec(
    nodes: Sequence[Mapping[str, Any]],
    source: Sequence[int],
    target: Sequence[int],
    *,
    size_by: str = "degree",
    aggregate_above: int = AGGREGATE_ABOVE,
    seed: int = 0,
    width: int | str = "container",
    height: int | None = None,
    positions: FloatArray | Sequence[Sequence[float]] | None = None,
) -> dict[str, Any]:
    """A layered Vega-Lite spec: lines for ties, points for organisations (or sectors, above the limit).

    `positions` are those `layout_positions` gave for the same nodes and ties, computed earlier (the layout
    is the slow part: a background job computes it once and pages draw from it).
    """
    if size_by not in SIZE_MEASURES:
        raise ValueError(f"size_by must be one of {', '.join(SIZE_MEASURES)}")
    source, target = [int(s) for s in source], [int(t) for t in target]
    if height is None:  # more room for more names
        height = 420 if len(nodes) <= LABELLED else 560
    if len(nodes) > aggregate_above:
        return _sector_spec(nodes, source, target, seed=seed, width=width, height=height)
    if positions is None:
        xy = layout_positions(len(nodes), source, target, seed=seed)
    else:
        xy = np.asarray(positions, dtype=np.float64).reshape(len(nodes), 2)
    pairs = set(zip(source, target, strict=True))
    points = []
    for i, node in enumerate(nodes):
        raw = node.get(size_by)
        points.append(
            {
                **{k: v for k, v in node.items() if _plain(v)},
                "x": round(float(xy[i, 0]), 6),
                "y": round(float(xy[i, 1]), 6),
                "size_value": 0.0 if raw is None else float(raw),
                # a node may say why its measure is missing (e.g. "trust_note": ratings withheld)
                "size_text": str(node.get(f"{size_by}_note") or "no ratings") if raw is None else _fmt(raw),
            }
        )
    _label(points, height=height)
    lines = [
        {
            "x": points[s]["x"],
            "y": points[s]["y"],
            "x2": points[t]["x"],
            "y2": points[t]["y"],
            "from": str(nodes[s].get("name", s)),
            "to": str(nodes[t].get("name", t)),
            "mutual": "yes" if (t, s) in pairs else "no",
        }
        for s, t in zip(source, target, strict=True)
        if s != t
    ]
    tooltip = [
        {"field": "name", "title": "Organisation"},
        {"field": "sector", "title": "Sector"},
        {"field": "size_text", "title": SIZE_MEASURES[size_by]},
    ]
    for field, title in (("in_degree", "Named by"), ("out_degree", "Names"), ("responded_text", "Answered")):
        if any(field in p for p in points):
            tooltip.append({"field": field, "title": title})
    return _layered(
        description=f"Map of {len(nodes)} organisations and {len(lines)} working relationships, "
        f"coloured by sector and sized by {SIZE_MEASURES[size_by].lower()}.",
        lines=lines,
        line_encoding={
            "strokeDash": {
                "field": "mutual",
                "type": "nominal",
                "title": "Both name each other",
                "scale": {"domain": ["yes", "no"], "range": [[1, 0], [4, 3]]},
            },
            "tooltip": [{"field": "from", "title": "From"}, {"field": "to", "title": "To"}],
        },
        points=points,
        size_title=SIZE_MEASURES[size_by],
        tooltip=tooltip,
        width=width,
        height=height,
        aggregated=False,
    )


def _sector_spec(
    nodes: Sequence[Mapping[str, Any]], source: list[int], target: list[int], **kwargs: Any
) -> dict[str, Any]:
    sectors = [str(node.get("sector") or "Unknown") for node in nodes]
    labels, sizes, ties, within = aggregate_by_sector(sectors, source, target)
    xy = layout_positions(len(labels), [a for a, _, _ in ties], [b for _, b, _ in ties], seed=kwargs["seed"])
    points = [
        {
            "name": label,
            "sector": label,
            "x": round(float(xy[i, 0]), 6),
            "y": round(float(xy[i, 1]), 6),
            "size_value": float(sizes[i]),
            "size_text": str(sizes[i]),
            "within": within[i],
        }
        for i, label in enumerate(labels)
    ]
    _label(points, height=kwargs["height"])
    lines = [
        {
            "x": points[a]["x"],
            "y": points[a]["y"],
            "x2": points[b]["x"],
            "y2": points[b]["y"],
            "from": labels[a],
            "to": labels[b],
            "ties": count,
        }
        for a, b, count in ties
    ]
    return _layered(
        description=f"Map of {len(nodes)} organisations grouped into {len(labels)} sectors; lines are as thick "
        "as the number of ties between two sectors.",
        lines=lines,
        line_encoding={
            "strokeWidth": {"field": "ties", "type": "quantitative", "title": "Ties between sectors"},
            "tooltip": [
                {"field": "from", "title": "Between"},
                {"field": "to", "title": "and"},
                {"field": "ties", "title": "Ties"},
            ],
        },
        points=points,
        size_title="Organisations",
        tooltip=[
            {"field": "sector", "title": "Sector"},
            {"field": "size_text", "title": "Organisations"},
            {"field": "within", "title": "Ties within the sector"},
        ],
        width=kwargs["width"],
        height=kwargs["height"],
        aggregated=True,
    )


def _layered(
    *,
    description: str,
    lines: list[dict[str, Any]],
    line_encoding: dict[str, Any],
    points: list[dict[str, Any]],
    size_title: str,
    tooltip: list[dict[str, str]],
    width: int | str,
    height: int,
    aggregated: bool,
) -> dict[str, Any]:
    xdomain, ydomain = _domains(points)
    axis = {"field": "x", "type": "quantitative", "axis": None, "scale": {"domain": xdomain}}
    yaxis = {**axis, "field": "y", "scale": {"domain": ydomain}}
    return {
        "$schema": SCHEMA,
        "description": description,
        # vega-tooltip would inject its stylesheet inline, which a strict CSP refuses; the page styles it.
        "usermeta": {"embedOptions": {"tooltip": {"disableDefaultStyle": True}}, "aggregated": aggregated},
        "width": width,
        "height": height,
        # legends below the map, one under another, so a phone-width screen keeps them all
        "config": {
            "view": {"stroke": None},
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "direction": "vertical",
                # Vega's legend layout (Vega-Lite passes it through; its JSON schema types it as an expression):
                # without it legends at the bottom stand side by side and run off a phone's screen
                "layout": {"bottom": {"anchor": "start", "direction": "vertical"}},
            },
        },
        "layer": [
            {
                "data": {"values": lines},
                "mark": {"type": "rule", "color": "#768692", "opacity": 0.6},
                "encoding": {
                    "x": axis,
                    "y": yaxis,
                    "x2": {"field": "x2"},
                    "y2": {"field": "y2"},
                    **line_encoding,
                },
            },
            {
                "data": {"values": points},
                "encoding": {"x": axis, "y": yaxis},
                "layer": [
                    {
                        "mark": {"type": "circle", "opacity": 0.9, "stroke": "#ffffff", "strokeWidth": 1},
                        "encoding": {
                            "color": {
                                "field": "sector",
                                "type": "nominal",
                                "title": "Sector",
                                "scale": {"scheme": "tableau10"},
                            },
                            "size": {
                                "field": "size_value",
                                "type": "quantitative",
                                "title": size_title,
                                "scale": {"range": [40, 900], "zero": True},
                            },
                            "tooltip": tooltip,
                        },
                    },
                    # the names, in text on the map (for a phone and for paper, where nothing hovers), over a
                    # white outline of themselves so they read across the lines
                    _names(yaxis, halo=True),
                    _names(yaxis, halo=False),
                ],
            },
        ],
    }


def _names(yaxis: dict[str, Any], *, halo: bool) -> dict[str, Any]:
    """The text layer of the organisations' names (or, with `halo`, their white outline beneath)."""
    mark: dict[str, Any] = {
        "type": "text",
        "baseline": "top",
        "fontSize": {"expr": "width < 480 ? 9 : 11"},  # smaller on a phone, where the map is narrow
        "limit": 150,
        "lineBreak": "\n",
        "color": "#212b32",
    }
    if halo:
        mark.update({"stroke": "#ffffff", "strokeWidth": 3, "strokeOpacity": 0.85, "strokeJoin": "round"})
    return {
        "transform": [{"filter": "datum.label != ''"}],
        "mark": mark,
        "encoding": {"y": {**yaxis, "field": "label_y"}, "text": {"field": "label"}},
    }


def _domains(points: list[dict[str, Any]]) -> tuple[list[float], list[float]]:
    """The x and y ranges the map shows: the layout's extent, padded, with room below for the lowest names.

    Each axis spans its own extent, so a wide, flat layout fills the map's height instead of a strip of it."""

    def padded(values: list[float], below: float) -> list[float]:
        lo, hi = (min(values), max(values)) if values else (0.0, 0.0)
        span = max(hi - lo, MIN_SPAN)
        middle = (lo + hi) / 2
        return [round(middle - span * (0.58 + below), 6), round(middle + span * 0.58, 6)]

    return padded([p["x"] for p in points], 0.0), padded([p["y"] for p in points], 0.1)


def _label(points: list[dict[str, Any]], *, height: int) -> None:
    """Give the points to be named a `label` (the others an empty one) and a `label_y` just below the circle.

    The circle's radius follows the size scale of `_layered` (area 40 to 900 px, from zero), and the y scale
    spans `_domains` over `height` pixels, so the gap below each circle is the same on every screen width."""
    order = sorted(
        range(len(points)), key=lambda i: (-points[i]["size_value"], str(points[i].get("name", "")))
    )
    named = set(order[:LABELLED])
    largest = max((p["size_value"] for p in points), default=0.0)
    low, high = _domains(points)[1]
    per_pixel = (high - low) / height
    for i, point in enumerate(points):
        area = 40 + 860 * (point["size_value"] / largest if largest > 0 else 0.0)
        radius = math.sqrt(area / math.pi)
        point["label"] = _two_lines(str(point.get("name", ""))) if i in named else ""
        point["label_y"] = round(point["y"] - (radius + 3) * per_pixel, 6)


def _two_lines(name: str, *, longest: int = 18) -> str:
    """A long name broken at the space nearest its middle (the map's text mark breaks lines at "\\n")."""
    if len(name) <= longest or " " not in name:
        return name
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return f"{name[:cut]}\n{name[cut + 1 :]}"


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
