"""The results of an assessment wave: whole-wave scores, a breakdown with small groups hidden, gaps to
discuss, charts with tables, item answers, the trend across waves, comments and a CSV download.

Everything is read from the wave's stored WaveResult (scored once per change), never computed per view.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from joinedup.accounts.http import AuthedRequest
from joinedup.analysis.score_output import to_csv
from joinedup.assessments import charts, selectors
from joinedup.assessments.choices import ASSESSMENT_KIND
from joinedup.assessments.services import BREAKDOWNS, wave_instrument, wave_results_ensure
from joinedup.core.http import paginate
from joinedup.core.permissions import Permission, has_permission, permission_declared, require
from joinedup.core.views import job_status_response
from joinedup.surveys.models import Wave
from joinedup.surveys.views import wave_or_404


def assessment_wave(request: AuthedRequest, pk: int) -> Wave:
    wave = wave_or_404(request, pk)
    if wave.kind != ASSESSMENT_KIND:
        raise Http404("This wave is not an assessment")
    require(request, Permission.PARTNERSHIP_VIEW, wave.partnership)
    return wave


def _pending(request: AuthedRequest, wave: Wave) -> HttpResponse:
    """The page shown while a wave's answers are scored for the first time (a big import, say)."""
    context = {"wave": wave, "partnership": wave.partnership, "update": selectors.results_update(wave=wave)}
    return render(request, "assessments/results_pending.html", context, status=202)


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def results(request: AuthedRequest, pk: int) -> HttpResponse:
    wave = assessment_wave(request, pk)
    result = wave_results_ensure(wave=wave)
    if result is None:
        return _pending(request, wave)
    report = selectors.report_from_dict(result.report)
    instrument = wave_instrument(wave)
    by = request.GET.get("by", "organisation")
    if by not in BREAKDOWNS:
        by = "organisation"
    by_label = BREAKDOWNS[by]
    groups = report.groups.get(by, [])
    titles = {d.key: d.title for d in instrument.dimensions}
    gaps_to_discuss = sorted((g for g in report.gaps if g.to_discuss), key=lambda g: -g.difference)
    distribution = charts.item_distribution(instrument, result.items)
    series, changes, before_wave = selectors.trend(wave=wave)
    shown_groups = [g for g in groups if not g.suppressed]
    context: dict[str, Any] = {
        "wave": wave,
        "partnership": wave.partnership,
        "update": selectors.results_update(wave=wave),
        "status": selectors.release_status(wave=wave),
        # the statements hidden, by their words (never their keys)
        "hidden_items": [
            item.text for d in instrument.dimensions for item in d.items if item.key not in result.items
        ]
        if result.release
        else [],
        "instrument": instrument,
        "result": result,
        "report": report,
        "titles": titles,
        "by": by,
        "by_label": by_label,
        "breakdowns": BREAKDOWNS.items(),
        "by_labels": BREAKDOWNS,
        "groups": groups,
        "group_rows": [
            {"name": charts.group_name(g.group), "group": g, "cells": g.dimensions} for g in groups
        ],
        "gaps": [g for g in report.gaps if g.by == by],
        "gaps_to_discuss": gaps_to_discuss,
        "distribution": distribution,
        "series": series,
        "changes": changes,
        "before_wave": before_wave,
        "k": wave.min_group_size,
        "can_export": has_permission(request.user, Permission.EXPORT, wave.partnership),
        "can_moderate": has_permission(request.user, Permission.PARTNERSHIP_EDIT, wave.partnership),
        "profile_spec": charts.profile_chart(instrument, groups, by_label) if shown_groups else None,
        "heatmap_spec": charts.heatmap_chart(instrument, groups, by_label) if shown_groups else None,
        "diverging_spec": charts.diverging_chart(instrument, distribution) if result.respondents else None,
        "trend_spec": charts.trend_chart(instrument, series) if len(series) > 1 else None,
        # a page of comments at a time: a big wave can hold tens of thousands
        **paginate(request, result.comments),
    }
    return render(request, "assessments/results.html", context)


@login_required
@permission_declared(Permission.EXPORT)
def results_csv(request: AuthedRequest, pk: int) -> HttpResponse:
    wave = assessment_wave(request, pk)
    require(request, Permission.EXPORT, wave.partnership)
    result = wave_results_ensure(wave=wave)
    if result is None:
        return _pending(request, wave)
    response = HttpResponse(to_csv(selectors.report_from_dict(result.report)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="wave-{wave.pk}-results.csv"'
    return response


@login_required
@permission_declared(Permission.PARTNERSHIP_VIEW)
def results_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """The partial the results page polls while the wave is being rescored."""
    wave = assessment_wave(request, pk)
    job = selectors.results_update(wave=wave) or selectors.results_last_update(wave=wave)
    if job is None:
        raise Http404("This wave's results have not been updated in the background")
    url = reverse("assessments:results", args=[wave.pk])
    return job_status_response(request, job, result_url=url, page_url=url)
