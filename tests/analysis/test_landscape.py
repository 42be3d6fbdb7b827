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


# ---- orders, edge cases and the whole chart, worked out by hand ------------------------------------------


def test_organisations_with_the_same_count_are_listed_by_name_then_id() -> None:
    # Zed sits in two partnerships; the other three in one each, listed by name and, for the two called
    # Alpha, by id (the rows arrive in another order on purpose)
    land = compute_landscape(
        [
            m(5, "Bridge", "NHS", 10),
            m(7, "Alpha", "NHS", 10),
            m(6, "Zed", "NHS", 10),
            m(4, "Alpha", "NHS", 11),
            m(6, "Zed", "NHS", 12),
        ]
    )
    assert [(o.id, o.name, o.partnership_count) for o in land.organisations] == [
        (6, "Zed", 2),
        (4, "Alpha", 1),
        (7, "Alpha", 1),
        (5, "Bridge", 1),
    ]


def test_people_with_the_same_count_are_listed_by_name_then_id() -> None:
    land = compute_landscape(
        ROWS,
        [
            RepresentativeRow(205, "Cara", 10),
            RepresentativeRow(207, "Ann", 10),
            RepresentativeRow(206, "Zoe", 10),
            RepresentativeRow(204, "Ann", 11),
            RepresentativeRow(206, "Zoe", 12),
        ],
    )
    assert [(p.id, p.name, p.partnership_count) for p in land.people] == [
        (206, "Zoe", 2),
        (204, "Ann", 1),
        (207, "Ann", 1),
        (205, "Cara", 1),
    ]


def test_a_person_lists_their_partnerships_by_name_once_each() -> None:
    # Asha represents two organisations in Ageing Well Board (11): it is listed once, the three in name order
    land = compute_landscape(ROWS, [*REPS, RepresentativeRow(100, "Asha Patel", 12)])
    asha = land.people[0]
    assert asha.name == "Asha Patel" and asha.partnership_count == 3
    assert [(p.id, p.name) for p in asha.partnerships] == [
        (11, "Ageing Well Board"),
        (12, "Housing First"),
        (10, "Mental Health Alliance"),
    ]


def test_a_representative_of_a_partnership_with_no_current_members_is_kept() -> None:
    # partnership 99 has no member rows, so it has no column and no name; Asha still counts it
    land = compute_landscape(
        ROWS[:1], [RepresentativeRow(100, "Asha Patel", 99), RepresentativeRow(100, "Asha Patel", 10)]
    )
    assert [p.id for p in land.partnerships] == [10]
    (asha,) = land.people
    assert asha.partnership_count == 2
    assert [(p.id, p.name) for p in asha.partnerships] == [(99, ""), (10, "Mental Health Alliance")]


def test_partnerships_sort_by_name_ignoring_case_then_id() -> None:
    names = {3: "beta", 5: "Alpha", 4: "alpha"}
    land = compute_landscape(
        [MembershipRow(1, "Org", "NHS", pid, name, "Member") for pid, name in names.items()]
    )
    # "Alpha" and "alpha" are the same name to a reader, so id decides: 4 before 5; "beta" last though b > A
    assert [(p.id, p.name) for p in land.partnerships] == [(4, "alpha"), (5, "Alpha"), (3, "beta")]
    assert [p.id for p in land.organisations[0].partnerships] == [4, 5, 3]


def test_grid_rows_by_sector_then_name_ignoring_case_then_id() -> None:
    land = compute_landscape(
        [
            m(1, "zeta", "nhs", 10),
            m(2, "Beta", "NHS", 11),
            m(3, "beta", "NHS", 10),
            m(4, "Alpha", "Voluntary", 10),
            m(5, "Alpha", "Voluntary", 11),
            m(5, "Alpha", "Voluntary", 12),
        ]
    )
    # sectors "nhs" and "NHS" sort together; within them Beta (2) and beta (3) by id, then zeta;
    # organisation 5 is busier than 4 but the grid is by sector and name, so id orders the two Alphas
    assert [r.organisation.id for r in land.grid_rows()] == [2, 3, 1, 4, 5]


