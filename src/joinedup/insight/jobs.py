"""Background work: recompute one partnership's flags after a write that affects it (queued on commit by
`triggers`, coalesced by key), and a daily sweep of every partnership, since flags also change with the date
(a review falls due, a dispute passes 90 days) and with writes to the register outside any one partnership."""

from __future__ import annotations

import datetime
from typing import Any

from joinedup.core.jobs import JobError, Report, job_runner
from joinedup.core.models import Job
from joinedup.insight import services
from joinedup.insight.choices import RECOMPUTE_JOB, SWEEP_JOB
from joinedup.register.choices import PartnershipStatus
from joinedup.register.models import Partnership


@job_runner(RECOMPUTE_JOB, rerun_safe=True, title="Work out a partnership's warning flags")
def recompute(job: Job, report: Report) -> dict[str, Any]:
    partnership = Partnership.objects.filter(pk=job.params.get("partnership")).first()
    if partnership is None:
        raise JobError("The partnership no longer exists.")
    report(0, 1, "Working out the flags")
    flag_set = services.flags_recompute(partnership=partnership)
    report(1, 1, "Done")
    return {"flags": len(flag_set.flags)}


@job_runner(
    SWEEP_JOB,
    every=datetime.timedelta(days=1),
    rerun_safe=True,  # each partnership's flags are replaced, never added to
    title="Work out every partnership's warning flags again",
)
def sweep(job: Job, report: Report) -> dict[str, Any]:
    partnerships = list(Partnership.objects.exclude(status=PartnershipStatus.ENDED).order_by("pk"))
    for done, partnership in enumerate(partnerships):
        report(done, len(partnerships), partnership.name)
        services.flags_recompute(partnership=partnership)
    report(len(partnerships), len(partnerships), "Done")
    return {"partnerships": len(partnerships)}
