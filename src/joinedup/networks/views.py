"""Relationship survey pages (answered by link, no login) and the network pages of a partnership.

`respond(request, target, token)` is called by the surveys app's link dispatcher (/s/<token>/) for relationship
waves, and by this app's own /networks/respond/<token>/. The steps travel in the query string (`?step=rate&org=7`)
and in hidden form fields, so the same function works under either address and without JavaScript.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from joinedup.accounts.http import AuthedRequest
from joinedup.analysis.network_map import LABELLED, SIZE_MEASURES, network_map_spec
from joinedup.analysis.rating_disclosure import effective_minimum
from joinedup.core.choices import JobStatus
from joinedup.core.models import Job
from joinedup.core.permissions import Access, Permission, permission_declared, require
from joinedup.core.views import job_status_response
from joinedup.networks import selectors, services
from joinedup.networks.choices import (
    AGREEMENT_SCALE,
    EXCHANGE_SHORT,
    RELATIONSHIP_KIND,
    TRUST_QUESTIONS,
    VALUE_QUESTIONS,
    Frequency,
    Level,
)
from joinedup.networks.forms import ChooseForm, NetworkFilterForm, OrganisationForm, TieForm
from joinedup.register.forms import add_service_errors
from joinedup.register.models import Organisation
from joinedup.register.views.common import partnership_or_404
from joinedup.surveys import services as survey_services
from joinedup.surveys.choices import WaveStatus
from joinedup.surveys.models import Response, Wave
from joinedup.surveys.services import LinkTarget

_SCALE = dict(AGREEMENT_SCALE)
ROWS_PER_PAGE = 100  # organisations a page in a wave's table
MAP_TABLE_ROWS = 25  # beside the map: all organisations up to this many, else the largest


# ---- the survey, by link ---------------------------------------------------------------------------------


@permission_declared(Access.PUBLIC)
def respond_direct(request: HttpRequest, token: str) -> HttpResponse:
    """The relationship survey at its own address (the survey links /s/<token>/ reach `respond` too)."""
    target = survey_services.link_resolve(token)
    if target is None:
        raise Http404("This link does not work")
    return respond(request, target, token)


def respond(request: HttpRequest, target: LinkTarget, token: str, step: str = "") -> HttpResponse:
    """A relationship survey link (one page: `step` is not used)."""
    wave = target.wave
    if wave.kind != RELATIONSHIP_KIND:
        raise Http404("Not a relationship survey")
    response = target.response
    base = {
        "wave": wave,
        "partnership": wave.partnership,
        "min_raters": effective_minimum(wave.min_group_size),
    }
    if target.answered:
        return render(request, "networks/respond_done.html", {**base, "response": response})
    if wave.status != WaveStatus.OPEN:
        return render(request, "networks/respond_closed.html", base, status=410)
    organisation = response.organisation if response is not None else None
    if organisation is None and target.invitation is not None:
        organisation = target.invitation.organisation
    if organisation is None:
        return _respond_organisation(request, target, token)
    step = request.POST.get("step") or request.GET.get("step") or "choose"
    context = {**base, "organisation": organisation, "response": response}
    if step == "rate":
        return _respond_rate(request, target, token, context)
    if step == "check":
        return _respond_check(request, target, token, context)
    return _respond_choose(request, target, token, context)


def _started(target: LinkTarget, token: str, organisation: Organisation) -> Response:
    if target.response is not None:
        return target.response
    response, _ = survey_services.response_start(
        wave=target.wave, invitation=target.invitation, organisation=organisation, token=token
    )
    return response


def _respond_organisation(request: HttpRequest, target: LinkTarget, token: str) -> HttpResponse:
    members = selectors.current_members(partnership=target.wave.partnership)
    form = OrganisationForm(request.POST or None, organisations=members)
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in members if str(o.pk) == form.cleaned_data["organisation"])
        _, resume = survey_services.response_start(
            wave=target.wave,
            invitation=target.invitation,
            organisation=organisation,
            token=token if target.invitation is not None else None,
        )
        # An open-link visitor gets a link of their own, to come back to these answers.
        return redirect(request.path.replace(token, resume) + "?step=choose&new=1")
    return render(request, "networks/respond_organisation.html", {"wave": target.wave, "form": form})


def _respond_choose(
    request: HttpRequest, target: LinkTarget, token: str, context: dict[str, Any]
) -> HttpResponse:
    """The list of organisations worked with: members as checkboxes, others found by a search of the register.

    The search is a GET (`?step=choose&q=...`): typing in the box fetches only the results with htmx; without
    JavaScript the Search button saves the ticks so far and comes back to the same GET address.
    """
    organisation: Organisation = context["organisation"]
    response = context["response"]
    ties = selectors.response_ties(response=response) if response is not None else []
    members = [o for o in selectors.current_members(partnership=target.wave.partnership) if o != organisation]
    member_ids = {o.pk for o in members}
    listed = members + [t.target for t in ties if t.target_id not in member_ids]
    query = (request.POST.get("q") if request.method == "POST" else request.GET.get("q")) or ""
    found = selectors.organisation_search(query=query, exclude={organisation.pk, *(o.pk for o in listed)})
    search = {
        "q": query.strip(),
        "found": found[: selectors.SEARCH_LIMIT],
        "more": len(found) > selectors.SEARCH_LIMIT,
        "limit": selectors.SEARCH_LIMIT,
        "checked": request.POST.getlist("add"),
    }
    if request.method == "GET" and getattr(request, "htmx", False):
        return render(request, "networks/_organisation_search.html", search)
    initial = {"organisations": [str(t.target_id) for t in ties], "q": query}
    form = ChooseForm(request.POST or None, initial=initial, listed=listed, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        chosen = list(Organisation.objects.filter(pk__in=form.chosen_ids()))
        try:
            response = _started(target, token, organisation)
            services.ties_choose(response=response, organisations=chosen)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            action = request.POST.get("action")
            if action == "search":
                return redirect(request.path + "?" + urlencode({"step": "choose", "q": query}) + "#search")
            if action == "add":
                return redirect(request.path + "?step=choose#organisations")
            ties = selectors.response_ties(response=response)
            first = next((t for t in ties if not t.is_complete), None)
            if first is not None:
                return redirect(request.path + f"?step=rate&org={first.target_id}")
            return redirect(request.path + "?step=check")
    return render(
        request,
        "networks/respond_choose.html",
        {
            **context,
            **search,
            "form": form,
            "new_link": request.GET.get("new") == "1",
            "link": request.build_absolute_uri(request.path),
        },
    )


def _respond_rate(
    request: HttpRequest, target: LinkTarget, token: str, context: dict[str, Any]
) -> HttpResponse:
    response = context["response"]
    if response is None:
        return redirect(request.path + "?step=choose")
    ties = selectors.response_ties(response=response)
    raw = request.POST.get("org") or request.GET.get("org") or ""
    position = next((i for i, t in enumerate(ties) if str(t.target_id) == raw), None)
    if position is None:
        raise Http404("That organisation is not on your list")
    tie = ties[position]
    initial = {
        field: getattr(tie, field)
        for field in ("frequency", "exchanges", "level", *(f for f, _ in TRUST_QUESTIONS + VALUE_QUESTIONS))
        if getattr(tie, field) not in (None, [])
    }
    form = TieForm(request.POST or None, initial=initial, organisation_name=tie.target.name)
    if request.method == "POST" and form.is_valid():
        try:
            services.tie_rate(
                response=response, organisation=tie.target, answers=services.TieAnswers(**form.cleaned_data)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            following = next((t for t in ties[position + 1 :] if not t.is_complete), None)
            if following is not None and request.POST.get("action") != "check":
                return redirect(request.path + f"?step=rate&org={following.target_id}")
            return redirect(request.path + "?step=check")
    return render(
        request,
        "networks/respond_rate.html",
        {**context, "form": form, "tie": tie, "number": position + 1, "count": len(ties)},
    )


def _respond_check(
    request: HttpRequest, target: LinkTarget, token: str, context: dict[str, Any]
) -> HttpResponse:
    response = context["response"]
    ties = selectors.response_ties(response=response) if response is not None else []
    errors: list[str] = []
    if request.method == "POST":
        try:
            response = _started(target, token, context["organisation"])
            services.relationship_submit(response=response)
        except ValidationError as error:
            errors = error.messages
        else:
            return redirect(request.path)
    rows = [
        {
            "tie": t,
            "frequency": Frequency(t.frequency).label if t.frequency is not None else None,
            "level": Level(t.level).label if t.level is not None else None,
            "exchanges": [EXCHANGE_SHORT[key] for key in t.exchanges if key in EXCHANGE_SHORT],  # type: ignore[index]
            "trust": [(q.format(org=t.target.name), _SCALE.get(getattr(t, f))) for f, q in TRUST_QUESTIONS],
            "value": [(q.format(org=t.target.name), _SCALE.get(getattr(t, f))) for f, q in VALUE_QUESTIONS],
        }
        for t in ties
    ]
    return render(request, "networks/respond_check.html", {**context, "rows": rows, "errors": errors})


# ---- the network pages -----------------------------------------------------------------------------------


def _wave_or_404(request: HttpRequest, pk: int) -> Wave:
    wave = get_object_or_404(Wave.objects.select_related("partnership"), pk=pk, kind=RELATIONSHIP_KIND)
    partnership_or_404(request, wave.partnership_id)
    require(request, Permission.NETWORK_VIEW, wave.partnership)
    return wave


@login_required
@permission_declared(Permission.NETWORK_VIEW)
def partnership_networks(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.NETWORK_VIEW, partnership)
    waves = list(selectors.relationship_waves(partnership=partnership))
    return render(request, "networks/partnership.html", {"partnership": partnership, "waves": waves})


@login_required
@permission_declared(Permission.NETWORK_VIEW)
def wave_network(request: AuthedRequest, pk: int) -> HttpResponse:
    """A wave's network. Small waves are analysed in the request; above selectors.LARGE_WAVE organisations
    the analysis is a background job, reused until the wave's answers change, with its progress shown here."""
    wave = _wave_or_404(request, pk)
    filters = NetworkFilterForm(request.GET or None)
    exchange, min_frequency, size_by = filters.filters()
    positions = None
    size = selectors.wave_size(wave=wave)
    if size > selectors.LARGE_WAVE:
        # POST: try again after a failure
        job = _analysis(request, wave, exchange, min_frequency, again=request.method == "POST")
        if request.method == "POST":
            return redirect(request.get_full_path())
        if request.htmx or job.status != JobStatus.DONE or job.result is None:
            return _wave_pending(request, wave, job, size)
        network = selectors.WaveNetwork.from_dict(wave, job.result)
        positions = job.result.get("positions")
    elif request.method == "POST":
        return redirect(request.get_full_path())
    else:
        network = selectors.wave_network(wave=wave, exchange=exchange, min_frequency=min_frequency)
    rows = network.organisation_rows()
    by_index = network.organisation_rows_in_order()
    spec = network_map_spec(
        [{**row, "sector": row["sector_label"]} for row in by_index],  # the map shows sectors by name
        network.source.tolist(),
        network.target.tolist(),
        size_by=size_by,
        positions=positions,
    )
    rows_page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "wave": wave,
        "partnership": wave.partnership,
        "filters": filters,
        "network": network,
        "metrics": network.metrics.network,
        "rows": rows_page.object_list,
        "page_obj": rows_page,
        "querystring_without_page": f"{query.urlencode()}&" if query else "",
        "map_rows": _largest(rows, size_by),
        "map_rows_all": len(rows) <= MAP_TABLE_ROWS,
        "map_labels_all": len(rows) <= LABELLED,
        "map_labels": LABELLED,
        "spec": spec,
        "size_label": SIZE_MEASURES[size_by],
        "size_by": size_by,
        "responded_count": sum(n.responded for n in network.expected),
        "response_percent": round(100 * network.response_rate) if network.response_rate is not None else None,
        "aggregated": spec["usermeta"]["aggregated"],
        "sector_rows": spec["layer"][1]["data"]["values"] if spec["usermeta"]["aggregated"] else [],
    }
    return render(request, "networks/wave_network.html", context)


