"""The survey waves' share of the JSON export (core.exchange_spec): waves, their invitations and their sent
responses.

Anonymous means unlinkable (ADR 7), in the file too: a sent anonymous response is written with no invitation,
no name and no time (only the day it was sent), whatever the database holds, and anonymous responses are
written in the order of their own content (with what other apps attach to them, such as relationship ratings),
not the order they were started in (their ids). An import puts them in the same way. Not exported: drafts (answers not yet sent belong to a resume link), and link secrets (the
open link's and each invitation's token hashes): links do not move to another installation, so an imported
invitation's link is dead and an imported wave has no open link until one is made.
"""

from __future__ import annotations

import secrets
from typing import Any

from joinedup.core.exchange_spec import Table
from joinedup.surveys.choices import Anonymity
from joinedup.surveys.models import Invitation, Response, Wave

# What an anonymous response never carries, in the file or in the database it is imported into.
LINKING = ("invitation", "respondent_name", "started_at", "updated_at", "submitted_at")


def _anonymous(row: Response) -> bool:
    return row.wave.anonymity == Anonymity.ANONYMOUS


def _unlinked(row: Response, record: dict[str, Any]) -> dict[str, Any]:
    if _anonymous(row):
        for name in LINKING:
            record.pop(name, None)
    return record


def _unlinked_in(record: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    anonymity = Wave.objects.filter(pk=values["wave_id"]).values_list("anonymity", flat=True).first()
    if anonymity == Anonymity.ANONYMOUS:
        values.update({f"{name}_id" if name == "invitation" else name: None for name in LINKING})
        values["respondent_name"] = ""
        values.pop("invitation", None)
    return values


def _dead_link(record: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    return {**values, "token_hash": secrets.token_hex(32)}  # the link's secret stays where it was made


invitations = Table(
    name="invitations",
    model=Invitation,
    parent="wave",
    key="surveys.invitation",
    fields=("email", "sent_at", "reminded_at", "reminders", "answered"),
    refs={"person": "person", "organisation": "organisation"},
    prepare=_dead_link,
    left_out=("token_hash", "send_key", "send_confirmed"),
)
responses = Table(
    name="responses",
    model=Response,
    parent="wave",
    key="surveys.response",
    fields=(
        "sector",
        "profession",
        "role_level",
        "respondent_name",
        "answers",
        "comments",
        "started_at",
        "updated_at",
        "submitted_on",
        "submitted_at",
    ),
    refs={"invitation": "surveys.invitation", "organisation": "organisation"},
    rows=lambda queryset, scope: queryset.filter(submitted_on__isnull=False).select_related("wave"),
    content_order=_anonymous,
    dump=_unlinked,
    prepare=_unlinked_in,
    optional=LINKING,
    left_out=("resume_hash",),
)
waves = Table(
    name="waves",
    model=Wave,
    key="surveys.wave",
    fields=(
        "kind",
        "title",
        "instrument_key",
        "instrument",
        "audience",
        "anonymity",
        "min_group_size",
        "opens",
        "closes",
        "status",
        "created_at",
    ),
    refs={"created_by": "user"},
    children=(invitations, responses),
    left_out=("open_link_hash",),
)

TABLES = (waves,)
