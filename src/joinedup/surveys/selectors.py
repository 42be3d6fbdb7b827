"""Reads for survey waves."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from joinedup.core.choices import JobStatus
from joinedup.core.models import Job
from joinedup.core.permissions import has_permission
from joinedup.core.registry import ResultLink, wave_kinds
from joinedup.register.models import Organisation, Partnership, Person
from joinedup.register.selectors import partnerships_visible_to
from joinedup.surveys.choices import SEND_JOB, WaveStatus
from joinedup.surveys.models import Invitation, Response, Wave


def wave_list(*, user: Any, partnership: Partnership | None = None, kind: str = "") -> QuerySet[Wave]:
    qs = Wave.objects.filter(partnership__in=partnerships_visible_to(user)).select_related("partnership")
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.annotate(
        submitted=Count("responses", filter=Q(responses__submitted_on__isnull=False), distinct=True),
        invited=Count("invitations", distinct=True),
    )


def representatives_to_invite(*, wave: Wave) -> tuple[QuerySet[Person], dict[int, Organisation]]:
    """The current member organisations' representatives who have an e-mail address, and each one's
    organisation (two queries, however many members)."""
    people = (
        Person.objects.filter(representing__partnership=wave.partnership, representing__left__isnull=True)
        .exclude(email="")
        .distinct()
        .order_by("name")
    )
    memberships = (
        wave.partnership.memberships.filter(left__isnull=True)
        .select_related("organisation")
        .prefetch_related("representatives")
    )
    organisation_of: dict[int, Organisation] = {}
    for membership in memberships:
        for person in membership.representatives.all():
            organisation_of.setdefault(person.pk, membership.organisation)
    return people, organisation_of


def submitted_responses(*, wave: Wave) -> QuerySet[Response]:
    return wave.responses.filter(submitted_on__isnull=False).select_related("organisation")


@dataclass(frozen=True)
class OrganisationRate:
    organisation_id: int | None
    organisation: str
    invited: int
    submitted: int

    @property
    def rate(self) -> float | None:
        return self.submitted / self.invited if self.invited else None


def response_rates(*, wave: Wave) -> list[OrganisationRate]:
    """Invited and submitted per organisation (live). Open-link responses count as submitted with no invitation."""
    invited = {
        row["organisation_id"]: row
        for row in wave.invitations.values("organisation_id", "organisation__name").annotate(n=Count("id"))
    }
    submitted = {
        row["organisation_id"]: row
        for row in wave.responses.filter(submitted_on__isnull=False)
        .values("organisation_id", "organisation__name")
        .annotate(n=Count("id"))
    }
    rates = []
    for org_id in set(invited) | set(submitted):
        row = invited.get(org_id) or submitted[org_id]
        rates.append(
            OrganisationRate(
                organisation_id=org_id,
                organisation=row["organisation__name"] or "No organisation given",
                invited=invited[org_id]["n"] if org_id in invited else 0,
                submitted=submitted[org_id]["n"] if org_id in submitted else 0,
            )
        )
    return sorted(rates, key=lambda r: r.organisation)


def wave_sending(*, wave: Wave, unfinished: bool = True) -> Job | None:
    """The newest job e-mailing this wave's invitations or reminders (only one still waiting or running, if asked)."""
    jobs = Job.objects.filter(kind=SEND_JOB, partnership=wave.partnership, params__wave=wave.pk)
    if unfinished:
        jobs = jobs.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    return jobs.defer("payload").order_by("-created_at").first()


def invitations_to_answer(*, user: Any, today: datetime.date) -> QuerySet[Invitation]:
    """The survey invitations e-mailed to the user (to their address, or to the register person linked to their
    account) and not yet answered, in waves still taking answers; soonest closing first. One query.

    It reads the invitation only, never a response: in an anonymous wave the invitation's `answered` flag is all
    that is kept, and nothing here links a response to anyone (docs/adr/0007)."""
    return (
        Invitation.objects.filter(Q(email__iexact=user.email) | Q(person__user=user))
        .filter(answered=False, sent_at__isnull=False, wave__status=WaveStatus.OPEN, wave__closes__gte=today)
        .select_related("wave__partnership")
        .order_by("wave__closes", "pk")
    )


def place_results(*, user: Any, partnerships: list[Partnership]) -> list[ResultLink]:
    """Links to the results page of every wave that has run or is running in `partnerships`, for the place
    page (one query). The results page shows only what disclosure control has released."""
    by_pk = {p.pk: p for p in partnerships}
    waves = Wave.objects.filter(
        partnership_id__in=list(by_pk), status__in=[WaveStatus.OPEN, WaveStatus.CLOSED]
    ).order_by("partnership_id", "-opens", "title")
    links = []
    for wave in waves:
        entry = wave_kinds.get(wave.kind)
        if entry is None or not has_permission(user, entry.results_permission, by_pk[wave.partnership_id]):
            continue
        note = f"{entry.label}, {'still open' if wave.status == WaveStatus.OPEN else 'closed'}"
        links.append(
            ResultLink(wave.partnership_id, wave.title, reverse(entry.results_url_name, args=[wave.pk]), note)
        )
    return links
