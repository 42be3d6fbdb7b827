"""Reads for indicators: querysets with what the pages need already loaded, and the series readings built from
them. Nothing here writes. Every function makes a fixed number of queries, whatever the number of indicators
or measurements."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from joinedup.core.permissions import Permission, has_permission
from joinedup.core.registry import RecordRef, ResultLink, TimelineEntry
from joinedup.outcomes.choices import INDICATOR_KIND
from joinedup.outcomes.models import Indicator, Measurement
from joinedup.outcomes.periods import period_label
from joinedup.outcomes.series import SeriesReading, read_indicator
from joinedup.register.models import Organisation


def _loaded(qs: QuerySet[Indicator]) -> QuerySet[Indicator]:
    return qs.select_related("owner", "partnership").prefetch_related(
        "versions",
        "rebases",
        "trajectory",
        Prefetch(
            "measurements",
            queryset=Measurement.objects.filter(is_current=True).select_related("entered_by"),
            to_attr="current_measurements",
        ),
    )


def indicator_list(*, partnership: Any) -> QuerySet[Indicator]:
    """The partnership's indicators, each with its versions, rebases, trajectory and current measurements."""
    return _loaded(Indicator.objects.filter(partnership=partnership))


def owner_choices(*, partnership: Any) -> QuerySet[Organisation]:
    """The partnership's current member organisations, which may own an indicator."""
    return (
        Organisation.objects.filter(memberships__partnership=partnership, memberships__left__isnull=True)
        .distinct()
        .order_by("name", "id")
    )


def indicator_get(*, user: Any, pk: int) -> Indicator | None:
    """An indicator of a partnership the user may see (None for any other, so its existence is not revealed)."""
    found = _loaded(Indicator.objects.filter(pk=pk)).first()
    if found is None or not has_permission(user, Permission.PARTNERSHIP_VIEW, found.partnership):
        return None
    return found


def reading(indicator: Indicator) -> SeriesReading:
    """The series reading of an indicator loaded by `indicator_list` or `indicator_get` (no queries)."""
    return read_indicator(
        indicator,
        versions=list(indicator.versions.all()),
        measurements=list(getattr(indicator, "current_measurements", [])),
        rebases=list(indicator.rebases.all()),
        trajectory=list(indicator.trajectory.all()),
    )


def current_version(indicator: Indicator) -> Any:
    versions = list(indicator.versions.all())
    return versions[-1] if versions else None


def indicators_read(*, partnership: Any) -> list[tuple[Indicator, SeriesReading]]:
    return [(indicator, reading(indicator)) for indicator in indicator_list(partnership=partnership)]


def earlier_revisions(*, indicator: Indicator) -> dict[Any, list[Measurement]]:
    """Superseded revisions by period, newest first (the history of corrections)."""
    found: dict[Any, list[Measurement]] = {}
    rows = Measurement.objects.filter(indicator=indicator, is_current=False).select_related("entered_by")
    for row in rows.order_by("period", "-revision"):
        found.setdefault(row.period, []).append(row)
    return found


def partnership_section(*, user: Any, partnership: Any) -> dict[str, Any]:
    """The partnership page's section: each indicator with its variation and assurance (fixed queries)."""
    return {
        "indicators": indicators_read(partnership=partnership),
        "may_record": has_permission(user, Permission.INDICATOR_RECORD, partnership),
    }


# ---- what other apps see through core.registry ------------------------------------------------------------


def _ref(indicator: Indicator) -> RecordRef:
    return RecordRef(
        kind=INDICATOR_KIND,
        id=indicator.pk,
        title=indicator.title,
        url=reverse("outcomes:indicator", args=[indicator.pk]),
        partnership_id=indicator.partnership_id,
    )


def record_options(*, partnership: Any) -> list[RecordRef]:
    return [_ref(i) for i in Indicator.objects.filter(partnership=partnership).order_by("title", "id")]


def record_resolve(*, ids: list[int]) -> list[RecordRef]:
    return [_ref(i) for i in Indicator.objects.filter(pk__in=ids).order_by("title", "id")]


def timeline_entries(*, user: Any, partnership: Any, limit: int) -> list[TimelineEntry]:
    """A signal for every indicator whose latest point is special cause, dated by that point's period."""
    found = []
    for indicator, read in indicators_read(partnership=partnership):
        words = read.variation_words
        if not read.is_special or words is None:
            continue
        last = read.points[-1]
        found.append(
            TimelineEntry(
                date=last.period,
                kind="Signal",
                title=f"{indicator.title}: {words[0].lower()} in {last.label}",
                url=reverse("outcomes:indicator", args=[indicator.pk]),
                detail=words[1],
            )
        )
    return sorted(found, key=lambda e: e.date, reverse=True)[:limit]


def place_results(*, user: Any, partnerships: list[Any]) -> list[ResultLink]:
    """A link to each partnership's indicators page, for those with indicators the user may see."""
    allowed = [p for p in partnerships if has_permission(user, Permission.PARTNERSHIP_VIEW, p)]
    having = set(
        Indicator.objects.filter(partnership__in=allowed).values_list("partnership_id", flat=True).distinct()
    )
    return [
        ResultLink(
            partnership_id=p.pk,
            title="Indicators",
            url=reverse("outcomes:partnership", args=[p.pk]),
            note="read as statistical process control charts",
        )
        for p in allowed
        if p.pk in having
    ]


def period_text(indicator: Indicator, period: Any) -> str:
    return period_label(period, indicator.frequency)