def _largest(rows: list[dict[str, Any]], size_by: str) -> list[dict[str, Any]]:
    """The organisations beside the map: all of them, or the MAP_TABLE_ROWS largest on the map."""
    if len(rows) <= MAP_TABLE_ROWS:
        return rows
    return sorted(rows, key=lambda r: -(r[size_by] if r[size_by] is not None else -1))[:MAP_TABLE_ROWS]


def _analysis(
    request: AuthedRequest, wave: Wave, exchange: str, min_frequency: int, *, again: bool = False
) -> Job:
    """The background analysis of a large wave's network as its answers stand now: the last one (finished,
    failed or under way), or a new one if there is none (or `again`)."""
    key = selectors.wave_network_key(wave=wave, exchange=exchange, min_frequency=min_frequency)
    job = selectors.wave_network_job(key=key)
    if job is None or again:
        job = services.wave_network_schedule(
            wave=wave, key=key, exchange=exchange, min_frequency=min_frequency, by=request.user
        )
        job.refresh_from_db()  # it may have run already (the immediate backend runs it at once)
    return job


def _wave_pending(request: AuthedRequest, wave: Wave, job: Job, size: int) -> HttpResponse:
    """While a large wave is analysed: its progress (polled by htmx at this same address, which answers the
    poll with the progress partial even once the job is done), or why it failed."""
    page_url = request.get_full_path()
    if request.htmx:
        return job_status_response(request, job, result_url=page_url, page_url=page_url)
    context = {"wave": wave, "partnership": wave.partnership, "job": job, "size": size, "page_url": page_url}
    return render(request, "networks/wave_network_pending.html", context, status=202)


