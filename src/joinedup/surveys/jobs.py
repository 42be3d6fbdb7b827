"""Background jobs of surveys: sending invitations and reminders by e-mail (see core.jobs)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.mail import get_connection
from django.urls import reverse

from joinedup.core.jobs import JobError, Report, job_origin, job_runner
from joinedup.core.mail import SEND_ERRORS
from joinedup.core.models import Job
from joinedup.core.permissions import Permission
from joinedup.surveys.models import Invitation, Wave
from joinedup.surveys.services import (
    SEND_JOB,
    SENT,
    SKIPPED,
    UNCERTAIN,
    invitation_send_now,
    surveys_housekeeping,
)

BATCH = 200


# Safe to run again: each invitation records which send began e-mailing it (invitation_send_now).
@job_runner(
    SEND_JOB,
    result_url=lambda job: reverse("surveys:wave_detail", args=[job.params["wave"]]),
    rerun_safe=True,
    retry_needs=Permission.PARTNERSHIP_EDIT,
)
def send_invitations(job: Job, report: Report) -> dict[str, Any]:
    wave = Wave.objects.filter(pk=job.params["wave"]).first()
    if wave is None:
        raise JobError("The wave has been deleted, so nothing was sent.")
    ids: list[int] = job.params["invitations"]
    reminder = bool(job.params["reminder"])
    what = "reminders" if reminder else "invitations"
    counts = {SENT: 0, SKIPPED: 0, UNCERTAIN: 0}
    report(0, len(ids), f"Sending {what}")
    try:
        with get_connection() as connection:
            for start in range(0, len(ids), BATCH):
                for invitation in Invitation.objects.filter(pk__in=ids[start : start + BATCH]).order_by("pk"):
                    outcome = invitation_send_now(
                        invitation=invitation,
                        wave=wave,
                        link=job.params["link"],
                        reminder=reminder,
                        connection=connection,
                        send_key=job_origin(job),
                    )
                    counts[outcome] += 1
                    report(sum(counts.values()), len(ids), f"Sent {counts[SENT]:,} of {len(ids):,} {what}")
        sent = counts[SENT]
    except SEND_ERRORS as error:
        raise JobError(
            f"{counts[SENT]} of {len(ids)} {what} were sent before sending failed ({error}). "
            "Nobody was sent a link that does not work. Send reminders later to reach the others."
        ) from error
    # "uncertain": the worker died while e-mailing these; they are not sent twice (a reminder reaches them).
    return {"sent": sent, "skipped": counts[SKIPPED], "uncertain": counts[UNCERTAIN]}


HOUSEKEEPING_JOB = "surveys.housekeeping"


@job_runner(
    HOUSEKEEPING_JOB,
    every=datetime.timedelta(minutes=15),
    title="Close surveys past their closing date and delete open-link answers never sent",
    rerun_safe=True,
)
def housekeeping(job: Job, report: Report) -> dict[str, Any]:
    done = surveys_housekeeping()
    return {"closed": done.closed, "pruned": done.pruned}
