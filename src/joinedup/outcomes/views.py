"""Indicator pages: a partnership's indicators, the catalogue to start from, an indicator's SPC chart and
table, and the forms that define indicators, record and import measurements and rebase a chart.

Viewing needs PARTNERSHIP_VIEW; everything that writes needs INDICATOR_RECORD. Another partnership's
indicator answers 404, so its existence is not revealed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from joinedup.accounts.http import AuthedRequest
from joinedup.core.http import form_page
from joinedup.core.permissions import Permission, has_permission, permission_declared, require
from joinedup.core.registry import record_kinds, records_resolve
from joinedup.outcomes import selectors, services
from joinedup.outcomes.catalogue import shipped_catalogue
from joinedup.outcomes.charts import spc_chart
from joinedup.outcomes.choices import DECISION_KIND
from joinedup.outcomes.forms import ImportForm, IndicatorForm, MeasurementForm, RebaseForm, trajectory_text
from joinedup.outcomes.imports import ImportProblems
from joinedup.outcomes.models import Indicator
from joinedup.outcomes.periods import FORMATS, period_code, period_label
from joinedup.outcomes.series import what_this_means
from joinedup.register.forms import add_service_errors
from joinedup.register.views.common import partnership_or_404


def _indicator_or_404(request: AuthedRequest, pk: int) -> Indicator:
    found = selectors.indicator_get(user=request.user, pk=pk)
    if found is None:
        raise Http404("No such indicator")
    return found


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def partnership_indicators(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.PARTNERSHIP_VIEW, partnership)
    context = {
        "partnership": partnership,
        "indicators": selectors.indicators_read(partnership=partnership),
        "may_record": has_permission(request.user, Permission.INDICATOR_RECORD, partnership),
    }
    return render(request, "outcomes/partnership.html", context)


@login_required
@permission_declared(Permission.INDICATOR_RECORD)
def catalogue(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.INDICATOR_RECORD, partnership)
    return render(
        request, "outcomes/catalogue.html", {"partnership": partnership, "catalogue": shipped_catalogue()}
    )


def _owners(partnership: Any) -> Any:
    return selectors.owner_choices(partnership=partnership)


@login_required
@permission_declared(Permission.INDICATOR_RECORD)
@require_http_methods(["GET", "POST"])
def indicator_create(request: AuthedRequest, pk: int) -> HttpResponse:
    partnership = partnership_or_404(request, pk)
    require(request, Permission.INDICATOR_RECORD, partnership)
    book = shipped_catalogue()
    entry = book.entry(request.GET.get("from", ""))
    initial: dict[str, Any] = {}
    if entry is not None:
        initial = {
            "title": entry.title,
            "kind": entry.kind,
            "rba_question": entry.rba_question,
            "frequency": entry.frequency,
            "definition": entry.full_definition,
            "unit": entry.unit,
            "direction": entry.direction,
            "data_source": entry.data_source,
            "publisher": entry.publisher,
        }
    form = IndicatorForm(
        request.POST or None, initial=initial, partnership=partnership, owners=_owners(partnership)
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if entry is not None:
            fields.update(catalogue_key=entry.key, catalogue_version=book.version)
        try:
            indicator = services.indicator_create(
                by=request.user,
                partnership=partnership,
                fields=fields,
                trajectory=form.cleaned_data["trajectory_points"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Indicator added: {indicator.title}.")
            return redirect("outcomes:indicator", indicator.pk)
    intro = (
        f"Filled in from the catalogue entry “{entry.title}” ({book.title}, version {book.version}): change "
        "anything that differs in your partnership."
        if entry is not None
        else "Write your own indicator, or start from the catalogue."
    )
    return form_page(
        request,
        form,
        title="Add an indicator",
        cancel_url=reverse("outcomes:partnership", args=[partnership.pk]),
        submit_label="Add the indicator",
        intro=intro,
    )


@login_required
@permission_declared(Permission.INDICATOR_RECORD)
@require_http_methods(["GET", "POST"])
def indicator_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = _indicator_or_404(request, pk)
    require(request, Permission.INDICATOR_RECORD, indicator.partnership)
    version = selectors.current_version(indicator)
    initial = {
        **{name: getattr(indicator, name) for name in services.EDITABLE if hasattr(indicator, name)},
        "definition": version.definition,
        "unit": version.unit,
        "direction": version.direction,
        "trajectory": trajectory_text(list(indicator.trajectory.all()), indicator.frequency),
    }
    form = IndicatorForm(
        request.POST or None,
        initial=initial,
        partnership=indicator.partnership,
        owners=_owners(indicator.partnership),
        frequency=indicator.frequency,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_edit(
                by=request.user,
                indicator=indicator,
                fields=form.service_fields(),
                starts=form.cleaned_data.get("starts"),
                trajectory=form.cleaned_data["trajectory_points"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Indicator saved.")
            return redirect("outcomes:indicator", indicator.pk)
    return form_page(
        request,
        form,
        title=f"Change {indicator.title}",
        cancel_url=reverse("outcomes:indicator", args=[indicator.pk]),
        intro=(
            "Changing the definition, the unit or which way is better starts a new version of the definition "
            "from the period you name: the chart starts a new line there, as the figures mean something else."
        ),
    )


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def indicator_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = _indicator_or_404(request, pk)
    read = selectors.reading(indicator)
    versions = list(indicator.versions.all())
    refs = [(r.decision_kind, r.decision_id) for r in indicator.rebases.all() if r.decision_id is not None]
    if indicator.clause_id is not None:
        refs.append((indicator.clause_kind, indicator.clause_id))
    linked = records_resolve(refs)
    version = versions[-1]
    context = {
        "partnership": indicator.partnership,
        "indicator": indicator,
        "version": version,
        "versions": versions,
        "reading": read,
        "spec": spc_chart(version.unit, read) if read.points else None,
        "history": selectors.earlier_revisions(indicator=indicator),
        "rebases": [
            (
                r,
                linked.get((r.decision_kind, r.decision_id or 0)),
                period_label(r.period, indicator.frequency),
            )
            for r in indicator.rebases.all()
        ],
        "clause": linked.get((indicator.clause_kind, indicator.clause_id or 0)),
        "trajectory": [
            (period_label(t.period, indicator.frequency), t.target) for t in indicator.trajectory.all()
        ],
        "meaning": what_this_means(read, version.unit, indicator.title),
        "may_record": has_permission(request.user, Permission.INDICATOR_RECORD, indicator.partnership),
        "frequency_label": indicator.get_frequency_display(),
    }
    return render(request, "outcomes/indicator.html", context)


@login_required
@permission_declared(Permission.INDICATOR_RECORD)
@require_http_methods(["GET", "POST"])
def measurement_add(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = _indicator_or_404(request, pk)
    require(request, Permission.INDICATOR_RECORD, indicator.partnership)
    initial: dict[str, Any] = {"period": request.GET.get("period", "")}
    current = {m.period: m for m in getattr(indicator, "current_measurements", [])}
    form = MeasurementForm(request.POST or None, initial=initial, frequency=indicator.frequency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.measurement_record(
                by=request.user,
                indicator=indicator,
                period=data["period"],
                value=data["value"],
                numerator=data.get("numerator"),
                denominator=data.get("denominator"),
                note=data.get("note", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            label = period_label(saved.period, indicator.frequency)
            done = (
                "corrected (the earlier figure is kept in the history)" if saved.revision > 1 else "recorded"
            )
            messages.success(request, f"{label}: {saved.value:g} {done}.")
            return redirect("outcomes:indicator", indicator.pk)
    recorded = ", ".join(period_code(p, indicator.frequency) for p in sorted(current)[-4:])
    return form_page(
        request,
        form,
        title=f"Record a measurement: {indicator.title}",
        cancel_url=reverse("outcomes:indicator", args=[indicator.pk]),
        submit_label="Record it",
        intro=(
            "A figure for a period already recorded corrects it: the earlier figure is kept in the history."
            + (f" Latest periods recorded: {recorded}." if recorded else "")
        ),
    )


@login_required
@permission_declared(Permission.INDICATOR_RECORD)
@require_http_methods(["GET", "POST"])
def measurement_import(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = _indicator_or_404(request, pk)
    require(request, Permission.INDICATOR_RECORD, indicator.partnership)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.measurements_import(
                by=request.user, indicator=indicator, data=upload.read(), filename=upload.name or ""
            )
        except ImportProblems as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                f"Imported: {report.added} added, {report.revised} corrected, {report.unchanged} unchanged.",
            )
            return redirect("outcomes:indicator", indicator.pk)
    context = {
        "partnership": indicator.partnership,
        "indicator": indicator,
        "form": form,
        "problems": problems,
        "period_format": FORMATS[indicator.frequency],
    }
    return render(request, "outcomes/import.html", context, status=400 if problems else 200)


@login_required
@permission_declared(Permission.INDICATOR_RECORD)
@require_http_methods(["GET", "POST"])
def indicator_rebase(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = _indicator_or_404(request, pk)
    require(request, Permission.INDICATOR_RECORD, indicator.partnership)
    periods = sorted(m.period for m in getattr(indicator, "current_measurements", []))[1:]
    choices = [(p.isoformat(), period_label(p, indicator.frequency)) for p in periods]
    form = RebaseForm(request.POST or None, partnership=indicator.partnership, periods=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.indicator_rebase(
                by=request.user,
                indicator=indicator,
                period=data["period"],
                reason=data["reason"],
                decision_id=data.get("decision_id"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The chart's limits are recalculated from that point.")
            return redirect("outcomes:indicator", indicator.pk)
    return form_page(
        request,
        form,
        title=f"Rebase the chart: {indicator.title}",
        cancel_url=reverse("outcomes:indicator", args=[indicator.pk]),
        submit_label="Rebase the chart",
        intro=(
            "A rebase starts a new mean and new limits from a point, when the service has changed for good "
            "(a new pathway, a new team). Without a real change it hides the signals the chart is there to show."
            + (
                " Name the decision that agreed it if there is one."
                if record_kinds.get(DECISION_KIND)
                else ""
            )
        ),
    )
