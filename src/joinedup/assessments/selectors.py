"""Reads for assessment results: the stored report as scoring objects, trends across waves."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from joinedup.analysis.scoring import Change, DimensionResult, Gap, GroupResult, ScoreReport, wave_change
from joinedup.assessments.choices import RESULTS_JOB
from joinedup.assessments.models import WaveResult
from joinedup.core.choices import JobStatus
from joinedup.core.models import Job
from joinedup.surveys.choices import WaveKind
from joinedup.surveys.models import Response, Wave


def result_get(*, wave: Wave) -> WaveResult | None:
    """The wave's stored results, or None if it has never been scored (see services.wave_results_ensure)."""
    return WaveResult.objects.filter(wave=wave).first()


def answers_waiting(*, wave: Wave) -> bool:
    """Whether the wave has any submitted answers."""
    return Response.objects.filter(wave=wave, submitted_on__isnull=False).exists()


def results_update(*, wave: Wave) -> Job | None:
    """The rescore of this wave that is waiting or running, if any (the newest)."""
    return (
        Job.objects.filter(
            kind=RESULTS_JOB, key=f"wave:{wave.pk}", status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        )
        .order_by("-created_at")
        .first()
    )


def results_last_update(*, wave: Wave) -> Job | None:
    """The newest rescore of this wave, whatever its state."""
    return Job.objects.filter(kind=RESULTS_JOB, key=f"wave:{wave.pk}").order_by("-created_at").first()


def report_from_dict(data: dict[str, Any]) -> ScoreReport:
    def dimensions(rows: list[dict[str, Any]]) -> list[DimensionResult]:
        return [DimensionResult(**row) for row in rows]

    return ScoreReport(
        instrument=data["instrument"],
        respondents=data["respondents"],
        dimensions=dimensions(data["dimensions"]),
        groups={
            by: [
                GroupResult(
                    group=g["group"],
                    n=g["n"],
                    suppressed=g["suppressed"],
                    dimensions=dimensions(g["dimensions"]),
                )
                for g in groups
            ]
            for by, groups in data.get("groups", {}).items()
        },
        gaps=[Gap(**gap) for gap in data.get("gaps", [])],
    )


def comparable_waves(*, wave: Wave) -> QuerySet[Wave]:
    """Assessment waves of the same instrument in the same partnership that have results, oldest first."""
    return Wave.objects.filter(
        partnership=wave.partnership,
        kind=WaveKind.ASSESSMENT,
        instrument_key=wave.instrument_key,
        result__isnull=False,
    ).order_by("opens", "pk")


def trend(*, wave: Wave) -> tuple[list[tuple[Wave, ScoreReport]], list[Change], Wave | None]:
    """Each comparable wave with its report, and the change from the wave before this one to this one."""
    waves = list(comparable_waves(wave=wave))
    reports = {r.wave_id: r.report for r in WaveResult.objects.filter(wave__in=waves)}
    series = [(w, report_from_dict(reports[w.pk])) for w in waves]
    position = next((i for i, (w, _) in enumerate(series) if w.pk == wave.pk), None)
    if not position:  # not found, or the first wave: nothing to compare with
        return series, [], None
    before_wave, before = series[position - 1]
    return series, wave_change(before.dimensions, series[position][1].dimensions), before_wave
