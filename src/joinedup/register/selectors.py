"""Reads for the register. Each returns a queryset with its related rows already joined."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When

from joinedup.analysis.flags import load_settings
from joinedup.analysis.landscape import Landscape, MembershipRow, RepresentativeRow, compute_landscape
from joinedup.core.permissions import Permission, has_permission, place_partnership_ids, token_partnership_ids
from joinedup.core.registry import PlaceFact, ResultLink, TimelineEntry, place_facts_for, place_results_for
from joinedup.register.choices import MembershipRole, PartnershipKind, Sector
from joinedup.register.models import (
    Affiliation,
    Membership,
    Organisation,
    Partnership,
    Person,
    RoleInvitation,
    TimelineEvent,
)
from joinedup.register.people_access import contact_search, people_visible_to


def partnerships_visible_to(user: Any) -> QuerySet[Partnership]:
    """A site admin sees every partnership; everyone else those they hold a role in, and those in their place
    (under a partnership where they are system leader or coordinator)."""
    qs = Partnership.objects.all()
    scope = token_partnership_ids(user)
    if scope is not None:  # an API token reaches only its own partnerships
        qs = qs.filter(pk__in=sorted(scope))
    if user.is_superuser:
        return qs
    if not user.is_authenticated:
        return qs.none()
    place = place_partnership_ids(user)
    if place:
        return qs.filter(Q(roles__user=user) | Q(pk__in=sorted(place))).distinct()
    return qs.filter(roles__user=user).distinct()


def partnership_list(
    *, user: Any, search: str = "", status: str = "", kind: str = ""
) -> QuerySet[Partnership]:
    qs = partnerships_visible_to(user).select_related("parent")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(purpose__icontains=search) | Q(area__icontains=search))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    # Meta.ordering does not apply to aggregating queries, so order explicitly (pagination needs it).
    return qs.annotate(
        member_count=Count("memberships", filter=Q(memberships__left__isnull=True), distinct=True)
    ).order_by("name", "id")


def partnerships_for_header(user: Any) -> list[Partnership]:
    """The partnerships a user belongs to (by role), for the page header; site admins see their own roles too."""
    if not user.is_authenticated:
        return []
    return list(Partnership.objects.filter(roles__user=user).distinct().only("id", "name").order_by("name"))


def partnership_get(*, user: Any, pk: int) -> Partnership | None:
    """The partnership if the user may view it, else None (the view answers 404)."""
    partnership = Partnership.objects.select_related("parent").filter(pk=pk).first()
    if partnership is None or not has_permission(user, Permission.PARTNERSHIP_VIEW, partnership):
        return None
    return partnership


def membership_list(
    *, user: Any, partnership: Partnership, include_past: bool = True
) -> QuerySet[Membership]:
    """The partnership's memberships with the representatives `user` may see (register.people_access: service
    users and carers are named only to coordinators), so `m.representatives.all()` is safe to show anywhere;
    `m.representatives_unnamed` counts the others."""
    visible = people_visible_to(user)
    qs = (
        Membership.objects.filter(partnership=partnership)
        .select_related("organisation")
        .annotate(
            representatives_unnamed=Count("representatives", distinct=True)
            - Count("representatives", filter=Q(representatives__in=visible.values("pk")), distinct=True)
        )
        .prefetch_related(Prefetch("representatives", queryset=visible.order_by("name")))
    )
    if not include_past:
        qs = qs.filter(left__isnull=True)
    return qs.order_by("left", "organisation__name")


def event_list(
    *, partnership: Partnership | None = None, organisation: Organisation | None = None
) -> QuerySet[TimelineEvent]:
    qs = TimelineEvent.objects.select_related("partnership", "organisation")
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs


def organisation_matches(query: str) -> Q:
    """Organisations whose name or postcode contains `query`, or with `query` as an identifier (exactly)."""
    return (
        Q(name__icontains=query)
        | Q(postcode__icontains=query)
        | Q(ods_code__iexact=query)
        | Q(charity_number__iexact=query)
        | Q(company_number__iexact=query)
        | Q(org_id__iexact=query)
    )


def organisation_list(
    *, search: str = "", sector: str = "", area: str = "", status: str = ""
) -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if search:
        qs = qs.filter(organisation_matches(search))
    if sector:
        qs = qs.filter(sector=sector)
    if area:
        qs = qs.filter(area=area)
    if status == "open":
        qs = qs.filter(closed__isnull=True)
    elif status == "closed":
        qs = qs.filter(closed__isnull=False)
    return qs.annotate(
        partnership_count=Count("memberships", filter=Q(memberships__left__isnull=True), distinct=True)
    ).order_by("name", "id")


def organisation_areas() -> list[str]:
    return list(
        Organisation.objects.exclude(area="").order_by("area").values_list("area", flat=True).distinct()
    )


def person_list(
    *, user: Any, search: str = "", profession: str = "", organisation_id: int | None = None
) -> QuerySet[Person]:
    """The people `user` may see (see people_access), each with `contact_shown`."""
    qs = people_visible_to(user)
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(job_title__icontains=search) | contact_search(user, search)
        )
    if profession:
        qs = qs.filter(profession=profession)
    if organisation_id:
        qs = qs.filter(affiliations__organisation_id=organisation_id).distinct()
    return qs.prefetch_related("affiliations__organisation").order_by("name", "id")


def organisation_choices() -> QuerySet[Organisation]:
    """Every organisation, by name, for pickers (a select is fine at the scale of one place)."""
    return Organisation.objects.only("id", "name").order_by("name", "id")


def person_choices() -> QuerySet[Person]:
    return Person.objects.only("id", "name").order_by("name", "id")


def representative_choices(
    *, user: Any, organisation: Organisation | None, search: str = "", chosen: Collection[int] = ()
) -> QuerySet[Person]:
    """The people `user` may see who could represent `organisation`: those with a current affiliation with it,
    matching `search` (name or job title), and the people already `chosen` whether or not they match (so a
    search never drops a choice), each annotated `affiliated`. Chosen ones first, then by name."""
    current = Affiliation.objects.filter(
        Q(ended__isnull=True) | Q(ended__gte=datetime.date.today()),
        person=OuterRef("pk"),
        organisation=organisation,
    )
    chosen_ids = sorted({int(pk) for pk in chosen})
    qs = people_visible_to(user).annotate(affiliated=Exists(current))
    if organisation is None:
        return qs.filter(pk__in=chosen_ids).order_by("name", "id")
    matching = Q(affiliated=True)
    if search:
        matching &= Q(name__icontains=search) | Q(job_title__icontains=search)
    is_chosen = Q(pk__in=chosen_ids)
    rank = Case(When(is_chosen, then=Value(0)), default=Value(1))
    return qs.filter(matching | is_chosen).alias(rank=rank).order_by("rank", "name", "id")


def partnership_organisations(*, partnership: Partnership) -> QuerySet[Organisation]:
    """Organisations that are or were members of a partnership, by name."""
    return (
        Organisation.objects.filter(memberships__partnership=partnership)
        .distinct()
        .only("id", "name")
        .order_by("name", "id")
    )


def affiliation_list(*, person: Person) -> QuerySet[Affiliation]:
    """A person's affiliations, current ones first, newest first."""
    return (
        Affiliation.objects.filter(person=person)
        .select_related("organisation")
        .order_by(F("ended").desc(nulls_first=True), F("started").desc(nulls_last=True), "id")
    )


