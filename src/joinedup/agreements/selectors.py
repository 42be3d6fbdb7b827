"""Reads for agreements. Querysets come with their related rows joined; computed reads return dataclasses."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from joinedup.agreements.choices import VersionStatus
from joinedup.agreements.content import content_of
from joinedup.agreements.diff import VersionDiff, versions_diff
from joinedup.agreements.models import (
    Agreement,
    AgreementReview,
    AgreementVersion,
    Comment,
    Position,
    Signature,
)
from joinedup.analysis.agreement_reading import ContributionInput, Reading, ReadingInput, read_agreement
from joinedup.core.permissions import Permission, has_permission
from joinedup.register.choices import MembershipRole
from joinedup.register.models import Membership, Organisation, Partnership

S = VersionStatus
# Members in these roles are not parties to the partnership's agreements and do not sign them.
NON_SIGNING_ROLES = frozenset({MembershipRole.OBSERVER})


# ---- who signs ------------------------------------------------------------------------------------------


def signing_parties(*, partnership: Partnership) -> QuerySet[Membership]:
    """The current memberships whose organisations must sign (every current member except observers)."""
    return (
        Membership.objects.filter(partnership=partnership, left__isnull=True)
        .exclude(role__in=NON_SIGNING_ROLES)
        .select_related("organisation")
        .order_by("organisation__name", "id")
    )


def signing_party_ids(*, partnership: Partnership) -> set[int]:
    return set(signing_parties(partnership=partnership).values_list("organisation_id", flat=True))


@dataclass(frozen=True)
class SigningStatus:
    parties: list[Organisation]  # who must sign now
    signatures: list[Signature]  # every signature on the version, oldest first (with organisation, user)
    unsigned: list[Organisation]  # current parties that have not signed

    @property
    def signed_by_all(self) -> bool:
        return not self.unsigned


def signing_status(*, version: AgreementVersion) -> SigningStatus:
    """Who has signed a version and which current members have not (2 queries)."""
    parties = [m.organisation for m in signing_parties(partnership=version.agreement.partnership)]
    signatures = list(
        Signature.objects.filter(version=version)
        .select_related("organisation", "user")
        .order_by("signed_at", "id")
    )
    signed = {s.organisation_id for s in signatures}
    return SigningStatus(
        parties=parties, signatures=signatures, unsigned=[o for o in parties if o.pk not in signed]
    )


def unsigned_current_members(*, agreement: Agreement) -> list[Organisation]:
    """Current members that have not signed the version in force (a member that joined after it came into
    force appears here until it signs). Empty when signed by all, or when nothing is in force."""
    in_force = version_in_force(agreement=agreement)
    return [] if in_force is None else signing_status(version=in_force).unsigned


# ---- agreements and versions ----------------------------------------------------------------------------


def agreement_list(*, partnership: Partnership) -> QuerySet[Agreement]:
    """A partnership's agreements, each with its versions prefetched newest first (2 queries)."""
    return (
        Agreement.objects.filter(partnership=partnership)
        .prefetch_related(Prefetch("versions", queryset=AgreementVersion.objects.order_by("-number")))
        .order_by("title", "id")
    )


def partnership_section(*, user: Any, partnership: Partnership) -> dict[str, Any]:
    """The agreements section of the partnership page: the agreements' titles and kinds (1 query)."""
    return {"agreements": list(Agreement.objects.filter(partnership=partnership).order_by("title", "id"))}


def agreement_get(*, user: Any, pk: int) -> Agreement | None:
    """The agreement if the user may view its partnership, else None (the view answers 404)."""
    agreement = Agreement.objects.select_related("partnership").filter(pk=pk).first()
    if agreement is None or not has_permission(user, Permission.PARTNERSHIP_VIEW, agreement.partnership):
        return None
    return agreement


def version_list(*, agreement: Agreement) -> QuerySet[AgreementVersion]:
    return (
        AgreementVersion.objects.filter(agreement=agreement).select_related("proposed_by").order_by("-number")
    )


def _version_qs() -> QuerySet[AgreementVersion]:
    return AgreementVersion.objects.select_related(
        "agreement__partnership", "chair_organisation", "host_organisation", "proposed_by", "based_on"
    ).prefetch_related(
        "clauses",
        "contributions__organisation",
        Prefetch("signatures", queryset=Signature.objects.select_related("organisation", "user")),
        Prefetch("positions", queryset=Position.objects.select_related("organisation", "user")),
    )


def version_get(*, agreement: Agreement, number: int) -> AgreementVersion | None:
    """One version with its clauses, contributions, signatures and positions loaded."""
    return _version_qs().filter(agreement=agreement, number=number).first()


def version_in_force(*, agreement: Agreement) -> AgreementVersion | None:
    return _version_qs().filter(agreement=agreement, status=S.IN_FORCE).first()


def open_change(*, agreement: Agreement) -> AgreementVersion | None:
    """The draft or proposal under negotiation, if any (there is at most one)."""
    return _version_qs().filter(agreement=agreement, status__in=[S.DRAFT, S.PROPOSED]).first()


def position_list(*, version: AgreementVersion) -> QuerySet[Position]:
    return Position.objects.filter(version=version).select_related("organisation", "user")


