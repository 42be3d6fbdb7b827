"""The representative picker: a member organisation's people, searched as you type (htmx) or with the Search
button (no JavaScript), as checkboxes in the membership forms.

Only people with a current affiliation with the organisation are offered; the service refuses anyone else and
the form then offers to record the affiliation (register.services.membership_add / membership_update).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from joinedup.accounts.http import AuthedRequest
from joinedup.core.permissions import Permission, permission_declared, require
from joinedup.register import selectors
from joinedup.register.models import Organisation, Partnership
from joinedup.register.views.common import partnership_or_404

SHOWN = 30  # people listed at once; a search finds the others
SEARCH_MAX = 100


def search_text(data: Any) -> str:
    return str(data.get("rep_search", "")).strip()[:SEARCH_MAX]


def organisation_from(data: Any) -> Organisation | None:
    raw = str(data.get("organisation", ""))
    return Organisation.objects.filter(pk=int(raw)).only("id", "name").first() if raw.isdigit() else None


def chosen_from(data: Any) -> list[int]:
    values = data.getlist("representatives") if hasattr(data, "getlist") else []
    return [int(v) for v in values if str(v).isdigit()]


def picker_context(
    request: AuthedRequest,
    *,
    partnership: Partnership,
    organisation: Organisation | None,
    chosen: list[int],
    search: str = "",
    field: Any = None,
    fixed_organisation: bool = False,
) -> dict[str, Any]:
    """What `register/_representative_picker.html` needs: the people to offer (the chosen ones first, ticked),
    how many more match, and the field's errors; `offer_record` when the service refused someone unaffiliated."""
    people = list(
        selectors.representative_choices(
            user=request.user, organisation=organisation, search=search, chosen=chosen
        )[: SHOWN + len(chosen) + 1]
    )
    chosen_set = set(chosen)
    picked = [p for p in people if p.pk in chosen_set]
    others = [p for p in people if p.pk not in chosen_set]
    errors = list(field.errors) if field is not None else []
    offer_record = field is not None and any(
        e.code == "not_affiliated"
        for e in field.form.errors.as_data().get("representatives", [])  # type: ignore[union-attr]
    )
    url = reverse("register:representative_picker", args=[partnership.pk])
    if fixed_organisation and organisation is not None:
        url += f"?organisation={organisation.pk}&fixed=1"
    return {
        "picker_organisation": organisation,
        "picker_people": picked + others[:SHOWN],
        "picker_more": len(others) > SHOWN,
        "picker_chosen": chosen_set,
        "picker_search": search,
        "picker_errors": errors,
        "picker_offer_record": offer_record,
        "picker_url": url,
        "picker_fixed": fixed_organisation,
    }


@login_required
@permission_declared(Permission.MEMBERSHIP_MANAGE)
def representative_picker(request: AuthedRequest, pk: int) -> HttpResponse:
    """The picker's people for the organisation, search text and ticks in the query (htmx asks for it as one
    types, and when the organisation changes); a full picker without `rep_search`, else only the list."""
    partnership = partnership_or_404(request, pk)
    require(request, Permission.MEMBERSHIP_MANAGE, partnership)
    fixed = "fixed" in request.GET
    context = picker_context(
        request,
        partnership=partnership,
        organisation=organisation_from(request.GET),
        chosen=chosen_from(request.GET),
        search=search_text(request.GET),
        fixed_organisation=fixed,
    )
    only_list = "rep_search" in request.GET and request.headers.get("HX-Target") == "representatives-options"
    template = (
        "register/_representative_options.html" if only_list else "register/_representative_picker.html"
    )
    return render(request, template, context)