@login_required
@permission_declared(Permission.NETWORK_VIEW)
def compare(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.NETWORK_VIEW, partnership)
    waves = list(selectors.relationship_waves(partnership=partnership))
    by_id = {str(w.pk): w for w in waves}
    before = by_id.get(request.GET.get("before", ""))
    after = by_id.get(request.GET.get("after", ""))
    if before is None and after is None and len(waves) >= 2:
        before, after = waves[-2], waves[-1]
    context: dict[str, Any] = {"partnership": partnership, "waves": waves, "before": before, "after": after}
    if before is not None and after is not None and before != after:
        # Large waves are compared from their background analyses, waited for here if need be.
        analyses = {
            w.pk: _analysis(request, w, "", 0)
            for w in (before, after)
            if selectors.wave_size(wave=w) > selectors.LARGE_WAVE
        }
        page_url = request.path + f"?before={before.pk}&after={after.pk}"
        progress = request.GET.get("progress", "")
        polled = analyses.get(int(progress)) if request.htmx and progress.isdigit() else None
        if polled is not None:  # htmx asking for one analysis's progress
            return job_status_response(request, polled, result_url=page_url, page_url=page_url)
        waiting = [
            (w, job, f"{page_url}&progress={w.pk}")
            for w, job in ((w, analyses.get(w.pk)) for w in (before, after))
            if job is not None and (job.status != JobStatus.DONE or job.result is None)
        ]
        if waiting:
            context.update(waiting=waiting, page_url=page_url)
            return render(request, "networks/compare.html", context, status=202)
        networks = {
            pk: selectors.WaveNetwork.from_dict(by_id[str(pk)], job.result or {})
            for pk, job in analyses.items()
        }
        context.update(
            selectors.wave_comparison(
                before=before, after=after, first=networks.get(before.pk), second=networks.get(after.pk)
            )
        )
    return render(request, "networks/compare.html", context)