@dataclass
class CommentThread:
    comment: Comment
    replies: list[CommentThread] = field(default_factory=list)


def comment_threads(*, version: AgreementVersion) -> dict[int | None, list[CommentThread]]:
    """Comments as threads, grouped by clause id (None: on the whole version), oldest first (1 query)."""
    comments = list(
        Comment.objects.filter(version=version)
        .select_related("author", "organisation")
        .order_by("created_at", "id")
    )
    nodes = {c.pk: CommentThread(c) for c in comments}
    threads: dict[int | None, list[CommentThread]] = {}
    for c in comments:
        if c.parent_id is not None and c.parent_id in nodes:
            nodes[c.parent_id].replies.append(nodes[c.pk])
        else:
            threads.setdefault(c.clause_id, []).append(nodes[c.pk])
    return threads


# ---- reviews --------------------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months, clamped to the month's end (31 January + 1 month = 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def next_review_due(
    *, version: AgreementVersion, last_review: datetime.date | None = None
) -> datetime.date | None:
    """The in-force date plus the review interval, counted from the last review of this version if there
    was one. None when the version is not in force or sets no interval."""
    if version.status != S.IN_FORCE or version.in_force_at is None or not version.review_interval_months:
        return None
    start = _local_date(version.in_force_at)
    if last_review is not None and last_review > start:
        start = last_review
    return add_months(start, version.review_interval_months)


@dataclass(frozen=True)
class ReviewDue:
    agreement: Agreement
    version: AgreementVersion
    due: datetime.date
    last_review: datetime.date | None
    overdue: bool


def review_schedule(*, user: Any, today: datetime.date | None = None) -> list[ReviewDue]:
    """Every agreement in force in the user's partnerships with its next review date, soonest first
    (1 query)."""
    from joinedup.register.selectors import partnerships_visible_to

    today = today or timezone.localdate()
    last = (
        AgreementReview.objects.filter(version=OuterRef("pk"))
        .values("version")
        .annotate(last=Max("date"))
        .values("last")
    )
    versions = (
        AgreementVersion.objects.filter(
            status=S.IN_FORCE,
            agreement__ended__isnull=True,
            agreement__partnership__in=partnerships_visible_to(user),
            review_interval_months__isnull=False,
        )
        .select_related("agreement__partnership")
        .annotate(last_review=Subquery(last))
    )
    schedule = []
    for v in versions:
        due = next_review_due(version=v, last_review=v.last_review)
        if due is not None:
            schedule.append(ReviewDue(v.agreement, v, due, v.last_review, due < today))
    return sorted(schedule, key=lambda r: (r.due, r.agreement.title))


def reviews_due(*, user: Any, today: datetime.date | None = None, within_days: int = 90) -> list[ReviewDue]:
    """Reviews due within `within_days` of today, overdue ones included."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=within_days)
    return [r for r in review_schedule(user=user, today=today) if r.due <= horizon]


def reviews_overdue(*, user: Any, today: datetime.date | None = None) -> list[ReviewDue]:
    return [r for r in review_schedule(user=user, today=today) if r.overdue]


def review_list(*, agreement: Agreement) -> QuerySet[AgreementReview]:
    return (
        AgreementReview.objects.filter(agreement=agreement)
        .select_related("version", "draft", "recorded_by")
        .prefetch_related("participants")
    )


# ---- reading and diff -----------------------------------------------------------------------------------


def reading_input(
    *, version: AgreementVersion, parties: Iterable[Organisation] | None = None
) -> ReadingInput:
    """The classifier's input for a version; the parties are the partnership's current signing members."""
    content = content_of(version)
    party_list = (
        list(parties)
        if parties is not None
        else [m.organisation for m in signing_parties(partnership=version.agreement.partnership)]
    )
    names: dict[Hashable, str] = {o.pk: o.name for o in party_list}
    names.update({c.organisation_id: c.organisation.name for c in version.contributions.all()})
    return ReadingInput(
        term=content.fields["term"],
        review_interval_months=content.fields["review_interval_months"],
        decision_rule=content.fields["decision_rule"],
        chairing=content.fields["chairing"],
        risk_share=content.fields["risk_share"],
        clause_kinds=frozenset(c.kind for c in content.clauses),
        contributions=tuple(
            ContributionInput(partner=c.organisation_id, kind=c.kind, amount=c.amount)
            for c in content.contributions
        ),
        partners=tuple(o.pk for o in party_list),
        names=names,
    )


def version_reading(*, version: AgreementVersion) -> Reading:
    """The "contract or partnership?" reading of a version."""
    return read_agreement(reading_input(version=version))


def version_diff(*, old: AgreementVersion, new: AgreementVersion) -> VersionDiff:
    """Clause-by-clause diff of two versions (see agreements.diff.VersionDiff); `labels` maps organisation
    ids (as strings) to names for the contribution and field rows."""
    labels = {
        str(c.organisation_id): c.organisation.name
        for v in (old, new)
        for c in v.contributions.select_related("organisation")
    }
    for v in (old, new):
        for org in (v.chair_organisation, v.host_organisation):
            if org is not None:
                labels[str(org.pk)] = org.name
    return versions_diff(content_of(old), content_of(new), labels=labels)
