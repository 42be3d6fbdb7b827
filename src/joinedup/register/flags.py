"""What the register tells the warning flags (core.registry.flag_facts): the current members (an
expert-by-experience member is a service-user or carer organisation, or a member in the expert-by-experience
role), reorganisations and leader changes (timeline events of the partnership and of its members),
representatives and how many are new, and who sits in many partnerships of the same place (the partnerships
with the same area that have not ended). Six queries whatever the partnership's or the place's size.

The register keeps no dates for a change of representative, so "changes of representative in 12 months" counts
the representatives now in post whose affiliation with their organisation began in the last 12 months."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse

from joinedup.analysis.flag_snapshot import ChangeEvent, Member, Overload
from joinedup.register.choices import EventKind, MembershipRole, PartnershipStatus, Sector
from joinedup.register.models import Affiliation, Membership, TimelineEvent

CHANGE_KINDS: dict[str, str] = {
    EventKind.REORGANISATION: "reorganisation",
    EventKind.MERGER: "reorganisation",
    EventKind.LEADER_CHANGE: "leader_change",
}


def _year_before(today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def _overload(partnership: Any, member_ids: set[int], person_ids: set[int]) -> tuple[Overload, ...]:
    if not partnership.area:
        return ()
    place = (
        Membership.objects.filter(
            left__isnull=True, partnership__area=partnership.area, partnership__ended__isnull=True
        )
        .exclude(partnership__status=PartnershipStatus.ENDED)
        .select_related("partnership", "organisation")
    )
    orgs: dict[int, tuple[str, set[str]]] = {}
    for m in place.filter(organisation_id__in=member_ids):
        orgs.setdefault(m.organisation_id, (m.organisation.name, set()))[1].add(m.partnership.name)
    through = Membership.representatives.through
    people: dict[int, tuple[str, set[str]]] = {}
    for row in through.objects.filter(
        person_id__in=person_ids, membership__in=place.values("pk")
    ).select_related("person", "membership__partnership"):
        people.setdefault(row.person_id, (row.person.name, set()))[1].add(row.membership.partnership.name)
    found = [
        Overload(
            name=name,
            kind="organisation",
            partnerships=tuple(sorted(names)),
            url=reverse("register:organisation_detail", args=[pk]),
        )
        for pk, (name, names) in orgs.items()
        if len(names) > 1
    ]
    found += [
        Overload(
            name=name,
            kind="person",
            partnerships=tuple(sorted(names)),
            url=reverse("register:person_detail", args=[pk]),
        )
        for pk, (name, names) in people.items()
        if len(names) > 1
    ]
    return tuple(sorted(found, key=lambda o: (-len(o.partnerships), o.kind, o.name)))


def flag_facts(*, partnership: Any, today: datetime.date) -> dict[str, Any]:
    memberships = list(
        Membership.objects.filter(partnership=partnership, left__isnull=True)
        .select_related("organisation")
        .prefetch_related("representatives")
        .order_by("organisation__name", "id")
    )
    members = tuple(
        Member(
            key=str(m.organisation_id),
            name=m.organisation.name,
            sector=m.organisation.sector,
            expert_by_experience=m.organisation.sector == Sector.SERVICE_USER
            or m.role == MembershipRole.EXPERT_BY_EXPERIENCE,
            url=reverse("register:organisation_detail", args=[m.organisation_id]),
        )
        for m in memberships
    )
    member_ids = {m.organisation_id for m in memberships}
    seats = [(m.organisation_id, p.pk) for m in memberships for p in m.representatives.all()]
    person_ids = {p for _o, p in seats}
    since = _year_before(today)
    new_in_post = set(
        Affiliation.objects.filter(
            person_id__in=person_ids, organisation_id__in=member_ids, ended__isnull=True, started__gte=since
        ).values_list("organisation_id", "person_id")
    )
    events = TimelineEvent.objects.filter(
        Q(partnership=partnership) | Q(organisation_id__in=member_ids, partnership__isnull=True),
        kind__in=list(CHANGE_KINDS),
    ).order_by("date", "id")
    # the partnership page's timeline, which everyone who sees the partnership sees (the audit history needs more)
    history = reverse("register:partnership_detail", args=[partnership.pk]) + "#timeline"
    return {
        "members": members,
        "changes": tuple(
            ChangeEvent(date=e.date, kind=CHANGE_KINDS[e.kind], title=e.title, url=history)  # type: ignore[arg-type]
            for e in events
        ),
        "representatives": len(seats),
        "representative_changes": sum(1 for seat in seats if seat in new_in_post),
        "overload": _overload(partnership, member_ids, person_ids),
        "pages.timeline": history,
        "pages.place": reverse("register:place"),
        "pages.members": reverse("register:partnership_detail", args=[partnership.pk]),
    }
