"""What the voice app tells the warning flags and the health page (core.registry.flag_facts): the days feedback
arrived (dates only, as stored), the released figures of the whole period (disclosure control already applied:
a hidden figure stays None) and the "you said, we did" log's size and newest entries. Five queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from joinedup.voice import selectors
from joinedup.voice.models import FeedbackResponse, YouSaidWeDid


def flag_facts(*, partnership: Any, today: datetime.date) -> dict[str, Any]:
    dates = sorted(
        set(
            FeedbackResponse.objects.filter(form__partnership=partnership)
            .values_list("submitted_on", flat=True)
            .distinct()
        )
    )
    released = selectors.results(partnership=partnership, today=today)
    whole = released.whole
    shown = whole is not None and whole.shown
    log = list(
        YouSaidWeDid.objects.filter(partnership=partnership)
        .select_related("theme")
        .order_by("-recorded_on", "-pk")
    )
    return {
        "feedback_dates": tuple(dates),
        "pages.feedback": reverse("voice:results", args=[partnership.pk]),
        "health.voice": {
            "has_forms": bool(dates) or bool(log) or released.months != [],
            "period": released.period,
            "answers": whole.answers if shown and whole is not None else None,
            "good_share": whole.share if shown and whole is not None else None,
            "results_url": reverse("voice:results", args=[partnership.pk]),
            "log_count": len(log),
            "log_url": reverse("voice:public_log", args=[partnership.pk]),
            "log": [
                {
                    "theme": e.theme.name,
                    "you_said": e.you_said,
                    "we_did": e.we_did,
                    "on": e.recorded_on.isoformat(),
                }
                for e in log[:3]
            ],
        },
    }
