"""What the assessments app tells the warning flags and the health page (core.registry.flag_facts): from the
latest *released* results of each questionnaire (WaveResult, disclosure control already applied), the trust
dimension with its change since the wave before, and the gaps between groups. A figure the release hid (a
suppressed dimension) never enters the snapshot. Two queries whatever the number of waves or answers."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from joinedup.analysis.flag_snapshot import PerceptionGap, TrustReading
from joinedup.analysis.scoring import wave_change
from joinedup.assessments.choices import ASSESSMENT_KIND
from joinedup.assessments.models import WaveResult
from joinedup.assessments.selectors import report_from_dict
from joinedup.assessments.services import BREAKDOWNS

TRUST = "trust"


def _titles(instrument: dict[str, Any]) -> dict[str, str]:
    return {d["key"]: d.get("title", d["key"]) for d in instrument.get("dimensions", [])}


def flag_facts(*, partnership: Any, today: datetime.date) -> dict[str, Any]:
    results = list(
        WaveResult.objects.filter(wave__partnership=partnership, wave__kind=ASSESSMENT_KIND, release__gte=1)
        .select_related("wave")
        .order_by("wave__opens", "wave__pk")
    )
    by_instrument: dict[str, list[WaveResult]] = {}
    for result in results:
        by_instrument.setdefault(result.wave.instrument_key, []).append(result)
    latest_all = max(results, key=lambda r: (r.wave.opens, r.wave.pk), default=None)
    trust: list[TrustReading] = []
    gaps: list[PerceptionGap] = []
    for series in by_instrument.values():
        latest = series[-1]
        wave = latest.wave
        url = reverse("assessments:results", args=[wave.pk])
        report = report_from_dict(latest.report)
        scale = wave.instrument.get("scale", {})
        low, high = float(scale.get("min", 1)), float(scale.get("max", 5))
        now = next((d for d in report.dimensions if d.key == TRUST and d.mean is not None), None)
        if now is not None and now.mean is not None:
            change = None
            if len(series) > 1:
                before = report_from_dict(series[-2].report).dimensions
                change = next(
                    (c for c in wave_change(before, report.dimensions) if c.dimension == TRUST), None
                )
            interval = (
                (change.ci_low, change.ci_high)
                if change is not None and change.ci_low is not None and change.ci_high is not None
                else None
            )
            trust.append(
                TrustReading(
                    source="assessment",
                    wave=wave.title,
                    url=url,
                    score=round(now.mean, 2),
                    low=low,
                    high=high,
                    change=round(change.difference, 2) if change and change.difference is not None else None,
                    change_interval=interval,
                )
            )
        titles = _titles(wave.instrument)
        for g in report.gaps:
            gaps.append(
                PerceptionGap(
                    dimension=g.dimension,
                    title=f"{titles.get(g.dimension, g.dimension)} (by {BREAKDOWNS.get(g.by, g.by).lower()})",
                    high=str(g.high) if g.high is not None else "Not given",
                    low=str(g.low) if g.low is not None else "Not given",
                    difference=round(g.difference, 2),
                    to_discuss=g.to_discuss,
                    url=url,
                )
            )
    health: dict[str, Any] = {"wave": None}
    if latest_all is not None:
        report = report_from_dict(latest_all.report)
        titles = _titles(latest_all.wave.instrument)
        health = {
            "wave": latest_all.wave.title,
            "url": reverse("assessments:results", args=[latest_all.wave.pk]),
            "respondents": latest_all.respondents,
            "final": latest_all.final,
            "dimensions": [
                {"title": titles.get(d.key, d.key), "mean": round(d.mean, 2), "band": d.band or ""}
                for d in report.dimensions
                if d.mean is not None
            ],
            "scale": latest_all.wave.instrument.get("scale", {}),
        }
    return {"trust": tuple(trust), "gaps": tuple(gaps), "health.assessments": health}
