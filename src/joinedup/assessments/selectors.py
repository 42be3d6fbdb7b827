"""Reads for assessment results: the stored release as scoring objects, when the next release comes, trends."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from joinedup.analysis.scoring import Change, DimensionResult, Gap, GroupResult, ScoreReport, wave_change
from joinedup.assessments.choices import ASSESSMENT_KIND, RESULTS_JOB
from joinedup.assessments.models import WaveRelease, WaveResult
from joinedup.core.choices import JobStatus
from joinedup.core.models import Job
from joinedup.surveys.choices import WaveStatus
from joinedup.surveys.models import Response, Wave


def result_get(*, wave: Wave) -> WaveResult | None:
    """The wave's stored results, or None if it has never been scored (see services.wave_results_ensure)."""
    return WaveResult.objects.filter(wave=wave).first()


def answers_waiting(*, wave: Wave) -> int:
    """How many submitted answers the wave has."""
    return Response.objects.filter(wave=wave, submitted_on__isnull=False).count()


def release_last(*, wave: Wave) -> WaveRelease | None:
    return WaveRelease.objects.filter(wave=wave).order_by("-number").first()


def release_interval() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.RESULTS_RELEASE_INTERVAL_HOURS)


@dataclass(frozen=True)
class ReleaseStatus:
    """Where the wave's releases stand: what the page says about them."""

    release: int  # the number of the release shown (0: none yet)
    new: int  # submitted answers not in it
    needed: int  # more answers needed before the next release
    next_at: datetime.datetime | None  # the earliest time of the next release (while the wave is open)
    due: bool
    final: bool

    @property
    def message(self) -> str:
        interval = settings.RESULTS_RELEASE_INTERVAL_HOURS
        often = "once a day" if interval == 24 else f"every {interval:g} hours"
        if self.final:
            return "These are the final results of this wave."
        if self.release == 0:
            more = f" ({self.needed} more needed)" if self.needed else ""
            return f"Results are shown once enough people have answered{more}."
        if self.due:
            return "New results are being released now."
        if self.needed:
            people = "person has" if self.needed == 1 else "people have"
            limit = f", at most {often}" if interval else ""
            return f"Results update when {self.needed} more {people} answered{limit}."
        when = self.next_at.strftime("%-d %B %Y at %H:%M") if self.next_at else "soon"
        return f"The answers that have come in since will be added on {when} (UTC); results update at most {often}."


def release_status(*, wave: Wave) -> ReleaseStatus:
    """How many answers the last release left out and when the next one may come (two queries)."""
    last = release_last(wave=wave)
    k = wave.min_group_size
    submitted = Response.objects.filter(wave=wave, submitted_on__isnull=False)
    closed = wave.status == WaveStatus.CLOSED
    if last is None:
        count = submitted.count()
        return ReleaseStatus(0, count, max(0, k - count), None, count >= k, final=False)
    new = submitted.exclude(pk__in=last.response_ids).count()
    next_at = None if closed else last.released_at + release_interval()
    waited = closed or (next_at is not None and timezone.now() >= next_at)
    due = new >= k and waited
    return ReleaseStatus(last.number, new, max(0, k - new), next_at, due, closed and not due)


def release_due(*, wave: Wave) -> bool:
    """Whether the wave's next release is due: the first once k answers are in; after that, while the wave is
    open, once at least k new answers have come in since the last release and the release interval has passed
    (RESULTS_RELEASE_INTERVAL_HOURS); a closed wave releases its last answers at once if there are k of them
    (fewer would be traceable by comparing the two releases, so they stay out and the last release is final)."""
    return release_status(wave=wave).due


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
        kind=ASSESSMENT_KIND,
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
