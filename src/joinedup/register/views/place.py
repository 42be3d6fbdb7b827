"""The place page: for a system leader (or the coordinator of a partnership with partnerships under it), every
partnership in their place with its members, its health (each app's place facts: the insight app's warning
flags and integration-ladder step), horizontal and vertical partnerships, who sits in several of them and who
is overloaded, and links to its published results. Read-only. The download is the same picture as a CSV.

GET /register/place/
GET /register/place/place.csv

The download holds what the page shows that person and nothing more: words, counts of flags and members, no
survey figure (those stay behind EXPORT on each partnership's own pages), so it needs what the page needs.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from joinedup.accounts.http import AuthedRequest
from joinedup.analysis.safe_cells import safe_writer
from joinedup.core.permissions import Access, permission_declared
from joinedup.register import selectors


@login_required
@permission_declared(Access.SIGNED_IN)
def place(request: AuthedRequest) -> HttpResponse:
    """Any signed-in user gets the page; it lists only the partnerships their place role reaches."""
    overview = selectors.place_overview(request.user)
    rows = overview.rows
    return render(
        request,
        "register/place.html",
        {"overview": overview, "rows": rows, "places": sum(1 for r in rows if not r["depth"])},
    )


@login_required
@permission_declared(Access.SIGNED_IN)
def place_csv(request: AuthedRequest) -> HttpResponse:
    """The place page as a spreadsheet: one row per partnership, one column per fact; cells made safe."""
    overview = selectors.place_overview(request.user)
    labels: list[str] = []
    for row in overview.rows:
        labels += [f.label for f in row["facts"] if f.label not in labels]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="place.csv"'
    writer = safe_writer(response)
    head = ["Partnership", "Part of", "Kind", "Status", "Area", "Current members", "Overloaded members"]
    writer.writerow(head + labels + [f"{label}: details" for label in labels] + ["Published results"])
    busy = {o.id for o in overview.overloaded_organisations}
    for row in overview.rows:
        p = row["partnership"]
        by_label = {f.label: f for f in row["facts"]}
        writer.writerow(
            [
                p.name,
                p.parent.name if p.parent_id and row["depth"] else "",
                p.get_kind_display(),
                p.get_status_display(),
                p.area,
                len(row["members"]),
                sum(1 for m in row["members"] if m.organisation_id in busy),
                *[by_label[label].value if label in by_label else "" for label in labels],
                *["; ".join(by_label[label].details) if label in by_label else "" for label in labels],
                "; ".join(link.title for link in row["results"]),
            ]
        )
    return response
