"""Background work of the voice app: keep each month's feedback release soon after the month has ended (every hour),
so pages seldom work one out (a partnership with years of answers and many services can take seconds for a month).
Pages never write: until the job has kept a month, `selectors.results` works it out without keeping it, and gives
the same figures, since a finished month's answers do not change."""

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
    every=datetime.timedelta(hours=1),
    title="Keep the feedback figures of each month that has ended",
    rerun_safe=True,  # a month already kept is skipped; two runs at once keep each month once
)
def releases(job: Job, report: Report) -> dict[str, Any]:
    ids = FeedbackForm.objects.values_list("partnership_id", flat=True).distinct()
    made = sum(services.releases_make(partnership=p) for p in Partnership.objects.filter(pk__in=ids))
    return {"made": made}
