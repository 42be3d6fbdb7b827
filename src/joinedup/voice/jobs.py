"""Background work of the voice app: keep each month's feedback release as soon as the month has ended, so no page
has to work one out (a partnership with years of answers and many services can take seconds for a month)."""

from __future__ import annotations

import datetime
from typing import Any

from joinedup.core.jobs import Report, job_runner
from joinedup.core.models import Job
from joinedup.register.models import Partnership
from joinedup.voice import services
from joinedup.voice.models import FeedbackForm

RELEASES_JOB = "voice.releases"


@job_runner(
    RELEASES_JOB,
    every=datetime.timedelta(hours=6),
    title="Keep the feedback figures of each month that has ended",
    rerun_safe=True,  # a month already kept is skipped; two runs at once keep each month once
)
def releases(job: Job, report: Report) -> dict[str, Any]:
    ids = FeedbackForm.objects.values_list("partnership_id", flat=True).distinct()
    made = sum(services.releases_make(partnership=p) for p in Partnership.objects.filter(pk__in=ids))
    return {"made": made}
