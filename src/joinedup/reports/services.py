"""Writes of the reports app: asking for a review pack (a background job: the pack is built and laid out in the
worker, never in the request) and the user the command line builds packs as."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from joinedup.accounts.models import User
from joinedup.core.jobs import job_enqueue
from joinedup.core.models import Job
from joinedup.core.permissions import Permission, has_permission
from joinedup.reports.choices import FORMATS, PACK_JOB

# `joinedup report` runs on the server, as its operator: it sees what a site administrator sees (never saved).
COMMAND_LINE = User(
    email="command-line@joinedup.invalid",
    full_name="a site administrator (made on the command line)",
    is_superuser=True,
    is_active=True,
)


def pack_request(*, by: Any, partnership: Any, organisation: Any = None, kind: str) -> Job:
    """Queue the making of a pack for `by` (who needs EXPORT in the partnership): the job builds it as `by` may
    see it and keeps the file for `by` to download. The same pack asked for again while it waits is one job."""
    if not has_permission(by, Permission.EXPORT, partnership):
        raise PermissionDenied("Making a review pack needs the right to take the partnership's figures away.")
    if kind not in FORMATS:
        raise ValidationError({"format": "Choose PDF, HTML or XLSX."})
    org_id = organisation.pk if organisation is not None else None
    what = f"{organisation.name}'s governance pack" if organisation is not None else "Review pack"
    return job_enqueue(
        kind=PACK_JOB,
        title=f"{what} for {partnership.name} ({kind.upper()})",
        by=by,
        key=f"user:{by.pk}:partnership:{partnership.pk}:org:{org_id or ''}:{kind}",
        partnership=partnership,
        params={"partnership": partnership.pk, "organisation": org_id, "format": kind},
    )
