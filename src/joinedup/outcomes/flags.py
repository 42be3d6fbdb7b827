"""What the outcomes app tells the warning flags and the health page (core.registry.flag_facts): each indicator
with its variation and assurance (Making Data Count, read from the stored measurements), its owner, and how many
of the latest periods in a row have no figure. Fixed queries (those of `selectors.indicator_list`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from joinedup.analysis.flag_snapshot import IndicatorFacts
from joinedup.outcomes import selectors
from joinedup.outcomes.needs import GRACE_DAYS
from joinedup.outcomes.periods import MONTHS, add_months, is_start, last_ended

MAX_PERIODS_COUNTED = 12  # enough to say "a long time"; the flag needs 2


def periods_without_data(
    *, periods: set[datetime.date], frequency: str, since: datetime.date, today: datetime.date
) -> int:
    """The latest periods due (ended more than GRACE_DAYS ago) in a row with no figure, not counting periods
    before `since` (the first figure, or the day the indicator was made)."""
    period = last_ended(today - datetime.timedelta(days=GRACE_DAYS), frequency)
    start = datetime.date(since.year, since.month, 1)
    while not is_start(start, frequency):
        start = add_months(start, -1)
    missing = 0
    while period >= start and period not in periods and missing < MAX_PERIODS_COUNTED:
        missing += 1
        period = add_months(period, -MONTHS[frequency])
    return missing


def flag_facts(*, partnership: Any, today: datetime.date) -> dict[str, Any]:
    facts = []
    health = []
    for indicator, read in selectors.indicators_read(partnership=partnership):
        periods = {m.period for m in getattr(indicator, "current_measurements", [])}
        since = min(periods) if periods else timezone.localdate(indicator.created_at)
        url = reverse("outcomes:indicator", args=[indicator.pk])
        facts.append(
            IndicatorFacts(
                name=indicator.title,
                url=url,
                kind=indicator.kind,
                owner=str(indicator.owner_id),
                variation=str(read.variation) if read.variation else None,
                assurance=str(read.assurance) if read.assurance else None,
                periods_without_data=periods_without_data(
                    periods=periods, frequency=indicator.frequency, since=since, today=today
                ),
            )
        )
        last = read.points[-1] if read.points else None
        variation, assurance = read.variation_words, read.assurance_words
        health.append(
            {
                "title": indicator.title,
                "url": url,
                "owner": indicator.owner.name,
                "latest": last.value if last else None,
                "latest_text": f"{round(last.value, 2):g}" if last else "",
                "latest_label": last.label if last else "",
                "variation": variation[0] if variation else "",
                "variation_meaning": variation[1] if variation else "",
                "assurance": assurance[0] if assurance else "",
                "assurance_meaning": assurance[1] if assurance else "",
                "target": read.target,
            }
        )
    return {
        "indicators": tuple(facts),
        "pages.indicators": reverse("outcomes:partnership", args=[partnership.pk]),
        "health.outcomes": health,
    }