def test_an_organisation_with_no_name_is_labelled_by_its_id() -> None:
    land = compute_landscape([m(5, "", "NHS", 10), m(6, "Mind", "Voluntary", 10)])
    labels = [v["organisation"] for v in landscape_chart_spec(land)["layer"][0]["data"]["values"]]
    assert labels == ["Organisation (5)", "Mind"]


def test_the_whole_chart_spec() -> None:
    # The trust leads Mental Health Alliance (10); Mind is a member of it and hosts Ageing Well Board (11).
    land = compute_landscape(
        [
            m(1, "Northshire Trust", "NHS", 10, "Lead"),
            m(2, "Mind", "Voluntary", 10),
            m(2, "Mind", "Voluntary", 11, "Host"),
        ]
    )
    tooltip_organisation = {"field": "organisation", "title": "Organisation"}
    mark = {"type": "rect", "stroke": "white", "strokeWidth": 1}
    expected = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": "Grid of organisations by partnership, coloured by role. The table below has the same facts.",
        "usermeta": {"embedOptions": {"tooltip": {"disableDefaultStyle": True}}},
        "config": {"view": {"stroke": None}, "axis": {"labelFontSize": 12}, "legend": {"labelFontSize": 12}},
        "width": {"step": 28},
        "height": {"step": 20},
        "encoding": {
            "y": {
                "field": "organisation",
                "type": "nominal",
                "sort": ["Northshire Trust", "Mind"],
                "title": None,
                "axis": {"labelLimit": 240},
            },
            "x": {
                "field": "column",
                "type": "nominal",
                "sort": ["Sector", "Ageing Well Board", "Mental Health Alliance"],
                "scale": {"domain": ["Sector", "Ageing Well Board", "Mental Health Alliance"]},
                "title": None,
                "axis": {"orient": "top", "labelAngle": -60, "labelLimit": 240},
            },
        },
        "resolve": {"scale": {"color": "independent"}},
        "layer": [
            {
                "data": {
                    "values": [
                        {"organisation": "Northshire Trust", "column": "Sector", "sector": "NHS"},
                        {"organisation": "Mind", "column": "Sector", "sector": "Voluntary"},
                    ]
                },
                "mark": mark,
                "encoding": {
                    "color": {
                        "field": "sector",
                        "type": "nominal",
                        "title": "Sector",
                        "scale": {"scheme": "set3"},
                    },
                    "tooltip": [tooltip_organisation, {"field": "sector", "title": "Sector"}],
                },
            },
            {
                "data": {
                    "values": [
                        {
                            "organisation": "Northshire Trust",
                            "column": "Mental Health Alliance",
                            "role": "Lead",
                        },
                        {"organisation": "Mind", "column": "Ageing Well Board", "role": "Host"},
                        {"organisation": "Mind", "column": "Mental Health Alliance", "role": "Member"},
                    ]
                },
                "mark": mark,
                "encoding": {
                    "color": {
                        "field": "role",
                        "type": "nominal",
                        "title": "Role",
                        "scale": {"scheme": "dark2"},
                    },
                    "tooltip": [
                        tooltip_organisation,
                        {"field": "column", "title": "Partnership"},
                        {"field": "role", "title": "Role"},
                    ],
                },
            },
        ],
    }
    assert landscape_chart_spec(land) == expected
    assert landscape_chart_spec(land, title="Northshire") == {**expected, "title": "Northshire"}


def test_ties_in_the_count_are_listed_by_name_whatever_its_case() -> None:
    rows = [
        m(1, "barnardo's", "voluntary", 10),
        m(2, "Age UK", "voluntary", 10),
        m(3, "carers first", "voluntary", 10),
    ]
    reps = [
        RepresentativeRow(7, "zoë Hart", 10),
        RepresentativeRow(8, "Amir Khan", 10),
        RepresentativeRow(9, "bea Lo", 10),
    ]
    result = compute_landscape(rows, reps)
    assert [o.name for o in result.organisations] == ["Age UK", "barnardo's", "carers first"]
    assert [p.name for p in result.people] == ["Amir Khan", "bea Lo", "zoë Hart"]
