import json
import os
import subprocess
import sys

import numpy as np
import pytest

from joinedup.analysis.network_map import aggregate_by_sector, layout_positions, network_map_spec


def random_network(n, m, seed=3):
    rng = np.random.default_rng(seed)
    sectors = ["NHS", "Voluntary", "Housing", "Council"]
    nodes = [
        {"name": f"Org {i}", "sector": sectors[i % 4], "degree": 0, "betweenness": 0.1, "trust": None}
        for i in range(n)
    ]
    return nodes, rng.integers(0, n, m).tolist(), rng.integers(0, n, m).tolist()


def test_same_data_draws_the_same_map():
    _, s, t = random_network(60, 150)
    xy = layout_positions(60, s, t)
    # The same ties in another order, named the other way round, or twice, place everyone the same.
    order = np.random.default_rng(0).permutation(len(s))
    shuffled_s = [t[i] for i in order] + s[:10]
    shuffled_t = [s[i] for i in order] + t[:10]
    np.testing.assert_array_equal(layout_positions(60, shuffled_s, shuffled_t), xy)
    # ... and so does another process (no hidden random state): the map a page draws tomorrow is today's.
    script = (
        "import json, sys; from joinedup.analysis.network_map import layout_positions;"
        "s, t = json.load(sys.stdin); print(json.dumps(layout_positions(60, s, t).tolist()))"
    )
    same_code = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps([s, t]),
        capture_output=True,
        text=True,
        check=True,
        env=same_code,
    )
    np.testing.assert_array_equal(np.array(json.loads(out.stdout)), xy)
    assert xy.shape == (60, 2) and np.abs(xy).max() == pytest.approx(1.0)


def test_layout_places_connected_organisations_closer_than_separate_groups():
    # two triangles with no tie between them
    s, t = [0, 1, 2, 3, 4, 5], [1, 2, 0, 4, 5, 3]
    xy = layout_positions(6, s, t)
    within = np.linalg.norm(xy[0] - xy[1])
    across = min(np.linalg.norm(xy[i] - xy[j]) for i in range(3) for j in range(3, 6))
    assert within < across


def test_spec_layers_ties_and_points_with_sizes_and_tooltips():
    nodes, s, t = random_network(10, 20)
    spec = network_map_spec(nodes, s, t, size_by="trust")
    lines, points = spec["layer"][0], spec["layer"][1]
    circles, halo, names = points["layer"]
    assert lines["mark"]["type"] == "rule" and circles["mark"]["type"] == "circle"
    assert names["mark"]["type"] == "text" and halo["mark"]["stroke"] == "#ffffff"
    assert len(points["data"]["values"]) == 10
    assert len(lines["data"]["values"]) == sum(1 for a, b in zip(s, t, strict=True) if a != b)
    assert circles["encoding"]["color"]["field"] == "sector"
    assert all(p["size_text"] == "no ratings" for p in points["data"]["values"])
    assert {"field": "name", "title": "Organisation"} in circles["encoding"]["tooltip"]
    with pytest.raises(ValueError):
        network_map_spec(nodes, s, t, size_by="colour")


def test_above_the_threshold_one_node_per_sector():
    nodes, s, t = random_network(2001, 6000)
    spec = network_map_spec(nodes, s, t)
    points = spec["layer"][1]["data"]["values"]
    assert spec["usermeta"]["aggregated"] is True
    assert sorted(p["sector"] for p in points) == ["Council", "Housing", "NHS", "Voluntary"]
    assert sum(int(p["size_text"]) for p in points) == 2001
    # ties between and within sectors add up to every tie
    lines = spec["layer"][0]["data"]["values"]
    assert sum(line["ties"] for line in lines) + sum(p["within"] for p in points) == len(s)
    small = network_map_spec(nodes[:50], [a % 50 for a in s[:80]], [b % 50 for b in t[:80]])
    assert small["usermeta"]["aggregated"] is False


def test_aggregate_counts_by_hand():
    labels, sizes, ties, within = aggregate_by_sector(["A", "B", "A"], [0, 1, 2, 0], [1, 0, 0, 2])
    assert labels == ["A", "B"] and sizes == [2, 1]
    assert ties == [(0, 1, 2)] and within == [2, 0]


def test_every_organisation_is_named_up_to_30_and_the_30_largest_above():
    nodes, s, t = random_network(12, 30)
    points = network_map_spec(nodes, s, t)["layer"][1]["data"]["values"]
    assert sorted(p["label"].replace("\n", " ") for p in points) == sorted(n["name"] for n in nodes)
    nodes, s, t = random_network(45, 120)
    for i, node in enumerate(nodes):
        node["degree"] = i  # Org 15 ... Org 44 are the 30 largest
    points = network_map_spec(nodes, s, t)["layer"][1]["data"]["values"]
    named = {p["name"] for p in points if p["label"]}
    assert named == {f"Org {i}" for i in range(15, 45)}
    # each name sits just below its circle, lower for a bigger circle
    by_name = {p["name"]: p for p in points}
    small, big = by_name["Org 15"], by_name["Org 44"]
    assert 0 < small["y"] - small["label_y"] < big["y"] - big["label_y"]


def test_a_long_name_is_broken_over_two_lines():
    nodes = [{"name": "Northshire Community Health NHS Trust", "sector": "NHS", "degree": 1}]
    point = network_map_spec(nodes, [], [])["layer"][1]["data"]["values"][0]
    assert point["label"] == "Northshire Community\nHealth NHS Trust"


def test_legends_are_in_words_and_below_the_map():
    nodes, s, t = random_network(10, 20)
    spec = network_map_spec(nodes, s, t)
    dash = spec["layer"][0]["encoding"]["strokeDash"]
    assert dash["title"] == "Both name each other" and dash["scale"]["domain"] == ["yes", "no"]
    assert {line["mutual"] for line in spec["layer"][0]["data"]["values"]} <= {"yes", "no"}
    assert spec["config"]["legend"]["orient"] == "bottom"


def test_the_spec_is_valid_vega_lite_but_for_the_legend_layout_vega_reads():
    """Valid against Vega-Lite's own JSON schema, once `config.legend.layout` is set aside: Vega-Lite passes that
    to Vega, which stacks the legends with it, but its schema types it as an expression."""
    import copy
    from pathlib import Path

    import jsonschema

    schema_file = Path(__file__).resolve().parents[2] / "node_modules/vega-lite/build/vega-lite-schema.json"
    schema = json.loads(schema_file.read_text())
    nodes, s, t = random_network(40, 90)
    for spec in (network_map_spec(nodes, s, t), network_map_spec(nodes, s, t, aggregate_above=10)):
        plain = copy.deepcopy(spec)
        assert plain["config"]["legend"].pop("layout") == {
            "bottom": {"anchor": "start", "direction": "vertical"}
        }
        jsonschema.validate(plain, schema)