def representing_list(*, person: Person, user: Any) -> QuerySet[Membership]:
    """The memberships a person represents their organisation in, limited to partnerships `user` may see."""
    return (
        Membership.objects.filter(representatives=person, partnership__in=partnerships_visible_to(user))
        .select_related("partnership", "organisation")
        .order_by("partnership__name", "-joined")
    )


def invitations_pending(*, partnership: Partnership) -> QuerySet[RoleInvitation]:
    """Invitations sent and neither accepted nor withdrawn, newest first (out-of-date ones too: they can be resent)."""
    return (
        RoleInvitation.objects.filter(
            partnership=partnership, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("organisation")
        .order_by("-sent_at")
    )


def place_partnerships(*, user: Any) -> list[tuple[Partnership, int]]:
    """The partnerships `user` sees through a place role, as (partnership, depth) in tree order: each place's
    top partnership (depth 0), then those under it. Each has `current_members` (memberships with their
    organisations) prefetched: two queries, whatever the size of the place."""
    ids = place_partnership_ids(user)
    if not ids:
        return []
    current = Membership.objects.filter(left__isnull=True).select_related("organisation")
    partnerships = list(
        Partnership.objects.filter(pk__in=sorted(ids))
        .select_related("parent")
        .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_members"))
        .order_by("name", "id")
    )
    children: dict[int | None, list[Partnership]] = {}
    for partnership in partnerships:
        parent = partnership.parent_id if partnership.parent_id in ids else None
        children.setdefault(parent, []).append(partnership)
    ordered: list[tuple[Partnership, int]] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for partnership in children.get(parent, []):
            if partnership.pk not in seen:
                seen.add(partnership.pk)
                ordered.append((partnership, depth))
                walk(partnership.pk, depth + 1)

    walk(None, 0)
    return ordered


def timeline_entries(*, user: Any, partnership: Partnership, limit: int) -> list[TimelineEntry]:
    """The register's events on the partnership timeline (joined, left, reorganised ...), in one query."""
    return [
        TimelineEntry(date=e.date, kind=e.get_kind_display(), title=e.title, detail=e.description)
        for e in TimelineEvent.objects.filter(partnership=partnership).order_by("-date", "-id")[:limit]
    ]


# ---- the landscape and the place page: reads for their views --------------------------------------------

_SECTOR_LABELS = dict(Sector.choices)
_ROLE_LABELS = dict(MembershipRole.choices)


def landscape_rows(
    partnerships: list[Partnership], user: Any
) -> tuple[list[MembershipRow], list[RepresentativeRow]]:
    """Current memberships and their representatives (those `user` may see: register.people_access), as rows
    for the analysis: two queries."""
    ids = [p.pk for p in partnerships]
    memberships = Membership.objects.filter(partnership_id__in=ids, left__isnull=True).select_related(
        "organisation", "partnership"
    )
    rows = [
        MembershipRow(
            organisation_id=m.organisation_id,
            organisation_name=m.organisation.name,
            sector=_SECTOR_LABELS.get(m.organisation.sector, m.organisation.sector),
            partnership_id=m.partnership_id,
            partnership_name=m.partnership.name,
            role=_ROLE_LABELS.get(m.role, m.role),
        )
        for m in memberships.order_by("partnership__name", "organisation__name", "pk")
    ]
    representatives = Membership.representatives.through.objects.filter(
        membership__partnership_id__in=ids,
        membership__left__isnull=True,
        person__in=people_visible_to(user).values("pk"),
    ).values_list("person_id", "person__name", "membership__partnership_id")
    reps = [RepresentativeRow(pid, name, partnership_id) for pid, name, partnership_id in representatives]
    return rows, reps


@dataclass
class PlaceOverview:
    rows: list[dict[str, Any]]
    kinds: list[tuple[str, int]]  # (label, count) for horizontal and vertical
    landscape: Landscape
    overload_limit: int
    flag_totals: dict[str, int] = field(default_factory=dict)

    @property
    def overloaded_organisations(self) -> list[Any]:
        return [o for o in self.landscape.organisations if o.partnership_count > self.overload_limit]

    @property
    def overloaded_people(self) -> list[Any]:
        return [p for p in self.landscape.people if p.partnership_count > self.overload_limit]


def place_overview(user: Any) -> PlaceOverview:
    """Everything the page shows, in a fixed number of queries whatever the size of the place."""
    tree = place_partnerships(user=user)
    partnerships: list[Partnership] = [p for p, _depth in tree]
    results: dict[int, list[ResultLink]] = place_results_for(user=user, partnerships=partnerships)
    facts: dict[int, list[PlaceFact]] = place_facts_for(user=user, partnerships=partnerships)
    rows = [
        {
            "partnership": p,
            "depth": depth,
            "members": p.current_members,  # type: ignore[attr-defined]
            "results": results.get(p.pk, []),
            "facts": facts.get(p.pk, []),
        }
        for p, depth in tree
    ]
    kinds = [
        (label, sum(1 for p in partnerships if p.kind == value)) for value, label in PartnershipKind.choices
    ]
    seen = [p for p in partnerships if has_permission(user, Permission.LANDSCAPE_VIEW, p)]
    memberships, representatives = landscape_rows(seen, user)
    totals: dict[str, int] = {}
    for fact in (f for found in facts.values() for f in found if f.severity):
        totals[fact.severity] = totals.get(fact.severity, 0) + 1
    return PlaceOverview(
        rows=rows,
        kinds=kinds,
        landscape=compute_landscape(memberships, representatives),
        overload_limit=int(load_settings().thresholds["overload_partnerships"]),
        flag_totals=totals,
    )
