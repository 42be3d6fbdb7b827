"""The landscape analysis, against hand-worked cases and a separate plain-dict computation."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from joinedup.analysis.landscape import (
    MembershipRow,
    RepresentativeRow,
    compute_landscape,
    landscape_chart_spec,
)

VL_SCHEMA = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vega-lite" / "build" / "vega-lite-schema.json"
)

PARTNERSHIPS = {10: "Mental Health Alliance", 11: "Ageing Well Board", 12: "Housing First"}


def m(org: int, name: str, sector: str, pid: int, role: str = "Member") -> MembershipRow:
    return MembershipRow(org, name, sector, pid, PARTNERSHIPS[pid], role)


# Three partnerships; the trust sits in all three, the council in two, the charity in one.
ROWS = [
    m(1, "Northshire Trust", "NHS", 10, "Lead"),
    m(1, "Northshire Trust", "NHS", 11),
    m(1, "Northshire Trust", "NHS", 12, "Observer"),
    m(2, "Northshire Council", "Local authority", 10, "Host"),
    m(2, "Northshire Council", "Local authority", 11, "Lead"),
    m(3, "Mind in Northshire", "Voluntary and community", 10),
]
REPS = [
    RepresentativeRow(100, "Asha Patel", 10),
    RepresentativeRow(100, "Asha Patel", 11),
    RepresentativeRow(100, "Asha Patel", 11),  # represents two organisations in one partnership: counts once
    RepresentativeRow(101, "Ben Jones", 10),
]


def test_grid_roles() -> None:
    land = compute_landscape(ROWS, REPS)
    assert [p.name for p in land.partnerships] == [
        "Ageing Well Board",
        "Housing First",
        "Mental Health Alliance",
    ]
    assert land.role(1, 10) == "Lead"
    assert land.role(2, 10) == "Host"
    assert land.role(3, 11) is None
    rows = {r.organisation.name: r.roles for r in land.grid_rows()}
    assert rows == {
        "Northshire Trust": ("Member", "Observer", "Lead"),
        "Northshire Council": ("Lead", None, "Host"),
        "Mind in Northshire": (None, None, "Member"),
    }


def test_grid_rows_are_grouped_by_sector() -> None:
    land = compute_landscape(ROWS)
    assert [r.organisation.sector for r in land.grid_rows()] == [
        "Local authority",
        "NHS",
        "Voluntary and community",
    ]


def test_counts_and_bridges() -> None:
    land = compute_landscape(ROWS, REPS)
    assert [(o.name, o.partnership_count) for o in land.organisations] == [
        ("Northshire Trust", 3),
        ("Northshire Council", 2),
        ("Mind in Northshire", 1),
    ]
    assert [o.name for o in land.bridges] == ["Northshire Trust", "Northshire Council"]
    council = land.bridges[1]
    assert [p.name for p in council.partnerships] == ["Ageing Well Board", "Mental Health Alliance"]


def test_people_counted_once_per_partnership() -> None:
    land = compute_landscape(ROWS, REPS)
    assert [(p.name, p.partnership_count) for p in land.people] == [("Asha Patel", 2), ("Ben Jones", 1)]
    assert [p.name for p in land.people_in_several] == ["Asha Patel"]


def test_repeated_membership_keeps_first_role_and_counts_once() -> None:
    land = compute_landscape([*ROWS, m(3, "Mind in Northshire", "Voluntary and community", 10, "Lead")])
    assert land.role(3, 10) == "Member"
    assert next(o for o in land.organisations if o.id == 3).partnership_count == 1


def test_no_rows() -> None:
    land = compute_landscape([], [])
    assert land.partnerships == [] and land.organisations == [] and land.people == []
    assert land.bridges == [] and land.grid_rows() == []
    spec = landscape_chart_spec(land)
    assert spec["layer"][1]["data"] == {"values": []}


def test_chart_spec_data_and_size() -> None:
    land = compute_landscape(ROWS)
    spec = landscape_chart_spec(land, title="Northshire")
    grid = spec["layer"][1]
    cells = {(v["organisation"], v["column"]): v["role"] for v in grid["data"]["values"]}
    assert cells[("Northshire Trust", "Mental Health Alliance")] == "Lead"
    assert len(cells) == len(ROWS)
    # one fixed-height band per organisation, rows in sector order, tooltip names all three things
    assert spec["height"] == {"step": 20}
    assert spec["encoding"]["y"]["sort"] == ["Northshire Council", "Northshire Trust", "Mind in Northshire"]
    assert spec["encoding"]["x"]["sort"] == [
        "Sector",
        "Ageing Well Board",
        "Housing First",
        "Mental Health Alliance",
    ]
    assert [t["title"] for t in grid["encoding"]["tooltip"]] == ["Organisation", "Partnership", "Role"]
    strip = spec["layer"][0]
    assert {v["sector"] for v in strip["data"]["values"]} == {
        "NHS",
        "Local authority",
        "Voluntary and community",
    }
    json.dumps(spec)  # the template tag serialises it


def test_chart_keeps_organisations_with_the_same_name_apart() -> None:
    land = compute_landscape([m(1, "Age UK", "Voluntary and community", 10), m(2, "Age UK", "Voluntary", 11)])
    labels = {v["organisation"] for v in landscape_chart_spec(land)["layer"][0]["data"]["values"]}
    assert labels == {"Age UK (1)", "Age UK (2)"}


@pytest.mark.parametrize("rows", [[], ROWS])
def test_chart_spec_is_valid_vega_lite(rows: list[MembershipRow]) -> None:
    if not VL_SCHEMA.exists():
        pytest.skip("node_modules/vega-lite is not installed (make assets)")
    import jsonschema

    schema = json.loads(VL_SCHEMA.read_text())
    jsonschema.validate(landscape_chart_spec(compute_landscape(rows)), schema)


# ---- independent computation: plain dicts, no polars -----------------------------------------------------


def plain_counts(
    rows: list[MembershipRow], reps: list[RepresentativeRow]
) -> tuple[dict[int, int], dict[int, int], dict[tuple[int, int], str]]:
    org_partnerships: dict[int, set[int]] = defaultdict(set)
    cells: dict[tuple[int, int], str] = {}
    for r in rows:
        org_partnerships[r.organisation_id].add(r.partnership_id)
        cells.setdefault((r.organisation_id, r.partnership_id), r.role)
    person_partnerships: dict[int, set[int]] = defaultdict(set)
    for p in reps:
        person_partnerships[p.person_id].add(p.partnership_id)
    return (
        {k: len(v) for k, v in org_partnerships.items()},
        {k: len(v) for k, v in person_partnerships.items()},
        cells,
    )


membership_rows = st.lists(
    st.builds(
        lambda org, pid, role: MembershipRow(org, f"Org {org}", f"Sector {org % 3}", pid, f"P {pid}", role),
        st.integers(1, 12),
        st.integers(1, 6),
        st.sampled_from(["Lead", "Host", "Member", "Observer"]),
    ),
    max_size=60,
)
representative_rows = st.lists(
    st.builds(
        lambda person, pid: RepresentativeRow(person, f"Person {person}", pid),
        st.integers(1, 8),
        st.integers(1, 6),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(membership_rows, representative_rows)
def test_matches_plain_dict_counting(rows: list[MembershipRow], reps: list[RepresentativeRow]) -> None:
    org_counts, person_counts, cells = plain_counts(rows, reps)
    land = compute_landscape(rows, reps)
    assert {o.id: o.partnership_count for o in land.organisations} == org_counts
    assert {p.id: p.partnership_count for p in land.people} == person_counts
    assert land.cells == cells
    assert {o.id for o in land.bridges} == {k for k, v in org_counts.items() if v >= 2}
    assert [o.partnership_count for o in land.organisations] == sorted(org_counts.values(), reverse=True)
    grid = land.grid_rows()
    assert sum(role is not None for r in grid for role in r.roles) == len(cells)
    spec_values = landscape_chart_spec(land)["layer"][1]["data"]["values"]
    assert len(spec_values) == len(cells)


def test_sector_column_never_clashes_with_a_partnership_name() -> None:
    land = compute_landscape([MembershipRow(1, "A", "NHS", 5, "Sector", "Lead")])
    spec = landscape_chart_spec(land)
    assert spec["encoding"]["x"]["sort"] == ["Sector ", "Sector"]
    assert spec["layer"][0]["data"]["values"][0]["column"] == "Sector "
