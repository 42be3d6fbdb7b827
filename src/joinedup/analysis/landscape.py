"""The landscape of a place: which organisations sit in which partnerships, who bridges them, who is stretched.

Plain Python over rows (no Django), so the same code serves the web page, the API and the command line.

    landscape = compute_landscape(memberships, representatives)
    landscape.role(org_id, partnership_id)   # "Lead", or None when the organisation is not a member
    landscape.organisations                  # every organisation with its partnership count, busiest first
    landscape.bridges                        # organisations in two or more partnerships
    landscape.people_in_several              # people who represent an organisation in two or more
    landscape_chart_spec(landscape)          # a Vega-Lite grid of organisations by partnerships

Rows are the *current* memberships (the caller filters out the ones that have ended). If the same organisation
appears twice in one partnership, the first row's role is kept and the partnership is counted once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

# Chart sizing: one band per organisation (rows) and per partnership (columns), so the picture grows with
# the data and each cell stays large enough to hover or read.
ROW_STEP = 20
COLUMN_STEP = 28
LABEL_LIMIT = 240


@dataclass(frozen=True)
class MembershipRow:
    organisation_id: int
    organisation_name: str
    sector: str
    partnership_id: int
    partnership_name: str
    role: str


@dataclass(frozen=True)
class RepresentativeRow:
    person_id: int
    person_name: str
    partnership_id: int


@dataclass(frozen=True)
class PartnershipRef:
    id: int
    name: str


@dataclass(frozen=True)
class OrganisationSummary:
    id: int
    name: str
    sector: str
    partnership_count: int
    partnerships: tuple[PartnershipRef, ...]


@dataclass(frozen=True)
class PersonSummary:
    id: int
    name: str
    partnership_count: int
    partnerships: tuple[PartnershipRef, ...]


@dataclass(frozen=True)
class GridRow:
    organisation: OrganisationSummary
    roles: tuple[str | None, ...]  # one per partnership, in Landscape.partnerships order


@dataclass
class Landscape:
    partnerships: list[PartnershipRef]  # columns, by name
    organisations: list[OrganisationSummary]  # by partnership count (most first), then name (any case)
    people: list[PersonSummary]  # by partnership count (most first), then name (any case)
    cells: dict[tuple[int, int], str] = field(
        default_factory=dict
    )  # (organisation id, partnership id) -> role

    def role(self, organisation_id: int, partnership_id: int) -> str | None:
        return self.cells.get((organisation_id, partnership_id))

    @property
    def bridges(self) -> list[OrganisationSummary]:
        """Organisations that sit in two or more of the partnerships."""
        return [o for o in self.organisations if o.partnership_count >= 2]

    @property
    def people_in_several(self) -> list[PersonSummary]:
        """People who represent an organisation in two or more of the partnerships."""
        return [p for p in self.people if p.partnership_count >= 2]

    def grid_rows(self) -> list[GridRow]:
        """The organisations × partnerships grid, rows grouped by sector, then by organisation name."""
        ordered = sorted(self.organisations, key=lambda o: (o.sector.casefold(), o.name.casefold(), o.id))
        return [
            GridRow(organisation=o, roles=tuple(self.role(o.id, p.id) for p in self.partnerships))
            for o in ordered
        ]


_MEMBERSHIP_SCHEMA = {
    "organisation_id": pl.Int64,
    "organisation_name": pl.String,
    "sector": pl.String,
    "partnership_id": pl.Int64,
    "partnership_name": pl.String,
    "role": pl.String,
}
_REPRESENTATIVE_SCHEMA = {"person_id": pl.Int64, "person_name": pl.String, "partnership_id": pl.Int64}


def _frame(rows: Iterable[Any], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame([{k: getattr(r, k) for k in schema} for r in rows], schema=schema, orient="row")


def compute_landscape(
    memberships: Iterable[MembershipRow], representatives: Iterable[RepresentativeRow] = ()
) -> Landscape:
    """Summarise current memberships and representatives. Copes with no rows at all."""
    members = _frame(memberships, _MEMBERSHIP_SCHEMA).unique(
        subset=["organisation_id", "partnership_id"], keep="first", maintain_order=True
    )
    reps = _frame(representatives, _REPRESENTATIVE_SCHEMA).unique(
        subset=["person_id", "partnership_id"], keep="first", maintain_order=True
    )

    partnership_names: dict[int, str] = dict(
        members.select("partnership_id", "partnership_name")
        .unique("partnership_id", keep="first")
        .iter_rows()
    )
    # Representatives of partnerships with no current members still name their partnership's id; give those
    # columns no name rather than dropping the people.
    refs = {pid: PartnershipRef(pid, name) for pid, name in partnership_names.items()}
    partnerships = sorted(refs.values(), key=lambda p: (p.name.casefold(), p.id))

    def refs_for(ids: list[int]) -> tuple[PartnershipRef, ...]:
        found = [refs.get(i, PartnershipRef(i, "")) for i in ids]
        return tuple(sorted(found, key=lambda p: (p.name.casefold(), p.id)))

    per_org = (
        members.group_by("organisation_id")
        .agg(
            pl.col("organisation_name").first(),
            pl.col("sector").first(),
            pl.col("partnership_id").n_unique().alias("count"),
            pl.col("partnership_id").alias("partnership_ids"),
        )
        .sort(
            [pl.col("count"), pl.col("organisation_name").str.to_lowercase(), pl.col("organisation_id")],
            descending=[True, False, False],
        )
    )
    organisations = [
        OrganisationSummary(
            id=row["organisation_id"],
            name=row["organisation_name"],
            sector=row["sector"],
            partnership_count=row["count"],
            partnerships=refs_for(row["partnership_ids"]),
        )
        for row in per_org.iter_rows(named=True)
    ]

    per_person = (
        reps.group_by("person_id")
        .agg(
            pl.col("person_name").first(),
            pl.col("partnership_id").n_unique().alias("count"),
            pl.col("partnership_id").alias("partnership_ids"),
        )
        .sort(
            [pl.col("count"), pl.col("person_name").str.to_lowercase(), pl.col("person_id")],
            descending=[True, False, False],
        )
    )
    people = [
        PersonSummary(
            id=row["person_id"],
            name=row["person_name"],
            partnership_count=row["count"],
            partnerships=refs_for(row["partnership_ids"]),
        )
        for row in per_person.iter_rows(named=True)
    ]

    cells = {
        (org, pid): role
        for org, pid, role in members.select("organisation_id", "partnership_id", "role").iter_rows()
    }
    return Landscape(partnerships=partnerships, organisations=organisations, people=people, cells=cells)


def landscape_chart_spec(landscape: Landscape, *, title: str = "") -> dict[str, Any]:
    """A Vega-Lite grid: organisations (rows, grouped by sector) by partnerships (columns), coloured by role.

    The first column shows each organisation's sector in colours of its own. Bands have a fixed step, so the
    chart is as tall as it needs to be for the number of organisations and never squashes rows together.
    Layer 0 holds the sector column, layer 1 the roles.
    """
    rows = landscape.grid_rows()
    label = _org_labels(landscape.organisations)
    partnership_order = [p.name for p in landscape.partnerships]
    sector_column = "Sector"
    while sector_column in partnership_order:  # a partnership could be called "Sector"
        sector_column += " "
    columns = [sector_column, *partnership_order]
    roles = [
        {"organisation": label[r.organisation.id], "column": p.name, "role": role}
        for r in rows
        for p, role in zip(landscape.partnerships, r.roles, strict=True)
        if role is not None
    ]
    sectors = [
        {"organisation": label[r.organisation.id], "column": sector_column, "sector": r.organisation.sector}
        for r in rows
    ]
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        # vega-embed gives the chart's container this as its accessible name
        "description": "Grid of organisations by partnership, coloured by role. The table below has the same facts.",
        # vega-tooltip would inject its stylesheet inline, which the CSP refuses; joinedup.css styles it instead.
        "usermeta": {"embedOptions": {"tooltip": {"disableDefaultStyle": True}}},
        "config": {"view": {"stroke": None}, "axis": {"labelFontSize": 12}, "legend": {"labelFontSize": 12}},
        "width": {"step": COLUMN_STEP},
        "height": {"step": ROW_STEP},
        "encoding": {
            "y": {
                "field": "organisation",
                "type": "nominal",
                "sort": [label[r.organisation.id] for r in rows],
                "title": None,
                "axis": {"labelLimit": LABEL_LIMIT},
            },
            "x": {
                "field": "column",
                "type": "nominal",
                "sort": columns,
                "scale": {"domain": columns},
                "title": None,
                "axis": {"orient": "top", "labelAngle": -60, "labelLimit": LABEL_LIMIT},
            },
        },
        "resolve": {"scale": {"color": "independent"}},
        "layer": [
            {
                "data": {"values": sectors},
                "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1},
                "encoding": {
                    "color": {
                        "field": "sector",
                        "type": "nominal",
                        "title": "Sector",
                        "scale": {"scheme": "set3"},
                    },
                    "tooltip": [
                        {"field": "organisation", "title": "Organisation"},
                        {"field": "sector", "title": "Sector"},
                    ],
                },
            },
            {
                "data": {"values": roles},
                "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1},
                "encoding": {
                    "color": {
                        "field": "role",
                        "type": "nominal",
                        "title": "Role",
                        "scale": {"scheme": "dark2"},
                    },
                    "tooltip": [
                        {"field": "organisation", "title": "Organisation"},
                        {"field": "column", "title": "Partnership"},
                        {"field": "role", "title": "Role"},
                    ],
                },
            },
        ],
    }
    if title:
        spec["title"] = title
    return spec


def _org_labels(organisations: list[OrganisationSummary]) -> dict[int, str]:
    """Chart rows are keyed on their label, and names need not be unique: add the id to repeated names."""
    seen: dict[str, int] = {}
    for o in organisations:
        seen[o.name] = seen.get(o.name, 0) + 1
    return {
        o.id: o.name if o.name and seen[o.name] == 1 else f"{o.name or 'Organisation'} ({o.id})"
        for o in organisations
    }
