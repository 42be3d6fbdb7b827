"""Background jobs of surveys: sending invitations and reminders by e-mail (see core.jobs)."""

from __future__ import annotations

import smtplib
from typing import Any

from django.core.mail import get_connection
from django.urls import reverse

from joinedup.core.jobs import JobError, Report, job_runner
from joinedup.core.models import Job
from joinedup.surveys.models import Invitation, Wave
from joinedup.surveys.services import SEND_JOB, invitation_send_now

BATCH = 200


@job_runner(SEND_JOB, result_url=lambda job: reverse("surveys:wave_detail", args=[job.params["wave"]]))
def send_invitations(job: Job, report: Report) -> dict[str, Any]:
    wave = Wave.objects.filter(pk=job.params["wave"]).first()
    if wave is None:
        raise JobError("The wave has been deleted, so nothing was sent.")
    ids: list[int] = job.params["invitations"]
    reminder = bool(job.params["reminder"])
    what = "reminders" if reminder else "invitations"
    sent = skipped = 0
    report(0, len(ids), f"Sending {what}")
    try:
        with get_connection() as connection:
            for start in range(0, len(ids), BATCH):
                for invitation in Invitation.objects.filter(pk__in=ids[start : start + BATCH]).order_by("pk"):
                    if invitation_send_now(
                        invitation=invitation,
                        wave=wave,
                        link=job.params["link"],
                        reminder=reminder,
                        connection=connection,
                    ):
                        sent += 1
                    else:
                        skipped += 1
                    report(sent + skipped, len(ids), f"Sent {sent:,} of {len(ids):,} {what}")
    except (OSError, smtplib.SMTPException) as error:
        raise JobError(
            f"{sent} of {len(ids)} {what} were sent before sending failed ({error}). "
            "Nobody was sent a link that does not work. Send reminders later to reach the others."
        ) from error
    return {"sent": sent, "skipped": skipped}
